"""Guest connected/disconnected: events on the bus and per-hotspot event entities."""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.event import ATTR_EVENT_TYPE, ATTR_EVENT_TYPES
from homeassistant.const import STATE_UNKNOWN, Platform
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.guest_wifi.const import (
    DOMAIN,
    EVENT_GUEST_CONNECTED,
    EVENT_GUEST_DISCONNECTED,
)

from .conftest import poll, setup_entry
from .fakes import SMARTWIFI_TOKEN, WIWIZ_KEY, FakeSmartWifi, FakeWiwiz

pytestmark = pytest.mark.usefixtures("frozen")

KEYS = {"entry_id", "vendor", "hotspot_id", "hotspot_name", "mac", "ip", "username"}


@pytest.fixture
def connected(hass: HomeAssistant) -> list[Event[dict[str, Any]]]:
    """Every guest_wifi_guest_connected event."""
    return async_capture_events(hass, EVENT_GUEST_CONNECTED)


@pytest.fixture
def disconnected(hass: HomeAssistant) -> list[Event[dict[str, Any]]]:
    """Every guest_wifi_guest_disconnected event."""
    return async_capture_events(hass, EVENT_GUEST_DISCONNECTED)


def set_options(hass: HomeAssistant, entry: MockConfigEntry, **options: Any) -> None:
    """Change options (a loaded entry reloads)."""
    hass.config_entries.async_update_entry(entry, options={**entry.options, **options})


# --- bus events: Wiwiz ----------------------------------------------------------


async def test_wiwiz_connect_and_disconnect(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
    connected: list[Event[dict[str, Any]]],
    disconnected: list[Event[dict[str, Any]]],
) -> None:
    """One event per session change, with the contract's data and no contact details."""
    await setup_entry(hass, wiwiz_entry)
    assert connected == []

    wiwiz.connect(
        "HS2",
        "AA-BB-CC-00-00-02",
        ip="10.0.1.5",
        username="bob",
        mobile="+393331234567",
    )
    await poll(hass, frozen)
    await poll(hass, frozen)  # still there: nothing new

    assert len(connected) == 1
    assert connected[0].data == {
        "entry_id": wiwiz_entry.entry_id,
        "vendor": "wiwiz",
        "hotspot_id": "HS2",
        "hotspot_name": "HS2",
        "mac": "aa:bb:cc:00:00:02",
        "ip": "10.0.1.5",
        "username": "bob",
    }
    assert disconnected == []

    wiwiz.disconnect("HS2", "AA-BB-CC-00-00-02")
    await poll(hass, frozen)
    await poll(hass, frozen)

    assert len(connected) == 1
    assert len(disconnected) == 1
    assert disconnected[0].data == connected[0].data


async def test_wiwiz_guest_moving_hotspots(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
    connected: list[Event[dict[str, Any]]],
    disconnected: list[Event[dict[str, Any]]],
) -> None:
    """Leaving one hotspot for another is a session change on each."""
    await setup_entry(hass, wiwiz_entry)

    wiwiz.disconnect("HS1", "AA-BB-CC-00-00-01")
    wiwiz.connect("HS2", "AA-BB-CC-00-00-01", ip="10.0.1.11", username="alice")
    await poll(hass, frozen)

    assert [(e.data["hotspot_id"], e.data["mac"]) for e in disconnected] == [
        ("HS1", "aa:bb:cc:00:00:01")
    ]
    assert [(e.data["hotspot_id"], e.data["ip"]) for e in connected] == [
        ("HS2", "10.0.1.11")
    ]


async def test_wiwiz_contact_details_when_exposed(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
    connected: list[Event[dict[str, Any]]],
    disconnected: list[Event[dict[str, Any]]],
) -> None:
    """With expose_contact_details on, the phone a guest gave is in the event."""
    set_options(hass, wiwiz_entry, expose_contact_details=True)
    await setup_entry(hass, wiwiz_entry)

    wiwiz.connect("HS2", "AA-BB-CC-00-00-02", mobile="+393331234567")
    await poll(hass, frozen)
    wiwiz.disconnect("HS2", "AA-BB-CC-00-00-02")
    await poll(hass, frozen)

    assert len(connected) == 1
    assert set(connected[0].data) == KEYS | {"email", "phone"}
    assert connected[0].data["phone"] == "+393331234567"
    assert connected[0].data["email"] is None
    assert disconnected[0].data["phone"] == "+393331234567"


