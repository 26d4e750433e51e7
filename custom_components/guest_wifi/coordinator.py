"""The poll policy every data source shares; each vendor's sources are in coordinator_<vendor>.py."""

from __future__ import annotations

from abc import abstractmethod
import asyncio
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime, timedelta
import logging
import re
from typing import TYPE_CHECKING, Any, cast

from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.exceptions import ConfigEntryAuthFailed, HomeAssistantError
from homeassistant.helpers.update_coordinator import (
    TimestampDataUpdateCoordinator,
    UpdateFailed,
)
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from .api.errors import (
    MAX_RETRY_AFTER,
    AuthenticationError,
    GuestWifiError,
    ProfessionalRequiredError,
    RateLimitedError,
)
from .const import (
    CONF_VENDOR,
    DOMAIN,
    FIRST_RETRY,
    LOGGER,
    MAX_PARALLEL_REQUESTS,
    MAX_VENDOR_POLLS,
    POLL_DEADLINE_SHARE,
)
from .errors import poll_error, poll_rate_limited, poll_refused, poll_timeout
from .issues import async_professional_required
from .models import OnlineGuest
from .venue import Venue

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant


async def gather_bounded[T](
    calls: Iterable[Callable[[], Awaitable[T]]], limit: int = MAX_PARALLEL_REQUESTS
) -> list[T]:
    """Make calls in parallel, at most `limit` at once; the first failure ends all.

    A poll fails as a whole, so once one call fails the others are cancelled,
    and those not yet started never start: a vendor that is down fails every
    call, each after its own timeout, and waiting for them all would hold a
    poll of ten hotspots for minutes. None is left running.
    """
    semaphore = asyncio.Semaphore(limit)
    failed = False

    async def bounded(call: Callable[[], Awaitable[T]]) -> T | None:
        nonlocal failed
        async with semaphore:
            if failed:
                return None  # the poll has failed: do not start another call
            try:
                return await call()
            except Exception:
                failed = True
                raise

    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(bounded(call)) for call in calls]
    except ExceptionGroup as group_failed:
        failures = list(group_failed.exceptions)
    else:
        # No call failed, so every one was made and returned its answer.
        return cast("list[T]", [task.result() for task in tasks])
    # An auth failure matters most: it is what starts re-authentication.
    failures.sort(key=lambda err: not isinstance(err, AuthenticationError))
    raise failures[0]


# Until when a vendor asked an entry to wait (HTTP 429), by entry id. Kept in
# hass.data rather than runtime_data: it must outlive a failed set-up and a
# reload, or the set-up retry would ask again before the wait is over.
_WAIT_UNTIL: HassKey[dict[str, datetime]] = HassKey(f"{DOMAIN}_wait_until")


def rate_limit_wait(hass: HomeAssistant, entry_id: str) -> float:
    """Seconds the entry must still leave its vendor alone (0: none)."""
    until = hass.data.get(_WAIT_UNTIL, {}).get(entry_id)
    if until is None:
        return 0.0
    left = (until - dt_util.utcnow()).total_seconds()
    # Core schedules a poll on a whole second (up to one early): the poll
    # due when the wait ends must not find a fraction of it left and skip.
    if left <= 1:
        del hass.data[_WAIT_UNTIL][entry_id]
        return 0.0
    return left


def hold_off(hass: HomeAssistant, entry_id: str, seconds: float) -> float:
    """Leave the vendor alone this long (at most MAX_RETRY_AFTER); return it."""
    seconds = min(max(seconds, 0.0), MAX_RETRY_AFTER)
    waits = hass.data.setdefault(_WAIT_UNTIL, {})
    until = dt_util.utcnow() + timedelta(seconds=seconds)
    waits[entry_id] = max(until, waits.get(entry_id, until))
    return seconds


def forget_hold_off(hass: HomeAssistant, entry_id: str) -> None:
    """The entry is gone: nothing to wait for."""
    hass.data.get(_WAIT_UNTIL, {}).pop(entry_id, None)


# Turns to poll, one semaphore per vendor, shared by every entry of it.
_VENDOR_POLLS: HassKey[dict[str, asyncio.Semaphore]] = HassKey(f"{DOMAIN}_vendor_polls")


