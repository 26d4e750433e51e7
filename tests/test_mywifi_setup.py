"""My Wi-Fi Service: OAuth2 sign-in, sensors and token refresh."""

from __future__ import annotations

from http import HTTPStatus
import logging
import time

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant import config_entries
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import config_entry_oauth2_flow, device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.guest_wifi.api.mywifi import (
    AUTHORIZE_URL,
    DEFAULT_BASE_URL,
    TOKEN_URL,
)
from custom_components.guest_wifi.const import DOMAIN
from custom_components.guest_wifi.vendor_mywifi import MyWifiData
from custom_components.guest_wifi.vendors import guests_of

from .conftest import MYWIFI_REFRESH_TOKEN, add_mywifi_entry, token
from .fakes import (
    MYWIFI_ACCESS_TOKEN,
    MYWIFI_CLIENT_ID,
    MYWIFI_CLIENT_SECRET,
    FakeMyWifi,
)

REDIRECT = "https://example.com/auth/external/callback"
REGISTERED = "sensor.my_wi_fi_service_registered_users"
API = DEFAULT_BASE_URL


def api_calls(
    aioclient_mock: AiohttpClientMocker, method: str | None = None, base: str = API
) -> list[tuple]:
    """The requests sent to the My Wi-Fi REST API (not to its token endpoint)."""
    return [
        call
        for call in aioclient_mock.mock_calls
        if str(call[1]).lower().startswith(base.lower())
        and (method is None or call[0].upper() == method.upper())
    ]


def token_requests(aioclient_mock: AiohttpClientMocker) -> list[tuple]:
    """The requests sent to the token endpoint."""
    return [call for call in aioclient_mock.mock_calls if str(call[1]) == TOKEN_URL]


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
    # My Wi-Fi's own running parts: its users, and no guest reports.
    runtime = entry.runtime_data
    assert isinstance(runtime, MyWifiData)
    assert runtime.coordinators == [runtime.users]
    assert runtime.hotspots == {}
    assert guests_of(entry) is None
    assert not hasattr(runtime, "connections")
    assert hass.states.get("sensor.my_wi_fi_service_registered_users").state == "3"
    assert hass.states.get("sensor.my_wi_fi_service_disabled_users").state == "1"
    assert hass.states.get("sensor.my_wi_fi_service_registered_users").attributes[
        "groups"
    ] == {"Guests": 2, "Staff": 1}


@pytest.mark.usefixtures("credentials")
async def test_token_is_refreshed_before_it_expires(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, mywifi: FakeMyWifi
) -> None:
    entry = add_mywifi_entry(
        hass,
        {
            "access_token": "old-token",
            "refresh_token": "mock-refresh-token",
            "expires_at": time.time() - 10,
        },
    )
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


@pytest.mark.usefixtures("current_request_with_host", "credentials", "mywifi")
async def test_oauth_flow_logs_no_secret(
    hass: HomeAssistant,
    hass_client_no_auth,
    aioclient_mock: AiohttpClientMocker,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="custom_components.guest_wifi")
    caplog.set_level(logging.DEBUG, logger="homeassistant.helpers")
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "mywifi"}
    )
    state = config_entry_oauth2_flow._encode_jwt(
        hass, {"flow_id": result["flow_id"], "redirect_uri": REDIRECT}
    )
    client = await hass_client_no_auth()
    await client.get(f"/auth/external/callback?code=abcd&state={state}")
    aioclient_mock.post(
        TOKEN_URL,
        json={
            "refresh_token": MYWIFI_REFRESH_TOKEN,
            "access_token": MYWIFI_ACCESS_TOKEN,
            "expires_in": 86400,
        },
    )
    result = await hass.config_entries.flow.async_configure(result["flow_id"])
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    [token_request] = token_requests(aioclient_mock)
    assert token_request[2]["client_secret"] == MYWIFI_CLIENT_SECRET
    assert token_request[2]["code"] == "abcd"
    assert any(
        r.name.startswith("custom_components.guest_wifi") and r.levelno == logging.DEBUG
        for r in caplog.records
    )
    for secret in (MYWIFI_CLIENT_SECRET, MYWIFI_ACCESS_TOKEN, MYWIFI_REFRESH_TOKEN):
        assert secret not in caplog.text


