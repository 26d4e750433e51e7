"""One record holding millions of values is refused before it is built.

A list of records is read in pieces cut between its objects, and counted as
it is read; neither bounds one record. `[{"id": "1", "a": [{}, {}, …]}]`
has no cut the reader can make inside it, and was decoded whole by the json
module: 5.5 million `{}` in one guest cost 3 s, +415 MB and a 3 s stall. The
same held for XML, where xmltodict builds a record before handing it over: a
record of a million fields cost +230 MB.

A record is a flat object (at most `MAX_RECORD_FIELDS` fields, each a value
or a flat list or object of at most `MAX_RECORD_ITEMS`); a Wiwiz record holds
at most `MAX_RECORD_ELEMENTS` elements. Long texts are not the shape's
matter: they are one value each, cut where they are read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
import json
from typing import Any
import zlib

import aiohttp
from hypothesis import given, strategies as st
import pytest

from custom_components.guest_wifi.api import _json
from custom_components.guest_wifi.api._json import MAX_RECORD_FIELDS, MAX_RECORD_ITEMS
from custom_components.guest_wifi.api._xml import MAX_RECORD_ELEMENTS
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

from .test_fuzz import FUZZ

GUESTS = "/v2/zapier/client/guests"
CONNECTIONS = "/v2/client/connections"
USERS = "/v1/RegisteredUsers"
CONN = "/as/qapi/conn/"
HEAD = b'<?xml version="1.0"?><result><status><code>OK</code></status><data>'
TAIL = b"</data></result>"
NOT_FLAT = "nested or holds too much"
GZIP = {"Content-Encoding": "gzip"}


def _packed(head: bytes, filler: bytes, count: int, tail: bytes) -> bytes:
    """`head`, `filler` `count` times, `tail`: gzip-compressed, never whole."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = 2**14
    whole, rest = divmod(count, block)
    out = [packer.compress(head)]
    out += [packer.compress(filler * block) for _ in range(whole)]
    out += [packer.compress(filler * rest + tail), packer.flush()]
    return b"".join(out)


@pytest.fixture
def smart(vendor: Vendor, session: aiohttp.ClientSession) -> SmartWifiClient:
    base = base_url_for(Environment.CUSTOM, vendor.url)
    return SmartWifiClient(session, TOKEN, base_url=base)


@pytest.fixture
def my_wifi(vendor: Vendor, session: aiohttp.ClientSession) -> MyWifiClient:
    async def token() -> str:
        return "bearer-token"

    return MyWifiClient(session, token, base_url=f"{vendor.url}/v1/")


@pytest.fixture
def wiwiz_client(vendor: Vendor, session: aiohttp.ClientSession) -> WiwizClient:
    return WiwizClient(session, KEY, base_url=f"{vendor.url}/as/qapi/")


async def _connections(client: SmartWifiClient) -> list[Any]:
    return await client.connections(date(2024, 5, 14), date(2024, 5, 15))


# --- JSON: the reproductions ---------------------------------------------------------


async def test_a_guest_holding_millions_of_objects_is_refused(
    vendor: Vendor, smart: SmartWifiClient
) -> None:
    # ~20 KB of gzip, 6 MB unpacked: no cut between objects of the list.
    body = _packed(b'[{"id": "1", "a": [', b"{},", 2_000_000, b"{}]}]")
    vendor.answer(GUESTS, text(body, **GZIP))

    with pytest.raises(InvalidResponseError, match=NOT_FLAT):
        await smart.guests()


async def test_a_connection_field_of_millions_of_numbers_is_refused(
    vendor: Vendor, smart: SmartWifiClient
) -> None:
    body = _packed(b'[{"identity": "x", "a": [', b"0.5,", 2_000_000, b"0.5]}]")
    vendor.answer(CONNECTIONS, text(body, **GZIP))

    with pytest.raises(InvalidResponseError, match=NOT_FLAT):
        await _connections(smart)


async def test_a_nested_record_json_alone_reads_is_refused(
    vendor: Vendor, smart: SmartWifiClient
) -> None:
    # NaN: orjson refuses it, so the json module reads the answer (the slow way).
    body = _packed(b'[{"identity": "x", "n": NaN, "a": [', b"[],", 500_000, b"[]]}]")
    vendor.answer(CONNECTIONS, text(body, **GZIP))

    with pytest.raises(InvalidResponseError, match=NOT_FLAT):
        await _connections(smart)


async def test_a_my_wifi_user_of_a_thousand_fields_is_refused(
    vendor: Vendor, my_wifi: MyWifiClient
) -> None:
    # Small: read in one piece by orjson, then refused before it is built.
    user = {"RegisteredUserID": 1, **{f"Custom{i}": None for i in range(1000)}}
    vendor.answer(USERS, text(json.dumps([user])))

    with pytest.raises(InvalidResponseError, match=NOT_FLAT):
        await my_wifi.users()


