"""Wiwiz's config, reauth and reconfigure flows, driven from the outside.

Only HTTP is faked (`FakeWiwiz` over `aioclient_mock`); every entry a flow
creates is set up for real against the same fake.
"""

from __future__ import annotations

from collections.abc import Callable
import logging
import re
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import (
    SOURCE_REAUTH,
    ConfigEntryState,
    ConfigFlowResult,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, section
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.guest_wifi.const import DOMAIN, EVENT_GUEST_CONNECTED

from .conftest import clear_text_issue, poll, setup_entry
from .fakes import WIWIZ_KEY, FakeWiwiz
from .flow_helpers import (
    CLIENT,
    NEW_KEY,
    OTHER_KEY,
    WIWIZ_INPUT,
    WIWIZ_NAMES,
    WIWIZ_OTHER_LABEL,
    WIWIZ_WHITE_LABEL,
    _device_names,
    _fixture,
    _flow_strings,
    _named,
    _paths,
    _selector,
    _shown,
    _start,
    _submit,
    as_the_frontend_sees_it,
    entry_setups,
    field_named,
)
from .test_device_tracker import enable_trackers

pytestmark = pytest.mark.usefixtures("no_deprecation_warnings")


# --- Wiwiz --------------------------------------------------------------------


async def test_wiwiz_creates_entry(hass: HomeAssistant, wiwiz: FakeWiwiz) -> None:
    result = await _start(hass, "wiwiz")
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "wiwiz"
    assert result["errors"] == {}
    assert {str(k) for k in result["data_schema"].schema} == {
        "userkey",
        "hotspot_ids",
        "advanced",
    }
    assert _shown(result) == {}
    assert _selector(result, "hotspot_ids").config["multiple"] is True

    result = await _submit(hass, result, WIWIZ_INPUT)
    # Wiwiz has no names: each field suggests the id.
    assert result["step_id"] == "wiwiz_names"
    assert _shown(result) == {"HS1": "HS1", "HS2": "HS2"}
    result = await _named(hass, result)
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Wiwiz (HS1, HS2)"
    assert result["data"] == {
        "vendor": "wiwiz",
        "userkey": WIWIZ_KEY,
        "hotspot_ids": ["HS1", "HS2"],
        "hotspots": {"HS1": "HS1", "HS2": "HS2"},
        "https": True,  # Wiwiz answered over HTTPS: asked there
    }
    entry = result["result"]
    assert entry.unique_id == "wiwiz_HS1"
    assert entry.state is ConfigEntryState.LOADED
    # Each hotspot id was checked with the key before the entry was created,
    # over HTTPS (the first one first to see that HTTPS answers at all).
    checked = [
        (url.scheme, url.query["hotspotid"])
        for url in wiwiz.calls
        if url.path.rstrip("/").endswith("hotspotip")
    ]
    assert checked[:3] == [("https", "HS1"), ("https", "HS1"), ("https", "HS2")]
    assert set(wiwiz.schemes()) == {"https"}


async def test_wiwiz_ids_are_cleaned_and_unique_id_is_order_independent(
    hass: HomeAssistant, wiwiz: FakeWiwiz
) -> None:
    result = await _start(hass, "wiwiz")
    result = await _submit(
        hass, result, {"userkey": WIWIZ_KEY, "hotspot_ids": [" HS2 ", "", "HS1", "HS2"]}
    )
    result = await _named(hass, result)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"]["hotspot_ids"] == ["HS2", "HS1"]
    assert result["result"].unique_id == "wiwiz_HS1"


def _stored(**where: Any) -> dict[str, Any]:
    """What an entry made from WIWIZ_INPUT holds, with where its API is asked."""
    return {"vendor": "wiwiz", **WIWIZ_INPUT, **WIWIZ_NAMES, **where}


async def _wiwiz_created(
    hass: HomeAssistant,
    typed: dict[str, Any],
    names: dict[str, Any] | None = None,
) -> ConfigFlowResult:
    """Wiwiz's setup as a user goes through it: typed, named, and set up."""
    result = await _start(hass, "wiwiz")
    result = await _named(hass, await _submit(hass, result, typed), names)
    await hass.async_block_till_done()
    return result


async def _wiwiz_created_at(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, base_url: str
) -> tuple[FakeWiwiz, ConfigFlowResult]:
    """The account answering at another API address, and an entry made there."""
    fake = _wiwiz_at(aioclient_mock, base_url)
    typed = {**WIWIZ_INPUT, "advanced": {"base_url": base_url}}
    return fake, await _wiwiz_created(hass, typed)


def _wrong_key(fake: FakeWiwiz, typed: dict[str, Any]) -> dict[str, Any]:
    return {**typed, "userkey": OTHER_KEY}


def _unknown_hotspot(fake: FakeWiwiz, typed: dict[str, Any]) -> dict[str, Any]:
    return {**typed, "hotspot_ids": ["HS1", "HS9"]}


def _basic_edition(fake: FakeWiwiz, typed: dict[str, Any]) -> dict[str, Any]:
    fake.code = "ERR004"
    return typed


def _failing(**failure: Any) -> Callable[[FakeWiwiz, dict[str, Any]], dict[str, Any]]:
    def breaker(fake: FakeWiwiz, typed: dict[str, Any]) -> dict[str, Any]:
        fake.fail(**failure)
        return typed

    return breaker


@pytest.mark.parametrize(
    ("breaker", "errors"),
    [
        pytest.param(_wrong_key, {"base": "invalid_auth"}, id="ERR003"),
        pytest.param(_unknown_hotspot, {"hotspot_ids": "invalid_hotspot"}, id="ERR005"),
        pytest.param(_basic_edition, {"base": "professional_required"}, id="ERR004"),
        pytest.param(
            _failing(exc=TimeoutError()), {"base": "cannot_connect"}, id="timeout"
        ),
        pytest.param(_failing(status=502), {"base": "cannot_connect"}, id="http_502"),
        pytest.param(
            _failing(body=_fixture("wiwiz", "error_page.html")),
            {"base": "cannot_connect"},
            id="html_page",
        ),
        pytest.param(
            _failing(body=_fixture("wiwiz", "truncated.xml")),
            {"base": "cannot_connect"},
            id="truncated_xml",
        ),
    ],
)
async def test_wiwiz_error_then_recovery(
    hass: HomeAssistant,
    caplog: pytest.LogCaptureFixture,
    wiwiz: FakeWiwiz,
    breaker: Callable[[FakeWiwiz, dict[str, Any]], dict[str, Any]],
    errors: dict[str, str],
) -> None:
    caplog.set_level(logging.DEBUG)
    typed = breaker(wiwiz, WIWIZ_INPUT)
    result = await _start(hass, "wiwiz")
    result = await _submit(hass, result, typed)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "wiwiz"
    assert result["errors"] == errors
    assert _shown(result) == typed
    assert hass.config_entries.async_entries(DOMAIN) == []
    assert "hotspotip" in caplog.text
    assert typed["userkey"] not in caplog.text

    wiwiz.code = None
    wiwiz.recover()
    result = await _named(hass, await _submit(hass, result, WIWIZ_INPUT))
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == _stored(https=True)
    assert result["result"].state is ConfigEntryState.LOADED


async def test_wiwiz_falls_back_to_http_when_https_cannot_connect(
    hass: HomeAssistant, wiwiz: FakeWiwiz
) -> None:
    """Wiwiz documents only http://: used when HTTPS cannot connect, and said so."""
    wiwiz.refuse_https()
    result = await _wiwiz_created(hass, WIWIZ_INPUT)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == _stored(https=False)
    entry = result["result"]
    assert entry.state is ConfigEntryState.LOADED
    # HTTPS was tried first (and again as the entry started); every hotspot
    # was then checked, and is polled, over http.
    assert wiwiz.schemes()[0] == "https"
    checked = [
        (url.scheme, url.query["hotspotid"])
        for url in wiwiz.calls[1:]
        if url.path.rstrip("/").endswith("hotspotip")
    ]
    assert checked[:2] == [("http", "HS1"), ("http", "HS2")]
    assert {
        (url.path, url.query.get("hotspotid"))
        for url in wiwiz.calls
        if url.scheme == "https"
    } == {("/as/qapi/hotspotip/", "HS1")}
    assert clear_text_issue(hass, entry)


async def test_wiwiz_over_https_has_noclear_text_issue(
    hass: HomeAssistant, wiwiz: FakeWiwiz
) -> None:
    result = await _wiwiz_created(hass, WIWIZ_INPUT)

    entry = result["result"]
    assert entry.data["https"] is True
    assert set(wiwiz.schemes()) == {"https"}
    assert not clear_text_issue(hass, entry)


async def test_wiwiz_key_refused_over_https_is_not_sent_over_http(
    hass: HomeAssistant, wiwiz: FakeWiwiz
) -> None:
    """A refusal over HTTPS is Wiwiz's answer: the key is not tried in clear text."""
    result = await _start(hass, "wiwiz")
    result = await _submit(hass, result, {**WIWIZ_INPUT, "userkey": OTHER_KEY})

    assert result["errors"] == {"base": "invalid_auth"}
    assert set(wiwiz.schemes()) == {"https"}


async def test_wiwiz_reconfigure_on_https_does_not_fall_back(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_entry: MockConfigEntry
) -> None:
    """An entry on HTTPS stays there: HTTPS down today is an error, not a downgrade."""
    await setup_entry(hass, wiwiz_entry)
    assert wiwiz_entry.data["https"] is True
    wiwiz.refuse_https()
    calls = len(wiwiz.calls)

    result = await wiwiz_entry.start_reconfigure_flow(hass)
    result = await _submit(hass, result, WIWIZ_INPUT)

    assert result["errors"] == {"base": "cannot_connect"}
    assert set(wiwiz.schemes()[calls:]) == {"https"}
    assert wiwiz_entry.data["https"] is True


async def test_wiwiz_typed_http_address_is_used_as_typed(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, wiwiz: FakeWiwiz
) -> None:
    """A white-label address is not second-guessed, but its clear text is said."""
    white_label, result = await _wiwiz_created_at(
        hass, aioclient_mock, WIWIZ_WHITE_LABEL
    )

    entry = result["result"]
    assert "https" not in entry.data
    assert set(white_label.schemes()) == {"http"}
    assert wiwiz.calls == []
    assert clear_text_issue(hass, entry)


@pytest.mark.parametrize(
    "address",
    ["http://127.0.0.1:8300/as/qapi/", "http://localhost:8300/as/qapi/"],
)
async def test_wiwiz_on_this_machine_has_noclear_text_issue(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, address: str
) -> None:
    """The simulator on this machine: the key crosses no network."""
    simulator, result = await _wiwiz_created_at(hass, aioclient_mock, address)

    entry = result["result"]
    assert entry.state is ConfigEntryState.LOADED
    assert simulator.calls
    assert not clear_text_issue(hass, entry)


async def test_wiwiz_unexpected_exception_is_unknown(
    hass: HomeAssistant, wiwiz: FakeWiwiz
) -> None:
    result = await _start(hass, "wiwiz")
    with patch(f"{CLIENT}.wiwiz.WiwizClient.wan_ip", side_effect=RuntimeError("boom")):
        result = await _submit(hass, result, WIWIZ_INPUT)

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "unknown"}
    assert _shown(result) == WIWIZ_INPUT

    result = await _named(hass, await _submit(hass, result, WIWIZ_INPUT))
    assert result["type"] is FlowResultType.CREATE_ENTRY


