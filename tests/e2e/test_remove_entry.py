"""Deleting an entry takes its guests off the disk (issue 15, item 8).

The guest store holds guests' MACs, addresses, usernames, e-mails and
phones; the README promises they go with the entry: every file of them (a
large venue's guests are kept in several, issue 15 item 10). Only a real
`hass` writing a real `.storage` shows whether the unload's save lands
after the removal: the harness's storage lives in memory.

The test deletes the demo's Wiwiz and SmartWiFi entries, then adds them back
as the demo did, so the tests after it find the demo as it was.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
import time
from typing import Any

import aiohttp
import pytest

from simulator.demo import HomeAssistantApi, _wait_loaded, add_smartwifi, add_wiwiz

from .conftest import Demo

pytestmark = pytest.mark.xdist_group("demo")

# How long a save that raced the removal may take to land: an executor job.
SETTLE = 5


def _guest_files(demo: Demo, entry_id: str) -> list[Path]:
    """Every file of the entry's guests on disk: the first, `.1`, `.2`, ..."""
    first = f"guest_wifi.{entry_id}.guests"
    storage = demo.config / ".storage"
    return [storage / first, *sorted(storage.glob(f"{first}.*"))]


async def _until(condition: Any, patience: float) -> bool:
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        if condition():
            return True
        await asyncio.sleep(0.2)
    return bool(condition())


async def _delete_and_look(ha: HomeAssistantApi, demo: Demo, vendor: str) -> str:
    """Reload the vendor's entry (its guests are on disk then), delete it.

    Returns its entry id.
    """
    [entry] = [e for e in await ha.entries() if e["title"].startswith(f"{vendor} (")]
    entry_id = entry["entry_id"]
    # An unload saves the guests: after a reload they are on disk.
    await ha.call("POST", f"/api/config/config_entries/entry/{entry_id}/reload")
    assert await _until(_guest_files(demo, entry_id)[0].exists, SETTLE), (
        f"{vendor}: no guest store to delete"
    )
    await ha.call("DELETE", f"/api/config/config_entries/entry/{entry_id}")
    return entry_id


def test_deleting_an_entry_removes_its_guests_from_disk(demo: Demo) -> None:
    async def check() -> None:
        async with aiohttp.ClientSession() as session:
            ha = HomeAssistantApi(session, demo.ha_url, demo.token)
            async with session.get(f"{demo.simulator_url}/_admin/state") as resp:
                world = await resp.json()
            try:
                deleted = [
                    await _delete_and_look(ha, demo, "Wiwiz"),
                    await _delete_and_look(ha, demo, "SmartWiFi"),
                ]
                # A save racing the removal lands within moments: give it time.
                await asyncio.sleep(SETTLE)
                left = [
                    path.name
                    for entry_id in deleted
                    for path in _guest_files(demo, entry_id)
                    if path.exists()
                ]
            finally:
                titles = {e["title"].partition(" (")[0] for e in await ha.entries()}
                if "Wiwiz" not in titles:
                    await add_wiwiz(ha, demo.simulator_url, world)
                if "SmartWiFi" not in titles:
                    await add_smartwifi(ha, demo.simulator_url)
                await _wait_loaded(ha)
        assert left == []

    asyncio.run(check())
