"""SmartWiFi's config, reauth and reconfigure flows, driven from the outside.

Only HTTP is faked (`FakeSmartWifi` over `aioclient_mock`); every entry a flow
creates is set up for real against the same fake.
"""

from __future__ import annotations

import logging
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
import voluptuous as vol

from custom_components.guest_wifi.const import DOMAIN

from .conftest import add_smartwifi_entry, setup_entry
from .fakes import SMARTWIFI_TOKEN, FakeSmartWifi
from .flow_helpers import (
    CLIENT,
    NEW_TOKEN,
    OTHER_TOKEN,
    SMARTWIFI_INPUT,
    _assert_translated,
    _custom_smartwifi,
    _fixture,
    _flow_strings,
    _paths,
    _selector,
    _shown,
    _start,
    _submit,
)

pytestmark = pytest.mark.usefixtures("no_deprecation_warnings")


# --- SmartWiFi ----------------------------------------------------------------


async def test_smartwifi_creates_entry_with_chosen_hotspots(
    hass: HomeAssistant, smartwifi: FakeSmartWifi
) -> None:
    result = await _start(hass, "smartwifi")
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "smartwifi"
    assert result["errors"] == {}
    assert {str(k) for k in result["data_schema"].schema} == {
        "api_token",
        "environment",
        "host",
    }
    assert _shown(result) == {"environment": "us_a"}
    assert smartwifi.calls == []

    result = await _submit(hass, result, SMARTWIFI_INPUT)

    # The token was checked with a ping, then the hotspots were listed.
    assert _paths(smartwifi) == [
        "/v2/zapier/client/ping",
        "/v2/zapier/client/dropdown/hotspots",
    ]
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "smartwifi_hotspots"
    # New hotspots join a new entry by themselves unless the owner says not.
    assert _shown(result) == {
        "hotspots": ["12261", "12290"],
        "add_new_hotspots": True,
    }
    assert _selector(result, "hotspots").config["options"] == [
        {"value": "12261", "label": "Lobby"},
        {"value": "12290", "label": "Terrace"},
    ]

    result = await _submit(hass, result, {"hotspots": ["12290"]})
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "SmartWiFi (Terrace)"
    assert result["data"] == {
        "vendor": "smartwifi",
        "api_token": SMARTWIFI_TOKEN,
        "environment": "us_a",
        "hotspots": {"12290": "Terrace"},
        "add_new_hotspots": True,
        # Left unticked: never added by itself.
        "hotspots_left_out": ["12261"],
    }
    entry = result["result"]
    assert entry.unique_id == "smartwifi_12261"
    assert SMARTWIFI_TOKEN not in entry.unique_id
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data.hotspots == {"12290": "Terrace"}


async def test_entry_from_flow_has_an_activity_event_per_hotspot(
    hass: HomeAssistant, smartwifi: FakeSmartWifi
) -> None:
    result = await _start(hass, "smartwifi")
    result = await _submit(hass, result, SMARTWIFI_INPUT)
    result = await _submit(hass, result, {"hotspots": ["12290"]})
    await hass.async_block_till_done()
    entry = result["result"]

    events = [
        e.unique_id
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if e.domain == "event"
    ]
    assert events == [f"{entry.entry_id}_12290_guest_activity"]


