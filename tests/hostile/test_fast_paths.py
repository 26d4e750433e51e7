"""The fast ways of reading vendor values give what the general ways give.

Each normaliser reads the usual spelling first; a value with blanks around
it goes the general way (it is stripped there), so the two are compared on
the same text. JSON lists are read by orjson in pieces cut between objects:
cuts that land inside a string must be found out, not read as records.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
import json
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, strategies as st

from custom_components.guest_wifi.api import _json, _normalize as norm

from .test_fuzz import ANY_VALUE, FUZZ, _typed

ROME = ZoneInfo("Europe/Rome")

TIMES = st.one_of(
    st.datetimes(
        min_value=datetime(1, 1, 1),
        max_value=datetime(9999, 12, 31),
        timezones=st.sampled_from([None, UTC, timezone(timedelta(hours=-11))]),
    ).map(lambda moment: moment.isoformat(sep=" " if moment.second % 2 else "T")),
    st.from_regex(
        r"\A\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d{1,12})?(Z|[+-]\d\d:\d\d)?\Z"
    ),
    st.sampled_from(["0000-00-00 00:00:00", "0001-01-01T00:00:00", "1970-01-01"]),
)
MACS = st.one_of(
    st.from_regex(r"\A[0-9a-fA-F]{2}([-:][0-9a-fA-F]{2}){5}\Z"),
    st.from_regex(r"\A[0-9a-fA-FgG]{2}([-:.][0-9a-fA-F]{2}){5}\Z"),
    st.text(min_size=17, max_size=17),
)
DURATIONS = st.one_of(
    st.from_regex(r"\A\d{1,12}:\d{1,3}:\d{1,3}\Z"), st.text(max_size=12)
)
# Blank text is the default (0) only when empty: not a fast way's matter.
DIGITS = st.one_of(st.from_regex(r"\A[0-9]{1,22}\Z"), st.text(max_size=16)).filter(
    str.strip
)


@FUZZ
@given(TIMES, st.sampled_from([UTC, ROME]))
def test_timestamp_fast_way_reads_as_the_general_way(raw: str, zone: Any) -> None:
    assert _typed(norm.timestamp, raw, zone) == _typed(norm.timestamp, f" {raw} ", zone)


@FUZZ
@given(MACS)
def test_mac_fast_way_reads_as_the_general_way(raw: str) -> None:
    assert norm.mac(raw) == norm.mac(f" {raw} ")


@FUZZ
@given(DURATIONS)
def test_duration_fast_way_reads_as_the_general_way(raw: str) -> None:
    assert _typed(norm.duration, raw) == _typed(norm.duration, f" {raw} ")


@FUZZ
@given(DIGITS)
def test_whole_number_fast_way_reads_as_the_general_way(raw: str) -> None:
    assert _typed(norm.byte_count, raw) == _typed(norm.byte_count, f" {raw} ")
    assert _typed(norm.optional_int, raw) == _typed(norm.optional_int, f" {raw} ")


@FUZZ
@given(st.lists(st.one_of(ANY_VALUE, TIMES, MACS, DURATIONS), max_size=6))
def test_memo_reads_as_the_normalisers(values: list[Any]) -> None:
    memo = norm.Memo(ROME)
    for value in [*values, *values]:  # the second time from the memo
        assert _typed(memo.mac, value) == _typed(norm.mac, value)
        assert _typed(memo.text, value) == _typed(norm.text, value)
        assert _typed(memo.timestamp, value) == _typed(norm.timestamp, value, ROME)
        assert _typed(memo.duration, value) == _typed(norm.duration, value)


def test_memo_shares_one_object_per_distinct_string() -> None:
    memo = norm.Memo()
    first = memo.text("Hotspot  1".replace("  ", " "))
    again = "Hotspot__1".replace("__", " ")
    assert again is not first
    assert memo.text(again) is first


def test_a_record_holding_a_list_is_refused_as_before() -> None:
    def build(rec: dict[str, Any], memo: norm.Memo) -> str | None:
        return memo.texts[rec.get("name")]  # type: ignore[no-any-return]

    read = norm.record_reader(build)
    assert read({"name": " Lobby "}) == "Lobby"
    assert _typed(read, {"name": ["Lobby"]}) is None  # InvalidResponseError


# --- JSON read in pieces ---------------------------------------------------------------


def _rows(count: int, filler: str) -> list[dict[str, Any]]:
    return [
        {"id": i, "note": filler * (i % 7), "nested": {"a": [{"b": i}, {}]}}
        for i in range(count)
    ]


def test_a_long_list_is_read_in_pieces_as_json_reads_it() -> None:
    body = json.dumps(_rows(20_000, "x")).encode()
    assert len(list(_json._pieces(body) or [])) > 3
    assert _json.decode_json(body, "x") == json.loads(body)
    doubled = _json.decode_json(body, "x", lambda row: row["id"] * 2)
    assert doubled == [i * 2 for i in range(20_000)]


def test_cuts_inside_strings_are_found_out() -> None:
    # Every string is full of the seam a cut looks for: cuts land inside them.
    for filler in ("}, {", "},{", '"}, {"id": 1}, {"', "\\}, {"):
        body = json.dumps(_rows(3000, filler * 40)).encode()
        assert _json.decode_json(body, "x") == json.loads(body)


def test_a_list_with_no_seam_in_sight_is_read_whole() -> None:
    body = json.dumps([1] * 400_000).encode()
    assert _json.decode_json(body, "x") == [1] * 400_000


@FUZZ
@given(
    st.lists(
        st.dictionaries(
            st.text(max_size=4),
            st.one_of(
                st.text(alphabet='{}[],:" \\x', max_size=30),
                st.integers(min_value=-(2**63), max_value=2**63),
            ),
            max_size=4,
        ),
        max_size=30,
    ),
    st.sampled_from([None, 1, "\n"]),
)
def test_pieces_read_as_json_reads(rows: list[dict[str, Any]], indent: Any) -> None:
    # Small pieces, so that a few rows make several.
    body = json.dumps(rows, indent=indent).encode()
    assert _json.decode_json(body, "x") == rows
    pieces = _json._cut(body, body.index(b"[") + 1, 16, 64)
    try:
        read = [row for piece in pieces for row in json.loads(piece)]
    except ValueError:
        return  # a cut inside a string or no seam in sight: the slow way
    assert read == rows


@FUZZ
@given(st.floats())
def test_money_fast_way_reads_as_the_general_way(amount: float) -> None:
    assert _typed(norm.money, amount) == _typed(norm.money, str(amount))
