"""Integration triggers: "Guest connected" under *Add trigger → By target*.

Home Assistant offers an integration's triggers for a target when an entity
of the target matches the trigger's target filter (triggers.yaml); the
automation then holds `trigger: guest_wifi.guest_connected` with that target.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import automation
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
    trigger as trigger_helper,
)
from homeassistant.setup import async_setup_component
from homeassistant.util.yaml import load_yaml_dict
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator
import voluptuous as vol

from custom_components.guest_wifi.const import DOMAIN

from .conftest import our_device, poll, setup_entry
from .fakes import FakeWiwiz

PACKAGE = Path(__file__).parent.parent / "custom_components" / DOMAIN
TRIGGERS = ("guest_connected", "guest_disconnected")


pytestmark = pytest.mark.usefixtures("frozen")


async def _automation(
    hass: HomeAssistant,
    trigger: str,
    target: dict[str, Any],
    options: dict[str, Any] | None = None,
) -> None:
    config: dict[str, Any] = {"trigger": f"{DOMAIN}.{trigger}", "target": target}
    if options is not None:
        config["options"] = options
    assert await async_setup_component(
        hass,
        automation.DOMAIN,
        {
            automation.DOMAIN: {
                "triggers": config,
                "actions": {
                    "action": "test.automation",
                    "data_template": {
                        "mac": "{{ trigger.event.data.mac }}",
                        "hotspot": "{{ trigger.event.data.hotspot_name }}",
                        "device_id": "{{ trigger.device_id }}",
                        "description": "{{ trigger.description }}",
                    },
                },
            }
        },
    )
    await hass.async_block_till_done()


async def _triggers_for(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator, target: dict[str, Any]
) -> set[str]:
    """What *Add trigger → By target* lists for the target."""
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {"type": "get_triggers_for_target", "target": target}
    )
    answer = await client.receive_json()
    assert answer["success"], answer
    return {t for t in answer["result"] if t.startswith(f"{DOMAIN}.")}


async def test_a_hotspot_lists_both_triggers_by_target(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, wiwiz_entry)
    hotspot = our_device(hass, wiwiz_entry, "wiwiz_HS1").id
    assert await _triggers_for(hass, hass_ws_client, {"device_id": [hotspot]}) == {
        "guest_wifi.guest_connected",
        "guest_wifi.guest_disconnected",
    }


async def test_the_account_device_lists_no_trigger_by_target(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    smartwifi: object,
    smartwifi_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, smartwifi_entry)
    account = our_device(hass, smartwifi_entry, "smartwifi_account_smartwifi_12261").id
    assert await _triggers_for(hass, hass_ws_client, {"device_id": [account]}) == set()


async def test_the_descriptions_are_what_core_reads(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_entry: MockConfigEntry
) -> None:
    """triggers.yaml passes core's own schema: the picker gets target and field."""
    await setup_entry(hass, wiwiz_entry)
    await trigger_helper.async_validate_trigger_config(
        hass, [{"platform": f"{DOMAIN}.guest_connected", "target": {"device_id": "x"}}]
    )
    descriptions = await trigger_helper.async_get_all_descriptions(hass)
    for key in TRIGGERS:
        description = descriptions[f"{DOMAIN}.{key}"]
        assert description is not None, key
        assert description["target"] == {
            "entity": [{"integration": DOMAIN, "domain": ["event"]}]
        }
        assert description["fields"]["mac"]["required"] is False
        assert "text" in description["fields"]["mac"]["selector"]


def test_each_trigger_and_field_has_a_name_a_description_and_an_icon() -> None:
    """What hassfest checks of a core integration's triggers, checked here.

    (hassfest itself ships with core's sources, not in the package.)
    """
    described = load_yaml_dict(str(PACKAGE / "triggers.yaml"))
    assert sorted(k for k in described if not k.startswith(".")) == list(TRIGGERS)
    for key in TRIGGERS:
        assert set(described[key]) <= {"target", "fields"}, key
        for field in described[key]["fields"].values():
            assert set(field) <= {"example", "default", "required", "selector"}
    strings = json.loads((PACKAGE / "strings.json").read_text())["triggers"]
    icons = json.loads((PACKAGE / "icons.json").read_text())["triggers"]
    for key in TRIGGERS:
        assert strings[key]["name"], key
        assert strings[key]["description"], key
        assert strings[key]["fields"]["mac"]["name"], key
        assert strings[key]["fields"]["mac"]["description"], key
        assert icons[key]["trigger"].startswith("mdi:"), key


