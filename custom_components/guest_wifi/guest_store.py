"""Where an entry remembers its guests between restarts: files read one at a time.

A large venue's month is some 240,000 guests. In one file, Home Assistant's
`Store` reads them with a single JSON parse in a worker thread that keeps
the interpreter lock throughout, and writes them with a single dump on the
event loop: a third of a second each, with every automation, websocket and
state write waiting. So the guests are kept in files of at most
`GUESTS_PER_FILE` each, read one after another with the event loop free in
between, and each file is written at its own moment, only when one of its
guests changed.

A guest stays in the file they were first put in, so a change rewrites one
file; new guests go to the first file with room.

The garbage collector decides how long a read holds the loop as much as the
parse does: each full collection walks every object of Home Assistant, a
tenth of a second and more at a large venue, and objects that live a while
start one. So neither the files nor memory hold an object per guest: a file
is columns (a list of MACs, a list of hotspots, ...: strings only once
parsed), and in memory a guest is a row, a plain tuple of strings and
datetimes, which the collector does not follow.

The first file has the name the single file of earlier versions had. Theirs
(version 1, a dict per guest) becomes columns through `Store`'s migration,
and the load spreads its guests over as many files as they fill.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator
from datetime import datetime
from functools import partial
from typing import Any, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .steps import in_steps

STORAGE_VERSION = 2
SAVE_DELAY = 60
# Some 8 ms of parse for a file this full, and a few to write it.
GUESTS_PER_FILE = 8000
# Files written at once would hold the loop as one big file does: one every
# so often instead, so the loop comes back between two.
SAVE_STAGGER = 0.05
# 512,000 guests in files of GUESTS_PER_FILE; past that, the last file grows.
MAX_FILES = 64
# Rows read per step: some 10 ms of the loop's time.
GUESTS_PER_STEP = 2000

# What each place of a row holds: the columns of a file besides "mac" (and
# the keys of a version 1 record). On disk the datetimes are ISO 8601 text.
ROW_FIELDS = ("hotspot_id", "last_seen", "ip", "username", "connected_since")
MAC = "mac"
LAST_SEEN: Final = 1
type Row = tuple[str, datetime, str | None, str | None, datetime | None]


def read_row(raw: tuple[Any, ...]) -> Row:
    """A row as a file holds it; TypeError or ValueError if it is not one of ours."""
    hotspot_id, last_seen, ip, username, since = raw
    if not isinstance(hotspot_id, str):
        raise TypeError(hotspot_id)
    return (
        hotspot_id,
        dt_util.parse_datetime(last_seen) or dt_util.utcnow(),
        ip,
        username,
        dt_util.parse_datetime(since) if since else None,
    )


def file_key(entry_id: str, index: int) -> str:
    """The storage key of an entry's file of guests number `index` (from 0)."""
    key = f"{DOMAIN}.{entry_id}.guests"
    return key if index == 0 else f"{key}.{index}"


def _readable(raw: tuple[Any, ...]) -> Row | None:
    try:
        return read_row(raw)
    except (TypeError, ValueError):
        return None


def _columns(rows: dict[str, Row]) -> dict[str, list[Any]]:
    """A file's data: a list per field, the guests in the same order in each."""
    fields = zip(*rows.values(), strict=True) if rows else [()] * len(ROW_FIELDS)
    return {
        MAC: list(rows),
        **{name: list(column) for name, column in zip(ROW_FIELDS, fields, strict=True)},
    }


def _checked(data: Any) -> tuple[list[Any], list[list[Any]]] | None:
    """A file's MACs and other columns, if they are columns of the same length."""
    macs = data.get(MAC) if isinstance(data, dict) else None
    if not isinstance(macs, list):
        return None
    columns = [data.get(name) for name in ROW_FIELDS]
    if any(not isinstance(c, list) or len(c) != len(macs) for c in columns):
        return None
    return macs, columns


class _GuestFile(Store[dict[str, Any]]):
    """One file of guests; the first may still be in the single file's format."""

    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: Any
    ) -> dict[str, Any]:
        if old_major_version != 1:
            raise NotImplementedError
        # Version 1 kept a dict per guest; a record that is not one is left
        # out here, as the load leaves out any bad row.
        columns: dict[str, list[Any]] = {MAC: [], **{name: [] for name in ROW_FIELDS}}
        records = old_data.items() if isinstance(old_data, dict) else ()
        async for step in in_steps(records, GUESTS_PER_STEP):
            for mac, record in step:
                if isinstance(record, dict):
                    columns[MAC].append(mac)
                    for name in ROW_FIELDS:
                        columns[name].append(record.get(name))
        return columns


async def async_remove_guest_store(hass: HomeAssistant, entry_id: str) -> None:
    """Remove every file an entry's guests may be in."""
    for index in range(MAX_FILES):
        await _GuestFile(
            hass, STORAGE_VERSION, file_key(entry_id, index)
        ).async_remove()


