"""Build a vendor client from a config entry's data (Home Assistant's shared session)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util import dt as dt_util

from .api.smartwifi import SmartWifiClient, base_url_for
from .api.wiwiz import DEFAULT_BASE_URL as WIWIZ_URL, WiwizClient
from .const import CONF_API_TOKEN, CONF_BASE_URL, CONF_ENVIRONMENT, CONF_USERKEY

CONF_HOST = "host"


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
