"""What a month of guest trackers costs Home Assistant's entity registry and start.

A venue's month is simulated (see `venue_month`): how many guest MACs it
leaves, and how many of them came back on another day. For each venue and
`track_guests` choice, the entity registry a month of it leaves behind is
written to `.storage/core.entity_registry` of a temporary config dir, in
core's own format (one tracker entry, made by core's registry, copied per
MAC), beside the integration's guest store with every MAC of the month. A
real Home Assistant (`async_test_home_assistant`) then starts on that dir:

- "registry MB": the registry file's size on disk;
- "load ms": `er.async_load` (read and build every entry), minus an empty
  registry's (the quickest of five starts, as is set-up);
- "setup ms": the tracker platform's `async_setup_entry` (all of it on the
  event loop) when one Wiwiz entry, with the month's guests in its guest
  store, is set up against the simulator over loopback.

Disabled entries (trackers are disabled by default) cost the same to load
as enabled ones: only creating fewer entries makes a start cheaper.

    scripts/run python -m benchmarks.registry [--days N]
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Iterator
from contextlib import asynccontextmanager
from datetime import timedelta
import gc
from pathlib import Path
from random import Random
import tempfile
import time
from typing import Any
from unittest.mock import patch
import uuid

from aiohttp import web
from homeassistant import bootstrap, loader
from homeassistant.helpers import (
    area_registry as ar,
    category_registry as cr,
    device_registry as dr,
    entity_registry as er,
    floor_registry as fr,
    frame,
    issue_registry as ir,
    label_registry as lr,
    restore_state as rs,
)
from homeassistant.util import dt as dt_util
import orjson
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_test_home_assistant,
)

from benchmarks._hass import no_http_server
from custom_components.guest_wifi import device_tracker
from custom_components.guest_wifi.const import (
    DOMAIN,
    MAX_GUEST_TRACKERS,
    TRACK_ALL,
    TRACK_NONE,
    TRACK_RETURNING,
)
from custom_components.guest_wifi.guest_store import (
    GUESTS_PER_FILE,
    ROW_FIELDS,
    STORAGE_VERSION,
    file_key,
)
from custom_components.guest_wifi.guests import SeenGuest
from simulator import WIWIZ_USERKEY
from simulator.app import create_app
from simulator.faults import Faults
from simulator.world import World

VENUES = {"café": 300, "large venue": 10_000}
DAYS = 30
RUNS = 5
ENTRY_ID = "01BENCHREGISTRY000000000000"
# Targets for what one entry's trackers add: to the registry on disk, and
# to a start (loading the registry, then setting the trackers up).
TARGET_MB = 10.0
TARGET_START_MS = 1000.0
HEADER = (
    "venue",
    "guests/day",
    "track_guests",
    "trackers",
    f"registry MB (<= {TARGET_MB:.0f})",
    "load ms",
    "setup ms",
    f"start ms (<= {TARGET_START_MS:.0f})",
)


def venue_month(guests_per_day: int, days: int = DAYS, seed: int = 1) -> dict[str, int]:
    """MACs a venue sees in `days`, and MACs seen on at least two of them.

    The model: 30% of a day's guests are regulars, from a pool three times a
    day's guests (each comes about every ten days, with the same MAC); the
    other 70% are passers-by, or phones that give each visit a new random
    MAC: each is a MAC never seen before or after.
    """
    rng = Random(seed)  # noqa: S311 (a venue that is the same at every run)
    regulars = 3 * guests_per_day
    days_seen: dict[int, int] = {}
    one_off = 0
    for _ in range(days):
        today = set(rng.sample(range(regulars), int(guests_per_day * 0.3)))
        for guest in today:
            days_seen[guest] = days_seen.get(guest, 0) + 1
        one_off += guests_per_day - len(today)
    return {
        TRACK_ALL: one_off + len(days_seen),
        TRACK_RETURNING: sum(1 for n in days_seen.values() if n >= 2),
    }


def _macs(count: int) -> Iterator[str]:
    for i in range(count):
        raw = f"02{i:010x}"  # locally administered: as randomised MACs are
        yield ":".join(raw[j : j + 2] for j in range(0, 12, 2))


def _write_store(
    path: Path, key: str, data: Any, minor: int = 1, version: int | None = None
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if version is None:
        version = (
            STORAGE_VERSION if key.startswith(DOMAIN) else er.STORAGE_VERSION_MAJOR
        )
    # orjson, as core's Store: datetimes as ISO 8601 text.
    path.write_bytes(
        orjson.dumps(
            {"version": version, "minor_version": minor, "key": key, "data": data}
        )
    )


async def _tracker_template(config_dir: str) -> dict[str, Any]:
    """One guest tracker's registry entry, as core's registry stores it."""
    async with _hass(config_dir) as hass:
        await er.async_load(hass)
        entry = MockConfigEntry(domain=DOMAIN, entry_id=ENTRY_ID)
        entry.add_to_hass(hass)
        registry = er.async_get(hass)
        registry.async_get_or_create(
            "device_tracker",
            DOMAIN,
            f"{ENTRY_ID}_02:00:00:00:00:00",
            config_entry=entry,
            suggested_object_id="02_00_00_00_00_00",
            disabled_by=er.RegistryEntryDisabler.INTEGRATION,
            translation_key="guest",
        )
        saved = orjson.loads(orjson.dumps(registry._data_to_save()))
        return {"entity": saved["entities"][0], "settings": saved["settings"]}


def _write_guests(
    config_dir: Path, guests: dict[str, SeenGuest], *, one_file: bool = False
) -> None:
    """The entry's remembered guests, in files as the integration keeps them.

    `one_file`: as versions before 2 kept them, a dict per guest in one file.
    """
    storage = config_dir / ".storage"
    if one_file:
        key = file_key(ENTRY_ID, 0)
        records = {
            mac: dict(zip(ROW_FIELDS, guest.as_row(), strict=True))
            for mac, guest in guests.items()
        }
        _write_store(storage / key, key, records, version=1)
        return
    macs = list(guests)
    for index, start in enumerate(range(0, len(macs), GUESTS_PER_FILE)):
        key = file_key(ENTRY_ID, index)
        chunk = macs[start : start + GUESTS_PER_FILE]
        columns = {
            "mac": chunk,
            **{
                name: [getattr(guests[mac], name) for mac in chunk]
                for name in ROW_FIELDS
            },
        }
        _write_store(storage / key, key, columns)


def _write_month(
    config_dir: Path, template: dict[str, Any], trackers: int, seen: int
) -> int:
    """A month's registry (`trackers` entries) and guest store; the registry's bytes."""
    entities = []
    for mac in _macs(trackers):
        entity = dict(template["entity"])
        entity["id"] = uuid.uuid4().hex
        entity["unique_id"] = f"{ENTRY_ID}_{mac}"
        entity["entity_id"] = f"device_tracker.{mac.replace(':', '_')}"
        entities.append(entity)
    registry = config_dir / ".storage" / "core.entity_registry"
    _write_store(
        registry,
        "core.entity_registry",
        {
            "entities": entities,
            "deleted_entities": [],
            "settings": template["settings"],
        },
        er.STORAGE_VERSION_MINOR,
    )
    # Everyone of the month was seen, most of them days ago: none is online.
    last_seen = dt_util.utcnow() - timedelta(days=1)
    _write_guests(
        config_dir,
        {
            mac: SeenGuest(
                hotspot_id="WZ0001",
                ip=None,
                username=None,
                connected_since=None,
                last_seen=last_seen,
            )
            for mac in _macs(seen)
        },
    )
    return registry.stat().st_size


def bench_entry(
    base_url: str, track_guests: str, *, minor_version: int
) -> MockConfigEntry:
    """The benchmarks' Wiwiz entry: one hotspot, the simulator's key."""
    return MockConfigEntry(
        domain=DOMAIN,
        entry_id=ENTRY_ID,
        minor_version=minor_version,
        title="Wiwiz",
        unique_id="wiwiz_bench",
        data={
            "vendor": "wiwiz",
            "userkey": WIWIZ_USERKEY,
            "hotspot_ids": ["WZ0001"],
            "hotspots": {"WZ0001": "Lobby"},
            "base_url": base_url,
        },
        options={"track_guests": track_guests},
    )


@asynccontextmanager
async def _hass(config_dir: str) -> Any:
    with no_http_server():
        async with async_test_home_assistant(
            config_dir=config_dir, load_registries=False
        ) as hass:
            hass.data.pop(loader.DATA_CUSTOM_COMPONENTS)
            frame.async_setup(hass)
            dr.async_setup(hass)
            for registry in (ar, cr, fr, lr, ir, dr, rs):
                await registry.async_load(hass)
            try:
                yield hass
            finally:
                await hass.async_stop(force=True)


async def _start(
    config_dir: str, base_url: str, track_guests: str
) -> tuple[float, float]:
    """Seconds to load the entity registry, and to set the entry's trackers up."""
    async with _hass(config_dir) as hass:
        gc.collect()  # not the garbage of the start before
        started = time.perf_counter()
        await er.async_load(hass)
        load = time.perf_counter() - started
        hass.data[bootstrap.DATA_REGISTRIES_LOADED] = None
        entry = bench_entry(base_url, track_guests, minor_version=4)
        entry.add_to_hass(hass)
        setups: list[float] = []
        setup_trackers = device_tracker.async_setup_entry

        async def timed(*args: Any) -> None:
            # The platform's own set-up runs on the event loop from end to end.
            started = time.perf_counter()
            await setup_trackers(*args)
            setups.append(time.perf_counter() - started)

        with patch.object(device_tracker, "async_setup_entry", timed):
            if not await hass.config_entries.async_setup(entry.entry_id):
                raise RuntimeError("the entry did not set up: see the log above")
            await hass.async_block_till_done()
        return load, setups[0]


