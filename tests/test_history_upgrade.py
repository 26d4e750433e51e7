"""An entry made before the history existed gets it at its first start after the upgrade.

Entries as earlier releases saved them (the first release's, and the last one
before the history), with no word of the history in their options: the
upgrade's first start imports the whole log, as for a new entry.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder.statistics import statistics_during_period
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers.recorder import get_instance
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from custom_components.guest_wifi import history_log
from custom_components.guest_wifi.const import DOMAIN
from custom_components.guest_wifi.diagnostics import async_get_config_entry_diagnostics

from .conftest import NOON as NOON_TEXT, setup_entry
from .fakes import SMARTWIFI_TOKEN, WIWIZ_KEY

NOON = datetime.fromisoformat(NOON_TEXT)
HOTSPOTS = {"wiwiz": "hs1", "smartwifi": "12261"}
# What each release saved, by (vendor, minor version).
SAVED: dict[tuple[str, int], tuple[dict[str, Any], dict[str, Any]]] = {
    ("wiwiz", 1): (
        {"vendor": "wiwiz", "userkey": WIWIZ_KEY, "hotspot_ids": ["HS1", "HS2"]},
        {},
    ),
    ("wiwiz", 5): (
        {
            "vendor": "wiwiz",
            "userkey": WIWIZ_KEY,
            "hotspot_ids": ["HS1", "HS2"],
            "hotspots": {"HS1": "HS1", "HS2": "HS2"},
        },
        {"track_guests": "all"},
    ),
    ("smartwifi", 1): (
        {
            "vendor": "smartwifi",
            "api_token": SMARTWIFI_TOKEN,
            "environment": "us_a",
            "hotspots": {"12261": "Lobby", "12290": "Terrace"},
        },
        {},
    ),
    ("smartwifi", 5): (
        {
            "vendor": "smartwifi",
            "api_token": SMARTWIFI_TOKEN,
            "environment": "us_a",
            "hotspots": {"12261": "Lobby", "12290": "Terrace"},
            "add_new_hotspots": False,
        },
        {"track_guests": "all"},
    ),
}


@pytest.fixture(autouse=True)
def mock_recorder_before_hass(async_setup_recorder_instance: Any) -> None:
    """The recorder is set up before Home Assistant starts, as in core's tests."""


@pytest.mark.parametrize(("vendor", "minor_version"), list(SAVED))
async def test_an_older_entry_gets_its_history_at_the_first_start(
    hass: HomeAssistant,
    recorder_mock: Any,
    frozen: FrozenDateTimeFactory,
    request: pytest.FixtureRequest,
    vendor: str,
    minor_version: int,
) -> None:
    """Every hour of the last 30 days, imported at the upgrade's first start."""
    request.getfixturevalue(vendor)  # the vendor's fake account
    data, options = SAVED[vendor, minor_version]
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=vendor,
        unique_id=f"{vendor}_{HOTSPOTS[vendor].upper()}",
        data=data,
        options=options,
        version=1,
        minor_version=minor_version,
    )
    entry.add_to_hass(hass)

    await setup_entry(hass, entry)
    await hass.async_block_till_done(wait_background_tasks=True)

    assert entry.state is ConfigEntryState.LOADED
    assert entry.minor_version == 5
    assert "import_history" not in entry.options  # on by default, not written
    sid = f"guest_wifi:{vendor}_{HOTSPOTS[vendor]}_connections"
    await async_wait_recording_done(hass)
    found = await get_instance(hass).async_add_executor_job(
        statistics_during_period,
        hass,
        NOON - timedelta(days=40),
        None,
        {sid},
        "hour",
        None,
        {"sum"},
    )
    hours = [dt_util.utc_from_timestamp(row["start"]) for row in found[sid]]
    first = history_log.hour_of(NOON.astimezone(UTC) - timedelta(days=30))
    assert hours[0] == first + history_log.HOUR
    assert hours[-1] == history_log.hour_of(NOON) - history_log.HOUR
    assert len(hours) == (hours[-1] - hours[0]) / history_log.HOUR + 1
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    assert diagnostics["history"]["state"] == "done"
    assert (
        datetime.fromisoformat(diagnostics["history"]["last_imported"]) == (hours[-1])
    )
