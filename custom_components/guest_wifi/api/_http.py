"""The transport every vendor client shares: one request, errors mapped once."""

from __future__ import annotations

import asyncio
from base64 import b64encode, urlsafe_b64encode
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
import json
import logging
import math
import re
from typing import Any, Final
import zlib

import aiohttp

from ._json import decode_json
from .errors import (
    MAX_RETRY_AFTER,
    AuthenticationError,
    CannotConnectError,
    InvalidResponseError,
    NotFoundError,
    RateLimitedError,
    ResponseTooLargeError,
    VendorError,
    bounded,
)

_LOGGER = logging.getLogger(__package__)

REDACTED = "**REDACTED**"
# The most an answer may hold once unpacked (gzip included), unless a call
# says its own: a vendor's list for a big account (Wiwiz current sessions or
# day log at 10k+ guests: 3-5 MB of XML; SmartWiFi's day of connections at
# 10k guests: ~6 MB of JSON) with room to spare. Parsed, 16 MiB is ~50-70 MB
# of Python objects: past it, a poll would cost the host more than a sensor
# is worth. Clients set tighter caps for answers that hold one record. Within
# the cap, clients bound the records (see their MAX_* counts) and each record's
# shape: `_json.MAX_RECORD_FIELDS`, `_xml.MAX_RECORD_ELEMENTS`.
MAX_BODY_BYTES: Final = 16 * 2**20
# Of an error answer only the start is read: the vendor's message is in it.
ERROR_BODY_BYTES: Final = 4 * 2**10
# Read the body in pieces: the cap is checked between them.
_CHUNK: Final = 64 * 2**10
# A plain body hands the event loop a turn after this many bytes (see _read).
_YIELD_EVERY: Final = 2**20
# Bodies this large are joined in a worker thread (see _joined).
_JOIN_IN_WORKER: Final = 2**20
_MAX_MESSAGE = 200


@lru_cache(maxsize=32)
def _secret_pattern(secret: str) -> tuple[re.Pattern[str], int]:
    """The secret in every spelling a vendor may echo it in; its longest length.

    As written; percent-encoded in either case, wholly or in part, with `+`
    for a space (what quote and quote_plus write); in base64 (standard or
    URL-safe, padding or not).
    """
    chars = []
    for char in secret:
        forms = [
            re.escape(char),
            "(?i:" + "".join(f"%{b:02x}" for b in char.encode()) + ")",
        ]
        if char == " ":
            forms.append(r"\+")
        chars.append("(?:" + "|".join(forms) + ")")
    raw = secret.encode()
    encoded = {
        text.decode().rstrip("=") for text in (b64encode(raw), urlsafe_b64encode(raw))
    }
    pattern = "|".join(
        ["".join(chars), *(re.escape(text) + "={0,2}" for text in encoded)]
    )
    return re.compile(pattern), 3 * len(raw) + 4


def scrub(text: str, secrets: Iterable[str | None], limit: int | None = None) -> str:
    """Replace every secret in a text the vendor sent back (some echo the key).

    With `limit`, the text is also cut to that length, after the secrets are
    replaced (a cut through an echoed secret would leave a piece that no
    longer matches) yet without scanning past the cut: a vendor text may be
    megabytes.
    """
    patterns = [_secret_pattern(secret) for secret in secrets if secret]
    end = len(text) if limit is None else limit
    # Every match that starts before the cut lies whole in this window.
    window = text[: end + max((reach for _, reach in patterns), default=0)]
    spans = sorted(
        match.span()
        for pattern, _ in patterns
        for match in pattern.finditer(window)
        if match.start() < end and match.end() > match.start()
    )
    pieces: list[str] = []
    cursor = 0
    for start, stop in spans:
        if stop <= cursor:
            continue  # inside a secret already replaced
        if start >= cursor:
            pieces.extend([window[cursor:start], REDACTED])
        cursor = stop
    pieces.append(window[cursor:end])
    shown = "".join(pieces)
    return shown if limit is None else shown[:limit]


