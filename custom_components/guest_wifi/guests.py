"""Who is connected, who was seen when, and the events between two polls.

One object per entry listens to the connections coordinator, so ten thousand
trackers cost one diff per poll and one shared sweep, not a timer each.

A failed poll changes nobody: guests stay as last seen for `consider_home`.
Once the vendor has not answered for longer than that, nobody's presence is
known and every tracker is unavailable. The first poll that succeeds again
compares with the last one before the outage: guests who stayed are no news,
guests who left during it fire their `disconnected` (late, but their session
did end, and an automation that saw them connect needs it) and are away at
once if they left more than `consider_home` ago, and guests who came and are
still there fire `connected`.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
import re
from typing import TYPE_CHECKING, Any

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.util import dt as dt_util

from .const import (
    CONF_CONSIDER_HOME,
    CONF_EXPOSE_CONTACT_DETAILS,
    CONF_FORGET_AFTER_DAYS,
    DEFAULT_CONSIDER_HOME,
    DEFAULT_FORGET_AFTER_DAYS,
    EVENT_GUEST_CONNECTED,
    EVENT_GUEST_DISCONNECTED,
    SWEEP_INTERVAL,
)
from .guest_store import LAST_SEEN, GuestStore, Row
from .models import GuestSighting, HotspotConnections, OnlineGuest

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry

    from .coordinator import GuestWifiCoordinator

type SessionKey = tuple[str, str]  # (hotspot id, MAC)


# A vendor's "username" may be the e-mail address or phone number the guest
# signed in with: contact details, shown only when the owner exposes them.
_PHONE = re.compile(r"^\+?[\d\s().-]{6,}$")


def shown_username(username: str | None, *, expose_contact_details: bool) -> str | None:
    """The username, unless it is contact details the owner keeps out of view."""
    if (
        username
        and not expose_contact_details
        and ("@" in username or _PHONE.match(username))
    ):
        return None
    return username


@dataclass(frozen=True, slots=True)
class SeenGuest(GuestSighting):
    """The last we know of a guest MAC, and when: what a tracker shows."""

    last_seen: datetime

    def as_row(self) -> Row:
        """As the store keeps it: its fields in `guest_store.ROW_FIELDS` order."""
        return (
            self.hotspot_id,
            self.last_seen,
            self.ip,
            self.username,
            self.connected_since,
        )

    @classmethod
    def from_row(cls, row: Row) -> SeenGuest:
        """From the store."""
        hotspot_id, last_seen, ip, username, connected_since = row
        return cls(hotspot_id, ip, username, connected_since, last_seen)


class RememberedGuests(Mapping[str, SeenGuest]):
    """Every guest remembered, by MAC; each made from the store's row when asked for."""

    def __init__(self, store: GuestStore) -> None:
        """A view of what `store` holds."""
        self._store = store

    def __getitem__(self, mac: str) -> SeenGuest:
        """What is known of this guest."""
        if (row := self._store.get(mac)) is None:
            raise KeyError(mac)
        return SeenGuest.from_row(row)

    def __iter__(self) -> Iterator[str]:
        """The MACs remembered."""
        return iter(self._store)

    def __len__(self) -> int:
        """How many guests are remembered."""
        return len(self._store)


