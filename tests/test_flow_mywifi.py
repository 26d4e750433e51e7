"""My Wi-Fi's flows: sign-in, re-authentication, reconfiguration and options."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus
import logging
import re
import time
from typing import Any

from homeassistant import config_entries
from homeassistant.components.application_credentials import (
    ClientCredential,
    async_import_client_credential,
)
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, section
from homeassistant.helpers import config_entry_oauth2_flow
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
import voluptuous as vol
from yarl import URL

from custom_components.guest_wifi.api.mywifi import AUTHORIZE_URL, TOKEN_URL
from custom_components.guest_wifi.const import DOMAIN

from .conftest import MYWIFI_REFRESH_TOKEN, add_credentials, setup_entry
from .fakes import (
    MYWIFI_ACCESS_TOKEN,
    MYWIFI_CLIENT_ID,
    MYWIFI_CLIENT_SECRET,
    FakeMyWifi,
)
from .flow_helpers import REDIRECT_URI, _mywifi_entry, _start, entry_setups
from .test_mywifi_setup import API, REDIRECT, api_calls, token_requests

pytestmark = pytest.mark.usefixtures("no_deprecation_warnings")

REGISTERED = "sensor.my_wi_fi_service_registered_users"
NEW_ACCESS_TOKEN = "MYWIFI-ACCESS-TOKEN-0002"
NEW_REFRESH_TOKEN = "MYWIFI-REFRESH-TOKEN-0002"
OTHER_CLIENT_ID = "other-account-client-id"
OTHER_CLIENT_SECRET = "OTHER-CLIENT-SECRET-0002"
WHITE_LABEL = "https://wifi.example.net/v1/"


@pytest.fixture
async def entry(
    hass: HomeAssistant,
    credentials: None,
    mywifi: FakeMyWifi,
    mywifi_entry: MockConfigEntry,
) -> MockConfigEntry:
    """The My Wi-Fi entry, set up."""
    await setup_entry(hass, mywifi_entry)
    assert mywifi_entry.state is ConfigEntryState.LOADED
    return mywifi_entry


@pytest.fixture
async def other_credentials(hass: HomeAssistant, credentials: None) -> None:
    """Application credentials of another My Wi-Fi account, next to ours."""
    await async_import_client_credential(
        hass, DOMAIN, ClientCredential(OTHER_CLIENT_ID, OTHER_CLIENT_SECRET), "other"
    )


def _new_tokens_at_the_token_endpoint(aioclient_mock: AiohttpClientMocker) -> None:
    """My Wi-Fi's token endpoint hands out the next access and refresh tokens."""
    aioclient_mock.post(
        TOKEN_URL,
        json={
            "access_token": NEW_ACCESS_TOKEN,
            "refresh_token": NEW_REFRESH_TOKEN,
            "token_type": "Bearer",
            "expires_in": 86400,
        },
    )


async def _sign_in(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    aioclient_mock: AiohttpClientMocker,
    result: config_entries.ConfigFlowResult,
) -> config_entries.ConfigFlowResult:
    """The user signs in at My Wi-Fi, which redirects back with a code."""
    assert result["type"] is FlowResultType.EXTERNAL_STEP
    state = config_entry_oauth2_flow._encode_jwt(
        hass, {"flow_id": result["flow_id"], "redirect_uri": REDIRECT}
    )
    client = await hass_client_no_auth()
    resp = await client.get(f"/auth/external/callback?code=new-code&state={state}")
    assert resp.status == HTTPStatus.OK
    _new_tokens_at_the_token_endpoint(aioclient_mock)
    result = await hass.config_entries.flow.async_configure(result["flow_id"])
    await hass.async_block_till_done()
    return result


# --- Re-authentication ---------------------------------------------------------


async def _start_reauth(hass: HomeAssistant, entry: MockConfigEntry) -> Any:
    """Start re-authentication; past the form that says why, as the owner would."""
    result = await entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_sign_in"
    return await hass.config_entries.flow.async_configure(result["flow_id"], {})


