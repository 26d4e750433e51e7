"""The vendor registry: every vendor described completely, an unknown one refused loudly.

`test_every_vendor_is_described` is also the checklist for a new vendor
(CONTRIBUTING.md, "Adding a vendor"): a key added to const.py fails it
until the vendor's module, client, steps, strings and simulator exist.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from homeassistant.config_entries import SOURCE_RECONFIGURE, ConfigEntryState
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import yaml

from custom_components.guest_wifi import const
from custom_components.guest_wifi.config_flow import GuestWifiConfigFlow
from custom_components.guest_wifi.const import DOMAIN
from custom_components.guest_wifi.sensor import SENSORS
from custom_components.guest_wifi.vendor import UnknownVendorError
from custom_components.guest_wifi.vendors import VENDORS, vendor_named

ROOT = Path(__file__).parent.parent
INTEGRATION = ROOT / "custom_components" / DOMAIN
STRINGS = json.loads((INTEGRATION / "strings.json").read_text(encoding="utf-8"))
ACTIONS = set(
    yaml.safe_load((INTEGRATION / "services.yaml").read_text(encoding="utf-8"))
)
# The vendors' keys, as const.py names them (VENDOR_<NAME> = "<key>").
KEYS = sorted(
    value
    for name, value in vars(const).items()
    if name.startswith("VENDOR_") and isinstance(value, str)
)


def test_const_names_the_three_vendors() -> None:
    """What the contract fixes: the menu's three vendors, nothing else."""
    assert KEYS == ["mywifi", "smartwifi", "wiwiz"]


@pytest.mark.parametrize("key", KEYS)
def test_every_vendor_is_described(key: str) -> None:
    """Each vendor of const.py: its description, steps, client, strings, simulator."""
    assert key in VENDORS, f"describe {key} in vendor_{key}.py, list it in vendors.py"
    vendor = VENDORS[key]
    assert vendor.key == key
    assert vendor.name
    assert vendor.title
    # Its module, its client and its simulator.
    assert (INTEGRATION / f"vendor_{key}.py").is_file()
    assert (INTEGRATION / "api" / f"{key}.py").is_file()
    assert (ROOT / "simulator" / f"{key}.py").is_file()
    # Its steps: set up, reconfigure, reauthenticate.
    assert vendor.setup_step == key
    assert callable(getattr(GuestWifiConfigFlow, f"async_step_{vendor.setup_step}"))
    assert callable(getattr(GuestWifiConfigFlow, f"async_step_{vendor.reauth_step}"))
    steps = STRINGS["config"]["step"]
    assert key in steps["user"]["menu_options"]
    if vendor.secret is not None:
        assert callable(getattr(GuestWifiConfigFlow, f"_reauth_{key}"))
        assert vendor.secret in steps[vendor.setup_step]["data"]
        assert vendor.secret in vendor.redact
    else:
        assert vendor.reauth_step == "reauth_sign_in"
        assert "refresh_token" in vendor.redact
    # What it offers exists, and what it does not is refused in words.
    assert vendor.sensors
    assert vendor.sensors <= {description.key for description in SENSORS}
    assert vendor.actions <= ACTIONS
    exceptions = STRINGS["exceptions"]
    for action in ACTIONS - vendor.actions:
        assert f"{action}_not_offered" in exceptions


def test_every_action_and_sensor_has_a_vendor() -> None:
    """Nothing is registered that no vendor offers."""
    offered = set().union(*(vendor.actions for vendor in VENDORS.values()))
    assert offered == ACTIONS
    fed = set().union(*(vendor.sensors for vendor in VENDORS.values()))
    assert fed == {description.key for description in SENSORS}


def test_menu_follows_the_registry() -> None:
    """The setup menu offers the vendors the registry lists, in its order."""
    assert list(VENDORS) == ["mywifi", "smartwifi", "wiwiz"]


@pytest.mark.parametrize("key", ["acme", "", None, 3])
def test_unknown_vendor_is_refused_by_name(key: object) -> None:
    """No default branch: an unknown key is an error naming it."""
    with pytest.raises(UnknownVendorError, match="No vendor module describes"):
        vendor_named(key)


def _acme_entry(hass: HomeAssistant) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Acme (Lobby)",
        unique_id="acme_1",
        version=1,
        minor_version=5,
        data={"vendor": "acme", "userkey": "k", "hotspot_ids": ["1"]},
    )
    entry.add_to_hass(hass)
    return entry


async def test_entry_of_unknown_vendor_fails_loudly(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    """It does not start as some other vendor: set-up fails, and the log says why."""
    entry = _acme_entry(hass)

    with caplog.at_level(logging.ERROR):
        assert not await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert "No vendor module describes vendor 'acme'" in caplog.text
    assert hass.states.async_entity_ids() == []


async def test_reconfigure_of_unknown_vendor_fails_loudly(hass: HomeAssistant) -> None:
    """Nor is it reconfigured with another vendor's form."""
    entry = _acme_entry(hass)

    with pytest.raises(UnknownVendorError):
        await hass.config_entries.flow.async_init(
            DOMAIN, context={"source": SOURCE_RECONFIGURE, "entry_id": entry.entry_id}
        )
