"""The history backfill: 30 days of a venue's log into long-term statistics.

The simulator lives through 30 days of a venue in a process of its own, as a
vendor would (on a simulated clock, answering over loopback HTTP); then one
entry's backfill runs in a Home Assistant of the test package with a real
recorder (SQLite in a temporary file), exactly as after set-up: windows of
up to 6 hours, each in its vendor turn. Printed: the requests and bytes it
asked, its wall time (the pauses between windows, which only wait, are given
apart), the peak resident memory it added over idle (Linux's VmHWM, reset
before), the peak of Python allocations it added (tracemalloc, in a second
run: tracing slows the first), and the longest event-loop block (a task
sleeping 1 ms, its worst lateness).

    scripts/run python -m benchmarks.history [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
import gc
import multiprocessing
from pathlib import Path
import socket
import tempfile
import time
import tracemalloc
from typing import Any
from unittest.mock import patch
from zoneinfo import ZoneInfo

import aiohttp
from aiohttp import web
from homeassistant.core import HomeAssistant
from homeassistant.helpers import recorder as recorder_helper
from homeassistant.helpers.recorder import get_instance
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from benchmarks.venue import (
    LoopProbe,
    Row,
    _clock,
    _free_port,
    _home_assistant,
    _need,
    _row,
)
from custom_components.guest_wifi import history, history_log
from custom_components.guest_wifi.api.smartwifi import SmartWifiClient
from custom_components.guest_wifi.api.wiwiz import WiwizClient
from custom_components.guest_wifi.const import DOMAIN
from custom_components.guest_wifi.vendor_smartwifi import SmartWifiData
from custom_components.guest_wifi.vendor_wiwiz import WiwizData
from simulator import SMARTWIFI_TOKEN, WIWIZ_USERKEY
from simulator.app import create_app
from simulator.faults import Faults
from simulator.world import World

ROME = ZoneInfo("Europe/Rome")
MB = 2**20
TARGET_MB = 100.0
TARGET_BLOCK_MS = 10.0
TARGET_MINUTES = 15.0
STEP = timedelta(minutes=15)
SEED = 3


@dataclass
class Figures:
    """What one backfill cost."""

    requests: int = 0
    bytes: int = 0
    seconds: float = 0.0
    pauses: float = 0.0
    rows: int = 0
    block_ms: float = 0.0
    peak_mb: float = 0.0
    rss_mb: float = 0.0


def _world(guests: int, hotspots: int, moment: list[float]) -> World:
    """A venue that has lived 30 days (and a little more) by now."""
    end = moment[0]
    moment[0] = end - 31 * 86400
    world = World(
        guests=guests,
        hotspots=hotspots,
        seed=SEED,
        tick_seconds=STEP.total_seconds(),
        tz=ROME,
        clock=lambda: moment[0],
        history=False,
    )
    while moment[0] < end:
        moment[0] = min(moment[0] + STEP.total_seconds(), end)
        world.tick()
    return world


@asynccontextmanager
async def _with_recorder() -> AsyncIterator[HomeAssistant]:
    with tempfile.TemporaryDirectory() as folder:
        async with _home_assistant() as hass:
            url = f"sqlite:///{folder}/statistics.db"
            # What Home Assistant's start does before the recorder sets up.
            recorder_helper.async_initialize_recorder(hass)
            _need(
                await async_setup_component(
                    hass, "recorder", {"recorder": {"db_url": url}}
                ),
                "recorder",
            )
            await hass.async_block_till_done()
            yield hass


class _Source:
    """What a runtime gives the history: the client and the hotspots' names."""

    def __init__(self, client: Any, names: dict[str, str]) -> None:
        self.client = client
        self.hotspot_names = names


def _serve(guests: int, hotspots: int, end: float, port: int) -> None:
    """The vendors, in a process of their own as in life: 30 days lived by `end`."""
    world = _world(guests, hotspots, [end])
    # Not Home Assistant's heap: no collector sweeps of it while it answers.
    gc.collect()
    gc.freeze()
    web.run_app(
        create_app(world, Faults(), ticking=False),
        host="127.0.0.1",
        port=port,
        print=None,
        access_log=None,
    )


@asynccontextmanager
async def _vendors(guests: int, hotspots: int, end: float) -> AsyncIterator[str]:
    """The simulator's address, once its venue has lived its 30 days."""
    port = _free_port()
    process = multiprocessing.get_context("spawn").Process(
        target=_serve, args=(guests, hotspots, end, port), daemon=True
    )
    process.start()
    try:
        while process.is_alive():
            with suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            await asyncio.sleep(0.2)
        _need(process.is_alive() or None, "the simulator's process")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.join(10)


def _counting(figures: Figures) -> aiohttp.TraceConfig:
    """Counts the requests the backfill asks and the bytes it is answered."""

    async def request_end(_session: Any, _context: Any, params: Any) -> None:
        figures.requests += 1
        figures.bytes += params.response.content_length or 0

    trace = aiohttp.TraceConfig()
    trace.on_request_end.append(request_end)
    return trace


def _peak_rss() -> Callable[[], float]:
    """A reader of the resident memory's peak from now on, in MB over now.

    Linux keeps the peak (VmHWM) and resets it to now on request
    (clear_refs 5): what the backfill adds to the process's memory, the way
    the owner's system monitor sees it.
    """
    Path("/proc/self/clear_refs").write_text("5", encoding="ascii")

    def status(key: str) -> int:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith(key):
                return int(line.split()[1]) * 1024
        raise RuntimeError(f"No {key} in /proc/self/status")

    idle = status("VmRSS:")
    return lambda: (status("VmHWM:") - idle) / MB


