"""What an entry remembers of its guests between restarts, kept as guests change.

The store asks for its data on the event loop at every save, so the data is
kept up to date guest by guest rather than rebuilt; these tests read what
reaches the store after real polls. A large venue's guests are kept in
several files, each read and written alone (issue 15, item 10); the single
file of earlier versions is read and spread over them, and deleting the
entry removes every one (item 8).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.guest_wifi import guest_store
from custom_components.guest_wifi.const import DOMAIN
from custom_components.guest_wifi.guest_store import (
    GUESTS_PER_FILE,
    ROW_FIELDS,
    SAVE_DELAY,
    SAVE_STAGGER,
)

from .conftest import poll, setup_entry
from .fakes import FakeWiwiz

pytestmark = pytest.mark.usefixtures("frozen")

ALICE = "aa:bb:cc:00:00:01"  # on the fake Wiwiz account's HS1
BOB = "aa:bb:cc:00:00:02"


def guest_files(hass_storage: dict[str, Any], entry_id: str) -> dict[str, Any]:
    """The entry's files of guests on disk, by key: the first, then the others."""
    first = f"{DOMAIN}.{entry_id}.guests"
    return {
        key: hass_storage[key]
        for key in sorted(hass_storage, key=len)
        if key == first or key.startswith(f"{first}.")
    }


def stored_guests(hass_storage: dict[str, Any], entry_id: str) -> dict[str, Any]:
    """Every guest the entry's files hold, by MAC, as a dict (what a restart reads)."""
    guests = {}
    for saved in guest_files(hass_storage, entry_id).values():
        columns = saved["data"]
        for at, mac in enumerate(columns["mac"]):
            guests[mac] = {name: columns[name][at] for name in ROW_FIELDS}
    return guests


def single_file(entry_id: str, guests: dict[str, Any]) -> dict[str, Any]:
    """The guest store as versions before 2 kept it: one file, a dict per guest."""
    key = f"{DOMAIN}.{entry_id}.guests"
    return {key: {"version": 1, "minor_version": 1, "key": key, "data": guests}}


def _mac(index: int) -> str:
    return f"02:00:00:{index >> 16 & 255:02x}:{index >> 8 & 255:02x}:{index & 255:02x}"


