"""My Wi-Fi user actions: validated first, never half-done, never twice, no password."""

from __future__ import annotations

import asyncio
from datetime import timedelta
import json
import logging
import string
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder import Recorder
from homeassistant.components.recorder.util import session_scope
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EVENT_CALL_SERVICE, EVENT_LOGGING_CHANGED
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMocker,
    AiohttpClientMockResponse,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from sqlalchemy import text as sql
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props
from yarl import URL

from custom_components.guest_wifi.api.mywifi import TOKEN_URL, USER_FIELDS
from custom_components.guest_wifi.const import DOMAIN

from .conftest import MYWIFI_REFRESH_TOKEN, setup_entry, token
from .fakes import (
    MYWIFI_ACCESS_TOKEN,
    MYWIFI_CLIENT_SECRET,
    MYWIFI_PASSWORD,
    FakeMyWifi,
    FakeWiwiz,
)
from .labels import label
from .test_mywifi_setup import api_calls, token_requests

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
# What each action does, as its refusal to another vendor's account says.
DOING = {
    "add_user": "Adding users",
    "update_user": "Changing users",
    "disable_user": "Disabling users",
    "enable_user": "Enabling users",
    "delete_user": "Deleting users",
    "list_users": "Listing users",
}
RENEWED_TOKEN = "MYWIFI-ACCESS-TOKEN-0002"


class LiveMyWifi(FakeMyWifi):
    """The fake account, with what a live vendor does besides answering.

    It may take time to answer (`latency`), refuse an access token before
    its time (`refused_tokens`), take a login twice (`accepts_duplicates`),
    keep only part of an edit (`ignores`), or save an add after its answer
    was lost and after the lookup that followed (`saves_late`).
    """

    def __init__(self, mock: AiohttpClientMocker) -> None:
        """Answer like FakeMyWifi until told otherwise."""
        super().__init__()
        self._mock = mock
        self.latency = 0.0
        self.refused_tokens: set[str] = set()
        self.accepts_duplicates = False
        self.ignores: set[str] = set()
        self.saves_late = False
        self._late: dict[str, Any] | None = None
        self.bearers: list[str] = []

    async def _answer(
        self, method: str, url: URL, data: Any
    ) -> AiohttpClientMockResponse:
        # The mocker records the headers just before it asks us.
        bearer = (self._mock.mock_calls[-1][3] or {}).get("Authorization", "")
        self.bearers.append(bearer)
        if self.latency:
            await asyncio.sleep(self.latency)
        if bearer.removeprefix("Bearer ") in self.refused_tokens:
            self.calls.append(url)
            return AiohttpClientMockResponse(method, url, status=401, text="")
        if method.upper() == "POST" and self.saves_late:
            self.saves_late = False
            self._late = data
            self.calls.append(url)
            raise TimeoutError
        response = await super()._answer(method, url, data)
        if self._late is not None and method.upper() == "GET":
            self.add(self._late["FirstName"], self._late["Login"]).update(self._late)
            self._late = None
        return response

    def handle(self, method: str, url: URL, data: Any) -> tuple[int, str]:
        """FakeMyWifi's answers, with duplicates and partial edits if told."""
        if method.upper() == "POST" and self.accepts_duplicates:
            user = self.add(data["FirstName"], data["Login"])
            user.update(data)
            return 201, json.dumps(user)
        if method.upper() == "PUT" and self.ignores:
            user_id = int(url.path.rsplit("/", 1)[-1])
            kept = self.users.get(user_id, {})
            data = {**data, **{k: kept.get(k) for k in self.ignores}}
        return super().handle(method, url, data)


@pytest.fixture
def mock_recorder_before_hass(request: pytest.FixtureRequest) -> None:
    """Prepare the recorder before Home Assistant, for the test that asks.

    (Parametrized indirectly: the others are spared its set-up.)
    """
    if getattr(request, "param", False):
        request.getfixturevalue("async_test_recorder")


@pytest.fixture
def mywifi(aioclient_mock: AiohttpClientMocker) -> LiveMyWifi:
    """A My Wi-Fi account answering over faked HTTP."""
    fake = LiveMyWifi(aioclient_mock)
    fake.register(aioclient_mock)
    return fake


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

    assert err.value.translation_domain == "homeassistant"
    assert err.value.translation_key == "service_config_entry_not_found"
    assert err.value.translation_placeholders == {
        "domain": "guest_wifi",
        "entry_id": "not-an-entry",
    }


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

    assert err.value.translation_key == "service_config_entry_not_loaded"
    assert err.value.translation_placeholders == {
        "domain": "guest_wifi",
        "entry_title": "My Wi-Fi Service",
    }
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

    assert err.value.translation_key == f"{action}_not_offered"
    assert err.value.translation_placeholders == {"vendor": "Wiwiz"}
    assert str(err.value) == f"{DOING[action]} is not offered by Wiwiz accounts"


# --- add_user ------------------------------------------------------------------