# --- JSON: the bounds, read either way -----------------------------------------------

# A field orjson refuses and the json module reads: the answer goes its way.
SLOW = {"fast": {}, "slow": {"x": float("nan")}}


def _guest(**fields: Any) -> dict[str, Any]:
    return {"id": "1", "macaddress": "AA-BB-CC-DD-EE-FF", **fields}


def _widest(fields: int, extra: dict[str, Any]) -> dict[str, Any]:
    """A guest of `fields` fields in all, `extra` among them."""
    return _guest(**extra, **{f"f{i}": i for i in range(fields - 2 - len(extra))})


type Shape = Callable[[dict[str, Any]], dict[str, Any]]

SHAPES: dict[str, tuple[Shape, Shape]] = {
    # name: (a record at the bound, one past it), given `extra` fields
    "fields": (
        lambda extra: _widest(MAX_RECORD_FIELDS, extra),
        lambda extra: _widest(MAX_RECORD_FIELDS + 1, extra),
    ),
    "list": (
        lambda extra: _guest(tags=list(range(MAX_RECORD_ITEMS)), **extra),
        lambda extra: _guest(tags=list(range(MAX_RECORD_ITEMS + 1)), **extra),
    ),
    "object": (
        lambda extra: _guest(
            custom=dict.fromkeys(map(str, range(MAX_RECORD_ITEMS))), **extra
        ),
        lambda extra: _guest(
            custom=dict.fromkeys(map(str, range(MAX_RECORD_ITEMS + 1))), **extra
        ),
    ),
    "depth": (
        lambda extra: _guest(custom={"a": None}, **extra),
        lambda extra: _guest(custom={"a": {}}, **extra),
    ),
}


@pytest.mark.parametrize("way", SLOW)
@pytest.mark.parametrize("shape", SHAPES)
async def test_a_record_at_the_shape_bound_is_read(
    vendor: Vendor, smart: SmartWifiClient, shape: str, way: str
) -> None:
    record = SHAPES[shape][0](SLOW[way])
    vendor.answer(GUESTS, text(json.dumps([record, _guest(id="2")], indent=1)))

    assert [guest.id for guest in await smart.guests()] == ["1", "2"]


@pytest.mark.parametrize("way", SLOW)
@pytest.mark.parametrize("shape", SHAPES)
async def test_a_record_past_the_shape_bound_is_refused(
    vendor: Vendor, smart: SmartWifiClient, shape: str, way: str
) -> None:
    record = SHAPES[shape][1](SLOW[way])
    vendor.answer(GUESTS, text(json.dumps([_guest(id="2"), record], indent=1)))

    with pytest.raises(InvalidResponseError, match=NOT_FLAT):
        await smart.guests()


@pytest.mark.parametrize("way", SLOW)
async def test_megabyte_texts_are_not_the_shape_s_matter(
    vendor: Vendor, smart: SmartWifiClient, way: str
) -> None:
    # Braces and brackets inside a string are text, not nesting.
    record = _guest(note="{[" * 2**19, **SLOW[way])
    vendor.answer(GUESTS, text(json.dumps([record, _guest(id="2")])))

    assert len(await smart.guests()) == 2


@pytest.mark.parametrize(
    "body",
    [
        b'[{"id": "1"}, {"id": "2", "a": [{}, {"b": "cut',
        b'[{"id": "1", "n": NaN}, {"id": "2", "a": [[], [], 1 2]}]',
        b'[{"id": "1", "n": NaN}, {"id": "2", "a": {"b": {}}}, {"id": ]',
    ],
    ids=["cut", "broken", "broken-after"],
)
async def test_a_broken_record_is_still_malformed_json(
    vendor: Vendor, smart: SmartWifiClient, body: bytes
) -> None:
    vendor.answer(GUESTS, text(body))

    # "broken-after": the nested record comes first, and is refused for it.
    with pytest.raises(InvalidResponseError, match=f"Malformed JSON|{NOT_FLAT}"):
        await smart.guests()


async def test_a_list_in_a_list_of_records_is_refused_unread(
    vendor: Vendor, smart: SmartWifiClient
) -> None:
    body = _packed(b"[[", b"{},", 2_000_000, b"{}]]")
    vendor.answer(GUESTS, text(body, **GZIP))

    with pytest.raises(InvalidResponseError, match="Expected a list of records"):
        await smart.guests()


# --- JSON: every way reads a record alike ----------------------------------------------

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.text(alphabet='{}[],:" \\xé', max_size=8),
)
FIELDS = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=3), inner, max_size=4)
    ),
    max_leaves=6,
)


def _outcome(body: bytes, **options: Any) -> Any:
    try:
        return _json.decode_json(body, "x", most=100, **options)
    except InvalidResponseError as err:
        return type(err), str(err)


