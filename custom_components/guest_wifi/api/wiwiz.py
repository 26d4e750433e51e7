"""Wiwiz Query API: XML answers under `result/status` and `result/data`.

Quirks kept here and nowhere else:
- every answer is HTTP 200; success or failure is `result/status/code`;
- `<data>` with zero, one or many `<record>` must all read as a list;
- times have no offset: they are the wall-clock time of the account, read in
  the `time_zone` the client is given;
- `incoming` bytes are what reached the guest (download), `outgoing` what the
  guest sent (upload), as on the WifiDog gateways Wiwiz runs on;
- the document's URL for the ad log is a copy-paste of `hotspotip`; the real
  interface is `webadlog`;
- the ad log refuses more than 30 days: longer ranges are split and merged
  (connection log and phone numbers too, to be safe).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import IntEnum
from typing import Any, Final

import aiohttp

from . import _normalize as norm
from ._http import MAX_BODY_BYTES, Transport, VendorClient, parse_body
from ._xml import RecordStream, read_xml
from .errors import (
    InvalidDateError,
    InvalidHotspotError,
    InvalidKeyError,
    InvalidResponseError,
    NotFoundError,
    ProfessionalRequiredError,
    VendorError,
)

DEFAULT_BASE_URL: Final = "http://cp.wiwiz.com/as/qapi/"
# Not in the document, which gives only http:// (the user key then travels in
# clear text): whether it answers is found out per account, never assumed.
HTTPS_BASE_URL: Final = "https://cp.wiwiz.com/as/qapi/"
MAX_RANGE: Final = timedelta(days=30)
# The most a list answer may hold unpacked: a record is ~450 bytes of XML, so
# a big account's current sessions or day log at 10k+ guests is 3-5 MB.
MAX_LIST_BYTES: Final = MAX_BODY_BYTES
# One-record answers (conninfo, hotspotip) are under 1 KB.
MAX_ONE_BYTES: Final = 2**20
# The most records an answer may hold, counted as they are read: a byte cap
# alone lets an answer of near-empty records build millions of models. Each
# bound is what the list cap holds of the smallest real records: a session
# of 256 bytes (most are 350-450), a phone number or an ad event of 128.
MAX_CONNECTIONS: Final = MAX_LIST_BYTES // 256
MAX_MOBILE_NUMBERS: Final = MAX_LIST_BYTES // 128
MAX_AD_EVENTS: Final = MAX_LIST_BYTES // 128
# The most of a status message or code kept in an error.
_MAX_MESSAGE: Final = 200
_MAX_CODE: Final = 40
_TIME_FORMAT: Final = "%Y-%m-%d %H:%M:%S"

_STATUS_ERRORS: Final[dict[str, type[VendorError]]] = {
    "ERR001": InvalidKeyError,
    "ERR002": InvalidHotspotError,
    "ERR003": InvalidKeyError,
    "ERR004": ProfessionalRequiredError,
    "ERR005": InvalidHotspotError,
    "ERR006": InvalidDateError,
}


class AdEventType(IntEnum):
    """What a guest did with an injected ad."""

    VIEW = 1
    CLICK = 2


@dataclass(frozen=True, slots=True)
class WiwizConnection:
    """A guest's session: current (`conn`), one (`conninfo`) or logged (`connlog`)."""

    mac: str | None
    ip: str | None
    start_time: datetime | None
    end_time: datetime | None
    downloaded: int
    uploaded: int
    username: str | None
    user_type: int | None
    voucher: str | None
    mobile: str | None
    track_data: str | None
    tokencode: str | None


@dataclass(frozen=True, slots=True)
class WiwizMobileNumber:
    """A phone number a guest entered on the authentication page."""

    country: str | None
    phone_number: str | None
    time: datetime | None
    verified: bool | None
    magic_code_used: bool


@dataclass(frozen=True, slots=True)
class WiwizWanIp:
    """The hotspot's Internet address and when Wiwiz last saw it change."""

    ip: str | None
    updated_at: datetime | None