@pytest.mark.parametrize("ids", [[], [""], ["  ", ""]])
async def test_wiwiz_blank_hotspot_ids(
    hass: HomeAssistant, wiwiz: FakeWiwiz, ids: list[str]
) -> None:
    result = await _start(hass, "wiwiz")
    result = await _submit(hass, result, {"userkey": WIWIZ_KEY, "hotspot_ids": ids})

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"hotspot_ids": "hotspot_ids_required"}
    assert _shown(result)["userkey"] == WIWIZ_KEY
    assert wiwiz.calls == []


async def test_wiwiz_hotspot_names_are_used_everywhere(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, wiwiz: FakeWiwiz
) -> None:
    """The owner's names: device, new entity ids, events, tracker attributes."""
    freezer.move_to("2026-11-23T12:00:00+01:00")
    connected = async_capture_events(hass, EVENT_GUEST_CONNECTED)
    result = await _start(hass, "wiwiz")
    result = await _submit(hass, result, WIWIZ_INPUT)
    # A blank name falls back to the id.
    result = await _named(hass, result, {"HS1": " Lobby ", "HS2": ""})
    await hass.async_block_till_done()
    entry = result["result"]
    # Every guest gets a tracker, not only returning ones.
    hass.config_entries.async_update_entry(entry, options={"track_guests": "all"})
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()

    assert result["title"] == "Wiwiz (Lobby, HS2)"
    assert entry.data["hotspots"] == {"HS1": "Lobby", "HS2": "HS2"}
    assert _device_names(hass, entry)["wiwiz_HS1"] == "Lobby"
    assert hass.states.get("sensor.lobby_online_guests") is not None
    assert hass.states.get("sensor.hs2_online_guests") is not None

    wiwiz.connect("HS1", "AA-BB-CC-00-00-09")
    await poll(hass, freezer)
    assert [e.data["hotspot_name"] for e in connected] == ["Lobby"]

    await enable_trackers(hass, freezer, entry)
    trackers = [
        state
        for state in hass.states.async_all("device_tracker")
        if state.attributes.get("hotspot")
    ]
    assert trackers
    assert {state.attributes["hotspot"] for state in trackers} == {"Lobby"}