async def test_add_user(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: FakeMyWifi,
    aioclient_mock: AiohttpClientMocker,
    snapshot: SnapshotAssertion,
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
    assert response["user_id"] == created["RegisteredUserID"]
    assert response == snapshot
    # The coordinator refreshed: the sensors moved at once.
    assert _state(hass, REGISTERED) == "4"
    assert _groups(hass) == {"Guests": 2, "Staff": 2}
    assert entry.runtime_data.users.data.users[created["RegisteredUserID"]]


@pytest.mark.parametrize(
    "field",
    ["first_name", "last_name", "login", "group_id", "weekly_rate_plan_id"],
)
async def test_add_user_requires_fields(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    field: str,
) -> None:
    data = {key: value for key, value in NEW_USER.items() if key != field}

    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "add_user", entry.entry_id, **data)

    assert err.value.translation_key == "field_required"
    assert str(err.value) == f"The field {label(field)} is required"
    assert not api_calls(aioclient_mock, "POST")


MAX_ID = "2147483647"


@pytest.mark.parametrize(
    ("field", "value", "key", "placeholders", "message"),
    [
        (
            "email",
            "not-an-address",
            "field_not_email",
            {},
            "The field E-mail must be an e-mail address",
        ),
        (
            "group_id",
            4.9,
            "field_not_id_or_name",
            {},
            "The field Group must be a name or a whole-number ID",
        ),
        ("group_id", 4.0, "field_not_id_or_name", {}, None),
        ("group_id", True, "field_not_id_or_name", {}, None),
        ("group_id", ["Staff"], "field_not_id_or_name", {}, None),
        ("group_id", " ", "field_empty", {}, None),
        ("group_id", "G" * 101, "field_too_long", {"max": "100"}, None),
        ("group_id", -1, "field_not_whole_number", {"max": MAX_ID}, None),
        ("group_id", 2**31, "field_not_whole_number", {"max": MAX_ID}, None),
        ("weekly_rate_plan_id", 5.5, "field_not_id_or_name", {}, None),
        (
            "account_expiration",
            "next tuesday",
            "field_not_datetime",
            {},
            (
                "The field Account expiration must be a date and time, such as "
                "2026-11-23 18:00:00"
            ),
        ),
        (
            "account_expiration",
            "9999-12-31 23:59:59",
            "field_year_out_of_range",
            {"first": "1970", "last": "2100"},
            (
                "The field Account expiration must be a date between the years 1970 "
                "and 2100"
            ),
        ),
        (
            "account_expiration",
            "0001-01-01T00:00:00+01:00",
            "field_year_out_of_range",
            {"first": "1970", "last": "2100"},
            None,
        ),
        ("login", "", "field_empty", {}, "The field Login must not be empty"),
        ("login", "   ", "field_empty", {}, None),
        ("first_name", " ", "field_empty", {}, None),
        (
            "login",
            "x" * 101,
            "field_too_long",
            {"max": "100"},
            "The field Login may be at most 100 characters long",
        ),
        ("first_name", "x" * 101, "field_too_long", {"max": "100"}, None),
        ("last_name", "x" * 101, "field_too_long", {"max": "100"}, None),
        ("password", "p" * 129, "field_too_long", {"max": "128"}, None),
        ("password", "  ", "field_empty", {}, None),
        ("email", "a" * 250 + "@x.it", "field_too_long", {"max": "254"}, None),
        ("mobile_phone", "3" * 33, "field_too_long", {"max": "32"}, None),
        ("mac_address", "a" * 33, "field_too_long", {"max": "32"}, None),
        ("note", "n" * 1001, "field_too_long", {"max": "1000"}, None),
        ("note", {"a": 1}, "field_not_text", {}, "The field Note must be text"),
        (
            "generate_password",
            "perhaps",
            "field_not_boolean",
            {},
            "The field Generate password must be true or false",
        ),
        ("nickname", "Giuli", "field_unknown", {}, "This action has no field nickname"),
        # Strings are strings: nothing else is written out as one.
        ("password", True, "field_not_text", {}, "The field Password must be text"),
        ("first_name", False, "field_not_text", {}, None),
        ("login", 4411.5, "field_not_text", {}, None),
        ("login", 4411.0, "field_not_text", {}, None),
        ("note", float("nan"), "field_not_text", {}, None),
        ("note", float("inf"), "field_not_text", {}, None),
        ("login", -4411, "field_not_text", {}, None),
        ("login", 2**64, "field_not_text", {}, None),
        ("password", b"secret-bytes", "field_not_text", {}, None),
        ("mobile_phone", None, "field_not_text", {}, None),
        ("first_name", "Giu\ud800lia", "field_not_text", {}, None),
        # Booleans are booleans: no number but 0 and 1 is one.
        ("generate_password", float("nan"), "field_not_boolean", {}, None),
        ("generate_password", 2, "field_not_boolean", {}, None),
        ("generate_password", 1.0, "field_not_boolean", {}, None),
        ("generate_password", b"true", "field_not_boolean", {}, None),
        # Control characters never reach the vendor.
        (
            "first_name",
            "Giu\x00lia",
            "field_control_character",
            {},
            "The field First name must not contain control characters",
        ),
        ("login", "giulia\x1b[2J", "field_control_character", {}, None),
        ("password", "pass\r\nword", "field_control_character", {}, None),
        ("last_name", "Bian\tchi", "field_control_character", {}, None),
        ("mobile_phone", "333\x85", "field_control_character", {}, None),
        ("note", "Summer\x00staff", "field_control_character", {}, None),
        ("note", "Summer\x1bstaff", "field_control_character", {}, None),
    ],
)
async def test_add_user_refuses_malformed_fields(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    field: str,
    value: Any,
    key: str,
    placeholders: dict[str, str],
    message: str | None,
) -> None:
    """Refused before the vendor is asked, naming the field, never echoing it."""
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "add_user", entry.entry_id, **{**NEW_USER, field: value})

    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == key
    assert err.value.translation_placeholders == {
        "field": label(field),
        **placeholders,
    }
    if message is not None:
        assert str(err.value) == message
    assert "{" not in str(err.value)
    if str(value).strip() and field != "nickname":
        assert str(value) not in str(err.value)
    assert err.value.__cause__ is None
    assert not api_calls(aioclient_mock)[3:]  # only the set-up's three reads


