"""My Wi-Fi user actions: validated first, never half-done, never twice, no password."""

from __future__ import annotations

import json
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props
import voluptuous as vol

from custom_components.guest_wifi.api.mywifi import TOKEN_URL
from custom_components.guest_wifi.const import DOMAIN

from . import test_mywifi_setup as shared
from .conftest import setup_entry
from .fakes import (
    MYWIFI_ACCESS_TOKEN,
    MYWIFI_CLIENT_SECRET,
    MYWIFI_PASSWORD,
    FakeMyWifi,
    FakeWiwiz,
)
from .test_mywifi_setup import MYWIFI_REFRESH_TOKEN, api_calls, token, token_requests

# The My Wi-Fi fixtures live with the setup tests (conftest.py is the team's).
credentials = shared.credentials
mywifi = shared.mywifi
mywifi_entry = shared.mywifi_entry

REGISTERED = "sensor.my_wi_fi_service_registered_users"
DISABLED = "sensor.my_wi_fi_service_disabled_users"
NEW_PASSWORD = "NEW-USER-PASSWORD-0002"
MIRKO, ANNA, LUCA = 14646, 14647, 14648
NEW_USER = {
    "first_name": "Giulia",
    "last_name": "Bianchi",
    "login": "giulia",
    "password": NEW_PASSWORD,
    "group_id": 4,
    "weekly_rate_plan_id": 5,
}
# What each action needs besides the entry, to reach the entry checks.
MINIMAL = {
    "add_user": NEW_USER,
    "update_user": {"user_id": MIRKO, "note": "VIP"},
    "disable_user": {"user_id": MIRKO},
    "enable_user": {"user_id": LUCA},
    "delete_user": {"user_id": MIRKO},
    "list_users": {},
}
ACTIONS = list(MINIMAL)


@pytest.fixture
async def entry(
    hass: HomeAssistant,
    credentials: None,
    mywifi: FakeMyWifi,
    mywifi_entry: MockConfigEntry,
) -> MockConfigEntry:
    """The My Wi-Fi entry, set up: three users (one disabled), two groups."""
    await setup_entry(hass, mywifi_entry)
    assert mywifi_entry.state is ConfigEntryState.LOADED
    return mywifi_entry


@pytest.fixture
async def expiring_entry(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    credentials: None,
    mywifi: FakeMyWifi,
    mywifi_entry: MockConfigEntry,
) -> MockConfigEntry:
    """The entry, set up with a token that expires in 25 seconds.

    Ten seconds later the token is within Home Assistant's 20-second margin:
    the next call refreshes it, long before the next poll would. (The clock
    is frozen before set-up: freezing it later would fire every timer.)
    """
    hass.config_entries.async_update_entry(
        mywifi_entry,
        data={**mywifi_entry.data, "token": token(expires_in=25)},
    )
    await setup_entry(hass, mywifi_entry)
    assert mywifi_entry.state is ConfigEntryState.LOADED
    return mywifi_entry


async def _call(
    hass: HomeAssistant, action: str, entry_id: str, **data: Any
) -> dict[str, Any] | None:
    return await hass.services.async_call(
        DOMAIN,
        action,
        {"config_entry_id": entry_id, **data},
        blocking=True,
        return_response=action != "delete_user",
    )


def _state(hass: HomeAssistant, entity_id: str) -> str:
    state = hass.states.get(entity_id)
    assert state is not None
    return state.state


def _groups(hass: HomeAssistant) -> dict[str, int]:
    state = hass.states.get(REGISTERED)
    assert state is not None
    return state.attributes["groups"]


def _by_login(mywifi: FakeMyWifi, login: str) -> list[dict[str, Any]]:
    return [user for user in mywifi.users.values() if user["Login"] == login]


# --- The entry the action names ------------------------------------------------


@pytest.mark.parametrize("action", ACTIONS)
async def test_unknown_entry_is_refused(
    hass: HomeAssistant, entry: MockConfigEntry, action: str
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, action, "not-an-entry", **MINIMAL[action])

    assert err.value.translation_key == "entry_not_found"
    assert str(err.value) == "No Guest Wi-Fi entry has the id not-an-entry"


