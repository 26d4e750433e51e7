"""The shared transport (`_http`) and value normalisation (`_normalize`)."""

from __future__ import annotations

from base64 import b64encode, urlsafe_b64encode
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from email.utils import format_datetime
import gzip
import json
import logging
import re
import threading
import time
from typing import Any
from urllib.parse import quote, quote_plus
import zlib
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.guest_wifi.api import _http, _json, _normalize as norm
from custom_components.guest_wifi.api.errors import (
    MAX_TEXT,
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

BASE = "https://vendor.example/api"
SECRET = "SECRET-TOKEN-123"


def _url(path: str) -> re.Pattern[str]:
    return re.compile(rf"^https://vendor\.example/api/{re.escape(path)}(\?.*)?$")


@pytest.fixture
def transport(session: aiohttp.ClientSession) -> _http.Transport:
    return _http.Transport(session, BASE, timeout=5, secrets=lambda: (SECRET, None))


# --- scrub ------------------------------------------------------------------


def test_scrub_replaces_every_occurrence_of_every_secret() -> None:
    text = f"key={SECRET}&again={SECRET} bearer=abc-123"
    assert (
        _http.scrub(text, [SECRET, "abc-123"])
        == f"key={_http.REDACTED}&again={_http.REDACTED} bearer={_http.REDACTED}"
    )


def test_scrub_ignores_missing_secrets() -> None:
    # An empty secret would otherwise "redact" between every character.
    assert _http.scrub("nothing to hide", [None, ""]) == "nothing to hide"


def test_transport_scrub_uses_the_accounts_secrets(
    transport: _http.Transport,
) -> None:
    assert transport.scrub(f"echo {SECRET}") == f"echo {_http.REDACTED}"


def test_transport_base_url_always_ends_with_one_slash(
    session: aiohttp.ClientSession,
) -> None:
    for given in (
        "https://h.example/v1",
        "https://h.example/v1/",
        "https://h.example/v1//",
    ):
        assert (
            _http.Transport(session, given, timeout=1, secrets=tuple).base_url
            == "https://h.example/v1/"
        )


# --- Retry-After ------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("120", 120.0),
        (" 7 ", 7.0),
        ("0.5", 0.5),
        ("-3", 0.0),
        ("0", 0.0),
        ("", None),
        (None, None),
        ("soon", None),
        ("inf", None),
        ("nan", None),
    ],
)
def test_retry_after_seconds(header: str | None, expected: float | None) -> None:
    assert _http._retry_after(header) == expected


def test_retry_after_http_date_in_the_future() -> None:
    when = datetime.now(UTC) + timedelta(seconds=120)
    delay = _http._retry_after(format_datetime(when, usegmt=True))
    assert delay is not None
    assert 110 < delay <= 120


def test_retry_after_http_date_without_zone_is_read_as_utc() -> None:
    # email.utils writes "-0000" for a naive time: "zone unknown".
    when = datetime.now(UTC).replace(tzinfo=None) + timedelta(seconds=300)
    header = format_datetime(when)
    assert header.endswith("-0000")
    delay = _http._retry_after(header)
    assert delay is not None
    assert 290 < delay <= 300


def test_retry_after_http_date_in_the_past_is_no_delay() -> None:
    assert _http._retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


# --- parse_body ---------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 450, 1024 * 1024])
async def test_parse_body_every_body_is_parsed_in_a_worker_thread(size: int) -> None:
    # Size says nothing about cost: 450 bytes holding 1e1000000 once took 25 s.
    threads: list[int] = []

    def parse(raw: bytes) -> int:
        threads.append(threading.get_ident())
        return len(raw)

    assert await _http.parse_body(parse, b"x" * size) == size
    assert len(threads) == 1
    assert threads[0] != threading.get_ident()


async def test_parse_body_too_deep_is_an_invalid_response() -> None:
    def parse(raw: bytes) -> int:
        raise RecursionError

    with pytest.raises(InvalidResponseError, match="nested too deeply") as caught:
        await _http.parse_body(parse, b"[[[")
    assert caught.value.__context__ is None


async def test_parse_body_large_json_gives_the_same_result() -> None:
    records = [{"id": i, "macaddress": "AA-BB-CC-DD-EE-FF"} for i in range(3000)]
    body = json.dumps(records).encode()
    assert await _http.parse_body(lambda raw: _json.decode_json(raw, "x"), body) == (
        records
    )


async def test_parse_body_off_loop_errors_reach_the_caller() -> None:
    body = b'{"cut": "' + b"a" * 100_000
    with pytest.raises(InvalidResponseError, match="Malformed JSON from /big"):
        await _http.parse_body(lambda raw: _json.decode_json(raw, "big"), body)


# --- decode_json / _vendor_message ---------------------------------------------


