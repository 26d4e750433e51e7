"""What a config entry holds while it runs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
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

    @property
    def hotspot_names(self) -> dict[str, str]:
        """The entry's hotspots by their names now (the vendor may rename them)."""
        if self.account is None or self.account.data is None:
            return self.hotspots
        current = self.account.data.hotspot_names
        return {h: current.get(h, name) for h, name in self.hotspots.items()}

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