@pytest.mark.parametrize(
    ("failure", "error"),
    [
        pytest.param({"status": 401}, "invalid_auth", id="http_401"),
        pytest.param({"status": 403}, "invalid_auth", id="http_403"),
        pytest.param({"exc": TimeoutError()}, "cannot_connect", id="timeout"),
        pytest.param({"status": 500}, "cannot_connect", id="http_500"),
        pytest.param({"status": 429}, "cannot_connect", id="rate_limited"),
        pytest.param(
            {"body": _fixture("smartwifi", "error_page.html")},
            "cannot_connect",
            id="html_page",
        ),
        pytest.param({"body": "garbage {"}, "cannot_connect", id="garbage"),
        pytest.param(
            {"body": _fixture("smartwifi", "truncated.json")},
            "cannot_connect",
            id="truncated_json",
        ),
    ],
)
async def test_smartwifi_error_then_recovery(
    hass: HomeAssistant,
    caplog: pytest.LogCaptureFixture,
    smartwifi: FakeSmartWifi,
    failure: dict[str, Any],
    error: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    smartwifi.fail(**failure)
    result = await _start(hass, "smartwifi")
    result = await _submit(hass, result, SMARTWIFI_INPUT)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "smartwifi"
    assert result["errors"] == {"base": error}
    # The form keeps what the user typed.
    assert _shown(result) == SMARTWIFI_INPUT
    assert hass.config_entries.async_entries(DOMAIN) == []
    # The token rides in the URL: it must not reach the log with it.
    assert "/v2/zapier/client/ping" in caplog.text
    assert SMARTWIFI_TOKEN not in caplog.text

    smartwifi.recover()
    result = await _submit(hass, result, SMARTWIFI_INPUT)
    assert result["step_id"] == "smartwifi_hotspots"
    result = await _submit(hass, result, {"hotspots": ["12261", "12290"]})
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {
        "vendor": "smartwifi",
        **SMARTWIFI_INPUT,
        "hotspots": {"12261": "Lobby", "12290": "Terrace"},
        "add_new_hotspots": True,
        "hotspots_left_out": [],
    }


async def test_smartwifi_wrong_token_then_right_one(
    hass: HomeAssistant, smartwifi: FakeSmartWifi
) -> None:
    result = await _start(hass, "smartwifi")
    result = await _submit(
        hass, result, {"api_token": OTHER_TOKEN, "environment": "us_a"}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    assert _shown(result) == {"api_token": OTHER_TOKEN, "environment": "us_a"}

    result = await _submit(hass, result, SMARTWIFI_INPUT)
    assert result["step_id"] == "smartwifi_hotspots"


async def test_smartwifi_unexpected_exception_is_unknown(
    hass: HomeAssistant, smartwifi: FakeSmartWifi
) -> None:
    result = await _start(hass, "smartwifi")
    with patch(
        f"{CLIENT}.smartwifi.SmartWifiClient.ping", side_effect=RuntimeError("boom")
    ):
        result = await _submit(hass, result, SMARTWIFI_INPUT)

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "unknown"}
    assert _shown(result) == SMARTWIFI_INPUT

    result = await _submit(hass, result, SMARTWIFI_INPUT)
    assert result["step_id"] == "smartwifi_hotspots"


@pytest.mark.parametrize("host", [None, "", "   ", "/"])
async def test_smartwifi_custom_environment_requires_host(
    hass: HomeAssistant, smartwifi: FakeSmartWifi, host: str | None
) -> None:
    typed = {"api_token": SMARTWIFI_TOKEN, "environment": "custom"}
    if host is not None:
        typed["host"] = host
    result = await _start(hass, "smartwifi")
    result = await _submit(hass, result, typed)

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"host": "host_required"}
    assert _shown(result)["environment"] == "custom"
    assert _shown(result)["api_token"] == SMARTWIFI_TOKEN
    assert smartwifi.calls == []

    # Going back to a hosted environment needs no host.
    result = await _submit(hass, result, SMARTWIFI_INPUT)
    assert result["step_id"] == "smartwifi_hotspots"


