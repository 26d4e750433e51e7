"""Start the simulator and a real `hass`, set up the demo through HTTP.

One demo per test session: Home Assistant takes seconds to start, and every
end-to-end test looks at the same running system, as a person would.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
import os
from pathlib import Path
import shutil
import socket
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright
import pytest_socket

from simulator.demo import prepare_config, set_up_demo
from tests.without_hass import auto_enable_custom_integrations, settle, time_zone  # noqa: F401 - replace the root autouse fixtures

ROOT = Path(__file__).resolve().parents[2]
# Debian's Chromium, or the browser GUEST_WIFI_CHROMIUM names (a GitHub
# runner's Chrome), driven by playwright (no browser download).
CHROMIUM = (
    os.environ.get("GUEST_WIFI_CHROMIUM")
    or shutil.which("chromium")
    or shutil.which("chromium-browser")
)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (scripts/test installs it as root)",
)


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless, with nothing of its own on the network."""
    assert CHROMIUM, "CI must have Debian's chromium: scripts/test installs it"
    return playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    )


# The Home Assistant users install (scripts/test points at it), else ours.
HASS = os.environ.get("GUEST_WIFI_HASS") or str(Path(sys.executable).parent / "hass")


@dataclass(frozen=True)
class Demo:
    """A running demo: where it answers and a token of its demo user."""

    ha_url: str
    simulator_url: str
    token: str
    config: Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _afternoon_zone() -> str:
    """A zone where it is now mid-afternoon, so "today" has a day's guests.

    The simulator and Home Assistant run on the real clock: in a venue's
    first minutes after midnight, today's counts are rightly near zero.
    """
    utc_hour = time.gmtime().tm_hour
    offset = (15 - utc_hour + 12) % 24 - 12  # hours ahead of UTC, -12..11
    # The Etc zones count the other way: Etc/GMT-3 is three hours ahead.
    return "Etc/UTC" if offset == 0 else f"Etc/GMT{-offset:+d}"


def _wait_for(url: str, patience: float) -> None:
    import urllib.request

    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"Nothing answered at {url}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(autouse=True)
def loopback(socket_enabled: None) -> None:
    """Talk to the processes over loopback (Home Assistant's plugin blocks sockets)."""


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The simulator and Home Assistant, set up as `scripts/develop` does."""
    pytest_socket.enable_socket()
    config = tmp_path_factory.mktemp("ha-config")
    shutil.copy(ROOT / "config" / "configuration.yaml", config)
    (config / "custom_components").mkdir()
    (config / "custom_components" / "guest_wifi").symlink_to(
        ROOT / "custom_components" / "guest_wifi"
    )
    (config / "custom_components" / "guest_wifi_simulator").symlink_to(
        ROOT / "simulator" / "ha_component" / "guest_wifi_simulator"
    )
    prepare_config(config)
    zone = _afternoon_zone()
    ha_port, sim_port = _free_port(), _free_port()
    ha_url, sim_url = f"http://127.0.0.1:{ha_port}", f"http://127.0.0.1:{sim_port}"
    env = {
        **os.environ,
        "GUEST_WIFI_HA_PORT": str(ha_port),
        "GUEST_WIFI_HA_URL": ha_url,
        "GUEST_WIFI_SIMULATOR_URL": sim_url,
        "TZ": zone,
        "GUEST_WIFI_TZ": zone,
    }
    simulator = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [
            sys.executable,
            "-m",
            "simulator",
            "--port",
            str(sim_port),
            "--guests",
            "200",
            "--hotspots",
            "2",
            "--seed",
            "3",
            "--tick",
            "0",
            "--tz",
            zone,
        ],
        cwd=ROOT,
        env=env,
        stdout=(config / "simulator.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    hass = subprocess.Popen(  # noqa: S603 - our own interpreter's hass
        [HASS, "--config", str(config), "--skip-pip"],
        cwd=ROOT,
        env=env,
        stdout=(config / "hass.out").open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for(f"{sim_url}/_admin/state", 30)
        token = asyncio.run(set_up_demo(ha_url, sim_url))
        yield Demo(ha_url, sim_url, token, config)
    finally:
        _stop(hass)
        _stop(simulator)
