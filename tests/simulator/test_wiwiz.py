"""The Wiwiz Query API of the simulator, read by the integration's own client."""

from __future__ import annotations

from datetime import datetime, timedelta

from aiohttp.test_utils import TestClient
import pytest
import xmltodict

from custom_components.guest_wifi.api.errors import (
    InvalidDateError,
    InvalidHotspotError,
    InvalidKeyError,
    NotFoundError,
)
from custom_components.guest_wifi.api.wiwiz import AdEventType
from simulator import WIWIZ_USERKEY, timefmt
from simulator.world import World

from .conftest import ROME, ServerFactory, wiwiz_client


async def _raw(server: TestClient, interface: str, **params: str) -> dict:
    answer = await server.get(f"/as/qapi/{interface}/", params=params)
    assert answer.status == 200
    assert answer.content_type == "text/xml"
    return xmltodict.parse(await answer.text())["result"]


def _today(world: World) -> tuple[datetime, datetime]:
    now = datetime.fromtimestamp(world.now(), ROME)
    return now.replace(hour=0, minute=0, second=0, microsecond=0), now


async def test_conn_lists_who_is_online(server: TestClient, world: World) -> None:
    hotspot = world.hotspots["wiwiz"]["WZ0001"]
    conns = await wiwiz_client(server).current_connections("WZ0001")
    assert len(conns) == len(hotspot.online) > 0
    assert {c.mac for c in conns} == set(hotspot.online)
    for conn in conns:
        session = hotspot.online[conn.mac]
        assert conn.end_time is None
        assert conn.tokencode == session.tokencode
        assert conn.ip is not None
        assert conn.ip.startswith(hotspot.subnet)
        # Written on the account's wall clock, read back in its zone.
        assert conn.start_time is not None
        assert abs(conn.start_time.timestamp() - session.start) < 1
        assert conn.downloaded > 0


async def test_conn_zero_and_one_record(
    serve: ServerFactory, quiet_world: World
) -> None:
    server = await serve(quiet_world)
    client = wiwiz_client(server)
    assert await client.current_connections("WZ0001") == []
    raw = await _raw(server, "conn", userkey=WIWIZ_USERKEY, hotspotid="WZ0001")
    assert raw["data"] is None  # <data></data>
    quiet_world.arrive("wiwiz", "WZ0001", "AA-BB-CC-00-00-01")
    [conn] = await client.current_connections("WZ0001")
    assert conn.mac == "aa:bb:cc:00:00:01"
    quiet_world.arrive("wiwiz", "WZ0001")
    assert len(await client.current_connections("WZ0001")) == 2


async def test_conninfo_by_tokencode(server: TestClient, world: World) -> None:
    session = next(iter(world.hotspots["wiwiz"]["WZ0002"].online.values()))
    conn = await wiwiz_client(server).connection(session.tokencode)
    assert conn.tokencode == session.tokencode
    assert conn.mac == session.guest.mac
    with pytest.raises(NotFoundError):
        await wiwiz_client(server).connection("no-such-token")


async def test_connlog_today(server: TestClient, world: World) -> None:
    start, now = _today(world)
    log = await wiwiz_client(server).connection_log("WZ0001", start, now)
    hotspot = world.hotspots["wiwiz"]["WZ0001"]
    expected = [
        s
        for s in hotspot.sessions
        if start.timestamp() <= s.start <= now.timestamp() + 1
    ]
    assert len(log) == len(expected) > 10
    assert all(c.tokencode is None for c in log)  # connlog has no tokencode node
    closed = [c for c in log if c.end_time is not None]
    assert closed
    assert all(
        c.start_time and c.end_time and c.start_time <= c.end_time for c in closed
    )
    assert all(c.start_time and c.start_time >= start for c in log)


async def test_connlog_date_only_and_defaults(server: TestClient, world: World) -> None:
    day = timefmt.wiwiz_day(world.now(), world.tz)
    by_day = await _raw(
        server,
        "connlog",
        userkey=WIWIZ_USERKEY,
        hotspotid="WZ0001",
        date_from=day,
        date_to=day,
    )
    assert by_day["status"]["code"] == "OK"
    records = by_day["data"]["record"]
    # A list: a single record would be its dict, whose keys `len` would count.
    assert isinstance(records, list)
    assert len(records) > 10
    # The document's default for both dates is "current time": a moment.
    default = await _raw(server, "connlog", userkey=WIWIZ_USERKEY, hotspotid="WZ0001")
    assert default["status"]["code"] == "OK"


async def test_connlog_split_over_long_range(server: TestClient, world: World) -> None:
    start, now = _today(world)
    log = await wiwiz_client(server).connection_log(
        "WZ0002", now - timedelta(days=75), now
    )
    today = await wiwiz_client(server).connection_log("WZ0002", start, now)
    # Open sessions' counters grow between the calls: compare who and when.
    assert {(c.mac, c.start_time) for c in today} <= {
        (c.mac, c.start_time) for c in log
    }


async def test_mobile_numbers_and_verified_filter(
    server: TestClient, world: World
) -> None:
    client = wiwiz_client(server)
    day = datetime.fromtimestamp(world.now(), ROME).date()
    numbers = []
    for hotspot_id in world.hotspots["wiwiz"]:
        numbers += await client.mobile_numbers(hotspot_id, day - timedelta(days=1), day)
    assert numbers
    assert all(n.phone_number and n.country and n.time for n in numbers)
    verified = await client.mobile_numbers("WZ0001", day, day, verified=True)
    unverified = await client.mobile_numbers("WZ0001", day, day, verified=False)
    assert all(n.verified is True for n in verified)
    assert all(n.verified is False for n in unverified)
    all_of_day = await client.mobile_numbers("WZ0001", day, day)
    assert len(all_of_day) == len(verified) + len(unverified)


