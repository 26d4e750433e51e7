"""Query actions for Wiwiz and SmartWiFi, registered once for every entry."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Iterable, Mapping
from dataclasses import fields, is_dataclass
from datetime import date, datetime, timedelta
from enum import Enum
import re
from typing import Any, TypeIs, overload

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    service,
)
from homeassistant.util import dt as dt_util
import voluptuous as vol

from .api.errors import AuthenticationError, GuestWifiError
from .api.smartwifi import MAX_PLANS_LOOKBACK
from .api.wiwiz import AdEventType
from .const import DOMAIN, VENDOR_NAMES
from .data import AccountData, GuestWifiConfigEntry, SmartWifiData, WiwizData
from .devices import hotspot_of_device
from .errors import action_error

ATTR_CONFIG_ENTRY_ID = "config_entry_id"
ATTR_HOTSPOT = "hotspot"
ATTR_HOTSPOT_ID = "hotspot_id"
ATTR_START = "start"
ATTR_END = "end"
# However the vendors split them, a query longer than this is refused.
MAX_QUERY_RANGE = timedelta(days=366)

# --- What the actions accept ----------------------------------------------------
#
# No vendor documents the lengths it takes. These are above any real value (a
# name or login; an e-mail address's 254 characters, RFC 5321; a phone number's
# 15 digits, E.164, with room for spaces; config entry ids are 26) and low
# enough that a runaway template never sends kilobytes to a vendor, into a
# URL, or into Home Assistant's event history, which keeps every action's data.
MAX_ID = 64  # config entry, device, hotspot and ad ids
MAX_TOKEN = 256  # Wiwiz tokencodes, SmartWiFi guest tokens
MAX_NAME = 100  # first and last names, logins
MAX_EMAIL = 254
MAX_PHONE = 32
MAX_MAC = 32
MAX_PASSWORD = 128
MAX_NOTE = 1000
# The vendors' numeric ids are 32-bit integers.
MAX_NUMBER_ID = 2**31 - 1
# Dates from the Unix epoch, which the vendors count from, to 2100. Beyond,
# Python's date arithmetic overflows (year 1 in a zone east of UTC is before
# the first datetime; year 9999 plus a day is after the last), and no query or
# expiration needs them.
FIRST_YEAR = 1970
LAST_YEAR = 2100
# ASCII digits only: int() also reads fullwidth and Arabic-Indic digits.
_WHOLE = re.compile(r"\s*[+-]?[0-9]{1,12}\s*")
# A whole number given for text (YAML reads a numeric login or phone as one)
# is written out if it is at most this: the largest a JSON number carries
# exactly, so what is sent is what the user wrote.
MAX_WRITTEN_NUMBER = 2**53 - 1
# C0, DEL and C1 control characters: a NUL, an escape or a line break has no
# place in a name, a login or an id, and a vendor may log or store it as is.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# A text that spans lines (a note) keeps its line breaks and tabs.
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Half of a UTF-16 pair: no character at all, and Home Assistant can store no
# text that holds one.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class FieldInvalid(vol.Invalid):
    """A field's value refused, with the translation key that says why."""

    def __init__(self, key: str, **placeholders: str) -> None:
        """Keep the key and placeholders; the schema adds the field's name.

        (Named apart from the attributes probatio's errors have of their own.)
        """
        super().__init__(key)
        self.refusal_key = key
        self.refusal_placeholders = placeholders


class ActionSchema(vol.Schema):
    """A schema whose refusals are translated ServiceValidationErrors.

    Each names the field as the caller wrote it. Raised by the schema, they
    come before any vendor is asked and before the call is put on the event
    bus; a value is never repeated back (it may be a password).
    """

    def __init__(
        self,
        schema: dict[vol.Marker, Any],
        *,
        choose_one: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        """`choose_one` names a thing and the fields of which exactly one names it.

        Missing, it is refused with `<thing>_missing`; twice, `<thing>_twice`.
        """
        super().__init__(schema)
        self.choose_one = dict(choose_one or {})

    def __call__(self, data: Any, **kwargs: Any) -> Any:
        """Validate, or refuse with the first problem found."""
        try:
            validated = super().__call__(data, **kwargs)
        except vol.Invalid as err:
            refusal = self._refusal(err)
        else:
            for thing, options in self.choose_one.items():
                given = [option for option in options if option in validated]
                if len(given) != 1:
                    raise ServiceValidationError(
                        translation_domain=DOMAIN,
                        translation_key=f"{thing}_{'twice' if given else 'missing'}",
                    )
            return validated
        # Raised outside the handler: the validator's own message stays out.
        raise refusal

    def _refusal(self, err: vol.Invalid) -> ServiceValidationError:
        first = err.errors[0] if isinstance(err, vol.MultipleInvalid) else err
        field = str(first.path[0]) if first.path else ""
        placeholders: dict[str, str] = {"field": field}
        if isinstance(first, FieldInvalid):
            key = first.refusal_key
            placeholders.update(first.refusal_placeholders)
        elif field not in {str(marker) for marker in self.schema}:
            key = "field_unknown"
        elif isinstance(first, vol.RequiredFieldInvalid):
            key = "field_required"
        else:
            key = "field_invalid"
        return ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key=key,
            translation_placeholders=placeholders,
        )


