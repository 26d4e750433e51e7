"""History from day one: the vendors' logs as long-term statistics.

Home Assistant with its recorder, the vendors faked at the HTTP edge. The
backfill, each hour's pass, a session that ends after its hour was written,
the hours missed while Home Assistant was down, reloads, the owner's option
and My Wi-Fi's registrations.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder import statistics
from homeassistant.components.recorder.statistics import (
    get_metadata,
    statistics_during_period,
)
from homeassistant.components.recorder.tasks import ImportStatisticsTask
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.recorder import get_instance
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.guest_wifi import history_log, history_recorder
from custom_components.guest_wifi.const import DOMAIN
from custom_components.guest_wifi.diagnostics import async_get_config_entry_diagnostics

from .conftest import setup_entry
from .fakes import MYWIFI_CLIENT_ID, FakeMyWifi, FakeSmartWifi, FakeWiwiz

NOON = datetime(2026, 11, 23, 12, 0, tzinfo=dt_util.get_time_zone("Europe/Rome"))
HOUR = timedelta(hours=1)
CONNECTIONS = "guest_wifi:wiwiz_hs1_connections"
DOWNLOAD = "guest_wifi:wiwiz_hs1_download"
UPLOAD = "guest_wifi:wiwiz_hs1_upload"

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture(autouse=True)
def mock_recorder_before_hass(async_setup_recorder_instance: Any) -> None:
    """The recorder is set up before Home Assistant starts, as in core's tests."""


def _log(
    wiwiz: FakeWiwiz,
    hotspot: str,
    mac: str,
    start: str,
    *,
    end: str = "",
    incoming: int = 1000,
    outgoing: int = 100,
) -> dict[str, Any]:
    """A session in a hotspot's log (closed unless `end` is empty)."""
    record = {
        "ip": "10.0.0.5",
        "mac": mac,
        "start_time": start,
        "end_time": end,
        "incoming": incoming,
        "outgoing": outgoing,
        "username": "",
        "usertype": 1,
        "voucher": "",
        "mobile": "",
        "userstring": "",
    }
    wiwiz.hotspots[hotspot]["log"].append(record)
    return record


async def _rows(
    hass: HomeAssistant, statistic_id: str, since: datetime | None = None
) -> dict[datetime, tuple[float, float]]:
    """A statistic's hourly rows: start to (state, sum)."""
    await async_wait_recording_done(hass)
    found = await get_instance(hass).async_add_executor_job(
        statistics_during_period,
        hass,
        since or NOON - timedelta(days=40),
        None,
        {statistic_id},
        "hour",
        None,
        {"state", "sum"},
    )
    return {
        dt_util.utc_from_timestamp(row["start"]): (row["state"], row["sum"])
        for row in found.get(statistic_id, [])
    }


def _utc(text: str) -> datetime:
    """A venue wall-clock time as the UTC hour it is in."""
    local = datetime.fromisoformat(text).replace(tzinfo=NOON.tzinfo)
    return history_log.hour_of(local)


