"""The real clients against a hostile vendor on loopback: typed errors, bounded costs."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from functools import cache
import gzip
import json
import logging
import re
import time
from typing import Any
from urllib.parse import quote, quote_plus
from xml.sax.saxutils import escape

import aiohttp
from aiohttp import web
import pytest

from custom_components.guest_wifi.api import smartwifi, wiwiz
from custom_components.guest_wifi.api._http import MAX_RETRY_AFTER, REDACTED
from custom_components.guest_wifi.api.errors import (
    MAX_TEXT,
    CannotConnectError,
    GuestWifiError,
    InvalidHotspotError,
    InvalidKeyError,
    InvalidResponseError,
    RateLimitedError,
    ResponseTooLargeError,
    VendorError,
)
from custom_components.guest_wifi.api.mywifi import MyWifiClient
from custom_components.guest_wifi.api.smartwifi import (
    Environment,
    SmartWifiClient,
    base_url_for,
)
from custom_components.guest_wifi.api.wiwiz import WiwizClient
from tests.hostile.conftest import KEY, TOKEN, Vendor, gzip_bomb, streamed, text

MB = 2**20
CONN = "/as/qapi/conn/"
CONNECTIONS = "/v2/client/connections"
HOTSPOTS = "/v2/zapier/client/dropdown/hotspots"
HEAD = b'<?xml version="1.0"?><result><status><code>OK</code></status><data>'
TAIL = b"</data></result>"
RECORD = (
    "<record><ip>10.0.0.2</ip><mac>AA-BB-CC-DD-EE-FF</mac>"
    "<start_time>2024-05-14 09:12:33</start_time><end_time></end_time>"
    "<incoming>{incoming}</incoming><outgoing>2097152</outgoing>"
    "<username>guest01</username><usertype>1</usertype><voucher></voucher>"
    "<mobile></mobile><userstring></userstring><tokencode>{token}</tokencode>"
    "</record>"
)
ROW = {
    "date": "2024-05-14T09:12:33+00:00",
    "hotspotname": "Lobby",
    "macaddress": "AA-BB-CC-DD-EE-FF",
    "identity": "guest@example.com",
    "guesttoken": "g-1",
    "downloaded": 1641142,
    "uploaded": 481731,
    "online_time": "00:05:14",
    "reason_for_termination": None,
}


def _record(incoming: str = "10485760", token: str = "tok-1") -> str:  # noqa: S107
    return RECORD.format(incoming=incoming, token=token)


def _lower_escapes(text: str) -> str:
    """Percent-escapes in lower case (`%2f`), the rest as it is."""
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group().lower(), text)


def _conn_body(*records: str) -> str:
    return (HEAD + "".join(records).encode() + TAIL).decode()


@cache
def _bomb() -> bytes:
    """64 MiB of zeros in ~64 KB of gzip: four times the largest cap."""
    return gzip_bomb(64 * MB)


@pytest.fixture
def wiwiz_client(vendor: Vendor, session: aiohttp.ClientSession) -> WiwizClient:
    return WiwizClient(session, KEY, base_url=f"{vendor.url}/as/qapi/", timeout=5)


@pytest.fixture
def smart_client(vendor: Vendor, session: aiohttp.ClientSession) -> SmartWifiClient:
    base = base_url_for(Environment.CUSTOM, vendor.url)
    return SmartWifiClient(session, TOKEN, base_url=base, timeout=5)


async def _connections(client: SmartWifiClient) -> list[smartwifi.SmartWifiConnection]:
    return await client.connections(date(2024, 5, 14), date(2024, 5, 15))


def _assert_hidden(err: BaseException, *secrets: str) -> None:
    """No secret, plain or percent-encoded, in the error or anything chained to it."""
    forms = {
        form
        for secret in secrets
        for form in (
            secret,
            quote(secret, safe=""),
            _lower_escapes(quote(secret, safe="")),
            quote_plus(secret),
        )
    }
    pending: list[BaseException | None] = [err]
    while pending:
        current = pending.pop()
        if current is None:
            continue
        shown = f"{current} {current!r} {getattr(current, '__dict__', {})!r}"
        for form in forms:
            assert form not in shown
        pending.extend([current.__cause__, current.__context__])


# --- huge bodies ---------------------------------------------------------------------


async def test_huge_body_stops_at_the_cap(
    vendor: Vendor, wiwiz_client: WiwizClient
) -> None:
    vendor.answer(CONN, streamed(HEAD, b" " * 65536, 512 * MB, vendor=vendor))

    with pytest.raises(ResponseTooLargeError) as caught:
        await wiwiz_client.current_connections("HS-1")

    assert "larger than 16777216 bytes" in str(caught.value)
    # The client hung up near the cap: the rest was never sent.
    assert vendor.sent[CONN] < wiwiz.MAX_LIST_BYTES + 16 * MB


async def test_huge_error_body_reads_only_its_start(
    vendor: Vendor, smart_client: SmartWifiClient
) -> None:
    vendor.answer(
        CONNECTIONS,
        streamed(b"oops ", b"e" * 65536, 512 * MB, vendor=vendor, status=500),
    )
    started = time.perf_counter()

    with pytest.raises(CannotConnectError, match="HTTP 500"):
        await _connections(smart_client)

    assert time.perf_counter() - started < 2
    assert vendor.sent[CONNECTIONS] < 16 * MB


@pytest.mark.parametrize("encoding", ["gzip", "x-gzip"])
async def test_gzip_bomb_stops_at_the_cap(
    vendor: Vendor, wiwiz_client: WiwizClient, encoding: str
) -> None:
    vendor.answer(CONN, text(_bomb(), **{"Content-Encoding": encoding}))

    with pytest.raises(ResponseTooLargeError):
        await wiwiz_client.current_connections("HS-1")


async def test_gzip_bomb_in_an_error_answer(
    vendor: Vendor, smart_client: SmartWifiClient
) -> None:
    vendor.answer(HOTSPOTS, text(_bomb(), status=400, **{"Content-Encoding": "gzip"}))

    with pytest.raises(VendorError) as caught:
        await smart_client.hotspots()

    assert len(str(caught.value)) <= MAX_TEXT


async def test_gzip_answer_of_normal_size_is_read(
    vendor: Vendor, smart_client: SmartWifiClient
) -> None:
    body = json.dumps([ROW]).encode()
    vendor.answer(
        CONNECTIONS, text(gzip.compress(body), **{"Content-Encoding": "gzip"})
    )

    [row] = await _connections(smart_client)

    assert row.downloaded == 1641142
    assert vendor.asked[0].headers["Accept-Encoding"] == "gzip, deflate"


async def test_broken_gzip_is_an_invalid_answer(
    vendor: Vendor, smart_client: SmartWifiClient
) -> None:
    vendor.answer(
        CONNECTIONS,
        text(b"\x1f\x8b\x08\x00" + b"junk" * 100, **{"Content-Encoding": "gzip"}),
    )

    with pytest.raises(InvalidResponseError, match="cannot be unpacked"):
        await _connections(smart_client)


async def test_my_wifi_huge_page_stops_at_the_cap(
    vendor: Vendor, session: aiohttp.ClientSession
) -> None:
    async def token() -> str:
        return "bearer-token"

    client = MyWifiClient(session, token, base_url=f"{vendor.url}/v1/", timeout=5)
    vendor.answer(
        "/v1/RegisteredUsers", streamed(b"[", b" " * 65536, 256 * MB, vendor=vendor)
    )

    with pytest.raises(ResponseTooLargeError):
        await client.users()


# --- slow vendors ------------------------------------------------------------------


async def test_dribbling_answer_ends_at_the_timeout(
    vendor: Vendor, session: aiohttp.ClientSession
) -> None:
    async def dribble(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Length": str(10**9)})
        await resp.prepare(request)
        try:
            await resp.write(HEAD)
            for _ in range(1000):
                await asyncio.sleep(0.05)
                await resp.write(b" ")
        except ConnectionError:
            pass
        return resp

    vendor.answer(CONN, dribble)
    client = WiwizClient(session, KEY, base_url=f"{vendor.url}/as/qapi/", timeout=0.5)
    started = time.perf_counter()

    with pytest.raises(CannotConnectError, match="Timeout on GET /conn/"):
        await client.current_connections("HS-1")

    assert time.perf_counter() - started < 2


# --- absurd numbers and deep nesting --------------------------------------------------


@pytest.mark.parametrize(
    "value", ["1e1000000", "1e7000000", "1e400", "9" * 5000, "-5", "9007199254740992"]
)
async def test_absurd_wiwiz_byte_count_is_refused_at_once(
    vendor: Vendor, wiwiz_client: WiwizClient, value: str
) -> None:
    vendor.answer(CONN, text(_conn_body(_record(incoming=value))))
    started = time.perf_counter()

    with pytest.raises(InvalidResponseError) as caught:
        await wiwiz_client.current_connections("HS-1")

    assert time.perf_counter() - started < 1
    assert len(str(caught.value)) < 150


@pytest.mark.parametrize(
    ("field", "raw"),
    [
        ("downloaded", "1e400"),  # a JSON number: a float of inf
        ("downloaded", "1" + "0" * 4000),
        ("uploaded", "-1"),
        ("online_time", '"99999999999:00:00"'),
        ("date", '"9999-12-31T23:59:59-23:59"'),
    ],
)
async def test_absurd_smartwifi_values_are_refused(
    vendor: Vendor, smart_client: SmartWifiClient, field: str, raw: str
) -> None:
    body = json.dumps([{**ROW, field: "@@"}]).replace('"@@"', raw)
    vendor.answer(CONNECTIONS, text(body))

    with pytest.raises(InvalidResponseError) as caught:
        await _connections(smart_client)

    assert len(str(caught.value)) < 150


async def test_deep_json_is_a_typed_error(
    vendor: Vendor, smart_client: SmartWifiClient
) -> None:
    vendor.answer(CONNECTIONS, text(b"[" * 100_000 + b"]" * 100_000))

    with pytest.raises(InvalidResponseError) as caught:
        await _connections(smart_client)

    assert not isinstance(caught.value.__context__, RecursionError)


async def test_deep_json_object_is_a_typed_error(
    vendor: Vendor, smart_client: SmartWifiClient
) -> None:
    vendor.answer(HOTSPOTS, text(b'{"a":' * 100_000 + b"1" + b"}" * 100_000))

    with pytest.raises(InvalidResponseError):
        await smart_client.hotspots()


async def test_deep_xml_is_a_typed_error(
    vendor: Vendor, wiwiz_client: WiwizClient
) -> None:
    deep = "<a>" * 100_000 + "</a>" * 100_000
    vendor.answer(CONN, text(_conn_body(_record().replace("10.0.0.2", deep))))

    with pytest.raises(InvalidResponseError):
        await wiwiz_client.current_connections("HS-1")


async def test_xml_entity_expansion_is_refused(
    vendor: Vendor, wiwiz_client: WiwizClient
) -> None:
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        + "".join(
            f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'
            for i in range(8)
        )
        + "]><result><status><code>&i;</code></status></result>"
    )
    vendor.answer(CONN, text(laughs))

    with pytest.raises(InvalidResponseError):
        await wiwiz_client.current_connections("HS-1")


# --- Retry-After --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("86400000", MAX_RETRY_AFTER),
        ("1e15", MAX_RETRY_AFTER),
        ("Thu, 01 Jan 2099 00:00:00 GMT", MAX_RETRY_AFTER),
        ("-50", 0.0),
        ("inf", None),
        ("Mon, 99 Zzz 2024 99:99:99 GMT", None),
        ("9" * 4000, None),
    ],
)
async def test_retry_after_extremes_are_bounded(
    vendor: Vendor, smart_client: SmartWifiClient, header: str, expected: float | None
) -> None:
    vendor.answer(HOTSPOTS, text(b"slow down", status=429, **{"Retry-After": header}))

    with pytest.raises(RateLimitedError) as caught:
        await smart_client.hotspots()

    assert caught.value.retry_after == expected


# --- echoed secrets, huge texts and ids ------------------------------------------------


@pytest.mark.parametrize(
    "spell",
    [
        escape,  # XML-escaped, read back plain
        lambda s: quote(s, safe=""),
        lambda s: _lower_escapes(quote(s, safe="")),
        quote_plus,
    ],
    ids=["plain", "percent", "percent-lower", "plus"],
)
async def test_echoed_key_is_scrubbed(
    vendor: Vendor,
    wiwiz_client: WiwizClient,
    caplog: pytest.LogCaptureFixture,
    spell: Callable[[str], str],
) -> None:
    caplog.set_level(logging.DEBUG)
    body = (
        "<result><status><code>ERR003</code>"
        f"<message>Invalid userkey {spell(KEY)}</message></status><data/></result>"
    )
    vendor.answer(CONN, text(body.encode()))

    with pytest.raises(InvalidKeyError) as caught:
        await wiwiz_client.current_connections("HS-1")

    assert caught.value.vendor_message == f"Invalid userkey {REDACTED}"
    _assert_hidden(caught.value, KEY)
    assert KEY not in caplog.text
    assert quote(KEY, safe="") not in caplog.text
    # The key did go out, percent-encoded in the query.
    assert vendor.asked[0].query["userkey"] == KEY


@pytest.mark.parametrize("status", [400, 404, 422])
@pytest.mark.parametrize(
    "spell", [lambda s: s, lambda s: quote(s, safe="")], ids=["plain", "percent"]
)
async def test_echoed_token_in_error_answers_is_scrubbed(
    vendor: Vendor,
    smart_client: SmartWifiClient,
    status: int,
    spell: Callable[[str], str],
) -> None:
    echo = f"GET {CONNECTIONS}?api_token={spell(TOKEN)} refused"
    vendor.answer(CONNECTIONS, text(json.dumps({"message": echo}), status=status))

    with pytest.raises(VendorError) as caught:
        await _connections(smart_client)

    assert REDACTED in caught.value.vendor_message
    _assert_hidden(caught.value, TOKEN)


async def test_huge_status_message_is_bounded(
    vendor: Vendor, wiwiz_client: WiwizClient
) -> None:
    message = "m" * (5 * MB) + f" key={quote(KEY, safe='')}"
    body = (
        f"<result><status><code>ERR005</code><message>{message}</message>"
        "</status><data/></result>"
    )
    vendor.answer(CONN, text(body))

    with pytest.raises(InvalidHotspotError) as caught:
        await wiwiz_client.current_connections("HS-1")

    assert len(caught.value.vendor_message) <= 200
    assert len(str(caught.value)) <= MAX_TEXT
    _assert_hidden(caught.value, KEY)


async def test_huge_hotspot_id_is_refused_without_echo(
    vendor: Vendor, smart_client: SmartWifiClient
) -> None:
    vendor.answer(HOTSPOTS, text(json.dumps([{"id": "H" * MB, "name": "Lobby"}])))

    with pytest.raises(InvalidResponseError) as caught:
        await smart_client.hotspots()

    assert len(str(caught.value)) < 100


async def test_huge_id_in_the_path_is_not_echoed_whole(
    vendor: Vendor, session: aiohttp.ClientSession
) -> None:
    async def token() -> str:
        return "bearer-token"

    client = MyWifiClient(session, token, base_url=f"{vendor.url}/v1/", timeout=5)
    huge = 10**4000 - 1  # a 4,000-digit user id

    with pytest.raises(GuestWifiError) as caught:
        await client.user(huge)

    assert len(str(caught.value)) <= MAX_TEXT


# --- duplicate sessions -----------------------------------------------------------------


async def test_wiwiz_session_listed_three_times_is_one_guest(
    vendor: Vendor, wiwiz_client: WiwizClient
) -> None:
    vendor.answer(
        CONN,
        text(_conn_body(_record(), _record(token="tok-2"), _record(), _record())),
    )

    conns = await wiwiz_client.current_connections("HS-1")

    assert [c.tokencode for c in conns] == ["tok-1", "tok-2"]


async def test_smartwifi_session_listed_three_times_is_one_guest(
    vendor: Vendor, smart_client: SmartWifiClient
) -> None:
    other = {**ROW, "macaddress": "02-00-00-00-00-01", "guesttoken": "g-2"}
    vendor.answer(CONNECTIONS, text(json.dumps([ROW, other, ROW, ROW])))

    rows = await _connections(smart_client)

    assert [r.guest_token for r in rows] == ["g-1", "g-2"]
    assert sum(r.is_open for r in rows) == 2


# --- every call, every hostile body: a typed error, never anything else ---------------


BODIES: dict[str, Callable[[], bytes]] = {
    "empty": lambda: b"",
    "html": lambda: b"<html><body>502 Bad Gateway</body></html>",
    "binary": lambda: bytes(range(256)) * 64,
    "json-text": lambda: b'"just text"',
    "xml-in-json-place": lambda: b"<result/>",
    "nul": lambda: b"\x00" * 1000,
    "deep": lambda: b"[" * 50_000,
}
WIWIZ_CALLS: dict[str, Callable[[WiwizClient], Awaitable[Any]]] = {
    "conn": lambda c: c.current_connections("HS-1"),
    "conninfo": lambda c: c.connection("tok"),
    "hotspotip": lambda c: c.wan_ip("HS-1"),
    "connlog": lambda c: c.connection_log(
        "HS-1", datetime(2024, 5, 1, tzinfo=UTC), datetime(2024, 5, 2, tzinfo=UTC)
    ),
}
SMART_CALLS: dict[str, Callable[[SmartWifiClient], Awaitable[Any]]] = {
    "/v2/zapier/client/ping": lambda c: c.ping(),
    HOTSPOTS: lambda c: c.hotspots(),
    "/v2/zapier/client/guests": lambda c: c.guests(),
    "/v2/guests/get": lambda c: c.guest("g-1"),
    CONNECTIONS: _connections,
}


@pytest.mark.parametrize("body", BODIES)
@pytest.mark.parametrize("interface", WIWIZ_CALLS)
async def test_wiwiz_garbage_is_a_typed_error(
    vendor: Vendor, wiwiz_client: WiwizClient, interface: str, body: str
) -> None:
    vendor.answer(f"/as/qapi/{interface}/", text(BODIES[body]()))

    with pytest.raises(GuestWifiError):
        await WIWIZ_CALLS[interface](wiwiz_client)


@pytest.mark.parametrize("body", BODIES)
@pytest.mark.parametrize("path", SMART_CALLS)
async def test_smartwifi_garbage_is_a_typed_error(
    vendor: Vendor, smart_client: SmartWifiClient, path: str, body: str
) -> None:
    vendor.answer(path, text(BODIES[body]()))

    with pytest.raises(GuestWifiError):
        await SMART_CALLS[path](smart_client)
