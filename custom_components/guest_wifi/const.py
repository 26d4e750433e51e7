"""Constants for the Guest Wi-Fi integration."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Final

DOMAIN: Final = "guest_wifi"
LOGGER = logging.getLogger(__package__)

CONF_VENDOR: Final = "vendor"
# The vendors' keys; each is described in its module (vendors.py lists them).
VENDOR_MYWIFI: Final = "mywifi"
VENDOR_SMARTWIFI: Final = "smartwifi"
VENDOR_WIWIZ: Final = "wiwiz"

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
# SmartWiFi: whether hotspots that appear at the vendor later join the entry
# by themselves, and the hotspots the owner left out (never added by
# themselves).
CONF_ADD_NEW_HOTSPOTS: Final = "add_new_hotspots"
CONF_LEFT_OUT: Final = "hotspots_left_out"

# Options
CONF_TRACK_GUESTS: Final = "track_guests"
CONF_CONSIDER_HOME: Final = "consider_home"
CONF_EXPOSE_CONTACT_DETAILS: Final = "expose_contact_details"
CONF_FORGET_AFTER_DAYS: Final = "forget_after_days"
# The vendor's logs become long-term statistics (history.py).
CONF_IMPORT_HISTORY: Final = "import_history"
DEFAULT_IMPORT_HISTORY: Final = True

TRACK_ALL: Final = "all"
TRACK_NONE: Final = "none"
# Guests who connect again on a later day: regulars, not passers-by or
# phones that give each visit a new random MAC. New entries start with it.
TRACK_RETURNING: Final = "returning"
DEFAULT_TRACK_GUESTS: Final = TRACK_RETURNING
# The flood guard: at most this many trackers per entry. Each costs the
# entity registry (on disk and at every start, enabled or not), and a
# removed one stays in the registry's deleted entities while the entry
# lives. Beyond it new guests get no tracker and a repair issue says why.
MAX_GUEST_TRACKERS: Final = 10_000

# How often each data source is polled. Fixed, as core asks
# ("appropriate-polling"): a venue wanting other timing turns polling off and
# calls `homeassistant.update_entity` from an automation.
# Who is connected: a minute is well inside `consider_home` (180 s), so a
# guest who stays is never marked away between polls, and a venue with ten
# hotspots makes ten light requests a minute, far under the vendors' limits.
CONNECTIONS_INTERVAL: Final = timedelta(minutes=1)
# Today's logs (Wiwiz): heavy calls (three per hotspot) for figures people
# read a few times a day; five minutes keeps them current enough.
TODAY_INTERVAL: Final = timedelta(minutes=5)
# A hotspot's WAN address changes a few times a month at most.
WAN_IP_INTERVAL: Final = timedelta(minutes=15)
# Account figures (plans, guests, users) change with sign-ups, not by the
# minute.
ACCOUNT_INTERVAL: Final = timedelta(minutes=15)
# Options of releases before minor version 3 that are gone (see above).
REMOVED_INTERVAL_OPTIONS: Final = (
    "connections_interval",
    "daily_interval",
    "wan_ip_interval",
    "account_interval",
)
DEFAULT_CONSIDER_HOME: Final = 180
DEFAULT_FORGET_AFTER_DAYS: Final = 30

# Wiwiz hotspots are polled in parallel, but never more than this at once.
MAX_PARALLEL_REQUESTS: Final = 4
# Polls of one vendor running at once, across every entry of this Home
# Assistant. Entries start together, so their polls fall due in the same
# second: a chain of 50 venues would otherwise send one vendor 50 polls (up
# to 200 requests) at once every minute. Four polls of up to four requests
# each keep a vendor at 16 requests in flight at most, and 50 venues of 20
# hotspots still finish a round of polls in about 20 s, well inside the
# deadline below (the wait for a turn counts against it).
MAX_VENDOR_POLLS: Final = 4
# A poll must end before the next is due: it gets this share of its interval.
POLL_DEADLINE_SHARE: Final = 0.8
# A failed poll is asked again this soon, then twice as late after each
# failure in a row, up to its interval: a blip of a second does not blank
# today's figures for five minutes, and a vendor down for an hour is asked
# no more often than when it is up.
FIRST_RETRY: Final = timedelta(seconds=10)
# How long the check whether Wiwiz answers over HTTPS may take: a blocked port
# must not hold a set-up for the whole request timeout.
HTTPS_PROBE_TIMEOUT: Final = 10
# How long each request made while an entry sets up may take. A vendor that
# takes the connection and never answers held each entry's set-up (and Home
# Assistant's start) for the whole request timeout (30 s) before a retry; a
# vendor that answers at all answers well within this. Polls keep the
# clients' own timeout.
SETUP_REQUEST_TIMEOUT: Final = 10
# How often the shared sweep checks trackers past `consider_home`.
SWEEP_INTERVAL: Final = timedelta(seconds=15)

EVENT_GUEST_CONNECTED: Final = f"{DOMAIN}_guest_connected"
EVENT_GUEST_DISCONNECTED: Final = f"{DOMAIN}_guest_disconnected"
