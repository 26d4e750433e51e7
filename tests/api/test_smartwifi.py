"""SmartWiFiPlatform v2 client."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import format_datetime
import itertools
import json
import re
from typing import Any
from urllib.parse import quote, quote_plus
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from yarl import URL

from custom_components.guest_wifi.api import _json, smartwifi
from custom_components.guest_wifi.api.errors import (
    AuthenticationError,
    CannotConnectError,
    GuestWifiError,
    InvalidRequestError,
    InvalidResponseError,
    NotFoundError,
    RateLimitedError,
    ResponseTooLargeError,
    VendorError,
)
from custom_components.guest_wifi.api.smartwifi import (
    Environment,
    SmartWifiClient,
    SmartWifiConnection,
    SmartWifiHotspot,
    base_url_for,
)
from tests.api.conftest import assert_secret_kept, in_turn, load_fixture

TOKEN = "SECRET-TOKEN-123"
HOST = r"https://api\.smartwifiplatform\.com"

PING = "v2/zapier/client/ping"
HOTSPOTS = "v2/zapier/client/dropdown/hotspots"
GUESTS = "v2/zapier/client/guests"
GUEST = "v2/guests/get"
PLANS = "v2/client/guests-guest-plans"
CONNECTIONS = "v2/client/connections"


def url(path: str, host: str = HOST) -> re.Pattern[str]:
    """Any query string on one endpoint."""
    return re.compile(rf"^{host}/{re.escape(path)}\?.*$")


def fixture(name: str) -> str:
    return load_fixture("smartwifi", name)


def sent(mock_http: AiohttpClientMocker) -> list[tuple[str, URL, dict[str, str]]]:
    """Every request made, in order: method, URL and its query parameters."""
    requests = []
    for method, request_url, _, _ in mock_http.mock_calls:
        params = dict(request_url.query)
        assert len(params) == len(request_url.query)  # none went out twice
        requests.append((method, request_url, params))
    return requests


def only_query(mock_http: AiohttpClientMocker) -> dict[str, str]:
    """The query parameters of the one request made."""
    [(method, _, params)] = sent(mock_http)
    assert method == "GET"
    return params


@pytest.fixture
def client(session: aiohttp.ClientSession) -> SmartWifiClient:
    return SmartWifiClient(session, TOKEN)


# --- environments ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("environment", "host", "expected"),
    [
        ("us_a", None, "https://api.smartwifiplatform.com/"),
        (Environment.US_A, "ignored.example", "https://api.smartwifiplatform.com/"),
        ("us_b", None, "https://api-usb.smartwifiplatform.com/"),
        (Environment.US_B, None, "https://api-usb.smartwifiplatform.com/"),
        ("custom", "wifi.example.net", "https://wifi.example.net/"),
        ("custom", " wifi.example.net/ ", "https://wifi.example.net/"),
        (Environment.CUSTOM, "http://10.0.0.5:8080", "http://10.0.0.5:8080/"),
        (
            "custom",
            "https://proxy.example/smartwifi/",
            "https://proxy.example/smartwifi/",
        ),
    ],
)
def test_base_url_for(
    environment: Environment | str, host: str | None, expected: str
) -> None:
    assert base_url_for(environment, host) == expected


@pytest.mark.parametrize("host", [None, "", "   ", "/"])
def test_base_url_for_custom_without_host_is_refused(host: str | None) -> None:
    with pytest.raises(InvalidRequestError, match="needs a host"):
        base_url_for(Environment.CUSTOM, host)


def test_base_url_for_unknown_environment() -> None:
    with pytest.raises(ValueError, match="'eu'"):
        base_url_for("eu")


async def test_client_talks_to_the_chosen_environment(
    session: aiohttp.ClientSession, mock_http: AiohttpClientMocker
) -> None:
    client = SmartWifiClient(session, TOKEN, base_url=base_url_for("us_b"))
    mock_http.get(
        url(PING, r"https://api-usb\.smartwifiplatform\.com"), text=fixture("ping.json")
    )
    await client.ping()
    [(_, request_url, _)] = sent(mock_http)
    assert request_url.host == "api-usb.smartwifiplatform.com"
    assert request_url.path == "/v2/zapier/client/ping"


# --- ping, hotspots ---------------------------------------------------------------


async def test_ping_success_sends_the_token(
    client: SmartWifiClient, mock_http: AiohttpClientMocker
) -> None:
    mock_http.get(url(PING), text=fixture("ping.json"))
    assert await client.ping() is None
    assert only_query(mock_http) == {"api_token": TOKEN}
    [(method, request_url, _)] = sent(mock_http)
    assert method == "GET"
    assert request_url.host == "api.smartwifiplatform.com"
    assert request_url.path == "/v2/zapier/client/ping"
    assert request_url.query["api_token"] == TOKEN  # what goes on the wire


async def test_ping_without_success_is_a_vendor_error(
    client: SmartWifiClient, mock_http: AiohttpClientMocker
) -> None:
    mock_http.get(url(PING), text=fixture("ping_failure.json"))
    with pytest.raises(VendorError) as caught:
        await client.ping()
    assert caught.value.code == "ping"
    assert caught.value.vendor_message == "Invalid API token"


@pytest.mark.parametrize("body", ["[]", '{"status": "ok"}', '{"message": null}'])
async def test_ping_without_a_message_is_a_vendor_error(
    client: SmartWifiClient, mock_http: AiohttpClientMocker, body: str
) -> None:
    mock_http.get(url(PING), text=body)
    with pytest.raises(VendorError, match="no answer"):
        await client.ping()


async def test_hotspots_ids_are_strings(
    client: SmartWifiClient, mock_http: AiohttpClientMocker
) -> None:
    mock_http.get(url(HOTSPOTS), text=fixture("hotspots.json"))
    assert await client.hotspots() == [
        SmartWifiHotspot("12261", "ExampleHotspot"),
        SmartWifiHotspot("12290", "ExampleHotspot2"),
    ]
    assert only_query(mock_http) == {"api_token": TOKEN}


async def test_hotspot_without_name_is_named_by_its_id(
    client: SmartWifiClient, mock_http: AiohttpClientMocker
) -> None:
    mock_http.get(url(HOTSPOTS), json=[{"id": 7, "name": ""}, {"id": 8}])
    assert await client.hotspots() == [
        SmartWifiHotspot("7", "7"),
        SmartWifiHotspot("8", "8"),
    ]


@pytest.mark.parametrize("record", [{"name": "NoId"}, {"id": None}, {"id": ""}])
async def test_hotspot_without_id_is_invalid(
    client: SmartWifiClient, mock_http: AiohttpClientMocker, record: dict[str, Any]
) -> None:
    mock_http.get(url(HOTSPOTS), json=[record])
    with pytest.raises(InvalidResponseError, match="no id"):
        await client.hotspots()


# --- guests ---------------------------------------------------------------------


async def test_guests_are_normalised(
    client: SmartWifiClient, mock_http: AiohttpClientMocker
) -> None:
    mock_http.get(url(GUESTS), text=fixture("guests.json"))
    guests = await client.guests()
    assert [g.id for g in guests] == ["30101", "30102", "30103", "30104", "30105"]
    assert [g.mac for g in guests] == [
        "aa:bb:cc:dd:ee:ff",
        "ab:cd:ef:12:34:56",
        "12:34:56:ab:cd:ef",
        "bb:bb:bb:bb:bb:aa",
        "4a:4a:ea:4a:4a:fa",
    ]
    first = guests[0]
    # Empty strings and nulls are both "unknown"; the "yyyy-mm-dd" placeholder too.
    assert first.email is None
    assert first.country is None
    assert first.city is None
    assert first.mobile_phone is None
    assert first.birthdate is None
    assert first.first_name == "First_Name"
    assert first.last_name == "Last_Name"
    assert first.unsubscribed is False
    assert guests[1].first_name is None
    assert guests[3].mobile_phone is None  # ""
    assert guests[3].birthdate is None  # "yyyy-mm-dd"
    last = guests[4]
    assert last.birthdate == date(1985, 7, 19)
    assert last.email == "myemail@gmail.com"
    assert last.mobile_phone == "+15125550123"
    assert (last.country, last.city) == ("US", "Austin")
    assert last.unsubscribed is True


@pytest.mark.parametrize(
    ("unsubscribed", "query"),
    [
        (True, {"api_token": TOKEN, "unsubscribed": "true"}),
        (False, {"api_token": TOKEN, "unsubscribed": "false"}),
        (None, {"api_token": TOKEN}),
    ],
)
async def test_guests_unsubscribed_filter(
    client: SmartWifiClient,
    mock_http: AiohttpClientMocker,
    unsubscribed: bool | None,
    query: dict[str, str],
) -> None:
    mock_http.get(url(GUESTS), json=[])
    assert await client.guests(unsubscribed=unsubscribed) == []
    assert only_query(mock_http) == query


async def test_guest_profile_is_normalised(
    client: SmartWifiClient, mock_http: AiohttpClientMocker
) -> None:
    mock_http.get(url(GUEST), text=fixture("guest_profile.json"))
    profile = await client.guest("3g36ga13-d4fd-4jd3-5bdc-6ed6e7e34cad")
    assert only_query(mock_http) == {
        "api_token": TOKEN,
        "guest_token": "3g36ga13-d4fd-4jd3-5bdc-6ed6e7e34cad",
    }
    assert profile == smartwifi.SmartWifiGuestProfile(
        company="TECH DEPT",
        first_name=None,
        last_name=None,
        email="myemail@gmail.com",
        mobile_phone=None,
        mac="4a:4a:ea:4a:4a:fa",
        birthdate=None,
        country=None,
        city=None,
        last_hotspot="TECHHOTSPOT",
        unsubscribed=False,
    )


async def test_guest_profile_with_missing_sections(
    client: SmartWifiClient, mock_http: AiohttpClientMocker
) -> None:
    mock_http.get(
        url(GUEST),
        json={
            "profile": {"firstname": "Ann", "birthdate": "1985-07-19T00:00:00"},
            "client": None,
            "unsubscribed": True,
        },
    )
    profile = await client.guest("t")
    assert profile.first_name == "Ann"
    assert profile.birthdate == date(1985, 7, 19)
    assert profile.company is None
    assert profile.last_hotspot is None
    assert profile.unsubscribed is True


@pytest.mark.parametrize("body", ["[]", '"not found"', "null"])
async def test_guest_profile_not_an_object_is_invalid(
    client: SmartWifiClient, mock_http: AiohttpClientMocker, body: str
) -> None:
    mock_http.get(url(GUEST), text=body)
    with pytest.raises(InvalidResponseError, match="not an object"):
        await client.guest("t")


# --- guest plans ------------------------------------------------------------------


async def test_guest_plans_are_normalised(
    client: SmartWifiClient, mock_http: AiohttpClientMocker
) -> None:
    mock_http.get(url(PLANS), text=fixture("guest_plans.json"))
    active, expired = await client.guest_plans()
    assert only_query(mock_http) == {"api_token": TOKEN}
    assert active == smartwifi.SmartWifiGuestPlan(
        guest_token="1g36ga13-b4fd-4jd3-9bdc-6eb6e7e34cad",
        mac="aa:bb:cc:dd:ee:ff",
        email="guest@example.com",
        plan_name="Day Pass",
        # The vendor writes these without an offset: they are UTC.
        started=datetime(2024, 5, 1, 10, 0, tzinfo=UTC),
        expires=datetime(2024, 5, 2, 10, 0, tzinfo=UTC),
        state="active",
        session_profile="Premium 20 Mbps",
        payment_gateway="Paypal",
        transaction_id="PAYID-MZ3X4KQ",
    )
    assert expired.state == "expired"
    assert expired.email is None
    assert expired.payment_gateway == "Voucher"
    assert expired.transaction_id == "VCH-7781"
    assert expired.started == datetime(2024, 4, 30, 8, 15, 30, tzinfo=UTC)


async def test_guest_plans_state_param(
    client: SmartWifiClient, mock_http: AiohttpClientMocker
) -> None:
    mock_http.get(url(PLANS), json=[])
    assert await client.guest_plans(state="expired") == []
    assert only_query(mock_http) == {"api_token": TOKEN, "state": "expired"}


@pytest.mark.parametrize(
    ("since", "relative"),
    [
        (timedelta(days=4), "4d"),
        (timedelta(days=7), "7d"),
        (timedelta(hours=4), "4h"),
        (timedelta(hours=26), "26h"),
        (timedelta(minutes=90), "90m"),
        (timedelta(minutes=10), "10m"),
        # The vendor counts in whole minutes: a part of one looks a bit further.
        (timedelta(seconds=30), "1m"),
    ],
)
async def test_guest_plans_started_since_relative(
    client: SmartWifiClient,
    mock_http: AiohttpClientMocker,
    since: timedelta,
    relative: str,
) -> None:
    mock_http.get(url(PLANS), json=[])
    await client.guest_plans(state="active", started_since=since)
    assert only_query(mock_http) == {
        "api_token": TOKEN,
        "state": "active",
        "started_since_relative": relative,
    }


@pytest.mark.parametrize(
    "zone", [UTC, timezone(timedelta(hours=2)), ZoneInfo("America/Chicago"), None]
)
async def test_guest_plans_started_since_timestamp_is_utc(
    client: SmartWifiClient, mock_http: AiohttpClientMocker, zone: Any
) -> None:
    moment_utc = (datetime.now(UTC) - timedelta(days=2)).replace(microsecond=0)
    moment = (
        moment_utc.replace(tzinfo=None) if zone is None else moment_utc.astimezone(zone)
    )
    mock_http.get(url(PLANS), json=[])
    await client.guest_plans(started_since=moment)
    assert only_query(mock_http) == {
        "api_token": TOKEN,
        "started_since_timestamp": moment_utc.strftime("%Y-%m-%d %H:%M:%S"),
    }


@pytest.mark.parametrize(
    "since",
    [
        timedelta(days=7, seconds=1),
        timedelta(days=8),
        timedelta(0),
        timedelta(hours=-1),
        datetime.now(UTC) - timedelta(days=8),
    ],
)
async def test_guest_plans_longer_look_back_is_refused_before_asking(
    client: SmartWifiClient, mock_http: AiohttpClientMocker, since: Any
) -> None:
    with pytest.raises(InvalidRequestError, match="at most 7 days"):
        await client.guest_plans(started_since=since)
    assert mock_http.mock_calls == []


async def test_guest_plans_naive_moment_too_old_is_refused(
    client: SmartWifiClient, mock_http: AiohttpClientMocker
) -> None:
    naive = (datetime.now(UTC) - timedelta(days=7, minutes=1)).replace(tzinfo=None)
    with pytest.raises(InvalidRequestError):
        await client.guest_plans(started_since=naive)
    assert mock_http.mock_calls == []


# --- connections ------------------------------------------------------------------


def connection_windows(
    mock_http: AiohttpClientMocker,
) -> list[tuple[datetime, datetime]]:
    """The from/to of every connections request, read back as UTC datetimes."""
    windows = []
    for method, request_url, params in sent(mock_http):
        assert method == "GET"
        assert request_url.path == "/v2/client/connections"
        assert params["api_token"] == TOKEN
        for key in ("from", "to"):
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", params[key])
        windows.append(
            (
                datetime.fromisoformat(params["from"]).replace(tzinfo=UTC),
                datetime.fromisoformat(params["to"]).replace(tzinfo=UTC),
            )
        )
    return windows


async def test_connections_are_normalised(
    client: SmartWifiClient, mock_http: AiohttpClientMocker
) -> None:
    mock_http.get(url(CONNECTIONS), text=fixture("connections.json"))
    closed, lost, open_ = await client.connections(
        datetime(2019, 12, 30, 12, 0, tzinfo=UTC), datetime(2019, 12, 31, tzinfo=UTC)
    )
    assert only_query(mock_http) == {
        "api_token": TOKEN,
        "from": "2019-12-30T12:00:00",
        "to": "2019-12-31T00:00:00",
    }
    assert closed == SmartWifiConnection(
        time=datetime(2019, 12, 30, 14, 14, 44, 493576, tzinfo=UTC),
        hotspot_name="Hotspot_1",
        mac="aa:bb:cc:dd:ee:ff",
        identity="AA-BB-CC-DD-EE-FF",
        guest_token="1g36ga13-b4fd-4jd3-9bdc-6eb6e7e34cad",
        email=None,
        phone=None,
        first_name=None,
        last_name=None,
        device="Apple",
        user_agent=closed.user_agent,
        downloaded=1641142,
        uploaded=481731,
        online_time=timedelta(minutes=5, seconds=14),
        termination_reason="Idle Timeout",
    )
    assert closed.user_agent is not None
    assert closed.user_agent.startswith("Mozilla/5.0 (Linux; Android 11")
    assert closed.is_open is False
    assert lost.is_open is False
    assert lost.termination_reason == "Lost Service"
    assert lost.mac == "ff:ee:dd:cc:bb:aa"
    assert lost.email == "user@email"
    assert lost.online_time == timedelta(minutes=50, seconds=28)
    assert type(lost.downloaded) is int
    assert type(lost.uploaded) is int
    # No reason for termination: the guest is still connected.
    assert open_.is_open is True
    assert open_.termination_reason is None
    assert open_.online_time == timedelta(hours=26, minutes=1, seconds=9)
    assert open_.phone == "+15125550123"  # "phone" is null: "mobile" is used
    assert (open_.first_name, open_.last_name) == ("Ann", "Example")


async def test_a_long_answer_lets_the_event_loop_in_as_it_is_read(
    client: SmartWifiClient,
    mock_http: AiohttpClientMocker,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The worker reading 1,000 records hands the loop a turn every 100.

    Read without a pause, a long answer made each step of the event loop
    wait for the interpreter lock (benchmarks/history.py).
    """
    first = json.loads(fixture("connections.json"))[0]
    records = [
        {**first, "macaddress": f"AA-BB-CC-DD-{i // 256:02X}-{i % 256:02X}"}
        for i in range(1000)
    ]
    mock_http.get(url(CONNECTIONS), text=json.dumps(records))
    turns = []
    monkeypatch.setattr(_json, "let_the_loop_in", lambda: turns.append(1))

    read = await client.connections(date(2019, 12, 30), date(2019, 12, 31))

    assert len(read) == 1000
    # Each piece of the answer in runs of 100 records, a turn before each.
    assert 1000 // 100 <= len(turns) < 1000 // 50


