"""The coordinators' poll policy, as Home Assistant runs them.

An entry fails and recovers as one; a failed poll is retried soon; each
change of cause is logged once, at its level; and the rules of the vendor
data sources (one guest per MAC, the log look-back, names learnt) hold.
"""

from __future__ import annotations

import asyncio
import logging

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import CoreState, HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.guest_wifi.api.errors import (
    AuthenticationError,
    CannotConnectError,
)
from custom_components.guest_wifi.coordinator import (
    gather_bounded,
    hold_off,
    rate_limit_wait,
)
from custom_components.guest_wifi.diagnostics import async_get_config_entry_diagnostics

from . import test_init
from .conftest import poll, setup_entry
from .fakes import FakeSmartWifi, FakeWiwiz
from .test_init import ONLINE, break_credentials, calls_to, reauth_flows

pytestmark = pytest.mark.usefixtures("frozen")

# The fixtures of the set-up tests: each vendor in turn.
vendor = test_init.vendor
fake = test_init.fake
entry = test_init.entry

LOGGER = "custom_components.guest_wifi"


def sensor_states(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, str]:
    """The state of each enabled sensor of the entry."""
    return {
        e.entity_id: hass.states.get(e.entity_id).state
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if e.domain == "sensor" and hass.states.get(e.entity_id) is not None
    }


async def reauthenticate(
    hass: HomeAssistant, entry: MockConfigEntry, fake: FakeWiwiz | FakeSmartWifi
) -> None:
    """The owner types the key or token the vendor now takes."""
    (flow,) = reauth_flows(hass, entry)
    if isinstance(fake, FakeWiwiz):
        typed = {"userkey": fake.userkey}
    else:
        typed = {"api_token": fake.token}
    result = await hass.config_entries.flow.async_configure(flow["flow_id"], typed)
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done(wait_background_tasks=True)


# --- an entry fails and recovers as one ---------------------------------------


async def test_a_refused_key_stops_every_data_source_at_once(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    vendor: str,
    fake: FakeWiwiz | FakeSmartWifi,
    entry: MockConfigEntry,
) -> None:
    """One refusal: every data source of the entry shows it and stops asking.

    Only the connections are due when the key is refused; today's figures
    (Wiwiz) and the account (SmartWiFi) are not, yet they go unavailable with
    them rather than show live values next to Unavailable ones.
    """
    await setup_entry(hass, entry)
    live = sensor_states(hass, entry)
    assert STATE_UNAVAILABLE not in live.values()

    break_credentials(fake)
    await poll(hass, frozen)

    assert len(reauth_flows(hass, entry)) == 1
    assert not any(c.last_update_success for c in entry.runtime_data.coordinators)
    assert set(sensor_states(hass, entry).values()) == {STATE_UNAVAILABLE}
    # Asked to refresh at once (an action): the source refused asks nothing either.
    calls = len(fake.calls)
    await entry.runtime_data.connections.async_refresh()
    assert len(fake.calls) == calls

    # No data source asks the vendor again with the refused key.
    calls = len(fake.calls)
    for _ in range(4):
        await poll(hass, frozen, 300)
    assert len(fake.calls) == calls
    assert len(reauth_flows(hass, entry)) == 1


async def test_the_entry_recovers_as_one_after_reauth(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    vendor: str,
    fake: FakeWiwiz | FakeSmartWifi,
    entry: MockConfigEntry,
) -> None:
    """The key typed again: every data source is back, with the same values."""
    await setup_entry(hass, entry)
    live = sensor_states(hass, entry)
    break_credentials(fake)
    await poll(hass, frozen)

    await reauthenticate(hass, entry, fake)

    assert entry.state is ConfigEntryState.LOADED
    assert all(c.last_update_success for c in entry.runtime_data.coordinators)
    assert sensor_states(hass, entry) == live
    assert not reauth_flows(hass, entry)


# --- a failed poll is retried soon ----------------------------------------------


