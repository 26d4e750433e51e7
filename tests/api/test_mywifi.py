"""My Wi-Fi Service (Softvision) client."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from email.utils import format_datetime
import json
import re
import threading
from typing import Any, NamedTuple

import aiohttp
import pytest
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from yarl import URL

from custom_components.guest_wifi.api import mywifi
from custom_components.guest_wifi.api.errors import (
    AuthenticationError,
    CannotConnectError,
    GuestWifiError,
    InvalidResponseError,
    NotFoundError,
    RateLimitedError,
    ResponseTooLargeError,
    VendorError,
)
from custom_components.guest_wifi.api.mywifi import (
    DEFAULT_BASE_URL,
    MAX_USERS,
    PAGE_SIZE,
    AddOutcomeUnknownError,
    ChangeNotKeptError,
    LoginTakenError,
    MyWifiClient,
    MyWifiGroup,
    MyWifiRatePlan,
    MyWifiUser,
    _user,
    same_login,
)
from tests.api.conftest import assert_secret_kept, in_turn, load_fixture

BEARER = "BEARER-SECRET-456"
API = r"https://api\.mywifiservice\.com/v1"
USERS = re.compile(rf"^{API}/RegisteredUsers\?.*$")
USERS_PAGE = "https://api.mywifiservice.com/v1/RegisteredUsers"
PASSWORDS = [
    "afr454tgfgf",
    "8795462A791E0D9BE95D966ED69354AA",
    "Xq7-pw-page1-a",
    "Xq7-pw-page1-b",
    "Xq7-pw-page2-a",
    "N3w-Us3r-Pa55",
]


def user_url(user_id: int | None = None) -> re.Pattern[str]:
    tail = "" if user_id is None else f"/{user_id}"
    return re.compile(rf"^{API}/registeredusers{tail}$")


def fixture(name: str) -> str:
    return load_fixture("mywifi", name)


class Tokens:
    """The integration's token callable: a fresh token for every call."""

    def __init__(self, fixed: str | None = None) -> None:
        self.calls = 0
        self.fixed = fixed

    async def __call__(self) -> str:
        self.calls += 1
        return self.fixed or f"{BEARER}-{self.calls}"


class Sent(NamedTuple):
    """One request the client made, as the mocker recorded it."""

    method: str
    url: URL
    json: Any
    headers: dict[str, str]

    @property
    def params(self) -> dict[str, str]:
        """The query string that went out, each parameter once."""
        params = dict(self.url.query)
        assert len(params) == len(self.url.query)
        return params


def sent(mock_http: AiohttpClientMocker) -> list[Sent]:
    """The requests made, in order; a JSON body as it reads once on the wire."""
    return [
        Sent(
            method,
            url,
            None if json_body is None else json.loads(json.dumps(json_body)),
            headers or {},
        )
        for method, url, json_body, headers in mock_http.mock_calls
    ]


def page(mock_http: AiohttpClientMocker, index: int, **answer: Any) -> None:
    """Answer one page of users (the vendor counts pages from 0)."""
    mock_http.get(USERS_PAGE, params={"PageIndex": str(index)}, **answer)


@pytest.fixture
def tokens() -> Tokens:
    return Tokens()


@pytest.fixture
def client(session: aiohttp.ClientSession, tokens: Tokens) -> MyWifiClient:
    return MyWifiClient(session, tokens)


def make_user(**overrides: Any) -> MyWifiUser:
    """A user as `user()` would give it (built from the single-user fixture)."""
    rec = json.loads(fixture("user.json"))
    rec.update(overrides)
    return _user(rec)


# --- users: pagination, auth header ------------------------------------------------


async def test_users_single_page_with_default_page_size(
    client: MyWifiClient, mock_http: AiohttpClientMocker, tokens: Tokens
) -> None:
    mock_http.get(USERS, text=fixture("users_page0.json"))
    users = await client.users()
    [request] = sent(mock_http)
    assert request.method == "GET"
    assert request.url.path == "/v1/RegisteredUsers"
    assert request.params == {"PageIndex": "0", "PageSize": str(PAGE_SIZE)}
    assert PAGE_SIZE == 100
    assert request.headers["Authorization"] == f"Bearer {BEARER}-1"
    assert request.headers["Accept"] == "application/json"
    assert tokens.calls == 1

    mirko, ora = users
    assert mirko == MyWifiUser(
        id=14646,
        login="343412434",
        first_name="Mirko",
        last_name="De Santis",
        group_id=3,
        weekly_rate_plan_id=3,
        email=None,
        mobile_phone=None,
        mac="ac:08:e0:de:f2:c7",
        disabled=False,
        expires=None,
        balance=Decimal("5.6895"),
        note=None,
        record={},  # not compared
    )
    assert isinstance(mirko.balance, Decimal)
    assert str(mirko.balance) == "5.6895"
    assert (
        mirko.record["BornDate"] == "2012-03-02T00:00:00"
    )  # kept as the vendor wrote it
    assert mirko.record["City"] == "Roma"
    assert ora.id == 14649
    assert ora.last_name is None
    assert ora.mac == "00:13:ce:80:4a:ff"
    assert isinstance(ora.balance, Decimal)
    assert ora.balance == 0


async def test_users_reads_every_page(
    client: MyWifiClient, mock_http: AiohttpClientMocker, tokens: Tokens
) -> None:
    for index, name in enumerate(
        ("users_page0.json", "users_page1.json", "users_page2.json")
    ):
        page(mock_http, index, text=fixture(name))
    users = await client.users(page_size=2)

    requests = sent(mock_http)
    assert [r.params for r in requests] == [
        {"PageIndex": "0", "PageSize": "2"},
        {"PageIndex": "1", "PageSize": "2"},
        {"PageIndex": "2", "PageSize": "2"},
    ]
    # The token callable runs before every request, so a refresh is picked up.
    assert tokens.calls == 3
    assert [r.headers["Authorization"] for r in requests] == [
        f"Bearer {BEARER}-1",
        f"Bearer {BEARER}-2",
        f"Bearer {BEARER}-3",
    ]
    assert [u.id for u in users] == [14646, 14649, 14650, 14651, 14652]

    giulia, paolo, sara = users[2:]
    assert giulia.mac == "a4:5e:60:c1:22:9b"
    assert giulia.expires == datetime(2024, 6, 30, 21, 59, 59, 123456, tzinfo=UTC)
    assert giulia.balance == Decimal("12.5")
    assert giulia.note == "VIP"
    assert giulia.email == "giulia@example.it"
    assert giulia.mobile_phone == "+393331234567"
    assert giulia.group_id == 4
    assert giulia.weekly_rate_plan_id == 5
    assert paolo.disabled is True
    assert paolo.mac is None  # ""
    assert paolo.balance == Decimal(35)
    assert paolo.expires is not None
    assert paolo.expires.utcoffset() == timedelta(hours=-7)
    assert paolo.expires == datetime(2024, 7, 1, 18, 51, 45, 534030, tzinfo=UTC)
    assert sara.mac is None  # null
    assert sara.expires is None


