"""SmartWiFiPlatform v2: JSON, the account's `api_token` in every query string.

Quirks kept here and nowhere else:
- two hosted environments (US-A, US-B) or a custom host;
- the token rides in the URL, so the transport never shows a query string;
- `/v2/client/connections` takes `from` (inclusive) and `to` (exclusive) and
  at most 30 days: longer ranges are split and merged;
- connection records name their hotspot, not its id;
- a connection record without `reason_for_termination` is still open: that
  is what "connected" means for this vendor;
- guest-plan times carry no offset and are read as UTC;
- guest plans look back at most 7 days.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any, Final

import aiohttp

from . import _normalize as norm
from ._http import MAX_BODY_BYTES, Transport, VendorClient
from .errors import InvalidRequestError, InvalidResponseError, VendorError


class Environment(StrEnum):
    """Where the account lives."""

    US_A = "us_a"
    US_B = "us_b"
    CUSTOM = "custom"


HOSTS: Final = {
    Environment.US_A: "api.smartwifiplatform.com",
    Environment.US_B: "api-usb.smartwifiplatform.com",
}
MAX_CONNECTIONS_RANGE: Final = timedelta(days=30)
MAX_PLANS_LOOKBACK: Final = timedelta(days=7)
# The most an answer may hold unpacked. Lists (a day of connections at 10k
# guests is ~6 MB, a connection record ~620 bytes) get the transport's cap.
# The guest list is the whole account, never paged, and a guest is ~1.3 KB
# of JSON (most of it null custom fields): twice the cap reads 25k guests.
# The rest (ping, a profile, the hotspots) are a few KB at most.
MAX_LIST_BYTES: Final = MAX_BODY_BYTES
MAX_GUESTS_BYTES: Final = 2 * MAX_BODY_BYTES
MAX_SMALL_BYTES: Final = 2**20
# The most records an answer may hold, counted as they are read: a byte cap
# alone lets an answer of empty records (`{},`, three bytes each) build
# millions of models. Each bound is what its cap holds of the smallest real
# records: a connection row of 512 bytes (500-650, the user agent most of
# it), a guest of 1 KiB, a guest plan of 256 bytes (ten short fields), a
# hotspot of 32 bytes (an id and a name).
MAX_CONNECTIONS: Final = MAX_LIST_BYTES // 512
MAX_GUESTS: Final = MAX_GUESTS_BYTES // 2**10
MAX_GUEST_PLANS: Final = MAX_LIST_BYTES // 256
MAX_HOTSPOTS: Final = MAX_SMALL_BYTES // 32
# An id longer than a database key column (VARCHAR(255)) is no id: it would
# become an entity's unique id and a device identifier.
MAX_ID_LENGTH: Final = 255


def base_url_for(environment: Environment | str, host: str | None = None) -> str:
    """The API root of an environment; a custom host may include its scheme."""
    environment = Environment(environment)
    if environment is not Environment.CUSTOM:
        return f"https://{HOSTS[environment]}/"
    host = (host or "").strip().rstrip("/")
    if not host:
        raise InvalidRequestError("A custom environment needs a host")
    return host + "/" if "://" in host else f"https://{host}/"


@dataclass(frozen=True, slots=True)
class SmartWifiHotspot:
    """A hotspot of the account."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class SmartWifiGuest:
    """A guest profile from the account's guest list."""

    id: str | None
    mac: str | None
    email: str | None
    first_name: str | None
    last_name: str | None
    mobile_phone: str | None
    birthdate: date | None
    country: str | None
    city: str | None
    unsubscribed: bool


@dataclass(frozen=True, slots=True)
class SmartWifiGuestProfile:
    """One guest's profile, looked up by guest token."""

    company: str | None
    first_name: str | None
    last_name: str | None
    email: str | None
    mobile_phone: str | None
    mac: str | None
    birthdate: date | None
    country: str | None
    city: str | None
    last_hotspot: str | None
    unsubscribed: bool


@dataclass(frozen=True, slots=True)
class SmartWifiGuestPlan:
    """A plan a guest bought or was given."""

    guest_token: str | None
    mac: str | None
    email: str | None
    plan_name: str | None
    started: datetime | None
    expires: datetime | None
    state: str | None
    session_profile: str | None
    payment_gateway: str | None
    transaction_id: str | None


