"""What the flow tests share: their inputs, fakes and steps taken as a user does."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from pathlib import Path
import re
from typing import Any
from unittest.mock import AsyncMock, patch

from homeassistant.config_entries import SOURCE_USER, ConfigFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, section
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.translation import async_get_translations
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
import voluptuous as vol

import custom_components.guest_wifi as integration
from custom_components.guest_wifi.const import DOMAIN

from .conftest import add_mywifi_entry
from .fakes import SMARTWIFI_TOKEN, WIWIZ_KEY, FakeSmartWifi, FakeWiwiz

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


def _mywifi_entry(hass: HomeAssistant) -> MockConfigEntry:
    """A My Wi-Fi entry (not set up: only its flows are driven here)."""
    return add_mywifi_entry(hass, {})