async def _backfill(
    base: str, hotspots: dict[str, str], vendor: str, *, trace: bool
) -> Figures:
    figures = Figures()
    async with (
        _with_recorder() as hass,
        aiohttp.ClientSession(trace_configs=[_counting(figures)]) as session,
    ):
        if vendor == "wiwiz":
            client: Any = WiwizClient(
                session, WIWIZ_USERKEY, base_url=f"{base}/as/qapi/", time_zone=ROME
            )
            source = WiwizData.history(_Source(client, hotspots), hass, None)  # type: ignore[arg-type]
        else:
            client = SmartWifiClient(session, SMARTWIFI_TOKEN, base_url=f"{base}/")
            source = SmartWifiData.history(_Source(client, hotspots), hass, None)  # type: ignore[arg-type]
        entry = MockConfigEntry(domain=DOMAIN, title=vendor, data={"vendor": vendor})
        entry.add_to_hass(hass)
        windows = 0
        read = source.read

        async def counted(*args: Any) -> history_log.Tallies:
            nonlocal windows
            windows += 1
            return await read(*args)

        source = replace(source, read=counted)
        importer = history.History(hass, entry, source)  # type: ignore[arg-type]
        probe = LoopProbe()
        gc.collect()
        peak_rss = _peak_rss()
        if trace:
            tracemalloc.start()
            base_traced = tracemalloc.get_traced_memory()[0]
        probe.start()
        started = time.perf_counter()
        # The pauses only wait: counted, not slept.
        with patch.object(history, "WINDOW_PAUSE", 0):
            await importer.run()
            await get_instance(hass).async_block_till_done()
        figures.seconds = time.perf_counter() - started
        figures.block_ms = await probe.stop()
        if trace:
            figures.peak_mb = (tracemalloc.get_traced_memory()[1] - base_traced) / MB
            tracemalloc.stop()
        else:
            figures.rss_mb = peak_rss()
        figures.pauses = max(windows - 1, 0) * history.WINDOW_PAUSE
        figures.rows = importer.progress.rows
        if importer.progress.state != "done":
            raise RuntimeError(f"Backfill {importer.progress.as_dict()}")
    return figures


_warm: list[bool] = []


async def rows_for(guests: int, hotspots: int) -> list[Row]:
    """Both vendors' backfill at one venue size."""
    end = datetime.now(UTC).replace(minute=20, second=0, microsecond=0)
    moment = [end.timestamp()]
    # The same seed makes the same hotspots as the vendors' process has.
    venue = World(guests=guests, hotspots=hotspots, seed=SEED, tz=ROME, history=False)
    rows: list[Row] = []
    async with _vendors(guests, hotspots, end.timestamp()) as base:
        with _clock(moment):
            if not _warm:
                # The first backfill of a process pays for lazy imports and
                # first compilations once: shown apart, not as its own cost.
                names = _names(venue, "wiwiz")
                first = await _backfill(base, names, "wiwiz", trace=False)
                _warm.append(True)
                rows.append(
                    _row(
                        "first backfill in a fresh process: longest loop block",
                        f"{first.block_ms:.1f} ms",
                        "(once)",
                        True,
                    )
                )
            for vendor in ("smartwifi", "wiwiz"):
                names = _names(venue, vendor)
                timed = await _backfill(base, names, vendor, trace=False)
                traced = await _backfill(base, names, vendor, trace=True)
                rows += _figures(
                    f"{vendor} backfill, {guests:,} guests/day", timed, traced
                )
    return rows


def _names(world: World, vendor: str) -> dict[str, str]:
    return {h.id: h.name for h in world.hotspots[vendor].values()}


def _figures(what: str, timed: Figures, traced: Figures) -> list[Row]:
    total = timed.seconds + timed.pauses
    return [
        _row(
            f"{what}: requests, bytes",
            f"{timed.requests:,}, {timed.bytes / MB:.1f} MB",
            "-",
            True,
        ),
        _row(
            f"{what}: wall time (work + pauses)",
            f"{timed.seconds:.0f} s + {timed.pauses:.0f} s",
            f"< {TARGET_MINUTES:.0f} min",
            total < TARGET_MINUTES * 60,
        ),
        _row(
            f"{what}: peak memory over idle (resident)",
            f"{timed.rss_mb:.1f} MB",
            f"< {TARGET_MB:.0f} MB",
            timed.rss_mb < TARGET_MB,
        ),
        _row(
            f"{what}: peak Python allocations",
            f"{traced.peak_mb:.1f} MB",
            f"< {TARGET_MB:.0f} MB",
            traced.peak_mb < TARGET_MB,
        ),
        _row(
            f"{what}: longest loop block",
            f"{timed.block_ms:.1f} ms",
            f"< {TARGET_BLOCK_MS:.0f} ms",
            timed.block_ms < TARGET_BLOCK_MS,
        ),
        _row(f"{what}: statistics rows", f"{timed.rows:,}", "-", True),
    ]


async def run(*, quick: bool = False) -> list[Row]:
    """Every figure of this benchmark."""
    rows = await rows_for(300, 3)
    if not quick:
        rows += await rows_for(10_000, 20)
    return rows


def main() -> None:
    """Run and print."""
    from benchmarks.venue import print_rows

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="300 guests only")
    args = parser.parse_args()
    started = time.perf_counter()
    print_rows(asyncio.run(run(quick=args.quick)))
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