async def _pass_at(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, local: str
) -> None:
    """Time moves to a venue wall-clock time; the hourly pass runs if it is due."""
    freezer.move_to(datetime.fromisoformat(local).replace(tzinfo=NOON.tzinfo))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def _set_up_and_backfilled(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """The entry set up, and its history backfill run to its end."""
    await setup_entry(hass, entry)
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_backfill_imports_the_whole_log(
    hass: HomeAssistant,
    recorder_mock: Any,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """30 days of every hotspot, every hour, from the log, in the background."""
    caplog.set_level(logging.INFO, logger="custom_components.guest_wifi")
    _log(
        wiwiz,
        "HS1",
        "AA-BB-CC-00-10-00",
        "2026-10-25 08:10:00",
        end="2026-10-25 09:00:00",
    )
    _log(
        wiwiz,
        "HS1",
        "AA-BB-CC-00-10-01",
        "2026-11-20 21:10:00",
        end="2026-11-20 22:00:00",
    )
    _log(
        wiwiz,
        "HS1",
        "AA-BB-CC-00-10-02",
        "2026-11-20 21:50:00",
        end="2026-11-21 01:00:00",
    )
    _log(
        wiwiz,
        "HS2",
        "AA-BB-CC-00-10-03",
        "2026-11-22 23:59:59",
        end="2026-11-23 00:30:00",
    )
    # Older than the vendor keeps: not asked, not counted.
    _log(
        wiwiz,
        "HS1",
        "AA-BB-CC-00-10-04",
        "2026-10-20 10:00:00",
        end="2026-10-20 11:00:00",
    )

    await _set_up_and_backfilled(hass, wiwiz_entry)

    connections = await _rows(hass, CONNECTIONS)
    download = await _rows(hass, DOWNLOAD)
    hours = sorted(connections)
    # Every hour from 30 days back to the last finished one (10:00-11:00 UTC).
    assert (
        hours[0]
        == history_log.hour_of(NOON.astimezone(UTC) - timedelta(days=30)) + HOUR
    )
    assert hours[-1] == history_log.hour_of(NOON) - HOUR
    assert hours == [hours[0] + HOUR * i for i in range(len(hours))]
    assert connections[_utc("2026-10-25 08:10:00")] == (1, 1)
    assert connections[_utc("2026-11-20 21:10:00")] == (2, 3)
    assert download[_utc("2026-11-20 21:10:00")] == (2000, 3000)
    # Alice's session (09:00 today, still open) counts with its bytes so far.
    assert connections[_utc("2026-11-23 09:00:00")] == (1, 4)
    assert connections[hours[-1]] == (0, 4)
    assert (await _rows(hass, UPLOAD))[hours[-1]] == (0, 400)
    hs2 = await _rows(hass, "guest_wifi:wiwiz_hs2_connections")
    assert hs2[_utc("2026-11-22 23:59:59")] == (1, 1)
    assert hs2[hours[-1]] == (0, 1)
    # The owner's words, with the hotspot's name; bytes are bytes.
    metadata = await get_instance(hass).async_add_executor_job(
        lambda: get_metadata(hass, statistic_source=DOMAIN)
    )
    assert metadata[DOWNLOAD][1]["name"] == "HS1 guest download"
    assert metadata[DOWNLOAD][1]["unit_of_measurement"] == "B"
    assert metadata[DOWNLOAD][1]["unit_class"] == "information"
    assert metadata[CONNECTIONS][1]["unit_of_measurement"] is None
    assert metadata[CONNECTIONS][1]["has_sum"]
    # The owner can see it start and end, and where it stands.
    messages = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert "Wiwiz: importing the history" in messages
    assert any(m.startswith("Wiwiz: history imported up to") for m in messages)
    diagnostics = await async_get_config_entry_diagnostics(hass, wiwiz_entry)
    progress = diagnostics["history"]
    assert progress["state"] == "done"
    assert progress["last_imported"] == hours[-1].isoformat()
    assert progress["rows"] == 6 * len(hours)
    # Two hotspots, 30 days in 6 hours, after a first window of an hour: how
    # busy the log is is not known before it is read.
    assert progress["requests"] == 2 * (1 + 120)


async def test_each_hour_and_a_late_session_end(
    hass: HomeAssistant,
    recorder_mock: Any,
    freezer: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """A finished hour is added; a session ending later updates its hour and after."""
    await _set_up_and_backfilled(hass, wiwiz_entry)
    alice = wiwiz.hotspots["HS1"]["log"][0]
    assert (await _rows(hass, DOWNLOAD))[_utc("2026-11-23 09:00:00")] == (1000, 1000)

    _log(wiwiz, "HS1", "AA-BB-CC-00-10-10", "2026-11-23 12:20:00", incoming=300)
    await _pass_at(hass, freezer, "2026-11-23 13:15:00")
    download = await _rows(hass, DOWNLOAD)
    assert download[_utc("2026-11-23 12:20:00")] == (300, 1300)

    # Alice leaves at 13:30, having downloaded 5000 bytes in all.
    alice.update(end_time="2026-11-23 13:30:00", incoming=5000)
    wiwiz.disconnect("HS1", alice["mac"])
    await _pass_at(hass, freezer, "2026-11-23 14:15:00")
    download = await _rows(hass, DOWNLOAD)
    assert download[_utc("2026-11-23 09:00:00")] == (5000, 5000)
    assert download[_utc("2026-11-23 12:20:00")] == (300, 5300)
    assert download[_utc("2026-11-23 13:00:00")] == (0, 5300)
    assert max(download) == _utc("2026-11-23 13:00:00")
    assert (await _rows(hass, CONNECTIONS))[_utc("2026-11-23 13:00:00")] == (0, 2)
    # Nothing written twice: one row an hour.
    hours = sorted(download)
    assert hours == [hours[0] + HOUR * i for i in range(len(hours))]


async def test_hours_missed_while_down_are_filled_once(
    hass: HomeAssistant,
    recorder_mock: Any,
    freezer: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """Down for hours, reloaded, reconfigured: each session counted once."""
    await _set_up_and_backfilled(hass, wiwiz_entry)
    assert await hass.config_entries.async_unload(wiwiz_entry.entry_id)
    _log(
        wiwiz,
        "HS1",
        "AA-BB-CC-00-10-20",
        "2026-11-23 12:40:00",
        end="2026-11-23 13:00:00",
    )
    _log(
        wiwiz,
        "HS1",
        "AA-BB-CC-00-10-21",
        "2026-11-23 15:05:00",
        end="2026-11-23 15:10:00",
    )
    await _pass_at(hass, freezer, "2026-11-23 17:40:00")  # nothing runs: down

    assert await hass.config_entries.async_setup(wiwiz_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    connections = await _rows(hass, CONNECTIONS)
    assert max(connections) == _utc("2026-11-23 16:00:00")
    assert connections[_utc("2026-11-23 12:40:00")] == (1, 2)
    assert connections[_utc("2026-11-23 15:05:00")] == (1, 3)
    assert connections[max(connections)] == (0, 3)

    # A reload, a reconfigure (new data, a reload), the next hour: same sums.
    assert await hass.config_entries.async_reload(wiwiz_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    hass.config_entries.async_update_entry(
        wiwiz_entry, data={**wiwiz_entry.data, "hotspots": {"HS1": "Bar", "HS2": "HS2"}}
    )
    assert await hass.config_entries.async_reload(wiwiz_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    await _pass_at(hass, freezer, "2026-11-23 18:15:00")
    again = await _rows(hass, CONNECTIONS)
    assert {h: v for h, v in again.items() if h in connections} == connections
    assert again[max(again)] == (0, 3)
    assert sorted(again) == [min(again) + HOUR * i for i in range(len(again))]
    metadata = await get_instance(hass).async_add_executor_job(
        lambda: get_metadata(hass, statistic_ids={CONNECTIONS})
    )
    assert metadata[CONNECTIONS][1]["name"] == "Bar guest connections"


async def test_a_vendor_that_says_slow_down(
    hass: HomeAssistant,
    recorder_mock: Any,
    freezer: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """A 429 stops the pass and holds the entry; the next pass goes on."""
    await setup_entry(hass, wiwiz_entry)  # the backfill waits for the recorder
    wiwiz.fail(status=429, headers={"Retry-After": "3000"})
    await hass.async_block_till_done(wait_background_tasks=True)
    diagnostics = await async_get_config_entry_diagnostics(hass, wiwiz_entry)
    assert diagnostics["history"]["state"] == "failed"
    assert await _rows(hass, CONNECTIONS) == {}

    wiwiz.recover()
    await _pass_at(hass, freezer, "2026-11-23 12:15:00")  # still holding off
    assert await _rows(hass, CONNECTIONS) == {}
    await _pass_at(hass, freezer, "2026-11-23 13:15:00")
    connections = await _rows(hass, CONNECTIONS)
    assert max(connections) == _utc("2026-11-23 12:00:00")
    assert connections[max(connections)] == (0, 1)
    diagnostics = await async_get_config_entry_diagnostics(hass, wiwiz_entry)
    assert diagnostics["history"]["state"] == "done"


async def test_unload_stops_a_running_backfill(
    hass: HomeAssistant,
    recorder_mock: Any,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """Set-up does not wait for the backfill; unloading ends it."""
    await setup_entry(hass, wiwiz_entry)
    wiwiz.fail(hang=True)
    await async_wait_recording_done(hass)
    await hass.async_block_till_done()
    assert wiwiz_entry.state is ConfigEntryState.LOADED
    diagnostics = await async_get_config_entry_diagnostics(hass, wiwiz_entry)
    assert diagnostics["history"]["state"] == "running"
    assert await hass.config_entries.async_unload(wiwiz_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert await _rows(hass, CONNECTIONS) == {}


async def _set_up_without_history(
    hass: HomeAssistant, wiwiz: FakeWiwiz
) -> MockConfigEntry:
    """A Wiwiz entry on HS1 whose owner turned the history import off, set up.

    Its background work is let run to its end: were the option ignored, the
    backfill would have written its statistics by then.
    """
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Wiwiz",
        unique_id="wiwiz_HS1",
        data={"vendor": "wiwiz", "userkey": wiwiz.userkey, "hotspot_ids": ["HS1"]},
        options={"import_history": False},
    )
    entry.add_to_hass(hass)
    await _set_up_and_backfilled(hass, entry)
    return entry


async def test_the_owner_turns_it_off(
    hass: HomeAssistant, recorder_mock: Any, wiwiz: FakeWiwiz
) -> None:
    """With the option off nothing is imported, and diagnostics say so."""
    entry = await _set_up_without_history(hass, wiwiz)
    assert await _rows(hass, CONNECTIONS) == {}
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    assert diagnostics["history"] is None


async def test_a_busy_venue_is_asked_in_shorter_windows(
    hass: HomeAssistant,
    recorder_mock: Any,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """200 sessions an hour for 12 hours: answers of about 500 sessions, not 1,200.

    The windows shrink after a busy one and grow back after a quiet one; every
    hour is counted once, whatever window it was read in.
    """
    first = datetime(2026, 11, 10, 8)
    for i in range(12 * 200):
        start = first + timedelta(seconds=18 * i)
        _log(
            wiwiz,
            "HS1",
            f"AA-BB-{i // 65536:02X}-{i // 256 % 256:02X}-{i % 256:02X}-00",
            start.strftime("%Y-%m-%d %H:%M:%S"),
            end=(start + timedelta(minutes=30)).strftime("%Y-%m-%d %H:%M:%S"),
        )
    await _set_up_and_backfilled(hass, wiwiz_entry)

    connections = await _rows(hass, CONNECTIONS)
    busy = [_utc(f"2026-11-10 {8 + h:02d}:00:00") for h in range(12)]
    assert [connections[hour][0] for hour in busy] == [200] * 12
    assert connections[busy[-1] + HOUR] == (0, 12 * 200)
    assert connections[max(connections)] == (0, 12 * 200 + 1)  # and today's Alice
    diagnostics = await async_get_config_entry_diagnostics(hass, wiwiz_entry)
    # Two hotspots a window: 120 windows of 6 hours, and a few shorter ones
    # over the busy 12 hours (2 hours each: 400 sessions an answer).
    assert 2 * 120 < diagnostics["history"]["requests"] <= 2 * (120 + 6)


async def test_the_recorder_is_handed_a_few_rows_at_a_time(
    hass: HomeAssistant,
    recorder_mock: Any,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A month of rows goes to the recorder in jobs of a few rows, one after the other.

    The recorder's thread holds the interpreter lock from the event loop as
    long as it works without a pause: a month of a venue's rows queued at
    once kept it busy for seconds, and the loop waited in turns.
    """
    recorder = get_instance(hass)
    sizes: list[int] = []
    pending: list[int] = []
    written = 0
    queue_task = recorder.queue_task
    import_statistics = statistics.import_statistics

    def queued(task: Any) -> None:
        if isinstance(task, ImportStatisticsTask):
            pending.append(len(sizes) - written)
            sizes.append(len(list(task.statistics)))
        queue_task(task)

    def imported(*args: Any) -> bool:
        nonlocal written
        try:
            return import_statistics(*args)
        finally:
            written += 1

    monkeypatch.setattr(recorder, "queue_task", queued)
    monkeypatch.setattr(statistics, "import_statistics", imported)
    await _set_up_and_backfilled(hass, wiwiz_entry)

    progress = (await async_get_config_entry_diagnostics(hass, wiwiz_entry))["history"]
    assert progress["state"] == "done"
    assert sum(sizes) == progress["rows"] > 29 * 24 * 6  # a month of rows
    assert max(sizes) == history_recorder.ROWS_PER_JOB
    # Each queued once the one before was written, or while it was: the
    # recorder's thread may take a job as soon as it is queued.
    assert max(pending) <= 1


def test_windows_hold_about_500_sessions_an_answer() -> None:
    """From the last window's sessions, in whole hours, from 1 to 6."""
    hour = history_log.HOUR
    per_place = history_log.Source((), {}, _never, asks_per_place=True)
    account = history_log.Source((), {}, _never)

    def found(*counts: int) -> history_log.Tallies:
        return {
            f"p{i}": {NOON: history_log.Tally(count=count)}
            for i, count in enumerate(counts)
        }

    six = 6 * hour
    assert history_log.next_window(account, six, found(600, 600)) == 2 * hour
    assert history_log.next_window(per_place, six, found(600, 600)) == 5 * hour
    assert history_log.next_window(account, 2 * hour, found(250)) == 4 * hour
    assert history_log.next_window(account, hour, found(5000)) == hour
    assert history_log.next_window(account, hour, found(10)) == six
    assert history_log.next_window(account, 3 * hour, found()) == six
    everything = history_log.Source((), {}, _never, window=None)
    assert history_log.next_window(everything, None, found(5000)) is None


async def _never(*_: Any) -> history_log.Tallies:
    raise AssertionError("not read")


async def test_smartwifi_hotspots_by_name(
    hass: HomeAssistant,
    recorder_mock: Any,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
) -> None:
    """One report for the account, its rows filed under each hotspot's id."""
    smartwifi.connect("Terrace", "AA-BB-CC-00-10-30", date="2026-11-22T18:30:00+00:00")
    smartwifi.disconnect("AA-BB-CC-00-10-30")
    smartwifi.connect(
        "Elsewhere", "AA-BB-CC-00-10-31", date="2026-11-22T18:40:00+00:00"
    )
    await _set_up_and_backfilled(hass, smartwifi_entry)
    terrace = await _rows(hass, "guest_wifi:smartwifi_12290_download")
    assert terrace[datetime(2026, 11, 22, 18, tzinfo=UTC)] == (2000, 2000)
    lobby = await _rows(hass, "guest_wifi:smartwifi_12261_connections")
    assert lobby[datetime(2026, 11, 23, 9, tzinfo=UTC)] == (1, 1)
    assert lobby[max(lobby)] == (0, 1)
    diagnostics = await async_get_config_entry_diagnostics(hass, smartwifi_entry)
    # 30 days, all hotspots: in 6 hours after a first window of an hour.
    assert diagnostics["history"]["requests"] == 1 + 120


def test_statistic_ids_are_valid_for_any_hotspot_id() -> None:
    """Ids as CONTRACT.md says, and as the recorder takes them."""
    kind = history_log.CONNECTIONS
    assert history_log.statistic_id("wiwiz", "WZ-0001", kind) == (
        "guest_wifi:wiwiz_wz_0001_connections"
    )
    assert history_log.statistic_id("smartwifi", "12261", kind) == (
        "guest_wifi:smartwifi_12261_connections"
    )
    assert history_log.statistic_id("wiwiz", "--A..b__", kind) == (
        "guest_wifi:wiwiz_a_b_connections"
    )


async def test_mywifi_registrations_by_day(
    hass: HomeAssistant,
    recorder_mock: Any,
    freezer: FrozenDateTimeFactory,
    credentials: None,
    mywifi: FakeMyWifi,
    mywifi_entry: MockConfigEntry,
) -> None:
    """Users by the venue's day they registered; a day once it is over."""
    users = list(mywifi.users.values())
    users[0]["RegistrationDate"] = "2026-11-20T10:00:00Z"
    users[1]["RegistrationDate"] = "2026-11-20T23:30:00Z"  # the 21st in Rome
    users[2]["RegistrationDate"] = "2026-11-23T08:00:00Z"  # today: not over
    mywifi.add("Nina", "no-date")  # the vendor may leave it out
    await _set_up_and_backfilled(hass, mywifi_entry)
    registrations = (
        f"guest_wifi:mywifi_{MYWIFI_CLIENT_ID.replace('-', '_')}_registrations"
    )
    rows = await _rows(hass, registrations)
    rome_day = {
        dt_util.as_local(start).date().isoformat(): v for start, v in rows.items()
    }
    assert len(rows) == 29  # the days of the last 30 that are over
    assert rome_day["2026-11-20"] == (1, 1)
    assert rome_day["2026-11-21"] == (1, 2)
    assert rome_day["2026-11-22"] == (0, 2)
    assert "2026-11-23" not in rome_day
    # Each row at the venue's midnight.
    assert {dt_util.as_local(start).hour for start in rows} == {0}

    await _pass_at(hass, freezer, "2026-11-24 00:15:00")
    rows = await _rows(hass, registrations)
    assert rows[max(rows)] == (1, 3)
    assert dt_util.as_local(max(rows)).date().isoformat() == "2026-11-23"
    assert len(rows) == 30


async def test_the_option_is_on_by_default_and_can_be_turned_off(
    hass: HomeAssistant,
    recorder_mock: Any,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """Offered on; turned off, the entry reloads without importing."""
    await _set_up_and_backfilled(hass, wiwiz_entry)
    result = await hass.config_entries.options.async_init(wiwiz_entry.entry_id)
    shown = {str(key): key.default() for key in result["data_schema"].schema}
    assert shown["import_history"] is True
    await hass.config_entries.options.async_configure(
        result["flow_id"], {**shown, "import_history": False}
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert wiwiz_entry.options["import_history"] is False
    assert wiwiz_entry.state is ConfigEntryState.LOADED
    diagnostics = await async_get_config_entry_diagnostics(hass, wiwiz_entry)
    assert diagnostics["history"] is None


async def test_removing_the_entry_keeps_the_history_and_offers_to_delete_it(
    hass: HomeAssistant,
    recorder_mock: Any,
    hass_client: ClientSessionGenerator,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """Kept, as core's importers keep theirs; deleted once the owner confirms."""
    assert await async_setup_component(hass, "repairs", {})
    await _set_up_and_backfilled(hass, wiwiz_entry)
    assert await hass.config_entries.async_remove(wiwiz_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert await _rows(hass, CONNECTIONS)
    issue_id = f"history_kept_{wiwiz_entry.entry_id}"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.is_fixable
    assert issue.translation_placeholders == {"account": "Wiwiz"}

    client = await hass_client()
    started = await client.post(
        "/api/repairs/issues/fix", json={"handler": DOMAIN, "issue_id": issue_id}
    )
    flow = await started.json()
    assert flow["step_id"] == "confirm"
    assert (await _rows(hass, CONNECTIONS)) != {}  # asking deletes nothing
    done = await client.post(f"/api/repairs/issues/fix/{flow['flow_id']}")
    assert (await done.json())["type"] == "create_entry"
    await async_wait_recording_done(hass)
    metadata = await get_instance(hass).async_add_executor_job(
        lambda: get_metadata(hass, statistic_source=DOMAIN)
    )
    assert metadata == {}
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None


async def test_removing_an_entry_without_history_offers_nothing(
    hass: HomeAssistant, recorder_mock: Any, wiwiz: FakeWiwiz
) -> None:
    """Nothing imported (the option off): nothing to keep or delete."""
    entry = await _set_up_without_history(hass, wiwiz)
    assert await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert not [i for (d, i) in ir.async_get(hass).issues if d == DOMAIN]
