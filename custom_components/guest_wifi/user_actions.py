"""My Wi-Fi Service user management: validated first, never half-done, never twice."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

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

from .api import _normalize as norm
from .api.errors import CannotConnectError, GuestWifiError, NotFoundError
from .api.mywifi import MyWifiClient, MyWifiUser
from .const import DOMAIN, LOGGER, VENDOR_MYWIFI
from .coordinator import MyWifiCoordinator
from .data import GuestWifiConfigEntry
from .services import ATTR_CONFIG_ENTRY_ID, ask, vendor_entry

ATTR_USER_ID = "user_id"
ATTR_LOGIN = "login"
ATTR_GROUP_ID = "group_id"
ATTR_RATE_PLAN_ID = "weekly_rate_plan_id"
ATTR_MAC = "mac_address"
ATTR_EXPIRATION = "account_expiration"

_USER_FIELDS: dict[vol.Marker, Any] = {
    vol.Optional("first_name"): cv.string,
    vol.Optional("last_name"): cv.string,
    vol.Optional(ATTR_LOGIN): cv.string,
    vol.Optional("password"): cv.string,
    vol.Optional(ATTR_GROUP_ID): vol.Coerce(int),
    vol.Optional(ATTR_RATE_PLAN_ID): vol.Coerce(int),
    vol.Optional("email"): vol.Email(),
    vol.Optional("mobile_phone"): cv.string,
    vol.Optional(ATTR_MAC): cv.string,
    vol.Optional(ATTR_EXPIRATION): cv.datetime,
    vol.Optional("note"): cv.string,
}
_REQUIRED_TO_ADD = (
    "first_name",
    "last_name",
    ATTR_LOGIN,
    "password",
    ATTR_GROUP_ID,
    ATTR_RATE_PLAN_ID,
)
_WHO: dict[vol.Marker, Any] = {
    vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
    vol.Optional(ATTR_USER_ID): vol.Coerce(int),
    vol.Optional(ATTR_LOGIN): cv.string,
}

ADD_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        **{
            vol.Required(str(key)) if str(key) in _REQUIRED_TO_ADD else key: value
            for key, value in _USER_FIELDS.items()
        },
    }
)
UPDATE_SCHEMA = vol.Schema({**_USER_FIELDS, **_WHO})
WHO_SCHEMA = vol.Schema(_WHO)
LIST_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        vol.Optional(ATTR_GROUP_ID): vol.Coerce(int),
    }
)


def _invalid(key: str, **placeholders: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders,
    )


def _account(
    call: ServiceCall,
) -> tuple[GuestWifiConfigEntry, MyWifiCoordinator, MyWifiClient]:
    entry: GuestWifiConfigEntry = vendor_entry(call, {VENDOR_MYWIFI})
    coordinator = entry.runtime_data.users
    if coordinator is None:  # pragma: no cover - every My Wi-Fi entry has one
        raise _invalid("entry_not_loaded", title=entry.title)
    return entry, coordinator, cast("MyWifiClient", entry.runtime_data.client)


def _user(
    coordinator: MyWifiCoordinator, user_id: int | None, login: str | None
) -> MyWifiUser:
    """The one user that `user_id` and/or `login` name."""
    users = coordinator.data.users
    if user_id is None and login is None:
        raise _invalid("user_required")
    if user_id is not None:
        user = users.get(user_id)
        if user is None:
            raise _invalid("unknown_user", user=str(user_id))
        if login is not None and user.login != login:
            raise _invalid("user_mismatch", user_id=str(user_id), login=login)
        return user
    matches = [user for user in users.values() if user.login == login]
    if not matches:
        raise _invalid("unknown_user", user=str(login))
    if len(matches) > 1:
        raise _invalid("ambiguous_login", login=str(login))
    return matches[0]


def _named_user(coordinator: MyWifiCoordinator, call: ServiceCall) -> MyWifiUser:
    return _user(coordinator, call.data.get(ATTR_USER_ID), call.data.get(ATTR_LOGIN))


def _changes(coordinator: MyWifiCoordinator, data: dict[str, Any]) -> dict[str, Any]:
    """Check the fields against the account; return them in the client's names."""
    account = coordinator.data
    changes = {str(key): data[str(key)] for key in _USER_FIELDS if str(key) in data}
    if (
        group := changes.get(ATTR_GROUP_ID)
    ) is not None and group not in account.groups:
        raise _invalid("unknown_group", group_id=str(group))
    plan = changes.get(ATTR_RATE_PLAN_ID)
    if plan is not None and plan not in account.rate_plans:
        raise _invalid("unknown_rate_plan", weekly_rate_plan_id=str(plan))
    if (mac := changes.get(ATTR_MAC)) is not None:
        normalised = norm.mac(mac)
        if normalised is None:
            raise _invalid("invalid_mac", mac_address=str(mac))
        changes[ATTR_MAC] = normalised
    if (expires := changes.get(ATTR_EXPIRATION)) is not None:
        expires = cast("datetime", expires)
        if expires.tzinfo is None:
            expires = expires.replace(tzinfo=dt_util.get_default_time_zone())
        if expires <= dt_util.utcnow():
            raise _invalid("expiration_in_past")
        changes[ATTR_EXPIRATION] = dt_util.as_utc(expires)
    return changes


