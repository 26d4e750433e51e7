"""Sensors: what each vendor's figures read as in Home Assistant."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.sensor import (
    ATTR_STATE_CLASS,
    SensorDeviceClass,
    SensorStateClass,
)
from homeassistant.const import (
    ATTR_DEVICE_CLASS,
    ATTR_UNIT_OF_MEASUREMENT,
    EVENT_STATE_CHANGED,
    EVENT_STATE_REPORTED,
    STATE_UNAVAILABLE,
    EntityCategory,
    Platform,
    UnitOfInformation,
)
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.guest_wifi.const import DOMAIN

from .conftest import GuestWifiSnapshotExtension, entry_device, poll, setup_entry
from .fakes import SMARTWIFI_TOKEN, WIWIZ_KEY, FakeSmartWifi, FakeWiwiz

pytestmark = pytest.mark.usefixtures("frozen")


# What the fakes' data must read as: entity id to state.
WIWIZ_STATES = {
    "sensor.hs1_online_guests": "1",
    "sensor.hs1_guests_today": "1",
    # 1000 bytes down, 100 up, shown in the suggested MB.
    "sensor.hs1_download_today": "0.001",
    "sensor.hs1_upload_today": "0.0001",
    "sensor.hs1_ad_views_today": "0",
    "sensor.hs1_ad_clicks_today": "0",
    "sensor.hs1_phone_numbers_today": "0",
    "sensor.hs1_wan_ip": "203.0.113.7",
    # Wiwiz wrote 08:00:00 without an offset: Rome's wall clock, 07:00 UTC.
    "sensor.hs1_wan_ip_updated": "2026-11-23T07:00:00+00:00",
    "sensor.hs2_online_guests": "0",
    "sensor.hs2_guests_today": "0",
    "sensor.hs2_download_today": "0.0",
    "sensor.hs2_upload_today": "0.0",
    "sensor.hs2_ad_views_today": "0",
    "sensor.hs2_ad_clicks_today": "0",
    "sensor.hs2_phone_numbers_today": "0",
    "sensor.hs2_wan_ip": "198.51.100.20",
    "sensor.hs2_wan_ip_updated": "2026-11-23T07:00:00+00:00",
}
SMARTWIFI_STATES = {
    "sensor.lobby_online_guests": "1",
    "sensor.lobby_guests_today": "1",
    # 2000 bytes down, 200 up.
    "sensor.lobby_download_today": "0.002",
    "sensor.lobby_upload_today": "0.0002",
    "sensor.terrace_online_guests": "0",
    "sensor.terrace_guests_today": "0",
    "sensor.terrace_download_today": "0.0",
    "sensor.terrace_upload_today": "0.0",
    "sensor.smartwifi_account_guests": "3",
    "sensor.smartwifi_account_unsubscribed_guests": "1",
    "sensor.smartwifi_account_active_guest_plans": "1",
}


def sensor_entries(
    hass: HomeAssistant, entry: MockConfigEntry
) -> list[er.RegistryEntry]:
    """The entry's sensors in the entity registry."""
    return [
        reg
        for reg in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if reg.domain == Platform.SENSOR
    ]


# --- snapshots ------------------------------------------------------------------

# Fixed entry ids: unique ids carry them, and snapshots must not change per run.
SNAPSHOT_ENTRIES: dict[str, dict[str, Any]] = {
    "wiwiz": {
        "entry_id": "wiwiz_entry_id",
        "title": "Wiwiz",
        "unique_id": "wiwiz_HS1",
        "data": {
            "vendor": "wiwiz",
            "userkey": WIWIZ_KEY,
            "hotspot_ids": ["HS1", "HS2"],
        },
    },
    "smartwifi": {
        "entry_id": "smartwifi_entry_id",
        "title": "SmartWiFi",
        "unique_id": "smartwifi_12261",
        "data": {
            "vendor": "smartwifi",
            "api_token": SMARTWIFI_TOKEN,
            "environment": "us_a",
            "hotspots": {"12261": "Lobby", "12290": "Terrace"},
        },
    },
}


