"""Vendor errors in Home Assistant's words, in one place.

Each vendor error type has one meaning, said three ways: the error an action
raises, the error shown on a config flow form, and what a poll raises. The
translation keys (strings.json) live here; callers only add what their place
does besides (reauth at once for an action, a repair for a poll).

Every text an error carries into Home Assistant passes `_shown` here: the
entry's secrets scrubbed (as the transport scrubs vendor answers), cut, and
made text Home Assistant can store. The clients already keep secrets out of
their errors; this is the one place that makes sure, whatever let one in.
"""

from __future__ import annotations

from collections.abc import Iterable

import aiohttp
from homeassistant.config_entries import ConfigEntry
from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    ConfigEntryNotReady,
    HomeAssistantError,
    ServiceValidationError,
)
from homeassistant.helpers.update_coordinator import UpdateFailed

from .api import scrub, storable_text
from .api.errors import (
    MAX_TEXT,
    AuthenticationError,
    CannotConnectError,
    GuestWifiError,
    InvalidHotspotError,
    NotFoundError,
    ProfessionalRequiredError,
)
from .api.mywifi import AddOutcomeUnknownError, ChangeNotKeptError, LoginTakenError
from .const import CONF_API_TOKEN, CONF_USERKEY, DOMAIN

# From Home Assistant 2026.11 a set-up retry waits as long as
# ConfigEntryNotReady says; before, it only backs off (5 s, 10 s, ... 10 min).
_NOT_READY_TAKES_A_WAIT = hasattr(ConfigEntryNotReady, "retry_after")


def _secrets(entry: ConfigEntry) -> list[str]:
    """What of an entry's data must never be shown: its key, token or OAuth2 tokens."""
    data = entry.data
    token = data.get("token")
    tokens = token if isinstance(token, dict) else {}
    found = (
        data.get(CONF_API_TOKEN),
        data.get(CONF_USERKEY),
        tokens.get("access_token"),
        tokens.get("refresh_token"),
    )
    return [secret for secret in found if isinstance(secret, str) and secret]


def _shown(
    entry: ConfigEntry, also_secret: Iterable[str | None], **texts: str
) -> dict[str, str]:
    """Texts (translation placeholders) as Home Assistant may show them.

    Scrubbed before they are cut (see `scrub`), then made storable: a
    vendor's message may hold a lone surrogate or a control character.
    """
    secrets = [*_secrets(entry), *also_secret]
    return {
        name: storable_text(scrub(text, secrets, MAX_TEXT), MAX_TEXT) or ""
        for name, text in texts.items()
    }


def action_error(
    err: GuestWifiError, entry: ConfigEntry, also_secret: Iterable[str | None] = ()
) -> HomeAssistantError:
    """What an action on `entry` raises when the vendor failed it.

    A refusal caused by what the caller asked for is a ServiceValidationError;
    anything else is the vendor's failure. `also_secret` names what the
    action sent that is secret besides the entry's own (a password).
    """

    def error(key: str, **texts: str) -> HomeAssistantError:
        return _error(key, **_shown(entry, also_secret, **texts))

    if isinstance(err, LoginTakenError):
        return ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="login_taken",
            translation_placeholders=_shown(
                entry, also_secret, login=err.login, user_id=str(err.user_id)
            ),
        )
    if isinstance(err, ChangeNotKeptError):
        return error(
            "change_not_kept",
            user_id=str(err.user_id),
            # In words: "mobile phone", not "mobile_phone".
            fields=", ".join(f.replace("_", " ") for f in err.fields),
        )
    if isinstance(err, AddOutcomeUnknownError):
        key = "add_user_unknown" if err.lookup_failed else "add_user_not_found"
        return error(key, login=err.login)
    if isinstance(err, AuthenticationError):
        return error("invalid_auth")
    if isinstance(err, NotFoundError):
        return error("not_found")
    return error("vendor_error", error=str(err))


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


def poll_error(
    err: GuestWifiError, entry: ConfigEntry
) -> ConfigEntryAuthFailed | UpdateFailed:
    """What a poll of `entry` raises when the vendor failed it.

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
        translation_placeholders=_shown(entry, (), error=str(err)),
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
