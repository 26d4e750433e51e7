"""A person's view: log in to the demo in Chromium and look at the integration."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from .conftest import ROOT, Demo, launch_chromium, needs_chromium
from .test_end_to_end import _socket

SCREENSHOTS = ROOT / "build" / "screenshots"


def _titles(demo: Demo) -> list[str]:
    async def read() -> list[str]:
        async with (
            aiohttp.ClientSession() as session,
            session.get(
                f"{demo.ha_url}/api/config/config_entries/entry?domain=guest_wifi",
                headers={"Authorization": f"Bearer {demo.token}"},
            ) as resp,
        ):
            return [str(e["title"]) for e in await resp.json()]

    return asyncio.run(read())


def _device_id(demo: Demo, identifier: str) -> str:
    async def find() -> str:
        async with aiohttp.ClientSession() as session:
            ws = await _socket(session, demo)
            devices = await ws.call({"type": "config/device_registry/list"})
            await ws.ws.close()
        for device in devices:
            if ["guest_wifi", identifier] in device["identifiers"]:
                return str(device["id"])
        raise AssertionError(f"No device {identifier}")

    return asyncio.run(find())


@pytest.mark.xdist_group("demo")
@needs_chromium
def test_integration_and_hotspot_pages_show_the_entities(demo: Demo) -> None:
    from playwright.sync_api import expect, sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    device = _device_id(demo, "wiwiz_WZ0001")
    titles = _titles(demo)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        # Generous: the first load of the frontend competes with the other
        # test worker for two cores.
        page.set_default_timeout(90_000)
        expect.set_options(timeout=90_000)
        try:
            _look(page, demo, device, titles)
        except Exception:
            page.screenshot(path=_shot("failure"), full_page=True)
            raise
        finally:
            browser.close()


def _look(page: Any, demo: Demo, device: str, titles: list[str]) -> None:
    """Log in, open the integration's page and a hotspot's, as a person would."""
    from playwright.sync_api import expect

    page.goto(demo.ha_url)
    page.locator("input[name=username]").fill("demo")
    page.locator("input[name=password]").fill("demo-password")
    page.locator("input[name=password]").press("Enter")
    # Signed in, the frontend leaves the login page for the default dashboard
    # (/lovelace before 2026.11, the overview at / since). Opening another
    # page is a new load: it finds the session only once the frontend has
    # saved it ("keep me logged in").
    page.wait_for_url(lambda url: "auth_callback" not in url and "/auth/" not in url)
    page.wait_for_function("() => window.localStorage.getItem('hassTokens') !== null")

    page.goto(f"{demo.ha_url}/config/integrations/integration/guest_wifi")
    # Titles name the hotspots too: "Wiwiz (Lobby, Terrace)".
    assert sorted(t.partition(" (")[0] for t in titles) == [
        "My Wi-Fi Service",
        "SmartWiFi",
        "Wiwiz",
    ]
    for title in titles:
        expect(page.get_by_text(title, exact=True).first).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=_shot("integration"), full_page=True)

    page.goto(f"{demo.ha_url}/config/devices/device/{device}")
    for name in ("Online guests", "Guests today", "WAN IP", "Ad clicks today"):
        expect(page.get_by_text(name, exact=True).first).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=_shot("hotspot"), full_page=True)

    # An owner who reads German (the frontend's language, as the profile
    # page sets it) adds an account: the integration's words in German.
    # (Entity names follow Home Assistant's own language, set by the server.)
    page.evaluate("() => localStorage.setItem('selectedLanguage', '\"de\"')")
    page.goto(f"{demo.ha_url}/config/integrations/dashboard/add?domain=guest_wifi")
    # "Möchtest du Guest Wi-Fi einrichten?": yes.
    page.get_by_role("button", name="OK").click()
    expect(page.get_by_text("Gäste-WLAN-Plattform").first).to_be_visible()
    expect(
        page.get_by_text("Wähle die Plattform, auf der dein Captive Portal läuft.")
    ).to_be_visible()
    page.screenshot(path=_shot("add_account_de"), full_page=True)


def _shot(name: str) -> Path:
    return SCREENSHOTS / f"{name}.png"
