"""Build a vendor client from a config entry's data (Home Assistant's shared session)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aiohttp
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_entry_oauth2_flow
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util import dt as dt_util

from .api.errors import AuthenticationError, CannotConnectError
from .api.mywifi import DEFAULT_BASE_URL as MYWIFI_URL, MyWifiClient
from .api.smartwifi import SmartWifiClient, base_url_for
from .api.wiwiz import DEFAULT_BASE_URL as WIWIZ_URL, WiwizClient
from .const import CONF_API_TOKEN, CONF_BASE_URL, CONF_ENVIRONMENT, CONF_USERKEY


def smartwifi_client(hass: HomeAssistant, data: Mapping[str, Any]) -> SmartWifiClient:
    """A client for a SmartWiFi account."""
    return SmartWifiClient(
        async_get_clientsession(hass),
        data[CONF_API_TOKEN],
        base_url=base_url_for(data[CONF_ENVIRONMENT], data.get(CONF_HOST)),
    )


def wiwiz_client(hass: HomeAssistant, data: Mapping[str, Any]) -> WiwizClient:
    """A client for a Wiwiz account."""
    # Wiwiz writes times without an offset, in the venue's wall clock.
    return WiwizClient(
        async_get_clientsession(hass),
        data[CONF_USERKEY],
        base_url=data.get(CONF_BASE_URL) or WIWIZ_URL,
        time_zone=dt_util.get_default_time_zone(),
    )


def mywifi_client(
    hass: HomeAssistant,
    entry: ConfigEntry,
    session: config_entry_oauth2_flow.OAuth2Session,
) -> MyWifiClient:
    """A client for a My Wi-Fi account, asking for a fresh token before each call."""

    async def access_token() -> str:
        try:
            await session.async_ensure_token_valid()
        except aiohttp.ClientResponseError as err:
            # The token endpoint refused the refresh token: sign in again.
            if 400 <= err.status < 500:
                raise AuthenticationError("The refresh token was refused") from None
            raise CannotConnectError(
                f"Token refresh failed: HTTP {err.status}"
            ) from None
        except (aiohttp.ClientError, TimeoutError):
            raise CannotConnectError("Token refresh failed") from None
        return str(session.token["access_token"])

    return MyWifiClient(
        async_get_clientsession(hass),
        access_token,
        base_url=entry.options.get(CONF_BASE_URL) or MYWIFI_URL,
    )
