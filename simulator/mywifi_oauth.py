"""My Wi-Fi Service's OAuth2 (3-legged): a sign-in page, then codes for tokens."""

from __future__ import annotations

import base64
import binascii
from html import escape
import json
from urllib.parse import unquote

from aiohttp import web
from yarl import URL

from . import MYWIFI_CLIENT_ID, MYWIFI_CLIENT_SECRET, MYWIFI_LOGIN, MYWIFI_PASSWORD
from .keys import WORLD

SCOPES = frozenset({"READ", "WRITE"})
_KEPT = ("client_id", "redirect_uri", "state", "scope", "response_type")
PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>My Wi-Fi Service - Sign in</title></head>
<body>
<h1>My Wi-Fi Service</h1>
<p>An application asks to access your account ({scope}).</p>
{error}
<form method="post" action="{action}">
{hidden}
<label>Login <input name="login" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button>
</form>
</body></html>
"""


def _page(status: int, text: str) -> web.Response:
    return web.Response(
        status=status, text=text, content_type="text/html", charset="utf-8"
    )


def _problem(fields: dict[str, str]) -> web.Response | None:
    """The error page for a request no sign-in can satisfy, or None."""
    if fields.get("client_id") != MYWIFI_CLIENT_ID:
        return _page(400, "<h1>Unknown client_id</h1>")
    if not fields.get("redirect_uri"):
        return _page(400, "<h1>redirect_uri is required</h1>")
    if fields.get("response_type", "code") != "code":
        return _page(400, "<h1>Only response_type=code is supported</h1>")
    if (
        not set(fields["scope"].upper().split()) <= SCOPES
        or not fields["scope"].strip()
    ):
        return _page(400, "<h1>scope must be READ, WRITE or READ WRITE</h1>")
    return None


def _form(
    request: web.Request, fields: dict[str, str], error: str = ""
) -> web.Response:
    hidden = "\n".join(
        f'<input type="hidden" name="{k}" value="{escape(fields[k])}">'
        for k in _KEPT
        if fields.get(k)
    )
    return _page(
        200,
        PAGE.format(
            scope=escape(fields["scope"]),
            error=f'<p class="error">{escape(error)}</p>' if error else "",
            action=escape(request.path),
            hidden=hidden,
        ),
    )


async def authorize(request: web.Request) -> web.Response:
    """GET shows the sign-in form; POST checks it and sends the code back."""
    fields = {k: v for k, v in request.query.items() if k in _KEPT}
    login = password = ""
    if request.method == "POST":
        form = await request.post()
        fields.update(
            {k: v for k, v in form.items() if k in _KEPT and isinstance(v, str)}
        )
        login, password = str(form.get("login", "")), str(form.get("password", ""))
    fields.setdefault("scope", "READ WRITE")
    if (problem := _problem(fields)) is not None:
        return problem
    if request.method != "POST":
        return _form(request, fields)
    if (login, password) != (MYWIFI_LOGIN, MYWIFI_PASSWORD):
        return _form(request, fields, "Invalid login or password.")
    code = request.app[WORLD].mywifi.issue_code(
        fields["client_id"],
        fields["redirect_uri"],
        " ".join(fields["scope"].upper().split()),
    )
    query = {"code": code}
    if fields.get("state"):
        query["state"] = fields["state"]
    target = URL(fields["redirect_uri"]).update_query(query)
    return web.Response(status=302, headers={"Location": str(target)})


def _client(request: web.Request, form: dict[str, str]) -> str | None:
    """The client id, if the client authenticated (HTTP Basic or form)."""
    scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            pair = base64.b64decode(encoded.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None
        client_id, _, secret = pair.partition(":")
        client_id, secret = unquote(client_id), unquote(secret)
    else:
        client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
    if (client_id, secret) != (MYWIFI_CLIENT_ID, MYWIFI_CLIENT_SECRET):
        return None
    return client_id


def _token_json(data: dict[str, object], status: int = 200) -> web.Response:
    headers = {"Cache-Control": "no-store", "Pragma": "no-cache"}
    if status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="OAuth"'
    return web.Response(
        text=json.dumps(data),
        status=status,
        content_type="application/json",
        headers=headers,
    )


async def token(request: web.Request) -> web.Response:
    """Exchange a code or a refresh token (form-encoded) for tokens."""
    posted = await request.post()
    form = {k: v for k, v in posted.items() if isinstance(v, str)}
    client_id = _client(request, form)
    if client_id is None:
        return _token_json({"error": "invalid_client"}, 401)
    store = request.app[WORLD].mywifi
    grant_type = form.get("grant_type", "")
    if grant_type == "authorization_code":
        if not form.get("code"):
            return _token_json({"error": "invalid_request"}, 400)
        tokens = store.exchange_code(form["code"], client_id, form.get("redirect_uri"))
    elif grant_type == "refresh_token":
        if not form.get("refresh_token"):
            return _token_json({"error": "invalid_request"}, 400)
        tokens = store.renew(form["refresh_token"], client_id)
    else:
        return _token_json({"error": "unsupported_grant_type"}, 400)
    if tokens is None:
        return _token_json({"error": "invalid_grant"}, 400)
    return _token_json(tokens)


def add_routes(app: web.Application) -> None:
    """Mount the sign-in page and the token endpoint."""
    for path in ("/OAuth/Authorize", "/oauth/authorize"):
        app.router.add_route("GET", path, authorize)
        app.router.add_route("POST", path, authorize)
    for path in ("/OAuth/Token", "/oauth/token"):
        app.router.add_route("POST", path, token)