def test_decode_json_reads_utf8_json() -> None:
    assert _json.decode_json('{"città": "Roma"}'.encode(), "x") == {"città": "Roma"}


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body>Bad Gateway</body></html>",
        b'[{"id": 1, "name": "cut',
        b"",
        b'["' + SECRET.encode() + b'\xff"]',
    ],
    ids=["html", "truncated", "empty", "invalid-utf8"],
)
def test_decode_json_refuses_what_is_not_json(body: bytes) -> None:
    with pytest.raises(InvalidResponseError) as caught:
        _json.decode_json(body, "/v2/things")
    assert str(caught.value) == "Malformed JSON from /v2/things"
    # A UnicodeDecodeError's repr holds the whole body: it must not be chained.
    assert caught.value.__context__ is None
    assert caught.value.__cause__ is None


@pytest.mark.parametrize(
    "key", ["message", "Message", "error_description", "error", "detail"]
)
def test_vendor_message_reads_known_json_keys(key: str) -> None:
    assert _http._vendor_message(f'{{"{key}": "Nope"}}'.encode(), ()) == "Nope"


def test_vendor_message_skips_empty_and_non_text_values() -> None:
    body = b'{"message": "", "Message": 42, "error": "invalid_grant"}'
    assert _http._vendor_message(body, ()) == "invalid_grant"


def test_vendor_message_html_page_says_nothing() -> None:
    assert _http._vendor_message(b"  <html><h1>500</h1></html>", ()) == ""


def test_vendor_message_plain_text_and_json_without_message() -> None:
    assert _http._vendor_message(b" Quota exceeded \n", ()) == "Quota exceeded"
    assert _http._vendor_message(b'["not", "an", "object"]', ()) == (
        '["not", "an", "object"]'
    )
    assert _http._vendor_message(b"x" * 500, ()) == "x" * 200


@pytest.mark.parametrize("wrap", ["json", "text"])
def test_vendor_message_scrubs_before_cutting(wrap: str) -> None:
    # The secret straddles the 200-character cut: scrubbing the cut text
    # would leave "SECRET-TOK..." behind.
    text = "x" * 190 + SECRET + " tail"
    body = f'{{"message": "{text}"}}' if wrap == "json" else text
    message = _http._vendor_message(body.encode(), (SECRET,))
    assert "SECRET-TOK" not in message
    assert message.startswith("x" * 190 + "**REDAC")
    assert len(message) == 200


# --- Transport.request ----------------------------------------------------------


async def test_request_sends_params_json_headers_without_redirects(
    transport: _http.Transport,
    session: aiohttp.ClientSession,
    mock_http: AiohttpClientMocker,
) -> None:
    # The mocker records method, URL, body and headers; the options the
    # transport gives aiohttp (redirects, timeout) are read off the call.
    options: list[dict[str, Any]] = []
    request = session.request

    def spy(method: str, url: str, **kwargs: Any) -> Any:
        options.append(kwargs)
        return request(method, url, **kwargs)

    object.__setattr__(session, "request", spy)
    mock_http.post(_url("things"), status=201, content=b'{"id": 1}')
    status, body = await transport.request(
        "POST",
        "/things",
        params={"a": "1"},
        json_body={"Name": "x"},
        headers={"X-Test": "yes"},
        expect=(201,),
    )
    assert (status, body) == (201, b'{"id": 1}')
    [(method, url, json_body, headers)] = mock_http.mock_calls
    assert method == "POST"
    assert str(url) == "https://vendor.example/api/things?a=1"
    assert json_body == {"Name": "x"}
    # Only encodings the transport unpacks itself, in bounded steps.
    assert headers == {"Accept-Encoding": "gzip, deflate", "X-Test": "yes"}
    [kwargs] = options
    assert kwargs["allow_redirects"] is False
    assert kwargs["auto_decompress"] is False
    assert kwargs["timeout"].total == 5


async def test_get_json_decodes_the_body(
    transport: _http.Transport, mock_http: AiohttpClientMocker
) -> None:
    mock_http.get(_url("things"), json=[{"id": 1}])
    assert await transport.get_json("things", params={"q": "x"}) == [{"id": 1}]
    [(_, url, _, _)] = mock_http.mock_calls
    assert url.query == {"q": "x"}


@pytest.mark.parametrize(
    ("status", "error", "text"),
    [
        (401, AuthenticationError, "HTTP 401 on GET /things"),
        (403, AuthenticationError, "HTTP 403 on GET /things"),
        (404, NotFoundError, "404: Not found: GET /things"),
        (429, RateLimitedError, "Rate limited on GET /things"),
        (500, CannotConnectError, "HTTP 500 on GET /things"),
        (503, CannotConnectError, "HTTP 503 on GET /things"),
        (418, VendorError, "418: HTTP 418 on GET /things"),
        (302, InvalidResponseError, "Unexpected redirect (HTTP 302) on GET /things"),
        (204, InvalidResponseError, "Unexpected HTTP 204 on GET /things"),
    ],
)
async def test_request_maps_statuses_without_a_body(
    transport: _http.Transport,
    mock_http: AiohttpClientMocker,
    status: int,
    error: type[GuestWifiError],
    text: str,
) -> None:
    mock_http.get(
        _url("things"),
        status=status,
        content=b"",
        headers={"Location": "https://elsewhere.example/"},
    )
    with pytest.raises(error) as caught:
        await transport.request("GET", "things")
    assert type(caught.value) is error
    assert str(caught.value) == text


