"""The simulator answering in the caller's process, without a socket.

For tests and benchmarks that fake HTTP (Home Assistant's client mock) and
move time themselves: a request goes straight to the simulator's handlers,
and the answer comes back as status, body and content type. Faults are the
caller's to make; the fault middleware is not in this path.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web
from aiohttp.test_utils import make_mocked_request
from yarl import URL


@dataclass(frozen=True, slots=True)
class Answer:
    """What the simulator answered."""

    status: int
    body: bytes
    content_type: str


async def answer(app: web.Application, method: str, url: URL | str) -> Answer:
    """Route one request through the app's router to its handler."""
    path = URL(url).path_qs
    probe = make_mocked_request(method, path, app=app)
    match = await app.router.resolve(probe)
    request = make_mocked_request(method, path, app=app, match_info=dict(match))
    response = await match.handler(request)
    if not isinstance(response, web.Response):
        raise TypeError(f"{path} answered a stream, not a body")
    body = response.body
    if not isinstance(body, bytes):
        raise TypeError(f"{path} answered a payload, not bytes")
    return Answer(response.status, body, response.content_type)