# Not frozen: a report holds tens of thousands of rows, and a frozen class
# costs more to build than its whole JSON costs to read. Read-only by
# convention, hashed by its fields (pieces of a long range are merged).
@dataclass(slots=True, unsafe_hash=True)
class SmartWifiConnection:
    """A row of the Guest Connections report."""

    time: datetime | None
    hotspot_name: str | None
    mac: str | None
    identity: str | None
    guest_token: str | None
    email: str | None
    phone: str | None
    first_name: str | None
    last_name: str | None
    device: str | None
    user_agent: str | None
    downloaded: int
    uploaded: int
    online_time: timedelta | None
    termination_reason: str | None

    @property
    def is_open(self) -> bool:
        """Still connected: the gateway has not reported why the session ended."""
        return self.termination_reason is None


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _birthdate(value: Any) -> date | None:
    raw = norm.text(value)
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        return None  # the vendor's own placeholder ("yyyy-mm-dd") or worse


def _moment(value: datetime | date) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    return value.isoformat()


def _utc(value: datetime | date) -> datetime:
    """A range bound in UTC: a date is its midnight, a naive time is UTC.

    Cutting in UTC keeps every piece 30 real days long across a DST change,
    and a date may be mixed with a naive time without a TypeError.
    """
    if not isinstance(value, datetime):
        return datetime.combine(value, datetime.min.time(), UTC)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _relative(since: timedelta) -> str:
    seconds = int(since.total_seconds())
    if seconds % 86400 == 0:
        return f"{seconds // 86400}d"
    if seconds % 3600 == 0:
        return f"{seconds // 3600}h"
    return f"{-(-seconds // 60)}m"