class GuestPresence:
    """Sessions, presence with `consider_home`, events, and what trackers show."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        connections: GuestWifiCoordinator[Mapping[str, HotspotConnections]],
    ) -> None:
        """Prepare; `async_start` loads what was known and takes the first poll."""
        self.hass = hass
        self.entry = entry
        self.connections = connections
        self.venue = connections.venue
        self._sessions: dict[SessionKey, OnlineGuest] = {}
        self._present: set[str] = set()
        # MACs gone from the vendor but still home until this moment.
        self._leaving: dict[str, datetime] = {}
        # The last successful poll before the current outage (None: no outage).
        self._outage_since: datetime | None = None
        # False while the vendor has been silent for longer than consider_home.
        self.presence_known = True
        # What the store holds, kept as guests change: the store asks for
        # its data on the event loop, and rebuilding a venue's tens of
        # thousands of guests at each save would hold the loop.
        self._store = GuestStore(hass, entry.entry_id, self._confirm)
        self.seen = RememberedGuests(self._store)
        self._trackers: dict[str, CALLBACK_TYPE] = {}
        self._arrival_listeners: list[Callable[[dict[str, datetime | None]], None]] = []
        self._event_listeners: dict[str, Callable[[str, dict[str, Any]], None]] = {}

    @property
    def consider_home(self) -> timedelta:
        """How long a guest stays home after the vendor last listed them."""
        return timedelta(
            seconds=self.entry.options.get(CONF_CONSIDER_HOME, DEFAULT_CONSIDER_HOME)
        )

    @property
    def forget_after(self) -> timedelta:
        """How long an unseen guest is kept before its tracker is removed."""
        return timedelta(
            days=self.entry.options.get(
                CONF_FORGET_AFTER_DAYS, DEFAULT_FORGET_AFTER_DAYS
            )
        )

    async def async_start(self) -> None:
        """Load known guests, take the current sessions as they are (no events)."""
        now = dt_util.utcnow()
        consider_home = self.consider_home

        def recall(mac: str, row: Row) -> None:
            if now - (last_seen := row[LAST_SEEN]) < consider_home:
                self._leaving[mac] = last_seen + consider_home

        await self._store.async_load(recall)
        self._sessions = self._current_sessions()
        self._remember(self._sessions.values(), now)
        self.entry.async_on_unload(self.connections.async_add_listener(self._on_poll))
        self.entry.async_on_unload(
            async_track_time_interval(self.hass, self._sweep, SWEEP_INTERVAL)
        )
        self.entry.async_on_unload(self._save_at_unload)

    def _save_at_unload(self) -> Coroutine[Any, Any, None]:
        """The last save, which the unload waits for.

        Deleting an entry unloads it, then removes its guest store: a save
        still under way then would write the guests back after the removal.
        """
        return self._store.async_save()

    def _confirm(self, rows: dict[str, Row]) -> None:
        """Present guests were last seen when the vendor last answered."""
        confirmed = self._outage_since or dt_util.utcnow()
        for mac in rows.keys() & self._present:
            rows[mac] = replace(
                SeenGuest.from_row(rows[mac]), last_seen=confirmed
            ).as_row()

    def _current_sessions(self) -> dict[SessionKey, OnlineGuest]:
        data = self.connections.data or {}
        return {
            (hotspot_id, mac): guest
            for hotspot_id, hotspot in data.items()
            for mac, guest in hotspot.guests.items()
        }

    def _remember(
        self, guests: Any, now: datetime, gone_since: datetime | None = None
    ) -> set[str]:
        """Note who is here now; return the MACs whose tracker must change.

        `gone_since`: when those no longer listed were last seen, if not now.
        """
        changed: set[str] = set()
        present: set[str] = set()
        for guest in guests:
            present.add(guest.mac)
            seen = SeenGuest(
                hotspot_id=guest.hotspot_id,
                last_seen=now,
                ip=guest.ip,
                username=guest.username,
                connected_since=guest.connected_since,
            )
            known = self.seen.get(guest.mac)
            # The usual case at a venue: nothing new but the time.
            if (
                known is None
                or replace(known, last_seen=now) != seen
                or guest.mac not in self._present
            ):
                changed.add(guest.mac)
            self._store.put(guest.mac, seen.as_row())
            self._leaving.pop(guest.mac, None)
        for mac in self._present - present:
            # Unchanged polls are not seen here (the coordinator skips them),
            # so a guest who leaves was last seen now, not at the last change.
            last_seen = gone_since or now
            self._store.put(mac, replace(self.seen[mac], last_seen=last_seen).as_row())
            if (until := last_seen + self.consider_home) > now:
                self._leaving[mac] = until
            else:
                changed.add(mac)
        self._present = present
        return changed

    def is_home(self, mac: str) -> bool:
        """Connected now, or gone for less than `consider_home`."""
        return mac in self._present or mac in self._leaving

    @callback
    def _on_poll(self) -> None:
        if not self.connections.last_update_success:
            # Keep the last good sessions: recovery must not fire events for
            # guests who stayed. Called once per outage, at its start.
            if self._outage_since is None:
                self._outage_since = (
                    self.connections.last_update_success_time or dt_util.utcnow()
                )
            return
        now = dt_util.utcnow()
        gone_since, self._outage_since = self._outage_since, None
        current = self._current_sessions()
        before = self._sessions
        for key in current.keys() - before.keys():
            self._fire(EVENT_GUEST_CONNECTED, current[key])
        for key in before.keys() - current.keys():
            self._fire(EVENT_GUEST_DISCONNECTED, before[key])
        self._sessions = current
        # Who came since the last poll, and when each was last seen before
        # (None: never): read before this poll overwrites it.
        arrivals = {
            g.mac: known.last_seen if (known := self.seen.get(g.mac)) else None
            for g in current.values()
            if g.mac not in self._present
        }
        changed = self._remember(current.values(), now, gone_since)
        if arrivals:
            for listener in self._arrival_listeners:
                listener(arrivals)
        if not self.presence_known:
            self.presence_known = True
            changed = set(self._trackers)
        self._notify(changed)
        self._store.async_delay_save()

    @callback
    def _sweep(self, now: datetime) -> None:
        """Write the trackers whose `consider_home` ran out: they are away now.

        Or, once the vendor has been silent for longer than `consider_home`,
        all of them: whether anyone is home is not known any more.
        """
        gone = [mac for mac, until in self._leaving.items() if until <= now]
        for mac in gone:
            del self._leaving[mac]
        if (
            self.presence_known
            and self._outage_since is not None
            and now - self._outage_since >= self.consider_home
        ):
            self.presence_known = False
            gone = list(self._trackers)
        self._notify(gone)

    def stale_macs(self) -> list[str]:
        """Guests not seen for longer than the user keeps them."""
        limit = dt_util.utcnow() - self.forget_after
        return [
            mac
            for mac, row in self._store.rows()
            if row[LAST_SEEN] < limit and mac not in self._present
        ]

    def _stale(self, macs: Iterable[str]) -> list[str]:
        limit = dt_util.utcnow() - self.forget_after
        return [
            mac
            for mac in macs
            if (row := self._store.get(mac)) is not None
            and row[LAST_SEEN] < limit
            and mac not in self._present
        ]

    def forget(self, macs: Iterable[str]) -> list[str]:
        """Drop these guests from what is remembered, if still stale; return those.

        A sweep forgets a step at a time: a guest seen again in between stays.
        """
        gone = self._stale(macs)
        for mac in gone:
            self._store.drop(mac)
            self._leaving.pop(mac, None)
        if gone:
            self._store.async_delay_save()
        return gone

    def _notify(self, macs: Any) -> None:
        for mac in macs:
            if (update := self._trackers.get(mac)) is not None:
                update()

    def _fire(self, event_type: str, guest: OnlineGuest) -> None:
        hotspot_name = self.venue.hotspot_names.get(guest.hotspot_id, guest.hotspot_id)
        expose = self.entry.options.get(CONF_EXPOSE_CONTACT_DETAILS, False)
        data: dict[str, Any] = {
            "entry_id": self.entry.entry_id,
            "vendor": self.venue.vendor,
            "hotspot_id": guest.hotspot_id,
            "hotspot_name": hotspot_name,
            "mac": guest.mac,
            "ip": guest.ip,
            "username": shown_username(guest.username, expose_contact_details=expose),
        }
        if expose:
            data["email"] = guest.email
            data["phone"] = guest.phone
        self.hass.bus.async_fire(event_type, data)
        if (listener := self._event_listeners.get(guest.hotspot_id)) is not None:
            kind = (
                "connected" if event_type == EVENT_GUEST_CONNECTED else "disconnected"
            )
            listener(kind, data)

    @callback
    def async_track(self, mac: str, update: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call `update` when this guest's tracker must be written."""
        self._trackers[mac] = update
        return lambda: self._trackers.pop(mac, None)  # type: ignore[return-value]

    @callback
    def async_on_arrivals(
        self, listener: Callable[[dict[str, datetime | None]], None]
    ) -> CALLBACK_TYPE:
        """Call `listener` with the guests who arrived at a poll.

        By MAC: when the guest was last seen before (None: never), so a
        listener tells new guests and returning ones apart without keeping a
        copy of who was seen when.
        """
        self._arrival_listeners.append(listener)
        return lambda: self._arrival_listeners.remove(listener)

    @callback
    def async_on_activity(
        self, hotspot_id: str, listener: Callable[[str, dict[str, Any]], None]
    ) -> CALLBACK_TYPE:
        """Call `listener` with each connection change on a hotspot."""
        self._event_listeners[hotspot_id] = listener
        return lambda: self._event_listeners.pop(hotspot_id, None)  # type: ignore[return-value]