@pytest.mark.parametrize(
    ("action", "data", "field", "key"),
    [
        ("update_user", {"password": True}, "password", "field_not_text"),
        ("update_user", {"note": 12.5}, "note", "field_not_text"),
        (
            "update_user",
            {"first_name": "Mirko\r\nX"},
            "first_name",
            "field_control_character",
        ),
        (
            "update_user",
            {"generate_password": float("nan")},
            "generate_password",
            "field_not_boolean",
        ),
        (
            "update_user",
            {"generate_password": -1},
            "generate_password",
            "field_not_boolean",
        ),
        ("disable_user", {"login": True}, "login", "field_not_text"),
        ("delete_user", {"login": "mirko\x00"}, "login", "field_control_character"),
    ],
)
async def test_user_actions_refuse_wrong_types(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    action: str,
    data: dict[str, Any],
    field: str,
    key: str,
) -> None:
    """A value of the wrong type is refused by name: never written out as text."""
    who = {} if "login" in data else {"user_id": MIRKO}
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, action, entry.entry_id, **who, **data)

    assert err.value.translation_key == key
    assert err.value.translation_placeholders == {"field": label(field)}
    assert not api_calls(aioclient_mock)[3:]  # only the set-up's three reads


@pytest.mark.parametrize(
    ("field", "value", "sent"),
    [
        ("group_id", "4", 4),
        ("group_id", " 4 ", 4),
        ("group_id", "Staff", 4),
        ("group_id", " sTAFF ", 4),
        ("weekly_rate_plan_id", 5, 5),
        ("weekly_rate_plan_id", "premium", 5),
        ("weekly_rate_plan_id", "FREE", 3),
        ("login", "  giulia  ", "giulia"),
        ("login", 4411, "4411"),  # YAML reads a numeric login as a number
        ("login", 0, "0"),
        ("mobile_phone", 393331112222, "393331112222"),
        # The note's field in the UI takes several lines.
        (
            "note",
            "Summer staff\nuntil June\r\n\tthen",
            "Summer staff\nuntil June\r\n\tthen",
        ),
    ],
)
async def test_add_user_accepts_ids_as_text_and_trims_logins(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    field: str,
    value: Any,
    sent: Any,
) -> None:
    await _call(hass, "add_user", entry.entry_id, **{**NEW_USER, field: value})

    [post] = api_calls(aioclient_mock, "POST")
    assert post[2][USER_FIELDS[field]] == sent