async def test_users_page_count_exact_multiple_ends_on_empty_page(
    client: MyWifiClient, mock_http: AiohttpClientMocker
) -> None:
    page(mock_http, 0, text=fixture("users_page0.json"))
    page(mock_http, 1, text=fixture("users_page1.json"))
    page(mock_http, 2, json=[])
    users = await client.users(page_size=2)
    assert [r.params for r in sent(mock_http)] == [
        {"PageIndex": "0", "PageSize": "2"},
        {"PageIndex": "1", "PageSize": "2"},
        {"PageIndex": "2", "PageSize": "2"},
    ]
    assert [u.id for u in users] == [14646, 14649, 14650, 14651]


async def test_users_empty_account(
    client: MyWifiClient, mock_http: AiohttpClientMocker
) -> None:
    mock_http.get(USERS, json=[])
    assert await client.users() == []
    assert len(sent(mock_http)) == 1


async def test_users_server_ignoring_page_index_is_not_read_forever(
    client: MyWifiClient, mock_http: AiohttpClientMocker
) -> None:
    # Every page is page 0, whatever the index asked for.
    mock_http.get(USERS, text=fixture("users_page0.json"))
    users = await client.users(page_size=2)
    assert [u.id for u in users] == [14646, 14649]
    assert len(sent(mock_http)) == 2


async def test_users_shifted_between_pages_are_not_doubled(
    client: MyWifiClient, mock_http: AiohttpClientMocker
) -> None:
    # A user added while reading pushes the last of page 0 onto page 1.
    page0 = json.loads(fixture("users_page0.json"))
    page1 = json.loads(fixture("users_page1.json"))
    page(mock_http, 0, json=page0)
    page(mock_http, 1, json=[page0[1], page1[0]])
    page(mock_http, 2, json=[page1[1]])
    users = await client.users(page_size=2)
    assert [u.id for u in users] == [14646, 14649, 14650, 14651]


