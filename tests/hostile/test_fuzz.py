"""Any vendor text into the normalisers and parsers: a bounded value or a typed error.

Example counts are kept modest so the suite stays fast; no example database is
written into the work tree.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
import json
import re
from typing import Any
from urllib.parse import quote, quote_plus
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from custom_components.guest_wifi.api import _http, _json, _normalize as norm, smartwifi
from custom_components.guest_wifi.api.errors import (
    MAX_TEXT,
    GuestWifiError,
    InvalidResponseError,
)
from custom_components.guest_wifi.api.wiwiz import (
    MAX_CONNECTIONS,
    WiwizClient,
    WiwizConnection,
    _sessions,
)

FUZZ = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
FEW = settings(FUZZ, max_examples=60)

# Numbers as vendors write them, and as they should not.
NUMBER_TEXT = st.one_of(
    st.from_regex(r"\A[ ]?[-+]?\d{0,25}(\.\d{0,8})?([eE][-+]?\d{1,8})?[ ]?\Z"),
    st.sampled_from(
        ["1e1000000", "1e7000000", "1e400", "inf", "-inf", "nan", "9" * 5000]
    ),
    st.text(max_size=60),
)
ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**200), max_value=2**200),
    st.floats(allow_nan=True, allow_infinity=True),
    NUMBER_TEXT,
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def _typed(call: Any, *args: Any) -> Any:
    """The call's value, or None when it raised InvalidResponseError (bounded)."""
    try:
        return call(*args)
    except InvalidResponseError as err:
        refused = err
    assert len(str(refused)) <= MAX_TEXT
    return None


# --- numbers, durations, times, money -------------------------------------------------


@FUZZ
@given(ANY_VALUE)
def test_byte_count_is_bounded_or_refused(value: Any) -> None:
    found = _typed(norm.byte_count, value)
    assert found is None or (type(found) is int and 0 <= found <= norm.MAX_BYTES)


@FUZZ
@given(ANY_VALUE)
def test_integer_and_ids_are_bounded_or_refused(value: Any) -> None:
    found = _typed(norm.integer, value)
    assert found is None or -norm.MAX_ID - 1 <= found <= norm.MAX_ID
    found = _typed(norm.optional_int, value)
    assert found is None or 0 <= found <= norm.MAX_ID


@FUZZ
@given(ANY_VALUE)
def test_code_is_bounded_or_dropped_never_raises(value: Any) -> None:
    found = norm.code(value, "fuzz")
    assert found is None or 0 <= found <= norm.MAX_CODE


@FUZZ
@given(ANY_VALUE)
def test_money_is_bounded_or_refused(value: Any) -> None:
    found = _typed(norm.money, value)
    assert found is None or (found.is_finite() and abs(found) <= norm.MAX_AMOUNT)


@FUZZ
@given(
    st.one_of(
        st.from_regex(r"\A-?\d{1,15}:-?\d{1,5}:-?\d{1,5}\Z"),
        st.text(max_size=40),
        st.integers(),
    )
)
def test_duration_is_bounded_or_refused(value: Any) -> None:
    found = _typed(norm.duration, value)
    assert found is None or timedelta(0) <= found <= norm.MAX_DURATION


@FUZZ
@given(
    st.one_of(
        st.datetimes(
            timezones=st.one_of(
                st.none(),
                st.timedeltas(
                    min_value=timedelta(hours=-23, minutes=-59),
                    max_value=timedelta(hours=23, minutes=59),
                ).map(timezone),
            )
        ).map(lambda d: d.isoformat()),
        st.text(max_size=80),
    )
)
def test_timestamp_is_aware_and_in_range_or_refused(value: str) -> None:
    found = _typed(norm.timestamp, value)
    if found is not None:
        assert found.tzinfo is not None
        assert norm.MIN_TIME <= found < norm.MAX_TIME
        found.astimezone(UTC)  # never overflows
        assert found + norm.MAX_DURATION > found  # nor does adding a duration


@FUZZ
@given(ANY_VALUE)
def test_text_and_mac_are_text_or_refused(value: Any) -> None:
    found = _typed(norm.text, value)
    assert found is None or isinstance(found, str)
    found = _typed(norm.mac, value)
    assert found is None or len(found) == 17


# --- Retry-After, scrub -------------------------------------------------------------------


@FUZZ
@given(
    st.one_of(
        st.text(max_size=100),
        NUMBER_TEXT,
        st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)).map(
            lambda d: d.strftime("%a, %d %b %Y %H:%M:%S GMT")
        ),
    )
)
def test_retry_after_is_bounded_and_never_raises(value: str) -> None:
    found = _http._retry_after(value)
    assert found is None or 0.0 <= found <= _http.MAX_RETRY_AFTER


SAFE = st.characters(blacklist_characters="*REDACT", blacklist_categories=("Cs",))
SPELLINGS = [
    lambda s: s,
    lambda s: quote(s, safe=""),
    lambda s: re.sub(r"%[0-9A-F]{2}", lambda m: m.group().lower(), quote(s, safe="")),
    quote,
    quote_plus,
]


@FUZZ
@given(
    st.text(SAFE, min_size=6, max_size=30),
    st.text(SAFE, max_size=300),
    st.text(SAFE, max_size=300),
    st.sampled_from(range(len(SPELLINGS))),
    st.one_of(st.none(), st.integers(min_value=0, max_value=400)),
)
def test_scrub_leaves_no_whole_secret(
    secret: str, before: str, after: str, spelling: int, limit: int | None
) -> None:
    spelled = SPELLINGS[spelling](secret)
    shown = _http.scrub(before + spelled + after, [secret], limit)
    assert secret not in shown
    if spelled.lower() != secret.lower():
        assert spelled not in shown
    if limit is not None:
        assert len(shown) <= limit


