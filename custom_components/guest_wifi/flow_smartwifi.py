"""The config flow's SmartWiFi steps."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import SOURCE_RECONFIGURE, ConfigFlowResult
from homeassistant.const import CONF_HOST
from homeassistant.data_entry_flow import AbortFlow
from homeassistant.helpers.selector import (
    BooleanSelector,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
)
import voluptuous as vol

from .api.errors import InvalidRequestError
from .api.smartwifi import Environment
from .clients import smartwifi_client
from .const import (
    CONF_ADD_NEW_HOTSPOTS,
    CONF_API_TOKEN,
    CONF_ENVIRONMENT,
    CONF_HOTSPOTS,
    CONF_LEFT_OUT,
    CONF_VENDOR,
    VENDOR_SMARTWIFI,
)
from .flow_base import GuestWifiFlowBase, secret_field, vendor_errors


def smartwifi_schema(
    defaults: Mapping[str, Any], *, token_required: bool
) -> vol.Schema:
    """The token, environment and custom host form, filled with `defaults`."""
    return vol.Schema(
        {
            **secret_field(CONF_API_TOKEN, defaults, required=token_required),
            vol.Required(
                CONF_ENVIRONMENT,
                default=defaults.get(CONF_ENVIRONMENT, Environment.US_A.value),
            ): SelectSelector(
                SelectSelectorConfig(
                    options=[e.value for e in Environment],
                    translation_key=CONF_ENVIRONMENT,
                )
            ),
            vol.Optional(
                CONF_HOST, description={"suggested_value": defaults.get(CONF_HOST)}
            ): TextSelector(),
        }
    )


class SmartWifiSteps(GuestWifiFlowBase):
    """SmartWiFi: the token and environment, then the hotspots."""

    async def _smartwifi_hotspots(self, data: Mapping[str, Any]) -> dict[str, str]:
        """Check the token with a ping; return the account's hotspots."""
        client = smartwifi_client(self.hass, data)
        await client.ping()
        return {h.id: h.name for h in await client.hotspots()}

    async def _smartwifi_check(
        self, user_input: dict[str, Any]
    ) -> tuple[dict[str, str], dict[str, str]]:
        """Validate the form; return errors and, on success, the hotspots."""
        if (
            user_input[CONF_ENVIRONMENT] == Environment.CUSTOM
            and not user_input.get(CONF_HOST, "").strip()
        ):
            return {CONF_HOST: "host_required"}, {}
        errors: dict[str, str] = {}
        hotspots: dict[str, str] = {}
        # InvalidRequestError: the client could make no address of the host typed.
        async with vendor_errors(
            errors,
            "the SmartWiFi token",
            {InvalidRequestError: (CONF_HOST, "host_required")},
        ):
            hotspots = await self._smartwifi_hotspots(user_input)
        if not errors and not hotspots:
            errors["base"] = "no_hotspots"
        return errors, hotspots

    async def _reauth_smartwifi(
        self, data: Mapping[str, Any], placeholders: dict[str, str]
    ) -> tuple[dict[str, str], dict[str, Any]]:
        """A new token for the same account; the hotspots under their names now."""
        errors, hotspots = await self._smartwifi_check(dict(data))
        if errors:
            return errors, {}
        if self._anchor() not in hotspots:
            raise AbortFlow("wrong_account")
        kept = {h: hotspots[h] for h in data[CONF_HOTSPOTS] if h in hotspots}
        return {}, {**data, CONF_HOTSPOTS: kept or hotspots}

    async def async_step_smartwifi(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Token and environment; on reconfigure an empty token keeps the stored one."""
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {
                **user_input,
                CONF_API_TOKEN: self._secret(user_input, CONF_API_TOKEN),
            }
            if self.source != SOURCE_RECONFIGURE:
                self._abort_if_key_in_use(
                    VENDOR_SMARTWIFI, CONF_API_TOKEN, data[CONF_API_TOKEN]
                )
            errors, hotspots = await self._smartwifi_check(data)
            if not errors:
                if self.source == SOURCE_RECONFIGURE:
                    if self._anchor() not in hotspots:
                        return self.async_abort(reason="wrong_account")
                else:
                    await self._abort_if_account_known(VENDOR_SMARTWIFI, hotspots)
                self._smartwifi = {CONF_VENDOR: VENDOR_SMARTWIFI, **data}
                self._hotspot_choices = hotspots
                return await self.async_step_smartwifi_hotspots()
        return self.async_show_form(
            step_id=self._form_step(VENDOR_SMARTWIFI),
            data_schema=smartwifi_schema(
                user_input or self._entry_data(),
                token_required=self.source != SOURCE_RECONFIGURE,
            ),
            errors=errors,
            description_placeholders=self._account_placeholders(),
        )

    async def async_step_smartwifi_hotspots(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Which hotspots to bring in (all by default), and whether new ones join.

        New hotspots join by themselves unless the owner says not: what a
        new entry does, and on reconfigure what the entry did. Hotspots left
        unticked are remembered, so they never join by themselves.
        """
        errors: dict[str, str] = {}
        if user_input is not None:
            chosen = user_input[CONF_HOTSPOTS]
            if chosen:
                data = {
                    **self._smartwifi,
                    CONF_HOTSPOTS: {h: self._hotspot_choices[h] for h in chosen},
                    CONF_ADD_NEW_HOTSPOTS: user_input[CONF_ADD_NEW_HOTSPOTS],
                    CONF_LEFT_OUT: [
                        h for h in self._hotspot_choices if h not in chosen
                    ],
                }
                return self._finish(data)
            errors["base"] = "no_hotspots"
        previous = self._entry_data().get(CONF_HOTSPOTS)
        add_new = self._entry_data().get(CONF_ADD_NEW_HOTSPOTS, True)
        default = [
            h for h in previous or self._hotspot_choices if h in self._hotspot_choices
        ]
        return self.async_show_form(
            step_id="smartwifi_hotspots",
            data_schema=vol.Schema(
                {
                    vol.Required(
                        CONF_HOTSPOTS, default=default or list(self._hotspot_choices)
                    ): SelectSelector(
                        SelectSelectorConfig(
                            options=[
                                SelectOptionDict(value=h, label=name)
                                for h, name in self._hotspot_choices.items()
                            ],
                            multiple=True,
                            mode=SelectSelectorMode.LIST,
                        )
                    ),
                    vol.Required(
                        CONF_ADD_NEW_HOTSPOTS, default=add_new
                    ): BooleanSelector(),
                }
            ),
            errors=errors,
        )