async def test_request_rate_limit_carries_retry_after(
    transport: _http.Transport, mock_http: AiohttpClientMocker
) -> None:
    mock_http.get(_url("things"), status=429, headers={"Retry-After": "42"})
    with pytest.raises(RateLimitedError) as caught:
        await transport.request("GET", "things")
    assert caught.value.retry_after == 42.0


async def test_request_vendor_error_keeps_code_and_scrubbed_message(
    transport: _http.Transport, mock_http: AiohttpClientMocker
) -> None:
    mock_http.get(
        _url("things"), status=422, json={"detail": f"token {SECRET} is read-only"}
    )
    with pytest.raises(VendorError) as caught:
        await transport.request("GET", "things")
    assert caught.value.code == "422"
    assert caught.value.vendor_message == "token **REDACTED** is read-only"
    assert SECRET not in str(caught.value)


@pytest.mark.parametrize(
    ("exception", "text"),
    [
        (TimeoutError(), "Timeout on GET /things"),
        (
            aiohttp.ServerTimeoutError(f"read timeout on {BASE}/things?k={SECRET}"),
            "Timeout on GET /things",
        ),
        (
            aiohttp.ClientConnectionError(f"refused: {BASE}/things?k={SECRET}"),
            "Cannot connect for GET /things: ClientConnectionError",
        ),
        (
            aiohttp.ClientPayloadError(f"cut while reading {SECRET}"),
            "Cannot connect for GET /things: ClientPayloadError",
        ),
    ],
)
async def test_request_connection_failures_hide_the_url(
    transport: _http.Transport,
    mock_http: AiohttpClientMocker,
    exception: Exception,
    text: str,
) -> None:
    mock_http.get(_url("things"), exc=exception)
    with pytest.raises(CannotConnectError) as caught:
        await transport.request("GET", "things", params={"k": SECRET})
    assert str(caught.value) == text
    # The aiohttp error (its text holds the URL and key) is not chained.
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None


async def test_request_logs_no_query_string(
    transport: _http.Transport,
    mock_http: AiohttpClientMocker,
    caplog: pytest.LogCaptureFixture,
) -> None:
    mock_http.get(_url("things"), json=[])
    await transport.get_json("things", params={"k": SECRET})
    assert "Request GET /things" in caplog.text
    assert SECRET not in caplog.text


# --- _normalize: text, mac --------------------------------------------------------


def test_text_makes_empty_values_none() -> None:
    assert norm.text(None) is None
    assert norm.text("") is None
    assert norm.text("   ") is None
    assert norm.text(" Roma ") == "Roma"
    assert norm.text(12261) == "12261"


@pytest.mark.parametrize(
    "value",
    [
        "AA-BB-CC-DD-EE-FF",
        "aa:bb:cc:dd:ee:ff",
        "Aa:bB:Cc:dD:eE:Ff",
        "aabb.ccdd.eeff",
        "AABBCCDDEEFF",
        " aa bb cc dd ee ff ",
        "aa-bb:cc.dd ee-ff",
    ],
)
def test_mac_odd_spellings(value: str) -> None:
    assert norm.mac(value) == "aa:bb:cc:dd:ee:ff"


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "   ",
        "not a mac",
        "AA-BB-CC-DD-EE",
        "AA-BB-CC-DD-EE-FF-00",
        "GG-BB-CC-DD-EE-FF",
        "aa:bb:cc:dd:ee:fz",
        "AA_BB_CC_DD_EE_FF",
        "user@example.com",
        12345,
    ],
)
def test_mac_garbage_is_none(value: Any) -> None:
    assert norm.mac(value) is None


# --- _normalize: timestamp ----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "2012-07-27T18:51:45.53403Z",
            datetime(2012, 7, 27, 18, 51, 45, 534030, tzinfo=UTC),
        ),
        (
            "2012-07-27T18:51:45z",
            datetime(2012, 7, 27, 18, 51, 45, tzinfo=UTC),
        ),
        (
            "2019-12-30T14:14:44.493576+00:00",
            datetime(2019, 12, 30, 14, 14, 44, 493576, tzinfo=UTC),
        ),
        (
            "2012-07-27T11:51:45.53403-07:00",
            datetime(2012, 7, 27, 18, 51, 45, 534030, tzinfo=UTC),
        ),
        (
            "2024-06-30T21:59:59.1234567Z",
            datetime(2024, 6, 30, 21, 59, 59, 123456, tzinfo=UTC),
        ),
        (
            "2024-06-30T23:59:59.123456789+02:00",
            datetime(2024, 6, 30, 21, 59, 59, 123456, tzinfo=UTC),
        ),
        ("2024-05-01 10:00:00", datetime(2024, 5, 1, 10, tzinfo=UTC)),
    ],
)
def test_timestamp_iso_forms(value: str, expected: datetime) -> None:
    parsed = norm.timestamp(value)
    assert parsed == expected
    assert parsed is not None
    assert parsed.tzinfo is not None