@pytest.mark.parametrize("action", ACTIONS)
async def test_unloaded_entry_is_refused(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    action: str,
) -> None:
    assert await hass.config_entries.async_unload(entry.entry_id)
    sent = len(aioclient_mock.mock_calls)

    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, action, entry.entry_id, **MINIMAL[action])

    assert err.value.translation_key == "entry_not_loaded"
    assert str(err.value) == "The entry My Wi-Fi Service is not loaded"
    assert len(aioclient_mock.mock_calls) == sent


@pytest.mark.parametrize("action", ACTIONS)
async def test_other_vendors_entries_are_refused(
    hass: HomeAssistant,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
    action: str,
) -> None:
    await setup_entry(hass, wiwiz_entry)

    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, action, wiwiz_entry.entry_id, **MINIMAL[action])

    assert err.value.translation_key == "wrong_vendor"
    assert err.value.translation_placeholders == {"action": action, "vendor": "Wiwiz"}
    assert str(err.value) == f"The action {action} is not offered by Wiwiz"


# --- add_user ------------------------------------------------------------------


async def test_add_user(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: FakeMyWifi,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    assert _state(hass, REGISTERED) == "3"

    response = await _call(
        hass,
        "add_user",
        entry.entry_id,
        **NEW_USER,
        email="giulia@example.com",
        mobile_phone="+393331112222",
        mac_address="ac:08:e0:de:f2:c9",
        account_expiration="2099-06-01 12:00:00",  # the venue's time (Rome)
        note="Summer staff",
    )

    [post] = api_calls(aioclient_mock, "POST")
    assert post[2] == {
        "FirstName": "Giulia",
        "LastName": "Bianchi",
        "Login": "giulia",
        "Password": NEW_PASSWORD,
        "GroupID": 4,
        "WeeklyRatePlanID": 5,
        "EMail": "giulia@example.com",
        "MobilePhone": "+393331112222",
        "MacAddress": "AC-08-E0-DE-F2-C9",
        "AccountWithExpiration": True,
        "AccountExpiration": "2099-06-01T10:00:00+00:00",
        "Note": "Summer staff",
    }
    [created] = _by_login(mywifi, "giulia")
    assert created["Password"] == NEW_PASSWORD
    assert response == {
        "user_id": created["RegisteredUserID"],
        "login": "giulia",
        "first_name": "Giulia",
        "last_name": "Bianchi",
        "group_id": 4,
        "weekly_rate_plan_id": 5,
        "email": "giulia@example.com",
        "mobile_phone": "+393331112222",
        "mac_address": "ac:08:e0:de:f2:c9",
        "disabled": False,
        "account_expiration": "2099-06-01T10:00:00+00:00",
        "balance": "5.6895",
        "note": "Summer staff",
    }
    # The coordinator refreshed: the sensors moved at once.
    assert _state(hass, REGISTERED) == "4"
    assert _groups(hass) == {"Guests": 2, "Staff": 2}
    assert entry.runtime_data.users.data.users[created["RegisteredUserID"]]


@pytest.mark.parametrize(
    "field",
    [
        "first_name",
        "last_name",
        "login",
        "password",
        "group_id",
        "weekly_rate_plan_id",
    ],
)
async def test_add_user_requires_fields(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    field: str,
) -> None:
    data = {key: value for key, value in NEW_USER.items() if key != field}

    with pytest.raises(vol.Invalid) as err:
        await _call(hass, "add_user", entry.entry_id, **data)

    assert err.value.path == [field]
    assert "required key not provided" in str(err.value)
    assert not api_calls(aioclient_mock, "POST")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "not-an-address"),
        ("group_id", "staff"),
        ("weekly_rate_plan_id", "premium"),
        ("account_expiration", "next tuesday"),
    ],
)
async def test_add_user_refuses_malformed_fields(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    field: str,
    value: str,
) -> None:
    with pytest.raises(vol.Invalid) as err:
        await _call(hass, "add_user", entry.entry_id, **{**NEW_USER, field: value})

    assert err.value.path == [field]
    assert not api_calls(aioclient_mock, "POST")


