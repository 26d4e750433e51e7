"""SmartWiFi: its description, how an entry starts, and its data sources.

Its data sources: the connection report, and the account's figures and
hotspots. Its config-flow steps are in flow_smartwifi.py, its client in
api/smartwifi.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import callback
from homeassistant.util import dt as dt_util

from .api.smartwifi import (
    SmartWifiClient,
    SmartWifiConnection,
    session_of as smartwifi_session,
)
from .clients import smartwifi_client
from .const import (
    ACCOUNT_INTERVAL,
    CONF_API_TOKEN,
    CONNECTIONS_INTERVAL,
    VENDOR_SMARTWIFI,
)
from .coordinator import GuestWifiCoordinator, gather_bounded, latest_per_mac
from .data import GuestsData
from .devices import entry_hotspots
from .guests import GuestPresence
from .history_log import HOTSPOT_KINDS, Source, Tallies, tally
from .models import AccountStats, HotspotConnections, HotspotDay, OnlineGuest
from .new_hotspots import async_found
from .sessions import SessionFields, SessionLog
from .vendor import Vendor
from .venue import Venue

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from .data import GuestWifiConfigEntry


SMARTWIFI_FIELDS: SessionFields[SmartWifiConnection] = SessionFields(
    session=smartwifi_session,
    start=lambda r: r.time,
    is_open=lambda r: r.is_open,
    place=lambda r: r.hotspot_name,
    who=lambda r: r.mac or r.identity or r.guest_token,
    downloaded=lambda r: r.downloaded,
    uploaded=lambda r: r.uploaded,
)


def _smartwifi_figures(
    report: SessionLog[SmartWifiConnection],
    hotspot_id: str,
    name: str,
    midnight: datetime,
) -> HotspotConnections:
    """Who is on a hotspot and its totals today, as a whole report says."""
    open_records = report.open_at(name)
    guests, downloaded, uploaded = report.today(name, midnight)
    return HotspotConnections(
        online=len(open_records),
        guests=latest_per_mac(
            OnlineGuest(
                mac=r.mac,
                hotspot_id=hotspot_id,
                ip=None,
                username=r.identity,
                connected_since=r.time,
                email=r.email,
                phone=r.phone,
            )
            for r in open_records
            if r.mac
        ),
        today=HotspotDay(guests=guests, downloaded=downloaded, uploaded=uploaded),
    )


class SmartWifiConnectionsCoordinator(
    GuestWifiCoordinator[Mapping[str, HotspotConnections]]
):
    """Who is on which hotspot, and today's totals, from one report for all hotspots.

    SmartWiFi's "connected" is an open connection record: one without a
    `reason_for_termination`. Records name their hotspot, not its id. A poll
    asks only for the records that may have changed (`SessionLog`).
    """

    client: SmartWifiClient
    source = "connections"
    interval = CONNECTIONS_INTERVAL

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        client: SmartWifiClient,
        venue: Venue,
    ) -> None:
        """Poll the Guest Connections report."""
        super().__init__(hass, entry, client, venue)
        # Names of the account's hotspots the entry does not hold: records
        # under them are expected, not a sign of a rename.
        self._other_names: set[str] = set()
        self.report = SessionLog(SMARTWIFI_FIELDS)

    async def _fetch(self) -> Mapping[str, HotspotConnections]:
        report = self.report
        now = dt_util.utcnow()
        midnight = dt_util.start_of_local_day()
        # Sessions still open may have started yesterday: look back a day.
        since = min(midnight, now - timedelta(hours=24))
        until = now + timedelta(minutes=1)
        full = report.needs_full(now, midnight)
        windows = [(since, until)] if full else report.windows(since, until)
        # Until this poll is filed, the report is not to be built on.
        report.trusted = False
        answers = await gather_bounded(
            partial(self.client.connections, start, end) for start, end in windows
        )
        records = [record for answer in answers for record in answer]
        # Filing thousands of records is work for a worker thread, not the loop.
        await self.hass.async_add_executor_job(
            partial(report.take, records, full=full, midnight=midnight, asked_at=now)
        )
        names = self.venue.hotspot_names
        if report.places() - set(names.values()) - self._other_names:
            await self._learn_names(names)
        hotspots = dict(names)
        return await self.hass.async_add_executor_job(
            lambda: {
                hotspot_id: _smartwifi_figures(report, hotspot_id, name, midnight)
                for hotspot_id, name in hotspots.items()
            }
        )

    async def _learn_names(self, names: dict[str, str]) -> None:
        """A hotspot name we do not know: the vendor's names now, by id."""
        current = {hotspot.id: hotspot.name for hotspot in await self.client.hotspots()}
        names.update({h: current[h] for h in names if h in current})
        self._other_names = {n for h, n in current.items() if h not in names}


