"""SmartWiFi hotspots the account has and the entry does not follow: offered.

The entry stores the hotspots the owner ticked, not whether they meant "all
of them": a hotspot that appears at the vendor later (a new venue, another
floor) is offered, one repair notice per hotspot, and never added by itself.
The owner adds it by reconfiguring the entry, or ignores the notice; a
hotspot they unticked counts as ignored. A notice goes once the entry holds
the hotspot or the vendor no longer lists it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_track_time_interval

from .api.errors import GuestWifiError, RateLimitedError
from .const import DOMAIN, LOGGER, VENDOR_SMARTWIFI
from .coordinator import hold_off, rate_limit_wait
from .data import SmartWifiData

if TYPE_CHECKING:
    from .api.smartwifi import SmartWifiClient
    from .data import GuestWifiConfigEntry

# New hotspots are rare: once an hour, and at every start, is soon enough.
CHECK_INTERVAL = timedelta(hours=1)


def _prefix(entry_id: str) -> str:
    return f"new_hotspot_{entry_id}_"


@callback
def async_watch(hass: HomeAssistant, entry: GuestWifiConfigEntry) -> None:
    """Look for new hotspots now and every CHECK_INTERVAL while the entry runs."""
    if not isinstance(runtime := entry.runtime_data, SmartWifiData):
        return

    @callback
    def check(_: datetime | None = None) -> None:
        entry.async_create_background_task(
            hass, _async_check(hass, entry, runtime.client), f"{DOMAIN} new hotspots"
        )

    check()
    entry.async_on_unload(async_track_time_interval(hass, check, CHECK_INTERVAL))


async def _async_check(
    hass: HomeAssistant, entry: GuestWifiConfigEntry, client: SmartWifiClient
) -> None:
    if rate_limit_wait(hass, entry.entry_id):
        return  # the vendor asked us to wait: the next check asks
    try:
        hotspots = await client.hotspots()
    except RateLimitedError as err:
        hold_off(hass, entry.entry_id, err.retry_after or 0)
        return
    except GuestWifiError as err:
        # The coordinators report an outage or refused credentials.
        LOGGER.debug("Could not list the hotspots of %s: %s", entry.title, err)
        return
    _offer(hass, entry, {hotspot.id: hotspot.name for hotspot in hotspots})


@callback
def _offer(
    hass: HomeAssistant, entry: GuestWifiConfigEntry, at_vendor: dict[str, str]
) -> None:
    prefix = _prefix(entry.entry_id)
    held = entry.runtime_data.hotspots
    offered = {
        f"{prefix}{hotspot_id}": name
        for hotspot_id, name in at_vendor.items()
        if hotspot_id not in held
    }
    for domain, issue_id in list(ir.async_get(hass).issues):
        if domain == DOMAIN and issue_id.startswith(prefix) and issue_id not in offered:
            ir.async_delete_issue(hass, DOMAIN, issue_id)
    for issue_id, name in offered.items():
        _create(hass, entry, issue_id, name)


def _create(
    hass: HomeAssistant, entry: GuestWifiConfigEntry, issue_id: str, name: str
) -> None:
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id,
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key="new_hotspot",
        translation_placeholders={"title": entry.title, "hotspot": name},
    )


@callback
def async_dropped(
    hass: HomeAssistant, entry: GuestWifiConfigEntry, hotspot_id: str, name: str
) -> None:
    """The owner unticked this hotspot: do not offer it back."""
    if entry.data["vendor"] != VENDOR_SMARTWIFI:
        return
    issue_id = f"{_prefix(entry.entry_id)}{hotspot_id}"
    _create(hass, entry, issue_id, name)
    ir.async_ignore_issue(hass, DOMAIN, issue_id, True)


@callback
def async_forget(hass: HomeAssistant, entry_id: str) -> None:
    """The entry is gone: so are its notices."""
    prefix = _prefix(entry_id)
    for domain, issue_id in list(ir.async_get(hass).issues):
        if domain == DOMAIN and issue_id.startswith(prefix):
            ir.async_delete_issue(hass, DOMAIN, issue_id)