class SmartWifiClient(VendorClient):
    """One SmartWiFiPlatform account, identified by its API token."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        api_token: str,
        *,
        base_url: str = base_url_for(Environment.US_A),
        timeout: float = 30,
    ) -> None:
        """Use the shared session against one environment."""
        self._token = api_token
        self._http = Transport(
            session, base_url, timeout=timeout, secrets=lambda: (self._token,)
        )

    def _query(self, params: Mapping[str, str | None]) -> dict[str, str]:
        """The token and every parameter given a value."""
        query = {"api_token": self._token}
        query.update({k: v for k, v in params.items() if v is not None})
        return query

    async def _get(self, path: str, **params: str | None) -> Any:
        return await self._http.get_json(
            path, params=self._query(params), max_bytes=MAX_SMALL_BYTES
        )

    async def _list[T](
        self,
        path: str,
        build: Callable[[dict[str, Any], norm.Memo], T],
        params: Mapping[str, str | None] | None = None,
        *,
        most: int,
        unique: Callable[[list[T]], list[T]] | None = None,
        max_bytes: int = MAX_LIST_BYTES,
        exact: bool = False,
    ) -> list[T]:
        """A JSON list of at most `most` records as models, built off the loop.

        Each distinct string of the answer is read once (`norm.Memo`).
        """
        read = norm.record_reader(build)

        def model(rec: Any) -> T:
            return read(norm.record(rec, path))

        def models(data: Any) -> list[T]:
            # A list was read element by element, each made a model by `model`.
            if not isinstance(data, list):
                raise InvalidResponseError(f"Expected a list of records from {path}")
            return data if unique is None else unique(data)

        return await self._http.get_models(
            path,
            models,
            params=self._query(params or {}),
            each=model,
            most=most,
            max_bytes=max_bytes,
            exact=exact,
        )

    async def ping(self) -> None:
        """Check the token; raise if the service does not say success."""
        data = await self._get("v2/zapier/client/ping")
        message = data.get("message") if isinstance(data, dict) else None
        if message != "success":
            shown = message if isinstance(message, str) and message else "no answer"
            # Cut while scrubbed: the message may be megabytes, and this runs
            # on the event loop.
            raise VendorError("ping", self._http.scrub(shown, 200))

    async def hotspots(self) -> list[SmartWifiHotspot]:
        """The account's hotspots (read exactly: their ids become identifiers)."""
        return await self._list(
            "v2/zapier/client/dropdown/hotspots",
            _hotspot,
            most=MAX_HOTSPOTS,
            max_bytes=MAX_SMALL_BYTES,
            exact=True,
        )

    async def guests(self, *, unsubscribed: bool | None = None) -> list[SmartWifiGuest]:
        """Every guest of the account, optionally only (un)subscribed ones."""
        return await self._list(
            "v2/zapier/client/guests",
            _guest,
            {
                "unsubscribed": None
                if unsubscribed is None
                else str(unsubscribed).lower()
            },
            most=MAX_GUESTS,
            max_bytes=MAX_GUESTS_BYTES,
        )

    async def guest(self, guest_token: str) -> SmartWifiGuestProfile:
        """One guest's profile by guest token."""
        data = await self._get("v2/guests/get", guest_token=guest_token)
        if not isinstance(data, dict):
            raise InvalidResponseError("SmartWiFi guest profile is not an object")
        profile = _object(data.get("profile"))
        client = _object(data.get("client"))
        last = _object(data.get("last_connection"))
        with norm.naming_fields(data, profile, client, last):
            return SmartWifiGuestProfile(
                company=norm.text(client.get("company")),
                first_name=norm.text(profile.get("firstname")),
                last_name=norm.text(profile.get("lastname")),
                email=norm.text(profile.get("email")),
                mobile_phone=norm.text(profile.get("mobilephone")),
                mac=norm.mac(profile.get("macaddress")),
                birthdate=_birthdate(profile.get("birthdate")),
                country=norm.text(profile.get("country")),
                city=norm.text(profile.get("city")),
                last_hotspot=norm.text(last.get("name")),
                unsubscribed=bool(norm.boolean(data.get("unsubscribed"))),
            )

    async def guest_plans(
        self,
        *,
        state: str | None = None,
        started_since: timedelta | datetime | None = None,
    ) -> list[SmartWifiGuestPlan]:
        """Guest plans, `active` (the vendor's default) or `expired`.

        `started_since` is how far back (a timedelta) or a moment; the vendor
        looks back at most 7 days, and a longer look is refused, not cut.
        """
        params: dict[str, str | None] = {"state": state}
        if isinstance(started_since, timedelta):
            if not timedelta(0) < started_since <= MAX_PLANS_LOOKBACK:
                raise InvalidRequestError("Guest plans look back at most 7 days")
            params["started_since_relative"] = _relative(started_since)
        elif isinstance(started_since, datetime):
            moment = started_since
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            if datetime.now(UTC) - moment > MAX_PLANS_LOOKBACK:
                raise InvalidRequestError("Guest plans look back at most 7 days")
            params["started_since_timestamp"] = moment.astimezone(UTC).strftime(
                "%Y-%m-%d %H:%M:%S"
            )
        return await self._list(
            "v2/client/guests-guest-plans", _guest_plan, params, most=MAX_GUEST_PLANS
        )

    async def connections(
        self,
        start: datetime | date,
        end: datetime | date,
        *,
        hotspot_id: str | None = None,
    ) -> list[SmartWifiConnection]:
        """Guest connections from `start` (inclusive) to `end` (exclusive).

        Ranges over 30 days are split and merged. With `hotspot_id` the vendor
        only answers for the last 12 hours. A session listed more than once is
        returned once.
        """

        async def fetch(a: datetime, b: datetime) -> list[SmartWifiConnection]:
            return await self._list(
                "v2/client/connections",
                _connection,
                {"from": _moment(a), "to": _moment(b), "hotspotid": hotspot_id},
                most=MAX_CONNECTIONS,
                unique=_sessions,
            )

        pieces = norm.split_range(_utc(start), _utc(end), MAX_CONNECTIONS_RANGE)
        return await norm.merge_pieces(pieces, fetch, unique=_sessions)


def _hotspot(rec: dict[str, Any], _memo: norm.Memo) -> SmartWifiHotspot:
    # Read one character past the bound: a longer id is refused, never cut.
    hotspot_id = norm.text(rec.get("id"), MAX_ID_LENGTH + 1)
    if hotspot_id is None:
        raise InvalidResponseError("A SmartWiFi hotspot has no id")
    if len(hotspot_id) > MAX_ID_LENGTH:
        raise InvalidResponseError(
            f"A SmartWiFi hotspot id is longer than {MAX_ID_LENGTH} characters"
        )
    # A name only labels: a long one is cut (by norm.text), not refused.
    return SmartWifiHotspot(hotspot_id, norm.text(rec.get("name")) or hotspot_id)