def _whole(value: Any) -> TypeIs[int]:
    """An integer that is not a boolean (which Python counts as one)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _written(value: Any) -> str:
    """A string as given; a whole number from 0 to MAX_WRITTEN_NUMBER in digits.

    Nothing else is text: a boolean, a fraction, NaN or bytes written out
    would send the vendor "True", "1.5", "nan" or "b'...'".
    """
    if isinstance(value, str):
        if _SURROGATE.search(value):
            raise FieldInvalid("field_not_text")
        return str(value)
    if _whole(value) and 0 <= value <= MAX_WRITTEN_NUMBER:
        return str(value)
    raise FieldInvalid("field_not_text")


def text(
    max_length: int, *, not_empty: bool = False, lines: bool = False
) -> Callable[[Any], str]:
    """A string of at most `max_length` characters, without control characters.

    `not_empty` refuses an empty or blank one and trims the blanks around.
    `lines`: line breaks and tabs are kept (a multi-line field).
    """
    control = _CONTROL_BUT_LINES if lines else _CONTROL

    def validate(value: Any) -> str:
        written = _written(value)
        if not_empty:
            written = written.strip()
            if not written:
                raise FieldInvalid("field_empty")
        if len(written) > max_length:
            raise FieldInvalid("field_too_long", max=str(max_length))
        if control.search(written):
            raise FieldInvalid("field_control_character")
        return written

    return validate


def whole_number(value: Any) -> int:
    """An id: an integer or a string of one, never a fraction cut short."""
    number: int | None = None
    if _whole(value):
        number = value
    elif isinstance(value, str) and _WHOLE.fullmatch(value):
        number = int(value)
    if number is None or not 0 <= number <= MAX_NUMBER_ID:
        raise FieldInvalid("field_not_whole_number", max=str(MAX_NUMBER_ID))
    return number


def id_or_name(value: Any) -> int | str:
    """A vendor's numeric id, or a name (trimmed), resolved by the action."""
    if _whole(value):
        return whole_number(value)
    if not isinstance(value, str):
        raise FieldInvalid("field_not_id_or_name")
    return text(MAX_NAME, not_empty=True)(value)


def named(asked: int | str, names: Mapping[Any, Iterable[str | None]]) -> list[Any]:
    """The keys `asked` names: the one whose id it is, else those it is the name of.

    An id wins over a name; names are compared ignoring case and the blanks
    around them.
    """
    wanted = str(asked).strip()
    for key in names:
        if str(key) == wanted:
            return [key]
    wanted = wanted.casefold()
    return [
        key
        for key, key_names in names.items()
        if any(name and name.strip().casefold() == wanted for name in key_names)
    ]


def listed(names: Iterable[str]) -> str:
    """Names for a message: sorted, each once, separated by commas."""
    return ", ".join(sorted(set(names), key=str.casefold)) or "none"


def moment(value: Any) -> datetime:
    """A date and time between FIRST_YEAR and LAST_YEAR."""
    try:
        parsed = cv.datetime(value)
    except vol.Invalid:
        raise FieldInvalid("field_not_datetime") from None
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise FieldInvalid(
            "field_year_out_of_range", first=str(FIRST_YEAR), last=str(LAST_YEAR)
        )
    return parsed


def boolean(value: Any) -> bool:
    """True or false (also on/off, yes/no, 1/0); no other number is either.

    Core's reading of the words; it takes any number as a boolean (NaN is
    true), so only 0 and 1 reach it.
    """
    if isinstance(value, bool | str) or (_whole(value) and value in (0, 1)):
        try:
            return cv.boolean(value)
        except vol.Invalid:
            pass
    raise FieldInvalid("field_not_boolean")


def one_of(*options: str) -> Callable[[Any], str]:
    """One of a few words."""

    def validate(value: Any) -> str:
        if value not in options:
            raise FieldInvalid("field_not_one_of", options=", ".join(options))
        return str(value)

    return validate


def email(value: Any) -> str:
    """An e-mail address."""
    address = text(MAX_EMAIL)(value)
    try:
        return str(vol.Email()(address))
    except vol.Invalid:
        raise FieldInvalid("field_not_email") from None


