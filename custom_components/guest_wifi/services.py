"""Query actions for Wiwiz and SmartWiFi, registered once for every entry."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import fields, is_dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any, cast

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.util import dt as dt_util
import voluptuous as vol

from .api.errors import AuthenticationError, GuestWifiError, NotFoundError
from .api.smartwifi import MAX_PLANS_LOOKBACK, SmartWifiClient
from .api.wiwiz import AdEventType, WiwizClient
from .const import DOMAIN, VENDOR_NAMES, VENDOR_SMARTWIFI, VENDOR_WIWIZ
from .data import GuestWifiConfigEntry

ATTR_CONFIG_ENTRY_ID = "config_entry_id"
ATTR_HOTSPOT_ID = "hotspot_id"
ATTR_START = "start"
ATTR_END = "end"
# However the vendors split them, a query longer than this is refused.
MAX_QUERY_RANGE = timedelta(days=366)

_ENTRY: dict[vol.Marker, Any] = {vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string}
_RANGE: dict[vol.Marker, Any] = {
    **_ENTRY,
    vol.Required(ATTR_HOTSPOT_ID): cv.string,
    vol.Required(ATTR_START): cv.datetime,
    vol.Required(ATTR_END): cv.datetime,
}


def _json(value: Any) -> Any:
    """A client model as plain JSON for an action's response."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _json(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return int(value.total_seconds())
    if isinstance(value, Enum):
        return value.name.lower()
    if isinstance(value, list):
        return [_json(item) for item in value]
    return value


def vendor_entry(call: ServiceCall, vendors: set[str]) -> GuestWifiConfigEntry:
    """The loaded entry the call names, of a vendor that offers the action."""
    entry_id = call.data[ATTR_CONFIG_ENTRY_ID]
    entry: GuestWifiConfigEntry | None = call.hass.config_entries.async_get_entry(
        entry_id
    )
    if entry is None or entry.domain != DOMAIN:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="entry_not_found",
            translation_placeholders={"entry_id": entry_id},
        )
    if entry.state is not ConfigEntryState.LOADED:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="entry_not_loaded",
            translation_placeholders={"title": entry.title},
        )
    vendor = entry.data["vendor"]
    if vendor not in vendors:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="wrong_vendor",
            translation_placeholders={
                "action": call.service,
                "vendor": VENDOR_NAMES[vendor],
            },
        )
    return entry


def _wiwiz(call: ServiceCall) -> tuple[GuestWifiConfigEntry, WiwizClient]:
    entry = vendor_entry(call, {VENDOR_WIWIZ})
    return entry, cast("WiwizClient", entry.runtime_data.client)


def _smartwifi(call: ServiceCall) -> tuple[GuestWifiConfigEntry, SmartWifiClient]:
    entry = vendor_entry(call, {VENDOR_SMARTWIFI})
    return entry, cast("SmartWifiClient", entry.runtime_data.client)


def _hotspot(call: ServiceCall, entry: GuestWifiConfigEntry) -> str:
    hotspot_id = str(call.data[ATTR_HOTSPOT_ID])
    if hotspot_id not in entry.runtime_data.hotspots:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_hotspot",
            translation_placeholders={"hotspot_id": hotspot_id},
        )
    return hotspot_id


def _range(call: ServiceCall) -> tuple[datetime, datetime]:
    """Start and end as aware datetimes (local time when none is given)."""
    start, end = (
        dt_util.as_local(value)
        if value.tzinfo
        else value.replace(tzinfo=dt_util.get_default_time_zone())
        for value in (call.data[ATTR_START], call.data[ATTR_END])
    )
    if end <= start:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="end_before_start"
        )
    if end - start > MAX_QUERY_RANGE:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="range_too_long",
            translation_placeholders={"days": str(MAX_QUERY_RANGE.days)},
        )
    return start, end


async def ask[T](
    call: ServiceCall, entry: GuestWifiConfigEntry, work: Awaitable[T]
) -> T:
    """A vendor failure becomes a translated HomeAssistantError.

    Refused credentials also start re-authentication at once, rather than at
    the next poll.
    """
    try:
        return await work
    except AuthenticationError as err:
        entry.async_start_reauth(call.hass)
        raise HomeAssistantError(
            translation_domain=DOMAIN, translation_key="invalid_auth"
        ) from err
    except NotFoundError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN, translation_key="not_found"
        ) from err
    except GuestWifiError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="vendor_error",
            translation_placeholders={"error": str(err)},
        ) from err