@pytest.mark.usefixtures("current_request_with_host")
async def test_reauth(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
    aioclient_mock: AiohttpClientMocker,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="custom_components.guest_wifi")
    result = await _start_reauth(hass, entry)
    assert result["step_id"] == "auth"
    url = URL(result["url"])
    assert url.query["client_id"] == MYWIFI_CLIENT_ID
    assert url.query["scope"] == "READ WRITE"
    aioclient_mock.mock_calls.clear()

    with entry_setups() as setups:
        result = await _sign_in(hass, hass_client_no_auth, aioclient_mock, result)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    # Reloaded once: by the flow, not again for the entry's new data.
    assert setups.await_count == 1
    [token_request] = token_requests(aioclient_mock)
    assert token_request[2]["grant_type"] == "authorization_code"
    assert token_request[2]["code"] == "new-code"
    assert entry.unique_id == f"mywifi_{MYWIFI_CLIENT_ID}"
    assert entry.data["vendor"] == "mywifi"
    assert entry.data["auth_implementation"] == DOMAIN
    assert entry.data["token"]["access_token"] == NEW_ACCESS_TOKEN
    assert entry.data["token"]["refresh_token"] == NEW_REFRESH_TOKEN
    # Reloaded with the new token.
    assert entry.state is ConfigEntryState.LOADED
    calls = api_calls(aioclient_mock)
    assert calls
    assert {c[3]["Authorization"] for c in calls} == {f"Bearer {NEW_ACCESS_TOKEN}"}
    assert hass.config_entries.async_entries(DOMAIN) == [entry]
    for secret in (MYWIFI_CLIENT_SECRET, NEW_ACCESS_TOKEN, NEW_REFRESH_TOKEN):
        assert secret not in caplog.text


@pytest.mark.usefixtures("current_request_with_host", "credentials", "mywifi")
async def test_reauth_after_a_refused_refresh_brings_the_entry_back(
    hass: HomeAssistant,
    mywifi_entry: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    hass.config_entries.async_update_entry(
        mywifi_entry,
        data={
            **mywifi_entry.data,
            "token": {**mywifi_entry.data["token"], "expires_at": time.time() - 10},
        },
    )
    aioclient_mock.post(TOKEN_URL, status=400, json={"error": "invalid_grant"})
    assert not await hass.config_entries.async_setup(mywifi_entry.entry_id)
    [flow] = hass.config_entries.flow.async_progress()
    assert flow["context"]["source"] == "reauth"
    aioclient_mock.clear_requests()
    FakeMyWifi().register(aioclient_mock)

    # The user follows the notification: told why, then to My Wi-Fi's sign-in page.
    assert flow["step_id"] == "reauth_sign_in"
    result = await hass.config_entries.flow.async_configure(flow["flow_id"], {})
    assert result["step_id"] == "auth"
    result = await _sign_in(hass, hass_client_no_auth, aioclient_mock, result)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert mywifi_entry.state is ConfigEntryState.LOADED
    assert mywifi_entry.data["token"]["access_token"] == NEW_ACCESS_TOKEN
    assert hass.states.get(REGISTERED).state == "3"


@pytest.mark.usefixtures("current_request_with_host", "other_credentials")
async def test_reauth_into_another_account_is_refused(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    before = dict(entry.data)
    result = await _start_reauth(hass, entry)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "pick_implementation"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"implementation": "other"}
    )
    assert URL(result["url"]).query["client_id"] == OTHER_CLIENT_ID
    result = await _sign_in(hass, hass_client_no_auth, aioclient_mock, result)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert entry.data == before
    assert entry.data["token"]["access_token"] == MYWIFI_ACCESS_TOKEN
    assert entry.unique_id == f"mywifi_{MYWIFI_CLIENT_ID}"
    assert entry.state is ConfigEntryState.LOADED


@pytest.mark.usefixtures("current_request_with_host")
async def test_reconfigure(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    result = await entry.start_reconfigure_flow(hass)

    result = await _sign_in(hass, hass_client_no_auth, aioclient_mock, result)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data["token"]["access_token"] == NEW_ACCESS_TOKEN
    assert entry.data["vendor"] == "mywifi"
    assert entry.state is ConfigEntryState.LOADED


@pytest.mark.usefixtures("current_request_with_host", "other_credentials")
async def test_reconfigure_into_another_account_is_refused(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"implementation": "other"}
    )

    result = await _sign_in(hass, hass_client_no_auth, aioclient_mock, result)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert entry.data["token"]["access_token"] == MYWIFI_ACCESS_TOKEN