async def test_users_of_a_server_that_never_ends_are_bounded(
    client: MyWifiClient,
    mock_http: AiohttpClientMocker,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every page full of new users: reading stops past MAX_USERS, and says so."""
    monkeypatch.setattr(mywifi, "MAX_USERS", 10)
    template = json.loads(fixture("user.json"))
    ids = iter(range(1, 1_000_000))

    async def invent(method: str, url: URL, data: Any) -> Any:
        users = [{**template, "RegisteredUserID": next(ids)} for _ in range(2)]
        return await in_turn({"json": users})(method, url, data)

    mock_http.get(USERS, side_effect=invent)
    with pytest.raises(InvalidResponseError) as caught:
        await client.users(page_size=2)
    assert str(caught.value) == (
        "My Wi-Fi listed more than 10 users; reading stopped there"
    )
    # Five full pages, and the sixth that went past the bound.
    assert len(sent(mock_http)) == 6
    assert MAX_USERS == 50_000


async def test_users_up_to_the_bound_are_read(
    client: MyWifiClient,
    mock_http: AiohttpClientMocker,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(mywifi, "MAX_USERS", 4)
    page(mock_http, 0, text=fixture("users_page0.json"))
    page(mock_http, 1, text=fixture("users_page1.json"))
    page(mock_http, 2, json=[])
    assert len(await client.users(page_size=2)) == 4


async def test_users_in_pages_larger_than_asked_are_bounded(
    client: MyWifiClient,
    mock_http: AiohttpClientMocker,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A server that ignores PageSize cannot pass the bound in one page.

    The page is refused as it is read: too large, not built whole first.
    """
    monkeypatch.setattr(mywifi, "MAX_USERS", 3)
    template = json.loads(fixture("user.json"))
    mock_http.get(
        USERS,
        json=[{**template, "RegisteredUserID": n} for n in range(1, 6)],
    )
    with pytest.raises(ResponseTooLargeError, match="More than 3 records"):
        await client.users(page_size=2)
    assert len(sent(mock_http)) == 1


async def test_user_by_id(client: MyWifiClient, mock_http: AiohttpClientMocker) -> None:
    mock_http.get(user_url(14646), text=fixture("user.json"))
    user = await client.user(14646)
    assert user.id == 14646
    assert user.login == "343412434"
    [request] = sent(mock_http)
    assert request.url.path == "/v1/registeredusers/14646"
    assert request.params == {}
    assert request.headers["Authorization"] == f"Bearer {BEARER}-1"


@pytest.mark.parametrize("body", ["[]", '"ok"'])
async def test_user_not_an_object_is_invalid(
    client: MyWifiClient, mock_http: AiohttpClientMocker, body: str
) -> None:
    mock_http.get(user_url(14646), text=body)
    with pytest.raises(InvalidResponseError, match="not an object"):
        await client.user(14646)


@pytest.mark.parametrize("user_id", [None, ""])
async def test_user_without_id_is_invalid(
    client: MyWifiClient, mock_http: AiohttpClientMocker, user_id: Any
) -> None:
    record = json.loads(fixture("user.json"))
    record["RegisteredUserID"] = user_id
    mock_http.get(user_url(14646), json=record)
    with pytest.raises(InvalidResponseError, match="RegisteredUserID"):
        await client.user(14646)


async def test_user_with_bad_balance_is_invalid(
    client: MyWifiClient, mock_http: AiohttpClientMocker
) -> None:
    record = json.loads(fixture("user.json"))
    record["Balance"] = "5,68"
    mock_http.get(user_url(14646), json=record)
    with pytest.raises(InvalidResponseError, match="amount"):
        await client.user(14646)


# --- add, update, disable, delete --------------------------------------------------


async def test_add_user_posts_vendor_fields_and_reads_201(
    client: MyWifiClient, mock_http: AiohttpClientMocker
) -> None:
    mock_http.post(user_url(), status=201, text=fixture("user_created.json"))
    user = await client.add_user(
        first_name="Luca",
        last_name="Neri",
        login="luca.neri",
        password="N3w-Us3r-Pa55",
        group_id=3,
        weekly_rate_plan_id=3,
        email="luca@example.it",
        mac_address="aa:bb:cc:11:22:33",
    )
    [request] = sent(mock_http)
    assert request.method == "POST"
    assert request.url.path == "/v1/registeredusers"
    assert request.headers["Authorization"] == f"Bearer {BEARER}-1"
    assert request.json == {
        "FirstName": "Luca",
        "LastName": "Neri",
        "Login": "luca.neri",
        "Password": "N3w-Us3r-Pa55",
        "GroupID": 3,
        "WeeklyRatePlanID": 3,
        "EMail": "luca@example.it",
        "MacAddress": "AA-BB-CC-11-22-33",
    }
    assert user.id == 14700
    assert user.login == "luca.neri"
    assert user.mac == "aa:bb:cc:11:22:33"
    assert "N3w-Us3r-Pa55" not in repr(user)
    assert "Password" not in user.record


@pytest.mark.parametrize(
    ("given", "sent_as"),
    [
        ("aa:bb:cc:11:22:33", "AA-BB-CC-11-22-33"),
        ("AABB.CC11.2233", "AA-BB-CC-11-22-33"),
        ("AA-BB-CC-11-22-33", "AA-BB-CC-11-22-33"),
    ],
)
async def test_add_user_mac_in_vendor_spelling(
    client: MyWifiClient, mock_http: AiohttpClientMocker, given: str, sent_as: str
) -> None:
    mock_http.post(user_url(), status=201, text=fixture("user_created.json"))
    await client.add_user(login="x", mac_address=given)
    [request] = sent(mock_http)
    assert request.json == {"Login": "x", "MacAddress": sent_as}


async def test_add_user_with_expiration(
    client: MyWifiClient, mock_http: AiohttpClientMocker
) -> None:
    mock_http.post(user_url(), status=200, text=fixture("user_created.json"))
    expires = datetime(2024, 6, 30, 22, 0, tzinfo=UTC)
    await client.add_user(login="x", account_expiration=expires, disabled=False)
    [request] = sent(mock_http)
    assert request.json == {
        "Login": "x",
        "AccountWithExpiration": True,
        "AccountExpiration": "2024-06-30T22:00:00+00:00",
        "Disabled": False,
    }


async def test_add_user_unknown_field_is_refused_before_asking(
    client: MyWifiClient, mock_http: AiohttpClientMocker
) -> None:
    with pytest.raises(ValueError, match="Unknown user field: nickname"):
        await client.add_user(login="x", nickname="y")
    assert mock_http.mock_calls == []


@pytest.mark.parametrize("body", ["", "[]"])
async def test_add_user_without_the_new_user_is_invalid(
    client: MyWifiClient, mock_http: AiohttpClientMocker, body: str
) -> None:
    mock_http.post(user_url(), status=201, text=body)
    with pytest.raises(InvalidResponseError, match="new user"):
        await client.add_user(login="x")


async def test_add_user_login_taken_is_a_vendor_error(
    client: MyWifiClient, mock_http: AiohttpClientMocker
) -> None:
    mock_http.post(user_url(), status=400, text=fixture("error_login_exists.json"))
    with pytest.raises(VendorError) as caught:
        await client.add_user(login="343412434", password="pw")
    assert type(caught.value) is VendorError
    assert caught.value.code == "400"
    assert caught.value.vendor_message == "Login already exists"
    assert str(caught.value) == "400: Login already exists"


# --- create_user: one add at a time, logins as the vendor compares them ---------------


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("giulia", "giulia", True),
        ("Giulia", "GIULIA", True),
        (" giulia ", "giulia", True),
        ("straße", "STRASSE", True),
        ("giulia", "giulia2", False),
        (None, "giulia", False),
        ("", "", False),
    ],
)
def test_same_login(first: str | None, second: str, same: bool) -> None:
    assert same_login(first, second) is same


def _vendor_accepting_duplicates(
    mock_http: AiohttpClientMocker, *, latency: float = 0.01
) -> list[dict[str, Any]]:
    """A vendor that stores every add, whatever its login (as My Wi-Fi may)."""
    stored: list[dict[str, Any]] = []

    async def vendor(method: str, url: URL, data: Any) -> Any:
        await asyncio.sleep(latency)
        if method == "POST":
            stored.append({**data, "RegisteredUserID": 15000 + len(stored)})
            return await in_turn({"status": 201, "json": stored[-1]})(method, url, data)
        return await in_turn({"json": list(stored)})(method, url, data)

    mock_http.get(USERS, side_effect=vendor)
    mock_http.post(user_url(), side_effect=vendor)
    return stored


async def test_create_user_looks_then_adds(
    client: MyWifiClient, mock_http: AiohttpClientMocker
) -> None:
    stored = _vendor_accepting_duplicates(mock_http)
    user = await client.create_user(login="giulia", password="pw", group_id=3)
    assert [r.method for r in sent(mock_http)] == ["GET", "POST"]
    assert user.id == 15000
    assert len(stored) == 1


async def test_concurrent_adds_of_one_login_make_one_user(
    client: MyWifiClient, mock_http: AiohttpClientMocker
) -> None:
    stored = _vendor_accepting_duplicates(mock_http)
    results = await asyncio.gather(
        client.create_user(login="giulia", password="pw"),
        client.create_user(login="Giulia", password="pw"),
        return_exceptions=True,
    )
    assert len(stored) == 1
    created, refused = results
    assert isinstance(created, MyWifiUser)
    assert isinstance(refused, LoginTakenError)
    assert (refused.login, refused.user_id) == ("Giulia", created.id)
    assert [r.method for r in sent(mock_http)] == ["GET", "POST", "GET"]


