"""The logbook: one line per guest event, with an icon.

Core writes a line for every state change of an event entity: the hotspot's
*Guest activity* entity gives each connection and disconnection its line,
with the entity's icon. A description of the bus events as well would show
every event twice.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.logbook import const as logbook_const
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.icon import async_get_icons
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

from custom_components.guest_wifi.const import DOMAIN

from .conftest import setup_entry
from .fakes import FakeWiwiz

pytestmark = pytest.mark.usefixtures("frozen")

# Core's logbook names an event entity's event type in newer releases
# (2026.10 does, 2026.6 does not); before, a line says only that it changed.
_LOGBOOK_SHOWS_EVENT_TYPES = hasattr(logbook_const, "EXPOSED_STATE_ATTRIBUTES")


@pytest.fixture(autouse=True)
def mock_recorder_before_hass(async_setup_recorder_instance: Any) -> None:
    """The recorder is set up before Home Assistant starts, as in core's tests."""


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
    ours = [
        row
        for row in await response.json()
        if row.get("domain") == DOMAIN or row.get("entity_id", "").startswith("event.")
    ]
    # One line per guest event: the hotspot's activity entity's. The two
    # arrivals come from one poll, in either order.
    lines = [
        (row.get("entity_id"), row.get("attributes", {}).get("event_type"))
        for row in ours
    ]
    connected, disconnected = (
        ("connected", "disconnected") if _LOGBOOK_SHOWS_EVENT_TYPES else (None, None)
    )
    assert sorted(lines[:2]) == [
        ("event.hs1_guest_activity", connected),
        ("event.hs2_guest_activity", connected),
    ]
    assert lines[2:] == [("event.hs1_guest_activity", disconnected)]
    # Each line shows the activity entity's icon.
    icons = await async_get_icons(hass, "entity", integrations=[DOMAIN])
    registry = er.async_get(hass)
    for entity_id, _ in lines:
        entry = registry.async_get(str(entity_id))
        assert entry is not None
        assert entry.translation_key == "guest_activity"
        assert icons[DOMAIN]["event"][entry.translation_key]["default"].startswith(
            "mdi:"
        )