@pytest.mark.parametrize(
    ("changes", "key", "placeholders", "message"),
    [
        (
            {"group_id": 99},
            "unknown_group",
            {"group_id": "99"},
            "The group_id 99 does not exist in this account",
        ),
        (
            {"weekly_rate_plan_id": 42},
            "unknown_rate_plan",
            {"weekly_rate_plan_id": "42"},
            "The weekly_rate_plan_id 42 does not exist in this account",
        ),
        (
            {"mac_address": "AC-08-E0-DE-F2"},
            "invalid_mac",
            {"mac_address": "AC-08-E0-DE-F2"},
            "The mac_address AC-08-E0-DE-F2 is not a MAC address",
        ),
        (
            {"mac_address": "not a mac at all"},
            "invalid_mac",
            {"mac_address": "not a mac at all"},
            "The mac_address not a mac at all is not a MAC address",
        ),
        (
            {"account_expiration": "2001-01-01T00:00:00+00:00"},
            "expiration_in_past",
            {},
            "The account_expiration must be in the future",
        ),
        (
            {"login": "104032500"},
            "login_taken",
            {"login": "104032500"},
            "The login 104032500 is already taken",
        ),
    ],
)
async def test_add_user_validation(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: FakeMyWifi,
    aioclient_mock: AiohttpClientMocker,
    changes: dict[str, Any],
    key: str,
    placeholders: dict[str, str],
    message: str,
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "add_user", entry.entry_id, **{**NEW_USER, **changes})

    assert err.value.translation_key == key
    assert err.value.translation_placeholders == placeholders
    assert str(err.value) == message
    assert not api_calls(aioclient_mock, "POST")
    assert len(mywifi.users) == 3


async def test_add_user_vendor_refusal_carries_its_message(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: FakeMyWifi,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """Someone took the login since the last poll: the vendor says so."""
    mywifi.add("Other", "giulia")

    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "add_user", entry.entry_id, **NEW_USER)

    assert not isinstance(err.value, ServiceValidationError)
    assert err.value.translation_key == "vendor_error"
    assert "Login already exists" in str(err.value)
    assert str(err.value).startswith("The vendor answered with an error:")
    assert len(api_calls(aioclient_mock, "POST")) == 1
    assert len(_by_login(mywifi, "giulia")) == 1


async def test_add_user_vendor_refusal_never_echoes_the_password(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: FakeMyWifi,
) -> None:
    mywifi.fail(
        status=400,
        body=json.dumps({"Message": f"Password {NEW_PASSWORD} is too weak"}),
    )

    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "add_user", entry.entry_id, **NEW_USER)

    assert err.value.translation_key == "vendor_error"
    assert "is too weak" in str(err.value)
    assert NEW_PASSWORD not in str(err.value)
    assert NEW_PASSWORD not in repr(err.value.translation_placeholders)
    assert NEW_PASSWORD not in str(err.value.__cause__)