def test_timestamp_keeps_the_vendors_offset() -> None:
    parsed = norm.timestamp("2012-07-27T11:51:45.53403-07:00")
    assert parsed is not None
    assert parsed.utcoffset() == timedelta(hours=-7)
    assert parsed.hour == 11


def test_timestamp_naive_is_read_in_the_given_zone() -> None:
    rome = ZoneInfo("Europe/Rome")
    parsed = norm.timestamp("2024-07-01 12:00:00", rome)
    assert parsed == datetime(2024, 7, 1, 12, tzinfo=rome)
    assert parsed is not None
    assert parsed.astimezone(UTC).hour == 10
    # An explicit offset wins over the given zone.
    assert norm.timestamp("2024-07-01T12:00:00Z", rome) == datetime(
        2024, 7, 1, 12, tzinfo=UTC
    )
    fixed = timezone(timedelta(hours=-5))
    assert norm.timestamp("2024-01-01T00:00:00", fixed) == datetime(
        2024, 1, 1, 5, tzinfo=UTC
    )


@pytest.mark.parametrize(
    "value",
    [None, "", "  ", "0000-00-00", "0000-00-00 00:00:00", "0000-00-00T00:00:00Z"],
)
def test_timestamp_empty_and_zero_dates_are_none(value: str | None) -> None:
    assert norm.timestamp(value) is None


@pytest.mark.parametrize(
    "value", ["yyyy-mm-dd hh:mm:ss", "2024-13-01 00:00:00", "yesterday", "12:00"]
)
def test_timestamp_garbage_is_invalid(value: str) -> None:
    with pytest.raises(InvalidResponseError, match="Expected a date and time"):
        norm.timestamp(value)


# --- _normalize: numbers, money, booleans, durations, records -------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1641142, 1641142),
        ("481731", 481731),
        (" 7 ", 7),
        ("1.0", 1),
        (2.0, 2),
        ("1e3", 1000),
        (None, 0),
        ("", 0),
    ],
)
def test_integer_values(value: Any, expected: int) -> None:
    assert norm.integer(value) == expected


def test_integer_default_and_optional_int() -> None:
    assert norm.integer(None, default=-1) == -1
    assert norm.integer("", default=5) == 5
    assert norm.optional_int(None) is None
    assert norm.optional_int("") is None
    assert norm.optional_int("14646") == 14646


@pytest.mark.parametrize(
    "value", ["abc", "12 MB", True, False, [1], {"a": 1}, "inf", float("inf"), "nan"]
)
def test_integer_bad_values_are_invalid(value: Any) -> None:
    with pytest.raises(InvalidResponseError, match="Expected a number"):
        norm.integer(value)
    with pytest.raises(InvalidResponseError):
        norm.optional_int(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10.5", Decimal("10.5")),
        ("0.5", Decimal("0.5")),
        ("35.0", Decimal("35.0")),
        (35, Decimal(35)),
        (5.6895, Decimal("5.6895")),
        (0.0, Decimal("0.0")),
    ],
)
def test_money_is_exact(value: Any, expected: Decimal) -> None:
    amount = norm.money(value)
    assert isinstance(amount, Decimal)
    assert amount == expected
    assert str(amount) == str(expected)


def test_money_missing_is_none() -> None:
    assert norm.money(None) is None
    assert norm.money("") is None


@pytest.mark.parametrize(
    "value", ["abc", "1,5", "€5", True, [1], "NaN", "Infinity", float("nan")]
)
def test_money_bad_values_are_invalid(value: Any) -> None:
    with pytest.raises(InvalidResponseError, match="Expected an amount"):
        norm.money(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        (False, False),
        ("true", True),
        (" TRUE ", True),
        ("1", True),
        (1, True),
        ("yes", True),
        ("false", False),
        ("0", False),
        (0, False),
        ("no", False),
        ("null", False),
        (None, None),
        ("", None),
    ],
)
def test_boolean_values(value: Any, expected: bool | None) -> None:
    assert norm.boolean(value) is expected


@pytest.mark.parametrize("value", ["maybe", 2, "on", "-1"])
def test_boolean_bad_values_are_invalid(value: Any) -> None:
    with pytest.raises(InvalidResponseError, match="Expected true or false"):
        norm.boolean(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("00:05:14", timedelta(minutes=5, seconds=14)),
        ("26:01:09", timedelta(hours=26, minutes=1, seconds=9)),
        ("0:0:0", timedelta(0)),
        (None, None),
        ("", None),
    ],
)
def test_duration_values(value: str | None, expected: timedelta | None) -> None:
    assert norm.duration(value) == expected


@pytest.mark.parametrize(
    "value", ["5 minutes", "05:14", "1:2:3:4", "a:b:c", "00:05:14.5", "1 day, 00:00:00"]
)
def test_duration_bad_values_are_invalid(value: str) -> None:
    with pytest.raises(InvalidResponseError, match="Expected HH:MM:SS"):
        norm.duration(value)


