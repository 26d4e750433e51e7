"""The rules by which a session log and an ad tally ask only for news.

The whole-report tests (`test_report_windows.py`) show the polls add up to
what the vendor's whole report says; these pin each rule on its own, at its
edges: which gaps between open sessions a poll leaves out, where a later ad
poll starts, what "today" holds at midnight.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from custom_components.guest_wifi.api.wiwiz import AdEventType, WiwizAdEvent
from custom_components.guest_wifi.sessions import (
    MAX_GAPS,
    MIN_GAP,
    NEWS_MARGIN,
    AdTally,
    SessionFields,
    SessionLog,
)

MIDNIGHT = datetime(2026, 11, 23, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def at(hour: int, minute: int = 0, second: int = 0) -> datetime:
    """A moment of the day."""
    return MIDNIGHT + timedelta(hours=hour, minutes=minute, seconds=second)


@dataclass(frozen=True)
class Session:
    """A vendor's session record, as plain as can be."""

    key: Hashable | None
    start: datetime | None
    is_open: bool = True
    place: str | None = "Lobby"
    who: str | None = "anna"
    down: int = 0
    up: int = 0


FIELDS = SessionFields[Session](
    session=lambda r: r.key,
    start=lambda r: r.start,
    is_open=lambda r: r.is_open,
    place=lambda r: r.place,
    who=lambda r: r.who,
    downloaded=lambda r: r.down,
    uploaded=lambda r: r.up,
)


def log_with_open(*starts: datetime, asked_at: datetime) -> SessionLog[Session]:
    """A log that last asked at `asked_at` and holds sessions open since `starts`."""
    log = SessionLog(FIELDS)
    log.take(
        [Session(i, start) for i, start in enumerate(starts)],
        full=True,
        midnight=MIDNIGHT,
        asked_at=asked_at,
    )
    return log


# --- windows: which gaps are left out ------------------------------------------------


def test_the_longest_gaps_are_left_out_and_no_more() -> None:
    """The MAX_GAPS longest gaps of MIN_GAP or more go; each window ends just past a start."""
    assert MAX_GAPS == 3
    log = log_with_open(at(8), at(8, 5), at(9), at(10), at(11), asked_at=at(12))
    # The news: since 11:50, shortly before the last poll. Gaps: 5 min (too short to leave out), 55, 60, 60 and 50 min: the three
    # longest go, the 50 minutes before the news stay in a window.
    assert log.windows(at(8), at(12, 1)) == [
        (at(8), at(8, 5) + SECOND),
        (at(9), at(9) + SECOND),
        (at(10), at(10) + SECOND),
        (at(11), at(12, 1)),
    ]


def test_a_gap_is_left_out_from_min_gap_on() -> None:
    """A gap of exactly MIN_GAP is left out; a second shorter is asked for."""
    news = at(12) - NEWS_MARGIN
    exactly = log_with_open(news - MIN_GAP, asked_at=at(12))
    assert exactly.windows(at(8), at(12)) == [
        (news - MIN_GAP, news - MIN_GAP + SECOND),
        (news, at(12)),
    ]
    shorter = log_with_open(news - MIN_GAP + SECOND, asked_at=at(12))
    assert shorter.windows(at(8), at(12)) == [(news - MIN_GAP + SECOND, at(12))]


def test_a_gap_is_left_out_from_a_quarter_of_an_hour() -> None:
    """MIN_GAP in the owner's terms: a 15-minute gap is a request saved, 14 are not."""
    news = at(11, 50)
    quarter = log_with_open(at(11, 35), asked_at=at(12))
    assert quarter.windows(at(8), at(12)) == [
        (at(11, 35), at(11, 35) + SECOND),
        (news, at(12)),
    ]
    shorter = log_with_open(at(11, 36), asked_at=at(12))
    assert shorter.windows(at(8), at(12)) == [(at(11, 36), at(12))]


def test_no_gap_left_out_when_none_may_be() -> None:
    """With no gaps allowed a poll asks one window, from the first open start."""
    log = log_with_open(at(8), at(10), asked_at=at(12))
    assert log.windows(at(7), at(12), max_gaps=0) == [(at(8), at(12))]


def test_windows_ask_only_from_the_look_back() -> None:
    """Open sessions before the look-back are not asked for; nor before the news."""
    log = log_with_open(at(6), at(11, 55), asked_at=at(12))
    # 06:00 is before the look-back; 11:55 is inside the news anyway.
    assert log.windows(at(8), at(12)) == [(at(11, 50), at(12))]
    # A look-back that starts after the news: from its start.
    assert log.windows(at(11, 58), at(12)) == [(at(11, 58), at(12))]


# --- today: midnight and places ---------------------------------------------------