@pytest.mark.parametrize("login", ["343412434", "  343412434", "MIRKO"])
async def test_create_user_with_a_taken_login_is_refused(
    client: MyWifiClient, mock_http: AiohttpClientMocker, login: str
) -> None:
    users = json.loads(fixture("users_page0.json"))
    users[1]["Login"] = "mirko"
    mock_http.get(USERS, json=users)
    with pytest.raises(LoginTakenError) as caught:
        await client.create_user(login=login, password="pw")
    assert caught.value.user_id in (14646, 14649)
    assert [r.method for r in sent(mock_http)] == ["GET"]


async def test_create_user_needs_a_login(
    client: MyWifiClient, mock_http: AiohttpClientMocker
) -> None:
    with pytest.raises(ValueError, match="login"):
        await client.create_user(login="  ", password="pw")
    assert mock_http.mock_calls == []


async def test_create_user_lost_answer_finds_the_user(
    client: MyWifiClient, mock_http: AiohttpClientMocker
) -> None:
    created = json.loads(fixture("user_created.json"))
    mock_http.get(USERS, side_effect=in_turn({"json": []}, {"json": [created]}))
    mock_http.post(user_url(), exc=TimeoutError())
    user = await client.create_user(login=created["Login"], password="pw")
    assert user.id == created["RegisteredUserID"]
    assert [r.method for r in sent(mock_http)] == ["GET", "POST", "GET"]


@pytest.mark.parametrize(
    ("lookup", "lookup_failed", "message"),
    [
        ({"json": []}, False, "the lookup found no user with that login"),
        ({"status": 503}, True, "the lookup failed"),
    ],
)
async def test_create_user_lost_answer_not_found(
    client: MyWifiClient,
    mock_http: AiohttpClientMocker,
    lookup: dict[str, Any],
    lookup_failed: bool,
    message: str,
) -> None:
    """No user yet is no proof: the vendor may save it after the lookup."""
    mock_http.get(USERS, side_effect=in_turn({"json": []}, lookup))
    mock_http.post(user_url(), exc=TimeoutError())
    with pytest.raises(AddOutcomeUnknownError) as caught:
        await client.create_user(login="giulia", password="Hunter2-Secret")
    assert caught.value.login == "giulia"
    assert caught.value.lookup_failed is lookup_failed
    assert str(caught.value) == (
        f"My Wi-Fi did not answer the add of giulia; {message}"
    )
    assert isinstance(caught.value, CannotConnectError)
    assert_secret_kept(caught.value, "Hunter2-Secret")
    assert [r.method for r in sent(mock_http)] == ["GET", "POST", "GET"]


async def test_delete_waits_for_an_edit(
    session: aiohttp.ClientSession, mock_http: AiohttpClientMocker
) -> None:
    record = json.loads(fixture("user.json"))

    async def slow(method: str, url: URL, data: Any) -> Any:
        await asyncio.sleep(0.01)
        return await in_turn({"json": record, "status": 200})(method, url, data)

    mock_http.get(user_url(14646), side_effect=slow)
    mock_http.put(user_url(14646), side_effect=slow)
    mock_http.delete(user_url(14646), status=204)
    client = MyWifiClient(session, Tokens())
    await asyncio.gather(client.edit_user(14646, note=None), client.delete_user(14646))
    assert [r.method for r in sent(mock_http)] == ["GET", "PUT", "DELETE"]


async def test_update_user_puts_the_whole_record_once(
    client: MyWifiClient, mock_http: AiohttpClientMocker
) -> None:
    mock_http.get(user_url(14646), text=fixture("user.json"))
    updated = json.loads(fixture("user.json"))
    updated.update({"EMail": "mirko@example.it", "Note": "late checkout"})
    mock_http.put(user_url(14646), json=updated)

    user = await client.user(14646)
    result = await client.update_user(
        user, email="mirko@example.it", note="late checkout"
    )

    puts = [r for r in sent(mock_http) if r.method == "PUT"]
    assert len(puts) == 1
    [put] = puts
    assert put.url.path == "/v1/registeredusers/14646"
    assert put.headers["Authorization"] == f"Bearer {BEARER}-2"
    expected = json.loads(fixture("user.json"))
    del expected["Password"]
    expected.update({"EMail": "mirko@example.it", "Note": "late checkout"})
    assert put.json == expected
    # The stored password is never sent back.
    assert "Password" not in put.json
    assert "afr454tgfgf" not in json.dumps(put.json)
    assert result.email == "mirko@example.it"
    assert result.note == "late checkout"
    assert result.id == 14646


async def test_update_user_can_change_the_password_when_asked(
    client: MyWifiClient, mock_http: AiohttpClientMocker
) -> None:
    mock_http.put(user_url(14646), status=204)
    mock_http.get(user_url(14646), text=fixture("user.json"))
    await client.update_user(make_user(), password="n3w-pw")
    put, _ = sent(mock_http)
    assert put.json["Password"] == "n3w-pw"


async def test_update_user_answered_204_reads_the_user_back(
    client: MyWifiClient, mock_http: AiohttpClientMocker
) -> None:
    """No user in the answer: what the vendor kept is asked for, not assumed."""
    kept = json.loads(fixture("user.json"))
    kept.update({"FirstName": "Mirco", "GroupID": 4, "Balance": 7})
    mock_http.put(user_url(14646), status=204)
    mock_http.get(user_url(14646), json=kept)
    result = await client.update_user(make_user(), first_name="Mirco", group_id=4)
    assert [r.method for r in sent(mock_http)] == ["PUT", "GET"]
    assert result.first_name == "Mirco"
    assert result.group_id == 4
    assert result.last_name == "De Santis"
    assert result.balance == Decimal(7)