@pytest.mark.parametrize(
    ("changes", "key", "placeholders", "message"),
    [
        (
            {"group_id": 99},
            "unknown_group",
            {"name": "99", "choices": "Guests, Staff"},
            "There is no group 99. The groups are: Guests, Staff",
        ),
        (
            {"group_id": "Managers"},
            "unknown_group",
            {"name": "Managers", "choices": "Guests, Staff"},
            "There is no group Managers. The groups are: Guests, Staff",
        ),
        (
            {"group_id": "4.9"},
            "unknown_group",
            {"name": "4.9", "choices": "Guests, Staff"},
            "There is no group 4.9. The groups are: Guests, Staff",
        ),
        (
            {"weekly_rate_plan_id": 42},
            "unknown_rate_plan",
            {"name": "42", "choices": "Free, Premium"},
            "There is no weekly rate plan 42. The weekly rate plans are: Free, Premium",
        ),
        (
            {"weekly_rate_plan_id": "Gold"},
            "unknown_rate_plan",
            {"name": "Gold", "choices": "Free, Premium"},
            (
                "There is no weekly rate plan Gold. The weekly rate plans are: Free, "
                "Premium"
            ),
        ),
        (
            {"mac_address": "AC-08-E0-DE-F2"},
            "invalid_mac",
            {"mac_address": "AC-08-E0-DE-F2"},
            "AC-08-E0-DE-F2 is not a MAC address",
        ),
        (
            {"mac_address": "not a mac at all"},
            "invalid_mac",
            {"mac_address": "not a mac at all"},
            "not a mac at all is not a MAC address",
        ),
        (
            {"account_expiration": "2001-01-01T00:00:00+00:00"},
            "expiration_in_past",
            {},
            "The account expiration must be in the future",
        ),
        (
            {"login": "104032500"},
            "login_taken",
            {"login": "104032500", "user_id": str(ANNA)},
            (
                f"The login 104032500 is already taken by user {ANNA} (logins are "
                "compared ignoring case)"
            ),
        ),
        (
            {"login": "STAFF-1"},
            "login_taken",
            {"login": "STAFF-1", "user_id": str(LUCA)},
            (
                f"The login STAFF-1 is already taken by user {LUCA} (logins are "
                "compared ignoring case)"
            ),
        ),
        (
            {"password": "x", "generate_password": True},
            "password_and_generate",
            {},
            "Give a password or ask for one to be generated, not both",
        ),
        (
            {"password": None, "generate_password": False},
            "password_required",
            {},
            "Give a password, or ask for one to be generated",
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
    data = {k: v for k, v in {**NEW_USER, **changes}.items() if v is not None}
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "add_user", entry.entry_id, **data)

    assert err.value.translation_key == key
    assert err.value.translation_placeholders == placeholders
    assert str(err.value) == message
    assert not api_calls(aioclient_mock, "POST")
    assert len(mywifi.users) == 3


@pytest.mark.parametrize("login", ["giulia", "Giulia"])
async def test_add_user_login_taken_since_the_last_poll(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: LiveMyWifi,
    aioclient_mock: AiohttpClientMocker,
    login: str,
) -> None:
    """Someone took the login since the last poll: a fresh lookup finds it."""
    other = mywifi.add("Other", "GIULIA")
    mywifi.accepts_duplicates = True

    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "add_user", entry.entry_id, **{**NEW_USER, "login": login})

    assert err.value.translation_key == "login_taken"
    assert err.value.translation_placeholders == {
        "login": login,
        "user_id": str(other["RegisteredUserID"]),
    }
    assert not api_calls(aioclient_mock, "POST")
    assert len(mywifi.users) == 4


async def test_add_user_vendor_refusal_carries_its_message(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: FakeMyWifi,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    mywifi.fail(status=400, body=json.dumps({"Message": "Group is full"}))

    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "add_user", entry.entry_id, **NEW_USER)

    assert not isinstance(err.value, ServiceValidationError)
    assert err.value.translation_key == "vendor_error"
    assert str(err.value) == "The vendor answered with an error: 400: Group is full"
    assert not api_calls(aioclient_mock, "POST")  # the lookup before it failed
    mywifi.recover()
    assert not _by_login(mywifi, "giulia")


async def test_concurrent_adds_of_one_login_make_one_user(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: LiveMyWifi,
) -> None:
    """At a vendor that takes a login twice, with 20 ms to answer."""
    mywifi.accepts_duplicates = True
    mywifi.latency = 0.02

    results = await asyncio.gather(
        _call(hass, "add_user", entry.entry_id, **NEW_USER),
        _call(hass, "add_user", entry.entry_id, **{**NEW_USER, "login": "GIULIA"}),
        return_exceptions=True,
    )

    [created] = [u for u in mywifi.users.values() if u["Login"].lower() == "giulia"]
    assert results[0] is not None
    assert not isinstance(results[0], BaseException)
    assert results[0]["user_id"] == created["RegisteredUserID"]
    assert isinstance(results[1], ServiceValidationError)
    assert results[1].translation_key == "login_taken"
    assert _state(hass, REGISTERED) == "4"


async def test_add_user_vendor_refusal_never_echoes_the_password(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: FakeMyWifi,
) -> None:
    refusal = json.dumps({"Message": f"Password {NEW_PASSWORD} is too weak"})
    answer = mywifi.handle

    def handle(method: str, url: URL, data: Any) -> tuple[int, str]:
        if method.upper() == "POST":
            return 400, refusal
        return answer(method, url, data)

    mywifi.handle = handle  # type: ignore[method-assign]

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
    """No user found right after is no proof it was not made: unknown, said so."""
    mywifi.time_out_next_post = True

    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "add_user", entry.entry_id, **NEW_USER)

    assert err.value.translation_key == "add_user_not_found"
    assert err.value.translation_placeholders == {"login": "giulia"}
    assert str(err.value) == (
        "My Wi-Fi did not answer, so whether the user giulia was created is not "
        "known: a lookup right after found no user with that login, but the "
        "vendor may still save it. Look for the login with the List users action "
        "before "
        "trying again (adding it again is refused once the user exists)"
    )
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
    mywifi.time_out_next_post = True
    answer = mywifi.handle

    def handle(method: str, url: URL, data: Any) -> tuple[int, str]:
        if mywifi.calls[-2].path.endswith("registeredusers"):  # after the POST
            return 503, ""
        return answer(method, url, data)

    mywifi.handle = handle  # type: ignore[method-assign]

    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "add_user", entry.entry_id, **NEW_USER)

    assert err.value.translation_key == "add_user_unknown"
    assert err.value.translation_placeholders == {"login": "giulia"}
    assert "giulia" in str(err.value)
    assert "Look for the login with the List users action before trying again" in str(
        err.value
    )
    assert len(api_calls(aioclient_mock, "POST")) == 1


