"""My Wi-Fi Service user management: validated first, never half-done, never twice."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
import secrets
import string
from typing import Any, cast

from homeassistant.const import CONF_PASSWORD
from homeassistant.core import ServiceCall, ServiceResponse, SupportsResponse
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util
import voluptuous as vol

from .action_fields import (
    ENTRY_FIELD,
    MAX_MAC,
    MAX_NAME,
    MAX_NOTE,
    MAX_PASSWORD,
    MAX_PHONE,
    ActionSchema,
    boolean,
    email,
    id_or_name,
    listed,
    moment,
    text,
    whole_number,
)
from .actions import Action, ask, one_named, vendor_entry
from .api import normalized_mac
from .api.errors import NotFoundError
from .api.mywifi import MyWifiClient, MyWifiUser, same_login
from .const import DOMAIN
from .data import GuestWifiConfigEntry
from .models import MyWifiAccount
from .vendor_mywifi import MyWifiCoordinator, MyWifiData

ATTR_USER_ID = "user_id"
ATTR_LOGIN = "login"
ATTR_GENERATE = "generate_password"
ATTR_GROUP_ID = "group_id"
ATTR_RATE_PLAN_ID = "weekly_rate_plan_id"
ATTR_MAC = "mac_address"
ATTR_EXPIRATION = "account_expiration"
# Letters and digits, which any sign-in page takes: 16 of them are 95 bits.
PASSWORD_ALPHABET = string.ascii_letters + string.digits
PASSWORD_LENGTH = 16

_USER_FIELDS: dict[vol.Marker, Any] = {
    vol.Optional("first_name"): text(MAX_NAME, not_empty=True),
    vol.Optional("last_name"): text(MAX_NAME, not_empty=True),
    vol.Optional(ATTR_LOGIN): text(MAX_NAME, not_empty=True),
    vol.Optional(CONF_PASSWORD): text(MAX_PASSWORD, not_empty=True),
    vol.Optional(ATTR_GROUP_ID): id_or_name,
    vol.Optional(ATTR_RATE_PLAN_ID): id_or_name,
    vol.Optional("email"): email,
    vol.Optional("mobile_phone"): text(MAX_PHONE),
    vol.Optional(ATTR_MAC): text(MAX_MAC),
    vol.Optional(ATTR_EXPIRATION): moment,
    vol.Optional("note"): text(MAX_NOTE, lines=True),
}
# The password is typed or generated.
_REQUIRED_TO_ADD = (
    "first_name",
    "last_name",
    ATTR_LOGIN,
    ATTR_GROUP_ID,
    ATTR_RATE_PLAN_ID,
)
_GENERATE: dict[vol.Marker, Any] = {vol.Optional(ATTR_GENERATE): boolean}
_WHO: dict[vol.Marker, Any] = {
    **ENTRY_FIELD,
    vol.Optional(ATTR_USER_ID): whole_number,
    vol.Optional(ATTR_LOGIN): text(MAX_NAME, not_empty=True),
}

ADD_SCHEMA = ActionSchema(
    {
        **ENTRY_FIELD,
        **{
            vol.Required(str(key)) if str(key) in _REQUIRED_TO_ADD else key: value
            for key, value in _USER_FIELDS.items()
        },
        **_GENERATE,
    }
)
UPDATE_SCHEMA = ActionSchema({**_USER_FIELDS, **_WHO, **_GENERATE})
WHO_SCHEMA = ActionSchema(_WHO)
LIST_SCHEMA = ActionSchema({**ENTRY_FIELD, vol.Optional(ATTR_GROUP_ID): id_or_name})


def _invalid(key: str, **placeholders: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders,
    )


def new_password() -> str:
    """A strong password, with a lower-case letter, a capital and a digit."""
    while True:
        password = "".join(
            secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH)
        )
        if (
            any(c.islower() for c in password)
            and any(c.isupper() for c in password)
            and any(c.isdigit() for c in password)
        ):
            return password


def _password(call: ServiceCall, data: dict[str, Any], *, adding: bool) -> str | None:
    """Generate the password if asked (or, for an add, if none was typed).

    It goes into `data`, the action's own copy: never into the call's data,
    which Home Assistant puts on the event bus and into its history. It is
    returned for the response, the one place it is shown.
    """
    generate = data.pop(ATTR_GENERATE, None)
    if CONF_PASSWORD in data:
        if generate:
            raise _invalid("password_and_generate")
        return None
    if generate is None:
        generate = adding
    if not generate:
        if adding:
            raise _invalid("password_required")
        return None
    if not call.return_response:
        # Unseen, the password would be lost with the user made.
        raise _invalid("password_needs_response")
    data[CONF_PASSWORD] = password = new_password()
    return password


def _shown(user: MyWifiUser, account: MyWifiAccount) -> dict[str, Any]:
    """The user for a response: beside each id, the name My Wi-Fi shows for it.

    `group_id: 3` alone says nothing to an owner. Names are the account's as
    of the last poll; one it does not know (yet) is None.
    """
    group = account.groups.get(user.group_id) if user.group_id is not None else None
    plan = (
        account.rate_plans.get(user.weekly_rate_plan_id)
        if user.weekly_rate_plan_id is not None
        else None
    )
    names = {
        ATTR_GROUP_ID: ("group_name", group.name if group else None),
        ATTR_RATE_PLAN_ID: ("weekly_rate_plan_name", plan.name if plan else None),
    }
    shown: dict[str, Any] = {}
    for key, value in user.as_dict().items():
        shown[key] = value
        if key in names:
            name_key, name = names[key]
            shown[name_key] = name
    return shown


def _answer(
    user: MyWifiUser, account: MyWifiAccount, generated: str | None
) -> ServiceResponse:
    """The user as the vendor has it, with the password only if generated."""
    answer = _shown(user, account)
    if generated is not None:
        answer[CONF_PASSWORD] = generated
    return answer


def _account(
    call: ServiceCall,
) -> tuple[GuestWifiConfigEntry, MyWifiCoordinator, MyWifiClient]:
    entry, runtime = vendor_entry(call, MyWifiData)
    return entry, runtime.users, runtime.client


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
        if login is not None and not same_login(user.login, login):
            raise _invalid("user_mismatch", user_id=str(user_id), login=login)
        return user
    matches = _with_login(coordinator, str(login))
    if not matches:
        raise _invalid("unknown_user", user=str(login))
    if len(matches) > 1:
        raise _invalid("ambiguous_login", login=str(login))
    return matches[0]


def _with_login(coordinator: MyWifiCoordinator, login: str) -> list[MyWifiUser]:
    """The users with this login as of the last poll, compared as the vendor does."""
    return [
        user
        for user in coordinator.data.users.values()
        if same_login(user.login, login)
    ]


def _named_user(coordinator: MyWifiCoordinator, call: ServiceCall) -> MyWifiUser:
    return _user(coordinator, call.data.get(ATTR_USER_ID), call.data.get(ATTR_LOGIN))


def _pick(kind: str, asked: int | str, known: Mapping[int, Any]) -> int:
    """The id of the group or rate plan `asked` names, by id or by name.

    `kind` ("group", "rate_plan") chooses the messages. The account is as of
    the last poll.
    """
    names = {key: (item.name,) for key, item in known.items()}
    choices = listed(item.name or str(key) for key, item in known.items())
    return one_named(kind, asked, names, choices)


def _changes(coordinator: MyWifiCoordinator, data: dict[str, Any]) -> dict[str, Any]:
    """Check the fields against the account; return them in the client's names."""
    account = coordinator.data
    changes = {str(key): data[str(key)] for key in _USER_FIELDS if str(key) in data}
    if (group := changes.get(ATTR_GROUP_ID)) is not None:
        changes[ATTR_GROUP_ID] = _pick("group", group, account.groups)
    if (plan := changes.get(ATTR_RATE_PLAN_ID)) is not None:
        changes[ATTR_RATE_PLAN_ID] = _pick("rate_plan", plan, account.rate_plans)
    if (mac := changes.get(ATTR_MAC)) is not None:
        normalised = normalized_mac(mac)
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


