"""The query actions (Wiwiz and SmartWiFi), called as a user would call them."""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise
import json
from pathlib import Path
from typing import Any

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EVENT_CALL_SERVICE
from homeassistant.core import HomeAssistant, SupportsResponse
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.util.yaml import load_yaml_dict
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from syrupy.assertion import SnapshotAssertion
from yarl import URL

from custom_components.guest_wifi.const import DOMAIN

from .conftest import add_credentials, add_mywifi_entry, entry_device, setup_entry
from .fakes import (
    MYWIFI_ACCESS_TOKEN,
    SMARTWIFI_TOKEN,
    WIWIZ_KEY,
    FakeMyWifi,
    FakeSmartWifi,
    FakeVendor,
    FakeWiwiz,
    _records,
    _xml,
)
from .labels import label

NOW = "2026-11-23T12:00:00+01:00"
QUERY_ACTIONS = {
    "get_connection_log",
    "get_connection",
    "get_mobile_numbers",
    "get_ad_events",
    "get_guest",
    "get_guest_plans",
}
SECRETS = (WIWIZ_KEY, SMARTWIFI_TOKEN)
# How a refusal to another vendor's account begins, by action.
NOT_OFFERED = {
    "get_connection_log": "Reading the connection log is not offered by",
    "get_connection": "Looking up a connection by its token code is not offered by",
    "get_mobile_numbers": "Reading the phone numbers guests entered is not offered by",
    "get_ad_events": "Reading ad views and clicks is not offered by",
    "get_guest": "Looking up a guest's profile is not offered by",
    "get_guest_plans": "Reading guest plans is not offered by",
}
SERVICES_YAML = (
    Path(__file__).parent.parent / "custom_components" / DOMAIN / "services.yaml"
)


# --- helpers -----------------------------------------------------------------


async def _call(hass: HomeAssistant, service: str, **data: Any) -> dict[str, Any]:
    """Call an action as a user would; its response must be plain, secret-free JSON."""
    response = await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=True
    )
    assert isinstance(response, dict)
    text = json.dumps(response)  # raises on datetimes or other objects
    for secret in SECRETS:
        assert secret not in text
    return response


def _queries(fake: FakeVendor, endpoint: str) -> list[dict[str, str]]:
    """The query strings sent to one endpoint, in order."""
    return [
        dict(url.query)
        for url in fake.calls
        if url.path.rstrip("/").rsplit("/", 1)[-1] == endpoint
    ]


def _error_text(err: BaseException) -> str:
    """Everything an error (and what caused it) would show in a log or the UI."""
    parts = []
    seen: list[BaseException] = []
    current: BaseException | None = err
    while current is not None and current not in seen:
        seen.append(current)
        parts += [str(current), repr(current), repr(current.args)]
        parts += [repr(value) for value in vars(current).values()]
        current = current.__cause__ or current.__context__
    return "\n".join(parts)


def _assert_no_secret(err: BaseException) -> None:
    text = _error_text(err)
    for secret in SECRETS:
        assert secret not in text


def _wiwiz_log_by_date(wiwiz: FakeWiwiz) -> None:
    """Make the fake's `connlog` honour date_from/date_to (both included)."""
    answer = wiwiz.handle

    def handle(method: str, url: URL, data: Any) -> tuple[int, str]:
        query = url.query
        if url.path.rstrip("/").endswith("/connlog") and wiwiz.failure is None:
            rows = [
                row
                for row in wiwiz.hotspots[query["hotspotid"]]["log"]
                if query["date_from"] <= row["start_time"] <= query["date_to"]
            ]
            return 200, _xml("OK", _records(rows))
        return answer(method, url, data)

    wiwiz.handle = handle  # type: ignore[method-assign]


def _smartwifi_connections_by_date(smartwifi: FakeSmartWifi) -> None:
    """Make the fake's connections report honour `from` (in) and `to` (out), UTC."""
    answer = smartwifi.handle

    def handle(method: str, url: URL, data: Any) -> tuple[int, str]:
        query = url.query
        if url.path.endswith("/client/connections") and "from" in query:
            rows = [
                row
                for row in smartwifi.connections
                if query["from"] <= row["date"][:19] < query["to"]
            ]
            return 200, json.dumps(rows)
        return answer(method, url, data)

    smartwifi.handle = handle  # type: ignore[method-assign]


# --- fixtures ----------------------------------------------------------------


@pytest.fixture
async def wiwiz_loaded(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> MockConfigEntry:
    """The Wiwiz entry, set up at a known moment; the fake's call log emptied."""
    freezer.move_to(NOW)
    await setup_entry(hass, wiwiz_entry)
    wiwiz.calls.clear()
    return wiwiz_entry


@pytest.fixture
async def smartwifi_loaded(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
) -> MockConfigEntry:
    """The SmartWiFi entry, set up at a known moment; the fake's call log emptied."""
    freezer.move_to(NOW)
    await setup_entry(hass, smartwifi_entry)
    smartwifi.calls.clear()
    return smartwifi_entry


@pytest.fixture
async def both_loaded(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    smartwifi: FakeSmartWifi,
    wiwiz_entry: MockConfigEntry,
    smartwifi_entry: MockConfigEntry,
) -> dict[str, MockConfigEntry]:
    """Both entries loaded (setting the integration up loads every entry)."""
    freezer.move_to(NOW)
    await setup_entry(hass, wiwiz_entry)
    assert smartwifi_entry.state is ConfigEntryState.LOADED
    wiwiz.calls.clear()
    smartwifi.calls.clear()
    return {"wiwiz": wiwiz_entry, "smartwifi": smartwifi_entry}


# --- registration --------------------------------------------------------------


async def test_actions_registered_as_documented(
    hass: HomeAssistant, wiwiz_loaded: MockConfigEntry
) -> None:
    """The query actions are documented and registered, and only answer with data."""
    documented = set(await hass.async_add_executor_job(load_yaml_dict, SERVICES_YAML))
    registered = set(hass.services.async_services_for_domain(DOMAIN))
    assert documented >= QUERY_ACTIONS
    assert registered == documented
    for name in QUERY_ACTIONS:
        assert hass.services.supports_response(DOMAIN, name) is SupportsResponse.ONLY


async def test_action_needs_a_response(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_loaded: MockConfigEntry
) -> None:
    """A query action called without asking for its response is refused."""
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            DOMAIN,
            "get_connection",
            {
                "config_entry_id": wiwiz_loaded.entry_id,
                "tokencode": "tok-AA-BB-CC-00-00-01",
            },
            blocking=True,
        )
    assert wiwiz.calls == []


# --- get_connection_log ----------------------------------------------------------


