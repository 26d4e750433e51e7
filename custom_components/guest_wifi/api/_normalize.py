"""Turn vendor values into one form: the only place that knows their spellings.

Every vendor number has a range. A value outside it is no measurement but a
broken (or hostile) answer: `1e400` bytes or a 5,000-digit count would pass
through to a sensor that then fails on every write while still showing as
available. What happens to such a value, by kind:

- byte counts, ids, amounts, durations and timestamps: the whole answer is
  refused (InvalidResponseError). Byte counts are summed into
  `total_increasing` sensors and durations and times decide who is online:
  a total built from the rest of a broken answer would be a quiet lie, and
  "unavailable" is the truth. This is also what a malformed value already did.
- codes (Wiwiz `usertype`), descriptive only and never summed: the field is
  dropped (None) with one debug line, and the rest of the answer is kept.

Ranges are checked on the text's length before any conversion: turning
`1e1000000` into an int took 25 s of CPU holding the interpreter lock. Only
ASCII digits make a number: int(), float() and Decimal() also read `1_000`
and the digits of other scripts (fullwidth, Arabic-Indic), which no vendor
writes.

Text is cut to a length a person reads (`MAX_FIELD_TEXT`) and made text Home
Assistant can store: a lone surrogate (a valid JSON escape) once made every
save of core's entity registry fail, and control characters in a name end
up in logs and on screens.

An error about a refused value says the kind of problem and names the field
(`RefusedValueError.in_field`), never the value: a vendor that put the
account's key in a number field had it logged at ERROR.

Speed: a big account's answer holds tens of thousands of records, so each
function reads the usual spelling first (a plain string of digits, an ISO
time `datetime.fromisoformat` takes as it is) and only what that misses goes
the general, checked way; `Memo` reads each distinct string of one answer
once (a guest's MAC in each of its sessions, a hotspot's name in every row).
"""

from __future__ import annotations

import asyncio
from collections.abc import (
    Awaitable,
    Callable,
    Generator,
    Hashable,
    Iterable,
    Iterator,
    Mapping,
)
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal, InvalidOperation
import logging
import re
from typing import Any, Final

from .errors import InvalidRequestError, InvalidResponseError, bounded

_LOGGER = logging.getLogger(__package__)

_HEX = re.compile(r"[0-9a-f]{12}")
_COLON_MAC = re.compile(r"[0-9a-f]{2}(?::[0-9a-f]{2}){5}")
# A duration within a year of hours: always in range.
_HH_MM_SS = re.compile(r"([0-9]{2,4}):([0-9]{2}):([0-9]{2})")
_FRACTION = re.compile(r"(\.[0-9]{6})[0-9]+")
# Numbers as vendors write them: ASCII digits, a sign, a fraction, an exponent.
_INTEGER = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")

# Bytes of one session or one day. 2**53 - 1 (about 9 PB) is the largest
# integer a float holds exactly, and Home Assistant keeps states and long-term
# statistics as floats: a guest at 10 Gbit/s would need 83 days to reach it.
MAX_BYTES: Final = 2**53 - 1
# Record ids: a signed 64-bit database key, the widest any vendor uses.
MAX_ID: Final = 2**63 - 1
# Enumerations (Wiwiz `usertype` is 0 or 1): a few million leaves room for
# any code a vendor may add.
MAX_CODE: Final = 10_000_000
# A session or an online time: ten years is longer than any session, and far
# below timedelta's own limit, so adding it to a time never overflows.
MAX_DURATION: Final = timedelta(days=3653)
_MAX_DURATION_SECONDS: Final = MAX_DURATION.total_seconds()
# Money in any currency: a guest's balance of a trillion is no balance.
MAX_AMOUNT: Final = Decimal(10) ** 12
_MAX_FLOAT_AMOUNT: Final = float(MAX_AMOUNT)
# Times: from the Unix epoch to the year 9000. Vendors write far-future dates
# for "never expires"; the years next to 9999 overflow as soon as an offset or
# a duration is added.
MIN_TIME: Final = datetime(1970, 1, 1, tzinfo=UTC)
MAX_TIME: Final = datetime(9000, 1, 1, tzinfo=UTC)
# The longest spelling of a value in range: 19 digits, sign, a fraction, an
# exponent; ISO 8601 with nine fraction digits and an offset. Anything longer
# is refused before it is converted.
_MAX_NUMBER_TEXT: Final = 40
_MAX_TIME_TEXT: Final = 64
# Years a time may be read in by the fast way: no offset takes one outside
# [MIN_TIME, MAX_TIME).
_FAST_YEARS: Final = (MIN_TIME.year, MAX_TIME.year - 1)
# The bound of every vendor text field (`text`): names, usernames, logins,
# e-mails, devices, tokens. A length a person reads at a glance, and the
# widest column any of the vendors has (VARCHAR(255)). Past it a field is
# cut, not refused: it only labels. A megabyte username was a megabyte
# tracker name, state, bus event and guest-store entry.
MAX_FIELD_TEXT: Final = 255
# A note (My Wi-Fi's `Note`) is prose the owner writes: as long as an action
# lets one be written (services.MAX_NOTE).
MAX_NOTE_TEXT: Final = 1000
# What text may not hold: control characters (C0, DEL, C1) go, those that
# break a line are a space; a lone surrogate (half a UTF-16 pair, which no
# UTF-8 writer takes) is the replacement character.
_LINE_BREAKS: Final = "\t\n\v\f\r\x1c\x1d\x1e\x1f\x85\u2028\u2029"
_UNREADABLE: Final[dict[int, str | None]] = {
    **dict.fromkeys([*range(0x20), *range(0x7F, 0xA0)]),
    **dict.fromkeys(map(ord, _LINE_BREAKS), " "),
    **dict.fromkeys(range(0xD800, 0xE000), "\ufffd"),
}
# A field's name in an error (the vendor's key, read from its answer).
_MAX_FIELD_NAME: Final = 40


