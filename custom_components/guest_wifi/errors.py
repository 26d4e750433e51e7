"""Vendor errors in Home Assistant's words, in one place.

Each vendor error type has one meaning, said three ways: the error an action
raises, the error shown on a config flow form, and what a poll raises. The
translation keys (strings.json) live here; callers only add what their place
does besides (reauth at once for an action, a repair for a poll).
"""

from __future__ import annotations

import aiohttp
from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    ConfigEntryNotReady,
    HomeAssistantError,
    ServiceValidationError,
)
from homeassistant.helpers.update_coordinator import UpdateFailed

from .api.errors import (
    AuthenticationError,
    CannotConnectError,
    GuestWifiError,
    InvalidHotspotError,
    NotFoundError,
    ProfessionalRequiredError,
)
from .api.mywifi import AddOutcomeUnknownError, ChangeNotKeptError, LoginTakenError
from .const import DOMAIN

# From Home Assistant 2026.11 a set-up retry waits as long as
# ConfigEntryNotReady says; before, it only backs off (5 s, 10 s, ... 10 min).
_NOT_READY_TAKES_A_WAIT = hasattr(ConfigEntryNotReady, "retry_after")


def action_error(err: GuestWifiError) -> HomeAssistantError:
    """What an action raises when the vendor failed it.

    A refusal caused by what the caller asked for is a ServiceValidationError;
    anything else is the vendor's failure.
    """
    if isinstance(err, LoginTakenError):
        return ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="login_taken",
            translation_placeholders={"login": err.login, "user_id": str(err.user_id)},
        )
    if isinstance(err, ChangeNotKeptError):
        return _error(
            "change_not_kept",
            user_id=str(err.user_id),
            # In words: "mobile phone", not "mobile_phone".
            fields=", ".join(f.replace("_", " ") for f in err.fields),
        )
    if isinstance(err, AddOutcomeUnknownError):
        key = "add_user_unknown" if err.lookup_failed else "add_user_not_found"
        return _error(key, login=err.login)
    if isinstance(err, AuthenticationError):
        return _error("invalid_auth")
    if isinstance(err, NotFoundError):
        return _error("not_found")
    return _error("vendor_error", error=str(err))


def form_error(err: BaseException) -> str:
    """The error a config flow form shows when checking what was typed failed."""
    if isinstance(err, AuthenticationError):
        return "invalid_auth"
    if isinstance(err, ProfessionalRequiredError):
        return "professional_required"
    if isinstance(err, InvalidHotspotError):
        return "invalid_hotspot"
    if isinstance(err, GuestWifiError):
        return "cannot_connect"
    return "unknown"


def poll_error(err: GuestWifiError) -> ConfigEntryAuthFailed | UpdateFailed:
    """What a poll raises when the vendor failed it.

    Refused credentials start re-authentication; anything else fails this
    poll and the next one asks again. A 429 is `poll_rate_limited`, with the
    wait the coordinator decided.
    """
    if isinstance(err, AuthenticationError):
        return ConfigEntryAuthFailed(
            translation_domain=DOMAIN, translation_key="invalid_auth"
        )
    if isinstance(err, ProfessionalRequiredError):
        return UpdateFailed(
            translation_domain=DOMAIN, translation_key="professional_required"
        )
    return UpdateFailed(
        translation_domain=DOMAIN,
        translation_key="update_failed",
        translation_placeholders={"error": str(err)},
    )


def poll_timeout(deadline: float) -> UpdateFailed:
    """A poll that did not end before its deadline."""
    return UpdateFailed(
        translation_domain=DOMAIN,
        translation_key="poll_timeout",
        translation_placeholders={"seconds": str(round(deadline))},
    )


def poll_rate_limited(wait: float) -> UpdateFailed:
    """A poll the vendor asked to wait for: core asks again after `wait` seconds."""
    return UpdateFailed(
        translation_domain=DOMAIN,
        translation_key="rate_limited",
        translation_placeholders={"seconds": str(round(wait))},
        retry_after=wait,
    )


def poll_refused() -> ConfigEntryAuthFailed:
    """A poll of an entry whose credentials the vendor refused to another poll."""
    return ConfigEntryAuthFailed(
        translation_domain=DOMAIN, translation_key="invalid_auth"
    )


def setup_rate_limited(wait: float) -> ConfigEntryNotReady:
    """A set-up the vendor asked to wait for, made without asking it anything.

    Before 2026.11 core retries sooner than the vendor asked: each retry until
    then ends here, before any request.
    """
    return ConfigEntryNotReady(
        translation_domain=DOMAIN,
        translation_key="rate_limited",
        translation_placeholders={"seconds": str(round(wait))},
        **({"retry_after": wait} if _NOT_READY_TAKES_A_WAIT else {}),
    )


def token_refresh_error(err: aiohttp.ClientError | TimeoutError) -> GuestWifiError:
    """A failed OAuth2 token refresh, as the My Wi-Fi client's own error.

    The token endpoint refusing the refresh token (4xx) means signing in
    again; anything else is an outage. The vendor's answer stays out: it may
    echo the token.
    """
    if isinstance(err, aiohttp.ClientResponseError):
        if 400 <= err.status < 500:
            return AuthenticationError("The refresh token was refused")
        return CannotConnectError(f"Token refresh failed: HTTP {err.status}")
    return CannotConnectError("Token refresh failed")


def _error(key: str, **placeholders: str) -> HomeAssistantError:
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders or None,
    )
