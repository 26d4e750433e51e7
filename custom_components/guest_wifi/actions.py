"""What every action shares: the entry and hotspot a call names, the vendor call.

Registration too, one style for all: each action module lists its actions,
and `async_setup` registers them once for every entry.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, overload

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr, service
import voluptuous as vol

from .action_fields import ATTR_CONFIG_ENTRY_ID, listed, named
from .api.errors import AuthenticationError, GuestWifiError
from .const import DOMAIN
from .data import AccountData, GuestWifiConfigEntry
from .devices import hotspot_anywhere, hotspot_of_device
from .errors import action_error
from .vendors import vendor_of

ATTR_HOTSPOT = "hotspot"
ATTR_HOTSPOT_ID = "hotspot_id"

type Handler = Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]]


@dataclass(frozen=True, slots=True)
class Action:
    """One action: its name, what it accepts, what does it, what it answers."""

    name: str
    schema: vol.Schema
    handler: Handler
    response: SupportsResponse = SupportsResponse.ONLY


@callback
def async_register_actions(hass: HomeAssistant, actions: Iterable[Action]) -> None:
    """Register actions of the integration (once, not per entry)."""
    for action in actions:
        hass.services.async_register(
            DOMAIN,
            action.name,
            action.handler,
            schema=action.schema,
            supports_response=action.response,
        )


@overload
def vendor_entry[A: AccountData](
    call: ServiceCall, offered: type[A], /
) -> tuple[GuestWifiConfigEntry, A]: ...


@overload
def vendor_entry[A: AccountData, B: AccountData](
    call: ServiceCall, offered: type[A], or_offered: type[B], /
) -> tuple[GuestWifiConfigEntry, A | B]: ...


def vendor_entry(
    call: ServiceCall, *offered: type[AccountData]
) -> tuple[GuestWifiConfigEntry, AccountData]:
    """The loaded entry the call names, and its running parts.

    Its vendor must offer the action (its description says); `offered` are
    the running parts the action's handler works with.
    """
    # Core's own lookup: a missing, foreign or not loaded entry is refused
    # with Home Assistant's messages, as every integration's actions do.
    entry: GuestWifiConfigEntry = service.async_get_config_entry(
        call.hass, DOMAIN, _entry_id(call)
    )
    vendor = vendor_of(entry)
    if call.service not in vendor.actions:
        # One message per action, so that each says what the action does.
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key=f"{call.service}_not_offered",
            translation_placeholders={"vendor": vendor.name},
        )
    runtime = entry.runtime_data
    if not isinstance(runtime, offered):
        # Its description offers what its handler cannot do: a programming error.
        raise TypeError(f"{vendor.key} offers {call.service}, but runs no {offered}")
    return entry, runtime


def _entry_id(call: ServiceCall) -> str:
    """The entry the call names, or the one whose hotspot's device it chose."""
    if ATTR_CONFIG_ENTRY_ID in call.data:
        return str(call.data[ATTR_CONFIG_ENTRY_ID])
    if ATTR_HOTSPOT not in call.data:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="account_missing"
        )
    device_id = call.data[ATTR_HOTSPOT]
    if (hotspot := hotspot_anywhere(call.hass, device_id)) is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="not_a_hotspot",
            translation_placeholders={"device": _device_name(call, device_id)},
        )
    return hotspot[0]


def _device_name(call: ServiceCall, device_id: str) -> str:
    """A device as the user sees it named, when it is a device at all."""
    device = dr.async_get(call.hass).async_get(device_id)
    return (device and (device.name_by_user or device.name)) or device_id


def hotspot(call: ServiceCall, entry: GuestWifiConfigEntry) -> str:
    """The vendor id of the hotspot the call chose, by device, id or name."""
    data = entry.runtime_data
    # The name now (SmartWiFi hotspots can be renamed) and the device's name.
    names = {
        hotspot_id: (data.hotspot_names.get(hotspot_id), name)
        for hotspot_id, name in data.hotspots.items()
    }
    choices = listed(data.hotspot_names.get(h) or n for h, n in data.hotspots.items())
    if ATTR_HOTSPOT in call.data:
        return _hotspot_of_device(call, entry, choices)
    asked = call.data[ATTR_HOTSPOT_ID]
    return str(one_named("hotspot", asked, names, choices, title=entry.title))


def one_named[K](
    kind: str,
    asked: int | str,
    names: Mapping[K, Iterable[str | None]],
    choices: str,
    **placeholders: str,
) -> K:
    """The one key `asked` names (see `named`), by its id or its name.

    None is refused with `unknown_<kind>` and the `choices`; more than one
    with `ambiguous_<kind>` and their ids.
    """
    matches = named(asked, names)
    if len(matches) == 1:
        return matches[0]
    placeholders["name"] = str(asked)
    if matches:
        placeholders["ids"] = listed(map(str, matches))
    else:
        placeholders["choices"] = choices
    raise ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=f"{'ambiguous' if matches else 'unknown'}_{kind}",
        translation_placeholders=placeholders,
    )


def _hotspot_of_device(
    call: ServiceCall, entry: GuestWifiConfigEntry, choices: str
) -> str:
    """The hotspot whose device this is, if it is one of the entry's."""
    device_id = call.data[ATTR_HOTSPOT]
    if (hotspot_id := hotspot_of_device(call.hass, entry, device_id)) is not None:
        return hotspot_id
    raise ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="device_not_hotspot",
        translation_placeholders={
            "device": _device_name(call, device_id),
            "title": entry.title,
            "choices": choices,
        },
    )


async def ask[T](
    call: ServiceCall,
    entry: GuestWifiConfigEntry,
    work: Awaitable[T],
    *,
    also_secret: Iterable[str | None] = (),
) -> T:
    """A vendor failure becomes a translated HomeAssistantError (see errors.py).

    Refused credentials also start re-authentication at once, rather than at
    the next poll. `also_secret`: what the work sends that its error must
    never show (a password).
    """
    try:
        return await work
    except GuestWifiError as err:
        if isinstance(err, AuthenticationError):
            entry.async_start_reauth(call.hass)
        raise action_error(err, entry, also_secret) from err