def _check_login_free(
    coordinator: MyWifiCoordinator, login: str, user_id: int | None = None
) -> None:
    """Refuse a login another user had at the last poll, before asking the vendor.

    The client looks again, freshly, before it adds or renames.
    """
    for other in _with_login(coordinator, login):
        if other.id != user_id:
            raise _invalid("login_taken", login=login, user_id=str(other.id))


async def _add_user(call: ServiceCall) -> ServiceResponse:
    entry, coordinator, client = _account(call)
    data = dict(call.data)
    generated = _password(call, data, adding=True)
    changes = _changes(coordinator, data)
    _check_login_free(coordinator, changes[ATTR_LOGIN])
    user = await ask(
        call,
        entry,
        client.create_user(**changes),
        also_secret=(changes.get(CONF_PASSWORD),),
    )
    await coordinator.async_refresh()
    return _answer(user, coordinator.data, generated)


async def _update_user(call: ServiceCall) -> ServiceResponse:
    entry, coordinator, client = _account(call)
    data = dict(call.data)
    generated = _password(call, data, adding=False)
    if ATTR_USER_ID in data:
        # With a user id, `login` is a new value; without one, it names the user.
        user = _user(coordinator, data[ATTR_USER_ID], None)
        new_login = data.get(ATTR_LOGIN)
        if new_login == user.login:
            data.pop(ATTR_LOGIN)
        elif new_login is not None:
            _check_login_free(coordinator, new_login, user.id)
    else:
        user = _user(coordinator, None, data.pop(ATTR_LOGIN, None))
    changes = _changes(coordinator, data)
    if not changes:
        raise _invalid("nothing_to_change")
    updated = await _edit(call, entry, coordinator, client, user, changes)
    return _answer(updated, coordinator.data, generated)