def test_records_accepts_a_list_of_objects() -> None:
    value = [{"id": 1}, {"id": 2}]
    assert norm.records(value, "x") is value
    assert norm.records([], "x") == []


@pytest.mark.parametrize(
    "value", [{"id": 1}, [{"id": 1}, "two"], None, "[]", [[{"id": 1}]]]
)
def test_records_refuses_other_shapes(value: Any) -> None:
    with pytest.raises(
        InvalidResponseError, match="Expected a list of records from /x"
    ):
        norm.records(value, "/x")


# --- _normalize: split_range / split_days --------------------------------------------


T0 = datetime(2024, 1, 1, tzinfo=UTC)


def test_split_range_shorter_than_span_is_one_piece() -> None:
    end = T0 + timedelta(days=3, hours=5)
    assert list(norm.split_range(T0, end, timedelta(days=30))) == [(T0, end)]


def test_split_range_exact_multiple_has_no_empty_tail() -> None:
    span = timedelta(days=30)
    pieces = list(norm.split_range(T0, T0 + 2 * span, span))
    assert pieces == [(T0, T0 + span), (T0 + span, T0 + 2 * span)]


def test_split_range_remainder_is_the_last_piece() -> None:
    span = timedelta(days=30)
    end = T0 + timedelta(days=75)
    pieces = list(norm.split_range(T0, end, span))
    assert [b - a for a, b in pieces] == [span, span, timedelta(days=15)]
    # Contiguous: each piece ends where the next one begins ([from, to) ranges).
    assert pieces[0][0] == T0
    assert pieces[-1][1] == end
    assert all(pieces[i][1] == pieces[i + 1][0] for i in range(len(pieces) - 1))


def test_split_range_single_instant_is_one_empty_piece() -> None:
    assert list(norm.split_range(T0, T0, timedelta(days=30))) == [(T0, T0)]


def test_split_range_end_before_start_is_refused() -> None:
    with pytest.raises(InvalidRequestError, match="before its start"):
        list(norm.split_range(T0, T0 - timedelta(seconds=1), timedelta(days=1)))


@pytest.mark.parametrize("span", [timedelta(0), timedelta(days=-1)])
def test_split_range_non_positive_span_is_refused(span: timedelta) -> None:
    # It would otherwise yield the same piece forever.
    with pytest.raises(InvalidRequestError):
        next(norm.split_range(T0, T0 + timedelta(days=1), span))


D0 = date(2024, 1, 1)


def test_split_days_single_day() -> None:
    assert list(norm.split_days(D0, D0, 30)) == [(D0, D0)]


def test_split_days_inclusive_pieces() -> None:
    pieces = list(norm.split_days(D0, D0 + timedelta(days=30), 30))
    # 31 days in all: 30 then 1, no day read twice and none skipped.
    assert pieces == [
        (D0, D0 + timedelta(days=29)),
        (D0 + timedelta(days=30), D0 + timedelta(days=30)),
    ]
    exact = list(norm.split_days(D0, D0 + timedelta(days=59), 30))
    assert exact == [
        (D0, D0 + timedelta(days=29)),
        (D0 + timedelta(days=30), D0 + timedelta(days=59)),
    ]


def test_split_days_end_before_start_is_refused() -> None:
    with pytest.raises(InvalidRequestError, match="before its start"):
        list(norm.split_days(D0, D0 - timedelta(days=1), 30))


@pytest.mark.parametrize("days", [0, -3])
def test_split_days_non_positive_size_is_refused(days: int) -> None:
    with pytest.raises(InvalidRequestError):
        next(norm.split_days(D0, D0 + timedelta(days=5), days))


def test_invalid_request_error_is_a_value_error() -> None:
    assert issubclass(InvalidRequestError, ValueError)
    assert issubclass(InvalidRequestError, GuestWifiError)


# --- hostile answers: secrets in other spellings ----------------------------------

ODD_SECRET = "k3y/with+special chars&=é"


@pytest.mark.parametrize(
    "spelling",
    [
        quote(ODD_SECRET, safe=""),
        quote(ODD_SECRET, safe="").lower(),
        quote_plus(ODD_SECRET, safe=""),
        quote(ODD_SECRET),  # "/" left as it is
        b64encode(ODD_SECRET.encode()).decode(),
        urlsafe_b64encode(ODD_SECRET.encode()).decode().rstrip("="),
        ODD_SECRET,
    ],
    ids=[
        *("quote", "quote-lower", "quote-plus", "quote-keep-slash", "b64"),
        *("b64url", "plain"),
    ],
)
def test_scrub_catches_encoded_secrets(spelling: str) -> None:
    text = f"key={spelling}&again={spelling} end"
    assert _http.scrub(text, [ODD_SECRET]) == (
        f"key={_http.REDACTED}&again={_http.REDACTED} end"
    )


def test_scrub_overlapping_secrets_leave_no_piece() -> None:
    # Replacing one secret after the other would leave "-123" of the second.
    shown = _http.scrub("abc-XYZ-123 tail", ["abc-XYZ", "XYZ-123"])
    assert shown == f"{_http.REDACTED} tail"