@pytest.mark.parametrize("status", [200, 204])
async def test_update_user_not_kept_is_an_error(
    client: MyWifiClient, mock_http: AiohttpClientMocker, status: int
) -> None:
    """The vendor answered, but its user is not what was asked: never a success."""
    unchanged = json.loads(fixture("user.json"))
    if status == 200:
        mock_http.put(user_url(14646), json=unchanged)
    else:
        mock_http.put(user_url(14646), status=204)
        mock_http.get(user_url(14646), json=unchanged)
    with pytest.raises(ChangeNotKeptError) as caught:
        await client.update_user(
            make_user(), note="VIP", disabled=True, login="343412434", password="pw"
        )
    # The login is unchanged anyway; the password is never read back.
    assert caught.value.fields == ("note", "disabled")
    assert caught.value.user_id == 14646
    assert str(caught.value) == "My Wi-Fi did not keep note, disabled of user 14646"
    assert isinstance(caught.value, InvalidResponseError)


@pytest.mark.parametrize(
    ("field", "asked", "kept"),
    [
        ("login", "Mirko.Rossi", "mirko.rossi"),
        ("email", "Mirko@Example.com", "mirko@example.com"),
        ("mac_address", "aa:bb:cc:11:22:33", "AA-BB-CC-11-22-33"),
        ("note", "VIP ", "VIP"),
        ("note", "", None),
        ("group_id", "4", 4),
        (
            "account_expiration",
            datetime(2030, 1, 2, 3, 4, 5, 123456, tzinfo=UTC),
            "2030-01-02T03:04:05.12Z",  # fewer digits of the second
        ),
        (
            "account_expiration",
            datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC),
            "2030-01-02T04:04:05+01:00",
        ),
    ],
)
async def test_update_user_kept_in_the_vendors_spelling(
    client: MyWifiClient,
    mock_http: AiohttpClientMocker,
    field: str,
    asked: Any,
    kept: Any,
) -> None:
    """A value the vendor keeps in its own form is kept all the same."""
    record = json.loads(fixture("user.json"))
    record[mywifi.USER_FIELDS[field]] = kept
    record["AccountWithExpiration"] = True
    mock_http.put(user_url(14646), json=record)
    await client.update_user(make_user(), **{field: asked})


async def test_edit_user_puts_the_record_as_it_is_now(
    client: MyWifiClient, mock_http: AiohttpClientMocker
) -> None:
    now = json.loads(fixture("user.json"))
    now["City"] = "Milano"  # changed on the vendor's dashboard
    mock_http.get(user_url(14646), json=now)
    mock_http.put(user_url(14646), json={**now, "Note": "VIP"})
    result = await client.edit_user(14646, note="VIP")
    get, put = sent(mock_http)
    assert (get.method, put.method) == ("GET", "PUT")
    assert put.json["City"] == "Milano"
    assert put.json["Note"] == "VIP"
    assert result.note == "VIP"


async def test_edits_go_one_at_a_time(
    session: aiohttp.ClientSession, mock_http: AiohttpClientMocker
) -> None:
    """Each edit reads the record after the previous one's PUT: none is undone."""
    record = json.loads(fixture("user.json"))

    async def vendor(method: str, url: URL, data: Any) -> Any:
        await asyncio.sleep(0.01)
        if method == "PUT":
            record.clear()
            record.update(data)
        return await in_turn({"json": {**record, "Password": "afr454tgfgf"}})(
            method, url, data
        )

    mock_http.get(user_url(14646), side_effect=vendor)
    mock_http.put(user_url(14646), side_effect=vendor)
    client = MyWifiClient(session, Tokens())
    await asyncio.gather(
        client.edit_user(14646, note="VIP"),
        client.edit_user(14646, disabled=True),
        client.edit_user(14646, first_name="Mirco"),
    )
    assert [r.method for r in sent(mock_http)] == ["GET", "PUT"] * 3
    assert (record["Note"], record["Disabled"], record["FirstName"]) == (
        "VIP",
        True,
        "Mirco",
    )


async def test_edit_user_to_a_taken_login_is_refused(
    client: MyWifiClient, mock_http: AiohttpClientMocker
) -> None:
    mock_http.get(USERS, text=fixture("users_page0.json"))
    with pytest.raises(LoginTakenError) as caught:
        await client.edit_user(14646, login="  104032500 ")
    assert (caught.value.login, caught.value.user_id) == ("104032500", 14649)
    assert [r.method for r in sent(mock_http)] == ["GET"]


async def test_edit_user_to_its_own_login_in_other_case(
    client: MyWifiClient, mock_http: AiohttpClientMocker
) -> None:
    record = json.loads(fixture("users_page0.json"))[0]
    mock_http.get(USERS, text=fixture("users_page0.json"))
    mock_http.get(user_url(14646), json=record)
    mock_http.put(user_url(14646), json={**record, "Login": "Mirko"})
    record["Login"] = "mirko"
    updated = await client.edit_user(14646, login="Mirko")
    assert updated.login == "Mirko"


@pytest.mark.parametrize(
    ("action", "disabled"), [("disable_user", True), ("enable_user", False)]
)
async def test_disable_and_enable_edit_the_flag(
    client: MyWifiClient, mock_http: AiohttpClientMocker, action: str, disabled: bool
) -> None:
    user = make_user(Disabled=not disabled)
    mock_http.put(user_url(14646), status=204)
    mock_http.get(user_url(14646), json={**user.record, "Disabled": disabled})
    result = await getattr(client, action)(user)
    put, _ = sent(mock_http)
    assert put.method == "PUT"
    assert put.url.path == "/v1/registeredusers/14646"
    assert put.json["Disabled"] is disabled
    assert {k: v for k, v in put.json.items() if k != "Disabled"} == {
        k: v for k, v in user.record.items() if k != "Disabled"
    }
    assert "Password" not in put.json
    assert result.disabled is disabled


@pytest.mark.parametrize("status", [200, 204])
async def test_delete_user(
    client: MyWifiClient, mock_http: AiohttpClientMocker, status: int
) -> None:
    mock_http.delete(user_url(14646), status=status)
    assert await client.delete_user(14646) is None
    [request] = sent(mock_http)
    assert request.method == "DELETE"
    assert request.url.path == "/v1/registeredusers/14646"
    assert request.json is None
    assert request.headers["Authorization"] == f"Bearer {BEARER}-1"


