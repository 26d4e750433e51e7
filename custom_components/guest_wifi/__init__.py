"""Guest Wi-Fi: guest Wi-Fi (captive-portal) platforms in Home Assistant."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryNotReady
from homeassistant.helpers import config_entry_oauth2_flow, config_validation as cv
from homeassistant.helpers.typing import ConfigType

from .clients import mywifi_client, smartwifi_client, wiwiz_client
from .const import (
    CONF_HOTSPOT_IDS,
    CONF_HOTSPOTS,
    DOMAIN,
    VENDOR_MYWIFI,
    VENDOR_SMARTWIFI,
    VENDOR_WIWIZ,
)
from .coordinator import (
    GuestWifiCoordinator,
    MyWifiCoordinator,
    SmartWifiAccountCoordinator,
    SmartWifiConnectionsCoordinator,
    WiwizConnectionsCoordinator,
    WiwizTodayCoordinator,
    WiwizWanIpCoordinator,
)
from .data import GuestWifiConfigEntry, GuestWifiData
from .guests import GuestPresence, guest_store
from .models import HotspotConnections
from .services import async_setup_services
from .user_actions import async_setup_user_actions

PLATFORMS = [Platform.DEVICE_TRACKER, Platform.EVENT, Platform.SENSOR]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions once, for every entry."""
    async_setup_services(hass)
    async_setup_user_actions(hass)
    return True


def _hotspots(entry: GuestWifiConfigEntry) -> dict[str, str]:
    if entry.data["vendor"] == VENDOR_WIWIZ:
        return {h: h for h in entry.data[CONF_HOTSPOT_IDS]}
    return dict(entry.data[CONF_HOTSPOTS])


def _runtime(hass: HomeAssistant, entry: GuestWifiConfigEntry) -> GuestWifiData:
    """The clients and coordinators of the entry's vendor."""
    if entry.data["vendor"] == VENDOR_SMARTWIFI:
        smartwifi = smartwifi_client(hass, entry.data)
        connections: GuestWifiCoordinator[Mapping[str, HotspotConnections]] = (
            SmartWifiConnectionsCoordinator(hass, entry, smartwifi)
        )
        return GuestWifiData(
            vendor=VENDOR_SMARTWIFI,
            client=smartwifi,
            hotspots=_hotspots(entry),
            connections=connections,
            presence=GuestPresence(hass, entry, connections),
            account=SmartWifiAccountCoordinator(hass, entry, smartwifi),
        )
    wiwiz = wiwiz_client(hass, entry.data)
    connections = WiwizConnectionsCoordinator(hass, entry, wiwiz)
    return GuestWifiData(
        vendor=VENDOR_WIWIZ,
        client=wiwiz,
        hotspots=_hotspots(entry),
        connections=connections,
        presence=GuestPresence(hass, entry, connections),
        today=WiwizTodayCoordinator(hass, entry, wiwiz),
        wan_ip=WiwizWanIpCoordinator(hass, entry, wiwiz),
    )


async def _mywifi_runtime(
    hass: HomeAssistant, entry: GuestWifiConfigEntry
) -> GuestWifiData:
    try:
        implementation = (
            await config_entry_oauth2_flow.async_get_config_entry_implementation(
                hass, entry
            )
        )
    except ValueError as err:
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN, translation_key="credentials_missing"
        ) from err
    client = mywifi_client(
        hass, entry, config_entry_oauth2_flow.OAuth2Session(hass, entry, implementation)
    )
    return GuestWifiData(
        vendor=VENDOR_MYWIFI,
        client=client,
        hotspots={},
        users=MyWifiCoordinator(hass, entry, client),
    )


async def async_setup_entry(hass: HomeAssistant, entry: GuestWifiConfigEntry) -> bool:
    """Start polling the account."""
    if entry.data["vendor"] == VENDOR_MYWIFI:
        runtime = await _mywifi_runtime(hass, entry)
    else:
        runtime = _runtime(hass, entry)
    entry.runtime_data = runtime
    # The data sources are independent: ask the vendor for all at once.
    await asyncio.gather(
        *(c.async_config_entry_first_refresh() for c in runtime.coordinators)
    )
    if runtime.presence is not None:
        await runtime.presence.async_start()
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)

    # The entry is also updated when its OAuth2 token is refreshed: only new
    # options call for a reload.
    options = dict(entry.options)

    async def reload_on_new_options(
        hass: HomeAssistant, entry: GuestWifiConfigEntry
    ) -> None:
        if dict(entry.options) != options:
            await hass.config_entries.async_reload(entry.entry_id)

    entry.async_on_unload(entry.add_update_listener(reload_on_new_options))
    return True


async def async_unload_entry(hass: HomeAssistant, entry: GuestWifiConfigEntry) -> bool:
    """Stop polling."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: GuestWifiConfigEntry) -> None:
    """Forget the guests this entry remembered."""
    await guest_store(hass, entry.entry_id).async_remove()