def test_scrub_with_a_limit_reads_only_the_start() -> None:
    text = "x" * 195 + quote(ODD_SECRET, safe="") + "y" * 5_000_000
    shown = _http.scrub(text, [ODD_SECRET], 200)
    assert shown == "x" * 195 + _http.REDACTED[:5]
    assert _http.scrub("short", [ODD_SECRET], 200) == "short"


# --- hostile answers: Retry-After --------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("86400000", _http.MAX_RETRY_AFTER),
        ("1e15", _http.MAX_RETRY_AFTER),
        ("1e400", None),  # a float of inf: no delay anyone can wait
        ("Thu, 01 Jan 2099 00:00:00 GMT", _http.MAX_RETRY_AFTER),
        ("Mon, 01 Jan 0001 00:00:00 +2359", 0.0),
        ("Fri, 31 Dec 9999 23:59:59 -2359", _http.MAX_RETRY_AFTER),
        ("Sun, 99 Foo 2024 99:99:99 GMT", None),
        ("9" * 5000, None),
        ("\x00\xff", None),
    ],
)
def test_retry_after_is_bounded_and_never_raises(
    header: str, expected: float | None
) -> None:
    assert _http._retry_after(header) == expected
    assert _http.MAX_RETRY_AFTER == 3600


# --- hostile answers: bodies --------------------------------------------------------


async def test_request_refuses_an_answer_past_its_cap(
    transport: _http.Transport, mock_http: AiohttpClientMocker
) -> None:
    mock_http.get(_url("things"), content=b"x" * 1001)
    with pytest.raises(ResponseTooLargeError) as caught:
        await transport.request("GET", "things", max_bytes=1000)
    assert str(caught.value) == "Answer larger than 1000 bytes on GET /things"
    assert isinstance(caught.value, InvalidResponseError)


async def test_request_answer_at_its_cap_is_read(
    transport: _http.Transport, mock_http: AiohttpClientMocker
) -> None:
    mock_http.get(_url("things"), content=b"x" * 1000)
    assert await transport.request("GET", "things", max_bytes=1000) == (
        200,
        b"x" * 1000,
    )


@pytest.mark.parametrize("encoding", ["gzip", "x-gzip", "deflate", "raw-deflate"])
async def test_request_unpacks_what_it_asked_for(
    transport: _http.Transport, mock_http: AiohttpClientMocker, encoding: str
) -> None:
    body = json.dumps([{"id": i} for i in range(5000)]).encode()
    packed = {
        "gzip": gzip.compress(body),
        "x-gzip": gzip.compress(body),
        "deflate": zlib.compress(body),
        "raw-deflate": zlib.compress(body)[2:-4],
    }[encoding]
    header = "deflate" if encoding == "raw-deflate" else encoding
    mock_http.get(_url("things"), content=packed, headers={"Content-Encoding": header})
    assert await transport.request("GET", "things") == (200, body)


async def test_request_gzip_members_are_joined(
    transport: _http.Transport, mock_http: AiohttpClientMocker
) -> None:
    packed = gzip.compress(b"[1, ") + gzip.compress(b"2]")
    mock_http.get(_url("things"), content=packed, headers={"Content-Encoding": "gzip"})
    assert await transport.get_json("things") == [1, 2]


async def test_request_gzip_bomb_stops_at_the_cap(
    transport: _http.Transport, mock_http: AiohttpClientMocker
) -> None:
    bomb = gzip.compress(bytes(64 * 2**20), 9)
    assert len(bomb) < 100_000
    mock_http.get(_url("things"), content=bomb, headers={"Content-Encoding": "gzip"})
    with pytest.raises(ResponseTooLargeError):
        await transport.request("GET", "things", max_bytes=2**20)


@pytest.mark.parametrize(
    ("content", "encoding", "text"),
    [
        (b"\x1f\x8b\x08\x00garbage" * 10, "gzip", "Answer cannot be unpacked"),
        (gzip.compress(b"x" * 10_000)[:-20], "gzip", "Packed answer cut short"),
        (b"[]", "br", "Answer in an encoding not asked for: br"),
    ],
    ids=["bad-gzip", "cut-gzip", "unasked-encoding"],
)
async def test_request_unpacking_failures_are_invalid_responses(
    transport: _http.Transport,
    mock_http: AiohttpClientMocker,
    content: bytes,
    encoding: str,
    text: str,
) -> None:
    mock_http.get(
        _url("things"), content=content, headers={"Content-Encoding": encoding}
    )
    with pytest.raises(InvalidResponseError, match=re.escape(text)):
        await transport.request("GET", "things")


async def test_request_reads_only_the_start_of_an_error_answer(
    transport: _http.Transport, mock_http: AiohttpClientMocker
) -> None:
    body = f'{{"message": "token {SECRET} refused", "pad": "{"x" * 10_000_000}"}}'
    mock_http.get(_url("things"), status=400, text=body)
    with pytest.raises(VendorError) as caught:
        await transport.request("GET", "things")
    # Cut after 4 KiB the JSON is broken: its start stands as the message.
    assert caught.value.vendor_message.startswith('{"message": "token **REDACTED**')
    assert 190 <= len(caught.value.vendor_message) <= 200