async def test_delete_unknown_user_is_not_found(
    client: MyWifiClient, mock_http: AiohttpClientMocker
) -> None:
    mock_http.delete(user_url(99), status=404, json={"Message": "User 99 not found"})
    with pytest.raises(NotFoundError) as caught:
        await client.delete_user(99)
    assert caught.value.vendor_message == "User 99 not found"


# --- groups, rate plans ------------------------------------------------------------


async def test_groups(client: MyWifiClient, mock_http: AiohttpClientMocker) -> None:
    mock_http.get(re.compile(rf"^{API}/groups$"), text=fixture("groups.json"))
    assert await client.groups() == [
        MyWifiGroup(3, "Guests"),
        MyWifiGroup(4, "Staff"),  # no Name: the Description
    ]
    [request] = sent(mock_http)
    assert request.headers["Authorization"] == f"Bearer {BEARER}-1"


async def test_rate_plans(client: MyWifiClient, mock_http: AiohttpClientMocker) -> None:
    mock_http.get(
        re.compile(rf"^{API}/weeklyrateplans$"), text=fixture("weekly_rate_plans.json")
    )
    assert await client.rate_plans() == [
        MyWifiRatePlan(3, "Always on"),
        MyWifiRatePlan(5, "Office hours"),
    ]


async def test_group_without_id_is_invalid(
    client: MyWifiClient, mock_http: AiohttpClientMocker
) -> None:
    mock_http.get(re.compile(rf"^{API}/groups$"), json=[{"Name": "Orphans"}])
    with pytest.raises(InvalidResponseError, match="GroupID"):
        await client.groups()


def test_default_base_url() -> None:
    assert DEFAULT_BASE_URL == "https://api.mywifiservice.com/v1/"


async def test_custom_base_url(
    session: aiohttp.ClientSession, mock_http: AiohttpClientMocker
) -> None:
    client = MyWifiClient(session, Tokens(), base_url="https://sandbox.example/v1")
    mock_http.get(re.compile(r"^https://sandbox\.example/v1/groups$"), json=[])
    assert await client.groups() == []


# --- the password ------------------------------------------------------------------


async def test_password_never_leaves_the_client(
    client: MyWifiClient, mock_http: AiohttpClientMocker
) -> None:
    for index, name in enumerate(
        ("users_page0.json", "users_page1.json", "users_page2.json")
    ):
        page(mock_http, index, text=fixture(name))
    mock_http.post(user_url(), status=201, text=fixture("user_created.json"))
    users = await client.users(page_size=2)
    users.append(await client.add_user(login="luca.neri"))
    assert len(users) == 6
    for user in users:
        shown = " ".join(
            [
                repr(user),
                str(user),
                repr(user.as_dict()),
                repr(user.record),
                repr(dict(user.record)),
            ]
        )
        assert "Password" not in user.record
        assert "password" not in user.as_dict()
        for password in PASSWORDS:
            assert password not in shown


def test_as_dict_is_for_display() -> None:
    user = make_user(
        AccountWithExpiration=True, AccountExpiration="2024-06-30T21:59:59Z"
    )
    assert user.as_dict() == {
        "user_id": 14646,
        "login": "343412434",
        "first_name": "Mirko",
        "last_name": "De Santis",
        "group_id": 3,
        "weekly_rate_plan_id": 3,
        "email": None,
        "mobile_phone": None,
        "mac_address": "ac:08:e0:de:f2:c7",
        "disabled": False,
        "account_expiration": "2024-06-30T21:59:59+00:00",
        "balance": "5.6895",
        "note": None,
    }
    assert make_user(Balance=None).as_dict()["balance"] is None
    # An expiration date the account does not use is not shown.
    unused = make_user(AccountExpiration="2024-06-30T21:59:59Z")
    assert unused.expires is None
    assert unused.as_dict()["account_expiration"] is None


# --- errors -------------------------------------------------------------------------

Call = Callable[[MyWifiClient], Awaitable[Any]]
CALLS: dict[str, tuple[str, re.Pattern[str], Call]] = {
    "users": ("GET", USERS, lambda c: c.users()),
    "user": ("GET", user_url(14646), lambda c: c.user(14646)),
    "add_user": ("POST", user_url(), lambda c: c.add_user(login="x")),
    "update_user": ("PUT", user_url(14646), lambda c: c.update_user(make_user())),
    "delete_user": ("DELETE", user_url(14646), lambda c: c.delete_user(14646)),
    "groups": ("GET", re.compile(rf"^{API}/groups$"), lambda c: c.groups()),
    "rate_plans": (
        "GET",
        re.compile(rf"^{API}/weeklyrateplans$"),
        lambda c: c.rate_plans(),
    ),
}


def answer(mock_http: AiohttpClientMocker, call: str, **kwargs: Any) -> None:
    method, pattern, _ = CALLS[call]
    mock_http.request(method, pattern, **kwargs)


@pytest.mark.parametrize("call", list(CALLS))
@pytest.mark.parametrize(
    ("status", "error"),
    [
        (401, AuthenticationError),
        (403, AuthenticationError),
        (404, NotFoundError),
        (400, VendorError),
        (409, VendorError),
        (500, CannotConnectError),
        (502, CannotConnectError),
        (503, CannotConnectError),
    ],
)
async def test_http_errors_on_every_call(
    client: MyWifiClient,
    mock_http: AiohttpClientMocker,
    call: str,
    status: int,
    error: type[GuestWifiError],
) -> None:
    answer(mock_http, call, status=status, text=fixture("error_page.html"))
    with pytest.raises(error) as caught:
        await CALLS[call][2](client)
    assert "Runtime Error" not in str(caught.value)
    assert CALLS[call][0] in str(caught.value)


async def test_not_found_is_a_not_found_error(
    client: MyWifiClient, mock_http: AiohttpClientMocker
) -> None:
    mock_http.get(user_url(1), status=404, text="")
    with pytest.raises(NotFoundError) as caught:
        await client.user(1)
    assert caught.value.code == "404"
    assert str(caught.value) == "404: Not found: GET /registeredusers/1"