class RefusedValueError(InvalidResponseError):
    """A vendor value refused: the message says the kind of problem, never the value.

    The value may be anything a vendor puts in a field, the account's key
    included. Only its identity is kept, for the record's reader to name the
    field that held it (`in_field`).
    """

    def __init__(self, problem: str, value: Any) -> None:
        """Say `problem` (e.g. "Expected a number") about `value`."""
        super().__init__(problem)
        self.problem = problem
        self._value_id = id(value)

    def in_field(self, *records: Mapping[Any, Any]) -> InvalidResponseError:
        """The error naming the field of `records` that holds the value.

        Looked up by identity: the records hold the value they were read
        from. A value in no field, or one object in several (`true`, a small
        number, a one-letter text), stays this error: which of them was read
        is not known, and a guess could name some other key.
        """
        held_by = [
            key
            for rec in records
            for key, held in rec.items()
            if id(held) == self._value_id
        ]
        if len(held_by) != 1:
            return self
        field = bounded(str(held_by[0]), _MAX_FIELD_NAME)
        return InvalidResponseError(f"{self.problem} in field {field}")


@contextmanager
def naming_fields(*records: Mapping[Any, Any]) -> Generator[None]:
    """A value refused while building a model from `records` names its field.

    For answers of one record; a list's records are named by `record_reader`.
    """
    try:
        yield
    except RefusedValueError as refused:
        raise refused.in_field(*records) from None


def text(value: Any, limit: int = MAX_FIELD_TEXT) -> str | None:
    """A string Home Assistant can store, at most `limit` characters long.

    Empty strings and nulls are both None. A list or an object where text is
    expected is a broken answer, not text: its string form would be garbage
    (and may be nested deep enough to fail).
    """
    if value.__class__ is str:  # the usual case, first and cheapest
        if len(value) <= limit and value.isprintable():
            return value.strip() or None
        return _readable(value, limit)
    if value is None:
        return None
    if isinstance(value, dict | list | tuple | set):
        raise RefusedValueError("Expected text", value)
    return _readable(str(value), limit)


def _readable(raw: str, limit: int) -> str | None:
    """`raw` cut to `limit`, without what no one can store or read (`_UNREADABLE`).

    Cut first: a megabyte is never translated whole. Not `isprintable` is
    also every space but ASCII's and every format character (an emoji's
    joiner): those are kept.
    """
    return raw.strip()[:limit].translate(_UNREADABLE).strip() or None


def mac(value: Any) -> str | None:
    """A MAC as lower-case colon pairs (Home Assistant's `format_mac` form).

    Vendors write `AA-BB-CC-DD-EE-FF`, `aa:bb:...` or `aabb.ccdd.eeff`; a value
    that is not a MAC gives None rather than a tracker keyed by garbage.
    """
    if value.__class__ is str and len(value) == 17:
        # The usual spellings, `AA-BB-CC-DD-EE-FF` and `aa:bb:cc:dd:ee:ff`.
        colons: str = value.lower().replace("-", ":")
        if _COLON_MAC.fullmatch(colons):
            return colons
    raw = text(value)
    if raw is None:
        return None
    digits = re.sub(r"[^0-9a-f]", "", raw.lower())
    if not _HEX.fullmatch(digits) or len(re.sub(r"[-:.\s]", "", raw)) != 12:
        return None
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


