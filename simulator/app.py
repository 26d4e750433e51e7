"""The one server: three vendors on one port, faults in front, an admin API beside."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import suppress
import ipaddress
import logging
from types import ModuleType

from aiohttp import web
from aiohttp.typedefs import Handler

from . import admin, mywifi, mywifi_oauth, smartwifi, wiwiz
from .faults import DEFAULT_HANG, DEFAULT_LATENCY, Faults
from .keys import FAULTS, WORLD
from .world import World

_LOGGER = logging.getLogger(__name__)
# Kinds the middleware applies itself, the same way for every vendor.
_GENERIC = frozenset({"latency", "timeout", "truncated"})


def vendor_of(path: str) -> tuple[str, ModuleType] | None:
    """Which vendor a path belongs to (and the module that speaks for it)."""
    lowered = path.lower()
    if lowered.startswith("/as/qapi/"):
        return "wiwiz", wiwiz
    if lowered.startswith("/v2/"):
        return "smartwifi", smartwifi
    if lowered.startswith(("/oauth/", "/v1/")):
        return "mywifi", mywifi
    return None


def _truncate(response: web.StreamResponse) -> web.StreamResponse:
    """The same answer, cut in half: a connection that dropped mid-body."""
    if not isinstance(response, web.Response) or not isinstance(response.body, bytes):
        return response
    headers = {
        k: v for k, v in response.headers.items() if k.lower() != "content-length"
    }
    body = response.body
    return web.Response(
        status=response.status, body=body[: len(body) // 2], headers=headers
    )


@web.middleware
async def fault_middleware(
    request: web.Request, handler: Handler
) -> web.StreamResponse:
    """Apply the faults that hit this request, or pass it through."""
    found = vendor_of(request.path)
    if found is None:
        return await handler(request)
    vendor, module = found
    hits = request.app[FAULTS].take(
        vendor, lambda kind: kind in _GENERIC or module.handles(kind, request)
    )
    for fault in hits:
        if fault.kind == "latency":
            await asyncio.sleep(
                DEFAULT_LATENCY if fault.seconds is None else fault.seconds
            )
    decisive = next((f for f in hits if f.kind != "latency"), None)
    if decisive is None:
        return await handler(request)
    if decisive.kind == "timeout":
        await request.app[FAULTS].hang(decisive.seconds or DEFAULT_HANG)
        return await handler(request)
    if decisive.kind == "truncated":
        try:
            return _truncate(await handler(request))
        except web.HTTPException as err:
            return err
    # Never None here: `take` only gave kinds the module said it handles.
    response: web.StreamResponse = module.fault_response(decisive, request)
    return response


@web.middleware
async def admin_guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """The admin API has no authentication: answer it on loopback only."""
    if request.path.startswith("/_admin"):
        try:
            loopback = ipaddress.ip_address(request.remote or "").is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            return web.json_response(
                {"error": "admin API is loopback only"}, status=403
            )
    return await handler(request)


async def _ticker(app: web.Application) -> AsyncIterator[None]:
    """Advance the world every `tick_seconds` while the server runs."""
    world = app[WORLD]

    async def run() -> None:
        while True:
            await asyncio.sleep(world.tick_seconds)
            try:
                world.tick()
            except Exception:  # a bad tick must not stop the world for good
                _LOGGER.exception("Tick failed")

    task = asyncio.create_task(run(), name="simulator-ticker")
    yield
    task.cancel()
    with suppress(asyncio.CancelledError):
        await task


async def _warm(app: web.Application) -> None:
    """Render the history's closed sessions before the first request wants them."""
    wiwiz.warm(app[WORLD])
    smartwifi.warm(app[WORLD])


def create_app(
    world: World, faults: Faults, *, ticking: bool = True
) -> web.Application:
    """The server's application.

    With `ticking` (and `world.tick_seconds` > 0) a background task advances
    the world; tests leave it off and use `POST /_admin/tick`.
    """
    app = web.Application(middlewares=[admin_guard, fault_middleware])
    app[WORLD] = world
    app[FAULTS] = faults
    wiwiz.add_routes(app)
    smartwifi.add_routes(app)
    mywifi_oauth.add_routes(app)
    mywifi.add_routes(app)
    admin.add_routes(app)
    app.on_startup.append(_warm)
    if ticking and world.tick_seconds > 0:
        app.cleanup_ctx.append(_ticker)
    # Hanging requests end at shutdown instead of holding it for minutes.
    app.on_shutdown.append(faults.release)
    return app
