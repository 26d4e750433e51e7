"""The normalisers' own rules for numbers and text (the clients' are in tests/hostile)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from custom_components.guest_wifi.api import _normalize as norm
from custom_components.guest_wifi.api.errors import InvalidResponseError

SECRET = "S3CRET-KEY-0001"


@pytest.mark.parametrize(
    "value",
    [
        "1e99999999999999999999",  # past Decimal's own exponent limit
        "1e-99999999999999999999",
        "-1e999999999999999999999999999999999",
        ".",
        "e5",
        "1e",
        "0x10",
        "1_000",
        "\uff11\uff12\uff13",
        "\u0663",
        "\u0661.5",
        "NaN",
        "Infinity",
    ],
)
def test_only_numbers_in_ascii_digits_are_read(value: str) -> None:
    with pytest.raises(InvalidResponseError, match="Expected a number"):
        norm.integer(value)
    with pytest.raises(InvalidResponseError, match="Expected an amount"):
        norm.money(value)


@pytest.mark.parametrize(
    ("value", "number", "amount"),
    [("1.", 1, "1"), ("+.5", 0, "0.5"), (" 12 ", 12, "12"), ("1E+3", 1000, "1E+3")],
)
def test_numbers_in_ascii_digits_are_read(value: str, number: int, amount: str) -> None:
    assert norm.integer(value) == number
    assert str(norm.money(value)) == amount


@pytest.mark.parametrize(
    ("read", "value"),
    [
        (norm.integer, SECRET),
        (norm.byte_count, f"1{SECRET}"),
        (norm.money, SECRET),
        (norm.boolean, SECRET),
        (norm.boolean, [SECRET]),
        (norm.timestamp, SECRET),
        (norm.timestamp, SECRET * 10),
        (norm.duration, SECRET),
        (norm.duration, "99999999:00:00"),
        (norm.text, {"key": SECRET}),
    ],
)
def test_a_refused_value_is_never_quoted(read: Any, value: Any) -> None:
    with pytest.raises(InvalidResponseError) as caught:
        read(value)

    assert SECRET not in str(caught.value)
    assert "99999999" not in str(caught.value)


def test_a_refused_value_is_named_by_the_one_field_holding_it() -> None:
    rec = {"Name": "x", "Count": f"{SECRET}"}
    with pytest.raises(InvalidResponseError) as caught, norm.naming_fields(rec):
        norm.integer(rec["Count"])

    assert str(caught.value) == "Expected a number in field Count"


def test_a_value_several_fields_hold_is_not_named_by_a_guess() -> None:
    """`true` is one object: the key holding it first may be any key."""
    rec = {SECRET: True, "Count": True}
    with pytest.raises(InvalidResponseError) as caught, norm.naming_fields(rec):
        norm.integer(rec["Count"])

    assert str(caught.value) == "Expected a number"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("Ann", "Ann"),
        ("  Ann  ", "Ann"),
        ("\u00a0Zo\u00eb\u3000", "Zo\u00eb"),  # other spaces are spaces
        ("\U0001f469\u200d\U0001f4bb", "\U0001f469\u200d\U0001f4bb"),  # kept whole
        ("a\u2028b\u2029c", "a b c"),
        ("\x00\x1b\x7f\x9f", None),
        ("~\x7f\x9f\u00a0!", "~\u00a0!"),  # the edges of DEL and C1: kept
        ("Ann Lee\x00", "Ann Lee"),  # a space, just past C0: kept
        ("\ud800", "\ufffd"),
        (12261, "12261"),
    ],
)
def test_text_is_readable_and_storable(value: Any, shown: str | None) -> None:
    assert norm.text(value) == shown


def test_text_is_cut_to_its_bound() -> None:
    assert norm.text("x" * 10_000) == "x" * norm.MAX_FIELD_TEXT
    assert norm.text("x" * 10_000, norm.MAX_NOTE_TEXT) == "x" * norm.MAX_NOTE_TEXT
    assert norm.text(" " * 10 + "y" * 300) == "y" * norm.MAX_FIELD_TEXT


# --- the edges of each range, in the vendors' terms --------------------------------


def test_whole_numbers_at_the_edges_of_their_ranges() -> None:
    """A signed 64-bit id at its least; a fraction below one is 0, not below."""
    assert norm.integer(-(2**63)) == -(2**63)
    with pytest.raises(InvalidResponseError):
        norm.integer(-(2**63) - 1)
    assert norm.integer("0.5") == 0
    assert norm.byte_count("0.5") == 0
    assert norm.optional_int(0) == 0


def test_a_code_is_kept_up_to_ten_million() -> None:
    """Past ten million a code is dropped, not the answer."""
    assert norm.code(10_000_000, "usertype") == 10_000_000
    assert norm.code("10000000", "usertype") == 10_000_000
    assert norm.code(10_000_001, "usertype") is None


def test_times_end_before_the_year_9000() -> None:
    """The last moment of 8999 is a time; 9000 is a vendor's "never"."""
    last = norm.timestamp("8999-12-31T23:59:59+00:00")
    assert last == datetime(8999, 12, 31, 23, 59, 59, tzinfo=UTC)
    with pytest.raises(InvalidResponseError, match="Expected a date and time"):
        norm.timestamp("9000-01-01T00:00:00Z")


def test_a_duration_spelt_at_the_longest_is_read() -> None:
    """Forty characters (leading zeros) are read; one more is refused unread."""
    longest = "0" * 33 + "1:00:00"
    assert len(longest) == 40
    assert norm.duration(longest) == timedelta(hours=1)
    with pytest.raises(InvalidResponseError, match="Expected HH:MM:SS"):
        norm.duration("0" + longest)


def test_days_are_cut_into_pieces_of_one_day() -> None:
    """A piece of one day is the smallest: each day is its own request."""
    first = date(2026, 11, 21)
    assert list(norm.split_days(first, date(2026, 11, 23), 1)) == [
        (first, first),
        (date(2026, 11, 22), date(2026, 11, 22)),
        (date(2026, 11, 23), date(2026, 11, 23)),
    ]


@pytest.mark.parametrize("remember", [True, False])
def test_a_memo_reads_as_the_normalisers(remember: bool) -> None:
    """Remembering or not (the general way after a TypeError), the same values."""
    memo = norm.Memo(remember=remember)
    assert memo.mac("AA-BB-CC-DD-EE-FF") == "aa:bb:cc:dd:ee:ff"
    assert memo.text(" Ann ") == "Ann"
    assert memo.timestamp("2026-11-23 12:00:00") == datetime(
        2026, 11, 23, 12, tzinfo=UTC
    )
    assert memo.duration("01:00:00") == timedelta(hours=1)
    # Only strings are remembered: 1, 1.0 and True are one key to a dict.
    assert [memo.text(v) for v in (1, True, 1.0)] == ["1", "True", "1.0"]