def _guest(rec: dict[str, Any], memo: norm.Memo) -> SmartWifiGuest:
    get, text = rec.get, norm.text
    guest = SmartWifiGuest(
        id=text(get("id")),
        mac=memo.mac(get("macaddress")),
        email=text(get("email")),
        first_name=memo.text(get("first_name")),
        last_name=memo.text(get("last_name")),
        mobile_phone=text(get("mobile_phone")),
        birthdate=_birthdate(get("birthdate")),
        country=memo.text(get("country")),
        city=memo.text(get("city")),
        unsubscribed=bool(norm.boolean(get("unsubscribed"))),
    )
    # Refused, not skipped: the account's guest count is the list's length.
    if guest.id is None and guest.mac is None:
        raise InvalidResponseError("A SmartWiFi guest has no id or MAC")
    return guest


def _guest_plan(rec: dict[str, Any], memo: norm.Memo) -> SmartWifiGuestPlan:
    plan = SmartWifiGuestPlan(
        guest_token=norm.text(rec.get("token")),
        mac=memo.mac(rec.get("macaddress")),
        email=norm.text(rec.get("email")),
        plan_name=memo.text(rec.get("guest_plan_name")),
        started=norm.timestamp(rec.get("guest_plan_start")),
        expires=norm.timestamp(rec.get("guest_plan_expire")),
        state=(norm.text(rec.get("guest_plan_state")) or "").lower() or None,
        session_profile=memo.text(rec.get("session_profile_name")),
        payment_gateway=memo.text(rec.get("payment_gateway")),
        transaction_id=norm.text(rec.get("gateway_transaction_id")),
    )
    # Refused, not skipped: the active plans are counted from the list.
    if plan.guest_token is None and plan.mac is None:
        raise InvalidResponseError("A SmartWiFi guest plan has no token or MAC")
    return plan


def _connection(rec: dict[str, Any], memo: norm.Memo) -> SmartWifiConnection:
    # The report's hot loop (a row per session of the day): names bound once,
    # what repeats from row to row (hotspot, device, MAC) looked up in the
    # memo's tables, fields given in order (a third faster than by name).
    get, text, shared = rec.get, norm.text, memo.texts
    conn = SmartWifiConnection(
        norm.timestamp(get("date")),  # time
        shared[get("hotspotname")],  # hotspot_name
        memo.macs[get("macaddress")],  # mac
        text(get("identity")),  # identity
        text(get("guesttoken")),  # guest_token
        text(get("email")),  # email
        text(get("phone")) or text(get("mobile")),  # phone
        text(get("firstname")),  # first_name
        text(get("lastname")),  # last_name
        shared[get("device")],  # device
        shared[get("useragent")],  # user_agent
        norm.byte_count(get("downloaded")),  # downloaded
        norm.byte_count(get("uploaded")),  # uploaded
        memo.durations[get("online_time")],  # online_time
        shared[get("reason_for_termination")],  # termination_reason
    )
    # Refused, not skipped: a row of nobody would still be in today's
    # traffic, and skipping it would make the totals untrue.
    if conn.mac is None and conn.identity is None and conn.guest_token is None:
        raise InvalidResponseError(
            "A SmartWiFi connection has no MAC, identity or guest token"
        )
    return conn


def session_of(conn: SmartWifiConnection) -> Hashable | None:
    """A session: a device (or guest) on a hotspot from a start time.

    The report has no session id; a device cannot start two sessions on one
    hotspot at the same moment.
    """
    who = conn.mac or conn.guest_token or conn.identity
    if who is None or conn.time is None:
        return None
    return (conn.hotspot_name, who, conn.time)


def _sessions(conns: list[SmartWifiConnection]) -> list[SmartWifiConnection]:
    """Each session once: a repeated row is one session, not two guests.

    Of two rows of one session the later state is kept: a closed one, else
    the one with more traffic (counters only grow).
    """
    return norm.one_per_session(
        conns,
        session_of,
        lambda c: (c.termination_reason is not None, c.downloaded + c.uploaded),
    )
