"""Turn vendor values into one form: the only place that knows their spellings."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Iterator
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal, InvalidOperation
import re
from typing import Any

from .errors import InvalidRequestError, InvalidResponseError

_HEX = re.compile(r"[0-9a-f]{12}")
_FRACTION = re.compile(r"(\.\d{6})\d+")


def text(value: Any) -> str | None:
    """A string, with empty strings and nulls both made None."""
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def mac(value: Any) -> str | None:
    """A MAC as lower-case colon pairs (Home Assistant's `format_mac` form).

    Vendors write `AA-BB-CC-DD-EE-FF`, `aa:bb:...` or `aabb.ccdd.eeff`; a value
    that is not a MAC gives None rather than a tracker keyed by garbage.
    """
    raw = text(value)
    if raw is None:
        return None
    digits = re.sub(r"[^0-9a-f]", "", raw.lower())
    if not _HEX.fullmatch(digits) or len(re.sub(r"[-:.\s]", "", raw)) != 12:
        return None
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def integer(value: Any, *, default: int = 0) -> int:
    """A count or byte total; nulls and empty strings are the default."""
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise InvalidResponseError(f"Expected a number, got {value!r}")
    try:
        return int(str(value).strip())
    except ValueError:
        try:
            return int(Decimal(str(value).strip()))
        except (InvalidOperation, ValueError, OverflowError):  # "inf" overflows
            raise InvalidResponseError(f"Expected a number, got {value!r}") from None


def optional_int(value: Any) -> int | None:
    """An id or count that may be missing."""
    if value is None or value == "":
        return None
    return integer(value)


def money(value: Any) -> Decimal | None:
    """Money with "." decimals, kept exact."""
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise InvalidResponseError(f"Expected an amount, got {value!r}") from None
    if not amount.is_finite():  # Decimal reads "NaN" and "Infinity" too
        raise InvalidResponseError(f"Expected an amount, got {value!r}")
    return amount


def boolean(value: Any) -> bool | None:
    """true/false, 1/0 or null."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no", "null"):
        return False
    raise InvalidResponseError(f"Expected true or false, got {value!r}")


def timestamp(value: Any, naive_tz: tzinfo = UTC) -> datetime | None:
    """An aware datetime from ISO 8601 (`T` or space, `Z`, offsets, long fractions).

    A time written without an offset is read in `naive_tz`: each client says
    which zone its vendor's naive times are in.
    """
    raw = text(value)
    if raw is None or raw.startswith("0000-00-00"):
        return None
    raw = _FRACTION.sub(r"\1", raw)
    if raw.endswith(("Z", "z")):
        raw = raw[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidResponseError(f"Expected a date and time, got {raw!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=naive_tz)
    return parsed


def duration(value: Any) -> timedelta | None:
    """`HH:MM:SS` (hours may exceed 24) as a timedelta."""
    raw = text(value)
    if raw is None:
        return None
    try:
        hours, minutes, seconds = (int(part) for part in raw.split(":"))
    except ValueError:
        raise InvalidResponseError(f"Expected HH:MM:SS, got {raw!r}") from None
    return timedelta(hours=hours, minutes=minutes, seconds=seconds)


def records(value: Any, what: str) -> list[dict[str, Any]]:
    """A list of objects, refusing anything else."""
    if not isinstance(value, list) or not all(isinstance(i, dict) for i in value):
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


async def merge_pieces[P, T](
    pieces: Iterable[tuple[P, P]],
    fetch: Callable[[P, P], Awaitable[Iterable[T]]],
) -> list[T]:
    """Ask for each piece of a split range in turn; merge in order.

    A record on the seam of two pieces comes back with both: it is kept once.
    """
    merged: dict[T, None] = {}
    for first, last in pieces:
        merged.update(dict.fromkeys(await fetch(first, last)))
    return list(merged)