async def test_add_user_saved_after_the_lookup(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: LiveMyWifi,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """The vendor saves the user after its answer was lost and after the lookup."""
    mywifi.saves_late = True

    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "add_user", entry.entry_id, **NEW_USER)

    assert err.value.translation_key == "add_user_not_found"
    assert "not known" in str(err.value)
    [late] = _by_login(mywifi, "giulia")
    # Trying again does not make a second user.
    with pytest.raises(ServiceValidationError) as again:
        await _call(hass, "add_user", entry.entry_id, **NEW_USER)
    assert again.value.translation_key == "login_taken"
    assert again.value.translation_placeholders["user_id"] == str(
        late["RegisteredUserID"]
    )
    assert len(api_calls(aioclient_mock, "POST")) == 1
    assert len(_by_login(mywifi, "giulia")) == 1


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
            {"login": "104032500", "user_id": str(ANNA)},
        ),
        (
            {"user_id": MIRKO, "login": "Staff-1"},
            "login_taken",
            {"login": "Staff-1", "user_id": str(LUCA)},
        ),
        (
            {"user_id": MIRKO, "password": "x", "generate_password": True},
            "password_and_generate",
            {},
        ),
        (
            {"user_id": MIRKO, "group_id": 4.9},
            "field_not_id_or_name",
            {"field": "Group"},
        ),
        (
            {"user_id": MIRKO, "account_expiration": "9999-01-01 00:00:00"},
            "field_year_out_of_range",
            {"field": "Account expiration", "first": "1970", "last": "2100"},
        ),
        (
            {"login": " ", "note": "x"},
            "field_empty",
            {"field": "Login"},
        ),
        ({"user_id": 1, "note": "x"}, "unknown_user", {"user": "1"}),
        ({"login": "nobody", "note": "x"}, "unknown_user", {"user": "nobody"}),
        ({"note": "x"}, "user_required", {}),
        (
            {"user_id": MIRKO, "group_id": 99},
            "unknown_group",
            {"name": "99", "choices": "Guests, Staff"},
        ),
        (
            {"user_id": MIRKO, "group_id": "guest"},
            "unknown_group",
            {"name": "guest", "choices": "Guests, Staff"},
        ),
        (
            {"user_id": MIRKO, "weekly_rate_plan_id": 42},
            "unknown_rate_plan",
            {"name": "42", "choices": "Free, Premium"},
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


@pytest.mark.parametrize(
    "user_id",
    [
        "mirko",
        14646.5,
        "14646.0",
        "\uff11\uff14\uff16\uff14\uff16",
        "\u0661\u0664\u0666\u0664\u0666",
    ],
)
async def test_update_user_refuses_a_malformed_user_id(
    hass: HomeAssistant, entry: MockConfigEntry, mywifi: FakeMyWifi, user_id: Any
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "update_user", entry.entry_id, user_id=user_id, note="x")

    assert err.value.translation_key == "field_not_whole_number"
    assert err.value.translation_placeholders == {"field": "User ID", "max": MAX_ID}
    assert mywifi.users[MIRKO]["Note"] is None


async def test_naming_a_user_by_login_ignores_case(
    hass: HomeAssistant, entry: MockConfigEntry, mywifi: FakeMyWifi
) -> None:
    response = await _call(hass, "disable_user", entry.entry_id, login="STAFF-1 ")

    assert response is not None
    assert response["user_id"] == LUCA


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


async def test_concurrent_edits_of_one_user_all_hold(
    hass: HomeAssistant, entry: MockConfigEntry, mywifi: LiveMyWifi
) -> None:
    """Three edits at once, 20 ms per answer: each is made on top of the last."""
    mywifi.latency = 0.02

    responses = await asyncio.gather(
        _call(hass, "update_user", entry.entry_id, user_id=MIRKO, note="VIP"),
        _call(hass, "disable_user", entry.entry_id, user_id=MIRKO),
        _call(hass, "update_user", entry.entry_id, user_id=MIRKO, first_name="Mirco"),
    )

    stored = mywifi.users[MIRKO]
    assert (stored["Note"], stored["Disabled"], stored["FirstName"]) == (
        "VIP",
        True,
        "Mirco",
    )
    assert [r is not None and r["user_id"] for r in responses] == [MIRKO] * 3
    assert responses[0] is not None
    assert responses[0]["note"] == "VIP"
    assert _state(hass, DISABLED) == "2"


@pytest.mark.parametrize("no_content", [False, True])
async def test_an_edit_the_vendor_does_not_keep_is_an_error(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: LiveMyWifi,
    no_content: bool,
) -> None:
    """The vendor answers, but the user stays enabled: never reported as done."""
    mywifi.ignores = {"Disabled"}
    mywifi.no_content_on_put = no_content

    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "disable_user", entry.entry_id, user_id=MIRKO)

    assert not isinstance(err.value, ServiceValidationError)
    assert err.value.translation_key == "change_not_kept"
    assert err.value.translation_placeholders == {
        "user_id": str(MIRKO),
        "fields": "disabled",
    }
    assert str(err.value) == (
        f"My Wi-Fi answered, but did not keep the change of disabled for user "
        f"{MIRKO}. Look the user up with the List users action and try again"
    )
    assert mywifi.users[MIRKO]["Disabled"] is False
    assert _state(hass, DISABLED) == "1"


