"""The two automation blueprints the README links, imported and run."""

from __future__ import annotations

from pathlib import Path
import shutil
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import automation
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_mock_service,
)

from custom_components.guest_wifi.const import DOMAIN

from .conftest import entry_device, poll, setup_entry
from .fakes import FakeWiwiz

pytestmark = pytest.mark.usefixtures("frozen")

BLUEPRINTS = Path(__file__).parent.parent / "blueprints"


@pytest.fixture(autouse=True)
def mock_recorder_before_hass(async_setup_recorder_instance: Any) -> None:
    """Long-term statistics, where the report's peak comes from."""


@pytest.fixture
def notes(hass: HomeAssistant) -> list[ServiceCall]:
    """What the blueprints' default action would show."""
    return async_mock_service(hass, "persistent_notification", "create")


@pytest.fixture(autouse=True)
def blueprints(hass: HomeAssistant, tmp_path: Path) -> None:
    """The blueprints as a user imports them, into their configuration."""
    shutil.copytree(BLUEPRINTS, tmp_path / "blueprints")
    hass.config.config_dir = str(tmp_path)


async def _use(hass: HomeAssistant, path: str, inputs: dict[str, Any]) -> None:
    assert await async_setup_component(
        hass,
        automation.DOMAIN,
        {
            automation.DOMAIN: {
                "use_blueprint": {"path": f"guest_wifi/{path}", "input": inputs}
            }
        },
    )
    await hass.async_block_till_done()
    assert hass.states.async_all(automation.DOMAIN), "the automation was refused"


async def test_notify_when_a_guest_connects(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
    notes: list[ServiceCall],
) -> None:
    await setup_entry(hass, wiwiz_entry)
    hotspot = entry_device(hass, wiwiz_entry, (DOMAIN, "wiwiz_HS1"))
    assert hotspot is not None
    await _use(hass, "notify_guest_connected.yaml", {"hotspot": hotspot.id})

    wiwiz.connect("HS1", "AA-BB-CC-00-00-09", username="Anna's iPhone")
    wiwiz.connect("HS2", "AA-BB-CC-00-00-0A", username="elsewhere")
    await poll(hass, frozen)
    assert [n.data for n in notes] == [
        {"title": "Guest connected", "message": "Anna's iPhone connected to HS1"}
    ]


async def test_notify_only_for_one_guest(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
    notes: list[ServiceCall],
) -> None:
    await setup_entry(hass, wiwiz_entry)
    hotspot = entry_device(hass, wiwiz_entry, (DOMAIN, "wiwiz_HS1"))
    assert hotspot is not None
    await _use(
        hass,
        "notify_guest_connected.yaml",
        {"hotspot": hotspot.id, "mac": "AA-BB-CC-00-00-0B"},
    )
    wiwiz.connect("HS1", "AA-BB-CC-00-00-09", username="")
    wiwiz.connect("HS1", "AA-BB-CC-00-00-0B", username="")
    await poll(hass, frozen)
    assert [n.data["message"] for n in notes] == ["aa:bb:cc:00:00:0b connected to HS1"]


async def test_daily_guest_report(
    recorder_mock: Any,
    hass: HomeAssistant,
    caplog: pytest.LogCaptureFixture,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
    notes: list[ServiceCall],
) -> None:
    await setup_entry(hass, wiwiz_entry)
    await _use(
        hass,
        "daily_guest_report.yaml",
        {
            "when": "12:30:00",
            "online_guests": "sensor.hs1_online_guests",
            "guests_today": "sensor.hs1_guests_today",
            "download_today": "sensor.hs1_download_today",
            "upload_today": "sensor.hs1_upload_today",
        },
    )
    frozen.move_to("2026-11-23T12:30:00+01:00")
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)

    # The statistics were asked for (a refusal would be an error here).
    assert "Error executing script" not in caplog.text
    # The time trigger waits for tomorrow: stop it, as a user switching off.
    await hass.services.async_call(
        automation.DOMAIN, "turn_off", {"entity_id": "all"}, blocking=True
    )
    guests = hass.states.get("sensor.hs1_guests_today")
    online = hass.states.get("sensor.hs1_online_guests")
    down = hass.states.get("sensor.hs1_download_today")
    up = hass.states.get("sensor.hs1_upload_today")
    assert guests is not None
    assert online is not None
    assert down is not None
    assert up is not None
    unit = down.attributes["unit_of_measurement"]
    assert [n.data for n in notes] == [
        {
            "title": "Guest Wi-Fi today",
            "message": (
                f"{guests.state} guests today, at most {online.state} online at"
                f" once; {down.state} {unit} down, {up.state}"
                f" {up.attributes['unit_of_measurement']} up."
            ),
        }
    ]
