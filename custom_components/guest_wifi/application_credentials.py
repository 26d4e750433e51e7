"""My Wi-Fi Service signs in with OAuth2: where its authorize and token endpoints are."""

from __future__ import annotations

from typing import Any, override

from homeassistant.components.application_credentials import (
    AuthImplementation,
    AuthorizationServer,
    ClientCredential,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.config_entry_oauth2_flow import (
    AUTH_CALLBACK_PATH,
    MY_AUTH_CALLBACK_PATH,
    AbstractOAuth2Implementation,
)

from .api.mywifi import AUTHORIZE_URL, TOKEN_URL, token_answer


class MyWifiImplementation(AuthImplementation):
    """Core's OAuth2 with application credentials, keeping only a real token.

    Core takes a 200 answer of the token endpoint as it comes: broken JSON, a
    list, an infinite or a 1e300-second lifetime each failed deep inside
    core, or were stored and then broke every save of the config entries.
    Here such an answer is an InvalidResponseError, at sign-in and at each
    refresh alike (both ask through `_token_request`).
    """

    @override
    async def _token_request(self, data: dict[str, Any]) -> dict[str, Any]:
        try:
            answer = await super()._token_request(data)
        except ValueError:  # not JSON (a JSONDecodeError, a UnicodeDecodeError)
            answer = None
        return token_answer(answer)


async def async_get_auth_implementation(
    hass: HomeAssistant, auth_domain: str, credential: ClientCredential
) -> AbstractOAuth2Implementation:
    """Core's implementation for the vendor's endpoints, checking its answers."""
    return MyWifiImplementation(
        hass,
        auth_domain,
        credential,
        AuthorizationServer(authorize_url=AUTHORIZE_URL, token_url=TOKEN_URL),
    )


async def async_get_description_placeholders(hass: HomeAssistant) -> dict[str, str]:
    """Where the developer gets a client id and secret, and where to send users back.

    Translations may not hold URLs: the dialog's addresses come from here.
    """
    if "my" in hass.config.components:
        redirect_url = MY_AUTH_CALLBACK_PATH
    else:
        # The OAuth2 flow then redirects to Home Assistant itself.
        ha_url = hass.config.external_url or "https://YOUR_HOME_ASSISTANT:PORT"
        redirect_url = f"{ha_url.rstrip('/')}{AUTH_CALLBACK_PATH}"
    return {
        "developer_url": "https://www.mywifiservice.com/",
        "redirect_url": redirect_url,
    }