async def test_add_user_lost_answer_returns_the_created_user(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: FakeMyWifi,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """The vendor created the user but its answer timed out: no second POST."""
    mywifi.lose_next_answer = True

    response = await _call(hass, "add_user", entry.entry_id, **NEW_USER)

    [created] = _by_login(mywifi, "giulia")
    assert len(api_calls(aioclient_mock, "POST")) == 1
    assert response is not None
    assert response["user_id"] == created["RegisteredUserID"]
    assert response["login"] == "giulia"
    assert "password" not in response
    assert NEW_PASSWORD not in json.dumps(response)
    assert _state(hass, REGISTERED) == "4"


async def test_add_user_timeout_without_creation(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: FakeMyWifi,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    mywifi.time_out_next_post = True

    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "add_user", entry.entry_id, **NEW_USER)

    assert err.value.translation_key == "add_user_not_created"
    assert "the user was not created" in str(err.value)
    assert not _by_login(mywifi, "giulia")
    assert len(api_calls(aioclient_mock, "POST")) == 1
    # It looked (one list of the users after the POST) before saying so.
    after_post = aioclient_mock.mock_calls[
        aioclient_mock.mock_calls.index(api_calls(aioclient_mock, "POST")[0]) :
    ]
    assert any(
        call[0].upper() == "GET" and "registeredusers" in str(call[1]).lower()
        for call in after_post
    )
    assert _state(hass, REGISTERED) == "3"

    # Trying again is safe and creates the user once.
    await _call(hass, "add_user", entry.entry_id, **NEW_USER)
    assert len(_by_login(mywifi, "giulia")) == 1


async def test_add_user_timeout_and_the_check_fails(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: FakeMyWifi,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    mywifi.fail(exc=TimeoutError())

    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "add_user", entry.entry_id, **NEW_USER)

    assert err.value.translation_key == "add_user_unknown"
    assert "Look for the login before trying again" in str(err.value)
    assert len(api_calls(aioclient_mock, "POST")) == 1


# --- update_user ---------------------------------------------------------------


async def test_update_user_with_user_id_renames(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: FakeMyWifi,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """With a user_id, `login` is the new login."""
    response = await _call(
        hass, "update_user", entry.entry_id, user_id=MIRKO, login="mirko-2026"
    )

    [put] = api_calls(aioclient_mock, "PUT")
    assert str(put[1]).endswith(f"/registeredusers/{MIRKO}")
    # A whole-record PUT: what was there stays, the password is not sent back.
    assert put[2]["Login"] == "mirko-2026"
    assert put[2]["FirstName"] == "Mirko"
    assert put[2]["MacAddress"] == "AC-08-E0-DE-F2-C7"
    assert put[2]["GroupID"] == 3
    assert "Password" not in put[2]
    assert mywifi.users[MIRKO]["Login"] == "mirko-2026"
    assert mywifi.users[MIRKO]["Password"] == MYWIFI_PASSWORD
    assert response is not None
    assert response["user_id"] == MIRKO
    assert response["login"] == "mirko-2026"
    assert response["mac_address"] == "ac:08:e0:de:f2:c7"
    assert "password" not in response
    assert entry.runtime_data.users.data.users[MIRKO].login == "mirko-2026"


async def test_update_user_by_login_moves_the_sensors(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: FakeMyWifi,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """Without a user_id, `login` names the user."""
    assert _groups(hass) == {"Guests": 2, "Staff": 1}

    response = await _call(
        hass,
        "update_user",
        entry.entry_id,
        login="104032500",
        group_id=4,
        weekly_rate_plan_id=5,
    )

    assert len(api_calls(aioclient_mock, "PUT")) == 1
    assert mywifi.users[ANNA]["Login"] == "104032500"
    assert mywifi.users[ANNA]["GroupID"] == 4
    assert mywifi.users[ANNA]["WeeklyRatePlanID"] == 5
    assert response is not None
    assert response["user_id"] == ANNA
    assert response["group_id"] == 4
    assert _groups(hass) == {"Guests": 1, "Staff": 2}


async def test_update_user_password(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: FakeMyWifi,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    response = await _call(
        hass, "update_user", entry.entry_id, user_id=ANNA, password=NEW_PASSWORD
    )

    [put] = api_calls(aioclient_mock, "PUT")
    assert put[2]["Password"] == NEW_PASSWORD
    assert mywifi.users[ANNA]["Password"] == NEW_PASSWORD
    assert response is not None
    assert "password" not in response
    assert NEW_PASSWORD not in json.dumps(response)


async def test_update_user_mac_and_expiration_in_the_vendors_spelling(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: FakeMyWifi,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    response = await _call(
        hass,
        "update_user",
        entry.entry_id,
        user_id=ANNA,
        mac_address="aabb.ccdd.eeff",
        account_expiration="2099-01-01T12:00:00+02:00",
    )

    [put] = api_calls(aioclient_mock, "PUT")
    assert put[2]["MacAddress"] == "AA-BB-CC-DD-EE-FF"
    assert put[2]["AccountWithExpiration"] is True
    assert put[2]["AccountExpiration"] == "2099-01-01T10:00:00+00:00"
    assert response is not None
    assert response["mac_address"] == "aa:bb:cc:dd:ee:ff"
    assert response["account_expiration"] == "2099-01-01T10:00:00+00:00"


async def test_update_user_answered_with_no_content(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: FakeMyWifi,
) -> None:
    """Some deployments answer 204: the response is then what was sent."""
    mywifi.no_content_on_put = True

    response = await _call(
        hass, "update_user", entry.entry_id, user_id=MIRKO, note="VIP"
    )

    assert response is not None
    assert response["note"] == "VIP"
    assert response["login"] == "343412434"
    assert mywifi.users[MIRKO]["Note"] == "VIP"


@pytest.mark.parametrize(
    ("data", "key", "placeholders"),
    [
        ({"user_id": MIRKO, "login": "343412434"}, "nothing_to_change", {}),
        ({"user_id": MIRKO}, "nothing_to_change", {}),
        ({"login": "343412434"}, "nothing_to_change", {}),
        (
            {"user_id": MIRKO, "login": "104032500"},
            "login_taken",
            {"login": "104032500"},
        ),
        ({"user_id": 1, "note": "x"}, "unknown_user", {"user": "1"}),
        ({"login": "nobody", "note": "x"}, "unknown_user", {"user": "nobody"}),
        ({"note": "x"}, "user_required", {}),
        ({"user_id": MIRKO, "group_id": 99}, "unknown_group", {"group_id": "99"}),
        (
            {"user_id": MIRKO, "weekly_rate_plan_id": 42},
            "unknown_rate_plan",
            {"weekly_rate_plan_id": "42"},
        ),
        (
            {"user_id": MIRKO, "mac_address": "zz:zz:zz:zz:zz:zz"},
            "invalid_mac",
            {"mac_address": "zz:zz:zz:zz:zz:zz"},
        ),
        (
            {"login": "343412434", "account_expiration": "2001-01-01 00:00:00"},
            "expiration_in_past",
            {},
        ),
    ],
)
async def test_update_user_validation(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: FakeMyWifi,
    aioclient_mock: AiohttpClientMocker,
    data: dict[str, Any],
    key: str,
    placeholders: dict[str, str],
) -> None:
    before = json.dumps(mywifi.users, sort_keys=True)

    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "update_user", entry.entry_id, **data)

    assert err.value.translation_key == key
    assert err.value.translation_placeholders == placeholders
    assert "{" not in str(err.value)  # every placeholder was filled
    assert not api_calls(aioclient_mock, "PUT")
    assert json.dumps(mywifi.users, sort_keys=True) == before


async def test_update_user_refuses_a_malformed_user_id(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    with pytest.raises(vol.Invalid) as err:
        await _call(hass, "update_user", entry.entry_id, user_id="mirko", note="x")

    assert err.value.path == ["user_id"]


async def test_update_user_gone_from_the_vendor(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: FakeMyWifi,
) -> None:
    """Deleted on the vendor since the last poll: the fresh read finds it gone."""
    del mywifi.users[MIRKO]

    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "update_user", entry.entry_id, user_id=MIRKO, note="x")

    assert err.value.translation_key == "unknown_user"
    assert MIRKO not in mywifi.users


async def test_update_user_in_an_account_with_a_user_without_login(
    hass: HomeAssistant,
    credentials: None,
    mywifi: FakeMyWifi,
    mywifi_entry: MockConfigEntry,
) -> None:
    """A user registered by MAC only has an empty login (read as None)."""
    mywifi.add("Kiosk", "", mac="AA-BB-CC-00-00-09")
    await setup_entry(hass, mywifi_entry)

    response = await _call(
        hass, "update_user", mywifi_entry.entry_id, user_id=MIRKO, note="VIP"
    )

    assert response is not None
    assert response["note"] == "VIP"
    assert mywifi.users[MIRKO]["Note"] == "VIP"


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("update_user", {"user_id": ANNA, "note": "VIP"}),
        ("disable_user", {"user_id": ANNA}),
    ],
)
async def test_an_edit_keeps_changes_made_since_the_last_poll(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: FakeMyWifi,
    action: str,
    data: dict[str, Any],
) -> None:
    # The venue moves Anna to the staff group on the vendor's dashboard.
    mywifi.users[ANNA]["GroupID"] = 4
    mywifi.users[ANNA]["EMail"] = "anna.rossi@example.com"

    await _call(hass, action, entry.entry_id, **data)

    assert mywifi.users[ANNA]["GroupID"] == 4
    assert mywifi.users[ANNA]["EMail"] == "anna.rossi@example.com"


# --- disable_user, enable_user, delete_user -----------------------------------------


async def test_disable_user_by_login(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: FakeMyWifi,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    assert _state(hass, DISABLED) == "1"

    response = await _call(hass, "disable_user", entry.entry_id, login="343412434")

    [put] = api_calls(aioclient_mock, "PUT")
    assert put[2]["Disabled"] is True
    assert put[2]["Login"] == "343412434"
    assert mywifi.users[MIRKO]["Disabled"] is True
    assert response is not None
    assert response["user_id"] == MIRKO
    assert response["disabled"] is True
    assert "password" not in response
    assert _state(hass, DISABLED) == "2"
    assert _state(hass, REGISTERED) == "3"


async def test_enable_user_by_user_id(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: FakeMyWifi,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    response = await _call(hass, "enable_user", entry.entry_id, user_id=LUCA)

    assert len(api_calls(aioclient_mock, "PUT")) == 1
    assert mywifi.users[LUCA]["Disabled"] is False
    assert response is not None
    assert response["disabled"] is False
    assert response["login"] == "staff-1"
    assert _state(hass, DISABLED) == "0"


async def test_user_id_and_login_that_agree(
    hass: HomeAssistant, entry: MockConfigEntry, mywifi: FakeMyWifi
) -> None:
    response = await _call(
        hass, "disable_user", entry.entry_id, user_id=ANNA, login="104032500"
    )

    assert response is not None
    assert response["user_id"] == ANNA
    assert mywifi.users[ANNA]["Disabled"] is True


async def test_delete_user_by_user_id(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: FakeMyWifi,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    response = await _call(hass, "delete_user", entry.entry_id, user_id=LUCA)

    assert response is None
    [delete] = api_calls(aioclient_mock, "DELETE")
    assert str(delete[1]).endswith(f"/registeredusers/{LUCA}")
    assert LUCA not in mywifi.users
    assert _state(hass, REGISTERED) == "2"
    assert _state(hass, DISABLED) == "0"
    assert _groups(hass) == {"Guests": 2, "Staff": 0}


async def test_delete_user_by_login(
    hass: HomeAssistant, entry: MockConfigEntry, mywifi: FakeMyWifi
) -> None:
    await _call(hass, "delete_user", entry.entry_id, login="104032500")

    assert ANNA not in mywifi.users
    assert _state(hass, REGISTERED) == "2"


async def test_delete_user_returns_no_response(
    hass: HomeAssistant, entry: MockConfigEntry, mywifi: FakeMyWifi
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "delete_user",
            {"config_entry_id": entry.entry_id, "user_id": LUCA},
            blocking=True,
            return_response=True,
        )

    assert err.value.translation_key == "service_does_not_support_response"
    assert LUCA in mywifi.users


@pytest.mark.parametrize("action", ["disable_user", "enable_user", "delete_user"])
@pytest.mark.parametrize(
    ("data", "key", "placeholders", "message"),
    [
        ({}, "user_required", {}, "Name the user with user_id or login"),
        (
            {"user_id": MIRKO, "login": "104032500"},
            "user_mismatch",
            {"user_id": str(MIRKO), "login": "104032500"},
            f"User {MIRKO} does not have the login 104032500",
        ),
        (
            {"user_id": 1},
            "unknown_user",
            {"user": "1"},
            "No user 1 exists in this account",
        ),
        (
            {"login": "nobody"},
            "unknown_user",
            {"user": "nobody"},
            "No user nobody exists in this account",
        ),
    ],
)
async def test_naming_the_user(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: FakeMyWifi,
    aioclient_mock: AiohttpClientMocker,
    action: str,
    data: dict[str, Any],
    key: str,
    placeholders: dict[str, str],
    message: str,
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, action, entry.entry_id, **data)

    assert err.value.translation_key == key
    assert err.value.translation_placeholders == placeholders
    assert str(err.value) == message
    assert not api_calls(aioclient_mock, "PUT")
    assert not api_calls(aioclient_mock, "DELETE")
    assert len(mywifi.users) == 3


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("update_user", {"note": "x"}),
        ("disable_user", {}),
        ("enable_user", {}),
        ("delete_user", {}),
    ],
)
async def test_a_login_two_users_share_is_ambiguous(
    hass: HomeAssistant,
    credentials: None,
    mywifi: FakeMyWifi,
    mywifi_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    action: str,
    data: dict[str, Any],
) -> None:
    mywifi.add("Mirko", "343412434", group=4)
    await setup_entry(hass, mywifi_entry)

    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, action, mywifi_entry.entry_id, login="343412434", **data)

    assert err.value.translation_key == "ambiguous_login"
    assert str(err.value) == ("More than one user has the login 343412434; use user_id")
    assert not api_calls(aioclient_mock, "PUT")
    assert not api_calls(aioclient_mock, "DELETE")
    # The user_id still names one of them.
    await _call(hass, "disable_user", mywifi_entry.entry_id, user_id=MIRKO)
    assert mywifi.users[MIRKO]["Disabled"] is True


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("update_user", {"user_id": MIRKO, "note": "VIP"}),
        ("disable_user", {"user_id": MIRKO}),
        ("enable_user", {"user_id": LUCA}),
        ("delete_user", {"user_id": MIRKO}),
        ("list_users", {}),
    ],
)
async def test_vendor_refusal_carries_its_message(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: FakeMyWifi,
    action: str,
    data: dict[str, Any],
) -> None:
    mywifi.fail(status=409, body=json.dumps({"Message": "User is locked by admin"}))

    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, action, entry.entry_id, **data)

    assert not isinstance(err.value, ServiceValidationError)
    assert err.value.translation_key == "vendor_error"
    assert str(err.value) == (
        "The vendor answered with an error: 409: User is locked by admin"
    )
    mywifi.recover()
    # Nothing was changed on the vendor.
    assert len(mywifi.users) == 3
    assert mywifi.users[MIRKO].get("Note") is None
    assert mywifi.users[MIRKO]["Disabled"] is False
    assert mywifi.users[LUCA]["Disabled"] is True