async def test_connections_byte_counts_written_as_strings(
    client: SmartWifiClient, mock_http: AiohttpClientMocker
) -> None:
    mock_http.get(url(CONNECTIONS), text=fixture("connections_next_window.json"))
    _, second = await client.connections(date(2020, 1, 20), date(2020, 1, 21))
    assert (second.downloaded, second.uploaded) == (4096, 2048)
    assert second.phone == "+15125550199"
    assert second.mac == "0a:1b:2c:3d:4e:5f"


async def test_connections_dates_and_other_zones_are_sent_in_utc(
    client: SmartWifiClient, mock_http: AiohttpClientMocker
) -> None:
    mock_http.get(url(CONNECTIONS), json=[])
    await client.connections(date(2024, 5, 1), date(2024, 5, 31))
    rome = ZoneInfo("Europe/Rome")
    await client.connections(
        datetime(2024, 5, 1, 2, 30, tzinfo=rome),
        datetime(2024, 5, 1, 14, 0, 5, 999999, tzinfo=timezone(timedelta(hours=-7))),
    )
    queries = [
        {k: v for k, v in params.items() if k != "api_token"}
        for _, _, params in sent(mock_http)
    ]
    assert queries == [
        {"from": "2024-05-01T00:00:00", "to": "2024-05-31T00:00:00"},
        {"from": "2024-05-01T00:30:00", "to": "2024-05-01T21:00:05"},
    ]