ENTRY_FIELD: dict[vol.Marker, Any] = {
    vol.Required(ATTR_CONFIG_ENTRY_ID): text(MAX_ID, not_empty=True)
}
# A hotspot is chosen by its device, or by its vendor id or name.
_RANGE: dict[vol.Marker, Any] = {
    **ENTRY_FIELD,
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

    Its vendor must offer the action: `offered` are the classes of those that do.
    """
    # Core's own lookup: a missing, foreign or not loaded entry is refused
    # with Home Assistant's messages, as every integration's actions do.
    entry: GuestWifiConfigEntry = service.async_get_config_entry(
        call.hass, DOMAIN, call.data[ATTR_CONFIG_ENTRY_ID]
    )
    runtime = entry.runtime_data
    if not isinstance(runtime, offered):
        # One message per action, so that each says what the action does.
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key=f"{call.service}_not_offered",
            translation_placeholders={"vendor": VENDOR_NAMES[runtime.vendor]},
        )
    return entry, runtime


def _hotspot(call: ServiceCall, entry: GuestWifiConfigEntry) -> str:
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
    matches = named(asked, names)
    if len(matches) == 1:
        return str(matches[0])
    placeholders = {"name": str(asked), "title": entry.title}
    if matches:
        placeholders["ids"] = listed(map(str, matches))
    else:
        placeholders["choices"] = choices
    raise ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="ambiguous_hotspot" if matches else "unknown_hotspot",
        translation_placeholders=placeholders,
    )


def _hotspot_of_device(
    call: ServiceCall, entry: GuestWifiConfigEntry, choices: str
) -> str:
    """The hotspot whose device this is, if it is one of the entry's."""
    device_id = call.data[ATTR_HOTSPOT]
    if (hotspot_id := hotspot_of_device(call.hass, entry, device_id)) is not None:
        return hotspot_id
    # Named as the user sees it, when it is a device at all.
    other = dr.async_get(call.hass).async_get(device_id)
    raise ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="device_not_hotspot",
        translation_placeholders={
            "device": (other and (other.name_by_user or other.name)) or device_id,
            "title": entry.title,
            "choices": choices,
        },
    )


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


async def _connection_log(call: ServiceCall) -> ServiceResponse:
    entry, runtime = vendor_entry(call, WiwizData, SmartWifiData)
    hotspot_id = _hotspot(call, entry)
    start, end = _range(call)
    records: list[Any]
    if isinstance(runtime, WiwizData):
        records = await ask(
            call, entry, runtime.client.connection_log(hotspot_id, start, end)
        )
    else:
        # Asking for all hotspots and filtering avoids the vendor's 12-hour
        # limit on per-hotspot queries.
        name = runtime.hotspot_names[hotspot_id]
        records = [
            record
            for record in await ask(call, entry, runtime.client.connections(start, end))
            if record.hotspot_name == name
        ]
    return {"connections": _json(records)}


async def _connection(call: ServiceCall) -> ServiceResponse:
    entry, wiwiz = vendor_entry(call, WiwizData)
    client = wiwiz.client
    record = await ask(call, entry, client.connection(call.data["tokencode"]))
    return {"connection": _json(record)}


async def _mobile_numbers(call: ServiceCall) -> ServiceResponse:
    entry, wiwiz = vendor_entry(call, WiwizData)
    client = wiwiz.client
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
    entry, wiwiz = vendor_entry(call, WiwizData)
    client = wiwiz.client
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
    entry, smartwifi = vendor_entry(call, SmartWifiData)
    client = smartwifi.client
    profile = await ask(call, entry, client.guest(call.data["guest_token"]))
    return {"guest": _json(profile)}


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

type Handler = Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]]

SERVICES: dict[str, tuple[vol.Schema, Handler]] = {
    "get_connection_log": (ActionSchema(_RANGE, choose_one=_HOTSPOT), _connection_log),
    "get_connection": (
        ActionSchema(
            {**ENTRY_FIELD, vol.Required("tokencode"): text(MAX_TOKEN, not_empty=True)}
        ),
        _connection,
    ),
    "get_mobile_numbers": (
        ActionSchema(
            {**_RANGE, vol.Optional("verified"): boolean}, choose_one=_HOTSPOT
        ),
        _mobile_numbers,
    ),
    "get_ad_events": (
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
    "get_guest": (
        ActionSchema(
            {
                **ENTRY_FIELD,
                vol.Required("guest_token"): text(MAX_TOKEN, not_empty=True),
            }
        ),
        _guest,
    ),
    "get_guest_plans": (
        ActionSchema(
            {
                **ENTRY_FIELD,
                vol.Optional("state"): one_of("active", "expired"),
                vol.Optional("started_since"): moment,
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