@pytest.mark.parametrize(
    "typed",
    [
        ["HS1, HS2"],
        ["HS1 HS2"],
        ["HS1,HS2", "HS2"],
        ["HS1", " HS2 "],
        ["HS1\nHS2"],
    ],
)
async def test_wiwiz_ids_split_on_commas_and_spaces(
    hass: HomeAssistant, wiwiz: FakeWiwiz, typed: list[str]
) -> None:
    result = await _start(hass, "wiwiz")
    result = await _submit(hass, result, {"userkey": WIWIZ_KEY, "hotspot_ids": typed})
    assert _shown(result) == {"HS1": "HS1", "HS2": "HS2"}
    result = await _named(hass, result)

    assert result["data"]["hotspot_ids"] == ["HS1", "HS2"]


async def test_wiwiz_unknown_id_is_named_in_the_error(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, wiwiz: FakeWiwiz
) -> None:
    typed = {"userkey": WIWIZ_KEY, "hotspot_ids": ["HS1, HS9", "HS2"]}
    result = await _start(hass, "wiwiz")
    result = await _submit(hass, result, typed)

    assert result["errors"] == {"hotspot_ids": "invalid_hotspot"}
    assert result["description_placeholders"]["hotspot_id"] == "HS9"
    # The ids as they were understood, one per field.
    assert _shown(result)["hotspot_ids"] == ["HS1", "HS9", "HS2"]
    strings = await _flow_strings(hass)
    message = strings[f"component.{DOMAIN}.config.error.invalid_hotspot"]
    assert "{hotspot_id}" in message
    seen = await as_the_frontend_sees_it(hass, hass_client, result, submitting=typed)
    assert seen["description_placeholders"]["hotspot_id"] == "HS9"