async def test_connections_date_with_naive_time(
    client: SmartWifiClient, mock_http: AiohttpClientMocker
) -> None:
    # A naive time is UTC; it mixes with a date without a TypeError.
    mock_http.get(url(CONNECTIONS), json=[])
    await client.connections(date(2024, 5, 1), datetime(2024, 5, 2, 12, 0))
    assert only_query(mock_http) == {
        "api_token": TOKEN,
        "from": "2024-05-01T00:00:00",
        "to": "2024-05-02T12:00:00",
    }


async def test_connections_hotspot_param(
    client: SmartWifiClient, mock_http: AiohttpClientMocker
) -> None:
    mock_http.get(url(CONNECTIONS), json=[])
    end = datetime(2024, 5, 2, 12, tzinfo=UTC)
    assert (
        await client.connections(end - timedelta(hours=12), end, hotspot_id="12261")
        == []
    )
    assert only_query(mock_http) == {
        "api_token": TOKEN,
        "from": "2024-05-02T00:00:00",
        "to": "2024-05-02T12:00:00",
        "hotspotid": "12261",
    }


async def test_connections_long_range_is_split_and_merged(
    client: SmartWifiClient, mock_http: AiohttpClientMocker
) -> None:
    start = datetime(2019, 12, 1, 6, 0, tzinfo=UTC)
    end = start + timedelta(days=75)
    # Answers in request order; the second window repeats the open record.
    mock_http.get(
        url(CONNECTIONS),
        side_effect=in_turn(
            {"text": fixture("connections.json")},
            {"text": fixture("connections_next_window.json")},
            {"json": []},
        ),
    )
    merged = await client.connections(start, end)

    windows = connection_windows(mock_http)
    assert len(windows) == 3
    assert windows[0][0] == start
    assert windows[-1][1] == end
    for (_, to), (next_from, _) in itertools.pairwise(windows):
        assert to == next_from  # `to` is exclusive: no gap and no overlap
    assert all(timedelta(0) < b - a <= timedelta(days=30) for a, b in windows)

    assert len(merged) == 4
    assert len(set(merged)) == 4
    assert [c.guest_token for c in merged] == [
        "1g36ga13-b4fd-4jd3-9bdc-6eb6e7e34cad",
        "2g36ga13-c4fd-4jd3-4bdc-6ec6e7e34cad",
        "3g36ga13-d4fd-4jd3-5bdc-6ed6e7e34cad",
        "4g36ga13-e4fd-4jd3-6bdc-6ee6e7e34cad",
    ]
    assert [c.is_open for c in merged] == [False, False, True, False]


