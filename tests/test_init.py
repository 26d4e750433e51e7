"""Set-up, unload, reload and the coordinators' error handling, as Home Assistant runs them."""

from __future__ import annotations

import asyncio
from datetime import timedelta
import json
import logging
from typing import Any

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.guest_wifi.api.smartwifi import SmartWifiClient
from custom_components.guest_wifi.api.wiwiz import WiwizClient
from custom_components.guest_wifi.const import DOMAIN
from custom_components.guest_wifi.vendor_smartwifi import SmartWifiData
from custom_components.guest_wifi.vendor_wiwiz import WiwizData
from custom_components.guest_wifi.vendors import vendor_of

from .conftest import (
    assert_wiwiz_polls_at_its_fixed_pace,
    clear_text_issue,
    poll,
    setup_entry,
)
from .fakes import SMARTWIFI_TOKEN, WIWIZ_KEY, FakeSmartWifi, FakeWiwiz
from .test_guest_store import stored_guests

pytestmark = pytest.mark.usefixtures("frozen")

SECRETS = (WIWIZ_KEY, SMARTWIFI_TOKEN)
# A sensor of the connections coordinator, per vendor.
ONLINE = {
    "wiwiz": "sensor.hs1_online_guests",
    "smartwifi": "sensor.lobby_online_guests",
}


@pytest.fixture(params=["wiwiz", "smartwifi"])
def vendor(request: pytest.FixtureRequest) -> str:
    """Each vendor in turn."""
    return request.param


@pytest.fixture
def fake(request: pytest.FixtureRequest, vendor: str) -> FakeWiwiz | FakeSmartWifi:
    """The vendor's fake account."""
    return request.getfixturevalue(vendor)


@pytest.fixture
def entry(request: pytest.FixtureRequest, vendor: str) -> MockConfigEntry:
    """The vendor's config entry, not set up."""
    return request.getfixturevalue(f"{vendor}_entry")


async def start_poll(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float
) -> None:
    """Let time pass without waiting for the polls it starts to end."""
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


async def deadline_passes(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float
) -> None:
    """Let time pass beyond a poll's deadline, and the poll end.

    `async_block_till_done` does not wait for a task being cancelled, which
    a poll past its deadline is until its calls are.
    """
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    for _ in range(20):
        await asyncio.sleep(0)
    await hass.async_block_till_done(wait_background_tasks=True)


def break_credentials(fake: FakeWiwiz | FakeSmartWifi) -> None:
    """The account's key or token was changed at the vendor."""
    if isinstance(fake, FakeWiwiz):
        fake.userkey = "ROTATED-KEY"
    else:
        fake.token = "ROTATED-TOKEN"


def reauth_flows(hass: HomeAssistant, entry: MockConfigEntry) -> list[dict[str, Any]]:
    """Re-authentication flows in progress for the entry."""
    return [
        flow
        for flow in hass.config_entries.flow.async_progress()
        if flow["handler"] == DOMAIN
        and flow["context"]["source"] == SOURCE_REAUTH
        and flow["context"]["entry_id"] == entry.entry_id
    ]


def calls_to(fake: FakeWiwiz | FakeSmartWifi, suffix: str) -> int:
    """How many requests went to a path ending with `suffix`."""
    return sum(url.path.rstrip("/").endswith(suffix) for url in fake.calls)


# --- set-up, unload, reload ------------------------------------------------


async def test_setup_and_unload(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    vendor: str,
    fake: FakeWiwiz | FakeSmartWifi,
    entry: MockConfigEntry,
) -> None:
    """The entry loads with the vendor's coordinators, and unloading stops polling."""
    await setup_entry(hass, entry)

    assert entry.state is ConfigEntryState.LOADED
    runtime = entry.runtime_data
    assert vendor_of(entry).key == vendor
    assert all(c.last_update_success for c in runtime.coordinators)
    # One class per vendor: its own data sources, each polled, none missing.
    if vendor == "wiwiz":
        assert isinstance(runtime, WiwizData)
        assert runtime.hotspots == {"HS1": "HS1", "HS2": "HS2"}
        assert runtime.coordinators == [
            runtime.connections,
            runtime.today,
            runtime.wan_ip,
        ]
        assert isinstance(runtime.client, WiwizClient)
    else:
        assert isinstance(runtime, SmartWifiData)
        assert runtime.hotspots == {"12261": "Lobby", "12290": "Terrace"}
        assert runtime.coordinators == [runtime.connections, runtime.account]
        assert isinstance(runtime.client, SmartWifiClient)
    assert runtime.presence.connections is runtime.connections
    # What a vendor does not have, it does not carry: its description says.
    assert not hasattr(runtime, "users")
    assert vendor_of(entry).reports_guests
    assert hass.states.get(ONLINE[vendor]).state == "1"

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.NOT_LOADED
    assert hass.states.get(ONLINE[vendor]).state == STATE_UNAVAILABLE
    calls = len(fake.calls)
    await poll(hass, frozen, 3600)
    assert len(fake.calls) == calls, "an unloaded entry must not poll"


