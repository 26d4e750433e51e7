"""Guest Wi-Fi: guest Wi-Fi (captive-portal) platforms in Home Assistant."""

from __future__ import annotations

import asyncio

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryNotReady, HomeAssistantError
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.typing import ConfigType

from .actions import async_register_actions
from .clients import requests_within
from .const import (
    CONF_ADD_NEW_HOTSPOTS,
    CONF_HOTSPOT_IDS,
    CONF_HOTSPOTS,
    CONF_TRACK_GUESTS,
    DOMAIN,
    REMOVED_INTERVAL_OPTIONS,
    SETUP_REQUEST_TIMEOUT,
    TRACK_ALL,
    VENDOR_SMARTWIFI,
)
from .coordinator import forget_hold_off, rate_limit_wait
from .data import GuestWifiConfigEntry
from .devices import (
    held_identifiers,
    remove_guest_devices,
    remove_stale_hotspot_devices,
)
from .errors import setup_rate_limited
from .guest_store import async_remove_guest_store
from .history import async_start_history
from .history_removal import async_history_removed
from .identity import async_register_account
from .issues import async_delete_entry_issues
from .new_hotspots import async_dropped
from .services import QUERY_ACTIONS
from .user_actions import USER_ACTIONS
from .vendors import vendor_of

PLATFORMS = [Platform.DEVICE_TRACKER, Platform.EVENT, Platform.SENSOR]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions once, for every entry."""
    async_register_actions(hass, (*QUERY_ACTIONS, *USER_ACTIONS))
    return True


async def async_migrate_entry(hass: HomeAssistant, entry: GuestWifiConfigEntry) -> bool:
    """Bring an entry of an older release up to date."""
    if entry.version > 1:
        return False  # made by a newer release: leave it alone
    if entry.minor_version < 2:
        remove_guest_devices(hass, entry)
        hass.config_entries.async_update_entry(entry, minor_version=2)
    if entry.minor_version < 3:
        # Polling intervals became fixed; Wiwiz hotspots got names (their ids).
        data = dict(entry.data)
        # (Only Wiwiz entries held bare hotspot ids.)
        if CONF_HOTSPOT_IDS in data and CONF_HOTSPOTS not in data:
            data[CONF_HOTSPOTS] = {h: h for h in data.get(CONF_HOTSPOT_IDS, ())}
        options = {
            key: value
            for key, value in entry.options.items()
            if key not in REMOVED_INTERVAL_OPTIONS
        }
        hass.config_entries.async_update_entry(
            entry, data=data, options=options, minor_version=3
        )
    if entry.minor_version < 4:
        # New entries track returning guests; older ones keep every guest.
        options = dict(entry.options)
        if vendor_of(entry).reports_guests:
            options.setdefault(CONF_TRACK_GUESTS, TRACK_ALL)
        hass.config_entries.async_update_entry(entry, options=options, minor_version=4)
    if entry.minor_version < 5:
        # New SmartWiFi hotspots can join an entry by themselves. An update
        # does not start that: older entries keep offering them, and the
        # owner turns it on in a reconfigure.
        data = dict(entry.data)
        if data.get("vendor") == VENDOR_SMARTWIFI:
            data.setdefault(CONF_ADD_NEW_HOTSPOTS, False)
        hass.config_entries.async_update_entry(entry, data=data, minor_version=5)
    return True


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: GuestWifiConfigEntry, device: dr.DeviceEntry
) -> bool:
    """Let the user delete a device, unless it is a hotspot or the account held."""
    return not device.identifiers & held_identifiers(entry)


def _setup_failure(failures: list[BaseException]) -> BaseException:
    """What set-up reports when data sources failed their first refresh.

    Refused credentials (and any failure that is not "try again") come first;
    then the failure with the longest wait a vendor asked for. Before 2026.11
    core gives a failed first refresh no reason: it is taken from the cause.
    """
    not_ready = [f for f in failures if isinstance(f, ConfigEntryNotReady)]
    if len(not_ready) < len(failures):
        return next(f for f in failures if not isinstance(f, ConfigEntryNotReady))
    failure = max(not_ready, key=lambda f: getattr(f.__cause__, "retry_after", 0) or 0)
    cause = failure.__cause__
    if (
        failure.translation_key is not None
        or not isinstance(cause, HomeAssistantError)
        or cause.translation_key is None
    ):
        return failure
    explained = ConfigEntryNotReady(
        translation_domain=cause.translation_domain,
        translation_key=cause.translation_key,
        translation_placeholders=cause.translation_placeholders,
    )
    explained.__cause__ = cause
    return explained


async def async_setup_entry(hass: HomeAssistant, entry: GuestWifiConfigEntry) -> bool:
    """Start polling the account."""
    if wait := rate_limit_wait(hass, entry.entry_id):
        # Waits out a vendor's 429 without asking it anything.
        raise setup_rate_limited(wait)
    runtime = await vendor_of(entry).start(hass, entry)
    entry.runtime_data = runtime
    async_dropped(hass, entry, remove_stale_hotspot_devices(hass, entry))
    # The data sources are independent: ask the vendor for all at once, and
    # let every first refresh end before judging (none is left running). A
    # vendor that never answers fails it after SETUP_REQUEST_TIMEOUT: a
    # retry, not a start held for the polls' longer timeout.
    with requests_within(runtime.client, SETUP_REQUEST_TIMEOUT):
        results = await asyncio.gather(
            *(c.async_config_entry_first_refresh() for c in runtime.coordinators),
            return_exceptions=True,
        )
    if failures := [r for r in results if isinstance(r, BaseException)]:
        raise _setup_failure(failures)
    await runtime.async_started()
    async_register_account(hass, entry)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    async_start_history(hass, entry)
    # No update listener: the options flow reloads the entry when its options
    # change, reauthentication and reconfiguration reload it when they finish,
    # and a refreshed OAuth2 token (new entry data) does not reload it.
    return True


async def async_unload_entry(hass: HomeAssistant, entry: GuestWifiConfigEntry) -> bool:
    """Stop polling."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: GuestWifiConfigEntry) -> None:
    """Forget the guests this entry remembered, and what it was waiting for.

    Its history is kept, with an offer to delete it (history_removal.py).
    """
    forget_hold_off(hass, entry.entry_id)
    # Every repair an entry raises names it in its id: all go with it, whatever
    # file raised them (plain http, Professional edition, tracker flood, ...).
    async_delete_entry_issues(hass, entry.entry_id)
    await async_remove_guest_store(hass, entry.entry_id)
    await async_history_removed(hass, entry)
