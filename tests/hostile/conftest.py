"""A hostile vendor: a real aiohttp server on loopback, answering as told.

The clients under test are the real ones, on a real `aiohttp.ClientSession`,
pointed at this server through their own base URL options: what is tested is
what aiohttp and our transport do with the bytes, not what a mock hands over.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
import tempfile
import zlib

import aiohttp
from aiohttp import web
from hypothesis.configuration import set_hypothesis_home_dir
import pytest

from tests.without_hass import auto_enable_custom_integrations, settle, time_zone  # noqa: F401 - replace the root autouse fixtures

# Hypothesis keeps caches in ./.hypothesis: not in the work tree.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "guest-wifi-hypothesis")

type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

# A user key and a token with characters that percent-encoding changes, so
# an echo in encoded form differs from the plain one.
KEY = "wiwiz-KEY/9+8 7&é=ok"
TOKEN = "swp-TOKEN:42/x+y z@v"


@dataclass
class Vendor:
    """The server's state: one handler per path, what was asked, what was sent."""

    url: str = ""
    handlers: dict[str, Handler] = field(default_factory=dict)
    asked: list[web.Request] = field(default_factory=list)
    sent: dict[str, int] = field(default_factory=dict)

    def answer(self, path: str, handler: Handler) -> None:
        """Answer every request for `path` (no query) with `handler`."""
        self.handlers[path] = handler


VENDOR = web.AppKey("vendor", Vendor)


async def _dispatch(request: web.Request) -> web.StreamResponse:
    vendor = request.app[VENDOR]
    vendor.asked.append(request)
    handler = vendor.handlers.get(request.path)
    if handler is None:
        return web.Response(status=599, text=f"no handler for {request.path}")
    return await handler(request)


@pytest.fixture
async def vendor(socket_enabled: None) -> AsyncIterator[Vendor]:
    """A vendor server on 127.0.0.1 (Home Assistant's plugin blocks sockets)."""
    state = Vendor()
    app = web.Application()
    app[VENDOR] = state
    app.router.add_route("*", "/{tail:.*}", _dispatch)
    runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    state.url = f"http://127.0.0.1:{port}"
    yield state
    await runner.cleanup()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """A real client session: aiohttp unpacks, buffers and times out as in use."""
    client_session = aiohttp.ClientSession()
    yield client_session
    await client_session.close()
    # Let the closed connections' transports finish before the loop stops.
    await asyncio.sleep(0)


def text(body: str | bytes, status: int = 200, **headers: str) -> Handler:
    """A handler that answers one body."""
    raw = body.encode() if isinstance(body, str) else body

    async def handler(request: web.Request) -> web.StreamResponse:
        return web.Response(status=status, body=raw, headers=headers)

    return handler


def streamed(
    head: bytes,
    filler: bytes,
    total: int,
    *,
    vendor: Vendor,
    gzipped: bool = False,
    status: int = 200,
) -> Handler:
    """A handler that streams `head`, then `filler` until `total` bytes.

    With `gzipped`, the bytes are gzip-compressed on the fly (Content-Encoding:
    gzip): `total` is then the size unpacked. `vendor.sent[path]` counts what
    went out before the client hung up.
    """

    async def handler(request: web.Request) -> web.StreamResponse:
        headers = {"Content-Type": "application/octet-stream"}
        if gzipped:
            headers["Content-Encoding"] = "gzip"
        resp = web.StreamResponse(status=status, headers=headers)
        await resp.prepare(request)
        packer = zlib.compressobj(9, zlib.DEFLATED, 31) if gzipped else None
        produced = 0
        vendor.sent[request.path] = 0
        try:
            for piece in (head, *(filler for _ in range(total // len(filler)))):
                produced += len(piece)
                out = packer.compress(piece) if packer else piece
                if out:
                    await resp.write(out)
                    vendor.sent[request.path] += len(out)
                if produced >= total:
                    break
            if packer:
                await resp.write(packer.flush())
            await resp.write_eof()
        except ConnectionError:
            pass  # the client stopped reading: what a capped client does
        return resp

    return handler


def gzip_bomb(unpacked: int) -> bytes:
    """`unpacked` zero bytes, gzip-compressed (about 1,000 to 1)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(2**20)
    out = [packer.compress(block) for _ in range(unpacked // len(block))]
    out.append(packer.flush())
    return b"".join(out)