async def test_store_follows_guests(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """Who stays is seen at the last poll; who left, when they left; changes kept."""
    await setup_entry(hass, wiwiz_entry)
    wiwiz.connect("HS2", "AA-BB-CC-00-00-02", ip="10.0.1.5", username="bob")
    await poll(hass, frozen)
    left_at = dt_util.utcnow()
    wiwiz.disconnect("HS2", "AA-BB-CC-00-00-02")
    # Alice comes back from another address: what she shows changes.
    wiwiz.disconnect("HS1", "AA-BB-CC-00-00-01")
    wiwiz.connect("HS1", "AA-BB-CC-00-00-01", ip="10.0.0.42", username="alice")
    await poll(hass, frozen)
    await poll(hass, frozen)
    last_poll = dt_util.utcnow()

    assert await hass.config_entries.async_unload(wiwiz_entry.entry_id)
    await hass.async_block_till_done()
    stored = stored_guests(hass_storage, wiwiz_entry.entry_id)
    assert stored[ALICE] == {
        "hotspot_id": "HS1",
        "last_seen": last_poll.isoformat(),
        "ip": "10.0.0.42",
        "username": "alice",
        # Wiwiz wrote 09:00:00 on the venue's wall clock.
        "connected_since": "2026-11-23T09:00:00+01:00",
    }
    assert stored[BOB]["last_seen"] == (left_at + timedelta(seconds=61)).isoformat()
    assert stored[BOB]["ip"] == "10.0.1.5"

    # What was stored is what the next start knows: nothing lost or rebuilt.
    assert await hass.config_entries.async_setup(wiwiz_entry.entry_id)
    await hass.async_block_till_done()
    presence = wiwiz_entry.runtime_data.presence
    assert presence is not None
    assert presence.seen[BOB].ip == "10.0.1.5"
    assert presence.seen[ALICE].ip == "10.0.0.42"


# --- several files ------------------------------------------------------------

FILE = 10  # guests per file in these tests: a venue's 8000 are too slow to write


@pytest.fixture
def small_files(monkeypatch: pytest.MonkeyPatch) -> int:
    """Files of FILE guests, so that a few dozen guests fill several."""
    assert GUESTS_PER_FILE > FILE
    monkeypatch.setattr(guest_store, "GUESTS_PER_FILE", FILE)
    return FILE


def _yesterdays(count: int) -> dict[str, dict[str, Any]]:
    """`count` guests seen yesterday, each on its own address, as version 1 kept them."""
    return {
        _mac(i): {
            "hotspot_id": "HS2",
            "last_seen": "2026-11-22T12:00:00+00:00",
            "ip": f"10.0.{i >> 8}.{i & 255}",
            "username": f"guest{i}",
            "connected_since": "2026-11-22T11:00:00+00:00",
        }
        for i in range(count)
    }


async def test_the_single_file_of_earlier_versions_is_read_and_spread(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    small_files: int,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """Every guest of the old file is known, then kept in files of a few each."""
    entry_id = wiwiz_entry.entry_id
    before = _yesterdays(2 * small_files + 5)
    hass_storage.update(single_file(entry_id, dict(before)))
    # A record the old version could not read either: dropped, the rest kept.
    hass_storage[f"{DOMAIN}.{entry_id}.guests"]["data"]["02:ff:00:00:00:00"] = {
        "ip": "10.0.9.9"
    }

    await setup_entry(hass, wiwiz_entry)
    seen = wiwiz_entry.runtime_data.presence.seen
    assert {mac: seen[mac].ip for mac in before} == {
        mac: guest["ip"] for mac, guest in before.items()
    }
    assert seen[_mac(3)].connected_since == dt_util.parse_datetime(
        "2026-11-22T11:00:00+00:00"
    )
    assert "02:ff:00:00:00:00" not in seen

    # Spread without waiting for an unload: the old file alone would be read
    # whole at the next start.
    frozen.tick(timedelta(seconds=SAVE_DELAY + 4 * SAVE_STAGGER + 1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    files = guest_files(hass_storage, entry_id)
    assert list(files) == [
        f"{DOMAIN}.{entry_id}.guests",
        f"{DOMAIN}.{entry_id}.guests.1",
        f"{DOMAIN}.{entry_id}.guests.2",
    ]
    assert {saved["version"] for saved in files.values()} == {2}
    assert max(len(saved["data"]["mac"]) for saved in files.values()) <= small_files
    stored = stored_guests(hass_storage, entry_id)
    assert sum(len(saved["data"]["mac"]) for saved in files.values()) == len(stored)
    assert {mac: stored[mac] for mac in before} == before
    assert ALICE in stored  # online now


async def test_guests_in_several_files_are_all_back_after_a_restart(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    small_files: int,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """What the files hold is what the next start knows; a change writes its file only."""
    entry_id = wiwiz_entry.entry_id
    hass_storage.update(single_file(entry_id, _yesterdays(3 * small_files)))
    await setup_entry(hass, wiwiz_entry)
    assert await hass.config_entries.async_reload(entry_id)
    await hass.async_block_till_done()
    presence = wiwiz_entry.runtime_data.presence
    known = {mac: guest.as_row() for mac, guest in presence.seen.items()}
    files = guest_files(hass_storage, entry_id)
    assert len(files) == 4  # 30 guests and Alice, online now

    # A guest of yesterday comes back on another address.
    wiwiz.connect("HS1", "02-00-00-00-00-15", ip="10.0.0.99", username="back")
    await poll(hass, frozen)
    frozen.tick(timedelta(seconds=SAVE_DELAY + 4 * SAVE_STAGGER))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    after = guest_files(hass_storage, entry_id)
    rewritten = [key for key in files if after[key] is not files[key]]
    holding = [key for key, saved in after.items() if _mac(21) in saved["data"]["mac"]]
    alice = [key for key, saved in after.items() if ALICE in saved["data"]["mac"]]
    assert sorted(rewritten) == sorted({*holding, *alice})
    assert len(rewritten) < len(files)

    assert await hass.config_entries.async_reload(entry_id)
    await hass.async_block_till_done()
    presence = wiwiz_entry.runtime_data.presence
    assert presence.seen[_mac(21)].ip == "10.0.0.99"
    assert {mac: g.as_row() for mac, g in presence.seen.items() if mac != _mac(21)} == {
        mac: row for mac, row in known.items() if mac not in (_mac(21), ALICE)
    } | {ALICE: presence.seen[ALICE].as_row()}


async def test_removing_the_entry_removes_every_file_of_its_guests(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    small_files: int,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """Guests kept in several files: deleting the entry leaves none of them."""
    entry_id = wiwiz_entry.entry_id
    hass_storage.update(single_file(entry_id, _yesterdays(5 * small_files)))
    await setup_entry(hass, wiwiz_entry)
    assert await hass.config_entries.async_unload(entry_id)
    await hass.async_block_till_done()
    assert len(guest_files(hass_storage, entry_id)) == 6

    await hass.config_entries.async_remove(entry_id)
    await hass.async_block_till_done()

    assert guest_files(hass_storage, entry_id) == {}


async def test_a_file_not_of_ours_and_a_bad_row_cost_only_themselves(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    small_files: int,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """A file whose columns do not line up is written anew; a bad row is dropped."""
    entry_id = wiwiz_entry.entry_id
    first, second, third = (
        f"{DOMAIN}.{entry_id}.guests{end}" for end in ("", ".1", ".2")
    )
    good = ["HS2", "2026-11-22T12:00:00+00:00", None, None, None]
    hass_storage[first] = {
        "version": 2,
        "minor_version": 1,
        "key": first,
        "data": {
            "mac": [_mac(1), _mac(2)],
            **{
                name: [value, 42 if name == "hotspot_id" else value]
                for name, value in zip(ROW_FIELDS, good, strict=True)
            },
        },
    }
    hass_storage[second] = {
        "version": 2,
        "minor_version": 1,
        "key": second,
        "data": {"mac": [_mac(3)], "hotspot_id": []},
    }
    hass_storage[third] = {
        "version": 2,
        "minor_version": 1,
        "key": third,
        "data": ["not", "columns"],
    }

    await setup_entry(hass, wiwiz_entry)
    assert set(wiwiz_entry.runtime_data.presence.seen) == {_mac(1), ALICE}
    assert await hass.config_entries.async_unload(entry_id)
    await hass.async_block_till_done()

    assert set(stored_guests(hass_storage, entry_id)) == {_mac(1), ALICE}


async def test_past_the_most_files_the_last_one_grows(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    small_files: int,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """No more than MAX_FILES files: a venue past them keeps every guest still."""
    monkeypatch.setattr(guest_store, "MAX_FILES", 2)
    entry_id = wiwiz_entry.entry_id
    before = _yesterdays(3 * small_files)
    hass_storage.update(single_file(entry_id, dict(before)))
    await setup_entry(hass, wiwiz_entry)
    assert await hass.config_entries.async_reload(entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(entry_id)
    await hass.async_block_till_done()

    files = guest_files(hass_storage, entry_id)
    assert [len(saved["data"]["mac"]) for saved in files.values()] == [
        small_files,
        2 * small_files + 1,  # and Alice, online now
    ]
    assert before.items() <= stored_guests(hass_storage, entry_id).items()
