"""What a vendor's history is: sessions tallied into hourly (or daily) rows.

The parts every vendor's history is made of (history.py imports them into
the recorder): the statistics of a place (`Kind`), what an hour of a place
counts (`Tally`), the rows' starts, the statistic ids of CONTRACT.md, how
a vendor's log is read (`Source`, made by each vendor's running parts), and
where an entry's import stands (`Progress`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
import re
from typing import Any, Final

from homeassistant.components.recorder.models import (
    StatisticMeanType,
    StatisticMetaData,
)
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import UnitOfInformation
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_conversion import InformationConverter

from .const import DOMAIN
from .sessions import SessionFields

# One request a hotspot (Wiwiz) or one for the account (SmartWiFi) a window,
# of 6 hours at most, of whole hours.
WINDOW: Final = timedelta(hours=6)
HOUR: Final = timedelta(hours=1)
# About how many sessions one answer holds: a busy venue's log is asked in
# shorter windows (an hour at least), sized by the last one's sessions. The
# records of an answer live until they are tallied; thousands of them at once
# outlive the interpreter's young collections, and enough of those force a
# collection of Home Assistant's whole heap, which holds the loop for 100 ms
# and more (benchmarks/history.py).
SESSIONS_PER_ANSWER: Final = 500
DAY: Final = timedelta(days=1)
_ID_CHARS = re.compile(r"[^a-z0-9]+")


@dataclass(slots=True)
class Tally:
    """What one hour (or day) of one hotspot (or account) counts."""

    count: int = 0
    download: int = 0
    upload: int = 0
    # A session of it was still open: its bytes may still grow.
    open: bool = False


# Per place (a hotspot, or the My Wi-Fi account), per row start.
type Tallies = dict[str, dict[datetime, Tally]]


@dataclass(frozen=True, slots=True)
class Kind:
    """One statistic of a place: its id's end, its name and its unit."""

    key: str
    name: str
    value: Callable[[Tally], int]
    unit: str | None = None
    unit_class: str | None = None


CONNECTIONS = Kind("connections", "guest connections", lambda t: t.count)
DOWNLOAD = Kind(
    "download",
    "guest download",
    lambda t: t.download,
    UnitOfInformation.BYTES,
    InformationConverter.UNIT_CLASS,
)
UPLOAD = Kind(
    "upload",
    "guest upload",
    lambda t: t.upload,
    UnitOfInformation.BYTES,
    InformationConverter.UNIT_CLASS,
)
REGISTRATIONS = Kind("registrations", "user registrations", lambda t: t.count)


# A hotspot's statistics; an account's, for an account without hotspots.
HOTSPOT_KINDS: Final = (CONNECTIONS, DOWNLOAD, UPLOAD)
ACCOUNT_KINDS: Final = (REGISTRATIONS,)


def hour_of(moment: datetime) -> datetime:
    """The UTC hour a moment is in: an hourly row's start."""
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def day_of(moment: datetime) -> datetime:
    """A local day's row start: the first whole UTC hour from its midnight.

    Statistics rows start on whole hours; in a zone half an hour off UTC the
    midnight is not one, and the next hour is still that day.
    """
    midnight = dt_util.start_of_local_day(dt_util.as_local(moment))
    start = hour_of(midnight)
    return start if start >= midnight else start + HOUR


def next_day(row: datetime) -> datetime:
    """The row start of the local day after the one starting at `row`."""
    return day_of(dt_util.as_local(row) + timedelta(hours=36))


def statistic_id(vendor: str, place: str, kind: Kind) -> str:
    """`guest_wifi:{vendor}_{place}_{kind}`, the place lower-cased as an id.

    Outside `a-z0-9` becomes `_`, once for a run of them, and none at the
    ends: the recorder refuses `__` and an id ending in `_`.
    """
    slug = _ID_CHARS.sub("_", place.lower()).strip("_") or "_"
    return f"{DOMAIN}:{vendor}_{slug}_{kind.key}".replace("__", "_")


