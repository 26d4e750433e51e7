"""Records counted as an answer streams: a byte cap alone does not bound memory.

An empty record is three bytes (`{},`): under the 32 MiB guest cap, eleven
million of them, which once cost 30 s and 1.3 GB. Every list answer is
refused past the records a real account gives (the sizes documented beside
each cap) while it is read: the builders are counted, to show that no record
past the bound was made a model. A record without the identity of a guest
(no MAC, id or token) refuses its answer: the totals read from it (guests,
sessions, phone numbers) would not be true without it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
import json
from typing import Any
import zlib

import aiohttp
import pytest

from custom_components.guest_wifi.api import mywifi, smartwifi, wiwiz
from custom_components.guest_wifi.api.errors import (
    InvalidResponseError,
    ResponseTooLargeError,
)
from custom_components.guest_wifi.api.mywifi import MyWifiClient
from custom_components.guest_wifi.api.smartwifi import (
    Environment,
    SmartWifiClient,
    base_url_for,
)
from custom_components.guest_wifi.api.wiwiz import WiwizClient
from tests.hostile.conftest import KEY, TOKEN, Vendor, text

GUESTS = "/v2/zapier/client/guests"
CONNECTIONS = "/v2/client/connections"
PLANS = "/v2/client/guests-guest-plans"
HOTSPOTS = "/v2/zapier/client/dropdown/hotspots"
USERS = "/v1/RegisteredUsers"
GROUPS = "/v1/groups"
HEAD = b'<?xml version="1.0"?><result><status><code>OK</code></status><data>'
TAIL = b"</data></result>"


def _packed(head: bytes, filler: bytes, count: int, tail: bytes) -> bytes:
    """`head`, `filler` `count` times, `tail`: gzip-compressed, never whole."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = 2**14
    whole, rest = divmod(count, block)
    out = [packer.compress(head)]
    out += [packer.compress(filler * block) for _ in range(whole)]
    out += [packer.compress(filler * rest + tail), packer.flush()]
    return b"".join(out)


def _json_list(records: list[Any]) -> bytes:
    return json.dumps(records, separators=(",", ":")).encode()


def _xml(*records: str) -> bytes:
    return HEAD + "".join(records).encode() + TAIL


