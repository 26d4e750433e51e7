"""Injected failures: per vendor, per kind, for a number of requests or until cleared."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from http import HTTPStatus
import itertools
from typing import Any

from aiohttp import web

VENDORS = ("wiwiz", "smartwifi", "mywifi", "all")
KINDS = ("latency", "timeout", "error", "rate_limit", "malformed", "truncated",
         "revoked", "err004")  # fmt: skip
DEFAULT_LATENCY = 2.0
# Longer than any client's timeout (the integration's is 30 s), still finite.
DEFAULT_HANG = 120.0
_ids = itertools.count(1)


@dataclass(slots=True)
class Fault:
    """One injected failure; `count` requests left, None for until cleared."""

    vendor: str
    kind: str
    count: int | None = None
    status: int | None = None  # error: the HTTP status (default 500)
    seconds: float | None = None  # latency / timeout: how long
    retry_after: float | None = None  # rate_limit: the Retry-After header
    id: int = field(default_factory=lambda: next(_ids))

    def __post_init__(self) -> None:
        """Refuse what no vendor could do."""
        if self.vendor not in VENDORS:
            raise ValueError(f"vendor must be one of {', '.join(VENDORS)}")
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}")
        if self.kind == "err004" and self.vendor not in ("wiwiz", "all"):
            raise ValueError("err004 is a Wiwiz status code")
        if self.count is not None and self.count < 1:
            raise ValueError("count must be at least 1")
        if self.status is not None and not 400 <= self.status <= 599:
            raise ValueError("status must be an HTTP error status")
        if self.seconds is not None and self.seconds < 0:
            raise ValueError("seconds must not be negative")
        if self.retry_after is not None and self.retry_after < 0:
            raise ValueError("retry_after must not be negative")

    def as_dict(self) -> dict[str, Any]:
        """The fault as the admin API shows it."""
        return asdict(self)


def parse_fault(text: str) -> Fault:
    """`VENDOR:KIND[:COUNT][:key=value...]`, e.g. `smartwifi:rate_limit:3:retry_after=30`.

    An empty COUNT (`wiwiz:latency::seconds=5`) means until cleared.
    """
    vendor, _, rest = text.partition(":")
    kind, _, rest = rest.partition(":")
    options: dict[str, Any] = {}
    parts = rest.split(":") if rest else []
    if parts and "=" not in parts[0]:
        count = parts.pop(0)
        options["count"] = int(count) if count else None
    for part in parts:
        key, sep, value = part.partition("=")
        if not sep or key not in ("status", "seconds", "retry_after"):
            raise ValueError(f"Unknown fault option {part!r}")
        options[key] = int(value) if key == "status" else float(value)
    return Fault(vendor.strip().lower(), kind.strip().lower(), **options)


def retry_after(fault: Fault) -> dict[str, str]:
    """The Retry-After header of a rate limit, when the fault sets one."""
    if fault.kind != "rate_limit" or fault.retry_after is None:
        return {}
    return {"Retry-After": f"{fault.retry_after:g}"}


def reason_phrase(status: int) -> str:
    """The reason phrase of a status, for error pages (a 200 page says 'Error')."""
    try:
        return HTTPStatus(status).phrase if status >= 400 else "Service Unavailable"
    except ValueError:
        return "Error"


class Faults:
    """The active faults, consumed request by request."""

    def __init__(self, faults: list[Fault] | None = None) -> None:
        """Start with the given faults (e.g. from the command line)."""
        self.active: list[Fault] = list(faults or [])
        self._hanging: set[asyncio.Task[Any]] = set()

    def add(self, fault: Fault) -> Fault:
        """Activate a fault after those already active."""
        self.active.append(fault)
        return fault

    def clear(self) -> int:
        """Drop every fault; return how many there were."""
        count = len(self.active)
        self.active.clear()
        return count

    def take(self, vendor: str, applies: Callable[[str], bool]) -> list[Fault]:
        """The faults that hit this request, their counts used up.

        Every matching latency adds up; then the first other matching fault
        decides the answer (a request fails one way only).
        """
        hits: list[Fault] = []
        decided = False
        for fault in list(self.active):
            if fault.vendor not in (vendor, "all") or not applies(fault.kind):
                continue
            if fault.kind != "latency":
                if decided:
                    continue
                decided = True
            hits.append(fault)
            if fault.count is not None:
                fault.count -= 1
                if fault.count == 0:
                    self.active.remove(fault)
        return hits

    async def hang(self, seconds: float) -> None:
        """Hang like a dead server; a client giving up or a shutdown ends it."""
        task = asyncio.current_task()
        if task is not None:
            self._hanging.add(task)
        try:
            await asyncio.sleep(seconds)
        finally:
            if task is not None:
                self._hanging.discard(task)

    async def release(self, _app: web.Application | None = None) -> None:
        """Cancel every hanging request (on shutdown: do not wait 120 s)."""
        for task in list(self._hanging):
            task.cancel()