# --- bus events: SmartWiFi ------------------------------------------------------


async def test_smartwifi_open_and_closed_records(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
    connected: list[Event[dict[str, Any]]],
    disconnected: list[Event[dict[str, Any]]],
) -> None:
    """An open record is a connection; a reason for termination ends it."""
    await setup_entry(hass, smartwifi_entry)
    assert connected == []

    smartwifi.connect(
        "Terrace",
        "AA-BB-CC-DD-EE-03",
        email="c@example.com",
        date="2026-11-23T11:00:30+00:00",
    )
    await poll(hass, frozen)
    await poll(hass, frozen)

    assert len(connected) == 1
    assert connected[0].data == {
        "entry_id": smartwifi_entry.entry_id,
        "vendor": "smartwifi",
        "hotspot_id": "12290",
        "hotspot_name": "Terrace",
        "mac": "aa:bb:cc:dd:ee:03",
        "ip": None,
        "username": "AA-BB-CC-DD-EE-03",
    }

    smartwifi.disconnect("AA-BB-CC-DD-EE-03")
    await poll(hass, frozen)
    await poll(hass, frozen)

    assert len(disconnected) == 1
    assert disconnected[0].data["mac"] == "aa:bb:cc:dd:ee:03"
    assert disconnected[0].data["hotspot_name"] == "Terrace"
    assert "email" not in disconnected[0].data

    # The same guest opens a new session: connected again, once.
    smartwifi.connect("Terrace", "AA-BB-CC-DD-EE-03", date="2026-11-23T11:10:00+00:00")
    await poll(hass, frozen)
    assert len(connected) == 2
    assert len(disconnected) == 1


async def test_smartwifi_contact_details_when_exposed(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
    disconnected: list[Event[dict[str, Any]]],
) -> None:
    """With expose_contact_details on, the guest's e-mail is in the event."""
    set_options(hass, smartwifi_entry, expose_contact_details=True)
    await setup_entry(hass, smartwifi_entry)

    smartwifi.disconnect("AA-BB-CC-DD-EE-01")
    await poll(hass, frozen)

    assert len(disconnected) == 1
    assert set(disconnected[0].data) == KEYS | {"email", "phone"}
    assert disconnected[0].data["email"] == "a@example.com"
    assert disconnected[0].data["phone"] is None


async def test_contact_details_hidden_by_default(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
    disconnected: list[Event[dict[str, Any]]],
) -> None:
    """Off by default: the e-mail address stays out of the event."""
    await setup_entry(hass, smartwifi_entry)

    smartwifi.disconnect("AA-BB-CC-DD-EE-01")
    await poll(hass, frozen)

    assert len(disconnected) == 1
    assert set(disconnected[0].data) == KEYS
    assert "a@example.com" not in str(disconnected[0].data)


@pytest.mark.parametrize("expose", [False, True])
async def test_username_that_is_contact_details(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
    connected: list[Event[dict[str, Any]]],
    expose: bool,
) -> None:
    """A guest who signed in with an e-mail address has it as username."""
    set_options(hass, wiwiz_entry, expose_contact_details=expose)
    await setup_entry(hass, wiwiz_entry)

    wiwiz.connect("HS2", "AA-BB-CC-00-00-02", username="bob@example.com")
    await poll(hass, frozen)

    assert len(connected) == 1
    assert connected[0].data["username"] == ("bob@example.com" if expose else None)
    assert ("bob@example.com" in str(connected[0].data)) is expose


def rename_lobby(smartwifi: FakeSmartWifi) -> None:
    """The venue renames the Lobby hotspot at SmartWiFi; records follow the name."""
    smartwifi.hotspots[0]["name"] = "Lobby Bar"
    for record in smartwifi.connections:
        if record["hotspotname"] == "Lobby":
            record["hotspotname"] = "Lobby Bar"