async def test_connections_split_in_real_days_across_dst(
    client: SmartWifiClient, mock_http: AiohttpClientMocker
) -> None:
    # Europe/Rome leaves summer time on 27 October 2024: 30 days of wall
    # clock from 15 October are 30 days and one hour of real time.
    rome = ZoneInfo("Europe/Rome")
    mock_http.get(url(CONNECTIONS), json=[])
    await client.connections(
        datetime(2024, 10, 15, tzinfo=rome), datetime(2024, 12, 1, tzinfo=rome)
    )
    windows = connection_windows(mock_http)
    assert len(windows) == 2
    assert all(b - a <= timedelta(days=30) for a, b in windows)
    assert windows[0][0] == datetime(2024, 10, 14, 22, tzinfo=UTC)
    assert windows[-1][1] == datetime(2024, 11, 30, 23, tzinfo=UTC)


async def test_connections_exactly_thirty_days_is_one_call(
    client: SmartWifiClient, mock_http: AiohttpClientMocker
) -> None:
    mock_http.get(url(CONNECTIONS), json=[])
    await client.connections(date(2024, 5, 1), date(2024, 5, 31))
    assert len(sent(mock_http)) == 1


async def test_connections_end_before_start_is_refused(
    client: SmartWifiClient, mock_http: AiohttpClientMocker
) -> None:
    with pytest.raises(InvalidRequestError):
        await client.connections(date(2024, 5, 2), date(2024, 5, 1))
    assert mock_http.mock_calls == []


