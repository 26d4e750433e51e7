"""The config, reauth, reconfigure and options flows, driven from the outside.

Only HTTP is faked (`FakeSmartWifi` / `FakeWiwiz` over `aioclient_mock`); every
entry a flow creates is set up for real against the same fakes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from http import HTTPStatus
import json
import logging
from pathlib import Path
import re
from typing import Any
from unittest.mock import AsyncMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.application_credentials import (
    ClientCredential,
    async_import_client_credential,
)
from homeassistant.config_entries import (
    RELOAD_AFTER_UPDATE_DELAY,
    SOURCE_REAUTH,
    SOURCE_USER,
    ConfigEntryState,
    ConfigFlowResult,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData, section
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.helpers.translation import async_get_translations
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
import voluptuous as vol
from yarl import URL

import custom_components.guest_wifi as integration
from custom_components.guest_wifi.api.mywifi import AUTHORIZE_URL
from custom_components.guest_wifi.const import DOMAIN, EVENT_GUEST_CONNECTED

from .conftest import setup_entry
from .fakes import (
    MYWIFI_CLIENT_ID,
    MYWIFI_CLIENT_SECRET,
    SMARTWIFI_TOKEN,
    WIWIZ_KEY,
    FakeSmartWifi,
    FakeWiwiz,
)

FIXTURES = Path(__file__).parent / "fixtures"
NEW_TOKEN = "SMARTWIFI-SECRET-TOKEN-0002"
OTHER_TOKEN = "SMARTWIFI-SECRET-TOKEN-OTHER"
NEW_KEY = "WIWIZ-SECRET-KEY-0002"
OTHER_KEY = "WIWIZ-SECRET-KEY-OTHER"
REDIRECT_URI = "https://example.com/auth/external/callback"

SMARTWIFI_INPUT = {"api_token": SMARTWIFI_TOKEN, "environment": "us_a"}
WIWIZ_INPUT = {"userkey": WIWIZ_KEY, "hotspot_ids": ["HS1", "HS2"]}
# Hotspots the owner did not name are named by their ids.
WIWIZ_NAMES = {"hotspots": {"HS1": "HS1", "HS2": "HS2"}}
CLIENT = "custom_components.guest_wifi.api"
# A white-label Wiwiz deployment (or the simulator), and another one.
WIWIZ_WHITE_LABEL = "http://wiwiz.example.net/as/qapi/"
WIWIZ_OTHER_LABEL = "http://hotspots.example.org/as/qapi/"


def _fixture(vendor: str, name: str) -> str:
    return (FIXTURES / vendor / name).read_text(encoding="utf-8")


# --- helpers ---------------------------------------------------------------


@pytest.fixture(autouse=True)
def no_deprecation_warnings(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Home Assistant reports nothing the flows do as deprecated or as breaking.

    It logs such reports (an update listener next to a flow that reloads the
    entry, the advanced mode of a flow...) as warnings naming the integration.
    """
    yield
    reported = [
        message
        for when in ("setup", "call")
        for record in caplog.get_records(when)
        if "guest_wifi" in (message := record.getMessage())
        and ("deprecat" in message.lower() or "stop working" in message.lower())
    ]
    assert reported == []


@contextmanager
def entry_setups() -> Iterator[AsyncMock]:
    """Count the entry setups while the block runs: a reload is one."""
    with patch.object(
        integration, "async_setup_entry", wraps=integration.async_setup_entry
    ) as setup:
        yield setup


async def _flow_strings(hass: HomeAssistant) -> dict[str, str]:
    """The config flow strings Home Assistant loads for the integration."""
    return await async_get_translations(hass, "en", "config", {DOMAIN})


async def _assert_translated(hass: HomeAssistant, result: ConfigFlowResult) -> None:
    """Every error and abort reason a user sees has a text of its own."""
    strings = await _flow_strings(hass)
    prefix = f"component.{DOMAIN}.config"
    if result["type"] is FlowResultType.FORM:
        for error in (result["errors"] or {}).values():
            assert f"{prefix}.error.{error}" in strings, error
    if result["type"] is FlowResultType.ABORT:
        assert f"{prefix}.abort.{result['reason']}" in strings, result["reason"]


