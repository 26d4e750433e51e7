"""An owner's big jobs leave the event loop free between steps (issue 15, item 10).

Removing every tracker, a big sweep of stale guests and reading a large
guest store each run in steps: between two, the event loop serves
everyone else. How long a step holds the loop is a figure of
`python -m benchmarks` (`benchmarks.loop_blocks`); these tests pin the rule
that the work is cut into steps at all, and that a job cut short by an
unload leaves the entry consistent.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.guest_wifi.device_tracker import TRACKERS_PER_STEP
from custom_components.guest_wifi.guest_store import GUESTS_PER_STEP

from .conftest import setup_entry
from .fakes import FakeWiwiz
from .test_device_tracker import set_options, trackers
from .test_guest_store import single_file, stored_guests
from .test_guest_trackers_at_scale import month_of_guests

pytestmark = pytest.mark.usefixtures("frozen")

# Long ago: every guest of the month is stale (forgotten after 30 days).
LONG_AGO = "2026-09-01T12:00:00+00:00"
YESTERDAY = "2026-11-22T12:00:00+00:00"
ALMOST_STALE = "2026-10-25T12:00:00+00:00"  # forgotten in two days


@asynccontextmanager
async def turns(count: Callable[[], int]) -> AsyncIterator[list[int]]:
    """How much `count` changed between each two turns of the event loop.

    A task that only ever yields sees every turn: what changed between two of
    its steps happened while it, and everyone else, waited.
    """
    changes: list[int] = []

    async def watch() -> None:
        last = count()
        while True:
            await asyncio.sleep(0)
            now = count()
            if now != last:
                changes.append(abs(now - last))
            last = now

    task = asyncio.get_running_loop().create_task(watch())
    try:
        yield changes
    finally:
        task.cancel()


def stale_trackers(hass: HomeAssistant, entry: MockConfigEntry) -> set[str]:
    """The MACs of the month's guests (`month_of_guests`) that have a tracker."""
    prefix = f"{entry.entry_id}_"
    return {
        uid.removeprefix(prefix)
        for uid in trackers(hass, entry)
        if uid.startswith(f"{prefix}02:")
    }


def remembered(entry: MockConfigEntry) -> int:
    """How many guests the entry's presence knows (none before it exists)."""
    runtime = getattr(entry, "runtime_data", None)
    presence = getattr(runtime, "presence", None)
    return len(presence.seen) if presence is not None else 0


async def test_no_trackers_removes_them_a_step_at_a_time(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """Choosing no trackers removes all, never more than a step between two turns."""
    count = 3 * TRACKERS_PER_STEP + 1
    month_of_guests(hass, hass_storage, wiwiz_entry, count, last_seen=YESTERDAY)
    set_options(hass, wiwiz_entry, track_guests="none")

    async with turns(lambda: len(trackers(hass, wiwiz_entry))) as removed:
        await setup_entry(hass, wiwiz_entry)

    assert trackers(hass, wiwiz_entry) == {}
    assert sum(removed) == count
    assert max(removed) <= TRACKERS_PER_STEP


async def test_a_big_sweep_forgets_a_step_at_a_time(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """Stale guests and their trackers go in steps; the guests online stay."""
    count = 3 * TRACKERS_PER_STEP + 1
    month_of_guests(hass, hass_storage, wiwiz_entry, count, last_seen=LONG_AGO)
    set_options(hass, wiwiz_entry, track_guests="all")

    async with turns(lambda: len(trackers(hass, wiwiz_entry))) as removed:
        await setup_entry(hass, wiwiz_entry)

    # The stale trackers are gone; everyone the fake lists online has one.
    online = {
        f"{wiwiz_entry.entry_id}_{mac}"
        for mac in wiwiz_entry.runtime_data.presence.seen
    }
    assert set(trackers(hass, wiwiz_entry)) == online
    assert remembered(wiwiz_entry) == len(online)
    assert max(removed) <= TRACKERS_PER_STEP
    assert len(removed) >= 3


async def test_an_unload_stops_a_sweep_with_the_rest_intact(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """A sweep cut short forgets only the guests whose trackers went; the next ends it."""
    count = 3 * TRACKERS_PER_STEP
    month_of_guests(hass, hass_storage, wiwiz_entry, count, last_seen=ALMOST_STALE)
    set_options(hass, wiwiz_entry, track_guests="all")
    await setup_entry(hass, wiwiz_entry)
    assert len(stale_trackers(hass, wiwiz_entry)) == count

    # Two days on they are stale: the sweep takes its first step, then the
    # entry unloads.
    frozen.tick(timedelta(days=2))
    async_fire_time_changed(hass)
    assert await hass.config_entries.async_unload(wiwiz_entry.entry_id)
    await hass.async_block_till_done()

    left = stale_trackers(hass, wiwiz_entry)
    assert 0 < len(left) < count
    # Each guest still remembered has their tracker still, and the other way round.
    stored = stored_guests(hass_storage, wiwiz_entry.entry_id)
    assert left == {mac for mac in stored if mac.startswith("02:")}

    await setup_entry(hass, wiwiz_entry)
    assert stale_trackers(hass, wiwiz_entry) == set()
    assert remembered(wiwiz_entry) == len(trackers(hass, wiwiz_entry))


async def test_a_large_guest_store_is_read_a_step_at_a_time(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """Guests remembered are read in steps at start, every one of them."""
    count = 3 * GUESTS_PER_STEP + 1
    hass_storage.update(
        single_file(
            wiwiz_entry.entry_id,
            {
                f"02:00:00:{i >> 16 & 255:02x}:{i >> 8 & 255:02x}:{i & 255:02x}": {
                    "hotspot_id": "HS1",
                    "last_seen": YESTERDAY,
                }
                for i in range(count)
            },
        )
    )

    async with turns(lambda: remembered(wiwiz_entry)) as read:
        await setup_entry(hass, wiwiz_entry)

    assert remembered(wiwiz_entry) >= count
    assert max(read) <= GUESTS_PER_STEP + 10  # and the few online now