@pytest.mark.parametrize("vendor", ["wiwiz", "smartwifi"])
async def test_snapshot(
    hass: HomeAssistant,
    request: pytest.FixtureRequest,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    vendor: str,
) -> None:
    """Every sensor of each vendor: registry entry and state."""
    request.getfixturevalue(vendor)  # the fake account answers
    entry = MockConfigEntry(domain=DOMAIN, **SNAPSHOT_ENTRIES[vendor])
    entry.add_to_hass(hass)

    # The suite's serializer leaves out what changes per run (ids, times) and
    # per Home Assistant version; syrupy's own `snapshot` fixture may win over
    # the suite's, so ask for it.
    snapshot = snapshot.use_extension(GuestWifiSnapshotExtension)
    with patch("custom_components.guest_wifi.PLATFORMS", [Platform.SENSOR]):
        await setup_entry(hass, entry)
        await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)


# --- states ---------------------------------------------------------------------


async def test_wiwiz_states(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_entry: MockConfigEntry
) -> None:
    """Each Wiwiz sensor reads the fake account's figures, and no other is made."""
    await setup_entry(hass, wiwiz_entry)

    states = {
        reg.entity_id: hass.states.get(reg.entity_id).state
        for reg in sensor_entries(hass, wiwiz_entry)
    }
    assert states == WIWIZ_STATES


async def test_smartwifi_states(
    hass: HomeAssistant, smartwifi: FakeSmartWifi, smartwifi_entry: MockConfigEntry
) -> None:
    """Each SmartWiFi sensor reads the fake account's figures, and no other is made."""
    await setup_entry(hass, smartwifi_entry)

    states = {
        reg.entity_id: hass.states.get(reg.entity_id).state
        for reg in sensor_entries(hass, smartwifi_entry)
    }
    assert states == SMARTWIFI_STATES


@pytest.mark.parametrize(
    ("vendor", "offered", "not_offered"),
    [
        (
            "wiwiz",
            {"wan_ip", "wan_ip_updated", "ad_views_today", "mobile_numbers_today"},
            {"guests", "unsubscribed_guests", "active_guest_plans"},
        ),
        (
            "smartwifi",
            {"guests", "unsubscribed_guests", "active_guest_plans"},
            {"wan_ip", "wan_ip_updated", "ad_views_today", "ad_clicks_today"},
        ),
    ],
)
async def test_sensors_a_vendor_does_not_offer_are_not_created(
    hass: HomeAssistant,
    request: pytest.FixtureRequest,
    vendor: str,
    offered: set[str],
    not_offered: set[str],
) -> None:
    """A vendor gets only the sensors it has data for (no unknown placeholders)."""
    request.getfixturevalue(vendor)
    entry = request.getfixturevalue(f"{vendor}_entry")
    await setup_entry(hass, entry)

    keys = {reg.translation_key for reg in sensor_entries(hass, entry)}
    assert offered <= keys
    assert not keys & not_offered
    assert {"online_guests", "guests_today", "download_today", "upload_today"} <= keys
    for reg in sensor_entries(hass, entry):
        assert hass.states.get(reg.entity_id).state not in ("unknown", "unavailable")


@pytest.mark.parametrize(
    ("vendor", "entity_id", "native_bytes"),
    [
        ("wiwiz", "sensor.hs1_download_today", "1000"),
        ("wiwiz", "sensor.hs1_upload_today", "100"),
        ("smartwifi", "sensor.lobby_download_today", "2000"),
        ("smartwifi", "sensor.lobby_upload_today", "200"),
    ],
)
async def test_data_sensors_are_bytes_shown_in_megabytes(
    hass: HomeAssistant,
    request: pytest.FixtureRequest,
    vendor: str,
    entity_id: str,
    native_bytes: str,
) -> None:
    """Traffic is counted in bytes, suggested in MB, and statistics-friendly."""
    request.getfixturevalue(vendor)
    await setup_entry(hass, request.getfixturevalue(f"{vendor}_entry"))
    registry = er.async_get(hass)

    state = hass.states.get(entity_id)
    assert state.attributes[ATTR_DEVICE_CLASS] == SensorDeviceClass.DATA_SIZE
    assert state.attributes[ATTR_STATE_CLASS] == SensorStateClass.TOTAL_INCREASING
    assert state.attributes[ATTR_UNIT_OF_MEASUREMENT] == UnitOfInformation.MEGABYTES
    reg = registry.async_get(entity_id)
    assert reg.options["sensor.private"] == {
        "suggested_unit_of_measurement": UnitOfInformation.MEGABYTES
    }
    assert reg.options["sensor"]["suggested_display_precision"] == 2

    # The user asks for bytes: the native value shows as it is.
    registry.async_update_entity_options(
        entity_id, "sensor", {"unit_of_measurement": UnitOfInformation.BYTES}
    )
    await hass.async_block_till_done()
    state = hass.states.get(entity_id)
    assert state.attributes[ATTR_UNIT_OF_MEASUREMENT] == UnitOfInformation.BYTES
    assert state.state == native_bytes