async def test_entry_titles_tell_accounts_of_a_vendor_apart(
    hass: HomeAssistant, wiwiz: FakeWiwiz
) -> None:
    """Titles name the hotspots, a few of them, then count the rest."""
    for hotspot_id in ("HS3", "HS4", "HS5"):
        wiwiz.hotspots[hotspot_id] = wiwiz.hotspots["HS1"]
    result = await _start(hass, "wiwiz")
    result = await _submit(
        hass, result, {"userkey": WIWIZ_KEY, "hotspot_ids": ["HS1 HS2 HS3 HS4 HS5"]}
    )
    result = await _named(hass, result, {"HS1": "Lobby", "HS2": "Terrace"})

    assert result["title"] == "Wiwiz (Lobby, Terrace, HS3, +2)"


async def test_wiwiz_reconfigure_renames_hotspots(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_entry: MockConfigEntry
) -> None:
    """Renaming keeps the entities (their ids too) and renames the device."""
    await setup_entry(hass, wiwiz_entry)
    registry = er.async_get(hass)
    before = {
        reg.unique_id: reg.entity_id
        for reg in er.async_entries_for_config_entry(registry, wiwiz_entry.entry_id)
    }

    result = await wiwiz_entry.start_reconfigure_flow(hass)
    result = await _submit(hass, result, {"hotspot_ids": ["HS1", "HS2"]})
    assert _shown(result) == {"HS1": "HS1", "HS2": "HS2"}
    result = await _named(hass, result, {"HS1": "Lobby", "HS2": "Terrace"})
    await hass.async_block_till_done()

    assert result["reason"] == "reconfigure_successful"
    assert wiwiz_entry.data["hotspots"] == {"HS1": "Lobby", "HS2": "Terrace"}
    assert wiwiz_entry.data["userkey"] == WIWIZ_KEY
    # The fixture's title was ours ("Wiwiz"): it follows the names.
    assert wiwiz_entry.title == "Wiwiz (Lobby, Terrace)"
    assert _device_names(hass, wiwiz_entry)["wiwiz_HS2"] == "Terrace"
    after = {
        reg.unique_id: reg.entity_id
        for reg in er.async_entries_for_config_entry(registry, wiwiz_entry.entry_id)
    }
    assert after == before

    # Shown again as named; a title the user chose is kept.
    hass.config_entries.async_update_entry(wiwiz_entry, title="Beach bar")
    result = await wiwiz_entry.start_reconfigure_flow(hass)
    result = await _submit(hass, result, {"hotspot_ids": ["HS1", "HS2"]})
    assert _shown(result) == {"HS1": "Lobby", "HS2": "Terrace"}
    result = await _named(hass, result, {"HS1": "Hall", "HS2": "Terrace"})
    await hass.async_block_till_done()
    assert wiwiz_entry.title == "Beach bar"
    assert wiwiz_entry.data["hotspots"] == {"HS1": "Hall", "HS2": "Terrace"}


