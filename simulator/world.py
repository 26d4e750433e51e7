"""The living population: guests come and go, hotspots keep logs, time is real."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from datetime import tzinfo
import math
from random import Random
import time

from . import timefmt
from .macs import normalize_mac
from .mywifi_store import MyWifiStore
from .population import GUEST_VENDORS, Guest, make_guest, make_population, seeded
from .records import AdEvent, Hotspot, MobileEntry, Plan, Session, add_sorted

HOTSPOT_NAMES = ("Lobby", "Terrace", "Bar", "Pool", "Restaurant", "Spa")
SMARTWIFI_FIRST_ID = 12261
SMARTWIFI_ID_STEP = 29  # the vendor's own example: 12261, 12290
MEAN_SESSION = 45 * 60.0  # seconds a guest stays on average
RAMP = 600.0  # how fast arrivals pull the online count toward its target
RERATE_EVERY = 15 * 60.0  # a guest changes how much they download this often
AD_VIEW_EVERY = 20 * 60.0  # an online Wiwiz guest sees an ad this often
WAN_CHANGE_EVERY = 6 * 3600.0  # a hotspot's WAN IP changes this often
HISTORY_STEP = 300.0  # granularity of the history made at start
HISTORY_LEAD = 2 * 3600.0  # start the history before midnight: no empty dawn
KEEP = 32 * 86400.0  # SmartWiFi answers 30 days back: keep a little more
REASONS = (("Idle Timeout", 0.6), ("Session Timeout", 0.25), ("Lost Service", 0.15))
ADS = (("101", "http://www.example-news.com/"), ("102", "http://shop.example.org/"),
       ("205", "http://www.example-weather.net/"))  # fmt: skip
PLANS = (("1 Hour", 3600.0), ("Day Pass", 86400.0), ("Week Pass", 7 * 86400.0))
PAYMENTS = ("Voucher", "PayPal", "Stripe")


def online_fraction(hour: float) -> float:
    """Share of guests online at a local hour: 5 % before dawn, 15 % mid-afternoon."""
    return 0.05 + 0.10 * (1 - math.cos(2 * math.pi * (hour - 3) / 24)) / 2


class OnlineList:
    """Open sessions of a vendor: O(1) add, remove and random sampling."""

    def __init__(self) -> None:
        """Start empty."""
        self.items: list[Session] = []
        self._pos: dict[int, int] = {}

    def __len__(self) -> int:
        """How many sessions are open."""
        return len(self.items)

    def add(self, session: Session) -> None:
        """Track an open session."""
        self._pos[id(session)] = len(self.items)
        self.items.append(session)

    def remove(self, session: Session) -> None:
        """Forget a session: the last one takes its place."""
        index = self._pos.pop(id(session))
        last = self.items.pop()
        if last is not session:
            self.items[index] = last
            self._pos[id(last)] = index


class World:
    """Hotspots of Wiwiz and SmartWiFi, their guests, and My Wi-Fi's users.

    Everything is drawn from `random.Random` instances seeded from `seed`:
    the same seed gives the same hotspots, MACs and users. What happens when
    also depends on the real clock (the history runs from local midnight).
    """

    def __init__(
        self,
        *,
        guests: int = 300,
        hotspots: int = 3,
        seed: int = 1,
        tick_seconds: float = 5.0,
        tz: tzinfo | None = None,
        clock: Callable[[], float] = time.time,
        history: bool = True,
    ) -> None:
        """Build the population and play today's history up to now."""
        self.seed = seed
        self.tz = tz
        self.clock = clock
        self.tick_seconds = tick_seconds
        self.ticks = 0
        self.rng = seeded(seed, "activity")
        self.hotspots = self._make_hotspots(seed, hotspots)
        self.population: dict[str, list[Guest]] = {v: [] for v in GUEST_VENDORS}
        self.by_mac: dict[str, dict[str, Guest]] = {v: {} for v in GUEST_VENDORS}
        for guest in make_population(seed, guests):
            self.population[guest.vendor].append(guest)
            self.by_mac[guest.vendor][guest.mac] = guest
        self.online = {v: OnlineList() for v in GUEST_VENDORS}
        # Each online guest's open session, by vendor and MAC (the world, not
        # the guest, knows who is online: a guest is who someone is).
        self._open_sessions: dict[tuple[str, str], Session] = {}
        # Every session of a vendor, by start time (SmartWiFi's report).
        self.sessions: dict[str, list[Session]] = {v: [] for v in GUEST_VENDORS}
        self.by_tokencode: dict[str, Session] = {}
        # Guests a vendor has met, in the order it met them.
        self.seen: dict[str, dict[str, Guest]] = {v: {} for v in GUEST_VENDORS}
        self.by_guest_token: dict[str, Guest] = {}
        self.plans: list[Plan] = []
        self.mywifi = MyWifiStore(seed, users=max(10, guests // 2), clock=clock)
        now = clock()
        self.last_step = now
        self._last_prune = now
        if history:
            self._play_history(now)

    # --- set-up -----------------------------------------------------------

    def _make_hotspots(self, seed: int, count: int) -> dict[str, dict[str, Hotspot]]:
        rng = seeded(seed, "hotspots")
        now = self.clock()
        result: dict[str, dict[str, Hotspot]] = {v: {} for v in GUEST_VENDORS}
        for i in range(count):
            name = HOTSPOT_NAMES[i] if i < 3 else f"Hotspot {i + 1}"
            for vendor, hotspot_id in (
                ("wiwiz", f"WZ{i + 1:04d}"),
                ("smartwifi", str(SMARTWIFI_FIRST_ID + SMARTWIFI_ID_STEP * i)),
            ):
                result[vendor][hotspot_id] = Hotspot(
                    vendor=vendor,
                    id=hotspot_id,
                    name=name,
                    wan_ip=self._public_ip(rng),
                    wan_updated=now - rng.uniform(3600, 30 * 86400),
                    subnet=f"192.168.{10 + i % 240}",
                )
        return result

    @staticmethod
    def _public_ip(rng: Random) -> str:
        # Documentation ranges (RFC 5737): never somebody's real address.
        prefix = rng.choice(("192.0.2", "198.51.100", "203.0.113"))
        return f"{prefix}.{rng.randrange(1, 255)}"

    def _play_history(self, now: float) -> None:
        """Live through today (and a little before) in coarse steps."""
        cursor = timefmt.local_midnight(now, self.tz) - HISTORY_LEAD
        self.last_step = cursor
        while cursor + HISTORY_STEP < now:
            cursor += HISTORY_STEP
            self._step(cursor)
        self._step(now)

    # --- the clock ----------------------------------------------------------

    def tick(self) -> dict[str, int]:
        """Advance one step to now; return what happened."""
        self.ticks += 1
        now = max(self.clock(), self.last_step)
        # A tick stands for `tick_seconds` of life even when forced early.
        return self._step(now, span=max(now - self.last_step, self.tick_seconds))

    def _step(self, now: float, span: float | None = None) -> dict[str, int]:
        """Let `span` seconds (default: since the last step) happen, ending `now`."""
        window = (self.last_step, now)
        span = max(span if span is not None else now - self.last_step, 1e-3)
        rng = self.rng
        hour = timefmt.local(now, self.tz)
        target_share = online_fraction(hour.hour + hour.minute / 60)
        summary = {"arrived": 0, "left": 0}
        for vendor in GUEST_VENDORS:
            online = self.online[vendor]
            p_leave = 1 - math.exp(-span / MEAN_SESSION)
            leaving = rng.binomialvariate(len(online), p_leave) if len(online) else 0
            for session in rng.sample(online.items, leaving):
                self._close(session, self._moment(session.start, window), rng)
            summary["left"] += leaving
            summary["arrived"] += self._arrivals(vendor, window, span, target_share)
            for session in self._pick(online, span, RERATE_EVERY):
                session.rerate(now, rng)
        self._ads(window, span)
        self._wan_changes(window, span)
        if now - self._last_prune > 3600:
            self._prune(now)
        self.last_step = now
        summary["online"] = sum(len(o) for o in self.online.values())
        return summary

    def _moment(self, not_before: float, window: tuple[float, float]) -> float:
        return self.rng.uniform(max(not_before, window[0]), window[1])

    def _pick(self, online: OnlineList, span: float, every: float) -> list[Session]:
        """Open sessions to which something happening every `every` s happens now."""
        if not online.items:
            return []
        count = self.rng.binomialvariate(len(online), 1 - math.exp(-span / every))
        return self.rng.sample(online.items, count)

    def _arrivals(
        self, vendor: str, window: tuple[float, float], span: float, share: float
    ) -> int:
        population = self.population[vendor]
        online = len(self.online[vendor])
        offline = len(population) - online
        if offline <= 0 or not self.hotspots[vendor]:
            return 0
        # Replace who leaves, and pull toward the hour's target share.
        target = len(population) * share
        expected = online * (1 - math.exp(-span / MEAN_SESSION))
        expected += (target - online) * min(1.0, span / RAMP)
        if expected <= 0:
            return 0
        count = self.rng.binomialvariate(offline, min(1.0, expected / offline))
        hotspots = list(self.hotspots[vendor].values())
        arrived = 0
        for start in sorted(self.rng.uniform(*window) for _ in range(count)):
            guest = self._offline_guest(vendor, start)
            if guest is not None:
                self._open(guest, self.rng.choice(hotspots), start)
                arrived += 1
        return arrived

    def _offline_guest(self, vendor: str, start: float) -> Guest | None:
        population = self.population[vendor]
        for _ in range(20):  # at most 15 % are online: a few draws suffice
            guest = self.rng.choice(population)
            if self.session_of(guest) is None and guest.last_end <= start:
                return guest
        return None

    # --- sessions -------------------------------------------------------------

    def session_of(self, guest: Guest) -> Session | None:
        """The guest's open session, if online."""
        return self._open_sessions.get((guest.vendor, guest.mac))

    def _open(self, guest: Guest, hotspot: Hotspot, start: float) -> Session:
        rng = self.rng
        session = Session(guest, hotspot, start, rng)
        self._open_sessions[guest.vendor, guest.mac] = session
        guest.last_hotspot = hotspot.name
        hotspot.online[guest.mac] = session
        self.online[guest.vendor].add(session)
        add_sorted(hotspot.sessions, session, _start)
        add_sorted(self.sessions[guest.vendor], session, _start)
        self.seen[guest.vendor].setdefault(guest.mac, guest)
        if guest.vendor == "wiwiz":
            self.by_tokencode[session.tokencode] = session
            if guest.phone and rng.random() < 0.5:
                session.mobile = guest.phone
                entry = MobileEntry(
                    # Typed a little after joining, but never in the future.
                    time=min(start + rng.uniform(5, 60), max(start, self.clock())),
                    country=guest.country,
                    phonenum=guest.phone,
                    verified=rng.random() < 0.7,
                    magic_code=rng.random() < 0.1,
                )
                add_sorted(hotspot.mobile, entry, _time)
        else:
            self.by_guest_token[guest.guest_token] = guest
            if rng.random() < 0.25:
                self._plan(guest, start)
        return session

    def _plan(self, guest: Guest, start: float) -> None:
        rng = self.rng
        name, length = rng.choice(PLANS)
        gateway = rng.choice(PAYMENTS)
        plan = Plan(
            guest=guest,
            name=name,
            start=start,
            expire=start + length,
            session_profile=rng.choice(("Standard", "Premium")),
            payment_gateway=gateway,
            transaction_id=f"{gateway[:2].upper()}-{rng.getrandbits(40):010X}",
        )
        add_sorted(self.plans, plan, _start)

    def _close(self, session: Session, at: float, rng: Random) -> None:
        reason = rng.choices([r for r, _ in REASONS], [w for _, w in REASONS])[0]
        self._end(session, at, reason)

    def _end(self, session: Session, at: float, reason: str) -> None:
        guest = session.guest
        session.close(max(at, session.start), reason)
        del self._open_sessions[guest.vendor, guest.mac]
        guest.last_end = session.end or at
        del session.hotspot.online[guest.mac]
        self.online[guest.vendor].remove(session)

    def _ads(self, window: tuple[float, float], span: float) -> None:
        """Online Wiwiz guests see injected ads; a few click (just after viewing)."""
        rng = self.rng
        events: list[tuple[Session, AdEvent]] = []
        for session in self._pick(self.online["wiwiz"], span, AD_VIEW_EVERY):
            ad_id, site = rng.choice(ADS)
            seen = self._moment(session.start, window)
            clicked = min(window[1], seen + rng.uniform(1, 20))
            kinds = ((1, seen), (2, clicked)) if rng.random() < 0.08 else ((1, seen),)
            guest = session.guest
            events.extend(
                (
                    session,
                    AdEvent(moment, ad_id, kind, guest.ad_user, guest.user_agent, site),
                )
                for kind, moment in kinds
            )
        for session, event in sorted(events, key=lambda pair: pair[1].time):
            add_sorted(session.hotspot.ads, event, _time)

    def _wan_changes(self, window: tuple[float, float], span: float) -> None:
        chance = 1 - math.exp(-span / WAN_CHANGE_EVERY)
        for hotspot in self.hotspots["wiwiz"].values():
            if self.rng.random() < chance:
                hotspot.wan_ip = self._public_ip(self.rng)
                hotspot.wan_updated = self._moment(window[0], window)

    def _prune(self, now: float) -> None:
        """Forget closed sessions and log lines older than any query can reach."""
        self._last_prune = now
        cutoff = now - KEEP
        for vendor, sessions in self.sessions.items():
            old = sessions[: bisect_left(sessions, cutoff, key=_start)]
            if not old:
                continue
            self.sessions[vendor] = [s for s in old if s.end is None] + sessions[
                len(old) :
            ]
            for session in old:
                if session.end is not None:
                    self.by_tokencode.pop(session.tokencode, None)
        for hotspot in self.all_hotspots():
            cut = bisect_left(hotspot.sessions, cutoff, key=_start)
            if cut:
                still_open = [s for s in hotspot.sessions[:cut] if s.end is None]
                hotspot.sessions = still_open + hotspot.sessions[cut:]
            del hotspot.mobile[: bisect_left(hotspot.mobile, cutoff, key=_time)]
            del hotspot.ads[: bisect_left(hotspot.ads, cutoff, key=_time)]
        self.plans = [p for p in self.plans if p.expire >= cutoff]

    # --- what the admin API and the vendors ask ------------------------------

    def all_hotspots(self) -> Iterator[Hotspot]:
        """Every hotspot of every vendor."""
        for hotspots in self.hotspots.values():
            yield from hotspots.values()

    def arrive(self, vendor: str, hotspot_id: str, mac: str | None = None) -> Session:
        """A guest connects now (a new device if the MAC is unknown).

        Raises KeyError for an unknown vendor or hotspot, ValueError for a bad MAC.
        """
        hotspot = self.hotspots[vendor][str(hotspot_id)]
        now = max(self.clock(), self.last_step)
        if mac is None:
            guest = self._offline_guest(vendor, now) or self._new_guest(vendor, None)
        else:
            canonical = normalize_mac(mac)
            guest = self.by_mac[vendor].get(canonical) or self._new_guest(
                vendor, canonical
            )
        if (open_session := self.session_of(guest)) is not None:
            self._end(open_session, now, "Lost Service")  # roaming: it is lost
        return self._open(guest, hotspot, max(now, guest.last_end))

    def _new_guest(self, vendor: str, mac: str | None) -> Guest:
        index = sum(len(p) for p in self.population.values())
        taken = {g.mac for p in self.by_mac.values() for g in p.values()}
        guest = make_guest(self.rng, index, vendor, taken)
        if mac is not None:
            guest.mac = mac
        self.population[vendor].append(guest)
        self.by_mac[vendor][guest.mac] = guest
        return guest

    def leave(self, vendor: str, mac: str, reason: str = "Idle Timeout") -> Session:
        """An online guest leaves now. Raises KeyError if they are not online."""
        guest = self.by_mac[vendor][normalize_mac(mac)]
        session = self.session_of(guest)
        if session is None:
            raise KeyError(mac)
        self._end(session, max(self.clock(), session.start), reason)
        return session

    def now(self) -> float:
        """The current moment, never before the last step."""
        return max(self.clock(), self.last_step)


def _start(item: Session | Plan) -> float:
    return item.start


def _time(item: MobileEntry | AdEvent) -> float:
    return item.time


def between[T](items: list[T], key: Callable[[T], float], low: float, high: float,
               *, high_inclusive: bool) -> list[T]:  # fmt: skip
    """Items whose key is in [low, high] or [low, high), by bisection."""
    first = bisect_left(items, low, key=key)
    bound = bisect_right if high_inclusive else bisect_left
    return items[first : bound(items, high, key=key)]
