"""The simulator behind Home Assistant's faked HTTP, on the test's clock."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
import re
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMocker,
    AiohttpClientMockResponse,
)
from yarl import URL

from custom_components.guest_wifi.const import DOMAIN
from simulator import WIWIZ_USERKEY
from simulator.app import create_app
from simulator.faults import Faults
from simulator.inprocess import Answer
from simulator.world import World

ROME = ZoneInfo("Europe/Rome")
# The world's hotspots: SmartWiFi's by id with their names; Wiwiz's ids.
SMARTWIFI_HOTSPOTS = {"12261": "Lobby", "12290": "Terrace", "12319": "Bar"}
WIWIZ_HOTSPOTS = ["WZ0001", "WZ0002", "WZ0003"]
# Where the vendors' APIs answer (Wiwiz's over HTTP or HTTPS).
VENDOR_APIS = (
    re.compile(r"^https://api\.smartwifiplatform\.com/"),
    re.compile(r"^https?://cp\.wiwiz\.com/"),
)


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


def answer_the_vendor_apis(
    aioclient_mock: AiohttpClientMocker,
    answer: Callable[[str, URL, Any], Awaitable[AiohttpClientMockResponse]],
    methods: tuple[str, ...] = ("get",),
) -> None:
    """Every request to a vendor's API, with these methods, answered by `answer`."""
    for method in methods:
        for api in VENDOR_APIS:
            getattr(aioclient_mock, method)(api, side_effect=answer)


def as_mocked(method: str, url: URL, got: Answer) -> AiohttpClientMockResponse:
    """The simulator's answer, as Home Assistant's faked HTTP hands it over."""
    return AiohttpClientMockResponse(
        method,
        url,
        status=got.status,
        response=got.body,
        headers={"Content-Type": got.content_type},
    )


def wiwiz_entry(**data: Any) -> MockConfigEntry:
    """A Wiwiz entry on the world's three hotspots, no guest trackers (not added)."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Wiwiz",
        unique_id="wiwiz_WZ0001",
        data={
            "vendor": "wiwiz",
            "userkey": WIWIZ_USERKEY,
            "hotspot_ids": list(WIWIZ_HOTSPOTS),
            **data,
        },
        options={"track_guests": "none"},
    )
