"""SmartWiFiPlatform v2 of the simulator, read by the integration's own client."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from aiohttp.test_utils import TestClient
import pytest

from custom_components.guest_wifi.api.errors import AuthenticationError, NotFoundError
from simulator import SMARTWIFI_TOKEN
from simulator.world import World

from .conftest import ServerFactory, smartwifi_client


def _now(world: World) -> datetime:
    return datetime.fromtimestamp(world.now(), UTC)


async def test_ping_and_hotspots(server: TestClient) -> None:
    client = smartwifi_client(server)
    await client.ping()
    hotspots = await client.hotspots()
    assert [(h.id, h.name) for h in hotspots] == [
        ("12261", "Lobby"),
        ("12290", "Terrace"),
        ("12319", "Bar"),
    ]
    raw = await server.get(
        "/v2/zapier/client/dropdown/hotspots", params={"api_token": SMARTWIFI_TOKEN}
    )
    assert (await raw.json())[0] == {"id": 12261, "name": "Lobby"}  # an integer id


async def test_bad_token_is_401(server: TestClient) -> None:
    with pytest.raises(AuthenticationError):
        await smartwifi_client(server, token="wrong").ping()
    answer = await server.get("/v2/client/connections")
    assert answer.status == 401
    assert await answer.json() == {"message": "Unauthenticated."}


async def test_open_records_are_who_is_online(server: TestClient, world: World) -> None:
    now = _now(world)
    records = await smartwifi_client(server).connections(
        now - timedelta(hours=24), now + timedelta(minutes=1)
    )
    open_records = [r for r in records if r.is_open]
    assert len(open_records) == len(world.online["smartwifi"]) > 0
    by_name = {h.name: h for h in world.hotspots["smartwifi"].values()}
    for record in open_records:
        assert record.hotspot_name is not None
        assert record.mac in by_name[record.hotspot_name].online
        assert record.online_time is not None
    closed = [r for r in records if not r.is_open]
    assert {r.termination_reason for r in closed} <= {
        "Idle Timeout",
        "Session Timeout",
        "Lost Service",
    }
    assert all(r.time and r.time.tzinfo is not None for r in records)
    assert all(
        r.identity and r.guest_token and r.device and r.user_agent for r in records
    )


async def test_from_inclusive_to_exclusive(
    serve: ServerFactory, quiet_world: World
) -> None:
    server = await serve(quiet_world)
    quiet_world.arrive("smartwifi", "12261", "AA-BB-CC-00-00-02")
    session = quiet_world.hotspots["smartwifi"]["12261"].online["aa:bb:cc:00:00:02"]
    session.start = int(session.start)  # a whole second, to hit the bounds exactly
    stamp = datetime.fromtimestamp(session.start, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    later = datetime.fromtimestamp(session.start + 1, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    params = {"api_token": SMARTWIFI_TOKEN}
    inclusive = await server.get(
        "/v2/client/connections", params={**params, "from": stamp, "to": later}
    )
    exclusive = await server.get(
        "/v2/client/connections", params={**params, "from": later[:10], "to": stamp}
    )
    assert len(await inclusive.json()) == 1
    assert await exclusive.json() == []
    [record] = await inclusive.json()
    assert record["reason_for_termination"] is None
    assert record["macaddress"] == "AA-BB-CC-00-00-02"
    assert record["date"].endswith("+00:00")


async def test_range_limit_and_bad_dates(server: TestClient, world: World) -> None:
    params = {"api_token": SMARTWIFI_TOKEN}
    too_long = await server.get(
        "/v2/client/connections",
        params={**params, "from": "2026-01-01", "to": "2026-02-01"},
    )
    assert too_long.status == 400
    assert "30 days" in (await too_long.json())["message"]
    thirty = await server.get(
        "/v2/client/connections",
        params={**params, "from": "2026-01-01", "to": "2026-01-31"},
    )
    assert thirty.status == 200
    bad = await server.get(
        "/v2/client/connections", params={**params, "from": "01/01/2026"}
    )
    assert bad.status == 400
    # The client cuts a long range into 30-day pieces.
    now = _now(world)
    records = await smartwifi_client(server).connections(now - timedelta(days=70), now)
    assert records


async def test_hotspotid_only_last_12_hours(server: TestClient, world: World) -> None:
    now = _now(world)
    records = await smartwifi_client(server).connections(
        now - timedelta(days=2), now + timedelta(minutes=1), hotspot_id="12290"
    )
    assert records
    assert {r.hotspot_name for r in records} == {"Terrace"}
    assert all(
        r.time and r.time >= now - timedelta(hours=12, seconds=1) for r in records
    )


async def test_arrive_and_leave(server: TestClient, world: World) -> None:
    client = smartwifi_client(server)
    answer = await server.post(
        "/_admin/arrive",
        json={"vendor": "smartwifi", "hotspot_id": 12319, "mac": "02:11:22:33:44:55"},
    )
    assert answer.status == 200
    arrived = await answer.json()
    assert arrived["mac"] == "02-11-22-33-44-55"
    now = _now(world)
    window = (now - timedelta(hours=1), now + timedelta(minutes=1))
    mine = [
        r for r in await client.connections(*window) if r.mac == "02:11:22:33:44:55"
    ]
    assert [r.is_open for r in mine] == [True]
    assert mine[0].hotspot_name == "Bar"
    await server.post(
        "/_admin/leave",
        json={
            "vendor": "smartwifi",
            "mac": "02:11:22:33:44:55",
            "reason": "Lost Service",
        },
    )
    mine = [
        r for r in await client.connections(*window) if r.mac == "02:11:22:33:44:55"
    ]
    assert [r.termination_reason for r in mine] == ["Lost Service"]
    profile = await client.guest(arrived["guest_token"])
    assert profile.mac == "02:11:22:33:44:55"
    assert profile.last_hotspot == "Bar"


async def test_guests_and_profile(server: TestClient, world: World) -> None:
    client = smartwifi_client(server)
    guests = await client.guests()
    assert len(guests) == len(world.seen["smartwifi"])
    unsubscribed = await client.guests(unsubscribed=True)
    subscribed = await client.guests(unsubscribed=False)
    assert len(unsubscribed) + len(subscribed) == len(guests)
    assert all(g.unsubscribed for g in unsubscribed)
    guest = next(iter(world.seen["smartwifi"].values()))
    profile = await client.guest(guest.guest_token)
    assert profile.mac == guest.mac
    assert profile.company == "Demo Hospitality"
    assert profile.last_hotspot in {
        h.name for h in world.hotspots["smartwifi"].values()
    }
    with pytest.raises(NotFoundError):
        await client.guest("no-such-token")


async def test_guest_plans(server: TestClient, world: World) -> None:
    client = smartwifi_client(server)
    active = await client.guest_plans(state="active", started_since=timedelta(days=2))
    expired = await client.guest_plans(state="expired", started_since=timedelta(days=2))
    assert active or expired
    now = _now(world)
    assert all(p.state == "active" and p.expires and p.expires > now for p in active)
    assert all(p.state == "expired" and p.expires and p.expires <= now for p in expired)
    assert all(p.guest_token in world.by_guest_token for p in active + expired)
    since = await client.guest_plans(started_since=now - timedelta(hours=1))
    assert all(
        p.started and p.started >= now - timedelta(hours=1, seconds=1) for p in since
    )
    week = await server.get(
        "/v2/client/guests-guest-plans",
        params={"api_token": SMARTWIFI_TOKEN, "started_since_relative": "8d"},
    )
    assert week.status == 400


async def test_unknown_endpoint(server: TestClient) -> None:
    answer = await server.get("/v2/nothing", params={"api_token": SMARTWIFI_TOKEN})
    assert answer.status == 404
