"""Wiwiz: its description, how an entry starts, and its data sources.

Its data sources: who is connected, today's log and ads, each hotspot's WAN
address. Its config-flow steps are in flow_wiwiz.py, its client in
api/wiwiz.py.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
import ipaddress
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import callback
from homeassistant.util import dt as dt_util
from yarl import URL

from .api.errors import RateLimitedError
from .api.wiwiz import (
    WiwizClient,
    WiwizConnection,
    WiwizWanIp,
    session_of as wiwiz_session,
)
from .clients import wiwiz_answers_over_https, wiwiz_base_url, wiwiz_client
from .const import (
    CONF_BASE_URL,
    CONF_HTTPS,
    CONF_USERKEY,
    CONNECTIONS_INTERVAL,
    TODAY_INTERVAL,
    VENDOR_WIWIZ,
    WAN_IP_INTERVAL,
)
from .coordinator import GuestWifiCoordinator, gather_bounded, hold_off, latest_per_mac
from .data import GuestsData
from .devices import entry_hotspots
from .guests import GuestPresence
from .history_log import HOTSPOT_KINDS, Source, Tallies, at, tally
from .issues import async_wiwiz_clear_text
from .models import HotspotConnections, HotspotDay, OnlineGuest
from .sessions import AdTally, SessionFields, SessionLog
from .vendor import Vendor
from .venue import Venue

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from .data import GuestWifiConfigEntry


def _wiwiz_guest(hotspot_id: str, conn: WiwizConnection) -> OnlineGuest | None:
    if conn.mac is None:
        return None
    return OnlineGuest(
        mac=conn.mac,
        hotspot_id=hotspot_id,
        ip=conn.ip,
        username=conn.username,
        connected_since=conn.start_time,
        phone=conn.mobile,
    )


class WiwizConnectionsCoordinator(
    GuestWifiCoordinator[Mapping[str, HotspotConnections]]
):
    """Current connections of every hotspot; Wiwiz's "connected" is "in `conn`"."""

    client: WiwizClient
    source = "connections"
    interval = CONNECTIONS_INTERVAL

    async def _fetch(self) -> Mapping[str, HotspotConnections]:
        ids = self.hotspot_ids
        answers = await gather_bounded(
            partial(self.client.current_connections, hotspot_id) for hotspot_id in ids
        )
        result = {}
        for hotspot_id, conns in zip(ids, answers, strict=True):
            guests = (_wiwiz_guest(hotspot_id, conn) for conn in conns)
            result[hotspot_id] = HotspotConnections(
                online=len(conns), guests=latest_per_mac(g for g in guests if g)
            )
        return result


WIWIZ_FIELDS: SessionFields[WiwizConnection] = SessionFields(
    session=wiwiz_session,
    start=lambda conn: conn.start_time,
    is_open=lambda conn: conn.end_time is None,
    place=lambda conn: None,  # a log per hotspot
    who=lambda conn: conn.mac or conn.ip,
    downloaded=lambda conn: conn.downloaded,
    uploaded=lambda conn: conn.uploaded,
)


class WiwizTodayCoordinator(GuestWifiCoordinator[Mapping[str, HotspotDay]]):
    """Today's connection log, phone numbers and ad events of every hotspot.

    The log and the ads are asked for news only (`SessionLog`, `AdTally`);
    phone numbers are asked by whole days, so the day is asked each time.
    """

    client: WiwizClient
    source = "today"
    interval = TODAY_INTERVAL

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        client: WiwizClient,
        venue: Venue,
    ) -> None:
        """One log and one ad tally per hotspot, filled as polls go."""
        super().__init__(hass, entry, client, venue)
        self.logs: dict[str, SessionLog[WiwizConnection]] = {}
        self.ads: dict[str, AdTally] = {}

    async def _fetch(self) -> Mapping[str, HotspotDay]:
        ids = self.hotspot_ids
        midnight = dt_util.start_of_local_day()
        now = dt_util.now()
        calls: list[Callable[[], Awaitable[Any]]] = []
        asked: list[tuple[bool, datetime]] = []
        for hotspot_id in ids:
            log = self.logs.setdefault(hotspot_id, SessionLog(WIWIZ_FIELDS))
            full = log.needs_full(now, midnight)
            # One window a hotspot: as many requests as a whole day's.
            ((start, _),) = log.windows(midnight, now, max_gaps=0)
            log_from = midnight if full else start
            ads_from = self.ads.setdefault(hotspot_id, AdTally()).asks_from(
                midnight, full=full
            )
            log.trusted = False  # until this poll is filed
            asked.append((full, ads_from))
            calls.append(partial(self.client.connection_log, hotspot_id, log_from, now))
            calls.append(
                partial(
                    self.client.mobile_numbers, hotspot_id, midnight.date(), now.date()
                )
            )
            calls.append(partial(self.client.ad_events, hotspot_id, ads_from, now))
        answers = await gather_bounded(calls)

        def file() -> dict[str, HotspotDay]:
            result = {}
            for index, hotspot_id in enumerate(ids):
                conns, phones, ads = answers[index * 3 : index * 3 + 3]
                full, ads_from = asked[index]
                log = self.logs[hotspot_id]
                log.take(conns, full=full, midnight=midnight, asked_at=now)
                tally = self.ads[hotspot_id]
                tally.take(ads, asked_from=ads_from, midnight=midnight, now=now)
                guests, downloaded, uploaded = log.today(None, midnight)
                result[hotspot_id] = HotspotDay(
                    guests=guests,
                    downloaded=downloaded,
                    uploaded=uploaded,
                    ad_views=tally.views,
                    ad_clicks=tally.clicks,
                    mobile_numbers=len(phones),
                )
            return result

        # Thousands of log lines: filed in a worker thread, not on the loop.
        return await self.hass.async_add_executor_job(file)