async def _start(hass: HomeAssistant, vendor: str) -> ConfigFlowResult:
    """Open the user flow and pick a vendor from the menu."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.MENU
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": vendor}
    )
    await _assert_translated(hass, result)
    return result


async def _submit(
    hass: HomeAssistant, result: ConfigFlowResult, user_input: dict[str, Any]
) -> ConfigFlowResult:
    """Fill a form in; check that what comes back is translated."""
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input
    )
    await _assert_translated(hass, result)
    return result


async def _named(
    hass: HomeAssistant,
    result: ConfigFlowResult,
    names: dict[str, Any] | None = None,
) -> ConfigFlowResult:
    """Answer the Wiwiz hotspot-names step (by default: keep every id)."""
    assert result["type"] is FlowResultType.FORM, result
    assert result["step_id"] == "wiwiz_names"
    return await _submit(hass, result, names or {})


def _shown(result: ConfigFlowResult) -> dict[str, Any]:
    """What each field of a form shows: its default, else its suggested value."""
    return _shown_in(result["data_schema"])


def _shown_in(schema: vol.Schema) -> dict[str, Any]:
    """A form's shown values; a section's, under the section's name."""
    shown: dict[str, Any] = {}
    for key, value in schema.schema.items():
        if isinstance(value, section):
            if inner := _shown_in(value.schema):
                shown[str(key)] = inner
        elif key.default is not vol.UNDEFINED:
            shown[str(key)] = key.default()
        elif key.description and key.description.get("suggested_value") is not None:
            shown[str(key)] = key.description["suggested_value"]
    return shown


def _selector(result: ConfigFlowResult, field: str) -> Any:
    return next(v for k, v in result["data_schema"].schema.items() if str(k) == field)


