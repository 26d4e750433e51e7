"""The imported history equals the simulator's own truth, hour by hour.

The simulator's venue lives for four days on the test's clock, across
midnights and the night the clocks change in the venue's zone. Home
Assistant starts after two and a half days (the backfill), runs a while,
is down for eight hours in the middle (the gap filled at the next start),
and is reloaded once. At the end every hourly row of every hotspot must be
what the test counts itself from the simulator's sessions: guests who
started in the hour, and their bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder.statistics import statistics_during_period
from homeassistant.core import HomeAssistant
from homeassistant.helpers.recorder import get_instance
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMocker,
    AiohttpClientMockResponse,
)
from yarl import URL

from custom_components.guest_wifi import history_log
from custom_components.guest_wifi.const import DOMAIN
from simulator import SMARTWIFI_TOKEN, inprocess
from simulator.world import World

from .simulated_venue import (
    ROME,
    SMARTWIFI_HOTSPOTS,
    WIWIZ_HOTSPOTS,
    answer_the_vendor_apis,
    as_mocked,
    served,
    venue_world,
    wiwiz_entry,
)

STEP = timedelta(minutes=10)
HOUR = timedelta(hours=1)
# Wiwiz has no names: each hotspot is named by its id.
WIWIZ = {hotspot: hotspot for hotspot in WIWIZ_HOTSPOTS}


@pytest.fixture(autouse=True)
def mock_recorder_before_hass(async_setup_recorder_instance: Any) -> None:
    """The recorder is set up before Home Assistant starts, as in core's tests."""


class Venue:
    """The simulator behind Home Assistant's faked HTTP; down when told."""

    def __init__(self, world: World) -> None:
        """Serve the world on the test's clock (no ticking of its own)."""
        self.world = world
        self.app = served(world)

    async def answer(
        self, method: str, url: URL, data: Any
    ) -> AiohttpClientMockResponse:
        """Answer as the vendor."""
        return as_mocked(method, url, await inprocess.answer(self.app, method, url))


def _entry(vendor: str) -> MockConfigEntry:
    if vendor == "smartwifi":
        return MockConfigEntry(
            domain=DOMAIN,
            title="SmartWiFi",
            unique_id="smartwifi_12261",
            data={
                "vendor": "smartwifi",
                "api_token": SMARTWIFI_TOKEN,
                "environment": "us_a",
                "hotspots": SMARTWIFI_HOTSPOTS,
            },
            options={"track_guests": "none"},
        )
    return wiwiz_entry(hotspots=WIWIZ, https=True)


def _truth(world: World, vendor: str) -> dict[tuple[str, datetime], list[int]]:
    """Per hotspot and UTC hour: sessions started, bytes down and up, now."""
    now = world.now()
    found: dict[tuple[str, datetime], list[int]] = {}
    for session in world.sessions[vendor]:
        start = datetime.fromtimestamp(session.start, UTC)
        hour = start.replace(minute=0, second=0, microsecond=0)
        figures = found.setdefault((session.hotspot.id, hour), [0, 0, 0])
        figures[0] += 1
        figures[1] += session.downloaded(now)
        figures[2] += session.uploaded(now)
    return found


def _hours(start: datetime, end: datetime) -> Iterator[datetime]:
    while start < end:
        yield start
        start += HOUR


async def _statistics(
    hass: HomeAssistant, ids: set[str], start: datetime
) -> dict[str, list[Any]]:
    await async_wait_recording_done(hass)
    return await get_instance(hass).async_add_executor_job(
        statistics_during_period,
        hass,
        start,
        None,
        ids,
        "hour",
        None,
        {"state", "sum"},
    )


async def _live(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, world: World, until: datetime
) -> None:
    """Time passes with Home Assistant up: polls, and a pass each hour."""
    while dt_util.utcnow() + STEP <= until:
        freezer.tick(STEP)
        world.tick()
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)


def _down(freezer: FrozenDateTimeFactory, world: World, until: datetime) -> None:
    """Time passes with Home Assistant down: the venue goes on."""
    while dt_util.utcnow() + STEP <= until:
        freezer.tick(STEP)
        world.tick()


@pytest.mark.parametrize(
    ("vendor", "first_day"),
    [
        # The night the clocks go back: SmartWiFi writes times in UTC.
        ("smartwifi", datetime(2026, 10, 22, 0, 5, tzinfo=ROME)),
        # The night they go forward: Wiwiz writes wall-clock times, which
        # the night they go back repeats for an hour (it cannot be told).
        ("wiwiz", datetime(2026, 3, 26, 0, 5, tzinfo=ROME)),
    ],
)
async def test_history_equals_the_simulator(
    hass: HomeAssistant,
    recorder_mock: Any,
    freezer: FrozenDateTimeFactory,
    aioclient_mock: AiohttpClientMocker,
    vendor: str,
    first_day: datetime,
) -> None:
    """Four days, across midnights and a DST change, eight hours down: equal."""
    freezer.move_to(first_day)
    world = venue_world(seed=7, step=STEP, history=False)
    venue = Venue(world)
    answer_the_vendor_apis(aioclient_mock, venue.answer)
    entry = _entry(vendor)
    entry.add_to_hass(hass)

    # Two and a half days before Home Assistant has the integration.
    _down(freezer, world, first_day + timedelta(days=2, hours=12))
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    await _live(hass, freezer, world, first_day + timedelta(days=3, hours=1))
    # Down from 01:05 to 09:05 on the night of the change.
    assert await hass.config_entries.async_unload(entry.entry_id)
    _down(freezer, world, first_day + timedelta(days=3, hours=9))
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    await _live(hass, freezer, world, first_day + timedelta(days=3, hours=15))
    # A reload in between counts nothing twice.
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    # The last pass at 00:15, and the truth of that moment.
    await _live(hass, freezer, world, first_day + timedelta(days=4, minutes=10))

    hotspots = SMARTWIFI_HOTSPOTS if vendor == "smartwifi" else WIWIZ
    ids = {
        f"{DOMAIN}:{vendor}_{h.lower()}_{kind}"
        for h in hotspots
        for kind in ("connections", "download", "upload")
    }
    since = history_log.hour_of(first_day - timedelta(days=1))
    found = await _statistics(hass, ids, since)
    truth = _truth(world, vendor)
    # Rows up to the hour that ended before the last pass (at 00:15).
    last = history_log.hour_of(dt_util.utcnow()) - HOUR
    hours = list(_hours(since, last + HOUR))
    crossed = {dt_util.as_local(h).utcoffset() for h in hours}
    assert len(crossed) == 2  # the clocks changed in between
    compared = 0
    for hotspot in hotspots:
        rows = {
            kind: found[f"{DOMAIN}:{vendor}_{hotspot.lower()}_{kind}"]
            for kind in ("connections", "download", "upload")
        }
        for index, kind in enumerate(("connections", "download", "upload")):
            starts = [dt_util.utc_from_timestamp(r["start"]) for r in rows[kind]]
            assert starts == hours, f"{hotspot} {kind}: an hour missing or twice"
            running = 0
            for hour, row in zip(hours, rows[kind], strict=True):
                expected = truth.get((hotspot, hour), [0, 0, 0])[index]
                running += expected
                assert (row["state"], row["sum"]) == (expected, running), (
                    f"{hotspot} {kind} {dt_util.as_local(hour)}"
                )
                compared += bool(expected)
    assert compared > 200
