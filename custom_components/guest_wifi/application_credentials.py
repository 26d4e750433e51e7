"""My Wi-Fi Service signs in with OAuth2: where its authorize and token endpoints are."""

from __future__ import annotations

from homeassistant.components.application_credentials import AuthorizationServer
from homeassistant.core import HomeAssistant
from homeassistant.helpers.config_entry_oauth2_flow import (
    AUTH_CALLBACK_PATH,
    MY_AUTH_CALLBACK_PATH,
)

from .api.mywifi import AUTHORIZE_URL, TOKEN_URL


async def async_get_authorization_server(hass: HomeAssistant) -> AuthorizationServer:
    """The vendor's OAuth2 endpoints."""
    return AuthorizationServer(authorize_url=AUTHORIZE_URL, token_url=TOKEN_URL)


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