@dataclass(frozen=True, slots=True)
class WiwizAdEvent:
    """One view or click of an injected ad."""

    ad_id: str | None
    event_type: AdEventType | None
    user_id: str | None
    user_agent: str | None
    site: str | None
    time: datetime | None


def session_of(conn: WiwizConnection) -> Hashable | None:
    """The vendor's id for a session: its tokencode.

    Records without one (accounts older than tokencodes) are told apart by
    device and start: a device cannot start two sessions at once.
    """
    if conn.tokencode is not None:
        return conn.tokencode
    if conn.mac is not None and conn.start_time is not None:
        return (conn.mac, conn.start_time)
    return None


def _sessions(conns: list[WiwizConnection]) -> list[WiwizConnection]:
    """Each session once: a repeated record is one session, not two guests."""
    return norm.one_per_session(
        conns,
        session_of,
        lambda c: (c.end_time is not None, c.downloaded + c.uploaded),
    )


def _parse_xml(body: bytes) -> dict[str, Any]:
    """The whole answer as a tree: for answers of one record (or none)."""
    doc = read_xml(body, force_list=("record",))
    result = doc.get("result") if isinstance(doc, dict) else None
    if not isinstance(result, dict):
        raise InvalidResponseError("Wiwiz answer has no <result>")
    return result


