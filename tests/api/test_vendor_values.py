"""The normalisers' own rules for numbers and text (the clients' are in tests/hostile)."""

from __future__ import annotations

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
