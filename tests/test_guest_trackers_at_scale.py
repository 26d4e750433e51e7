"""Which guests get a tracker: returning guests by default, and never too many.

A venue's guests fill the entity registry one tracker each. New entries
track returning guests (seen again on a later day); every entry keeps at most
MAX_GUEST_TRACKERS, beyond which new guests get none and a repair issue
explains it, until old trackers are forgotten.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from unittest.mock import patch
import uuid

import attrs
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import RELOAD_AFTER_UPDATE_DELAY
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er, issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, mock_registry

from custom_components.guest_wifi.const import DOMAIN, MAX_GUEST_TRACKERS

from .conftest import poll, setup_entry
from .fakes import WIWIZ_KEY, FakeWiwiz
from .test_device_tracker import (
    ALICE,
    BOB,
    CAROL,
    change_options,
    enable_trackers,
    trackers,
)
from .test_guest_store import single_file

pytestmark = pytest.mark.usefixtures("frozen")

# The flood guard's tests lower the limit: forgetting or removing ten
# thousand trackers takes core's registry seconds, which says nothing more.
LIMIT = 20


@pytest.fixture
def new_entry(hass: HomeAssistant) -> MockConfigEntry:
    """A Wiwiz entry made by this release: no options chosen yet."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Wiwiz",
        unique_id="wiwiz_HS1",
        version=1,
        minor_version=4,
        data={"vendor": "wiwiz", "userkey": WIWIZ_KEY, "hotspot_ids": ["HS1", "HS2"]},
    )
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
def limit() -> Iterator[int]:
    """A venue's limit of trackers, lowered for speed."""
    with patch("custom_components.guest_wifi.device_tracker.MAX_GUEST_TRACKERS", LIMIT):
        yield LIMIT


def tracked_macs(hass: HomeAssistant, entry: MockConfigEntry) -> set[str]:
    """The MACs with a tracker of this entry."""
    return {uid.removeprefix(f"{entry.entry_id}_") for uid in trackers(hass, entry)}


def flood_issue(hass: HomeAssistant, entry: MockConfigEntry) -> ir.IssueEntry | None:
    """The repair issue of an entry with too many trackers, if any."""
    return ir.async_get(hass).async_get_issue(
        DOMAIN, f"too_many_guest_trackers_{entry.entry_id}"
    )


def month_of_guests(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    entry: MockConfigEntry,
    count: int,
    last_seen: str,
) -> None:
    """A venue that has been running: `count` trackers, their guests remembered.

    The registry is as Home Assistant loads it at start (built directly:
    making ten thousand entries one by one takes a test far longer).
    """
    template = er.async_get(hass).async_get_or_create(
        Platform.DEVICE_TRACKER,
        DOMAIN,
        f"{entry.entry_id}_template",
        config_entry=entry,
        disabled_by=er.RegistryEntryDisabler.INTEGRATION,
    )
    entries = {}
    guests = {}
    for i in range(count):
        mac = f"02:00:00:{i >> 16 & 255:02x}:{i >> 8 & 255:02x}:{i & 255:02x}"
        entity_id = f"device_tracker.{mac.replace(':', '_')}"
        entries[entity_id] = attrs.evolve(
            template,
            id=uuid.uuid4().hex,
            entity_id=entity_id,
            unique_id=f"{entry.entry_id}_{mac}",
        )
        guests[mac] = {"hotspot_id": "HS1", "last_seen": last_seen}
    mock_registry(hass, entries)
    hass_storage.update(single_file(entry.entry_id, guests))


# --- returning guests -------------------------------------------------------------


async def test_new_entries_offer_returning_guests_first(
    hass: HomeAssistant, wiwiz: FakeWiwiz, new_entry: MockConfigEntry
) -> None:
    """The options form of a new entry suggests tracking returning guests."""
    await setup_entry(hass, new_entry)
    result = await hass.config_entries.options.async_init(new_entry.entry_id)

    assert result["type"] is FlowResultType.FORM
    schema = result["data_schema"].schema
    field = next(key for key in schema if key == "track_guests")
    assert field.default() == "returning"
    assert schema[field].config["options"] == ["returning", "all", "none"]


async def test_only_returning_guests_get_a_tracker(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    new_entry: MockConfigEntry,
) -> None:
    """First visits and second visits the same day: none; a later day: a tracker."""
    await setup_entry(hass, new_entry)
    wiwiz.connect("HS2", "AA-BB-CC-00-00-02", start_time="2026-11-23 12:00:30")
    await poll(hass, frozen)
    wiwiz.disconnect("HS1", "AA-BB-CC-00-00-01")
    wiwiz.disconnect("HS2", "AA-BB-CC-00-00-02")
    await poll(hass, frozen)
    wiwiz.connect("HS1", "AA-BB-CC-00-00-01", start_time="2026-11-23 15:00:00")
    await poll(hass, frozen, timedelta(hours=3).total_seconds())
    assert trackers(hass, new_entry) == {}

    wiwiz.disconnect("HS1", "AA-BB-CC-00-00-01")
    await poll(hass, frozen)
    frozen.move_to("2026-11-24T10:00:00+01:00")
    wiwiz.connect("HS2", "AA-BB-CC-00-00-01", start_time="2026-11-24 10:00:00")
    await poll(hass, frozen)

    assert tracked_macs(hass, new_entry) == {ALICE}
    assert flood_issue(hass, new_entry) is None
    # A tracker, once made, is a tracker like any other.
    await enable_trackers(hass, frozen, new_entry)
    state = hass.states.get("device_tracker.aa_bb_cc_00_00_01")
    assert state.state == "home"
    assert state.attributes["hotspot"] == "HS2"