@pytest.mark.parametrize(
    ("headers", "expected"),
    [({"Retry-After": "30"}, 30.0), ({"Retry-After": "garbage"}, None), ({}, None)],
)
async def test_rate_limited(
    client: MyWifiClient,
    mock_http: AiohttpClientMocker,
    headers: dict[str, str],
    expected: float | None,
) -> None:
    mock_http.get(USERS, status=429, headers=headers)
    with pytest.raises(RateLimitedError) as caught:
        await client.users()
    assert caught.value.retry_after == expected


async def test_rate_limited_until_an_http_date(
    client: MyWifiClient, mock_http: AiohttpClientMocker
) -> None:
    when = datetime.now(UTC) + timedelta(seconds=90)
    mock_http.get(
        USERS, status=429, headers={"Retry-After": format_datetime(when, usegmt=True)}
    )
    with pytest.raises(RateLimitedError) as caught:
        await client.users()
    assert caught.value.retry_after is not None
    assert 80 < caught.value.retry_after <= 90


@pytest.mark.parametrize("call", list(CALLS))
@pytest.mark.parametrize(
    "exception",
    [TimeoutError(), aiohttp.ClientConnectionError("reset"), aiohttp.ClientOSError()],
    ids=["timeout", "connection", "os-error"],
)
async def test_cannot_connect(
    client: MyWifiClient,
    mock_http: AiohttpClientMocker,
    call: str,
    exception: Exception,
) -> None:
    answer(mock_http, call, exc=exception)
    with pytest.raises(CannotConnectError):
        await CALLS[call][2](client)


@pytest.mark.parametrize("call", ["users", "user", "add_user", "update_user", "groups"])
@pytest.mark.parametrize("body", ["error_page.html", "truncated.json"])
async def test_unreadable_bodies_are_invalid(
    client: MyWifiClient, mock_http: AiohttpClientMocker, call: str, body: str
) -> None:
    status = 201 if call == "add_user" else 200
    answer(mock_http, call, status=status, text=fixture(body))
    with pytest.raises(InvalidResponseError, match="Malformed JSON"):
        await CALLS[call][2](client)


@pytest.mark.parametrize("call", ["users", "groups", "rate_plans"])
@pytest.mark.parametrize("payload", [{"Users": []}, {"Message": "ok"}, [1, 2], "[]"])
async def test_wrong_shape_is_invalid(
    client: MyWifiClient, mock_http: AiohttpClientMocker, call: str, payload: Any
) -> None:
    answer(mock_http, call, text=json.dumps(payload))
    with pytest.raises(InvalidResponseError, match="Expected a list of records"):
        await CALLS[call][2](client)


async def test_token_callable_failure_sends_nothing(
    session: aiohttp.ClientSession, mock_http: AiohttpClientMocker
) -> None:
    async def no_token() -> str:
        raise AuthenticationError("Refresh token refused")

    client = MyWifiClient(session, no_token)
    with pytest.raises(AuthenticationError, match="Refresh token refused"):
        await client.users()
    assert mock_http.mock_calls == []


# --- a token refused before its time ---------------------------------------------------


class Renewals:
    """The integration's renewal callable: a new token for each refused one."""

    def __init__(self, *, refuse: bool = False) -> None:
        self.refused: list[str] = []
        self.refuse = refuse

    async def __call__(self, refused: str) -> str:
        self.refused.append(refused)
        if self.refuse:
            raise AuthenticationError("The refresh token was refused")
        return f"RENEWED-{len(self.refused)}"


def renewing_client(session: aiohttp.ClientSession, renewals: Renewals) -> MyWifiClient:
    return MyWifiClient(session, Tokens(fixed=BEARER), renew_token=renewals)


@pytest.mark.parametrize(
    ("call", "ok"),
    [
        ("users", {"json": []}),
        ("add_user", {"status": 201, "text": fixture("user_created.json")}),
        ("delete_user", {"status": 204}),
    ],
)
async def test_a_401_renews_the_token_once_and_sends_again(
    session: aiohttp.ClientSession,
    mock_http: AiohttpClientMocker,
    call: str,
    ok: dict[str, Any],
) -> None:
    renewals = Renewals()
    answer(mock_http, call, side_effect=in_turn({"status": 401}, ok))
    await CALLS[call][2](renewing_client(session, renewals))
    first, second = sent(mock_http)
    assert renewals.refused == [BEARER]
    assert first.headers["Authorization"] == f"Bearer {BEARER}"
    assert second.headers["Authorization"] == "Bearer RENEWED-1"
    assert (first.json, first.url) == (second.json, second.url)


async def test_a_second_401_is_an_authentication_error(
    session: aiohttp.ClientSession, mock_http: AiohttpClientMocker
) -> None:
    renewals = Renewals()
    mock_http.get(USERS, status=401, json={"Message": f"Bad token {BEARER}"})
    with pytest.raises(AuthenticationError) as caught:
        await renewing_client(session, renewals).users()
    assert str(caught.value) == "HTTP 401 on GET /RegisteredUsers"
    assert renewals.refused == [BEARER]
    assert len(sent(mock_http)) == 2
    assert_secret_kept(caught.value, BEARER, "RENEWED-1")


async def test_a_refused_renewal_sends_nothing_more(
    session: aiohttp.ClientSession, mock_http: AiohttpClientMocker
) -> None:
    renewals = Renewals(refuse=True)
    mock_http.get(USERS, status=401)
    with pytest.raises(AuthenticationError, match="refresh token was refused"):
        await renewing_client(session, renewals).users()
    assert len(sent(mock_http)) == 1


async def test_a_403_is_not_renewed(
    session: aiohttp.ClientSession, mock_http: AiohttpClientMocker
) -> None:
    """Forbidden (a READ-only token writing) is not cured by a new token."""
    renewals = Renewals()
    mock_http.post(user_url(), status=403)
    with pytest.raises(AuthenticationError, match="HTTP 403"):
        await renewing_client(session, renewals).add_user(login="x")
    assert renewals.refused == []
    assert len(sent(mock_http)) == 1