async def _edit(
    call: ServiceCall,
    entry: GuestWifiConfigEntry,
    coordinator: MyWifiCoordinator,
    client: MyWifiClient,
    user: MyWifiUser,
    changes: dict[str, Any],
) -> MyWifiUser:
    """One edit, from the vendor's record as it is now, done only if kept.

    The coordinator's copy may be minutes old: a whole-record PUT from it
    would undo what was changed on the vendor's dashboard since.
    """

    async def edit() -> MyWifiUser:
        try:
            return await client.edit_user(user.id, **changes)
        except NotFoundError:
            raise _invalid("unknown_user", user=str(user.id)) from None

    updated = await ask(call, entry, edit(), also_secret=(changes.get(CONF_PASSWORD),))
    await coordinator.async_refresh()
    return updated


async def _set_disabled(call: ServiceCall, disabled: bool) -> ServiceResponse:
    entry, coordinator, client = _account(call)
    user = _named_user(coordinator, call)
    changes = {"disabled": disabled}
    updated = await _edit(call, entry, coordinator, client, user, changes)
    return _shown(updated, coordinator.data)


async def _disable_user(call: ServiceCall) -> ServiceResponse:
    return await _set_disabled(call, True)


async def _enable_user(call: ServiceCall) -> ServiceResponse:
    return await _set_disabled(call, False)


async def _delete_user(call: ServiceCall) -> None:
    entry, coordinator, client = _account(call)
    user = _named_user(coordinator, call)
    await ask(call, entry, client.delete_user(user.id))
    await coordinator.async_refresh()


async def _list_users(call: ServiceCall) -> ServiceResponse:
    entry, coordinator, client = _account(call)
    group = call.data.get(ATTR_GROUP_ID)
    if group is not None:
        group = _pick("group", group, coordinator.data.groups)
    users = await ask(call, entry, client.users())
    return {
        "users": [
            _shown(user, coordinator.data)
            for user in users
            if group is None or user.group_id == group
        ]
    }


_ANSWERS = SupportsResponse.OPTIONAL
USER_ACTIONS = (
    Action("add_user", ADD_SCHEMA, _add_user, _ANSWERS),
    Action("update_user", UPDATE_SCHEMA, _update_user, _ANSWERS),
    Action("disable_user", WHO_SCHEMA, _disable_user, _ANSWERS),
    Action("enable_user", WHO_SCHEMA, _enable_user, _ANSWERS),
    Action("delete_user", WHO_SCHEMA, _delete_user, SupportsResponse.NONE),
    Action("list_users", LIST_SCHEMA, _list_users),
)