class _Table(dict[Any, Any]):
    """Strings (and null) read by `read` once each; any other value every time.

    Only strings are kept: `1`, `1.0` and `True` are one key to a dict. A
    list or an object is no key at all: looking one up raises TypeError.
    """

    __slots__ = ("_read",)

    def __init__(self, read: Callable[[Any], Any]) -> None:
        super().__init__()
        self._read = read

    def __missing__(self, key: Any) -> Any:
        value = self._read(key)
        if key is None or key.__class__ is str:
            self[key] = value
        return value

    def one(self, value: Any) -> Any:
        """The value read, whatever its type (a list is no key: read as is)."""
        try:
            return self[value]
        except TypeError:
            return self._read(value)


class _Reader:
    """A `_Table` that keeps nothing: every value is read, whatever its type."""

    __slots__ = ("_read",)

    def __init__(self, read: Callable[[Any], Any]) -> None:
        self._read = read

    def __getitem__(self, key: Any) -> Any:
        return self._read(key)

    def one(self, value: Any) -> Any:
        """The value read (`_Table.one`)."""
        return self._read(value)


class Memo:
    """One answer's values, each distinct string read once.

    An answer repeats itself: a guest's MAC in each of its sessions, the
    hotspot's name, the device and its user agent in every row, the same
    online times. Each distinct string is read (and checked) once, and the
    models share one object for it. A memo lives as long as one answer is
    read: it holds nothing of the next.

    The tables (`macs[value]`, ...) are the fast way, for a builder's hot
    loop: a value that is a list or an object raises TypeError there, and the
    record is then built again with `Memo(remember=False)`, whose tables read
    every value the general way (and refuse that one as they should). The
    methods do the same for one value.
    """

    __slots__ = ("durations", "macs", "texts", "times", "tz")

    def __init__(self, naive_tz: tzinfo = UTC, *, remember: bool = True) -> None:
        """Read naive times in `naive_tz`, as `timestamp` does."""
        table = _Table if remember else _Reader
        self.tz = naive_tz
        self.macs = table(mac)
        self.texts = table(text)
        self.times = table(lambda value: timestamp(value, naive_tz))
        self.durations = table(duration)

    def mac(self, value: Any) -> str | None:
        """`mac`, once per distinct string."""
        return self.macs.one(value)  # type: ignore[no-any-return]

    def text(self, value: Any) -> str | None:
        """`text`, one shared string per distinct value (names, devices)."""
        return self.texts.one(value)  # type: ignore[no-any-return]

    def timestamp(self, value: Any) -> datetime | None:
        """`timestamp` in this answer's zone, once per distinct string."""
        return self.times.one(value)  # type: ignore[no-any-return]

    def duration(self, value: Any) -> timedelta | None:
        """`duration`, once per distinct string (online times repeat)."""
        return self.durations.one(value)  # type: ignore[no-any-return]


def record_reader[T](
    build: Callable[[dict[str, Any], Memo], T], naive_tz: tzinfo = UTC
) -> Callable[[dict[str, Any]], T]:
    """One answer's records to models: `build` with a fresh `Memo`.

    A record holding a list or an object where a value belongs (no key of
    a memo's table) is built again the general way, which refuses it. A
    refused value is named by its field.
    """
    memo = Memo(naive_tz)

    def read(rec: dict[str, Any]) -> T:
        try:
            return build(rec, memo)
        except TypeError:
            with naming_fields(rec):
                return build(rec, Memo(naive_tz, remember=False))
        except RefusedValueError as refused:
            raise refused.in_field(rec) from None

    return read