def tally[R](
    fields: SessionFields[R],
    records: Iterable[R],
    place_of: Callable[[R], str | None],
    start: datetime,
    end: datetime,
) -> Tallies:
    """Sessions that started from `start` to `end`, counted by place and hour.

    A session outside the window is another window's (a vendor may give a
    bound's sessions to both windows): each is counted once.
    """
    found: Tallies = {}
    for record in records:
        moment = fields.start(record)
        place = place_of(record)
        if moment is None or place is None or not start <= moment < end:
            continue
        hour = found.setdefault(place, {}).setdefault(hour_of(moment), Tally())
        hour.count += 1
        hour.download += fields.downloaded(record)
        hour.upload += fields.uploaded(record)
        hour.open = hour.open or fields.is_open(record)
    return found


@dataclass(frozen=True, slots=True)
class Source:
    """What a vendor's history is: its statistics, rows, and how it is read.

    `read(start, end, places)` answers the tallies of those places from
    `start` to `end` (row starts); `row_of` is the row a moment is in and
    `next_row` the row after one.
    """

    kinds: tuple[Kind, ...]
    places: Mapping[str, str]  # place id to its name now
    read: Callable[[datetime, datetime, list[str]], Awaitable[Tallies]]
    row_of: Callable[[datetime], datetime] = hour_of
    next_row: Callable[[datetime], datetime] = lambda row: row + HOUR
    window: timedelta | None = WINDOW  # None: all at once (nothing to ask)
    asks_vendor: bool = True
    # A request per place a window (else one for all of them).
    asks_per_place: bool = False


def next_window(
    source: Source, window: timedelta | None, found: Tallies
) -> timedelta | None:
    """The window after one that found these sessions: about `SESSIONS_PER_ANSWER` an answer.

    A log kept per place answers per place: its busiest place counts.
    """
    if window is None or source.window is None:
        return window
    counts = [sum(t.count for t in hours.values()) for hours in found.values()]
    per_answer = max(counts, default=0) if source.asks_per_place else sum(counts)
    if per_answer == 0:
        return source.window
    hours = window / HOUR * SESSIONS_PER_ANSWER / per_answer
    return min(max(int(hours), 1) * HOUR, source.window)


def at(place: str) -> Callable[[Any], str]:
    """Every record of a log kept per place is of that place."""
    return lambda _record: place


def account_place(entry: ConfigEntry) -> str:
    """An account without hotspots (My Wi-Fi): the app's client id its entry is unique by."""
    return (entry.unique_id or entry.entry_id).split("_", 1)[-1]


def row_starts(source: Source, start: datetime, end: datetime) -> Iterator[datetime]:
    """The row starts of a source from `start` to `end`."""
    row = start
    while row < end:
        yield row
        row = source.next_row(row)


def metadata(sid: str, place_name: str, kind: Kind) -> StatisticMetaData:
    """A statistic as the recorder keeps it: a sum, named after its place."""
    return StatisticMetaData(
        mean_type=StatisticMeanType.NONE,
        has_sum=True,
        name=f"{place_name} {kind.name}",
        source=DOMAIN,
        statistic_id=sid,
        unit_class=kind.unit_class,
        unit_of_measurement=kind.unit,
    )


@dataclass(slots=True)
class Progress:
    """Where an entry's history stands, for diagnostics."""

    state: str = "waiting"  # running, done, failed, or waiting for its first pass
    last_row: datetime | None = None
    rows: int = 0
    requests: int = 0
    passes: int = 0
    failure: str | None = None
    backfill_seconds: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """What diagnostics show."""
        return {
            "state": self.state,
            "last_imported": self.last_row.isoformat() if self.last_row else None,
            "rows": self.rows,
            "requests": self.requests,
            "passes": self.passes,
            "failure": self.failure,
            "backfill_seconds": self.backfill_seconds,
        }
