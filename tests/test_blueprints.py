"""The two automation blueprints the README links, imported and run."""

from __future__ import annotations

import json
from pathlib import Path
import re
import shutil
from typing import Any
from urllib.parse import quote

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import automation
from homeassistant.components.recorder import get_instance
from homeassistant.components.recorder.db_schema import StatisticsShortTerm
from homeassistant.components.recorder.models import StatisticMeanType
from homeassistant.components.recorder.statistics import async_import_statistics
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_mock_service,
)
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from custom_components.guest_wifi.const import DOMAIN

from .conftest import hotspot_sensor, our_device, poll, setup_entry
from .fakes import FakeWiwiz

pytestmark = pytest.mark.usefixtures("frozen")

BLUEPRINTS = Path(__file__).parent.parent / "blueprints"
# Every language the integration speaks: Home Assistant names entity ids in
# most of them (German "Gäste online": sensor.hs1_gaste_online).
LANGUAGES = sorted(
    p.stem
    for p in (BLUEPRINTS.parent / "custom_components" / DOMAIN / "translations").glob(
        "*.json"
    )
)


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
    await _use(
        hass,
        "notify_guest_connected.yaml",
        {"hotspot": our_device(hass, wiwiz_entry, "wiwiz_HS1").id},
    )

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
    await _use(
        hass,
        "notify_guest_connected.yaml",
        {
            "hotspot": our_device(hass, wiwiz_entry, "wiwiz_HS1").id,
            "mac": "AA-BB-CC-00-00-0B",
        },
    )
    wiwiz.connect("HS1", "AA-BB-CC-00-00-09", username="")
    wiwiz.connect("HS1", "AA-BB-CC-00-00-0B", username="")
    await poll(hass, frozen)
    assert [n.data["message"] for n in notes] == ["aa:bb:cc:00:00:0b connected to HS1"]


async def _report_daily(
    hass: HomeAssistant, entry: MockConfigEntry, **inputs: str
) -> None:
    """The entry set up, and the daily report blueprint on its hotspot HS1."""
    await setup_entry(hass, entry)
    await _use(
        hass,
        "daily_guest_report.yaml",
        {"hotspot": our_device(hass, entry, "wiwiz_HS1").id, **inputs},
    )


def _counted_before_noon(
    hass: HomeAssistant, *, guests_today: str, online_guests: str
) -> None:
    """The counts the report reads, before the next poll (after noon) changes them."""
    hass.states.async_set("sensor.hs1_guests_today", guests_today)
    hass.states.async_set("sensor.hs1_online_guests", online_guests)


async def _report_at(
    hass: HomeAssistant, frozen: FrozenDateTimeFactory, moment: str
) -> None:
    frozen.move_to(moment)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    # The time trigger waits for tomorrow: stop it, as a user switching off.
    await hass.services.async_call(
        automation.DOMAIN, "turn_off", {"entity_id": "all"}, blocking=True
    )


def _import(
    hass: HomeAssistant,
    entity_id: str,
    rows: list[tuple[str, dict[str, float]]],
    *,
    short_term: bool = False,
) -> None:
    """Statistics of a sensor, as the recorder keeps them."""
    state = hass.states.get(entity_id)
    assert state is not None
    unit = state.attributes.get("unit_of_measurement")
    has_sum = "sum" in rows[0][1]
    metadata: Any = {
        "statistic_id": entity_id,
        "source": "recorder",
        "name": None,
        "unit_of_measurement": unit,
        "unit_class": None,
        "has_sum": has_sum,
        "mean_type": StatisticMeanType.NONE
        if has_sum
        else StatisticMeanType.ARITHMETIC,
    }
    data: Any = [{"start": dt_util.parse_datetime(t), **v} for t, v in rows]
    if short_term:
        get_instance(hass).async_import_statistics(metadata, data, StatisticsShortTerm)
    else:
        async_import_statistics(hass, metadata, data)


async def test_daily_guest_report_of_a_hotspot_picked_once(
    recorder_mock: Any,
    hass: HomeAssistant,
    caplog: pytest.LogCaptureFixture,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
    notes: list[ServiceCall],
) -> None:
    await _report_daily(hass, wiwiz_entry, when="12:00:30")
    _counted_before_noon(hass, guests_today="8", online_guests="2")
    # The morning's peak, as statistics keep it: a float.
    _import(
        hass,
        "sensor.hs1_online_guests",
        [("2026-11-23T10:00:00+01:00", {"max": 6.0, "mean": 1.0})],
        short_term=True,
    )
    await async_wait_recording_done(hass)
    await _report_at(hass, frozen, "2026-11-23T12:00:30+01:00")

    # The statistics were asked for (a refusal would be an error here).
    assert "Error executing script" not in caplog.text
    down = hass.states.get("sensor.hs1_download_today")
    up = hass.states.get("sensor.hs1_upload_today")
    assert down is not None
    assert up is not None
    assert [n.data for n in notes] == [
        {
            "title": "Guest Wi-Fi: HS1",
            "message": (
                f"8 guests today, at most 6 online at once;"
                f" {down.state} {down.attributes['unit_of_measurement']}"
                f" down, {up.state} {up.attributes['unit_of_measurement']} up."
            ),
        }
    ]