async def _measure(
    template: dict[str, Any], base_url: str, track_guests: str, trackers: int, seen: int
) -> tuple[int, float, float]:
    """Bytes on disk, and the quickest of a few starts (the machine is shared)."""
    with tempfile.TemporaryDirectory() as config_dir:
        size = _write_month(Path(config_dir), template, trackers, seen)
        # A registry far past the limit is far past the target: one start will do.
        runs = 1 if trackers > 2 * MAX_GUEST_TRACKERS else RUNS
        starts = [await _start(config_dir, base_url, track_guests) for _ in range(runs)]
    return size, min(s[0] for s in starts), min(s[1] for s in starts)


def _against(figure: float, target: float, digits: int) -> str:
    """A figure with its verdict beside it."""
    return f"{figure:.{digits}f} {'OK' if figure <= target else 'MISS'}"


async def _run(days: int) -> list[tuple[str, ...]]:
    world = World(guests=20, hotspots=1, seed=1, tick_seconds=0)
    runner = web.AppRunner(create_app(world, Faults(), ticking=False))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    base_url = f"http://127.0.0.1:{port}/as/qapi/"
    rows: list[tuple[str, ...]] = []
    try:
        with tempfile.TemporaryDirectory() as scratch:
            template = await _tracker_template(scratch)
        _, empty_load, _ = await _measure(template, base_url, TRACK_NONE, 0, 0)
        for venue, per_day in VENUES.items():
            month = venue_month(per_day, days)
            cases = [
                ("all, unbounded (old install)", TRACK_ALL, month[TRACK_ALL]),
                ("all", TRACK_ALL, min(month[TRACK_ALL], MAX_GUEST_TRACKERS)),
                (
                    f"{TRACK_RETURNING} (default)",
                    TRACK_RETURNING,
                    min(month[TRACK_RETURNING], MAX_GUEST_TRACKERS),
                ),
            ]
            for label, choice, trackers in cases:
                size, load, setup = await _measure(
                    template, base_url, choice, trackers, month[TRACK_ALL]
                )
                mb = size / 1e6
                load_ms = max(0.0, load - empty_load) * 1000
                setup_ms = setup * 1000
                rows.append(
                    (
                        venue,
                        str(per_day),
                        label,
                        str(trackers),
                        _against(mb, TARGET_MB, 1),
                        f"{load_ms:.0f}",
                        f"{setup_ms:.0f}",
                        _against(load_ms + setup_ms, TARGET_START_MS, 0),
                    )
                )
    finally:
        await runner.cleanup()
    return rows


def run(days: int = DAYS) -> list[tuple[str, ...]]:
    """Rows of figures, the header first, for `python -m benchmarks`."""
    return [HEADER, *asyncio.run(_run(days))]


def print_rows(rows: list[tuple[str, ...]]) -> None:
    """A plain table."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=DAYS)
    args = parser.parse_args()
    print(
        f"{args.days} days; targets per entry: registry <= {TARGET_MB:.0f} MB, "
        f"load + setup <= {TARGET_START_MS:.0f} ms"
    )
    print_rows(run(args.days))
