"""How long an owner's big operations hold Home Assistant's event loop.

Each case starts a real Home Assistant (`async_test_home_assistant`) on a
temporary config dir holding core's entity registry and the integration's
guest store, sets up one Wiwiz entry against the simulator over loopback,
and watches the event loop until the operation is done:

- "trackers → none": 10,000 trackers removed when the owner chooses no
  trackers (the flood guard's limit: the most an entry keeps);
- "stale sweep": 10,000 trackers of guests not seen for longer than
  `forget_after_days`, removed by the sweep at start;
- "238k guest store: read": loading a large venue's month of remembered
  guests (`registry.venue_month`: 10,000 guests a day for 30 days) at start,
  from the files of `GUESTS_PER_FILE` guests the integration keeps;
- "238k guest store: saved": every one of those files written, as the
  unload's last save does when every guest changed (a delayed save writes
  the same files, `SAVE_STAGGER` apart);
- "(before) ... one file": the same guests in the single file of versions
  before 2, read (once now: the first start after the upgrade spreads them
  over files) and saved (what every save did: one dump on the loop).

"longest block ms" is the longest time the loop went without coming back to
a task that asks only to run again (`asyncio.sleep(0)`): what an automation,
a websocket or a state write waited at worst. "total s" is the whole
operation, spread over as many loop iterations as it takes.

At 238k guests, on a shared 2-CPU machine: one file (before) read 391 ms,
saved 128 ms; the files read 22 ms, saved 6-8 ms. What held the loop when
one file was read: core's `Store` parsing it at once (one `orjson.loads`
call in a worker thread keeps the interpreter lock throughout), then full
garbage collections (some 120 ms each) started by the objects per guest
the read left behind; the files hold no object per guest, nor does memory
(see `guest_store`). The single file of an earlier version is still read
whole once, at the first start after the upgrade (some 250-300 ms).

    scripts/run python -m benchmarks.loop_blocks
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
import gc
from pathlib import Path
import tempfile
import time
from typing import Any, Self

from aiohttp import web
from homeassistant import bootstrap
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import Platform
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.guest_wifi.const import (
    DEFAULT_FORGET_AFTER_DAYS,
    MAX_GUEST_TRACKERS,
    TRACK_ALL,
    TRACK_NONE,
    TRACK_RETURNING,
)
from custom_components.guest_wifi.guest_store import ROW_FIELDS, file_key
from custom_components.guest_wifi.guests import SeenGuest
from simulator.app import create_app
from simulator.faults import Faults
from simulator.world import World

from .registry import (
    ENTRY_ID,
    _hass,
    _macs,
    _tracker_template,
    _write_guests,
    _write_store,
    bench_entry,
    print_rows,
    venue_month,
)

TARGET_BLOCK_MS = 100.0
FORGET_AFTER = timedelta(days=DEFAULT_FORGET_AFTER_DAYS)
HEADER = (
    "operation",
    "count",
    "total s",
    f"longest block ms (<= {TARGET_BLOCK_MS:.0f})",
)


class LoopWatch:
    """The longest the event loop was held between two turns of a waiting task."""

    def __init__(self) -> None:
        """Not watching yet."""
        self.longest = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _watch(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0)
            self.longest = max(self.longest, time.perf_counter() - before)

    def __enter__(self) -> Self:
        """Watch from now."""
        self._task = asyncio.get_running_loop().create_task(self._watch())
        return self

    def __exit__(self, *_: object) -> None:
        """Stop watching."""
        if self._task is not None:
            self._task.cancel()


def _write(
    config_dir: Path,
    template: dict[str, Any],
    trackers: int,
    guests: int,
    age: timedelta,
    *,
    one_file: bool,
) -> None:
    """`trackers` guest trackers, as made (disabled), and `guests` remembered."""
    entities = []
    for index, mac in enumerate(_macs(trackers)):
        entity = dict(template["entity"])
        entity["id"] = f"{index:032x}"
        entity["unique_id"] = f"{ENTRY_ID}_{mac}"
        entity["entity_id"] = f"device_tracker.{mac.replace(':', '_')}"
        entities.append(entity)
    _write_store(
        config_dir / ".storage" / "core.entity_registry",
        "core.entity_registry",
        {
            "entities": entities,
            "deleted_entities": [],
            "settings": template["settings"],
        },
        er.STORAGE_VERSION_MINOR,
    )
    last_seen = dt_util.utcnow() - age
    _write_guests(
        config_dir,
        {
            mac: SeenGuest(
                hotspot_id="WZ0001",
                last_seen=last_seen,
                ip="10.0.0.1",
                username=f"guest{i}",
                connected_since=last_seen,
            )
            for i, mac in enumerate(_macs(guests))
        },
        one_file=one_file,
    )


def _trackers_left(hass: Any, trackers: int) -> int:
    """How many of the `trackers` written are still in the registry."""
    written = {f"{ENTRY_ID}_{mac}" for mac in _macs(trackers)}
    return sum(
        1
        for reg in er.async_entries_for_config_entry(er.async_get(hass), ENTRY_ID)
        if reg.domain == Platform.DEVICE_TRACKER and reg.unique_id in written
    )


async def _watched(hass: Any, job: Awaitable[Any]) -> tuple[float, float]:
    """Seconds `job` took, and the longest loop block in it."""
    gc.collect()
    started = time.perf_counter()
    with LoopWatch() as watch:
        await asyncio.sleep(0)  # the watch is on before the job's first step
        await job
        await hass.async_block_till_done(wait_background_tasks=True)
    return time.perf_counter() - started, watch.longest


async def _save_every_file(hass: Any, entry: MockConfigEntry) -> tuple[float, float]:
    """Every guest changed, then the unload: its last save writes every file."""
    store = entry.runtime_data.presence._store
    for mac, row in list(store.rows()):
        store.put(mac, row)
    return await _watched(hass, hass.config_entries.async_unload(entry.entry_id))


async def _save_one_file(hass: Any, entry: MockConfigEntry) -> tuple[float, float]:
    """What each save did before the files: every guest in one file, dumped on the loop."""
    records = {
        mac: dict(zip(ROW_FIELDS, guest.as_row(), strict=True))
        for mac, guest in entry.runtime_data.presence.seen.items()
    }
    store: Store[dict[str, Any]] = Store(hass, 1, file_key(ENTRY_ID, 0))
    return await _watched(hass, store.async_save(dict(records)))


type Then = Callable[[Any, MockConfigEntry], Awaitable[tuple[float, float]]]


async def _case(
    base_url: str,
    template: dict[str, Any],
    *,
    track_guests: str,
    trackers: int,
    guests: int,
    age: timedelta,
    one_file: bool = False,
    then: Then | None = None,
) -> list[tuple[float, float]]:
    """Seconds the start took and its longest loop block; the same for `then`."""
    with tempfile.TemporaryDirectory() as config_dir:
        _write(Path(config_dir), template, trackers, guests, age, one_file=one_file)
        async with _hass(config_dir) as hass:
            await er.async_load(hass)
            hass.data[bootstrap.DATA_REGISTRIES_LOADED] = None
            entry = bench_entry(base_url, track_guests, minor_version=5)
            entry.add_to_hass(hass)
            figures = [
                await _watched(hass, hass.config_entries.async_setup(entry.entry_id))
            ]
            if entry.state is not ConfigEntryState.LOADED:
                raise RuntimeError("the entry did not set up: see the log above")
            if _trackers_left(hass, trackers):
                raise RuntimeError("trackers were left: see the log above")
            if age < FORGET_AFTER and len(entry.runtime_data.presence.seen) < guests:
                raise RuntimeError("the guest store did not load whole")
            if then is not None:
                figures.append(await then(hass, entry))
            return figures


@asynccontextmanager
async def simulator() -> Any:
    """The simulator on loopback; the Wiwiz API's address."""
    world = World(guests=20, hotspots=1, seed=1, tick_seconds=0)
    runner = web.AppRunner(create_app(world, Faults(), ticking=False))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}/as/qapi/"
    finally:
        await runner.cleanup()