async def test_a_renewed_token_echoed_in_an_error_is_redacted(
    session: aiohttp.ClientSession, mock_http: AiohttpClientMocker
) -> None:
    renewals = Renewals()
    mock_http.post(
        user_url(),
        side_effect=in_turn(
            {"status": 401},
            {"status": 400, "json": {"Message": "RENEWED-1 and BEARER-SECRET-456"}},
        ),
    )
    with pytest.raises(VendorError) as caught:
        await renewing_client(session, renewals).add_user(login="x")
    assert caught.value.vendor_message == "**REDACTED** and **REDACTED**"


# --- secrecy --------------------------------------------------------------------------


ECHO = f"Token {BEARER} refused (Authorization: Bearer {BEARER})"

SCENARIOS: dict[str, dict[str, Any]] = {
    "400-json-echo": {"status": 400, "json": {"Message": ECHO}},
    "400-long-echo": {"status": 400, "json": {"Message": "x" * 180 + ECHO}},
    "400-text-echo": {"status": 400, "text": "y" * 180 + ECHO},
    "401-echo": {"status": 401, "json": {"error_description": ECHO}},
    "403-echo": {"status": 403, "json": {"Message": ECHO}},
    "404-echo": {"status": 404, "json": {"Message": ECHO}},
    "429-echo": {"status": 429, "json": {"Message": ECHO}},
    "500-echo": {"status": 500, "text": ECHO},
    "200-html-echo": {"status": 200, "text": f"<html>{ECHO}</html>"},
    "200-truncated-echo": {"status": 200, "text": f'[{{"Note": "{ECHO}'},
    "200-invalid-utf8-echo": {
        "status": 200,
        "content": f'[{{"Note": "{ECHO}'.encode() + b'\xff"}]',
    },
    "200-object-echo": {"status": 200, "json": {"Message": ECHO}},
    "timeout": {"exc": TimeoutError(ECHO)},
    "client-error": {"exc": aiohttp.ClientConnectionError(ECHO)},
}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
async def test_no_error_shows_the_bearer_token(
    session: aiohttp.ClientSession,
    mock_http: AiohttpClientMocker,
    caplog: pytest.LogCaptureFixture,
    scenario: str,
) -> None:
    client = MyWifiClient(session, Tokens(fixed=BEARER))
    mock_http.get(USERS, **SCENARIOS[scenario])
    with pytest.raises(GuestWifiError) as caught:
        await client.users()
    assert_secret_kept(caught.value, BEARER)
    assert BEARER not in caplog.text
    [request] = sent(mock_http)
    assert request.headers["Authorization"] == f"Bearer {BEARER}"


async def test_echoed_bearer_token_is_redacted_not_dropped(
    session: aiohttp.ClientSession, mock_http: AiohttpClientMocker
) -> None:
    client = MyWifiClient(session, Tokens(fixed=BEARER))
    mock_http.post(user_url(), status=400, json={"Message": ECHO})
    with pytest.raises(VendorError) as caught:
        await client.add_user(login="x")
    assert caught.value.vendor_message == (
        "Token **REDACTED** refused (Authorization: Bearer **REDACTED**)"
    )


async def test_vendor_error_echoing_the_password_does_not_show_it(
    client: MyWifiClient, mock_http: AiohttpClientMocker
) -> None:
    mock_http.post(
        user_url(),
        status=400,
        text='{"Message": "Password Hunter2-Secret is too weak"}',
    )
    with pytest.raises(VendorError) as caught:
        await client.add_user(login="new", password="Hunter2-Secret")
    assert "Hunter2-Secret" not in str(caught.value)
    assert "is too weak" in caught.value.vendor_message


async def test_users_are_built_off_the_loop(
    client: MyWifiClient,
    mock_http: AiohttpClientMocker,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    threads: set[int] = set()
    build = mywifi._user

    def spy(rec: Any) -> MyWifiUser:
        threads.add(threading.get_ident())
        return build(rec)

    monkeypatch.setattr(mywifi, "_user", spy)
    template = json.loads(fixture("user.json"))
    mock_http.get(
        USERS, json=[{**template, "RegisteredUserID": n} for n in range(1, 4)]
    )

    users = await client.users()

    assert [user.id for user in users] == [1, 2, 3]
    assert threads
    assert threading.get_ident() not in threads


async def test_users_page_with_a_non_record_is_invalid(
    client: MyWifiClient, mock_http: AiohttpClientMocker
) -> None:
    template = json.loads(fixture("user.json"))
    mock_http.get(USERS, json=[{**template, "RegisteredUserID": 1}, "x"])
    with pytest.raises(InvalidResponseError, match="Expected a list of records"):
        await client.users()


# --- The token endpoint's answer ------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        None,
        ["access_token", "A"],
        {"access_token": "A", "expires_in": float("inf")},  # json.loads of 1e999
        {"access_token": "A", "expires_in": float("nan")},
        {"access_token": "A", "expires_in": 1e300},
        {"access_token": "A", "expires_in": mywifi.MAX_TOKEN_LIFETIME + 1},
        {"access_token": "A", "expires_in": -1},
        {"access_token": "A", "expires_in": None},
        {"access_token": "A", "expires_in": [86400]},
        {"access_token": "", "expires_in": 86400},
        {"access_token": "A B", "expires_in": 86400},
        {"access_token": "A" * 4097, "expires_in": 86400},
        {"access_token": "TOKEN-SECRET", "refresh_token": 7, "expires_in": 86400},
        {"access_token": "A", "refresh_token": "R\x00", "expires_in": 86400},
    ],
)
def test_a_token_answer_without_a_token_is_refused(answer: Any) -> None:
    """A typed error naming the field, never the value."""
    with pytest.raises(InvalidResponseError) as err:
        mywifi.token_answer(answer)
    assert "SECRET" not in str(err.value)
    assert err.value.__context__ is None


def test_a_token_answer_keeps_what_core_stores() -> None:
    """The lifetime as an int; everything else as the vendor sent it."""
    answer = {
        "access_token": "A.b-c_d~e+f/g=",
        "refresh_token": "R",
        "token_type": "Bearer",
        "expires_in": "86400",
    }
    assert mywifi.token_answer(answer) == {**answer, "expires_in": 86400}
    assert mywifi.token_answer({"access_token": "A", "expires_in": 0.5}) == {
        "access_token": "A",
        "expires_in": 0,
    }
