"""The transport every vendor client shares: one request, errors mapped once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
import json
import logging
import math
from typing import Any

import aiohttp

from .errors import (
    AuthenticationError,
    CannotConnectError,
    InvalidResponseError,
    NotFoundError,
    RateLimitedError,
    VendorError,
)

_LOGGER = logging.getLogger(__package__)

REDACTED = "**REDACTED**"
# Bodies larger than this are parsed in a worker thread so a venue with ten
# thousand guests does not stall Home Assistant's event loop.
PARSE_OFF_LOOP_BYTES = 64 * 1024
_MAX_MESSAGE = 200


def scrub(text: str, secrets: Iterable[str | None]) -> str:
    """Replace every secret in a text the vendor sent back (some echo the key)."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text


async def parse_body[T](parse: Callable[[bytes], T], body: bytes) -> T:
    """Parse a body, in a worker thread when it is large."""
    if len(body) < PARSE_OFF_LOOP_BYTES:
        return parse(body)
    return await asyncio.get_running_loop().run_in_executor(None, parse, body)


def _retry_after(value: str | None) -> float | None:
    """Read Retry-After as seconds or as an HTTP date."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        # "inf" and "nan" parse as floats but are no delay anyone can wait.
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _vendor_message(body: bytes, secrets: Iterable[str | None]) -> str:
    """The human part of an error body: a JSON message if there is one.

    Secrets are scrubbed before the text is cut: a cut through an echoed
    secret would leave a piece of it that no longer matches.
    """
    secrets = tuple(secrets)
    text = body.decode("utf-8", "replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        for key in ("message", "Message", "error_description", "error", "detail"):
            if isinstance(data.get(key), str) and data[key]:
                return scrub(str(data[key]), secrets)[:_MAX_MESSAGE]
    if text.startswith("<"):
        return ""  # an HTML error page says nothing we can show
    return scrub(text, secrets)[:_MAX_MESSAGE]


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
        """Keep the shared session; `secrets` lists what must never be shown."""
        self._session = session
        self.base_url = base_url.rstrip("/") + "/"
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._secrets = secrets

    def scrub(self, text: str) -> str:
        """Remove this account's secrets from a text."""
        return scrub(text, self._secrets())

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
    ) -> tuple[int, bytes]:
        """Send one request; return status and body, or raise a GuestWifiError.

        Messages name the method and path only: the query string holds the
        vendor's key for two of our three vendors. `also_secret` names what
        this request carries that a vendor's error must not echo (a password).
        """
        where = f"{method} /{path.lstrip('/')}"
        url = self.base_url + path.lstrip("/")
        _LOGGER.debug("Request %s", where)
        # Raised after the `except` blocks, not in them: an aiohttp error's
        # text may hold the full URL, and raising inside the handler would
        # keep it reachable as the `__context__` of ours.
        failure: CannotConnectError | None = None
        try:
            async with self._session.request(
                method,
                url,
                params=params,
                json=json_body,
                headers=headers,
                timeout=self._timeout,
                allow_redirects=False,
            ) as resp:
                body = await resp.read()
                status = resp.status
                retry_after = resp.headers.get("Retry-After")
        except TimeoutError:
            failure = CannotConnectError(f"Timeout on {where}")
        except aiohttp.ClientError as err:
            # aiohttp's text may carry the full URL: keep only the class name.
            failure = CannotConnectError(
                f"Cannot connect for {where}: {type(err).__name__}"
            )
        if failure is not None:
            raise failure
        _LOGGER.debug("Answer %s: HTTP %s, %d bytes", where, status, len(body))
        if status in expect:
            return status, body
        message = _vendor_message(body, (*self._secrets(), *also_secret))
        if status in (401, 403):
            raise AuthenticationError(f"HTTP {status} on {where}")
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
        **kwargs: Any,
    ) -> T:
        """GET a JSON body and build models from it in the same pass.

        Both run in a worker thread for large answers, not only the decoding.
        """
        _, body = await self.request("GET", path, params=params, **kwargs)
        return await parse_body(lambda raw: build(decode_json(raw, path)), body)


def decode_json(body: bytes, what: str) -> Any:
    """Decode JSON, calling an HTML page or a cut body an invalid response."""
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        pass
    # Raised outside the handler: a UnicodeDecodeError's repr holds the body,
    # which may echo a secret, and would stay reachable as `__context__`.
    raise InvalidResponseError(f"Malformed JSON from /{what.lstrip('/')}")
