"""What every benchmark's Home Assistant shares."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from unittest.mock import patch


@contextmanager
def no_http_server() -> Iterator[None]:
    """Home Assistant's HTTP component set up, its server never started.

    Application credentials (My Wi-Fi's OAuth2) need the `http` component,
    which would bind port 8123: taken by a running demo, that crashed the
    benchmarks. Nothing here is asked over HTTP; the test plugin patches the
    same two methods for the same reason.
    """
    with (
        patch("homeassistant.components.http.HomeAssistantHTTP.async_bind"),
        patch("homeassistant.components.http.HomeAssistantHTTP.start"),
    ):
        yield