@FUZZ
@given(
    st.lists(st.dictionaries(st.text(max_size=3), FIELDS, max_size=5), max_size=6),
    st.sampled_from([None, 1]),
)
def test_records_read_alike_each_way(records: list[Any], indent: Any) -> None:
    # orjson in pieces; the json module on UTF-8 bytes, record by record; the
    # json module on the whole text (a UTF-16 answer).
    body = json.dumps(records, indent=indent)
    fast = _outcome(body.encode())
    assert _outcome(body.encode(), exact=True) == fast
    assert _outcome(body.encode("utf-16"), exact=True) == fast
    nested = any(
        isinstance(value, dict | list)
        and any(isinstance(item, dict | list) for item in _items(value))
        for record in records
        for value in record.values()
    )
    assert (fast == records) is not nested


def _items(value: Any) -> list[Any]:
    return list(value.values()) if isinstance(value, dict) else value


# --- XML -----------------------------------------------------------------------------

RECORD = b"<record><tokencode>t</tokencode>"
TOO_MANY = f"more than {MAX_RECORD_ELEMENTS} elements"


def _wiwiz(head: bytes, filler: bytes, count: int, tail: bytes) -> Callable[..., Any]:
    """An answer of `head`, `filler` `count` times and `tail`, gzip-compressed."""
    return text(_packed(HEAD + head, filler, count, tail + TAIL), **GZIP)


async def test_a_wiwiz_record_of_a_million_elements_is_refused(
    vendor: Vendor, wiwiz_client: WiwizClient
) -> None:
    vendor.answer(CONN, _wiwiz(RECORD, b"<x/>", 1_000_000, b"</record>"))

    with pytest.raises(ResponseTooLargeError, match=TOO_MANY):
        await wiwiz_client.current_connections("HS-1")


async def test_a_wiwiz_record_of_a_million_distinct_fields_is_refused(
    vendor: Vendor, wiwiz_client: WiwizClient
) -> None:
    fields = b"".join(b"<f%d/>" % i for i in range(300_000))
    vendor.answer(CONN, text(HEAD + RECORD + fields + b"</record>" + TAIL))

    with pytest.raises(ResponseTooLargeError, match=TOO_MANY):
        await wiwiz_client.current_connections("HS-1")


async def test_a_wiwiz_field_of_a_million_sub_elements_is_refused(
    vendor: Vendor, wiwiz_client: WiwizClient
) -> None:
    # A field no model reads: only its size could refuse it.
    head = RECORD + b"<extra>"
    vendor.answer(CONN, _wiwiz(head, b"<a/>", 1_000_000, b"</extra></record>"))

    with pytest.raises(ResponseTooLargeError, match=TOO_MANY):
        await wiwiz_client.current_connections("HS-1")


async def test_a_wiwiz_status_message_of_a_million_elements_is_refused(
    vendor: Vendor, wiwiz_client: WiwizClient
) -> None:
    head = b'<?xml version="1.0"?><result><status><code>OK</code><message>'
    body = _packed(head, b"<b/>", 1_000_000, b"</message></status><data/></result>")
    vendor.answer(CONN, text(body, **GZIP))

    with pytest.raises(ResponseTooLargeError, match=TOO_MANY):
        await wiwiz_client.current_connections("HS-1")


async def test_a_wiwiz_answer_of_one_record_is_bounded_too(
    vendor: Vendor, wiwiz_client: WiwizClient
) -> None:
    # Read whole, not streamed: under the 1 MiB cap of an answer of one record.
    filler = b"<a/>" * 200_000
    body = HEAD + b"<wan_ip>10.0.0.1</wan_ip><other>" + filler + b"</other>" + TAIL
    vendor.answer("/as/qapi/hotspotip/", text(body))

    with pytest.raises(ResponseTooLargeError, match=TOO_MANY):
        await wiwiz_client.wan_ip("HS-1")


@pytest.mark.parametrize(("extra", "read"), [(0, True), (1, False)])
async def test_a_wiwiz_record_at_the_element_bound_is_read(
    vendor: Vendor, wiwiz_client: WiwizClient, extra: int, read: bool
) -> None:
    # The tokencode, a field no model reads and its markup: the bound in all.
    markup = b"<b>x</b>" * (MAX_RECORD_ELEMENTS - 2 + extra)
    record = RECORD + b"<other>" + markup + b"</other></record>"
    plain = b"<record><tokencode>u</tokencode></record>"
    vendor.answer(CONN, text(HEAD + record + plain + TAIL))

    if read:
        assert len(await wiwiz_client.current_connections("HS-1")) == 2
    else:
        with pytest.raises(ResponseTooLargeError, match=TOO_MANY):
            await wiwiz_client.current_connections("HS-1")