async def test_mobile_refuses_a_time(server: TestClient) -> None:
    raw = await _raw(
        server,
        "mobile",
        userkey=WIWIZ_USERKEY,
        hotspotid="WZ0001",
        date_from="2026-01-01 10:00:00",
    )
    assert raw["status"]["code"] == "ERR006"


async def test_hotspotip(server: TestClient, world: World) -> None:
    hotspot = world.hotspots["wiwiz"]["WZ0003"]
    wan = await wiwiz_client(server).wan_ip("WZ0003")
    assert wan.ip == hotspot.wan_ip
    assert wan.updated_at is not None
    assert abs(wan.updated_at.timestamp() - hotspot.wan_updated) < 1
    raw = await _raw(server, "hotspotip", userkey=WIWIZ_USERKEY, hotspotid="WZ0003")
    assert "updatetime" not in raw["data"]  # only with show_updatetime=1


async def test_webadlog_and_filters(server: TestClient, world: World) -> None:
    client = wiwiz_client(server)
    start, now = _today(world)
    events = await client.ad_events("WZ0001", start, now)
    assert any(e.event_type is AdEventType.VIEW for e in events)
    assert all(
        e.ad_id and e.user_id and e.user_agent and e.site and e.time for e in events
    )
    clicks = await client.ad_events("WZ0001", start, now, event_type=AdEventType.CLICK)
    assert all(e.event_type is AdEventType.CLICK for e in clicks)
    one_ad = await client.ad_events("WZ0001", start, now, ad_id="101")
    assert all(e.ad_id == "101" for e in one_ad)
    assert len(clicks) < len(events)
    # Longer than 30 days: the client splits, the server would refuse.
    assert len(await client.ad_events("WZ0001", now - timedelta(days=45), now)) >= len(
        events
    )


async def test_webadlog_refuses_over_30_days(server: TestClient) -> None:
    params = {"userkey": WIWIZ_USERKEY, "hotspotid": "WZ0001"}
    ok = await _raw(
        server,
        "webadlog",
        **params,
        date_from="2026-01-01 00:00:00",
        date_to="2026-01-31 00:00:00",
    )
    assert ok["status"]["code"] == "OK"
    too_long = await _raw(
        server, "webadlog", **params, date_from="2026-01-01", date_to="2026-02-01"
    )
    assert too_long["status"]["code"] == "ERR006"


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"hotspotid": "WZ0001"}, "ERR001"),
        ({"userkey": WIWIZ_USERKEY}, "ERR002"),
        ({"userkey": "wrong", "hotspotid": "WZ0001"}, "ERR003"),
        ({"userkey": WIWIZ_USERKEY, "hotspotid": "WZ9999"}, "ERR005"),
        (
            {"userkey": WIWIZ_USERKEY, "hotspotid": "WZ0001", "date_from": "yesterday"},
            "ERR006",
        ),
    ],
)
async def test_status_codes(
    server: TestClient, params: dict[str, str], code: str
) -> None:
    raw = await _raw(server, "connlog", **params)
    assert raw["status"]["code"] == code
    assert raw["status"]["message"]
    assert raw["data"] is None


async def test_status_codes_through_client(server: TestClient) -> None:
    with pytest.raises(InvalidKeyError):
        await wiwiz_client(server, userkey="").current_connections("WZ0001")
    with pytest.raises(InvalidKeyError):
        await wiwiz_client(server, userkey="wrong").wan_ip("WZ0001")
    with pytest.raises(InvalidHotspotError) as missing:
        await wiwiz_client(server).current_connections("")
    assert missing.value.code == "ERR002"
    with pytest.raises(InvalidHotspotError) as unknown:
        await wiwiz_client(server).wan_ip("nope")
    assert unknown.value.code == "ERR005"
    assert issubclass(InvalidDateError, Exception)  # ERR006: see test_status_codes


async def test_post_form_and_no_trailing_slash(server: TestClient) -> None:
    answer = await server.post(
        "/as/qapi/hotspotip", data={"userkey": WIWIZ_USERKEY, "hotspotid": "WZ0001"}
    )
    assert xmltodict.parse(await answer.text())["result"]["status"]["code"] == "OK"
    missing = await server.get("/as/qapi/nothing/")
    assert missing.status == 404


async def test_arrive_and_leave_show_in_conn(server: TestClient, world: World) -> None:
    client = wiwiz_client(server)
    answer = await server.post(
        "/_admin/arrive",
        json={"vendor": "wiwiz", "hotspot_id": "WZ0003", "mac": "02:00:00:00:00:99"},
    )
    assert answer.status == 200
    arrived = await answer.json()
    assert arrived["mac"] == "02:00:00:00:00:99"
    conns = await client.current_connections("WZ0003")
    assert "02:00:00:00:00:99" in {c.mac for c in conns}
    answer = await server.post(
        "/_admin/leave", json={"vendor": "wiwiz", "mac": "02-00-00-00-00-99"}
    )
    assert answer.status == 200
    assert "02:00:00:00:00:99" not in {
        c.mac for c in await client.current_connections("WZ0003")
    }
    closed = await client.connection(arrived["tokencode"])
    assert closed.end_time is not None
