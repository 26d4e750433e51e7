"""Injected faults, seen through the integration's clients as the errors they map to."""

from __future__ import annotations

import asyncio
import time

from aiohttp.test_utils import TestClient
import pytest

from custom_components.guest_wifi.api.errors import (
    AuthenticationError,
    CannotConnectError,
    InvalidKeyError,
    InvalidResponseError,
    ProfessionalRequiredError,
    RateLimitedError,
)
from simulator.faults import DEFAULT_HANG, Fault, Faults, parse_fault

from .conftest import Tokens, mywifi_client, smartwifi_client, wiwiz_client


def _calls(server: TestClient, tokens: Tokens, *, timeout: float = 30):
    """One cheap call per vendor, through its client."""
    return {
        "wiwiz": lambda: wiwiz_client(server, timeout=timeout).wan_ip("WZ0001"),
        "smartwifi": lambda: smartwifi_client(server, timeout=timeout).hotspots(),
        "mywifi": lambda: mywifi_client(server, tokens, timeout=timeout).groups(),
    }


@pytest.mark.parametrize("vendor", ["wiwiz", "smartwifi", "mywifi"])
@pytest.mark.parametrize(
    ("kind", "options", "error"),
    [
        ("error", {"status": 503}, CannotConnectError),
        ("error", {}, CannotConnectError),
        ("rate_limit", {"retry_after": 30}, RateLimitedError),
        ("malformed", {}, InvalidResponseError),
        ("truncated", {}, InvalidResponseError),
        ("revoked", {}, AuthenticationError),
    ],
)
async def test_fault_kinds(
    server: TestClient,
    tokens: Tokens,
    faults: Faults,
    vendor: str,
    kind: str,
    options: dict,
    error: type[Exception],
) -> None:
    call = _calls(server, tokens)[vendor]
    faults.add(Fault(vendor, kind, count=1, **options))
    with pytest.raises(error) as raised:
        await call()
    if kind == "rate_limit":
        assert raised.value.retry_after == 30
    await call()  # the single count is used up
    assert faults.active == []


async def test_wiwiz_revoked_and_err004(server: TestClient, faults: Faults) -> None:
    client = wiwiz_client(server)
    faults.add(Fault("wiwiz", "revoked", count=1))
    with pytest.raises(InvalidKeyError):
        await client.current_connections("WZ0001")
    faults.add(Fault("wiwiz", "err004", count=1))
    with pytest.raises(ProfessionalRequiredError):
        await client.current_connections("WZ0001")


async def test_rate_limit_without_retry_after(
    server: TestClient, faults: Faults
) -> None:
    faults.add(Fault("smartwifi", "rate_limit", count=1))
    with pytest.raises(RateLimitedError) as raised:
        await smartwifi_client(server).ping()
    assert raised.value.retry_after is None


async def test_latency(server: TestClient, faults: Faults) -> None:
    faults.add(Fault("all", "latency", seconds=0.2))
    started = time.perf_counter()
    await wiwiz_client(server).wan_ip("WZ0001")
    assert time.perf_counter() - started >= 0.2
    assert len(faults.active) == 1  # no count: until cleared


async def test_timeout_hangs_until_client_gives_up(
    server: TestClient, faults: Faults
) -> None:
    faults.add(Fault("smartwifi", "timeout", count=1))
    started = time.perf_counter()
    with pytest.raises(CannotConnectError, match="Timeout"):
        await smartwifi_client(server, timeout=0.3).ping()
    assert time.perf_counter() - started < DEFAULT_HANG
    # The client hung up: the hanging handler is cancelled, not left behind.
    for _ in range(50):
        if not faults._hanging:
            break
        await asyncio.sleep(0.01)
    assert not faults._hanging
    await smartwifi_client(server).ping()


async def test_count_and_vendor_scope(
    server: TestClient, tokens: Tokens, faults: Faults
) -> None:
    faults.add(Fault("wiwiz", "error", count=2))
    client = wiwiz_client(server)
    for _ in range(2):
        with pytest.raises(CannotConnectError):
            await client.wan_ip("WZ0001")
    await client.wan_ip("WZ0001")
    faults.add(Fault("all", "error", count=3))
    for call in _calls(server, tokens).values():
        with pytest.raises(CannotConnectError):
            await call()
    assert faults.active == []


async def test_revoked_spares_the_sign_in_page(
    server: TestClient, faults: Faults
) -> None:
    faults.add(Fault("mywifi", "revoked", count=1))
    page = await server.get(
        "/OAuth/Authorize",
        params={"client_id": "demo-client", "redirect_uri": "http://x/"},
    )
    assert page.status == 200
    assert len(faults.active) == 1  # still waiting for the token endpoint or the API
    answer = await server.post("/OAuth/Token", data={"grant_type": "refresh_token"})
    assert (answer.status, await answer.json()) == (401, {"error": "invalid_client"})


async def test_admin_faults_api(server: TestClient, tokens: Tokens) -> None:
    added = await server.post(
        "/_admin/faults",
        json={
            "vendor": "smartwifi",
            "kind": "rate_limit",
            "count": 2,
            "retry_after": 5,
        },
    )
    assert added.status == 201
    fault = await added.json()
    assert fault["kind"] == "rate_limit"
    assert [f["id"] for f in await (await server.get("/_admin/faults")).json()] == [
        fault["id"]
    ]
    with pytest.raises(RateLimitedError):
        await smartwifi_client(server).ping()
    assert (await (await server.get("/_admin/faults")).json())[0]["count"] == 1
    for bad in (
        {"vendor": "nobody", "kind": "error"},
        {"vendor": "wiwiz", "kind": "explode"},
        {"vendor": "smartwifi", "kind": "err004"},
        {"vendor": "wiwiz", "kind": "error", "count": 0},
        {"vendor": "wiwiz", "kind": "error", "count": "2"},
        {"vendor": "wiwiz", "kind": "error", "status": 200},
        {"vendor": "wiwiz", "kind": "error", "colour": "red"},
    ):
        answer = await server.post("/_admin/faults", json=bad)
        assert answer.status == 400, bad
    await server.post(
        "/_admin/faults", json={"vendor": "wiwiz", "kind": "latency", "seconds": 0}
    )
    one = await server.delete(f"/_admin/faults/{fault['id']}")
    assert await one.json() == {"cleared": 1}
    cleared = await server.delete("/_admin/faults")
    assert await cleared.json() == {"cleared": 1}
    await smartwifi_client(server).ping()


def test_parse_fault_from_the_command_line() -> None:
    assert (parse_fault("wiwiz:error:3").kind, parse_fault("wiwiz:error:3").count) == (
        "error",
        3,
    )
    unlimited = parse_fault("smartwifi:rate_limit")
    assert (unlimited.vendor, unlimited.count, unlimited.retry_after) == (
        "smartwifi",
        None,
        None,
    )
    options = parse_fault("mywifi:rate_limit:2:retry_after=30")
    assert (options.count, options.retry_after) == (2, 30)
    assert parse_fault("all:latency::seconds=1.5").seconds == 1.5
    assert parse_fault("wiwiz:error:1:status=502").status == 502
    for bad in (
        "wiwiz",
        "wiwiz:boom",
        "mywifi:err004",
        "wiwiz:error:x",
        "wiwiz:error:1:colour=red",
    ):
        with pytest.raises(ValueError):
            parse_fault(bad)