async def test_vendor_unreachable_on_delete(
    hass: HomeAssistant, entry: MockConfigEntry, mywifi: FakeMyWifi
) -> None:
    mywifi.fail(status=503)

    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "delete_user", entry.entry_id, user_id=MIRKO)

    assert err.value.translation_key == "vendor_error"
    assert "HTTP 503" in str(err.value)
    assert MIRKO in mywifi.users
    assert _state(hass, REGISTERED) == "3"


# --- list_users ----------------------------------------------------------------


async def test_list_users(
    hass: HomeAssistant, entry: MockConfigEntry, mywifi: FakeMyWifi
) -> None:
    """The vendor is asked: a user added since the last poll is listed."""
    mywifi.add("Sara", "guest-77", group=4, email="sara@example.com")

    response = await _call(hass, "list_users", entry.entry_id)

    assert response is not None
    assert [user["login"] for user in response["users"]] == [
        "343412434",
        "104032500",
        "staff-1",
        "guest-77",
    ]
    assert response["users"][0] == {
        "user_id": MIRKO,
        "login": "343412434",
        "first_name": "Mirko",
        "last_name": "Rossi",
        "group_id": 3,
        "weekly_rate_plan_id": 3,
        "email": None,
        "mobile_phone": None,
        "mac_address": "ac:08:e0:de:f2:c7",
        "disabled": False,
        "account_expiration": None,
        "balance": "5.6895",
        "note": None,
    }
    assert MYWIFI_PASSWORD not in json.dumps(response)
    assert all("password" not in user for user in response["users"])


