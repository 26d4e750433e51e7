"""My Wi-Fi Service REST API under `/v1/`: bearer token, JSON, ASP.NET-style errors.

Paths are matched case-insensitively, as the vendor's ASP.NET routing does:
clients write `RegisteredUsers` and `registeredusers` alike.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from .faults import Fault, retry_after
from .keys import WORLD
from .mywifi_store import GROUPS, RATE_PLANS, MyWifiStore, UserError

DEFAULT_PAGE_SIZE = 100
DENIED = "Authorization has been denied for this request."


def _json(data: Any, status: int = 200, **headers: str) -> web.Response:
    return web.Response(
        text=json.dumps(data),
        status=status,
        content_type="application/json",
        charset="utf-8",
        headers=headers,
    )


def _message(status: int, message: str) -> web.Response:
    return _json({"Message": message}, status=status)


def _bearer(request: web.Request) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


async def handle(request: web.Request) -> web.Response:
    """Authenticate, then route by lower-cased path and method."""
    store = request.app[WORLD].mywifi
    token = _bearer(request)
    scope = store.scope_of(token) if token else None
    if scope is None:
        return _json({"Message": DENIED}, 401, **{"WWW-Authenticate": "Bearer"})
    parts = [p for p in request.match_info["tail"].lower().split("/") if p]
    method = request.method
    if method != "GET" and "WRITE" not in scope.upper().split():
        return _message(403, "The token's scope does not allow changes.")
    if parts == ["registeredusers"]:
        if method == "GET":
            return _list(request, store)
        if method == "POST":
            return await _create(request, store)
    elif len(parts) == 2 and parts[0] == "registeredusers":
        return await _one(request, store, parts[1])
    elif parts in (["groups"], ["weeklyrateplans"]):
        if method == "GET":
            return _json(list(GROUPS if parts == ["groups"] else RATE_PLANS))
    else:
        return _message(
            404,
            f"No HTTP resource was found that matches the request URI '{request.path}'.",
        )
    return _message(
        405, f"The requested resource does not support http method '{method}'."
    )


def _list(request: web.Request, store: MyWifiStore) -> web.Response:
    try:
        index = int(request.query.get("PageIndex", "0"))
        size = int(request.query.get("PageSize", str(DEFAULT_PAGE_SIZE)))
    except ValueError:
        return _message(400, "The request is invalid.")
    if index < 0 or size < 1:
        return _message(400, "PageIndex must be 0 or more and PageSize 1 or more.")
    return _json(store.page(index, size))


async def _body(request: web.Request) -> Any:
    try:
        return await request.json()
    except ValueError:
        raise UserError("The request is invalid.") from None


async def _create(request: web.Request, store: MyWifiStore) -> web.Response:
    try:
        user = store.create(await _body(request))
    except UserError as err:
        return _message(400, str(err))
    location = f"{request.url.origin()}/v1/registeredusers/{user['RegisteredUserID']}"
    return _json(user, 201, Location=location)


async def _one(request: web.Request, store: MyWifiStore, raw_id: str) -> web.Response:
    try:
        user_id = int(raw_id)
    except ValueError:
        return _message(400, f"The value '{raw_id}' is not valid for RegisteredUserID.")
    if user_id not in store.users:
        return _message(404, f"No registered user has the id {user_id}.")
    if request.method == "GET":
        return _json(store.users[user_id])
    if request.method == "PUT":
        try:
            return _json(store.update(user_id, await _body(request)))
        except UserError as err:
            return _message(400, str(err))
    if request.method == "DELETE":
        del store.users[user_id]
        return web.Response(status=204)
    return _message(
        405, f"The requested resource does not support http method '{request.method}'."
    )


def handles(kind: str, request: web.Request) -> bool:
    """Whether My Wi-Fi shows a fault of `kind` on this request itself.

    Credentials are refused by the token endpoint and the API, never by the
    sign-in page: a `revoked` fault waits for one of those.
    """
    if kind == "revoked":
        return request.path.lower().startswith(("/oauth/token", "/v1/"))
    return kind in {"error", "rate_limit", "malformed"}


def fault_response(fault: Fault, request: web.Request) -> web.Response | None:
    """How My Wi-Fi shows a fault; None when the kind is not its to show here."""
    path = request.path.lower()
    if fault.kind == "revoked":
        if path.startswith("/oauth/token"):
            return _json({"error": "invalid_client"}, 401)
        if path.startswith("/v1/"):
            return _json({"Message": DENIED}, 401)
        return None  # the sign-in page itself still shows
    if fault.kind == "error":
        return _message(fault.status or 500, "An error has occurred.")
    if fault.kind == "rate_limit":
        return _json({"Message": "Too many requests."}, 429, **retry_after(fault))
    if fault.kind == "malformed":
        return web.Response(
            text='[{"RegisteredUserID":14646,"FirstName":"Mir',
            content_type="application/json",
        )
    return None


def add_routes(app: web.Application) -> None:
    """Mount the API under `/v1/`, any case."""
    app.router.add_route("*", r"/{v1:[vV]1}/{tail:.*}", handle)