@pytest.mark.parametrize(
    ("entity_id", "state_class"),
    [
        ("sensor.hs1_online_guests", SensorStateClass.MEASUREMENT),
        ("sensor.hs1_guests_today", SensorStateClass.TOTAL_INCREASING),
        ("sensor.hs1_ad_views_today", SensorStateClass.TOTAL_INCREASING),
        ("sensor.hs1_ad_clicks_today", SensorStateClass.TOTAL_INCREASING),
        ("sensor.hs1_phone_numbers_today", SensorStateClass.TOTAL_INCREASING),
    ],
)
async def test_count_sensors(
    hass: HomeAssistant,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
    entity_id: str,
    state_class: SensorStateClass,
) -> None:
    """Counts have a state class for statistics, and no unit or device class."""
    await setup_entry(hass, wiwiz_entry)

    attributes = hass.states.get(entity_id).attributes
    assert attributes[ATTR_STATE_CLASS] == state_class
    assert ATTR_UNIT_OF_MEASUREMENT not in attributes
    assert ATTR_DEVICE_CLASS not in attributes


async def test_wan_ip_sensors(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_entry: MockConfigEntry
) -> None:
    """The WAN address and its timestamp are diagnostics of the hotspot."""
    await setup_entry(hass, wiwiz_entry)
    registry = er.async_get(hass)

    updated = hass.states.get("sensor.hs1_wan_ip_updated")
    assert updated.attributes[ATTR_DEVICE_CLASS] == SensorDeviceClass.TIMESTAMP
    assert updated.state == "2026-11-23T07:00:00+00:00"
    wan_ip = hass.states.get("sensor.hs1_wan_ip")
    assert wan_ip.state == "203.0.113.7"
    assert ATTR_STATE_CLASS not in wan_ip.attributes
    for entity_id in ("sensor.hs1_wan_ip", "sensor.hs1_wan_ip_updated"):
        assert (
            registry.async_get(entity_id).entity_category is EntityCategory.DIAGNOSTIC
        )


async def test_account_sensors_on_service_device(
    hass: HomeAssistant, smartwifi: FakeSmartWifi, smartwifi_entry: MockConfigEntry
) -> None:
    """SmartWiFi's account figures sit on one service device, not on a hotspot."""
    await setup_entry(hass, smartwifi_entry)
    entities = er.async_get(hass)

    account = entry_device(
        hass, smartwifi_entry, (DOMAIN, "smartwifi_account_smartwifi_12261")
    )
    assert account is not None
    assert account.entry_type is dr.DeviceEntryType.SERVICE
    assert account.name == "SmartWiFi account"
    assert account.manufacturer == "SmartWiFiPlatform"
    on_account = {
        reg.entity_id: hass.states.get(reg.entity_id).state
        for reg in er.async_entries_for_device(entities, account.id)
    }
    assert on_account == {
        "sensor.smartwifi_account_guests": "3",
        "sensor.smartwifi_account_unsubscribed_guests": "1",
        "sensor.smartwifi_account_active_guest_plans": "1",
    }
    for entity_id in on_account:
        attributes = hass.states.get(entity_id).attributes
        assert attributes[ATTR_STATE_CLASS] == SensorStateClass.MEASUREMENT