async def as_the_frontend_sees_it(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    result: ConfigFlowResult,
    *,
    flows: str = "flow",
    submitting: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The flow's step as the frontend receives it over HTTP.

    The current step, or the one that answers what the frontend submits.
    `flows` is "flow" for config flows and "options/flow" for options flows.
    """
    assert await async_setup_component(hass, "config", {})
    client = await hass_client()
    url = f"/api/config/config_entries/{flows}/{result['flow_id']}"
    if submitting is None:
        response = await client.get(url)
    else:
        response = await client.post(url, json=submitting)
    assert response.status == HTTPStatus.OK
    return dict(await response.json())


def field_named(fields: list[dict[str, Any]], name: str) -> dict[str, Any]:
    """One serialized field of a form."""
    return next(field for field in fields if field["name"] == name)


def _custom_smartwifi(aioclient_mock: AiohttpClientMocker, host: str) -> FakeSmartWifi:
    """A SmartWiFi account answering on another host."""
    fake = FakeSmartWifi()
    fake.pattern = re.compile(rf"^https://{re.escape(host)}/v2/")
    fake.register(aioclient_mock)
    return fake


def _device_names(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, str]:
    """The entry's devices' names, by our identifier (any Home Assistant release)."""
    return {
        identifier: device.name or ""
        for device in dr.async_entries_for_config_entry(
            dr.async_get(hass), entry.entry_id
        )
        for domain, identifier in device.identifiers
        if domain == DOMAIN
    }


def _paths(fake: FakeSmartWifi | FakeWiwiz) -> list[str]:
    return [url.path for url in fake.calls]


# --- the menu ----------------------------------------------------------------


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


# --- SmartWiFi ---------------------------------------------------------------


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


# --- Wiwiz -------------------------------------------------------------------


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
    assert result["data"] == {
        "vendor": "wiwiz",
        **WIWIZ_INPUT,
        **WIWIZ_NAMES,
        "https": True,
    }
    assert result["result"].state is ConfigEntryState.LOADED


async def test_wiwiz_falls_back_to_http_when_https_cannot_connect(
    hass: HomeAssistant, wiwiz: FakeWiwiz
) -> None:
    """Wiwiz documents only http://: used when HTTPS cannot connect, and said so."""
    wiwiz.refuse_https()
    result = await _start(hass, "wiwiz")
    result = await _named(hass, await _submit(hass, result, WIWIZ_INPUT))
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {
        "vendor": "wiwiz",
        **WIWIZ_INPUT,
        **WIWIZ_NAMES,
        "https": False,
    }
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
    assert ir.async_get(hass).async_get_issue(
        DOMAIN, f"wiwiz_clear_text_{entry.entry_id}"
    )


async def test_wiwiz_over_https_has_no_clear_text_warning(
    hass: HomeAssistant, wiwiz: FakeWiwiz
) -> None:
    result = await _start(hass, "wiwiz")
    result = await _named(hass, await _submit(hass, result, WIWIZ_INPUT))
    await hass.async_block_till_done()

    entry = result["result"]
    assert entry.data["https"] is True
    assert set(wiwiz.schemes()) == {"https"}
    assert not ir.async_get(hass).async_get_issue(
        DOMAIN, f"wiwiz_clear_text_{entry.entry_id}"
    )


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
    white_label = _wiwiz_at(aioclient_mock, WIWIZ_WHITE_LABEL)
    result = await _start(hass, "wiwiz")
    result = await _submit(
        hass, result, {**WIWIZ_INPUT, "advanced": {"base_url": WIWIZ_WHITE_LABEL}}
    )
    result = await _named(hass, result)
    await hass.async_block_till_done()

    entry = result["result"]
    assert "https" not in entry.data
    assert set(white_label.schemes()) == {"http"}
    assert wiwiz.calls == []
    assert ir.async_get(hass).async_get_issue(
        DOMAIN, f"wiwiz_clear_text_{entry.entry_id}"
    )


@pytest.mark.parametrize(
    "address",
    ["http://127.0.0.1:8300/as/qapi/", "http://localhost:8300/as/qapi/"],
)
async def test_wiwiz_on_this_machine_has_no_clear_text_warning(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, address: str
) -> None:
    """The simulator on this machine: the key crosses no network."""
    simulator = _wiwiz_at(aioclient_mock, address)
    result = await _start(hass, "wiwiz")
    result = await _submit(
        hass, result, {**WIWIZ_INPUT, "advanced": {"base_url": address}}
    )
    result = await _named(hass, result)
    await hass.async_block_till_done()

    entry = result["result"]
    assert entry.state is ConfigEntryState.LOADED
    assert simulator.calls
    assert not ir.async_get(hass).async_get_issue(
        DOMAIN, f"wiwiz_clear_text_{entry.entry_id}"
    )


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
    freezer.tick(timedelta(seconds=61))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert [e.data["hotspot_name"] for e in connected] == ["Lobby"]

    registry = er.async_get(hass)
    for reg in er.async_entries_for_config_entry(registry, entry.entry_id):
        if reg.domain == "device_tracker":
            registry.async_update_entity(reg.entity_id, disabled_by=None)
    # Home Assistant reloads the entry to add what the user enabled.
    freezer.tick(timedelta(seconds=RELOAD_AFTER_UPDATE_DELAY + 1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
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


# --- re-authentication ------------------------------------------------------


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


async def test_the_vendor_menu_has_a_short_title(hass: HomeAssistant) -> None:
    """A long menu title ran under the help icon: the words moved below it."""
    strings = await _flow_strings(hass)
    step = f"component.{DOMAIN}.config.step.user"

    assert len(strings[f"{step}.title"]) <= 24
    assert strings[f"{step}.description"]


async def test_wiwiz_reauth_unexpected_exception_is_unknown(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_entry: MockConfigEntry
) -> None:
    result = await wiwiz_entry.start_reauth_flow(hass)
    with patch(f"{CLIENT}.wiwiz.WiwizClient.wan_ip", side_effect=RuntimeError("boom")):
        result = await _submit(hass, result, {"userkey": WIWIZ_KEY})

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "unknown"}


# --- reconfiguration -----------------------------------------------------------


async def test_smartwifi_reconfigure_changes_hotspots(
    hass: HomeAssistant, smartwifi: FakeSmartWifi, smartwifi_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, smartwifi_entry)
    running = smartwifi_entry.runtime_data

    result = await smartwifi_entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "smartwifi"

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


async def test_wiwiz_reconfigure_changes_hotspots(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, wiwiz_entry)

    result = await wiwiz_entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "wiwiz"
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

    step = "reauth_confirm" if source == "reauth" else vendor
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == step
    assert secret_field in {str(k) for k in result["data_schema"].schema}
    assert secret_field not in _shown(result)
    # Nowhere in what the frontend receives either.
    seen = await as_the_frontend_sees_it(hass, hass_client, result)
    assert seen["step_id"] == step
    assert secret_field in {field["name"] for field in seen["data_schema"]}
    assert secret not in json.dumps(seen)


async def test_reconfigure_keeps_custom_host(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    custom = _custom_smartwifi(aioclient_mock, "api.example.com")
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="SmartWiFi",
        unique_id="smartwifi_12261",
        data={
            "vendor": "smartwifi",
            "api_token": SMARTWIFI_TOKEN,
            "environment": "custom",
            "host": "api.example.com",
            "hotspots": {"12261": "Lobby"},
        },
    )
    entry.add_to_hass(hass)

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


# --- the API address, in the advanced section ------------------------------------


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
    white_label = _wiwiz_at(aioclient_mock, WIWIZ_WHITE_LABEL)

    result = await _start(hass, "wiwiz")
    result = await _submit(
        hass, result, {**WIWIZ_INPUT, "advanced": {"base_url": WIWIZ_WHITE_LABEL}}
    )
    result = await _named(hass, result)
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {
        "vendor": "wiwiz",
        **WIWIZ_INPUT,
        **WIWIZ_NAMES,
        "base_url": WIWIZ_WHITE_LABEL,
    }
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
    result = await _start(hass, "wiwiz")
    result = await _submit(hass, result, {**WIWIZ_INPUT, "advanced": advanced})
    result = await _named(hass, result)
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {
        "vendor": "wiwiz",
        **WIWIZ_INPUT,
        **WIWIZ_NAMES,
        "https": True,
    }
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
    # Back at Wiwiz itself: asked over HTTPS, which answers.
    expected = {"vendor": "wiwiz", **WIWIZ_INPUT, **WIWIZ_NAMES, "https": True}
    if stored is not None:
        expected = {
            "vendor": "wiwiz",
            **WIWIZ_INPUT,
            **WIWIZ_NAMES,
            "base_url": stored,
        }
    assert entry.data == expected
    assert setups.await_count == 1
    assert entry.state is ConfigEntryState.LOADED
    # Checked and polled at the new address only.
    answering = other_label if stored else wiwiz
    assert answering.calls
    assert white_label.calls == []
    assert (wiwiz if stored else other_label).calls == []


# --- options ---------------------------------------------------------------


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
    runtime = wiwiz_entry.runtime_data
    assert runtime.connections.update_interval == timedelta(minutes=1)
    assert runtime.today.update_interval == timedelta(minutes=5)
    assert runtime.wan_ip.update_interval == timedelta(minutes=15)


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


# --- My Wi-Fi ------------------------------------------------------------------


def _mywifi_entry(hass: HomeAssistant) -> MockConfigEntry:
    """A My Wi-Fi entry (not set up: only its flows are driven here)."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="My Wi-Fi Service",
        unique_id=f"mywifi_{MYWIFI_CLIENT_ID}",
        data={"vendor": "mywifi", "auth_implementation": DOMAIN, "token": {}},
    )
    entry.add_to_hass(hass)
    return entry


async def _register_credentials(hass: HomeAssistant) -> None:
    assert await async_setup_component(hass, "application_credentials", {})
    await async_import_client_credential(
        hass, DOMAIN, ClientCredential(MYWIFI_CLIENT_ID, MYWIFI_CLIENT_SECRET), DOMAIN
    )


async def test_mywifi_without_credentials_aborts(hass: HomeAssistant) -> None:
    result = await _start(hass, "mywifi")

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "missing_credentials"


@pytest.mark.usefixtures("current_request_with_host")
async def test_mywifi_goes_to_authorize(hass: HomeAssistant) -> None:
    await _register_credentials(hass)

    result = await _start(hass, "mywifi")

    assert result["type"] is FlowResultType.EXTERNAL_STEP
    assert result["step_id"] == "auth"
    url = URL(result["url"])
    assert str(url.with_query(None)) == AUTHORIZE_URL
    assert url.query["response_type"] == "code"
    assert url.query["client_id"] == MYWIFI_CLIENT_ID
    assert url.query["redirect_uri"] == REDIRECT_URI
    assert url.query["scope"] == "READ WRITE"
    assert url.query["state"]
    assert MYWIFI_CLIENT_SECRET not in result["url"]


@pytest.mark.usefixtures("current_request_with_host")
@pytest.mark.parametrize("source", ["reauth", "reconfigure"])
async def test_mywifi_reauth_and_reconfigure_go_to_authorize(
    hass: HomeAssistant, source: str
) -> None:
    await _register_credentials(hass)
    entry = _mywifi_entry(hass)

    if source == "reauth":
        result = await entry.start_reauth_flow(hass)
    else:
        result = await entry.start_reconfigure_flow(hass)

    assert result["type"] is FlowResultType.EXTERNAL_STEP
    assert result["step_id"] == "auth"
    assert URL(result["url"]).query["client_id"] == MYWIFI_CLIENT_ID
    assert URL(result["url"]).query["scope"] == "READ WRITE"


async def test_mywifi_reauth_without_credentials_aborts(hass: HomeAssistant) -> None:
    entry = _mywifi_entry(hass)

    result = await entry.start_reauth_flow(hass)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "missing_credentials"
