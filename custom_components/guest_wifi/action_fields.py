"""What the actions accept: fields checked before any vendor is asked.

Every refusal is a translated ServiceValidationError that names the field and
never repeats its value (it may be a password). Both action modules (the
queries in services.py, the My Wi-Fi user actions in user_actions.py) build
their schemas from these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
import re
from typing import Any, TypeIs

from homeassistant.core import async_get_hass_or_none
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv, translation
import voluptuous as vol

from .const import DOMAIN

ATTR_CONFIG_ENTRY_ID = "config_entry_id"

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
        placeholders: dict[str, str] = {"field": field_label(field)}
        if isinstance(first, FieldInvalid):
            key = first.refusal_key
            placeholders.update(first.refusal_placeholders)
        elif field not in {str(marker) for marker in self.schema}:
            key = "field_unknown"
            placeholders["field"] = field  # as written: no action labels it
        elif isinstance(first, vol.RequiredFieldInvalid):
            key = "field_required"
        else:
            key = "field_invalid"
        return ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key=key,
            translation_placeholders=placeholders,
        )


def field_label(field: str) -> str:
    """A field as the action's form labels it ("Login"), in Home Assistant's language.

    The owner knows the field by its label, not by its key. A field no action
    labels (one the caller made up) is named as written.
    """
    if (hass := async_get_hass_or_none()) is None:
        return field
    strings = translation.async_get_cached_translations(
        hass, hass.config.language, "services", DOMAIN
    )
    # Each action labels a field it shares with others alike.
    ending = f".fields.{field}.name"
    return next(
        (strings[key] for key in sorted(strings) if key.endswith(ending)), field
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


def named[K](asked: int | str, names: Mapping[K, Iterable[str | None]]) -> list[K]:
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
