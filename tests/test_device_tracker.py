"""Device trackers: one per guest MAC and entry, home while connected and a while after."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.device_tracker import ATTR_SOURCE_TYPE, SourceType
from homeassistant.config_entries import RELOAD_AFTER_UPDATE_DELAY
from homeassistant.const import STATE_HOME, STATE_NOT_HOME, STATE_UNAVAILABLE, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.guest_wifi.const import (
    DOMAIN,
    EVENT_GUEST_CONNECTED,
    EVENT_GUEST_DISCONNECTED,
)
from custom_components.guest_wifi.device_tracker import tracked_device

from .conftest import poll, setup_entry
from .fakes import SMARTWIFI_TOKEN, WIWIZ_KEY, FakeSmartWifi, FakeWiwiz
from .test_guest_store import single_file, stored_guests

pytestmark = pytest.mark.usefixtures("frozen")

ROME = ZoneInfo("Europe/Rome")
ALICE = "aa:bb:cc:00:00:01"  # on the fake Wiwiz account's HS1
ALICE_TRACKER = "device_tracker.aa_bb_cc_00_00_01"
BOB = "aa:bb:cc:00:00:02"
BOB_TRACKER = "device_tracker.aa_bb_cc_00_00_02"
CAROL = "aa:bb:cc:00:00:03"
LOBBY_GUEST = "aa:bb:cc:dd:ee:01"  # on the fake SmartWiFi account's Lobby
LOBBY_TRACKER = "device_tracker.aa_bb_cc_dd_ee_01"


@pytest.fixture
def wiwiz_entry(hass: HomeAssistant, wiwiz_entry: MockConfigEntry) -> MockConfigEntry:
    """An entry from before `returning` was the default: it tracks every guest.

    (Migrating such entries writes `track_guests: all`; these tests are about
    what a tracker does, not which guests get one.)
    """
    set_options(hass, wiwiz_entry, track_guests="all")
    return wiwiz_entry


@pytest.fixture
def smartwifi_entry(
    hass: HomeAssistant, smartwifi_entry: MockConfigEntry
) -> MockConfigEntry:
    """As `wiwiz_entry`."""
    set_options(hass, smartwifi_entry, track_guests="all")
    return smartwifi_entry


def remembered_trackers(
    hass: HomeAssistant, entry: MockConfigEntry, macs: Iterable[str]
) -> None:
    """Trackers the entity registry keeps from an earlier run, as Home Assistant starts."""
    registry = er.async_get(hass)
    for mac in macs:
        registry.async_get_or_create(
            Platform.DEVICE_TRACKER,
            DOMAIN,
            f"{entry.entry_id}_{mac}",
            config_entry=entry,
            suggested_object_id=mac.replace(":", "_"),
        )


def trackers(
    hass: HomeAssistant, entry: MockConfigEntry
) -> dict[str, er.RegistryEntry]:
    """The entry's trackers in the entity registry, by unique id."""
    return {
        reg.unique_id: reg
        for reg in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if reg.domain == Platform.DEVICE_TRACKER
    }


async def enable_trackers(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, entry: MockConfigEntry
) -> None:
    """Enable the entry's trackers as a user does; Home Assistant then reloads it."""
    registry = er.async_get(hass)
    for reg in trackers(hass, entry).values():
        registry.async_update_entity(reg.entity_id, disabled_by=None)
    await poll(hass, freezer, RELOAD_AFTER_UPDATE_DELAY + 1)
    assert all(reg.disabled_by is None for reg in trackers(hass, entry).values())


def set_options(hass: HomeAssistant, entry: MockConfigEntry, **options: Any) -> None:
    """Change options (a loaded entry keeps them until it is reloaded)."""
    hass.config_entries.async_update_entry(entry, options={**entry.options, **options})


async def change_options(
    hass: HomeAssistant, entry: MockConfigEntry, **options: Any
) -> None:
    """Change options as the options flow does: the entry reloads."""
    set_options(hass, entry, **options)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()


# --- creation and attributes ---------------------------------------------------