class SmartWifiAccountCoordinator(GuestWifiCoordinator[AccountStats]):
    """Account-wide guests and guest plans; the hotspots the vendor lists.

    The account's hotspots are asked with its guests (no poller of their
    own); a listener set up with the entry adds or offers new ones.
    """

    client: SmartWifiClient
    source = "account"
    interval = ACCOUNT_INTERVAL
    # A hotspot held back while the entry started is added at the next poll,
    # even when the vendor lists the same hotspots (its sensors write only
    # what changed, see sensor.py).
    notify_unchanged = True

    async def _fetch(self) -> AccountStats:
        guests, plans, hotspots = await asyncio.gather(
            self.client.guests(),
            self.client.guest_plans(state="active"),
            self.client.hotspots(),
        )
        return AccountStats(
            guests=len(guests),
            unsubscribed_guests=sum(guest.unsubscribed for guest in guests),
            active_guest_plans=len(plans),
            hotspots={hotspot.id: hotspot.name for hotspot in hotspots},
        )


def _follow_new_hotspots(
    hass: HomeAssistant,
    entry: GuestWifiConfigEntry,
    account: SmartWifiAccountCoordinator,
) -> None:
    """Add or offer the hotspots each account poll lists (see new_hotspots.py)."""

    @callback
    def listed() -> None:
        if account.last_update_success and account.data is not None:
            async_found(hass, entry, account.data.hotspots, SMARTWIFI.title)

    entry.async_on_unload(account.async_add_listener(listed))


@dataclass(kw_only=True)
class SmartWifiData(GuestsData):
    """A SmartWiFi account: connections (with today's totals) and account figures.

    Today's totals come with the connection report: `day` is `connections`.
    """

    client: SmartWifiClient
    connections: SmartWifiConnectionsCoordinator
    account: SmartWifiAccountCoordinator

    @property
    def coordinators(self) -> list[GuestWifiCoordinator[Any]]:
        """Connections, account figures."""
        return [self.connections, self.account]

    async def connection_log(
        self, hotspot_id: str, start: datetime, end: datetime
    ) -> list[SmartWifiConnection]:
        """The account's report, kept to the hotspot's records (by its name now).

        Asking for all hotspots and filtering avoids the vendor's 12-hour
        limit on per-hotspot queries.
        """
        name = self.hotspot_names[hotspot_id]
        records = await self.client.connections(start, end)
        return [record for record in records if record.hotspot_name == name]

    def history(self, hass: HomeAssistant, entry: GuestWifiConfigEntry) -> Source:
        """One report for every hotspot; its rows name the hotspot, not its id."""
        client = self.client
        names = self.hotspot_names

        async def read(start: datetime, end: datetime, places: list[str]) -> Tallies:
            records = await client.connections(start, end)
            by_name = {names[h]: h for h in reversed(places)}
            return await hass.async_add_executor_job(
                partial(
                    tally,
                    SMARTWIFI_FIELDS,
                    records,
                    lambda r: by_name.get(r.hotspot_name or ""),
                    start,
                    end,
                )
            )

        return Source(HOTSPOT_KINDS, names, read)


async def _start(hass: HomeAssistant, entry: GuestWifiConfigEntry) -> SmartWifiData:
    """The client and the two data sources; new hotspots followed."""
    client = smartwifi_client(hass, entry.data)
    venue = Venue(VENDOR_SMARTWIFI, entry_hotspots(entry))
    connections = SmartWifiConnectionsCoordinator(hass, entry, client, venue)
    account = SmartWifiAccountCoordinator(hass, entry, client, venue)
    _follow_new_hotspots(hass, entry, account)
    return SmartWifiData(
        client=client,
        venue=venue,
        connections=connections,
        presence=GuestPresence(hass, entry, connections),
        account=account,
    )


SMARTWIFI = Vendor(
    key=VENDOR_SMARTWIFI,
    name="SmartWiFiPlatform",
    title="SmartWiFi",
    secret=CONF_API_TOKEN,
    start=_start,
    own_sensors=frozenset({"guests", "unsubscribed_guests", "active_guest_plans"}),
    actions=frozenset({"get_connection_log", "get_guest", "get_guest_plans"}),
)