@pytest.mark.parametrize(
    ("environment", "host", "answering_host"),
    [
        pytest.param("custom", "api.example.com", "api.example.com", id="custom"),
        pytest.param(
            "custom", " https://api.example.com/ ", "api.example.com", id="with_scheme"
        ),
        pytest.param(
            "us_b", None, "api-usb.smartwifiplatform.com", id="us_b_environment"
        ),
    ],
)
async def test_smartwifi_environment_picks_the_host(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    smartwifi: FakeSmartWifi,
    environment: str,
    host: str | None,
    answering_host: str,
) -> None:
    other = _custom_smartwifi(aioclient_mock, answering_host)
    typed = {"api_token": SMARTWIFI_TOKEN, "environment": environment}
    if host is not None:
        typed["host"] = host
    result = await _start(hass, "smartwifi")
    result = await _submit(hass, result, typed)
    assert result["step_id"] == "smartwifi_hotspots"
    result = await _submit(hass, result, {"hotspots": ["12261"]})
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {
        "vendor": "smartwifi",
        **typed,
        "hotspots": {"12261": "Lobby"},
        "add_new_hotspots": True,
        "hotspots_left_out": ["12290"],
    }
    assert result["result"].state is ConfigEntryState.LOADED
    # The check and the entry's polling both went to the chosen host only.
    assert {url.host for url in other.calls} == {answering_host}
    assert "/v2/zapier/client/ping" in _paths(other)
    assert "/v2/client/connections" in _paths(other)
    assert smartwifi.calls == []


async def test_smartwifi_account_without_hotspots(
    hass: HomeAssistant, smartwifi: FakeSmartWifi
) -> None:
    smartwifi.hotspots = []
    result = await _start(hass, "smartwifi")
    result = await _submit(hass, result, SMARTWIFI_INPUT)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "smartwifi"
    assert result["errors"] == {"base": "no_hotspots"}

    smartwifi.hotspots = [{"id": 777, "name": "Bar"}]
    result = await _submit(hass, result, SMARTWIFI_INPUT)
    assert result["step_id"] == "smartwifi_hotspots"
    assert _shown(result) == {"hotspots": ["777"], "add_new_hotspots": True}


async def test_smartwifi_choosing_no_hotspot_is_an_error(
    hass: HomeAssistant, smartwifi: FakeSmartWifi
) -> None:
    result = await _start(hass, "smartwifi")
    result = await _submit(hass, result, SMARTWIFI_INPUT)
    result = await _submit(hass, result, {"hotspots": []})

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "smartwifi_hotspots"
    assert result["errors"] == {"base": "no_hotspots"}
    assert hass.config_entries.async_entries(DOMAIN) == []

    result = await _submit(hass, result, {"hotspots": ["12261"]})
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"]["hotspots"] == {"12261": "Lobby"}


async def test_smartwifi_unknown_hotspot_choice_is_refused(
    hass: HomeAssistant, smartwifi: FakeSmartWifi
) -> None:
    result = await _start(hass, "smartwifi")
    result = await _submit(hass, result, SMARTWIFI_INPUT)

    with pytest.raises(InvalidData):
        await _submit(hass, result, {"hotspots": ["99999"]})


