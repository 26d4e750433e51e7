"""The history backfill: 30 days of a venue's log into long-term statistics.

The simulator lives through 30 days of a venue (in-process, on a simulated
clock); then one entry's backfill runs in a Home Assistant of the test
package with a real recorder (SQLite in a temporary file), exactly as after set-up:
windows of 6 hours, each in its vendor turn. Printed: the requests and bytes
it asked, its wall time (the pauses between windows, which only wait, are
given apart), the peak of Python allocations it added (tracemalloc, in a
second run: tracing slows the first), and the longest event-loop block
(a task sleeping 1 ms, its worst lateness).

    scripts/run python -m benchmarks.history [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
import gc
import re
import tempfile
import threading
import time
import tracemalloc
from typing import Any
from unittest.mock import patch
from zoneinfo import ZoneInfo

from homeassistant.core import HomeAssistant
from homeassistant.helpers import recorder as recorder_helper
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMockResponse,
    mock_aiohttp_client,
)
from yarl import URL

from benchmarks.venue import LoopProbe, Row, _clock, _home_assistant, _need, _row
from custom_components.guest_wifi import history, history_log
from custom_components.guest_wifi.api.smartwifi import SmartWifiClient
from custom_components.guest_wifi.api.wiwiz import WiwizClient
from custom_components.guest_wifi.const import DOMAIN
from custom_components.guest_wifi.vendor_smartwifi import SmartWifiData
from custom_components.guest_wifi.vendor_wiwiz import WiwizData
from simulator import SMARTWIFI_TOKEN, WIWIZ_USERKEY, inprocess
from simulator.app import create_app
from simulator.faults import Faults
from simulator.world import World

ROME = ZoneInfo("Europe/Rome")
MB = 2**20
TARGET_MB = 100.0
TARGET_BLOCK_MS = 10.0
TARGET_MINUTES = 15.0
STEP = timedelta(minutes=15)
_VENDOR_URL = re.compile(r"^https://(api\.smartwifiplatform\.com|cp\.wiwiz\.com)/")


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


def _world(guests: int, hotspots: int, moment: list[float]) -> World:
    """A venue that has lived 30 days (and a little more) by now."""
    end = moment[0]
    moment[0] = end - 31 * 86400
    world = World(
        guests=guests,
        hotspots=hotspots,
        seed=3,
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


async def _backfill(world: World, vendor: str, *, trace: bool) -> Figures:
    figures = Figures()
    app = create_app(world, Faults(), ticking=False)
    # The vendor answers from a loop of its own (a thread): its work is not
    # Home Assistant's, and must not count as a block of Home Assistant's loop.
    vendor_loop = asyncio.new_event_loop()
    thread = threading.Thread(target=vendor_loop.run_forever, daemon=True)
    thread.start()

    async def answer(method: str, url: URL, data: Any) -> AiohttpClientMockResponse:
        got = await asyncio.wrap_future(
            asyncio.run_coroutine_threadsafe(
                inprocess.answer(app, method, url), vendor_loop
            )
        )
        figures.requests += 1
        figures.bytes += len(got.body)
        return AiohttpClientMockResponse(
            method, url, status=got.status, response=got.body
        )

    hotspots = {h.id: h.name for h in world.hotspots[vendor].values()}
    async with _with_recorder() as hass:
        with mock_aiohttp_client() as mock:
            mock.get(_VENDOR_URL, side_effect=answer)
            session = async_get_clientsession(hass)
            if vendor == "wiwiz":
                client: Any = WiwizClient(
                    session,
                    WIWIZ_USERKEY,
                    base_url="https://cp.wiwiz.com/as/qapi/",
                    time_zone=ROME,
                )
                source = WiwizData.history(_Source(client, hotspots), hass, None)  # type: ignore[arg-type]
            else:
                client = SmartWifiClient(session, SMARTWIFI_TOKEN)
                source = SmartWifiData.history(_Source(client, hotspots), hass, None)  # type: ignore[arg-type]
            entry = MockConfigEntry(
                domain=DOMAIN, title=vendor, data={"vendor": vendor}
            )
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

            if trace:
                tracemalloc.start()
                base = tracemalloc.get_traced_memory()[0]
            probe.start()
            started = time.perf_counter()
            # The pauses only wait: counted, not slept.
            with patch.object(history, "WINDOW_PAUSE", 0):
                await importer.run()
                await history.get_instance(hass).async_block_till_done()
            figures.seconds = time.perf_counter() - started
            figures.block_ms = await probe.stop()
            if trace:
                figures.peak_mb = (tracemalloc.get_traced_memory()[1] - base) / MB
                tracemalloc.stop()
            figures.pauses = max(windows - 1, 0) * history.WINDOW_PAUSE
            figures.rows = importer.progress.rows
            if importer.progress.state != "done":
                raise RuntimeError(f"Backfill {importer.progress.as_dict()}")
    vendor_loop.call_soon_threadsafe(vendor_loop.stop)
    thread.join()
    vendor_loop.close()
    return figures


_warm: list[bool] = []


async def rows_for(guests: int, hotspots: int) -> list[Row]:
    """Both vendors' backfill at one venue size."""
    end = datetime.now(UTC).replace(minute=20, second=0, microsecond=0)
    moment = [end.timestamp()]
    world = _world(guests, hotspots, moment)
    # The simulator's 30 days (hundreds of thousands of sessions) live in
    # this process, not in Home Assistant's: out of the collector's sweeps,
    # whose pauses would otherwise count as the backfill's loop blocks.
    gc.collect()
    gc.freeze()
    rows: list[Row] = []
    with _clock(moment):
        if not _warm:
            # The first backfill of a process pays for lazy imports and first
            # compilations once: shown apart, not as the backfill's own cost.
            first = await _backfill(world, "wiwiz", trace=False)
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
            timed = await _backfill(world, vendor, trace=False)
            traced = await _backfill(world, vendor, trace=True)
            what = f"{vendor} backfill, {guests:,} guests/day, {hotspots} hotspots"
            total = timed.seconds + timed.pauses
            rows += [
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
                    f"{what}: peak allocations",
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
    return rows


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
