"""Constants for the Guest Wi-Fi integration."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Final

DOMAIN: Final = "guest_wifi"
LOGGER = logging.getLogger(__package__)

CONF_VENDOR: Final = "vendor"
VENDOR_MYWIFI: Final = "mywifi"
VENDOR_SMARTWIFI: Final = "smartwifi"
VENDOR_WIWIZ: Final = "wiwiz"
VENDOR_NAMES: Final = {
    VENDOR_MYWIFI: "My Wi-Fi Service",
    VENDOR_SMARTWIFI: "SmartWiFiPlatform",
    VENDOR_WIWIZ: "Wiwiz",
}

CONF_API_TOKEN: Final = "api_token"  # noqa: S105
CONF_ENVIRONMENT: Final = "environment"
CONF_HOTSPOTS: Final = "hotspots"
CONF_USERKEY: Final = "userkey"
CONF_HOTSPOT_IDS: Final = "hotspot_ids"
# Where a vendor's API is reached; only the simulator and white-label
# deployments change it.
CONF_BASE_URL: Final = "base_url"
# Wiwiz answered over HTTPS when last asked (absent in entries made before we
# asked, which used HTTP: they ask again at their next start).
CONF_HTTPS: Final = "https"

# Options
CONF_CONNECTIONS_INTERVAL: Final = "connections_interval"
CONF_DAILY_INTERVAL: Final = "daily_interval"
CONF_WAN_IP_INTERVAL: Final = "wan_ip_interval"
CONF_ACCOUNT_INTERVAL: Final = "account_interval"
CONF_TRACK_GUESTS: Final = "track_guests"
CONF_CONSIDER_HOME: Final = "consider_home"
CONF_EXPOSE_CONTACT_DETAILS: Final = "expose_contact_details"
CONF_FORGET_AFTER_DAYS: Final = "forget_after_days"

TRACK_ALL: Final = "all"
TRACK_NONE: Final = "none"

# (default, floor) in seconds: the floors keep us polite to the vendors.
INTERVALS: Final = {
    CONF_CONNECTIONS_INTERVAL: (60, 30),
    CONF_DAILY_INTERVAL: (300, 120),
    CONF_WAN_IP_INTERVAL: (900, 300),
    CONF_ACCOUNT_INTERVAL: (900, 300),
}
DEFAULT_CONSIDER_HOME: Final = 180
DEFAULT_FORGET_AFTER_DAYS: Final = 30

# Wiwiz hotspots are polled in parallel, but never more than this at once.
MAX_PARALLEL_REQUESTS: Final = 4
# A poll must end before the next is due: it gets this share of its interval.
POLL_DEADLINE_SHARE: Final = 0.8
# The longest wait a vendor's Retry-After is obeyed for. A wrong or hostile
# header (days, years) would otherwise silence the entry with no end in
# sight; after an hour we ask again, and a vendor still busy says so again.
MAX_RETRY_AFTER: Final = 3600.0
# How long the check whether Wiwiz answers over HTTPS may take: a blocked port
# must not hold a set-up for the whole request timeout.
HTTPS_PROBE_TIMEOUT: Final = 10
# How often the shared sweep checks trackers past `consider_home`.
SWEEP_INTERVAL: Final = timedelta(seconds=15)

EVENT_GUEST_CONNECTED: Final = f"{DOMAIN}_guest_connected"
EVENT_GUEST_DISCONNECTED: Final = f"{DOMAIN}_guest_disconnected"
