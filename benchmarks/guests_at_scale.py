"""How the clients and the data path fare at ten thousand guests.

Starts the simulator in-process (10000 guests, 20 hotspots per vendor by
default) and measures, with the integration's own clients over loopback:
one poll of every Wiwiz hotspot's current connections, one SmartWiFi
connection report (24 hours, all hotspots), today's Wiwiz log of a hotspot,
and every My Wi-Fi user; then the integration's own per-poll work on that
data. Prints wall time (median of several runs) and peak Python memory.

    scripts/run python -m benchmarks.guests_at_scale [--guests N] [--hotspots N]
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
import statistics
import time
import tracemalloc
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
from aiohttp import web

from custom_components.guest_wifi.api.mywifi import MyWifiClient
from custom_components.guest_wifi.api.smartwifi import SmartWifiClient
from custom_components.guest_wifi.api.wiwiz import WiwizClient
from custom_components.guest_wifi.coordinator import _latest, _wiwiz_guest
from simulator import SMARTWIFI_TOKEN, WIWIZ_USERKEY
from simulator.app import create_app
from simulator.faults import Faults
from simulator.world import World
from tests.whole_window import smartwifi_hotspot

ROME = ZoneInfo("Europe/Rome")
RUNS = 5


async def _measure(
    name: str, work: Callable[[], Awaitable[Any]], rows: list[tuple[str, ...]]
) -> Any:
    times = []
    result = None
    for _ in range(RUNS):
        started = time.perf_counter()
        result = await work()
        times.append(time.perf_counter() - started)
    # Memory in a run of its own: tracing allocations slows everything down.
    tracemalloc.start()
    await work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    size = len(result) if hasattr(result, "__len__") else 1
    rows.append(
        (
            name,
            str(size),
            f"{statistics.median(times) * 1000:.1f}",
            f"{peak / 2**20:.1f}",
        )
    )
    return result


async def main(guests: int, hotspots: int) -> None:
    """Run every measurement and print a table."""
    built = time.perf_counter()
    world = World(guests=guests, hotspots=hotspots, seed=1, tick_seconds=0, tz=ROME)
    build_s = time.perf_counter() - built
    runner = web.AppRunner(create_app(world, Faults(), ticking=False))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    base = f"http://127.0.0.1:{port}"
    rows: list[tuple[str, ...]] = []
    async with aiohttp.ClientSession() as session:
        wiwiz = WiwizClient(
            session, WIWIZ_USERKEY, base_url=f"{base}/as/qapi/", time_zone=ROME
        )
        smartwifi = SmartWifiClient(session, SMARTWIFI_TOKEN, base_url=f"{base}/")
        state = await (await session.get(f"{base}/_admin/state")).json()
        wz_ids = [h["id"] for h in state["hotspots"]["wiwiz"]]
        sw_names = {str(h["id"]): h["name"] for h in state["hotspots"]["smartwifi"]}

        async def all_current() -> list[Any]:
            answers = await asyncio.gather(
                *(wiwiz.current_connections(h) for h in wz_ids)
            )
            return [c for answer in answers for c in answer]

        now = datetime.now(UTC)
        midnight = datetime.now(ROME).replace(hour=0, minute=0, second=0, microsecond=0)
        current = await _measure(
            "Wiwiz current connections, every hotspot", all_current, rows
        )
        await _measure(
            "Wiwiz today's log, one hotspot",
            lambda: wiwiz.connection_log(wz_ids[0], midnight, now),
            rows,
        )
        report = await _measure(
            "SmartWiFi connections, 24 h, all hotspots",
            lambda: smartwifi.connections(now - timedelta(hours=24), now),
            rows,
        )
        token = await _mywifi_token(session, base)
        mywifi = MyWifiClient(session, token, base_url=f"{base}/v1/")
        await _measure("My Wi-Fi users, every page", mywifi.users, rows)

        async def wiwiz_poll_work() -> dict[str, Any]:
            return _latest(
                g for g in (_wiwiz_guest("hotspot", c) for c in current) if g
            )

        async def smartwifi_poll_work() -> list[Any]:
            by_name: dict[str, list[Any]] = {}
            for record in report:
                by_name.setdefault(record.hotspot_name or "", []).append(record)
            return [
                smartwifi_hotspot(hid, by_name.get(name, []), midnight)
                for hid, name in sw_names.items()
            ]

        await _measure("Integration: Wiwiz guests by MAC", wiwiz_poll_work, rows)
        await _measure(
            "Integration: SmartWiFi per-hotspot figures", smartwifi_poll_work, rows
        )
    await runner.cleanup()

    print(
        f"World: {guests} guests, {hotspots} hotspots per vendor (built in {build_s:.1f} s)"
    )
    print(
        f"Median of {RUNS} runs; memory is the peak Python allocation of one more run.\n"
    )
    widths = [
        max(len(r[i]) for r in [("what", "items", "ms", "MiB"), *rows])
        for i in range(4)
    ]
    for row in [("what", "items", "ms", "MiB"), *rows]:
        print(
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )


async def _mywifi_token(
    session: aiohttp.ClientSession, base: str
) -> Callable[[], Awaitable[str]]:
    """A real access token from the simulator's OAuth server (login page and all)."""
    from simulator.demo import MYWIFI_LOGIN, MYWIFI_PASSWORD

    redirect = "http://127.0.0.1/callback"
    async with session.post(
        f"{base}/OAuth/Authorize",
        params={
            "response_type": "code",
            "client_id": "demo-client",
            "redirect_uri": redirect,
            "scope": "READ WRITE",
        },
        data={"login": MYWIFI_LOGIN, "password": MYWIFI_PASSWORD},
        allow_redirects=False,
    ) as resp:
        code = aiohttp.helpers.URL(resp.headers["Location"]).query["code"]  # type: ignore[attr-defined]
    async with session.post(
        f"{base}/OAuth/Token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect,
            "client_id": "demo-client",
            "client_secret": "demo-secret",
        },
    ) as resp:
        access = (await resp.json())["access_token"]

    async def token() -> str:
        return str(access)

    return token


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guests", type=int, default=10000)
    parser.add_argument("--hotspots", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(main(args.guests, args.hotspots))