class GuestStore:
    """An entry's remembered guests: their rows by MAC, and the files they are kept in."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry_id: str,
        at_save: Callable[[dict[str, Row]], None],
    ) -> None:
        """Nothing read yet; `at_save` brings a file's rows up to date before a write."""
        self._hass = hass
        self._entry_id = entry_id
        self._at_save = at_save
        self._files = [self._file(0)]
        self._rows: list[dict[str, Row]] = [{}]
        self._file_of: dict[str, int] = {}
        # The first file that may have room.
        self._open = 0
        # Files whose guests changed since they were last given to a save.
        self._changed: set[int] = set()
        # Files given to a save this run: a write of theirs may still be under
        # way, and the unload's last save must come after it.
        self._saving: set[int] = set()

    def _file(self, index: int) -> _GuestFile:
        return _GuestFile(self._hass, STORAGE_VERSION, file_key(self._entry_id, index))

    def get(self, mac: str) -> Row | None:
        """This guest's row, if remembered."""
        if (index := self._file_of.get(mac)) is None:
            return None
        return self._rows[index][mac]

    def __iter__(self) -> Iterator[str]:
        """The MACs of every guest remembered."""
        return iter(self._file_of)

    def __len__(self) -> int:
        """How many guests are remembered."""
        return len(self._file_of)

    def rows(self) -> Iterator[tuple[str, Row]]:
        """Every guest remembered, with their row."""
        for rows in self._rows:
            yield from rows.items()

    async def async_load(self, recall: Callable[[str, Row], None]) -> None:
        """Read every file, one after another; `recall` each guest's MAC and row.

        A row that cannot be read is dropped: one must not cost the others.
        """
        overflow: dict[str, Row] = {}
        index = 0
        while (data := await self._files[index].async_load()) is not None:
            rows = self._rows[index]
            if (checked := _checked(data)) is None:
                self._changed.add(index)  # not a file of ours: written anew
                checked = [], []
            macs, columns = checked
            # By position, not by row: a list per guest would be an object
            # for the garbage collector while the file is read.
            async for step in in_steps(range(len(macs)), GUESTS_PER_STEP):
                for at in step:
                    mac = macs[at]
                    # Kept in an earlier file already, or not a row of ours.
                    if (
                        mac in self._file_of
                        or mac in overflow
                        or not (row := _readable(tuple(c[at] for c in columns)))
                    ):
                        self._changed.add(index)
                        continue
                    recall(mac, row)
                    if len(rows) < GUESTS_PER_FILE or index == MAX_FILES - 1:
                        rows[mac] = row
                        self._file_of[mac] = index
                    else:
                        # The single file of earlier versions, mostly.
                        overflow[mac] = row
                        self._changed.add(index)
            if index == MAX_FILES - 1:
                break
            index += 1
            self._files.append(self._file(index))
            self._rows.append({})
        async for spilled in in_steps(overflow.items(), GUESTS_PER_STEP):
            for mac, kept in spilled:
                self.put(mac, kept)
        if self._changed:
            self.async_delay_save()

    def put(self, mac: str, row: Row) -> None:
        """Remember this guest's row."""
        index = self._file_of.get(mac)
        if index is None:
            index = self._file_of[mac] = self._room()
        self._rows[index][mac] = row
        self._changed.add(index)

    def drop(self, mac: str) -> None:
        """Forget this guest."""
        if (index := self._file_of.pop(mac, None)) is not None:
            del self._rows[index][mac]
            self._changed.add(index)
            self._open = min(self._open, index)

    def _room(self) -> int:
        while (
            len(self._rows[self._open]) >= GUESTS_PER_FILE
            and self._open < MAX_FILES - 1
        ):
            self._open += 1
            if self._open == len(self._rows):
                self._files.append(self._file(self._open))
                self._rows.append({})
        return self._open

    def _data(self, index: int) -> dict[str, list[Any]]:
        # A copy: the rows `at_save` brings up to date change in it only.
        rows = dict(self._rows[index])
        self._at_save(rows)
        return _columns(rows)

    @callback
    def async_delay_save(self) -> None:
        """Write the files whose guests changed, `SAVE_DELAY` from now, each alone."""
        for turn, index in enumerate(sorted(self._changed)):
            self._files[index].async_delay_save(
                partial(self._data, index), SAVE_DELAY + turn * SAVE_STAGGER
            )
        self._saving |= self._changed
        self._changed.clear()

    def async_save(self) -> Coroutine[Any, Any, None]:
        """Write what changed now, after any write still under way.

        Deleting an entry unloads it, then removes its files: a write still
        under way then would put the guests back after the removal.
        """
        indexes = sorted(self._saving | self._changed)
        self._saving.clear()
        self._changed.clear()
        return self._async_save(indexes)

    async def _async_save(self, indexes: list[int]) -> None:
        for index in indexes:
            await self._files[index].async_save(self._data(index))
