"""SmartWiFi polls that ask only for news say what a whole 24-hour report says.

The simulator's venue lives through an evening and past midnight, one
minute at a time; Home Assistant polls it through the integration. After
each poll, the same moment's whole report (24 hours back, the way every poll
used to ask) is read with the integration's client and turned into figures
the old way: the coordinator's figures, the sensors and the guest events
must be exactly those, while the polls move a fraction of the bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMocker,
    AiohttpClientMockResponse,
)
from yarl import URL

from custom_components.guest_wifi.api.smartwifi import SmartWifiClient
from custom_components.guest_wifi.api.wiwiz import WiwizClient
from custom_components.guest_wifi.const import (
    EVENT_GUEST_CONNECTED,
    EVENT_GUEST_DISCONNECTED,
)
from custom_components.guest_wifi.models import HotspotConnections, HotspotDay
from simulator import SMARTWIFI_TOKEN, WIWIZ_USERKEY, inprocess
from simulator.world import World

from .conftest import add_smartwifi_entry
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
from .whole_window import smartwifi_hotspot, wiwiz_day

# Two hours before midnight: the day changes under the polls, with sessions
# open across it.
START = datetime(2026, 11, 23, 22, 0, tzinfo=ROME)
STEP = timedelta(seconds=61)


@dataclass
class Venue:
    """The simulator behind Home Assistant's faked HTTP, with a request log."""

    world: World
    failing: bool = False
    # Connection-report requests of the integration: the hours asked, bytes.
    polls: list[tuple[float, int]] = field(default_factory=list)
    reference_bytes: int = 0
    asking_reference: bool = False

    async def answer(
        self, method: str, url: URL, data: Any
    ) -> AiohttpClientMockResponse:
        """Answer as the vendor, or fail when told to."""
        if self.failing:
            return AiohttpClientMockResponse(method, url, status=500, text="{}")
        got = await inprocess.answer(self.app, method, url)
        if url.path.rstrip("/").endswith(("/client/connections", "/connlog")):
            if self.asking_reference:
                self.reference_bytes += len(got.body)
            else:
                query = url.query
                hours = _hours(
                    query.get("from") or query["date_from"],
                    query.get("to") or query["date_to"],
                )
                self.polls.append((hours, len(got.body)))
        return as_mocked(method, url, got)

    def __post_init__(self) -> None:
        """Serve the world (the clock is the test's, so no ticking)."""
        self.app = served(self.world)


def _hours(start: str, end: str) -> float:
    def moment(text: str) -> datetime:
        return datetime.fromisoformat(text.replace(" ", "T")).replace(tzinfo=ROME)

    return (moment(end) - moment(start)).total_seconds() / 3600


@pytest.fixture
def venue(freezer: FrozenDateTimeFactory, aioclient_mock: AiohttpClientMocker) -> Venue:
    """A 300-guest world on the test's clock, answering for SmartWiFi."""
    freezer.move_to(START)
    world = venue_world(seed=5, step=STEP)
    found = Venue(world)
    answer_the_vendor_apis(aioclient_mock, found.answer, ("get", "post"))
    return found


async def _whole_report(
    hass: HomeAssistant, venue: Venue
) -> dict[str, HotspotConnections]:
    """The figures the old way: every record of the look-back, at this moment."""
    client = SmartWifiClient(async_get_clientsession(hass), SMARTWIFI_TOKEN)
    now = dt_util.utcnow()
    midnight = dt_util.start_of_local_day()
    venue.asking_reference = True
    try:
        records = await client.connections(
            min(midnight, now - timedelta(hours=24)), now + timedelta(minutes=1)
        )
    finally:
        venue.asking_reference = False
    return {
        hotspot_id: smartwifi_hotspot(
            hotspot_id, [r for r in records if r.hotspot_name == name], midnight
        )
        for hotspot_id, name in SMARTWIFI_HOTSPOTS.items()
    }


def _sessions(figures: dict[str, HotspotConnections]) -> set[tuple[str, str]]:
    return {(h, mac) for h, hotspot in figures.items() for mac in hotspot.guests}


def _states(hass: HomeAssistant, hotspot_id: str) -> dict[str, str]:
    name = SMARTWIFI_HOTSPOTS[hotspot_id].lower()
    return {
        key: hass.states.get(f"sensor.{name}_{key}").state  # type: ignore[union-attr]
        for key in ("online_guests", "guests_today")
    }


def _minutes(count: int) -> Iterator[int]:
    yield from range(count)


