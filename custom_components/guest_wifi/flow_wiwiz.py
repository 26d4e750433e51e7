"""The config flow's Wiwiz steps."""

from __future__ import annotations

from collections.abc import Mapping
import re
from typing import Any

from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_RECONFIGURE,
    ConfigFlowResult,
)
from homeassistant.data_entry_flow import AbortFlow
from homeassistant.helpers.selector import TextSelector, TextSelectorConfig
import voluptuous as vol

from .api.errors import InvalidHotspotError, RateLimitedError
from .clients import wiwiz_answers_over_https, wiwiz_client
from .const import (
    CONF_BASE_URL,
    CONF_HOTSPOT_IDS,
    CONF_HOTSPOTS,
    CONF_HTTPS,
    CONF_USERKEY,
    CONF_VENDOR,
    VENDOR_WIWIZ,
)
from .flow_base import (
    GuestWifiFlowBase,
    address_section,
    flat_address,
    secret_field,
    vendor_errors,
)

_ID_SEPARATORS = re.compile(r"[\s,;]+")


def wiwiz_schema(defaults: Mapping[str, Any], *, key_required: bool) -> vol.Schema:
    """The user key and hotspot ids form, filled with `defaults`."""
    return vol.Schema(
        {
            **secret_field(CONF_USERKEY, defaults, required=key_required),
            vol.Required(
                CONF_HOTSPOT_IDS, default=defaults.get(CONF_HOTSPOT_IDS, vol.UNDEFINED)
            ): TextSelector(TextSelectorConfig(multiple=True)),
            **address_section(defaults),
        }
    )


def split_ids(typed: list[str] | str) -> list[str]:
    """The hotspot ids typed, one per field or several split by commas or spaces."""
    fields = [typed] if isinstance(typed, str) else typed
    return list(
        dict.fromkeys(h for field in fields for h in _ID_SEPARATORS.split(field) if h)
    )


