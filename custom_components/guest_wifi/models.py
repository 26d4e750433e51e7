"""What the coordinators hand to entities, the same for every vendor."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from .api.mywifi import MyWifiGroup, MyWifiRatePlan, MyWifiUser


@dataclass(frozen=True, slots=True)
class GuestSighting:
    """Where, with which address and as whom a guest is (or was last) connected.

    None: the vendor did not say.
    """

    hotspot_id: str
    ip: str | None
    username: str | None
    connected_since: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class OnlineGuest(GuestSighting):
    """A guest connected to a hotspot now."""

    mac: str
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class HotspotDay:
    """Today's totals of one hotspot (local day). None: the vendor does not say."""

    guests: int = 0
    downloaded: int = 0
    uploaded: int = 0
    ad_views: int | None = None
    ad_clicks: int | None = None
    mobile_numbers: int | None = None


@dataclass(frozen=True, slots=True)
class HotspotConnections:
    """Who is on one hotspot now.

    `online` also counts sessions the vendor sent without a usable MAC: they
    are real guests, only not trackable.
    """

    online: int = 0
    guests: Mapping[str, OnlineGuest] = field(default_factory=dict)
    # Vendors whose connection report also gives today's totals fill this.
    today: HotspotDay | None = None


@dataclass(frozen=True, slots=True)
class AccountStats:
    """Account-wide SmartWiFi figures."""

    guests: int
    unsubscribed_guests: int
    active_guest_plans: int
    # Every hotspot of the account, id to name, as the vendor lists them.
    hotspots: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class MyWifiAccount:
    """A My Wi-Fi Service account: its users, groups and weekly rate plans."""

    users: Mapping[int, MyWifiUser]
    groups: Mapping[int, MyWifiGroup]
    rate_plans: Mapping[int, MyWifiRatePlan]
