"""Presence rules at their edges: `consider_home` 0, a new session, saves between polls.

Each rule here changed nothing any other test saw (a mutation run left it
standing): a guest leaving with `consider_home` 0 is away at that poll, a
new session from the same address is a new `connected_since`, and what a
poll or a sweep changes reaches the disk by itself, `SAVE_DELAY` later,
without waiting for an unload (a crash would lose it otherwise). So are the
exact edges of `consider_home` and `forget_after_days`, a move to another
hotspot that changes nothing else, and trackers left alone when a guest
came back in time.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_HOME, STATE_NOT_HOME, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.guest_wifi.guest_store import SAVE_DELAY

from .conftest import poll, setup_entry
from .fakes import FakeWiwiz
from .test_device_tracker import (
    ALICE,
    ALICE_TRACKER,
    BOB,
    change_options,
    enable_trackers,
    entry_presence,
    remembered_trackers,
    set_options,
    trackers,
)
from .test_guest_store import single_file, stored_guests

pytestmark = pytest.mark.usefixtures("frozen")

LONG_AGO = "2026-09-01T12:00:00+00:00"  # forgotten after the default 30 days


def stored(hass_storage: dict[str, Any], entry: MockConfigEntry) -> dict[str, Any]:
    """What the entry's guest store holds on disk (nothing before its first save)."""
    return stored_guests(hass_storage, entry.entry_id)