async def test_reload(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    vendor: str,
    fake: FakeWiwiz | FakeSmartWifi,
    entry: MockConfigEntry,
) -> None:
    """A reload replaces the running parts and polls again, once per interval."""
    await setup_entry(hass, entry)
    before = entry.runtime_data

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data is not before
    assert hass.states.get(ONLINE[vendor]).state == "1"
    path = "conn" if vendor == "wiwiz" else "connections"
    calls = calls_to(fake, path)
    await poll(hass, frozen)
    # One poller per entry: the unloaded one no longer asks.
    # Wiwiz asks per hotspot; SmartWiFi asks for the open session's start
    # and for the last minutes.
    per_poll = 2
    assert calls_to(fake, path) == calls + per_poll


async def test_two_entries_load_side_by_side(
    hass: HomeAssistant,
    wiwiz: FakeWiwiz,
    smartwifi: FakeSmartWifi,
    wiwiz_entry: MockConfigEntry,
    smartwifi_entry: MockConfigEntry,
) -> None:
    """Both vendors run in one Home Assistant; unloading one leaves the other."""
    await setup_entry(hass, wiwiz_entry)  # sets the whole domain up

    assert wiwiz_entry.state is ConfigEntryState.LOADED
    assert smartwifi_entry.state is ConfigEntryState.LOADED

    assert await hass.config_entries.async_unload(wiwiz_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(ONLINE["wiwiz"]).state == STATE_UNAVAILABLE
    assert hass.states.get(ONLINE["smartwifi"]).state == "1"


async def test_remove_entry_forgets_guests(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """Removing the entry deletes the guests it remembered."""
    await setup_entry(hass, wiwiz_entry)
    key = f"{DOMAIN}.{wiwiz_entry.entry_id}.guests"
    assert await hass.config_entries.async_unload(wiwiz_entry.entry_id)
    await hass.async_block_till_done()
    assert "aa:bb:cc:00:00:01" in stored_guests(hass_storage, wiwiz_entry.entry_id)

    await hass.config_entries.async_remove(wiwiz_entry.entry_id)
    await hass.async_block_till_done()

    assert key not in hass_storage


# --- migration ----------------------------------------------------------------

MAC = dr.CONNECTION_NETWORK_MAC
REMEMBERED = "aa:bb:cc:00:00:07"  # a guest of the past, with a tracker
KNOWN = "aa:bb:cc:00:00:08"  # a guest the router knows too


async def test_migration_removes_guest_devices(
    hass: HomeAssistant, smartwifi: FakeSmartWifi, smartwifi_entry: MockConfigEntry
) -> None:
    """Home Assistant 2026.11 made a device per guest tracker: they go, once.

    The hotspots' and the account's devices stay, trackers keep their registry
    entries, and a device another integration shares is left to it.
    """
    entry = smartwifi_entry
    assert (entry.version, entry.minor_version) == (1, 1)  # the current release's
    router = MockConfigEntry(domain="router", title="Router")
    router.add_to_hass(hass)
    devices = dr.async_get(hass)
    entities = er.async_get(hass)
    kept = [
        devices.async_get_or_create(
            config_entry_id=entry.entry_id,
            identifiers={(DOMAIN, identifier)},
            name=name,
        )
        for identifier, name in (
            ("smartwifi_12261", "Lobby"),
            ("smartwifi_12290", "Terrace"),
            ("smartwifi_account_smartwifi_12261", "SmartWiFi"),
        )
    ]
    guest = devices.async_get_or_create(
        config_entry_id=entry.entry_id,
        connections={(MAC, REMEMBERED)},
        name=REMEMBERED,
    )
    phone = devices.async_get_or_create(
        config_entry_id=router.entry_id, connections={(MAC, KNOWN)}, name="Phone"
    )
    # Until 2026.8 the router's very device, which the entry joins; from then
    # on a device of the entry's own with the router's MAC.
    shared = devices.async_get_or_create(
        config_entry_id=entry.entry_id, connections={(MAC, KNOWN)}
    )
    trackers = {
        mac: entities.async_get_or_create(
            Platform.DEVICE_TRACKER,
            DOMAIN,
            f"{entry.entry_id}_{mac}",
            config_entry=entry,
            device_id=device.id,
            disabled_by=er.RegistryEntryDisabler.INTEGRATION,
        )
        for mac, device in ((REMEMBERED, guest), (KNOWN, shared))
    }
    sensor = entities.async_get_or_create(
        Platform.SENSOR,
        DOMAIN,
        f"{entry.entry_id}_12261_online_guests",
        config_entry=entry,
        device_id=kept[0].id,
    )

    await setup_entry(hass, entry)

    assert entry.state is ConfigEntryState.LOADED
    assert entry.minor_version == 5
    ours = dr.async_entries_for_config_entry(devices, entry.entry_id)
    assert {device.id for device in ours} == {device.id for device in kept}
    assert devices.async_get(guest.id) is None
    assert [
        (device.id, device.name, device.connections)
        for device in dr.async_entries_for_config_entry(devices, router.entry_id)
    ] == [(phone.id, "Phone", {(MAC, KNOWN)})]
    for mac, tracker in trackers.items():
        assert entities.async_get(tracker.entity_id).device_id is None, mac
    assert entities.async_get(sensor.entity_id).device_id == kept[0].id

    # Once: a device of the entry with a MAC made since (the tracker of a MAC
    # Home Assistant knows has one) stays at the next start.
    since = devices.async_get_or_create(
        config_entry_id=entry.entry_id, connections={(MAC, KNOWN)}
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert since.id in {
        device.id
        for device in dr.async_entries_for_config_entry(devices, entry.entry_id)
    }


async def test_entry_of_a_newer_release_is_not_set_up(
    hass: HomeAssistant, wiwiz: FakeWiwiz
) -> None:
    """Downgraded: an entry this release does not know is left alone."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Wiwiz",
        unique_id="wiwiz_HS1",
        version=2,
        data={"vendor": "wiwiz", "userkey": WIWIZ_KEY, "hotspot_ids": ["HS1"]},
    )
    entry.add_to_hass(hass)

    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.MIGRATION_ERROR


# --- first refresh ----------------------------------------------------------


@pytest.mark.parametrize(
    "failure",
    [
        {"status": 500},
        {"status": 503, "body": "<html>Service Unavailable</html>"},
        {"exc": TimeoutError()},
        {"exc": aiohttp.ClientConnectionError("reset")},
        {"status": 200, "body": "not a vendor answer"},
    ],
    ids=["500", "503", "timeout", "reset", "garbage"],
)
async def test_first_refresh_failure_retries(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    fake: FakeWiwiz | FakeSmartWifi,
    entry: MockConfigEntry,
    failure: dict[str, Any],
) -> None:
    """A vendor down at start: set-up is retried, and succeeds once it is back."""
    fake.fail(**failure)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert not reauth_flows(hass, entry)

    fake.recover()
    await poll(hass, frozen, 60)
    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get(ONLINE[entry.data["vendor"]]).state == "1"


async def test_first_refresh_auth_failure(
    hass: HomeAssistant,
    fake: FakeWiwiz | FakeSmartWifi,
    entry: MockConfigEntry,
    vendor: str,
) -> None:
    """Refused credentials at start: set-up error and a re-authentication flow."""
    break_credentials(fake)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.SETUP_ERROR
    flows = reauth_flows(hass, entry)
    assert len(flows) == 1
    assert flows[0]["step_id"] == "reauth_confirm"


async def test_first_refresh_professional_required(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_entry: MockConfigEntry
) -> None:
    """Wiwiz ERR004 at start: retry later and tell the user why (a repair issue)."""
    wiwiz.code = "ERR004"
    assert not await hass.config_entries.async_setup(wiwiz_entry.entry_id)
    await hass.async_block_till_done()

    assert wiwiz_entry.state is ConfigEntryState.SETUP_RETRY
    issue = ir.async_get(hass).async_get_issue(
        DOMAIN, f"professional_required_{wiwiz_entry.entry_id}"
    )
    assert issue is not None
    assert issue.severity is ir.IssueSeverity.ERROR
    assert issue.translation_key == "professional_required"
    assert not issue.is_fixable
    assert not reauth_flows(hass, wiwiz_entry)


# --- while running ------------------------------------------------------------


async def test_auth_failure_while_running_starts_reauth(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    vendor: str,
    fake: FakeWiwiz | FakeSmartWifi,
    entry: MockConfigEntry,
) -> None:
    """The key or token changed at the vendor: a re-authentication flow starts."""
    await setup_entry(hass, entry)
    assert not reauth_flows(hass, entry)

    break_credentials(fake)
    await poll(hass, frozen)

    flows = reauth_flows(hass, entry)
    assert len(flows) == 1
    assert flows[0]["step_id"] == "reauth_confirm"
    assert hass.states.get(ONLINE[vendor]).state == STATE_UNAVAILABLE

    # A refused key is not retried against the vendor: the next polls stay
    # quiet on the connections, and no second flow is started.
    path = "conn" if vendor == "wiwiz" else "connections"
    calls = calls_to(fake, path)
    await poll(hass, frozen)
    await poll(hass, frozen)
    assert calls_to(fake, path) == calls
    assert len(reauth_flows(hass, entry)) == 1


async def test_professional_required_issue_while_running(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """Wiwiz ERR004 while running raises a repair issue, gone once Wiwiz answers."""
    await setup_entry(hass, wiwiz_entry)
    issues = ir.async_get(hass)
    issue_id = f"professional_required_{wiwiz_entry.entry_id}"
    assert issues.async_get_issue(DOMAIN, issue_id) is None

    wiwiz.code = "ERR004"
    await poll(hass, frozen)

    issue = issues.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "professional_required"
    assert issue.translation_placeholders == {"title": "Wiwiz"}
    assert hass.states.get("sensor.hs1_online_guests").state == STATE_UNAVAILABLE
    assert not reauth_flows(hass, wiwiz_entry)

    wiwiz.code = None
    await poll(hass, frozen)

    assert issues.async_get_issue(DOMAIN, issue_id) is None
    assert hass.states.get("sensor.hs1_online_guests").state == "1"


@pytest.mark.parametrize(
    "failure",
    [
        {"status": 500},
        {"status": 502, "body": "<html>Bad Gateway</html>"},
        {"exc": TimeoutError()},
        {"exc": aiohttp.ClientConnectionError("reset by peer")},
    ],
    ids=["500", "502", "timeout", "reset"],
)
async def test_vendor_down_while_running(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    vendor: str,
    fake: FakeWiwiz | FakeSmartWifi,
    entry: MockConfigEntry,
    failure: dict[str, Any],
) -> None:
    """Entities go unavailable while the vendor is down, and come back after."""
    await setup_entry(hass, entry)
    assert hass.states.get(ONLINE[vendor]).state == "1"

    fake.fail(**failure)
    await poll(hass, frozen)

    assert hass.states.get(ONLINE[vendor]).state == STATE_UNAVAILABLE
    assert entry.state is ConfigEntryState.LOADED
    assert not reauth_flows(hass, entry)
    assert not entry.runtime_data.connections.last_update_success

    fake.recover()
    await poll(hass, frozen)

    assert hass.states.get(ONLINE[vendor]).state == "1"
    assert entry.runtime_data.connections.last_update_success


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [
        ("600", timedelta(seconds=600)),
        # An HTTP date, ten minutes after the poll (at 11:01 UTC).
        ("Mon, 23 Nov 2026 11:11:00 GMT", timedelta(seconds=600)),
        # Shorter than the interval: never poll faster than the user chose.
        ("5", timedelta(seconds=60)),
        # No delay given: back off to twice the interval.
        (None, timedelta(seconds=120)),
        # Days: obeyed for an hour at most, then the vendor is asked again.
        ("864000", timedelta(hours=1)),
    ],
    ids=["seconds", "http-date", "shorter", "missing", "capped"],
)
async def test_rate_limited_backs_off(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    vendor: str,
    fake: FakeWiwiz | FakeSmartWifi,
    entry: MockConfigEntry,
    retry_after: str | None,
    expected: timedelta,
) -> None:
    """HTTP 429: the entry leaves the vendor alone as long as asked, then polls as before."""
    await setup_entry(hass, entry)
    coordinator = entry.runtime_data.connections
    assert coordinator.update_interval == timedelta(seconds=60)

    fake.fail(status=429, headers={"Retry-After": retry_after} if retry_after else {})
    await poll(hass, frozen, 60)

    assert not coordinator.last_update_success
    assert coordinator.last_exception.translation_key == "rate_limited"
    assert hass.states.get(ONLINE[vendor]).state == STATE_UNAVAILABLE

    path = "conn" if vendor == "wiwiz" else "connections"
    calls = len(fake.calls)
    fake.recover()
    # No data source of the entry asks before the vendor's delay is over ...
    left = expected.total_seconds() - 2
    while left > 0:
        await poll(hass, frozen, min(left, 300))
        left -= 300
    assert len(fake.calls) == calls
    # ... and the connections are asked once it is.
    await poll(hass, frozen, 3)
    assert calls_to(fake, path) > 0
    assert len(fake.calls) > calls

    assert coordinator.last_update_success
    assert coordinator.update_interval == timedelta(seconds=60)
    assert hass.states.get(ONLINE[vendor]).state == "1"


async def test_rate_limited_at_setup_waits_as_asked(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    vendor: str,
    fake: FakeWiwiz | FakeSmartWifi,
    entry: MockConfigEntry,
) -> None:
    """A 429 at start: set-up retries, but no request goes out before the wait is over."""
    fake.fail(status=429, headers={"Retry-After": "900"})
    assert not await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert entry.error_reason_translation_key == "rate_limited"
    calls = len(fake.calls)
    assert calls <= 4  # the first refreshes (and Wiwiz's HTTPS check), once

    fake.recover()
    for _ in range(14):  # 14 minutes: set-up is retried, the vendor not asked
        await poll(hass, frozen, 60)
        assert entry.state is ConfigEntryState.SETUP_RETRY
        assert len(fake.calls) == calls
    assert entry.error_reason_translation_key == "rate_limited"

    # Once the wait is over, the next retry (Home Assistant's back-off may
    # come later than the vendor's wait before 2026.11) sets the entry up.
    for _ in range(12):
        await poll(hass, frozen, 60)
    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get(ONLINE[vendor]).state == "1"


async def test_hung_vendor_poll_ends_before_the_next(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    vendor: str,
    fake: FakeWiwiz | FakeSmartWifi,
    entry: MockConfigEntry,
) -> None:
    """A vendor that never answers: the poll gives up at its deadline (48 s of 60)."""
    await setup_entry(hass, entry)
    coordinator = entry.runtime_data.connections

    fake.fail(hang=True)
    await start_poll(hass, frozen, 60)
    await start_poll(hass, frozen, 47)
    assert coordinator.last_update_success  # still waiting for the vendor
    assert hass.states.get(ONLINE[vendor]).state == "1"

    await deadline_passes(hass, frozen, 2)
    assert not coordinator.last_update_success
    assert coordinator.last_exception.translation_key == "poll_timeout"
    assert coordinator.last_exception.translation_placeholders == {"seconds": "48"}
    assert hass.states.get(ONLINE[vendor]).state == STATE_UNAVAILABLE

    fake.recover()
    await poll(hass, frozen, 60)
    assert coordinator.last_update_success
    assert hass.states.get(ONLINE[vendor]).state == "1"


async def test_polls_of_one_vendor_take_turns_across_entries(
    hass: HomeAssistant, frozen: FrozenDateTimeFactory, wiwiz: FakeWiwiz
) -> None:
    """Six venues on one vendor: four polls at once, the others wait their turn."""
    entries = []
    for n in range(6):
        entry = MockConfigEntry(
            domain=DOMAIN,
            title=f"Venue {n}",
            unique_id=f"wiwiz_venue_{n}",
            data={
                "vendor": "wiwiz",
                "userkey": WIWIZ_KEY,
                "hotspots": {"HS1": "Lobby", "HS2": "Terrace"},
                "hotspot_ids": ["HS1", "HS2"],
            },
            minor_version=4,
        )
        entry.add_to_hass(hass)
        await setup_entry(hass, entry)
        entries.append(entry)
    before = calls_to(wiwiz, "conn")

    wiwiz.fail(hang=True)
    await start_poll(hass, frozen, 60)
    # Four polls of two hotspots are waiting for the vendor; two wait a turn.
    assert calls_to(wiwiz, "conn") == before + 8

    await deadline_passes(hass, frozen, 49)
    # The wait for a turn counts against the deadline: no poll piles up.
    assert calls_to(wiwiz, "conn") == before + 8
    assert not any(e.runtime_data.connections.last_update_success for e in entries)

    wiwiz.recover()
    await poll(hass, frozen, 60)
    assert all(e.runtime_data.connections.last_update_success for e in entries)
    assert calls_to(wiwiz, "conn") == before + 8 + 12


def _ten_hotspots(
    wiwiz: FakeWiwiz, entry: MockConfigEntry, hass: HomeAssistant
) -> None:
    ids = [f"HS{n}" for n in range(1, 11)]
    for hotspot_id in ids[2:]:
        wiwiz.hotspots[hotspot_id] = wiwiz._hotspot("192.0.2.1")
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, "hotspot_ids": ids}
    )


TODAY = ("connlog", "mobile", "webadlog")


async def test_hung_wiwiz_today_poll_of_ten_hotspots(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """30 calls, none answered: the poll ends at its deadline, not after 30 timeouts.

    Four calls run at once; when the deadline comes they are cancelled and
    the other 26 never start.
    """
    _ten_hotspots(wiwiz, wiwiz_entry, hass)
    await setup_entry(hass, wiwiz_entry)
    today = wiwiz_entry.runtime_data.today
    before = sum(calls_to(wiwiz, name) for name in TODAY)

    wiwiz.fail(hang=True)
    await start_poll(hass, frozen, 300)
    await start_poll(hass, frozen, 239)  # the deadline: 240 s of 300
    assert today.last_update_success
    assert sum(calls_to(wiwiz, name) for name in TODAY) == before + 4

    await deadline_passes(hass, frozen, 2)
    assert not today.last_update_success
    assert today.last_exception.translation_key == "poll_timeout"
    assert sum(calls_to(wiwiz, name) for name in TODAY) == before + 4
    assert hass.states.get("sensor.hs1_guests_today").state == STATE_UNAVAILABLE


async def test_vendor_down_fails_a_poll_fast(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """The first refused connection ends the poll: the other calls are not made."""
    _ten_hotspots(wiwiz, wiwiz_entry, hass)
    await setup_entry(hass, wiwiz_entry)
    before = sum(calls_to(wiwiz, name) for name in TODAY)

    wiwiz.fail(exc=aiohttp.ClientConnectionError("refused"))
    await poll(hass, frozen, 300)

    assert not wiwiz_entry.runtime_data.today.last_update_success
    assert sum(calls_to(wiwiz, name) for name in TODAY) - before <= 4


# --- Wiwiz over HTTPS ------------------------------------------------------


async def test_wiwiz_entry_moves_to_https(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_entry: MockConfigEntry
) -> None:
    """An entry from before HTTPS was tried moves to HTTPS once Wiwiz answers there."""
    assert "https" not in wiwiz_entry.data  # as older releases stored it

    await setup_entry(hass, wiwiz_entry)

    assert wiwiz_entry.state is ConfigEntryState.LOADED
    assert wiwiz_entry.data["https"] is True
    assert set(wiwiz.schemes()) == {"https"}
    assert clear_text_issue(hass, wiwiz_entry) is None


@pytest.mark.parametrize(
    "refusal",
    [
        {},  # the connection is refused
        {"exc": TimeoutError()},
        {"exc": aiohttp.ServerDisconnectedError()},
        {"status": 404, "body": "<html>Not Found</html>"},
        {"status": 200, "body": "<html>Welcome to nginx!</html>"},
        {"status": 301},
    ],
    ids=["refused", "timeout", "disconnected", "404", "web-page", "redirect"],
)
async def test_wiwiz_without_https_uses_http_and_says_so(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
    refusal: dict[str, Any],
) -> None:
    """No Wiwiz API over HTTPS: polled over http://, with a warning that the key shows."""
    wiwiz.refuse_https(**refusal)
    await setup_entry(hass, wiwiz_entry)

    assert wiwiz_entry.state is ConfigEntryState.LOADED
    assert not wiwiz_entry.data.get("https")
    assert wiwiz.schemes()[0] == "https"  # asked once ...
    assert set(wiwiz.schemes()[1:]) == {"http"}  # ... then polled over http
    assert hass.states.get("sensor.hs1_online_guests").state == "1"
    issue = clear_text_issue(hass, wiwiz_entry)
    assert issue is not None
    assert issue.severity is ir.IssueSeverity.WARNING
    assert not issue.is_fixable
    assert issue.translation_key == "wiwiz_clear_text"
    assert issue.translation_placeholders == {"title": "Wiwiz"}

    calls = len(wiwiz.calls)
    await poll(hass, frozen)
    assert set(wiwiz.schemes()[calls:]) == {"http"}


async def test_wiwiz_back_on_https_at_next_start_and_never_back_to_http(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """HTTPS answers again: the next start uses it and the warning goes.

    Once on HTTPS, an HTTPS failure is an outage: the key is never sent over
    http:// again by itself (someone blocking HTTPS must not get it).
    """
    wiwiz.refuse_https()
    await setup_entry(hass, wiwiz_entry)
    assert clear_text_issue(hass, wiwiz_entry) is not None

    wiwiz.serve_https()
    assert await hass.config_entries.async_reload(wiwiz_entry.entry_id)
    await hass.async_block_till_done()
    assert wiwiz_entry.data["https"] is True
    assert clear_text_issue(hass, wiwiz_entry) is None

    wiwiz.refuse_https()
    calls = len(wiwiz.calls)
    await poll(hass, frozen)
    assert hass.states.get("sensor.hs1_online_guests").state == STATE_UNAVAILABLE
    assert not await hass.config_entries.async_reload(wiwiz_entry.entry_id)
    await hass.async_block_till_done()
    assert wiwiz_entry.state is ConfigEntryState.SETUP_RETRY
    assert set(wiwiz.schemes()[calls:]) == {"https"}
    assert clear_text_issue(hass, wiwiz_entry) is None


async def test_clear_text_warning_goes_with_the_entry(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_entry: MockConfigEntry
) -> None:
    """Removing the entry removes its warning."""
    wiwiz.refuse_https()
    await setup_entry(hass, wiwiz_entry)
    assert clear_text_issue(hass, wiwiz_entry) is not None

    await hass.config_entries.async_remove(wiwiz_entry.entry_id)
    await hass.async_block_till_done()

    assert clear_text_issue(hass, wiwiz_entry) is None


async def test_every_repair_goes_with_the_entry(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_entry: MockConfigEntry
) -> None:
    """A Professional-edition notice, left from a failed start, goes too."""
    wiwiz.code = "ERR004"
    assert not await hass.config_entries.async_setup(wiwiz_entry.entry_id)
    await hass.async_block_till_done()
    issues = ir.async_get(hass).issues
    assert (DOMAIN, f"professional_required_{wiwiz_entry.entry_id}") in issues

    await hass.config_entries.async_remove(wiwiz_entry.entry_id)
    await hass.async_block_till_done()

    assert not [key for key in issues if wiwiz_entry.entry_id in key[1]]


# --- options --------------------------------------------------------------


async def test_options_flow_reloads_entry(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_entry: MockConfigEntry
) -> None:
    """Saving the options reloads the entry; polling stays at its fixed pace."""
    await setup_entry(hass, wiwiz_entry)
    before = wiwiz_entry.runtime_data

    result = await hass.config_entries.options.async_init(wiwiz_entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        user_input={
            "track_guests": "all",
            "consider_home": 300,
            "forget_after_days": 10,
            "expose_contact_details": False,
        },
    )
    await hass.async_block_till_done()

    assert result["type"] == "create_entry"
    assert wiwiz_entry.state is ConfigEntryState.LOADED
    assert wiwiz_entry.runtime_data is not before
    assert_wiwiz_polls_at_its_fixed_pace(wiwiz_entry)


OLD_INTERVALS = {
    "connections_interval": 30,
    "daily_interval": 600,
    "wan_ip_interval": 1800,
    "account_interval": 300,
}
KEPT_OPTIONS = {"track_guests": "none", "consider_home": 60}
VENDOR_TITLES = {"wiwiz": "Wiwiz", "smartwifi": "SmartWiFi"}
UNIQUE_IDS = {"wiwiz": "wiwiz_HS1", "smartwifi": "smartwifi_12261"}
# Entries as a release before minor version 3 stored them.
OLD_DATA: dict[str, dict[str, Any]] = {
    "wiwiz": {"vendor": "wiwiz", "userkey": WIWIZ_KEY, "hotspot_ids": ["HS1", "HS2"]},
    "smartwifi": {
        "vendor": "smartwifi",
        "api_token": SMARTWIFI_TOKEN,
        "environment": "us_a",
        "hotspots": {"12261": "Lobby", "12290": "Terrace"},
    },
}


@pytest.mark.parametrize("vendor", ["wiwiz", "smartwifi"])
async def test_migration_drops_interval_options(
    hass: HomeAssistant,
    request: pytest.FixtureRequest,
    vendor: str,
) -> None:
    """Intervals chosen in an older release give way to the fixed ones."""
    request.getfixturevalue(vendor)
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=VENDOR_TITLES[vendor],
        unique_id=UNIQUE_IDS[vendor],
        data=OLD_DATA[vendor],
        options={**OLD_INTERVALS, **KEPT_OPTIONS},
        version=1,
        minor_version=2,
    )
    entry.add_to_hass(hass)

    await setup_entry(hass, entry)

    assert entry.state is ConfigEntryState.LOADED
    assert (entry.version, entry.minor_version) == (1, 5)
    assert entry.options == KEPT_OPTIONS
    runtime = entry.runtime_data
    assert runtime.connections.update_interval == timedelta(minutes=1)
    if vendor == "smartwifi":
        assert runtime.account.update_interval == timedelta(minutes=15)
        assert entry.data == {**OLD_DATA["smartwifi"], "add_new_hotspots": False}
    else:
        assert runtime.wan_ip.update_interval == timedelta(minutes=15)
        # A Wiwiz hotspot without a name is named by its id.
        assert entry.data["hotspots"] == {"HS1": "HS1", "HS2": "HS2"}
        assert entry.data["hotspot_ids"] == ["HS1", "HS2"]
    assert hass.states.get(f"sensor.{vendor_device(vendor)}_online_guests") is not None
    # The options form offers no intervals.
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert not {str(k) for k in result["data_schema"].schema} & set(OLD_INTERVALS)


@pytest.mark.parametrize(
    ("options", "tracked"),
    [({}, "all"), ({"track_guests": "none"}, "none")],
)
async def test_migration_keeps_every_guest_tracked(
    hass: HomeAssistant,
    wiwiz: FakeWiwiz,
    options: dict[str, Any],
    tracked: str,
) -> None:
    """Entries from before "returning guests" keep tracking as they did."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Wiwiz",
        unique_id=UNIQUE_IDS["wiwiz"],
        data={**OLD_DATA["wiwiz"], "hotspots": {"HS1": "HS1", "HS2": "HS2"}},
        options=options,
        version=1,
        minor_version=3,
    )
    entry.add_to_hass(hass)

    await setup_entry(hass, entry)

    assert entry.state is ConfigEntryState.LOADED
    assert entry.minor_version == 5
    assert entry.options["track_guests"] == tracked


@pytest.mark.parametrize("vendor", ["wiwiz", "smartwifi"])
async def test_migration_keeps_new_hotspots_offered(
    hass: HomeAssistant, request: pytest.FixtureRequest, vendor: str
) -> None:
    """An update does not start adding SmartWiFi hotspots by itself.

    Entries from before the choice keep offering a new hotspot; the owner
    turns adding on in a reconfigure. Wiwiz lists no hotspots: nothing to add.
    """
    request.getfixturevalue(vendor)
    data = {**OLD_DATA[vendor]}
    if vendor == "wiwiz":
        data["hotspots"] = {"HS1": "HS1", "HS2": "HS2"}
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=VENDOR_TITLES[vendor],
        unique_id=UNIQUE_IDS[vendor],
        data=data,
        options={"track_guests": "all"},
        version=1,
        minor_version=4,
    )
    entry.add_to_hass(hass)

    await setup_entry(hass, entry)

    assert entry.state is ConfigEntryState.LOADED
    assert entry.minor_version == 5
    if vendor == "smartwifi":
        assert entry.data == {**data, "add_new_hotspots": False}
    else:
        assert "add_new_hotspots" not in entry.data


def vendor_device(vendor: str) -> str:
    """The device-name part of the online-guests sensor of the first hotspot."""
    return "hs1" if vendor == "wiwiz" else "lobby"


async def test_entry_from_a_newer_release_is_left_alone(
    hass: HomeAssistant, wiwiz: FakeWiwiz
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Wiwiz",
        unique_id="wiwiz_HS1",
        data=OLD_DATA["wiwiz"],
        options=OLD_INTERVALS,
        version=2,
        minor_version=1,
    )
    entry.add_to_hass(hass)

    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.MIGRATION_ERROR
    assert entry.options == OLD_INTERVALS


async def test_entry_update_without_new_options_does_not_reload(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_entry: MockConfigEntry
) -> None:
    """Renaming the entry keeps it running as it is."""
    await setup_entry(hass, wiwiz_entry)
    before = wiwiz_entry.runtime_data

    hass.config_entries.async_update_entry(wiwiz_entry, title="Wiwiz venue")
    await hass.async_block_till_done()

    assert wiwiz_entry.runtime_data is before
    assert wiwiz_entry.state is ConfigEntryState.LOADED


# --- secrets ------------------------------------------------------------------


def _echoing_failures(vendor: str) -> list[dict[str, Any]]:
    """Failures whose text carries the account's secret, as some vendors echo it."""
    if vendor == "wiwiz":
        url = f"http://cp.wiwiz.com/as/qapi/conn/?userkey={WIWIZ_KEY}&hotspotid=HS1"
        echo = (
            '<?xml version="1.0" encoding="UTF-8"?><result><status>'
            f"<code>ERR099</code><message>Key {WIWIZ_KEY} refused</message>"
            "</status><data></data></result>"
        )
        return [
            {"status": 200, "body": echo},
            {"status": 400, "body": f"bad userkey={WIWIZ_KEY}"},
            {"status": 500, "body": f"Traceback: {url}"},
            {"exc": aiohttp.ClientConnectionError(f"Cannot connect to {url}")},
            {"exc": TimeoutError(url)},
            {"status": 429, "body": url, "headers": {"Retry-After": "120"}},
        ]
    url = f"https://api.smartwifiplatform.com/v2/client/connections?api_token={SMARTWIFI_TOKEN}"
    return [
        {"status": 400, "body": json.dumps({"message": f"token {SMARTWIFI_TOKEN}"})},
        {"status": 422, "body": f"api_token={SMARTWIFI_TOKEN} is malformed"},
        {"status": 500, "body": f"Traceback: {url}"},
        {"status": 200, "body": f"<html>{url}</html>"},
        {"exc": aiohttp.ClientConnectionError(f"Cannot connect to {url}")},
        {"exc": TimeoutError(url)},
        {"status": 429, "body": url, "headers": {"Retry-After": "120"}},
    ]


def _assert_no_secret(hass: HomeAssistant, text: str) -> None:
    for secret in SECRETS:
        assert secret not in text
    for state in hass.states.async_all():
        shown = f"{state.state} {state.attributes}"
        for secret in SECRETS:
            assert secret not in shown, state.entity_id


async def test_secrets_stay_out_of_logs_and_states(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    vendor: str,
    fake: FakeWiwiz | FakeSmartWifi,
    entry: MockConfigEntry,
) -> None:
    """No error path writes the key or token, even when the vendor echoes it."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="custom_components.guest_wifi")
    await setup_entry(hass, entry)

    failures = _echoing_failures(vendor)
    for failure in failures:
        fake.fail(**failure)
        await poll(hass, frozen, 1000)  # past any back-off
        assert not entry.runtime_data.connections.last_update_success, failure
        fake.recover()
        await poll(hass, frozen, 1000)
        assert entry.runtime_data.connections.last_update_success, failure

    # The errors were logged, only never with the secret.
    assert "Could not get data from the vendor" in caplog.text
    _assert_no_secret(hass, caplog.text)

    # Refused credentials, while running and at start.
    break_credentials(fake)
    await poll(hass, frozen, 1000)
    assert reauth_flows(hass, entry)
    assert await hass.config_entries.async_reload(entry.entry_id) is False
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_ERROR
    _assert_no_secret(hass, caplog.text)


async def test_secrets_stay_out_of_logs_at_start(
    hass: HomeAssistant,
    caplog: pytest.LogCaptureFixture,
    fake: FakeWiwiz | FakeSmartWifi,
    entry: MockConfigEntry,
    vendor: str,
) -> None:
    """A set-up that fails does not log the secret either."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="custom_components.guest_wifi")
    fake.fail(**_echoing_failures(vendor)[0])

    assert not await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert "not ready yet" in caplog.text
    _assert_no_secret(hass, caplog.text)