async def _connection_log(call: ServiceCall) -> ServiceResponse:
    entry = vendor_entry(call, {VENDOR_WIWIZ, VENDOR_SMARTWIFI})
    hotspot_id = _hotspot(call, entry)
    start, end = _range(call)
    client = entry.runtime_data.client
    records: list[Any]
    if isinstance(client, WiwizClient):
        records = await ask(call, entry, client.connection_log(hotspot_id, start, end))
    else:
        # Asking for all hotspots and filtering avoids the vendor's 12-hour
        # limit on per-hotspot queries.
        name = entry.runtime_data.hotspot_names[hotspot_id]
        records = [
            record
            for record in await ask(
                call, entry, cast("SmartWifiClient", client).connections(start, end)
            )
            if record.hotspot_name == name
        ]
    return {"connections": _json(records)}


async def _connection(call: ServiceCall) -> ServiceResponse:
    entry, client = _wiwiz(call)
    record = await ask(call, entry, client.connection(call.data["tokencode"]))
    return {"connection": _json(record)}


async def _mobile_numbers(call: ServiceCall) -> ServiceResponse:
    entry, client = _wiwiz(call)
    hotspot_id = _hotspot(call, entry)
    start, end = _range(call)
    # Wiwiz asks for whole days: ask for every day the range touches, then
    # keep what falls inside it (the end is excluded).
    records = await ask(
        call,
        entry,
        client.mobile_numbers(
            hotspot_id,
            start.date(),
            (end - timedelta(microseconds=1)).date(),
            verified=call.data.get("verified"),
        ),
    )
    inside = [r for r in records if r.time is None or start <= r.time < end]
    return {"mobile_numbers": _json(inside)}


async def _ad_events(call: ServiceCall) -> ServiceResponse:
    entry, client = _wiwiz(call)
    hotspot_id = _hotspot(call, entry)
    start, end = _range(call)
    kind = call.data.get("event_type")
    records = await ask(
        call,
        entry,
        client.ad_events(
            hotspot_id,
            start,
            end,
            ad_id=call.data.get("ad_id"),
            event_type=AdEventType[kind.upper()] if kind else None,
        ),
    )
    return {"ad_events": _json(records)}


async def _guest(call: ServiceCall) -> ServiceResponse:
    entry, client = _smartwifi(call)
    profile = await ask(call, entry, client.guest(call.data["guest_token"]))
    return {"guest": _json(profile)}


async def _guest_plans(call: ServiceCall) -> ServiceResponse:
    entry, client = _smartwifi(call)
    since: datetime | None = call.data.get("started_since")
    if since is not None:
        if since.tzinfo is None:
            since = since.replace(tzinfo=dt_util.get_default_time_zone())
        if dt_util.utcnow() - since > MAX_PLANS_LOOKBACK:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="plans_too_old",
                translation_placeholders={"days": str(MAX_PLANS_LOOKBACK.days)},
            )
    plans = await ask(
        call,
        entry,
        client.guest_plans(state=call.data.get("state"), started_since=since),
    )
    return {"guest_plans": _json(plans)}


type Handler = Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]]

SERVICES: dict[str, tuple[vol.Schema, Handler]] = {
    "get_connection_log": (vol.Schema(_RANGE), _connection_log),
    "get_connection": (
        vol.Schema({**_ENTRY, vol.Required("tokencode"): cv.string}),
        _connection,
    ),
    "get_mobile_numbers": (
        vol.Schema({**_RANGE, vol.Optional("verified"): cv.boolean}),
        _mobile_numbers,
    ),
    "get_ad_events": (
        vol.Schema(
            {
                **_RANGE,
                vol.Optional("ad_id"): cv.string,
                vol.Optional("event_type"): vol.In(["view", "click"]),
            }
        ),
        _ad_events,
    ),
    "get_guest": (
        vol.Schema({**_ENTRY, vol.Required("guest_token"): cv.string}),
        _guest,
    ),
    "get_guest_plans": (
        vol.Schema(
            {
                **_ENTRY,
                vol.Optional("state"): vol.In(["active", "expired"]),
                vol.Optional("started_since"): cv.datetime,
            }
        ),
        _guest_plans,
    ),
}


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the query actions."""
    for name, (schema, handler) in SERVICES.items():
        hass.services.async_register(
            DOMAIN,
            name,
            handler,
            schema=schema,
            supports_response=SupportsResponse.ONLY,
        )
