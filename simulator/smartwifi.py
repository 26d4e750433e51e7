"""SmartWiFiPlatform v2: JSON under `/v2/`, the `api_token` in every query string.

Bodies are valid JSON with the documented field names and types (the
vendor's document shows broken JSON; its service answers proper JSON).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
import json
from typing import Any

from aiohttp import web

from . import SMARTWIFI_TOKEN, timefmt
from .faults import Fault, retry_after
from .keys import WORLD
from .macs import vendor_mac
from .population import Guest
from .records import Plan, Session
from .world import World, between

MAX_RANGE = timedelta(days=30).total_seconds()
HOTSPOT_WINDOW = timedelta(hours=12).total_seconds()
MAX_PLANS_LOOKBACK = timedelta(days=7).total_seconds()
COMPANY = {"id": 53, "company": "Demo Hospitality"}

type Handler = Callable[[web.Request], Awaitable[web.Response]]


class RefusedError(Exception):
    """A request the vendor answers with an error status and a message."""

    def __init__(self, status: int, message: str) -> None:
        """Keep what to answer."""
        super().__init__(message)
        self.status = status
        self.message = message


def _json(data: Any, status: int = 200) -> web.Response:
    return web.Response(
        text=json.dumps(data), status=status, content_type="application/json"
    )


def _raw_list(parts: list[str]) -> web.Response:
    return web.Response(
        text="[" + ",".join(parts) + "]", content_type="application/json"
    )


def _connection(world: World, session: Session) -> str:
    """One row of the Guest Connections report, as JSON text."""
    if session.cache is not None:
        return session.cache
    guest = session.guest
    now = world.now()
    mac = vendor_mac(guest.mac, "smartwifi")
    row = {
        "date": timefmt.iso_utc(session.start),
        "email": guest.email,
        "phone": guest.phone if guest.email is None else None,
        "device": guest.device,
        "mobile": None,
        # How the guest signed in: e-mail, phone, or just clicked through.
        "identity": guest.email or guest.phone or mac,
        "lastname": guest.last_name,
        "uploaded": session.uploaded(now),
        "firstname": guest.first_name,
        "useragent": guest.user_agent,
        "downloaded": session.downloaded(now),
        "guesttoken": guest.guest_token,
        "macaddress": mac,
        "hotspotname": session.hotspot.name,
        "online_time": timefmt.duration((session.end or now) - session.start),
        "profileuser": None,
        "reason_for_termination": session.reason,
    }
    text = json.dumps(row)
    if session.end is not None:  # a closed session never changes again
        session.cache = text
    return text


def warm(world: World) -> None:
    """Render every closed session once, so the first big report is not slow."""
    for session in world.sessions["smartwifi"]:
        if session.end is not None:
            _connection(world, session)


def _moment(request: web.Request, name: str) -> float | None:
    raw = request.query.get(name, "")
    if not raw.strip():
        return None
    try:
        return timefmt.parse_smartwifi(raw)
    except ValueError:
        raise RefusedError(
            400, f"The {name} must be a date (yyyy-mm-dd or yyyy-mm-ddThh:mm:ss)."
        ) from None


async def connections(request: web.Request) -> web.Response:
    """`from` inclusive, `to` exclusive, on session start; 30 days at most."""
    world = request.app[WORLD]
    now = world.now()
    start, end = _moment(request, "from"), _moment(request, "to")
    if end is None:
        end = now + 1  # up to and including now
    if start is None:
        start = end - MAX_RANGE
    if end - start > MAX_RANGE:
        raise RefusedError(400, "The date range can not exceed 30 days.")
    sessions = between(
        world.sessions["smartwifi"], lambda s: s.start, start, end, high_inclusive=False
    )
    raw_ids = request.query.get("hotspotid", "").strip()
    if raw_ids:
        # With hotspotid the vendor only answers the last 12 hours.
        names = {
            world.hotspots["smartwifi"][i].name
            for i in (part.strip() for part in raw_ids.split(","))
            if i in world.hotspots["smartwifi"]
        }
        since = now - HOTSPOT_WINDOW
        sessions = [s for s in sessions if s.start >= since and s.hotspot.name in names]
    return _raw_list([_connection(world, s) for s in sessions])


async def hotspots(request: web.Request) -> web.Response:
    """The account's hotspots: integer ids and names."""
    return _json(
        [
            {"id": int(h.id), "name": h.name}
            for h in request.app[WORLD].hotspots["smartwifi"].values()
        ]
    )


async def ping(_request: web.Request) -> web.Response:
    """The token works."""
    return _json({"message": "success"})


def _guest_row(guest: Guest) -> dict[str, Any]:
    named = guest.first_name is not None
    row: dict[str, Any] = {
        "id": guest.smartwifi_id,
        "macaddress": vendor_mac(guest.mac, "smartwifi"),
        "email": guest.email or "",
        "profile_url": None,
        "display_name": f"{guest.first_name} {guest.last_name}" if named else None,
        "first_name": guest.first_name,
        "last_name": guest.last_name,
        "country": guest.country if named else "",
        "region": "",
        "city": guest.city if named else "",
        "address": "",
        "gender": "",
        "postal_code": "",
        "birthdate": guest.birthdate,
        "mobile_phone": guest.phone,
    }
    row.update({f"custom{i}": None for i in range(1, 11)})
    row["unsubscribed"] = guest.unsubscribed
    return row


