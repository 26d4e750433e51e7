"""Work on thousands of guests a step at a time, so the event loop stays free.

A large venue's month leaves some 240,000 remembered guests, and an entry
keeps up to 10,000 trackers. Reading every guest, or removing every tracker,
in one go would hold Home Assistant's event loop for seconds, and nothing
else (automations, the frontend, other integrations) would run meanwhile.
Between two steps the loop serves everyone else.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from itertools import batched


async def in_steps[T](items: Iterable[T], size: int) -> AsyncIterator[tuple[T, ...]]:
    """`items`, `size` at a time; the event loop runs everything else between two."""
    for step in batched(items, size, strict=False):
        yield step
        await asyncio.sleep(0)
