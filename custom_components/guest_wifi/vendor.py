"""What describes a vendor: everything the rest of the integration asks about it.

Each vendor module (`vendor_<vendor>.py`) makes one `Vendor`, beside the data
sources it describes; `vendors.py` holds them all. Code that serves every
vendor (set-up, the flows, the platforms, actions, diagnostics) asks the
description, never `entry.data["vendor"] == ...`: a vendor missing from the
registry fails loudly (`UnknownVendorError`), not as some other vendor.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .history_log import HOTSPOT_KINDS, Kind

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from .data import AccountData, GuestWifiConfigEntry


# The sensors of every hotspot of a vendor that reports guests.
GUEST_SENSORS = frozenset(
    {"online_guests", "guests_today", "download_today", "upload_today"}
)

# What the OAuth2 helper keeps in an entry, and the application's secret.
OAUTH2_REDACT = frozenset({"token", "access_token", "refresh_token", "client_secret"})


class UnknownVendorError(ValueError):
    """An entry or flow names a vendor no module describes (a programming error)."""

    def __init__(self, vendor: object) -> None:
        """Name the vendor, and where vendors are described."""
        super().__init__(
            f"No vendor module describes vendor {vendor!r} (see vendors.py)"
        )


@dataclass(frozen=True, kw_only=True)
class Vendor:
    """One vendor, as the rest of the integration sees it."""

    # Its value of `entry.data["vendor"]`, the menu option, and the config-flow
    # step that sets an account up and reconfigures it.
    key: str
    # The vendor's product, as devices name their manufacturer.
    name: str
    # How entry titles start ("Wiwiz (Lobby, Bar)"), and the vendor as the
    # owner names it ("SmartWiFi account", "SmartWiFi hotspot").
    title: str
    # The entry data field holding the key or token the vendor is asked
    # with; None for a vendor that signs in with OAuth2 (application
    # credentials), whose tokens the OAuth2 helper keeps.
    secret: str | None
    # The config-flow step that asks for refused credentials again (by
    # default the form asking for the key or token alone).
    reauth_step: str = "reauth_confirm"
    # Makes what an entry runs: its client, venue and data sources.
    start: Callable[[HomeAssistant, GuestWifiConfigEntry], Awaitable[AccountData]]
    # Whether it reports who is connected where (its account has hotspots):
    # guest trackers, activity events and device triggers, the tracking
    # options.
    reports_guests: bool = True
    # The sensors (their keys) its data sources feed, beside a hotspot's guest
    # figures (GUEST_SENSORS) when it reports guests.
    own_sensors: frozenset[str]
    # Its long-term statistics, of each hotspot (of the account without any).
    statistics: tuple[Kind, ...] = HOTSPOT_KINDS
    # The actions (their names) it offers.
    actions: frozenset[str]

    @property
    def oauth2(self) -> bool:
        """Whether it signs in with OAuth2 (and keeps its API address in the options)."""
        return self.secret is None

    @property
    def setup_step(self) -> str:
        """The config-flow step that sets an account up: the vendor's key."""
        return self.key

    @property
    def hotspot_model(self) -> str | None:
        """Its hotspots' device model, so that two "Lobby" devices differ.

        Core translates no model; the action pickers choose hotspots by it.
        None for an account without hotspots, whose device keeps the entry's
        title.
        """
        return f"{self.title} hotspot" if self.reports_guests else None

    @property
    def sensors(self) -> frozenset[str]:
        """The sensors (their keys) its entries have."""
        if self.reports_guests:
            return GUEST_SENSORS | self.own_sensors
        return self.own_sensors

    @property
    def redact(self) -> frozenset[str]:
        """What its entries' diagnostics redact beside guests' personal data."""
        return OAUTH2_REDACT if self.secret is None else frozenset({self.secret})
