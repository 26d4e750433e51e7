"""The vendor's log as long-term statistics, in a real Home Assistant.

The demo's SmartWiFi entry imports the simulator's report when it starts.
The test counts the report itself, hour by hour (sessions that started in
each hour; their bytes where every session of the hour had ended before the
entry was made, so that no byte grew after the import), and reads the
statistics back as the frontend's statistics graph does.

Home Assistant and the simulator run on the real clock: the DST change and
the hours Home Assistant is down are proven on a simulated clock, in
tests/test_history_equivalence.py.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import UTC, datetime, timedelta
import time
from typing import Any

import aiohttp
import pytest

from simulator import SMARTWIFI_TOKEN

from .conftest import Demo
from .test_end_to_end import _get, _socket

pytestmark = pytest.mark.xdist_group("demo")
KINDS = ("connections", "download", "upload")


def _hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def _seconds(text: str) -> int:
    hours, minutes, seconds = (int(part) for part in text.split(":"))
    return hours * 3600 + minutes * 60 + seconds


async def _entry(session: aiohttp.ClientSession, demo: Demo) -> dict[str, Any]:
    entries = await _get(
        session, demo, "/api/config/config_entries/entry?domain=guest_wifi"
    )
    return next(e for e in entries if e["title"].startswith("SmartWiFi"))


async def _imported(
    session: aiohttp.ClientSession, demo: Demo, entry_id: str
) -> dict[str, Any]:
    """Diagnostics once the backfill is done."""
    deadline = time.monotonic() + 120
    while True:
        diagnostics = await _get(
            session, demo, f"/api/diagnostics/config_entry/{entry_id}"
        )
        history = diagnostics["data"]["history"]
        if history and history["state"] == "done":
            return history
        assert time.monotonic() < deadline, history
        await asyncio.sleep(1)


async def _truth(
    session: aiohttp.ClientSession, demo: Demo, since: datetime, made: datetime
) -> tuple[dict[tuple[str, datetime], list[int]], set[tuple[str, datetime]]]:
    """Per hotspot name and UTC hour: sessions, bytes; and the hours still moving."""
    async with session.get(
        f"{demo.simulator_url}/v2/client/connections",
        params={
            "api_token": SMARTWIFI_TOKEN,
            "from": since.strftime("%Y-%m-%dT%H:%M:%S"),
            "to": (datetime.now(UTC) + timedelta(minutes=1)).strftime(
                "%Y-%m-%dT%H:%M:%S"
            ),
        },
    ) as resp:
        assert resp.status == 200
        rows = await resp.json()
    figures: dict[tuple[str, datetime], list[int]] = defaultdict(lambda: [0, 0, 0])
    moving: set[tuple[str, datetime]] = set()
    for row in rows:
        start = datetime.fromisoformat(row["date"])
        key = (row["hotspotname"], _hour(start.astimezone(UTC)))
        figures[key][0] += 1
        figures[key][1] += row["downloaded"]
        figures[key][2] += row["uploaded"]
        end = start + timedelta(seconds=_seconds(row["online_time"]) + 2)
        if row["reason_for_termination"] is None or end >= made:
            moving.add(key)
    return figures, moving


def test_statistics_equal_the_simulators_report(demo: Demo) -> None:
    async def check() -> None:
        async with aiohttp.ClientSession() as session:
            entry = await _entry(session, demo)
            history = await _imported(session, demo, entry["entry_id"])
            made = datetime.fromtimestamp(entry["created_at"], UTC)
            last = datetime.fromisoformat(history["last_imported"])
            async with session.get(f"{demo.simulator_url}/_admin/state") as resp:
                state = await resp.json()
            hotspots = {h["name"]: h["id"] for h in state["hotspots"]["smartwifi"]}
            since = _hour(datetime.now(UTC)) - timedelta(days=29)
            ids = [
                f"guest_wifi:smartwifi_{hotspot}_{kind}"
                for hotspot in hotspots.values()
                for kind in KINDS
            ]
            socket = await _socket(session, demo)
            found = await socket.call(
                {
                    "type": "recorder/statistics_during_period",
                    "start_time": since.isoformat(),
                    "end_time": (last + timedelta(hours=1)).isoformat(),
                    "statistic_ids": ids,
                    "period": "hour",
                    "types": ["state", "sum"],
                }
            )
            await socket.ws.close()
            figures, moving = await _truth(session, demo, since, made)

        sessions = compared_bytes = 0
        for name, hotspot in hotspots.items():
            for index, kind in enumerate(KINDS):
                rows = found[f"guest_wifi:smartwifi_{hotspot}_{kind}"]
                starts = [datetime.fromtimestamp(r["start"] / 1000, UTC) for r in rows]
                assert starts == sorted(set(starts)), "an hour twice"
                assert starts[-1] == last
                assert starts[1:] == [s + timedelta(hours=1) for s in starts[:-1]], (
                    "an hour missing"
                )
                for start, row in zip(starts, rows, strict=True):
                    expected = figures.get((name, start), [0, 0, 0])
                    if kind == "connections":
                        assert row["state"] == expected[0], (name, start)
                        sessions += expected[0]
                    elif (name, start) not in moving:
                        assert row["state"] == expected[index], (name, kind, start)
                        compared_bytes += bool(expected[index])
                # The running sum is the sum of the rows since the first.
                assert rows[-1]["sum"] - rows[0]["sum"] == pytest.approx(
                    sum(r["state"] for r in rows[1:])
                )
        assert sessions > 50
        assert compared_bytes > 10

    asyncio.run(check())
