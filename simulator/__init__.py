"""A local stand-in for the three guest Wi-Fi vendors, for demos and tests.

One aiohttp server answers as Wiwiz (`/as/qapi/...`), SmartWiFiPlatform
(`/v2/...`) and My Wi-Fi Service (`/OAuth/...`, `/v1/...`), over a seeded,
living population of guests. See `python -m simulator --help`.
"""

from __future__ import annotations

from typing import Final

WIWIZ_USERKEY: Final = "demo-wiwiz-userkey"
SMARTWIFI_TOKEN: Final = "demo-smartwifi-token"  # noqa: S105
MYWIFI_CLIENT_ID: Final = "demo-client"
MYWIFI_CLIENT_SECRET: Final = "demo-secret"  # noqa: S105
MYWIFI_LOGIN: Final = "demo"
MYWIFI_PASSWORD: Final = "demo"  # noqa: S105

VENDORS: Final = ("wiwiz", "smartwifi", "mywifi")


def credentials() -> dict[str, dict[str, str]]:
    """The demo credentials of every vendor, as printed at start."""
    return {
        "wiwiz": {"userkey": WIWIZ_USERKEY},
        "smartwifi": {"api_token": SMARTWIFI_TOKEN},
        "mywifi": {
            "client_id": MYWIFI_CLIENT_ID,
            "client_secret": MYWIFI_CLIENT_SECRET,
            "login": MYWIFI_LOGIN,
            "password": MYWIFI_PASSWORD,
        },
    }