@pytest.mark.usefixtures("current_request_with_host", "other_credentials", "mywifi")
async def test_a_second_account_gets_its_own_entry(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    result = await _start(hass, "mywifi")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"implementation": "other"}
    )

    result = await _sign_in(hass, hass_client_no_auth, aioclient_mock, result)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == f"mywifi_{OTHER_CLIENT_ID}"
    assert result["result"].data["auth_implementation"] == "other"
    assert OTHER_CLIENT_SECRET not in str(result["result"].as_dict())
    assert len(hass.config_entries.async_entries(DOMAIN)) == 2


# --- Options --------------------------------------------------------------------


async def test_options_offer_only_the_api_address(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """No polling interval (fixed in code); history; the API address, folded away."""
    running = entry.runtime_data
    result = await hass.config_entries.options.async_init(entry.entry_id)

    assert result["type"] is FlowResultType.FORM
    assert [str(key) for key in result["data_schema"].schema] == [
        "import_history",
        "advanced",
    ]
    assert result["description_placeholders"] == {"account": entry.title}
    [(_, advanced)] = [
        (key, value)
        for key, value in result["data_schema"].schema.items()
        if str(key) == "advanced"
    ]
    assert isinstance(advanced, section)
    assert advanced.options == {"collapsed": True}
    assert [str(key) for key in advanced.schema.schema] == ["base_url"]
    with pytest.raises(vol.Invalid):
        await hass.config_entries.options.async_configure(
            result["flow_id"], {"account_interval": 600}
        )

    with entry_setups() as setups:
        result = await hass.config_entries.options.async_configure(
            result["flow_id"], {}
        )
        await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {}
    # Nothing changed: not reloaded; the account is polled every 15 minutes.
    assert setups.await_count == 0
    assert entry.runtime_data is running
    assert entry.runtime_data.users.update_interval == timedelta(minutes=15)


async def test_the_advanced_section_offers_the_api_address(
    hass: HomeAssistant, entry: MockConfigEntry, aioclient_mock: AiohttpClientMocker
) -> None:
    """Set for a white-label deployment: every API call then goes there."""
    white_label = FakeMyWifi()
    white_label.pattern = re.compile(rf"^{re.escape(WHITE_LABEL)}")
    white_label.add("Sara", "guest-77")
    white_label.register(aioclient_mock)
    running = entry.runtime_data
    assert hass.states.get(REGISTERED).state == "3"

    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert [str(key) for key in result["data_schema"].schema] == [
        "import_history",
        "advanced",
    ]
    aioclient_mock.mock_calls.clear()
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"advanced": {"base_url": WHITE_LABEL}}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    # Stored flat, as before sections.
    assert entry.options == {"import_history": True, "base_url": WHITE_LABEL}
    # Reloaded, and reading the white-label deployment only.
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data is not running
    assert api_calls(aioclient_mock, base=WHITE_LABEL)
    assert not api_calls(aioclient_mock)
    assert hass.states.get(REGISTERED).state == "4"
    response = await hass.services.async_call(
        DOMAIN,
        "list_users",
        {"config_entry_id": entry.entry_id},
        blocking=True,
        return_response=True,
    )
    assert "guest-77" in [user["login"] for user in response["users"]]
    assert not api_calls(aioclient_mock)

    # Shown again as it was set; emptied, the vendor's own address is back.
    result = await hass.config_entries.options.async_init(entry.entry_id)
    [advanced] = [
        value
        for key, value in result["data_schema"].schema.items()
        if str(key) == "advanced"
    ]
    [base_url] = list(advanced.schema.schema)
    assert base_url.description == {"suggested_value": WHITE_LABEL}
    aioclient_mock.mock_calls.clear()
    await hass.config_entries.options.async_configure(
        result["flow_id"], {"advanced": {}}
    )
    await hass.async_block_till_done()
    assert entry.options == {"import_history": True}
    assert api_calls(aioclient_mock, base=API)
    assert not api_calls(aioclient_mock, base=WHITE_LABEL)
    assert hass.states.get(REGISTERED).state == "3"


