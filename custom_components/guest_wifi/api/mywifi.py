"""My Wi-Fi Service (Softvision): REST/JSON behind a 3-legged OAuth2 bearer token.

Quirks kept here and nowhere else:
- the user list is paginated (`PageIndex` from 0, `PageSize`): every page is read;
- adding a user answers `201 Created` with the user;
- editing is a `PUT` of the whole record to `/registeredusers/{id}`; disabling
  is an edit of the `Disabled` flag, so an edit always starts from the record
  the vendor gave us and changes only what was asked;
- user records carry the `Password`: it stays inside this module, out of every
  model's repr and display dict;
- times without an offset are read as UTC (the vendor writes `Z` for UTC and
  an offset for local times).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Final

import aiohttp

from . import _normalize as norm
from ._http import Transport, decode_json, parse_body
from .errors import InvalidResponseError

DEFAULT_BASE_URL: Final = "https://api.mywifiservice.com/v1/"
AUTHORIZE_URL: Final = "https://app.mywifiservice.com/OAuth/Authorize"
TOKEN_URL: Final = "https://app.mywifiservice.com/OAuth/Token"  # noqa: S105
SCOPE: Final = "READ WRITE"
PAGE_SIZE: Final = 100

# Our names for the fields a caller may set, and the vendor's.
USER_FIELDS: Final = {
    "first_name": "FirstName",
    "last_name": "LastName",
    "login": "Login",
    "password": "Password",
    "group_id": "GroupID",
    "weekly_rate_plan_id": "WeeklyRatePlanID",
    "email": "EMail",
    "mobile_phone": "MobilePhone",
    "mac_address": "MacAddress",
    "account_expiration": "AccountExpiration",
    "note": "Note",
    "disabled": "Disabled",
}


@dataclass(frozen=True, slots=True)
class MyWifiUser:
    """A registered user. The password is never part of it."""

    id: int
    login: str | None
    first_name: str | None
    last_name: str | None
    group_id: int | None
    weekly_rate_plan_id: int | None
    email: str | None
    mobile_phone: str | None
    mac: str | None
    disabled: bool
    expires: datetime | None
    balance: Decimal | None
    note: str | None
    # The vendor's record without the password: the base of a whole-record PUT.
    record: Mapping[str, Any] = field(repr=False, compare=False, hash=False)

    def as_dict(self) -> dict[str, Any]:
        """The user for display (actions' responses): never a password."""
        return {
            "user_id": self.id,
            "login": self.login,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "group_id": self.group_id,
            "weekly_rate_plan_id": self.weekly_rate_plan_id,
            "email": self.email,
            "mobile_phone": self.mobile_phone,
            "mac_address": self.mac,
            "disabled": self.disabled,
            "account_expiration": self.expires.isoformat() if self.expires else None,
            "balance": str(self.balance) if self.balance is not None else None,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class MyWifiGroup:
    """A users group."""

    id: int
    name: str | None


@dataclass(frozen=True, slots=True)
class MyWifiRatePlan:
    """A weekly rate plan."""

    id: int
    name: str | None


def _user(rec: Mapping[str, Any]) -> MyWifiUser:
    user_id = norm.optional_int(rec.get("RegisteredUserID"))
    if user_id is None:
        raise InvalidResponseError("A My Wi-Fi user has no RegisteredUserID")
    expires = norm.timestamp(rec.get("AccountExpiration"))
    return MyWifiUser(
        id=user_id,
        login=norm.text(rec.get("Login")),
        first_name=norm.text(rec.get("FirstName")),
        last_name=norm.text(rec.get("LastName")),
        group_id=norm.optional_int(rec.get("GroupID")),
        weekly_rate_plan_id=norm.optional_int(rec.get("WeeklyRatePlanID")),
        email=norm.text(rec.get("EMail")),
        mobile_phone=norm.text(rec.get("MobilePhone")),
        mac=norm.mac(rec.get("MacAddress")),
        disabled=bool(norm.boolean(rec.get("Disabled"))),
        expires=expires if norm.boolean(rec.get("AccountWithExpiration")) else None,
        balance=norm.money(rec.get("Balance")),
        note=norm.text(rec.get("Note")),
        record={k: v for k, v in rec.items() if k != "Password"},
    )


def _named(rec: Mapping[str, Any], id_key: str) -> tuple[int, str | None]:
    item_id = norm.optional_int(rec.get(id_key))
    if item_id is None:
        raise InvalidResponseError(f"A My Wi-Fi record has no {id_key}")
    name = norm.text(rec.get("Name")) or norm.text(rec.get("Description"))
    return item_id, name


def _vendor_fields(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Our field names to the vendor's, with values in the vendor's spelling."""
    body: dict[str, Any] = {}
    for key, given in changes.items():
        if key not in USER_FIELDS:
            raise ValueError(f"Unknown user field: {key}")
        value = given
        if key == "mac_address" and given is not None:
            value = (norm.mac(given) or given).upper().replace(":", "-")
        if key == "account_expiration" and isinstance(given, datetime):
            body["AccountWithExpiration"] = True
            value = given.isoformat()
        body[USER_FIELDS[key]] = value
    return body


class MyWifiClient:
    """One My Wi-Fi Service account, reached with a bearer token."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        access_token: Callable[[], Awaitable[str]],
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 30,
    ) -> None:
        """`access_token` returns a valid token, refreshing it first if it must."""
        self._access_token = access_token
        self._last_token: str | None = None
        self._http = Transport(
            session, base_url, timeout=timeout, secrets=lambda: (self._last_token,)
        )

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        body: Any = None,
        expect: tuple[int, ...] = (200,),
    ) -> Any:
        self._last_token = await self._access_token()
        _, raw = await self._http.request(
            method,
            path,
            params=params,
            json_body=body,
            headers={
                "Authorization": f"Bearer {self._last_token}",
                "Accept": "application/json",
                "Accept-Charset": "UTF-8",
            },
            expect=expect,
            also_secret=(body.get("Password"),) if isinstance(body, dict) else (),
        )
        if not raw.strip():
            return None
        return await parse_body(lambda b: decode_json(b, path), raw)

    async def users(self, *, page_size: int = PAGE_SIZE) -> list[MyWifiUser]:
        """Every registered user, reading every page.

        A page that brings no user not already read ends the walk too: a
        server that ignores `PageIndex` would otherwise be read forever.
        """
        users: dict[int, MyWifiUser] = {}
        page = 0
        while True:
            recs = norm.records(
                await self._call(
                    "GET",
                    "RegisteredUsers",
                    params={"PageIndex": str(page), "PageSize": str(page_size)},
                ),
                "RegisteredUsers",
            )
            known = len(users)
            for rec in recs:
                user = _user(rec)
                users.setdefault(user.id, user)
            if len(recs) < page_size or len(users) == known:
                return list(users.values())
            page += 1

    async def user(self, user_id: int) -> MyWifiUser:
        """One user by id."""
        rec = await self._call("GET", f"registeredusers/{user_id}")
        if not isinstance(rec, dict):
            raise InvalidResponseError("My Wi-Fi user is not an object")
        return _user(rec)

    async def add_user(self, **fields: Any) -> MyWifiUser:
        """Create a user (our field names, as in `USER_FIELDS`)."""
        rec = await self._call(
            "POST", "registeredusers", body=_vendor_fields(fields), expect=(200, 201)
        )
        if not isinstance(rec, dict):
            raise InvalidResponseError("My Wi-Fi did not answer with the new user")
        return _user(rec)

    async def update_user(self, user: MyWifiUser, **changes: Any) -> MyWifiUser:
        """Change some fields of a user in one whole-record PUT."""
        body = {**user.record, **_vendor_fields(changes)}
        rec = await self._call(
            "PUT", f"registeredusers/{user.id}", body=body, expect=(200, 204)
        )
        # Some deployments answer 204: the user is then what we sent.
        return _user(rec if isinstance(rec, dict) else body)

    async def disable_user(self, user: MyWifiUser) -> MyWifiUser:
        """Disable a user (an edit of the `Disabled` flag)."""
        return await self.update_user(user, disabled=True)

    async def enable_user(self, user: MyWifiUser) -> MyWifiUser:
        """Enable a user again."""
        return await self.update_user(user, disabled=False)

    async def delete_user(self, user_id: int) -> None:
        """Delete a user."""
        await self._call("DELETE", f"registeredusers/{user_id}", expect=(200, 204))

    async def groups(self) -> list[MyWifiGroup]:
        """The account's users groups."""
        recs = norm.records(await self._call("GET", "groups"), "groups")
        return [MyWifiGroup(*_named(rec, "GroupID")) for rec in recs]

    async def rate_plans(self) -> list[MyWifiRatePlan]:
        """The account's weekly rate plans."""
        recs = norm.records(
            await self._call("GET", "weeklyrateplans"), "weeklyrateplans"
        )
        return [MyWifiRatePlan(*_named(rec, "WeeklyRatePlanID")) for rec in recs]
