"""My Wi-Fi Service signs in with OAuth2: where its authorize and token endpoints are."""

from __future__ import annotations

from homeassistant.components.application_credentials import AuthorizationServer
from homeassistant.core import HomeAssistant

from .api.mywifi import AUTHORIZE_URL, TOKEN_URL


async def async_get_authorization_server(hass: HomeAssistant) -> AuthorizationServer:
    """The vendor's OAuth2 endpoints."""
    return AuthorizationServer(authorize_url=AUTHORIZE_URL, token_url=TOKEN_URL)


async def async_get_description_placeholders(hass: HomeAssistant) -> dict[str, str]:
    """Where the developer gets a client id and secret."""
    return {"developer_url": "https://www.mywifiservice.com/"}
