"""Diagnostics: what support sees of an entry, without secrets or guests' data."""

from __future__ import annotations

import json
from typing import Any

from freezegun.api import FrozenDateTimeFactory

# Diagnostics add system info, which imports the Supervisor client; imported
# under a frozen clock it fails (freezegun swaps `datetime`), so import it now.
import homeassistant.components.hassio  # noqa: F401
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from .conftest import (
    MYWIFI_REFRESH_TOKEN,
    add_credentials,
    add_mywifi_entry,
    setup_entry,
)
from .fakes import (
    MYWIFI_ACCESS_TOKEN,
    MYWIFI_CLIENT_SECRET,
    MYWIFI_PASSWORD,
    SMARTWIFI_TOKEN,
    WIWIZ_KEY,
    FakeMyWifi,
    FakeSmartWifi,
    FakeWiwiz,
)

NOW = "2026-11-23T12:00:00+01:00"
# Frozen when `freezer` is set up, before `hass_client` issues its access
# token: moving the clock after that would expire the token.
pytestmark = pytest.mark.freeze_time(NOW)
# Set by Home Assistant when the entry is made: not the integration's to show.
VOLATILE = props("entry_id", "created_at", "modified_at")

WIWIZ_MACS = ("AA-BB-CC-00-00-01", "AA-BB-CC-00-00-02")
WIWIZ_PHONES = ("+393331234567", "3337654321")
WIWIZ_USERS = ("alice", "bob")
WIWIZ_GUEST_IPS = ("10.0.0.11", "10.0.0.12")
SMARTWIFI_MACS = (
    "AA-BB-CC-DD-EE-01",
    "AA-BB-CC-DD-EE-02",
    "AA-BB-CC-DD-EE-03",
    "AA-BB-CC-DD-EE-09",
)
SMARTWIFI_EMAILS = ("a@example.com", "t@example.com")
SMARTWIFI_PHONES = ("+15551234567",)


def _spellings(mac: str) -> set[str]:
    """Every way a vendor or Home Assistant writes a MAC, lower-cased."""
    digits = mac.replace("-", "").replace(":", "").lower()
    pairs = [digits[i : i + 2] for i in range(0, 12, 2)]
    return {
        "-".join(pairs),
        ":".join(pairs),
        "_".join(pairs),  # as in an entity id
        digits,
        ".".join(digits[i : i + 4] for i in range(0, 12, 4)),
    }


def _assert_nothing_private(diagnostics: dict[str, Any], *private: str) -> None:
    text = json.dumps(diagnostics).lower()
    for secret in (WIWIZ_KEY, SMARTWIFI_TOKEN):
        assert secret.lower() not in text
    for value in private:
        assert value.lower() not in text


def _wiwiz_guests(wiwiz: FakeWiwiz) -> None:
    """Two guests online with phone numbers, and today's logs to match."""
    wiwiz.connect(
        "HS2",
        WIWIZ_MACS[1],
        ip=WIWIZ_GUEST_IPS[1],
        username=WIWIZ_USERS[1],
        mobile=WIWIZ_PHONES[0],
    )
    wiwiz.hotspots["HS1"]["mobile"] = [
        {
            "country": "39",
            "phonenum": WIWIZ_PHONES[1],
            "time": "2026-11-23 10:00:00",
            "verified": "true",
            "magic_code_flag": "0",
        }
    ]
    wiwiz.hotspots["HS1"]["ads"] = [
        {
            "ad_id": "AD7",
            "event_type": "1",
            "uuid": "u-1",
            "ua": "Mozilla/5.0",
            "site": "example.org",
            "event_time": "2026-11-23 10:00:00",
        }
    ]


def _smartwifi_guests(smartwifi: FakeSmartWifi) -> None:
    """A second guest online, with an e-mail address and a phone number."""
    smartwifi.connect("Terrace", SMARTWIFI_MACS[3], email=SMARTWIFI_EMAILS[1])
    smartwifi.connections[-1]["phone"] = SMARTWIFI_PHONES[0]


async def test_wiwiz_diagnostics(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_client: ClientSessionGenerator,
    wiwiz: FakeWiwiz,
    wiwiz_entry: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """A Wiwiz entry: its data and the coordinators' figures, the key redacted."""
    _wiwiz_guests(wiwiz)
    await setup_entry(hass, wiwiz_entry)

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, wiwiz_entry)

    assert diagnostics == snapshot(exclude=VOLATILE)
    assert diagnostics["entry"]["data"]["userkey"] == "**REDACTED**"
    assert diagnostics["entry"]["data"]["hotspot_ids"] == ["HS1", "HS2"]
    coordinators = diagnostics["coordinators"]
    assert set(coordinators) == {"connections", "today", "WAN IP"}
    assert all(c["last_update_success"] for c in coordinators.values())
    assert coordinators["connections"]["data"]["HS2"] == {
        "online": 1,
        "trackable_guests": 1,
        "today": None,
    }
    assert coordinators["today"]["data"]["HS1"]["mobile_numbers"] == 1
    assert coordinators["today"]["data"]["HS1"]["ad_views"] == 1
    assert diagnostics["known_guests"] == 2
    _assert_nothing_private(
        diagnostics,
        *(s for mac in WIWIZ_MACS for s in _spellings(mac)),
        *WIWIZ_PHONES,
        *WIWIZ_USERS,
        *WIWIZ_GUEST_IPS,
        "tok-",
    )


