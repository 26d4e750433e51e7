"""The logbook names the guest and the hotspot."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from .conftest import setup_entry
from .fakes import FakeWiwiz

NOON = "2026-11-23T12:00:00+01:00"


@pytest.fixture(autouse=True)
def mock_recorder_before_hass(async_setup_recorder_instance: Any) -> None:
    """The recorder is set up before Home Assistant starts, as in core's tests."""


@pytest.fixture(autouse=True)
def frozen(freezer: FrozenDateTimeFactory) -> FrozenDateTimeFactory:
    """Noon at the venue, on the day of the fakes' data (before any token)."""
    freezer.move_to(NOON)
    return freezer


async def test_logbook_reads_who_connected_where(
    hass: HomeAssistant,
    recorder_mock: Any,
    hass_client: ClientSessionGenerator,
    freezer: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    start = dt_util.utcnow()
    # The logbook's panel needs the frontend, which the test plugin lacks.
    hass.config.components.add("frontend")
    assert await async_setup_component(hass, "logbook", {})
    await setup_entry(hass, wiwiz_entry)

    wiwiz.connect("HS1", "AA-BB-CC-00-00-07", username="Anna's iPhone")
    wiwiz.connect("HS2", "AA-BB-CC-00-00-08", username="")
    for _ in range(2):
        freezer.tick(timedelta(seconds=61))
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
        wiwiz.disconnect("HS1", "AA-BB-CC-00-00-07")
    await async_wait_recording_done(hass)

    client = await hass_client()
    end = dt_util.utcnow() + timedelta(minutes=1)
    response = await client.get(
        f"/api/logbook/{start.isoformat()}", params={"end_time": end.isoformat()}
    )
    assert response.status == 200
    lines = [
        f"{row['name']} {row['message']}"
        for row in await response.json()
        if row.get("domain") == "guest_wifi"
    ]
    # The two arrivals come from one poll, in either order.
    assert sorted(lines[:2]) == [
        "Guest Anna's iPhone (aa:bb:cc:00:00:07) connected to HS1",
        "Guest aa:bb:cc:00:00:08 connected to HS2",
    ]
    assert lines[2:] == [
        "Guest Anna's iPhone (aa:bb:cc:00:00:07) disconnected from HS1"
    ]