async def test_wiwiz_connection_log(
    hass: HomeAssistant,
    wiwiz: FakeWiwiz,
    wiwiz_loaded: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """The log of one hotspot, asked for on the venue's wall clock."""
    response = await _call(
        hass,
        "get_connection_log",
        config_entry_id=wiwiz_loaded.entry_id,
        hotspot_id="HS1",
        start="2026-11-23 00:00:00",
        end="2026-11-23 12:00:00",
    )

    assert response == snapshot
    assert _queries(wiwiz, "connlog") == [
        {
            "userkey": WIWIZ_KEY,
            "hotspotid": "HS1",
            "date_from": "2026-11-23 00:00:00",
            "date_to": "2026-11-23 12:00:00",
        }
    ]


async def test_wiwiz_connection_log_converts_to_local_time(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_loaded: MockConfigEntry
) -> None:
    """Times with an offset are sent in the venue's time (Rome, CET then CEST)."""
    await _call(
        hass,
        "get_connection_log",
        config_entry_id=wiwiz_loaded.entry_id,
        hotspot_id="HS2",
        start="2026-03-28T22:30:00+00:00",
        end="2026-03-29T10:00:00Z",
    )

    [query] = _queries(wiwiz, "connlog")
    assert query["hotspotid"] == "HS2"
    assert query["date_from"] == "2026-03-28 23:30:00"
    assert query["date_to"] == "2026-03-29 12:00:00"


async def test_smartwifi_connection_log_only_the_chosen_hotspot(
    hass: HomeAssistant,
    smartwifi: FakeSmartWifi,
    smartwifi_loaded: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """One call for every hotspot (no 12-hour limit), filtered to the one asked for."""
    smartwifi.connect("Terrace", "AA-BB-CC-DD-EE-09", email="t@example.com")
    smartwifi.connect(
        "Lobby", "AA-BB-CC-DD-EE-02", date="2026-11-23T10:00:00+00:00", downloaded=5
    )

    response = await _call(
        hass,
        "get_connection_log",
        config_entry_id=smartwifi_loaded.entry_id,
        hotspot_id="12261",
        start="2026-11-23 00:00:00",
        end="2026-11-23 12:00:00",
    )

    connections = response["connections"]
    assert [c["mac"] for c in connections] == [
        "aa:bb:cc:dd:ee:01",
        "aa:bb:cc:dd:ee:02",
    ]
    assert {c["hotspot_name"] for c in connections} == {"Lobby"}
    assert connections[0] == snapshot
    # Local midnight and noon in Rome (UTC+1), sent in UTC, without hotspotid.
    assert _queries(smartwifi, "connections") == [
        {
            "api_token": SMARTWIFI_TOKEN,
            "from": "2026-11-22T23:00:00",
            "to": "2026-11-23T11:00:00",
        }
    ]


async def test_smartwifi_connection_log_integer_hotspot_id(
    hass: HomeAssistant, smartwifi: FakeSmartWifi, smartwifi_loaded: MockConfigEntry
) -> None:
    """A hotspot id typed as a number in YAML finds the same hotspot."""
    smartwifi.connect("Terrace", "AA-BB-CC-DD-EE-09")

    response = await _call(
        hass,
        "get_connection_log",
        config_entry_id=smartwifi_loaded.entry_id,
        hotspot_id=12290,
        start="2026-11-23 00:00:00",
        end="2026-11-23 12:00:00",
    )

    assert [c["mac"] for c in response["connections"]] == ["aa:bb:cc:dd:ee:09"]
    assert [c["hotspot_name"] for c in response["connections"]] == ["Terrace"]


async def test_smartwifi_connection_log_after_hotspot_renamed(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
) -> None:
    """The records of hotspot 12261 come back after it was renamed at the vendor."""
    freezer.move_to(NOW)
    smartwifi.hotspots[0]["name"] = "Main Lobby"
    for record in smartwifi.connections:
        record["hotspotname"] = "Main Lobby"
    await setup_entry(hass, smartwifi_entry)
    # The first poll met an unknown name and learned the new one.
    assert smartwifi_entry.runtime_data.hotspot_names["12261"] == "Main Lobby"

    response = await _call(
        hass,
        "get_connection_log",
        config_entry_id=smartwifi_entry.entry_id,
        hotspot_id="12261",
        start="2026-11-23 00:00:00",
        end="2026-11-23 12:00:00",
    )

    assert [c["mac"] for c in response["connections"]] == ["aa:bb:cc:dd:ee:01"]


# --- long ranges -------------------------------------------------------------------


async def test_wiwiz_long_range_split_and_merged(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_loaded: MockConfigEntry
) -> None:
    """75 days are three 30-day queries on the wall clock; every record comes back once."""
    _wiwiz_log_by_date(wiwiz)
    wiwiz.hotspots["HS1"]["log"].clear()
    for mac, when in (
        ("AA-BB-CC-00-00-10", "2026-10-05 10:00:00"),
        ("AA-BB-CC-00-00-11", "2026-10-31 00:00:00"),  # on a cut: in two pieces
        ("AA-BB-CC-00-00-12", "2026-11-10 10:00:00"),
        ("AA-BB-CC-00-00-13", "2026-12-10 10:00:00"),
        ("AA-BB-CC-00-00-14", "2026-12-20 10:00:00"),  # after the range
    ):
        wiwiz.connect("HS1", mac, start_time=when)

    response = await _call(
        hass,
        "get_connection_log",
        config_entry_id=wiwiz_loaded.entry_id,
        hotspot_id="HS1",
        start="2026-10-01 00:00:00",
        end="2026-12-15 00:00:00",
    )

    # The cuts stay at local midnight across the end of summer time (25 Oct).
    assert [(q["date_from"], q["date_to"]) for q in _queries(wiwiz, "connlog")] == [
        ("2026-10-01 00:00:00", "2026-10-31 00:00:00"),
        ("2026-10-31 00:00:00", "2026-11-30 00:00:00"),
        ("2026-11-30 00:00:00", "2026-12-15 00:00:00"),
    ]
    assert [c["start_time"] for c in response["connections"]] == [
        "2026-10-05T10:00:00+02:00",
        "2026-10-31T00:00:00+01:00",
        "2026-11-10T10:00:00+01:00",
        "2026-12-10T10:00:00+01:00",
    ]


async def test_smartwifi_long_range_split_and_merged(
    hass: HomeAssistant, smartwifi: FakeSmartWifi, smartwifi_loaded: MockConfigEntry
) -> None:
    """75 days are three SmartWiFi reports; the records of all three are kept."""
    _smartwifi_connections_by_date(smartwifi)
    smartwifi.connections.clear()
    for mac, when in (
        ("AA-BB-CC-DD-EE-10", "2026-10-05T10:00:00+00:00"),
        ("AA-BB-CC-DD-EE-11", "2026-11-10T10:00:00+00:00"),
        ("AA-BB-CC-DD-EE-12", "2026-12-10T10:00:00+00:00"),
    ):
        smartwifi.connect("Lobby", mac, date=when)
    smartwifi.connect("Terrace", "AA-BB-CC-DD-EE-13", date="2026-11-11T10:00:00+00:00")

    response = await _call(
        hass,
        "get_connection_log",
        config_entry_id=smartwifi_loaded.entry_id,
        hotspot_id="12261",
        start="2026-10-01 00:00:00",
        end="2026-12-15 00:00:00",
    )

    queries = _queries(smartwifi, "connections")
    assert [(q["from"], q["to"]) for q in queries] == [
        ("2026-09-30T22:00:00", "2026-10-30T22:00:00"),
        ("2026-10-30T22:00:00", "2026-11-29T22:00:00"),
        ("2026-11-29T22:00:00", "2026-12-14T23:00:00"),
    ]
    assert all("hotspotid" not in q for q in queries)
    assert [c["mac"] for c in response["connections"]] == [
        "aa:bb:cc:dd:ee:10",
        "aa:bb:cc:dd:ee:11",
        "aa:bb:cc:dd:ee:12",
    ]


async def test_range_of_366_days_accepted(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_loaded: MockConfigEntry
) -> None:
    """The longest range allowed is asked for in full, in 13 pieces."""
    await _call(
        hass,
        "get_connection_log",
        config_entry_id=wiwiz_loaded.entry_id,
        hotspot_id="HS1",
        start="2025-11-23 00:00:00",
        end="2026-11-24 00:00:00",
    )

    queries = _queries(wiwiz, "connlog")
    assert len(queries) == 13
    assert queries[0]["date_from"] == "2025-11-23 00:00:00"
    assert queries[-1]["date_to"] == "2026-11-24 00:00:00"
    assert all(a["date_to"] == b["date_from"] for a, b in pairwise(queries))


# --- get_connection ------------------------------------------------------------------


async def test_wiwiz_get_connection(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_loaded: MockConfigEntry
) -> None:
    """One connection by its tokencode."""
    response = await _call(
        hass,
        "get_connection",
        config_entry_id=wiwiz_loaded.entry_id,
        tokencode="tok-AA-BB-CC-00-00-01",
    )

    connection = response["connection"]
    assert connection["tokencode"] == "tok-AA-BB-CC-00-00-01"
    assert connection["mac"] == "aa:bb:cc:00:00:01"
    assert connection["username"] == "alice"
    assert connection["start_time"] == "2026-11-23T09:00:00+01:00"
    assert _queries(wiwiz, "conninfo") == [
        {"userkey": WIWIZ_KEY, "t": "tok-AA-BB-CC-00-00-01"}
    ]


async def test_wiwiz_get_connection_not_found(
    hass: HomeAssistant, wiwiz_loaded: MockConfigEntry
) -> None:
    """An unknown tokencode is the vendor having no such record, not bad input."""
    with pytest.raises(HomeAssistantError) as exc_info:
        await _call(
            hass,
            "get_connection",
            config_entry_id=wiwiz_loaded.entry_id,
            tokencode="tok-unknown",
        )

    assert not isinstance(exc_info.value, ServiceValidationError)
    assert exc_info.value.translation_key == "not_found"
    assert str(exc_info.value) == "The vendor has no such record"


# --- get_mobile_numbers -------------------------------------------------------------

PHONES = [
    {
        "country": "39",
        "phonenum": "3331234567",
        "time": "2026-11-23 09:00:00",
        "verified": "true",
        "magic_code_flag": "0",
    },
    {
        "country": "39",
        "phonenum": "3337654321",
        "time": "2026-11-23 10:30:00",
        "verified": "false",
        "magic_code_flag": "1",
    },
]


@pytest.mark.parametrize(
    ("verified", "sent"), [(None, None), (True, "true"), (False, "false")]
)
async def test_wiwiz_mobile_numbers(
    hass: HomeAssistant,
    wiwiz: FakeWiwiz,
    wiwiz_loaded: MockConfigEntry,
    verified: bool | None,
    sent: str | None,
    snapshot: SnapshotAssertion,
) -> None:
    """Phone numbers of the days of the range, optionally only (un)verified ones."""
    wiwiz.hotspots["HS1"]["mobile"] = PHONES
    data: dict[str, Any] = {
        "config_entry_id": wiwiz_loaded.entry_id,
        "hotspot_id": "HS1",
        "start": "2026-11-01 00:00:00",
        "end": "2026-11-23 12:00:00",
    }
    if verified is not None:
        data["verified"] = verified

    response = await _call(hass, "get_mobile_numbers", **data)

    assert response == snapshot
    [query] = _queries(wiwiz, "mobile")
    assert query["hotspotid"] == "HS1"
    assert query["date_from"] == "2026-11-01"
    assert query["date_to"] == "2026-11-23"
    assert query.get("verified") == sent


async def test_wiwiz_mobile_numbers_long_range_split(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_loaded: MockConfigEntry
) -> None:
    """Days beyond 30 are asked for in pieces that cover every day once."""
    await _call(
        hass,
        "get_mobile_numbers",
        config_entry_id=wiwiz_loaded.entry_id,
        hotspot_id="HS1",
        start="2026-10-01 00:00:00",
        end="2026-12-15 23:00:00",
        verified=True,
    )

    assert [
        (q["date_from"], q["date_to"], q["verified"]) for q in _queries(wiwiz, "mobile")
    ] == [
        ("2026-10-01", "2026-10-30", "true"),
        ("2026-10-31", "2026-11-29", "true"),
        ("2026-11-30", "2026-12-15", "true"),
    ]


async def test_wiwiz_mobile_numbers_outside_the_range_left_out(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_loaded: MockConfigEntry
) -> None:
    """Asking for 10:00-11:00 does not answer with a number entered at 09:00."""
    wiwiz.hotspots["HS1"]["mobile"] = PHONES

    response = await _call(
        hass,
        "get_mobile_numbers",
        config_entry_id=wiwiz_loaded.entry_id,
        hotspot_id="HS1",
        start="2026-11-23 10:00:00",
        end="2026-11-23 11:00:00",
    )

    assert [r["phone_number"] for r in response["mobile_numbers"]] == ["3337654321"]


# --- get_ad_events ---------------------------------------------------------------------


@pytest.mark.parametrize(("event_type", "sent"), [("view", "1"), ("click", "2")])
async def test_wiwiz_ad_events(
    hass: HomeAssistant,
    wiwiz: FakeWiwiz,
    wiwiz_loaded: MockConfigEntry,
    event_type: str,
    sent: str,
) -> None:
    """Views and clicks of one ad; the type is Wiwiz's number, answered by name."""
    wiwiz.hotspots["HS1"]["ads"] = [
        {
            "ad_id": "AD7",
            "event_type": sent,
            "uuid": "u-1",
            "ua": "Mozilla/5.0",
            "site": "example.org",
            "event_time": "2026-11-23 10:00:00",
        }
    ]

    response = await _call(
        hass,
        "get_ad_events",
        config_entry_id=wiwiz_loaded.entry_id,
        hotspot_id="HS1",
        start="2026-11-23 00:00:00",
        end="2026-11-23 12:00:00",
        ad_id="AD7",
        event_type=event_type,
    )

    assert response == {
        "ad_events": [
            {
                "ad_id": "AD7",
                "event_type": event_type,
                "user_id": "u-1",
                "user_agent": "Mozilla/5.0",
                "site": "example.org",
                "time": "2026-11-23T10:00:00+01:00",
            }
        ]
    }
    assert _queries(wiwiz, "webadlog") == [
        {
            "userkey": WIWIZ_KEY,
            "hotspotid": "HS1",
            "ad_id": "AD7",
            "event_type": sent,
            "date_from": "2026-11-23 00:00:00",
            "date_to": "2026-11-23 12:00:00",
        }
    ]


async def test_wiwiz_ad_events_without_filters(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_loaded: MockConfigEntry
) -> None:
    """Without ad_id and event_type, neither is sent."""
    response = await _call(
        hass,
        "get_ad_events",
        config_entry_id=wiwiz_loaded.entry_id,
        hotspot_id="HS2",
        start="2026-11-20 00:00:00",
        end="2026-11-23 00:00:00",
    )

    assert response == {"ad_events": []}
    [query] = _queries(wiwiz, "webadlog")
    assert "ad_id" not in query
    assert "event_type" not in query
    assert query["hotspotid"] == "HS2"


# --- get_guest / get_guest_plans ----------------------------------------------------------


async def test_smartwifi_get_guest(
    hass: HomeAssistant,
    smartwifi: FakeSmartWifi,
    smartwifi_loaded: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """A guest profile by guest token."""
    response = await _call(
        hass,
        "get_guest",
        config_entry_id=smartwifi_loaded.entry_id,
        guest_token="gt-AA-BB-CC-DD-EE-01",
    )

    assert response == snapshot
    assert _queries(smartwifi, "get") == [
        {"api_token": SMARTWIFI_TOKEN, "guest_token": "gt-AA-BB-CC-DD-EE-01"}
    ]


async def test_smartwifi_get_guest_not_found(
    hass: HomeAssistant, smartwifi: FakeSmartWifi, smartwifi_loaded: MockConfigEntry
) -> None:
    """A guest token the vendor does not know (HTTP 404) is `not_found`."""
    answer = smartwifi.handle

    def handle(method: str, url: URL, data: Any) -> tuple[int, str]:
        if url.path.endswith("/guests/get") and url.query["guest_token"] != "gt-1":
            return 404, json.dumps({"message": "Guest not found."})
        return answer(method, url, data)

    smartwifi.handle = handle  # type: ignore[method-assign]

    with pytest.raises(HomeAssistantError) as exc_info:
        await _call(
            hass,
            "get_guest",
            config_entry_id=smartwifi_loaded.entry_id,
            guest_token="gt-nobody",
        )

    assert not isinstance(exc_info.value, ServiceValidationError)
    assert exc_info.value.translation_key == "not_found"
    _assert_no_secret(exc_info.value)


async def test_smartwifi_guest_plans(
    hass: HomeAssistant,
    smartwifi: FakeSmartWifi,
    smartwifi_loaded: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """Plans by state, started since a local moment (sent in UTC)."""
    response = await _call(
        hass,
        "get_guest_plans",
        config_entry_id=smartwifi_loaded.entry_id,
        state="expired",
        started_since="2026-11-20 12:00:00",
    )

    assert response == snapshot
    assert _queries(smartwifi, "guests-guest-plans") == [
        {
            "api_token": SMARTWIFI_TOKEN,
            "state": "expired",
            "started_since_timestamp": "2026-11-20 11:00:00",
        }
    ]


async def test_smartwifi_guest_plans_without_filters(
    hass: HomeAssistant, smartwifi: FakeSmartWifi, smartwifi_loaded: MockConfigEntry
) -> None:
    """Without state or started_since, only the token is sent (vendor's defaults)."""
    response = await _call(
        hass, "get_guest_plans", config_entry_id=smartwifi_loaded.entry_id
    )

    assert [p["guest_token"] for p in response["guest_plans"]] == ["gt-1"]
    assert _queries(smartwifi, "guests-guest-plans") == [{"api_token": SMARTWIFI_TOKEN}]


@pytest.mark.parametrize(
    ("started_since", "sent"),
    [
        # Exactly 7 days back: the oldest the vendor allows.
        ("2026-11-16 12:00:00", "2026-11-16 11:00:00"),
        ("2026-11-16T11:00:00+00:00", "2026-11-16 11:00:00"),
    ],
)
async def test_smartwifi_guest_plans_seven_days_back(
    hass: HomeAssistant,
    smartwifi: FakeSmartWifi,
    smartwifi_loaded: MockConfigEntry,
    started_since: str,
    sent: str,
) -> None:
    """Seven days back, naive (local) or with an offset, is accepted."""
    await _call(
        hass,
        "get_guest_plans",
        config_entry_id=smartwifi_loaded.entry_id,
        state="active",
        started_since=started_since,
    )

    [query] = _queries(smartwifi, "guests-guest-plans")
    assert query["state"] == "active"
    assert query["started_since_timestamp"] == sent


# --- validation ---------------------------------------------------------------------------


def _range_data(entry_id: str, hotspot_id: str) -> dict[str, Any]:
    return {
        "config_entry_id": entry_id,
        "hotspot_id": hotspot_id,
        "start": "2026-11-23 00:00:00",
        "end": "2026-11-23 12:00:00",
    }


async def test_unknown_entry(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_loaded: MockConfigEntry
) -> None:
    """An entry id that is no Guest Wi-Fi entry is refused before any request."""
    other = MockConfigEntry(domain="other_domain", title="Other")
    other.add_to_hass(hass)

    for entry_id, key in (
        ("no-such-entry", "service_config_entry_not_found"),
        (other.entry_id, "service_config_entry_wrong_domain"),
    ):
        with pytest.raises(ServiceValidationError) as exc_info:
            await _call(hass, "get_connection_log", **_range_data(entry_id, "HS1"))
        # Home Assistant's own lookup and message.
        assert exc_info.value.translation_domain == "homeassistant"
        assert exc_info.value.translation_key == key
    assert wiwiz.calls == []


async def test_entry_not_loaded_after_unload(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_loaded: MockConfigEntry
) -> None:
    """An unloaded entry is refused, not asked with a stale client."""
    assert await hass.config_entries.async_unload(wiwiz_loaded.entry_id)
    await hass.async_block_till_done()
    wiwiz.calls.clear()

    with pytest.raises(ServiceValidationError) as exc_info:
        await _call(
            hass,
            "get_connection",
            config_entry_id=wiwiz_loaded.entry_id,
            tokencode="tok-AA-BB-CC-00-00-01",
        )

    assert exc_info.value.translation_key == "service_config_entry_not_loaded"
    assert exc_info.value.translation_placeholders == {
        "domain": "guest_wifi",
        "entry_title": "Wiwiz",
    }
    assert wiwiz.calls == []


async def test_entry_not_loaded_while_retrying(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
) -> None:
    """An entry waiting to retry its setup is refused."""
    freezer.move_to(NOW)
    smartwifi.fail(status=503)
    assert not await hass.config_entries.async_setup(smartwifi_entry.entry_id)
    await hass.async_block_till_done()
    assert smartwifi_entry.state is ConfigEntryState.SETUP_RETRY

    with pytest.raises(ServiceValidationError) as exc_info:
        await _call(hass, "get_guest_plans", config_entry_id=smartwifi_entry.entry_id)

    assert exc_info.value.translation_key == "service_config_entry_not_loaded"


@pytest.mark.parametrize(
    ("vendor", "service", "data", "vendor_name"),
    [
        ("wiwiz", "get_guest", {"guest_token": "gt-1"}, "Wiwiz"),
        ("wiwiz", "get_guest_plans", {}, "Wiwiz"),
        ("smartwifi", "get_connection", {"tokencode": "t"}, "SmartWiFiPlatform"),
        (
            "smartwifi",
            "get_ad_events",
            {"hotspot_id": "12261", "start": "2026-11-23", "end": "2026-11-24"},
            "SmartWiFiPlatform",
        ),
        (
            "smartwifi",
            "get_mobile_numbers",
            {"hotspot_id": "12261", "start": "2026-11-23", "end": "2026-11-24"},
            "SmartWiFiPlatform",
        ),
    ],
)
async def test_wrong_vendor(
    hass: HomeAssistant,
    wiwiz: FakeWiwiz,
    smartwifi: FakeSmartWifi,
    both_loaded: dict[str, MockConfigEntry],
    vendor: str,
    service: str,
    data: dict[str, Any],
    vendor_name: str,
) -> None:
    """An action another vendor offers is refused, naming action and vendor."""
    with pytest.raises(ServiceValidationError) as exc_info:
        await _call(hass, service, config_entry_id=both_loaded[vendor].entry_id, **data)

    assert exc_info.value.translation_key == f"{service}_not_offered"
    assert exc_info.value.translation_placeholders == {"vendor": vendor_name}
    assert str(exc_info.value) == f"{NOT_OFFERED[service]} {vendor_name} accounts"
    assert wiwiz.calls == smartwifi.calls == []


@pytest.mark.parametrize(
    ("service", "data"),
    [
        ("get_connection_log", {"hotspot_id": "HS1"}),
        ("get_connection", {"tokencode": "t"}),
        ("get_mobile_numbers", {"hotspot_id": "HS1"}),
        ("get_ad_events", {"hotspot_id": "HS1"}),
        ("get_guest", {"guest_token": "gt-1"}),
        ("get_guest_plans", {}),
    ],
)
async def test_query_actions_refuse_mywifi(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    aioclient_mock: AiohttpClientMocker,
    service: str,
    data: dict[str, Any],
) -> None:
    """No query action is offered by My Wi-Fi Service."""
    freezer.move_to(NOW)
    await add_credentials(hass)
    mywifi = FakeMyWifi()
    mywifi.register(aioclient_mock)
    entry = add_mywifi_entry(
        hass,
        {
            "access_token": MYWIFI_ACCESS_TOKEN,
            "refresh_token": "mock-refresh-token",
            "expires_at": datetime.fromisoformat(NOW).timestamp() + 86400,
        },
    )
    await setup_entry(hass, entry)
    mywifi.calls.clear()
    if "hotspot_id" in data:
        data = {**data, "start": "2026-11-23 00:00:00", "end": "2026-11-23 12:00:00"}

    with pytest.raises(ServiceValidationError) as exc_info:
        await _call(hass, service, config_entry_id=entry.entry_id, **data)

    assert exc_info.value.translation_key == f"{service}_not_offered"
    assert exc_info.value.translation_placeholders == {"vendor": "My Wi-Fi Service"}
    assert str(exc_info.value) == (f"{NOT_OFFERED[service]} My Wi-Fi Service accounts")
    assert mywifi.calls == []


@pytest.mark.parametrize(
    ("vendor", "service", "hotspot_id", "title", "choices"),
    [
        ("wiwiz", "get_connection_log", "HS9", "Wiwiz", "HS1, HS2"),
        ("wiwiz", "get_ad_events", "12261", "Wiwiz", "HS1, HS2"),
        ("wiwiz", "get_mobile_numbers", "Lobby", "Wiwiz", "HS1, HS2"),
        ("smartwifi", "get_connection_log", "HS1", "SmartWiFi", "Lobby, Terrace"),
        ("smartwifi", "get_connection_log", "Lobb", "SmartWiFi", "Lobby, Terrace"),
    ],
)
async def test_unknown_hotspot(
    hass: HomeAssistant,
    wiwiz: FakeWiwiz,
    smartwifi: FakeSmartWifi,
    both_loaded: dict[str, MockConfigEntry],
    vendor: str,
    service: str,
    hotspot_id: str,
    title: str,
    choices: str,
) -> None:
    """A hotspot that is not the entry's (another entry's included) is refused.

    The message lists the hotspots the entry has, by name.
    """
    with pytest.raises(ServiceValidationError) as exc_info:
        await _call(
            hass, service, **_range_data(both_loaded[vendor].entry_id, hotspot_id)
        )

    assert exc_info.value.translation_key == "unknown_hotspot"
    assert exc_info.value.translation_placeholders == {
        "name": hotspot_id,
        "title": title,
        "choices": choices,
    }
    assert str(exc_info.value) == (
        f"There is no hotspot {hotspot_id} in {title}. Its hotspots are: {choices}"
    )
    assert wiwiz.calls == smartwifi.calls == []


# --- choosing the hotspot --------------------------------------------------------


def _hotspot_device_id(
    hass: HomeAssistant, entry: MockConfigEntry, vendor: str, hotspot_id: str
) -> str:
    device = entry_device(hass, entry, (DOMAIN, f"{vendor}_{hotspot_id}"))
    assert device is not None
    return device.id


def _range(entry: MockConfigEntry, **hotspot: Any) -> dict[str, Any]:
    return {
        "config_entry_id": entry.entry_id,
        **hotspot,
        "start": "2026-11-23 00:00:00",
        "end": "2026-11-23 12:00:00",
    }


@pytest.mark.parametrize(
    "service", ["get_connection_log", "get_mobile_numbers", "get_ad_events"]
)
async def test_wiwiz_hotspot_chosen_by_its_device(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_loaded: MockConfigEntry, service: str
) -> None:
    """The device selector's answer names the hotspot the vendor is asked about."""
    device_id = _hotspot_device_id(hass, wiwiz_loaded, "wiwiz", "HS2")

    await _call(hass, service, **_range(wiwiz_loaded, hotspot=device_id))

    assert {url.query.get("hotspotid") for url in wiwiz.calls} == {"HS2"}


@pytest.mark.parametrize(
    "hotspot", [{"hotspot_id": "lobby"}, {"hotspot_id": " LOBBY "}]
)
async def test_smartwifi_hotspot_chosen_by_name(
    hass: HomeAssistant,
    smartwifi: FakeSmartWifi,
    smartwifi_loaded: MockConfigEntry,
    hotspot: dict[str, str],
) -> None:
    """A hotspot's name finds it, ignoring case and blanks around it."""
    smartwifi.connect("Terrace", "AA-BB-CC-DD-EE-09")

    response = await _call(
        hass, "get_connection_log", **_range(smartwifi_loaded, **hotspot)
    )

    assert {c["hotspot_name"] for c in response["connections"]} == {"Lobby"}


async def test_smartwifi_hotspot_chosen_by_device_and_by_new_name(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
) -> None:
    """After a rename at the vendor, the device and the new name both find it."""
    freezer.move_to(NOW)
    smartwifi.hotspots[0]["name"] = "Main Lobby"
    for record in smartwifi.connections:
        record["hotspotname"] = "Main Lobby"
    await setup_entry(hass, smartwifi_entry)
    device_id = _hotspot_device_id(hass, smartwifi_entry, "smartwifi", "12261")

    for hotspot in ({"hotspot": device_id}, {"hotspot_id": "main lobby"}):
        response = await _call(
            hass, "get_connection_log", **_range(smartwifi_entry, **hotspot)
        )
        assert [c["mac"] for c in response["connections"]] == ["aa:bb:cc:dd:ee:01"]


async def test_a_name_that_is_another_hotspots_id_means_the_id(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
) -> None:
    """An id wins over a name: "12290" is the Terrace, whatever else is so called."""
    freezer.move_to(NOW)
    hass.config_entries.async_update_entry(
        smartwifi_entry,
        data={**smartwifi_entry.data, "hotspots": {"12261": "12290", "12290": "T"}},
    )
    smartwifi.hotspots[0]["name"] = "12290"
    smartwifi.hotspots[1]["name"] = "T"
    await setup_entry(hass, smartwifi_entry)
    smartwifi.connect("T", "AA-BB-CC-DD-EE-09")

    response = await _call(
        hass, "get_connection_log", **_range(smartwifi_entry, hotspot_id="12290")
    )

    assert [c["mac"] for c in response["connections"]] == ["aa:bb:cc:dd:ee:09"]


async def test_a_name_two_hotspots_share_is_ambiguous(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
) -> None:
    """Two hotspots called alike: refused, listing their ids to choose from."""
    freezer.move_to(NOW)
    hass.config_entries.async_update_entry(
        smartwifi_entry,
        data={**smartwifi_entry.data, "hotspots": {"12261": "Bar", "12290": "BAR"}},
    )
    smartwifi.hotspots[0]["name"] = "Bar"
    smartwifi.hotspots[1]["name"] = "BAR"
    await setup_entry(hass, smartwifi_entry)
    smartwifi.calls.clear()

    with pytest.raises(ServiceValidationError) as exc_info:
        await _call(
            hass, "get_connection_log", **_range(smartwifi_entry, hotspot_id="bar")
        )

    assert exc_info.value.translation_key == "ambiguous_hotspot"
    assert exc_info.value.translation_placeholders == {
        "name": "bar",
        "title": "SmartWiFi",
        "ids": "12261, 12290",
    }
    assert str(exc_info.value) == (
        "More than one hotspot in SmartWiFi is called bar; choose it by its "
        "device or by its ID: 12261, 12290"
    )
    assert smartwifi.calls == []


@pytest.mark.parametrize(
    "service", ["get_connection_log", "get_mobile_numbers", "get_ad_events"]
)
async def test_a_device_of_another_entry_is_refused(
    hass: HomeAssistant,
    wiwiz: FakeWiwiz,
    smartwifi: FakeSmartWifi,
    both_loaded: dict[str, MockConfigEntry],
    service: str,
) -> None:
    """Another account's hotspot device: refused by name, the right ones listed."""
    lobby = _hotspot_device_id(hass, both_loaded["smartwifi"], "smartwifi", "12261")

    with pytest.raises(ServiceValidationError) as exc_info:
        await _call(hass, service, **_range(both_loaded["wiwiz"], hotspot=lobby))

    assert exc_info.value.translation_key == "device_not_hotspot"
    assert exc_info.value.translation_placeholders == {
        "device": "Lobby",
        "title": "Wiwiz",
        "choices": "HS1, HS2",
    }
    assert str(exc_info.value) == (
        "The device Lobby is not a hotspot of Wiwiz. Its hotspots are: HS1, HS2"
    )
    assert wiwiz.calls == smartwifi.calls == []


async def test_the_account_device_or_an_unknown_device_is_refused(
    hass: HomeAssistant,
    smartwifi: FakeSmartWifi,
    smartwifi_loaded: MockConfigEntry,
) -> None:
    """Only a hotspot's device chooses a hotspot; an unknown id is named as given."""
    registry = dr.async_get(hass)
    account = next(
        device
        for device in dr.async_entries_for_config_entry(
            registry, smartwifi_loaded.entry_id
        )
        if device.model == "Account"
    )
    for device_id, shown in (
        (account.id, "SmartWiFi account"),
        ("no-such-device", None),
    ):
        with pytest.raises(ServiceValidationError) as exc_info:
            await _call(
                hass,
                "get_connection_log",
                **_range(smartwifi_loaded, hotspot=device_id),
            )
        assert exc_info.value.translation_key == "device_not_hotspot"
        assert exc_info.value.translation_placeholders == {
            "device": shown or device_id,
            "title": "SmartWiFi",
            "choices": "Lobby, Terrace",
        }
    assert smartwifi.calls == []


async def test_services_yaml_offers_the_hotspot_device_first(
    hass: HomeAssistant,
) -> None:
    """The UI shows a device picker for hotspots, before the name-or-id field."""
    documented = await hass.async_add_executor_job(load_yaml_dict, SERVICES_YAML)
    for service in ("get_connection_log", "get_mobile_numbers", "get_ad_events"):
        fields = documented[service]["fields"]
        names = list(fields)
        assert names.index("hotspot") < names.index("hotspot_id")
        # Hotspots only: by their model (see test_owner_identity.py).
        filters = fields["hotspot"]["selector"]["device"]["filter"]
        assert filters, service  # an empty filter would offer every device
        assert all(f["model"].endswith(" hotspot") for f in filters)
        assert not fields["hotspot"].get("required")
        assert not fields["hotspot_id"].get("required")


@pytest.mark.parametrize(
    ("start", "end", "key"),
    [
        ("2026-11-23 12:00:00", "2026-11-23 11:59:59", "end_before_start"),
        ("2026-11-23 12:00:00", "2026-11-23 12:00:00", "end_before_start"),
        # 10:30 UTC is 11:30 in Rome: before a local 12:00 start.
        ("2026-11-23 12:00:00", "2026-11-23T10:30:00+00:00", "end_before_start"),
        ("2025-11-23 00:00:00", "2026-11-24 00:00:01", "range_too_long"),
        ("2020-01-01 00:00:00", "2026-11-23 00:00:00", "range_too_long"),
    ],
)
@pytest.mark.parametrize(
    "service", ["get_connection_log", "get_mobile_numbers", "get_ad_events"]
)
async def test_bad_range(
    hass: HomeAssistant,
    wiwiz: FakeWiwiz,
    wiwiz_loaded: MockConfigEntry,
    service: str,
    start: str,
    end: str,
    key: str,
) -> None:
    """A backwards, empty or over-a-year range is refused before any request."""
    with pytest.raises(ServiceValidationError) as exc_info:
        await _call(
            hass,
            service,
            config_entry_id=wiwiz_loaded.entry_id,
            hotspot_id="HS1",
            start=start,
            end=end,
        )

    assert exc_info.value.translation_key == key
    if key == "range_too_long":
        assert exc_info.value.translation_placeholders == {"days": "366"}
        assert "366" in str(exc_info.value)
    assert wiwiz.calls == []


async def test_smartwifi_range_too_long(
    hass: HomeAssistant, smartwifi: FakeSmartWifi, smartwifi_loaded: MockConfigEntry
) -> None:
    """The year limit holds for SmartWiFi too."""
    with pytest.raises(ServiceValidationError) as exc_info:
        await _call(
            hass,
            "get_connection_log",
            config_entry_id=smartwifi_loaded.entry_id,
            hotspot_id="12261",
            start="2025-01-01 00:00:00",
            end="2026-11-23 00:00:00",
        )

    assert exc_info.value.translation_key == "range_too_long"
    assert smartwifi.calls == []


@pytest.mark.parametrize(
    "started_since",
    [
        "2026-11-16 11:59:59",  # 7 days and a second back, local
        "2026-11-16T10:59:59+00:00",
        "2026-01-01 00:00:00",
    ],
)
async def test_guest_plans_too_old(
    hass: HomeAssistant,
    smartwifi: FakeSmartWifi,
    smartwifi_loaded: MockConfigEntry,
    started_since: str,
) -> None:
    """More than seven days back is refused, not cut to seven."""
    with pytest.raises(ServiceValidationError) as exc_info:
        await _call(
            hass,
            "get_guest_plans",
            config_entry_id=smartwifi_loaded.entry_id,
            started_since=started_since,
        )

    assert exc_info.value.translation_key == "plans_too_old"
    assert exc_info.value.translation_placeholders == {"days": "7"}
    assert str(exc_info.value) == ("Guest plans can be looked up at most 7 days back")
    assert smartwifi.calls == []


HS1_RANGE = {"hotspot_id": "HS1", "start": "2026-11-22", "end": "2026-11-23"}


@pytest.mark.parametrize(
    ("service", "data", "key", "message"),
    [
        (
            "get_connection_log",
            {"hotspot_id": "HS1", "start": "2026-11-23"},
            "field_required",
            "The field End is required",
        ),
        (
            "get_connection_log",
            {"start": "2026-11-22", "end": "2026-11-23"},
            "hotspot_missing",
            "Choose a hotspot: its device, or its name or ID",
        ),
        (
            "get_ad_events",
            {**HS1_RANGE, "hotspot": "0123456789abcdef0123456789abcdef"},
            "hotspot_twice",
            "Choose the hotspot once: by its device, or by its name or ID, not both",
        ),
        (
            "get_connection_log",
            {**HS1_RANGE, "start": "yesterday"},
            "field_not_datetime",
            "The field Start must be a date and time, such as 2026-11-23 18:00:00",
        ),
        (
            "get_connection",
            {},
            "field_required",
            "The field Token code is required",
        ),
        ("get_guest", {}, "field_required", "The field Guest token is required"),
        (
            "get_ad_events",
            {**HS1_RANGE, "event_type": "share"},
            "field_not_one_of",
            "The field Event type must be one of: view, click",
        ),
        (
            "get_mobile_numbers",
            {**HS1_RANGE, "verified": "maybe"},
            "field_not_boolean",
            "The field Verified must be true or false",
        ),
        (
            "get_guest_plans",
            {"state": "pending"},
            "field_not_one_of",
            "The field State must be one of: active, expired",
        ),
        (
            "get_guest_plans",
            {"started_since": "last week"},
            "field_not_datetime",
            (
                "The field Started since must be a date and time, such as "
                "2026-11-23 18:00:00"
            ),
        ),
        (
            "get_guest_plans",
            {"state": "active", "colour": "blue"},
            "field_unknown",
            "This action has no field colour",
        ),
    ],
)
async def test_schema_errors(
    hass: HomeAssistant,
    wiwiz: FakeWiwiz,
    both_loaded: dict[str, MockConfigEntry],
    service: str,
    data: dict[str, Any],
    key: str,
    message: str,
) -> None:
    """Missing or malformed fields: a translated refusal naming the field."""
    with pytest.raises(ServiceValidationError) as exc_info:
        await _call(
            hass, service, config_entry_id=both_loaded["wiwiz"].entry_id, **data
        )
    assert exc_info.value.translation_domain == DOMAIN
    assert exc_info.value.translation_key == key
    assert str(exc_info.value) == message
    assert wiwiz.calls == []


async def test_missing_entry_id_is_refused(
    hass: HomeAssistant, wiwiz_loaded: MockConfigEntry
) -> None:
    """config_entry_id is required."""
    with pytest.raises(ServiceValidationError) as exc_info:
        await _call(hass, "get_connection", tokencode="tok-AA-BB-CC-00-00-01")
    assert exc_info.value.translation_key == "field_required"
    assert exc_info.value.translation_placeholders == {"field": "Account"}


@pytest.mark.parametrize(
    ("service", "data", "field", "key", "placeholders"),
    [
        (
            "get_connection_log",
            {**HS1_RANGE, "hotspot_id": "H" * 101},
            "hotspot_id",
            "field_too_long",
            {"max": "100"},
        ),
        (
            "get_connection_log",
            {"start": "2026-11-22", "end": "2026-11-23", "hotspot": "d" * 65},
            "hotspot",
            "field_too_long",
            {"max": "64"},
        ),
        (
            "get_connection_log",
            {**HS1_RANGE, "hotspot_id": "  "},
            "hotspot_id",
            "field_empty",
            {},
        ),
        (
            "get_connection",
            {"tokencode": "t" * 257},
            "tokencode",
            "field_too_long",
            {"max": "256"},
        ),
        ("get_connection", {"tokencode": ""}, "tokencode", "field_empty", {}),
        (
            "get_connection",
            {"tokencode": ["a", "b"]},
            "tokencode",
            "field_not_text",
            {},
        ),
        (
            "get_guest",
            {"guest_token": "g" * 257},
            "guest_token",
            "field_too_long",
            {"max": "256"},
        ),
        (
            "get_ad_events",
            {**HS1_RANGE, "ad_id": "a" * 65},
            "ad_id",
            "field_too_long",
            {"max": "64"},
        ),
        (
            "get_connection_log",
            {**HS1_RANGE, "end": "9999-12-31 23:59:59"},
            "end",
            "field_year_out_of_range",
            {"first": "1970", "last": "2100"},
        ),
        (
            "get_connection_log",
            {**HS1_RANGE, "start": "0001-01-01T00:00:00+05:00"},
            "start",
            "field_year_out_of_range",
            {"first": "1970", "last": "2100"},
        ),
        (
            "get_mobile_numbers",
            {**HS1_RANGE, "start": "0001-01-01 00:00:00"},
            "start",
            "field_year_out_of_range",
            {"first": "1970", "last": "2100"},
        ),
        (
            "get_ad_events",
            {**HS1_RANGE, "end": "9999-12-31T23:59:59-12:00"},
            "end",
            "field_year_out_of_range",
            {"first": "1970", "last": "2100"},
        ),
        (
            "get_guest_plans",
            {"started_since": "0001-01-01 00:00:00"},
            "started_since",
            "field_year_out_of_range",
            {"first": "1970", "last": "2100"},
        ),
        (
            "get_guest_plans",
            {"started_since": "9999-12-31 23:59:59"},
            "started_since",
            "field_year_out_of_range",
            {"first": "1970", "last": "2100"},
        ),
        # Strings are strings, booleans are booleans: nothing is written out.
        ("get_connection", {"tokencode": True}, "tokencode", "field_not_text", {}),
        ("get_connection", {"tokencode": 12.5}, "tokencode", "field_not_text", {}),
        (
            "get_guest",
            {"guest_token": float("nan")},
            "guest_token",
            "field_not_text",
            {},
        ),
        (
            "get_guest",
            {"guest_token": float("-inf")},
            "guest_token",
            "field_not_text",
            {},
        ),
        ("get_guest", {"guest_token": b"g-1"}, "guest_token", "field_not_text", {}),
        ("get_ad_events", {**HS1_RANGE, "ad_id": -7}, "ad_id", "field_not_text", {}),
        ("get_ad_events", {**HS1_RANGE, "ad_id": 2**64}, "ad_id", "field_not_text", {}),
        (
            "get_connection_log",
            {**HS1_RANGE, "hotspot_id": False},
            "hotspot_id",
            "field_not_text",
            {},
        ),
        (
            "get_mobile_numbers",
            {**HS1_RANGE, "verified": float("nan")},
            "verified",
            "field_not_boolean",
            {},
        ),
        (
            "get_mobile_numbers",
            {**HS1_RANGE, "verified": 2},
            "verified",
            "field_not_boolean",
            {},
        ),
        (
            "get_mobile_numbers",
            {**HS1_RANGE, "verified": 0.0},
            "verified",
            "field_not_boolean",
            {},
        ),
        # Control characters never reach the vendor.
        (
            "get_connection",
            {"tokencode": "tok\x00"},
            "tokencode",
            "field_control_character",
            {},
        ),
        (
            "get_connection",
            {"tokencode": "tok\r\nX-Evil: 1"},
            "tokencode",
            "field_control_character",
            {},
        ),
        (
            "get_guest",
            {"guest_token": "\x1b[31mg"},
            "guest_token",
            "field_control_character",
            {},
        ),
        (
            "get_ad_events",
            {**HS1_RANGE, "ad_id": "ad\t1"},
            "ad_id",
            "field_control_character",
            {},
        ),
        (
            "get_connection_log",
            {**HS1_RANGE, "hotspot_id": "HS\n1"},
            "hotspot_id",
            "field_control_character",
            {},
        ),
    ],
)
async def test_lengths_and_dates_are_bounded(
    hass: HomeAssistant,
    wiwiz: FakeWiwiz,
    smartwifi: FakeSmartWifi,
    both_loaded: dict[str, MockConfigEntry],
    service: str,
    data: dict[str, Any],
    field: str,
    key: str,
    placeholders: dict[str, str],
) -> None:
    """Over-long text and extreme dates: refused by name, never an OverflowError."""
    vendor = "smartwifi" if service in ("get_guest", "get_guest_plans") else "wiwiz"
    with pytest.raises(ServiceValidationError) as exc_info:
        await _call(hass, service, config_entry_id=both_loaded[vendor].entry_id, **data)
    assert exc_info.value.translation_key == key
    assert exc_info.value.translation_placeholders == {
        "field": label(field),
        **placeholders,
    }
    assert label(field) in str(exc_info.value)
    assert "{" not in str(exc_info.value)
    assert wiwiz.calls == smartwifi.calls == []


@pytest.mark.parametrize(
    ("start", "end"),
    [("1970-01-01 00:00:00", "1970-06-01 00:00:00"), ("2100-06-01", "2100-12-31")],
)
async def test_dates_at_the_bounds_are_accepted(
    hass: HomeAssistant,
    wiwiz: FakeWiwiz,
    wiwiz_loaded: MockConfigEntry,
    start: str,
    end: str,
) -> None:
    """The first and last years work end to end: no overflow in the splitting."""
    response = await _call(
        hass,
        "get_ad_events",
        config_entry_id=wiwiz_loaded.entry_id,
        hotspot_id="HS1",
        start=start,
        end=end,
    )
    assert response == {"ad_events": []}
    assert wiwiz.calls


async def test_a_refused_call_never_reaches_the_event_bus(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_loaded: MockConfigEntry
) -> None:
    """The refusal comes from the schema, before Home Assistant records the call."""
    fired = async_capture_events(hass, EVENT_CALL_SERVICE)
    with pytest.raises(ServiceValidationError):
        await _call(
            hass,
            "get_connection",
            config_entry_id=wiwiz_loaded.entry_id,
            tokencode="t" * 10_000,
        )
    await hass.async_block_till_done()
    assert [e for e in fired if e.data["domain"] == DOMAIN] == []


# --- vendor failures ---------------------------------------------------------------------

WIWIZ_CALLS: list[tuple[str, dict[str, Any]]] = [
    ("get_connection_log", {"hotspot_id": "HS1", "start": "2026-11-23 00:00:00"}),
    ("get_connection", {"tokencode": "tok-AA-BB-CC-00-00-01"}),
    ("get_mobile_numbers", {"hotspot_id": "HS1", "start": "2026-11-23 00:00:00"}),
    ("get_ad_events", {"hotspot_id": "HS1", "start": "2026-11-23 00:00:00"}),
]
SMARTWIFI_CALLS: list[tuple[str, dict[str, Any]]] = [
    ("get_connection_log", {"hotspot_id": "12261", "start": "2026-11-23 00:00:00"}),
    ("get_guest", {"guest_token": "gt-1"}),
    ("get_guest_plans", {"state": "active"}),
]


def _with_end(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "end": "2026-11-23 12:00:00"} if "start" in data else data


FAILURES: list[tuple[str, dict[str, Any], str]] = [
    ("http_500", {"status": 500, "body": "Internal error"}, "HTTP 500"),
    ("timeout", {"exc": TimeoutError()}, "Timeout"),
    # aiohttp's own text would carry the URL, query string and all.
    ("client_error", {"exc": "invalid_url"}, "InvalidURL"),
]


def _failure(kwargs: dict[str, Any], url: str) -> dict[str, Any]:
    if kwargs.get("exc") == "invalid_url":
        return {"exc": aiohttp.InvalidURL(url)}
    return kwargs


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [(kwargs, expected) for _, kwargs, expected in FAILURES],
    ids=[name for name, _, _ in FAILURES],
)
@pytest.mark.parametrize(
    ("service", "data"), WIWIZ_CALLS, ids=[name for name, _ in WIWIZ_CALLS]
)
async def test_wiwiz_vendor_failure(
    hass: HomeAssistant,
    wiwiz: FakeWiwiz,
    wiwiz_loaded: MockConfigEntry,
    service: str,
    data: dict[str, Any],
    kwargs: dict[str, Any],
    expected: str,
) -> None:
    """Wiwiz failing is a HomeAssistantError (not bad input), without the key."""
    wiwiz.fail(
        **_failure(kwargs, f"http://cp.wiwiz.com/as/qapi/x/?userkey={WIWIZ_KEY}")
    )

    with pytest.raises(HomeAssistantError) as exc_info:
        await _call(
            hass, service, config_entry_id=wiwiz_loaded.entry_id, **_with_end(data)
        )

    err = exc_info.value
    assert not isinstance(err, ServiceValidationError)
    assert err.translation_key == "vendor_error"
    assert str(err).startswith("The vendor answered with an error: ")
    assert expected in str(err)
    assert wiwiz.calls
    _assert_no_secret(err)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [(kwargs, expected) for _, kwargs, expected in FAILURES],
    ids=[name for name, _, _ in FAILURES],
)
@pytest.mark.parametrize(
    ("service", "data"), SMARTWIFI_CALLS, ids=[name for name, _ in SMARTWIFI_CALLS]
)
async def test_smartwifi_vendor_failure(
    hass: HomeAssistant,
    smartwifi: FakeSmartWifi,
    smartwifi_loaded: MockConfigEntry,
    service: str,
    data: dict[str, Any],
    kwargs: dict[str, Any],
    expected: str,
) -> None:
    """SmartWiFi failing is a HomeAssistantError (not bad input), without the token."""
    smartwifi.fail(
        **_failure(
            kwargs,
            f"https://api.smartwifiplatform.com/v2/x?api_token={SMARTWIFI_TOKEN}",
        )
    )

    with pytest.raises(HomeAssistantError) as exc_info:
        await _call(
            hass, service, config_entry_id=smartwifi_loaded.entry_id, **_with_end(data)
        )

    err = exc_info.value
    assert not isinstance(err, ServiceValidationError)
    assert err.translation_key == "vendor_error"
    assert expected in str(err)
    assert smartwifi.calls
    _assert_no_secret(err)


async def test_wiwiz_conninfo_status_error(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_loaded: MockConfigEntry
) -> None:
    """A Wiwiz status code (ERR005) on conninfo is a vendor error with its code."""
    wiwiz.code = "ERR005"

    with pytest.raises(HomeAssistantError) as exc_info:
        await _call(
            hass,
            "get_connection",
            config_entry_id=wiwiz_loaded.entry_id,
            tokencode="tok-AA-BB-CC-00-00-01",
        )

    err = exc_info.value
    assert not isinstance(err, ServiceValidationError)
    assert err.translation_key == "vendor_error"
    assert "ERR005" in str(err)
    _assert_no_secret(err)


async def test_wiwiz_echoed_key_scrubbed(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_loaded: MockConfigEntry
) -> None:
    """A Wiwiz message that repeats the user key shows the message, not the key."""
    wiwiz.fail(
        body=(
            '<?xml version="1.0" encoding="UTF-8"?><result><status>'
            f"<code>ERR999</code><message>userkey {WIWIZ_KEY} is suspended"
            "</message></status></result>"
        )
    )

    with pytest.raises(HomeAssistantError) as exc_info:
        await _call(hass, "get_ad_events", **_range_data(wiwiz_loaded.entry_id, "HS1"))

    err = exc_info.value
    assert err.translation_key == "vendor_error"
    assert "ERR999" in str(err)
    assert "is suspended" in str(err)
    _assert_no_secret(err)


async def test_smartwifi_echoed_token_scrubbed(
    hass: HomeAssistant, smartwifi: FakeSmartWifi, smartwifi_loaded: MockConfigEntry
) -> None:
    """A SmartWiFi error message that repeats the token shows the message only."""
    smartwifi.fail(
        status=422,
        body=json.dumps({"message": f"api_token {SMARTWIFI_TOKEN}: bad guest token"}),
    )

    with pytest.raises(HomeAssistantError) as exc_info:
        await _call(
            hass,
            "get_guest",
            config_entry_id=smartwifi_loaded.entry_id,
            guest_token="gt-1",
        )

    err = exc_info.value
    assert not isinstance(err, ServiceValidationError)
    assert err.translation_key == "vendor_error"
    assert "bad guest token" in str(err)
    _assert_no_secret(err)


async def test_smartwifi_auth_failure_starts_reauth(
    hass: HomeAssistant, smartwifi: FakeSmartWifi, smartwifi_loaded: MockConfigEntry
) -> None:
    """A token revoked since setup fails the action and asks to sign in again."""
    smartwifi.token = "ANOTHER-TOKEN"

    with pytest.raises(HomeAssistantError) as exc_info:
        await _call(hass, "get_guest_plans", config_entry_id=smartwifi_loaded.entry_id)
    await hass.async_block_till_done()

    err = exc_info.value
    assert not isinstance(err, ServiceValidationError)
    assert err.translation_key == "invalid_auth"
    _assert_no_secret(err)
    flows = hass.config_entries.flow.async_progress()
    assert [f["context"]["source"] for f in flows] == ["reauth"]


async def test_recovers_after_vendor_failure(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_loaded: MockConfigEntry
) -> None:
    """A failed call leaves nothing behind: the next one answers normally."""
    wiwiz.fail(status=502)
    with pytest.raises(HomeAssistantError):
        await _call(
            hass, "get_connection_log", **_range_data(wiwiz_loaded.entry_id, "HS1")
        )
    wiwiz.recover()

    response = await _call(
        hass, "get_connection_log", **_range_data(wiwiz_loaded.entry_id, "HS1")
    )

    assert [c["mac"] for c in response["connections"]] == ["aa:bb:cc:00:00:01"]


async def test_times_in_response_are_iso_strings(
    hass: HomeAssistant, wiwiz: FakeWiwiz, wiwiz_loaded: MockConfigEntry
) -> None:
    """Datetimes come back as ISO 8601 strings that parse to the vendor's moment."""
    wiwiz.hotspots["HS1"]["log"][0]["end_time"] = "2026-11-23 09:45:00"

    response = await _call(
        hass,
        "get_connection",
        config_entry_id=wiwiz_loaded.entry_id,
        tokencode="tok-AA-BB-CC-00-00-01",
    )

    connection = response["connection"]
    start = datetime.fromisoformat(connection["start_time"])
    end = datetime.fromisoformat(connection["end_time"])
    assert (end - start).total_seconds() == 45 * 60
    assert start.utcoffset() is not None
    assert start.isoformat() == "2026-11-23T09:00:00+01:00"
