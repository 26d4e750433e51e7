"""A vendor that takes the connection and never answers: set-up gives up soon.

The vendor here is a real server on loopback and the requests go through
Home Assistant's real session: the bound under test is aiohttp's own
timeout, which a faked HTTP edge would not apply.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
import time
from typing import Any
from unittest.mock import patch

from aiohttp import web
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMocker,
    AiohttpClientMockResponse,
)
from yarl import URL

from custom_components.guest_wifi.api.mywifi import TOKEN_URL
from custom_components.guest_wifi.const import DOMAIN

from .conftest import token
from .fakes import MYWIFI_CLIENT_ID, SMARTWIFI_TOKEN, WIWIZ_KEY, FakeMyWifi

# Set-up's bound in these tests, in place of its 10 s.
SHORT = 0.3
# Longer than SHORT by far, shorter than the clients' own 30 s: a set-up that
# is still waiting then was not bounded.
GUARD = 8.0


@dataclass
class HungVendor:
    """A server that reads every request and never answers."""

    url: str = ""
    asked: list[str] = field(default_factory=list)


@pytest.fixture
async def hung_vendor(socket_enabled: None) -> AsyncIterator[HungVendor]:
    """The hung vendor on 127.0.0.1 (Home Assistant's plugin blocks sockets)."""
    vendor = HungVendor()
    # Set once the test is over: the server's handlers then end.
    over = asyncio.Event()

    async def hang(request: web.Request) -> web.StreamResponse:
        vendor.asked.append(request.path)
        await over.wait()
        return web.Response(status=503)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", hang)
    runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    vendor.url = f"http://127.0.0.1:{runner.addresses[0][1]}/"
    yield vendor
    over.set()
    await runner.cleanup()


def _entry(vendor: str, url: str) -> MockConfigEntry:
    """An entry of `vendor` whose API address is the hung server."""
    data: dict[str, Any] = {"vendor": vendor}
    options: dict[str, Any] = {}
    if vendor == "wiwiz":
        data |= {"userkey": WIWIZ_KEY, "hotspot_ids": ["HS1"], "base_url": url}
    elif vendor == "smartwifi":
        data |= {
            "api_token": SMARTWIFI_TOKEN,
            "environment": "custom",
            "host": url,
            "hotspots": {"12261": "Lobby"},
        }
    else:
        data |= {"auth_implementation": DOMAIN, "token": token()}
        options["base_url"] = url
    return MockConfigEntry(
        domain=DOMAIN,
        title=vendor,
        unique_id=f"{vendor}_{MYWIFI_CLIENT_ID}",
        data=data,
        options=options,
    )


@pytest.mark.parametrize("vendor", ["wiwiz", "smartwifi", "mywifi"])
@pytest.mark.usefixtures("credentials")
async def test_a_hung_vendor_holds_set_up_only_for_the_set_up_bound(
    hass: HomeAssistant, hung_vendor: HungVendor, vendor: str
) -> None:
    """A retry with a translated reason after SHORT, not after 30 s."""
    entry = _entry(vendor, hung_vendor.url)
    entry.add_to_hass(hass)
    started = time.monotonic()

    with patch("custom_components.guest_wifi.SETUP_REQUEST_TIMEOUT", SHORT):
        async with asyncio.timeout(GUARD):
            assert not await hass.config_entries.async_setup(entry.entry_id)

    assert time.monotonic() - started < GUARD
    assert hung_vendor.asked  # the vendor was asked, and did not answer
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert entry.error_reason_translation_key == "update_failed"
    assert "Timeout" in (entry.reason or "")
    await hass.config_entries.async_unload(entry.entry_id)


async def _never_answer(method: str, url: URL, data: Any) -> AiohttpClientMockResponse:
    await asyncio.Event().wait()
    raise AssertionError("never answered")


@pytest.mark.usefixtures("credentials")
async def test_a_hung_token_endpoint_holds_set_up_only_for_the_set_up_bound(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """The token refresh at set-up is one of its requests: as bounded."""
    FakeMyWifi().register(aioclient_mock)
    aioclient_mock.post(TOKEN_URL, side_effect=_never_answer)
    entry = _entry("mywifi", "https://api.mywifiservice.com/v1/")
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, "token": token("old", expires_in=-10)}
    )

    with patch("custom_components.guest_wifi.SETUP_REQUEST_TIMEOUT", SHORT):
        async with asyncio.timeout(GUARD):
            assert not await hass.config_entries.async_setup(entry.entry_id)

    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert entry.error_reason_translation_key == "update_failed"
    assert "Token refresh failed" in (entry.reason or "")


@pytest.mark.usefixtures("credentials")
async def test_polls_keep_their_own_timeout(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """After set-up, a refresh waits past the set-up bound (the poll's deadline ends it)."""
    FakeMyWifi().register(aioclient_mock)
    entry = _entry("mywifi", "https://api.mywifiservice.com/v1/")
    entry.add_to_hass(hass)
    with patch("custom_components.guest_wifi.SETUP_REQUEST_TIMEOUT", SHORT / 3):
        assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, "token": token("old", expires_in=-10)}
    )
    aioclient_mock.post(TOKEN_URL, side_effect=_never_answer)

    poll = hass.async_create_task(entry.runtime_data.users.async_refresh())
    await asyncio.sleep(SHORT)

    assert not poll.done()
    assert entry.runtime_data.client.timeout == 30
    poll.cancel()
    await hass.config_entries.async_unload(entry.entry_id)
