"""What a config entry holds while it runs: what every vendor's running parts share.

Each vendor module has its own class (`WiwizData` in vendor_wiwiz.py, ...):
code for one vendor narrows with isinstance and then sees that vendor's
client and data sources, none of them optional. Code that serves every
vendor asks its description (vendors.py) what it has.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntry

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from .api import VendorClient
    from .coordinator import GuestWifiCoordinator
    from .guests import GuestPresence
    from .history_log import Source
    from .models import HotspotConnections
    from .venue import Venue

type GuestWifiConfigEntry = ConfigEntry[AccountData]


@dataclass(kw_only=True)
class AccountData(ABC):
    """What every vendor account has while it runs."""

    # How the vendor is asked (each vendor's class names its own client).
    client: VendorClient
    # The entry's hotspots (none for My Wi-Fi), shared with its data sources.
    venue: Venue
    # The account's device, registered once at set-up (identity.py): its
    # hotspots' devices are connected via it.
    account_device_id: str | None = None

    @property
    def hotspots(self) -> dict[str, str]:
        """Hotspot id to the name the entry was set up with."""
        return self.venue.hotspots

    @property
    def hotspot_names(self) -> dict[str, str]:
        """The hotspots' names now: SmartWiFi hotspots can be renamed at the vendor."""
        return self.venue.hotspot_names

    @property
    @abstractmethod
    def coordinators(self) -> list[GuestWifiCoordinator[Any]]:
        """Every data source of the entry, each polled on its own interval."""

    @abstractmethod
    async def async_started(self) -> None:
        """The data sources have their first data: start what builds on it."""

    @abstractmethod
    def history(self, hass: HomeAssistant, entry: GuestWifiConfigEntry) -> Source:
        """What the vendor's history is, and how its log is read (history.py)."""


@dataclass(kw_only=True)
class GuestsData(AccountData):
    """A vendor that reports who is connected where: Wiwiz and SmartWiFi."""

    connections: GuestWifiCoordinator[Mapping[str, HotspotConnections]]
    presence: GuestPresence

    @property
    def day(self) -> GuestWifiCoordinator[Any]:
        """The data source of each hotspot's figures today.

        The connection report, where it gives them (`HotspotConnections.today`,
        as SmartWiFi's does); a vendor that asks for the day on its own names
        that source instead.
        """
        return self.connections

    async def async_started(self) -> None:
        """Who is online: restore the remembered guests, follow the polls."""
        await self.presence.async_start()

    @abstractmethod
    async def connection_log(
        self, hotspot_id: str, start: datetime, end: datetime
    ) -> Sequence[Any]:
        """The vendor's records of the hotspot's sessions from `start` to `end`."""
