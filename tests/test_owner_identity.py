"""Telling hotspots and accounts apart, and reading the figures (issue 17 items 1, 7).

Two venues may each have a "Lobby": the devices must say whose (vendor model,
hotspot id, account), the action pickers offer only hotspots an action can
use, and the figures read as an owner expects.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, ServiceResponse
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.util.yaml import load_yaml_dict
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.guest_wifi.const import DOMAIN

from .conftest import our_device, setup_entry
from .fakes import FakeSmartWifi, FakeWiwiz

# The fakes' day, at noon: the actions read its morning.
pytestmark = pytest.mark.usefixtures("frozen")

SERVICES_YAML = (
    Path(__file__).parent.parent / "custom_components" / DOMAIN / "services.yaml"
)


def _hotspot_devices(
    hass: HomeAssistant, entry: MockConfigEntry
) -> dict[str, dr.DeviceEntry]:
    """The entry's hotspot devices by serial number."""
    return {
        device.serial_number: device
        for device in dr.async_entries_for_config_entry(
            dr.async_get(hass), entry.entry_id
        )
        if device.entry_type is None and device.serial_number
    }


async def _this_morning(
    hass: HomeAssistant, service: str, **hotspot: Any
) -> ServiceResponse:
    """An action on the hotspot's records from midnight to noon on the fakes' day."""
    return await hass.services.async_call(
        DOMAIN,
        service,
        {**hotspot, "start": "2026-11-23 00:00", "end": "2026-11-23 12:00"},
        blocking=True,
        return_response=True,
    )


@pytest.mark.parametrize(
    ("vendor", "model", "account", "ids"),
    [
        ("wiwiz", "Wiwiz hotspot", "Wiwiz account", {"HS1", "HS2"}),
        ("smartwifi", "SmartWiFi hotspot", "SmartWiFi account", {"12261", "12290"}),
    ],
)
async def test_hotspots_say_vendor_id_and_account(
    hass: HomeAssistant,
    request: pytest.FixtureRequest,
    vendor: str,
    model: str,
    account: str,
    ids: set[str],
) -> None:
    """A hotspot's model names its vendor, its serial is its id, its account links it."""
    request.getfixturevalue(vendor)
    entry = request.getfixturevalue(f"{vendor}_entry")
    await setup_entry(hass, entry)

    account_device = our_device(hass, entry, f"{vendor}_account_{entry.unique_id}")
    assert account_device.name == account
    assert account_device.entry_type is dr.DeviceEntryType.SERVICE
    hotspots = _hotspot_devices(hass, entry)
    assert set(hotspots) == ids
    for device in hotspots.values():
        assert device.model == model
        assert device.via_device_id == account_device.id


async def test_two_lobbies_differ(
    hass: HomeAssistant,
    wiwiz: FakeWiwiz,
    smartwifi: FakeSmartWifi,
    wiwiz_entry: MockConfigEntry,
    smartwifi_entry: MockConfigEntry,
) -> None:
    """A Wiwiz "Lobby" and a SmartWiFi "Lobby": model, id and account tell them apart."""
    hass.config_entries.async_update_entry(
        wiwiz_entry,
        data={**wiwiz_entry.data, "hotspots": {"HS1": "Lobby", "HS2": "HS2"}},
    )
    # Setting one up sets the integration up, with every entry it has.
    await setup_entry(hass, wiwiz_entry)
    assert smartwifi_entry.state is ConfigEntryState.LOADED
    registry = dr.async_get(hass)

    lobbies = [
        device
        for entry in (wiwiz_entry, smartwifi_entry)
        for device in _hotspot_devices(hass, entry).values()
        if device.name == "Lobby"
    ]
    assert len(lobbies) == 2
    told_apart = {
        (
            device.model,
            device.serial_number,
            registry.async_get(device.via_device_id).name,  # type: ignore[arg-type, union-attr]
        )
        for device in lobbies
    }
    assert told_apart == {
        ("Wiwiz hotspot", "HS1", "Wiwiz account"),
        ("SmartWiFi hotspot", "12261", "SmartWiFi account"),
    }


async def test_smartwifi_account_entity_ids_name_the_account(
    hass: HomeAssistant, smartwifi: FakeSmartWifi, smartwifi_entry: MockConfigEntry
) -> None:
    """A new entry's account figures are `sensor.smartwifi_account_…`, not the hotspot list."""
    hass.config_entries.async_update_entry(
        smartwifi_entry, title="SmartWiFi (Lobby, Terrace)"
    )
    await setup_entry(hass, smartwifi_entry)

    assert hass.states.get("sensor.smartwifi_account_guests").state == "3"
    assert hass.states.get("sensor.smartwifi_account_unsubscribed_guests")
    assert hass.states.get("sensor.smartwifi_account_active_guest_plans")


async def test_existing_account_entity_ids_stay(
    hass: HomeAssistant, smartwifi: FakeSmartWifi, smartwifi_entry: MockConfigEntry
) -> None:
    """An owner's automations keep working: entity ids made before stay as they were."""
    registry = er.async_get(hass)
    old = registry.async_get_or_create(
        "sensor",
        DOMAIN,
        f"{smartwifi_entry.entry_id}_guests",
        config_entry=smartwifi_entry,
        suggested_object_id="smartwifi_lobby_terrace_guests",
    )
    await setup_entry(hass, smartwifi_entry)

    assert old.entity_id == "sensor.smartwifi_lobby_terrace_guests"
    assert hass.states.get(old.entity_id).state == "3"
    assert hass.states.get("sensor.smartwifi_account_guests") is None