async def test_wiwiz_same_account_twice_aborts(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_entry: MockConfigEntry
) -> None:
    result = await _start(hass, "wiwiz")
    result = await _submit(
        hass, result, {"userkey": WIWIZ_KEY, "hotspot_ids": ["HS2", "HS1"]}
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert hass.config_entries.async_entries(DOMAIN) == [wiwiz_entry]


async def test_wiwiz_same_account_with_other_hotspot_list_aborts(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_entry: MockConfigEntry
) -> None:
    result = await _start(hass, "wiwiz")
    result = await _submit(hass, result, {"userkey": WIWIZ_KEY, "hotspot_ids": ["HS2"]})

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


# --- re-authentication --------------------------------------------------------


async def test_wiwiz_reauth_asks_only_for_the_key(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, wiwiz_entry)
    hass.config_entries.async_update_entry(
        wiwiz_entry,
        data={**wiwiz_entry.data, "hotspots": {"HS1": "Lobby", "HS2": "Terrace"}},
    )
    running = wiwiz_entry.runtime_data
    wiwiz.userkey = NEW_KEY

    result = await wiwiz_entry.start_reauth_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert {str(k) for k in result["data_schema"].schema} == {"userkey"}
    assert _shown(result) == {}

    result = await _submit(hass, result, {"userkey": NEW_KEY})
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert wiwiz_entry.unique_id == "wiwiz_HS1"
    # Everything but the key as it was, the names included.
    assert wiwiz_entry.data == {
        "vendor": "wiwiz",
        "userkey": NEW_KEY,
        "hotspot_ids": ["HS1", "HS2"],
        "hotspots": {"HS1": "Lobby", "HS2": "Terrace"},
        "https": True,
    }
    assert wiwiz_entry.state is ConfigEntryState.LOADED
    assert wiwiz_entry.runtime_data is not running
    assert wiwiz.calls[-1].query["userkey"] == NEW_KEY


async def test_wiwiz_reauth_other_account_aborts(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_entry: MockConfigEntry
) -> None:
    wiwiz.userkey = OTHER_KEY
    del wiwiz.hotspots["HS1"]

    result = await wiwiz_entry.start_reauth_flow(hass)
    result = await _submit(hass, result, {"userkey": OTHER_KEY})

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert wiwiz_entry.data["userkey"] == WIWIZ_KEY


@pytest.mark.parametrize(
    ("breaker", "errors"),
    [
        pytest.param(_wrong_key, {"base": "invalid_auth"}, id="ERR003"),
        pytest.param(_basic_edition, {"base": "professional_required"}, id="ERR004"),
        pytest.param(
            _failing(exc=TimeoutError()), {"base": "cannot_connect"}, id="timeout"
        ),
    ],
)
async def test_wiwiz_reauth_error_shows_on_form(
    hass: HomeAssistant,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
    breaker: Callable[[FakeWiwiz, dict[str, Any]], dict[str, Any]],
    errors: dict[str, str],
) -> None:
    typed = breaker(wiwiz, {"userkey": WIWIZ_KEY})
    result = await wiwiz_entry.start_reauth_flow(hass)
    result = await _submit(hass, result, typed)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert result["errors"] == errors
    assert wiwiz_entry.data["userkey"] == WIWIZ_KEY

    wiwiz.code = None
    wiwiz.recover()
    result = await _submit(hass, result, {"userkey": WIWIZ_KEY})
    await hass.async_block_till_done()
    assert result["reason"] == "reauth_successful"


async def test_wiwiz_reauth_names_a_hotspot_gone_from_the_account(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_entry: MockConfigEntry
) -> None:
    del wiwiz.hotspots["HS2"]
    result = await wiwiz_entry.start_reauth_flow(hass)
    result = await _submit(hass, result, {"userkey": WIWIZ_KEY})

    # The form has no hotspot field: the error stands above the key.
    assert result["errors"] == {"base": "invalid_hotspot"}
    assert result["description_placeholders"]["hotspot_id"] == "HS2"
    assert wiwiz_entry.data["hotspot_ids"] == ["HS1", "HS2"]


def _same_key_entries(
    hass: HomeAssistant, wiwiz: FakeWiwiz
) -> tuple[MockConfigEntry, MockConfigEntry]:
    """A second entry of the account (its third hotspot), and one of another account."""
    wiwiz.hotspots["HS3"] = wiwiz._hotspot("192.0.2.3")
    sibling = MockConfigEntry(
        domain=DOMAIN,
        title="Wiwiz (HS3)",
        unique_id="wiwiz_HS3",
        data={"vendor": "wiwiz", "userkey": WIWIZ_KEY, "hotspot_ids": ["HS3"]},
    )
    stranger = MockConfigEntry(
        domain=DOMAIN,
        title="Wiwiz (HS9)",
        unique_id="wiwiz_HS9",
        data={"vendor": "wiwiz", "userkey": OTHER_KEY, "hotspot_ids": ["HS9"]},
    )
    sibling.add_to_hass(hass)
    stranger.add_to_hass(hass)
    return sibling, stranger


async def test_wiwiz_reauth_renews_every_entry_with_the_same_key(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_entry: MockConfigEntry
) -> None:
    """Two entries of one account: the key typed again in one works for both."""
    sibling, stranger = _same_key_entries(hass, wiwiz)
    wiwiz.userkey = NEW_KEY
    assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()
    assert sibling.state is ConfigEntryState.SETUP_ERROR
    assert list(sibling.async_get_active_flows(hass, {SOURCE_REAUTH}))

    (flow,) = wiwiz_entry.async_get_active_flows(hass, {SOURCE_REAUTH})
    result = await _submit(hass, flow, {"userkey": NEW_KEY})
    await hass.async_block_till_done()

    assert result["reason"] == "reauth_successful"
    assert wiwiz_entry.state is ConfigEntryState.LOADED
    # The other entry with the old key has the new one, runs, and asks nothing.
    assert sibling.data["userkey"] == NEW_KEY
    assert sibling.state is ConfigEntryState.LOADED
    assert not list(sibling.async_get_active_flows(hass, {SOURCE_REAUTH}))
    # Another account's entry is left as it was.
    assert stranger.data["userkey"] == OTHER_KEY
    assert stranger.state is ConfigEntryState.SETUP_ERROR


async def test_wiwiz_reconfigure_with_a_new_key_renews_the_same_key_entries(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_entry: MockConfigEntry
) -> None:
    """The key changed at Wiwiz and typed in one entry's reconfigure: both follow."""
    sibling, stranger = _same_key_entries(hass, wiwiz)
    assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()
    running = sibling.runtime_data
    wiwiz.userkey = NEW_KEY

    result = await wiwiz_entry.start_reconfigure_flow(hass)
    result = await _submit(
        hass, result, {"userkey": NEW_KEY, "hotspot_ids": ["HS1", "HS2"]}
    )
    result = await _named(hass, result)
    await hass.async_block_till_done()

    assert result["reason"] == "reconfigure_successful"
    assert sibling.data["userkey"] == NEW_KEY
    assert sibling.state is ConfigEntryState.LOADED
    assert sibling.runtime_data is not running
    assert stranger.data["userkey"] == OTHER_KEY


async def test_wiwiz_reauth_unexpected_exception_is_unknown(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_entry: MockConfigEntry
) -> None:
    result = await wiwiz_entry.start_reauth_flow(hass)
    with patch(f"{CLIENT}.wiwiz.WiwizClient.wan_ip", side_effect=RuntimeError("boom")):
        result = await _submit(hass, result, {"userkey": WIWIZ_KEY})

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "unknown"}


