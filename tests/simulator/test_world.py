"""The world itself: determinism, life, the admin API, and scale."""

from __future__ import annotations

import asyncio
import time
from unittest.mock import Mock

from aiohttp import web
from aiohttp.test_utils import TestClient, make_mocked_request
import pytest

from custom_components.guest_wifi.api.smartwifi import SmartWifiClient
from simulator import credentials
from simulator.__main__ import _parser, banner
from simulator.app import admin_guard, create_app
from simulator.faults import Faults
from simulator.world import World, online_fraction

from .conftest import ROME, PinnedClock, ServerFactory, pinned_start, wiwiz_client


def _shape(world: World) -> tuple:
    return (
        {
            v: [(h.id, h.name, h.wan_ip) for h in hs.values()]
            for v, hs in world.hotspots.items()
        },
        {v: [g.mac for g in p] for v, p in world.population.items()},
        {
            v: [(g.email, g.phone, g.username) for g in p]
            for v, p in world.population.items()
        },
        [(u["Login"], u["MacAddress"]) for u in world.mywifi.users.values()],
    )


def test_same_seed_same_world() -> None:
    one = World(guests=200, hotspots=5, seed=42, history=False)
    two = World(guests=200, hotspots=5, seed=42, history=False)
    other = World(guests=200, hotspots=5, seed=43, history=False)
    assert _shape(one) == _shape(two)
    assert _shape(one)[1] != _shape(other)[1]
    assert list(one.hotspots["wiwiz"]) == [
        "WZ0001",
        "WZ0002",
        "WZ0003",
        "WZ0004",
        "WZ0005",
    ]
    assert list(one.hotspots["smartwifi"]) == [
        "12261",
        "12290",
        "12319",
        "12348",
        "12377",
    ]
    names = [h.name for h in one.hotspots["smartwifi"].values()]
    assert names == ["Lobby", "Terrace", "Bar", "Hotspot 4", "Hotspot 5"]
    macs = [g.mac for p in one.population.values() for g in p]
    assert len(set(macs)) == len(macs) == 200
    guests = [g for p in one.population.values() for g in p]
    assert any(g.phone for g in guests)
    assert any(g.email for g in guests)
    assert any(g.username for g in guests)


def test_same_seed_same_history() -> None:
    moment = time.time()
    one = World(guests=300, seed=5, clock=lambda: moment)
    two = World(guests=300, seed=5, clock=lambda: moment)
    assert [(s.guest.mac, s.start, s.end) for s in one.sessions["wiwiz"]] == [
        (s.guest.mac, s.start, s.end) for s in two.sessions["wiwiz"]
    ]


def test_history_and_online_share(world: World) -> None:
    for vendor, population in world.population.items():
        share = len(world.online[vendor]) / len(population)
        assert 0.02 <= share <= 0.25, (vendor, share)
        assert world.sessions[vendor]
    assert any(h.mobile for h in world.hotspots["wiwiz"].values())
    assert any(h.ads for h in world.hotspots["wiwiz"].values())
    assert world.plans
    assert (
        0.05
        <= online_fraction(3)
        < online_fraction(9)
        < online_fraction(15)
        <= 0.15 + 1e-9
    )


def test_ticks_move_life_on() -> None:
    moment = [pinned_start().timestamp()]
    world = World(
        guests=2000, hotspots=4, seed=3, tick_seconds=60, clock=lambda: moment[0]
    )
    before = world.online["wiwiz"].items[0]
    counted = before.downloaded(moment[0])
    arrived = left = 0
    for _ in range(30):
        moment[0] += 60
        step = world.tick()
        arrived += step["arrived"]
        left += step["left"]
    assert arrived > 0
    assert left > 0
    assert world.ticks == 30
    assert before.downloaded(moment[0]) > counted  # traffic grows
    # Every online guest is in exactly one open session of its hotspot.
    for vendor, online in world.online.items():
        assert len(online) == sum(
            len(h.online) for h in world.hotspots[vendor].values()
        )
        assert all(
            s.end is None and world.session_of(s.guest) is s for s in online.items
        )


async def test_admin_state_tick_and_errors(server: TestClient, world: World) -> None:
    state = await (await server.get("/_admin/state")).json()
    assert state["credentials"] == credentials()
    assert [h["id"] for h in state["hotspots"]["smartwifi"]] == [12261, 12290, 12319]
    assert sum(h["online"] for h in state["hotspots"]["wiwiz"]) == len(
        world.online["wiwiz"]
    )
    assert state["seed"] == 1
    ticked = await (await server.post("/_admin/tick")).json()
    assert set(ticked) == {"arrived", "left", "online"}
    assert world.ticks == 1
    assert (await server.get("/_admin")).status == 200
    for path, body, status in (
        ("/_admin/arrive", {"vendor": "mywifi", "hotspot_id": "x"}, 400),
        ("/_admin/arrive", {"vendor": "wiwiz", "hotspot_id": "WZ0404"}, 404),
        (
            "/_admin/arrive",
            {"vendor": "wiwiz", "hotspot_id": "WZ0001", "mac": "zz"},
            400,
        ),
        ("/_admin/leave", {"vendor": "wiwiz", "mac": "02:00:00:00:00:01"}, 404),
        ("/_admin/leave", {"vendor": "wiwiz"}, 400),
    ):
        answer = await server.post(path, json=body)
        assert answer.status == status, (path, body)
    assert (await server.post("/_admin/arrive", data="nope")).status == 400