class WiwizClient(VendorClient):
    """One Wiwiz account, identified by its user key."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        userkey: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 30,
        time_zone: tzinfo = UTC,
    ) -> None:
        """Use the shared session; `time_zone` is the account's wall clock."""
        self._userkey = userkey
        self._tz = time_zone
        self._http = Transport(
            session, base_url, timeout=timeout, secrets=lambda: (self._userkey,)
        )

    async def _fetch(
        self,
        interface: str,
        params: dict[str, str | None],
        max_bytes: int = MAX_LIST_BYTES,
    ) -> bytes:
        query = {"userkey": self._userkey}
        query.update({k: v for k, v in params.items() if v is not None})
        _, body = await self._http.request(
            "GET", f"{interface}/", params=query, max_bytes=max_bytes
        )
        return body

    def _data(self, interface: str, body: bytes) -> dict[str, Any] | None:
        """`result/data` of an answer, or the error its status code names."""
        result = _parse_xml(body)
        self._check(interface, result.get("status"))
        data = result.get("data")
        if data is None or isinstance(data, str):
            return None
        if not isinstance(data, dict):
            raise InvalidResponseError(f"Wiwiz {interface} <data> is malformed")
        return data

    def _check(self, interface: str, status: Any) -> None:
        """Raise the error an answer's `result/status` names, if not OK."""
        code = norm.text(status.get("code")) if isinstance(status, dict) else None
        if code is None:
            raise InvalidResponseError(f"Wiwiz {interface} answer has no status code")
        if code != "OK":
            # Scrubbed whole, then cut (a status message may be megabytes):
            # a cut through an echoed key would leave a piece the scrub
            # no longer finds.
            message = status.get("message")
            if isinstance(message, str):
                message = self._http.scrub(message, _MAX_MESSAGE)
            raise _STATUS_ERRORS.get(code, VendorError)(
                self._http.scrub(code, _MAX_CODE), norm.text(message) or ""
            )

    async def _query(
        self, interface: str, params: dict[str, str | None]
    ) -> dict[str, Any] | None:
        """Call one interface; return `result/data` or raise the status's error."""
        body = await self._fetch(interface, params, MAX_ONE_BYTES)
        return await parse_body(lambda raw: self._data(interface, raw), body)

    async def _records[T](
        self,
        interface: str,
        params: dict[str, str | None],
        build: Callable[[dict[str, Any], norm.Memo], T],
        *,
        most: int,
        unique: Callable[[list[T]], list[T]] | None = None,
        max_bytes: int = MAX_LIST_BYTES,
    ) -> list[T]:
        """Call one interface; its records as models (one per session: `unique`).

        Parsing and building run in one pass, in a worker thread: a hotspot
        log of thousands of guests stays off the event loop. More than `most`
        records is a ResponseTooLargeError.
        """
        body = await self._fetch(interface, params, max_bytes)
        return await parse_body(
            lambda raw: self._parse_records(interface, raw, build, unique, most=most),
            body,
        )

    def _parse_records[T](
        self,
        interface: str,
        body: bytes,
        build: Callable[[dict[str, Any], norm.Memo], T],
        unique: Callable[[list[T]], list[T]] | None = None,
        *,
        most: int,
    ) -> list[T]:
        """The records of an answer as models, or the error the answer means.

        Read as a stream (`RecordStream`): each record is a model as soon as
        it is read, and reading stops past `most` of them. Each distinct
        string of the answer is read once.
        """
        reader = norm.record_reader(build, self._tz)
        stream = RecordStream(interface, reader, most)
        stream.read(body)
        if stream.foreign_root:
            raise InvalidResponseError("Wiwiz answer has no <result>")
        # Twice <status> or <data>: read whole, each would be a list.
        self._check(interface, stream.status if stream.sections["status"] < 2 else None)
        if stream.sections["data"] > 1:
            raise InvalidResponseError(f"Wiwiz {interface} <data> is malformed")
        if stream.failure is not None:
            raise stream.failure
        return stream.models if unique is None else unique(stream.models)

    def _time(self, value: Any) -> datetime | None:
        return norm.timestamp(value, self._tz)

    def _format(self, moment: datetime) -> str:
        if moment.tzinfo is not None:
            moment = moment.astimezone(self._tz)
        return moment.strftime(_TIME_FORMAT)

    @staticmethod
    def _connection(rec: dict[str, Any], memo: norm.Memo) -> WiwizConnection:
        # The log's hot loop (a record per session): names bound once, MACs
        # looked up in the memo's table, fields given in order (a third
        # faster than by name).
        get, text, time, tz = rec.get, norm.text, norm.timestamp, memo.tz
        conn = WiwizConnection(
            memo.macs[get("mac")],  # mac
            text(get("ip")),  # ip
            time(get("start_time"), tz),  # start_time
            time(get("end_time"), tz),  # end_time
            norm.byte_count(get("incoming")),  # downloaded
            norm.byte_count(get("outgoing")),  # uploaded
            text(get("username")),  # username
            norm.code(get("usertype"), "Wiwiz usertype"),  # user_type
            text(get("voucher")),  # voucher
            text(get("mobile")),  # mobile
            text(get("userstring")),  # track_data
            text(get("tokencode")),  # tokencode
        )
        # Refused, not skipped: a session of nobody would still be in the
        # online count and today's traffic, which would then be untrue.
        if conn.mac is None and conn.tokencode is None:
            raise InvalidResponseError("A Wiwiz session has no MAC or tokencode")
        return conn

    def _pieces(
        self, start: datetime, end: datetime
    ) -> Iterable[tuple[datetime, datetime]]:
        """The range cut in 30-day pieces of the account's wall clock."""
        # Wiwiz reads date_from/date_to on the account's wall clock: cut there,
        # or a piece crossing a DST change is 30 days and an hour long for it.
        if start.tzinfo is not None:
            start = start.astimezone(self._tz)
        if end.tzinfo is not None:
            end = end.astimezone(self._tz)
        return norm.split_range(start, end, MAX_RANGE)

    async def _records_in_pieces[P, T](
        self,
        interface: str,
        params: dict[str, str | None],
        build: Callable[[dict[str, Any], norm.Memo], T],
        pieces: Iterable[tuple[P, P]],
        spell: Callable[[P], str],
        *,
        most: int,
        unique: Callable[[list[T]], list[T]] | None = None,
    ) -> list[T]:
        """A ranged interface's records, asked a piece at a time and merged.

        Each piece adds its bounds to `params` as `date_from`/`date_to`,
        written by `spell`; records a piece boundary brings twice are
        dropped by `unique`.
        """

        async def fetch(first: P, last: P) -> list[T]:
            piece = {**params, "date_from": spell(first), "date_to": spell(last)}
            return await self._records(
                interface, piece, build, most=most, unique=unique
            )

        return await norm.merge_pieces(pieces, fetch, unique=unique)

    async def current_connections(self, hotspot_id: str) -> list[WiwizConnection]:
        """Guests connected to a hotspot now, each session once."""
        return await self._records(
            "conn",
            {"hotspotid": hotspot_id},
            self._connection,
            most=MAX_CONNECTIONS,
            unique=_sessions,
        )

    async def connection(self, tokencode: str) -> WiwizConnection:
        """One connection by the token of its authentication."""
        found = await self._records(
            "conninfo",
            {"t": tokencode},
            self._connection,
            most=MAX_CONNECTIONS,
            max_bytes=MAX_ONE_BYTES,
        )
        if not found:
            raise NotFoundError("not_found", "No connection has this tokencode")
        return found[0]

    async def connection_log(
        self, hotspot_id: str, start: datetime, end: datetime
    ) -> list[WiwizConnection]:
        """Connections of a hotspot between two moments (any length), each once."""
        return await self._records_in_pieces(
            "connlog",
            {"hotspotid": hotspot_id},
            self._connection,
            self._pieces(start, end),
            self._format,
            most=MAX_CONNECTIONS,
            unique=_sessions,
        )

    async def mobile_numbers(
        self,
        hotspot_id: str,
        start: date,
        end: date,
        *,
        verified: bool | None = None,
    ) -> list[WiwizMobileNumber]:
        """Phone numbers entered from `start` to `end`, both days included."""
        return await self._records_in_pieces(
            "mobile",
            {
                "hotspotid": hotspot_id,
                "verified": None if verified is None else str(verified).lower(),
            },
            self._mobile_number,
            norm.split_days(start, end, MAX_RANGE.days),
            date.isoformat,
            most=MAX_MOBILE_NUMBERS,
        )

    @staticmethod
    def _mobile_number(rec: dict[str, Any], memo: norm.Memo) -> WiwizMobileNumber:
        number = WiwizMobileNumber(
            country=memo.text(rec.get("country")),
            phone_number=norm.text(rec.get("phonenum")),
            time=memo.timestamp(rec.get("time")),
            verified=norm.boolean(rec.get("verified")),
            magic_code_used=norm.text(rec.get("magic_code_flag")) == "1",
        )
        # Refused, not skipped: today's phone numbers are counted from the list.
        if number.phone_number is None:
            raise InvalidResponseError(
                "A Wiwiz phone number record has no phone number"
            )
        return number

    async def wan_ip(self, hotspot_id: str) -> WiwizWanIp:
        """The hotspot's Internet (WAN) address; a cheap call to check a hotspot id."""
        data = await self._query(
            "hotspotip", {"hotspotid": hotspot_id, "show_updatetime": "1"}
        )
        data = data or {}
        with norm.naming_fields(data):
            return WiwizWanIp(
                ip=norm.text(data.get("wan_ip")),
                updated_at=self._time(data.get("updatetime")),
            )

    async def ad_events(
        self,
        hotspot_id: str,
        start: datetime,
        end: datetime,
        *,
        ad_id: str | None = None,
        event_type: AdEventType | None = None,
    ) -> list[WiwizAdEvent]:
        """Views and clicks of injected ads between two moments (any length)."""
        return await self._records_in_pieces(
            "webadlog",
            {
                "hotspotid": hotspot_id,
                "ad_id": ad_id,
                "event_type": None if event_type is None else str(int(event_type)),
            },
            self._ad_event,
            self._pieces(start, end),
            self._format,
            most=MAX_AD_EVENTS,
        )

    @staticmethod
    def _ad_event(rec: dict[str, Any], memo: norm.Memo) -> WiwizAdEvent:
        kind = norm.code(rec.get("event_type"), "Wiwiz event_type")
        return WiwizAdEvent(
            ad_id=memo.text(rec.get("ad_id")),
            event_type=AdEventType(kind) if kind in (1, 2) else None,
            user_id=norm.text(rec.get("uuid")),
            user_agent=memo.text(rec.get("ua")),
            site=memo.text(rec.get("site")),
            time=memo.timestamp(rec.get("event_time")),
        )
