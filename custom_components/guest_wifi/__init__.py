"""Guest Wi-Fi: guest Wi-Fi (captive-portal) platforms in Home Assistant."""

from __future__ import annotations

import asyncio
from functools import partial
import ipaddress

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryNotReady, HomeAssistantError
from homeassistant.helpers import (
    config_entry_oauth2_flow,
    config_validation as cv,
    device_registry as dr,
)
from homeassistant.helpers.typing import ConfigType
from yarl import URL

from .actions import async_register_actions
from .api.errors import RateLimitedError
from .clients import (
    mywifi_client,
    requests_within,
    smartwifi_client,
    wiwiz_answers_over_https,
    wiwiz_base_url,
    wiwiz_client,
)
from .const import (
    CONF_ADD_NEW_HOTSPOTS,
    CONF_BASE_URL,
    CONF_HOTSPOT_IDS,
    CONF_HOTSPOTS,
    CONF_HTTPS,
    CONF_TRACK_GUESTS,
    CONF_VENDOR,
    DOMAIN,
    REMOVED_INTERVAL_OPTIONS,
    SETUP_REQUEST_TIMEOUT,
    TRACK_ALL,
    VENDOR_MYWIFI,
    VENDOR_SMARTWIFI,
    VENDOR_WIWIZ,
)
from .coordinator import forget_hold_off, hold_off, rate_limit_wait
from .coordinator_mywifi import MyWifiCoordinator
from .coordinator_smartwifi import (
    SmartWifiAccountCoordinator,
    SmartWifiConnectionsCoordinator,
)
from .coordinator_wiwiz import (
    WiwizConnectionsCoordinator,
    WiwizTodayCoordinator,
    WiwizWanIpCoordinator,
)
from .data import (
    GuestsData,
    GuestWifiConfigEntry,
    GuestWifiData,
    MyWifiData,
    SmartWifiData,
    WiwizData,
)
from .devices import (
    entry_hotspots,
    held_identifiers,
    remove_guest_devices,
    remove_stale_hotspot_devices,
)
from .errors import setup_rate_limited
from .guest_store import async_remove_guest_store
from .guests import GuestPresence
from .history import async_history_removed, async_start_history
from .issues import async_delete_entry_issues, async_wiwiz_clear_text
from .new_hotspots import async_dropped, async_found
from .services import QUERY_ACTIONS
from .user_actions import USER_ACTIONS
from .venue import Venue

PLATFORMS = [Platform.DEVICE_TRACKER, Platform.EVENT, Platform.SENSOR]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions once, for every entry."""
    async_register_actions(hass, (*QUERY_ACTIONS, *USER_ACTIONS))
    return True


def _smartwifi_runtime(
    hass: HomeAssistant, entry: GuestWifiConfigEntry
) -> SmartWifiData:
    client = smartwifi_client(hass, entry.data)
    venue = Venue(VENDOR_SMARTWIFI, entry_hotspots(entry))
    connections = SmartWifiConnectionsCoordinator(hass, entry, client, venue)
    account = SmartWifiAccountCoordinator(hass, entry, client, venue)
    # Hotspots new at the vendor are added or offered as the account lists them.
    account.hotspots_listed = partial(async_found, hass, entry)
    return SmartWifiData(
        client=client,
        venue=venue,
        connections=connections,
        presence=GuestPresence(hass, entry, connections),
        account=account,
    )


def _wiwiz_runtime(hass: HomeAssistant, entry: GuestWifiConfigEntry) -> WiwizData:
    client = wiwiz_client(hass, entry.data)
    venue = Venue(VENDOR_WIWIZ, entry_hotspots(entry))
    connections = WiwizConnectionsCoordinator(hass, entry, client, venue)
    return WiwizData(
        client=client,
        venue=venue,
        connections=connections,
        presence=GuestPresence(hass, entry, connections),
        today=WiwizTodayCoordinator(hass, entry, client, venue),
        wan_ip=WiwizWanIpCoordinator(hass, entry, client, venue),
    )


async def _mywifi_runtime(
    hass: HomeAssistant, entry: GuestWifiConfigEntry
) -> MyWifiData:
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
    venue = Venue(VENDOR_MYWIFI, {})
    return MyWifiData(
        client=client,
        venue=venue,
        users=MyWifiCoordinator(hass, entry, client, venue),
    )


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
        if data.get("vendor") == VENDOR_WIWIZ and CONF_HOTSPOTS not in data:
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
        if entry.data.get("vendor") != VENDOR_MYWIFI:
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


async def _wiwiz_scheme(hass: HomeAssistant, entry: GuestWifiConfigEntry) -> None:
    """Move an entry on http:// to HTTPS once Wiwiz answers over it.

    Asked at each start while on http:// (entries from before we asked, and
    those Wiwiz did not answer over HTTPS then). Once on HTTPS an entry never
    goes back by itself: an HTTPS failure is an outage, not a reason to send
    the key in clear text (which is what someone blocking HTTPS would want).
    """
    if entry.data.get(CONF_BASE_URL) or entry.data.get(CONF_HTTPS):
        return
    try:
        https = await wiwiz_answers_over_https(hass, entry.data)
    except RateLimitedError as err:
        hold_off(hass, entry.entry_id, err.retry_after or 0)
        return
    if https:
        hass.config_entries.async_update_entry(
            entry, data={**entry.data, CONF_HTTPS: True}
        )


def _loopback(host: str | None) -> bool:
    """A host on this machine (the simulator): nothing crosses a network."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


@callback
def _clear_text_issue(hass: HomeAssistant, entry: GuestWifiConfigEntry) -> None:
    """Tell the user while their Wiwiz key travels unencrypted; clear it when not."""
    url = URL(wiwiz_base_url(entry.data))
    clear_text = url.scheme == "http" and not _loopback(url.host)
    async_wiwiz_clear_text(hass, entry, raised=clear_text)


async def async_setup_entry(hass: HomeAssistant, entry: GuestWifiConfigEntry) -> bool:
    """Start polling the account."""
    if wait := rate_limit_wait(hass, entry.entry_id):
        # Waits out a vendor's 429 without asking it anything.
        raise setup_rate_limited(wait)
    runtime: GuestWifiData
    if entry.data[CONF_VENDOR] == VENDOR_MYWIFI:
        runtime = await _mywifi_runtime(hass, entry)
    elif entry.data[CONF_VENDOR] == VENDOR_SMARTWIFI:
        runtime = _smartwifi_runtime(hass, entry)
    else:
        await _wiwiz_scheme(hass, entry)
        _clear_text_issue(hass, entry)
        runtime = _wiwiz_runtime(hass, entry)
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
    if isinstance(runtime, GuestsData):
        await runtime.presence.async_start()
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

    Its history is kept, with an offer to delete it (history.py).
    """
    forget_hold_off(hass, entry.entry_id)
    # Every repair an entry raises names it in its id: all go with it, whatever
    # file raised them (plain http, Professional edition, tracker flood, ...).
    async_delete_entry_issues(hass, entry.entry_id)
    await async_remove_guest_store(hass, entry.entry_id)
    await async_history_removed(hass, entry)
