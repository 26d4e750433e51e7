"""The ready dashboard the README imports (issue 17 item 4).

Its card finds the hotspots itself, so it is pasted as it is: rendered here
by Home Assistant's template engine, as the markdown card has it rendered.
"""

from __future__ import annotations

from pathlib import Path

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.template import Template
from homeassistant.util.yaml import load_yaml_dict
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.guest_wifi.const import DOMAIN

from .conftest import hotspot_sensor, our_device, setup_entry
from .fakes import FakeWiwiz

ROOT = Path(__file__).parent.parent
DASHBOARD = ROOT / "dashboards" / "guest_wifi.yaml"
# Every language the integration speaks: Home Assistant names entity ids in
# most of them (German "Gäste online": sensor.hs1_gaste_online).
LANGUAGES = sorted(
    p.stem
    for p in (ROOT / "custom_components" / DOMAIN / "translations").glob("*.json")
)


def _table(hass: HomeAssistant) -> str:
    [view] = load_yaml_dict(str(DASHBOARD))["views"]
    [card] = [
        card
        for section in view["sections"]
        for card in section["cards"]
        if card["type"] == "markdown"
    ]
    return str(Template(card["content"], hass).async_render(parse_result=False))


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_line_per_hotspot_with_its_figures(
    hass: HomeAssistant,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
    language: str,
) -> None:
    """Whatever language Home Assistant made the entity ids in."""
    hass.config.language = language
    await setup_entry(hass, wiwiz_entry)
    hs1 = our_device(hass, wiwiz_entry, "wiwiz_HS1")
    dr.async_get(hass).async_update_device(hs1.id, name_by_user="Garden")

    def figure(hotspot: str, key: str) -> str:
        state = hotspot_sensor(hass, wiwiz_entry, hotspot, key)
        # Shown as the sensor asks (its display precision), as the card does.
        registered = er.async_get(hass).async_get(state.entity_id)
        assert registered is not None
        digits = registered.options.get("sensor", {}).get("suggested_display_precision")
        value = state.state if digits is None else f"{float(state.state):.{digits}f}"
        unit = state.attributes.get("unit_of_measurement")
        return f"{value} {unit}" if unit else value

    rows = [
        f"| {name} | {figure(hs, 'online_guests')} | {figure(hs, 'guests_today')}"
        f" | {figure(hs, 'download_today')} | {figure(hs, 'upload_today')} |"
        for name, hs in (("Garden", "HS1"), ("HS2", "HS2"))
    ]
    lines = _table(hass).strip().splitlines()
    assert lines[0].startswith("| Hotspot | Online |")
    assert sorted(lines[2:]) == sorted(rows)


async def test_no_hotspot_yet(hass: HomeAssistant) -> None:
    assert _table(hass).strip() == "No Guest Wi-Fi hotspot yet."
