"""The ready dashboard the README imports (issue 17 item 4).

Its card finds the hotspots itself, so it is pasted as it is: rendered here
by Home Assistant's template engine, as the markdown card has it rendered.
"""

from __future__ import annotations

from pathlib import Path

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.template import Template
from homeassistant.util.yaml import load_yaml_dict
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.guest_wifi.const import DOMAIN

from .conftest import entry_device, setup_entry
from .fakes import FakeWiwiz

DASHBOARD = Path(__file__).parent.parent / "dashboards" / "guest_wifi.yaml"


def _table(hass: HomeAssistant) -> str:
    [view] = load_yaml_dict(str(DASHBOARD))["views"]
    [card] = [
        card
        for section in view["sections"]
        for card in section["cards"]
        if card["type"] == "markdown"
    ]
    return str(Template(card["content"], hass).async_render(parse_result=False))


async def test_a_line_per_hotspot_with_its_figures(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, wiwiz_entry)
    hs1 = entry_device(hass, wiwiz_entry, (DOMAIN, "wiwiz_HS1"))
    assert hs1 is not None
    dr.async_get(hass).async_update_device(hs1.id, name_by_user="Garden")

    def figure(entity_id: str) -> str:
        state = hass.states.get(entity_id)
        assert state is not None
        unit = state.attributes.get("unit_of_measurement")
        return f"{state.state} {unit}" if unit else state.state

    rows = [
        f"| {name} | {figure(f'sensor.{hs}_online_guests')}"
        f" | {figure(f'sensor.{hs}_guests_today')}"
        f" | {figure(f'sensor.{hs}_download_today')}"
        f" | {figure(f'sensor.{hs}_upload_today')} |"
        for name, hs in (("Garden", "hs1"), ("HS2", "hs2"))
    ]
    lines = _table(hass).strip().splitlines()
    assert lines[0].startswith("| Hotspot | Online |")
    assert sorted(lines[2:]) == sorted(rows)


async def test_no_hotspot_yet(hass: HomeAssistant) -> None:
    assert _table(hass).strip() == "No Guest Wi-Fi hotspot yet."