async def guests(request: web.Request) -> web.Response:
    """Every guest the account has met, optionally by subscription."""
    raw = request.query.get("unsubscribed", "").strip().lower()
    if raw not in ("", "true", "false"):
        raise RefusedError(400, "The unsubscribed field must be true or false.")
    met = request.app[WORLD].seen["smartwifi"].values()
    return _json(
        [_guest_row(g) for g in met if not raw or g.unsubscribed is (raw == "true")]
    )


async def guest(request: web.Request) -> web.Response:
    """One guest profile by guest token."""
    token = request.query.get("guest_token", "").strip()
    if not token:
        raise RefusedError(400, "The guest token field is required.")
    found = request.app[WORLD].by_guest_token.get(token)
    if found is None:
        raise RefusedError(404, "Guest not found.")
    named = found.first_name is not None
    custom = {f"custom{i}": None for i in range(1, 11)}
    return _json({
        **custom,
        "client": COMPANY,
        "profile": {
            "firstname": found.first_name,
            "lastname": found.last_name,
            "email": found.email,
            "mobilephone": found.phone,
            "birthdate": found.birthdate,
            "macaddress": vendor_mac(found.mac, "smartwifi"),
            "gender": None,
            "country": found.country if named else None,
            "region": None,
            "city": found.city if named else None,
            "address": None,
            "postal_code": None,
        },
        "last_connection": {
            "name": found.last_hotspot,
            "nasidentifier": (found.last_hotspot or "").upper().replace(" ", "_") or None,
        },
        "unsubscribed": found.unsubscribed,
    })  # fmt: skip


def _plan_row(plan: Plan, now: float) -> dict[str, Any]:
    return {
        "token": plan.guest.guest_token,
        "macaddress": vendor_mac(plan.guest.mac, "smartwifi"),
        "email": plan.guest.email,
        "guest_plan_name": plan.name,
        "guest_plan_start": timefmt.utc_plain(plan.start),
        "guest_plan_expire": timefmt.utc_plain(plan.expire),
        "guest_plan_state": "Active" if plan.expire > now else "Expired",
        "session_profile_name": plan.session_profile,
        "payment_gateway": plan.payment_gateway,
        "gateway_transaction_id": plan.transaction_id,
    }


async def guest_plans(request: web.Request) -> web.Response:
    """Plans started since a moment (default 12 h, at most 7 days), by state."""
    world = request.app[WORLD]
    now = world.now()
    state = request.query.get("state", "active").strip().lower() or "active"
    if state not in ("active", "expired"):
        raise RefusedError(400, "The state must be active or expired.")
    stamp = request.query.get("started_since_timestamp", "").strip()
    relative = request.query.get("started_since_relative", "").strip()
    try:
        if stamp:
            since = timefmt.parse_smartwifi(stamp.replace(" ", "T", 1))
        else:
            since = now - timefmt.relative(relative or "12h").total_seconds()
    except ValueError:
        raise RefusedError(400, "The started_since value is not valid.") from None
    if now - since > MAX_PLANS_LOOKBACK:
        raise RefusedError(400, "Guest plans can be looked up at most 7 days back.")
    plans = between(world.plans, lambda p: p.start, since, now, high_inclusive=True)
    return _json([
        _plan_row(p, now) for p in plans if (p.expire > now) is (state == "active")
    ])  # fmt: skip


ROUTES: dict[str, Handler] = {
    "/v2/client/connections": connections,
    "/v2/client/guests-guest-plans": guest_plans,
    "/v2/zapier/client/dropdown/hotspots": hotspots,
    "/v2/zapier/client/guests": guests,
    "/v2/zapier/client/ping": ping,
    "/v2/guests/get": guest,
}


async def handle(request: web.Request) -> web.Response:
    """Check the token, then answer the endpoint (JSON errors, Laravel style)."""
    handler = ROUTES.get(request.path.rstrip("/"))
    if request.query.get("api_token") != SMARTWIFI_TOKEN:
        return _json({"message": "Unauthenticated."}, status=401)
    if handler is None:
        return _json({"message": "Not Found"}, status=404)
    if request.method != "GET":
        return _json({"message": "The method is not supported for this route."}, 405)
    try:
        return await handler(request)
    except RefusedError as refused:
        return _json({"message": refused.message}, status=refused.status)


def handles(kind: str, request: web.Request) -> bool:
    """Whether this vendor shows a fault of `kind` on this request itself."""
    return kind in {"revoked", "error", "rate_limit", "malformed"}


def fault_response(fault: Fault, request: web.Request) -> web.Response | None:
    """How SmartWiFi shows a fault; None when the kind is not its to show."""
    if fault.kind == "revoked":
        return _json({"message": "Unauthenticated."}, status=401)
    if fault.kind == "error":
        return _json({"message": "Server Error"}, status=fault.status or 500)
    if fault.kind == "rate_limit":
        response = _json({"message": "Too Many Attempts."}, status=429)
        response.headers.update(retry_after(fault))
        return response
    if fault.kind == "malformed":
        return web.Response(
            text='[{"date": "2024-05-01T10:00:00+00:00", "email": nul',
            content_type="application/json",
        )
    return None


def add_routes(app: web.Application) -> None:
    """Mount everything under `/v2/`."""
    app.router.add_route("*", "/v2/{tail:.*}", handle)