def _guarded[T](parse: Callable[[bytes], T], body: bytes) -> T:
    try:
        return parse(body)
    except RecursionError:
        pass
    # Raised outside the handler: nothing of the body stays reachable.
    raise InvalidResponseError("Answer nested too deeply")


async def parse_body[T](parse: Callable[[bytes], T], body: bytes) -> T:
    """Parse a body in a worker thread, whatever its size.

    No body is parsed on the event loop: a 450-byte answer holding
    `1e1000000` once blocked it for 25 s. Nesting too deep to parse is an
    invalid answer like any other.
    """
    return await asyncio.get_running_loop().run_in_executor(None, _guarded, parse, body)


def _retry_after(value: str | None) -> float | None:
    """Read Retry-After as seconds or as an HTTP date, at most MAX_RETRY_AFTER.

    Never raises: the header is vendor text, and no value of it may fail a poll.
    Only ASCII is read: float() and the date parser also take other scripts'
    digits (`١٢٣`) and underscores (`1_000`), which no server writes.
    """
    if not value or not value.isascii() or "_" in value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        # "inf" and "nan" parse as floats but are no delay anyone can wait.
        return (
            min(max(0.0, seconds), MAX_RETRY_AFTER) if math.isfinite(seconds) else None
        )
    try:
        when = parsedate_to_datetime(value)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    except Exception:  # noqa: BLE001 - email.utils raises more than it documents
        return None
    return min(max(0.0, seconds), MAX_RETRY_AFTER)


def _vendor_message(body: bytes, secrets: Iterable[str | None]) -> str:
    """The human part of an error body: a JSON message if there is one.

    Secrets are scrubbed before the text is cut: a cut through an echoed
    secret would leave a piece of it that no longer matches.
    """
    secrets = tuple(secrets)
    text = body.decode("utf-8", "replace").strip()
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        data = None
    if isinstance(data, dict):
        for key in ("message", "Message", "error_description", "error", "detail"):
            if isinstance(data.get(key), str) and data[key]:
                return scrub(data[key], secrets, _MAX_MESSAGE)
    if text.startswith("<"):
        return ""  # an HTML error page says nothing we can show
    return scrub(text, secrets, _MAX_MESSAGE)


class _Unpacker:
    """gzip or deflate, unpacked by us in small steps rather than by aiohttp.

    aiohttp unpacks inside its protocol callback: on aiohttp 3.13 the first
    128 KB of a gzip bomb became 32 MiB in one 170 ms step of the event loop.
    Here no step yields more than `_CHUNK` bytes, and the reader hands the
    loop back between steps.
    """

    _MAX_MEMBERS = 64  # a gzip body may be several members; not thousands

    def __init__(self, encoding: str) -> None:
        self._encoding = encoding
        self._zlib: Any = None
        self._members = 0

    def _start(self, data: bytes) -> None:
        self._members += 1
        if self._members > self._MAX_MEMBERS:
            raise InvalidResponseError("Answer packed in too many gzip members")
        if self._encoding == "deflate":
            # RFC 9110's deflate is zlib-wrapped; some servers send it raw.
            wbits = zlib.MAX_WBITS if data[0] & 0x0F == 8 else -zlib.MAX_WBITS
        else:
            wbits = 16 + zlib.MAX_WBITS
        self._zlib = zlib.decompressobj(wbits)

    def feed(self, data: bytes) -> Iterator[bytes]:
        """The bytes `data` unpacks to, in pieces of at most `_CHUNK`."""
        try:
            while data:
                if self._zlib is None or self._zlib.eof:
                    self._start(data)
                given = len(data)
                piece = self._zlib.decompress(data, _CHUNK)
                data = self._zlib.unused_data or self._zlib.unconsumed_tail
                if not piece and len(data) >= given:
                    break  # no progress: wait for more input
                yield piece
            # Output zlib holds back once the input is used up.
            while self._zlib is not None and not self._zlib.eof:
                piece = self._zlib.decompress(b"", _CHUNK)
                if not piece:
                    break
                yield piece
        except zlib.error:
            pass
        else:
            return
        raise InvalidResponseError("Answer cannot be unpacked")

    def finish(self) -> None:
        """Refuse a body cut short inside its packed stream."""
        if self._zlib is not None and not self._zlib.eof:
            raise InvalidResponseError("Packed answer cut short")


