"""A tracker per guest MAC, disabled by default as core has it, with no device of its own.

Every tracker is an entry in Home Assistant's entity registry, read at every
start whether enabled or not, and a removed one stays among the registry's
deleted entities for as long as the config entry lives. A venue that sees
thousands of guests a day, many of them phones that give each visit a new
random MAC, would fill the registry with passers-by. So trackers are bounded
twice: by default only returning guests get one (`track_guests: returning`),
and whatever the choice an entry keeps at most `MAX_GUEST_TRACKERS` (the
flood guard): beyond it new guests get none, and a repair issue says why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
import re
from typing import Any

from homeassistant.components.device_tracker.const import (
    DOMAIN as DEVICE_TRACKER_DOMAIN,
)
from homeassistant.components.device_tracker.entity import ScannerEntity
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.device_registry import DeviceInfo, format_mac
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.util import dt as dt_util, slugify

from .const import (
    CONF_EXPOSE_CONTACT_DETAILS,
    CONF_TRACK_GUESTS,
    DEFAULT_TRACK_GUESTS,
    DOMAIN,
    MAX_GUEST_TRACKERS,
    TRACK_NONE,
    TRACK_RETURNING,
)
from .data import GuestWifiConfigEntry
from .guests import GuestPresence, shown_username
from .identity import where_named
from .issues import async_clear_too_many_guest_trackers, async_too_many_guest_trackers
from .steps import in_steps
from .vendors import guests_of

PARALLEL_UPDATES = 0
CLEANUP_INTERVAL = timedelta(hours=6)
# Trackers removed per step: core takes up to half a millisecond for each.
TRACKERS_PER_STEP = 100
# A tracker still disabled as it was made: nobody chose to follow the guest.
_UNTOUCHED = er.RegistryEntryDisabler.INTEGRATION

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


def _registry_trackers(
    hass: HomeAssistant, entry: GuestWifiConfigEntry
) -> dict[str, er.RegistryEntry]:
    """MAC to registry entry of this entry's trackers."""
    prefix = f"{entry.entry_id}_"
    return {
        reg.unique_id.removeprefix(prefix): reg
        for reg in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if reg.domain == Platform.DEVICE_TRACKER and reg.unique_id.startswith(prefix)
    }


def _remove_tracker(
    registry: er.EntityRegistry, entity_id: str, unique_id: str
) -> None:
    """Remove a tracker, and with it all trace of a guest nobody chose to follow.

    Core keeps a removed entity's settings while its entry lives, to restore
    them should it come back: for every passer-by they would pile up in the
    registry for good. Trackers the user touched keep theirs.

    No public call forgets them. In Home Assistant 2026.6 to 2026.11 the
    entity registry drops a deleted entity only when it is re-created
    (`async_get_or_create` pops it) or, orphaned, 30 days after its config
    entry went (`async_purge_expired_orphaned_entities`); nothing takes one
    key while the entry lives. So this reads and edits `deleted_entities`,
    a dict keyed by (domain, platform, unique id) whose values keep
    `disabled_by`; `async_remove` has just scheduled the save that writes the
    edit. Should core rename it, change its key or drop `disabled_by`, this
    fails with an AttributeError or, worse, finds nothing and lets passers-by
    pile up again: tests/test_guest_trackers_at_scale.py
    (test_core_keeps_removed_trackers_as_we_read_them) checks that contract
    on every version the tests run against.
    """
    registry.async_remove(entity_id)
    key = (Platform.DEVICE_TRACKER, DOMAIN, unique_id)
    deleted = registry.deleted_entities.get(key)
    if deleted is not None and deleted.disabled_by is _UNTOUCHED:
        del registry.deleted_entities[key]


