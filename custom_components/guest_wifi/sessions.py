"""A vendor's log of sessions, kept so that a poll asks only for news.

Wiwiz's connection log and SmartWiFi's connection report hold a record per
session, filed by the session's start. Asking for the whole day every poll
re-reads the same closed records all day; these classes remember what no
longer changes and say which start-time windows a poll must ask for.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta

from .api.wiwiz import AdEventType, WiwizAdEvent

# How far before the last poll a poll asks again: records the gateway
# reports late (a session that started just before the last poll) are still
# caught by the next one.
NEWS_MARGIN = timedelta(minutes=10)
# The whole look-back is asked again this often, at the start, after a
# failed poll and on a new day: a record missed or changed outside the
# windows cannot drift for longer than this.
RECONCILE_EVERY = timedelta(hours=1)
# Open sessions far apart in time are asked in windows of their own rather
# than with everything between them: at most this many more requests a poll,
# for gaps at least this long (a shorter gap costs less than a request).
MAX_GAPS = 3
MIN_GAP = timedelta(minutes=15)
# The vendors' time bounds have whole seconds.
_SECOND = timedelta(seconds=1)


@dataclass(frozen=True, slots=True)
class SessionFields[R]:
    """How a vendor's session record reads, for a `SessionLog`."""

    # The session a record belongs to from poll to poll (None: cannot tell).
    session: Callable[[R], Hashable | None]
    start: Callable[[R], datetime | None]
    is_open: Callable[[R], bool]
    # Where the session is (a hotspot), and who it is for today's guests.
    place: Callable[[R], str | None]
    who: Callable[[R], str | None]
    downloaded: Callable[[R], int]
    uploaded: Callable[[R], int]


class SessionLog[R]:
    """A vendor's log of sessions, kept so a poll asks only for news.

    A record is filed by its session's start and changes until the session
    closes (traffic grows, then an end appears); a closed record never
    changes again. So a poll asks for the starts of the sessions still open
    and for everything started since shortly before the last poll. Closed
    records add to today's totals once, by session. A whole look-back now
    and then (`needs_full`) starts over from the vendor's truth.
    """

    def __init__(self, fields: SessionFields[R]) -> None:
        """Know nothing yet: the first poll asks for everything."""
        self.fields = fields
        self.day: datetime | None = None  # the local midnight of the totals
        self.asked_at: datetime | None = None
        self.full_at: datetime | None = None
        self.trusted = False  # False after a failed poll
        self.open: dict[Hashable, R] = {}
        # Open records without a session (they cannot be asked for again):
        # only the last answer's.
        self.loose: list[R] = []
        self.closed: set[Hashable] = set()
        # Per place: today's closed sessions, their guests and bytes.
        self.closed_who: dict[str | None, set[str | None]] = {}
        self.closed_bytes: dict[str | None, tuple[int, int]] = {}

    def needs_full(self, now: datetime, midnight: datetime) -> bool:
        """Whether this poll must ask for the whole look-back."""
        return (
            not self.trusted
            or self.day != midnight
            or self.full_at is None
            or now - self.full_at >= RECONCILE_EVERY
        )

    def windows(
        self, since: datetime, until: datetime, max_gaps: int = MAX_GAPS
    ) -> list[tuple[datetime, datetime]]:
        """Start-time windows holding every record that may have changed.

        The open sessions' starts and the time since shortly before the last
        poll; the longest gaps between open sessions are left out.
        """
        recent = max(since, (self.asked_at or since) - NEWS_MARGIN)
        start = self.fields.start
        starts = sorted(
            {
                moment
                for record in self.open.values()
                if (moment := start(record)) is not None and since <= moment < recent
            }
        )
        points = [*starts, recent]
        gaps = sorted(
            (
                (points[i + 1] - points[i], i)
                for i in range(len(points) - 1)
                if points[i + 1] - points[i] >= MIN_GAP
            ),
            reverse=True,
        )[:max_gaps]
        windows = []
        first = 0
        for _, i in sorted(gaps, key=lambda gap: gap[1]):
            windows.append((points[first], points[i] + _SECOND))
            first = i + 1
        windows.append((points[first], until))
        return windows

    def take(
        self, records: list[R], *, full: bool, midnight: datetime, asked_at: datetime
    ) -> None:
        """File one poll's answer: all of the look-back (`full`) or its windows."""
        fields = self.fields
        if full:
            self.closed = set()
            self.closed_who = {}
            self.closed_bytes = {}
            self.full_at = asked_at
        self.day = midnight
        self.asked_at = asked_at
        opened: dict[Hashable, R] = {}
        self.loose = []
        for record in records:
            key = fields.session(record)
            if key is None:
                if fields.is_open(record):
                    self.loose.append(record)
                continue
            if key in self.closed:
                continue  # counted once already; closed records never change
            if fields.is_open(record):
                opened[key] = record
                continue
            self.closed.add(key)
            moment = fields.start(record)
            if moment is not None and moment >= midnight:
                place = fields.place(record)
                self.closed_who.setdefault(place, set()).add(fields.who(record))
                down, up = self.closed_bytes.get(place, (0, 0))
                self.closed_bytes[place] = (
                    down + fields.downloaded(record),
                    up + fields.uploaded(record),
                )
        # Every open session was asked for: one not answered is gone.
        self.open = opened
        self.trusted = True

    def open_at(self, place: str | None) -> list[R]:
        """The open sessions of a place."""
        at = self.fields.place
        return [r for r in (*self.open.values(), *self.loose) if at(r) == place]

    def today(self, place: str | None, midnight: datetime) -> tuple[int, int, int]:
        """Guests, bytes down and bytes up of a place today."""
        fields = self.fields
        today = [
            r
            for r in self.open_at(place)
            if (moment := fields.start(r)) is not None and moment >= midnight
        ]
        down, up = self.closed_bytes.get(place, (0, 0))
        who = self.closed_who.get(place, set()) | {fields.who(r) for r in today}
        return (
            len(who),
            down + sum(fields.downloaded(r) for r in today),
            up + sum(fields.uploaded(r) for r in today),
        )

    def places(self) -> set[str]:
        """The places of the sessions on file."""
        at = self.fields.place
        found = {at(r) for r in (*self.open.values(), *self.loose)}
        found.update(self.closed_who)
        return {place for place in found if place}


