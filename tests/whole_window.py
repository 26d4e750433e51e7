"""The figures of a whole window: what a poll that asks for news must equal.

How the integration counted before its polls asked the vendors for news only
(every poll asked for the whole day). Kept here, apart from the integration,
as the reference the incremental windows are compared with.
"""

from __future__ import annotations

from datetime import datetime

from custom_components.guest_wifi.api.smartwifi import SmartWifiConnection
from custom_components.guest_wifi.api.wiwiz import (
    AdEventType,
    WiwizAdEvent,
    WiwizConnection,
    WiwizMobileNumber,
)
from custom_components.guest_wifi.coordinator import latest_per_mac
from custom_components.guest_wifi.models import (
    HotspotConnections,
    HotspotDay,
    OnlineGuest,
)


def wiwiz_day(
    log: list[WiwizConnection],
    phones: list[WiwizMobileNumber],
    ads: list[WiwizAdEvent],
) -> HotspotDay:
    """A hotspot's day from its whole log, phones and ads."""
    return HotspotDay(
        guests=len({conn.mac or conn.ip for conn in log}),
        downloaded=sum(conn.downloaded for conn in log),
        uploaded=sum(conn.uploaded for conn in log),
        ad_views=sum(ad.event_type is AdEventType.VIEW for ad in ads),
        ad_clicks=sum(ad.event_type is AdEventType.CLICK for ad in ads),
        mobile_numbers=len(phones),
    )


def smartwifi_hotspot(
    hotspot_id: str, records: list[SmartWifiConnection], midnight: datetime
) -> HotspotConnections:
    """One hotspot's figures from all its records of a whole 24-hour report.

    How every poll counted before it asked for news only.
    """
    open_records = [r for r in records if r.is_open]
    today = [r for r in records if r.time is not None and r.time >= midnight]
    guests = latest_per_mac(
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
    )
    return HotspotConnections(
        online=len(open_records),
        guests=guests,
        today=HotspotDay(
            guests=len({r.mac or r.identity or r.guest_token for r in today}),
            downloaded=sum(r.downloaded for r in today),
            uploaded=sum(r.uploaded for r in today),
        ),
    )
