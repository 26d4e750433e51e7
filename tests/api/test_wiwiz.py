"""Tests for the Wiwiz Query API client (XML over HTTP, faked by the mocker)."""

from __future__ import annotations

from base64 import b64encode
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from itertools import pairwise
import logging
import re
import threading
import traceback
from typing import Any, NamedTuple
from urllib.parse import quote, quote_plus
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from syrupy.assertion import SnapshotAssertion
from yarl import URL

from custom_components.guest_wifi.api import _xml as xml_reader, wiwiz
from custom_components.guest_wifi.api._http import REDACTED
from custom_components.guest_wifi.api.errors import (
    AuthenticationError,
    CannotConnectError,
    GuestWifiError,
    InvalidDateError,
    InvalidHotspotError,
    InvalidKeyError,
    InvalidRequestError,
    InvalidResponseError,
    NotFoundError,
    ProfessionalRequiredError,
    RateLimitedError,
    ResponseTooLargeError,
    VendorError,
)
from custom_components.guest_wifi.api.wiwiz import (
    AdEventType,
    WiwizAdEvent,
    WiwizClient,
    WiwizConnection,
    WiwizMobileNumber,
    WiwizWanIp,
)
from tests.api.conftest import in_turn, load_fixture

KEY = "SECRET-KEY-123"
HOTSPOT = "HS-8F3A21"
TOKEN = "9a8b7c6d5e4f"
ROME = ZoneInfo("Europe/Rome")
CET = timedelta(hours=1)
CEST = timedelta(hours=2)
API_PATH = "/as/qapi/"
DAY_START = datetime(2024, 5, 14, tzinfo=ROME)


def _url(interface: str = r"\w+") -> re.Pattern[str]:
    """Any query of one Wiwiz interface (or of any)."""
    return re.compile(rf"^http://cp\.wiwiz\.com/as/qapi/{interface}/\?.*")


def _xml(name: str) -> str:
    return load_fixture("wiwiz", name)


XML = {"Content-Type": "text/xml"}


def _reply(mock_http: AiohttpClientMocker, interface: str, fixture: str) -> None:
    mock_http.get(_url(interface), text=_xml(fixture), headers=XML)


def _replies(mock_http: AiohttpClientMocker, interface: str, *fixtures: str) -> None:
    """Answer successive queries of one interface with successive fixtures."""
    mock_http.get(
        _url(interface),
        side_effect=in_turn(*({"text": _xml(f), "headers": XML} for f in fixtures)),
    )


def _reply_body(mock_http: AiohttpClientMocker, interface: str, body: str) -> None:
    mock_http.get(_url(interface), text=body, headers=XML)


class Sent(NamedTuple):
    """One request: where it went and the query parameters it carried."""

    url: URL
    query: dict[str, str]


def _sent(mock_http: AiohttpClientMocker) -> list[Sent]:
    """The requests made, in order (every one a GET), each parameter once."""
    sent: list[Sent] = []
    for method, url, _, _ in mock_http.mock_calls:
        assert method == "GET"
        query = dict(url.query)
        assert len(query) == len(url.query)  # no parameter went out twice
        sent.append(Sent(url, query))
    return sent


def _only_query(mock_http: AiohttpClientMocker, interface: str) -> dict[str, str]:
    """The whole query of the single request made, checking where it went."""
    [(url, query)] = _sent(mock_http)
    assert url.scheme == "http"
    assert url.host == "cp.wiwiz.com"
    assert url.path == f"{API_PATH}{interface}/"
    return query


def _wall_pieces(sent: list[Sent]) -> list[tuple[str, str]]:
    return [(req.query["date_from"], req.query["date_to"]) for req in sent]