class AdTally:
    """Today's ad views and clicks of a hotspot, asked for news only.

    Ad events never change once logged, and carry no id: a poll asks from
    the end of what is settled, and what happened before `NEWS_MARGIN` ago
    becomes settled (counted once); the rest is counted again next poll, in
    case the log still fills in.
    """

    def __init__(self) -> None:
        """Nothing counted yet."""
        self.day: datetime | None = None
        self.settled_until: datetime | None = None
        self.settled = (0, 0)
        self.latest = (0, 0)  # views and clicks after settled_until

    def asks_from(self, midnight: datetime, *, full: bool) -> datetime:
        """Where this poll's ad log starts."""
        if full or self.day != midnight or self.settled_until is None:
            return midnight
        return self.settled_until

    def take(
        self,
        events: list[WiwizAdEvent],
        *,
        asked_from: datetime,
        midnight: datetime,
        now: datetime,
    ) -> None:
        """Count one answer (from `asked_from`, as `asks_from` said)."""
        if asked_from == midnight:
            self.settled = (0, 0)
        settle = max(asked_from, (now - NEWS_MARGIN).replace(microsecond=0))
        settled = list(self.settled)
        latest = [0, 0]
        for event in events:
            if event.event_type is None:
                continue
            index = 0 if event.event_type is AdEventType.VIEW else 1
            if event.time is None or event.time >= settle:
                latest[index] += 1
            elif event.time >= asked_from:
                settled[index] += 1
        self.settled = (settled[0], settled[1])
        self.latest = (latest[0], latest[1])
        self.day = midnight
        self.settled_until = settle

    @property
    def views(self) -> int:
        """Views today."""
        return self.settled[0] + self.latest[0]

    @property
    def clicks(self) -> int:
        """Clicks today."""
        return self.settled[1] + self.latest[1]
