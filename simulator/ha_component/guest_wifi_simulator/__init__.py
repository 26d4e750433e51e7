"""Development only: sign in to My Wi-Fi through the local simulator.

Not shipped with the integration. `scripts/develop` links it into the
development configuration; it offers Home Assistant an OAuth2 implementation
whose authorize and token endpoints are the simulator's, the way a
white-label deployment would have its own.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_entry_oauth2_flow, config_validation as cv
from homeassistant.helpers.typing import ConfigType
import voluptuous as vol

DOMAIN = "guest_wifi_simulator"
CONFIG_SCHEMA = vol.Schema(
    {
        DOMAIN: vol.Schema(
            {
                vol.Required("url"): cv.url,
                vol.Optional("client_id", default="demo-client"): cv.string,
                vol.Optional("client_secret", default="demo-secret"): cv.string,
            }
        )
    },
    extra=vol.ALLOW_EXTRA,
)


class SimulatorImplementation(config_entry_oauth2_flow.LocalOAuth2Implementation):
    """The simulator's OAuth2 server."""

    @property
    def name(self) -> str:
        """As shown when the user picks how to sign in."""
        return "My Wi-Fi simulator"


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Offer the simulator's sign-in to the Guest Wi-Fi integration."""
    conf = config[DOMAIN]
    url = conf["url"].rstrip("/")
    config_entry_oauth2_flow.async_register_implementation(
        hass,
        "guest_wifi",
        SimulatorImplementation(
            hass,
            DOMAIN,
            conf["client_id"],
            conf["client_secret"],
            f"{url}/OAuth/Authorize",
            f"{url}/OAuth/Token",
        ),
    )
    return True