async def _run() -> list[tuple[str, ...]]:
    large_venue = venue_month(10_000)[TRACK_ALL]
    cases = [
        (
            "trackers → none",
            MAX_GUEST_TRACKERS,
            {
                "track_guests": TRACK_NONE,
                "guests": MAX_GUEST_TRACKERS,
                "age": timedelta(0),
            },
        ),
        (
            "stale sweep",
            MAX_GUEST_TRACKERS,
            {
                "track_guests": TRACK_ALL,
                "guests": MAX_GUEST_TRACKERS,
                "age": 2 * FORGET_AFTER,
            },
        ),
        (
            "238k guest store: read|saved",
            large_venue,
            {
                "track_guests": TRACK_RETURNING,
                "guests": large_venue,
                "age": timedelta(days=1),
                "then": _save_every_file,
            },
        ),
        (
            "(before) 238k guests in one file: read (once now)|saved",
            large_venue,
            {
                "track_guests": TRACK_RETURNING,
                "guests": large_venue,
                "age": timedelta(days=1),
                "one_file": True,
                "then": _save_one_file,
            },
        ),
    ]
    rows: list[tuple[str, ...]] = [HEADER]
    async with simulator() as base_url:
        with tempfile.TemporaryDirectory() as scratch:
            template = await _tracker_template(scratch)
        for labels, count, case in cases:
            trackers = count if "then" not in case else 0
            figures = await _case(base_url, template, trackers=trackers, **case)
            label, *more = labels.split("|")
            for name, (took, longest) in zip(
                [label, *(f"{label.partition(':')[0]}: {m}" for m in more)],
                figures,
                strict=True,
            ):
                ms = longest * 1000
                verdict = "OK" if ms <= TARGET_BLOCK_MS else "MISS"
                rows.append((name, str(count), f"{took:.1f}", f"{ms:.0f} {verdict}"))
    return rows


def run() -> list[tuple[str, ...]]:
    """Rows of figures, the header first, for `python -m benchmarks`."""
    return asyncio.run(_run())


if __name__ == "__main__":
    print_rows(run())