@pytest.mark.parametrize(
    ("vendor", "hotspots"),
    [
        ("wiwiz", {"wiwiz_HS1": "HS1", "wiwiz_HS2": "HS2"}),
        ("smartwifi", {"smartwifi_12261": "Lobby", "smartwifi_12290": "Terrace"}),
    ],
)
async def test_one_device_per_hotspot(
    hass: HomeAssistant,
    request: pytest.FixtureRequest,
    vendor: str,
    hotspots: dict[str, str],
) -> None:
    """Each hotspot is one device, and its sensors are on it."""
    request.getfixturevalue(vendor)
    entry = request.getfixturevalue(f"{vendor}_entry")
    await setup_entry(hass, entry)
    devices = dr.async_get(hass)
    entities = er.async_get(hass)

    hotspot_devices = [
        device
        for device in dr.async_entries_for_config_entry(devices, entry.entry_id)
        if device.entry_type is None
    ]
    assert {
        identifier: device.name
        for device in hotspot_devices
        for (domain, identifier) in device.identifiers
        if domain == DOMAIN
    } == hotspots
    for device in hotspot_devices:
        assert (
            device.model == f"{'Wiwiz' if vendor == 'wiwiz' else 'SmartWiFi'} hotspot"
        )
        assert device.serial_number == next(iter(device.identifiers))[1].split("_")[1]
        keys = {
            reg.translation_key
            for reg in er.async_entries_for_device(entities, device.id)
            if reg.domain == Platform.SENSOR
        }
        assert {"online_guests", "guests_today", "download_today"} <= keys


# --- updates ----------------------------------------------------------------------


