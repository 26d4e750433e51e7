"""The simulator behind Home Assistant's faked HTTP, on the test's clock."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMockResponse,
)
from yarl import URL

from simulator.app import create_app
from simulator.faults import Faults
from simulator.inprocess import Answer
from simulator.world import World

ROME = ZoneInfo("Europe/Rome")


def venue_world(*, seed: int, step: timedelta, **options: Any) -> World:
    """300 guests at three hotspots in Rome, moving on as the test's clock does."""
    return World(
        guests=300,
        hotspots=3,
        seed=seed,
        tick_seconds=step.total_seconds(),
        tz=ROME,
        clock=lambda: dt_util.utcnow().timestamp(),
        **options,
    )


def served(world: World) -> web.Application:
    """The vendors' APIs over the world (the clock is the test's: no ticking)."""
    return create_app(world, Faults(), ticking=False)


def as_mocked(method: str, url: URL, got: Answer) -> AiohttpClientMockResponse:
    """The simulator's answer, as Home Assistant's faked HTTP hands it over."""
    return AiohttpClientMockResponse(
        method,
        url,
        status=got.status,
        response=got.body,
        headers={"Content-Type": got.content_type},
    )