async def _add_user(call: ServiceCall) -> ServiceResponse:
    entry, coordinator, client = _account(call)
    changes = _changes(coordinator, dict(call.data))
    login = changes[ATTR_LOGIN]
    if any(user.login == login for user in coordinator.data.users.values()):
        raise _invalid("login_taken", login=login)
    user = await ask(call, entry, _add_once(client, changes))
    await coordinator.async_refresh()
    return user.as_dict()


async def _add_once(client: MyWifiClient, changes: dict[str, Any]) -> MyWifiUser:
    """Add a user; if the answer is lost, find out whether it was created.

    Looking before reporting means a retry never creates the user twice.
    """
    try:
        return await client.add_user(**changes)
    except CannotConnectError as failure:
        try:
            users = await client.users()
        except GuestWifiError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN, translation_key="add_user_unknown"
            ) from err
        for user in users:
            if user.login == changes[ATTR_LOGIN]:
                LOGGER.info("The user was created although the answer was lost")
                return user
        raise HomeAssistantError(
            translation_domain=DOMAIN, translation_key="add_user_not_created"
        ) from failure


async def _update_user(call: ServiceCall) -> ServiceResponse:
    entry, coordinator, client = _account(call)
    data = dict(call.data)
    if ATTR_USER_ID in data:
        # With a user id, `login` is a new value; without one, it names the user.
        user = _user(coordinator, data[ATTR_USER_ID], None)
        new_login = data.get(ATTR_LOGIN)
        if new_login == user.login:
            data.pop(ATTR_LOGIN)
        elif new_login is not None and any(
            other.login == new_login and other.id != user.id
            for other in coordinator.data.users.values()
        ):
            raise _invalid("login_taken", login=new_login)
    else:
        user = _user(coordinator, None, data.pop(ATTR_LOGIN, None))
    changes = _changes(coordinator, data)
    if not changes:
        raise _invalid("nothing_to_change")
    return await _edit(call, entry, coordinator, client, user, changes)


async def _edit(
    call: ServiceCall,
    entry: GuestWifiConfigEntry,
    coordinator: MyWifiCoordinator,
    client: MyWifiClient,
    user: MyWifiUser,
    changes: dict[str, Any],
) -> ServiceResponse:
    """One PUT, from the vendor's record as it is now.

    The coordinator's copy may be minutes old: a whole-record PUT from it
    would undo what was changed on the vendor's dashboard since.
    """

    async def put() -> MyWifiUser:
        try:
            current = await client.user(user.id)
        except NotFoundError:
            raise _invalid("unknown_user", user=str(user.id)) from None
        return await client.update_user(current, **changes)

    updated = await ask(call, entry, put())
    await coordinator.async_refresh()
    return updated.as_dict()


async def _disable_user(call: ServiceCall) -> ServiceResponse:
    entry, coordinator, client = _account(call)
    user = _named_user(coordinator, call)
    return await _edit(call, entry, coordinator, client, user, {"disabled": True})


async def _enable_user(call: ServiceCall) -> ServiceResponse:
    entry, coordinator, client = _account(call)
    user = _named_user(coordinator, call)
    return await _edit(call, entry, coordinator, client, user, {"disabled": False})


async def _delete_user(call: ServiceCall) -> None:
    entry, coordinator, client = _account(call)
    user = _named_user(coordinator, call)
    await ask(call, entry, client.delete_user(user.id))
    await coordinator.async_refresh()


async def _list_users(call: ServiceCall) -> ServiceResponse:
    entry, coordinator, client = _account(call)
    group = call.data.get(ATTR_GROUP_ID)
    if group is not None and group not in coordinator.data.groups:
        raise _invalid("unknown_group", group_id=str(group))
    users = await ask(call, entry, client.users())
    return {
        "users": [
            user.as_dict() for user in users if group is None or user.group_id == group
        ]
    }


@callback
def async_setup_user_actions(hass: HomeAssistant) -> None:
    """Register the My Wi-Fi user actions."""
    for name, schema, handler, response in (
        ("add_user", ADD_SCHEMA, _add_user, SupportsResponse.OPTIONAL),
        ("update_user", UPDATE_SCHEMA, _update_user, SupportsResponse.OPTIONAL),
        ("disable_user", WHO_SCHEMA, _disable_user, SupportsResponse.OPTIONAL),
        ("enable_user", WHO_SCHEMA, _enable_user, SupportsResponse.OPTIONAL),
        ("delete_user", WHO_SCHEMA, _delete_user, SupportsResponse.NONE),
        ("list_users", LIST_SCHEMA, _list_users, SupportsResponse.ONLY),
    ):
        hass.services.async_register(
            DOMAIN, name, handler, schema=schema, supports_response=response
        )