async def test_an_edit_kept_in_part_names_what_was_not_kept(
    hass: HomeAssistant, entry: MockConfigEntry, mywifi: LiveMyWifi
) -> None:
    mywifi.ignores = {"Note", "MobilePhone"}

    with pytest.raises(HomeAssistantError) as err:
        await _call(
            hass,
            "update_user",
            entry.entry_id,
            user_id=ANNA,
            note="VIP",
            first_name="Annalisa",
            mobile_phone="+39333",
        )

    assert err.value.translation_placeholders == {
        "user_id": str(ANNA),
        "fields": "mobile phone, note",
    }
    assert mywifi.users[ANNA]["FirstName"] == "Annalisa"


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
        ({}, "user_required", {}, "Say which user: give their user ID or their login"),
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
            "There is no user 1 in this account",
        ),
        (
            {"login": "nobody"},
            "unknown_user",
            {"user": "nobody"},
            "There is no user nobody in this account",
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
    assert str(err.value) == (
        "More than one user has the login 343412434; choose the user by user ID"
    )
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
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: FakeMyWifi,
    snapshot: SnapshotAssertion,
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
    assert response["users"][0] == snapshot
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
    assert err.value.translation_placeholders == {
        "name": "99",
        "choices": "Guests, Staff",
    }
    assert str(err.value) == "There is no group 99. The groups are: Guests, Staff"
    assert len(aioclient_mock.mock_calls) == sent


@pytest.mark.parametrize("group", ["Staff", "staff", " STAFF ", 4, "4"])
async def test_list_users_of_a_group_by_name_or_id(
    hass: HomeAssistant, entry: MockConfigEntry, group: Any
) -> None:
    response = await _call(hass, "list_users", entry.entry_id, group_id=group)

    assert response is not None
    assert [user["user_id"] for user in response["users"]] == [LUCA]


async def test_update_user_group_and_plan_by_name(
    hass: HomeAssistant, entry: MockConfigEntry, mywifi: FakeMyWifi
) -> None:
    response = await _call(
        hass,
        "update_user",
        entry.entry_id,
        user_id=MIRKO,
        group_id="Staff",
        weekly_rate_plan_id="Premium",
    )

    assert response is not None
    assert (response["group_id"], response["weekly_rate_plan_id"]) == (4, 5)
    assert mywifi.users[MIRKO]["GroupID"] == 4
    assert mywifi.users[MIRKO]["WeeklyRatePlanID"] == 5


async def test_an_id_wins_over_a_name_and_alike_names_are_ambiguous(
    hass: HomeAssistant,
    credentials: None,
    mywifi: FakeMyWifi,
    mywifi_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """A group called "3" is not group 3; two groups called alike need their id."""
    mywifi.groups = [
        {"GroupID": 3, "Name": "Guests"},
        {"GroupID": 4, "Name": "3"},
        {"GroupID": 7, "Name": "Bar"},
        {"GroupID": 8, "Name": "bar"},
    ]
    mywifi.rate_plans += [{"WeeklyRatePlanID": 6, "Name": "FREE"}]
    await setup_entry(hass, mywifi_entry)

    response = await _call(hass, "list_users", mywifi_entry.entry_id, group_id="3")
    assert response is not None
    assert {user["group_id"] for user in response["users"]} == {3}

    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "list_users", mywifi_entry.entry_id, group_id="BAR")
    assert err.value.translation_key == "ambiguous_group"
    assert err.value.translation_placeholders == {"name": "BAR", "ids": "7, 8"}
    assert str(err.value) == (
        "More than one group is called BAR; choose it by its ID: 7, 8"
    )

    with pytest.raises(ServiceValidationError) as err:
        await _call(
            hass,
            "add_user",
            mywifi_entry.entry_id,
            **{**NEW_USER, "group_id": 3, "weekly_rate_plan_id": "free"},
        )
    assert err.value.translation_key == "ambiguous_rate_plan"
    assert err.value.translation_placeholders == {"name": "free", "ids": "3, 6"}
    assert str(err.value) == (
        "More than one weekly rate plan is called free; choose it by its ID: 3, 6"
    )
    assert not api_calls(aioclient_mock, "POST")


async def test_a_group_without_a_name_is_listed_by_its_id(
    hass: HomeAssistant,
    credentials: None,
    mywifi: FakeMyWifi,
    mywifi_entry: MockConfigEntry,
) -> None:
    mywifi.groups = [{"GroupID": 3, "Name": "Guests"}, {"GroupID": 4}]
    await setup_entry(hass, mywifi_entry)

    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "list_users", mywifi_entry.entry_id, group_id="Staff")

    assert err.value.translation_placeholders == {
        "name": "Staff",
        "choices": "4, Guests",
    }


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


def _renewed(aioclient_mock: AiohttpClientMocker, **answer: Any) -> None:
    aioclient_mock.post(
        TOKEN_URL,
        **(
            answer
            or {
                "json": {
                    "access_token": RENEWED_TOKEN,
                    "refresh_token": "MYWIFI-REFRESH-TOKEN-0002",
                    "expires_in": 86400,
                }
            }
        ),
    )


async def test_a_token_refused_before_its_time_is_refreshed_once(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: LiveMyWifi,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """A 401 on a token valid for hours (revoked, clocks apart): refresh, retry."""
    running = entry.runtime_data
    mywifi.refused_tokens = {MYWIFI_ACCESS_TOKEN}
    _renewed(aioclient_mock)
    aioclient_mock.mock_calls.clear()
    mywifi.bearers.clear()

    response = await _call(hass, "disable_user", entry.entry_id, user_id=MIRKO)
    await hass.async_block_till_done()

    assert response is not None
    assert response["disabled"] is True
    assert mywifi.users[MIRKO]["Disabled"] is True
    [refresh] = token_requests(aioclient_mock)
    assert refresh[2]["grant_type"] == "refresh_token"
    assert refresh[2]["refresh_token"] == MYWIFI_REFRESH_TOKEN
    assert mywifi.bearers[:2] == [
        f"Bearer {MYWIFI_ACCESS_TOKEN}",
        f"Bearer {RENEWED_TOKEN}",
    ]
    assert set(mywifi.bearers[1:]) == {f"Bearer {RENEWED_TOKEN}"}
    assert entry.data["token"]["access_token"] == RENEWED_TOKEN
    assert entry.data["token"]["expires_at"] > 0
    assert not hass.config_entries.flow.async_progress()
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data is running


async def test_a_poll_refused_before_its_time_refreshes_once(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: LiveMyWifi,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """The account's poll: refreshed and answered, no sign-in asked for."""
    mywifi.refused_tokens = {MYWIFI_ACCESS_TOKEN}
    mywifi.add("Sara", "guest-77")
    _renewed(aioclient_mock)
    aioclient_mock.mock_calls.clear()

    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=16))
    await hass.async_block_till_done(wait_background_tasks=True)

    assert len(token_requests(aioclient_mock)) == 1
    assert _state(hass, REGISTERED) == "4"
    assert not hass.config_entries.flow.async_progress()
    assert entry.data["token"]["access_token"] == RENEWED_TOKEN


