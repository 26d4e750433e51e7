"""Fixtures: the simulator on a loopback test server, the integration's clients on it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
import time
from zoneinfo import ZoneInfo

import aiohttp
from aiohttp.test_utils import TestClient
import pytest
from yarl import URL

from custom_components.guest_wifi.api.mywifi import MyWifiClient
from custom_components.guest_wifi.api.smartwifi import SmartWifiClient
from custom_components.guest_wifi.api.wiwiz import WiwizClient
from simulator import (
    MYWIFI_CLIENT_ID,
    MYWIFI_CLIENT_SECRET,
    MYWIFI_LOGIN,
    MYWIFI_PASSWORD,
    SMARTWIFI_TOKEN,
    WIWIZ_USERKEY,
)
from simulator.app import create_app
from simulator.faults import Faults
from simulator.world import World
from tests.without_hass import auto_enable_custom_integrations, settle, time_zone  # noqa: F401 - replace the root autouse fixtures

ROME = ZoneInfo("Europe/Rome")
REDIRECT_URI = "https://my.home-assistant.io/redirect/oauth"
# The hour of the day the simulated worlds start at, in Rome: hours from
# either midnight. On the real clock "today" may be minutes old (little has
# happened yet) and the hour sets how many guests are online, so tests that
# count today's life would pass or fail with the time of day.
PINNED_HOUR = 15


def pinned_start() -> datetime:
    """The last PINNED_HOUR o'clock in Rome: today's, or yesterday's before it.

    The day stays the real one (within 24 hours): the integration's clients
    read the real clock too, e.g. for SmartWiFi's 7-day look-back.
    """
    now = datetime.now(ROME)
    start = now.replace(hour=PINNED_HOUR, minute=0, second=0, microsecond=0)
    if start > now:
        start -= timedelta(days=1)  # on the wall clock: 15:00 again
    return start


type ServerFactory = Callable[..., Awaitable[TestClient]]


class PinnedClock:
    """A world's clock: POSIX seconds from a pinned moment, moving in real time.

    Time still passes (tokens and faults behave as on the real clock), but a
    world always starts at the same hour of its day.
    """

    def __init__(self) -> None:
        """Start at the pinned hour."""
        self._start = pinned_start().timestamp()
        self._origin = time.monotonic()

    def __call__(self) -> float:
        """Now, on this clock."""
        return self._start + (time.monotonic() - self._origin)


@pytest.fixture
def clock() -> PinnedClock:
    """The simulated worlds' clock."""
    return PinnedClock()


@pytest.fixture(autouse=True)
def loopback_sockets(socket_enabled: None) -> None:
    """Let the test server listen: aiohttp's listens on a real loopback socket.

    Home Assistant's test plugin disables sockets for every test;
    pytest-socket's `socket_enabled` turns them back on for these.
    """


@pytest.fixture
def world(clock: PinnedClock) -> World:
    """A small world with today's history, on a zone other than the machine's."""
    return World(guests=300, hotspots=3, seed=1, tick_seconds=5, tz=ROME, clock=clock)


@pytest.fixture
def quiet_world(clock: PinnedClock) -> World:
    """A world where nothing has happened yet: tests decide every event."""
    return World(
        guests=20,
        hotspots=2,
        seed=7,
        tick_seconds=5,
        tz=ROME,
        clock=clock,
        history=False,
    )


@pytest.fixture
def faults() -> Faults:
    """No fault until a test adds one."""
    return Faults()


@pytest.fixture
def serve(aiohttp_client: ServerFactory, faults: Faults) -> ServerFactory:
    """Start the simulator for a given world (no background ticks)."""

    async def start(world: World) -> TestClient:
        return await aiohttp_client(create_app(world, faults, ticking=False))

    return start


@pytest.fixture
async def server(serve: ServerFactory, world: World) -> TestClient:
    """The simulator over `world`."""
    return await serve(world)


def wiwiz_client(server: TestClient, **kwargs: object) -> WiwizClient:
    """The integration's Wiwiz client, pointed at the simulator."""
    return WiwizClient(
        server.session,
        str(kwargs.pop("userkey", WIWIZ_USERKEY)),
        base_url=str(server.make_url("/as/qapi/")),
        time_zone=ROME,
        **kwargs,  # type: ignore[arg-type]
    )


def smartwifi_client(server: TestClient, **kwargs: object) -> SmartWifiClient:
    """The integration's SmartWiFi client, pointed at the simulator."""
    return SmartWifiClient(
        server.session,
        str(kwargs.pop("token", SMARTWIFI_TOKEN)),
        base_url=str(server.make_url("/")),
        **kwargs,  # type: ignore[arg-type]
    )


@dataclass
class Tokens:
    """What the token endpoint gave, as Home Assistant would keep it."""

    access_token: str
    refresh_token: str

    async def current(self) -> str:
        """The access token, as MyWifiClient asks for it."""
        return self.access_token


async def sign_in(server: TestClient, *, scope: str = "READ WRITE") -> str:
    """The browser's part of the dance: the sign-in form, then the code."""
    query = {
        "response_type": "code",
        "client_id": MYWIFI_CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "state": "xyz-state",
        "scope": scope,
    }
    page = await server.get("/OAuth/Authorize", params=query)
    assert page.status == 200
    assert 'name="state" value="xyz-state"' in await page.text()
    answer = await server.post(
        "/OAuth/Authorize",
        data={**query, "login": MYWIFI_LOGIN, "password": MYWIFI_PASSWORD},
        allow_redirects=False,
    )
    assert answer.status == 302
    location = URL(answer.headers["Location"])
    assert str(location.with_query(None)) == REDIRECT_URI
    assert location.query["state"] == "xyz-state"
    return location.query["code"]


async def token_request(server: TestClient, **form: str) -> aiohttp.ClientResponse:
    """POST the token endpoint as Home Assistant does (form, client in the body)."""
    body = {"client_id": MYWIFI_CLIENT_ID, "client_secret": MYWIFI_CLIENT_SECRET}
    body.update(form)
    return await server.post("/OAuth/Token", data=body)


async def oauth_tokens(server: TestClient, *, scope: str = "READ WRITE") -> Tokens:
    """The whole dance: sign in, exchange the code."""
    code = await sign_in(server, scope=scope)
    answer = await token_request(
        server, grant_type="authorization_code", code=code, redirect_uri=REDIRECT_URI
    )
    assert answer.status == 200
    data = await answer.json()
    return Tokens(data["access_token"], data["refresh_token"])


@pytest.fixture
async def tokens(server: TestClient) -> Tokens:
    """Tokens for the demo account."""
    return await oauth_tokens(server)


def mywifi_client(server: TestClient, tokens: Tokens, **kwargs: object) -> MyWifiClient:
    """The integration's My Wi-Fi client, pointed at the simulator."""
    return MyWifiClient(
        server.session,
        tokens.current,
        base_url=str(server.make_url("/v1/")),
        **kwargs,  # type: ignore[arg-type]
    )