@pytest.mark.usefixtures("current_request_with_host", "credentials", "mywifi")
async def test_the_same_account_twice_is_refused(
    hass: HomeAssistant,
    hass_client_no_auth,
    aioclient_mock: AiohttpClientMocker,
    mywifi_entry: MockConfigEntry,
) -> None:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "mywifi"}
    )
    state = config_entry_oauth2_flow._encode_jwt(
        hass, {"flow_id": result["flow_id"], "redirect_uri": REDIRECT}
    )
    client = await hass_client_no_auth()
    await client.get(f"/auth/external/callback?code=abcd&state={state}")
    aioclient_mock.post(TOKEN_URL, json=token("ANOTHER-ACCESS-TOKEN"))

    result = await hass.config_entries.flow.async_configure(result["flow_id"])

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    # The refusal names the entry it is (and its text points to Reconfigure).
    assert result["description_placeholders"] == {"title": mywifi_entry.title}
    assert hass.config_entries.async_entries(DOMAIN) == [mywifi_entry]
    assert mywifi_entry.data["token"]["access_token"] == MYWIFI_ACCESS_TOKEN


@pytest.mark.usefixtures("credentials", "mywifi")
async def test_a_valid_token_is_not_refreshed(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mywifi_entry: MockConfigEntry,
) -> None:
    assert await hass.config_entries.async_setup(mywifi_entry.entry_id)
    await hass.async_block_till_done()

    assert mywifi_entry.state is ConfigEntryState.LOADED
    assert not token_requests(aioclient_mock)
    # Users (one page), groups and weekly rate plans, each with the token.
    calls = api_calls(aioclient_mock)
    assert len(calls) == 3
    assert {c[3]["Authorization"] for c in calls} == {f"Bearer {MYWIFI_ACCESS_TOKEN}"}


@pytest.mark.usefixtures("credentials", "mywifi")
async def test_migration_keeps_the_account_device(
    hass: HomeAssistant, mywifi_entry: MockConfigEntry
) -> None:
    """The account's device stays; a device with a MAC (a guest's) goes."""
    assert mywifi_entry.minor_version == 1
    devices = dr.async_get(hass)
    account = devices.async_get_or_create(
        config_entry_id=mywifi_entry.entry_id,
        identifiers={(DOMAIN, f"mywifi_account_mywifi_{MYWIFI_CLIENT_ID}")},
        name="My Wi-Fi Service",
    )
    guest = devices.async_get_or_create(
        config_entry_id=mywifi_entry.entry_id,
        connections={(dr.CONNECTION_NETWORK_MAC, "aa:bb:cc:00:00:09")},
    )

    assert await hass.config_entries.async_setup(mywifi_entry.entry_id)
    await hass.async_block_till_done()

    assert mywifi_entry.state is ConfigEntryState.LOADED
    assert mywifi_entry.minor_version == 5
    assert [
        device.id
        for device in dr.async_entries_for_config_entry(devices, mywifi_entry.entry_id)
    ] == [account.id]
    assert devices.async_get(guest.id) is None


@pytest.mark.usefixtures("credentials", "mywifi")
async def test_a_token_about_to_expire_is_refreshed_once(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mywifi_entry: MockConfigEntry,
) -> None:
    """Ten seconds left: refreshed before use, once for three parallel calls."""
    hass.config_entries.async_update_entry(
        mywifi_entry,
        data={**mywifi_entry.data, "token": token("old-token", expires_in=10)},
    )
    aioclient_mock.post(
        TOKEN_URL,
        json={
            "refresh_token": "MYWIFI-REFRESH-TOKEN-0002",
            "access_token": "MYWIFI-ACCESS-TOKEN-0002",
            "expires_in": 86400,
        },
    )

    assert await hass.config_entries.async_setup(mywifi_entry.entry_id)
    await hass.async_block_till_done()

    assert mywifi_entry.state is ConfigEntryState.LOADED
    [refresh] = token_requests(aioclient_mock)
    assert refresh[2]["grant_type"] == "refresh_token"
    assert refresh[2]["refresh_token"] == MYWIFI_REFRESH_TOKEN
    assert refresh[2]["client_id"] == MYWIFI_CLIENT_ID
    assert aioclient_mock.mock_calls[0] is refresh
    assert {c[3]["Authorization"] for c in api_calls(aioclient_mock)} == {
        "Bearer MYWIFI-ACCESS-TOKEN-0002"
    }
    stored = mywifi_entry.data["token"]
    assert stored["access_token"] == "MYWIFI-ACCESS-TOKEN-0002"
    assert stored["refresh_token"] == "MYWIFI-REFRESH-TOKEN-0002"
    assert stored["expires_at"] > time.time() + 86000