def test_a_session_closed_after_starting_at_midnight_is_today() -> None:
    """Exactly at midnight is today; a second before is yesterday."""
    log = SessionLog(FIELDS)
    log.take(
        [
            Session("midnight", MIDNIGHT, is_open=False, who="anna", down=10, up=1),
            Session("before", MIDNIGHT - SECOND, is_open=False, who="bob", down=5),
        ],
        full=True,
        midnight=MIDNIGHT,
        asked_at=at(12),
    )
    assert log.today("Lobby", MIDNIGHT) == (1, 10, 1)


def test_an_open_session_from_midnight_is_today() -> None:
    """A guest still connected since exactly midnight counts today, bytes and all."""
    log = SessionLog(FIELDS)
    log.take(
        [Session("midnight", MIDNIGHT, who="anna", down=10, up=1)],
        full=True,
        midnight=MIDNIGHT,
        asked_at=at(12),
    )
    assert log.today("Lobby", MIDNIGHT) == (1, 10, 1)


def test_open_sessions_without_identity_are_the_last_answers_only() -> None:
    """A record the log cannot tell apart is online while the vendor lists it.

    It cannot be asked for again, so each answer's replace the last's:
    listed twice, it is one guest; no longer listed, it is gone.
    """
    log = SessionLog(FIELDS)
    nameless = Session(None, at(9), who="anna")
    for _ in range(2):
        log.take([nameless], full=False, midnight=MIDNIGHT, asked_at=at(12))
        assert log.open_at("Lobby") == [nameless]
        assert log.today("Lobby", MIDNIGHT) == (1, 0, 0)
    log.take([], full=False, midnight=MIDNIGHT, asked_at=at(12, 1))
    assert log.open_at("Lobby") == []


def test_a_place_with_only_closed_sessions_is_known() -> None:
    """A hotspot whose guests all left today still has its figures."""
    log = SessionLog(FIELDS)
    log.take(
        [
            Session("gone", at(9), is_open=False, place="Terrace"),
            Session("here", at(10), place="Lobby"),
            Session("nowhere", at(10), is_open=False, place=None),
        ],
        full=True,
        midnight=MIDNIGHT,
        asked_at=at(12),
    )
    assert log.places() == {"Lobby", "Terrace"}


# --- ads: later polls ask from what is settled ---------------------------------------


def view(moment: datetime | None) -> WiwizAdEvent:
    """An ad view logged at `moment`."""
    return WiwizAdEvent(
        ad_id="a1",
        event_type=AdEventType.VIEW,
        user_id=None,
        user_agent=None,
        site=None,
        time=moment,
    )


def test_a_later_ad_poll_asks_from_what_is_settled() -> None:
    """From midnight at first, a full poll and a new day; else from `settled_until`."""
    tally = AdTally()
    assert tally.asks_from(MIDNIGHT, full=False) == MIDNIGHT
    tally.take([view(at(9))], asked_from=MIDNIGHT, midnight=MIDNIGHT, now=at(12))
    settled = at(12) - NEWS_MARGIN
    assert tally.settled_until == settled
    assert tally.asks_from(MIDNIGHT, full=False) == settled
    assert tally.asks_from(MIDNIGHT, full=True) == MIDNIGHT
    tomorrow = MIDNIGHT + timedelta(days=1)
    assert tally.asks_from(tomorrow, full=False) == tomorrow


def test_a_later_ad_poll_counts_from_where_it_asked() -> None:
    """An event exactly where the poll asked from counts once; one before it not again."""
    tally = AdTally()
    tally.take([view(at(9))], asked_from=MIDNIGHT, midnight=MIDNIGHT, now=at(12))
    asked_from = tally.asks_from(MIDNIGHT, full=False)
    tally.take(
        # A vendor that sends an older event again, and one on the bound.
        [view(at(9)), view(asked_from)],
        asked_from=asked_from,
        midnight=MIDNIGHT,
        now=at(13),
    )
    assert tally.views == 2


def test_a_new_tally_has_counted_nothing() -> None:
    """No views or clicks before the first answer is filed."""
    tally = AdTally()
    assert (tally.views, tally.clicks) == (0, 0)


def test_an_ad_event_on_the_settling_bound_counts_once() -> None:
    """An event exactly at `settled_until` is news, asked again and counted once."""
    tally = AdTally()
    settle = at(12) - NEWS_MARGIN
    tally.take([view(settle)], asked_from=MIDNIGHT, midnight=MIDNIGHT, now=at(12))
    assert tally.views == 1
    asked_from = tally.asks_from(MIDNIGHT, full=False)
    assert asked_from == settle
    tally.take([view(settle)], asked_from=asked_from, midnight=MIDNIGHT, now=at(13))
    assert tally.views == 1