def vendor_turns(hass: HomeAssistant, vendor: str) -> asyncio.Semaphore:
    """At most MAX_VENDOR_POLLS polls of one vendor run at once."""
    turns = hass.data.setdefault(_VENDOR_POLLS, {})
    if vendor not in turns:
        turns[vendor] = asyncio.Semaphore(MAX_VENDOR_POLLS)
    return turns[vendor]


class GuestWifiCoordinator[DataT](TimestampDataUpdateCoordinator[DataT]):
    """Polls one vendor data source on its own interval.

    A subclass names its data source, its fixed interval, and the client it
    uses; it only says how to ask the vendor (`_fetch`).

    A poll ends before the next is due (its deadline), waiting for its turn
    included: polls of one vendor take turns across entries, so a chain of
    venues never sends its vendor a burst. A vendor's 429 holds
    every data source of the entry, and its set-up, for as long as it asked;
    core's `retry_after` schedules the next poll. Any other failure is asked
    again soon (`FIRST_RETRY`, backing off). Refused credentials stop every
    data source of the entry, not only the one refused (`_refuse_entry`).
    """

    config_entry: ConfigEntry
    client: Any
    source: str
    interval: timedelta
    # Whether listeners hear of a poll whose answer did not change.
    notify_unchanged: bool = False

    def __init__(
        self, hass: HomeAssistant, entry: ConfigEntry, client: Any, venue: Venue
    ) -> None:
        """Set up polling at the data source's interval, for `venue`."""
        self.client = client
        self.venue = venue
        venue.join(self)
        # A manual refresh may overlap a scheduled one: one poll at a time,
        # so a subclass that keeps state from poll to poll files in order.
        self._polling = asyncio.Lock()
        # Why the polls fail now, in words (None: they do not); see `_tell`.
        self.failure: str | None = None
        self._cause: str | None = None
        self._failed_in_a_row = 0
        # Another data source of the entry had the credentials refused.
        self._refused = False
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{entry.title} {self.source}",
            update_interval=self.interval,
            # Entities write state only when the vendor's answer changed.
            always_update=self.notify_unchanged,
        )

    @property
    def hotspot_ids(self) -> list[str]:
        """The hotspots of the entry."""
        return list(self.venue.hotspots)

    @abstractmethod
    async def _fetch(self) -> DataT:
        """Ask the vendor."""

    async def _async_refresh(
        self,
        log_failures: bool = True,
        raise_on_auth_failed: bool = False,
        scheduled: bool = False,
        raise_on_entry_error: bool = False,
    ) -> None:
        """Core's refresh; its failures are logged by `_tell`, not by core.

        Core logs the first failure of a run at ERROR (a vendor's "slow down"
        included) and says nothing when the cause changes while it fails.
        """
        await super()._async_refresh(
            log_failures=False,
            raise_on_auth_failed=raise_on_auth_failed,
            scheduled=scheduled,
            raise_on_entry_error=raise_on_entry_error,
        )

    async def _async_update_data(self) -> DataT:
        try:
            if self._refused:
                raise poll_refused()  # without asking: the vendor said no
            data = await self._poll()
            if self._refused:
                raise poll_refused()  # refused while this poll ran
        except ConfigEntryAuthFailed as failure:
            self._tell(failure)
            self._refuse_entry(failure)
            raise
        except UpdateFailed as failure:
            self._tell(failure)
            raise
        self._failed_in_a_row = 0
        self._cause = self.failure = None
        return data

    async def _poll(self) -> DataT:
        """Ask the vendor; fail in Home Assistant's words."""
        entry_id = self.config_entry.entry_id
        interval = self.interval.total_seconds()
        if wait := rate_limit_wait(self.hass, entry_id):
            raise self._rate_limited(wait, interval)
        deadline = interval * POLL_DEADLINE_SHARE
        try:
            async with (
                asyncio.timeout(deadline),
                self._polling,
                vendor_turns(self.hass, self.config_entry.data[CONF_VENDOR]),
            ):
                data = await self._fetch()
        except TimeoutError as err:
            raise self._retry_soon(poll_timeout(deadline)) from err
        except RateLimitedError as err:
            # No delay given: skip a poll.
            asked = interval * 2 if err.retry_after is None else err.retry_after
            raise self._rate_limited(
                hold_off(self.hass, entry_id, asked), interval
            ) from err
        except ProfessionalRequiredError as err:
            # The owner must upgrade: asked again at the interval, not soon.
            self._professional_issue(create=True)
            raise poll_error(err, self.config_entry) from err
        except GuestWifiError as err:
            raise self._retry_soon(poll_error(err, self.config_entry)) from err
        self._professional_issue(create=False)
        return data

    @staticmethod
    def _rate_limited(wait: float, interval: float) -> UpdateFailed:
        """Ask again once the wait is over, and never sooner than the interval."""
        return poll_rate_limited(max(wait, interval))

    def _retry_soon[E: HomeAssistantError](self, failure: E) -> E:
        """A failed poll is asked again soon, later after each failure in a row.

        Core waits `retry_after` instead of the interval. Not at set-up: from
        2026.11 core would retry set-up after it, every 10 s (a new entry
        starts counting again), instead of backing off to 10 minutes.
        """
        if isinstance(failure, UpdateFailed) and not self._setting_up:
            self._failed_in_a_row += 1
            doubled = min(self._failed_in_a_row - 1, 16)  # bounded: no overflow
            failure.retry_after = min(
                FIRST_RETRY.total_seconds() * 2**doubled, self.interval.total_seconds()
            )
        return failure

    @property
    def _setting_up(self) -> bool:
        """Whether this poll is the first, made while the entry is set up."""
        return self.config_entry.state is ConfigEntryState.SETUP_IN_PROGRESS

    def _tell(self, failure: HomeAssistantError) -> None:
        """Log why the poll failed, once each time that changes; repeats at DEBUG.

        A rate limit is the vendor's way of working, said at INFO; refused
        credentials and a Professional edition need the owner, an ERROR; an
        outage or a bad answer, retried by itself, a WARNING. Core logs
        "Fetching ... recovered" at INFO when polls work again. At set-up,
        core says why the entry is not ready; this says it at DEBUG only.

        Settings > System > Logs shows one line per logger and place, with
        its first text and latest time: each kind of cause logs under its own
        logger, so the newest line there is the cause now.
        """
        kind = _kind(failure)
        text = str(failure)
        # Each 429 names its own wait: the cause is the rate limit itself.
        cause = kind if failure.translation_key == "rate_limited" else text
        repeated = cause == self._cause
        self._cause, self.failure = cause, text
        if repeated or self._setting_up:
            level = logging.DEBUG
        elif failure.translation_key == "rate_limited":
            level = logging.INFO
        elif isinstance(failure, ConfigEntryAuthFailed) or (
            failure.translation_key == "professional_required"
        ):
            level = logging.ERROR
        else:
            level = logging.WARNING
        LOGGER.getChild(kind).log(level, "%s: %s", self.name, text)

    def _refuse_entry(self, failure: ConfigEntryAuthFailed) -> None:
        """The vendor refused the credentials: every data source stops, now.

        Core stops polling the data source refused, and starts
        re-authentication; the others would go on showing live values next to
        its Unavailable ones until each was refused in turn. They fail now,
        and their next poll fails without asking the vendor (which stops
        them too). Re-authenticating reloads the entry, and all start again.
        """
        self._refused = True
        self.venue.refuse(failure, by=self)

    def stop_refused(self, failure: ConfigEntryAuthFailed) -> None:
        """Another data source of the entry had the credentials refused."""
        if self._refused:
            return
        self._refused = True
        self._cause = self.failure = str(failure)
        self.last_exception = failure
        if self.last_update_success:
            self.last_update_success = False
            self.async_update_listeners()

    def _professional_issue(self, *, create: bool) -> None:
        async_professional_required(self.hass, self.config_entry, raised=create)


def _kind(failure: HomeAssistantError) -> str:
    """The kind of a poll's failure, as a logger name: `cannot_connect`, `timeout`."""
    cause = failure.__cause__
    if isinstance(cause, GuestWifiError | TimeoutError):
        name = type(cause).__name__.removesuffix("Error")
        return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
    return failure.translation_key or "update_failed"


def latest_per_mac(guests: Iterable[OnlineGuest]) -> dict[str, OnlineGuest]:
    """One guest per MAC: the most recent session wins."""
    now = dt_util.utcnow()  # a session without a start counts as the newest
    by_mac: dict[str, OnlineGuest] = {}
    for guest in guests:
        known = by_mac.get(guest.mac)
        if known is None or (guest.connected_since or now) > (
            known.connected_since or now
        ):
            by_mac[guest.mac] = guest
    return by_mac


# --- Wiwiz ---------------------------------------------------------------