async def test_windows_equal_the_whole_report(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, venue: Venue
) -> None:
    """From 22:00 to 00:40, through an outage: the same figures and events."""
    entry = add_smartwifi_entry(
        hass,
        api_token=SMARTWIFI_TOKEN,  # the simulator's
        hotspots=SMARTWIFI_HOTSPOTS,
        options={"track_guests": "all"},
    )
    events: list[tuple[str, str, str]] = []

    def note(kind: str) -> Callable[[Event], None]:
        return lambda event: events.append(
            (kind, event.data["hotspot_id"], event.data["mac"])
        )

    hass.bus.async_listen(EVENT_GUEST_CONNECTED, note("connected"))
    hass.bus.async_listen(EVENT_GUEST_DISCONNECTED, note("disconnected"))
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    coordinator = entry.runtime_data.connections
    assert coordinator is not None

    expected = await _whole_report(hass, venue)
    assert coordinator.data == expected
    before = _sessions(expected)
    crossed_midnight = compared = 0
    for minute in _minutes(160):
        venue.failing = minute in (70, 71)  # two failed polls at 23:11
        freezer.tick(STEP)
        venue.world.tick()
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
        if venue.failing:
            assert not coordinator.last_update_success
            continue
        assert coordinator.last_update_success
        expected = await _whole_report(hass, venue)
        assert coordinator.data == expected, f"minute {minute}"
        for hotspot_id, hotspot in expected.items():
            day = hotspot.today
            assert day is not None
            assert _states(hass, hotspot_id) == {
                "online_guests": str(hotspot.online),
                "guests_today": str(day.guests),
            }
        now_sessions = _sessions(expected)
        assert sorted(events) == sorted(
            [("connected", h, m) for h, m in now_sessions - before]
            + [("disconnected", h, m) for h, m in before - now_sessions]
        ), f"minute {minute}"
        events.clear()
        before = now_sessions
        compared += 1
        if dt_util.now().hour == 0:
            crossed_midnight += 1
    assert compared == 158
    assert crossed_midnight > 30
    # Sessions were open across midnight: yesterday's, still online.
    assert any(
        guest.connected_since is not None
        and guest.connected_since < dt_util.start_of_local_day()
        for hotspot in expected.values()
        for guest in hotspot.guests.values()
    )

    # Most polls asked a few hours, not a day; a full report each hour, at
    # the start, after the outage and after midnight.
    full = [hours for hours, _ in venue.polls if hours >= 24]
    assert 4 <= len(full) <= 7
    assert len(venue.polls) - len(full) > 140
    integration_bytes = sum(size for _, size in venue.polls)
    assert integration_bytes * 2 < venue.reference_bytes


async def _whole_day(hass: HomeAssistant, venue: Venue) -> dict[str, HotspotDay]:
    """Wiwiz's day the old way: the whole log, phones and ads since midnight."""
    client = WiwizClient(
        async_get_clientsession(hass),
        WIWIZ_USERKEY,
        base_url="https://cp.wiwiz.com/as/qapi/",
        time_zone=ROME,
    )
    midnight = dt_util.start_of_local_day()
    now = dt_util.now()
    venue.asking_reference = True
    try:
        return {
            hotspot_id: wiwiz_day(
                await client.connection_log(hotspot_id, midnight, now),
                await client.mobile_numbers(hotspot_id, midnight.date(), now.date()),
                await client.ad_events(hotspot_id, midnight, now),
            )
            for hotspot_id in WIWIZ_HOTSPOTS
        }
    finally:
        venue.asking_reference = False


async def test_wiwiz_day_equals_the_whole_log(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, venue: Venue
) -> None:
    """Every 5 minutes from 22:00 to 02:00, through an outage: the same day."""
    entry = wiwiz_entry()
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    today = entry.runtime_data.today
    assert today is not None
    assert today.data == await _whole_day(hass, venue)

    compared = 0
    for step in range(48):
        venue.failing = step == 20  # a failed poll at 23:45
        freezer.tick(timedelta(seconds=301))
        venue.world.tick()
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
        if venue.failing:
            assert not today.last_update_success
            continue
        assert today.last_update_success
        expected = await _whole_day(hass, venue)
        assert today.data == expected, f"step {step}"
        for hotspot_id, day in expected.items():
            name = hotspot_id.lower()
            for key, value in (
                ("guests_today", day.guests),
                ("ad_views_today", day.ad_views),
                ("phone_numbers_today", day.mobile_numbers),
            ):
                state = hass.states.get(f"sensor.{name}_{key}")
                assert state is not None
                assert state.state == str(value), f"{key} at step {step}"
        compared += 1
    assert compared == 47
    # The day changed under the polls, and people came after midnight.
    assert dt_util.now().hour == 2
    assert any(day.guests for day in expected.values())
    # Most polls asked less than the whole day's log.
    whole = [hours for hours, _ in venue.polls if hours >= dt_util.now().hour]
    assert len(venue.polls) - len(whole) > 80