async def test_connections_bad_online_time_is_invalid(
    client: SmartWifiClient, mock_http: AiohttpClientMocker
) -> None:
    record = json.loads(fixture("connections.json"))[0]
    record["online_time"] = "five minutes"
    mock_http.get(url(CONNECTIONS), json=[record])
    with pytest.raises(InvalidResponseError, match="HH:MM:SS"):
        await client.connections(date(2024, 5, 1), date(2024, 5, 2))


def test_moment_of_a_date() -> None:
    assert smartwifi._moment(date(2024, 5, 1)) == "2024-05-01"
    assert smartwifi._moment(datetime(2024, 5, 1, 8, 9, 10)) == "2024-05-01T08:09:10"


def test_birthdate_forms() -> None:
    assert smartwifi._birthdate("1985-07-19") == date(1985, 7, 19)
    assert smartwifi._birthdate("1985-07-19T00:00:00Z") == date(1985, 7, 19)
    assert smartwifi._birthdate("yyyy-mm-dd") is None
    assert smartwifi._birthdate("") is None
    assert smartwifi._birthdate(None) is None


# --- errors -----------------------------------------------------------------------

Call = Callable[[SmartWifiClient], Awaitable[Any]]
CALLS: dict[str, Call] = {
    "ping": lambda c: c.ping(),
    "hotspots": lambda c: c.hotspots(),
    "guests": lambda c: c.guests(),
    "guest": lambda c: c.guest("t"),
    "guest_plans": lambda c: c.guest_plans(),
    "connections": lambda c: c.connections(date(2024, 5, 1), date(2024, 5, 2)),
}
PATHS = {
    "ping": PING,
    "hotspots": HOTSPOTS,
    "guests": GUESTS,
    "guest": GUEST,
    "guest_plans": PLANS,
    "connections": CONNECTIONS,
}