async def test_list_users_of_a_group(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    response = await _call(hass, "list_users", entry.entry_id, group_id=4)

    assert response is not None
    assert [user["user_id"] for user in response["users"]] == [LUCA]


async def test_list_users_of_an_unknown_group(
    hass: HomeAssistant, entry: MockConfigEntry, aioclient_mock: AiohttpClientMocker
) -> None:
    sent = len(aioclient_mock.mock_calls)

    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "list_users", entry.entry_id, group_id=99)

    assert err.value.translation_key == "unknown_group"
    assert str(err.value) == "The group_id 99 does not exist in this account"
    assert len(aioclient_mock.mock_calls) == sent


async def test_list_users_vendor_failure(
    hass: HomeAssistant, entry: MockConfigEntry, mywifi: FakeMyWifi
) -> None:
    mywifi.fail(exc=TimeoutError())

    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "list_users", entry.entry_id)

    assert err.value.translation_key == "vendor_error"
    assert "Timeout on GET /RegisteredUsers" in str(err.value)


# --- The token behind every call ----------------------------------------------------


async def test_an_action_refreshes_an_expired_token_first(
    hass: HomeAssistant,
    expiring_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """The refreshed token is stored without reloading the entry."""
    running = expiring_entry.runtime_data
    aioclient_mock.post(
        TOKEN_URL,
        json={
            "access_token": "MYWIFI-ACCESS-TOKEN-0002",
            "refresh_token": "MYWIFI-REFRESH-TOKEN-0002",
            "expires_in": 86400,
        },
    )
    freezer.tick(10)
    aioclient_mock.mock_calls.clear()

    await _call(hass, "list_users", expiring_entry.entry_id)
    await hass.async_block_till_done()

    [refresh] = token_requests(aioclient_mock)
    assert refresh[2]["grant_type"] == "refresh_token"
    assert refresh[2]["refresh_token"] == MYWIFI_REFRESH_TOKEN
    assert aioclient_mock.mock_calls[0] is refresh  # before the API call
    [listing] = api_calls(aioclient_mock)
    assert listing[3]["Authorization"] == "Bearer MYWIFI-ACCESS-TOKEN-0002"
    assert expiring_entry.data["token"]["access_token"] == "MYWIFI-ACCESS-TOKEN-0002"
    assert expiring_entry.state is ConfigEntryState.LOADED
    assert expiring_entry.runtime_data is running


async def test_an_action_with_a_refused_refresh_token(
    hass: HomeAssistant,
    expiring_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    mywifi: FakeMyWifi,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    aioclient_mock.post(TOKEN_URL, status=400, json={"error": "invalid_grant"})
    freezer.tick(10)
    aioclient_mock.mock_calls.clear()

    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "disable_user", expiring_entry.entry_id, user_id=MIRKO)

    assert err.value.translation_key == "invalid_auth"
    assert not api_calls(aioclient_mock)
    assert mywifi.users[MIRKO]["Disabled"] is False


async def test_an_action_with_a_refused_refresh_token_starts_reauth(
    hass: HomeAssistant,
    expiring_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    aioclient_mock.post(TOKEN_URL, status=400, json={"error": "invalid_grant"})
    freezer.tick(10)

    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "disable_user", expiring_entry.entry_id, user_id=MIRKO)
    await hass.async_block_till_done(wait_background_tasks=True)

    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]
    assert err.value.translation_key == "invalid_auth"


