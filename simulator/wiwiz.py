"""Wiwiz Query API: `/as/qapi/<interface>/`, XML, always HTTP 200.

The outcome is `result/status/code`; checks run in the order the status
codes are numbered: userkey empty, hotspotid empty... except that a wrong
key (ERR003) is refused before a missing hotspot id is looked at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from xml.sax.saxutils import escape

from aiohttp import web

from . import WIWIZ_USERKEY, timefmt
from .faults import Fault, reason_phrase, retry_after
from .keys import WORLD
from .macs import vendor_mac
from .records import Hotspot, Session
from .world import World, between

MESSAGES = {
    "OK": "Query Completed",
    "ERR001": "Parameter 'userkey' is empty",
    "ERR002": "Parameter 'hotspotid' is empty",
    "ERR003": "Invalid userkey",
    "ERR004": "Need to upgrade to Professional Edition",
    "ERR005": "No permission or invalid hotspotid",
    "ERR006": "Invalid date",
}
MAX_AD_RANGE = timedelta(days=30)
_CONN_FIELDS = ("ip", "mac", "start_time", "end_time", "incoming", "outgoing",
                "username", "usertype", "voucher", "mobile", "userstring")  # fmt: skip
ERROR_PAGE = """<!DOCTYPE html>
<html><head><title>{status} {reason}</title></head>
<body><h1>{reason}</h1><p>The server encountered an error.<br>
<hr>Apache Tomcat/7.0.52</body></html>
"""  # unclosed tags on purpose: an HTML page is not the XML the client wants


class StatusError(Exception):
    """A request refused with a Wiwiz status code."""

    def __init__(self, code: str) -> None:
        """Keep the code."""
        super().__init__(code)
        self.code = code


def document(code: str, data: str = "") -> web.Response:
    """The whole XML answer with a status code and the inside of `<data>`."""
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<result><status>'
        f"<code>{code}</code><message>{escape(MESSAGES.get(code, code))}</message>"
        f"</status><data>{data}</data></result>\n"
    )
    return web.Response(text=body, content_type="text/xml", charset="UTF-8")


def _record(fields: Iterable[tuple[str, object]]) -> str:
    return (
        "<record>"
        + "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in fields)
        + "</record>"
    )


def _connection(world: World, session: Session, *, token: bool) -> str:
    """A `<record>` of conn/conninfo (with tokencode) or connlog (without)."""
    if not token and session.cache is not None:
        return session.cache
    now = world.now()
    guest = session.guest
    values = (
        session.ip,
        vendor_mac(guest.mac, "wiwiz"),
        timefmt.wiwiz(session.start, world.tz),
        timefmt.wiwiz(session.end, world.tz),
        session.downloaded(now),
        session.uploaded(now),
        guest.username or "",
        session.usertype,
        session.voucher,
        session.mobile,
        session.userstring,
    )
    fields = list(zip(_CONN_FIELDS, values, strict=True))
    if token:
        return _record([*fields, ("tokencode", session.tokencode)])
    text = _record(fields)
    if session.end is not None:  # a closed session never changes again
        session.cache = text
    return text


def warm(world: World) -> None:
    """Render every closed session once, so the first big log is not slow."""
    for session in world.sessions["wiwiz"]:
        if session.end is not None:
            _connection(world, session, token=False)


def _range(
    params: Mapping[str, str], world: World, *, day_only: bool = False
) -> tuple[datetime, datetime]:
    """date_from/date_to as wall-clock times; the default is now (today for days)."""
    now = timefmt.wall(world.now(), world.tz)
    bounds = []
    for name, end in (("date_from", False), ("date_to", True)):
        raw = params.get(name, "")
        if not raw.strip():
            today = now.replace(hour=0, minute=0, second=0, microsecond=0)
            default = now.replace(microsecond=0)
            if day_only:
                default = today.replace(hour=23, minute=59, second=59) if end else today
            bounds.append(default)
            continue
        try:
            bounds.append(timefmt.parse_wiwiz(raw, end=end, day_only=day_only))
        except ValueError:
            raise StatusError("ERR006") from None
    return bounds[0], bounds[1]


def _conn(world: World, hotspot: Hotspot, _params: Mapping[str, str]) -> str:
    sessions = sorted(hotspot.online.values(), key=lambda s: s.start)
    return "".join(_connection(world, s, token=True) for s in sessions)


def _logged[T](
    world: World,
    items: list[T],
    when: Callable[[T], float],
    low: datetime,
    high: datetime,
) -> list[T]:
    """What a log holds between two wall-clock times, both ends included."""
    return between(
        items,
        when,
        timefmt.wall_to_ts(low, world.tz),
        timefmt.wall_to_ts(high, world.tz) + 0.999999,  # the whole last second
        high_inclusive=True,
    )


def _connlog(world: World, hotspot: Hotspot, params: Mapping[str, str]) -> str:
    low, high = _range(params, world)
    sessions = _logged(world, hotspot.sessions, lambda s: s.start, low, high)
    return "".join(_connection(world, s, token=False) for s in sessions)


def _mobile(world: World, hotspot: Hotspot, params: Mapping[str, str]) -> str:
    low, high = _range(params, world, day_only=True)
    wanted = {"true": True, "false": False}.get(params.get("verified", "").lower())
    entries = _logged(world, hotspot.mobile, lambda e: e.time, low, high)
    return "".join(
        _record(
            (
                ("country", e.country),
                ("phonenum", e.phonenum),
                ("time", timefmt.wiwiz(e.time, world.tz)),
                ("verified", "true" if e.verified else "false"),
                ("magic_code_flag", "1" if e.magic_code else ""),
            )
        )
        for e in entries
        if wanted is None or e.verified is wanted
    )


def _hotspotip(world: World, hotspot: Hotspot, params: Mapping[str, str]) -> str:
    data = f"<wan_ip>{hotspot.wan_ip}</wan_ip>"
    if params.get("show_updatetime") == "1":
        data += (
            f"<updatetime>{timefmt.wiwiz(hotspot.wan_updated, world.tz)}</updatetime>"
        )
    return data


def _webadlog(world: World, hotspot: Hotspot, params: Mapping[str, str]) -> str:
    low, high = _range(params, world)
    # The limit is on the wall clock, as the account sees the dates it sent.
    if high - low > MAX_AD_RANGE:
        raise StatusError("ERR006")
    ad_id = params.get("ad_id", "").strip()
    kind = params.get("event_type", "").strip()
    events = _logged(world, hotspot.ads, lambda e: e.time, low, high)
    return "".join(
        _record(
            (
                ("ad_id", e.ad_id),
                ("event_type", e.event_type),
                ("uuid", e.uuid),
                ("ua", e.ua),
                ("site", e.site),
                ("event_time", timefmt.wiwiz(e.time, world.tz)),
            )
        )
        for e in events
        if (not ad_id or e.ad_id == ad_id) and (not kind or str(e.event_type) == kind)
    )


INTERFACES = {
    "conn": _conn,
    "connlog": _connlog,
    "mobile": _mobile,
    "hotspotip": _hotspotip,
    "webadlog": _webadlog,
}


async def handle(request: web.Request) -> web.Response:
    """Answer one interface, by GET query or POST form."""
    interface = request.match_info["interface"]
    if interface not in INTERFACES and interface != "conninfo":
        return web.Response(
            status=404,
            text=ERROR_PAGE.format(status=404, reason="Not Found"),
            content_type="text/html",
        )
    params = dict(request.query)
    if request.method == "POST":
        form = await request.post()
        params.update({k: v for k, v in form.items() if isinstance(v, str)})
    world = request.app[WORLD]
    try:
        return document("OK", _answer(world, interface, params))
    except StatusError as status:
        return document(status.code)


def _answer(world: World, interface: str, params: Mapping[str, str]) -> str:
    userkey = params.get("userkey", "").strip()
    if not userkey:
        raise StatusError("ERR001")
    if userkey != WIWIZ_USERKEY:
        raise StatusError("ERR003")
    if interface == "conninfo":
        session = world.by_tokencode.get(params.get("t", "").strip())
        return _connection(world, session, token=True) if session else ""
    hotspot_id = params.get("hotspotid", "").strip()
    if not hotspot_id:
        raise StatusError("ERR002")
    hotspot = world.hotspots["wiwiz"].get(hotspot_id)
    if hotspot is None:
        raise StatusError("ERR005")
    return INTERFACES[interface](world, hotspot, params)


def handles(kind: str, request: web.Request) -> bool:
    """Whether this vendor shows a fault of `kind` on this request itself."""
    return kind in {"revoked", "err004", "error", "rate_limit", "malformed"}


def fault_response(fault: Fault, request: web.Request) -> web.Response | None:
    """How Wiwiz shows a fault; None when the kind is not Wiwiz's to show."""
    if fault.kind == "revoked":
        return document("ERR003")
    if fault.kind == "err004":
        return document("ERR004")
    status = {"error": fault.status or 500, "rate_limit": 429, "malformed": 200}
    if fault.kind not in status:
        return None
    # An HTML page where the XML should be: Tomcat's, or a proxy's.
    code = status[fault.kind]
    return web.Response(
        status=code,
        text=ERROR_PAGE.format(status=code, reason=reason_phrase(code)),
        content_type="text/html",
        headers=retry_after(fault),
    )


def add_routes(app: web.Application) -> None:
    """Mount every interface, with or without the trailing slash."""
    for path in ("/as/qapi/{interface}/", "/as/qapi/{interface}"):
        app.router.add_route("GET", path, handle)
        app.router.add_route("POST", path, handle)
