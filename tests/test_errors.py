"""Vendor errors in Home Assistant's words: each is said the same way everywhere.

The actions, forms and set-up paths are driven end to end in their own test
modules; here every vendor error type meets the one mapping, and every
message it picks is checked against the translations the user reads.
"""

from __future__ import annotations

import json
from pathlib import Path

import aiohttp
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    ConfigEntryNotReady,
    HomeAssistantError,
    ServiceValidationError,
)
from homeassistant.helpers.update_coordinator import UpdateFailed
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.guest_wifi.api.errors import (
    AuthenticationError,
    CannotConnectError,
    GuestWifiError,
    InvalidDateError,
    InvalidHotspotError,
    InvalidKeyError,
    InvalidRequestError,
    InvalidResponseError,
    NotFoundError,
    ProfessionalRequiredError,
    ResponseTooLargeError,
    VendorError,
)
from custom_components.guest_wifi.api.mywifi import (
    AddOutcomeUnknownError,
    ChangeNotKeptError,
    LoginTakenError,
)
from custom_components.guest_wifi.const import DOMAIN
from custom_components.guest_wifi.errors import (
    action_error,
    form_error,
    poll_error,
    poll_rate_limited,
    poll_timeout,
    setup_rate_limited,
    token_refresh_error,
)

# The entry an error is about: its key is what errors.py scrubs.
ENTRY = MockConfigEntry(
    domain=DOMAIN, data={"vendor": "wiwiz", "userkey": "KEY", "hotspot_ids": ["HS1"]}
)
STRINGS = json.loads(
    (
        Path(__file__).parents[1] / "custom_components" / DOMAIN / "strings.json"
    ).read_text()
)

# One of each error a vendor client raises, with what each place says.
# (error, action: class and key, form key, poll: class and key)
VENDOR_ERRORS: list[
    tuple[
        GuestWifiError,
        type[HomeAssistantError],
        str,
        str,
        type[Exception],
        str,
    ]
] = [
    (
        AuthenticationError("HTTP 401"),
        HomeAssistantError,
        "invalid_auth",
        "invalid_auth",
        ConfigEntryAuthFailed,
        "invalid_auth",
    ),
    (
        InvalidKeyError("ERR003", "Invalid userkey"),
        HomeAssistantError,
        "invalid_auth",
        "invalid_auth",
        ConfigEntryAuthFailed,
        "invalid_auth",
    ),
    (
        ProfessionalRequiredError("ERR004", "Professional edition only"),
        HomeAssistantError,
        "vendor_error",
        "professional_required",
        UpdateFailed,
        "professional_required",
    ),
    (
        InvalidHotspotError("ERR005", "Hotspot not found"),
        HomeAssistantError,
        "vendor_error",
        "invalid_hotspot",
        UpdateFailed,
        "update_failed",
    ),
    (
        InvalidDateError("ERR006", "Bad date"),
        HomeAssistantError,
        "vendor_error",
        "cannot_connect",
        UpdateFailed,
        "update_failed",
    ),
    (
        NotFoundError("404", "No such user"),
        HomeAssistantError,
        "not_found",
        "cannot_connect",
        UpdateFailed,
        "update_failed",
    ),
    (
        VendorError("E42", "Something went wrong"),
        HomeAssistantError,
        "vendor_error",
        "cannot_connect",
        UpdateFailed,
        "update_failed",
    ),
    (
        CannotConnectError("Timeout"),
        HomeAssistantError,
        "vendor_error",
        "cannot_connect",
        UpdateFailed,
        "update_failed",
    ),
    (
        InvalidResponseError("Not JSON"),
        HomeAssistantError,
        "vendor_error",
        "cannot_connect",
        UpdateFailed,
        "update_failed",
    ),
    (
        ResponseTooLargeError("Body over 50 MB"),
        HomeAssistantError,
        "vendor_error",
        "cannot_connect",
        UpdateFailed,
        "update_failed",
    ),
    (
        InvalidRequestError("A range too long"),
        HomeAssistantError,
        "vendor_error",
        "cannot_connect",
        UpdateFailed,
        "update_failed",
    ),
    (
        LoginTakenError("giulia", 7),
        ServiceValidationError,
        "login_taken",
        "cannot_connect",
        UpdateFailed,
        "update_failed",
    ),
    (
        ChangeNotKeptError(7, ["mobile_phone", "note"]),
        HomeAssistantError,
        "change_not_kept",
        "cannot_connect",
        UpdateFailed,
        "update_failed",
    ),
    (
        AddOutcomeUnknownError("giulia"),
        HomeAssistantError,
        "add_user_not_found",
        "cannot_connect",
        UpdateFailed,
        "update_failed",
    ),
    (
        AddOutcomeUnknownError("giulia", lookup_failed=True),
        HomeAssistantError,
        "add_user_unknown",
        "cannot_connect",
        UpdateFailed,
        "update_failed",
    ),
]