async def test_upload_of_a_few_kilobytes_shows(
    hass: HomeAssistant,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
) -> None:
    """46 kB up today does not read "0.0 MB" at the suggested precision."""
    smartwifi.connections.clear()
    smartwifi.connect("Lobby", "AA:BB:CC:00:00:46", uploaded=46_000)
    await setup_entry(hass, smartwifi_entry)

    entity_id = "sensor.lobby_upload_today"
    state = hass.states.get(entity_id)
    precision = (
        er.async_get(hass)
        .async_get(entity_id)
        .options["sensor"]["suggested_display_precision"]
    )
    shown = f"{float(state.state):.{precision}f}"
    assert float(shown) > 0, f"{state.state} MB shows as {shown}"


# --- the action pickers -------------------------------------------------------------


def _hotspot_filter(service: str) -> Any:
    documented = load_yaml_dict(str(SERVICES_YAML))
    return documented[service]["fields"]["hotspot"]["selector"]["device"]["filter"]


def test_pickers_offer_only_hotspots_the_action_can_use() -> None:
    """Wiwiz-only actions offer Wiwiz hotspots; the log, both vendors' hotspots."""
    both = [
        {"integration": DOMAIN, "model": "Wiwiz hotspot"},
        {"integration": DOMAIN, "model": "SmartWiFi hotspot"},
    ]
    assert _hotspot_filter("get_connection_log") == both
    for service in ("get_mobile_numbers", "get_ad_events"):
        assert _hotspot_filter(service) == [
            {"integration": DOMAIN, "model": "Wiwiz hotspot"}
        ]


def test_a_hotspot_device_alone_is_enough() -> None:
    """The device names its account: the account field is not required with it."""
    documented = load_yaml_dict(str(SERVICES_YAML))
    for service in ("get_connection_log", "get_mobile_numbers", "get_ad_events"):
        assert not documented[service]["fields"]["config_entry_id"].get("required")


async def test_log_of_a_hotspot_device_without_the_account(
    hass: HomeAssistant,
    wiwiz: FakeWiwiz,
    smartwifi: FakeSmartWifi,
    wiwiz_entry: MockConfigEntry,
    smartwifi_entry: MockConfigEntry,
) -> None:
    """Picking the SmartWiFi Lobby alone reads its log, whatever else is set up."""
    # Setting one up sets the integration up, with every entry it has.
    await setup_entry(hass, wiwiz_entry)
    assert smartwifi_entry.state is ConfigEntryState.LOADED
    lobby = _hotspot_devices(hass, smartwifi_entry)["12261"]
    wiwiz.calls.clear()
    smartwifi.calls.clear()

    response = await _this_morning(hass, "get_connection_log", hotspot=lobby.id)

    assert isinstance(response, dict)
    assert response["connections"]
    assert {record["hotspot_name"] for record in response["connections"]} == {"Lobby"}
    assert smartwifi.calls
    assert wiwiz.calls == []


async def test_without_account_or_device_the_account_is_asked_for(
    hass: HomeAssistant,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """A hotspot by name needs its account: the refusal says to choose one."""
    await setup_entry(hass, wiwiz_entry)
    wiwiz.calls.clear()

    with pytest.raises(ServiceValidationError) as err:
        await _this_morning(hass, "get_connection_log", hotspot_id="HS1")

    assert err.value.translation_key == "account_missing"
    assert wiwiz.calls == []


async def test_a_device_that_is_no_hotspot_is_named(
    hass: HomeAssistant,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """Another integration's device (or the account's) is refused by its name."""
    await setup_entry(hass, wiwiz_entry)
    other = MockConfigEntry(domain="other_domain", title="Other")
    other.add_to_hass(hass)
    lamp = dr.async_get(hass).async_get_or_create(
        config_entry_id=other.entry_id,
        identifiers={("other_domain", "lamp")},
        name="Lamp",
    )
    wiwiz.calls.clear()

    with pytest.raises(ServiceValidationError) as err:
        await _this_morning(hass, "get_mobile_numbers", hotspot=lamp.id)

    assert err.value.translation_key == "not_a_hotspot"
    assert err.value.translation_placeholders == {"device": "Lamp"}
    assert str(err.value) == "The device Lamp is not a Guest Wi-Fi hotspot"
    assert wiwiz.calls == []


async def test_a_hotspot_of_an_unloaded_account_says_so(
    hass: HomeAssistant,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
) -> None:
    """Picked by its device while its account is unloaded: core says it is not loaded."""
    await setup_entry(hass, smartwifi_entry)
    lobby = _hotspot_devices(hass, smartwifi_entry)["12261"]
    assert await hass.config_entries.async_unload(smartwifi_entry.entry_id)

    with pytest.raises(ServiceValidationError) as err:
        await _this_morning(hass, "get_connection_log", hotspot=lobby.id)

    assert err.value.translation_key != "not_a_hotspot"
    assert err.value.translation_domain == "homeassistant"
