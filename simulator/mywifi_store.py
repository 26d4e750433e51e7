"""My Wi-Fi Service's account: registered users, groups, rate plans, OAuth tokens."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
import math
from random import Random
import secrets
from typing import Any

from . import timefmt
from .macs import vendor_mac
from .population import COUNTRIES, FIRST_NAMES, LAST_NAMES, mac_for, seeded

ACCESS_LIFETIME = 86400  # the vendor's 24 h
CODE_LIFETIME = 600.0
FIRST_USER_ID = 14646  # as in the vendor's example
GROUPS = ({"GroupID": 3, "Name": "Guests", "Description": "Hotel guests"},
          {"GroupID": 4, "Name": "Staff", "Description": "Employees"},
          {"GroupID": 5, "Name": "VIP", "Description": "Suites and members"})  # fmt: skip
RATE_PLANS = ({"WeeklyRatePlanID": 3, "Name": "Always on", "Description": None},
              {"WeeklyRatePlanID": 5, "Name": "Office hours", "Description": "Mon-Fri 8-18"},
              {"WeeklyRatePlanID": 7, "Name": "Weekends", "Description": None})  # fmt: skip
REQUIRED = ("GroupID", "WeeklyRatePlanID", "FirstName", "LastName", "Login", "Password")
_TEXT = ("FirstName", "LastName", "Login", "Password", "Address", "City", "Province",
         "ZIPCode", "DocumentIssuedBy", "DocumentNumber", "Telephone", "EMail",
         "MobilePhone", "Note", "IsoCountryCode")  # fmt: skip
_INT = ("GroupID", "WeeklyRatePlanID", "StateInfo", "DocumentTypeID", "UserType",
        "NavigationModeCode")  # fmt: skip
_BOOL = ("RegisteredBySMS", "Disabled", "Sold", "AccountWithExpiration")
_MOMENT = ("AccountExpiration", "TicketExpirationDate")
_DAY = ("BornDate", "DocumentIssuedDate")


class UserError(ValueError):
    """A user record the vendor would refuse (answered as 400 {"Message"})."""


@dataclass(slots=True)
class Grant:
    """What a code, access token or refresh token stands for."""

    client_id: str
    scope: str
    expires: float  # the moment it stops working (inf for refresh tokens)
    redirect_uri: str | None = None


class MyWifiStore:
    """The account's state; the same seed gives the same users."""

    def __init__(self, seed: int, *, users: int, clock: Callable[[], float]) -> None:
        """Create `users` registered users."""
        self.clock = clock
        self.users: dict[int, dict[str, Any]] = {}
        self.next_id = FIRST_USER_ID
        self.codes: dict[str, Grant] = {}
        self.access: dict[str, Grant] = {}
        self.refresh: dict[str, Grant] = {}
        rng = seeded(seed, "mywifi")
        for _ in range(users):
            self._seed_user(rng)

    # --- users --------------------------------------------------------------

    def _seed_user(self, rng: Random) -> None:
        country, prefix, city = rng.choice(COUNTRIES)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        now = self.clock()
        expiring = rng.random() < 0.3
        user_id = self.next_id
        record = {
            "RegisteredUserID": user_id,
            "FirstName": first,
            "LastName": last,
            "Login": str(100_000_000 + user_id * 7919 % 900_000_000),
            "Password": f"{rng.getrandbits(32):08x}",
            "GroupID": rng.choice(GROUPS)["GroupID"],
            "StateInfo": rng.choice((196, 208)),
            "WeeklyRatePlanID": rng.choice(RATE_PLANS)["WeeklyRatePlanID"],
            "Address": "",
            "City": city,
            "Province": "",
            "ZIPCode": f"{rng.randrange(10000, 99999)}",
            "DocumentIssuedBy": None,
            "BornDate": None,
            "RegistrationDate": timefmt.iso_z(now - rng.uniform(86400, 400 * 86400)),
            "DocumentIssuedDate": None,
            "DocumentNumber": None,
            "Telephone": None,
            "EMail": f"{first}.{last}.{user_id}@example.com".lower()
            if rng.random() < 0.6
            else "",
            "MobilePhone": f"{prefix}{rng.randrange(10**6, 10**7)}"
            if rng.random() < 0.4
            else None,
            "Note": None,
            "DocumentTypeID": -1,
            "Balance": round(rng.uniform(0, 50), 4) if rng.random() < 0.3 else 0.0,
            "UserType": rng.choice((0, 1)),
            "IsoCountryCode": country,
            "NavigationModeCode": rng.randrange(1, 7),
            "MacAddress": vendor_mac(mac_for(rng, None), "mywifi")
            if rng.random() < 0.7
            else None,
            "RegisteredBySMS": rng.random() < 0.2,
            "Disabled": rng.random() < 0.05,
            "Sold": False,
            "AccountWithExpiration": expiring,
            "AccountExpiration": timefmt.iso_z(now + rng.uniform(-7, 60) * 86400)
            if expiring
            else None,
            "TicketExpirationDate": None,
        }
        self.users[user_id] = record
        self.next_id += 1

    def page(self, index: int, size: int) -> list[dict[str, Any]]:
        """One page of users, by id."""
        ids = sorted(self.users)[index * size : (index + 1) * size]
        return [self.users[i] for i in ids]

    def create(self, body: Any) -> dict[str, Any]:
        """Add a user; raises UserError as the vendor would refuse it."""
        if not isinstance(body, dict):
            raise UserError("The request is invalid.")
        missing = [k for k in REQUIRED if body.get(k) in (None, "")]
        if missing:
            raise UserError(f"Required field(s) missing: {', '.join(missing)}")
        record: dict[str, Any] = dict.fromkeys(
            (*_TEXT, *_INT, *_BOOL, *_MOMENT, *_DAY, "Balance"), None
        )
        record.update(
            {"RegisteredUserID": self.next_id, "Balance": 0.0, "Disabled": False,
             "Sold": False, "RegisteredBySMS": False, "AccountWithExpiration": False,
             "MacAddress": None, "RegistrationDate": timefmt.iso_z(self.clock())}
        )  # fmt: skip
        self._apply(record, body)
        self.users[self.next_id] = record
        self.next_id += 1
        return record

    def update(self, user_id: int, body: Any) -> dict[str, Any]:
        """Apply a whole-record PUT; fields it leaves out (the password) are kept."""
        if not isinstance(body, dict):
            raise UserError("The request is invalid.")
        record = dict(self.users[user_id])  # KeyError: no such user
        self._apply(record, body)
        self.users[user_id] = record
        return record

    def _apply(self, record: dict[str, Any], body: dict[str, Any]) -> None:
        for key, value in body.items():
            if key in _TEXT or key == "MacAddress":
                record[key] = _text(key, value)
            elif key in _INT:
                record[key] = _integer(key, value)
            elif key in _BOOL:
                record[key] = _flag(key, value)
            elif key in _MOMENT:
                record[key] = _moment(key, value, day=False)
            elif key in _DAY:
                record[key] = _moment(key, value, day=True)
            elif key == "Balance":
                record[key] = _money(value)
            # RegisteredUserID, RegistrationDate and unknown keys are ignored.
        for key in REQUIRED:
            if record.get(key) in (None, ""):
                raise UserError(f"The field {key} is required.")
        if record.get("MacAddress"):
            try:
                record["MacAddress"] = vendor_mac(record["MacAddress"], "mywifi")
            except ValueError:
                raise UserError("The field MacAddress is not a MAC address.") from None
        if record["GroupID"] not in {g["GroupID"] for g in GROUPS}:
            raise UserError(f"Unknown GroupID {record['GroupID']}.")
        if record["WeeklyRatePlanID"] not in {
            p["WeeklyRatePlanID"] for p in RATE_PLANS
        }:
            raise UserError(f"Unknown WeeklyRatePlanID {record['WeeklyRatePlanID']}.")
        login = str(record["Login"]).casefold()
        for other in self.users.values():
            same = other["RegisteredUserID"] == record["RegisteredUserID"]
            if not same and str(other["Login"]).casefold() == login:
                raise UserError(f"Login '{record['Login']}' already exists.")

    # --- OAuth ----------------------------------------------------------------

    def issue_code(self, client_id: str, redirect_uri: str, scope: str) -> str:
        """A one-time authorization code."""
        code = secrets.token_urlsafe(24)
        self.codes[code] = Grant(
            client_id, scope, self.clock() + CODE_LIFETIME, redirect_uri
        )
        return code

    def exchange_code(
        self, code: str, client_id: str, redirect_uri: str | None
    ) -> dict[str, Any] | None:
        """Tokens for a code (used once), or None: invalid_grant."""
        grant = self.codes.pop(code, None)
        if (
            grant is None
            or grant.client_id != client_id
            or grant.expires < self.clock()
        ):
            return None
        if redirect_uri is not None and redirect_uri != grant.redirect_uri:
            return None
        refresh = secrets.token_urlsafe(32)
        self.refresh[refresh] = Grant(client_id, grant.scope, float("inf"))
        return self._access(refresh)

    def renew(self, refresh: str, client_id: str) -> dict[str, Any] | None:
        """A new access token for a refresh token, or None: invalid_grant."""
        grant = self.refresh.get(refresh)
        if grant is None or grant.client_id != client_id:
            return None
        return self._access(refresh)

    def _access(self, refresh: str) -> dict[str, Any]:
        grant = self.refresh[refresh]
        token = secrets.token_urlsafe(32)
        self.access[token] = Grant(
            grant.client_id, grant.scope, self.clock() + ACCESS_LIFETIME
        )
        # The refresh token is kept (not rotated): it renews until revoked.
        return {
            "access_token": token,
            "token_type": "bearer",
            "expires_in": ACCESS_LIFETIME,
            "refresh_token": refresh,
            "scope": grant.scope,
        }

    def scope_of(self, token: str) -> str | None:
        """The scope of a valid, unexpired access token; None otherwise."""
        grant = self.access.get(token)
        if grant is None or grant.expires <= self.clock():
            return None
        return grant.scope

    def expire_access(self) -> int:
        """Every access token stops working now; refresh tokens still renew."""
        now = self.clock()
        for grant in self.access.values():
            grant.expires = min(grant.expires, now)
        return len(self.access)

    def revoke(self) -> int:
        """Every token and code stops working: a new sign-in is needed."""
        count = len(self.access) + len(self.refresh)
        self.access.clear()
        self.refresh.clear()
        self.codes.clear()
        return count


def _text(key: str, value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # a numeric Login or ZIP code sent as a number
    raise UserError(f"The field {key} must be a string.")


def _integer(key: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise UserError(f"The field {key} must be a number.")
    try:
        return int(str(value).strip())
    except ValueError:
        raise UserError(f"The field {key} must be a number.") from None


def _flag(key: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise UserError(f"The field {key} must be true or false.")


def _moment(key: str, value: Any, *, day: bool) -> str | None:
    if value in (None, ""):
        return None
    try:
        moment = timefmt.parse_iso(str(value))
    except ValueError:
        raise UserError(f"The field {key} is not a valid date.") from None
    if day:  # a date of birth or of a document: no zone, no fraction
        return timefmt.iso_utc(moment)[:10] + "T00:00:00"
    return timefmt.iso_z(moment)


def _money(value: Any) -> float:
    if value is None:
        return 0.0
    try:
        amount = float(str(value))
    except ValueError:
        raise UserError("The field Balance must be an amount.") from None
    if not math.isfinite(amount):
        raise UserError("The field Balance must be an amount.")
    return round(amount, 4)
