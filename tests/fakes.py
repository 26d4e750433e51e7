"""Vendors answering over faked HTTP, with state a test can change between polls."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
import json
import re
from typing import Any

import aiohttp
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMocker,
    AiohttpClientMockResponse,
)
from yarl import URL

WIWIZ_KEY = "WIWIZ-SECRET-KEY-0001"
SMARTWIFI_TOKEN = "SMARTWIFI-SECRET-TOKEN-0001"


@dataclass
class Failure:
    """What the next answers should be instead of data."""

    status: int = 200
    exc: BaseException | None = None
    body: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    # Never answer (a hung vendor): the request waits until it is cancelled.
    hang: bool = False


class FakeVendor:
    """Common plumbing: registration, failure injection, call log."""

    pattern: re.Pattern[str]
    failure: Failure | None = None

    def __init__(self) -> None:
        """Start with no calls."""
        self.calls: list[URL] = []

    def register(self, mock: AiohttpClientMocker) -> None:
        """Answer every request to this vendor."""
        for method in ("get", "post", "put", "delete"):
            getattr(mock, method)(self.pattern, side_effect=self._answer)

    def fail(self, **kwargs: Any) -> None:
        """Fail every call until `recover`."""
        self.failure = Failure(**kwargs)

    def recover(self) -> None:
        """Answer with data again."""
        self.failure = None

    async def _answer(
        self, method: str, url: URL, data: Any
    ) -> AiohttpClientMockResponse:
        self.calls.append(url)
        if self.failure is not None:
            if self.failure.hang:
                await asyncio.Event().wait()
            if self.failure.exc is not None:
                return AiohttpClientMockResponse(method, url, exc=self.failure.exc)
            return AiohttpClientMockResponse(
                method,
                url,
                status=self.failure.status,
                text=self.failure.body or "",
                headers=self.failure.headers,
            )
        status, body = self.handle(method, url, data)
        return AiohttpClientMockResponse(method, url, status=status, text=body)

    def handle(self, method: str, url: URL, data: Any) -> tuple[int, str]:
        """Answer one request."""
        raise NotImplementedError


def _xml(code: str, data: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><result><status>'
        f"<code>{code}</code><message>{code}</message></status>"
        f"<data>{data}</data></result>"
    )


def _records(rows: list[dict[str, Any]]) -> str:
    return "".join(
        "<record>" + "".join(f"<{k}>{v}</{k}>" for k, v in row.items()) + "</record>"
        for row in rows
    )


class FakeWiwiz(FakeVendor):
    """The Wiwiz Query API for one account, over HTTP and (unless refused) HTTPS."""

    pattern = re.compile(r"^https?://cp\.wiwiz\.com/as/qapi/")

    def __init__(self) -> None:
        """Two hotspots, one guest online on the first."""
        super().__init__()
        self.userkey = WIWIZ_KEY
        # What HTTPS does instead of answering (None: it answers like HTTP).
        self.https_failure: Failure | None = None
        self.code: str | None = None  # force a status code (e.g. ERR004)
        self.hotspots: dict[str, dict[str, Any]] = {
            "HS1": self._hotspot("203.0.113.7"),
            "HS2": self._hotspot("198.51.100.20"),
        }
        self.connect("HS1", "AA-BB-CC-00-00-01", ip="10.0.0.11", username="alice")

    @staticmethod
    def _hotspot(wan_ip: str) -> dict[str, Any]:
        return {
            "conn": [],
            "log": [],
            "mobile": [],
            "ads": [],
            "wan_ip": wan_ip,
            "updatetime": "2026-11-23 08:00:00",
        }

    def connect(
        self,
        hotspot: str,
        mac: str,
        *,
        ip: str = "10.0.0.99",
        username: str = "guest",
        incoming: int = 1000,
        outgoing: int = 100,
        mobile: str = "",
        start_time: str = "2026-11-23 09:00:00",
    ) -> None:
        """A guest joins a hotspot (and today's log)."""
        record = {
            "ip": ip,
            "mac": mac,
            "start_time": start_time,
            "end_time": "",
            "incoming": incoming,
            "outgoing": outgoing,
            "username": username,
            "usertype": 1,
            "voucher": "",
            "mobile": mobile,
            "userstring": "",
            "tokencode": f"tok-{mac}",
        }
        self.hotspots[hotspot]["conn"].append(record)
        self.hotspots[hotspot]["log"].append(record)

    def disconnect(self, hotspot: str, mac: str) -> None:
        """A guest leaves."""
        conns = self.hotspots[hotspot]["conn"]
        conns[:] = [c for c in conns if c["mac"] != mac]

    def refuse_https(self, **failure: Any) -> None:
        """HTTPS does not serve the API (by default: the connection is refused)."""
        self.https_failure = Failure(
            **(failure or {"exc": aiohttp.ClientConnectionError("refused")})
        )

    def serve_https(self) -> None:
        """HTTPS answers like HTTP."""
        self.https_failure = None

    def schemes(self) -> list[str]:
        """The scheme of each request so far."""
        return [url.scheme for url in self.calls]

    async def _answer(
        self, method: str, url: URL, data: Any
    ) -> AiohttpClientMockResponse:
        refused = self.https_failure
        if url.scheme == "https" and refused is not None:
            self.calls.append(url)
            if refused.exc is not None:
                return AiohttpClientMockResponse(method, url, exc=refused.exc)
            return AiohttpClientMockResponse(
                method, url, status=refused.status, text=refused.body or ""
            )
        return await super()._answer(method, url, data)

    def handle(self, method: str, url: URL, data: Any) -> tuple[int, str]:
        """Answer like Wiwiz: always HTTP 200, the outcome in the status code."""
        interface = url.path.rstrip("/").rsplit("/", 1)[-1]
        query = url.query
        if self.code:
            return 200, _xml(self.code)
        if not query.get("userkey"):
            return 200, _xml("ERR001")
        if query["userkey"] != self.userkey:
            return 200, _xml("ERR003")
        if interface == "conninfo":
            for hotspot in self.hotspots.values():
                for rec in hotspot["log"]:
                    if rec["tokencode"] == query.get("t"):
                        return 200, _xml("OK", _records([rec]))
            return 200, _xml("OK")
        hotspot = self.hotspots.get(query.get("hotspotid", ""))
        if hotspot is None:
            return 200, _xml("ERR005")
        if interface == "hotspotip":
            return 200, _xml(
                "OK",
                f"<wan_ip>{hotspot['wan_ip']}</wan_ip>"
                f"<updatetime>{hotspot['updatetime']}</updatetime>",
            )
        rows = {
            "conn": hotspot["conn"],
            "connlog": _started_between(
                hotspot["log"], query.get("date_from"), query.get("date_to")
            ),
            "mobile": hotspot["mobile"],
            "webadlog": hotspot["ads"],
        }[interface]
        return 200, _xml("OK", _records(rows))


def _started_between(
    log: list[dict[str, Any]], low: str | None, high: str | None
) -> list[dict[str, Any]]:
    """A log's sessions that started from `low` to `high` (wall-clock texts)."""
    if low is None or high is None:
        return log
    return [rec for rec in log if low <= rec["start_time"] <= high]


class FakeSmartWifi(FakeVendor):
    """SmartWiFiPlatform v2 for one account, in the US-A environment."""

    pattern = re.compile(r"^https://api\.smartwifiplatform\.com/v2/")

    def __init__(self) -> None:
        """Two hotspots, one guest online on the first."""
        super().__init__()
        self.token = SMARTWIFI_TOKEN
        self.hotspots = [
            {"id": 12261, "name": "Lobby"},
            {"id": 12290, "name": "Terrace"},
        ]
        self.connections: list[dict[str, Any]] = []
        self.guests: list[dict[str, Any]] = [
            {
                "id": 1,
                "macaddress": "AA-BB-CC-DD-EE-01",
                "email": "a@example.com",
                "unsubscribed": False,
            },
            {
                "id": 2,
                "macaddress": "AA-BB-CC-DD-EE-02",
                "email": "",
                "unsubscribed": True,
            },
            {
                "id": 3,
                "macaddress": "AA-BB-CC-DD-EE-03",
                "email": "",
                "unsubscribed": False,
            },
        ]
        self.plans: list[dict[str, Any]] = [
            {
                "token": "gt-1",
                "macaddress": "AA-BB-CC-DD-EE-01",
                "email": "a@example.com",
                "guest_plan_name": "Day pass",
                "guest_plan_start": "2026-11-23 08:00:00",
                "guest_plan_expire": "2026-11-24 08:00:00",
                "guest_plan_state": "Active",
                "session_profile_name": "Standard",
                "payment_gateway": "Voucher",
                "gateway_transaction_id": "V-1",
            }
        ]
        self.connect("Lobby", "AA-BB-CC-DD-EE-01", email="a@example.com")

    def connect(
        self,
        hotspot_name: str,
        mac: str,
        *,
        email: str | None = None,
        date: str = "2026-11-23T09:00:00+00:00",
        downloaded: int = 2000,
        uploaded: int = 200,
    ) -> None:
        """A guest opens a session."""
        self.connections.append(
            {
                "date": date,
                "email": email,
                "phone": None,
                "device": "Apple",
                "mobile": None,
                "identity": mac,
                "lastname": None,
                "uploaded": uploaded,
                "firstname": None,
                "useragent": "Mozilla/5.0",
                "downloaded": downloaded,
                "guesttoken": f"gt-{mac}",
                "macaddress": mac,
                "hotspotname": hotspot_name,
                "online_time": "00:05:14",
                "profileuser": None,
                "reason_for_termination": None,
            }
        )

    def disconnect(self, mac: str) -> None:
        """The gateway reports why the guest's open session ended."""
        for record in self.connections:
            if record["macaddress"] == mac and record["reason_for_termination"] is None:
                record["reason_for_termination"] = "Idle Timeout"

    def handle(self, method: str, url: URL, data: Any) -> tuple[int, str]:
        """Answer like SmartWiFi: JSON, 401 for a bad token."""
        if url.query.get("api_token") != self.token:
            return 401, json.dumps({"message": "Unauthenticated."})
        path = url.path
        if path.endswith("/ping"):
            return 200, json.dumps({"message": "success"})
        if path.endswith("/dropdown/hotspots"):
            return 200, json.dumps(self.hotspots)
        if path.endswith("/client/guests"):
            return 200, json.dumps(self.guests)
        if path.endswith("/guests-guest-plans"):
            return 200, json.dumps(self.plans)
        if path.endswith("/guests/get"):
            return 200, json.dumps(
                {
                    "client": {"id": 53, "company": "TECH DEPT"},
                    "profile": {
                        "email": "a@example.com",
                        "macaddress": "AA-BB-CC-DD-EE-01",
                    },
                    "last_connection": {"name": "Lobby"},
                    "unsubscribed": False,
                }
            )
        if path.endswith("/client/connections"):
            return 200, json.dumps(self.connections)
        return 404, "{}"


MYWIFI_CLIENT_ID = "mywifi-client-id"
MYWIFI_CLIENT_SECRET = "MYWIFI-CLIENT-SECRET-0001"
MYWIFI_ACCESS_TOKEN = "MYWIFI-ACCESS-TOKEN-0001"
MYWIFI_PASSWORD = "USER-PASSWORD-0001"


class FakeMyWifi(FakeVendor):
    """The My Wi-Fi Service REST API for one account (OAuth2 is faked apart)."""

    pattern = re.compile(r"^https://api\.mywifiservice\.com/v1/", re.IGNORECASE)

    def __init__(self) -> None:
        """Two groups, two rate plans, three users."""
        super().__init__()
        self.access_tokens = {MYWIFI_ACCESS_TOKEN}
        self.page_size_seen: list[int] = []
        self.groups = [
            {"GroupID": 3, "Name": "Guests"},
            {"GroupID": 4, "Name": "Staff"},
        ]
        self.rate_plans = [
            {"WeeklyRatePlanID": 3, "Name": "Free"},
            {"WeeklyRatePlanID": 5, "Name": "Premium"},
        ]
        self.users: dict[int, dict[str, Any]] = {}
        self.next_id = 14646
        self.add("Mirko", "343412434", group=3, mac="AC-08-E0-DE-F2-C7")
        self.add("Anna", "104032500", group=3, email="anna@example.com")
        self.add("Luca", "staff-1", group=4, disabled=True)
        self.lose_next_answer = False
        # The next POST times out before the vendor creates anything.
        self.time_out_next_post = False
        # PUTs answer `204 No Content` (some deployments do).
        self.no_content_on_put = False

    async def _answer(
        self, method: str, url: URL, data: Any
    ) -> AiohttpClientMockResponse:
        if method.upper() == "POST" and self.time_out_next_post:
            self.time_out_next_post = False
            self.calls.append(url)
            raise TimeoutError
        response = await super()._answer(method, url, data)
        if (
            method.upper() == "PUT"
            and self.no_content_on_put
            and response.status == 200
        ):
            return AiohttpClientMockResponse(method, url, status=204, text="")
        return response

    def add(
        self,
        first_name: str,
        login: str,
        *,
        group: int = 3,
        plan: int = 3,
        mac: str | None = None,
        email: str | None = None,
        disabled: bool = False,
    ) -> dict[str, Any]:
        """A user as the vendor stores it (with its password)."""
        user = {
            "RegisteredUserID": self.next_id,
            "FirstName": first_name,
            "LastName": "Rossi",
            "Login": login,
            "Password": MYWIFI_PASSWORD,
            "GroupID": group,
            "WeeklyRatePlanID": plan,
            "EMail": email,
            "MobilePhone": None,
            "MacAddress": mac,
            "Balance": 5.6895,
            "Disabled": disabled,
            "AccountWithExpiration": False,
            "AccountExpiration": None,
            "Note": None,
        }
        self.users[self.next_id] = user
        self.next_id += 1
        return user

    def handle(self, method: str, url: URL, data: Any) -> tuple[int, str]:
        """Answer like My Wi-Fi: paginated users, 201 on create, whole-record PUT.

        (The mocker does not hand headers to a side effect: tests read the
        bearer token from `aioclient_mock.mock_calls`.)
        """
        parts = [p.lower() for p in url.path.split("/") if p][1:]  # after v1
        if parts == ["groups"]:
            return 200, json.dumps(self.groups)
        if parts == ["weeklyrateplans"]:
            return 200, json.dumps(self.rate_plans)
        if parts == ["registeredusers"] and method.upper() == "GET":
            index = int(url.query.get("PageIndex", 0))
            size = int(url.query.get("PageSize", 100))
            self.page_size_seen.append(size)
            users = list(self.users.values())[index * size : (index + 1) * size]
            return 200, json.dumps(users)
        if parts == ["registeredusers"] and method.upper() == "POST":
            if any(u["Login"] == data.get("Login") for u in self.users.values()):
                return 400, json.dumps({"Message": "Login already exists"})
            user = self.add(data["FirstName"], data["Login"])
            user.update(data)
            user["RegisteredUserID"] = next(iter(reversed(self.users)))
            if self.lose_next_answer:
                self.lose_next_answer = False
                raise TimeoutError
            return 201, json.dumps(user)
        if len(parts) == 2 and parts[0] == "registeredusers":
            user_id = int(parts[1])
            if user_id not in self.users:
                return 404, json.dumps({"Message": "User not found"})
            if method.upper() == "PUT":
                # A whole-record PUT: a field left out keeps its value only
                # for the password, as the client never sends it back.
                password = self.users[user_id]["Password"]
                self.users[user_id] = {"Password": password, **data}
            elif method.upper() == "DELETE":
                del self.users[user_id]
                return 204, ""
            return 200, json.dumps(self.users[user_id])
        return 404, "{}"