def _assert_time_pieces(pieces: list[tuple[str, str]], first: str, last: str) -> None:
    """Pieces are contiguous, none longer than 30 days on the wall clock."""
    assert all(
        re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", value)
        for piece in pieces
        for value in piece
    )
    parsed = [(datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in pieces]
    for piece_from, piece_to in parsed:
        assert timedelta(0) <= piece_to - piece_from <= timedelta(days=30)
    for (_, previous_to), (next_from, _) in pairwise(parsed):
        assert next_from == previous_to
    assert pieces[0][0] == first
    assert pieces[-1][1] == last


def _connection(**changes: Any) -> WiwizConnection:
    """The first record of conn_many.xml / conn_one.xml, normalised."""
    values: dict[str, Any] = {
        "mac": "aa:bb:cc:dd:ee:ff",
        "ip": "192.168.10.21",
        "start_time": datetime(2024, 5, 14, 9, 12, 33, tzinfo=ROME),
        "end_time": None,
        "downloaded": 10485760,
        "uploaded": 2097152,
        "username": "guest01",
        "user_type": 1,
        "voucher": "V7Q2K9",
        "mobile": None,
        "track_data": "room=12",
        "tokencode": "4f1c2a9e7b3d",
    }
    values.update(changes)
    return WiwizConnection(**values)


@pytest.fixture
def client(session: aiohttp.ClientSession) -> WiwizClient:
    """A client for an account whose wall clock is Rome's."""
    return WiwizClient(session, KEY, time_zone=ROME)


# Every public method, with the interface it must call.
CALLS: dict[str, Callable[[WiwizClient], Awaitable[Any]]] = {
    "conn": lambda c: c.current_connections(HOTSPOT),
    "conninfo": lambda c: c.connection(TOKEN),
    "connlog": lambda c: c.connection_log(
        HOTSPOT, DAY_START, DAY_START + timedelta(days=1)
    ),
    "mobile": lambda c: c.mobile_numbers(HOTSPOT, date(2024, 5, 1), date(2024, 5, 14)),
    "hotspotip": lambda c: c.wan_ip(HOTSPOT),
    "webadlog": lambda c: c.ad_events(
        HOTSPOT, DAY_START, DAY_START + timedelta(days=1)
    ),
}
RECORD_CALLS = ["conn", "connlog", "mobile", "webadlog"]


# --- current connections (conn) ---------------------------------------------


async def test_current_connections_many(
    client: WiwizClient, mock_http: AiohttpClientMocker, snapshot: SnapshotAssertion
) -> None:
    _reply(mock_http, "conn", "conn_many.xml")

    conns = await client.current_connections(HOTSPOT)

    assert conns == snapshot
    # The snapshot holds the values; the records are typed.
    assert {type(record) for record in conns} == {WiwizConnection}
    # Aware, in the account's zone (summer time), not merely equal instants.
    for conn in conns:
        assert conn.start_time is not None
        assert conn.start_time.tzinfo is ROME
        assert conn.start_time.utcoffset() == CEST
        assert type(conn.downloaded) is int
        assert type(conn.uploaded) is int
    assert conns[1].end_time is not None
    assert conns[1].end_time.tzinfo is ROME
    assert _only_query(mock_http, "conn") == {"userkey": KEY, "hotspotid": HOTSPOT}


async def test_current_connections_one_record_is_a_list(
    client: WiwizClient, mock_http: AiohttpClientMocker
) -> None:
    _reply(mock_http, "conn", "conn_one.xml")

    assert await client.current_connections(HOTSPOT) == [_connection()]


@pytest.mark.parametrize("data", ["<data></data>", "<data/>", "<data>\n  </data>", ""])
async def test_current_connections_empty(
    client: WiwizClient, mock_http: AiohttpClientMocker, data: str
) -> None:
    body = _xml("conn_empty.xml").replace("<data></data>", data)
    _reply_body(mock_http, "conn", body)

    assert await client.current_connections(HOTSPOT) == []
    assert len(_sent(mock_http)) == 1


async def test_default_time_zone_is_utc(
    session: aiohttp.ClientSession, mock_http: AiohttpClientMocker
) -> None:
    _reply(mock_http, "conn", "conn_one.xml")

    [conn] = await WiwizClient(session, KEY).current_connections(HOTSPOT)

    assert conn.start_time == datetime(2024, 5, 14, 9, 12, 33, tzinfo=UTC)
    assert conn.start_time.utcoffset() == timedelta(0)


async def test_custom_base_url(
    session: aiohttp.ClientSession, mock_http: AiohttpClientMocker
) -> None:
    mock_http.get(
        re.compile(r"^https://wiwiz\.example\.test/qapi/conn/\?.*"),
        text=_xml("conn_one.xml"),
    )
    wiwiz_client = WiwizClient(
        session, KEY, base_url="https://wiwiz.example.test/qapi", time_zone=ROME
    )

    assert await wiwiz_client.current_connections(HOTSPOT) == [_connection()]
    [(url, _)] = _sent(mock_http)
    assert url.host == "wiwiz.example.test"
    assert url.path == "/qapi/conn/"


# --- one connection (conninfo) -----------------------------------------------


async def test_connection(client: WiwizClient, mock_http: AiohttpClientMocker) -> None:
    _reply(mock_http, "conninfo", "conninfo_one.xml")

    conn = await client.connection(TOKEN)

    assert conn == WiwizConnection(
        mac="aa:bb:cc:00:11:22",
        ip="192.168.10.37",
        start_time=datetime(2024, 1, 20, 18, 30, tzinfo=ROME),
        end_time=datetime(2024, 1, 20, 19, 30, tzinfo=ROME),
        downloaded=73400320,
        uploaded=4194304,
        username="anna",
        user_type=1,
        voucher="HX83PL",
        mobile="+393331112222",
        track_data="campaign=winter",
        tokencode=TOKEN,
    )
    assert conn.start_time is not None
    assert conn.start_time.utcoffset() == CET  # winter time
    assert _only_query(mock_http, "conninfo") == {"userkey": KEY, "t": TOKEN}


@pytest.mark.parametrize("data", ["<data></data>", "<data/>"])
async def test_connection_not_found(
    client: WiwizClient, mock_http: AiohttpClientMocker, data: str
) -> None:
    body = _xml("conninfo_empty.xml").replace("<data></data>", data)
    _reply_body(mock_http, "conninfo", body)

    with pytest.raises(NotFoundError) as exc_info:
        await client.connection(TOKEN)

    assert exc_info.value.code == "not_found"
    assert isinstance(exc_info.value, VendorError)


# --- connection log (connlog) --------------------------------------------------


async def test_connection_log(
    client: WiwizClient, mock_http: AiohttpClientMocker, snapshot: SnapshotAssertion
) -> None:
    _reply(mock_http, "connlog", "connlog.xml")
    start = datetime(2024, 3, 30, tzinfo=ROME)

    log = await client.connection_log(HOTSPOT, start, start + timedelta(days=4))

    assert log == snapshot
    # The snapshot holds the values; the records are typed.
    assert {type(record) for record in log} == {WiwizConnection}
    # The session spans the spring DST change: each end keeps its own offset.
    assert log[0].start_time is not None
    assert log[0].end_time is not None
    assert log[0].start_time.utcoffset() == CET
    assert log[0].end_time.utcoffset() == CEST
    elapsed = log[0].end_time.astimezone(UTC) - log[0].start_time.astimezone(UTC)
    assert elapsed == timedelta(hours=4)  # 5 hours on the wall clock
    assert _only_query(mock_http, "connlog") == {
        "userkey": KEY,
        "hotspotid": HOTSPOT,
        "date_from": "2024-03-30 00:00:00",
        "date_to": "2024-04-03 00:00:00",
    }


async def test_a_long_log_lets_the_event_loop_in_as_it_is_read(
    client: WiwizClient,
    mock_http: AiohttpClientMocker,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The worker reading a log hands the loop a turn between pieces of it.

    Read without a pause, a long answer made each step of the event loop
    wait for the interpreter lock (benchmarks/history.py).
    """
    head, rest = _xml("connlog.xml").split("<record>", 1)
    record = rest.split("</record>", 1)[0]
    records = "".join(
        "<record>"
        + record.replace(
            "AA-BB-CC-DD-EE-FF", f"AA-BB-CC-DD-{i // 256:02X}-{i % 256:02X}"
        )
        + "</record>"
        for i in range(1000)
    )
    body = head + records + "</data></result>"
    mock_http.get(_url("connlog"), text=body, headers=XML)
    turns = []
    monkeypatch.setattr(xml_reader, "let_the_loop_in", lambda: turns.append(1))
    start = datetime(2024, 3, 30, tzinfo=ROME)

    log = await client.connection_log(HOTSPOT, start, start + timedelta(days=4))

    assert len(log) == 1000
    pieces = -(-len(body.encode()) // xml_reader.PIECE)
    assert pieces > 10
    assert len(turns) == pieces - 1


async def test_connection_log_one_record_is_a_list(
    client: WiwizClient, mock_http: AiohttpClientMocker, snapshot: SnapshotAssertion
) -> None:
    _reply(mock_http, "connlog", "connlog_one.xml")
    start = datetime(2024, 2, 1, tzinfo=ROME)

    log = await client.connection_log(HOTSPOT, start, start + timedelta(days=1))

    assert log == snapshot
    # The snapshot holds the values; the records are typed.
    assert {type(record) for record in log} == {WiwizConnection}


async def test_connection_log_empty(
    client: WiwizClient, mock_http: AiohttpClientMocker
) -> None:
    _reply(mock_http, "connlog", "conn_empty.xml")

    assert (
        await client.connection_log(HOTSPOT, DAY_START, DAY_START + timedelta(hours=12))
        == []
    )
    assert _only_query(mock_http, "connlog")["date_to"] == "2024-05-14 12:00:00"


@pytest.mark.parametrize(
    ("start", "end", "date_from", "date_to"),
    [
        pytest.param(
            datetime(2024, 1, 1, tzinfo=UTC),
            datetime(2024, 1, 1, 23, 30, tzinfo=UTC),
            "2024-01-01 01:00:00",
            "2024-01-02 00:30:00",
            id="utc-to-winter-time",
        ),
        pytest.param(
            datetime(2024, 7, 1, 6, tzinfo=ZoneInfo("America/New_York")),
            datetime(2024, 7, 1, 7, tzinfo=ZoneInfo("America/New_York")),
            "2024-07-01 12:00:00",
            "2024-07-01 13:00:00",
            id="other-zone-to-summer-time",
        ),
        pytest.param(
            datetime(2024, 1, 1, 8, 0),
            datetime(2024, 1, 1, 9, 15, 30),
            "2024-01-01 08:00:00",
            "2024-01-01 09:15:30",
            id="naive-is-wall-clock",
        ),
    ],
)
async def test_connection_log_dates_in_account_zone(
    client: WiwizClient,
    mock_http: AiohttpClientMocker,
    start: datetime,
    end: datetime,
    date_from: str,
    date_to: str,
) -> None:
    _reply(mock_http, "connlog", "conn_empty.xml")

    await client.connection_log(HOTSPOT, start, end)

    query = _only_query(mock_http, "connlog")
    assert (query["date_from"], query["date_to"]) == (date_from, date_to)


async def test_connection_log_75_days_is_split_and_merged(
    client: WiwizClient, mock_http: AiohttpClientMocker
) -> None:
    _replies(mock_http, "connlog", *(f"connlog_range_{part}.xml" for part in (1, 2, 3)))
    start = datetime(2024, 1, 1, tzinfo=ROME)

    log = await client.connection_log(HOTSPOT, start, start + timedelta(days=75))

    sent = _sent(mock_http)
    assert [req.url.path for req in sent] == [f"{API_PATH}connlog/"] * 3
    assert all(req.query["hotspotid"] == HOTSPOT for req in sent)
    assert all(req.query["userkey"] == KEY for req in sent)
    pieces = _wall_pieces(sent)
    assert pieces == [
        ("2024-01-01 00:00:00", "2024-01-31 00:00:00"),
        ("2024-01-31 00:00:00", "2024-03-01 00:00:00"),
        ("2024-03-01 00:00:00", "2024-03-16 00:00:00"),
    ]
    _assert_time_pieces(pieces, "2024-01-01 00:00:00", "2024-03-16 00:00:00")
    # bob and dave sit on a boundary: both neighbouring pieces return them.
    assert [conn.username for conn in log] == ["alice", "bob", "carol", "dave", "erin"]
    assert [conn.mac for conn in log] == [f"aa:bb:cc:00:00:0{i}" for i in range(1, 6)]
    assert log[1] == WiwizConnection(
        mac="aa:bb:cc:00:00:02",
        ip="192.168.10.12",
        start_time=datetime(2024, 1, 31, 0, 0, tzinfo=ROME),
        end_time=datetime(2024, 1, 31, 0, 30, tzinfo=ROME),
        downloaded=2000,
        uploaded=200,
        username="bob",
        user_type=1,
        voucher=None,
        mobile=None,
        track_data=None,
        tokencode=None,
    )
    assert log[4].end_time is None


@pytest.mark.parametrize(
    ("length", "calls"),
    [
        (timedelta(0), 1),
        (timedelta(days=30), 1),
        (timedelta(days=30, seconds=1), 2),
        (timedelta(days=60), 2),
        (timedelta(days=61), 3),
    ],
)
async def test_connection_log_piece_count(
    client: WiwizClient, mock_http: AiohttpClientMocker, length: timedelta, calls: int
) -> None:
    _replies(mock_http, "connlog", *["conn_empty.xml"] * calls)
    start = datetime(2024, 6, 1, 12, tzinfo=ROME)
    end = start + length

    assert await client.connection_log(HOTSPOT, start, end) == []

    pieces = _wall_pieces(_sent(mock_http))
    assert len(pieces) == calls
    _assert_time_pieces(
        pieces, start.strftime("%Y-%m-%d %H:%M:%S"), end.strftime("%Y-%m-%d %H:%M:%S")
    )


async def test_range_split_on_account_wall_clock_across_dst(
    client: WiwizClient, mock_http: AiohttpClientMocker
) -> None:
    """UTC bounds across the spring change: no piece is 30 days + 1 hour in Rome."""
    _replies(mock_http, "webadlog", *["conn_empty.xml"] * 3)
    start = datetime(2024, 3, 10, tzinfo=UTC)

    await client.ad_events(HOTSPOT, start, start + timedelta(days=75))

    pieces = _wall_pieces(_sent(mock_http))
    assert pieces == [
        ("2024-03-10 01:00:00", "2024-04-09 01:00:00"),
        ("2024-04-09 01:00:00", "2024-05-09 01:00:00"),
        ("2024-05-09 01:00:00", "2024-05-24 02:00:00"),
    ]
    _assert_time_pieces(pieces, "2024-03-10 01:00:00", "2024-05-24 02:00:00")


# --- phone numbers (mobile) ----------------------------------------------------


async def test_mobile_numbers(
    client: WiwizClient, mock_http: AiohttpClientMocker, snapshot: SnapshotAssertion
) -> None:
    _reply(mock_http, "mobile", "mobile.xml")

    numbers = await client.mobile_numbers(HOTSPOT, date(2024, 1, 1), date(2024, 1, 30))

    assert numbers == snapshot
    # The snapshot holds the values; the records are typed.
    assert {type(record) for record in numbers} == {WiwizMobileNumber}
    assert numbers[0].time is not None
    assert numbers[0].time.utcoffset() == CEST
    assert numbers[2].time is not None
    assert numbers[2].time.utcoffset() == CET
    assert _only_query(mock_http, "mobile") == {
        "userkey": KEY,
        "hotspotid": HOTSPOT,
        "date_from": "2024-01-01",
        "date_to": "2024-01-30",
    }


async def test_mobile_numbers_one_record_is_a_list(
    client: WiwizClient, mock_http: AiohttpClientMocker
) -> None:
    _reply(mock_http, "mobile", "mobile_one.xml")

    numbers = await client.mobile_numbers(HOTSPOT, date(2024, 5, 14), date(2024, 5, 14))

    assert numbers == [
        WiwizMobileNumber(
            country="IT",
            phone_number="3471234567",
            time=datetime(2024, 5, 14, 9, 13, 2, tzinfo=ROME),
            verified=True,
            magic_code_used=True,
        )
    ]
    query = _only_query(mock_http, "mobile")
    assert (query["date_from"], query["date_to"]) == ("2024-05-14", "2024-05-14")


async def test_mobile_numbers_empty(
    client: WiwizClient, mock_http: AiohttpClientMocker
) -> None:
    _reply(mock_http, "mobile", "conn_empty.xml")

    assert (
        await client.mobile_numbers(HOTSPOT, date(2024, 5, 1), date(2024, 5, 2)) == []
    )
    assert len(_sent(mock_http)) == 1


@pytest.mark.parametrize(
    ("verified", "sent"), [(True, "true"), (False, "false"), (None, None)]
)
async def test_mobile_numbers_verified_param(
    client: WiwizClient,
    mock_http: AiohttpClientMocker,
    verified: bool | None,
    sent: str | None,
) -> None:
    _reply(mock_http, "mobile", "mobile_one.xml")

    await client.mobile_numbers(
        HOTSPOT, date(2024, 5, 1), date(2024, 5, 14), verified=verified
    )

    query = _only_query(mock_http, "mobile")
    assert query.get("verified") == sent
    assert ("verified" in query) is (verified is not None)


async def test_mobile_numbers_45_days_is_split_in_days(
    client: WiwizClient, mock_http: AiohttpClientMocker
) -> None:
    _replies(mock_http, "mobile", "mobile_range_1.xml", "mobile_range_2.xml")
    start, end = date(2024, 1, 1), date(2024, 2, 14)
    assert (end - start).days + 1 == 45

    numbers = await client.mobile_numbers(HOTSPOT, start, end, verified=False)

    sent = _sent(mock_http)
    assert all(req.url.path == f"{API_PATH}mobile/" for req in sent)
    assert all(req.query["verified"] == "false" for req in sent)
    pieces = [
        (date.fromisoformat(a), date.fromisoformat(b)) for a, b in _wall_pieces(sent)
    ]
    assert pieces == [
        (date(2024, 1, 1), date(2024, 1, 30)),
        (date(2024, 1, 31), date(2024, 2, 14)),
    ]
    # Inclusive days: no piece over 30 days, no overlap, no gap.
    assert all((b - a).days + 1 <= 30 for a, b in pieces)
    for (_, previous_to), (next_from, _) in pairwise(pieces):
        assert next_from == previous_to + timedelta(days=1)
    assert [n.phone_number for n in numbers] == [
        "3470000001",
        "3470000002",
        "1510000003",
        "0600000004",
    ]
    assert [n.country for n in numbers] == ["IT", "IT", "DE", "FR"]
    assert [n.verified for n in numbers] == [True, False, True, True]
    assert numbers[2].time == datetime(2024, 1, 31, 0, 1, tzinfo=ROME)


# --- WAN address (hotspotip) ----------------------------------------------------


async def test_wan_ip(client: WiwizClient, mock_http: AiohttpClientMocker) -> None:
    _reply(mock_http, "hotspotip", "hotspotip.xml")

    wan = await client.wan_ip(HOTSPOT)

    assert wan == WiwizWanIp(
        ip="93.184.216.34", updated_at=datetime(2024, 5, 14, 6, 2, 17, tzinfo=ROME)
    )
    assert wan.updated_at is not None
    assert wan.updated_at.tzinfo is ROME
    assert wan.updated_at.utcoffset() == CEST
    assert _only_query(mock_http, "hotspotip") == {
        "userkey": KEY,
        "hotspotid": HOTSPOT,
        "show_updatetime": "1",
    }


async def test_wan_ip_empty(
    client: WiwizClient, mock_http: AiohttpClientMocker
) -> None:
    _reply(mock_http, "hotspotip", "hotspotip_empty.xml")

    assert await client.wan_ip(HOTSPOT) == WiwizWanIp(ip=None, updated_at=None)


# --- ad views and clicks (webadlog) --------------------------------------------


async def test_ad_events(
    client: WiwizClient, mock_http: AiohttpClientMocker, snapshot: SnapshotAssertion
) -> None:
    _reply(mock_http, "webadlog", "webadlog.xml")

    events = await client.ad_events(HOTSPOT, DAY_START, DAY_START + timedelta(days=1))

    assert events == snapshot
    # The snapshot holds the values; the records are typed.
    assert {type(record) for record in events} == {WiwizAdEvent}
    assert events[0].time is not None
    assert events[0].time.utcoffset() == CEST
    # The ad log is `webadlog`, not the `hotspotip` the document names.
    assert _only_query(mock_http, "webadlog") == {
        "userkey": KEY,
        "hotspotid": HOTSPOT,
        "date_from": "2024-05-14 00:00:00",
        "date_to": "2024-05-15 00:00:00",
    }


async def test_ad_events_one_record_is_a_list(
    client: WiwizClient, mock_http: AiohttpClientMocker
) -> None:
    _reply(mock_http, "webadlog", "webadlog_one.xml")
    start = datetime(2024, 12, 24, tzinfo=ROME)

    events = await client.ad_events(HOTSPOT, start, start + timedelta(days=1))

    assert events == [
        WiwizAdEvent(
            ad_id="77",
            event_type=AdEventType.CLICK,
            user_id="c0ffee00-0000-4000-8000-000000000001",
            user_agent=(
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
            ),
            site="http://www.gazzetta.it/",
            time=datetime(2024, 12, 24, 18, 0, tzinfo=ROME),
        )
    ]
    assert events[0].time is not None
    assert events[0].time.utcoffset() == CET


async def test_ad_events_empty(
    client: WiwizClient, mock_http: AiohttpClientMocker
) -> None:
    _reply(mock_http, "webadlog", "conn_empty.xml")

    assert (
        await client.ad_events(HOTSPOT, DAY_START, DAY_START + timedelta(days=2)) == []
    )
    assert len(_sent(mock_http)) == 1


@pytest.mark.parametrize(
    ("ad_id", "event_type", "extra"),
    [
        ("101", AdEventType.VIEW, {"ad_id": "101", "event_type": "1"}),
        (None, AdEventType.CLICK, {"event_type": "2"}),
        ("55", None, {"ad_id": "55"}),
    ],
)
async def test_ad_events_filters(
    client: WiwizClient,
    mock_http: AiohttpClientMocker,
    ad_id: str | None,
    event_type: AdEventType | None,
    extra: dict[str, str],
) -> None:
    _reply(mock_http, "webadlog", "webadlog_one.xml")

    await client.ad_events(
        HOTSPOT,
        DAY_START,
        DAY_START + timedelta(days=1),
        ad_id=ad_id,
        event_type=event_type,
    )

    assert _only_query(mock_http, "webadlog") == {
        "userkey": KEY,
        "hotspotid": HOTSPOT,
        "date_from": "2024-05-14 00:00:00",
        "date_to": "2024-05-15 00:00:00",
        **extra,
    }


async def test_ad_events_75_days_is_split_and_merged(
    client: WiwizClient, mock_http: AiohttpClientMocker
) -> None:
    _replies(
        mock_http, "webadlog", *(f"webadlog_range_{part}.xml" for part in (1, 2, 3))
    )
    start = datetime(2024, 1, 1, tzinfo=ROME)

    events = await client.ad_events(
        HOTSPOT, start, start + timedelta(days=75), event_type=AdEventType.CLICK
    )

    sent = _sent(mock_http)
    assert [req.url.path for req in sent] == [f"{API_PATH}webadlog/"] * 3
    assert all(req.query["event_type"] == "2" for req in sent)
    assert all("ad_id" not in req.query for req in sent)
    pieces = _wall_pieces(sent)
    assert pieces == [
        ("2024-01-01 00:00:00", "2024-01-31 00:00:00"),
        ("2024-01-31 00:00:00", "2024-03-01 00:00:00"),
        ("2024-03-01 00:00:00", "2024-03-16 00:00:00"),
    ]
    _assert_time_pieces(pieces, "2024-01-01 00:00:00", "2024-03-16 00:00:00")
    assert [(e.ad_id, e.event_type, e.user_id, e.time) for e in events] == [
        ("101", AdEventType.VIEW, "u-0001", datetime(2024, 1, 3, 12, tzinfo=ROME)),
        ("101", AdEventType.CLICK, "u-0001", datetime(2024, 1, 31, tzinfo=ROME)),
        ("102", AdEventType.VIEW, "u-0002", datetime(2024, 2, 20, 15, 45, tzinfo=ROME)),
        ("102", AdEventType.VIEW, "u-0003", datetime(2024, 3, 12, 9, 5, tzinfo=ROME)),
    ]


# --- ranges the caller gets wrong ----------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(
            lambda c: c.connection_log(
                HOTSPOT, DAY_START, DAY_START - timedelta(seconds=1)
            ),
            id="connlog",
        ),
        pytest.param(
            lambda c: c.ad_events(HOTSPOT, DAY_START, DAY_START - timedelta(days=3)),
            id="webadlog",
        ),
        pytest.param(
            lambda c: c.mobile_numbers(HOTSPOT, date(2024, 5, 2), date(2024, 5, 1)),
            id="mobile",
        ),
    ],
)
async def test_end_before_start(
    client: WiwizClient,
    mock_http: AiohttpClientMocker,
    call: Callable[[WiwizClient], Awaitable[Any]],
) -> None:
    with pytest.raises(InvalidRequestError) as exc_info:
        await call(client)

    assert isinstance(exc_info.value, ValueError)
    assert mock_http.mock_calls == []


# --- status codes ----------------------------------------------------------------

STATUSES = [
    ("status_err001.xml", InvalidKeyError, "ERR001", "Parameter 'userkey' is empty"),
    (
        "status_err002.xml",
        InvalidHotspotError,
        "ERR002",
        "Parameter 'hotspotid' is empty",
    ),
    ("status_err003.xml", InvalidKeyError, "ERR003", "Invalid userkey"),
    (
        "status_err004.xml",
        ProfessionalRequiredError,
        "ERR004",
        "Need to upgrade to Professional Edition",
    ),
    (
        "status_err005.xml",
        InvalidHotspotError,
        "ERR005",
        "No permission or invalid hotspotid",
    ),
    ("status_err006.xml", InvalidDateError, "ERR006", "Invalid date"),
    ("status_unknown.xml", VendorError, "ERR099", "Service temporarily unavailable"),
]


@pytest.mark.parametrize("interface", list(CALLS))
@pytest.mark.parametrize(("fixture", "error", "code", "message"), STATUSES)
async def test_status_codes(
    client: WiwizClient,
    mock_http: AiohttpClientMocker,
    interface: str,
    fixture: str,
    error: type[VendorError],
    code: str,
    message: str,
) -> None:
    _reply(mock_http, interface, fixture)

    with pytest.raises(VendorError) as exc_info:
        await CALLS[interface](client)

    err = exc_info.value
    assert type(err) is error
    assert err.code == code
    assert err.vendor_message == message
    assert str(err) == f"{code}: {message}"
    # Only a bad user key asks for re-authentication.
    assert isinstance(err, AuthenticationError) is (code in ("ERR001", "ERR003"))
    assert len(_sent(mock_http)) == 1


async def test_status_without_message(
    client: WiwizClient, mock_http: AiohttpClientMocker
) -> None:
    body = _xml("status_err005.xml").replace(
        "<message>No permission or invalid hotspotid</message>", "<message/>"
    )
    _reply_body(mock_http, "conn", body)

    with pytest.raises(InvalidHotspotError) as exc_info:
        await client.current_connections(HOTSPOT)

    assert str(exc_info.value) == "ERR005"
    assert exc_info.value.vendor_message == ""


async def test_error_status_stops_a_split_range(
    client: WiwizClient, mock_http: AiohttpClientMocker
) -> None:
    _replies(
        mock_http,
        "connlog",
        "connlog_range_1.xml",
        "status_err006.xml",
        "connlog_range_3.xml",
    )
    start = datetime(2024, 1, 1, tzinfo=ROME)

    with pytest.raises(InvalidDateError):
        await client.connection_log(HOTSPOT, start, start + timedelta(days=75))

    assert len(_sent(mock_http)) == 2


# --- HTTP and transport failures ------------------------------------------------


@pytest.mark.parametrize("interface", list(CALLS))
@pytest.mark.parametrize("status", [401, 403])
async def test_http_auth_refused(
    client: WiwizClient, mock_http: AiohttpClientMocker, interface: str, status: int
) -> None:
    mock_http.get(_url(interface), status=status, text="Forbidden")

    with pytest.raises(AuthenticationError) as exc_info:
        await CALLS[interface](client)

    assert type(exc_info.value) is AuthenticationError
    assert str(exc_info.value) == f"HTTP {status} on GET /{interface}/"


@pytest.mark.parametrize(
    ("retry_after_at", "low", "high"),
    [
        pytest.param(lambda now: "120", 120.0, 120.0, id="seconds"),
        pytest.param(lambda now: "0", 0.0, 0.0, id="zero"),
        pytest.param(
            lambda now: format_datetime(now + timedelta(seconds=90), usegmt=True),
            60.0,
            90.0,
            id="http-date",
        ),
        pytest.param(
            lambda now: "Wed, 21 Oct 2015 07:28:00 GMT", 0.0, 0.0, id="past-date"
        ),
    ],
)
async def test_rate_limited_with_retry_after(
    client: WiwizClient,
    mock_http: AiohttpClientMocker,
    retry_after_at: Callable[[datetime], str],
    low: float,
    high: float,
) -> None:
    # The header is written when the test runs, not when it is collected: a
    # date 90 s ahead of collection may be past by the time a worker gets here.
    header = retry_after_at(datetime.now(UTC))
    mock_http.get(_url("conn"), status=429, headers={"Retry-After": header})

    with pytest.raises(RateLimitedError) as exc_info:
        await client.current_connections(HOTSPOT)

    retry_after = exc_info.value.retry_after
    assert retry_after is not None
    assert low <= retry_after <= high


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="absent"),
        pytest.param({"Retry-After": "soon"}, id="garbage"),
    ],
)
async def test_rate_limited_without_retry_after(
    client: WiwizClient, mock_http: AiohttpClientMocker, headers: dict[str, str]
) -> None:
    mock_http.get(_url("webadlog"), status=429, headers=headers)

    with pytest.raises(RateLimitedError) as exc_info:
        await client.ad_events(HOTSPOT, DAY_START, DAY_START + timedelta(days=1))

    assert exc_info.value.retry_after is None


@pytest.mark.parametrize("interface", list(CALLS))
@pytest.mark.parametrize("status", [500, 502, 503])
async def test_server_errors_cannot_connect(
    client: WiwizClient, mock_http: AiohttpClientMocker, interface: str, status: int
) -> None:
    mock_http.get(_url(interface), status=status, text=_xml("error_page.html"))

    with pytest.raises(CannotConnectError) as exc_info:
        await CALLS[interface](client)

    assert str(exc_info.value) == f"HTTP {status} on GET /{interface}/"


@pytest.mark.parametrize(
    "exception",
    [
        pytest.param(TimeoutError, id="timeout"),
        pytest.param(aiohttp.ClientConnectionError, id="connection"),
        pytest.param(aiohttp.ServerDisconnectedError, id="disconnected"),
    ],
)
@pytest.mark.parametrize("interface", list(CALLS))
async def test_transport_failures_cannot_connect(
    client: WiwizClient,
    mock_http: AiohttpClientMocker,
    interface: str,
    exception: type[Exception],
) -> None:
    mock_http.get(_url(interface), exc=exception())

    with pytest.raises(CannotConnectError) as exc_info:
        await CALLS[interface](client)

    assert f"GET /{interface}/" in str(exc_info.value)
    assert exc_info.value.__cause__ is None


async def test_http_404_not_found(
    client: WiwizClient, mock_http: AiohttpClientMocker
) -> None:
    mock_http.get(_url("conninfo"), status=404, text="Not Found")

    with pytest.raises(NotFoundError) as exc_info:
        await client.connection(TOKEN)

    assert exc_info.value.code == "404"


# --- answers that are not the documented XML ------------------------------------

BAD_BODIES = [
    pytest.param(_xml("error_page.html"), id="html-page"),
    pytest.param(_xml("truncated.xml"), id="truncated"),
    pytest.param(_xml("no_result.xml"), id="no-result"),
    pytest.param(_xml("no_status_code.xml"), id="no-status-code"),
    pytest.param("", id="empty-body"),
    pytest.param("<result/>", id="empty-result"),
    pytest.param("<result><status>OK</status><data/></result>", id="status-is-text"),
    pytest.param(
        "<result><status><code>OK</code></status><data/><data/></result>",
        id="two-data",
    ),
    pytest.param(
        "<result><status><code>OK</code></status>"
        "<data><record>oops</record></data></result>",
        id="record-is-text",
    ),
]


@pytest.mark.parametrize("body", BAD_BODIES)
@pytest.mark.parametrize("interface", RECORD_CALLS)
async def test_invalid_responses(
    client: WiwizClient, mock_http: AiohttpClientMocker, interface: str, body: str
) -> None:
    _reply_body(mock_http, interface, body)

    with pytest.raises(InvalidResponseError):
        await CALLS[interface](client)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(_xml("error_page.html"), id="html-page"),
        pytest.param(_xml("truncated.xml"), id="truncated"),
        pytest.param(_xml("no_result.xml"), id="no-result"),
        pytest.param(_xml("no_status_code.xml"), id="no-status-code"),
        pytest.param(
            "<result><status><code>OK</code></status><data/><data/></result>",
            id="two-data",
        ),
    ],
)
@pytest.mark.parametrize("interface", ["conninfo", "hotspotip"])
async def test_invalid_responses_single_answers(
    client: WiwizClient, mock_http: AiohttpClientMocker, interface: str, body: str
) -> None:
    _reply_body(mock_http, interface, body)

    with pytest.raises(InvalidResponseError):
        await CALLS[interface](client)


async def test_html_page_served_as_html(
    client: WiwizClient, mock_http: AiohttpClientMocker
) -> None:
    mock_http.get(
        _url("conn"),
        text=_xml("error_page.html"),
        headers={"Content-Type": "text/html"},
    )

    with pytest.raises(InvalidResponseError) as exc_info:
        await client.current_connections(HOTSPOT)

    assert str(exc_info.value) == "Malformed XML from Wiwiz"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param("<incoming>10485760</incoming>", "<incoming>lots</incoming>"),
        pytest.param(
            "<start_time>2024-05-14 09:12:33</start_time>",
            "<start_time>yesterday</start_time>",
        ),
    ],
    ids=["bytes", "time"],
)
async def test_invalid_values(
    client: WiwizClient, mock_http: AiohttpClientMocker, old: str, new: str
) -> None:
    body = _xml("conn_one.xml")
    assert old in body
    _reply_body(mock_http, "conn", body.replace(old, new))

    with pytest.raises(InvalidResponseError):
        await client.current_connections(HOTSPOT)


async def test_unknown_event_type_is_none(
    client: WiwizClient, mock_http: AiohttpClientMocker
) -> None:
    body = _xml("webadlog_one.xml").replace(
        "<event_type>2</event_type>", "<event_type>3</event_type>"
    )
    _reply_body(mock_http, "webadlog", body)

    [event] = await client.ad_events(HOTSPOT, DAY_START, DAY_START + timedelta(days=1))

    assert event.event_type is None
    assert event.ad_id == "77"


# --- large answers ---------------------------------------------------------------


def _many_connections(count: int) -> str:
    first = datetime(2024, 5, 14, 8, 0)
    records = "".join(
        f"""
    <record>
      <ip>10.1.{i // 250}.{i % 250 + 1}</ip>
      <mac>02-00-00-00-{i // 256:02X}-{i % 256:02X}</mac>
      <start_time>{(first + timedelta(seconds=i)):%Y-%m-%d %H:%M:%S}</start_time>
      <end_time></end_time>
      <incoming>{i * 1000}</incoming>
      <outgoing>{i}</outgoing>
      <username>guest{i:04d}</username>
      <usertype>1</usertype>
      <voucher></voucher>
      <mobile></mobile>
      <userstring></userstring>
      <tokencode>tok{i:04d}</tokencode>
    </record>"""
        for i in range(count)
    )
    return _xml("conn_empty.xml").replace(
        "<data></data>", f"<data>{records}\n  </data>"
    )


async def test_large_body_parsed_off_loop(
    client: WiwizClient, mock_http: AiohttpClientMocker, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = _many_connections(2000)
    _reply_body(mock_http, "conn", body)
    threads: list[int] = []
    parse = xml_reader.read_xml

    def spy(raw: bytes, *args: Any, **options: Any) -> Any:
        threads.append(threading.get_ident())
        return parse(raw, *args, **options)

    monkeypatch.setattr(xml_reader, "read_xml", spy)

    conns = await client.current_connections(HOTSPOT)

    assert len(threads) == 1
    assert threads[0] != threading.get_ident()  # a worker thread
    assert len(conns) == 2000
    assert len({conn.mac for conn in conns}) == 2000
    assert conns[0] == WiwizConnection(
        mac="02:00:00:00:00:00",
        ip="10.1.0.1",
        start_time=datetime(2024, 5, 14, 8, 0, tzinfo=ROME),
        end_time=None,
        downloaded=0,
        uploaded=0,
        username="guest0000",
        user_type=1,
        voucher=None,
        mobile=None,
        track_data=None,
        tokencode="tok0000",
    )
    assert conns[-1] == WiwizConnection(
        mac="02:00:00:00:07:cf",
        ip="10.1.7.250",
        start_time=datetime(2024, 5, 14, 8, 33, 19, tzinfo=ROME),
        end_time=None,
        downloaded=1999000,
        uploaded=1999,
        username="guest1999",
        user_type=1,
        voucher=None,
        mobile=None,
        track_data=None,
        tokencode="tok1999",
    )


async def test_small_body_parsed_off_loop_too(
    client: WiwizClient, mock_http: AiohttpClientMocker, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A small answer may cost the most: 450 bytes holding 1e1000000.
    _reply(mock_http, "conn", "conn_many.xml")
    threads: list[int] = []
    parse = xml_reader.read_xml

    def spy(raw: bytes, *args: Any, **options: Any) -> Any:
        threads.append(threading.get_ident())
        return parse(raw, *args, **options)

    monkeypatch.setattr(xml_reader, "read_xml", spy)

    assert len(await client.current_connections(HOTSPOT)) == 3
    assert len(threads) == 1
    assert threads[0] != threading.get_ident()


async def test_large_truncated_body_is_invalid(
    client: WiwizClient, mock_http: AiohttpClientMocker
) -> None:
    body = _many_connections(2000)
    _reply_body(mock_http, "conn", body[: len(body) - 500])

    with pytest.raises(InvalidResponseError):
        await client.current_connections(HOTSPOT)


# --- the user key never leaks ------------------------------------------------------


def _echo_key(body: str) -> str:
    """The vendor's status message, repeating the key back."""
    return body.replace("</message>", f" (userkey={KEY})</message>")


def _chain(err: BaseException) -> list[BaseException]:
    """The error and every cause and context behind it (suppressed or not)."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [err]
    while todo:
        current = todo.pop()
        if current is None or any(current is known for known in seen):
            continue
        seen.append(current)
        todo.extend([current.__cause__, current.__context__])
    return seen


def _assert_no_key(err: BaseException) -> None:
    for link in _chain(err):
        assert KEY not in str(link)
        assert KEY not in repr(link)
        assert all(KEY not in repr(arg) for arg in link.args)
    assert KEY not in "".join(traceback.format_exception(err))
    if isinstance(err, VendorError):
        assert KEY not in err.code
        assert KEY not in err.vendor_message


def _status(fixture: str, echo: bool) -> dict[str, Any]:
    body = _xml(fixture)
    return {"text": _echo_key(body) if echo else body, "headers": XML}


SECRET_CASES: list[Any] = [
    *(
        pytest.param(
            "conn", lambda f=fixture, e=echo: _status(f, e), id=f"{fixture}-echo-{echo}"
        )
        for fixture, *_ in STATUSES
        for echo in (False, True)
    ),
    pytest.param(
        "hotspotip",
        lambda: _status("status_err003_echo_key.xml", echo=False),
        id="err003-key-in-message",
    ),
    pytest.param(
        "conninfo", lambda: _status("conninfo_empty.xml", echo=False), id="not-found"
    ),
    pytest.param(
        "conn",
        lambda: {"status": 400, "text": f"Bad request: userkey={KEY} is malformed"},
        id="http-400-echo",
    ),
    pytest.param(
        "conn",
        lambda: {"status": 400, "text": f'{{"message": "unknown key {KEY}"}}'},
        id="http-400-json-echo",
    ),
    pytest.param(
        "conninfo",
        lambda: {"status": 404, "text": f"no such token for {KEY}"},
        id="http-404-echo",
    ),
    pytest.param(
        "conn", lambda: {"status": 401, "text": f"bad key {KEY}"}, id="http-401"
    ),
    pytest.param(
        "conn", lambda: {"status": 403, "text": f"bad key {KEY}"}, id="http-403"
    ),
    pytest.param(
        "conn",
        lambda: {"status": 429, "text": KEY, "headers": {"Retry-After": "5"}},
        id="http-429",
    ),
    pytest.param(
        "conn", lambda: {"status": 500, "text": f"trace: userkey={KEY}"}, id="http-500"
    ),
    pytest.param("conn", lambda: {"status": 302, "text": KEY}, id="http-302-redirect"),
    pytest.param("conn", lambda: {"exc": TimeoutError()}, id="timeout"),
    pytest.param(
        "conn",
        lambda: {
            "exc": aiohttp.ClientConnectorError(
                aiohttp.client_reqrep.ConnectionKey(
                    "cp.wiwiz.com", 80, False, True, None, None, None
                ),
                OSError(111, "Connection refused"),
            )
        },
        id="connector-error",
    ),
    pytest.param(
        "conn",
        lambda: {"exc": aiohttp.ClientConnectionError()},
        id="connection-error",
    ),
    *(
        pytest.param(
            "conn",
            lambda b=body: {"text": b, "headers": XML},
            id=f"invalid-{name}",
        )
        for name, body in [
            ("html", _xml("error_page.html")),
            ("truncated", _xml("truncated.xml").replace("AA-BB-CC-DD-EE-FF", KEY)),
            ("no-result", _echo_key(_xml("no_result.xml"))),
            ("no-status-code", _echo_key(_xml("no_status_code.xml"))),
        ]
    ),
]


@pytest.mark.parametrize(("interface", "reply"), SECRET_CASES)
async def test_errors_never_show_the_key(
    client: WiwizClient,
    mock_http: AiohttpClientMocker,
    caplog: pytest.LogCaptureFixture,
    interface: str,
    reply: Callable[[], dict[str, Any]],
) -> None:
    caplog.set_level(logging.DEBUG)
    mock_http.get(_url(interface), **reply())

    with pytest.raises(GuestWifiError) as exc_info:
        await CALLS[interface](client)

    _assert_no_key(exc_info.value)
    assert KEY not in caplog.text
    # The key did go out: the test would prove nothing otherwise.
    assert _only_query(mock_http, interface)["userkey"] == KEY


async def test_echoed_key_is_redacted_not_dropped(
    client: WiwizClient, mock_http: AiohttpClientMocker
) -> None:
    _reply(mock_http, "conn", "status_err003_echo_key.xml")

    with pytest.raises(InvalidKeyError) as exc_info:
        await client.current_connections(HOTSPOT)

    assert exc_info.value.vendor_message == f"Invalid userkey: {REDACTED}"
    assert str(exc_info.value) == f"ERR003: Invalid userkey: {REDACTED}"


async def test_transport_text_with_url_is_not_shown(
    client: WiwizClient, mock_http: AiohttpClientMocker
) -> None:
    """Even if aiohttp's message held the full URL, ours keeps the class name only."""
    leaky = aiohttp.ClientConnectionError(
        f"Cannot connect to http://cp.wiwiz.com/as/qapi/conn/?userkey={KEY}"
    )
    mock_http.get(_url("conn"), exc=leaky)

    with pytest.raises(CannotConnectError) as exc_info:
        await client.current_connections(HOTSPOT)

    err = exc_info.value
    assert str(err) == "Cannot connect for GET /conn/: ClientConnectionError"
    # Not even as a suppressed `__context__`: nothing reaches aiohttp's text.
    assert all(link is err for link in _chain(err))
    _assert_no_key(err)


async def test_invalid_request_never_shows_the_key(client: WiwizClient) -> None:
    with pytest.raises(InvalidRequestError) as exc_info:
        await client.mobile_numbers(HOTSPOT, date(2024, 5, 2), date(2024, 5, 1))

    _assert_no_key(exc_info.value)


# --- hostile answers ----------------------------------------------------------------


def _record(**fields: str) -> str:
    """The record of conn_one.xml with some fields changed."""
    body = _xml("conn_one.xml")
    record = body[body.index("<record>") : body.index("</record>") + len("</record>")]
    for name, value in fields.items():
        record = re.sub(rf"<{name}>[^<]*</{name}>", f"<{name}>{value}</{name}>", record)
    return record


def _with_records(*records: str, fixture: str = "conn_empty.xml") -> str:
    return _xml(fixture).replace("<data></data>", f"<data>{''.join(records)}</data>")


async def test_current_connections_one_session_listed_three_times_is_one(
    client: WiwizClient, mock_http: AiohttpClientMocker
) -> None:
    other = _record(tokencode="other", mac="02-00-00-00-00-01")
    _reply_body(
        mock_http, "conn", _with_records(_record(), other, _record(), _record())
    )

    conns = await client.current_connections(HOTSPOT)

    assert conns == [
        _connection(),
        _connection(tokencode="other", mac="02:00:00:00:00:01"),
    ]


async def test_repeated_session_keeps_its_latest_counters(
    client: WiwizClient, mock_http: AiohttpClientMocker
) -> None:
    _reply_body(
        mock_http,
        "conn",
        _with_records(
            _record(incoming="100"), _record(incoming="300"), _record(incoming="200")
        ),
    )

    [conn] = await client.current_connections(HOTSPOT)

    assert conn.downloaded == 300


async def test_sessions_without_tokencode_are_told_apart_by_device_and_start(
    client: WiwizClient, mock_http: AiohttpClientMocker
) -> None:
    first = _record(tokencode="")
    later = _record(tokencode="", start_time="2024-05-14 11:00:00")
    _reply_body(mock_http, "conn", _with_records(first, first, later))

    conns = await client.current_connections(HOTSPOT)

    assert [c.start_time for c in conns] == [
        datetime(2024, 5, 14, 9, 12, 33, tzinfo=ROME),
        datetime(2024, 5, 14, 11, tzinfo=ROME),
    ]


async def test_connection_log_repeated_sessions_across_pieces_are_one(
    client: WiwizClient, mock_http: AiohttpClientMocker
) -> None:
    start = datetime(2024, 3, 1, tzinfo=ROME)
    grown = _record(incoming="999999999")
    mock_http.get(
        _url("connlog"),
        side_effect=in_turn(
            {"text": _with_records(_record(), _record()), "headers": XML},
            {"text": _with_records(grown), "headers": XML},
        ),
    )

    [conn] = await client.connection_log(HOTSPOT, start, start + timedelta(days=45))

    assert conn.downloaded == 999999999


@pytest.mark.parametrize(
    "value",
    ["1e1000000", "1e7000000", "1e400", "9" * 5000, "-1", "9007199254740992", "inf"],
)
@pytest.mark.parametrize("field", ["incoming", "outgoing"])
async def test_absurd_byte_counts_refuse_the_answer(
    client: WiwizClient, mock_http: AiohttpClientMocker, field: str, value: str
) -> None:
    _reply_body(mock_http, "conn", _with_records(_record(**{field: value})))

    with pytest.raises(InvalidResponseError) as exc_info:
        await client.current_connections(HOTSPOT)

    assert len(str(exc_info.value)) < 150


@pytest.mark.parametrize("value", ["1e1000000", "-1", "lots", "99999999999"])
async def test_absurd_usertype_is_dropped_not_the_answer(
    client: WiwizClient,
    mock_http: AiohttpClientMocker,
    caplog: pytest.LogCaptureFixture,
    value: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    _reply_body(mock_http, "conn", _with_records(_record(usertype=value)))

    [conn] = await client.current_connections(HOTSPOT)

    assert conn == _connection(user_type=None)
    assert "Dropped Wiwiz usertype" in caplog.text


async def test_field_nested_deep_is_invalid(
    client: WiwizClient, mock_http: AiohttpClientMocker
) -> None:
    deep = "<a>" * 50_000 + "</a>" * 50_000
    _reply_body(
        mock_http, "conn", _with_records(_record().replace("192.168.10.21", deep))
    )

    with pytest.raises(InvalidResponseError):
        await client.current_connections(HOTSPOT)


async def test_huge_status_message_is_kept_bounded_and_scrubbed(
    client: WiwizClient, mock_http: AiohttpClientMocker
) -> None:
    message = f"bad hotspot {'h' * 1_000_000} for {quote(KEY, safe='').lower()}"
    body = _xml("status_err005.xml")
    body = re.sub(r"<message>[^<]*</message>", f"<message>{message}</message>", body)
    _reply_body(mock_http, "conn", body)

    with pytest.raises(InvalidHotspotError) as exc_info:
        await client.current_connections(HOTSPOT)

    err = exc_info.value
    assert len(err.vendor_message) == 200
    assert err.vendor_message.startswith("bad hotspot hhh")
    assert len(str(err)) <= 300
    _assert_no_key(err)


async def test_huge_status_code_is_bounded(
    client: WiwizClient, mock_http: AiohttpClientMocker
) -> None:
    body = _xml("status_unknown.xml").replace("ERR099", "E" * 1_000_000 + KEY)
    _reply_body(mock_http, "conn", body)

    with pytest.raises(VendorError) as exc_info:
        await client.current_connections(HOTSPOT)

    assert len(exc_info.value.code) <= 40
    assert len(str(exc_info.value)) <= 300
    _assert_no_key(exc_info.value)


@pytest.mark.parametrize(
    ("spell", "key"),
    [
        (lambda k: quote(k, safe=""), "key/with+odd chars&=é"),
        (lambda k: quote(k, safe="").lower(), "key/with+odd chars&=é"),
        (quote_plus, "key/with+odd chars&=é"),
        (lambda k: b64encode(k.encode()).decode(), "key/with+odd chars&=é"),
    ],
    ids=["quote", "quote-lower", "quote-plus", "base64"],
)
async def test_key_echoed_encoded_is_scrubbed(
    session: aiohttp.ClientSession,
    mock_http: AiohttpClientMocker,
    spell: Callable[[str], str],
    key: str,
) -> None:
    client = WiwizClient(session, key, time_zone=ROME)
    body = _xml("status_err003.xml").replace(
        "</message>", f" (userkey={spell(key)})</message>"
    )
    _reply_body(mock_http, "conn", body)

    with pytest.raises(InvalidKeyError) as exc_info:
        await client.current_connections(HOTSPOT)

    assert exc_info.value.vendor_message.endswith(f"(userkey={REDACTED})")
    assert spell(key) not in str(exc_info.value)


@pytest.mark.parametrize(
    ("interface", "cap"),
    [
        ("conn", wiwiz.MAX_LIST_BYTES),
        ("connlog", wiwiz.MAX_LIST_BYTES),
        ("conninfo", wiwiz.MAX_ONE_BYTES),
        ("hotspotip", wiwiz.MAX_ONE_BYTES),
    ],
)
async def test_answers_past_their_cap_are_refused(
    client: WiwizClient, mock_http: AiohttpClientMocker, interface: str, cap: int
) -> None:
    mock_http.get(_url(interface), content=b"<result>" + b" " * cap)

    with pytest.raises(ResponseTooLargeError):
        await CALLS[interface](client)


async def test_field_nested_past_the_limit_is_refused_unbuilt(
    client: WiwizClient, mock_http: AiohttpClientMocker
) -> None:
    deep = "<a>" * 40 + "</a>" * 40
    _reply_body(
        mock_http, "conn", _with_records(_record().replace("192.168.10.21", deep))
    )

    with pytest.raises(InvalidResponseError, match="nested too deeply"):
        await client.current_connections(HOTSPOT)


async def test_field_with_a_little_markup_is_read_as_before(
    client: WiwizClient, mock_http: AiohttpClientMocker
) -> None:
    shallow = "<a>" * 5 + "</a>" * 5
    _reply_body(
        mock_http, "conn", _with_records(_record().replace("192.168.10.21", shallow))
    )

    with pytest.raises(InvalidResponseError, match="Expected text"):
        await client.current_connections(HOTSPOT)


async def test_answer_longer_than_one_piece_is_read_whole(
    client: WiwizClient, mock_http: AiohttpClientMocker
) -> None:
    records = [
        _record(tokencode=f"tok{i}", mac=f"02-00-00-00-{i >> 8:02X}-{i & 255:02X}")
        for i in range(600)
    ]
    body = _with_records(*records)
    assert len(body.encode()) > 3 * xml_reader.PIECE
    _reply_body(mock_http, "conn", body)

    found = await client.current_connections(HOTSPOT)

    assert [c.tokencode for c in found] == [f"tok{i}" for i in range(600)]
