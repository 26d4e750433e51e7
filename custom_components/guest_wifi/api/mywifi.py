"""My Wi-Fi Service (Softvision): REST/JSON behind a 3-legged OAuth2 bearer token.

Quirks kept here and nowhere else:
- the user list is paginated (`PageIndex` from 0, `PageSize`): every page is
  read, up to a bound (the document gives no total);
- adding a user answers `201 Created` with the user; the vendor does not refuse
  a login that is already taken, so adds go one at a time and look first;
- logins compare as the vendor's sign-in compares them: ignoring case (the
  document says nothing else);
- editing is a `PUT` of the whole record to `/registeredusers/{id}`; disabling
  is an edit of the `Disabled` flag, so an edit always starts from the record
  the vendor gave us and changes only what was asked, one edit at a time, and
  counts as done only for what the vendor's answer shows it kept;
- an access token can be refused before its time (revoked, clocks apart): it
  is renewed once and the request sent once more before giving up;
- user records carry the `Password`: it stays inside this module, out of every
  model's repr and display dict;
- times without an offset are read as UTC (the vendor writes `Z` for UTC and
  an offset for local times).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
import re
from typing import Any, Final

import aiohttp

from . import _normalize as norm
from ._http import MAX_BODY_BYTES, Transport, VendorClient, parse_body
from ._json import decode_json
from .errors import CannotConnectError, GuestWifiError, InvalidResponseError

DEFAULT_BASE_URL: Final = "https://api.mywifiservice.com/v1/"
AUTHORIZE_URL: Final = "https://app.mywifiservice.com/OAuth/Authorize"
TOKEN_URL: Final = "https://app.mywifiservice.com/OAuth/Token"  # noqa: S105
SCOPE: Final = "READ WRITE"
PAGE_SIZE: Final = 100
# The most users read from one account. The user list has no total, and a
# server that keeps inventing users would otherwise be read without end (one
# was asked for 23,753 pages in 20 seconds). Fifty thousand is far beyond any
# venue's registered users, yet bounded in requests (500 pages) and in memory.
MAX_USERS: Final = 50_000
# A page of users may be the transport's whole cap (a vendor that ignores
# PageSize sends them all at once), and holds at most MAX_USERS, counted as
# they are read. Every other answer (one user, the groups, the weekly rate
# plans) is a few KB: a user record is ~750 bytes, a group or plan ~60.
MAX_SMALL_BYTES: Final = 2**20
# Groups or plans in one answer: what the small cap holds of 64-byte records.
MAX_GROUPS: Final = MAX_SMALL_BYTES // 64
# The longest token lifetime read from the token endpoint: the document gives
# 24 hours. Home Assistant adds it to the clock and stores it as is; a
# lifetime of 1e300 seconds left core unable to save any config entry.
MAX_TOKEN_LIFETIME: Final = int(norm.MAX_DURATION.total_seconds())
# An OAuth2 token: printable ASCII without blanks (RFC 6750's b64token and
# more), up to a length past any JWT. It goes into a header and into the
# config entry: a line break or a megabyte has no place in either.
_TOKEN = re.compile(r"[!-~]{1,4096}")

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
    # When the user registered (the vendor may leave it out).
    registered: datetime | None = None

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


class LoginTakenError(GuestWifiError):
    """The login is another user's already (compared as the vendor compares it)."""

    def __init__(self, login: str, user_id: int) -> None:
        """Name the login and the user who has it."""
        super().__init__(f"The login {login} is taken by user {user_id}")
        self.login = login
        self.user_id = user_id


class ChangeNotKeptError(InvalidResponseError):
    """The vendor answered an edit, but its user does not hold what was asked."""

    def __init__(self, user_id: int, fields: Sequence[str]) -> None:
        """Name the user and the fields (our names) the vendor did not keep."""
        super().__init__(f"My Wi-Fi did not keep {', '.join(fields)} of user {user_id}")
        self.user_id = user_id
        self.fields = tuple(fields)


class AddOutcomeUnknownError(CannotConnectError):
    """An add went unanswered, and a lookup could not show the user was made.

    Either the lookup found no user with the login (the vendor may still save
    it later) or, with `lookup_failed`, it failed too.
    """

    def __init__(self, login: str, *, lookup_failed: bool = False) -> None:
        """Name the login and what the lookup after the lost answer found."""
        outcome = "failed" if lookup_failed else "found no user with that login"
        super().__init__(
            f"My Wi-Fi did not answer the add of {login}; the lookup {outcome}"
        )
        self.login = login
        self.lookup_failed = lookup_failed