# --- reconfiguration ----------------------------------------------------------


async def test_wiwiz_reconfigure_changes_hotspots(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, wiwiz_entry)

    result = await wiwiz_entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert _shown(result) == {"hotspot_ids": ["HS1", "HS2"]}

    # An id of no hotspot is refused, and named, then corrected.
    result = await _submit(hass, result, {"userkey": WIWIZ_KEY, "hotspot_ids": ["HS9"]})
    assert result["errors"] == {"hotspot_ids": "invalid_hotspot"}
    assert result["description_placeholders"]["hotspot_id"] == "HS9"
    assert wiwiz_entry.data["hotspot_ids"] == ["HS1", "HS2"]

    # The key left empty: the stored one is kept.
    result = await _submit(hass, result, {"hotspot_ids": ["HS2"]})
    result = await _named(hass, result, {"HS2": "Terrace"})
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert wiwiz_entry.data == {
        "vendor": "wiwiz",
        "userkey": WIWIZ_KEY,
        "hotspot_ids": ["HS2"],
        "hotspots": {"HS2": "Terrace"},
        "https": True,
    }
    assert wiwiz_entry.unique_id == "wiwiz_HS1"
    # The title we made follows the hotspots.
    assert wiwiz_entry.title == "Wiwiz (Terrace)"
    assert wiwiz_entry.state is ConfigEntryState.LOADED
    assert wiwiz_entry.runtime_data.hotspots == {"HS2": "Terrace"}