@pytest.fixture(autouse=True)
async def exception_messages(hass: HomeAssistant) -> None:
    """The integration's messages, as Home Assistant renders them once it is set up."""
    assert await async_setup_component(hass, DOMAIN, {})


def _assert_readable(err: HomeAssistantError, key: str) -> None:
    """Translated, in our domain, every placeholder filled."""
    assert err.translation_domain == DOMAIN
    assert err.translation_key == key
    message = str(err)
    assert message != key  # the key is what shows when no translation has it
    assert "{" not in message


@pytest.mark.parametrize(
    ("err", "action_class", "action_key", "form_key", "poll_class", "poll_key"),
    VENDOR_ERRORS,
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else "",
)
async def test_every_vendor_error_is_said_the_same_way_everywhere(
    hass: HomeAssistant,
    err: GuestWifiError,
    action_class: type[HomeAssistantError],
    action_key: str,
    form_key: str,
    poll_class: type[Exception],
    poll_key: str,
) -> None:
    """An action, a form and a poll each say what the error means."""
    action = action_error(err, ENTRY)
    assert type(action) is action_class
    _assert_readable(action, action_key)

    assert form_error(err) == form_key
    assert form_key in STRINGS["config"]["error"]

    poll = poll_error(err, ENTRY)
    assert type(poll) is poll_class
    assert isinstance(poll, HomeAssistantError)
    _assert_readable(poll, poll_key)


async def test_vendor_text_reaches_the_user_bounded(hass: HomeAssistant) -> None:
    """The vendor's own (scrubbed, bounded) words are shown, not a bare "failed"."""
    err = VendorError("E42", "Quota of the day used up " + "x" * 5000)

    assert "Quota of the day used up" in str(action_error(err, ENTRY))
    assert "Quota of the day used up" in str(poll_error(err, ENTRY))
    assert len(str(poll_error(err, ENTRY))) < 500


async def test_changed_fields_are_named_in_words(hass: HomeAssistant) -> None:
    """Fields are named in words: "mobile phone", not "mobile_phone"."""
    err = action_error(ChangeNotKeptError(7, ["mobile_phone", "note"]), ENTRY)

    assert err.translation_placeholders == {
        "user_id": "7",
        "fields": "mobile phone, note",
    }


async def test_an_unexpected_failure_is_unknown_on_a_form() -> None:
    """Only the vendor clients' errors are the vendor's; the rest is ours."""
    assert form_error(ValueError("boom")) == "unknown"
    assert form_error(KeyError("hotspots")) == "unknown"


async def test_a_rate_limited_poll_asks_again_when_the_vendor_said(
    hass: HomeAssistant,
) -> None:
    """Core's own retry_after schedules the next poll, and the user reads why."""
    err = poll_rate_limited(120.4)

    assert isinstance(err, UpdateFailed)
    assert err.retry_after == 120.4
    assert err.translation_placeholders == {"seconds": "120"}
    _assert_readable(err, "rate_limited")


async def test_a_poll_past_its_deadline_says_how_long_it_waited(
    hass: HomeAssistant,
) -> None:
    """The deadline, in whole seconds."""
    err = poll_timeout(48.0)

    assert isinstance(err, UpdateFailed)
    assert err.translation_placeholders == {"seconds": "48"}
    _assert_readable(err, "poll_timeout")


async def test_a_rate_limited_setup_waits_without_asking(hass: HomeAssistant) -> None:
    """Set-up retries no sooner than the vendor asked, where core lets it say so."""
    err = setup_rate_limited(300.0)

    assert isinstance(err, ConfigEntryNotReady)
    assert err.translation_placeholders == {"seconds": "300"}
    if hasattr(ConfigEntryNotReady, "retry_after"):
        assert err.retry_after == 300.0
    _assert_readable(err, "rate_limited")


def _refused(status: int) -> aiohttp.ClientResponseError:
    return aiohttp.ClientResponseError(
        request_info=None,  # type: ignore[arg-type]
        history=(),
        status=status,
        message="refresh_token=SECRET-REFRESH was refused",
    )


@pytest.mark.parametrize("status", [400, 401, 403, 499])
async def test_a_refused_token_refresh_means_signing_in_again(status: int) -> None:
    """The token endpoint refused the refresh token: re-authentication."""
    err = token_refresh_error(_refused(status))

    assert isinstance(err, AuthenticationError)
    assert "SECRET" not in str(err)


@pytest.mark.parametrize(
    "failure",
    [
        _refused(500),
        _refused(503),
        aiohttp.ClientConnectionError("reset"),
        TimeoutError(),
    ],
    ids=["500", "503", "reset", "timeout"],
)
async def test_a_failed_token_refresh_is_an_outage(
    failure: aiohttp.ClientError | TimeoutError,
) -> None:
    """An outage at the token endpoint is not a reason to sign in again."""
    err = token_refresh_error(failure)

    assert isinstance(err, CannotConnectError)
    assert not isinstance(err, AuthenticationError)
    assert "SECRET" not in str(err)
