"""The entry's hotspots and devices: hotspots and the account, nothing left behind."""

from __future__ import annotations

from collections.abc import Iterable

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er

from .const import CONF_HOTSPOT_IDS, CONF_HOTSPOTS, CONF_VENDOR, DOMAIN
from .data import GuestWifiConfigEntry

# Hotspot names an entry title shows before it counts the rest.
_TITLE_NAMES = 3


def entry_hotspots(entry: GuestWifiConfigEntry) -> dict[str, str]:
    """Hotspot id to name, as the entry holds them."""
    names = entry.data.get(CONF_HOTSPOTS) or {}
    if CONF_HOTSPOT_IDS in entry.data:
        # Hotspot ids typed by the owner (Wiwiz, which has no names): the
        # owner's names from the flow, else the id.
        return {h: names.get(h, h) for h in entry.data[CONF_HOTSPOT_IDS]}
    # The vendor's names (none for an account without hotspots).
    return dict(names)


def hotspot_identifier(vendor: str, hotspot_id: str) -> tuple[str, str]:
    """The device identifier of a hotspot: its vendor and its id there."""
    return (DOMAIN, f"{vendor}_{hotspot_id}")


def account_identifier(entry: GuestWifiConfigEntry) -> tuple[str, str]:
    """The device identifier of the entry's account."""
    return (DOMAIN, f"{entry.data[CONF_VENDOR]}_account_{entry.unique_id}")


def entry_title(vendor_title: str, names: Iterable[str]) -> str:
    """The vendor and the account's hotspots: two accounts of a vendor differ."""
    names = list(names)
    shown = ", ".join(names[:_TITLE_NAMES])
    if len(names) > _TITLE_NAMES:
        shown += f", +{len(names) - _TITLE_NAMES}"
    return f"{vendor_title} ({shown})"


def follow_title(
    title: str, vendor_title: str, old: Iterable[str], new: Iterable[str]
) -> str:
    """The title once the hotspots named `old` become `new`.

    A title the user chose stays; one we made follows the hotspots.
    """
    if title in (vendor_title, entry_title(vendor_title, old)):
        return entry_title(vendor_title, new)
    return title


def _config_entry_ids(device: dr.DeviceEntry) -> set[str]:
    """The entries of a device: one from Home Assistant 2026.8, any number before."""
    if (entry_id := getattr(device, "config_entry_id", None)) is not None:
        return {entry_id}
    return set(device.config_entries)


def _let_go(devices: dr.DeviceRegistry, device: dr.DeviceEntry, entry_id: str) -> None:
    """Remove a device of this entry; one another entry shares only loses it."""
    if _config_entry_ids(device) == {entry_id}:
        devices.async_remove_device(device.id)
    else:
        devices.async_update_device(device.id, remove_config_entry_id=entry_id)


@callback
def remove_guest_devices(hass: HomeAssistant, entry: GuestWifiConfigEntry) -> None:
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
        _let_go(devices, device, entry.entry_id)


def held_identifiers(entry: GuestWifiConfigEntry) -> set[tuple[str, str]]:
    """The device identifiers of what the entry holds: its hotspots and account."""
    vendor = entry.data[CONF_VENDOR]
    return {
        account_identifier(entry),
        *(
            hotspot_identifier(vendor, hotspot_id)
            for hotspot_id in entry_hotspots(entry)
        ),
    }


@callback
def remove_stale_hotspot_devices(
    hass: HomeAssistant, entry: GuestWifiConfigEntry
) -> dict[str, str]:
    """Remove the devices of hotspots the entry no longer holds; return those.

    A reconfigure that drops a hotspot reloads the entry: its device would
    stay, every entity unavailable. Removing the device takes its entities
    along; a device another entry shares only loses this entry. The hotspots
    dropped (id to name) are returned.
    """
    devices = dr.async_get(hass)
    held = held_identifiers(entry)
    dropped: dict[str, str] = {}
    for device in dr.async_entries_for_config_entry(devices, entry.entry_id):
        ours = {i for i in device.identifiers if i[0] == DOMAIN}
        if not ours or ours & held:
            continue  # a guest's device (MAC only), or one the entry holds
        if device.serial_number:  # a hotspot's: the owner dropped it
            dropped[device.serial_number] = device.name or device.serial_number
        _let_go(devices, device, entry.entry_id)
    return dropped


def hotspot_of_device(
    hass: HomeAssistant, entry: GuestWifiConfigEntry, device_id: str
) -> str | None:
    """The hotspot id of one of the entry's hotspot devices; None for any other.

    Known by its identifier, which the registry gives one device only: no
    need to look through the entry's devices (guests' included).
    """
    if (device := dr.async_get(hass).async_get(device_id)) is None:
        return None
    vendor = entry.data[CONF_VENDOR]
    return next(
        (
            hotspot_id
            for hotspot_id in entry_hotspots(entry)
            if hotspot_identifier(vendor, hotspot_id) in device.identifiers
        ),
        None,
    )


@callback
def hotspot_anywhere(hass: HomeAssistant, device_id: str) -> tuple[str, str] | None:
    """The entry id and hotspot id of a hotspot device of any entry; None for others.

    Loaded or not: who asks decides what an unloaded entry's hotspot means.
    """
    for entry in hass.config_entries.async_entries(DOMAIN):
        if (hotspot_id := hotspot_of_device(hass, entry, device_id)) is not None:
            return entry.entry_id, hotspot_id
    return None
