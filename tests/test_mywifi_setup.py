"""My Wi-Fi Service: OAuth2 sign-in, sensors and token refresh."""

from __future__ import annotations

from http import HTTPStatus
import time

from homeassistant import config_entries
from homeassistant.components.application_credentials import (
    ClientCredential,
    async_import_client_credential,
)
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import config_entry_oauth2_flow
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.guest_wifi.api.mywifi import AUTHORIZE_URL, TOKEN_URL
from custom_components.guest_wifi.const import DOMAIN

from .fakes import (
    MYWIFI_ACCESS_TOKEN,
    MYWIFI_CLIENT_ID,
    MYWIFI_CLIENT_SECRET,
    FakeMyWifi,
)

REDIRECT = "https://example.com/auth/external/callback"


@pytest.fixture
async def credentials(hass: HomeAssistant) -> None:
    """The user's application credentials."""
    assert await async_setup_component(hass, "application_credentials", {})
    await async_import_client_credential(
        hass, DOMAIN, ClientCredential(MYWIFI_CLIENT_ID, MYWIFI_CLIENT_SECRET), DOMAIN
    )


@pytest.fixture
def mywifi(aioclient_mock: AiohttpClientMocker) -> FakeMyWifi:
    """A My Wi-Fi account answering over faked HTTP."""
    fake = FakeMyWifi()
    fake.register(aioclient_mock)
    return fake


@pytest.mark.usefixtures("current_request_with_host", "credentials")
async def test_full_oauth_flow(
    hass: HomeAssistant,
    hass_client_no_auth,
    aioclient_mock: AiohttpClientMocker,
    mywifi: FakeMyWifi,
) -> None:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "mywifi"}
    )
    assert result["type"] is FlowResultType.EXTERNAL_STEP
    state = config_entry_oauth2_flow._encode_jwt(
        hass, {"flow_id": result["flow_id"], "redirect_uri": REDIRECT}
    )
    assert result["url"].startswith(AUTHORIZE_URL)
    assert f"client_id={MYWIFI_CLIENT_ID}" in result["url"]
    assert "scope=READ+WRITE" in result["url"]

    client = await hass_client_no_auth()
    resp = await client.get(f"/auth/external/callback?code=abcd&state={state}")
    assert resp.status == HTTPStatus.OK

    aioclient_mock.post(
        TOKEN_URL,
        json={
            "refresh_token": "mock-refresh-token",
            "access_token": MYWIFI_ACCESS_TOKEN,
            "type": "Bearer",
            "expires_in": 86400,
        },
    )
    result = await hass.config_entries.flow.async_configure(result["flow_id"])
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    entry = result["result"]
    assert entry.unique_id == f"mywifi_{MYWIFI_CLIENT_ID}"
    assert entry.data["vendor"] == "mywifi"
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get("sensor.my_wi_fi_service_registered_users").state == "3"
    assert hass.states.get("sensor.my_wi_fi_service_disabled_users").state == "1"
    assert hass.states.get("sensor.my_wi_fi_service_registered_users").attributes[
        "groups"
    ] == {"Guests": 2, "Staff": 1}


@pytest.mark.usefixtures("credentials")
async def test_token_is_refreshed_before_it_expires(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, mywifi: FakeMyWifi
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="My Wi-Fi Service",
        unique_id=f"mywifi_{MYWIFI_CLIENT_ID}",
        data={
            "vendor": "mywifi",
            "auth_implementation": DOMAIN,
            "token": {
                "access_token": "old-token",
                "refresh_token": "mock-refresh-token",
                "expires_at": time.time() - 10,
            },
        },
    )
    entry.add_to_hass(hass)
    aioclient_mock.post(
        TOKEN_URL,
        json={
            "refresh_token": "new-refresh-token",
            "access_token": MYWIFI_ACCESS_TOKEN,
            "expires_in": 86400,
        },
    )
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert entry.data["token"]["access_token"] == MYWIFI_ACCESS_TOKEN
    api_calls = [
        c for c in aioclient_mock.mock_calls if "mywifiservice.com/v1" in str(c[1])
    ]
    assert api_calls
    assert all(
        c[3]["Authorization"] == f"Bearer {MYWIFI_ACCESS_TOKEN}" for c in api_calls
    )


@pytest.mark.usefixtures("credentials")
async def test_refused_refresh_starts_reauth(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, mywifi: FakeMyWifi
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=f"mywifi_{MYWIFI_CLIENT_ID}",
        data={
            "vendor": "mywifi",
            "auth_implementation": DOMAIN,
            "token": {
                "access_token": "old-token",
                "refresh_token": "revoked",
                "expires_at": time.time() - 10,
            },
        },
    )
    entry.add_to_hass(hass)
    aioclient_mock.post(TOKEN_URL, status=400, json={"error": "invalid_grant"})
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress()
    assert [f["context"]["source"] for f in flows] == ["reauth"]