async def test_a_short_outage_is_retried_within_seconds(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """A one-second outage blanks today's figures for seconds, not five minutes."""
    await setup_entry(hass, wiwiz_entry)
    today = "sensor.hs1_guests_today"
    assert hass.states.get(today).state == "1"

    wiwiz.fail(exc=aiohttp.ClientConnectionError("reset by peer"))
    await poll(hass, frozen, 300)
    assert hass.states.get(today).state == STATE_UNAVAILABLE
    wiwiz.recover()

    await poll(hass, frozen, 11)
    assert hass.states.get(today).state == "1"
    assert wiwiz_entry.runtime_data.today.update_interval.total_seconds() == 300


async def test_retries_back_off_up_to_the_interval(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """A vendor down for long is asked less and less often, never below the interval."""
    await setup_entry(hass, wiwiz_entry)
    wiwiz.fail(status=500)
    await poll(hass, frozen, 300)  # the first failure of today's poll

    asked_at = []
    for second in range(1, 1200):
        before = calls_to(wiwiz, "connlog")
        await poll(hass, frozen, 1)
        if calls_to(wiwiz, "connlog") > before:
            asked_at.append(second)
    gaps = [b - a for a, b in zip([0, *asked_at], asked_at, strict=False)]
    # 10 s, then twice as long each time, up to the 5 minutes of the interval.
    assert gaps[:6] == [10, 20, 40, 80, 160, 300]
    assert set(gaps[6:]) == {300}


async def test_a_poll_that_works_starts_the_back_off_over(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """After polls work again, the next outage is retried within seconds again."""
    await setup_entry(hass, wiwiz_entry)
    wiwiz.fail(status=500)
    await poll(hass, frozen, 300)  # retried in 10 s
    await poll(hass, frozen, 11)  # and then in 20 s
    wiwiz.recover()
    await poll(hass, frozen, 21)
    assert wiwiz_entry.runtime_data.today.last_update_success

    wiwiz.fail(status=500)
    await poll(hass, frozen, 300)
    asked = calls_to(wiwiz, "connlog")
    await poll(hass, frozen, 11)

    assert calls_to(wiwiz, "connlog") > asked


async def test_a_retry_waits_out_what_the_vendor_asked(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
) -> None:
    """After a 429, a failure retried soon still leaves the vendor alone until asked."""
    await setup_entry(hass, smartwifi_entry)
    smartwifi.fail(status=429, headers={"Retry-After": "120"})
    await poll(hass, frozen, 60)
    smartwifi.recover()
    calls = len(smartwifi.calls)

    await poll(hass, frozen, 60)
    assert len(smartwifi.calls) == calls
    await poll(hass, frozen, 61)
    assert len(smartwifi.calls) > calls
    assert smartwifi_entry.runtime_data.connections.last_update_success


# --- each change of cause is logged once ------------------------------------------


def _our_records(
    caplog: pytest.LogCaptureFixture, level: int = logging.INFO
) -> list[logging.LogRecord]:
    return [
        r
        for r in caplog.records
        if r.levelno >= level and (r.name == LOGGER or r.name.startswith(f"{LOGGER}."))
    ]


async def test_each_change_of_cause_is_logged_once(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
) -> None:
    """A rate limit at INFO; a new cause after it logged; repeats only at DEBUG."""
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    await setup_entry(hass, smartwifi_entry)
    caplog.clear()

    smartwifi.fail(status=429, headers={"Retry-After": "60"})
    await poll(hass, frozen, 60)
    (limited,) = _our_records(caplog)
    assert limited.levelno == logging.INFO
    assert "SmartWiFi connections" in limited.getMessage()
    assert "slow down" in limited.getMessage()

    # The same cause again: at DEBUG only.
    caplog.clear()
    await poll(hass, frozen, 61)
    assert not _our_records(caplog)
    assert any("slow down" in r.getMessage() for r in _our_records(caplog, 0))

    # A malformed answer after the rate limit: said, once, as a warning.
    caplog.clear()
    smartwifi.fail(status=200, body="{not json")
    await poll(hass, frozen, 61)
    (malformed,) = _our_records(caplog)
    assert malformed.levelno == logging.WARNING
    assert "SmartWiFi connections" in malformed.getMessage()
    assert "slow down" not in malformed.getMessage()

    caplog.clear()
    await poll(hass, frozen, 61)
    assert not _our_records(caplog, logging.WARNING)

    # Back: core says so, at INFO.
    caplog.clear()
    smartwifi.recover()
    await poll(hass, frozen, 61)
    recovered = _our_records(caplog)
    assert [r.levelno for r in recovered] == [logging.INFO]
    assert "recovered" in recovered[0].getMessage()


async def test_a_failed_set_up_is_said_by_core_not_logged_again(
    hass: HomeAssistant,
    caplog: pytest.LogCaptureFixture,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
) -> None:
    """At set-up, why the entry is not ready is core's to say: ours at DEBUG only."""
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    smartwifi.fail(status=503)

    smartwifi_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(smartwifi_entry.entry_id)
    await hass.async_block_till_done()

    assert smartwifi_entry.state is ConfigEntryState.SETUP_RETRY
    assert any("503" in r.getMessage() for r in _our_records(caplog, 0))
    assert not _our_records(caplog)


async def test_a_refused_key_is_an_error_logged_once(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """The owner must act: an error, said once for the whole entry."""
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    await setup_entry(hass, wiwiz_entry)
    caplog.clear()

    break_credentials(wiwiz)
    for _ in range(3):
        await poll(hass, frozen, 300)

    (refused,) = _our_records(caplog, logging.WARNING)
    # Whichever data source was refused first says it for the entry.
    assert refused.levelno == logging.ERROR
    assert refused.getMessage().startswith("Wiwiz ")
    assert "refused" in refused.getMessage()


async def test_the_logs_page_shows_the_cause_now(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
) -> None:
    """Settings > System > Logs: the newest line is today's cause, not the first one."""
    assert await async_setup_component(hass, "system_log", {})
    await setup_entry(hass, smartwifi_entry)

    smartwifi.fail(status=502, body="<html>Bad Gateway</html>")
    await poll(hass, frozen, 60)
    smartwifi.recover()
    await poll(hass, frozen, 61)
    smartwifi.fail(status=200, body="{not json")
    await poll(hass, frozen, 61)

    newest = hass.data["system_log"].records.to_list()[0]
    assert "502" not in newest["message"][0]
    assert "SmartWiFi connections" in newest["message"][0]


async def test_diagnostics_show_each_data_source_cause(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
) -> None:
    """What each data source is failing with now, and nothing once it is back."""
    await setup_entry(hass, smartwifi_entry)
    smartwifi.fail(status=429, headers={"Retry-After": "600"})
    await poll(hass, frozen, 60)

    sources = (await async_get_config_entry_diagnostics(hass, smartwifi_entry))[
        "coordinators"
    ]
    assert "slow down" in sources["connections"]["failure"]
    assert sources["account"]["failure"] is None

    smartwifi.recover()
    await poll(hass, frozen, 601)
    sources = (await async_get_config_entry_diagnostics(hass, smartwifi_entry))[
        "coordinators"
    ]
    assert sources["connections"]["failure"] is None


# --- the rules of the data sources ------------------------------------------------


@pytest.mark.parametrize("newer_first", [True, False])
async def test_the_newer_of_two_listings_of_one_guest_wins(
    hass: HomeAssistant,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
    newer_first: bool,
) -> None:
    """Wiwiz lists a guest twice (a stale session): the newer one is the guest."""
    mac = "AA-BB-CC-00-00-02"
    sessions = [
        ("10.0.0.21", "2026-11-23 09:00:00"),
        ("10.0.0.22", "2026-11-23 10:00:00"),
    ]
    for ip, start in reversed(sessions) if newer_first else sessions:
        wiwiz.connect("HS2", mac, ip=ip, start_time=start)
        wiwiz.hotspots["HS2"]["conn"][-1]["tokencode"] = f"tok-{ip}"

    await setup_entry(hass, wiwiz_entry)

    guests = wiwiz_entry.runtime_data.connections.data["HS2"].guests
    assert [g.ip for g in guests.values()] == ["10.0.0.22"]


@pytest.mark.parametrize("listed_first", [True, False])
async def test_a_listing_without_a_start_is_the_newest(
    hass: HomeAssistant,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
    listed_first: bool,
) -> None:
    """A session whose start Wiwiz left out counts as the one going on now."""
    mac = "AA-BB-CC-00-00-02"
    sessions = [("10.0.0.21", "2026-11-23 09:00:00"), ("10.0.0.23", "")]
    for ip, start in reversed(sessions) if listed_first else sessions:
        wiwiz.connect("HS2", mac, ip=ip, start_time=start)
        wiwiz.hotspots["HS2"]["conn"][-1]["tokencode"] = f"tok-{ip}"

    await setup_entry(hass, wiwiz_entry)

    guests = wiwiz_entry.runtime_data.connections.data["HS2"].guests
    assert [g.ip for g in guests.values()] == ["10.0.0.23"]


def _connlog_from(wiwiz: FakeWiwiz, hotspot_id: str) -> str:
    """Where the last request for a hotspot's connection log started."""
    return next(
        url.query["date_from"]
        for url in reversed(wiwiz.calls)
        if url.path.rstrip("/").endswith("connlog")
        and url.query["hotspotid"] == hotspot_id
    )


async def test_after_a_failed_today_poll_the_log_is_asked_from_midnight(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """A poll that failed filed nothing: the next one looks back the whole day."""
    await setup_entry(hass, wiwiz_entry)
    assert _connlog_from(wiwiz, "HS1") == "2026-11-23 00:00:00"
    await poll(hass, frozen, 300)
    assert _connlog_from(wiwiz, "HS1") != "2026-11-23 00:00:00"  # news only

    wiwiz.fail(status=500)
    await poll(hass, frozen, 300)
    wiwiz.recover()
    await poll(hass, frozen, 300)

    assert wiwiz_entry.runtime_data.today.last_update_success
    assert _connlog_from(wiwiz, "HS1") == "2026-11-23 00:00:00"


async def test_a_smartwifi_connection_without_a_mac_is_online_but_not_a_guest(
    hass: HomeAssistant, smartwifi: FakeSmartWifi, smartwifi_entry: MockConfigEntry
) -> None:
    """Counted online; no guest (nothing to track it by)."""
    smartwifi.connect("Lobby", "AA-BB-CC-DD-EE-07")
    smartwifi.connections[-1]["macaddress"] = None
    smartwifi.connections[-1]["identity"] = "walk-in"

    await setup_entry(hass, smartwifi_entry)

    assert hass.states.get(ONLINE["smartwifi"]).state == "2"
    lobby = smartwifi_entry.runtime_data.connections.data["12261"]
    assert list(lobby.guests) == ["aa:bb:cc:dd:ee:01"]


async def test_the_report_is_asked_up_to_a_minute_ahead(
    hass: HomeAssistant, smartwifi: FakeSmartWifi, smartwifi_entry: MockConfigEntry
) -> None:
    """A gateway clock a little ahead is still heard: a minute past now, no more."""
    await setup_entry(hass, smartwifi_entry)

    asked = [
        url.query["to"]
        for url in smartwifi.calls
        if url.path.rstrip("/").endswith("connections")
    ]
    assert asked
    assert set(asked) == {"2026-11-23T11:01:00"}  # noon at the venue is 11:00 UTC


async def test_other_hotspots_names_are_learnt_once(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
) -> None:
    """Records under a hotspot the entry leaves out: its name is asked once, not each poll."""
    hass.config_entries.async_update_entry(
        smartwifi_entry,
        data={**smartwifi_entry.data, "hotspots": {"12261": "Lobby"}},
    )
    smartwifi.connect("Terrace", "AA-BB-CC-DD-EE-08")
    await setup_entry(hass, smartwifi_entry)
    asked = calls_to(smartwifi, "dropdown/hotspots")

    for _ in range(5):
        await poll(hass, frozen, 60)

    assert smartwifi_entry.runtime_data.connections.last_update_success
    assert calls_to(smartwifi, "dropdown/hotspots") == asked


async def test_an_auth_failure_wins_over_other_failures() -> None:
    """Calls failing together: the refused key is what the poll reports."""

    async def down() -> None:
        await asyncio.sleep(0)  # both calls are under way when the first fails
        raise CannotConnectError("down")

    async def refused() -> None:
        await asyncio.sleep(0)
        raise AuthenticationError("refused")

    with pytest.raises(AuthenticationError):
        await gather_bounded([down, refused])


async def test_a_shorter_wait_does_not_shorten_a_longer_one(
    hass: HomeAssistant, frozen: FrozenDateTimeFactory
) -> None:
    """A second 429 asking for less than the first leaves the first wait standing."""
    hold_off(hass, "entry", 600)
    hold_off(hass, "entry", 5)
    assert rate_limit_wait(hass, "entry") == 600


@pytest.mark.parametrize(
    ("elapsed", "left"), [(8.5, 1.5), (9, 0), (9.5, 0)], ids=["1.5", "1", "0.5"]
)
async def test_a_wait_with_a_second_left_is_over(
    hass: HomeAssistant, frozen: FrozenDateTimeFactory, elapsed: float, left: float
) -> None:
    """Core schedules polls on whole seconds: one second or less left is no wait."""
    hold_off(hass, "entry", 10)
    frozen.tick(elapsed)
    assert rate_limit_wait(hass, "entry") == left


async def test_a_wait_asked_below_zero_is_none(
    hass: HomeAssistant, frozen: FrozenDateTimeFactory
) -> None:
    """A negative wait is no wait, and none is kept."""
    assert hold_off(hass, "entry", -5) == 0
    assert rate_limit_wait(hass, "entry") == 0


async def test_a_removed_entry_waits_for_nothing(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
) -> None:
    """The vendor asked the entry to wait; once the entry is deleted, nothing waits."""
    await setup_entry(hass, smartwifi_entry)
    smartwifi.fail(status=429, headers={"Retry-After": "600"})
    await poll(hass, frozen, 60)
    assert rate_limit_wait(hass, smartwifi_entry.entry_id) > 0

    await hass.config_entries.async_remove(smartwifi_entry.entry_id)
    await hass.async_block_till_done()

    assert rate_limit_wait(hass, smartwifi_entry.entry_id) == 0


async def test_a_refresh_asked_while_home_assistant_stops_is_made(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_entry: MockConfigEntry
) -> None:
    """Only scheduled polls stop with Home Assistant: one asked for (an action's) is made."""
    await setup_entry(hass, wiwiz_entry)
    asked = calls_to(wiwiz, "connlog")
    hass.set_state(CoreState.stopping)
    try:
        await wiwiz_entry.runtime_data.today.async_refresh()
    finally:
        hass.set_state(CoreState.running)

    assert calls_to(wiwiz, "connlog") > asked
