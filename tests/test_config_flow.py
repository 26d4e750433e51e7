"""The config flow's shared parts, driven from the outside.

The vendor menu, the texts of every error and abort, and what re-authentication
and reconfiguration show of a secret. Each vendor's steps are tested in
test_flow_<vendor>.py, the options in test_options_flow.py; the helpers they
share are in flow_helpers.py.
"""

from __future__ import annotations

import json

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.translation import async_get_translations
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.guest_wifi.const import DOMAIN

from .fakes import SMARTWIFI_TOKEN, WIWIZ_KEY
from .flow_helpers import _flow_strings, _shown, as_the_frontend_sees_it

pytestmark = pytest.mark.usefixtures("no_deprecation_warnings")


# --- the menu -----------------------------------------------------------------


async def test_user_step_is_a_vendor_menu(hass: HomeAssistant) -> None:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )

    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "user"
    assert result["menu_options"] == ["mywifi", "smartwifi", "wiwiz"]


FLOW_ERRORS = [
    "invalid_auth",
    "cannot_connect",
    "invalid_hotspot",
    "hotspot_ids_required",
    "professional_required",
    "host_required",
    "no_hotspots",
    "unknown",
]


FLOW_ABORTS = [
    "already_configured",
    "reauth_successful",
    "reconfigure_successful",
    "wrong_account",
    "missing_credentials",
]


async def test_flow_errors_and_aborts_have_texts(hass: HomeAssistant) -> None:
    strings = await _flow_strings(hass)
    prefix = f"component.{DOMAIN}.config"

    for error in FLOW_ERRORS:
        assert strings.get(f"{prefix}.error.{error}"), error
    for reason in FLOW_ABORTS:
        assert strings.get(f"{prefix}.abort.{reason}"), reason


async def test_flow_texts_are_plain_text(hass: HomeAssistant) -> None:
    strings = await _flow_strings(hass)
    options = await async_get_translations(hass, "en", "options", {DOMAIN})

    unresolved = sorted(k for k, v in {**strings, **options}.items() if "[%key:" in v)
    assert unresolved == []


# --- re-authentication --------------------------------------------------------


async def test_the_vendor_menu_has_a_short_title(hass: HomeAssistant) -> None:
    """A long menu title ran under the help icon: the words moved below it."""
    strings = await _flow_strings(hass)
    step = f"component.{DOMAIN}.config.step.user"

    assert len(strings[f"{step}.title"]) <= 24
    assert strings[f"{step}.description"]


# --- reconfiguration ----------------------------------------------------------


@pytest.mark.parametrize("source", ["reauth", "reconfigure"])
@pytest.mark.parametrize(
    ("vendor", "secret_field", "secret"),
    [("smartwifi", "api_token", SMARTWIFI_TOKEN), ("wiwiz", "userkey", WIWIZ_KEY)],
)
async def test_secret_never_prefilled(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    smartwifi_entry: MockConfigEntry,
    wiwiz_entry: MockConfigEntry,
    source: str,
    vendor: str,
    secret_field: str,
    secret: str,
) -> None:
    entry = smartwifi_entry if vendor == "smartwifi" else wiwiz_entry
    if source == "reauth":
        result = await entry.start_reauth_flow(hass)
    else:
        result = await entry.start_reconfigure_flow(hass)

    step = "reauth_confirm" if source == "reauth" else "reconfigure"
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == step
    assert secret_field in {str(k) for k in result["data_schema"].schema}
    assert secret_field not in _shown(result)
    # Nowhere in what the frontend receives either.
    seen = await as_the_frontend_sees_it(hass, hass_client, result)
    assert seen["step_id"] == step
    assert secret_field in {field["name"] for field in seen["data_schema"]}
    assert secret not in json.dumps(seen)
