"""The options flow of every vendor, driven from the outside."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData, section
from homeassistant.helpers.translation import async_get_translations
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.guest_wifi.const import DOMAIN

from .conftest import assert_wiwiz_polls_at_its_fixed_pace, setup_entry
from .fakes import FakeWiwiz
from .flow_helpers import (
    _mywifi_entry,
    _selector,
    _shown,
    as_the_frontend_sees_it,
    entry_setups,
    field_named,
)

pytestmark = pytest.mark.usefixtures("no_deprecation_warnings")


# --- options ------------------------------------------------------------------


GUEST_OPTIONS = {
    "track_guests": "returning",
    "consider_home": 180,
    "forget_after_days": 30,
    "expose_contact_details": False,
    "import_history": True,
}


INTERVAL_OPTIONS = {
    "connections_interval": 45,
    "daily_interval": 600,
    "wan_ip_interval": 3600,
    "account_interval": 900,
}


def _entry_of(
    hass: HomeAssistant,
    vendor: str,
    smartwifi_entry: MockConfigEntry,
    wiwiz_entry: MockConfigEntry,
) -> MockConfigEntry:
    if vendor == "mywifi":
        return _mywifi_entry(hass)
    return smartwifi_entry if vendor == "smartwifi" else wiwiz_entry


@pytest.mark.parametrize(
    ("vendor", "expected", "sections"),
    [
        ("smartwifi", GUEST_OPTIONS, set()),
        ("wiwiz", GUEST_OPTIONS, set()),
        # My Wi-Fi reports no guests: nothing to track. Its API address is
        # set here, in the advanced section.
        ("mywifi", {"import_history": True}, {"advanced"}),
    ],
)
async def test_options_defaults_and_no_polling_intervals(
    hass: HomeAssistant,
    smartwifi_entry: MockConfigEntry,
    wiwiz_entry: MockConfigEntry,
    vendor: str,
    expected: dict[str, Any],
    sections: set[str],
) -> None:
    entry = _entry_of(hass, vendor, smartwifi_entry, wiwiz_entry)
    result = await hass.config_entries.options.async_init(entry.entry_id)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    # Polling is fixed in code (core's "appropriate-polling").
    assert {str(k) for k in result["data_schema"].schema} == set(expected) | sections
    assert _shown(result) == expected
    # The title names the account.
    assert result["description_placeholders"] == {"account": entry.title}


async def test_every_option_is_explained(hass: HomeAssistant) -> None:
    """Each field of the options form has a help text, the title a placeholder."""
    strings = await async_get_translations(hass, "en", "options", {DOMAIN})
    prefix = f"component.{DOMAIN}.options.step.init"

    assert "{account}" in strings[f"{prefix}.title"]
    for option in GUEST_OPTIONS:
        assert strings.get(f"{prefix}.data_description.{option}"), option
    assert strings.get(f"{prefix}.sections.advanced.data_description.base_url")
    assert not [key for key in strings if "interval" in key]


async def test_options_mywifi_api_address_is_in_a_collapsed_section(
    hass: HomeAssistant, hass_client: ClientSessionGenerator
) -> None:
    entry = _mywifi_entry(hass)

    result = await hass.config_entries.options.async_init(entry.entry_id)

    # Shown to every user, folded away.
    advanced = _selector(result, "advanced")
    assert isinstance(advanced, section)
    assert advanced.options == {"collapsed": True}
    assert [str(key) for key in advanced.schema.schema] == ["base_url"]
    seen = await as_the_frontend_sees_it(
        hass, hass_client, result, flows="options/flow"
    )
    folded = field_named(seen["data_schema"], "advanced")
    assert folded["type"] == "expandable"
    assert folded["expanded"] is False
    assert [field["name"] for field in folded["schema"]] == ["base_url"]
    assert field_named(folded["schema"], "base_url")["selector"]["text"]["type"] == (
        "url"
    )

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"advanced": {"base_url": "http://simulator.local/"}}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    # Stored flat, where entries have always kept it.
    assert entry.options == {
        "import_history": True,
        "base_url": "http://simulator.local/",
    }


async def test_options_show_current_values(
    hass: HomeAssistant, wiwiz_entry: MockConfigEntry
) -> None:
    current = {
        "track_guests": "none",
        "consider_home": 0,
        "forget_after_days": 7,
        "expose_contact_details": True,
        "import_history": False,
    }
    hass.config_entries.async_update_entry(wiwiz_entry, options=current)

    result = await hass.config_entries.options.async_init(wiwiz_entry.entry_id)

    assert _shown(result) == current


@pytest.mark.parametrize("field", list(INTERVAL_OPTIONS))
async def test_options_refuse_a_polling_interval(
    hass: HomeAssistant, wiwiz_entry: MockConfigEntry, field: str
) -> None:
    result = await hass.config_entries.options.async_init(wiwiz_entry.entry_id)

    with pytest.raises(InvalidData):
        await hass.config_entries.options.async_configure(
            result["flow_id"], {**_shown(result), field: INTERVAL_OPTIONS[field]}
        )
    assert wiwiz_entry.options == {}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("track_guests", "some"),
        ("consider_home", -1),
        ("forget_after_days", 0),
    ],
)
async def test_options_other_bounds(
    hass: HomeAssistant, wiwiz_entry: MockConfigEntry, field: str, value: Any
) -> None:
    result = await hass.config_entries.options.async_init(wiwiz_entry.entry_id)

    with pytest.raises(InvalidData) as err:
        await hass.config_entries.options.async_configure(
            result["flow_id"], {**_shown(result), field: value}
        )
    assert set(err.value.schema_errors) == {field}


async def test_options_saved_reload_the_entry(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, wiwiz_entry)
    running = wiwiz_entry.runtime_data

    result = await hass.config_entries.options.async_init(wiwiz_entry.entry_id)
    new = {**_shown(result), "track_guests": "none", "expose_contact_details": True}
    with entry_setups() as setups:
        result = await hass.config_entries.options.async_configure(
            result["flow_id"], new
        )
        await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert wiwiz_entry.options == new
    # Reloaded once, polling as before: the intervals are fixed.
    assert setups.await_count == 1
    assert wiwiz_entry.state is ConfigEntryState.LOADED
    assert wiwiz_entry.runtime_data is not running
    assert_wiwiz_polls_at_its_fixed_pace(wiwiz_entry)


async def test_options_saved_unchanged_do_not_reload(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_entry: MockConfigEntry
) -> None:
    hass.config_entries.async_update_entry(wiwiz_entry, options=GUEST_OPTIONS)
    await setup_entry(hass, wiwiz_entry)
    running = wiwiz_entry.runtime_data

    result = await hass.config_entries.options.async_init(wiwiz_entry.entry_id)
    with entry_setups() as setups:
        result = await hass.config_entries.options.async_configure(
            result["flow_id"], _shown(result)
        )
        await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert setups.await_count == 0
    assert wiwiz_entry.runtime_data is running