async def _read(
    resp: aiohttp.ClientResponse, limit: int, *, prefix: bool = False
) -> tuple[bytes, bool]:
    """The body unpacked, and whether it went past `limit` bytes.

    Reading stops at the limit: the rest is never unpacked nor kept, and the
    connection is closed rather than reused. What was read is then dropped,
    or, with `prefix`, returned (the start of an error answer). The event
    loop gets a turn after each unpacked piece (unpacking is the work), and
    after each `_YIELD_EVERY` bytes of a plain body: a body already buffered
    (a test's mock) would otherwise be read in one go, while a turn per
    64 KiB costs a big answer a fifth of its reading time.
    """
    encoding = resp.headers.get("Content-Encoding", "identity").strip().lower()
    unpacker = None
    if encoding in ("gzip", "x-gzip", "deflate"):
        unpacker = _Unpacker(encoding)
    elif encoding not in ("", "identity"):
        raise InvalidResponseError(f"Answer in an encoding not asked for: {encoding}")
    chunks: list[bytes] = []
    room = limit
    turn = _YIELD_EVERY
    async for raw in resp.content.iter_chunked(_CHUNK):
        for piece in unpacker.feed(raw) if unpacker else (raw,):
            if len(piece) > room:
                chunks.append(piece[:room])
                return b"".join(chunks) if prefix else b"", True
            chunks.append(piece)
            room -= len(piece)
            turn -= len(piece)
            if unpacker or turn <= 0:
                turn = _YIELD_EVERY
                await asyncio.sleep(0)
    if unpacker:
        unpacker.finish()
    return await _joined(chunks), False


async def _joined(chunks: list[bytes]) -> bytes:
    """The pieces of a body as one, joined off the loop once it is large.

    Joining 16 MiB is a copy of ~9 ms: on the loop that is a stall of its
    own. In a worker it is not (bytes.join lets go of the interpreter lock
    for joins past 1 MiB).
    """
    if sum(len(chunk) for chunk in chunks) < _JOIN_IN_WORKER:
        return b"".join(chunks)
    return await asyncio.get_running_loop().run_in_executor(None, _join_all, chunks)


def _join_all(chunks: list[bytes]) -> bytes:
    """The pieces as one; the pieces themselves are freed here too."""
    joined = b"".join(chunks)
    chunks.clear()
    return joined


async def _error_start(resp: aiohttp.ClientResponse) -> bytes:
    """The start of an error answer; nothing if it cannot be unpacked.

    An error's status says what happened: a body we cannot read must not
    turn a refused key into an invalid answer.
    """
    try:
        body, _ = await _read(resp, ERROR_BODY_BYTES, prefix=True)
    except InvalidResponseError:
        return b""
    return body