async def async_setup_entry(
    hass: HomeAssistant,
    entry: GuestWifiConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Restore known trackers, add new ones as guests qualify, forget stale ones."""
    runtime = guests_of(entry)
    in_registry = _registry_trackers(hass, entry)
    choice = entry.options.get(CONF_TRACK_GUESTS, DEFAULT_TRACK_GUESTS)

    if runtime is None or choice == TRACK_NONE:
        entry.async_create_task(
            hass,
            _remove_all(hass, entry, list(in_registry.values())),
            "guest_wifi remove every guest tracker",
        )
        return

    presence = runtime.presence
    trackers = _Trackers(hass, entry, presence, async_add_entities, set(in_registry))
    entry.async_on_unload(trackers.clear_issue)
    stale = set(presence.stale_macs())
    # A disabled tracker stays in the registry as it is: an entity of it
    # would cost the start and do nothing. Enabling one reloads the entry.
    async_add_entities(
        GuestTracker(presence, mac)
        for mac, reg in in_registry.items()
        if reg.disabled_by is None and mac not in stale
    )
    if choice == TRACK_RETURNING:
        entry.async_on_unload(
            presence.async_on_arrivals(
                lambda arrivals: trackers.add(returning_guests(arrivals))
            )
        )
    else:
        trackers.refill = lambda: presence.seen
        entry.async_on_unload(presence.async_on_arrivals(trackers.add))
    # Everyone remembered gets a tracker once the stale ones are gone.
    trackers.sweep(fill=True)
    entry.async_on_unload(
        async_track_time_interval(hass, trackers.sweep, CLEANUP_INTERVAL)
    )


def _running(entry: GuestWifiConfigEntry) -> bool:
    """Whether the entry still runs: a removal in steps stops when it unloads."""
    return entry.state in (ConfigEntryState.SETUP_IN_PROGRESS, ConfigEntryState.LOADED)


async def _remove_all(
    hass: HomeAssistant,
    entry: GuestWifiConfigEntry,
    in_registry: list[er.RegistryEntry],
) -> None:
    """Remove every tracker of the entry, a step at a time (`track_guests: none`).

    Should the entry unload first, the rest stay as they are: the next start
    removes them, or keeps them if the owner chose trackers again.
    """
    registry = er.async_get(hass)
    async for step in in_steps(in_registry, TRACKERS_PER_STEP):
        if not _running(entry):
            return
        for reg in step:
            _remove_tracker(registry, reg.entity_id, reg.unique_id)


class _Trackers:
    """The entry's trackers: who has one, new ones within the bound, stale ones gone."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: GuestWifiConfigEntry,
        presence: GuestPresence,
        add_entities: AddConfigEntryEntitiesCallback,
        tracked: set[str],
    ) -> None:
        """Start from the trackers in the registry."""
        self._hass = hass
        self._entry = entry
        self._presence = presence
        self._add_entities = add_entities
        self.tracked = tracked
        # Guests refused a tracker who get one once there is room (`all`:
        # everyone remembered; returning guests qualify at their next visit).
        self.refill: Callable[[], Iterable[str]] | None = None
        self._refused = False

    @callback
    def add(self, macs: Iterable[str]) -> None:
        """Give these guests a tracker, as far as the flood guard lets them."""
        new = [mac for mac in macs if mac not in self.tracked]
        if not new:
            return
        room = max(0, MAX_GUEST_TRACKERS - len(self.tracked))
        if len(new) > room:
            del new[room:]
            self._refused = True
            self._raise_issue()
        self.tracked.update(new)
        self._add_entities(GuestTracker(self._presence, mac) for mac in new)

    @callback
    def sweep(self, *_: Any, fill: bool = False) -> None:
        """Start forgetting stale guests; then, with `fill`, track everyone remembered."""
        self._entry.async_create_task(
            self._hass, self.forget_stale(fill=fill), "guest_wifi forget stale guests"
        )

    async def forget_stale(self, *, fill: bool = False) -> None:
        """Remove the trackers of guests not seen for `forget_after_days`.

        A step at a time: a big sweep would hold the event loop for seconds.
        Each step forgets its guests as their trackers go, so a sweep the
        unload cuts short leaves the rest as they were, for the next.
        """
        registry = er.async_get(self._hass)
        async for step in in_steps(self._presence.stale_macs(), TRACKERS_PER_STEP):
            if not _running(self._entry):
                return
            # Those seen again since the sweep began are no longer stale.
            for mac in self._presence.forget(step):
                unique_id = tracker_unique_id(self._entry, mac)
                if entity_id := registry.async_get_entity_id(
                    Platform.DEVICE_TRACKER, DOMAIN, unique_id
                ):
                    _remove_tracker(registry, entity_id, unique_id)
                # Should the guest come back, they get a tracker again.
                self.tracked.discard(mac)
        if self._refused and len(self.tracked) < MAX_GUEST_TRACKERS:
            self._refused = False
            self.clear_issue()
            fill = True
        if fill and self.refill is not None:
            self.add(self.refill())

    @callback
    def clear_issue(self) -> None:
        """No guest is refused a tracker (any more, or while the entry is off)."""
        async_clear_too_many_guest_trackers(self._hass, self._entry)

    def _raise_issue(self) -> None:
        async_too_many_guest_trackers(
            self._hass,
            self._entry,
            limit=MAX_GUEST_TRACKERS,
            days=self._presence.forget_after.days,
        )


def returning_guests(arrivals: Mapping[str, datetime | None]) -> list[str]:
    """The arrivals last seen before today: regulars, not passers-by.

    Not phones that give each visit a new random MAC either. A session that
    runs past midnight is one visit; after a restart, a guest's last visit is
    when the guest store last saw them.
    """
    today = dt_util.start_of_local_day()
    return [mac for mac, before in arrivals.items() if before and before < today]


class GuestTracker(ScannerEntity):
    """A guest's phone or laptop on one of the account's hotspots.

    Named after the guest's username when the vendor gives one, with the
    hotspot they were last seen on ("lucas2 (Lobby)"), else "Guest" and the
    MAC. With no device (the usual case) that name is the whole
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
        hotspots = self._presence.venue.hotspot_names
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
            hotspots = self._presence.venue.hotspot_names
            self._attr_name = where_named(name, hotspots.get(seen.hotspot_id))
        elif hasattr(self, "_attr_name"):
            del self._attr_name  # back to the translated "Guest <MAC>"

    @callback
    def _presence_changed(self) -> None:
        self._follow_username()
        self.async_write_ha_state()

    async def async_prepare_to_add_to_hass(self) -> None:
        """Say which device the tracker has, where core asks (2026.11 and later)."""
        if _CORE_READS_DEVICE_INFO and self._attr_mac_address:
            # Typed None before 2026.11, where core never reads it.
            self._attr_device_info = tracked_device(  # type: ignore[assignment,unused-ignore]
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