def token_answer(answer: Any) -> dict[str, Any]:
    """The token endpoint's answer, checked before Home Assistant keeps it.

    An object with an access token and its lifetime (a whole number of
    seconds, as core reads it: "86400" and 86400.0 are read too); a refresh
    token, if given, is a token. The lifetime is written back as an int.
    Messages name the field, never its value: the value may be a token.
    """
    if not isinstance(answer, dict):
        raise InvalidResponseError("Token answer is not a JSON object")
    for name in ("access_token", "refresh_token"):
        value = answer.get(name)
        if (name == "access_token" or value is not None) and not (
            isinstance(value, str) and _TOKEN.fullmatch(value)
        ):
            raise InvalidResponseError(f"Token answer: {name} is not a token")
    try:
        lifetime = norm.optional_int(answer.get("expires_in"), high=MAX_TOKEN_LIFETIME)
    except InvalidResponseError:
        lifetime = None
    if lifetime is None:
        raise InvalidResponseError("Token answer: expires_in is not a lifetime")
    return {**answer, "expires_in": lifetime}


def same_login(first: str | None, second: str | None) -> bool:
    """Whether two logins are one for the vendor: blanks around and case ignored."""
    a, b = norm.text(first), norm.text(second)
    return a is not None and b is not None and a.casefold() == b.casefold()


def _user(rec: Mapping[str, Any]) -> MyWifiUser:
    """A user from the vendor's record; a refused value is named by its field."""
    try:
        return _user_fields(rec)
    except norm.RefusedValueError as refused:
        raise refused.in_field(rec) from None


def _user_fields(rec: Mapping[str, Any]) -> MyWifiUser:
    get, text = rec.get, norm.text
    user_id = norm.optional_int(get("RegisteredUserID"))
    if user_id is None:
        raise InvalidResponseError("A My Wi-Fi user has no RegisteredUserID")
    expires = norm.timestamp(get("AccountExpiration"))
    # The vendor's record as it came, less the password (a copy in C, then
    # one key out: a page of users is read in one go).
    record = dict(rec)
    record.pop("Password", None)
    # Fields given in order: a page of users is built in one go.
    return MyWifiUser(
        user_id,  # id
        text(get("Login")),  # login
        text(get("FirstName")),  # first_name
        text(get("LastName")),  # last_name
        norm.optional_int(get("GroupID")),  # group_id
        norm.optional_int(get("WeeklyRatePlanID")),  # weekly_rate_plan_id
        text(get("EMail")),  # email
        text(get("MobilePhone")),  # mobile_phone
        norm.mac(get("MacAddress")),  # mac
        bool(norm.boolean(get("Disabled"))),  # disabled
        expires if norm.boolean(get("AccountWithExpiration")) else None,  # expires
        norm.money(get("Balance")),  # balance
        text(get("Note"), norm.MAX_NOTE_TEXT),  # note
        record,  # record
        norm.timestamp(get("RegistrationDate")),  # registered
    )


def _page_user(rec: Any) -> MyWifiUser:
    """One element of a user page as a user; anything but a record is refused."""
    return _user(norm.record(rec, "RegisteredUsers"))


def _named(rec: Mapping[str, Any], id_key: str) -> tuple[int, str | None]:
    with norm.naming_fields(rec):
        item_id = norm.optional_int(rec.get(id_key))
        name = norm.text(rec.get("Name")) or norm.text(rec.get("Description"))
    if item_id is None:
        raise InvalidResponseError(f"A My Wi-Fi record has no {id_key}")
    return item_id, name


def _holds(user: MyWifiUser, key: str, asked: Any) -> bool:
    """Whether the vendor's user holds one value asked for (our field name)."""
    if key == "password":
        return True  # never read back: the records we keep have none
    if key == "login":
        return same_login(user.login, asked) or (
            norm.text(asked) is None and user.login is None
        )
    if key == "email":
        return (user.email or "").casefold() == (norm.text(asked) or "").casefold()
    if key == "mac_address":
        return user.mac == norm.mac(asked)
    if key == "note":
        return user.note == norm.text(asked, norm.MAX_NOTE_TEXT)
    if key == "disabled":
        return user.disabled is bool(asked)
    if key in ("group_id", "weekly_rate_plan_id"):
        return bool(getattr(user, key) == norm.optional_int(asked))
    if key == "account_expiration":
        expires = asked if isinstance(asked, datetime) else norm.timestamp(asked)
        if expires is None or user.expires is None:
            return expires is user.expires
        # The vendor may keep fewer digits of the second than were sent.
        return abs(user.expires - expires) < timedelta(seconds=1)
    return bool(getattr(user, key) == norm.text(asked))