async def test_options_submitted_without_the_section_keep_the_api_address(
    hass: HomeAssistant,
    credentials: None,
    mywifi_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    white_label = FakeMyWifi()
    white_label.pattern = re.compile(rf"^{re.escape(WHITE_LABEL)}")
    white_label.register(aioclient_mock)
    # Set by an older release, beside an interval it offered then.
    hass.config_entries.async_update_entry(
        mywifi_entry, options={"account_interval": 900, "base_url": WHITE_LABEL}
    )
    await setup_entry(hass, mywifi_entry)
    assert api_calls(aioclient_mock, base=WHITE_LABEL)
    assert mywifi_entry.options == {"base_url": WHITE_LABEL}

    result = await hass.config_entries.options.async_init(mywifi_entry.entry_id)
    # A section the user never opened may be left out of what is submitted:
    # the address it would have shown stays.
    await hass.config_entries.options.async_configure(result["flow_id"], {})
    await hass.async_block_till_done()

    assert mywifi_entry.options == {"base_url": WHITE_LABEL}
    assert mywifi_entry.state is ConfigEntryState.LOADED
    assert not api_calls(aioclient_mock, base=API)


async def test_a_refreshed_token_does_not_reload_the_entry(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """The entry is updated with each new token; only new options reload it."""
    running = entry.runtime_data

    with entry_setups() as setups:
        hass.config_entries.async_update_entry(
            entry,
            data={**entry.data, "token": {**entry.data["token"], "access_token": "x"}},
        )
        await hass.async_block_till_done()

    assert entry.data["token"]["access_token"] == "x"
    assert setups.await_count == 0
    assert entry.runtime_data is running
    assert entry.state is ConfigEntryState.LOADED
    assert entry.data["token"]["refresh_token"] == MYWIFI_REFRESH_TOKEN


async def test_a_token_refreshed_while_polling_does_not_reload_the_entry(
    hass: HomeAssistant, entry: MockConfigEntry, aioclient_mock: AiohttpClientMocker
) -> None:
    """The OAuth2 session stores the new token in the entry; nothing reloads."""
    running = entry.runtime_data
    hass.config_entries.async_update_entry(
        entry,
        data={
            **entry.data,
            "token": {**entry.data["token"], "expires_at": time.time() - 10},
        },
    )
    _new_tokens_at_the_token_endpoint(aioclient_mock)
    aioclient_mock.mock_calls.clear()

    with entry_setups() as setups:
        await running.users.async_refresh()
        await hass.async_block_till_done()

    [refresh] = token_requests(aioclient_mock)
    assert refresh[2]["grant_type"] == "refresh_token"
    assert entry.data["token"]["access_token"] == NEW_ACCESS_TOKEN
    assert setups.await_count == 0
    assert entry.runtime_data is running
    assert entry.state is ConfigEntryState.LOADED
    assert running.users.last_update_success
    assert {c[3]["Authorization"] for c in api_calls(aioclient_mock)} == {
        f"Bearer {NEW_ACCESS_TOKEN}"
    }


# --- Sign-in ------------------------------------------------------------------


async def test_mywifi_without_credentials_aborts(hass: HomeAssistant) -> None:
    result = await _start(hass, "mywifi")

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "missing_credentials"


@pytest.mark.usefixtures("current_request_with_host")
async def test_mywifi_goes_to_authorize(hass: HomeAssistant) -> None:
    await add_credentials(hass)

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
    await add_credentials(hass)
    entry = _mywifi_entry(hass)

    if source == "reauth":
        result = await _start_reauth(hass, entry)
    else:
        result = await entry.start_reconfigure_flow(hass)

    assert result["type"] is FlowResultType.EXTERNAL_STEP
    assert result["step_id"] == "auth"
    assert URL(result["url"]).query["client_id"] == MYWIFI_CLIENT_ID
    assert URL(result["url"]).query["scope"] == "READ WRITE"


async def test_mywifi_reauth_without_credentials_aborts(hass: HomeAssistant) -> None:
    entry = _mywifi_entry(hass)

    result = await _start_reauth(hass, entry)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "missing_credentials"