async def test_right_after_midnight_the_peak_is_not_a_contradiction(
    recorder_mock: Any,
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
    notes: list[ServiceCall],
) -> None:
    """Guests online since yesterday: none today yet, some online now."""
    await _report_daily(hass, wiwiz_entry, when="12:00:30")
    _counted_before_noon(hass, guests_today="0", online_guests="6")
    await _report_at(hass, frozen, "2026-11-23T12:00:30+01:00")
    [note] = notes
    assert note.data["message"].startswith(
        "0 guests today, at most 6 online at once"
        " (with guests connected before midnight);"
    ), note.data


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_report_finds_the_sensors_in_any_language(
    recorder_mock: Any,
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
    notes: list[ServiceCall],
    language: str,
) -> None:
    """Entity ids are made in the language Home Assistant was set up in."""
    hass.config.language = language
    await _report_daily(hass, wiwiz_entry, when="12:00:30")

    def state(key: str) -> str:
        found = hotspot_sensor(hass, wiwiz_entry, "HS1", key)
        unit = found.attributes.get("unit_of_measurement")
        return f"{found.state} {unit}" if unit else found.state

    await _report_at(hass, frozen, "2026-11-23T12:00:30+01:00")
    [note] = notes
    guests, online = state("guests_today"), state("online_guests")
    assert note.data["message"] == (
        f"{guests} {'guest' if guests == '1' else 'guests'} today,"
        f" at most {online} online at once"
        + (
            " (with guests connected before midnight)"
            if int(online) > int(guests)
            else ""
        )
        + f"; {state('download_today')} down, {state('upload_today')} up."
    )


async def test_a_report_after_midnight_covers_the_day_before(
    recorder_mock: Any,
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
    notes: list[ServiceCall],
) -> None:
    await _report_daily(hass, wiwiz_entry, when="00:05:00", day="yesterday")
    day_before, noon, evening = (
        "2026-11-22T23:00:00+01:00",
        "2026-11-23T12:00:00+01:00",
        "2026-11-23T20:00:00+01:00",
    )
    _import(
        hass,
        "sensor.hs1_online_guests",
        [(noon, {"max": 6.0, "mean": 2.0}), (evening, {"max": 4.0, "mean": 1.0})],
    )
    for entity_id, at_noon, in_the_evening in (
        ("sensor.hs1_guests_today", 5.0, 12.0),
        ("sensor.hs1_download_today", 100.0, 250.5),
        ("sensor.hs1_upload_today", 10.0, 30.0),
    ):
        _import(
            hass,
            entity_id,
            [
                (day_before, {"state": 0.0, "sum": 0.0}),
                (noon, {"state": at_noon, "sum": at_noon}),
                (evening, {"state": in_the_evening, "sum": in_the_evening}),
            ],
        )
    await async_wait_recording_done(hass)
    await _report_at(hass, frozen, "2026-11-24T00:05:00+01:00")
    down = hass.states.get("sensor.hs1_download_today")
    assert down is not None
    unit = down.attributes["unit_of_measurement"]
    assert [n.data["message"] for n in notes] == [
        (
            f"12 guests yesterday, at most 6 online at once;"
            f" 250.5 {unit} down, 30.0 {unit} up."
        )
    ]


@pytest.mark.parametrize("path", sorted(BLUEPRINTS.rglob("*.yaml")), ids=str)
def test_the_readme_has_an_import_button_for_each_blueprint(path: Path) -> None:
    """The standard *Import blueprint* link, to where the blueprint says it lives."""
    readme = (BLUEPRINTS.parent / "README.md").read_text("utf-8")
    [source] = re.findall(r"source_url: (\S+)", path.read_text("utf-8"))
    assert source.endswith(path.relative_to(BLUEPRINTS.parent).as_posix())
    manifest = json.loads(
        (BLUEPRINTS.parent / "custom_components" / DOMAIN / "manifest.json").read_text()
    )
    assert source.startswith(f"{manifest['documentation']}/blob/main/")
    button = (
        "https://my.home-assistant.io/redirect/blueprint_import/"
        f"?blueprint_url={quote(source, safe='')}"
    )
    assert f"(https://my.home-assistant.io/badges/blueprint_import.svg)]({button})" in (
        readme
    )