async def test_request_error_answers_are_read_off_the_loop(
    transport: _http.Transport,
    mock_http: AiohttpClientMocker,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    threads: list[int] = []
    read = _http._vendor_message

    def spy(body: bytes, secrets: Any) -> str:
        threads.append(threading.get_ident())
        return read(body, secrets)

    monkeypatch.setattr(_http, "_vendor_message", spy)
    mock_http.get(_url("things"), status=422, json={"message": "no"})
    with pytest.raises(VendorError):
        await transport.request("GET", "things")
    assert len(threads) == 1
    assert threads[0] != threading.get_ident()


def test_vendor_message_deep_json_is_plain_text() -> None:
    body = b"[" * 4096
    assert _http._vendor_message(body, ()) == "[" * 200


async def test_request_path_in_errors_is_bounded(
    transport: _http.Transport, mock_http: AiohttpClientMocker
) -> None:
    mock_http.get(re.compile(r".*"), status=500)
    with pytest.raises(CannotConnectError) as caught:
        await transport.request("GET", "things/" + "i" * 1_000_000)
    assert len(str(caught.value)) < 150


# --- hostile answers: JSON ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "[]",
        " [ ] ",
        "[1]",
        '[{"a": [1, {"b": null}]}, "x", 2.5, true]',
        '\n[\n  {"id": 1},\n  {"id": 2}\n]\n',
        '{"a": 1}',
        '"text"',
        "3",
    ],
)
def test_decode_json_reads_like_json_loads(text: str) -> None:
    assert _json.decode_json(text.encode(), "x") == json.loads(text)


@pytest.mark.parametrize(
    "body",
    [
        b"[1,]",
        b"[1 2]",
        b"[1] [2]",
        b"[",
        b"[1",
        b"[1,",
        b"[" * 100_000,
        b"\xef\xbb\xbf",
    ],
    ids=[
        *("trailing-comma", "no-comma", "extra", "open", "cut", "cut-comma"),
        *("deep", "bom-only"),
    ],
)
def test_decode_json_refuses_broken_lists(body: bytes) -> None:
    with pytest.raises(InvalidResponseError, match="Malformed JSON"):
        _json.decode_json(body, "x")


def test_decode_json_reads_utf16_and_bom() -> None:
    assert _json.decode_json('[{"a": "é"}]'.encode("utf-16"), "x") == [{"a": "é"}]
    assert _json.decode_json(b'\xef\xbb\xbf["x"]', "x") == ["x"]


def test_decode_json_each_maps_the_elements_as_read() -> None:
    assert _json.decode_json(b'[{"a": 1}, {"a": 2}]', "x", lambda r: r["a"]) == [1, 2]


# --- hostile answers: vendor numbers ------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        *("1e1000000", "1e7000000", "9" * 5000, "1e400", "-1", -1),
        *("9007199254740992", 2**53, 1e300, "1E+25", "-0.5e3"),
    ],
)
def test_byte_count_out_of_range_is_refused_quickly(value: Any) -> None:
    started = time.perf_counter()
    with pytest.raises(InvalidResponseError):
        norm.byte_count(value)
    assert time.perf_counter() - started < 0.05


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, 0),
        ("", 0),
        ("0", 0),
        (2**53 - 1, 2**53 - 1),
        ("9007199254740991", 2**53 - 1),
        ("1.5e3", 1500),
        ("1e-1000000", 0),
        ("12.9", 12),
    ],
)
def test_byte_count_in_range(value: Any, expected: int) -> None:
    assert norm.byte_count(value) == expected


def test_optional_int_ids_are_64_bit() -> None:
    assert norm.optional_int(str(2**63 - 1)) == 2**63 - 1
    with pytest.raises(InvalidResponseError, match="out of range"):
        norm.optional_int(str(2**63))
    with pytest.raises(InvalidResponseError, match="out of range"):
        norm.optional_int("-1")


def test_code_out_of_range_is_dropped_with_a_debug_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    assert norm.code("1", "usertype") == 1
    assert norm.code(None, "usertype") is None
    assert norm.code("1e1000000", "usertype") is None
    assert norm.code("-1", "usertype") is None
    assert norm.code("lots", "usertype") is None
    assert caplog.text.count("Dropped usertype") == 3


@pytest.mark.parametrize(
    "value",
    [
        "99999999999:00:00",
        "87673:00:00",
        "-1:00:00",
        "1:-5:00",
        "\u0661:\u0660\u0660:\u0660\u0660",
        "9" * 50,
    ],
)
def test_duration_out_of_range_is_refused(value: str) -> None:
    with pytest.raises(InvalidResponseError):
        norm.duration(value)


def test_duration_up_to_ten_years() -> None:
    assert norm.duration("87660:00:00") == timedelta(hours=87660)


