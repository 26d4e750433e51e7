"""What an entry remembers of its guests between restarts, kept as guests change.

The store asks for its data on the event loop at every save, so the data is
kept up to date guest by guest rather than rebuilt; these tests read what
reaches the store after real polls.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.guest_wifi.const import DOMAIN

from .conftest import setup_entry
from .fakes import FakeWiwiz

NOON = "2026-11-23T12:00:00+01:00"
ALICE = "aa:bb:cc:00:00:01"  # on the fake Wiwiz account's HS1
BOB = "aa:bb:cc:00:00:02"


@pytest.fixture(autouse=True)
def frozen(freezer: FrozenDateTimeFactory) -> FrozenDateTimeFactory:
    """Noon at the venue, on the day of the fakes' data."""
    freezer.move_to(NOON)
    return freezer


async def _poll(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    freezer.tick(timedelta(seconds=61))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_store_follows_guests(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """Who stays is seen at the last poll; who left, when they left; changes kept."""
    await setup_entry(hass, wiwiz_entry)
    wiwiz.connect("HS2", "AA-BB-CC-00-00-02", ip="10.0.1.5", username="bob")
    await _poll(hass, frozen)
    left_at = dt_util.utcnow()
    wiwiz.disconnect("HS2", "AA-BB-CC-00-00-02")
    # Alice comes back from another address: what she shows changes.
    wiwiz.disconnect("HS1", "AA-BB-CC-00-00-01")
    wiwiz.connect("HS1", "AA-BB-CC-00-00-01", ip="10.0.0.42", username="alice")
    await _poll(hass, frozen)
    await _poll(hass, frozen)
    last_poll = dt_util.utcnow()

    assert await hass.config_entries.async_unload(wiwiz_entry.entry_id)
    await hass.async_block_till_done()
    stored = hass_storage[f"{DOMAIN}.{wiwiz_entry.entry_id}.guests"]["data"]
    assert stored[ALICE] == {
        "hotspot_id": "HS1",
        "last_seen": last_poll.isoformat(),
        "ip": "10.0.0.42",
        "username": "alice",
        # Wiwiz wrote 09:00:00 on the venue's wall clock.
        "connected_since": "2026-11-23T09:00:00+01:00",
    }
    assert stored[BOB]["last_seen"] == (left_at + timedelta(seconds=61)).isoformat()
    assert stored[BOB]["ip"] == "10.0.1.5"

    # What was stored is what the next start knows: nothing lost or rebuilt.
    assert await hass.config_entries.async_setup(wiwiz_entry.entry_id)
    await hass.async_block_till_done()
    presence = wiwiz_entry.runtime_data.presence
    assert presence is not None
    assert presence.seen[BOB].ip == "10.0.1.5"
    assert presence.seen[ALICE].ip == "10.0.0.42"
