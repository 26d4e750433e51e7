"""SmartWiFi hotspots new at the vendor: added by themselves, or offered.

Each test sets an entry up, adds a hotspot to the fake account, and lets
the account poll (every 15 minutes) find it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.guest_wifi.const import DOMAIN

from .conftest import add_smartwifi_entry, entry_device, setup_entry
from .fakes import SMARTWIFI_TOKEN, FakeSmartWifi

ROOFTOP = {"id": 12300, "name": "Rooftop"}
HOTSPOTS_PATH = "/v2/zapier/client/dropdown/hotspots"


def _entry(
    hass: HomeAssistant, *, title: str = "SmartWiFi", **data: Any
) -> MockConfigEntry:
    """A SmartWiFi entry of the current minor version, for the fake account."""
    return add_smartwifi_entry(
        hass,
        title=title,
        options={"track_guests": "returning"},
        minor_version=5,
        **data,
    )


def _offered(hass: HomeAssistant, entry: MockConfigEntry) -> set[str]:
    """The hotspot ids the entry's new-hotspot notices offer (shown or not)."""
    prefix = f"new_hotspot_{entry.entry_id}_"
    return {
        issue_id.removeprefix(prefix)
        for (domain, issue_id), issue in ir.async_get(hass).issues.items()
        if domain == DOMAIN and issue_id.startswith(prefix) and issue.active
    }


async def _next_account_poll(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.tick(timedelta(minutes=15, seconds=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_new_hotspot_is_added_by_itself(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, smartwifi: FakeSmartWifi
) -> None:
    entry = _entry(hass, add_new_hotspots=True, hotspots_left_out=[])
    await setup_entry(hass, entry)
    running = entry.runtime_data
    assert entry_device(hass, entry, (DOMAIN, "smartwifi_12300")) is None

    smartwifi.hotspots.append(ROOFTOP)
    await _next_account_poll(hass, freezer)

    assert entry.data["hotspots"] == {
        "12261": "Lobby",
        "12290": "Terrace",
        "12300": "Rooftop",
    }
    # The title was ours: it follows the hotspots, as the flow makes it.
    assert entry.title == "SmartWiFi (Lobby, Terrace, Rooftop)"
    # Reloaded: the hotspot is a device with its sensors and events.
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data is not running
    assert "12300" in entry.runtime_data.hotspots
    device = entry_device(hass, entry, (DOMAIN, "smartwifi_12300"))
    assert device is not None
    assert device.name == "Rooftop"
    online = hass.states.get("sensor.rooftop_online_guests")
    assert online is not None
    assert online.state == "0"
    assert hass.states.get("event.rooftop_guest_activity") is not None
    # Added, so not offered.
    assert _offered(hass, entry) == set()


async def test_hotspot_made_while_home_assistant_was_off_is_added_after_start(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, smartwifi: FakeSmartWifi
) -> None:
    """The start is left alone (a reload would race it); the next poll adds."""
    smartwifi.hotspots.append(ROOFTOP)
    entry = _entry(hass, add_new_hotspots=True, hotspots_left_out=[])

    await setup_entry(hass, entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.state is ConfigEntryState.LOADED
    assert "12300" not in entry.runtime_data.hotspots
    assert _offered(hass, entry) == set()

    await _next_account_poll(hass, freezer)

    assert entry.state is ConfigEntryState.LOADED
    assert entry.title == "SmartWiFi (Lobby, Terrace, Rooftop)"
    assert "12300" in entry.runtime_data.hotspots
    assert hass.states.get("sensor.rooftop_online_guests") is not None
    assert _offered(hass, entry) == set()


async def test_a_title_the_owner_chose_stays(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, smartwifi: FakeSmartWifi
) -> None:
    entry = _entry(hass, title="Café", add_new_hotspots=True)
    await setup_entry(hass, entry)

    smartwifi.hotspots.append(ROOFTOP)
    await _next_account_poll(hass, freezer)

    assert "12300" in entry.data["hotspots"]
    assert entry.title == "Café"


async def test_new_hotspot_is_offered_when_the_owner_chose_so(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, smartwifi: FakeSmartWifi
) -> None:
    entry = _entry(hass, add_new_hotspots=False, hotspots_left_out=[])
    await setup_entry(hass, entry)
    running = entry.runtime_data

    smartwifi.hotspots.append(ROOFTOP)
    await _next_account_poll(hass, freezer)

    assert _offered(hass, entry) == {"12300"}
    assert "12300" not in entry.data["hotspots"]
    assert entry.runtime_data is running  # not reloaded
    assert entry_device(hass, entry, (DOMAIN, "smartwifi_12300")) is None
    assert hass.states.get("sensor.rooftop_online_guests") is None


@pytest.mark.parametrize("add_new", [True, False])
async def test_hotspot_left_out_is_neither_added_nor_offered(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    smartwifi: FakeSmartWifi,
    add_new: bool,
) -> None:
    entry = _entry(
        hass,
        hotspots={"12261": "Lobby"},
        add_new_hotspots=add_new,
        hotspots_left_out=["12290"],
    )
    await setup_entry(hass, entry)
    await _next_account_poll(hass, freezer)

    assert entry.data["hotspots"] == {"12261": "Lobby"}
    assert entry_device(hass, entry, (DOMAIN, "smartwifi_12290")) is None
    assert _offered(hass, entry) == set()


async def test_hotspots_are_asked_with_the_account_poll(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, smartwifi: FakeSmartWifi
) -> None:
    """One poller: each account poll lists the hotspots once, nothing else does."""
    entry = _entry(hass, add_new_hotspots=True)
    await setup_entry(hass, entry)
    asked = [url.path for url in smartwifi.calls].count(HOTSPOTS_PATH)
    assert asked == 1  # the first account poll

    for _ in range(4):
        await _next_account_poll(hass, freezer)

    assert [url.path for url in smartwifi.calls].count(HOTSPOTS_PATH) == 5


async def test_vendor_failure_adds_nothing(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, smartwifi: FakeSmartWifi
) -> None:
    entry = _entry(hass, add_new_hotspots=True)
    await setup_entry(hass, entry)

    smartwifi.hotspots.append(ROOFTOP)
    smartwifi.fail(status=500)
    await _next_account_poll(hass, freezer)
    assert "12300" not in entry.data["hotspots"]

    smartwifi.recover()
    await _next_account_poll(hass, freezer)
    assert "12300" in entry.data["hotspots"]


async def test_owner_turns_adding_on_in_a_reconfigure(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, smartwifi: FakeSmartWifi
) -> None:
    """An entry that offered a hotspot adds the next one once the owner says so."""
    entry = _entry(hass, add_new_hotspots=False)
    await setup_entry(hass, entry)
    smartwifi.hotspots.append(ROOFTOP)
    await _next_account_poll(hass, freezer)
    assert _offered(hass, entry) == {"12300"}

    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"api_token": SMARTWIFI_TOKEN, "environment": "us_a"}
    )
    assert result["step_id"] == "smartwifi_hotspots"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {"hotspots": ["12261", "12290", "12300"], "add_new_hotspots": True},
    )
    assert result["type"] is FlowResultType.ABORT
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.data["add_new_hotspots"] is True
    assert _offered(hass, entry) == set()

    smartwifi.hotspots.append({"id": 12400, "name": "Garden"})
    await _next_account_poll(hass, freezer)

    assert entry.data["hotspots"]["12400"] == "Garden"
    assert entry.title == "SmartWiFi (Lobby, Terrace, Rooftop, +1)"
    assert entry_device(hass, entry, (DOMAIN, "smartwifi_12400")) is not None
    assert _offered(hass, entry) == set()