@pytest.mark.parametrize(
    "value",
    [
        "9999-12-31T23:59:59-23:59",
        "0001-01-02T00:00:00+23:59",
        "1969-12-31T23:59:59Z",
        "9000-01-01T00:00:00Z",
        "2024-05-01T10:00:00" + "0" * 100,
    ],
)
def test_timestamp_out_of_range_is_refused(value: str) -> None:
    with pytest.raises(InvalidResponseError, match="Expected a date and time"):
        norm.timestamp(value)


def test_timestamp_dotnet_min_value_is_no_date() -> None:
    assert norm.timestamp("0001-01-01T00:00:00") is None


@pytest.mark.parametrize("value", ["1e1000000", "1e13", "-1e13", "9" * 5000])
def test_money_out_of_range_is_refused(value: str) -> None:
    with pytest.raises(InvalidResponseError, match="Expected an amount"):
        norm.money(value)


@pytest.mark.parametrize("value", [{"a": 1}, [1, 2], {"deep": [[[]]]}])
def test_text_refuses_containers(value: Any) -> None:
    with pytest.raises(InvalidResponseError, match="Expected text"):
        norm.text(value)


def test_errors_keep_vendor_text_bounded() -> None:
    huge = "x" * 5_000_000
    assert len(str(InvalidResponseError(huge))) <= MAX_TEXT
    err = VendorError("E" * 1_000_000, huge)
    assert len(err.code) <= 64
    assert len(err.vendor_message) <= MAX_TEXT
    assert len(str(err)) <= MAX_TEXT
    assert str(err).endswith("chars)")
    with pytest.raises(InvalidResponseError) as caught:
        norm.integer("9" * 1_000_000)
    assert len(str(caught.value)) < 150


# --- sessions -----------------------------------------------------------------------


def test_one_per_session_keeps_the_latest_state_in_first_seen_order() -> None:
    rows = [("a", 1), ("b", 5), ("a", 3), ("a", 2), ("c", 0), ("c", 0)]
    kept = norm.one_per_session(rows, lambda r: r[0], lambda r: r[1])
    assert kept == [("a", 3), ("b", 5), ("c", 0)]


def test_one_per_session_without_an_id_only_merges_identical_records() -> None:
    rows = [("x", 1), ("x", 1), ("x", 2)]
    assert norm.one_per_session(rows, lambda r: None, lambda r: 0) == [
        ("x", 1),
        ("x", 2),
    ]


@pytest.mark.parametrize(
    ("status", "error"),
    [(401, AuthenticationError), (503, CannotConnectError), (422, VendorError)],
)
async def test_request_unreadable_error_answer_keeps_its_status(
    transport: _http.Transport,
    mock_http: AiohttpClientMocker,
    status: int,
    error: type[GuestWifiError],
) -> None:
    mock_http.get(
        _url("things"),
        status=status,
        content=b"\x1f\x8bnot gzip",
        headers={"Content-Encoding": "gzip"},
    )
    with pytest.raises(error):
        await transport.request("GET", "things")


# --- loop time: deep JSON refused unbuilt, large bodies joined off the loop ----------


def test_too_deep_is_orjsons_depth_refusal_only() -> None:
    assert _json._too_deep("[" * 1100 + "]" * 1100)
    assert _json._too_deep('{"a":' * 1100 + "1" + "}" * 1100)
    assert not _json._too_deep("[" * 50 + "]" * 50)
    # What orjson refuses for another reason is left to the json module.
    assert not _json._too_deep("[NaN]")
    assert not _json._too_deep('["\\ud800"]')
    assert not _json._too_deep("[" * 1100)  # cut short: json refuses it


def test_too_deep_skips_texts_too_long_to_check_cheaply() -> None:
    deep = "[" * 1100 + "]" * 1100
    assert not _json._too_deep(deep + " " * _json._DEPTH_CHECK_CHARS)


def test_decode_json_deep_is_refused_before_it_is_built() -> None:
    started = time.perf_counter()
    with pytest.raises(InvalidResponseError, match="Malformed JSON"):
        _json.decode_json(b"[" * 100_000 + b"]" * 100_000, "x")
    # json.loads builds 100k nested lists first (~12 ms); orjson stops at 1,025.
    assert time.perf_counter() - started < 0.5


def test_decode_json_reads_json_extensions_as_json_does() -> None:
    assert _json.decode_json(b"[NaN, 1e400]", "x")[1] == float("inf")
    assert _json.decode_json(b"[18446744073709551616]", "x") == [2**64]


async def test_request_large_body_is_joined_off_the_loop(
    transport: _http.Transport,
    mock_http: AiohttpClientMocker,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    threads: list[int] = []
    join = _http._join_all

    def spy(chunks: list[bytes]) -> bytes:
        threads.append(threading.get_ident())
        return join(chunks)

    monkeypatch.setattr(_http, "_join_all", spy)
    body = bytes(range(256)) * (2 * 2**20 // 256) + b"end"
    mock_http.get(_url("big"), content=body)
    mock_http.get(_url("small"), content=b"small")
    assert await transport.request("GET", "big") == (200, body)
    assert await transport.request("GET", "small") == (200, b"small")
    assert len(threads) == 1
    assert threads[0] != threading.get_ident()
