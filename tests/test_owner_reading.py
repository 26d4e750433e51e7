"""Guest activity in the owner's words (issue 17 item 5).

Who, where and when; the integration's internal ids stay out of what an
owner reads. The bus events keep the contract's data: automations use it.
"""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.guest_wifi.const import DOMAIN, EVENT_GUEST_CONNECTED
from custom_components.guest_wifi.identity import guest_label

from .conftest import poll, setup_entry
from .fakes import FakeSmartWifi, FakeWiwiz
from .test_device_tracker import enable_trackers

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.mark.parametrize(
    ("username", "label"),
    [
        ("Anna's iPhone", "Anna's iPhone (ac:bc:32:ff:71:2f)"),
        # A portal that logs a guest in under their MAC: said once.
        ("AC-BC-32-FF-71-2F", "ac:bc:32:ff:71:2f"),
        ("acbc32ff712f", "ac:bc:32:ff:71:2f"),
        ("ac:bc:32:ff:71:2f", "ac:bc:32:ff:71:2f"),
        ("", "ac:bc:32:ff:71:2f"),
        (None, "ac:bc:32:ff:71:2f"),
        # Twelve letters and digits that are no MAC are a name.
        ("lucas2lucas2", "lucas2lucas2 (ac:bc:32:ff:71:2f)"),
    ],
)
def test_a_guest_is_named_once(username: str | None, label: str) -> None:
    assert guest_label("ac:bc:32:ff:71:2f", username) == label


async def test_activity_says_which_guest_without_internal_ids(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """The activity entity names the guest; entry id and vendor stay on the bus."""
    connected: list[Event[dict[str, Any]]] = async_capture_events(
        hass, EVENT_GUEST_CONNECTED
    )
    await setup_entry(hass, wiwiz_entry)

    wiwiz.connect(
        "HS2", "AC-BC-32-FF-71-2F", ip="10.0.1.5", username="AC-BC-32-FF-71-2F"
    )
    await poll(hass, frozen)

    attributes = hass.states.get("event.hs2_guest_activity").attributes
    assert attributes["event_type"] == "connected"
    assert attributes["guest"] == "ac:bc:32:ff:71:2f"
    assert attributes["mac"] == "ac:bc:32:ff:71:2f"
    assert attributes["ip"] == "10.0.1.5"
    for internal in ("entry_id", "vendor", "hotspot_id"):
        assert internal not in attributes, internal
    assert wiwiz_entry.entry_id not in str(attributes)
    # A username that is the MAC says nothing more: the guest is the MAC.
    assert attributes["username"] == "AC-BC-32-FF-71-2F"
    # The bus event keeps what the contract says it carries.
    assert connected[-1].data["entry_id"] == wiwiz_entry.entry_id
    assert connected[-1].data["vendor"] == "wiwiz"


async def test_activity_names_a_named_guest(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, smartwifi_entry)
    smartwifi.connect("Lobby", "AA:BB:CC:DD:EE:07", email="anna@example.com")
    await poll(hass, frozen)

    attributes = hass.states.get("event.lobby_guest_activity").attributes
    # SmartWiFi gave no name, only an e-mail address: the guest is the MAC.
    assert attributes["guest"] == "aa:bb:cc:dd:ee:07"
    # Contact details stay out unless the owner lets them in.
    assert "anna@example.com" not in str(attributes)


async def test_a_named_tracker_says_who_and_where(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """A tracker says who and where: "lucas2 (Lobby)", not "lucas2" alone."""
    hass.config_entries.async_update_entry(
        wiwiz_entry,
        data={**wiwiz_entry.data, "hotspots": {"HS1": "Lobby", "HS2": "Terrace"}},
        options={**wiwiz_entry.options, "track_guests": "all"},
    )
    await setup_entry(hass, wiwiz_entry)
    wiwiz.connect("HS1", "AA-BB-CC-00-00-42", username="lucas2")
    await poll(hass, frozen)
    await enable_trackers(hass, frozen, wiwiz_entry)
    entity_id = "device_tracker.aa_bb_cc_00_00_42"
    assert er.async_get(hass).async_get(entity_id).platform == DOMAIN

    state = hass.states.get(entity_id)
    assert state.attributes["friendly_name"] == "lucas2 (Lobby)"


async def test_what_the_vendor_did_not_say_is_left_out(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
) -> None:
    """No username: no "Username: Unknown" line, only who the guest is."""
    await setup_entry(hass, wiwiz_entry)
    wiwiz.connect("HS2", "AA-BB-CC-00-00-09", username="")
    await poll(hass, frozen)

    attributes = hass.states.get("event.hs2_guest_activity").attributes
    assert attributes["guest"] == "aa:bb:cc:00:00:09"
    assert "username" not in attributes