async def test_smartwifi_diagnostics(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_client: ClientSessionGenerator,
    smartwifi: FakeSmartWifi,
    smartwifi_entry: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """A SmartWiFi entry: its data and the coordinators' figures, the token redacted."""
    _smartwifi_guests(smartwifi)
    await setup_entry(hass, smartwifi_entry)

    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, smartwifi_entry
    )

    assert diagnostics == snapshot(exclude=VOLATILE)
    assert diagnostics["entry"]["data"]["api_token"] == "**REDACTED**"
    coordinators = diagnostics["coordinators"]
    assert set(coordinators) == {"connections", "account"}
    assert coordinators["connections"]["data"]["12290"]["online"] == 1
    assert coordinators["account"]["data"]["guests"] == 3
    assert coordinators["account"]["data"]["active_guest_plans"] == 1
    assert diagnostics["known_guests"] == 2
    _assert_nothing_private(
        diagnostics,
        *(s for mac in SMARTWIFI_MACS for s in _spellings(mac)),
        *SMARTWIFI_EMAILS,
        *SMARTWIFI_PHONES,
        "gt-",
    )


@pytest.mark.parametrize("vendor", ["wiwiz", "smartwifi"])
async def test_diagnostics_private_with_contact_details_exposed(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_client: ClientSessionGenerator,
    wiwiz: FakeWiwiz,
    smartwifi: FakeSmartWifi,
    wiwiz_entry: MockConfigEntry,
    smartwifi_entry: MockConfigEntry,
    vendor: str,
) -> None:
    """Exposing contact details to events does not expose them to diagnostics."""
    _wiwiz_guests(wiwiz)
    _smartwifi_guests(smartwifi)
    for entry in (wiwiz_entry, smartwifi_entry):
        hass.config_entries.async_update_entry(
            entry, options={"expose_contact_details": True, "track_guests": "all"}
        )
    await setup_entry(hass, wiwiz_entry)  # sets up every entry of the domain
    entry = wiwiz_entry if vendor == "wiwiz" else smartwifi_entry

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)

    assert diagnostics["entry"]["options"]["expose_contact_details"] is True
    _assert_nothing_private(
        diagnostics,
        *(s for mac in WIWIZ_MACS + SMARTWIFI_MACS for s in _spellings(mac)),
        *WIWIZ_PHONES,
        *WIWIZ_USERS,
        *WIWIZ_GUEST_IPS,
        *SMARTWIFI_EMAILS,
        *SMARTWIFI_PHONES,
    )


async def test_mywifi_diagnostics(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_client: ClientSessionGenerator,
    aioclient_mock: AiohttpClientMocker,
    snapshot: SnapshotAssertion,
) -> None:
    """A My Wi-Fi entry: users counted, never listed; tokens and secret redacted."""
    await add_credentials(hass)
    mywifi = FakeMyWifi()
    mywifi.register(aioclient_mock)
    mywifi.users[14646]["MobilePhone"] = "+393401234567"
    entry = add_mywifi_entry(
        hass,
        {
            "access_token": MYWIFI_ACCESS_TOKEN,
            "refresh_token": MYWIFI_REFRESH_TOKEN,
            "token_type": "Bearer",
            "expires_in": 86400,
            "expires_at": 1795518000.0,  # a day after NOW: no refresh
        },
    )
    await setup_entry(hass, entry)

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)

    assert diagnostics == snapshot(exclude=VOLATILE)
    assert diagnostics["entry"]["data"]["token"] == "**REDACTED**"
    [users] = diagnostics["coordinators"].values()
    assert users["data"]["users"] == 3
    assert users["data"]["disabled_users"] == 1
    assert diagnostics["known_guests"] is None
    _assert_nothing_private(
        diagnostics,
        MYWIFI_ACCESS_TOKEN,
        MYWIFI_REFRESH_TOKEN,
        MYWIFI_CLIENT_SECRET,
        MYWIFI_PASSWORD,
        *_spellings("AC-08-E0-DE-F2-C7"),
        "anna@example.com",
        "+393401234567",
        "343412434",  # logins
        "104032500",
        "staff-1",
        "Mirko",
        "Anna",
        "Luca",
        "Rossi",
    )