async def test_with_consider_home_0_a_leaving_guest_is_away_at_once(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """The poll that no longer lists the guest writes the tracker: no sweep needed."""
    set_options(hass, wiwiz_entry, track_guests="all")
    await setup_entry(hass, wiwiz_entry)
    await enable_trackers(hass, frozen, wiwiz_entry)
    await change_options(hass, wiwiz_entry, consider_home=0)
    assert hass.states.get(ALICE_TRACKER).state == STATE_HOME

    wiwiz.disconnect("HS1", "AA-BB-CC-00-00-01")
    # A poll asked for now: no time passes, so no sweep runs.
    await wiwiz_entry.runtime_data.connections.async_refresh()
    await hass.async_block_till_done()

    assert hass.states.get(ALICE_TRACKER).state == STATE_NOT_HOME


async def test_a_new_session_from_the_same_address_is_a_new_start(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """Same address and name, a later session: `connected_since` follows it."""
    set_options(hass, wiwiz_entry, track_guests="all")
    await setup_entry(hass, wiwiz_entry)
    await enable_trackers(hass, frozen, wiwiz_entry)
    before = hass.states.get(ALICE_TRACKER).attributes["connected_since"]

    wiwiz.disconnect("HS1", "AA-BB-CC-00-00-01")
    wiwiz.connect(
        "HS1",
        "AA-BB-CC-00-00-01",
        ip="10.0.0.11",
        username="alice",
        start_time="2026-11-23 12:01:00",
    )
    await poll(hass, frozen, 61)

    after = hass.states.get(ALICE_TRACKER).attributes["connected_since"]
    assert after != before
    assert after.isoformat() == "2026-11-23T12:01:00+01:00"
    await poll(hass, frozen, SAVE_DELAY + 1)
    assert stored(hass_storage, wiwiz_entry)[ALICE]["connected_since"] == (
        "2026-11-23T12:01:00+01:00"
    )


async def test_a_poll_reaches_the_disk_without_an_unload(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """A new guest is saved a minute after the poll that saw them, entry running.

    A minute (`SAVE_DELAY`): polls in between add to the same write.
    """
    await setup_entry(hass, wiwiz_entry)
    wiwiz.connect("HS2", "AA-BB-CC-00-00-02", ip="10.0.1.5", username="bob")
    await poll(hass, frozen, 61)
    assert BOB not in stored(hass_storage, wiwiz_entry)  # not at every poll
    await poll(hass, frozen, 59)
    assert BOB not in stored(hass_storage, wiwiz_entry)

    await poll(hass, frozen, 1)

    assert stored(hass_storage, wiwiz_entry)[BOB]["ip"] == "10.0.1.5"


async def test_a_sweep_reaches_the_disk_without_an_unload(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """A guest forgotten by the sweep is gone from disk SAVE_DELAY later, entry running."""
    stale = "02:00:00:00:00:01"
    hass_storage.update(
        single_file(
            wiwiz_entry.entry_id, {stale: {"hotspot_id": "HS1", "last_seen": LONG_AGO}}
        )
    )
    await setup_entry(hass, wiwiz_entry)
    assert stale not in wiwiz_entry.runtime_data.presence.seen

    await poll(hass, frozen, SAVE_DELAY + 1)

    assert stale not in stored(hass_storage, wiwiz_entry)
    assert ALICE in stored(hass_storage, wiwiz_entry)


async def test_edges_of_consider_home_and_forget_after_at_start(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """Last seen exactly `consider_home` ago: away; exactly 30 days ago: kept."""
    away = "aa:bb:cc:00:00:07"  # left 180 s (the default consider_home) ago
    kept = "aa:bb:cc:00:00:08"  # left 30 days (the default forget_after) ago
    remembered_trackers(hass, wiwiz_entry, (away, kept))
    hass_storage.update(
        single_file(
            wiwiz_entry.entry_id,
            {
                away: {"hotspot_id": "HS1", "last_seen": "2026-11-23T10:57:00+00:00"},
                kept: {"hotspot_id": "HS1", "last_seen": "2026-10-24T11:00:00+00:00"},
            },
        )
    )

    await setup_entry(hass, wiwiz_entry)

    assert hass.states.get("device_tracker.aa_bb_cc_00_00_07").state == STATE_NOT_HOME
    assert hass.states.get("device_tracker.aa_bb_cc_00_00_08").state == STATE_NOT_HOME
    assert f"{wiwiz_entry.entry_id}_{kept}" in trackers(hass, wiwiz_entry)
    assert kept in entry_presence(wiwiz_entry).seen


async def test_presence_unknown_once_the_outage_is_exactly_consider_home(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """The sweep at `consider_home` after the last answer makes trackers unavailable."""
    set_options(hass, wiwiz_entry, track_guests="all")
    await setup_entry(hass, wiwiz_entry)
    await enable_trackers(hass, frozen, wiwiz_entry)
    presence = entry_presence(wiwiz_entry)
    answered = presence.connections.last_update_success_time

    wiwiz.fail(exc=TimeoutError())
    await poll(hass, frozen, 61)
    frozen.move_to(answered + timedelta(seconds=179))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert hass.states.get(ALICE_TRACKER).state == STATE_HOME

    presence._sweep(answered + presence.consider_home)

    assert hass.states.get(ALICE_TRACKER).state == STATE_UNAVAILABLE


async def test_a_move_to_another_hotspot_alone_is_followed(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """Same address, name and session start on another hotspot: the tracker moves."""
    set_options(hass, wiwiz_entry, track_guests="all")
    await setup_entry(hass, wiwiz_entry)
    await enable_trackers(hass, frozen, wiwiz_entry)
    record = wiwiz.hotspots["HS1"]["conn"][0]

    wiwiz.disconnect("HS1", "AA-BB-CC-00-00-01")
    wiwiz.hotspots["HS2"]["conn"].append(record)
    await poll(hass, frozen, 61)

    assert hass.states.get(ALICE_TRACKER).attributes["hotspot"] == "HS2"
    assert entry_presence(wiwiz_entry).seen[ALICE].hotspot_id == "HS2"


async def test_a_guest_back_in_time_is_not_written_at_the_old_deadline(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """Back before `consider_home` ran out: that deadline is dropped, not swept."""
    set_options(hass, wiwiz_entry, track_guests="all")
    await setup_entry(hass, wiwiz_entry)  # default consider_home: 180 s
    await enable_trackers(hass, frozen, wiwiz_entry)
    record = wiwiz.hotspots["HS1"]["conn"][0]
    wiwiz.disconnect("HS1", "AA-BB-CC-00-00-01")
    await poll(hass, frozen, 61)
    wiwiz.hotspots["HS1"]["conn"].append(record)  # the same session again
    await poll(hass, frozen, 61)
    written = hass.states.get(ALICE_TRACKER).last_reported

    for _ in range(10):  # past the deadline, sweeps and polls that find no news
        await poll(hass, frozen, 15)

    assert hass.states.get(ALICE_TRACKER).last_reported == written
    assert hass.states.get(ALICE_TRACKER).state == STATE_HOME


async def test_a_removed_activity_entity_stops_listening(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """Removing a hotspot's guest activity entity ends its listener with it."""
    await setup_entry(hass, wiwiz_entry)
    entity_id = "event.hs2_guest_activity"
    assert hass.states.get(entity_id) is not None

    er.async_get(hass).async_remove(entity_id)
    await hass.async_block_till_done()
    wiwiz.connect("HS2", "AA-BB-CC-00-00-02", ip="10.0.1.5", username="bob")
    await poll(hass, frozen, 61)

    assert hass.states.get(entity_id) is None
    assert "HS2" not in entry_presence(wiwiz_entry)._event_listeners