async def test_renamed_hotspot_shows_its_new_name(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
    connected: list[Event[dict[str, Any]]],
) -> None:
    """Once the account is polled again, records under the new name still count."""
    await setup_entry(hass, smartwifi_entry)
    rename_lobby(smartwifi)
    await poll(hass, frozen, 900)  # the account's interval
    await poll(hass, frozen)
    assert hass.states.get("sensor.lobby_online_guests").state == "1"
    connected.clear()

    smartwifi.connect(
        "Lobby Bar", "AA-BB-CC-DD-EE-03", date="2026-11-23T11:20:00+00:00"
    )
    await poll(hass, frozen)

    assert hass.states.get("sensor.lobby_online_guests").state == "2"
    assert [(e.data["hotspot_id"], e.data["hotspot_name"]) for e in connected] == [
        ("12261", "Lobby Bar")
    ]


async def test_hotspot_renamed_before_start_is_no_news(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
    connected: list[Event[dict[str, Any]]],
    disconnected: list[Event[dict[str, Any]]],
) -> None:
    """Guests on a hotspot renamed while Home Assistant was off fire no event."""
    rename_lobby(smartwifi)
    await setup_entry(hass, smartwifi_entry)
    await poll(hass, frozen)
    await poll(hass, frozen)

    assert connected == []
    assert disconnected == []
    assert hass.states.get("sensor.lobby_online_guests").state == "1"


async def test_hotspot_renamed_while_running_is_no_session_change(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
    connected: list[Event[dict[str, Any]]],
    disconnected: list[Event[dict[str, Any]]],
) -> None:
    """A rename is not every guest of the hotspot leaving and coming back."""
    await setup_entry(hass, smartwifi_entry)
    rename_lobby(smartwifi)
    await poll(hass, frozen)
    assert hass.states.get("sensor.lobby_online_guests").state == "1"
    await poll(hass, frozen, 900)
    await poll(hass, frozen)

    assert disconnected == []
    assert connected == []


# --- when no event fires ------------------------------------------------------------


@pytest.mark.parametrize("vendor", ["wiwiz", "smartwifi"])
async def test_no_event_at_start_or_reload(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    request: pytest.FixtureRequest,
    vendor: str,
    connected: list[Event[dict[str, Any]]],
    disconnected: list[Event[dict[str, Any]]],
) -> None:
    """Guests connected before Home Assistant started are no news."""
    request.getfixturevalue(vendor)
    entry = request.getfixturevalue(f"{vendor}_entry")
    await setup_entry(hass, entry)
    await poll(hass, frozen)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    await poll(hass, frozen)

    assert entry.runtime_data.connections.data  # the guest is there
    assert connected == []
    assert disconnected == []


@pytest.mark.parametrize(
    "failure",
    [{"status": 500}, {"exc": TimeoutError()}, {"status": 429}],
    ids=["500", "timeout", "429"],
)
@pytest.mark.parametrize("vendor", ["wiwiz", "smartwifi"])
async def test_no_event_when_a_failed_poll_recovers(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    request: pytest.FixtureRequest,
    vendor: str,
    failure: dict[str, Any],
    connected: list[Event[dict[str, Any]]],
    disconnected: list[Event[dict[str, Any]]],
) -> None:
    """An outage is not every guest leaving and coming back."""
    fake = request.getfixturevalue(vendor)
    entry = request.getfixturevalue(f"{vendor}_entry")
    await setup_entry(hass, entry)

    fake.fail(**failure)
    await poll(hass, frozen)
    await poll(hass, frozen, 150)
    assert not entry.runtime_data.connections.last_update_success
    fake.recover()
    await poll(hass, frozen, 150)

    assert entry.runtime_data.connections.last_update_success
    assert connected == []
    assert disconnected == []


async def test_events_fire_without_trackers(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
    connected: list[Event[dict[str, Any]]],
) -> None:
    """Turning trackers off does not turn events off."""
    set_options(hass, wiwiz_entry, track_guests="none")
    await setup_entry(hass, wiwiz_entry)

    wiwiz.connect("HS1", "AA-BB-CC-00-00-02")
    await poll(hass, frozen)

    assert [e.data["mac"] for e in connected] == ["aa:bb:cc:00:00:02"]