async def test_guest_connected_runs_for_the_targeted_hotspot_only(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
    service_calls: list[ServiceCall],
) -> None:
    await setup_entry(hass, wiwiz_entry)
    hotspot = our_device(hass, wiwiz_entry, "wiwiz_HS1").id
    await _automation(hass, "guest_connected", {"device_id": hotspot})

    wiwiz.connect("HS2", "AA-BB-CC-00-00-02")  # another hotspot
    await poll(hass, frozen)
    assert service_calls == []

    wiwiz.connect("HS1", "AA-BB-CC-00-00-03")
    await poll(hass, frozen)
    assert [c.data for c in service_calls] == [
        {
            "mac": "aa:bb:cc:00:00:03",
            "hotspot": "HS1",
            "device_id": hotspot,
            "description": "guest aa:bb:cc:00:00:03 connected to HS1",
        }
    ]


async def test_guest_disconnected_with_a_mac_typed_as_people_do(
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
        "guest_disconnected",
        {"device_id": [our_device(hass, wiwiz_entry, "wiwiz_HS1").id]},
        {"mac": "AA-BB-CC-00-00-02"},
    )

    wiwiz.disconnect("HS1", "AA-BB-CC-00-00-01")  # someone else leaves
    await poll(hass, frozen)
    assert service_calls == []

    wiwiz.disconnect("HS1", "AA-BB-CC-00-00-02")
    await poll(hass, frozen)
    assert [c.data["mac"] for c in service_calls] == ["aa:bb:cc:00:00:02"]


async def test_an_area_targets_the_hotspots_in_it_as_they_are_now(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
    service_calls: list[ServiceCall],
) -> None:
    """A hotspot moved into the area later is covered without editing."""
    await setup_entry(hass, wiwiz_entry)
    lobby = ar.async_get(hass).async_create("Lobby")
    await _automation(hass, "guest_connected", {"area_id": lobby.id}, {"mac": ""})

    wiwiz.connect("HS1", "AA-BB-CC-00-00-03")
    await poll(hass, frozen)
    assert service_calls == []

    dr.async_get(hass).async_update_device(
        our_device(hass, wiwiz_entry, "wiwiz_HS1").id, area_id=lobby.id
    )
    wiwiz.connect("HS1", "AA-BB-CC-00-00-04")
    await poll(hass, frozen)
    assert [c.data["mac"] for c in service_calls] == ["aa:bb:cc:00:00:04"]


async def test_the_event_entity_as_target(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
    service_calls: list[ServiceCall],
) -> None:
    await setup_entry(hass, wiwiz_entry)
    activity = next(
        state.entity_id
        for state in hass.states.async_all("event")
        if state.entity_id.startswith("event.hs1")
    )
    await _automation(hass, "guest_connected", {"entity_id": activity})

    wiwiz.connect("HS1", "AA-BB-CC-00-00-03")
    await poll(hass, frozen)
    assert [c.data["hotspot"] for c in service_calls] == ["HS1"]


@pytest.mark.parametrize(
    ("config", "refusal"),
    [
        ({"target": {"device_id": "x"}, "options": {"mac": "not a mac"}}, "MAC"),
        ({"options": {"mac": "aa:bb:cc:dd:ee:ff"}}, "target"),
    ],
)
async def test_a_bad_trigger_is_refused(
    hass: HomeAssistant,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
    config: dict[str, Any],
    refusal: str,
) -> None:
    await setup_entry(hass, wiwiz_entry)
    with pytest.raises(vol.Invalid, match=refusal):
        await trigger_helper.async_validate_trigger_config(
            hass, [{"platform": f"{DOMAIN}.guest_connected", **config}]
        )


async def test_a_trigger_turned_off_stops_following_its_target(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
    service_calls: list[ServiceCall],
) -> None:
    """The target is followed while the automation is on, and let go after."""
    await setup_entry(hass, wiwiz_entry)
    followed = (
        er.EVENT_ENTITY_REGISTRY_UPDATED,
        dr.EVENT_DEVICE_REGISTRY_UPDATED,
        ar.EVENT_AREA_REGISTRY_UPDATED,
        f"{DOMAIN}_guest_connected",
    )

    def listeners() -> list[int]:
        counts = hass.bus.async_listeners()
        return [counts.get(event, 0) for event in followed]

    before = listeners()
    lobby = ar.async_get(hass).async_create("Lobby")
    await _automation(hass, "guest_connected", {"area_id": lobby.id})
    assert listeners() != before

    await hass.services.async_call(
        automation.DOMAIN,
        "turn_off",
        {"entity_id": "all"},
        blocking=True,
    )
    dr.async_get(hass).async_update_device(
        our_device(hass, wiwiz_entry, "wiwiz_HS1").id, area_id=lobby.id
    )
    wiwiz.connect("HS1", "AA-BB-CC-00-00-04")
    await poll(hass, frozen)

    assert [c for c in service_calls if c.domain == "test"] == []
    assert listeners() == before
