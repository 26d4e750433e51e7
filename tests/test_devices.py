"""Hotspot devices: a dropped hotspot's device goes, a stale one can be deleted."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.guest_wifi.const import DOMAIN

from .conftest import entry_device, setup_entry
from .fakes import SMARTWIFI_TOKEN, FakeSmartWifi, FakeWiwiz

LOBBY = (DOMAIN, "smartwifi_12261")
TERRACE = (DOMAIN, "smartwifi_12290")
ACCOUNT = (DOMAIN, "smartwifi_account_smartwifi_12261")


def _entity_ids(hass: HomeAssistant, device: dr.DeviceEntry) -> set[str]:
    return {
        reg.entity_id
        for reg in er.async_entries_for_device(
            er.async_get(hass), device.id, include_disabled_entities=True
        )
    }


async def _drop_terrace(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Reconfigure the entry and untick the Terrace, as the owner would."""
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"api_token": SMARTWIFI_TOKEN, "environment": "us_a"}
    )
    assert result["step_id"] == "smartwifi_hotspots"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"hotspots": ["12261"]}
    )
    assert result["type"] is FlowResultType.ABORT
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


async def _remove_device(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    entry: MockConfigEntry,
    device: dr.DeviceEntry,
) -> dict[str, Any]:
    """Press "Delete" on the device page."""
    assert await async_setup_component(hass, "config", {})
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {
            "type": "config/device_registry/remove_config_entry",
            "config_entry_id": entry.entry_id,
            "device_id": device.id,
        }
    )
    return await client.receive_json()


async def test_dropped_hotspot_device_goes_with_its_entities(
    hass: HomeAssistant, smartwifi: FakeSmartWifi, smartwifi_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, smartwifi_entry)
    terrace = entry_device(hass, smartwifi_entry, TERRACE)
    assert terrace is not None
    terrace_entities = _entity_ids(hass, terrace)
    assert terrace_entities

    await _drop_terrace(hass, smartwifi_entry)

    assert entry_device(hass, smartwifi_entry, TERRACE) is None
    assert entry_device(hass, smartwifi_entry, LOBBY) is not None
    assert entry_device(hass, smartwifi_entry, ACCOUNT) is not None
    registry = er.async_get(hass)
    assert not any(registry.async_get(e) for e in terrace_entities)
    assert all(hass.states.get(e) is None for e in terrace_entities)


async def test_dropped_hotspot_device_goes_at_start(
    hass: HomeAssistant, smartwifi: FakeSmartWifi, smartwifi_entry: MockConfigEntry
) -> None:
    """A device left by an older release (or a crash) goes at the next start."""
    dr.async_get(hass).async_get_or_create(
        config_entry_id=smartwifi_entry.entry_id,
        identifiers={(DOMAIN, "smartwifi_99999")},
        name="Old bar",
    )

    await setup_entry(hass, smartwifi_entry)

    assert entry_device(hass, smartwifi_entry, (DOMAIN, "smartwifi_99999")) is None
    assert entry_device(hass, smartwifi_entry, TERRACE) is not None


@pytest.mark.parametrize(
    ("identifier", "removable"),
    [(LOBBY, False), (TERRACE, False), (ACCOUNT, False)],
)
async def test_held_devices_cannot_be_deleted(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
    identifier: tuple[str, str],
    removable: bool,
) -> None:
    await setup_entry(hass, smartwifi_entry)
    device = entry_device(hass, smartwifi_entry, identifier)
    assert device is not None

    response = await _remove_device(hass, hass_ws_client, smartwifi_entry, device)

    assert response["success"] is removable
    assert entry_device(hass, smartwifi_entry, identifier) is not None