@pytest.mark.parametrize(
    ("vendor", "mac", "entity_id"),
    [("wiwiz", ALICE, ALICE_TRACKER), ("smartwifi", LOBBY_GUEST, LOBBY_TRACKER)],
)
async def test_tracker_created_disabled(
    hass: HomeAssistant,
    request: pytest.FixtureRequest,
    vendor: str,
    mac: str,
    entity_id: str,
) -> None:
    """A connected guest gets a tracker keyed by entry and MAC, off until enabled."""
    request.getfixturevalue(vendor)
    entry = request.getfixturevalue(f"{vendor}_entry")
    await setup_entry(hass, entry)

    found = trackers(hass, entry)
    assert list(found) == [f"{entry.entry_id}_{mac}"]
    reg = found[f"{entry.entry_id}_{mac}"]
    assert reg.entity_id == entity_id
    assert reg.platform == DOMAIN
    assert reg.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert hass.states.get(entity_id) is None


async def test_wiwiz_tracker_state_and_attributes(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """Enabled, the tracker is home and says where and as whom the guest is."""
    await setup_entry(hass, wiwiz_entry)
    await enable_trackers(hass, frozen, wiwiz_entry)

    state = hass.states.get(ALICE_TRACKER)
    assert state.state == STATE_HOME
    assert state.attributes[ATTR_SOURCE_TYPE] is SourceType.ROUTER
    assert state.attributes["ip"] == "10.0.0.11"
    assert state.attributes["mac"] == ALICE
    assert state.attributes["hotspot"] == "HS1"
    assert state.attributes["username"] == "alice"
    # Wiwiz's naive 09:00:00 is the venue's wall clock.
    assert state.attributes["connected_since"] == datetime(2026, 11, 23, 9, tzinfo=ROME)
    assert WIWIZ_KEY not in str(state.attributes)


async def test_smartwifi_tracker_state_and_attributes(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
) -> None:
    """SmartWiFi gives no IP; the hotspot shows by name; no contact details."""
    await setup_entry(hass, smartwifi_entry)
    await enable_trackers(hass, frozen, smartwifi_entry)

    state = hass.states.get(LOBBY_TRACKER)
    assert state.state == STATE_HOME
    assert state.attributes[ATTR_SOURCE_TYPE] is SourceType.ROUTER
    assert "ip" not in state.attributes
    assert state.attributes["hotspot"] == "Lobby"
    assert state.attributes["username"] == "AA-BB-CC-DD-EE-01"
    assert state.attributes["connected_since"] == datetime.fromisoformat(
        "2026-11-23T09:00:00+00:00"
    )
    assert "a@example.com" not in str(state.attributes)
    assert "email" not in state.attributes
    assert SMARTWIFI_TOKEN not in str(state.attributes)


async def test_new_guest_gets_a_tracker(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """A guest first seen in a later poll gets a tracker too."""
    await setup_entry(hass, wiwiz_entry)
    wiwiz.connect(
        "HS2",
        "aa:bb:cc:00:00:02",
        ip="10.0.1.5",
        username="bob",
        start_time="2026-11-23 12:00:30",
    )
    await poll(hass, frozen)

    found = trackers(hass, wiwiz_entry)
    assert set(found) == {
        f"{wiwiz_entry.entry_id}_{ALICE}",
        f"{wiwiz_entry.entry_id}_{BOB}",
    }
    assert found[f"{wiwiz_entry.entry_id}_{BOB}"].entity_id == BOB_TRACKER
    assert found[f"{wiwiz_entry.entry_id}_{BOB}"].disabled_by is not None

    await enable_trackers(hass, frozen, wiwiz_entry)
    state = hass.states.get(BOB_TRACKER)
    assert state.state == STATE_HOME
    assert state.attributes["ip"] == "10.0.1.5"
    assert state.attributes["hotspot"] == "HS2"
    assert state.attributes["username"] == "bob"
    assert state.attributes["connected_since"] == datetime(
        2026, 11, 23, 12, 0, 30, tzinfo=ROME
    )
    assert hass.states.get(ALICE_TRACKER).state == STATE_HOME


async def test_tracker_follows_guest_to_another_hotspot(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """The guest moves to another hotspot: same tracker, new attributes."""
    await setup_entry(hass, wiwiz_entry)
    await enable_trackers(hass, frozen, wiwiz_entry)

    wiwiz.disconnect("HS1", "AA-BB-CC-00-00-01")
    wiwiz.connect(
        "HS2",
        "AA-BB-CC-00-00-01",
        ip="10.0.1.9",
        username="alice",
        start_time="2026-11-23 12:01:00",
    )
    await poll(hass, frozen)

    state = hass.states.get(ALICE_TRACKER)
    assert state.state == STATE_HOME
    assert state.attributes["hotspot"] == "HS2"
    assert state.attributes["ip"] == "10.0.1.9"
    assert len(trackers(hass, wiwiz_entry)) == 1


async def test_session_without_usable_mac_is_not_tracked(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """A session with no MAC (or garbage) counts as online, but has no tracker or event."""
    await setup_entry(hass, wiwiz_entry)
    connected = async_capture_events(hass, EVENT_GUEST_CONNECTED)

    wiwiz.connect("HS2", "", ip="10.0.1.20")
    wiwiz.connect("HS2", "not-a-mac", ip="10.0.1.21")
    await poll(hass, frozen)

    assert hass.states.get("sensor.hs2_online_guests").state == "2"
    assert list(trackers(hass, wiwiz_entry)) == [f"{wiwiz_entry.entry_id}_{ALICE}"]
    assert connected == []


# --- devices ----------------------------------------------------------------------


async def test_guest_tracker_has_no_device(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """A guest is no device: the entry's devices are its hotspots and account."""
    await setup_entry(hass, wiwiz_entry)
    await enable_trackers(hass, frozen, wiwiz_entry)

    assert hass.states.get(ALICE_TRACKER).state == STATE_HOME
    assert (
        trackers(hass, wiwiz_entry)[f"{wiwiz_entry.entry_id}_{ALICE}"].device_id is None
    )
    devices = dr.async_entries_for_config_entry(
        dr.async_get(hass), wiwiz_entry.entry_id
    )
    assert sorted(identifier for d in devices for _, identifier in d.identifiers) == [
        "wiwiz_HS1",
        "wiwiz_HS2",
        "wiwiz_account_wiwiz_HS1",
    ]
    assert all(not d.connections for d in devices)


async def test_tracker_of_a_known_mac_joins_its_device(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """A MAC Home Assistant knows from another integration: the tracker is on it.

    As core's own trackers: until 2026.8 on that very device, which the entry
    joins; from then on a device of the entry's own with that MAC. The other
    integration's device is left as it was.
    """
    router = MockConfigEntry(domain="router", title="Router")
    router.add_to_hass(hass)
    devices = dr.async_get(hass)
    phone = devices.async_get_or_create(
        config_entry_id=router.entry_id,
        connections={(dr.CONNECTION_NETWORK_MAC, ALICE)},
        name="Alice's phone",
    )

    await setup_entry(hass, wiwiz_entry)
    await enable_trackers(hass, frozen, wiwiz_entry)

    assert hass.states.get(ALICE_TRACKER).state == STATE_HOME
    tracker = trackers(hass, wiwiz_entry)[f"{wiwiz_entry.entry_id}_{ALICE}"]
    device = devices.async_get(tracker.device_id)
    assert (dr.CONNECTION_NETWORK_MAC, ALICE) in device.connections
    assert not any(domain == DOMAIN for domain, _ in device.identifiers)
    phone_now = devices.async_get(phone.id)
    assert phone_now.name == "Alice's phone"
    assert phone_now.identifiers == phone.identifiers


@pytest.mark.skipif(
    not hasattr(dr.DeviceRegistry, "async_get_devices"),
    reason="asked from Home Assistant 2026.11 on, of its registry (2026.8 and later)",
)
async def test_tracked_device(
    hass: HomeAssistant, wiwiz_entry: MockConfigEntry
) -> None:
    """What a tracker tells Home Assistant of its device, where it is asked."""
    mac = dr.CONNECTION_NETWORK_MAC
    assert tracked_device(hass, wiwiz_entry.entry_id, ALICE) == DeviceInfo()

    router = MockConfigEntry(domain="router", title="Router")
    router.add_to_hass(hass)
    devices = dr.async_get(hass)
    devices.async_get_or_create(
        config_entry_id=router.entry_id, connections={(mac, ALICE)}, name="Phone"
    )
    assert tracked_device(hass, wiwiz_entry.entry_id, ALICE.upper()) == DeviceInfo(
        connections={(mac, ALICE)}, name=ALICE
    )

    # The entry has it already: its name (maybe the user's) is left alone.
    devices.async_get_or_create(
        config_entry_id=wiwiz_entry.entry_id, connections={(mac, ALICE)}
    )
    assert tracked_device(hass, wiwiz_entry.entry_id, ALICE) == DeviceInfo(
        connections={(mac, ALICE)}
    )


# --- presence -------------------------------------------------------------------


async def test_consider_home(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """A guest who left stays home for `consider_home`, then is away."""
    set_options(hass, wiwiz_entry, consider_home=120)
    await setup_entry(hass, wiwiz_entry)
    await enable_trackers(hass, frozen, wiwiz_entry)
    assert hass.states.get(ALICE_TRACKER).state == STATE_HOME

    wiwiz.disconnect("HS1", "AA-BB-CC-00-00-01")
    await poll(hass, frozen, 60)  # the poll that sees the guest gone
    assert hass.states.get(ALICE_TRACKER).state == STATE_HOME
    await poll(hass, frozen, 100)  # 100 s after leaving
    assert hass.states.get(ALICE_TRACKER).state == STATE_HOME

    await poll(hass, frozen, 36)  # 136 s: past consider_home and one sweep
    assert hass.states.get(ALICE_TRACKER).state == STATE_NOT_HOME

    # Back again with a new session: home at the next poll.
    wiwiz.connect(
        "HS1", "AA-BB-CC-00-00-01", ip="10.0.0.12", start_time="2026-11-23 12:04:00"
    )
    await poll(hass, frozen, 60)
    assert hass.states.get(ALICE_TRACKER).state == STATE_HOME
    assert hass.states.get(ALICE_TRACKER).attributes["ip"] == "10.0.0.12"


async def test_guest_listed_again_with_same_session_is_home(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """Wiwiz drops a session from its list for a while, then lists it again."""
    set_options(hass, wiwiz_entry, consider_home=60)
    await setup_entry(hass, wiwiz_entry)
    await enable_trackers(hass, frozen, wiwiz_entry)

    record = wiwiz.hotspots["HS1"]["conn"][0]
    wiwiz.disconnect("HS1", "AA-BB-CC-00-00-01")
    await poll(hass, frozen, 60)
    await poll(hass, frozen, 90)
    assert hass.states.get(ALICE_TRACKER).state == STATE_NOT_HOME

    wiwiz.hotspots["HS1"]["conn"].append(record)  # the very same session
    await poll(hass, frozen, 60)

    assert entry_presence(wiwiz_entry).is_home(ALICE)
    assert hass.states.get(ALICE_TRACKER).state == STATE_HOME


async def test_return_within_consider_home_stays_home(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
) -> None:
    """A guest back before `consider_home` ran out is never away."""
    await setup_entry(hass, smartwifi_entry)  # default consider_home: 180 s
    await enable_trackers(hass, frozen, smartwifi_entry)
    changes: list[str] = []
    hass.bus.async_listen(
        "state_changed",
        lambda e: (
            changes.append(e.data["new_state"].state)
            if e.data["entity_id"] == LOBBY_TRACKER
            else None
        ),
    )

    smartwifi.disconnect("AA-BB-CC-DD-EE-01")
    await poll(hass, frozen, 60)
    smartwifi.connect("Lobby", "AA-BB-CC-DD-EE-01", date="2026-11-23T11:02:00+00:00")
    await poll(hass, frozen, 60)
    await poll(hass, frozen, 600)

    assert hass.states.get(LOBBY_TRACKER).state == STATE_HOME
    assert STATE_NOT_HOME not in changes


async def test_failed_poll_keeps_trackers(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """An outage shorter than `consider_home` is not every guest leaving."""
    set_options(hass, wiwiz_entry, consider_home=300)
    await setup_entry(hass, wiwiz_entry)
    await enable_trackers(hass, frozen, wiwiz_entry)

    wiwiz.fail(status=503)
    for _ in range(3):
        await poll(hass, frozen, 61)
    assert hass.states.get(ALICE_TRACKER).state == STATE_HOME

    wiwiz.recover()
    await poll(hass, frozen, 61)
    assert hass.states.get(ALICE_TRACKER).state == STATE_HOME
    assert hass.states.get(ALICE_TRACKER).attributes["ip"] == "10.0.0.11"


async def test_outage_longer_than_consider_home(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """Presence is unknown once the vendor is silent past `consider_home`.

    Trackers go unavailable, not home (the guest may have left) nor away (they
    may not have). When the vendor answers again: the guest who stayed is
    home with no event, the guest who left during the outage is away at once
    with a (late) disconnected event, the guest who came is home and connected.
    """
    wiwiz.connect("HS1", BOB, ip="10.0.0.12", username="bob")
    await setup_entry(hass, wiwiz_entry)  # default consider_home: 180 s
    await enable_trackers(hass, frozen, wiwiz_entry)
    connected = async_capture_events(hass, EVENT_GUEST_CONNECTED)
    disconnected = async_capture_events(hass, EVENT_GUEST_DISCONNECTED)
    answered = entry_presence(wiwiz_entry).connections.last_update_success_time

    wiwiz.fail(exc=TimeoutError())
    await poll(hass, frozen, 61)
    await poll(hass, frozen, 61)
    assert dt_util.utcnow() - answered < timedelta(seconds=180)
    assert hass.states.get(ALICE_TRACKER).state == STATE_HOME
    assert hass.states.get(BOB_TRACKER).state == STATE_HOME

    await poll(hass, frozen, 61)  # past consider_home (and one sweep)
    assert hass.states.get(ALICE_TRACKER).state == STATE_UNAVAILABLE
    assert hass.states.get(BOB_TRACKER).state == STATE_UNAVAILABLE
    for _ in range(30):  # an hour and a half more: still not known
        await poll(hass, frozen, 180)
    assert hass.states.get(ALICE_TRACKER).state == STATE_UNAVAILABLE

    wiwiz.disconnect("HS1", BOB)
    wiwiz.connect("HS2", CAROL, ip="10.0.1.7", username="carol")
    wiwiz.recover()
    await poll(hass, frozen, 180)

    assert hass.states.get(ALICE_TRACKER).state == STATE_HOME
    assert hass.states.get(BOB_TRACKER).state == STATE_NOT_HOME
    assert [e.data["mac"] for e in disconnected] == [BOB]
    assert [e.data["mac"] for e in connected] == [CAROL]
    assert entry_presence(wiwiz_entry).is_home(CAROL)
    # Bob was last seen before the outage, not when it ended.
    assert entry_presence(wiwiz_entry).seen[BOB].last_seen == answered


# --- restarts ---------------------------------------------------------------------


async def test_trackers_survive_reload_and_restart(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """After a reload or an unload and set-up, trackers are as they were; no events."""
    await setup_entry(hass, wiwiz_entry)
    await enable_trackers(hass, frozen, wiwiz_entry)
    before = trackers(hass, wiwiz_entry)
    attributes = dict(hass.states.get(ALICE_TRACKER).attributes)
    connected = async_capture_events(hass, EVENT_GUEST_CONNECTED)
    disconnected = async_capture_events(hass, EVENT_GUEST_DISCONNECTED)

    assert await hass.config_entries.async_reload(wiwiz_entry.entry_id)
    await hass.async_block_till_done()
    assert trackers(hass, wiwiz_entry) == before
    assert hass.states.get(ALICE_TRACKER).state == STATE_HOME
    assert dict(hass.states.get(ALICE_TRACKER).attributes) == attributes

    assert await hass.config_entries.async_unload(wiwiz_entry.entry_id)
    await hass.async_block_till_done()
    await poll(hass, frozen, 30)
    assert await hass.config_entries.async_setup(wiwiz_entry.entry_id)
    await hass.async_block_till_done()
    assert trackers(hass, wiwiz_entry) == before
    assert hass.states.get(ALICE_TRACKER).state == STATE_HOME
    assert dict(hass.states.get(ALICE_TRACKER).attributes) == attributes

    await poll(hass, frozen)
    assert connected == []
    assert disconnected == []


async def test_cold_start_restores_known_guests(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """Home Assistant starts with guests remembered from before, without events."""
    entry_id = wiwiz_entry.entry_id
    remembered_trackers(
        hass, wiwiz_entry, (ALICE, BOB, "aa:bb:cc:00:00:03", "aa:bb:cc:00:00:05")
    )
    hass_storage.update(
        single_file(
            entry_id,
            {
                # Still connected.
                ALICE: {
                    "hotspot_id": "HS1",
                    "last_seen": "2026-11-23T10:58:00+00:00",
                    "ip": "10.0.0.11",
                    "username": "alice",
                    "connected_since": "2026-11-23T08:00:00+00:00",
                },
                # Left a minute before the restart: home for a while yet.
                BOB: {
                    "hotspot_id": "HS2",
                    "last_seen": "2026-11-23T10:59:00+00:00",
                    "ip": "10.0.1.5",
                    "username": "bob",
                    "connected_since": "2026-11-23T09:30:00+00:00",
                },
                # Left yesterday.
                "aa:bb:cc:00:00:03": {
                    "hotspot_id": "HS2",
                    "last_seen": "2026-11-22T18:00:00+00:00",
                    "ip": "10.0.1.6",
                    "username": "carol",
                    "connected_since": None,
                },
                # A broken record costs nothing but itself.
                "aa:bb:cc:00:00:04": {"ip": "10.0.1.7"},
            },
        )
    )
    connected = async_capture_events(hass, EVENT_GUEST_CONNECTED)
    disconnected = async_capture_events(hass, EVENT_GUEST_DISCONNECTED)

    await setup_entry(hass, wiwiz_entry)

    assert hass.states.get(ALICE_TRACKER).state == STATE_HOME
    bob = hass.states.get(BOB_TRACKER)
    assert bob.state == STATE_HOME
    assert bob.attributes["hotspot"] == "HS2"
    assert bob.attributes["username"] == "bob"
    assert bob.attributes["ip"] == "10.0.1.5"
    carol = hass.states.get("device_tracker.aa_bb_cc_00_00_03")
    assert carol.state == STATE_NOT_HOME
    assert carol.attributes["username"] == "carol"
    # A tracker the store knows nothing of (store lost): away, nothing to show.
    unknown = hass.states.get("device_tracker.aa_bb_cc_00_00_05")
    assert unknown.state == STATE_NOT_HOME
    assert "hotspot" not in unknown.attributes
    assert "ip" not in unknown.attributes
    assert len(trackers(hass, wiwiz_entry)) == 4

    # Bob's consider_home (180 s from 10:59 UTC) runs out two minutes in.
    await poll(hass, frozen, 61)
    assert hass.states.get(BOB_TRACKER).state == STATE_HOME
    await poll(hass, frozen, 61)
    assert hass.states.get(BOB_TRACKER).state == STATE_NOT_HOME
    assert hass.states.get(ALICE_TRACKER).state == STATE_HOME
    assert connected == []
    assert disconnected == []


# --- options and entries ------------------------------------------------------------


async def test_track_guests_none_removes_trackers(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """Turning tracking off removes the trackers and makes no new ones."""
    await setup_entry(hass, wiwiz_entry)
    await enable_trackers(hass, frozen, wiwiz_entry)
    assert hass.states.get(ALICE_TRACKER) is not None

    await change_options(hass, wiwiz_entry, track_guests="none")

    assert trackers(hass, wiwiz_entry) == {}
    assert hass.states.get(ALICE_TRACKER) is None
    wiwiz.connect("HS2", "AA-BB-CC-00-00-02")
    await poll(hass, frozen)
    assert trackers(hass, wiwiz_entry) == {}

    # Back on: guests seen meanwhile get their trackers again.
    await change_options(hass, wiwiz_entry, track_guests="all")
    assert set(trackers(hass, wiwiz_entry)) == {
        f"{wiwiz_entry.entry_id}_{ALICE}",
        f"{wiwiz_entry.entry_id}_{BOB}",
    }


async def test_same_mac_in_two_entries(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    smartwifi: FakeSmartWifi,
    wiwiz_entry: MockConfigEntry,
    smartwifi_entry: MockConfigEntry,
) -> None:
    """One MAC seen by a Wiwiz and a SmartWiFi account is two trackers."""
    wiwiz.connect("HS2", "AA-BB-CC-DD-EE-01", ip="10.0.1.8", username="dora")
    await setup_entry(hass, wiwiz_entry)  # sets both entries up

    wiwiz_trackers = trackers(hass, wiwiz_entry)
    smartwifi_trackers = trackers(hass, smartwifi_entry)
    assert f"{wiwiz_entry.entry_id}_{LOBBY_GUEST}" in wiwiz_trackers
    assert f"{smartwifi_entry.entry_id}_{LOBBY_GUEST}" in smartwifi_trackers
    ids = {
        wiwiz_trackers[f"{wiwiz_entry.entry_id}_{LOBBY_GUEST}"].entity_id,
        smartwifi_trackers[f"{smartwifi_entry.entry_id}_{LOBBY_GUEST}"].entity_id,
    }
    assert len(ids) == 2

    await enable_trackers(hass, frozen, wiwiz_entry)
    await enable_trackers(hass, frozen, smartwifi_entry)
    hotspots = {hass.states.get(entity_id).attributes["hotspot"] for entity_id in ids}
    assert hotspots == {"HS2", "Lobby"}
    assert all(hass.states.get(entity_id).state == STATE_HOME for entity_id in ids)


async def test_same_mac_in_two_entries_of_one_vendor(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_entry: MockConfigEntry
) -> None:
    """Two Wiwiz accounts seeing one MAC: two trackers too."""
    other = MockConfigEntry(
        domain=DOMAIN,
        title="Wiwiz annex",
        unique_id="wiwiz_HS2",
        data={"vendor": "wiwiz", "userkey": WIWIZ_KEY, "hotspot_ids": ["HS1"]},
        options={"track_guests": "all"},
    )
    other.add_to_hass(hass)
    await setup_entry(hass, wiwiz_entry)

    assert list(trackers(hass, wiwiz_entry)) == [f"{wiwiz_entry.entry_id}_{ALICE}"]
    assert list(trackers(hass, other)) == [f"{other.entry_id}_{ALICE}"]


# --- forgetting --------------------------------------------------------------------


async def test_guests_not_seen_for_long_are_forgotten_at_start(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """Past `forget_after_days` a guest's tracker is removed; recent guests stay."""
    set_options(hass, wiwiz_entry, forget_after_days=7)
    await setup_entry(hass, wiwiz_entry)
    wiwiz.connect("HS2", "AA-BB-CC-00-00-02")
    await poll(hass, frozen)
    wiwiz.disconnect("HS1", "AA-BB-CC-00-00-01")
    await poll(hass, frozen)
    assert len(trackers(hass, wiwiz_entry)) == 2
    assert await hass.config_entries.async_unload(wiwiz_entry.entry_id)
    await hass.async_block_till_done()

    frozen.tick(timedelta(days=8))
    assert await hass.config_entries.async_setup(wiwiz_entry.entry_id)
    await hass.async_block_till_done()

    assert set(trackers(hass, wiwiz_entry)) == {f"{wiwiz_entry.entry_id}_{BOB}"}
    await hass.config_entries.async_unload(wiwiz_entry.entry_id)
    await hass.async_block_till_done()
    assert set(stored_guests(hass_storage, wiwiz_entry.entry_id)) == {BOB}


async def test_guests_not_seen_for_long_are_forgotten_while_running(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """The periodic clean-up removes trackers known since the last start."""
    set_options(hass, wiwiz_entry, forget_after_days=7)
    await setup_entry(hass, wiwiz_entry)
    assert await hass.config_entries.async_reload(wiwiz_entry.entry_id)
    await hass.async_block_till_done()
    wiwiz.disconnect("HS1", "AA-BB-CC-00-00-01")
    await poll(hass, frozen)

    await poll(hass, frozen, timedelta(days=6).total_seconds())
    assert f"{wiwiz_entry.entry_id}_{ALICE}" in trackers(hass, wiwiz_entry)
    await poll(hass, frozen, timedelta(days=1, hours=6).total_seconds())
    assert trackers(hass, wiwiz_entry) == {}


async def test_tracker_made_since_start_is_forgotten(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """A guest first seen after the last start is forgotten too."""
    set_options(hass, wiwiz_entry, forget_after_days=7)
    await setup_entry(hass, wiwiz_entry)
    wiwiz.connect("HS2", "AA-BB-CC-00-00-02")
    await poll(hass, frozen)
    wiwiz.disconnect("HS2", "AA-BB-CC-00-00-02")
    await poll(hass, frozen)
    assert f"{wiwiz_entry.entry_id}_{BOB}" in trackers(hass, wiwiz_entry)

    await poll(hass, frozen, timedelta(days=8).total_seconds())
    await poll(hass, frozen, timedelta(hours=6).total_seconds())
    assert f"{wiwiz_entry.entry_id}_{BOB}" not in trackers(hass, wiwiz_entry)

    # Nor does it come back at the next start.
    assert await hass.config_entries.async_reload(wiwiz_entry.entry_id)
    await hass.async_block_till_done()
    assert f"{wiwiz_entry.entry_id}_{BOB}" not in trackers(hass, wiwiz_entry)


async def test_forgotten_guest_who_returns_gets_a_tracker_again(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """Forgetting a guest does not stop tracking them when they come back."""
    set_options(hass, wiwiz_entry, forget_after_days=7)
    await setup_entry(hass, wiwiz_entry)
    assert await hass.config_entries.async_reload(wiwiz_entry.entry_id)
    await hass.async_block_till_done()
    wiwiz.disconnect("HS1", "AA-BB-CC-00-00-01")
    await poll(hass, frozen)
    await poll(hass, frozen, timedelta(days=8).total_seconds())
    await poll(hass, frozen, timedelta(hours=6).total_seconds())
    assert trackers(hass, wiwiz_entry) == {}

    wiwiz.connect("HS1", "AA-BB-CC-00-00-01", ip="10.0.0.11", username="alice")
    await poll(hass, frozen)

    assert f"{wiwiz_entry.entry_id}_{ALICE}" in trackers(hass, wiwiz_entry)


async def test_long_stay_is_not_mistaken_for_long_absence(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """A guest who stayed eight days and just left is not forgotten."""
    set_options(hass, wiwiz_entry, forget_after_days=7)
    await setup_entry(hass, wiwiz_entry)
    assert await hass.config_entries.async_reload(wiwiz_entry.entry_id)
    await hass.async_block_till_done()

    for _ in range(8):  # a daily glance over eight days: still connected
        await poll(hass, frozen, timedelta(days=1).total_seconds())
        assert entry_presence(wiwiz_entry).is_home(ALICE)
    wiwiz.disconnect("HS1", "AA-BB-CC-00-00-01")
    await poll(hass, frozen)
    await poll(hass, frozen, timedelta(hours=6).total_seconds())

    assert f"{wiwiz_entry.entry_id}_{ALICE}" in trackers(hass, wiwiz_entry)


def entry_presence(entry: MockConfigEntry) -> Any:
    """The entry's presence tracker."""
    return entry.runtime_data.presence


# --- names ---------------------------------------------------------------------


async def test_tracker_named_after_the_username(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """A username the vendor gives names the tracker; its entity id stays the MAC's."""
    await setup_entry(hass, wiwiz_entry)
    await enable_trackers(hass, frozen, wiwiz_entry)

    state = hass.states.get(ALICE_TRACKER)
    assert state.attributes["friendly_name"] == "alice (HS1)"
    assert state.attributes["hotspot"] == "HS1"
    assert state.attributes["hotspot_id"] == "HS1"

    # The next session comes with another username, then with none.
    wiwiz.disconnect("HS1", "AA-BB-CC-00-00-01")
    wiwiz.connect(
        "HS2", "AA-BB-CC-00-00-01", username="alice.b", start_time="2026-11-23 12:01:00"
    )
    await poll(hass, frozen)
    state = hass.states.get(ALICE_TRACKER)
    assert state.attributes["friendly_name"] == "alice.b (HS2)"
    assert state.attributes["hotspot_id"] == "HS2"

    wiwiz.disconnect("HS2", "AA-BB-CC-00-00-01")
    wiwiz.connect(
        "HS2", "AA-BB-CC-00-00-01", username="", start_time="2026-11-23 12:02:00"
    )
    await poll(hass, frozen)
    assert hass.states.get(ALICE_TRACKER).attributes["friendly_name"] == (
        f"Guest {ALICE}"
    )


async def test_tracker_without_a_username_is_guest_and_mac(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
) -> None:
    """SmartWiFi's identity is the MAC again: no name, so "Guest" and the MAC."""
    await setup_entry(hass, smartwifi_entry)
    await enable_trackers(hass, frozen, smartwifi_entry)

    state = hass.states.get(LOBBY_TRACKER)
    assert state.attributes["friendly_name"] == f"Guest {LOBBY_GUEST}"
    assert state.attributes["hotspot"] == "Lobby"
    assert state.attributes["hotspot_id"] == "12261"


@pytest.mark.parametrize("username", ["ann@example.com", "+39 333 123 4567"])
@pytest.mark.parametrize("expose", [False, True])
async def test_contact_details_name_a_tracker_only_when_exposed(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
    username: str,
    expose: bool,
) -> None:
    wiwiz.connect("HS2", BOB, ip="10.0.1.5", username=username)
    set_options(hass, wiwiz_entry, expose_contact_details=expose)
    await setup_entry(hass, wiwiz_entry)
    await enable_trackers(hass, frozen, wiwiz_entry)

    state = hass.states.get(BOB_TRACKER)
    assert state.attributes["friendly_name"] == (
        f"{username} (HS2)" if expose else f"Guest {BOB}"
    )
    assert state.attributes["username"] == (username if expose else None)
    assert (username in str(state.attributes)) is expose


async def test_existing_tracker_keeps_its_entity_id(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """A tracker from an older release (or renamed by the user) keeps its id."""
    er.async_get(hass).async_get_or_create(
        Platform.DEVICE_TRACKER,
        DOMAIN,
        f"{wiwiz_entry.entry_id}_{ALICE}",
        config_entry=wiwiz_entry,
        suggested_object_id="alices_phone",
        original_name=ALICE,
    )
    await setup_entry(hass, wiwiz_entry)

    state = hass.states.get("device_tracker.alices_phone")
    assert state.attributes["friendly_name"] == "alice (HS1)"
    assert hass.states.get(ALICE_TRACKER) is None
    assert len(trackers(hass, wiwiz_entry)) == 1