class WiwizWanIpCoordinator(GuestWifiCoordinator[Mapping[str, WiwizWanIp]]):
    """The WAN address of every hotspot."""

    client: WiwizClient
    source = "WAN IP"
    interval = WAN_IP_INTERVAL

    async def _fetch(self) -> Mapping[str, WiwizWanIp]:
        ids = self.hotspot_ids
        answers = await gather_bounded(partial(self.client.wan_ip, h) for h in ids)
        return dict(zip(ids, answers, strict=True))


@dataclass(kw_only=True)
class WiwizData(GuestsData):
    """A Wiwiz account: connections, today's log, and each hotspot's WAN address."""

    client: WiwizClient
    connections: WiwizConnectionsCoordinator
    today: WiwizTodayCoordinator
    wan_ip: WiwizWanIpCoordinator

    @property
    def coordinators(self) -> list[GuestWifiCoordinator[Any]]:
        """Connections, today, WAN addresses."""
        return [self.connections, self.today, self.wan_ip]

    @property
    def day(self) -> WiwizTodayCoordinator:
        """Today's log, asked on its own."""
        return self.today

    async def connection_log(
        self, hotspot_id: str, start: datetime, end: datetime
    ) -> list[WiwizConnection]:
        """Wiwiz keeps a log per hotspot."""
        return await self.client.connection_log(hotspot_id, start, end)

    def history(self, hass: HomeAssistant, entry: GuestWifiConfigEntry) -> Source:
        """A log per hotspot, asked per hotspot, one at a time."""
        client = self.client

        async def one(hotspot: str, start: datetime, end: datetime) -> Tallies:
            # Tallied as soon as it is read, one hotspot after the other: one
            # answer's records at a time, and one parsing thread (several
            # would take the interpreter lock from the loop in turns; a
            # backfill is in no hurry).
            conns = await client.connection_log(hotspot, start, end)
            return await hass.async_add_executor_job(
                tally, WIWIZ_FIELDS, conns, at(hotspot), start, end
            )

        async def read(start: datetime, end: datetime, places: list[str]) -> Tallies:
            found: Tallies = {}
            for part in await gather_bounded(
                (partial(one, hotspot, start, end) for hotspot in places), limit=1
            ):
                found.update(part)
            return found

        return Source(HOTSPOT_KINDS, self.hotspot_names, read, asks_per_place=True)


async def _move_to_https(hass: HomeAssistant, entry: GuestWifiConfigEntry) -> None:
    """Move an entry on http:// to HTTPS once Wiwiz answers over it.

    Asked at each start while on http:// (entries from before we asked, and
    those Wiwiz did not answer over HTTPS then). Once on HTTPS an entry never
    goes back by itself: an HTTPS failure is an outage, not a reason to send
    the key in clear text (which is what someone blocking HTTPS would want).
    """
    if entry.data.get(CONF_BASE_URL) or entry.data.get(CONF_HTTPS):
        return
    try:
        https = await wiwiz_answers_over_https(hass, entry.data)
    except RateLimitedError as err:
        hold_off(hass, entry.entry_id, err.retry_after or 0)
        return
    if https:
        hass.config_entries.async_update_entry(
            entry, data={**entry.data, CONF_HTTPS: True}
        )


def _loopback(host: str | None) -> bool:
    """A host on this machine (the simulator): nothing crosses a network."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


@callback
def _clear_text_issue(hass: HomeAssistant, entry: GuestWifiConfigEntry) -> None:
    """Tell the user while their Wiwiz key travels unencrypted; clear it when not."""
    url = URL(wiwiz_base_url(entry.data))
    clear_text = url.scheme == "http" and not _loopback(url.host)
    async_wiwiz_clear_text(hass, entry, raised=clear_text)


async def _start(hass: HomeAssistant, entry: GuestWifiConfigEntry) -> WiwizData:
    """HTTPS if Wiwiz answers there; then the client and the three data sources."""
    await _move_to_https(hass, entry)
    _clear_text_issue(hass, entry)
    client = wiwiz_client(hass, entry.data)
    venue = Venue(VENDOR_WIWIZ, entry_hotspots(entry))
    connections = WiwizConnectionsCoordinator(hass, entry, client, venue)
    return WiwizData(
        client=client,
        venue=venue,
        connections=connections,
        presence=GuestPresence(hass, entry, connections),
        today=WiwizTodayCoordinator(hass, entry, client, venue),
        wan_ip=WiwizWanIpCoordinator(hass, entry, client, venue),
    )


WIWIZ = Vendor(
    key=VENDOR_WIWIZ,
    name="Wiwiz",
    title="Wiwiz",
    secret=CONF_USERKEY,
    start=_start,
    own_sensors=frozenset(
        {
            "ad_views_today",
            "ad_clicks_today",
            "mobile_numbers_today",
            "wan_ip",
            "wan_ip_updated",
        }
    ),
    actions=frozenset(
        {"get_connection_log", "get_connection", "get_mobile_numbers", "get_ad_events"}
    ),
)