@pytest.mark.parametrize("call", list(CALLS))
@pytest.mark.parametrize(
    ("status", "error"),
    [
        (401, AuthenticationError),
        (403, AuthenticationError),
        (404, NotFoundError),
        (500, CannotConnectError),
        (502, CannotConnectError),
        (503, CannotConnectError),
        (400, VendorError),
    ],
)
async def test_http_errors_on_every_call(
    client: SmartWifiClient,
    mock_http: AiohttpClientMocker,
    call: str,
    status: int,
    error: type[GuestWifiError],
) -> None:
    mock_http.get(url(PATHS[call]), status=status, text=fixture("error_page.html"))
    with pytest.raises(error) as caught:
        await CALLS[call](client)
    assert f"/{PATHS[call]}" in str(caught.value)
    assert "<html>" not in str(caught.value)


async def test_vendor_error_carries_its_message(
    client: SmartWifiClient, mock_http: AiohttpClientMocker
) -> None:
    mock_http.get(url(GUESTS), status=400, json={"message": "Invalid parameter"})
    with pytest.raises(VendorError) as caught:
        await client.guests()
    assert caught.value.code == "400"
    assert caught.value.vendor_message == "Invalid parameter"


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "120"}, 120.0),
        ({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),
        ({}, None),
    ],
)
async def test_rate_limited(
    client: SmartWifiClient,
    mock_http: AiohttpClientMocker,
    headers: dict[str, str],
    expected: float | None,
) -> None:
    mock_http.get(url(HOTSPOTS), status=429, headers=headers)
    with pytest.raises(RateLimitedError) as caught:
        await client.hotspots()
    assert caught.value.retry_after == expected


async def test_rate_limited_until_a_future_http_date(
    client: SmartWifiClient, mock_http: AiohttpClientMocker
) -> None:
    when = datetime.now(UTC) + timedelta(minutes=10)
    mock_http.get(
        url(HOTSPOTS),
        status=429,
        headers={"Retry-After": format_datetime(when, usegmt=True)},
    )
    with pytest.raises(RateLimitedError) as caught:
        await client.hotspots()
    assert caught.value.retry_after is not None
    assert 590 < caught.value.retry_after <= 600


@pytest.mark.parametrize(
    "exception",
    [
        TimeoutError(),
        aiohttp.ClientConnectionError("Connection reset by peer"),
        aiohttp.ClientOSError(104, "Connection reset by peer"),
        aiohttp.ServerDisconnectedError(),
    ],
    ids=["timeout", "connection", "os-error", "disconnected"],
)
async def test_cannot_connect(
    client: SmartWifiClient, mock_http: AiohttpClientMocker, exception: Exception
) -> None:
    mock_http.get(url(HOTSPOTS), exc=exception)
    with pytest.raises(CannotConnectError, match="/v2/zapier/client/dropdown/hotspots"):
        await client.hotspots()


@pytest.mark.parametrize("call", list(CALLS))
@pytest.mark.parametrize(
    "body",
    ["error_page.html", "truncated.json"],
)
async def test_unreadable_bodies_are_invalid(
    client: SmartWifiClient, mock_http: AiohttpClientMocker, call: str, body: str
) -> None:
    mock_http.get(
        url(PATHS[call]),
        text=fixture(body),
        headers={
            "Content-Type": "text/html"
            if body.endswith(".html")
            else "application/json"
        },
    )
    with pytest.raises(InvalidResponseError, match="Malformed JSON"):
        await CALLS[call](client)


@pytest.mark.parametrize("call", ["hotspots", "guests", "guest_plans", "connections"])
@pytest.mark.parametrize(
    "payload",
    [{"data": []}, {"message": "success"}, ["12261"], None],
)
async def test_wrong_shape_is_invalid(
    client: SmartWifiClient, mock_http: AiohttpClientMocker, call: str, payload: Any
) -> None:
    mock_http.get(url(PATHS[call]), text=json.dumps(payload))
    with pytest.raises(InvalidResponseError, match="Expected a list of records"):
        await CALLS[call](client)


# --- secrecy ----------------------------------------------------------------------


ECHO = f"Invalid api_token {TOKEN} for https://api.smartwifiplatform.com/v2?api_token={TOKEN}"