async def test_a_visit_past_midnight_is_one_visit(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    new_entry: MockConfigEntry,
) -> None:
    """A guest still connected after midnight has not come back."""
    await setup_entry(hass, new_entry)
    frozen.move_to("2026-11-24T00:30:00+01:00")
    await poll(hass, frozen)

    assert trackers(hass, new_entry) == {}


async def test_guest_remembered_from_yesterday_returns_after_a_restart(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    wiwiz: FakeWiwiz,
    new_entry: MockConfigEntry,
) -> None:
    """What the guest store remembers counts: a guest of yesterday is returning."""
    hass_storage.update(
        single_file(
            new_entry.entry_id,
            {CAROL: {"hotspot_id": "HS2", "last_seen": "2026-11-22T18:00:00+00:00"}},
        )
    )
    await setup_entry(hass, new_entry)
    assert trackers(hass, new_entry) == {}

    wiwiz.connect("HS2", "AA-BB-CC-00-00-03", start_time="2026-11-23 12:00:30")
    await poll(hass, frozen)

    assert tracked_macs(hass, new_entry) == {CAROL}


async def test_switching_to_every_guest_tracks_those_remembered(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    new_entry: MockConfigEntry,
) -> None:
    """From returning guests to every guest: each remembered guest gets a tracker."""
    await setup_entry(hass, new_entry)
    wiwiz.connect("HS2", "AA-BB-CC-00-00-02", start_time="2026-11-23 12:00:30")
    await poll(hass, frozen)
    assert trackers(hass, new_entry) == {}

    await change_options(hass, new_entry, track_guests="all")

    assert tracked_macs(hass, new_entry) == {ALICE, BOB}


# --- the flood guard --------------------------------------------------------------


async def test_flood_guard_refuses_trackers_beyond_the_limit(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
    limit: int,
) -> None:
    """At the limit new guests get no tracker; a repair issue says why, then goes."""
    hass.config_entries.async_update_entry(
        wiwiz_entry, options={"track_guests": "all", "forget_after_days": 30}
    )
    month_of_guests(
        hass,
        hass_storage,
        wiwiz_entry,
        limit - 1,
        last_seen="2026-10-25T12:00:00+00:00",  # 29 days ago
    )
    await setup_entry(hass, wiwiz_entry)
    assert ALICE in tracked_macs(hass, wiwiz_entry)  # the last one with room
    assert flood_issue(hass, wiwiz_entry) is None

    wiwiz.connect("HS2", "AA-BB-CC-00-00-02", start_time="2026-11-23 12:00:30")
    await poll(hass, frozen)

    assert BOB not in tracked_macs(hass, wiwiz_entry)
    assert len(trackers(hass, wiwiz_entry)) == limit
    issue = flood_issue(hass, wiwiz_entry)
    assert issue is not None
    assert issue.translation_key == "too_many_guest_trackers"
    assert issue.severity is ir.IssueSeverity.WARNING
    assert issue.translation_placeholders == {
        "title": "Wiwiz",
        "limit": str(limit),
        "days": "30",
    }

    # Two days on, the month-old guests are forgotten: room again, and the
    # guest who was refused gets a tracker.
    await poll(hass, frozen, timedelta(days=2).total_seconds())

    assert flood_issue(hass, wiwiz_entry) is None
    assert tracked_macs(hass, wiwiz_entry) == {ALICE, BOB}


async def test_flood_notice_goes_when_tracking_stops(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
    limit: int,
) -> None:
    """Choosing no trackers removes them, and the notice with them."""
    hass.config_entries.async_update_entry(wiwiz_entry, options={"track_guests": "all"})
    month_of_guests(
        hass,
        hass_storage,
        wiwiz_entry,
        limit,
        last_seen="2026-11-20T12:00:00+00:00",
    )
    await setup_entry(hass, wiwiz_entry)
    assert ALICE not in tracked_macs(hass, wiwiz_entry)
    assert flood_issue(hass, wiwiz_entry) is not None

    await change_options(hass, wiwiz_entry, track_guests="none")

    assert flood_issue(hass, wiwiz_entry) is None
    assert trackers(hass, wiwiz_entry) == {}
    # Nothing of them is kept among the registry's deleted entities either.
    assert not [
        key
        for key in er.async_get(hass).deleted_entities
        if key[2].startswith(wiwiz_entry.entry_id)
    ]