async def test_calls_refused_together_share_one_refresh(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: LiveMyWifi,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    mywifi.refused_tokens = {MYWIFI_ACCESS_TOKEN}
    mywifi.latency = 0.01
    _renewed(aioclient_mock)
    aioclient_mock.mock_calls.clear()

    await asyncio.gather(
        _call(hass, "list_users", entry.entry_id),
        _call(hass, "list_users", entry.entry_id),
        _call(hass, "list_users", entry.entry_id),
    )

    assert len(token_requests(aioclient_mock)) == 1
    assert not hass.config_entries.flow.async_progress()


@pytest.mark.parametrize(
    ("refresh", "refused", "api_requests"),
    [
        # The refresh token is refused: sign in again; nothing is sent again.
        ({"status": 400, "json": {"error": "invalid_grant"}}, {MYWIFI_ACCESS_TOKEN}, 1),
        # The new token is refused too: a second 401 means signing in again.
        ({}, {MYWIFI_ACCESS_TOKEN, RENEWED_TOKEN}, 2),
    ],
    ids=["refresh-refused", "second-401"],
)
async def test_reauthentication_only_after_the_refresh(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: LiveMyWifi,
    aioclient_mock: AiohttpClientMocker,
    refresh: dict[str, Any],
    refused: set[str],
    api_requests: int,
) -> None:
    mywifi.refused_tokens = refused
    _renewed(aioclient_mock, **refresh)
    aioclient_mock.mock_calls.clear()

    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "disable_user", entry.entry_id, user_id=MIRKO)
    await hass.async_block_till_done(wait_background_tasks=True)

    assert err.value.translation_key == "invalid_auth"
    assert len(token_requests(aioclient_mock)) == 1
    assert len(api_calls(aioclient_mock)) == api_requests
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]
    assert mywifi.users[MIRKO]["Disabled"] is False


# --- Never exposed -------------------------------------------------------------------


GENERATED = {key: value for key, value in NEW_USER.items() if key != "password"}


def _is_generated(password: Any) -> bool:
    alphabet = set(string.ascii_letters + string.digits)
    return (
        isinstance(password, str)
        and len(password) == 16
        and set(password) <= alphabet
        and any(c.islower() for c in password)
        and any(c.isupper() for c in password)
        and any(c.isdigit() for c in password)
    )


def _log_everything(hass: HomeAssistant, caplog: pytest.LogCaptureFixture) -> None:
    """DEBUG for every logger; Home Assistant's bus reads its level only when told."""
    caplog.set_level(logging.DEBUG)
    hass.bus.async_fire(EVENT_LOGGING_CHANGED)


def _states(hass: HomeAssistant) -> str:
    return json.dumps(
        [state.as_dict() for state in hass.states.async_all()], default=str
    )


async def test_add_user_generates_the_password(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: FakeMyWifi,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """No password typed: a strong one is made, sent, and given back only here."""
    response = await _call(hass, "add_user", entry.entry_id, **GENERATED)

    assert response is not None
    password = response.pop("password")
    assert _is_generated(password)
    [created] = _by_login(mywifi, "giulia")
    assert created["Password"] == password
    [post] = api_calls(aioclient_mock, "POST")
    assert post[2]["Password"] == password
    assert response["user_id"] == created["RegisteredUserID"]
    # Another add, another password.
    again = await _call(
        hass, "add_user", entry.entry_id, **{**GENERATED, "login": "g2"}
    )
    assert again is not None
    assert _is_generated(again["password"])
    assert again["password"] != password


async def test_update_user_generates_a_new_password(
    hass: HomeAssistant, entry: MockConfigEntry, mywifi: FakeMyWifi
) -> None:
    response = await _call(
        hass, "update_user", entry.entry_id, user_id=ANNA, generate_password=True
    )

    assert response is not None
    assert _is_generated(response["password"])
    assert mywifi.users[ANNA]["Password"] == response["password"]
    # Other edits never answer with a password.
    response = await _call(
        hass, "update_user", entry.entry_id, user_id=ANNA, note="VIP"
    )
    assert response is not None
    assert "password" not in response
    assert mywifi.users[ANNA]["Password"] != MYWIFI_PASSWORD


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("add_user", GENERATED),
        ("add_user", {**GENERATED, "generate_password": True}),
        ("update_user", {"user_id": ANNA, "generate_password": True}),
    ],
)
async def test_a_generated_password_needs_the_response(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: FakeMyWifi,
    aioclient_mock: AiohttpClientMocker,
    action: str,
    data: dict[str, Any],
) -> None:
    """Asked for without its response, the password would be lost: refused."""
    sent = len(aioclient_mock.mock_calls)

    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            action,
            {"config_entry_id": entry.entry_id, **data},
            blocking=True,
        )

    assert err.value.translation_key == "password_needs_response"
    assert str(err.value) == (
        "A generated password is given only in the action's response: call the "
        "action with a response variable"
    )
    assert len(aioclient_mock.mock_calls) == sent
    assert mywifi.users[ANNA]["Password"] == MYWIFI_PASSWORD


