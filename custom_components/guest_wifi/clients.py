"""Build a vendor client from a config entry's data (Home Assistant's shared session)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import aiohttp
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_entry_oauth2_flow
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util import dt as dt_util

from .api import VendorClient
from .api.errors import (
    GuestWifiError,
    InvalidHotspotError,
    InvalidKeyError,
    ProfessionalRequiredError,
    RateLimitedError,
)
from .api.mywifi import DEFAULT_BASE_URL as MYWIFI_URL, MyWifiClient
from .api.smartwifi import SmartWifiClient, base_url_for
from .api.wiwiz import (
    DEFAULT_BASE_URL as WIWIZ_URL,
    HTTPS_BASE_URL as WIWIZ_HTTPS_URL,
    WiwizClient,
)
from .const import (
    CONF_API_TOKEN,
    CONF_BASE_URL,
    CONF_ENVIRONMENT,
    CONF_HOTSPOT_IDS,
    CONF_HTTPS,
    CONF_USERKEY,
    HTTPS_PROBE_TIMEOUT,
)
from .errors import token_refresh_error


def smartwifi_client(hass: HomeAssistant, data: Mapping[str, Any]) -> SmartWifiClient:
    """A client for a SmartWiFi account."""
    return SmartWifiClient(
        async_get_clientsession(hass),
        data[CONF_API_TOKEN],
        base_url=base_url_for(data[CONF_ENVIRONMENT], data.get(CONF_HOST)),
    )


def wiwiz_base_url(data: Mapping[str, Any]) -> str:
    """Where a Wiwiz account is asked.

    A typed address as typed; else HTTPS once Wiwiz answered over it; else
    the documented http:// address.
    """
    if address := data.get(CONF_BASE_URL):
        return str(address)
    return WIWIZ_HTTPS_URL if data.get(CONF_HTTPS) else WIWIZ_URL


def wiwiz_client(hass: HomeAssistant, data: Mapping[str, Any]) -> WiwizClient:
    """A client for a Wiwiz account."""
    # Wiwiz writes times without an offset, in the venue's wall clock.
    return WiwizClient(
        async_get_clientsession(hass),
        data[CONF_USERKEY],
        base_url=wiwiz_base_url(data),
        time_zone=dt_util.get_default_time_zone(),
    )


async def wiwiz_answers_over_https(
    hass: HomeAssistant, data: Mapping[str, Any]
) -> bool:
    """Whether Wiwiz answers this account's queries over HTTPS.

    Only a real answer to a cheap query (the first hotspot's WAN IP) counts:
    data, or a refusal only the API itself gives (key, hotspot, edition). A
    refused connection, a TLS failure, a timeout or a page that is not the
    API mean no. A 429 is raised: it says neither, only "wait".
    """
    client = WiwizClient(
        async_get_clientsession(hass),
        data[CONF_USERKEY],
        base_url=WIWIZ_HTTPS_URL,
        timeout=HTTPS_PROBE_TIMEOUT,
    )
    try:
        await client.wan_ip(data[CONF_HOTSPOT_IDS][0])
    except (InvalidKeyError, InvalidHotspotError, ProfessionalRequiredError):
        return True
    except RateLimitedError:
        raise
    except GuestWifiError:
        return False
    return True


def mywifi_client(
    hass: HomeAssistant,
    entry: ConfigEntry,
    session: config_entry_oauth2_flow.OAuth2Session,
) -> MyWifiClient:
    """A client for a My Wi-Fi account, asking for a fresh token before each call.

    A token the vendor refuses before its time is refreshed once, whatever
    its expiry says; only a refused refresh means signing in again.
    """

    async def access_token() -> str:
        try:
            # A refresh is one more request of this client: as bounded.
            async with asyncio.timeout(client.timeout):
                await session.async_ensure_token_valid()
        except (aiohttp.ClientError, TimeoutError) as err:
            raise token_refresh_error(err) from None
        return str(session.token["access_token"])

    async def renew_token(refused: str) -> str:
        if session.token["access_token"] == refused:
            # Stored as expired, the session refreshes it under its own lock:
            # never alongside a refresh of its own, and once for many calls
            # refused together (the others find a new token already stored).
            hass.config_entries.async_update_entry(
                entry,
                data={**entry.data, "token": {**session.token, "expires_at": 0}},
            )
        return await access_token()

    # Named: access_token() above reads the client's timeout.
    client = MyWifiClient(
        async_get_clientsession(hass),
        access_token,
        renew_token=renew_token,
        base_url=entry.options.get(CONF_BASE_URL) or MYWIFI_URL,
    )
    return client


@contextmanager
def requests_within(client: VendorClient, seconds: float) -> Iterator[None]:
    """Each request of `client` takes at most `seconds` inside; as before after."""
    before = client.timeout
    client.timeout = min(before, seconds)
    try:
        yield
    finally:
        client.timeout = before
