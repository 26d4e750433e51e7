"""Guest Wi-Fi: guest Wi-Fi (captive-portal) platforms in Home Assistant."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryNotReady
from homeassistant.helpers import (
    config_entry_oauth2_flow,
    config_validation as cv,
    device_registry as dr,
    entity_registry as er,
)
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


async def async_migrate_entry(hass: HomeAssistant, entry: GuestWifiConfigEntry) -> bool:
    """Bring an entry of an older release up to date."""
    if entry.version > 1:
        return False  # made by a newer release: leave it alone
    if entry.minor_version < 2:
        _remove_guest_devices(hass, entry)
        hass.config_entries.async_update_entry(entry, minor_version=2)
    return True


def _config_entry_ids(device: dr.DeviceEntry) -> set[str]:
    """The entries of a device: one from Home Assistant 2026.8, any number before."""
    if (entry_id := getattr(device, "config_entry_id", None)) is not None:
        return {entry_id}
    return set(device.config_entries)


@callback
def _remove_guest_devices(hass: HomeAssistant, entry: GuestWifiConfigEntry) -> None:
    """Remove the device Home Assistant 2026.11 made for each guest tracker.

    They have a MAC and no identifier of ours (hotspots and the account have
    no MAC). A tracker keeps its registry entry, without the device; a device
    another entry shares only loses this entry.
    """
    devices = dr.async_get(hass)
    entities = er.async_get(hass)
    for device in dr.async_entries_for_config_entry(devices, entry.entry_id):
        if any(domain == DOMAIN for domain, _ in device.identifiers) or not any(
            kind == dr.CONNECTION_NETWORK_MAC for kind, _ in device.connections
        ):
            continue
        # Before the device goes: removing it would take its entities along.
        for reg in er.async_entries_for_device(
            entities, device.id, include_disabled_entities=True
        ):
            if reg.config_entry_id == entry.entry_id:
                entities.async_update_entity(reg.entity_id, device_id=None)
        if _config_entry_ids(device) == {entry.entry_id}:
            devices.async_remove_device(device.id)
        else:
            devices.async_update_device(
                device.id, remove_config_entry_id=entry.entry_id
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
    # No update listener: the options flow reloads the entry when its options
    # change, reauthentication and reconfiguration reload it when they finish,
    # and a refreshed OAuth2 token (new entry data) does not reload it.
    return True


async def async_unload_entry(hass: HomeAssistant, entry: GuestWifiConfigEntry) -> bool:
    """Stop polling."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: GuestWifiConfigEntry) -> None:
    """Forget the guests this entry remembered."""
    await guest_store(hass, entry.entry_id).async_remove()