def _register(mock_http: AiohttpClientMocker, scenario: str) -> None:
    pattern = url(HOTSPOTS)
    match scenario:
        case "400-json-echo":
            mock_http.get(pattern, status=400, json={"message": ECHO})
        case "400-long-echo":
            mock_http.get(pattern, status=400, json={"message": "x" * 170 + ECHO})
        case "400-text-echo":
            mock_http.get(pattern, status=400, text="y" * 172 + ECHO)
        case "401-echo" | "403-echo" | "404-echo" | "429-echo" | "500-echo":
            mock_http.get(
                pattern,
                status=int(scenario[:3]),
                json={"error": ECHO, "detail": ECHO},
            )
        case "302-to-login":
            mock_http.get(
                pattern,
                status=302,
                headers={"Location": f"https://x.example/login?api_token={TOKEN}"},
            )
        case "200-html-echo":
            mock_http.get(pattern, text=f"<html><p>{ECHO}</p></html>")
        case "200-truncated-echo":
            mock_http.get(pattern, text=f'[{{"id": 1, "name": "{ECHO}')
        case "200-invalid-utf8-echo":
            mock_http.get(pattern, content=f'[{{"name": "{ECHO}'.encode() + b'\xff"}]')
        case "200-object-echo":
            mock_http.get(pattern, json={"message": ECHO})
        case "timeout":
            mock_http.get(pattern, exc=TimeoutError(ECHO))
        case "client-error":
            mock_http.get(pattern, exc=aiohttp.ClientConnectionError(ECHO))
        case "refused-naming-the-url":
            # What aioresponses raised for a request nobody answered: an
            # aiohttp error whose text is the full URL, token included.
            mock_http.get(
                pattern,
                exc=aiohttp.ClientConnectionError(
                    "Connection refused: GET https://api.smartwifiplatform.com"
                    f"/v2/zapier/client/dropdown/hotspots?api_token={TOKEN}"
                ),
            )
        case _:  # pragma: no cover
            raise AssertionError(scenario)


SCENARIOS = [
    "400-json-echo",
    "400-long-echo",
    "400-text-echo",
    "401-echo",
    "403-echo",
    "404-echo",
    "429-echo",
    "500-echo",
    "302-to-login",
    "200-html-echo",
    "200-truncated-echo",
    "200-invalid-utf8-echo",
    "200-object-echo",
    "timeout",
    "client-error",
    "refused-naming-the-url",
]


@pytest.mark.parametrize("scenario", SCENARIOS)
async def test_no_error_shows_the_api_token(
    client: SmartWifiClient,
    mock_http: AiohttpClientMocker,
    caplog: pytest.LogCaptureFixture,
    scenario: str,
) -> None:
    _register(mock_http, scenario)
    with pytest.raises(GuestWifiError) as caught:
        await client.hotspots()
    assert_secret_kept(caught.value, TOKEN)
    assert TOKEN not in caplog.text
    # The request did carry the token: the test would be empty otherwise.
    [(_, _, params)] = sent(mock_http)
    assert params["api_token"] == TOKEN


async def test_echoed_token_is_redacted_not_dropped(
    client: SmartWifiClient, mock_http: AiohttpClientMocker
) -> None:
    _register(mock_http, "400-json-echo")
    with pytest.raises(VendorError) as caught:
        await client.hotspots()
    assert caught.value.vendor_message == (
        "Invalid api_token **REDACTED** for "
        "https://api.smartwifiplatform.com/v2?api_token=**REDACTED**"
    )


async def test_ping_failure_echoing_the_token_is_scrubbed(
    client: SmartWifiClient, mock_http: AiohttpClientMocker
) -> None:
    mock_http.get(url(PING), json={"message": f"token {TOKEN} unknown"})
    with pytest.raises(VendorError) as caught:
        await client.ping()
    assert_secret_kept(caught.value, TOKEN)
    assert caught.value.vendor_message == "token **REDACTED** unknown"


# --- hostile answers ----------------------------------------------------------------


def _rows(fixture_name: str = "connections.json") -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(fixture(fixture_name))
    return rows


async def _connections(
    client: SmartWifiClient, mock_http: AiohttpClientMocker, rows: Any
) -> list[SmartWifiConnection]:
    mock_http.get(url(CONNECTIONS), json=rows)
    return await client.connections(date(2019, 12, 30), date(2019, 12, 31))


async def test_connections_one_session_listed_three_times_is_one(
    client: SmartWifiClient, mock_http: AiohttpClientMocker
) -> None:
    closed, lost, open_ = _rows()
    found = await _connections(client, mock_http, [open_, closed, open_, lost, open_])
    assert [r.guest_token for r in found] == [
        open_["guesttoken"],
        closed["guesttoken"],
        lost["guesttoken"],
    ]
    assert sum(r.is_open for r in found) == 1


async def test_connections_repeated_session_keeps_its_latest_state(
    client: SmartWifiClient, mock_http: AiohttpClientMocker
) -> None:
    *_, open_ = _rows()
    later = {**open_, "downloaded": open_["downloaded"] + 10}
    ended = {**later, "reason_for_termination": "User Request"}
    [row] = await _connections(client, mock_http, [open_, ended, later])
    assert row.termination_reason == "User Request"
    assert row.downloaded == open_["downloaded"] + 10