def _not_kept(user: MyWifiUser, asked: Mapping[str, Any]) -> list[str]:
    """The fields asked for (our names) that the vendor's user does not hold."""
    return [key for key, value in asked.items() if not _holds(user, key, value)]


def _with_login(users: Iterable[MyWifiUser], login: str) -> list[MyWifiUser]:
    return [user for user in users if same_login(user.login, login)]


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


class MyWifiClient(VendorClient):
    """One My Wi-Fi Service account, reached with a bearer token."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        access_token: Callable[[], Awaitable[str]],
        *,
        renew_token: Callable[[str], Awaitable[str]] | None = None,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 30,
    ) -> None:
        """`access_token` returns a valid token, refreshing it first if it must.

        `renew_token` is given a token the vendor refused (HTTP 401) and
        returns a renewed one, or raises AuthenticationError if it cannot.
        """
        self._access_token = access_token
        self._renew_token = renew_token
        # The tokens in use lately: a vendor's error may echo any of them.
        self._tokens: list[str] = []
        self._http = Transport(
            session, base_url, timeout=timeout, secrets=lambda: tuple(self._tokens)
        )
        # Adds, edits and deletes of the account go one at a time: an edit is a
        # whole-record PUT made from the record as read, so two edits at once
        # would each undo the other, and the vendor takes a login twice.
        self._writes = asyncio.Lock()

    def _using(self, token: str) -> str:
        if token not in self._tokens:
            self._tokens = [*self._tokens[-1:], token]
        return token

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        body: Any = None,
        expect: tuple[int, ...] = (200,),
        each: Callable[[Any], Any] | None = None,
        most: int | None = None,
        max_bytes: int = MAX_SMALL_BYTES,
    ) -> Any:
        """Send one request; its JSON answer, or None for an empty one.

        With `each`, every element of a top-level list is mapped by it as the
        answer is decoded, in the worker thread that decodes it. `most`: the
        answer is a list of at most that many records (see `decode_json`).
        """
        token = self._using(await self._access_token())

        async def send(token: str, expect: tuple[int, ...]) -> tuple[int, bytes]:
            return await self._http.request(
                method,
                path,
                params=params,
                json_body=body,
                headers={
                    "Authorization": f"Bearer {token}",
                    "Accept": "application/json",
                    "Accept-Charset": "UTF-8",
                },
                expect=expect,
                also_secret=(body.get("Password"),) if isinstance(body, dict) else (),
                max_bytes=max_bytes,
            )

        if self._renew_token is None:
            _, raw = await send(token, expect)
        else:
            status, raw = await send(token, (*expect, 401))
            if status == 401:
                # Refused before its time: renew once, send once more. A 401
                # means the request was not carried out, so a POST is safe to
                # repeat; a second 401 is an authentication failure.
                token = self._using(await self._renew_token(token))
                _, raw = await send(token, expect)
        # Not raw.strip(): that copies a body of megabytes on the loop.
        if not raw or raw.isspace():
            return None
        return await parse_body(lambda b: decode_json(b, path, each, most=most), raw)

    async def _records[T](
        self,
        path: str,
        build: Callable[[Any], T],
        *,
        most: int,
        params: Mapping[str, str] | None = None,
        max_bytes: int = MAX_SMALL_BYTES,
    ) -> list[T]:
        """A list of at most `most` records, each built as it is decoded."""
        read = await self._call(
            "GET", path, params=params, each=build, most=most, max_bytes=max_bytes
        )
        if not isinstance(read, list):  # `each` made every element a model
            raise InvalidResponseError(f"Expected a list of records from {path}")
        return read

    async def users(self, *, page_size: int = PAGE_SIZE) -> list[MyWifiUser]:
        """Every registered user, reading every page.

        A page that brings no user not already read ends the walk too (a
        repeated page: a server that ignores `PageIndex` would otherwise be
        read forever). More than `MAX_USERS` users is an invalid response;
        a page of more is refused as it is read, before it is built whole.
        """
        users: dict[int, MyWifiUser] = {}
        # The pages MAX_USERS fill, and one more to see that the list ends.
        for page in range(-(-MAX_USERS // page_size) + 1):
            # Users are built in the worker that decodes the page: a vendor
            # that ignores PageSize may send 16 MiB of them at once.
            read = await self._records(
                "RegisteredUsers",
                _page_user,
                most=MAX_USERS,
                params={"PageIndex": str(page), "PageSize": str(page_size)},
                max_bytes=MAX_BODY_BYTES,
            )
            known = len(users)
            for user in read:
                users.setdefault(user.id, user)
            if len(users) > MAX_USERS:
                break
            if len(read) < page_size or len(users) == known:
                return list(users.values())
        raise InvalidResponseError(
            f"My Wi-Fi listed more than {MAX_USERS} users; reading stopped there"
        )

    async def user(self, user_id: int) -> MyWifiUser:
        """One user by id."""
        rec = await self._call("GET", f"registeredusers/{user_id}")
        if not isinstance(rec, dict):
            raise InvalidResponseError("My Wi-Fi user is not an object")
        return _user(rec)

    async def add_user(self, **fields: Any) -> MyWifiUser:
        """Send one add (our field names, as in `USER_FIELDS`), without looking first.

        `create_user` is the safe add: this one makes a second user with a
        login already taken, and leaves a lost answer unresolved.
        """
        rec = await self._call(
            "POST", "registeredusers", body=_vendor_fields(fields), expect=(200, 201)
        )
        if not isinstance(rec, dict):
            raise InvalidResponseError("My Wi-Fi did not answer with the new user")
        return _user(rec)

    async def create_user(self, **fields: Any) -> MyWifiUser:
        """Add a user once: one add at a time, never a login that is taken.

        A fresh lookup comes first (the vendor would take the login twice).
        When the add goes unanswered, a second lookup finds the user if the
        vendor made it; if not, the outcome is unknown (it may still save it)
        and AddOutcomeUnknownError says what the lookup found.
        """
        login = norm.text(fields.get("login"))
        if login is None:
            raise ValueError("A new user needs a login")
        async with self._writes:
            if taken := _with_login(await self.users(), login):
                raise LoginTakenError(login, taken[0].id)
            try:
                return await self.add_user(**fields)
            except CannotConnectError:
                pass
            try:
                found = _with_login(await self.users(), login)
            except GuestWifiError:
                found = None
            if found:
                return found[0]
            raise AddOutcomeUnknownError(login, lookup_failed=found is None)

    async def update_user(self, user: MyWifiUser, **changes: Any) -> MyWifiUser:
        """Change some fields of a user in one whole-record PUT made from `user`.

        The answer must show every change kept (a `204` is read back), or
        ChangeNotKeptError says which were not. `edit_user` is the safe edit.
        """
        body = {**user.record, **_vendor_fields(changes)}
        rec = await self._call(
            "PUT", f"registeredusers/{user.id}", body=body, expect=(200, 204)
        )
        # Some deployments answer 204 without the user: ask for it.
        updated = _user(rec) if isinstance(rec, dict) else await self.user(user.id)
        if not_kept := _not_kept(updated, changes):
            raise ChangeNotKeptError(user.id, not_kept)
        return updated

    async def edit_user(self, user_id: int, **changes: Any) -> MyWifiUser:
        """Change some fields of a user, from the vendor's record as it is now.

        One write at a time: a record read while another edit is under way
        would, sent back whole, undo that edit. A new login is checked against
        a fresh lookup first, as for an add.
        """
        async with self._writes:
            login = norm.text(changes.get("login"))
            if login is not None and (
                taken := [
                    user
                    for user in _with_login(await self.users(), login)
                    if user.id != user_id
                ]
            ):
                raise LoginTakenError(login, taken[0].id)
            return await self.update_user(await self.user(user_id), **changes)

    async def disable_user(self, user: MyWifiUser) -> MyWifiUser:
        """Disable a user (an edit of the `Disabled` flag)."""
        return await self.update_user(user, disabled=True)

    async def enable_user(self, user: MyWifiUser) -> MyWifiUser:
        """Enable a user again."""
        return await self.update_user(user, disabled=False)

    async def delete_user(self, user_id: int) -> None:
        """Delete a user (not while another write of the account is under way)."""
        async with self._writes:
            await self._call("DELETE", f"registeredusers/{user_id}", expect=(200, 204))

    async def groups(self) -> list[MyWifiGroup]:
        """The account's users groups."""
        return await self._records(
            "groups",
            lambda rec: MyWifiGroup(*_named(norm.record(rec, "groups"), "GroupID")),
            most=MAX_GROUPS,
        )

    async def rate_plans(self) -> list[MyWifiRatePlan]:
        """The account's weekly rate plans."""
        return await self._records(
            "weeklyrateplans",
            lambda rec: MyWifiRatePlan(
                *_named(norm.record(rec, "weeklyrateplans"), "WeeklyRatePlanID")
            ),
            most=MAX_GROUPS,
        )
