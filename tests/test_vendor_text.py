"""Vendor text in Home Assistant: storable by core, and never a secret in an error.

The clients' side is in tests/hostile/test_vendor_text.py; here is what Home
Assistant does with what they give: a tracker named by a vendor's text is
saved with the entity registry and the guest store, and every error text
that reaches Home Assistant has passed the one scrubber in errors.py.
"""

from __future__ import annotations

import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.json import json_bytes
from homeassistant.helpers.update_coordinator import UpdateFailed
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from yarl import URL

from custom_components.guest_wifi.api.errors import (
    CannotConnectError,
    InvalidResponseError,
    VendorError,
)
from custom_components.guest_wifi.const import DOMAIN
from custom_components.guest_wifi.errors import action_error, poll_error

from . import test_mywifi_actions as actions
from .conftest import MYWIFI_REFRESH_TOKEN, poll, setup_entry
from .fakes import (
    MYWIFI_ACCESS_TOKEN,
    SMARTWIFI_TOKEN,
    WIWIZ_KEY,
    FakeSmartWifi,
    FakeWiwiz,
)
from .test_device_tracker import (  # noqa: F401 - fixtures
    LOBBY_TRACKER,
    enable_trackers,
    smartwifi_entry,
    wiwiz_entry,
)

pytestmark = pytest.mark.usefixtures("frozen")

# The My Wi-Fi fixtures live with the action tests.
mywifi = actions.mywifi
entry = actions.entry


# --- A1: what core stores ------------------------------------------------------------


async def test_a_lone_surrogate_never_reaches_what_core_saves(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,  # noqa: F811
) -> None:
    """A valid JSON escape of half a character once broke every registry save."""
    smartwifi.connections[0]["identity"] = "\ud800guest\x1b[0m"
    await setup_entry(hass, smartwifi_entry)
    await enable_trackers(hass, frozen, smartwifi_entry)

    state = hass.states.get(LOBBY_TRACKER)
    assert state is not None
    assert state.attributes["username"] == "\ufffdguest[0m"
    assert "\ufffdguest[0m" in state.attributes["friendly_name"]
    # What core writes: states, registry entries, our guest store.
    for each in hass.states.async_all():
        assert each.as_dict_json
    for reg in er.async_entries_for_config_entry(
        er.async_get(hass), smartwifi_entry.entry_id
    ):
        assert json_bytes(reg.as_storage_fragment)
    assert await hass.config_entries.async_unload(smartwifi_entry.entry_id)
    await hass.async_block_till_done()
    stored = hass_storage[f"{DOMAIN}.{smartwifi_entry.entry_id}.guests"]
    assert "\ufffdguest[0m" in json_bytes(stored).decode()


# --- B6: one scrubber for every error text -------------------------------------------


async def test_a_key_in_a_number_field_is_not_logged(
    hass: HomeAssistant,
    frozen: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,  # noqa: F811
) -> None:
    """The poll fails naming the field; the key is in no log line."""
    await setup_entry(hass, wiwiz_entry)
    caplog.set_level(logging.DEBUG)
    wiwiz.hotspots["HS1"]["conn"][0]["incoming"] = WIWIZ_KEY

    await poll(hass, frozen)

    assert "incoming" in caplog.text
    assert WIWIZ_KEY not in caplog.text


@pytest.mark.parametrize(
    "err",
    [
        VendorError("400", f"echoed {SMARTWIFI_TOKEN}"),
        InvalidResponseError(f"Expected a number, got {SMARTWIFI_TOKEN!r}"),
        CannotConnectError(f"x {SMARTWIFI_TOKEN} \ud800 y"),
    ],
)
async def test_every_error_text_is_scrubbed_where_errors_are_mapped(
    hass: HomeAssistant,
    smartwifi_entry: MockConfigEntry,  # noqa: F811
    err: Exception,
) -> None:
    """Whatever a client let through, errors.py takes out before Home Assistant."""
    polled = poll_error(err, smartwifi_entry)
    acted = action_error(err, smartwifi_entry)

    assert isinstance(polled, UpdateFailed)
    for shown in (polled, acted):
        text = f"{shown} {shown.translation_placeholders}"
        assert SMARTWIFI_TOKEN not in text
        assert "**REDACTED**" in text
        text.encode()  # no surrogate left


async def test_my_wifi_tokens_are_scrubbed_where_errors_are_mapped(
    hass: HomeAssistant, mywifi_entry: MockConfigEntry
) -> None:
    err = VendorError("400", f"{MYWIFI_ACCESS_TOKEN} / {MYWIFI_REFRESH_TOKEN}")

    shown = str(poll_error(err, mywifi_entry)) + str(action_error(err, mywifi_entry))

    assert MYWIFI_ACCESS_TOKEN not in shown
    assert MYWIFI_REFRESH_TOKEN not in shown


async def test_a_password_given_to_an_action_is_scrubbed(
    hass: HomeAssistant,
    smartwifi_entry: MockConfigEntry,  # noqa: F811
) -> None:
    err = VendorError("400", "password Secret-Pass-1 refused")

    shown = action_error(err, smartwifi_entry, also_secret=("Secret-Pass-1",))

    assert "Secret-Pass-1" not in str(shown)


async def test_add_user_error_never_shows_the_generated_password(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mywifi: actions.LiveMyWifi,
) -> None:
    """The vendor's answer to the add puts the new password where the id belongs."""
    sent: list[str] = []
    answer = mywifi.handle

    def handle(method: str, url: URL, data: Any) -> tuple[int, str]:
        if method.upper() != "POST":
            return answer(method, url, data)
        sent.append(data["Password"])
        status, body = answer(method, url, data)
        return status, body.replace(
            f'"RegisteredUserID": {mywifi.next_id - 1}',
            f'"RegisteredUserID": "{data["Password"]}"',
        )

    mywifi.handle = handle  # type: ignore[method-assign]

    with pytest.raises(HomeAssistantError) as caught:
        await actions._call(hass, "add_user", entry.entry_id, **actions.GENERATED)

    [password] = sent
    assert caught.value.translation_key == "vendor_error"
    assert "RegisteredUserID" in str(caught.value)
    for shown in (caught.value, caught.value.__cause__):
        assert password not in f"{shown} {shown!r}"


async def test_a_long_note_is_kept_and_read_back_whole(
    hass: HomeAssistant, entry: MockConfigEntry, mywifi: actions.LiveMyWifi
) -> None:
    """A note is cut at its own bound, longer than a name's: an edit is seen kept."""
    note = "Regular guest, " * 60  # 900 characters, as an action may write

    response = await actions._call(
        hass, "update_user", entry.entry_id, user_id=actions.ANNA, note=note
    )

    assert response is not None
    assert response["note"] == note.strip()
    assert mywifi.users[actions.ANNA]["Note"] == note