class WiwizSteps(GuestWifiFlowBase):
    """Wiwiz: the user key and hotspot ids (each checked), then their names."""

    async def _wiwiz_check(
        self, user_input: Mapping[str, Any]
    ) -> tuple[dict[str, str], dict[str, str]]:
        """Ask Wiwiz for each hotspot's WAN IP: a cheap proof of key and id.

        Return the errors and, for an unknown id, which one.
        """
        client = wiwiz_client(self.hass, user_input)
        errors: dict[str, str] = {}
        asked = {"hotspot_id": ""}
        async with vendor_errors(
            errors,
            "the Wiwiz user key",
            {InvalidHotspotError: (CONF_HOTSPOT_IDS, "invalid_hotspot")},
        ):
            for hotspot_id in user_input[CONF_HOTSPOT_IDS]:
                asked["hotspot_id"] = hotspot_id
                await client.wan_ip(hotspot_id)
        return errors, asked if CONF_HOTSPOT_IDS in errors else {}

    async def _wiwiz_same_account(
        self, typed: Mapping[str, Any]
    ) -> tuple[dict[str, str], dict[str, str], dict[str, Any]]:
        """The entry's account with a new key or hotspots, each hotspot checked.

        Another account's key aborts with `wrong_account`. Returns the errors,
        the hotspot id they are about, and the data to keep.
        """
        data = await self._wiwiz_scheme(dict(typed))
        if await self._wiwiz_other_account(data):
            raise AbortFlow("wrong_account")
        errors, found = await self._wiwiz_check(data)
        return errors, found, data

    async def _reauth_wiwiz(
        self, typed: Mapping[str, Any], placeholders: dict[str, str]
    ) -> tuple[dict[str, str], dict[str, Any]]:
        """A new key for the same account, each hotspot checked with it."""
        errors, found, data = await self._wiwiz_same_account(typed)
        placeholders.update(found)
        # No hotspot field here: a hotspot gone from the account is said
        # above the key (reconfigure removes it).
        return {
            "base" if k == CONF_HOTSPOT_IDS else k: v for k, v in errors.items()
        }, data

    async def async_step_wiwiz(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """User key, hotspot ids and, in the advanced section, the API address.

        On reconfigure an empty key keeps the stored one.
        """
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {"hotspot_id": ""}
        shown: Mapping[str, Any] = self._entry_data()
        if user_input is not None:
            ids = split_ids(user_input[CONF_HOTSPOT_IDS])
            # What the form shows again: the key only as typed, never the stored one.
            shown = {**flat_address(user_input, shown), CONF_HOTSPOT_IDS: ids}
            data = {**shown, CONF_USERKEY: self._secret(user_input, CONF_USERKEY)}
            if not ids:
                errors[CONF_HOTSPOT_IDS] = "hotspot_ids_required"
            elif self.source == SOURCE_RECONFIGURE:
                errors, found, data = await self._wiwiz_same_account(data)
                placeholders.update(found)
            else:
                self._abort_if_key_in_use(
                    VENDOR_WIWIZ, CONF_USERKEY, data[CONF_USERKEY]
                )
                data = await self._wiwiz_scheme(data)
                errors, found = await self._wiwiz_check(data)
                placeholders.update(found)
                if not errors:
                    await self._abort_if_account_known(VENDOR_WIWIZ, ids)
            if not errors:
                self._wiwiz = {CONF_VENDOR: VENDOR_WIWIZ, **data}
                return await self.async_step_wiwiz_names()
        return self.async_show_form(
            step_id=self._form_step(VENDOR_WIWIZ),
            data_schema=wiwiz_schema(
                shown, key_required=self.source != SOURCE_RECONFIGURE
            ),
            errors=errors,
            description_placeholders={**placeholders, **self._account_placeholders()},
        )

    async def async_step_wiwiz_names(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """A name for each hotspot: Wiwiz has none to give (default: the id)."""
        ids: list[str] = self._wiwiz[CONF_HOTSPOT_IDS]
        if user_input is not None:
            names = {h: str(user_input.get(h) or "").strip() or h for h in ids}
            return self._finish({**self._wiwiz, CONF_HOTSPOTS: names})
        known = self._entry_data().get(CONF_HOTSPOTS) or {}
        return self.async_show_form(
            step_id="wiwiz_names",
            data_schema=vol.Schema(
                {
                    vol.Optional(
                        h, description={"suggested_value": known.get(h, h)}
                    ): TextSelector()
                    for h in ids
                }
            ),
        )

    async def _wiwiz_scheme(self, data: dict[str, Any]) -> dict[str, Any]:
        """The input and whether Wiwiz is asked over HTTPS (`CONF_HTTPS`).

        HTTPS when Wiwiz answers there, else the documented http://. A typed
        address is used as typed. An entry already on HTTPS stays there: the
        key is not sent in clear text because HTTPS fails today.
        """
        if data.get(CONF_BASE_URL):
            return data
        if self.source in (SOURCE_REAUTH, SOURCE_RECONFIGURE) and (
            self._current_entry().data.get(CONF_HTTPS)
        ):
            return {**data, CONF_HTTPS: True}
        try:
            https = await wiwiz_answers_over_https(self.hass, data)
        except RateLimitedError:
            https = True  # Wiwiz is there and busy: the check says so
        except Exception:  # noqa: BLE001
            # Not a verdict on HTTPS, and no reason to send the key in clear
            # text: the check that follows reports the failure on the form.
            https = True
        return {**data, CONF_HTTPS: https}

    async def _wiwiz_other_account(self, user_input: Mapping[str, Any]) -> bool:
        """Whether the new key is another account's: it cannot see our anchor hotspot."""
        client = wiwiz_client(self.hass, user_input)
        try:
            await client.wan_ip(self._anchor())
        except InvalidHotspotError:
            return True
        except Exception:  # noqa: BLE001
            # Not a verdict on the account: the full check that follows
            # reports the failure on the form.
            return False
        return False