async def test_stale_device_can_be_deleted(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """A hotspot device the entry does not hold (made while it ran) is deletable."""
    await setup_entry(hass, wiwiz_entry)
    stale = dr.async_get(hass).async_get_or_create(
        config_entry_id=wiwiz_entry.entry_id,
        identifiers={(DOMAIN, "wiwiz_HS9")},
        name="HS9",
    )

    response = await _remove_device(hass, hass_ws_client, wiwiz_entry, stale)

    assert response["success"] is True
    assert entry_device(hass, wiwiz_entry, (DOMAIN, "wiwiz_HS9")) is None
    assert entry_device(hass, wiwiz_entry, (DOMAIN, "wiwiz_HS1")) is not None


# --- hotspots new at the vendor ------------------------------------------------


def _offered(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, ir.IssueEntry]:
    """The new-hotspot notices of the entry, by hotspot id."""
    prefix = f"new_hotspot_{entry.entry_id}_"
    return {
        issue_id.removeprefix(prefix): issue
        for (domain, issue_id), issue in ir.async_get(hass).issues.items()
        if domain == DOMAIN and issue_id.startswith(prefix) and issue.active
    }


async def _an_hour_later(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    freezer.tick(timedelta(hours=1, seconds=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_new_hotspot_at_the_vendor_is_offered(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, smartwifi_entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert _offered(hass, smartwifi_entry) == {}

    smartwifi.hotspots.append({"id": 12300, "name": "Rooftop"})
    await _an_hour_later(hass, freezer)

    notice = _offered(hass, smartwifi_entry)["12300"]
    assert notice.dismissed_version is None
    assert notice.severity is ir.IssueSeverity.WARNING
    assert notice.translation_key == "new_hotspot"
    assert notice.translation_placeholders == {
        "title": "SmartWiFi",
        "hotspot": "Rooftop",
    }
    # Offered, not added.
    assert entry_device(hass, smartwifi_entry, (DOMAIN, "smartwifi_12300")) is None
    assert "12300" not in smartwifi_entry.data["hotspots"]

    # The owner ticks it in a reconfigure: it is a device, the notice goes.
    result = await smartwifi_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"api_token": SMARTWIFI_TOKEN, "environment": "us_a"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"hotspots": ["12261", "12290", "12300"]}
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry_device(hass, smartwifi_entry, (DOMAIN, "smartwifi_12300"))
    assert _offered(hass, smartwifi_entry) == {}


async def test_hotspot_gone_from_the_vendor_is_no_longer_offered(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
) -> None:
    smartwifi.hotspots.append({"id": 12300, "name": "Rooftop"})
    await setup_entry(hass, smartwifi_entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert set(_offered(hass, smartwifi_entry)) == {"12300"}

    smartwifi.hotspots.pop()
    await _an_hour_later(hass, freezer)

    assert _offered(hass, smartwifi_entry) == {}


async def test_dropped_hotspot_is_not_offered_back(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, smartwifi_entry)
    await _drop_terrace(hass, smartwifi_entry)
    await _an_hour_later(hass, freezer)

    notice = _offered(hass, smartwifi_entry)["12290"]
    assert notice.dismissed_version is not None  # ignored: not shown


async def test_notices_go_with_the_entry(
    hass: HomeAssistant, smartwifi: FakeSmartWifi, smartwifi_entry: MockConfigEntry
) -> None:
    smartwifi.hotspots.append({"id": 12300, "name": "Rooftop"})
    await setup_entry(hass, smartwifi_entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert _offered(hass, smartwifi_entry)

    assert await hass.config_entries.async_remove(smartwifi_entry.entry_id)
    await hass.async_block_till_done()

    assert _offered(hass, smartwifi_entry) == {}


async def test_vendor_failure_offers_nothing_and_keeps_notices(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
) -> None:
    smartwifi.hotspots.append({"id": 12300, "name": "Rooftop"})
    await setup_entry(hass, smartwifi_entry)
    await hass.async_block_till_done(wait_background_tasks=True)

    smartwifi.fail(status=500)
    await _an_hour_later(hass, freezer)

    assert set(_offered(hass, smartwifi_entry)) == {"12300"}
