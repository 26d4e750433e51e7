"""A tracker per guest MAC, disabled by default as core has it, with no device of its own."""

from __future__ import annotations

from datetime import timedelta
import re
from typing import Any

from homeassistant.components.device_tracker import (
    DOMAIN as DEVICE_TRACKER_DOMAIN,
    ScannerEntity,
)
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.device_registry import DeviceInfo, format_mac
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.util import slugify

from .const import CONF_EXPOSE_CONTACT_DETAILS, CONF_TRACK_GUESTS, DOMAIN, TRACK_NONE
from .data import GuestWifiConfigEntry
from .guests import GuestPresence, shown_username

PARALLEL_UPDATES = 0
CLEANUP_INTERVAL = timedelta(hours=6)

# Before Home Assistant 2026.11 a ScannerEntity's `device_info` is final and
# None: core gives a tracker the device of a MAC it knows, and no other. From
# 2026.11 core reads the tracker's device info, and without one makes a device
# for every MAC (until 2027.11, with a warning).
_CORE_READS_DEVICE_INFO = "device_info" not in ScannerEntity.__dict__


# SmartWiFi's identity is often the MAC again: no name to show.
_MAC = re.compile(r"^[0-9a-f]{2}([-:.]?[0-9a-f]{2}){5}$", re.IGNORECASE)


def guest_name(username: str | None, *, expose_contact_details: bool) -> str | None:
    """The username as a tracker's name, when it is one to show."""
    username = shown_username(username, expose_contact_details=expose_contact_details)
    if not username or _MAC.match(username):
        return None
    return username


def tracker_unique_id(entry: GuestWifiConfigEntry, mac: str) -> str:
    """Per entry, so one MAC seen by two accounts is two trackers."""
    return f"{entry.entry_id}_{format_mac(mac)}"


def tracked_device(hass: HomeAssistant, entry_id: str, mac: str) -> DeviceInfo:
    """The device of a guest's tracker: none, unless Home Assistant knows the MAC.

    A venue sees thousands of guests: a device each would bury the hotspots.
    A MAC some device already has (another integration's, say) gets a device
    of this entry with that MAC, as core's ScannerEntity gives it, named after
    the MAC only when new.
    """
    mac = format_mac(mac)
    connections = {(dr.CONNECTION_NETWORK_MAC, mac)}
    registry = dr.async_get(hass)
    if not registry.async_get_devices(connections=connections):
        return DeviceInfo()
    if registry.async_get_devices(connections=connections, config_entry_id=entry_id):
        return DeviceInfo(connections=connections)
    return DeviceInfo(connections=connections, name=mac)


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
    """A guest's phone or laptop on one of the account's hotspots.

    Named after the guest's username when the vendor gives one, else "Guest"
    and the MAC. With no device (the usual case) that name is the whole
    friendly name; on a device Home Assistant knows by the MAC, it follows
    the device's name.
    """

    _attr_has_entity_name = True
    _attr_should_poll = False
    _attr_translation_key = "guest"

    def __init__(self, presence: GuestPresence, mac: str) -> None:
        """Track one MAC."""
        self._presence = presence
        self._attr_mac_address = mac
        self._attr_unique_id = tracker_unique_id(presence.entry, mac)
        self._attr_translation_placeholders = {"mac": mac}
        # The entity id stays the MAC's, as before trackers had a friendly
        # name: a username is the guest's to change, and not unique.
        self.entity_id = f"{DEVICE_TRACKER_DOMAIN}.{slugify(mac)}"
        self._follow_username()

    @property
    def unique_id(self) -> str | None:
        """Entry and MAC (the base class would use the bare MAC)."""
        return self._attr_unique_id

    @property
    def available(self) -> bool:
        """Not while the vendor has been silent for longer than `consider_home`."""
        return self._presence.presence_known

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
        expose = self._presence.entry.options.get(CONF_EXPOSE_CONTACT_DETAILS, False)
        return {
            "hotspot": hotspots.get(seen.hotspot_id, seen.hotspot_id),
            "hotspot_id": seen.hotspot_id,
            "username": shown_username(seen.username, expose_contact_details=expose),
            "connected_since": seen.connected_since,
        }

    def _follow_username(self) -> None:
        """Name the tracker after the username the vendor last gave, if any."""
        seen = self._presence.seen.get(self._attr_mac_address or "")
        expose = self._presence.entry.options.get(CONF_EXPOSE_CONTACT_DETAILS, False)
        if seen is not None and (
            name := guest_name(seen.username, expose_contact_details=expose)
        ):
            self._attr_name = name
        elif hasattr(self, "_attr_name"):
            del self._attr_name  # back to the translated "Guest <MAC>"

    @callback
    def _presence_changed(self) -> None:
        self._follow_username()
        self.async_write_ha_state()

    async def async_prepare_to_add_to_hass(self) -> None:
        """Say which device the tracker has, where core asks (2026.11 and later)."""
        if _CORE_READS_DEVICE_INFO and self._attr_mac_address:
            self._attr_device_info = tracked_device(
                self.hass, self._presence.entry.entry_id, self._attr_mac_address
            )
        await super().async_prepare_to_add_to_hass()

    async def async_added_to_hass(self) -> None:
        """Follow the guest's presence."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self._presence.async_track(
                self._attr_mac_address or "", self._presence_changed
            )
        )