class Transport:
    """Send requests for one vendor account and map every failure to our errors."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        *,
        timeout: float,
        secrets: Callable[[], Iterable[str | None]],
    ) -> None:
        """Keep the shared session; `secrets` lists what must never be shown.

        `timeout`: seconds each request may take, from sending to the end of
        the answer; it may be changed between requests.
        """
        self._session = session
        self.base_url = base_url.rstrip("/") + "/"
        self.timeout = timeout
        self._secrets = secrets

    def scrub(self, text: str, limit: int | None = None) -> str:
        """Remove this account's secrets from a text, cut to `limit` if given."""
        return scrub(text, self._secrets(), limit)

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        expect: Iterable[int] = (200,),
        also_secret: Iterable[str | None] = (),
        max_bytes: int = MAX_BODY_BYTES,
    ) -> tuple[int, bytes]:
        """Send one request; return status and body, or raise a GuestWifiError.

        Messages name the method and path only: the query string holds the
        vendor's key for two of our three vendors. `also_secret` names what
        this request carries that a vendor's error must not echo (a password).
        An answer past `max_bytes` once unpacked is a ResponseTooLargeError.
        """
        expect = tuple(expect)
        where = f"{method} /{bounded(path.lstrip('/'), 80)}"
        url = self.base_url + path.lstrip("/")
        _LOGGER.debug("Request %s", where)
        # Raised after the `except` blocks, not in them: an aiohttp error's
        # text may hold the full URL, and raising inside the handler would
        # keep it reachable as the `__context__` of ours.
        failure: CannotConnectError | InvalidResponseError | None = None
        try:
            async with self._session.request(
                method,
                url,
                params=params,
                json=json_body,
                # Only what we unpack ourselves, in steps (see _Unpacker).
                headers={"Accept-Encoding": "gzip, deflate", **(headers or {})},
                timeout=aiohttp.ClientTimeout(total=self.timeout),
                allow_redirects=False,
                auto_decompress=False,
            ) as resp:
                status = resp.status
                retry_after = resp.headers.get("Retry-After")
                if status in expect:
                    body, cut = await _read(resp, max_bytes)
                else:  # only the start: the vendor's message is in it
                    body, cut = await _error_start(resp), False
        except TimeoutError:
            failure = CannotConnectError(f"Timeout on {where}")
        except aiohttp.ClientError as err:
            # aiohttp's text may carry the full URL: keep only the class name.
            # We unpack bodies ourselves (`auto_decompress=False`), so an
            # aiohttp payload error is a body cut short: the network's fault.
            failure = CannotConnectError(
                f"Cannot connect for {where}: {type(err).__name__}"
            )
        if failure is not None:
            raise failure
        _LOGGER.debug("Answer %s: HTTP %s, %d bytes", where, status, len(body))
        if status in expect:
            if cut:  # nothing of it was kept
                raise ResponseTooLargeError(
                    f"Answer larger than {max_bytes} bytes on {where}"
                )
            return status, body
        if status in (401, 403):
            raise AuthenticationError(f"HTTP {status} on {where}")
        secrets = (*self._secrets(), *also_secret)
        message = ""
        if 400 <= status < 500 and status != 429:
            message = await parse_body(lambda b: _vendor_message(b, secrets), body)
        if status == 404:
            raise NotFoundError(str(status), message or f"Not found: {where}")
        if status == 429:
            raise RateLimitedError(
                f"Rate limited on {where}", retry_after=_retry_after(retry_after)
            )
        if status >= 500:
            raise CannotConnectError(f"HTTP {status} on {where}")
        if 300 <= status < 400:
            raise InvalidResponseError(
                f"Unexpected redirect (HTTP {status}) on {where}"
            )
        if 400 <= status < 500:
            raise VendorError(str(status), message or f"HTTP {status} on {where}")
        raise InvalidResponseError(f"Unexpected HTTP {status} on {where}")

    async def get_json(
        self, path: str, *, params: Mapping[str, str] | None = None, **kwargs: Any
    ) -> Any:
        """GET and decode a JSON body."""
        return await self.get_models(path, lambda data: data, params=params, **kwargs)

    async def get_models[T](
        self,
        path: str,
        build: Callable[[Any], T],
        *,
        params: Mapping[str, str] | None = None,
        each: Callable[[Any], Any] | None = None,
        exact: bool = False,
        most: int | None = None,
        **kwargs: Any,
    ) -> T:
        """GET a JSON body and build models from it in the same pass.

        Both run in a worker thread, not only the decoding: building ten
        thousand models is as much work as reading them. With `each`, every
        element of a top-level list is handed to it as soon as it is read
        (and `build` gets what it returned): the decoded records then never
        all exist at once. `exact` and `most` (records): see `decode_json`.
        """
        _, body = await self.request("GET", path, params=params, **kwargs)
        return await parse_body(
            lambda raw: build(decode_json(raw, path, each, exact=exact, most=most)),
            body,
        )


class VendorClient:
    """What every vendor client shares: requests through one Transport."""

    _http: Transport

    @property
    def timeout(self) -> float:
        """Seconds each request may take."""
        return self._http.timeout

    @timeout.setter
    def timeout(self, seconds: float) -> None:
        self._http.timeout = seconds