async def test_connections_same_device_other_start_or_hotspot_are_two(
    client: SmartWifiClient, mock_http: AiohttpClientMocker
) -> None:
    *_, open_ = _rows()
    again = {**open_, "date": "2019-12-30T23:00:00+00:00"}
    elsewhere = {**open_, "hotspotname": "Other"}
    assert len(await _connections(client, mock_http, [open_, again, elsewhere])) == 3


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("downloaded", "1e1000000"),
        ("downloaded", "1e400"),
        ("downloaded", "9" * 5000),
        ("downloaded", -1),
        ("uploaded", 2**53),
        ("online_time", "99999999999:00:00"),
        ("date", "9999-12-31T23:59:59-23:59"),
        ("macaddress", {"nested": ["x"]}),
    ],
)
async def test_connections_absurd_values_refuse_the_answer(
    client: SmartWifiClient, mock_http: AiohttpClientMocker, field: str, value: Any
) -> None:
    rows = _rows()
    rows[1][field] = value
    with pytest.raises(InvalidResponseError) as caught:
        await _connections(client, mock_http, rows)
    assert len(str(caught.value)) < 200


async def test_connections_json_number_too_large_for_a_float(
    client: SmartWifiClient, mock_http: AiohttpClientMocker
) -> None:
    body = fixture("connections.json").replace("1641142", "1e400", 1)
    mock_http.get(url(CONNECTIONS), text=body)
    with pytest.raises(InvalidResponseError, match="Expected a number"):
        await client.connections(date(2019, 12, 30), date(2019, 12, 31))


async def test_connections_nested_too_deep(
    client: SmartWifiClient, mock_http: AiohttpClientMocker
) -> None:
    mock_http.get(url(CONNECTIONS), text="[" * 100_000 + "]" * 100_000)
    with pytest.raises(InvalidResponseError) as caught:
        await client.connections(date(2019, 12, 30), date(2019, 12, 31))
    assert type(caught.value) is InvalidResponseError


async def test_hotspot_id_longer_than_any_key_is_refused(
    client: SmartWifiClient, mock_http: AiohttpClientMocker
) -> None:
    mock_http.get(url(HOTSPOTS), json=[{"id": "h" * 1_000_000, "name": "Lobby"}])
    with pytest.raises(InvalidResponseError) as caught:
        await client.hotspots()
    assert str(caught.value) == "A SmartWiFi hotspot id is longer than 255 characters"


async def test_hotspot_name_too_long_is_cut(
    client: SmartWifiClient, mock_http: AiohttpClientMocker
) -> None:
    mock_http.get(url(HOTSPOTS), json=[{"id": 7, "name": "n" * 100_000}])
    [hotspot] = await client.hotspots()
    assert hotspot.id == "7"
    assert len(hotspot.name) == smartwifi.MAX_ID_LENGTH
    assert hotspot.name.startswith("nnn")


async def test_ping_huge_message_is_scrubbed_and_bounded(
    client: SmartWifiClient, mock_http: AiohttpClientMocker
) -> None:
    message = f"token {TOKEN} " + "x" * 900_000  # under the 1 MiB cap
    mock_http.get(url(PING), json={"message": message})
    with pytest.raises(VendorError) as caught:
        await client.ping()
    assert caught.value.vendor_message.startswith("token **REDACTED** xxx")
    assert len(str(caught.value)) <= 300
    assert_secret_kept(caught.value, TOKEN)


@pytest.mark.parametrize(
    ("call", "cap"),
    [
        (lambda c: c.hotspots(), smartwifi.MAX_SMALL_BYTES),
        (lambda c: c.ping(), smartwifi.MAX_SMALL_BYTES),
        (lambda c: c.guest_plans(), smartwifi.MAX_LIST_BYTES),
        (lambda c: c.guests(), smartwifi.MAX_GUESTS_BYTES),
    ],
    ids=["hotspots", "ping", "plans", "guests"],
)
async def test_answers_past_their_cap_are_refused(
    client: SmartWifiClient,
    mock_http: AiohttpClientMocker,
    call: Callable[[SmartWifiClient], Awaitable[Any]],
    cap: int,
) -> None:
    mock_http.get(re.compile(r".*"), content=b"[" + b" " * cap + b"]")
    with pytest.raises(ResponseTooLargeError):
        await call(client)


@pytest.mark.parametrize(
    "spell",
    [
        lambda t: quote(t, safe=""),
        lambda t: quote(t, safe="").lower(),
        quote_plus,
    ],
    ids=["quote", "quote-lower", "quote-plus"],
)
async def test_token_echoed_percent_encoded_is_scrubbed(
    session: aiohttp.ClientSession,
    mock_http: AiohttpClientMocker,
    spell: Callable[[str], str],
) -> None:
    token = "tok/en+with spaces&=é"
    client = SmartWifiClient(session, token)
    echo = f"bad api_token={spell(token)}"
    assert token not in echo
    mock_http.get(url(HOTSPOTS), status=400, json={"message": echo})
    with pytest.raises(VendorError) as caught:
        await client.hotspots()
    assert caught.value.vendor_message == "bad api_token=**REDACTED**"
    assert spell(token) not in str(caught.value)
