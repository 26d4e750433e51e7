"""SmartWiFi hotspots the account has and the entry does not follow.

The owner chooses, when picking hotspots, whether hotspots that appear at
the vendor later (a new venue, another floor) join the entry by themselves.
If so, the account poll adds each one (the first poll after a start leaves
it to the next): the entry holds it and reloads, and it is a device with its
sensors and events. If not, each is offered in one
repair notice, and the owner adds it by reconfiguring the entry or ignores
the notice. A notice goes once the entry holds the hotspot or the vendor no
longer lists it.

A hotspot the owner left out, when choosing or later by unticking it, is
theirs to add back: it is neither added nor offered.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .const import (
    CONF_ADD_NEW_HOTSPOTS,
    CONF_HOTSPOTS,
    CONF_LEFT_OUT,
    CONF_VENDOR,
    DOMAIN,
    LOGGER,
    VENDOR_SMARTWIFI,
)
from .devices import follow_title

if TYPE_CHECKING:
    from .data import GuestWifiConfigEntry

VENDOR_TITLE = "SmartWiFi"


def _prefix(entry_id: str) -> str:
    return f"new_hotspot_{entry_id}_"


@callback
def async_found(
    hass: HomeAssistant, entry: GuestWifiConfigEntry, at_vendor: Mapping[str, str]
) -> None:
    """The account poll listed these hotspots (id to name): add or offer new ones."""
    held = entry.runtime_data.hotspots
    left_out = set(entry.data.get(CONF_LEFT_OUT) or ())
    new = {
        hotspot_id: name
        for hotspot_id, name in at_vendor.items()
        if hotspot_id not in held and hotspot_id not in left_out
    }
    if new and entry.data.get(CONF_ADD_NEW_HOTSPOTS):
        # Not while the entry starts: a reload then would race its set-up.
        # The next poll adds them.
        if entry.state is ConfigEntryState.LOADED:
            _add(hass, entry, new)
        new = {}
    _offer(hass, entry, new, left_out)


@callback
def _add(hass: HomeAssistant, entry: GuestWifiConfigEntry, new: dict[str, str]) -> None:
    """Hold the new hotspots; the reload makes their devices and entities."""
    old: dict[str, str] = dict(entry.data[CONF_HOTSPOTS])
    hotspots = {**old, **new}
    LOGGER.info(
        "Adding the new hotspots %s to %s", ", ".join(new.values()), entry.title
    )
    hass.config_entries.async_update_entry(
        entry,
        data={**entry.data, CONF_HOTSPOTS: hotspots},
        title=follow_title(entry.title, VENDOR_TITLE, old.values(), hotspots.values()),
    )
    hass.config_entries.async_schedule_reload(entry.entry_id)


@callback
def _offer(
    hass: HomeAssistant,
    entry: GuestWifiConfigEntry,
    new: dict[str, str],
    left_out: set[str],
) -> None:
    """One notice per new hotspot; a left-out one's (ignored) notice stays."""
    prefix = _prefix(entry.entry_id)
    offered = {f"{prefix}{hotspot_id}": name for hotspot_id, name in new.items()}
    kept = {f"{prefix}{hotspot_id}" for hotspot_id in left_out}
    for domain, issue_id in list(ir.async_get(hass).issues):
        if (
            domain == DOMAIN
            and issue_id.startswith(prefix)
            and issue_id not in offered
            and issue_id not in kept
        ):
            ir.async_delete_issue(hass, DOMAIN, issue_id)
    for issue_id, name in offered.items():
        _create(hass, entry, issue_id, name)


def _create(
    hass: HomeAssistant, entry: GuestWifiConfigEntry, issue_id: str, name: str
) -> None:
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id,
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key="new_hotspot",
        translation_placeholders={"title": entry.title, "hotspot": name},
    )


@callback
def async_dropped(
    hass: HomeAssistant, entry: GuestWifiConfigEntry, dropped: Mapping[str, str]
) -> None:
    """The owner unticked these hotspots (id to name): do not offer them back.

    Entries from before the owner's choice was kept (no left-out hotspots)
    remember it as an ignored notice.
    """
    if entry.data[CONF_VENDOR] != VENDOR_SMARTWIFI:
        return
    for hotspot_id, name in dropped.items():
        issue_id = f"{_prefix(entry.entry_id)}{hotspot_id}"
        _create(hass, entry, issue_id, name)
        ir.async_ignore_issue(hass, DOMAIN, issue_id, True)


@callback
def async_forget(hass: HomeAssistant, entry_id: str) -> None:
    """The entry is gone: so are its notices."""
    prefix = _prefix(entry_id)
    for domain, issue_id in list(ir.async_get(hass).issues):
        if domain == DOMAIN and issue_id.startswith(prefix):
            ir.async_delete_issue(hass, DOMAIN, issue_id)
