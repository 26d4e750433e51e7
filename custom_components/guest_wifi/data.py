"""What a config entry holds while it runs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntry

if TYPE_CHECKING:
    from .api.mywifi import MyWifiClient
    from .api.smartwifi import SmartWifiClient
    from .api.wiwiz import WiwizClient
    from .coordinator import (
        GuestWifiCoordinator,
        MyWifiCoordinator,
        SmartWifiAccountCoordinator,
        WiwizTodayCoordinator,
        WiwizWanIpCoordinator,
    )
    from .guests import GuestPresence
    from .models import HotspotConnections

type GuestWifiConfigEntry = ConfigEntry[GuestWifiData]


@dataclass
class GuestWifiData:
    """The running parts of one vendor account."""

    vendor: str
    client: WiwizClient | SmartWifiClient | MyWifiClient
    # Hotspot id to the name shown to the user (none for My Wi-Fi).
    hotspots: dict[str, str]
    connections: GuestWifiCoordinator[Mapping[str, HotspotConnections]] | None = None
    presence: GuestPresence | None = None
    today: WiwizTodayCoordinator | None = None
    wan_ip: WiwizWanIpCoordinator | None = None
    account: SmartWifiAccountCoordinator | None = None
    users: MyWifiCoordinator | None = None
    # The hotspots' names now: SmartWiFi hotspots can be renamed at the vendor.
    hotspot_names: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        """Start from the names the entry was set up with."""
        self.hotspot_names = dict(self.hotspots)

    @property
    def coordinators(self) -> list[GuestWifiCoordinator[Any]]:
        """Every coordinator of the entry."""
        return [
            c
            for c in (
                self.connections,
                self.today,
                self.wan_ip,
                self.account,
                self.users,
            )
            if c is not None
        ]
