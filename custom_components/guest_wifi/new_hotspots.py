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

from .const import (
    CONF_ADD_NEW_HOTSPOTS,
    CONF_HOTSPOTS,
    CONF_LEFT_OUT,
    CONF_VENDOR,
    LOGGER,
    VENDOR_SMARTWIFI,
)
from .devices import follow_title
from .issues import async_keep_new_hotspots, async_new_hotspot

if TYPE_CHECKING:
    from .data import GuestWifiConfigEntry


@callback
def async_found(
    hass: HomeAssistant,
    entry: GuestWifiConfigEntry,
    at_vendor: Mapping[str, str],
    vendor_title: str,
) -> None:
    """The account poll listed these hotspots (id to name): add or offer new ones.

    `vendor_title`: how the entry's title starts, which follows the hotspots.
    """
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
            _add(hass, entry, new, vendor_title)
        new = {}
    _offer(hass, entry, new, left_out)


@callback
def _add(
    hass: HomeAssistant,
    entry: GuestWifiConfigEntry,
    new: dict[str, str],
    vendor_title: str,
) -> None:
    """Hold the new hotspots; the reload makes their devices and entities."""
    old: dict[str, str] = dict(entry.data[CONF_HOTSPOTS])
    hotspots = {**old, **new}
    LOGGER.info(
        "Adding the new hotspots %s to %s", ", ".join(new.values()), entry.title
    )
    hass.config_entries.async_update_entry(
        entry,
        data={**entry.data, CONF_HOTSPOTS: hotspots},
        title=follow_title(entry.title, vendor_title, old.values(), hotspots.values()),
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
    async_keep_new_hotspots(hass, entry.entry_id, set(new) | left_out)
    for hotspot_id, name in new.items():
        async_new_hotspot(hass, entry, hotspot_id, name)


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
        async_new_hotspot(hass, entry, hotspot_id, name, ignored=True)
