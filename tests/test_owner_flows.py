"""The setup, reconfigure and re-authentication forms in the owner's words (issue 17 items 2, 6).

An account already set up is refused by its key, naming the entry it is and
pointing to Reconfigure; the forms and repairs say what an owner needs and
nothing they would misread.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.guest_wifi.const import DOMAIN

from .conftest import add_credentials
from .fakes import SMARTWIFI_TOKEN, WIWIZ_KEY, FakeSmartWifi, FakeWiwiz
from .flow_helpers import _flow_strings, _mywifi_entry, _start, _submit

TRANSLATIONS = (
    Path(__file__).parent.parent / "custom_components" / DOMAIN / "translations"
)


async def _rendered(hass: HomeAssistant, key: str, placeholders: Any) -> str:
    """A flow text as the owner reads it, placeholders filled."""
    strings = await _flow_strings(hass)
    return str(strings[f"component.{DOMAIN}.config.{key}"]).format(
        **(placeholders or {})
    )


def _english() -> dict[str, Any]:
    return dict(json.loads((TRANSLATIONS / "en.json").read_text("utf-8")))


# --- the same account twice (item 2) --------------------------------------------


def _wiwiz_entry_on_hs1(hass: HomeAssistant, title: str, userkey: str) -> None:
    """An entry the owner already has, holding hotspot HS1 under this key."""
    MockConfigEntry(
        domain=DOMAIN,
        title=title,
        unique_id="wiwiz_HS1",
        data={"vendor": "wiwiz", "userkey": userkey, "hotspot_ids": ["HS1"]},
    ).add_to_hass(hass)


async def test_wiwiz_key_already_used_is_refused_naming_the_entry(
    hass: HomeAssistant, wiwiz: FakeWiwiz
) -> None:
    """A second entry with a key an entry uses: refused at once, that entry named."""
    _wiwiz_entry_on_hs1(hass, "Wiwiz (Lobby)", WIWIZ_KEY)

    result = await _start(hass, "wiwiz")
    result = await _submit(hass, result, {"userkey": WIWIZ_KEY, "hotspot_ids": ["HS2"]})

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert result["description_placeholders"] == {"title": "Wiwiz (Lobby)"}
    assert wiwiz.calls == []
    text = await _rendered(
        hass, "abort.already_configured", result["description_placeholders"]
    )
    assert "Wiwiz (Lobby)" in text
    assert "Reconfigure" in text
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


async def test_smartwifi_token_already_used_is_refused_naming_the_entry(
    hass: HomeAssistant, smartwifi: FakeSmartWifi, smartwifi_entry: MockConfigEntry
) -> None:
    result = await _start(hass, "smartwifi")
    result = await _submit(
        hass, result, {"api_token": SMARTWIFI_TOKEN, "environment": "us_a"}
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert result["description_placeholders"] == {"title": "SmartWiFi"}
    assert smartwifi.calls == []


async def test_a_hotspot_already_configured_names_its_entry(
    hass: HomeAssistant, wiwiz: FakeWiwiz
) -> None:
    """Under a new key, a hotspot an entry holds still says which entry holds it."""
    _wiwiz_entry_on_hs1(hass, "Beach bar", "AN-OLD-KEY")

    result = await _start(hass, "wiwiz")
    result = await _submit(
        hass, result, {"userkey": WIWIZ_KEY, "hotspot_ids": ["HS1", "HS2"]}
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert result["description_placeholders"] == {"title": "Beach bar"}


# --- the forms' words (item 6) ---------------------------------------------------


def test_the_add_forms_say_nothing_of_reconfiguring() -> None:
    """Words for reconfiguring ("leave it empty") belong to its own form only."""
    steps = _english()["config"]["step"]
    for step_id in ("smartwifi", "wiwiz"):
        assert "reconfigur" not in json.dumps(steps[step_id]).lower(), step_id
    reconfigure = steps["reconfigure"]
    assert "{account}" in reconfigure["title"]
    assert "empty" in reconfigure["data_description"]["api_token"]
    assert "empty" in reconfigure["data_description"]["userkey"]


def test_no_simulator_or_white_label_jargon_alone() -> None:
    english = json.dumps(_english())
    assert "simulator" not in english.lower()
    assert "Only for a white-label deployment" not in english


def test_the_host_example_is_code_not_a_link() -> None:
    host = _english()["config"]["step"]["smartwifi"]["data_description"]["host"]
    assert "`http://192.168.1.10:8080`" in host


def test_each_hotspot_field_is_one_hotspot() -> None:
    """The Wiwiz form adds a field per hotspot: each is labelled as one."""
    wiwiz = _english()["config"]["step"]["wiwiz"]
    assert wiwiz["data"]["hotspot_ids"] == "Hotspot ID"
    names = _english()["config"]["step"]["wiwiz_names"]["description"]
    assert "labelled with its ID" in names


def test_repairs_do_not_repeat_the_vendor() -> None:
    """No "Wiwiz account Wiwiz (Lobby)": the vendor is said once per name."""
    issues = _english()["issues"]
    for key in ("professional_required", "wiwiz_clear_text"):
        title = issues[key]["title"].format(title="Wiwiz (Lobby)")
        assert title.count("Wiwiz") == 2, title  # the entry's, then the edition's/key's
        assert not title.startswith("Wiwiz account"), title


async def test_reconfigure_has_its_own_form(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_entry: MockConfigEntry
) -> None:
    result = await wiwiz_entry.start_reconfigure_flow(hass)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert result["description_placeholders"]["account"] == "Wiwiz"


@pytest.mark.usefixtures("current_request_with_host")
async def test_mywifi_reauth_says_why_before_signing_in(hass: HomeAssistant) -> None:
    await add_credentials(hass)
    entry = _mywifi_entry(hass)

    result = await entry.start_reauth_flow(hass)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_sign_in"
    title = await _rendered(
        hass, "step.reauth_sign_in.title", result["description_placeholders"]
    )
    assert title == "Sign in to My Wi-Fi Service again"
    description = await _rendered(
        hass, "step.reauth_sign_in.description", result["description_placeholders"]
    )
    assert "same account" in description

    result = await _submit(hass, result, {})
    assert result["type"] is FlowResultType.EXTERNAL_STEP
    assert result["step_id"] == "auth"
