"""Config flow: a vendor menu, OAuth2 for My Wi-Fi, keys for SmartWiFi and Wiwiz."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
import logging
from typing import Any

from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_RECONFIGURE,
    ConfigEntry,
    ConfigFlowResult,
)
from homeassistant.core import callback
import voluptuous as vol

from .api.errors import InvalidResponseError
from .api.mywifi import SCOPE
from .const import CONF_VENDOR, DOMAIN
from .flow_base import PASSWORD
from .flow_smartwifi import SmartWifiSteps
from .flow_wiwiz import WiwizSteps
from .options_flow import GuestWifiOptionsFlow
from .vendor_mywifi import MYWIFI
from .vendors import VENDORS, vendor_named, vendor_of

_LOGGER = logging.getLogger(__name__)


class GuestWifiConfigFlow(SmartWifiSteps, WiwizSteps, domain=DOMAIN):
    """One flow for the three vendors; the OAuth2 base serves My Wi-Fi."""

    DOMAIN = DOMAIN
    VERSION = 1
    # 2: no devices for guest trackers; 3: no interval options, Wiwiz hotspot
    # names; 4: returning guests tracked; 5: whether new SmartWiFi hotspots
    # join by themselves (see async_migrate_entry).
    MINOR_VERSION = 5

    @property
    def logger(self) -> logging.Logger:
        """Where the OAuth2 base logs."""
        return _LOGGER

    @property
    def extra_authorize_data(self) -> dict[str, Any]:
        """My Wi-Fi grants what the scope asks for."""
        return {"scope": SCOPE}

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> GuestWifiOptionsFlow:
        """Tracking and privacy options."""
        return GuestWifiOptionsFlow()

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick the vendor."""
        return self.async_show_menu(
            step_id="user", menu_options=[v.setup_step for v in VENDORS.values()]
        )

    async def async_step_mywifi(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """My Wi-Fi Service signs in with OAuth2 and application credentials."""
        return await self.async_step_pick_implementation()

    async def async_step_creation(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Core's step, with a token answer that holds no token as core's abort.

        Core calls invalid token data `oauth_error`; our implementation refuses
        more of it than core checks (see application_credentials.py).
        """
        try:
            return await super().async_step_creation(user_input)
        except InvalidResponseError as err:
            _LOGGER.warning("My Wi-Fi sign-in failed: %s", err)
            return self.async_abort(reason="oauth_error")

    async def async_oauth_create_entry(self, data: dict[str, Any]) -> ConfigFlowResult:
        """Signed in to My Wi-Fi: create, or update the entry being re-authenticated.

        My Wi-Fi client credentials are issued for one account (the developer
        registers with the account's login), so the client id names the account
        without revealing anything secret.
        """
        client_id = getattr(self.flow_impl, "client_id", None) or self.flow_impl.domain
        await self.async_set_unique_id(f"{MYWIFI.key}_{client_id}")
        if self.source in (SOURCE_REAUTH, SOURCE_RECONFIGURE):
            self._abort_if_unique_id_mismatch(reason="wrong_account")
            return self.async_update_reload_and_abort(
                self._current_entry(), data_updates=data
            )
        self._abort_if_unique_id_known()
        return self.async_create_entry(
            title=MYWIFI.title, data={CONF_VENDOR: MYWIFI.key, **data}
        )

    async def async_step_reauth(
        self, entry_data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        """The vendor refused the stored credentials: ask for them again."""
        return await self._vendor_step(
            vendor_named(entry_data[CONF_VENDOR]).reauth_step
        )

    async def async_step_reauth_sign_in(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Say why My Wi-Fi asks for a sign-in, before sending the owner there."""
        if user_input is not None:
            return await self.async_step_pick_implementation()
        return self.async_show_form(
            step_id="reauth_sign_in",
            description_placeholders={"account": self._get_reauth_entry().title},
        )

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Only the refused key or token; everything else stays as it is.

        The vendor's steps check it (`_reauth_<vendor>`, beside its setup
        step): the errors to show, or the entry's data with the new key.
        """
        entry = self._get_reauth_entry()
        vendor = vendor_of(entry)
        secret = str(vendor.secret)
        errors: dict[str, str] = {}
        placeholders = {"account": entry.title, "hotspot_id": ""}
        if user_input is not None:
            typed = {**entry.data, secret: user_input[secret].strip()}
            check: Callable[
                [Mapping[str, Any], dict[str, str]],
                Awaitable[tuple[dict[str, str], dict[str, Any]]],
            ] = getattr(self, f"_reauth_{vendor.key}")
            errors, data = await check(typed, placeholders)
            if not errors:
                self._renew_shared_secret(entry, data)
                return self.async_update_reload_and_abort(entry, data=data)
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=vol.Schema({vol.Required(secret): PASSWORD}),
            errors=errors,
            description_placeholders=placeholders,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the credentials, environment, hotspots or their names.

        The vendor's form, under this step's name: its words say what
        reconfiguring keeps (an empty key keeps the current one).
        """
        entry = self._get_reconfigure_entry()
        return await self._vendor_step(vendor_of(entry).setup_step, user_input)

    async def _vendor_step(
        self, step_id: str, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The step a vendor's description names (as core's flow manager finds steps)."""
        step: Callable[[dict[str, Any] | None], Awaitable[ConfigFlowResult]] = getattr(
            self, f"async_step_{step_id}"
        )
        return await step(user_input)
