"""The options: which guests are tracked, for how long, what is shown, and history."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import ConfigFlowResult, OptionsFlowWithReload
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
)
import voluptuous as vol

from .const import (
    CONF_CONSIDER_HOME,
    CONF_EXPOSE_CONTACT_DETAILS,
    CONF_FORGET_AFTER_DAYS,
    CONF_IMPORT_HISTORY,
    CONF_TRACK_GUESTS,
    DEFAULT_CONSIDER_HOME,
    DEFAULT_FORGET_AFTER_DAYS,
    DEFAULT_IMPORT_HISTORY,
    DEFAULT_TRACK_GUESTS,
    TRACK_ALL,
    TRACK_NONE,
    TRACK_RETURNING,
)
from .flow_base import address_section, flat_address
from .vendors import vendor_of


class GuestWifiOptionsFlow(OptionsFlowWithReload):
    """Guest tracking and privacy; My Wi-Fi's API address.

    Polling intervals are fixed in code (see const.py). New options reload
    the entry; a refreshed OAuth2 token (new entry data) does not.
    """

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """One form for every option."""
        options = self.config_entry.options
        vendor = vendor_of(self.config_entry)
        if user_input is not None:
            if vendor.oauth2:
                user_input = flat_address(user_input, options)
            if _unchanged(user_input, options):
                # An entry from before the history option, saved unchanged:
                # no new options, so no reload.
                user_input = dict(options)
            return self.async_create_entry(data=user_input)
        # An OAuth2 vendor has no form of its own where the address could be.
        fields = {
            **(_guest_options(options) if vendor.reports_guests else {}),
            **_history_option(options),
            **(address_section(options) if vendor.oauth2 else {}),
        }
        return self.async_show_form(
            step_id="init",
            data_schema=vol.Schema(fields),
            description_placeholders={"account": self.config_entry.title},
        )


def _box(low: int, high: int, unit: str) -> NumberSelector:
    """A number typed in a box, from `low` to `high`, in `unit`."""
    return NumberSelector(
        NumberSelectorConfig(
            min=low, max=high, unit_of_measurement=unit, mode=NumberSelectorMode.BOX
        )
    )


def _guest_options(options: Mapping[str, Any]) -> dict[Any, Any]:
    """Tracking and privacy: for vendors that report guests."""
    return {
        vol.Required(
            CONF_TRACK_GUESTS,
            default=options.get(CONF_TRACK_GUESTS, DEFAULT_TRACK_GUESTS),
        ): SelectSelector(
            SelectSelectorConfig(
                options=[TRACK_RETURNING, TRACK_ALL, TRACK_NONE],
                translation_key=CONF_TRACK_GUESTS,
            )
        ),
        vol.Required(
            CONF_CONSIDER_HOME,
            default=options.get(CONF_CONSIDER_HOME, DEFAULT_CONSIDER_HOME),
        ): _box(0, 86400, "s"),
        vol.Required(
            CONF_FORGET_AFTER_DAYS,
            default=options.get(CONF_FORGET_AFTER_DAYS, DEFAULT_FORGET_AFTER_DAYS),
        ): _box(1, 3650, "d"),
        vol.Required(
            CONF_EXPOSE_CONTACT_DETAILS,
            default=options.get(CONF_EXPOSE_CONTACT_DETAILS, False),
        ): BooleanSelector(),
    }


def _unchanged(user_input: Mapping[str, Any], options: Mapping[str, Any]) -> bool:
    """The options as they were, but for the history option left at its default."""
    if CONF_IMPORT_HISTORY in options:
        return False
    rest = {k: v for k, v in user_input.items() if k != CONF_IMPORT_HISTORY}
    default = user_input.get(CONF_IMPORT_HISTORY) == DEFAULT_IMPORT_HISTORY
    return default and rest == dict(options)


def _history_option(options: Mapping[str, Any]) -> dict[Any, Any]:
    """Whether the vendor's log becomes long-term statistics (history.py)."""
    return {
        vol.Required(
            CONF_IMPORT_HISTORY,
            default=options.get(CONF_IMPORT_HISTORY, DEFAULT_IMPORT_HISTORY),
        ): BooleanSelector()
    }
