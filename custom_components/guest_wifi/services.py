"""Query actions for Wiwiz and SmartWiFi, registered once for every entry."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import fields, is_dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

from homeassistant.core import ServiceCall, ServiceResponse
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util
import voluptuous as vol

from .action_fields import (
    ATTR_CONFIG_ENTRY_ID,
    ENTRY_FIELD,
    MAX_ID,
    MAX_NAME,
    MAX_TOKEN,
    ActionSchema,
    boolean,
    moment,
    one_of,
    text,
)
from .actions import ATTR_HOTSPOT, ATTR_HOTSPOT_ID, Action, ask, hotspot, vendor_entry
from .api.smartwifi import MAX_PLANS_LOOKBACK
from .api.wiwiz import AdEventType, WiwizClient
from .const import DOMAIN
from .data import GuestWifiConfigEntry
from .vendor_smartwifi import SmartWifiData
from .vendor_wiwiz import WiwizData

ATTR_START = "start"
ATTR_END = "end"
# However the vendors split them, a query longer than this is refused.
MAX_QUERY_RANGE = timedelta(days=366)

# A hotspot is chosen by its device (which names its account), or by its
# vendor id or name (with the account).
_RANGE: dict[vol.Marker, Any] = {
    vol.Optional(ATTR_CONFIG_ENTRY_ID): text(MAX_ID, not_empty=True),
    vol.Optional(ATTR_HOTSPOT): text(MAX_ID, not_empty=True),
    vol.Optional(ATTR_HOTSPOT_ID): text(MAX_NAME, not_empty=True),
    vol.Required(ATTR_START): moment,
    vol.Required(ATTR_END): moment,
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


def _hotspot_range(
    call: ServiceCall, entry: GuestWifiConfigEntry
) -> tuple[str, datetime, datetime]:
    """The hotspot the call chose, and its start and end."""
    hotspot_id = hotspot(call, entry)
    return (hotspot_id, *_range(call))


def _wiwiz_query(
    call: ServiceCall,
) -> tuple[GuestWifiConfigEntry, WiwizClient, str, datetime, datetime]:
    """The Wiwiz entry and client the call names, its hotspot and range."""
    entry, wiwiz = vendor_entry(call, WiwizData)
    return (entry, wiwiz.client, *_hotspot_range(call, entry))


async def _connection_log(call: ServiceCall) -> ServiceResponse:
    entry, runtime = vendor_entry(call, WiwizData, SmartWifiData)
    hotspot_id, start, end = _hotspot_range(call, entry)
    work = runtime.connection_log(hotspot_id, start, end)
    return {"connections": _json(await ask(call, entry, work))}


async def _connection(call: ServiceCall) -> ServiceResponse:
    entry, wiwiz = vendor_entry(call, WiwizData)
    return await _one(call, entry, "connection", wiwiz.client.connection, "tokencode")


async def _one[R](
    call: ServiceCall,
    entry: GuestWifiConfigEntry,
    kind: str,
    fetch: Callable[[str], Awaitable[R]],
    field: str,
) -> ServiceResponse:
    """One record, asked by the id the call gives in `field`, answered as `kind`."""
    return {kind: _json(await ask(call, entry, fetch(call.data[field])))}


async def _mobile_numbers(call: ServiceCall) -> ServiceResponse:
    entry, client, hotspot_id, start, end = _wiwiz_query(call)
    # Wiwiz asks for whole days: ask for every day the range touches, then
    # keep what falls inside it (the end is excluded).
    last_day = (end - timedelta(microseconds=1)).date()
    verified = call.data.get("verified")
    work = client.mobile_numbers(hotspot_id, start.date(), last_day, verified=verified)
    records = await ask(call, entry, work)
    inside = [r for r in records if r.time is None or start <= r.time < end]
    return {"mobile_numbers": _json(inside)}


async def _ad_events(call: ServiceCall) -> ServiceResponse:
    entry, client, hotspot_id, start, end = _wiwiz_query(call)
    kind = call.data.get("event_type")
    event_type = AdEventType[kind.upper()] if kind else None
    ad_id = call.data.get("ad_id")
    work = client.ad_events(hotspot_id, start, end, ad_id=ad_id, event_type=event_type)
    return {"ad_events": _json(await ask(call, entry, work))}


async def _guest(call: ServiceCall) -> ServiceResponse:
    entry, smartwifi = vendor_entry(call, SmartWifiData)
    return await _one(call, entry, "guest", smartwifi.client.guest, "guest_token")


async def _guest_plans(call: ServiceCall) -> ServiceResponse:
    entry, smartwifi = vendor_entry(call, SmartWifiData)
    client = smartwifi.client
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


_HOTSPOT = {"hotspot": (ATTR_HOTSPOT, ATTR_HOTSPOT_ID)}

QUERY_ACTIONS = (
    Action(
        "get_connection_log", ActionSchema(_RANGE, choose_one=_HOTSPOT), _connection_log
    ),
    Action(
        "get_connection",
        ActionSchema(
            {**ENTRY_FIELD, vol.Required("tokencode"): text(MAX_TOKEN, not_empty=True)}
        ),
        _connection,
    ),
    Action(
        "get_mobile_numbers",
        ActionSchema(
            {**_RANGE, vol.Optional("verified"): boolean}, choose_one=_HOTSPOT
        ),
        _mobile_numbers,
    ),
    Action(
        "get_ad_events",
        ActionSchema(
            {
                **_RANGE,
                vol.Optional("ad_id"): text(MAX_ID, not_empty=True),
                vol.Optional("event_type"): one_of("view", "click"),
            },
            choose_one=_HOTSPOT,
        ),
        _ad_events,
    ),
    Action(
        "get_guest",
        ActionSchema(
            {
                **ENTRY_FIELD,
                vol.Required("guest_token"): text(MAX_TOKEN, not_empty=True),
            }
        ),
        _guest,
    ),
    Action(
        "get_guest_plans",
        ActionSchema(
            {
                **ENTRY_FIELD,
                vol.Optional("state"): one_of("active", "expired"),
                vol.Optional("started_since"): moment,
            }
        ),
        _guest_plans,
    ),
)