async def test_smartwifi_same_account_twice_aborts(
    hass: HomeAssistant, smartwifi: FakeSmartWifi, smartwifi_entry: MockConfigEntry
) -> None:
    # Even with a new token: the account is the same.
    smartwifi.token = NEW_TOKEN
    result = await _start(hass, "smartwifi")
    result = await _submit(
        hass, result, {"api_token": NEW_TOKEN, "environment": "us_a"}
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert hass.config_entries.async_entries(DOMAIN) == [smartwifi_entry]
    assert smartwifi_entry.data["api_token"] == SMARTWIFI_TOKEN


async def test_smartwifi_same_account_in_two_flows(
    hass: HomeAssistant, smartwifi: FakeSmartWifi
) -> None:
    first = await _start(hass, "smartwifi")
    first = await _submit(hass, first, SMARTWIFI_INPUT)
    assert first["step_id"] == "smartwifi_hotspots"

    second = await _start(hass, "smartwifi")
    second = await hass.config_entries.flow.async_configure(
        second["flow_id"], SMARTWIFI_INPUT
    )
    assert second["type"] is FlowResultType.ABORT
    assert second["reason"] == "already_in_progress"
    await _assert_translated(hass, second)


async def test_smartwifi_same_account_with_a_new_hotspot_still_aborts(
    hass: HomeAssistant, smartwifi: FakeSmartWifi, smartwifi_entry: MockConfigEntry
) -> None:
    smartwifi.hotspots.append({"id": 12000, "name": "Garden"})
    result = await _start(hass, "smartwifi")
    result = await _submit(hass, result, SMARTWIFI_INPUT)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


# --- re-authentication --------------------------------------------------------


async def test_auth_failure_while_running_starts_reauth(
    hass: HomeAssistant, smartwifi: FakeSmartWifi, smartwifi_entry: MockConfigEntry
) -> None:
    smartwifi.token = NEW_TOKEN
    assert not await hass.config_entries.async_setup(smartwifi_entry.entry_id)
    await hass.async_block_till_done()

    assert smartwifi_entry.state is ConfigEntryState.SETUP_ERROR
    flows = list(smartwifi_entry.async_get_active_flows(hass, {SOURCE_REAUTH}))
    assert [flow["step_id"] for flow in flows] == ["reauth_confirm"]

    # Only the token changed: the hotspots the user chose are kept.
    result = await _submit(hass, flows[0], {"api_token": NEW_TOKEN})
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert smartwifi_entry.state is ConfigEntryState.LOADED


async def test_smartwifi_reauth_asks_only_for_the_token(
    hass: HomeAssistant, smartwifi: FakeSmartWifi, smartwifi_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, smartwifi_entry)
    running = smartwifi_entry.runtime_data
    smartwifi.token = NEW_TOKEN

    result = await smartwifi_entry.start_reauth_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert {str(k) for k in result["data_schema"].schema} == {"api_token"}
    assert result["description_placeholders"]["account"] == "SmartWiFi"
    assert _shown(result) == {}

    result = await _submit(hass, result, {"api_token": NEW_TOKEN})
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert smartwifi_entry.unique_id == "smartwifi_12261"
    assert smartwifi_entry.title == "SmartWiFi"
    assert smartwifi_entry.data == {
        "vendor": "smartwifi",
        "api_token": NEW_TOKEN,
        "environment": "us_a",
        "hotspots": {"12261": "Lobby", "12290": "Terrace"},
        # What the migration to minor version 5 kept: offered, not added.
        "add_new_hotspots": False,
    }
    # Reloaded with the new token.
    assert smartwifi_entry.state is ConfigEntryState.LOADED
    assert smartwifi_entry.runtime_data is not running
    assert smartwifi.calls[-1].query["api_token"] == NEW_TOKEN


async def test_smartwifi_reauth_keeps_a_custom_host(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    custom = _custom_smartwifi(aioclient_mock, "api.example.com:8443")
    custom.token = NEW_TOKEN
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="SmartWiFi (Lobby)",
        unique_id="smartwifi_12261",
        data={
            "vendor": "smartwifi",
            "api_token": SMARTWIFI_TOKEN,
            "environment": "custom",
            "host": "api.example.com:8443",
            "hotspots": {"12261": "Lobby"},
        },
    )
    entry.add_to_hass(hass)

    result = await entry.start_reauth_flow(hass)
    result = await _submit(hass, result, {"api_token": NEW_TOKEN})
    await hass.async_block_till_done()

    assert result["reason"] == "reauth_successful"
    assert entry.data["host"] == "api.example.com:8443"
    assert entry.data["hotspots"] == {"12261": "Lobby"}
    assert entry.state is ConfigEntryState.LOADED


async def test_smartwifi_reauth_other_account_aborts(
    hass: HomeAssistant, smartwifi: FakeSmartWifi, smartwifi_entry: MockConfigEntry
) -> None:
    smartwifi.token = OTHER_TOKEN
    smartwifi.hotspots = [{"id": 50001, "name": "Elsewhere"}]

    result = await smartwifi_entry.start_reauth_flow(hass)
    result = await _submit(hass, result, {"api_token": OTHER_TOKEN})

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert smartwifi_entry.data["api_token"] == SMARTWIFI_TOKEN
    assert smartwifi_entry.unique_id == "smartwifi_12261"


async def test_smartwifi_reauth_bad_token_shows_error(
    hass: HomeAssistant, smartwifi: FakeSmartWifi, smartwifi_entry: MockConfigEntry
) -> None:
    result = await smartwifi_entry.start_reauth_flow(hass)
    result = await _submit(hass, result, {"api_token": OTHER_TOKEN})

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert result["errors"] == {"base": "invalid_auth"}
    assert smartwifi_entry.data["api_token"] == SMARTWIFI_TOKEN

    result = await _submit(hass, result, {"api_token": SMARTWIFI_TOKEN})
    await hass.async_block_till_done()
    assert result["reason"] == "reauth_successful"
    assert smartwifi_entry.data["hotspots"] == {"12261": "Lobby", "12290": "Terrace"}


async def test_smartwifi_reauth_same_account_with_a_new_hotspot(
    hass: HomeAssistant, smartwifi: FakeSmartWifi, smartwifi_entry: MockConfigEntry
) -> None:
    smartwifi.hotspots.insert(0, {"id": 12000, "name": "Garden"})
    smartwifi.token = NEW_TOKEN

    result = await smartwifi_entry.start_reauth_flow(hass)
    result = await _submit(hass, result, {"api_token": NEW_TOKEN})
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert smartwifi_entry.unique_id == "smartwifi_12261"
    assert smartwifi_entry.data["hotspots"] == {"12261": "Lobby", "12290": "Terrace"}


async def test_smartwifi_reauth_renews_every_entry_with_the_same_token(
    hass: HomeAssistant, smartwifi: FakeSmartWifi, smartwifi_entry: MockConfigEntry
) -> None:
    """Two entries of one SmartWiFi account share a token: both are renewed."""
    hass.config_entries.async_update_entry(
        smartwifi_entry, data={**smartwifi_entry.data, "hotspots": {"12261": "Lobby"}}
    )
    sibling = MockConfigEntry(
        domain=DOMAIN,
        title="SmartWiFi (Terrace)",
        unique_id="smartwifi_12290",
        data={**smartwifi_entry.data, "hotspots": {"12290": "Terrace"}},
    )
    sibling.add_to_hass(hass)
    smartwifi.token = NEW_TOKEN
    assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()

    (flow,) = smartwifi_entry.async_get_active_flows(hass, {SOURCE_REAUTH})
    result = await _submit(hass, flow, {"api_token": NEW_TOKEN})
    await hass.async_block_till_done()

    assert result["reason"] == "reauth_successful"
    assert sibling.data["api_token"] == NEW_TOKEN
    assert sibling.state is ConfigEntryState.LOADED
    assert not list(sibling.async_get_active_flows(hass, {SOURCE_REAUTH}))


# --- reconfiguration ----------------------------------------------------------


async def test_smartwifi_reconfigure_changes_hotspots(
    hass: HomeAssistant, smartwifi: FakeSmartWifi, smartwifi_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, smartwifi_entry)
    running = smartwifi_entry.runtime_data

    result = await smartwifi_entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"

    result = await _submit(hass, result, SMARTWIFI_INPUT)
    assert result["step_id"] == "smartwifi_hotspots"
    # The entry's choice is shown: an entry from before it offers new hotspots.
    assert _shown(result) == {
        "hotspots": ["12261", "12290"],
        "add_new_hotspots": False,
    }
    result = await _submit(hass, result, {"hotspots": ["12261"]})
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert smartwifi_entry.data["hotspots"] == {"12261": "Lobby"}
    assert smartwifi_entry.data["add_new_hotspots"] is False
    assert smartwifi_entry.data["hotspots_left_out"] == ["12290"]
    assert smartwifi_entry.unique_id == "smartwifi_12261"
    assert smartwifi_entry.state is ConfigEntryState.LOADED
    assert smartwifi_entry.runtime_data is not running
    assert smartwifi_entry.runtime_data.hotspots == {"12261": "Lobby"}


async def test_smartwifi_reconfigure_without_the_token_keeps_it(
    hass: HomeAssistant, smartwifi: FakeSmartWifi, smartwifi_entry: MockConfigEntry
) -> None:
    result = await smartwifi_entry.start_reconfigure_flow(hass)
    token = next(k for k in result["data_schema"].schema if str(k) == "api_token")
    assert isinstance(token, vol.Optional)

    result = await _submit(hass, result, {"environment": "us_a"})
    result = await _submit(hass, result, {"hotspots": ["12261", "12290"]})
    await hass.async_block_till_done()

    assert result["reason"] == "reconfigure_successful"
    assert smartwifi_entry.data["api_token"] == SMARTWIFI_TOKEN
    assert smartwifi.calls[0].query["api_token"] == SMARTWIFI_TOKEN
    # The fixture's title was ours: it now names the hotspots.
    assert smartwifi_entry.title == "SmartWiFi (Lobby, Terrace)"


async def test_smartwifi_custom_host_with_a_port_is_asked_over_https(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    custom = _custom_smartwifi(aioclient_mock, "api.example.com:8443")
    result = await _start(hass, "smartwifi")
    result = await _submit(
        hass,
        result,
        {**SMARTWIFI_INPUT, "environment": "custom", "host": "api.example.com:8443"},
    )

    assert result["step_id"] == "smartwifi_hotspots"
    assert {(url.scheme, url.host, url.port) for url in custom.calls} == {
        ("https", "api.example.com", 8443)
    }
    strings = await _flow_strings(hass)
    help_text = strings[
        f"component.{DOMAIN}.config.step.smartwifi.data_description.host"
    ]
    assert "https://" in help_text
    assert "host:port" in help_text


async def test_smartwifi_reconfigure_preselects_remaining_hotspots(
    hass: HomeAssistant, smartwifi: FakeSmartWifi, smartwifi_entry: MockConfigEntry
) -> None:
    hass.config_entries.async_update_entry(
        smartwifi_entry, data={**smartwifi_entry.data, "hotspots": {"12290": "Terrace"}}
    )
    result = await smartwifi_entry.start_reconfigure_flow(hass)
    result = await _submit(hass, result, SMARTWIFI_INPUT)

    # Only what the entry had is preselected; the rest is offered.
    assert _shown(result) == {"hotspots": ["12290"], "add_new_hotspots": True}
    assert [o["value"] for o in _selector(result, "hotspots").config["options"]] == [
        "12261",
        "12290",
    ]


async def test_smartwifi_reconfigure_other_account_aborts(
    hass: HomeAssistant, smartwifi: FakeSmartWifi, smartwifi_entry: MockConfigEntry
) -> None:
    smartwifi.token = OTHER_TOKEN
    smartwifi.hotspots = [{"id": 50001, "name": "Elsewhere"}]

    result = await smartwifi_entry.start_reconfigure_flow(hass)
    result = await _submit(
        hass, result, {"api_token": OTHER_TOKEN, "environment": "us_a"}
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert smartwifi_entry.data["api_token"] == SMARTWIFI_TOKEN


async def test_reconfigure_keeps_custom_host(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    custom = _custom_smartwifi(aioclient_mock, "api.example.com")
    entry = add_smartwifi_entry(
        hass, environment="custom", host="api.example.com", hotspots={"12261": "Lobby"}
    )

    result = await entry.start_reconfigure_flow(hass)
    assert _shown(result) == {"environment": "custom", "host": "api.example.com"}

    result = await _submit(
        hass,
        result,
        {"api_token": NEW_TOKEN, "environment": "custom", "host": "api.example.com"},
    )
    assert result["errors"] == {"base": "invalid_auth"}
    custom.token = NEW_TOKEN
    result = await _submit(
        hass,
        result,
        {"api_token": NEW_TOKEN, "environment": "custom", "host": "api.example.com"},
    )
    result = await _submit(hass, result, {"hotspots": ["12261"]})
    await hass.async_block_till_done()

    assert result["reason"] == "reconfigure_successful"
    assert entry.data["api_token"] == NEW_TOKEN
    assert entry.data["host"] == "api.example.com"
    assert entry.state is ConfigEntryState.LOADED