async def test_no_password_in_states_responses_logs_or_diagnostics(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: FakeMyWifi,
    hass_client: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
    snapshot: SnapshotAssertion,
) -> None:
    """Generated passwords: every action, a lost answer, a refusal that echoes one.

    The passwords are in the responses that asked for them and nowhere else:
    not in the event bus (so not in Home Assistant's history), not in any
    log line at DEBUG (Home Assistant's own included), states or diagnostics.
    """
    _log_everything(hass, caplog)
    calls = async_capture_events(hass, EVENT_CALL_SERVICE)
    answer = mywifi.handle

    def handle(method: str, url: URL, data: Any) -> tuple[int, str]:
        if method.upper() == "POST" and data["Login"] == "g3":
            return 400, json.dumps({"Message": f"Bad {data['Password']}"})
        return answer(method, url, data)

    mywifi.handle = handle  # type: ignore[method-assign]
    responses: list[Any] = [
        await _call(hass, "add_user", entry.entry_id, **GENERATED),
        await _call(
            hass, "update_user", entry.entry_id, login="giulia", generate_password=True
        ),
        await _call(hass, "disable_user", entry.entry_id, login="giulia"),
        await _call(hass, "enable_user", entry.entry_id, login="giulia"),
        await _call(hass, "list_users", entry.entry_id),
    ]
    mywifi.lose_next_answer = True
    responses.append(
        await _call(hass, "add_user", entry.entry_id, **{**GENERATED, "login": "g2"})
    )
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "add_user", entry.entry_id, **{**GENERATED, "login": "g3"})
    await _call(hass, "delete_user", entry.entry_id, login="g2")
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    await hass.async_block_till_done()

    passwords = [u["Password"] for u in mywifi.users.values()]
    generated = [responses[0].pop("password"), responses[1].pop("password")]
    assert generated[1] in passwords
    assert all(_is_generated(password) for password in generated)
    assert "Bad " in str(err.value)
    assert any("Request POST /registeredusers" in m for m in caplog.messages)
    assert any(
        r.name == "homeassistant.core" and "call_service" in r.getMessage()
        for r in caplog.records
    )
    assert _state(hass, REGISTERED) == "4"
    exposed = {
        "events": json.dumps([event.data for event in calls], default=str),
        "states": _states(hass),
        "responses": json.dumps(responses),
        "error": f"{err.value} {err.value.translation_placeholders}",
        "logs": caplog.text,
        "diagnostics": json.dumps(diagnostics),
    }
    assert len(calls) == 8
    for where, text in exposed.items():
        for secret in (
            *generated,
            *passwords,
            MYWIFI_PASSWORD,
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


async def test_a_typed_password_is_only_in_home_assistants_call_event(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: FakeMyWifi,
    hass_client: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """What the README and the field's description say of a typed password.

    Home Assistant puts every action's data on the event bus, so a typed
    password is in its call_service event, its history and its own debug
    log. Nothing the integration writes holds it: no log line of ours, no
    state, response or diagnostics.
    """
    _log_everything(hass, caplog)
    calls = async_capture_events(hass, EVENT_CALL_SERVICE)

    responses = [
        await _call(hass, "add_user", entry.entry_id, **NEW_USER),
        await _call(
            hass, "update_user", entry.entry_id, login="giulia", password="Typed-2"
        ),
    ]
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    await hass.async_block_till_done()

    assert [event.data["service_data"].get("password") for event in calls] == [
        NEW_PASSWORD,
        "Typed-2",
    ]
    ours = [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("custom_components.guest_wifi")
    ]
    assert any("Request POST /registeredusers" in line for line in ours)
    for where, text in {
        "our logs": "\n".join(ours),
        "states": _states(hass),
        "responses": json.dumps(responses),
        "diagnostics": json.dumps(diagnostics),
    }.items():
        for secret in (NEW_PASSWORD, "Typed-2"):
            assert secret not in text, f"{secret} in {where}"
    assert {r.name for r in caplog.records if NEW_PASSWORD in r.getMessage()} <= {
        "homeassistant.core"
    }


@pytest.mark.parametrize("mock_recorder_before_hass", [True], indirect=True)
async def test_the_history_keeps_a_typed_password_never_a_generated_one(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: FakeMyWifi,
) -> None:
    """The recorder's event data, whatever the log level."""
    typed = await _call(hass, "add_user", entry.entry_id, **NEW_USER)
    made = await _call(hass, "add_user", entry.entry_id, **{**GENERATED, "login": "g2"})
    await async_wait_recording_done(hass)

    def event_data() -> str:
        with session_scope(hass=hass, read_only=True) as session:
            rows = session.execute(sql("SELECT shared_data FROM event_data"))
            return "\n".join(str(row[0]) for row in rows)

    recorded = await recorder_mock.async_add_executor_job(event_data)
    assert typed is not None
    assert made is not None
    assert '"service":"add_user"' in recorded.replace(" ", "")
    assert NEW_PASSWORD in recorded
    assert made["password"] not in recorded