async def test_arrive_without_mac_and_roaming(
    serve: ServerFactory, quiet_world: World
) -> None:
    server = await serve(quiet_world)
    first = await (
        await server.post(
            "/_admin/arrive", json={"vendor": "wiwiz", "hotspot_id": "WZ0001"}
        )
    ).json()
    moved = await (
        await server.post(
            "/_admin/arrive",
            json={"vendor": "wiwiz", "hotspot_id": "WZ0002", "mac": first["mac"]},
        )
    ).json()
    client = wiwiz_client(server)
    assert await client.current_connections("WZ0001") == []
    assert [c.mac for c in await client.current_connections("WZ0002")] == [first["mac"]]
    assert (await client.connection(first["tokencode"])).end_time is not None
    assert moved["tokencode"] != first["tokencode"]


async def test_admin_is_loopback_only() -> None:
    transport = Mock()
    transport.get_extra_info.return_value = ("192.0.2.10", 5555)
    request = make_mocked_request("GET", "/_admin/state", transport=transport)
    handler = Mock()
    answer = await admin_guard(request, handler)
    assert answer.status == 403
    handler.assert_not_called()


async def test_background_ticks(aiohttp_client: ServerFactory) -> None:
    world = World(guests=50, hotspots=1, seed=2, tick_seconds=0.05, history=False)
    await aiohttp_client(create_app(world, Faults()))
    for _ in range(100):
        if world.ticks >= 2:
            break
        await asyncio.sleep(0.02)
    assert world.ticks >= 2


def test_command_line() -> None:
    args = _parser().parse_args(
        [
            "--port",
            "8301",
            "--guests",
            "10",
            "--fault",
            "wiwiz:error:3",
            "--fault",
            "smartwifi:rate_limit",
        ]
    )
    assert (args.port, args.guests, args.hotspots, args.seed, args.tick) == (
        8301,
        10,
        3,
        1,
        5.0,
    )
    assert args.fault == ["wiwiz:error:3", "smartwifi:rate_limit"]
    text = banner("http://127.0.0.1:8301", World(guests=10, history=False))
    assert "demo-wiwiz-userkey" in text
    assert "demo-smartwifi-token" in text
    assert "demo-client / demo-secret" in text
    assert "http://127.0.0.1:8301/OAuth/Authorize" in text


@pytest.mark.parametrize("history", [True])
async def test_scale(
    aiohttp_client: ServerFactory, clock: PinnedClock, history: bool
) -> None:
    started = time.perf_counter()
    # On the pinned clock: at 3 a.m. in Rome 5 % of 10000 guests are online,
    # and "more than 500" would be a coin toss.
    world = World(
        guests=10000,
        hotspots=20,
        seed=1,
        tick_seconds=5,
        tz=ROME,
        clock=clock,
        history=history,
    )
    built = time.perf_counter() - started
    times = []
    for _ in range(20):
        started = time.perf_counter()
        world.tick()
        times.append(time.perf_counter() - started)
    server = await aiohttp_client(create_app(world, Faults(), ticking=False))
    started = time.perf_counter()
    conns = await wiwiz_client(server).current_connections("WZ0007")
    conn_time = time.perf_counter() - started
    started = time.perf_counter()
    client = SmartWifiClient(
        server.session, "demo-smartwifi-token", base_url=str(server.make_url("/"))
    )
    await client.connections(*_last_day(world))
    report_time = time.perf_counter() - started
    print(  # noqa: T201 - the figures this test exists to show
        f"\n10000 guests / 20 hotspots: built in {built:.2f} s; tick max {max(times) * 1000:.1f} ms, "
        f"mean {sum(times) / len(times) * 1000:.2f} ms; /conn ({len(conns)} guests) {conn_time * 1000:.1f} ms; "
        f"SmartWiFi 24 h report {report_time * 1000:.0f} ms"
    )
    assert world.ticks == 20
    assert sum(len(o) for o in world.online.values()) > 500


def _last_day(world: World) -> tuple:
    from datetime import UTC, datetime, timedelta

    now = datetime.fromtimestamp(world.now(), UTC)
    return now - timedelta(hours=24), now + timedelta(minutes=1)


def test_app_is_an_application(world: World) -> None:
    assert isinstance(create_app(world, Faults(), ticking=False), web.Application)
