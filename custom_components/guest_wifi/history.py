"""History from day one: the vendors' logs become long-term statistics.

Wiwiz and SmartWiFi keep a log of guest sessions for 30 days, filed by the
session's start; My Wi-Fi keeps each user's registration date. They become
external statistics (source `guest_wifi`, the ids in CONTRACT.md) with a
running sum, so an owner's graphs start where the vendor's log starts, not
on the day Home Assistant was installed, and a night with Home Assistant down
is filled from the log at the next start.

How the sums stay true:
- a statistic's rows are written in order, one for every hour (day) from
  where it stands, each carrying on the sum of the row before;
- a pass starts where each statistic's last row ends, read back from the
  recorder: a restart, a reload or a reconfigure never writes a row twice,
  and a row written again (below) replaces the old one;
- an hour written while a session that started in it was still open is read
  again at the next pass (its bytes grow until it ends), and every hour after
  it is written again on top of its new sum. After a restart nobody knows
  which sessions were open: the last `REREAD_AT_START` is read again.

The log is read in windows of `WINDOW`, each taking a turn with the polls of
its vendor and obeying the vendor's "slow down" like them; a window's sessions
are tallied into hours and dropped before the next is asked. The rows are
written a day at a time (history_recorder: a few rows a recorder job).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import logging
import time
from typing import Any, Final

from homeassistant.components.recorder.models import StatisticData
from homeassistant.components.recorder.statistics import StatisticsRow
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.event import async_track_time_change
from homeassistant.helpers.recorder import get_instance
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from .api.errors import AuthenticationError, GuestWifiError, RateLimitedError
from .const import CONF_IMPORT_HISTORY, DEFAULT_IMPORT_HISTORY, DOMAIN, LOGGER
from .coordinator import hold_off, rate_limit_wait, vendor_turns
from .data import GuestWifiConfigEntry
from .history_log import (
    HOUR,
    Progress,
    Source,
    Tallies,
    Tally,
    metadata,
    next_window,
    row_starts,
    statistic_id,
)
from .history_recorder import add_rows, last_rows, sums_before
from .vendors import vendor_of

# How far back the vendors keep their logs (and the longest range they take).
HISTORY_RANGE: Final = timedelta(days=30)
# A pass each hour, a quarter past: the hour before is finished, and the
# vendors have logged its late sessions (polls look 10 minutes back for them).
PASS_MINUTE: Final = 15
# After a (re)start: how far back hours are read again, for sessions that
# were open when their hour was written (a session rarely lasts a day).
REREAD_AT_START: Final = timedelta(hours=24)
# Between two windows of the backfill: it shares the vendor with the polls,
# and a month of log is no reason for a burst.
WINDOW_PAUSE: float = 1.0
# Rows are written a day at a time, whatever the windows they were read in
# (history_recorder: a few rows a recorder job).
WRITE_SPAN: Final = timedelta(days=1)
# A hold-off when a vendor's 429 names no wait.
RATE_LIMIT_WAIT: Final = 600.0
# A pass waits out a hold-off this long at most; a longer one ends the pass,
# and the next (within the hour) goes on.
MAX_WAIT_IN_PASS: Final = 300.0

_HISTORIES: HassKey[dict[str, History]] = HassKey(f"{DOMAIN}_history")


class HeldOffError(Exception):
    """The vendor asked the entry to wait longer than a pass waits."""

    def __init__(self, wait: float) -> None:
        """Say for how long."""
        super().__init__(f"The vendor asked to wait {wait:.0f} s more")


# --- the import ---------------------------------------------------------------


@dataclass(slots=True)
class _Place:
    """One place's statistics during a pass: from where, and their sums."""

    name: str
    ids: dict[str, str]  # kind key to statistic id
    start: datetime
    sums: dict[str, float] = field(default_factory=dict)
    reopen: datetime | None = None  # the first row with a session still open


