"""Vendor text and numbers at the edge: storable, bounded, ASCII digits, no echo.

What a hostile vendor puts in a text field (a lone surrogate, control
characters, a megabyte) must come out as text Home Assistant can store and a
person can read; what it puts in a number field must be ASCII digits; and an
error about a refused value names the field, never the value (which may be
the account's key).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import fields, is_dataclass
from datetime import date
import json
from typing import Any
import unicodedata

import aiohttp
from aiohttp import web
import pytest

from custom_components.guest_wifi.api import smartwifi
from custom_components.guest_wifi.api._normalize import MAX_FIELD_TEXT, MAX_NOTE_TEXT
from custom_components.guest_wifi.api.errors import (
    InvalidResponseError,
    RateLimitedError,
)
from custom_components.guest_wifi.api.mywifi import MyWifiClient
from custom_components.guest_wifi.api.smartwifi import (
    Environment,
    SmartWifiClient,
    base_url_for,
)
from custom_components.guest_wifi.api.wiwiz import WiwizClient
from tests.hostile.conftest import KEY, TOKEN, Vendor, text
from tests.hostile.test_hostile_vendor import (
    CONN,
    CONNECTIONS,
    HOTSPOTS,
    ROW,
    _assert_hidden,
)

MB = 2**20
USERS = "/v1/RegisteredUsers"
HOTSPOTIP = "/as/qapi/hotspotip/"
USER = {
    "RegisteredUserID": 14646,
    "Login": "mirko",
    "FirstName": "Mirko",
    "LastName": "Rossi",
    "GroupID": 4,
    "WeeklyRatePlanID": 5,
    "EMail": "mirko@example.com",
    "MobilePhone": "+39 333 000 0000",
    "MacAddress": "AA-BB-CC-DD-EE-FF",
    "Disabled": False,
    "AccountWithExpiration": False,
    "AccountExpiration": None,
    "Balance": 0.0,
    "Note": "",
}
# A Wiwiz connection, each field a placeholder filled by `_wiwiz_body`.
WIWIZ_FIELDS = {
    "ip": "10.0.0.2",
    "mac": "AA-BB-CC-DD-EE-FF",
    "start_time": "2024-05-14 09:12:33",
    "end_time": "",
    "incoming": "10485760",
    "outgoing": "2097152",
    "username": "guest01",
    "usertype": "1",
    "voucher": "",
    "mobile": "",
    "userstring": "",
    "tokencode": "tok-1",
}


def _wiwiz_body(declaration: str = '<?xml version="1.0"?>', **given: str) -> bytes:
    """A `conn` answer of one record; `given` fields as raw XML (escaped already)."""
    record = "".join(
        f"<{name}>{given.get(name, value)}</{name}>"
        for name, value in WIWIZ_FIELDS.items()
    )
    return (
        f"{declaration}<result><status><code>OK</code></status>"
        f"<data><record>{record}</record></data></result>"
    ).encode()


@pytest.fixture
def wiwiz_client(vendor: Vendor, session: aiohttp.ClientSession) -> WiwizClient:
    return WiwizClient(session, KEY, base_url=f"{vendor.url}/as/qapi/", timeout=5)


@pytest.fixture
def smart_client(vendor: Vendor, session: aiohttp.ClientSession) -> SmartWifiClient:
    base = base_url_for(Environment.CUSTOM, vendor.url)
    return SmartWifiClient(session, TOKEN, base_url=base, timeout=5)


@pytest.fixture
def mywifi_client(vendor: Vendor, session: aiohttp.ClientSession) -> MyWifiClient:
    async def token() -> str:
        return "bearer-token"

    return MyWifiClient(session, token, base_url=f"{vendor.url}/v1/", timeout=5)


async def _connections(client: SmartWifiClient) -> list[smartwifi.SmartWifiConnection]:
    return await client.connections(date(2024, 5, 14), date(2024, 5, 15))


def _texts(model: Any) -> dict[str, str]:
    """Every text field of a model, by name."""
    assert is_dataclass(model)
    return {
        f.name: value
        for f in fields(model)
        if isinstance(value := getattr(model, f.name), str)
    }


def _assert_storable(model: Any) -> None:
    """Each text encodes as UTF-8 and holds no control character, nor a surrogate."""
    for name, value in _texts(model).items():
        value.encode()  # what core's JSON writer (orjson) needs
        unreadable = [c for c in value if unicodedata.category(c) in ("Cc", "Cs")]
        assert not unreadable, (name, unreadable)


# --- A1: text Home Assistant can store ------------------------------------------------


async def test_smartwifi_lone_surrogates_and_controls_become_storable_text(
    vendor: Vendor, smart_client: SmartWifiClient
) -> None:
    row = {
        **ROW,
        "identity": "\ud800guest",
        "firstname": "Ann\x00\x1b[2J",
        "lastname": "Line\r\nTwo\x85",
        "device": "\udfffPhone\x9b",
        "hotspotname": "Lobby\x07",
        "email": "\udc00\ud800@example.com",
    }
    # json.dumps writes the lone surrogates as (valid) \ud800 escapes.
    vendor.answer(CONNECTIONS, text(json.dumps([row])))

    [conn] = await _connections(smart_client)

    _assert_storable(conn)
    assert conn.identity == "\ufffdguest"
    assert conn.first_name == "Ann[2J"
    assert conn.last_name == "Line  Two"
    assert conn.device == "\ufffdPhone"
    assert conn.hotspot_name == "Lobby"
    assert conn.email == "\ufffd\ufffd@example.com"


async def test_smartwifi_guest_profile_text_is_storable(
    vendor: Vendor, smart_client: SmartWifiClient
) -> None:
    profile = {
        "client": {"company": "Tech\ud800"},
        "profile": {"firstname": "\x1bAnn", "city": "Ro\nma"},
        "last_connection": {"name": "Lobby\x00"},
    }
    vendor.answer("/v2/guests/get", text(json.dumps(profile)))

    found = await smart_client.guest("g-1")

    _assert_storable(found)
    assert (found.company, found.first_name, found.city, found.last_hotspot) == (
        "Tech\ufffd",
        "Ann",
        "Ro ma",
        "Lobby",
    )


async def test_wiwiz_xml_controls_become_readable_text(
    vendor: Vendor, wiwiz_client: WiwizClient
) -> None:
    """XML 1.0 lets through CR, LF, tab (as references) and every C1 control."""
    vendor.answer(
        CONN,
        text(
            _wiwiz_body(
                username="guest&#13;&#10;01\u0085\u009b[31m",
                voucher="V&#9;1",
                userstring="\u0080track\u009f",
            )
        ),
    )

    [conn] = await wiwiz_client.current_connections("HS-1")

    _assert_storable(conn)
    assert conn.username == "guest  01 [31m"
    assert conn.voucher == "V 1"
    assert conn.track_data == "track"


async def test_my_wifi_user_text_is_storable(
    vendor: Vendor, mywifi_client: MyWifiClient
) -> None:
    user = {**USER, "FirstName": "Mi\ud834rko", "Note": "VIP\r\nsince 2020\x00"}
    vendor.answer(USERS, text(json.dumps([user])))

    [found] = await mywifi_client.users()

    _assert_storable(found)
    assert found.first_name == "Mi\ufffdrko"
    assert found.note == "VIP  since 2020"


# --- A3: a length a person can read ---------------------------------------------------


async def test_smartwifi_megabyte_texts_are_cut(
    vendor: Vendor, smart_client: SmartWifiClient
) -> None:
    row = {
        **ROW,
        "identity": "i" * MB,
        "firstname": "\ud800" + "f" * MB,
        "useragent": "Mozilla/5.0 " * 100_000,
        "hotspotname": "h" * MB,
    }
    vendor.answer(CONNECTIONS, text(json.dumps([row])))

    [conn] = await _connections(smart_client)

    assert {name: len(value) for name, value in _texts(conn).items()} == {
        "identity": MAX_FIELD_TEXT,
        "guest_token": len(ROW["guesttoken"]),
        "mac": len(ROW["macaddress"]),
        "first_name": MAX_FIELD_TEXT,
        "hotspot_name": MAX_FIELD_TEXT,
        "user_agent": len(("Mozilla/5.0 " * 30)[:MAX_FIELD_TEXT].rstrip()),
    }
    assert conn.first_name == "\ufffd" + "f" * (MAX_FIELD_TEXT - 1)


async def test_wiwiz_megabyte_username_is_cut(
    vendor: Vendor, wiwiz_client: WiwizClient
) -> None:
    vendor.answer(CONN, text(_wiwiz_body(username="u" * MB, mobile="5" * MB)))

    [conn] = await wiwiz_client.current_connections("HS-1")

    assert conn.username == "u" * MAX_FIELD_TEXT
    assert conn.mobile == "5" * MAX_FIELD_TEXT


async def test_my_wifi_megabyte_names_are_cut_and_notes_kept_longer(
    vendor: Vendor, mywifi_client: MyWifiClient
) -> None:
    user = {**USER, "Login": "l" * MB, "LastName": "n" * MB, "Note": "v" * MB}
    vendor.answer(USERS, text(json.dumps([user])))

    [found] = await mywifi_client.users()

    assert found.login == "l" * MAX_FIELD_TEXT
    assert found.last_name == "n" * MAX_FIELD_TEXT
    assert found.note == "v" * MAX_NOTE_TEXT


# --- A4: only ASCII digits ------------------------------------------------------------

OTHER_DIGITS = ["1_000", "\uff11\uff12\uff13", "\u0663", "\u0661\u0662\u0663", "1_0.5"]


@pytest.mark.parametrize("value", OTHER_DIGITS)
async def test_wiwiz_byte_count_in_other_digits_is_refused(
    vendor: Vendor, wiwiz_client: WiwizClient, value: str
) -> None:
    vendor.answer(CONN, text(_wiwiz_body(incoming=value)))

    with pytest.raises(InvalidResponseError) as caught:
        await wiwiz_client.current_connections("HS-1")

    assert "incoming" in str(caught.value)


@pytest.mark.parametrize("value", OTHER_DIGITS)
async def test_smartwifi_byte_count_in_other_digits_is_refused(
    vendor: Vendor, smart_client: SmartWifiClient, value: str
) -> None:
    vendor.answer(CONNECTIONS, text(json.dumps([{**ROW, "downloaded": value}])))

    with pytest.raises(InvalidResponseError) as caught:
        await _connections(smart_client)

    assert "downloaded" in str(caught.value)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("RegisteredUserID", "\uff11\uff12\uff13"),
        ("RegisteredUserID", "14_646"),
        ("GroupID", "\u0664"),
        ("Balance", "1_000"),
        ("Balance", "\uff15.5"),
    ],
)
async def test_my_wifi_numbers_in_other_digits_are_refused(
    vendor: Vendor, mywifi_client: MyWifiClient, field: str, value: str
) -> None:
    vendor.answer(USERS, text(json.dumps([{**USER, field: value}])))

    with pytest.raises(InvalidResponseError) as caught:
        await mywifi_client.users()

    assert field in str(caught.value)


@pytest.mark.parametrize(
    "header", ["\u0661\u0662\u0663", "\uff11\uff12\uff13", "1_000", "\u0663"]
)
async def test_retry_after_in_other_digits_is_ignored(
    vendor: Vendor, smart_client: SmartWifiClient, header: str
) -> None:
    async def slow_down(request: web.Request) -> web.StreamResponse:
        return web.Response(status=429, headers={"Retry-After": header})

    vendor.answer(HOTSPOTS, slow_down)

    with pytest.raises(RateLimitedError) as caught:
        await smart_client.hotspots()

    assert caught.value.retry_after is None


async def test_retry_after_in_ascii_digits_is_still_read(
    vendor: Vendor, smart_client: SmartWifiClient
) -> None:
    vendor.answer(HOTSPOTS, text(b"", status=429, **{"Retry-After": "123"}))

    with pytest.raises(RateLimitedError) as caught:
        await smart_client.hotspots()

    assert caught.value.retry_after == 123


# --- A5: an XML encoding nobody knows -------------------------------------------------

CALLS: dict[str, Callable[[WiwizClient], Awaitable[Any]]] = {
    CONN: lambda c: c.current_connections("HS-1"),
    HOTSPOTIP: lambda c: c.wan_ip("HS-1"),
}


@pytest.mark.parametrize("encoding", ["x-klingon", "rot13", "base64", "mbcs"])
@pytest.mark.parametrize("path", CALLS)
async def test_unknown_xml_encoding_is_an_invalid_answer(
    vendor: Vendor, wiwiz_client: WiwizClient, path: str, encoding: str
) -> None:
    declaration = f'<?xml version="1.0" encoding="{encoding}"?>'
    vendor.answer(path, text(_wiwiz_body(declaration)))

    with pytest.raises(InvalidResponseError, match="Malformed XML from Wiwiz"):
        await CALLS[path](wiwiz_client)


# --- B6: errors name the field, never the value -------------------------------------


@pytest.mark.parametrize("field", ["incoming", "outgoing", "start_time", "username"])
async def test_wiwiz_key_in_a_field_is_not_echoed(
    vendor: Vendor, wiwiz_client: WiwizClient, field: str
) -> None:
    """The key where a number or a time belongs: refused, and never quoted."""
    value = KEY.replace("&", "&amp;")
    if field == "username":  # an element where text belongs
        value = f"<x>{value}</x>"
    vendor.answer(CONN, text(_wiwiz_body(**{field: value})))

    with pytest.raises(InvalidResponseError) as caught:
        await wiwiz_client.current_connections("HS-1")

    assert field in str(caught.value)
    _assert_hidden(caught.value, KEY)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("downloaded", TOKEN),
        ("uploaded", TOKEN * 3),
        ("date", TOKEN),
        ("online_time", TOKEN),
        ("identity", {"token": TOKEN}),
        ("downloaded", [TOKEN]),
    ],
)
async def test_smartwifi_token_in_a_field_is_not_echoed(
    vendor: Vendor, smart_client: SmartWifiClient, field: str, value: Any
) -> None:
    vendor.answer(CONNECTIONS, text(json.dumps([{**ROW, field: value}])))

    with pytest.raises(InvalidResponseError) as caught:
        await _connections(smart_client)

    assert field in str(caught.value)
    _assert_hidden(caught.value, TOKEN)


async def test_smartwifi_token_in_a_profile_is_not_echoed(
    vendor: Vendor, smart_client: SmartWifiClient
) -> None:
    vendor.answer(
        "/v2/guests/get", text(json.dumps({"unsubscribed": TOKEN, "profile": {}}))
    )

    with pytest.raises(InvalidResponseError) as caught:
        await smart_client.guest("g-1")

    assert "unsubscribed" in str(caught.value)
    _assert_hidden(caught.value, TOKEN)


PASSWORD = "Gen3rated-Passw0rd"


@pytest.mark.parametrize(
    "field", ["RegisteredUserID", "GroupID", "AccountExpiration", "Balance", "Disabled"]
)
async def test_my_wifi_add_answer_never_echoes_the_password(
    vendor: Vendor, mywifi_client: MyWifiClient, field: str
) -> None:
    """The vendor's answer to an add puts the new password where a value belongs."""

    async def added(request: web.Request) -> web.StreamResponse:
        sent = await request.json()
        return web.json_response({**USER, field: sent["Password"]}, status=201)

    vendor.answer("/v1/registeredusers", added)

    with pytest.raises(InvalidResponseError) as caught:
        await mywifi_client.add_user(login="giulia", password=PASSWORD)

    assert field in str(caught.value)
    _assert_hidden(caught.value, PASSWORD)
