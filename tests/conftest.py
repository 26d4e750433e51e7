"""Fixtures for driving Home Assistant with the integration, faking only HTTP."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator, Iterator
from datetime import timedelta
from enum import Enum
import logging
import time
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.application_credentials import (
    ClientCredential,
    async_import_client_credential,
)
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.setup import async_setup_component
from homeassistant.util.read_only_dict import ReadOnlyDict
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.syrupy import (
    HomeAssistantSnapshotExtension,
    HomeAssistantSnapshotSerializer,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from syrupy.assertion import SnapshotAssertion
from syrupy.types import SerializableData

from custom_components.guest_wifi.const import DOMAIN

from .fakes import (
    MYWIFI_ACCESS_TOKEN,
    MYWIFI_CLIENT_ID,
    MYWIFI_CLIENT_SECRET,
    SMARTWIFI_TOKEN,
    WIWIZ_KEY,
    FakeMyWifi,
    FakeSmartWifi,
    FakeWiwiz,
)

pytest_plugins = ["pytest_homeassistant_custom_component"]

# Importing the integration here puts this checkout's custom_components on
# the path before Home Assistant mounts its test config directory.
assert DOMAIN == "guest_wifi"

# The test plugin sets SQLAlchemy's engine logger to INFO (core's habit for
# its recorder tests): every statement of a test with the recorder would then
# be printed into the run's output, from the recorder's thread.
logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
# Likewise the recorder's own debug lines: its thread may still write after
# a test with long-term statistics ended, straight into the run's output.
logging.getLogger("homeassistant.components.recorder").setLevel(logging.INFO)


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
    """The history backfill pauses between windows and recorder jobs in real time: not in tests."""
    monkeypatch.setattr("custom_components.guest_wifi.history.WINDOW_PAUSE", 0)
    monkeypatch.setattr("custom_components.guest_wifi.history_recorder.JOB_GAP", 0)


@pytest.fixture(autouse=True)
async def time_zone(hass: HomeAssistant) -> None:
    """A venue with a time zone other than UTC, so zone mistakes show."""
    await hass.config.async_set_time_zone("Europe/Rome")


# --- the clock ------------------------------------------------------------------

# The day of the fakes' data, at noon in the venue's time zone.
NOON = "2026-11-23T12:00:00+01:00"


@pytest.fixture
def frozen(freezer: FrozenDateTimeFactory) -> FrozenDateTimeFactory:
    """Noon at the venue, on the day of the fakes' data (before any token).

    A module whose every test starts then says
    `pytestmark = pytest.mark.usefixtures("frozen")`.
    """
    freezer.move_to(NOON)
    return freezer


async def poll(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float = 61
) -> None:
    """Let time pass so the pollers and timers due by then run."""
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    # Scheduled polls and set-up retries run as background tasks.
    await hass.async_block_till_done(wait_background_tasks=True)


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


@pytest.fixture
def no_deprecation_warnings(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Home Assistant reports nothing the flows do as deprecated or as breaking.

    It logs such reports (an update listener next to a flow that reloads the
    entry, the advanced mode of a flow...) as warnings naming the integration.
    The flow tests ask for it with `pytestmark`.
    """
    yield
    reported = [
        message
        for when in ("setup", "call")
        for record in caplog.get_records(when)
        if "guest_wifi" in (message := record.getMessage())
        and ("deprecat" in message.lower() or "stop working" in message.lower())
    ]
    assert reported == []


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


