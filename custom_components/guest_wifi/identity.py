"""How an owner tells things apart: accounts, hotspots and guests in their words.

Two venues may both have a "Lobby", on two vendors or two accounts of one.
Core offers devices a model, a serial number and the device they are reached
through: a hotspot's model names its vendor ("Wiwiz hotspot"), its serial
number is the vendor's hotspot id, and it is reached through its account's
device, named as an account ("SmartWiFi account"), not by the hotspot list
of the entry's title (which a phone cuts off, and which made entity ids like
`sensor.smartwifi_lobby_terrace_bar_guests`).

The vendors' names as an owner reads them are in their descriptions
(vendors.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo

from .api import normalized_mac
from .data import GuestWifiConfigEntry
from .devices import account_identifier
from .vendors import vendor_of

# The translation key of the account device's name ("{vendor} account").
ACCOUNT_TRANSLATION_KEY = "account"

# Home Assistant 2026.8 links a device to the one it is reached through by the
# registry id (`via_device_id`); before, by an identifier (`via_device`), which
# 2026.8 and later report as deprecated.
_VIA_BY_ID = "via_device_id" in DeviceInfo.__optional_keys__


def account_device(entry: GuestWifiConfigEntry) -> DeviceInfo:
    """The account's service device: "SmartWiFi account", in the owner's language."""
    vendor = vendor_of(entry)
    device = DeviceInfo(
        identifiers={account_identifier(entry)},
        manufacturer=vendor.name,
        model="Account",
        entry_type=DeviceEntryType.SERVICE,
    )
    if vendor.hotspot_model is None:
        # Titled by its service, no hotspot list: its account device keeps
        # that name (and the entity ids made from it).
        device["name"] = entry.title
    else:
        device["translation_key"] = ACCOUNT_TRANSLATION_KEY
        device["translation_placeholders"] = {"vendor": vendor.title}
    return device


@callback
def async_register_account(hass: HomeAssistant, entry: GuestWifiConfigEntry) -> None:
    """The account's device, once at set-up, before its hotspots' devices.

    Whatever the vendor: a Wiwiz account has no figures of its own, but its
    hotspots still say whose they are (`via_account`).
    """
    entry.runtime_data.account_device_id = (
        dr.async_get(hass)
        .async_get_or_create(config_entry_id=entry.entry_id, **account_device(entry))
        .id
    )


def via_account(entry: GuestWifiConfigEntry) -> DeviceInfo:
    """A hotspot device's link to its account's device, as the release takes it."""
    if not _VIA_BY_ID:
        return DeviceInfo(via_device=account_identifier(entry))  # type: ignore[typeddict-unknown-key]
    if (account := entry.runtime_data.account_device_id) is None:
        return DeviceInfo()
    return DeviceInfo(via_device_id=account)


# What the hotspot's activity entity shows of a guest event, besides the guest:
# no entry id, vendor or hotspot id (the entity is the hotspot's already).
_ACTIVITY_SHOWN = ("mac", "ip", "username", "email", "phone")


def activity_attributes(data: Mapping[str, Any]) -> dict[str, Any]:
    """A guest event as the activity entity shows it: who, in the owner's words.

    The bus event keeps the contract's data; automations read that, and the
    owner reads this (the entity's attributes, translated in strings.json).
    """
    shown = {"guest": guest_label(data.get("mac"), data.get("username"))}
    # What the vendor did not say is left out, not shown as "Unknown".
    shown.update(
        (key, data[key]) for key in _ACTIVITY_SHOWN if data.get(key) is not None
    )
    return shown


def where_named(name: str, hotspot: str | None) -> str:
    """A guest's name with where they were last seen: "lucas2 (Lobby)"."""
    return f"{name} ({hotspot})" if hotspot else name


def guest_label(mac: str | None, username: str | None) -> str:
    """A guest as the owner reads them: their name, and the MAC that tells them apart.

    Many portals log a guest in under their device's MAC: "Guest ac:bc:…
    (ac:bc:…)" would say it twice, so a username that is the MAC is not a name.
    """
    mac = mac or "?"
    if not username or normalized_mac(username) == mac:
        return mac
    return f"{username} ({mac})"