class History:
    """Keeps one entry's statistics: the backfill, then a pass each hour."""

    def __init__(
        self, hass: HomeAssistant, entry: GuestWifiConfigEntry, source: Source
    ) -> None:
        """Nothing imported yet in this run."""
        self.hass = hass
        self.entry = entry
        self.source = source
        self.vendor = vendor_of(entry).key
        self.progress = Progress()
        # Rows to read again at the next pass, by place (sessions were open).
        self._reopen: dict[str, datetime] = {}
        self._first = True
        self._running = asyncio.Lock()

    @callback
    def start(self) -> None:
        """The backfill now, in the background; then a pass each hour."""
        self._run_in_background()
        self.entry.async_on_unload(
            async_track_time_change(
                self.hass, self._hourly, minute=PASS_MINUTE, second=0
            )
        )

    @callback
    def _hourly(self, _now: datetime) -> None:
        self._run_in_background()

    @callback
    def _run_in_background(self) -> None:
        if self._running.locked():
            return  # the backfill is still going: it reaches this hour too
        self.entry.async_create_background_task(
            self.hass, self.run(), f"{DOMAIN} history {self.entry.title}"
        )

    async def run(self) -> None:
        """One pass: every row from where each statistic stands to the last hour."""
        async with self._running:
            first = self._first
            progress = self.progress
            progress.state, progress.failure = "running", None
            began = time.monotonic()
            level = logging.INFO if first else logging.DEBUG  # hourly: quiet
            LOGGER.log(level, "%s: importing the history", self.entry.title)
            try:
                await self._pass(reread=first)
            except RateLimitedError as err:
                wait = RATE_LIMIT_WAIT if err.retry_after is None else err.retry_after
                hold_off(self.hass, self.entry.entry_id, wait)
                self._failed(err, logging.INFO)
                return
            except HeldOffError as err:
                self._failed(err, logging.DEBUG)
                return
            except AuthenticationError as err:
                self._failed(err, logging.DEBUG)  # the polls start re-authentication
                return
            except GuestWifiError as err:
                self._failed(err, logging.WARNING)
                return
            # After a failed pass the next reads the day before again: rows
            # it wrote with sessions open are not known.
            self._first = False
            progress.state = "done"
            progress.passes += 1
            if first:
                progress.backfill_seconds = round(time.monotonic() - began, 1)
            if progress.last_row is None:
                LOGGER.log(level, "%s: no history to import yet", self.entry.title)
            else:
                LOGGER.log(
                    level,
                    "%s: history imported up to %s (%d rows so far)",
                    self.entry.title,
                    progress.last_row,
                    progress.rows,
                )

    def _failed(self, err: Exception, level: int) -> None:
        """The pass stops; the next (within the hour) starts where this one ended."""
        self.progress.state = "failed"
        self.progress.failure = str(err)
        LOGGER.log(
            level,
            "%s: history import stopped, to go on within the hour: %s",
            self.entry.title,
            err,
        )

    async def _pass(self, *, reread: bool) -> None:
        source = self.source
        now = dt_util.utcnow()
        end = source.row_of(now)  # the row under way is not finished
        oldest = source.next_row(source.row_of(now - HISTORY_RANGE))
        places = await self._places(end, oldest, reread=reread)
        cursor = unwritten = min((p.start for p in places.values()), default=end)
        # The first window is short: how busy the log is is not known yet.
        window = None if source.window is None else min(source.window, HOUR)
        found: Tallies = {}
        while cursor < end:
            upto = end if window is None else min(cursor + window, end)
            due = [place for place, p in places.items() if p.start < upto]
            tallies = await self._read(cursor, upto, due)
            for place, hours in tallies.items():
                found.setdefault(place, {}).update(hours)
            window = next_window(source, window, tallies)
            del tallies
            cursor = upto
            if cursor - unwritten >= WRITE_SPAN or cursor >= end:
                for place in due:
                    await self._write(
                        places[place], found.get(place, {}), unwritten, cursor
                    )
                found, unwritten = {}, cursor
            if cursor < end and source.asks_vendor:
                await asyncio.sleep(WINDOW_PAUSE)
        self._reopen = {
            place: p.reopen for place, p in places.items() if p.reopen is not None
        }

    async def _read(self, start: datetime, end: datetime, places: list[str]) -> Tallies:
        """A window of the log, in its turn with the vendor's polls."""
        source = self.source
        if not source.asks_vendor:
            return await source.read(start, end, places)
        if wait := rate_limit_wait(self.hass, self.entry.entry_id):
            if wait > MAX_WAIT_IN_PASS:
                raise HeldOffError(wait)
            await asyncio.sleep(wait)
        async with vendor_turns(self.hass, self.vendor):
            self.progress.requests += len(places) if source.asks_per_place else 1
            return await source.read(start, end, places)

    async def _places(
        self, end: datetime, oldest: datetime, *, reread: bool
    ) -> dict[str, _Place]:
        """Where each place's statistics stand, and the sums to carry on."""
        # Rows queued before (a pass stopped by an unload) are in the
        # database before it is read.
        await get_instance(self.hass).async_block_till_done()
        ids = {
            place: {
                kind.key: statistic_id(self.vendor, place, kind)
                for kind in self.source.kinds
            }
            for place in self.source.places
        }
        places: dict[str, _Place] = {}
        for place, of_place in ids.items():
            # A place at a time: one recorder job for every statistic of a
            # venue holds the interpreter lock from the loop for too long.
            lasts = await last_rows(self.hass, list(of_place.values()))
            last = {key: lasts.get(sid) for key, sid in of_place.items()}
            start = max(self._start(place, last, end, reread=reread), oldest)
            places[place] = _Place(self.source.places[place], of_place, start)
            await self._sums(places[place], last)
        return places

    def _start(
        self,
        place: str,
        last: Mapping[str, StatisticsRow | None],
        end: datetime,
        *,
        reread: bool,
    ) -> datetime:
        """The first row of a place this pass writes."""
        source = self.source
        if any(row is None for row in last.values()):
            return datetime.min.replace(tzinfo=UTC)  # never imported: all
        start = min(source.next_row(_start_of(row)) for row in last.values() if row)
        if source.window is not None:
            # The last finished hour is read again: the vendor may log a
            # session of it late.
            start = min(start, end - HOUR)
            if reread:
                start = min(start, start - REREAD_AT_START)
        if (reopen := self._reopen.get(place)) is not None:
            start = min(start, reopen)
        return start

    async def _sums(
        self, place: _Place, last: Mapping[str, StatisticsRow | None]
    ) -> None:
        """Each statistic's sum before the place's first row this pass.

        A pass that goes on after a statistic's last row carries on its sum;
        one that writes rows again (after a start, or for a session left
        open) asks the recorder for the sum of the row before them.
        """
        again = {}
        for key, row in last.items():
            if row is None:
                place.sums[key] = 0.0
            elif _start_of(row) < place.start:
                place.sums[key] = row.get("sum") or 0.0
            else:
                again[key] = place.ids[key]
        if not again:
            return
        sums = await sums_before(self.hass, set(again.values()), place.start)
        for key, sid in again.items():
            place.sums[key] = sums[sid]

    async def _write(
        self,
        place: _Place,
        found: Mapping[datetime, Tally],
        start: datetime,
        end: datetime,
    ) -> None:
        """A place's rows from `start` to `end`, every row (none is left out), in order."""
        source = self.source
        rows: dict[str, list[StatisticData]] = {key: [] for key in place.ids}
        row = None
        for row in row_starts(source, max(start, place.start), end):
            figures = found.get(row, _EMPTY)
            if figures.open and place.reopen is None:
                place.reopen = row
            for kind in source.kinds:
                value = kind.value(figures)
                place.sums[kind.key] += value
                rows[kind.key].append(
                    StatisticData(start=row, state=value, sum=place.sums[kind.key])
                )
        if row is not None:
            self.progress.last_row = max(row, self.progress.last_row or row)
        for kind in source.kinds:
            meta = metadata(place.ids[kind.key], place.name, kind)
            await add_rows(self.hass, meta, rows[kind.key])
            self.progress.rows += len(rows[kind.key])


_EMPTY: Final = Tally()


def _start_of(row: StatisticsRow) -> datetime:
    return dt_util.utc_from_timestamp(row["start"])


# --- set-up and removal --------------------------------------------------------


@callback
def async_start_history(hass: HomeAssistant, entry: GuestWifiConfigEntry) -> None:
    """Import the entry's history in the background, unless the owner said no."""
    if not entry.options.get(CONF_IMPORT_HISTORY, DEFAULT_IMPORT_HISTORY):
        return
    if "recorder" not in hass.config.components:
        LOGGER.debug("%s: no recorder, so no history", entry.title)
        return
    history = History(hass, entry, entry.runtime_data.history(hass, entry))
    histories = hass.data.setdefault(_HISTORIES, {})
    histories[entry.entry_id] = history

    @callback
    def forget() -> None:
        histories.pop(entry.entry_id, None)

    entry.async_on_unload(forget)
    history.start()


@callback
def history_progress(hass: HomeAssistant, entry_id: str) -> dict[str, Any] | None:
    """Where the entry's history stands (None: it is not imported)."""
    history = hass.data.get(_HISTORIES, {}).get(entry_id)
    return None if history is None else history.progress.as_dict()