def add_smartwifi_entry(
    hass: HomeAssistant,
    *,
    title: str = "SmartWiFi",
    options: dict[str, Any] | None = None,
    minor_version: int = 1,
    **data: Any,
) -> MockConfigEntry:
    """A SmartWiFi entry for the fake account (not yet set up); `data` overrides."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=title,
        unique_id="smartwifi_12261",
        data={
            "vendor": "smartwifi",
            "api_token": SMARTWIFI_TOKEN,
            "environment": "us_a",
            "hotspots": {"12261": "Lobby", "12290": "Terrace"},
            **data,
        },
        options=options or {},
        minor_version=minor_version,
    )
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
def smartwifi_entry(hass: HomeAssistant) -> MockConfigEntry:
    """A SmartWiFi entry for the fake account (not yet set up)."""
    return add_smartwifi_entry(hass)


# --- My Wi-Fi ---------------------------------------------------------------------

MYWIFI_REFRESH_TOKEN = "MYWIFI-REFRESH-TOKEN-0001"


async def add_credentials(hass: HomeAssistant) -> None:
    """The user's application credentials for My Wi-Fi."""
    assert await async_setup_component(hass, "application_credentials", {})
    await async_import_client_credential(
        hass, DOMAIN, ClientCredential(MYWIFI_CLIENT_ID, MYWIFI_CLIENT_SECRET), DOMAIN
    )


@pytest.fixture
async def credentials(hass: HomeAssistant) -> None:
    """The user's application credentials."""
    await add_credentials(hass)


@pytest.fixture
def mywifi(aioclient_mock: AiohttpClientMocker) -> FakeMyWifi:
    """A My Wi-Fi account answering over faked HTTP."""
    fake = FakeMyWifi()
    fake.register(aioclient_mock)
    return fake


def token(
    access_token: str = MYWIFI_ACCESS_TOKEN, *, expires_in: float = 86400
) -> dict[str, Any]:
    """An OAuth2 token as Home Assistant stores it in the entry."""
    return {
        "access_token": access_token,
        "refresh_token": MYWIFI_REFRESH_TOKEN,
        "token_type": "Bearer",
        "expires_in": 86400,
        "expires_at": time.time() + expires_in,
    }


def add_mywifi_entry(hass: HomeAssistant, token: dict[str, Any]) -> MockConfigEntry:
    """A My Wi-Fi entry holding this token (not yet set up)."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="My Wi-Fi Service",
        unique_id=f"mywifi_{MYWIFI_CLIENT_ID}",
        data={"vendor": "mywifi", "auth_implementation": DOMAIN, "token": token},
    )
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
def mywifi_entry(hass: HomeAssistant) -> MockConfigEntry:
    """A My Wi-Fi entry with a token valid for a day (not yet set up)."""
    return add_mywifi_entry(hass, token())


# --- devices and set-up ---------------------------------------------------------


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


def our_device(
    hass: HomeAssistant, entry: MockConfigEntry, identifier: str
) -> dr.DeviceEntry:
    """The entry's device with our identifier ("wiwiz_HS1"), which must be there."""
    device = entry_device(hass, entry, (DOMAIN, identifier))
    assert device is not None, identifier
    return device


def assert_wiwiz_polls_at_its_fixed_pace(entry: MockConfigEntry) -> None:
    """A loaded Wiwiz entry polls at fixed intervals, whatever its options."""
    runtime = entry.runtime_data
    assert runtime.connections.update_interval == timedelta(minutes=1)
    assert runtime.today.update_interval == timedelta(minutes=5)
    assert runtime.wan_ip.update_interval == timedelta(minutes=15)


def hotspot_sensor(
    hass: HomeAssistant, entry: MockConfigEntry, hotspot: str, key: str
) -> State:
    """A hotspot's sensor by what it measures (its entity id is in any language)."""
    entity_id = er.async_get(hass).async_get_entity_id(
        "sensor", DOMAIN, f"{entry.entry_id}_{hotspot}_{key}"
    )
    assert entity_id is not None, key
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state


def clear_text_issue(hass: HomeAssistant, entry: ConfigEntry) -> ir.IssueEntry | None:
    """The repair issue saying the entry's Wiwiz key travels unencrypted."""
    return ir.async_get(hass).async_get_issue(
        DOMAIN, f"wiwiz_clear_text_{entry.entry_id}"
    )


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set an entry up as Home Assistant does at start."""
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
