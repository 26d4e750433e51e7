"""Each vendor's way of writing a moment, and of reading the dates it is sent.

The world keeps moments as POSIX seconds (floats): cheap to compare and to
bisect at ten thousand guests; text is made only when a vendor answers.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
import re

_WIWIZ = "%Y-%m-%d %H:%M:%S"
_DAY_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DAY_TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
_SMARTWIFI_DAY_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")


def local(ts: float, tz: tzinfo | None) -> datetime:
    """The wall-clock time of a moment; `tz=None` is the machine's own zone."""
    if tz is None:
        return datetime.fromtimestamp(ts).astimezone()
    return datetime.fromtimestamp(ts, tz)


def _timestamp(naive: datetime, tz: tzinfo | None) -> float:
    # A naive datetime's timestamp() reads it in the machine's zone.
    return naive.timestamp() if tz is None else naive.replace(tzinfo=tz).timestamp()


def local_midnight(ts: float, tz: tzinfo | None) -> float:
    """The start of the local day a moment falls in."""
    day = local(ts, tz).replace(tzinfo=None)
    return _timestamp(day.replace(hour=0, minute=0, second=0, microsecond=0), tz)


def wiwiz(ts: float | None, tz: tzinfo | None) -> str:
    """Wiwiz: local wall-clock time without an offset (empty for none)."""
    if ts is None:
        return ""
    return local(ts, tz).strftime(_WIWIZ)


def wiwiz_day(ts: float, tz: tzinfo | None) -> str:
    """The local date of a moment, as Wiwiz's date-only parameters write it."""
    return local(ts, tz).strftime("%Y-%m-%d")


def parse_wiwiz(value: str, *, end: bool, day_only: bool = False) -> datetime:
    """`YYYY-MM-DD` or `YYYY-MM-DD HH:mm:SS`: a naive wall-clock time.

    A bare date covers its whole day: its first second as a start, its last
    as an end. Raises ValueError for anything else (and for a time when
    `day_only`).
    """
    value = value.strip()
    if _DAY_ONLY.fullmatch(value):
        day = datetime.strptime(value, "%Y-%m-%d")  # noqa: DTZ007 - wall clock
        return day.replace(hour=23, minute=59, second=59) if end else day
    if not day_only and _DAY_TIME.fullmatch(value):
        return datetime.strptime(value, _WIWIZ)  # noqa: DTZ007 - wall clock
    raise ValueError(value)


def wall_to_ts(wall: datetime, tz: tzinfo | None) -> float:
    """A naive wall-clock time on the account's clock, as POSIX seconds."""
    return _timestamp(wall, tz)


def wall(ts: float, tz: tzinfo | None) -> datetime:
    """A moment as a naive wall-clock time on the account's clock."""
    return local(ts, tz).replace(tzinfo=None)


def parse_smartwifi(value: str) -> float:
    """`yyyy-mm-dd` or `yyyy-mm-ddThh:mm:ss`, read as UTC. Raises ValueError."""
    value = value.strip()
    if _DAY_ONLY.fullmatch(value):
        return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC).timestamp()
    if _SMARTWIFI_DAY_TIME.fullmatch(value):
        moment = datetime.strptime(value, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
        return moment.timestamp()
    raise ValueError(value)


def iso_utc(ts: float) -> str:
    """SmartWiFi connections: ISO 8601 with microseconds and `+00:00`."""
    moment = datetime.fromtimestamp(ts, UTC)
    return moment.isoformat(timespec="microseconds")


def utc_plain(ts: float) -> str:
    """SmartWiFi guest plans: `yyyy-mm-dd hh:mm:ss` in UTC, no offset."""
    return datetime.fromtimestamp(ts, UTC).strftime(_WIWIZ)


def iso_z(ts: float) -> str:
    """My Wi-Fi: ISO 8601 in UTC with five fraction digits and `Z`."""
    moment = datetime.fromtimestamp(ts, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 10:05d}Z"


def parse_iso(value: str) -> float:
    """Any ISO 8601 moment (`Z`, offsets, long fractions); naive is UTC."""
    raw = value.strip()
    if raw.endswith(("Z", "z")):
        raw = raw[:-1] + "+00:00"
    raw = re.sub(r"(\.\d{6})\d+", r"\1", raw)
    moment = datetime.fromisoformat(raw)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def duration(seconds: float) -> str:
    """`HH:MM:SS`, hours past 24 allowed (SmartWiFi `online_time`)."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


def relative(value: str) -> timedelta:
    """SmartWiFi's `10m`, `4h`, `2d`. Raises ValueError."""
    match = re.fullmatch(r"(\d+)([mhd])", value.strip())
    if match is None:
        raise ValueError(value)
    unit = {"m": "minutes", "h": "hours", "d": "days"}[match.group(2)]
    return timedelta(**{unit: int(match.group(1))})
