"""Device triggers on a hotspot: an automation built on "Guest connected"."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import automation
from homeassistant.components.device_automation import DeviceAutomationType
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_get_device_automation_capabilities,
    async_get_device_automations,
)

from custom_components.guest_wifi.const import DOMAIN

from .conftest import our_device, poll, setup_entry
from .fakes import FakeWiwiz

pytestmark = pytest.mark.usefixtures("frozen")


async def _automation(
    hass: HomeAssistant, device_id: str, trigger_type: str, **extra: str
) -> None:
    assert await async_setup_component(
        hass,
        automation.DOMAIN,
        {
            automation.DOMAIN: {
                "triggers": {
                    "platform": "device",
                    "domain": DOMAIN,
                    "device_id": device_id,
                    "type": trigger_type,
                    **extra,
                },
                "actions": {
                    "action": "test.automation",
                    "data_template": {
                        "mac": "{{ trigger.event.data.mac }}",
                        "hotspot": "{{ trigger.event.data.hotspot_name }}",
                    },
                },
            }
        },
    )


async def test_a_hotspot_offers_both_triggers_and_a_mac_filter(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, wiwiz_entry)
    device = our_device(hass, wiwiz_entry, "wiwiz_HS1")
    triggers = await async_get_device_automations(
        hass, DeviceAutomationType.TRIGGER, device.id
    )
    ours = sorted(t["type"] for t in triggers if t["domain"] == DOMAIN)
    assert ours == ["guest_connected", "guest_disconnected"]
    capabilities = await async_get_device_automation_capabilities(
        hass,
        DeviceAutomationType.TRIGGER,
        next(t for t in triggers if t["domain"] == DOMAIN),
    )
    assert [f["name"] for f in capabilities["extra_fields"]] == ["mac"]


async def test_guest_connected_runs_the_automation_for_that_hotspot_only(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
    service_calls: list[ServiceCall],
) -> None:
    await setup_entry(hass, wiwiz_entry)
    await _automation(
        hass, our_device(hass, wiwiz_entry, "wiwiz_HS1").id, "guest_connected"
    )

    wiwiz.connect("HS2", "AA-BB-CC-00-00-02")  # another hotspot
    await poll(hass, frozen)
    assert service_calls == []

    wiwiz.connect("HS1", "AA-BB-CC-00-00-03")
    await poll(hass, frozen)
    assert [c.data for c in service_calls] == [
        {"mac": "aa:bb:cc:00:00:03", "hotspot": "HS1"}
    ]


async def test_guest_disconnected_with_a_mac_filter(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
    service_calls: list[ServiceCall],
) -> None:
    wiwiz.connect("HS1", "AA-BB-CC-00-00-02")
    await setup_entry(hass, wiwiz_entry)
    await _automation(
        hass,
        our_device(hass, wiwiz_entry, "wiwiz_HS1").id,
        "guest_disconnected",
        mac="AA-BB-CC-00-00-02",  # as a person types it
    )

    wiwiz.disconnect("HS1", "AA-BB-CC-00-00-01")  # someone else leaves
    await poll(hass, frozen)
    assert service_calls == []

    wiwiz.disconnect("HS1", "AA-BB-CC-00-00-02")
    await poll(hass, frozen)
    assert [c.data["mac"] for c in service_calls] == ["aa:bb:cc:00:00:02"]


async def test_the_account_device_offers_no_trigger(
    hass: HomeAssistant, smartwifi_entry: MockConfigEntry, smartwifi: object
) -> None:
    await setup_entry(hass, smartwifi_entry)
    account = our_device(hass, smartwifi_entry, "smartwifi_account_smartwifi_12261")
    triggers = await async_get_device_automations(
        hass, DeviceAutomationType.TRIGGER, account.id
    )
    assert [t for t in triggers if t["domain"] == DOMAIN] == []


async def test_a_bad_mac_is_refused(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_entry: MockConfigEntry
) -> None:
    from custom_components.guest_wifi.device_trigger import TRIGGER_SCHEMA

    await setup_entry(hass, wiwiz_entry)
    base = {
        "platform": "device",
        "domain": DOMAIN,
        "device_id": our_device(hass, wiwiz_entry, "wiwiz_HS1").id,
        "type": "guest_connected",
    }
    assert TRIGGER_SCHEMA({**base, "mac": "aa-bb-cc-dd-ee-ff"})["mac"] == (
        "aa:bb:cc:dd:ee:ff"
    )
    with pytest.raises(Exception, match="MAC"):
        TRIGGER_SCHEMA({**base, "mac": "not a mac"})