def _counted(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[int]:
    """Count the calls of a builder: how many records became models."""
    calls = [0]
    original = getattr(owner, name)

    def counted(*args: Any) -> Any:
        calls[0] += 1
        return original(*args)

    # A client's builders are static methods: they stay so.
    monkeypatch.setattr(
        owner, name, staticmethod(counted) if isinstance(owner, type) else counted
    )
    return calls


@pytest.fixture
def smart(vendor: Vendor, session: aiohttp.ClientSession) -> SmartWifiClient:
    return _client(CONNECTIONS, vendor, session)


@pytest.fixture
def wiwiz_client(vendor: Vendor, session: aiohttp.ClientSession) -> WiwizClient:
    return _client("/as/qapi/conn/", vendor, session)


@pytest.fixture
def my_wifi(vendor: Vendor, session: aiohttp.ClientSession) -> MyWifiClient:
    return _client(USERS, vendor, session)


async def _connections(client: SmartWifiClient) -> list[Any]:
    return await client.connections(date(2024, 5, 14), date(2024, 5, 15))


# --- the reproductions -------------------------------------------------------------


async def test_eleven_million_empty_guests_are_refused_as_they_stream(
    vendor: Vendor, smart: SmartWifiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ~32 KB of gzip; unpacked 33,000,001 bytes, under the 32 MiB guest cap.
    body = _packed(b"[", b"{},", 11_000_000 - 1, b"{}]")
    assert len(body) < 64 * 2**10
    vendor.answer(GUESTS, text(body, **{"Content-Encoding": "gzip"}))
    built = _counted(monkeypatch, smartwifi, "_guest")

    with pytest.raises(ResponseTooLargeError, match=f"{smartwifi.MAX_GUESTS} records"):
        await smart.guests()

    assert built[0] <= smartwifi.MAX_GUESTS


async def test_five_and_a_half_million_empty_connections_are_refused(
    vendor: Vendor, smart: SmartWifiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = _packed(b"[", b"{},", 5_500_000 - 1, b"{}]")
    vendor.answer(CONNECTIONS, text(body, **{"Content-Encoding": "gzip"}))
    built = _counted(monkeypatch, smartwifi, "_connection")

    with pytest.raises(ResponseTooLargeError, match="records"):
        await _connections(smart)

    assert built[0] <= smartwifi.MAX_CONNECTIONS


async def test_a_my_wifi_page_of_600k_users_is_refused_as_it_streams(
    vendor: Vendor, my_wifi: MyWifiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ~16.7 MB: under the page's 16 MiB cap.
    body = b"[" + b",".join(b'{"RegisteredUserID":%d}' % i for i in range(600_000))
    vendor.answer(USERS, text(body + b"]"))
    built = _counted(monkeypatch, mywifi, "_page_user")

    with pytest.raises(ResponseTooLargeError, match=f"{mywifi.MAX_USERS} records"):
        await my_wifi.users()

    # Refused inside the first page, not after it was built whole.
    assert built[0] <= mywifi.MAX_USERS
    assert len(vendor.asked) == 1


async def test_wiwiz_records_past_the_bound_are_refused_as_they_stream(
    vendor: Vendor, wiwiz_client: WiwizClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = b"<record><tokencode>t</tokencode></record>"
    body = _packed(HEAD, record, 300_000, TAIL)
    vendor.answer("/as/qapi/conn/", text(body, **{"Content-Encoding": "gzip"}))
    built = _counted(monkeypatch, WiwizClient, "_connection")

    with pytest.raises(ResponseTooLargeError, match="records"):
        await wiwiz_client.current_connections("HS-1")

    assert built[0] <= wiwiz.MAX_CONNECTIONS


async def test_my_wifi_groups_of_empty_records_are_refused_as_they_stream(
    vendor: Vendor, my_wifi: MyWifiClient
) -> None:
    body = _packed(b"[", b"{},", 5_500_000 - 1, b"{}]")
    vendor.answer(GROUPS, text(body, **{"Content-Encoding": "gzip"}))

    with pytest.raises(ResponseTooLargeError):
        await my_wifi.groups()


async def test_an_object_holding_millions_of_records_is_refused_unread(
    vendor: Vendor, smart: SmartWifiClient
) -> None:
    # Cut short too: read whole, it would be malformed JSON; it is refused
    # for its shape, before any of it is decoded.
    body = _packed(b'{"data": [', b"{},", 5_500_000, b"")
    vendor.answer(CONNECTIONS, text(body, **{"Content-Encoding": "gzip"}))

    with pytest.raises(InvalidResponseError, match="Expected a list of records"):
        await _connections(smart)


# --- the bounds: a real account's answer is read whole --------------------------------

type Call = Callable[[Any], Awaitable[list[Any]]]


def _bound_cases() -> list[Any]:
    """(path, answer of n records, call, bound) for every list answer we read."""
    day = datetime(2024, 5, 14, tzinfo=UTC)
    return [
        pytest.param(
            GUESTS,
            lambda n: _json_list([{"id": str(i)} for i in range(n)]),
            lambda c: c.guests(),
            smartwifi.MAX_GUESTS,
            id="smartwifi guests",
        ),
        pytest.param(
            CONNECTIONS,
            lambda n: _json_list(
                [{"guesttoken": f"g{i}", "date": "2024-05-14"} for i in range(n)]
            ),
            _connections,
            smartwifi.MAX_CONNECTIONS,
            id="smartwifi connections",
        ),
        pytest.param(
            PLANS,
            lambda n: _json_list([{"token": f"t{i}"} for i in range(n)]),
            lambda c: c.guest_plans(),
            smartwifi.MAX_GUEST_PLANS,
            id="smartwifi guest plans",
        ),
        pytest.param(
            HOTSPOTS,
            lambda n: _json_list([{"id": str(i)} for i in range(n)]),
            lambda c: c.hotspots(),
            smartwifi.MAX_HOTSPOTS,
            id="smartwifi hotspots",
        ),
        pytest.param(
            "/as/qapi/conn/",
            lambda n: _xml(
                *(f"<record><tokencode>t{i}</tokencode></record>" for i in range(n))
            ),
            lambda c: c.current_connections("HS-1"),
            wiwiz.MAX_CONNECTIONS,
            id="wiwiz connections",
        ),
        pytest.param(
            "/as/qapi/mobile/",
            lambda n: _xml(
                *(f"<record><phonenum>{i}</phonenum></record>" for i in range(n))
            ),
            lambda c: c.mobile_numbers("HS-1", day.date(), day.date()),
            wiwiz.MAX_MOBILE_NUMBERS,
            id="wiwiz phone numbers",
        ),
        pytest.param(
            "/as/qapi/webadlog/",
            lambda n: _xml(*(f"<record><uuid>{i}</uuid></record>" for i in range(n))),
            lambda c: c.ad_events("HS-1", day, day),
            wiwiz.MAX_AD_EVENTS,
            id="wiwiz ad events",
        ),
        pytest.param(
            USERS,
            lambda n: _json_list([{"RegisteredUserID": i} for i in range(n)]),
            lambda c: c.users(),
            mywifi.MAX_USERS,
            id="my wifi users",
        ),
        pytest.param(
            GROUPS,
            lambda n: _json_list([{"GroupID": i} for i in range(n)]),
            lambda c: c.groups(),
            mywifi.MAX_GROUPS,
            id="my wifi groups",
        ),
    ]


def _client(path: str, vendor: Vendor, session: aiohttp.ClientSession) -> Any:
    """The client of the vendor `path` belongs to."""
    if path.startswith("/as/"):
        return WiwizClient(session, KEY, base_url=f"{vendor.url}/as/qapi/")

    async def token() -> str:
        return "bearer-token"

    if path.startswith("/v1/"):
        return MyWifiClient(session, token, base_url=f"{vendor.url}/v1/")
    base = base_url_for(Environment.CUSTOM, vendor.url)
    return SmartWifiClient(session, TOKEN, base_url=base)


@pytest.mark.parametrize(("path", "answer", "call", "bound"), _bound_cases())
async def test_an_answer_of_as_many_records_as_the_bound_is_read(
    vendor: Vendor,
    session: aiohttp.ClientSession,
    path: str,
    answer: Callable[[int], bytes],
    call: Call,
    bound: int,
) -> None:
    vendor.answer(path, text(answer(bound)))

    assert len(await call(_client(path, vendor, session))) == bound


@pytest.mark.parametrize(("path", "answer", "call", "bound"), _bound_cases())
async def test_one_record_past_the_bound_refuses_the_answer(
    vendor: Vendor,
    session: aiohttp.ClientSession,
    path: str,
    answer: Callable[[int], bytes],
    call: Call,
    bound: int,
) -> None:
    vendor.answer(path, text(answer(bound + 1)))

    with pytest.raises(ResponseTooLargeError, match=f"More than {bound} records"):
        await call(_client(path, vendor, session))


# --- a record without its identity ---------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body", "call", "missing"),
    [
        pytest.param(
            GUESTS,
            _json_list([{"id": "1"}, {"email": "who@example.com", "id": None}]),
            lambda c: c.guests(),
            "no id or MAC",
            id="smartwifi guest",
        ),
        pytest.param(
            CONNECTIONS,
            _json_list(
                [
                    {"macaddress": "AA-BB-CC-DD-EE-FF", "date": "2024-05-14"},
                    {"date": "2024-05-14", "downloaded": 10**9, "email": "a@b.c"},
                ]
            ),
            _connections,
            "no MAC, identity or guest token",
            id="smartwifi connection",
        ),
        pytest.param(
            PLANS,
            _json_list([{"token": "t1"}, {"guest_plan_name": "Day Pass"}]),
            lambda c: c.guest_plans(),
            "no token or MAC",
            id="smartwifi guest plan",
        ),
        pytest.param(
            "/as/qapi/conn/",
            _xml(
                "<record><mac>AA-BB-CC-DD-EE-FF</mac></record>",
                "<record><ip>10.0.0.9</ip><incoming>100</incoming></record>",
            ),
            lambda c: c.current_connections("HS-1"),
            "no MAC or tokencode",
            id="wiwiz connection",
        ),
        pytest.param(
            "/as/qapi/mobile/",
            _xml(
                "<record><phonenum>3471234567</phonenum></record>",
                "<record><country>IT</country></record>",
            ),
            lambda c: c.mobile_numbers("HS-1", date(2024, 5, 14), date(2024, 5, 14)),
            "no phone number",
            id="wiwiz phone number",
        ),
    ],
)
async def test_a_record_without_its_identity_refuses_the_answer(
    vendor: Vendor,
    session: aiohttp.ClientSession,
    path: str,
    body: bytes,
    call: Call,
    missing: str,
) -> None:
    vendor.answer(path, text(body))

    with pytest.raises(InvalidResponseError, match=missing):
        await call(_client(path, vendor, session))
