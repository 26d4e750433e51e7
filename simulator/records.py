"""What happens in the world: sessions, hotspots and the logs they keep."""

from __future__ import annotations

from bisect import insort
from collections.abc import Callable
from dataclasses import dataclass, field
from random import Random
from typing import Any

from .population import Guest

# Median download speed of a guest, bytes/s; the spread is wide on purpose
# (a phone idling next to a laptop streaming video).
_MEDIAN_RATE = 8000.0


class Session:
    """A guest's stay on a hotspot: open until `end` is set.

    Traffic is not counted tick by tick: a session keeps a byte base and a
    rate, so reading its counters at any moment costs the same at ten
    thousand guests as at ten, and they still grow between ticks.
    """

    __slots__ = (
        "_base_in",
        "_base_out",
        "_rate_in",
        "_rate_out",
        "_since",
        "cache",
        "end",
        "guest",
        "hotspot",
        "ip",
        "mobile",
        "reason",
        "start",
        "tokencode",
        "userstring",
        "usertype",
        "voucher",
    )

    def __init__(
        self, guest: Guest, hotspot: Hotspot, start: float, rng: Random
    ) -> None:
        """Open a session at `start`, drawing its traffic profile from `rng`."""
        self.guest = guest
        self.hotspot = hotspot
        self.start = start
        self.end: float | None = None
        self.reason: str | None = None
        self.ip = hotspot.next_ip()
        self.tokencode = f"{rng.getrandbits(64):016x}"
        self.voucher = f"V{rng.getrandbits(24):06X}" if rng.random() < 0.2 else ""
        self.mobile = ""
        self.userstring = (
            f"room={rng.randrange(100, 500)}" if rng.random() < 0.3 else ""
        )
        self.usertype = 1 if guest.username is None or rng.random() < 0.7 else 0
        self._base_in = float(rng.randrange(20_000, 3_000_000))
        self._base_out = self._base_in * rng.uniform(0.05, 0.3)
        self._since = start
        self._rate_in = 0.0
        self._rate_out = 0.0
        self.rerate(start, rng)
        # Rendered text of a closed session: it never changes again.
        self.cache: str | None = None

    def _counts_at(self, now: float) -> tuple[float, float]:
        moment = now if self.end is None else self.end
        elapsed = max(0.0, moment - self._since)
        return (
            self._base_in + self._rate_in * elapsed,
            self._base_out + self._rate_out * elapsed,
        )

    def downloaded(self, now: float) -> int:
        """Bytes that reached the guest by `now` (Wiwiz `incoming`)."""
        return int(self._counts_at(now)[0])

    def uploaded(self, now: float) -> int:
        """Bytes the guest sent by `now` (Wiwiz `outgoing`)."""
        return int(self._counts_at(now)[1])

    def rerate(self, now: float, rng: Random) -> None:
        """The guest starts using the link differently from `now` on."""
        self._base_in, self._base_out = self._counts_at(now)
        self._since = max(self._since, now)
        self._rate_in = rng.lognormvariate(0, 1.2) * _MEDIAN_RATE
        self._rate_out = self._rate_in * rng.uniform(0.05, 0.3)

    def close(self, at: float, reason: str) -> None:
        """End the session at `at`: its counters stop there."""
        self._base_in, self._base_out = self._counts_at(at)
        self._since = at
        self._rate_in = self._rate_out = 0.0
        self.end = at
        self.reason = reason
        self.cache = None


@dataclass(slots=True, frozen=True)
class MobileEntry:
    """A phone number typed on a Wiwiz authentication page."""

    time: float
    country: str
    phonenum: str
    verified: bool
    magic_code: bool


@dataclass(slots=True, frozen=True)
class AdEvent:
    """A view (1) or click (2) of an injected ad, in the Wiwiz ad log."""

    time: float
    ad_id: str
    event_type: int
    uuid: str
    ua: str
    site: str


@dataclass(slots=True, eq=False)
class Plan:
    """A SmartWiFi guest plan: bought or given at an arrival."""

    guest: Guest
    name: str
    start: float
    expire: float
    session_profile: str
    payment_gateway: str
    transaction_id: str


@dataclass(slots=True, eq=False)
class Hotspot:
    """One hotspot of a vendor, with its guests and logs, all sorted by time."""

    vendor: str
    id: str
    name: str
    wan_ip: str
    wan_updated: float
    subnet: str  # first three octets of the guests' LAN
    online: dict[str, Session] = field(default_factory=dict)
    sessions: list[Session] = field(default_factory=list)
    mobile: list[MobileEntry] = field(default_factory=list)
    ads: list[AdEvent] = field(default_factory=list)
    _next_host: int = 0

    def next_ip(self) -> str:
        """The next guest address of the hotspot's /24 (recycled, as DHCP does)."""
        self._next_host += 1
        return f"{self.subnet}.{10 + self._next_host % 240}"


def add_sorted(items: list[Any], item: Any, key: Callable[[Any], float]) -> None:
    """Append in time order; events seldom arrive late, so append is the rule."""
    if not items or key(items[-1]) <= key(item):
        items.append(item)
    else:
        insort(items, item, key=key)
