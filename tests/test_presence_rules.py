"""Presence rules at their edges: `consider_home` 0, a new session, saves between polls.

Each rule here changed nothing any other test saw (a mutation run left it
standing): a guest leaving with `consider_home` 0 is away at that poll, a
new session from the same address is a new `connected_since`, and what a
poll or a sweep changes reaches the disk by itself, without waiting for an
unload (a crash would lose it otherwise).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_HOME, STATE_NOT_HOME
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.guest_wifi.const import DOMAIN
from custom_components.guest_wifi.guest_store import SAVE_DELAY

from .conftest import setup_entry
from .fakes import FakeWiwiz
from .test_device_tracker import (
    ALICE,
    ALICE_TRACKER,
    BOB,
    NOON,
    change_options,
    enable_trackers,
    set_options,
)
from .test_guest_store import stored_guests

LONG_AGO = "2026-09-01T12:00:00+00:00"  # forgotten after the default 30 days


@pytest.fixture(autouse=True)
def frozen(freezer: FrozenDateTimeFactory) -> FrozenDateTimeFactory:
    """Noon at the venue, on the day of the fakes' data."""
    freezer.move_to(NOON)
    return freezer


def stored(hass_storage: dict[str, Any], entry: MockConfigEntry) -> dict[str, Any]:
    """What the entry's guest store holds on disk (nothing before its first save)."""
    return stored_guests(hass_storage, entry.entry_id)


async def wait(
    hass: HomeAssistant, frozen: FrozenDateTimeFactory, seconds: float
) -> None:
    """Let time pass: timers due by then run (polls among them)."""
    frozen.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


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
    await wait(hass, frozen, 61)

    after = hass.states.get(ALICE_TRACKER).attributes["connected_since"]
    assert after != before
    assert after.isoformat() == "2026-11-23T12:01:00+01:00"
    await wait(hass, frozen, SAVE_DELAY + 1)
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
    """A new guest is saved SAVE_DELAY after the poll that saw them, entry running."""
    await setup_entry(hass, wiwiz_entry)
    wiwiz.connect("HS2", "AA-BB-CC-00-00-02", ip="10.0.1.5", username="bob")
    await wait(hass, frozen, 61)
    assert BOB not in stored(hass_storage, wiwiz_entry)  # not at every poll

    await wait(hass, frozen, SAVE_DELAY + 1)

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
    key = f"{DOMAIN}.{wiwiz_entry.entry_id}.guests"
    hass_storage[key] = {
        "version": 1,
        "minor_version": 1,
        "key": key,
        "data": {stale: {"hotspot_id": "HS1", "last_seen": LONG_AGO}},
    }
    await setup_entry(hass, wiwiz_entry)
    assert stale not in wiwiz_entry.runtime_data.presence.seen

    await wait(hass, frozen, SAVE_DELAY + 1)

    assert stale not in stored(hass_storage, wiwiz_entry)
    assert ALICE in stored(hass_storage, wiwiz_entry)