async def test_small_cafe_is_unaffected(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """A month of a 300-guest café tracking every guest: all tracked, no notice."""
    hass.config_entries.async_update_entry(wiwiz_entry, options={"track_guests": "all"})
    cafe_month = 7_200  # 300 guests a day, most of them never seen again
    assert cafe_month + 2 < MAX_GUEST_TRACKERS  # the real limit, not lowered
    month_of_guests(
        hass,
        hass_storage,
        wiwiz_entry,
        cafe_month,
        last_seen="2026-11-20T12:00:00+00:00",
    )
    await setup_entry(hass, wiwiz_entry)
    wiwiz.connect("HS2", "AA-BB-CC-00-00-02", start_time="2026-11-23 12:00:30")
    await poll(hass, frozen)

    macs = tracked_macs(hass, wiwiz_entry)
    assert {ALICE, BOB} <= macs
    assert len(macs) == cafe_month + 2
    assert flood_issue(hass, wiwiz_entry) is None


async def test_disabled_trackers_stay_as_they_are(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """A restart keeps disabled trackers in the registry, unchanged, with no state."""
    hass.config_entries.async_update_entry(wiwiz_entry, options={"track_guests": "all"})
    await setup_entry(hass, wiwiz_entry)
    before = trackers(hass, wiwiz_entry)
    assert [reg.disabled_by for reg in before.values()] == [
        er.RegistryEntryDisabler.INTEGRATION
    ]

    assert await hass.config_entries.async_reload(wiwiz_entry.entry_id)
    await hass.async_block_till_done()

    assert trackers(hass, wiwiz_entry) == before
    assert hass.states.async_entity_ids(Platform.DEVICE_TRACKER) == []


async def test_forgotten_passers_by_leave_nothing_in_the_registry(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """A forgotten tracker nobody enabled goes for good; an enabled one's settings stay.

    Core keeps a removed entity's settings while its entry lives: for every
    passer-by that would grow the registry without end.
    """
    hass.config_entries.async_update_entry(
        wiwiz_entry, options={"track_guests": "all", "forget_after_days": 7}
    )
    await setup_entry(hass, wiwiz_entry)
    wiwiz.connect("HS2", "AA-BB-CC-00-00-02", start_time="2026-11-23 12:00:30")
    await poll(hass, frozen)
    registry = er.async_get(hass)
    registry.async_update_entity(
        "device_tracker.aa_bb_cc_00_00_01", disabled_by=None, name="Staff phone"
    )
    await poll(hass, frozen, RELOAD_AFTER_UPDATE_DELAY + 1)
    wiwiz.disconnect("HS1", "AA-BB-CC-00-00-01")
    wiwiz.disconnect("HS2", "AA-BB-CC-00-00-02")
    await poll(hass, frozen)

    await poll(hass, frozen, timedelta(days=8).total_seconds())
    await poll(hass, frozen, timedelta(hours=6).total_seconds())

    assert trackers(hass, wiwiz_entry) == {}
    deleted = registry.deleted_entities
    key = (Platform.DEVICE_TRACKER, DOMAIN)
    assert (*key, f"{wiwiz_entry.entry_id}_{BOB}") not in deleted
    # Under whatever key core keeps it (see _remove_tracker).
    bob = f"{wiwiz_entry.entry_id}_{BOB}"
    assert not [gone for gone in deleted.values() if gone.unique_id == bob]
    assert deleted[(*key, f"{wiwiz_entry.entry_id}_{ALICE}")].name == "Staff phone"

    # The staff phone comes back as the user left it.
    wiwiz.connect("HS1", "AA-BB-CC-00-00-01", start_time="2026-12-01 18:00:00")
    await poll(hass, frozen)
    alice = trackers(hass, wiwiz_entry)[f"{wiwiz_entry.entry_id}_{ALICE}"]
    assert alice.name == "Staff phone"
    assert alice.disabled_by is None


async def test_core_keeps_removed_trackers_as_we_read_them(
    hass: HomeAssistant, wiwiz_entry: MockConfigEntry
) -> None:
    """The registry internals device_tracker._remove_tracker edits (see there).

    No public call forgets a removed entity while its config entry lives: if
    core changes where or how it keeps them, this fails before passers-by
    pile up in the registry unnoticed.
    """
    registry = er.async_get(hass)
    unique_id = f"{wiwiz_entry.entry_id}_{BOB}"
    made = registry.async_get_or_create(
        Platform.DEVICE_TRACKER,
        DOMAIN,
        unique_id,
        config_entry=wiwiz_entry,
        disabled_by=er.RegistryEntryDisabler.INTEGRATION,
        original_name="Passer-by",
    )
    registry.async_remove(made.entity_id)

    key = (Platform.DEVICE_TRACKER, DOMAIN, unique_id)
    kept = registry.deleted_entities[key]
    assert kept.unique_id == unique_id
    assert kept.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert [gone.unique_id for gone in registry.deleted_entities.values()] == [
        unique_id
    ]
    # Deleting the key is forgetting: made again, it is a new entity.
    del registry.deleted_entities[key]
    again = registry.async_get_or_create(
        Platform.DEVICE_TRACKER, DOMAIN, unique_id, config_entry=wiwiz_entry
    )
    assert again.id != made.id
    assert again.disabled_by is None