async def test_wiwiz_sensors_follow_polls(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """Each figure follows its own poller's interval."""
    await setup_entry(hass, wiwiz_entry)
    wiwiz.connect("HS1", "AA-BB-CC-00-00-02", incoming=2_500_000, outgoing=500_000)
    wiwiz.hotspots["HS1"]["mobile"].append(
        {"country": "39", "phonenum": "3331234567", "time": "2026-11-23 12:00:30"}
    )
    wiwiz.hotspots["HS1"]["ads"].extend(
        [
            {"ad_id": "1", "event_type": 1, "event_time": "2026-11-23 12:00:10"},
            {"ad_id": "1", "event_type": 1, "event_time": "2026-11-23 12:00:20"},
            {"ad_id": "1", "event_type": 2, "event_time": "2026-11-23 12:00:21"},
        ]
    )
    wiwiz.hotspots["HS1"]["wan_ip"] = "203.0.113.99"
    wiwiz.hotspots["HS1"]["updatetime"] = "2026-11-23 12:01:00"

    # Connections every minute.
    await poll(hass, frozen)
    assert hass.states.get("sensor.hs1_online_guests").state == "2"
    assert hass.states.get("sensor.hs1_guests_today").state == "1"

    # Today's logs every five minutes.
    await poll(hass, frozen, 240)
    assert hass.states.get("sensor.hs1_guests_today").state == "2"
    assert hass.states.get("sensor.hs1_download_today").state == "2.501"
    assert hass.states.get("sensor.hs1_upload_today").state == "0.5001"
    assert hass.states.get("sensor.hs1_ad_views_today").state == "2"
    assert hass.states.get("sensor.hs1_ad_clicks_today").state == "1"
    assert hass.states.get("sensor.hs1_phone_numbers_today").state == "1"
    assert hass.states.get("sensor.hs1_wan_ip").state == "203.0.113.7"

    # The WAN address every fifteen minutes.
    await poll(hass, frozen, 600)
    assert hass.states.get("sensor.hs1_wan_ip").state == "203.0.113.99"
    assert (
        hass.states.get("sensor.hs1_wan_ip_updated").state
        == "2026-11-23T11:01:00+00:00"
    )

    # A guest leaving lowers who is online, not who came today.
    wiwiz.disconnect("HS1", "AA-BB-CC-00-00-01")
    await poll(hass, frozen)
    assert hass.states.get("sensor.hs1_online_guests").state == "1"
    assert hass.states.get("sensor.hs1_guests_today").state == "2"


async def test_smartwifi_sensors_follow_polls(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
) -> None:
    """Open records are online guests; closed ones still count for today."""
    await setup_entry(hass, smartwifi_entry)

    smartwifi.connect(
        "Terrace",
        "AA-BB-CC-DD-EE-03",
        date="2026-11-23T10:30:00+00:00",
        downloaded=3_000_000,
        uploaded=1_000_000,
    )
    # A session opened yesterday (Rome) and still open: online, not today's.
    smartwifi.connect("Terrace", "AA-BB-CC-DD-EE-04", date="2026-11-22T22:30:00+00:00")
    smartwifi.disconnect("AA-BB-CC-DD-EE-01")
    await poll(hass, frozen)

    assert hass.states.get("sensor.lobby_online_guests").state == "0"
    assert hass.states.get("sensor.lobby_guests_today").state == "1"
    assert hass.states.get("sensor.lobby_download_today").state == "0.002"
    assert hass.states.get("sensor.terrace_online_guests").state == "2"
    assert hass.states.get("sensor.terrace_guests_today").state == "1"
    assert hass.states.get("sensor.terrace_download_today").state == "3.0"
    assert hass.states.get("sensor.terrace_upload_today").state == "1.0"

    smartwifi.guests[0]["unsubscribed"] = True
    smartwifi.plans.clear()
    await poll(hass, frozen, 900)
    assert hass.states.get("sensor.smartwifi_account_unsubscribed_guests").state == "2"
    assert hass.states.get("sensor.smartwifi_account_active_guest_plans").state == "0"


async def test_smartwifi_today_is_the_venue_day(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
) -> None:
    """Today starts at midnight in Rome, not in UTC; open sessions stay online."""
    # 00:30 in Rome on the 24th is 23:30 UTC on the 23rd.
    frozen.move_to("2026-11-24T00:30:00+01:00")
    # 00:10 in Rome: today's. The fake's 09:00 UTC session: yesterday's, still open.
    smartwifi.connect(
        "Lobby", "AA-BB-CC-DD-EE-05", date="2026-11-23T23:10:00+00:00", downloaded=5000
    )
    # A hotspot the entry did not select: not counted anywhere.
    smartwifi.connect("Rooftop", "AA-BB-CC-DD-EE-06", date="2026-11-23T23:20:00+00:00")
    await setup_entry(hass, smartwifi_entry)

    assert hass.states.get("sensor.lobby_online_guests").state == "2"
    assert hass.states.get("sensor.lobby_guests_today").state == "1"
    assert hass.states.get("sensor.lobby_download_today").state == "0.005"
    assert hass.states.get("sensor.terrace_online_guests").state == "0"
    assert hass.states.get("sensor.terrace_guests_today").state == "0"


async def test_smartwifi_account_sensors_unavailable_on_failure(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
) -> None:
    """Each sensor follows the health of its own poller."""
    await setup_entry(hass, smartwifi_entry)

    smartwifi.fail(status=503)
    await poll(hass, frozen)  # only the connections are due
    assert hass.states.get("sensor.lobby_online_guests").state == STATE_UNAVAILABLE
    assert hass.states.get("sensor.lobby_download_today").state == STATE_UNAVAILABLE
    assert hass.states.get("sensor.smartwifi_account_guests").state == "3"

    await poll(hass, frozen, 900)  # now the account too
    assert hass.states.get("sensor.smartwifi_account_guests").state == STATE_UNAVAILABLE

    smartwifi.recover()
    await poll(hass, frozen, 900)
    assert hass.states.get("sensor.smartwifi_account_guests").state == "3"
    assert hass.states.get("sensor.lobby_online_guests").state == "1"


async def test_a_poll_writes_only_the_sensors_it_changes(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
) -> None:
    """More traffic on the Lobby writes its download and upload, nothing else."""
    await setup_entry(hass, smartwifi_entry)
    written: list[str] = []

    @callback
    def note(event: Event) -> None:
        if event.data["entity_id"].startswith("sensor."):
            written.append(event.data["entity_id"])

    @callback
    def every(_data: Any) -> bool:
        return True

    hass.bus.async_listen(EVENT_STATE_CHANGED, note)
    hass.bus.async_listen(EVENT_STATE_REPORTED, note, event_filter=every)

    smartwifi.connections[0]["downloaded"] += 1_000_000
    smartwifi.connections[0]["uploaded"] += 100_000
    await poll(hass, frozen)
    assert sorted(written) == [
        "sensor.lobby_download_today",
        "sensor.lobby_upload_today",
    ]
    assert hass.states.get("sensor.lobby_download_today").state == "1.002"

    written.clear()
    smartwifi.fail(status=503)
    await poll(hass, frozen)  # unavailable: every connection sensor writes
    assert len(written) == 8
    written.clear()
    smartwifi.recover()
    await poll(hass, frozen)
    assert len(written) == 8
    assert hass.states.get("sensor.lobby_online_guests").state == "1"