@pytest.mark.parametrize(
    "answer",
    [
        {"status": 503},
        {"exc": TimeoutError()},
        {"exc": aiohttp.ClientConnectionError()},
    ],
    ids=["http-503", "timeout", "connection-error"],
)
@pytest.mark.usefixtures("credentials", "mywifi")
async def test_an_unreachable_token_endpoint_is_retried_not_reauthenticated(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mywifi_entry: MockConfigEntry,
    answer: dict,
) -> None:
    hass.config_entries.async_update_entry(
        mywifi_entry,
        data={**mywifi_entry.data, "token": token("old-token", expires_in=-10)},
    )
    aioclient_mock.post(TOKEN_URL, **answer)

    assert not await hass.config_entries.async_setup(mywifi_entry.entry_id)

    assert mywifi_entry.state is ConfigEntryState.SETUP_RETRY
    assert not hass.config_entries.flow.async_progress()
    assert not api_calls(aioclient_mock)
    assert "Token refresh failed" in (mywifi_entry.reason or "")


@pytest.mark.usefixtures("credentials")
async def test_a_refused_refresh_while_running_starts_reauth(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mywifi: FakeMyWifi,
    mywifi_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    assert await hass.config_entries.async_setup(mywifi_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(REGISTERED).state == "3"
    aioclient_mock.post(TOKEN_URL, status=401, json={"error": "invalid_grant"})

    freezer.tick(86400 + 60)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)

    flows = hass.config_entries.flow.async_progress()
    assert [f["context"]["source"] for f in flows] == ["reauth"]
    assert flows[0]["context"]["entry_id"] == mywifi_entry.entry_id
    assert hass.states.get(REGISTERED).state == STATE_UNAVAILABLE


async def test_missing_application_credentials(
    hass: HomeAssistant, mywifi: FakeMyWifi, mywifi_entry: MockConfigEntry
) -> None:
    """The user deleted the credentials: set-up waits for them, no API call."""
    assert not await hass.config_entries.async_setup(mywifi_entry.entry_id)

    assert mywifi_entry.state is ConfigEntryState.SETUP_RETRY
    assert mywifi_entry.reason is not None
    assert "Application credentials" in mywifi_entry.reason
    assert not mywifi.calls


# --- A token endpoint that answers 200 with no token ------------------------------

_NOT_A_TOKEN = {
    "broken-json": '{"access_token": "A", "expires_in": 864',
    "json-list": '["access_token", "A"]',
    "json-string": '"A"',
    "expires-in-1e999": '{"access_token": "A", "refresh_token": "R", '
    '"expires_in": 1e999}',
    "expires-in-1e300": '{"access_token": "A", "refresh_token": "R", '
    '"expires_in": 1e300}',
    "expires-in-2**64": '{"access_token": "A", "refresh_token": "R", '
    '"expires_in": 18446744073709551616}',
    "expires-in-negative": '{"access_token": "A", "refresh_token": "R", '
    '"expires_in": -5}',
    "expires-in-text": '{"access_token": "A", "refresh_token": "R", '
    '"expires_in": "a day"}',
    "expires-in-true": '{"access_token": "A", "refresh_token": "R", '
    '"expires_in": true}',
    "no-expires-in": '{"access_token": "A", "refresh_token": "R"}',
    "no-access-token": '{"refresh_token": "R", "expires_in": 86400}',
    "access-token-list": '{"access_token": ["A"], "expires_in": 86400}',
    "access-token-crlf": '{"access_token": "A\\r\\nX: y", "expires_in": 86400}',
    "refresh-token-object": '{"access_token": "A", "refresh_token": {"a": 1}, '
    '"expires_in": 86400}',
}


async def _sign_in_answered(
    hass: HomeAssistant,
    hass_client_no_auth,
    aioclient_mock: AiohttpClientMocker,
    body: str,
) -> config_entries.ConfigFlowResult:
    """Sign in through the whole flow; the token endpoint answers 200 with `body`."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "mywifi"}
    )
    state = config_entry_oauth2_flow._encode_jwt(
        hass, {"flow_id": result["flow_id"], "redirect_uri": REDIRECT}
    )
    client = await hass_client_no_auth()
    await client.get(f"/auth/external/callback?code=abcd&state={state}")
    aioclient_mock.post(
        TOKEN_URL, text=body, headers={"Content-Type": "application/json"}
    )
    result = await hass.config_entries.flow.async_configure(result["flow_id"])
    await hass.async_block_till_done()
    return result


@pytest.mark.parametrize("body", _NOT_A_TOKEN.values(), ids=_NOT_A_TOKEN.keys())
@pytest.mark.usefixtures("current_request_with_host", "credentials", "mywifi")
async def test_a_sign_in_answered_with_no_token_aborts(
    hass: HomeAssistant,
    hass_client_no_auth,
    aioclient_mock: AiohttpClientMocker,
    body: str,
) -> None:
    """Core's own abort for invalid token data: no entry, nothing stored."""
    result = await _sign_in_answered(hass, hass_client_no_auth, aioclient_mock, body)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "oauth_error"
    assert not hass.config_entries.async_entries(DOMAIN)


@pytest.mark.parametrize(
    ("expires_in", "lifetime"),
    [("86400", 86400), ("3600.0", 3600), ("315360000", 315360000)],
)
@pytest.mark.usefixtures("current_request_with_host", "credentials", "mywifi")
async def test_a_sign_in_reads_the_lifetime_as_core_does(
    hass: HomeAssistant,
    hass_client_no_auth,
    aioclient_mock: AiohttpClientMocker,
    expires_in: str,
    lifetime: int,
) -> None:
    """A lifetime written as text or with a fraction is still a lifetime."""
    body = (
        f'{{"access_token": "{MYWIFI_ACCESS_TOKEN}", "refresh_token": "R", '
        f'"expires_in": {expires_in}}}'
    )
    result = await _sign_in_answered(hass, hass_client_no_auth, aioclient_mock, body)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    stored = result["result"].data["token"]
    assert stored["expires_in"] == lifetime
    assert stored["expires_at"] == pytest.approx(time.time() + lifetime, abs=60)
    assert result["result"].state is ConfigEntryState.LOADED


@pytest.mark.parametrize("body", _NOT_A_TOKEN.values(), ids=_NOT_A_TOKEN.keys())
@pytest.mark.usefixtures("credentials")
async def test_a_refresh_answered_with_no_token_fails_the_poll(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mywifi: FakeMyWifi,
    mywifi_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    body: str,
) -> None:
    """The poll fails with the integration's translated error; the token is kept."""
    assert await hass.config_entries.async_setup(mywifi_entry.entry_id)
    await hass.async_block_till_done()
    kept = dict(mywifi_entry.data["token"])
    aioclient_mock.post(
        TOKEN_URL, text=body, headers={"Content-Type": "application/json"}
    )
    calls = len(api_calls(aioclient_mock))

    freezer.tick(86400 + 60)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)

    users = mywifi_entry.runtime_data.users
    assert token_requests(aioclient_mock)
    assert not users.last_update_success
    assert users.last_exception.translation_domain == DOMAIN
    assert users.last_exception.translation_key == "update_failed"
    assert "Unexpected error" not in caplog.text
    assert mywifi_entry.data["token"] == kept
    assert len(api_calls(aioclient_mock)) == calls
    assert hass.states.get(REGISTERED).state == STATE_UNAVAILABLE
    assert not hass.config_entries.flow.async_progress()


@pytest.mark.parametrize(
    "body",
    [_NOT_A_TOKEN["broken-json"], _NOT_A_TOKEN["expires-in-1e300"]],
    ids=["broken-json", "expires-in-1e300"],
)
@pytest.mark.usefixtures("credentials", "mywifi")
async def test_a_refresh_at_set_up_answered_with_no_token_retries(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mywifi_entry: MockConfigEntry,
    body: str,
) -> None:
    hass.config_entries.async_update_entry(
        mywifi_entry,
        data={**mywifi_entry.data, "token": token("old-token", expires_in=-10)},
    )
    aioclient_mock.post(
        TOKEN_URL, text=body, headers={"Content-Type": "application/json"}
    )

    assert not await hass.config_entries.async_setup(mywifi_entry.entry_id)

    assert mywifi_entry.state is ConfigEntryState.SETUP_RETRY
    assert mywifi_entry.error_reason_translation_key == "update_failed"
    assert mywifi_entry.data["token"]["access_token"] == "old-token"
    assert not api_calls(aioclient_mock)
