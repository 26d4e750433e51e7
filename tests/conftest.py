"""Fixtures for driving Home Assistant with the integration, faking only HTTP."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from syrupy.assertion import SnapshotAssertion

from custom_components.guest_wifi.const import DOMAIN

from .fakes import SMARTWIFI_TOKEN, WIWIZ_KEY, FakeSmartWifi, FakeWiwiz

pytest_plugins = ["pytest_homeassistant_custom_component"]

# Importing the integration here puts this checkout's custom_components on
# the path before Home Assistant mounts its test config directory.
assert DOMAIN == "guest_wifi"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom_components/guest_wifi."""


@pytest.fixture(autouse=True)
async def settle(hass: HomeAssistant) -> AsyncGenerator[None]:
    """Let setups a test started finish before Home Assistant stops.

    An entry created by a flow sets up in the background; stopping in the
    middle of it would leave the device tracker's timers behind.
    """
    yield
    await hass.async_block_till_done()


@pytest.fixture(autouse=True)
async def time_zone(hass: HomeAssistant) -> None:
    """A venue with a time zone other than UTC, so zone mistakes show."""
    await hass.config.async_set_time_zone("Europe/Rome")


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Home Assistant's snapshot format, in tests/snapshots/, for every test."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture
def wiwiz(aioclient_mock: AiohttpClientMocker) -> FakeWiwiz:
    """A Wiwiz account with two hotspots, answering over faked HTTP."""
    fake = FakeWiwiz()
    fake.register(aioclient_mock)
    return fake


@pytest.fixture
def smartwifi(aioclient_mock: AiohttpClientMocker) -> FakeSmartWifi:
    """A SmartWiFi account with two hotspots, answering over faked HTTP."""
    fake = FakeSmartWifi()
    fake.register(aioclient_mock)
    return fake


@pytest.fixture
def wiwiz_entry(hass: HomeAssistant) -> MockConfigEntry:
    """A Wiwiz entry for the fake account (not yet set up)."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Wiwiz",
        unique_id="wiwiz_HS1",
        data={"vendor": "wiwiz", "userkey": WIWIZ_KEY, "hotspot_ids": ["HS1", "HS2"]},
    )
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
def smartwifi_entry(hass: HomeAssistant) -> MockConfigEntry:
    """A SmartWiFi entry for the fake account (not yet set up)."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="SmartWiFi",
        unique_id="smartwifi_12261",
        data={
            "vendor": "smartwifi",
            "api_token": SMARTWIFI_TOKEN,
            "environment": "us_a",
            "hotspots": {"12261": "Lobby", "12290": "Terrace"},
        },
    )
    entry.add_to_hass(hass)
    return entry


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set an entry up as Home Assistant does at start."""
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
