"""Fixtures for driving Home Assistant with the integration, faking only HTTP."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator
from enum import Enum
import logging
from typing import Any

from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.util.read_only_dict import ReadOnlyDict
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import (
    HomeAssistantSnapshotExtension,
    HomeAssistantSnapshotSerializer,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from syrupy.assertion import SnapshotAssertion
from syrupy.types import SerializableData

from custom_components.guest_wifi.const import DOMAIN

from .fakes import SMARTWIFI_TOKEN, WIWIZ_KEY, FakeSmartWifi, FakeWiwiz

pytest_plugins = ["pytest_homeassistant_custom_component"]

# Importing the integration here puts this checkout's custom_components on
# the path before Home Assistant mounts its test config directory.
assert DOMAIN == "guest_wifi"

# The test plugin sets SQLAlchemy's engine logger to INFO (core's habit for
# its recorder tests): every statement of a test with the recorder would then
# be printed into the run's output, from the recorder's thread.
logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)


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
def no_history_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    """The history backfill pauses between windows in real time: not in tests."""
    monkeypatch.setattr("custom_components.guest_wifi.history.WINDOW_PAUSE", 0)


@pytest.fixture(autouse=True)
async def time_zone(hass: HomeAssistant) -> None:
    """A venue with a time zone other than UTC, so zone mistakes show."""
    await hass.config.async_set_time_zone("Europe/Rome")


# --- deprecations ---------------------------------------------------------------

FRAME_LOGGER = "homeassistant.helpers.frame"


def is_deprecation_report(record: logging.LogRecord) -> bool:
    """A log record telling that guest_wifi uses something Home Assistant retires.

    Home Assistant says so through its frame helper ("Detected that custom
    integration 'guest_wifi' ...") or in a message of its own.
    """
    message = record.getMessage()
    if "guest_wifi" not in message:
        return False
    lowered = message.lower()
    return (
        record.name == FRAME_LOGGER
        or "deprecat" in lowered
        or "stop working" in lowered
    )


class DeprecationGuard(logging.Handler):
    """Collects the deprecation reports logged during a test."""

    def __init__(self) -> None:
        """Collect everything: the reports decide, not the level."""
        super().__init__(logging.NOTSET)
        self.reports: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the record if it is a report."""
        if is_deprecation_report(record):
            self.reports.append(record)


@pytest.fixture(autouse=True)
def deprecation_guard() -> Generator[DeprecationGuard]:
    """Fail the test in which Home Assistant reports guest_wifi for a deprecation.

    Home Assistant reports each use once per run, so only the first test that
    makes it fails: that is the one to look at.
    """
    guard = DeprecationGuard()
    root = logging.getLogger()
    root.addHandler(guard)
    try:
        yield guard
    finally:
        root.removeHandler(guard)
    if guard.reports:
        pytest.fail(
            "Home Assistant reported a deprecated use:\n"
            + "\n".join(f"{r.name}: {r.getMessage()}" for r in guard.reports),
            pytrace=False,
        )


# --- snapshots ------------------------------------------------------------------


def _plain_keys(mapping: Any) -> dict[Any, Any]:
    """Keys as the strings they are, where newer Home Assistant has enums."""
    return {
        (key.value if isinstance(key, Enum) else key): value
        for key, value in mapping.items()
    }


class GuestWifiSnapshotSerializer(HomeAssistantSnapshotSerializer):
    """Home Assistant's serializer, the same on every version we support.

    After 2026.6 state attribute and capability keys became enums (string enums,
    equal to the strings they replace); one snapshot must hold from the oldest
    version to the newest, so they are written as the strings.
    """

    @classmethod
    def _serializable_entity_registry_entry(
        cls, data: er.RegistryEntry
    ) -> SerializableData:
        serialized = super()._serializable_entity_registry_entry(data)
        if isinstance(serialized.get("capabilities"), dict):
            serialized["capabilities"] = _plain_keys(serialized["capabilities"])
        return serialized

    @classmethod
    def _serializable_state(cls, data: State) -> SerializableData:
        serialized = super()._serializable_state(data)
        serialized["attributes"] = ReadOnlyDict(_plain_keys(serialized["attributes"]))
        return serialized


class GuestWifiSnapshotExtension(HomeAssistantSnapshotExtension):
    """Snapshots in tests/snapshots/, through the serializer above."""

    serializer_class = GuestWifiSnapshotSerializer


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """The snapshot format of this suite, in tests/snapshots/, for every test."""
    return snapshot.use_extension(GuestWifiSnapshotExtension)


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


def entry_device(
    hass: HomeAssistant, entry: MockConfigEntry, identifier: tuple[str, str]
) -> dr.DeviceEntry | None:
    """The entry's device with this identifier.

    `DeviceRegistry.async_get_device` is deprecated from Home Assistant 2026.8,
    as an identifier is unique within an entry only, and 2026.6 has none of
    its replacements: look among the entry's devices.
    """
    return next(
        (
            device
            for device in dr.async_entries_for_config_entry(
                dr.async_get(hass), entry.entry_id
            )
            if identifier in device.identifiers
        ),
        None,
    )


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set an entry up as Home Assistant does at start."""
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