# --- JSON ------------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=20,
)


def _ints(value: Any) -> list[int]:
    if isinstance(value, list | dict):
        items = value.values() if isinstance(value, dict) else value
        return [number for item in items for number in _ints(item)]
    return [value] if isinstance(value, int) and not isinstance(value, bool) else []


def _as_read_fast(value: Any) -> Any:
    """The value as decode_json reads it by default.

    orjson reads an integer past 64 bits as a float; one past a double it
    refuses, and the json module then reads the whole body exactly.
    """
    if any(abs(number) >= 2**1024 for number in _ints(value)):
        return value
    return _past_64_bits_as_floats(value)


def _past_64_bits_as_floats(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and not -(2**63) <= value < 2**64:
        return float(value)
    if isinstance(value, list):
        return [_past_64_bits_as_floats(item) for item in value]
    if isinstance(value, dict):
        return {key: _past_64_bits_as_floats(item) for key, item in value.items()}
    return value


@FUZZ
@given(JSON_VALUES, st.sampled_from([None, 2, "\n  "]))
def test_decode_json_reads_what_json_writes(value: Any, indent: Any) -> None:
    body = json.dumps(value, indent=indent).encode()
    assert _json.decode_json(body, "x", exact=True) == value
    assert _json.decode_json(body, "x") == _as_read_fast(value)


@FUZZ
@given(
    st.one_of(
        st.binary(max_size=500), JSON_VALUES.map(lambda v: json.dumps(v)[:-1].encode())
    )
)
def test_decode_json_of_anything_is_json_or_refused(body: bytes) -> None:
    _typed(_json.decode_json, body, "x")


# --- parsers: Wiwiz XML, SmartWiFi rows ----------------------------------------------------

FIELDS = [
    "ip", "mac", "start_time", "end_time", "incoming", "outgoing",
    "username", "usertype", "voucher", "mobile", "userstring", "tokencode",
]  # fmt: skip
FIELD_TEXT = st.one_of(
    NUMBER_TEXT,
    st.sampled_from(["2024-05-14 09:12:33", "AA-BB-CC-DD-EE-FF", "", "tok-1"]),
    st.text(max_size=30),
)
RECORD = st.dictionaries(st.sampled_from(FIELDS), FIELD_TEXT, max_size=len(FIELDS))


def _xml(records: list[dict[str, str]], code: str, extra: str) -> bytes:
    body = "".join(
        "<record>"
        + "".join(f"<{k}>{escape(v)}</{k}>" for k, v in rec.items())
        + "</record>"
        for rec in records
    )
    return (
        f"<result><status><code>{escape(code)}</code><message>m</message></status>"
        f"<data>{body}{extra}</data></result>"
    ).encode()


@pytest.fixture(scope="module")
def client() -> WiwizClient:
    """A client that never sends anything: only its parsing is driven."""
    return WiwizClient(None, "fuzz-key")  # type: ignore[arg-type]


@FEW
@given(
    st.lists(RECORD, max_size=6),
    st.sampled_from(["OK", "OK", "ERR003", "ERR999", ""]),
    st.sampled_from(
        ["", "<record>text</record>", "<x><y/></x>", "<record><ip><a/></ip></record>"]
    ),
)
def test_wiwiz_answers_are_models_or_typed_errors(
    client: WiwizClient, records: list[dict[str, str]], code: str, extra: str
) -> None:
    body = _xml(records, code, extra)
    try:
        conns = client._parse_records(
            "conn", body, client._connection, _sessions, most=MAX_CONNECTIONS
        )
    except GuestWifiError as err:
        refused = err
    else:
        refused = None
    if refused is not None:
        assert len(str(refused)) <= MAX_TEXT
        return
    assert all(isinstance(c, WiwizConnection) for c in conns)
    assert len({c.tokencode for c in conns if c.tokencode}) == sum(
        1 for c in conns if c.tokencode
    )
    for conn in conns:
        assert 0 <= conn.downloaded <= norm.MAX_BYTES
        assert 0 <= conn.uploaded <= norm.MAX_BYTES


@FEW
@given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_wiwiz_garbage_is_a_typed_error(client: WiwizClient, body: bytes) -> None:
    with contextlib.suppress(GuestWifiError):
        client._parse_records(
            "conn", body, client._connection, _sessions, most=MAX_CONNECTIONS
        )


ROW_FIELDS = [
    "date", "hotspotname", "macaddress", "identity", "guesttoken", "email",
    "downloaded", "uploaded", "online_time", "reason_for_termination",
]  # fmt: skip


@FUZZ
@given(
    st.dictionaries(st.sampled_from(ROW_FIELDS), ANY_VALUE, max_size=len(ROW_FIELDS))
)
def test_smartwifi_rows_are_models_or_typed_errors(row: dict[str, Any]) -> None:
    conn = _typed(norm.record_reader(smartwifi._connection), row)
    if conn is not None:
        assert 0 <= conn.downloaded <= norm.MAX_BYTES
        assert 0 <= conn.uploaded <= norm.MAX_BYTES
        assert conn.online_time is None or conn.online_time <= norm.MAX_DURATION


@FUZZ
@given(st.lists(st.sampled_from([("a", 1), ("a", 2), ("b", 1), ("c", 3)]), max_size=12))
def test_one_per_session_keeps_each_session_once_at_its_highest_rank(
    rows: list[tuple[str, int]],
) -> None:
    kept = norm.one_per_session(rows, lambda r: r[0], lambda r: r[1])
    assert [k for k, _ in kept] == list(dict.fromkeys(k for k, _ in rows))
    for key, rank in kept:
        assert rank == max(r for k, r in rows if k == key)


def test_money_keeps_decimals_exact() -> None:
    assert norm.money("5.6895") == Decimal("5.6895")
