"""What a config entry holds while it runs: one class per vendor.

Code for one vendor narrows with isinstance (`WiwizData`, ...) and then sees
that vendor's client and data sources, none of them optional. A data source
a vendor does not have is a class constant None on its class, so a platform
that serves every vendor (sensors, trackers) can ask any entry for it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from homeassistant.config_entries import ConfigEntry

from .const import VENDOR_MYWIFI, VENDOR_SMARTWIFI, VENDOR_WIWIZ

if TYPE_CHECKING:
    from .api.mywifi import MyWifiClient
    from .api.smartwifi import SmartWifiClient
    from .api.wiwiz import WiwizClient
    from .coordinator import GuestWifiCoordinator
    from .coordinator_mywifi import MyWifiCoordinator
    from .coordinator_smartwifi import (
        SmartWifiAccountCoordinator,
        SmartWifiConnectionsCoordinator,
    )
    from .coordinator_wiwiz import (
        WiwizConnectionsCoordinator,
        WiwizTodayCoordinator,
        WiwizWanIpCoordinator,
    )
    from .guests import GuestPresence
    from .models import HotspotConnections
    from .venue import Venue

type GuestWifiData = WiwizData | SmartWifiData | MyWifiData
type GuestWifiConfigEntry = ConfigEntry[GuestWifiData]


@dataclass(kw_only=True)
class AccountData(ABC):
    """What every vendor account has while it runs."""

    vendor: ClassVar[str]
    # The entry's hotspots (none for My Wi-Fi), shared with its data sources.
    venue: Venue

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


@dataclass(kw_only=True)
class GuestsData(AccountData):
    """A vendor that reports who is connected where: Wiwiz and SmartWiFi."""

    connections: GuestWifiCoordinator[Mapping[str, HotspotConnections]]
    presence: GuestPresence


@dataclass(kw_only=True)
class WiwizData(GuestsData):
    """A Wiwiz account: connections, today's log, and each hotspot's WAN address."""

    vendor: ClassVar[str] = VENDOR_WIWIZ
    client: WiwizClient
    connections: WiwizConnectionsCoordinator
    today: WiwizTodayCoordinator
    wan_ip: WiwizWanIpCoordinator
    account: ClassVar[None] = None
    users: ClassVar[None] = None

    @property
    def coordinators(self) -> list[GuestWifiCoordinator[Any]]:
        """Connections, today, WAN addresses."""
        return [self.connections, self.today, self.wan_ip]


@dataclass(kw_only=True)
class SmartWifiData(GuestsData):
    """A SmartWiFi account: connections (with today's totals) and account figures."""

    vendor: ClassVar[str] = VENDOR_SMARTWIFI
    client: SmartWifiClient
    connections: SmartWifiConnectionsCoordinator
    account: SmartWifiAccountCoordinator
    today: ClassVar[None] = None
    wan_ip: ClassVar[None] = None
    users: ClassVar[None] = None

    @property
    def coordinators(self) -> list[GuestWifiCoordinator[Any]]:
        """Connections, account figures."""
        return [self.connections, self.account]


@dataclass(kw_only=True)
class MyWifiData(AccountData):
    """A My Wi-Fi account: its users, groups and rate plans; no guest reports."""

    vendor: ClassVar[str] = VENDOR_MYWIFI
    client: MyWifiClient
    users: MyWifiCoordinator
    connections: ClassVar[None] = None
    presence: ClassVar[None] = None
    today: ClassVar[None] = None
    wan_ip: ClassVar[None] = None
    account: ClassVar[None] = None

    @property
    def coordinators(self) -> list[GuestWifiCoordinator[Any]]:
        """Users."""
        return [self.users]