async def test_wiwiz_reconfigure_other_account_aborts(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_entry: MockConfigEntry
) -> None:
    wiwiz.userkey = OTHER_KEY
    del wiwiz.hotspots["HS1"]

    result = await wiwiz_entry.start_reconfigure_flow(hass)
    result = await _submit(hass, result, {"userkey": OTHER_KEY, "hotspot_ids": ["HS2"]})

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert wiwiz_entry.data == {"vendor": "wiwiz", **WIWIZ_INPUT}


# --- the API address, in the advanced section ---------------------------------


def _wiwiz_at(aioclient_mock: AiohttpClientMocker, base_url: str) -> FakeWiwiz:
    """The Wiwiz account, answering at another API address."""
    fake = FakeWiwiz()
    fake.pattern = re.compile(rf"^{re.escape(base_url)}")
    fake.register(aioclient_mock)
    return fake


def _wiwiz_entry_at(hass: HomeAssistant, base_url: str) -> MockConfigEntry:
    """A Wiwiz entry set up with its own API address (not yet set up)."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Wiwiz",
        unique_id="wiwiz_HS1",
        data={"vendor": "wiwiz", **WIWIZ_INPUT, "base_url": base_url},
    )
    entry.add_to_hass(hass)
    return entry


async def test_wiwiz_api_address_is_in_a_collapsed_section(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, wiwiz: FakeWiwiz
) -> None:
    result = await _start(hass, "wiwiz")

    advanced = _selector(result, "advanced")
    assert isinstance(advanced, section)
    assert advanced.options == {"collapsed": True}
    assert [str(key) for key in advanced.schema.schema] == ["base_url"]
    assert "base_url" not in {str(key) for key in result["data_schema"].schema}

    seen = await as_the_frontend_sees_it(hass, hass_client, result)
    folded = field_named(seen["data_schema"], "advanced")
    assert folded["type"] == "expandable"
    assert folded["expanded"] is False
    assert folded["schema"] == [
        {
            "name": "base_url",
            "optional": True,
            "required": False,
            "description": {"suggested_value": None},
            "selector": field_named(folded["schema"], "base_url")["selector"],
        }
    ]
    assert field_named(folded["schema"], "base_url")["selector"]["text"]["type"] == (
        "url"
    )


async def test_wiwiz_api_address_typed_is_stored_flat(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, wiwiz: FakeWiwiz
) -> None:
    white_label, result = await _wiwiz_created_at(
        hass, aioclient_mock, WIWIZ_WHITE_LABEL
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == _stored(base_url=WIWIZ_WHITE_LABEL)
    assert result["result"].state is ConfigEntryState.LOADED
    # Checked and polled there, and only there.
    assert "/as/qapi/hotspotip" in {path.rstrip("/") for path in _paths(white_label)}
    assert wiwiz.calls == []


@pytest.mark.parametrize(
    "advanced",
    [{}, {"base_url": ""}, {"base_url": "   "}],
    ids=["no_field", "empty", "blank"],
)
async def test_wiwiz_empty_api_address_is_not_stored(
    hass: HomeAssistant, wiwiz: FakeWiwiz, advanced: dict[str, str]
) -> None:
    result = await _wiwiz_created(hass, {**WIWIZ_INPUT, "advanced": advanced})

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == _stored(https=True)
    assert result["result"].state is ConfigEntryState.LOADED
    assert wiwiz.calls


async def test_wiwiz_form_keeps_the_api_address_typed(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    _wiwiz_at(aioclient_mock, WIWIZ_WHITE_LABEL)
    typed = {
        "userkey": OTHER_KEY,
        "hotspot_ids": ["HS1", "HS2"],
        "advanced": {"base_url": WIWIZ_WHITE_LABEL},
    }

    result = await _start(hass, "wiwiz")
    result = await _submit(hass, result, typed)

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}
    assert _shown(result) == typed
    # What the frontend gets back when it submits the same.
    seen = await as_the_frontend_sees_it(hass, hass_client, result, submitting=typed)
    assert seen["errors"] == {"base": "invalid_auth"}
    folded = field_named(seen["data_schema"], "advanced")
    assert field_named(folded["schema"], "base_url")["description"] == {
        "suggested_value": WIWIZ_WHITE_LABEL
    }

    result = await _submit(hass, result, {**typed, "userkey": WIWIZ_KEY})
    result = await _named(hass, result)
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"]["base_url"] == WIWIZ_WHITE_LABEL


async def test_wiwiz_reauth_keeps_the_api_address(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, wiwiz: FakeWiwiz
) -> None:
    white_label = _wiwiz_at(aioclient_mock, WIWIZ_WHITE_LABEL)
    entry = _wiwiz_entry_at(hass, WIWIZ_WHITE_LABEL)
    await setup_entry(hass, entry)
    white_label.userkey = NEW_KEY
    white_label.calls.clear()

    result = await entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"
    with entry_setups() as setups:
        result = await _submit(hass, result, {"userkey": NEW_KEY})
        await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data == {
        "vendor": "wiwiz",
        "userkey": NEW_KEY,
        "hotspot_ids": ["HS1", "HS2"],
        **WIWIZ_NAMES,
        "base_url": WIWIZ_WHITE_LABEL,
    }
    assert setups.await_count == 1
    assert entry.state is ConfigEntryState.LOADED
    # The new key was checked where the account lives, and is used there.
    assert white_label.calls[-1].query["userkey"] == NEW_KEY
    assert wiwiz.calls == []


@pytest.mark.parametrize(
    ("advanced", "stored"),
    [
        ({"base_url": WIWIZ_OTHER_LABEL}, WIWIZ_OTHER_LABEL),
        ({}, None),
        ({"base_url": ""}, None),
    ],
    ids=["changed", "no_field", "emptied"],
)
async def test_wiwiz_reconfigure_changes_or_removes_the_api_address(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    wiwiz: FakeWiwiz,
    advanced: dict[str, str],
    stored: str | None,
) -> None:
    white_label = _wiwiz_at(aioclient_mock, WIWIZ_WHITE_LABEL)
    other_label = _wiwiz_at(aioclient_mock, WIWIZ_OTHER_LABEL)
    entry = _wiwiz_entry_at(hass, WIWIZ_WHITE_LABEL)
    await setup_entry(hass, entry)
    white_label.calls.clear()

    result = await entry.start_reconfigure_flow(hass)
    with entry_setups() as setups:
        result = await _submit(hass, result, {**WIWIZ_INPUT, "advanced": advanced})
        result = await _named(hass, result)
        await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    # Without an address: back at Wiwiz itself, asked over HTTPS, which answers.
    assert entry.data == (
        _stored(https=True) if stored is None else _stored(base_url=stored)
    )
    assert setups.await_count == 1
    assert entry.state is ConfigEntryState.LOADED
    # Checked and polled at the new address only.
    answering = other_label if stored else wiwiz
    assert answering.calls
    assert white_label.calls == []
    assert (wiwiz if stored else other_label).calls == []
