"""A tracker per guest MAC, disabled by default as core does for MACs without a device."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from homeassistant.components.device_tracker import ScannerEntity
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.device_registry import format_mac
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_track_time_interval

from .const import CONF_TRACK_GUESTS, DOMAIN, TRACK_NONE
from .data import GuestWifiConfigEntry
from .guests import GuestPresence

PARALLEL_UPDATES = 0
CLEANUP_INTERVAL = timedelta(hours=6)


def tracker_unique_id(entry: GuestWifiConfigEntry, mac: str) -> str:
    """Per entry, so one MAC seen by two accounts is two trackers."""
    return f"{entry.entry_id}_{format_mac(mac)}"


def _registry_macs(hass: HomeAssistant, entry: GuestWifiConfigEntry) -> dict[str, str]:
    """MAC to entity id of this entry's trackers in the registry."""
    prefix = f"{entry.entry_id}_"
    return {
        reg.unique_id.removeprefix(prefix): reg.entity_id
        for reg in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if reg.domain == Platform.DEVICE_TRACKER and reg.unique_id.startswith(prefix)
    }


async def async_setup_entry(
    hass: HomeAssistant,
    entry: GuestWifiConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Restore known trackers, add new ones as guests appear, forget stale ones."""
    registry = er.async_get(hass)
    presence = entry.runtime_data.presence
    in_registry = _registry_macs(hass, entry)

    if presence is None or entry.options.get(CONF_TRACK_GUESTS) == TRACK_NONE:
        for entity_id in in_registry.values():
            registry.async_remove(entity_id)
        return

    tracked: set[str] = set()

    @callback
    def forget_stale(*_: Any) -> None:
        stale = presence.stale_macs()
        for mac in stale:
            entity_id = registry.async_get_entity_id(
                Platform.DEVICE_TRACKER, DOMAIN, tracker_unique_id(entry, mac)
            )
            if entity_id is not None:
                registry.async_remove(entity_id)
            in_registry.pop(mac, None)  # not restored below
            # Should the guest come back, they get a tracker again.
            tracked.discard(mac)
        presence.forget(stale)

    forget_stale()

    @callback
    def add(macs: Any) -> None:
        new = [mac for mac in macs if mac not in tracked]
        tracked.update(new)
        async_add_entities(GuestTracker(presence, mac) for mac in new)

    add({*in_registry, *presence.seen})
    entry.async_on_unload(presence.async_on_new_guests(add))
    entry.async_on_unload(
        async_track_time_interval(hass, forget_stale, CLEANUP_INTERVAL)
    )


class GuestTracker(ScannerEntity):
    """A guest's phone or laptop on one of the account's hotspots."""

    _attr_should_poll = False
    _attr_translation_key = "guest"

    def __init__(self, presence: GuestPresence, mac: str) -> None:
        """Track one MAC."""
        self._presence = presence
        self._attr_mac_address = mac
        self._attr_unique_id = tracker_unique_id(presence.entry, mac)
        self._attr_name = mac

    @property
    def unique_id(self) -> str | None:
        """Entry and MAC (the base class would use the bare MAC)."""
        return self._attr_unique_id

    @property
    def is_connected(self) -> bool:
        """Home while connected, and for `consider_home` after."""
        return self._presence.is_home(self._attr_mac_address or "")

    @property
    def ip_address(self) -> str | None:
        """The guest's last address."""
        seen = self._presence.seen.get(self._attr_mac_address or "")
        return seen.ip if seen else None

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Where and as whom the guest was last seen."""
        seen = self._presence.seen.get(self._attr_mac_address or "")
        if seen is None:
            return {}
        hotspots = self._presence.entry.runtime_data.hotspot_names
        return {
            "hotspot": hotspots.get(seen.hotspot_id, seen.hotspot_id),
            "username": seen.username,
            "connected_since": seen.connected_since,
        }

    async def async_added_to_hass(self) -> None:
        """Follow the guest's presence."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self._presence.async_track(
                self._attr_mac_address or "", self.async_write_ha_state
            )
        )
