"""Wiwiz's data sources: who is connected, today's log and ads, each hotspot's WAN address."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.util import dt as dt_util

from .api.wiwiz import (
    WiwizClient,
    WiwizConnection,
    WiwizWanIp,
    session_of as wiwiz_session,
)
from .const import CONNECTIONS_INTERVAL, TODAY_INTERVAL, WAN_IP_INTERVAL
from .coordinator import GuestWifiCoordinator, gather_bounded, latest_per_mac
from .models import HotspotConnections, HotspotDay, OnlineGuest
from .sessions import AdTally, SessionFields, SessionLog
from .venue import Venue

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant


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


# --- SmartWiFiPlatform -----------------------------------------------------