@pytest.mark.parametrize("vendor", ["wiwiz", "smartwifi"])
async def test_events_carry_no_secret(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    request: pytest.FixtureRequest,
    vendor: str,
    connected: list[Event[dict[str, Any]]],
    disconnected: list[Event[dict[str, Any]]],
) -> None:
    """Neither the key nor the token rides along in an event."""
    fake = request.getfixturevalue(vendor)
    entry = request.getfixturevalue(f"{vendor}_entry")
    set_options(hass, entry, expose_contact_details=True)
    await setup_entry(hass, entry)
    if vendor == "wiwiz":
        fake.disconnect("HS1", "AA-BB-CC-00-00-01")
        fake.connect("HS2", "AA-BB-CC-00-00-02")
    else:
        fake.disconnect("AA-BB-CC-DD-EE-01")
        fake.connect("Terrace", "AA-BB-CC-DD-EE-02")
    await poll(hass, frozen)

    assert len(connected) == len(disconnected) == 1
    text = str([e.data for e in (*connected, *disconnected)])
    assert WIWIZ_KEY not in text
    assert SMARTWIFI_TOKEN not in text


# --- event entities ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("vendor", "entities"),
    [
        (
            "wiwiz",
            {
                "event.hs1_guest_activity": "wiwiz_HS1",
                "event.hs2_guest_activity": "wiwiz_HS2",
            },
        ),
        (
            "smartwifi",
            {
                "event.lobby_guest_activity": "smartwifi_12261",
                "event.terrace_guest_activity": "smartwifi_12290",
            },
        ),
    ],
)
async def test_event_entity_per_hotspot(
    hass: HomeAssistant,
    request: pytest.FixtureRequest,
    vendor: str,
    entities: dict[str, str],
) -> None:
    """One guest activity entity per hotspot, on the hotspot's device."""
    request.getfixturevalue(vendor)
    entry = request.getfixturevalue(f"{vendor}_entry")
    await setup_entry(hass, entry)
    entity_registry = er.async_get(hass)
    device_registry = dr.async_get(hass)

    found = {
        reg.entity_id: reg
        for reg in er.async_entries_for_config_entry(entity_registry, entry.entry_id)
        if reg.domain == Platform.EVENT
    }
    assert set(found) == set(entities)
    for entity_id, identifier in entities.items():
        reg = found[entity_id]
        assert reg.translation_key == "guest_activity"
        device = device_registry.async_get(reg.device_id)
        assert (DOMAIN, identifier) in device.identifiers
        state = hass.states.get(entity_id)
        assert state.state == STATE_UNKNOWN
        assert state.attributes[ATTR_EVENT_TYPES] == ["connected", "disconnected"]


async def test_event_entity_fires_on_activity(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """The hotspot's entity shows each connection and disconnection."""
    await setup_entry(hass, wiwiz_entry)
    assert hass.states.get("event.hs2_guest_activity").state == STATE_UNKNOWN

    wiwiz.connect("HS2", "AA-BB-CC-00-00-02", ip="10.0.1.5", username="bob")
    await poll(hass, frozen)

    state = hass.states.get("event.hs2_guest_activity")
    assert state.attributes[ATTR_EVENT_TYPE] == "connected"
    assert state.attributes["mac"] == "aa:bb:cc:00:00:02"
    assert state.attributes["username"] == "bob"
    assert state.state == "2026-11-23T11:01:01.000+00:00"  # when it happened
    assert hass.states.get("event.hs1_guest_activity").state == STATE_UNKNOWN

    wiwiz.disconnect("HS2", "AA-BB-CC-00-00-02")
    await poll(hass, frozen)
    state = hass.states.get("event.hs2_guest_activity")
    assert state.attributes[ATTR_EVENT_TYPE] == "disconnected"
    assert state.attributes["mac"] == "aa:bb:cc:00:00:02"


async def test_event_entity_hides_contact_details_by_default(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
) -> None:
    """The entity's attributes follow expose_contact_details like the bus events."""
    await setup_entry(hass, smartwifi_entry)

    smartwifi.disconnect("AA-BB-CC-DD-EE-01")
    await poll(hass, frozen)

    state = hass.states.get("event.lobby_guest_activity")
    assert state.attributes[ATTR_EVENT_TYPE] == "disconnected"
    assert state.attributes["guest"] == "aa:bb:cc:dd:ee:01"
    assert "email" not in state.attributes
    assert "a@example.com" not in str(state.attributes)
    assert SMARTWIFI_TOKEN not in str(state.attributes)
