"""The admin API under `/_admin/`: look at the world, push it, break the vendors.

No authentication: `app.admin_guard` answers it on loopback only.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from aiohttp import web

from . import credentials, timefmt
from .faults import Fault
from .keys import FAULTS, WORLD
from .macs import vendor_mac
from .records import Session
from .world import World

ENDPOINTS = {
    "GET /_admin/state": "hotspots, online counts, credentials, faults",
    "POST /_admin/tick": "advance the world one step now",
    "POST /_admin/arrive": '{"vendor", "hotspot_id", "mac"?}: a guest connects now',
    "POST /_admin/leave": '{"vendor", "mac", "reason"?}: a guest leaves now',
    "GET /_admin/faults": "the active faults",
    "POST /_admin/faults": '{"vendor", "kind", "count"?, "status"?, "seconds"?, "retry_after"?}',
    "DELETE /_admin/faults": "clear every fault (or /_admin/faults/{id}: one)",
    "POST /_admin/mywifi/expire": "every My Wi-Fi access token expires now",
    "POST /_admin/mywifi/revoke": "every My Wi-Fi token, refresh tokens too, is revoked",
}


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


async def _payload(request: web.Request) -> dict[str, Any]:
    if not request.can_read_body:
        return {}
    try:
        data = await request.json()
    except ValueError:
        raise web.HTTPBadRequest(
            text='{"error": "body must be JSON"}', content_type="application/json"
        ) from None
    if not isinstance(data, dict):
        raise web.HTTPBadRequest(
            text='{"error": "body must be a JSON object"}',
            content_type="application/json",
        )
    return data


async def index(_request: web.Request) -> web.Response:
    """What the admin API offers."""
    return web.json_response(ENDPOINTS)


def summary(world: World) -> dict[str, Any]:
    """The world at a glance."""
    now = world.now()
    midnight = timefmt.local_midnight(now, world.tz)
    hotspots: dict[str, list[dict[str, Any]]] = {}
    for vendor, by_id in world.hotspots.items():
        hotspots[vendor] = []
        for hotspot in by_id.values():
            row: dict[str, Any] = {
                "id": int(hotspot.id) if vendor == "smartwifi" else hotspot.id,
                "name": hotspot.name,
                "online": len(hotspot.online),
                "sessions_today": len(hotspot.sessions)
                - bisect_left(hotspot.sessions, midnight, key=lambda s: s.start),
            }
            if vendor == "wiwiz":
                row["wan_ip"] = hotspot.wan_ip
                row["wan_updated"] = timefmt.wiwiz(hotspot.wan_updated, world.tz)
            hotspots[vendor].append(row)
    store = world.mywifi
    return {
        "now": timefmt.iso_utc(now),
        "local_time": timefmt.wiwiz(now, world.tz),
        "seed": world.seed,
        "ticks": world.ticks,
        "tick_seconds": world.tick_seconds,
        "guests": {v: len(p) for v, p in world.population.items()},
        "online": {v: len(o) for v, o in world.online.items()},
        "hotspots": hotspots,
        "mywifi": {
            "users": len(store.users),
            "valid_access_tokens": sum(1 for t in store.access if store.scope_of(t)),
            "refresh_tokens": len(store.refresh),
        },
        "credentials": credentials(),
    }


async def state(request: web.Request) -> web.Response:
    """The world at a glance, with the active faults."""
    data = summary(request.app[WORLD])
    data["faults"] = [f.as_dict() for f in request.app[FAULTS].active]
    return web.json_response(data)


async def tick(request: web.Request) -> web.Response:
    """One step of life, now."""
    return web.json_response(request.app[WORLD].tick())


def _session(session: Session) -> dict[str, Any]:
    guest = session.guest
    row: dict[str, Any] = {
        "vendor": guest.vendor,
        "hotspot_id": session.hotspot.id,
        "mac": vendor_mac(guest.mac, guest.vendor),
        "start": timefmt.iso_utc(session.start),
        "end": timefmt.iso_utc(session.end) if session.end is not None else None,
    }
    if guest.vendor == "wiwiz":
        row["tokencode"] = session.tokencode
    else:
        row["guest_token"] = guest.guest_token
        row["reason_for_termination"] = session.reason
    return row


async def arrive(request: web.Request) -> web.Response:
    """A guest (a given MAC, or anyone offline) connects to a hotspot now."""
    data = await _payload(request)
    vendor = data.get("vendor")
    world = request.app[WORLD]
    if vendor not in world.hotspots:
        return _error(400, "vendor must be wiwiz or smartwifi")
    mac = data.get("mac")
    if mac is not None and not isinstance(mac, str):
        return _error(400, "mac must be a string")
    hotspot_id = str(data.get("hotspot_id", ""))
    if hotspot_id not in world.hotspots[vendor]:
        return _error(404, f"no {vendor} hotspot {hotspot_id!r}")
    try:
        session = world.arrive(vendor, hotspot_id, mac)
    except ValueError as err:
        return _error(400, str(err))
    return web.json_response(_session(session))


async def leave(request: web.Request) -> web.Response:
    """An online guest leaves now."""
    data = await _payload(request)
    vendor, mac = data.get("vendor"), data.get("mac")
    world = request.app[WORLD]
    if vendor not in world.hotspots or not isinstance(mac, str):
        return _error(400, "vendor (wiwiz or smartwifi) and mac are required")
    reason = data.get("reason") or "Idle Timeout"
    try:
        session = world.leave(vendor, mac, str(reason))
    except ValueError as err:
        return _error(400, str(err))
    except KeyError:
        return _error(404, f"{mac} is not online at {vendor}")
    return web.json_response(_session(session))


async def list_faults(request: web.Request) -> web.Response:
    """The active faults, in the order they apply."""
    return web.json_response([f.as_dict() for f in request.app[FAULTS].active])


async def add_fault(request: web.Request) -> web.Response:
    """Activate one fault."""
    data = await _payload(request)
    unknown = set(data) - {
        "vendor",
        "kind",
        "count",
        "status",
        "seconds",
        "retry_after",
    }
    if unknown:
        return _error(400, f"unknown field(s): {', '.join(sorted(unknown))}")
    for key, kinds in (("count", int), ("status", int), ("seconds", int | float),
                       ("retry_after", int | float)):  # fmt: skip
        value = data.get(key)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, kinds)
        ):
            return _error(400, f"{key} must be a number")
    try:
        fault = Fault(
            vendor=str(data.get("vendor", "")).lower(),
            kind=str(data.get("kind", "")).lower(),
            count=data.get("count"),
            status=data.get("status"),
            seconds=data.get("seconds"),
            retry_after=data.get("retry_after"),
        )
    except ValueError as err:
        return _error(400, str(err))
    request.app[FAULTS].add(fault)
    return web.json_response(fault.as_dict(), status=201)


async def clear_faults(request: web.Request) -> web.Response:
    """Clear every fault."""
    return web.json_response({"cleared": request.app[FAULTS].clear()})


async def clear_fault(request: web.Request) -> web.Response:
    """Clear one fault by id."""
    faults = request.app[FAULTS]
    for fault in faults.active:
        if str(fault.id) == request.match_info["fault_id"]:
            faults.active.remove(fault)
            return web.json_response({"cleared": 1})
    return _error(404, "no such fault")


async def mywifi_expire(request: web.Request) -> web.Response:
    """Every access token expires now; refresh tokens still work."""
    return web.json_response({"expired": request.app[WORLD].mywifi.expire_access()})


async def mywifi_revoke(request: web.Request) -> web.Response:
    """Every token is revoked: the account must sign in again."""
    return web.json_response({"revoked": request.app[WORLD].mywifi.revoke()})


def add_routes(app: web.Application) -> None:
    """Mount the admin API."""
    app.router.add_get("/_admin", index)
    app.router.add_get("/_admin/", index)
    app.router.add_get("/_admin/state", state)
    app.router.add_post("/_admin/tick", tick)
    app.router.add_post("/_admin/arrive", arrive)
    app.router.add_post("/_admin/leave", leave)
    app.router.add_get("/_admin/faults", list_faults)
    app.router.add_post("/_admin/faults", add_fault)
    app.router.add_delete("/_admin/faults", clear_faults)
    app.router.add_delete("/_admin/faults/{fault_id}", clear_fault)
    app.router.add_post("/_admin/mywifi/expire", mywifi_expire)
    app.router.add_post("/_admin/mywifi/revoke", mywifi_revoke)