# --- Never exposed -------------------------------------------------------------------


async def test_no_password_in_states_responses_logs_or_diagnostics(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: FakeMyWifi,
    hass_client: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
    snapshot: SnapshotAssertion,
) -> None:
    """Every action, the lost answer and a refusal that echoes the password."""
    caplog.set_level(logging.DEBUG, logger="custom_components.guest_wifi")
    responses: list[Any] = [
        await _call(hass, "add_user", entry.entry_id, **NEW_USER),
        await _call(
            hass, "update_user", entry.entry_id, login="giulia", password=NEW_PASSWORD
        ),
        await _call(hass, "disable_user", entry.entry_id, login="giulia"),
        await _call(hass, "enable_user", entry.entry_id, login="giulia"),
        await _call(hass, "list_users", entry.entry_id),
    ]
    mywifi.lose_next_answer = True
    responses.append(
        await _call(hass, "add_user", entry.entry_id, **{**NEW_USER, "login": "g2"})
    )
    mywifi.fail(status=400, body=json.dumps({"Message": f"Bad {NEW_PASSWORD}"}))
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "add_user", entry.entry_id, **{**NEW_USER, "login": "g3"})
    mywifi.recover()
    await _call(hass, "delete_user", entry.entry_id, login="g2")
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)

    assert any("Request POST /registeredusers" in m for m in caplog.messages)
    states = json.dumps(
        [state.as_dict() for state in hass.states.async_all()], default=str
    )
    assert _state(hass, REGISTERED) == "4"
    exposed = {
        "states": states,
        "responses": json.dumps(responses),
        "error": f"{err.value} {err.value.translation_placeholders}",
        "logs": caplog.text,
        "diagnostics": json.dumps(diagnostics),
    }
    for where, text in exposed.items():
        for secret in (
            MYWIFI_PASSWORD,
            NEW_PASSWORD,
            MYWIFI_ACCESS_TOKEN,
            MYWIFI_REFRESH_TOKEN,
            MYWIFI_CLIENT_SECRET,
        ):
            assert secret not in text, f"{secret} in {where}"
    # Diagnostics count users; they never list who they are.
    for personal in ("giulia", "343412434", "anna@example.com", "Mirko"):
        assert personal not in exposed["diagnostics"]
    for mac in ("AC-08-E0-DE-F2-C7", "ac:08:e0:de:f2:c7", "ac08e0def2c7"):
        assert mac.lower() not in exposed["diagnostics"].lower()
    assert diagnostics == snapshot(
        exclude=props("entry_id", "created_at", "modified_at")
    )
