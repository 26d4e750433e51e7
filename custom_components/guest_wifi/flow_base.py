"""The config flow's shared parts: forms' pieces, the account check, entries made or changed."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
import logging
from typing import Any

from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_RECONFIGURE,
    ConfigEntry,
    ConfigFlowResult,
)
from homeassistant.data_entry_flow import AbortFlow, section
from homeassistant.helpers import config_entry_oauth2_flow
from homeassistant.helpers.selector import (
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import voluptuous as vol

from .api.errors import GuestWifiError
from .const import CONF_BASE_URL, CONF_HOTSPOTS, CONF_VENDOR
from .devices import entry_hotspots, entry_title, follow_title
from .errors import form_error
from .vendors import vendor_named, vendor_of

PASSWORD = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))

_LOGGER = logging.getLogger(__name__)


SECTION_ADVANCED = "advanced"


def secret_field(
    field: str, defaults: Mapping[str, Any], *, required: bool
) -> dict[Any, Any]:
    """The key or token field, typed again rather than shown (see `_entry_data`)."""
    key = vol.Required if required else vol.Optional
    return {key(field, default=defaults.get(field, vol.UNDEFINED)): PASSWORD}


def numeric_first(ids: list[str]) -> list[str]:
    """Hotspot ids in numeric order (shorter first): the first names the account."""
    return sorted(ids, key=lambda value: (len(value), value))


def address_section(defaults: Mapping[str, Any]) -> dict[Any, Any]:
    """The API address field, in the collapsed advanced section."""
    return {
        vol.Optional(SECTION_ADVANCED): section(
            vol.Schema(
                {
                    vol.Optional(
                        CONF_BASE_URL,
                        description={"suggested_value": defaults.get(CONF_BASE_URL)},
                    ): TextSelector(TextSelectorConfig(type=TextSelectorType.URL))
                }
            ),
            {"collapsed": True},
        )
    }


def flat_address(
    user_input: Mapping[str, Any], current: Mapping[str, Any]
) -> dict[str, Any]:
    """The input with the API address stored flat, as entries keep it.

    A section left out of the input keeps the current address; a submitted
    section sets it, or removes it when the field is empty.
    """
    data = {
        key: value
        for key, value in user_input.items()
        if key not in (SECTION_ADVANCED, CONF_BASE_URL)
    }
    if SECTION_ADVANCED in user_input:
        address = (user_input[SECTION_ADVANCED].get(CONF_BASE_URL) or "").strip()
    else:
        address = current.get(CONF_BASE_URL) or ""
    if address:
        data[CONF_BASE_URL] = address
    return data


@asynccontextmanager
async def vendor_errors(
    errors: dict[str, str],
    checking: str,
    on_field: Mapping[type[GuestWifiError], tuple[str, str]] | None = None,
) -> AsyncIterator[None]:
    """One error context for every form: what asking the vendor raised, as the form says it.

    A vendor failure becomes its form error (see errors.py) above the form,
    or beside the field `on_field` names for it; anything else is logged
    with `checking` (what was being checked) and shown as `unknown`.
    """
    try:
        yield
    except GuestWifiError as err:
        for kind, (field, error) in (on_field or {}).items():
            if isinstance(err, kind):
                errors[field] = error
                return
        errors["base"] = form_error(err)
    except Exception:
        _LOGGER.exception("Unexpected error checking %s", checking)
        errors["base"] = "unknown"


def _anchor_of(entry: ConfigEntry) -> str:
    """The hotspot id an entry is known by: the first it was set up with."""
    return (entry.unique_id or "").removeprefix(f"{entry.data[CONF_VENDOR]}_")


def _known_as(entry: ConfigEntry) -> AbortFlow:
    """The abort for an account already set up: it names the entry it is."""
    return AbortFlow("already_configured", {"title": entry.title})


class GuestWifiFlowBase(config_entry_oauth2_flow.AbstractOAuth2FlowHandler):
    """What every vendor's steps share: the account check, the entry made or changed."""

    def __init__(self) -> None:
        """Start empty."""
        super().__init__()
        self._smartwifi: dict[str, Any] = {}
        self._wiwiz: dict[str, Any] = {}
        self._hotspot_choices: dict[str, str] = {}

    async def _abort_if_account_known(self, vendor: str, hotspot_ids: Any) -> None:
        """Abort when an entry already holds one of these hotspots.

        Neither vendor names the account itself, so an account is known by its
        hotspots: the entry's unique id is the first hotspot it was set up
        with (its anchor), and any hotspot shared with an entry of the same
        vendor means the same account.
        """
        ids = set(hotspot_ids)
        for entry in self._async_current_entries(include_ignore=False):
            if entry.data.get(CONF_VENDOR) != vendor:
                continue
            if ids & (set(entry_hotspots(entry)) | {_anchor_of(entry)}):
                raise _known_as(entry)
        await self.async_set_unique_id(f"{vendor}_{numeric_first(list(ids))[0]}")
        self._abort_if_unique_id_known()

    def _abort_if_key_in_use(self, vendor: str, field: str, key: str) -> None:
        """Abort when an entry already uses this key or token: it is that account.

        Asked before the vendor is: the owner learns at once which entry it
        is, and that its hotspots are added there (Reconfigure).
        """
        for entry in self._async_current_entries(include_ignore=False):
            if entry.data.get(CONF_VENDOR) == vendor and entry.data.get(field) == key:
                raise _known_as(entry)

    def _abort_if_unique_id_known(self) -> None:
        """Core's check of the unique id, with the entry named (and ignored ones)."""
        known = self.hass.config_entries.async_entry_for_domain_unique_id(
            self.handler, self.unique_id or ""
        )
        self._abort_if_unique_id_configured(
            description_placeholders={"title": known.title if known else ""}
        )

    def _form_step(self, vendor: str) -> str:
        """The vendor's step when adding; reconfigure's own, with its own words."""
        return "reconfigure" if self.source == SOURCE_RECONFIGURE else vendor

    def _account_placeholders(self) -> dict[str, str]:
        """The entry's name, for the reconfigure and re-authentication forms."""
        if self.source in (SOURCE_REAUTH, SOURCE_RECONFIGURE):
            return {"account": self._current_entry().title}
        return {}

    def _anchor(self) -> str:
        """The hotspot id the entry being changed is known by."""
        return _anchor_of(self._current_entry())

    def _current_entry(self) -> ConfigEntry:
        if self.source == SOURCE_REAUTH:
            return self._get_reauth_entry()
        return self._get_reconfigure_entry()

    def _entry_data(self) -> Mapping[str, Any]:
        if self.source in (SOURCE_REAUTH, SOURCE_RECONFIGURE):
            entry = self._current_entry()
            data = dict(entry.data)
            # A secret is typed again, never shown back.
            data.pop(str(vendor_of(entry).secret), None)
            return data
        return {}

    def _secret(self, user_input: Mapping[str, Any], field: str) -> str:
        """The key or token typed; on reconfigure, left empty, the stored one."""
        typed = str(user_input.get(field) or "").strip()
        if not typed and self.source == SOURCE_RECONFIGURE:
            return str(self._current_entry().data[field])
        return typed

    def _finish(self, data: dict[str, Any]) -> ConfigFlowResult:
        """Create the entry, or update the one being reconfigured."""
        names = data[CONF_HOTSPOTS].values()
        vendor_title = vendor_named(data[CONF_VENDOR]).title
        if self.source != SOURCE_RECONFIGURE:
            return self.async_create_entry(
                title=entry_title(vendor_title, names), data=data
            )
        entry = self._current_entry()
        old = entry_hotspots(entry).values()
        self._renew_shared_secret(entry, data)
        return self.async_update_reload_and_abort(
            entry,
            data=data,
            title=follow_title(entry.title, vendor_title, old, names),
        )

    def _renew_shared_secret(self, entry: ConfigEntry, data: Mapping[str, Any]) -> None:
        """Give our other entries that had the entry's old key the new one.

        A key or token serves a whole account, and an owner may split one
        account into entries (a venue each): when it changes they all stop,
        and the key typed once in any of them renews them all. Each is
        reloaded, which also ends its own re-authentication. Entries with
        another key (another account) are left alone.
        """
        vendor = entry.data[CONF_VENDOR]
        if (field := vendor_of(entry).secret) is None:
            return  # OAuth2: each entry signs in on its own
        old, new = entry.data.get(field), data.get(field)
        if not old or not new or old == new:
            return
        for other in self._async_current_entries(include_ignore=False):
            if (
                other.entry_id != entry.entry_id
                and other.data.get(CONF_VENDOR) == vendor
                and other.data.get(field) == old
            ):
                self.hass.config_entries.async_update_entry(
                    other, data={**other.data, field: new}
                )
                self.hass.config_entries.async_schedule_reload(other.entry_id)