def _whole(value: Any, low: int, high: int) -> int:
    """A whole number in [low, high], from an int, a float or its text.

    "1.0" and "1e3" are read (some vendors write numbers so); a fraction is
    cut, as int() does. Nothing is converted before its size is known, nor
    before it is seen to be ASCII digits.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise RefusedValueError("Expected a number", value)
    if isinstance(value, int):
        number = value
    else:
        raw = value.strip() if isinstance(value, str) else repr(value)
        if len(raw) > _MAX_NUMBER_TEXT:
            raise RefusedValueError("Expected a number", value)
        if _INTEGER.fullmatch(raw):
            number = int(raw)
        else:
            exact = _decimal(raw)
            # adjusted() is the power of ten of the first digit: checked
            # before int(), which would otherwise write out 1e1000000.
            if exact is None or exact.adjusted() > 20:
                raise RefusedValueError("Expected a number", value)
            # Below one, int() would still write out 1e-1000000's digits.
            number = int(exact) if exact.adjusted() >= 0 else 0
    if not low <= number <= high:
        raise RefusedValueError(f"Number out of range [{low}, {high}]", value)
    return number


def _decimal(raw: str) -> Decimal | None:
    """A number written as vendors write one (`_NUMBER`), exactly; else None.

    Not Decimal's own reading: it takes other scripts' digits, `1_000`, NaN
    and Infinity, and refuses an exponent past its limit by raising.
    """
    if not _NUMBER.fullmatch(raw):
        return None
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


def _digits(value: Any, low: int, high: int) -> int:
    """`_whole`, with plain digits (how XML writes every number) read directly.

    Fifteen digits at most: past them the general way checks the size.
    """
    if (
        value.__class__ is str
        and len(value) < 16
        and value.isdigit()
        and value.isascii()
        and low <= (number := int(value)) <= high
    ):
        return number
    return _whole(value, low, high)


def integer(
    value: Any, *, default: int = 0, low: int = -MAX_ID - 1, high: int = MAX_ID
) -> int:
    """A whole number in [low, high]; nulls and empty strings are the default.

    Without a range, a signed 64-bit number: callers give theirs.
    """
    if value.__class__ is int and low <= value <= high:
        return value
    if value is None or value == "":
        return default
    return _digits(value, low, high)


def byte_count(value: Any) -> int:
    """Bytes of a session or a day: 0 to MAX_BYTES, missing is 0.

    A negative count is refused with the rest: it would read as a counter
    reset in a `total_increasing` sensor.
    """
    if value.__class__ is int and 0 <= value <= MAX_BYTES:
        return value
    return integer(value, low=0, high=MAX_BYTES)


def optional_int(value: Any, *, low: int = 0, high: int = MAX_ID) -> int | None:
    """An id that may be missing: 0 to MAX_ID unless a range is given."""
    if value.__class__ is int and low <= value <= high:
        return value
    if value is None or value == "":
        return None
    return _digits(value, low, high)


def code(value: Any, what: str) -> int | None:
    """An enumeration code (0 to MAX_CODE) that may be missing.

    Out of range or not a number, the field is dropped, not the answer: a
    code only describes a record, and nothing is counted from it.
    """
    try:
        return optional_int(value, high=MAX_CODE)
    except InvalidResponseError as err:
        _LOGGER.debug("Dropped %s: %s", what, err)
        return None


def money(value: Any) -> Decimal | None:
    """Money with "." decimals, kept exact, within plus or minus MAX_AMOUNT."""
    if value.__class__ is float and -_MAX_FLOAT_AMOUNT <= value <= _MAX_FLOAT_AMOUNT:
        return Decimal(str(value))  # the usual: JSON's 0.0; NaN fails the range
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise RefusedValueError("Expected an amount", value)
    raw = str(value).strip() if isinstance(value, str) else str(value)
    amount = _decimal(raw) if len(raw) <= _MAX_NUMBER_TEXT else None
    # abs() would overflow on 1e1000000.
    if amount is None or amount.copy_abs() > MAX_AMOUNT:
        raise RefusedValueError("Expected an amount", value)
    return amount


def boolean(value: Any) -> bool | None:
    """true/false, 1/0 or null."""
    if value.__class__ is bool:
        return value
    if value is None or value == "":
        return None
    if isinstance(value, str):
        lowered = value.strip().lower()
    else:  # 1 and 0, not 1.0, nor the text of a list
        lowered = str(value) if value.__class__ is int and value in (0, 1) else ""
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no", "null"):
        return False
    raise RefusedValueError("Expected true or false", value)


def timestamp(value: Any, naive_tz: tzinfo = UTC) -> datetime | None:
    """An aware datetime from ISO 8601 (`T` or space, `Z`, offsets, long fractions).

    A time written without an offset is read in `naive_tz`: each client says
    which zone its vendor's naive times are in.
    """
    if value.__class__ is str and len(value) <= _MAX_TIME_TEXT:
        # The usual spellings, which fromisoformat reads as they are (it cuts
        # a fraction past six digits as the general way does). Only a year
        # well inside the range is taken: an offset cannot move it out.
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if _FAST_YEARS[0] < parsed.year < _FAST_YEARS[1]:
                if parsed.tzinfo is None:
                    return parsed.replace(tzinfo=naive_tz)
                return parsed
    raw = text(value)
    # No date: MySQL's zero date, or .NET's DateTime.MinValue.
    if raw is None or raw.startswith(("0000-00-00", "0001-01-01")):
        return None
    if len(raw) > _MAX_TIME_TEXT:
        raise RefusedValueError("Expected a date and time", value)
    raw = _FRACTION.sub(r"\1", raw)
    if raw.endswith(("Z", "z")):
        raw = raw[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(raw)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=naive_tz)
        # Comparing converts to UTC, which overflows at the calendar's ends.
        in_range = MIN_TIME <= parsed < MAX_TIME
    except (ValueError, OverflowError):
        in_range = False
    if not in_range:
        raise RefusedValueError("Expected a date and time", value)
    return parsed


def duration(value: Any) -> timedelta | None:
    """`HH:MM:SS` (hours may exceed 24) as a timedelta, up to MAX_DURATION."""
    if value.__class__ is str and (usual := _HH_MM_SS.fullmatch(value)):
        hours, minutes, seconds = usual.groups()
        return timedelta(seconds=int(hours) * 3600 + int(minutes) * 60 + int(seconds))
    raw = text(value)
    if raw is None:
        return None
    parts = raw.split(":")
    if len(raw) > _MAX_NUMBER_TEXT or len(parts) != 3:
        raise RefusedValueError("Expected HH:MM:SS", value)
    if not all(part.isascii() and part.isdigit() for part in parts):
        raise RefusedValueError("Expected HH:MM:SS", value)
    hours, minutes, seconds = parts
    # Compared in seconds: timedelta itself overflows past 999,999,999 days.
    total = int(hours) * 3600 + int(minutes) * 60 + int(seconds)
    if total > _MAX_DURATION_SECONDS:
        raise RefusedValueError("Duration out of range", value)
    return timedelta(seconds=total)


def records(value: Any, what: str) -> list[dict[str, Any]]:
    """A list of objects, refusing anything else."""
    if not isinstance(value, list) or not all(isinstance(i, dict) for i in value):
        raise InvalidResponseError(f"Expected a list of records from {what}")
    return value


def record(value: Any, what: str) -> dict[str, Any]:
    """One object of a list of records (read one by one), refusing anything else."""
    if not isinstance(value, dict):
        raise InvalidResponseError(f"Expected a list of records from {what}")
    return value


def split_range(
    start: datetime, end: datetime, span: timedelta
) -> Iterator[tuple[datetime, datetime]]:
    """Cut [start, end) into consecutive pieces no longer than `span`."""
    if span <= timedelta(0):
        raise InvalidRequestError("A range can only be cut into positive pieces")
    if end < start:
        raise InvalidRequestError("The end of a range comes before its start")
    cursor = start
    while True:
        stop = min(cursor + span, end)
        yield cursor, stop
        if stop >= end:
            return
        cursor = stop


def split_days(start: date, end: date, days: int) -> Iterator[tuple[date, date]]:
    """Cut the inclusive day range [start, end] into pieces of at most `days` days."""
    if days < 1:
        raise InvalidRequestError("A range can only be cut into positive pieces")
    if end < start:
        raise InvalidRequestError("The end of a range comes before its start")
    cursor = start
    while cursor <= end:
        stop = min(cursor + timedelta(days=days - 1), end)
        yield cursor, stop
        cursor = stop + timedelta(days=1)


def one_per_session[T](
    items: Iterable[T],
    session: Callable[[T], Hashable | None],
    rank: Callable[[T], Any],
) -> list[T]:
    """One record per session, in the order sessions first appear.

    `session` names a record's session by the vendor's id for it (None: the
    record has none, and only an identical record is the same session). A
    session listed more than once is one session, not several guests; the
    listing `rank` puts highest is kept: counters only grow and a session
    ends once, so that is its latest state.
    """
    kept: dict[Hashable, T] = {}
    for item in items:
        key = session(item)
        key = ("record", item) if key is None else ("session", key)
        known = kept.get(key)
        if known is None or rank(item) > rank(known):
            kept[key] = item
    return list(kept.values())


async def merge_pieces[P, T](
    pieces: Iterable[tuple[P, P]],
    fetch: Callable[[P, P], Awaitable[Iterable[T]]],
    *,
    unique: Callable[[list[T]], list[T]] | None = None,
) -> list[T]:
    """Ask for each piece of a split range in turn; merge in order.

    A record on the seam of two pieces comes back with both: it is kept once.
    `unique`, which each `fetch` has applied to its own answer already, then
    keeps one record per session across pieces. The merge runs in a worker
    thread: its cost grows with the answers. A range of one piece (the usual
    poll) needs none: its answer is unique already.
    """
    answers = [await fetch(first, last) for first, last in pieces]
    if len(answers) == 1 and unique is not None:
        return list(answers[0])

    def merge() -> list[T]:
        merged = list(dict.fromkeys(item for answer in answers for item in answer))
        return merged if unique is None else unique(merged)

    return await asyncio.get_running_loop().run_in_executor(None, merge)
