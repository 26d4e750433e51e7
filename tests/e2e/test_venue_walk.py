"""A café owner's walk through the demo in Chromium (issue 11: 1, 2, 3, 6, 7; issue 17: 3, 4, 8).

Everything the owner does, they do in Home Assistant's UI; the test only
plays the world around them through the simulator's admin API (a guest
arrives, the vendor stops taking the key) and asks for a poll the way an
automation would (`homeassistant.update_entity`). Each step keeps a
screenshot in `build/screenshots/venue_walk/` and checks the words on it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
import re
import shutil
import time
from typing import Any

import aiohttp
import pytest
import yaml

from simulator import WIWIZ_USERKEY

from .conftest import ROOT, Demo, launch_chromium, needs_chromium
from .test_end_to_end import _socket

SCREENSHOTS = ROOT / "build" / "screenshots" / "venue_walk"
WAIT = 60_000  # ms: the frontend shares two cores with another test worker


def _run[T](work: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine outside playwright's own event loop."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, work).result()


class World:
    """What happens around the owner: the vendors, and Home Assistant's APIs."""

    def __init__(self, demo: Demo) -> None:
        """Talk to the running demo."""
        self.demo = demo

    async def _ha(self, method: str, path: str, payload: Any = None) -> Any:
        async with (
            aiohttp.ClientSession() as session,
            session.request(
                method,
                f"{self.demo.ha_url}{path}",
                json=payload,
                headers={"Authorization": f"Bearer {self.demo.token}"},
            ) as resp,
        ):
            assert resp.status == 200, await resp.text()
            return await resp.json(content_type=None)

    async def _admin(self, method: str, path: str, payload: Any = None) -> Any:
        async with (
            aiohttp.ClientSession() as session,
            session.request(
                method, f"{self.demo.simulator_url}/_admin/{path}", json=payload
            ) as resp,
        ):
            assert resp.status < 300, await resp.text()
            return await resp.json()

    async def _ws(self, message: dict[str, Any]) -> Any:
        async with aiohttp.ClientSession() as session:
            ws = await _socket(session, self.demo)
            try:
                return await ws.call(message)
            finally:
                await ws.ws.close()

    def ha(self, method: str, path: str, payload: Any = None) -> Any:
        """One call of Home Assistant's REST API."""
        return _run(self._ha(method, path, payload))

    def admin(self, method: str, path: str, payload: Any = None) -> Any:
        """One call of the simulator's admin API."""
        return _run(self._admin(method, path, payload))

    def ws(self, message: dict[str, Any]) -> Any:
        """One websocket command."""
        return _run(self._ws(message))

    def entries(self) -> dict[str, dict[str, Any]]:
        """Our entries by title."""
        return {
            e["title"]: e
            for e in self.ha(
                "GET", "/api/config/config_entries/entry?domain=guest_wifi"
            )
        }

    def entry(self, vendor_title: str) -> dict[str, Any]:
        """The one entry whose title starts with the vendor's."""
        [found] = [
            e for t, e in self.entries().items() if t.startswith(f"{vendor_title} (")
        ]
        return found

    def device(self, identifier: str) -> dict[str, Any] | None:
        """Our device with this identifier, if there is one."""
        for device in self.ws({"type": "config/device_registry/list"}):
            if ["guest_wifi", identifier] in device["identifiers"]:
                return dict(device)
        return None

    def hotspot_id(self, vendor: str, name: str) -> str:
        """The simulator's id of a vendor's hotspot of that name."""
        hotspots = self.admin("GET", "state")["hotspots"][vendor]
        return str(next(h["id"] for h in hotspots if h["name"] == name))

    def until(self, condition: Any, patience: float = 60) -> None:
        """Wait for the world to reach a condition."""
        deadline = time.monotonic() + patience
        while not condition():
            assert time.monotonic() < deadline, "the demo did not get there in time"
            time.sleep(0.5)

    def reauth_flows(self) -> list[dict[str, Any]]:
        """Our re-authentication flows in progress."""
        return [
            f
            for f in self.ws({"type": "config_entries/flow/progress"})
            if f["handler"] == "guest_wifi" and f["context"].get("source") == "reauth"
        ]

    def tracker(self, mac: str) -> dict[str, Any] | None:
        """The registry entry of a guest's tracker, if the guest has one."""
        for entity in self.ws({"type": "config/entity_registry/list"}):
            if entity["entity_id"].startswith("device_tracker.") and entity[
                "unique_id"
            ].endswith(f"_{mac}"):
                return dict(entity)
        return None

    def state(self, entity_id: str) -> dict[str, Any] | None:
        """An entity's state, if Home Assistant has one."""
        for state in self.ha("GET", "/api/states"):
            if state["entity_id"] == entity_id:
                return dict(state)
        return None

    def poll(self, device_identifier: str) -> None:
        """Ask for a poll of a hotspot's entry, as an automation would."""
        device = self.device(device_identifier)
        assert device is not None
        entities = self.ws({"type": "config/entity_registry/list"})
        sensor = next(
            e["entity_id"]
            for e in entities
            if e["device_id"] == device["id"]
            and e["unique_id"].endswith("_online_guests")
        )
        self.ha(
            "POST", "/api/services/homeassistant/update_entity", {"entity_id": sensor}
        )


@pytest.mark.xdist_group("demo")
@needs_chromium
def test_a_venue_owner_walks_through_the_demo(demo: Demo) -> None:
    from playwright.sync_api import expect, sync_playwright

    shutil.rmtree(SCREENSHOTS, ignore_errors=True)  # this walk's only
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    world = World(demo)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(WAIT)
        expect.set_options(timeout=WAIT)
        walk = Walk(page, demo, world)
        try:
            walk.sign_in()
            walk.explore()
        except Exception:
            walk.shot("failure")
            raise
        finally:
            browser.close()


class Walk:
    """The owner's steps, each ending in a screenshot."""

    def __init__(self, page: Any, demo: Demo, world: World) -> None:
        """One browser page, signed in as the demo user."""
        self.page = page
        self.demo = demo
        self.world = world
        self.count = 0

    def shot(self, name: str) -> Path:
        """Keep what the owner sees now."""
        self.count += 1
        path = SCREENSHOTS / f"{self.count:02d}-{name}.png"
        self.page.screenshot(path=path, full_page=True)
        return path

    def goto(self, path: str) -> None:
        """Open a page of Home Assistant."""
        self.page.goto(f"{self.demo.ha_url}{path}")

    def sign_in(self) -> None:
        """Log in and stay logged in across page loads."""
        page = self.page
        page.goto(self.demo.ha_url)
        page.locator("input[name=username]").fill("demo")
        page.locator("input[name=password]").fill("demo-password")
        page.locator("input[name=password]").press("Enter")
        page.wait_for_url(
            lambda url: "auth_callback" not in url and "/auth/" not in url
        )
        page.wait_for_function(
            "() => window.localStorage.getItem('hassTokens') !== null"
        )

    def entry_menu(self, title: str, item: str) -> None:
        """Open an entry's menu on the integration's page and choose an item."""
        from playwright.sync_api import expect

        self.goto("/config/integrations/integration/guest_wifi")
        row = self.page.locator("ha-config-entry-row").filter(
            has=self.page.get_by_text(title, exact=True)
        )
        expect(row.first).to_be_visible()
        row.first.get_by_role("button", name="Menu").first.click()
        self.page.get_by_role("menuitem", name=item).filter(visible=True).click()

    @property
    def dialog(self) -> Any:
        """The open config flow dialog."""
        return self.page.locator("dialog-data-entry-flow")

    def submit(self) -> None:
        """Press the flow dialog's Submit."""
        self.dialog.get_by_role("button", name="Submit").click()

    def close_dialog(self) -> None:
        """Press the flow dialog's Close at its foot."""
        self.dialog.locator("ha-dialog-footer").get_by_role(
            "button", name="Close"
        ).click()

    def explore(self) -> None:
        """The owner's steps, in order: each leaves the demo as the next expects."""
        self.tell_the_lobbies_apart()
        self.add_the_same_account_again()
        self.untick_a_smartwifi_hotspot()
        self.drop_a_wiwiz_hotspot_while_the_vendor_waits()
        self.reauthenticate()
        self.see_guest_triggers()
        self.follow_a_guest(self.guest_arrives())
        self.see_guest_triggers_by_target()
        self.see_the_hotspots_on_the_overview()
        self.import_the_dashboard()
        self.use_the_daily_report()

    def tell_the_lobbies_apart(self) -> None:
        """Issue 17 item 1: two "Lobby" devices say their vendor, id and account."""
        from playwright.sync_api import expect

        page = self.page
        for vendor, words in (("smartwifi", "SmartWiFi"), ("wiwiz", "Wiwiz")):
            hotspot_id = self.world.hotspot_id(vendor, "Lobby")
            device = self.open_device(f"{vendor}_{hotspot_id}")
            assert device["model"] == f"{words} hotspot", device
            expect(page.get_by_text(f"{words} hotspot").first).to_be_visible()
            expect(page.get_by_text(f"Serial number: {hotspot_id}")).to_be_visible()
            expect(page.get_by_text(f"{words} account").first).to_be_visible()
            self.shot(f"{vendor}-lobby-says-whose")

    def add_the_same_account_again(self) -> None:
        """Issue 17 item 2: a key already used is refused, naming its entry."""
        from playwright.sync_api import expect

        from simulator import WIWIZ_USERKEY

        page, dialog = self.page, self.dialog
        self.goto("/config/integrations/integration/guest_wifi")
        page.get_by_role(
            "button", name=re.compile("^Add (entry|hub)$", re.IGNORECASE)
        ).first.click()
        dialog.get_by_text("Wiwiz HotSpot Builder").click()
        expect(dialog.get_by_text("Hotspot ID").first).to_be_visible()
        expect(dialog.get_by_text("reconfigur")).to_have_count(0)
        dialog.locator("input[type=password]").fill(WIWIZ_USERKEY)
        # Each hotspot is one field, added with its label: "Add Hotspot ID".
        dialog.get_by_role("button", name="Add Hotspot ID").click()
        dialog.locator("input:not([type=password]):not([type=url])").first.fill(
            "WZ0009"
        )
        self.shot("wiwiz-same-key-typed")
        self.submit()
        title = self.world.entry("Wiwiz")["title"]
        expect(
            dialog.get_by_text(f"already set up in Home Assistant, as {title}")
        ).to_be_visible()
        expect(dialog.get_by_text("Reconfigure").first).to_be_visible()
        self.shot("wiwiz-same-key-names-its-entry")
        self.close_dialog()

    def untick_a_smartwifi_hotspot(self) -> None:
        """Item 1 (and 2: no key retyped): the unticked hotspot's device goes."""
        from playwright.sync_api import expect

        page, dialog = self.page, self.dialog
        terrace_id = self.world.hotspot_id("smartwifi", "Terrace")
        assert self.world.device(f"smartwifi_{terrace_id}") is not None
        self.entry_menu("SmartWiFi (Lobby, Terrace)", "Reconfigure")
        expect(
            dialog.get_by_text("leave it empty to keep the current token")
        ).to_be_visible()
        expect(dialog.locator("input[type=password]")).to_have_value("")
        self.shot("smartwifi-reconfigure-keeps-the-token")
        self.submit()
        expect(dialog.get_by_text("Choose the hotspots")).to_be_visible()
        boxes = dialog.get_by_role("checkbox")
        expect(boxes).to_have_count(2)
        dialog.get_by_text("Terrace", exact=True).click()
        expect(boxes.nth(1)).not_to_be_checked()
        expect(boxes.nth(0)).to_be_checked()
        self.shot("smartwifi-terrace-unticked")
        self.submit()
        expect(dialog.get_by_text("Reconfiguration was successful")).to_be_visible()
        self.shot("smartwifi-reconfigured")
        self.close_dialog()
        assert self.world.device(f"smartwifi_{terrace_id}") is None
        entry = self.world.entry("SmartWiFi")
        assert entry["title"] == "SmartWiFi (Lobby)"
        self.goto(f"/config/devices/dashboard?config_entry={entry['entry_id']}")
        # The account's device is named as an account, not by its hotspots.
        expect(page.get_by_text("SmartWiFi account", exact=True).first).to_be_visible()
        expect(page.get_by_text("Lobby", exact=True).first).to_be_visible()
        expect(page.get_by_text("Terrace", exact=True)).to_have_count(0)
        self.shot("smartwifi-devices-without-terrace")

    def drop_a_wiwiz_hotspot_while_the_vendor_waits(self) -> None:
        """Item 1: a device left behind can be deleted from its page."""
        from playwright.sync_api import expect

        page, dialog = self.page, self.dialog
        terrace = self.world.device("wiwiz_WZ0002")
        assert terrace is not None
        self.world.admin(
            "POST",
            "faults",
            # Long enough for the reconfigure below on a busy machine.
            {"vendor": "wiwiz", "kind": "rate_limit", "count": 1, "retry_after": 45},
        )
        self.world.poll("wiwiz_WZ0001")
        self.entry_menu("Wiwiz (Lobby, Terrace)", "Reconfigure")
        expect(
            dialog.get_by_text("leave it empty to keep the current key")
        ).to_be_visible()
        expect(dialog.locator("input[type=password]")).to_have_value("")
        ids = dialog.locator("input:not([type=password])")
        expect(ids.nth(1)).to_have_value("WZ0002")
        dialog.get_by_role("button", name="Remove").nth(1).click()
        expect(dialog.get_by_role("button", name="Remove")).to_have_count(1)
        self.shot("wiwiz-terrace-removed")
        self.submit()
        expect(dialog.get_by_text("Wiwiz does not name hotspots")).to_be_visible()
        name = dialog.locator("input").first
        expect(name).to_have_value("Lobby")
        name.fill("Garden")
        self.shot("wiwiz-lobby-named-garden")
        self.submit()
        expect(dialog.get_by_text("Reconfiguration was successful")).to_be_visible()
        self.close_dialog()
        wiwiz = self.world.entry("Wiwiz")
        # The vendor asked Home Assistant to wait: the entry starts when the
        # wait is over, and only then lets the dropped hotspot's device go.
        assert wiwiz["title"] == "Wiwiz (Garden)"
        # On a busy machine the wait may be over (the entry loaded) already:
        # then there is no stale device left to see, only its absence below.
        assert wiwiz["state"] in ("setup_retry", "loaded"), wiwiz
        if wiwiz["state"] == "setup_retry":
            self.goto(f"/config/devices/device/{terrace['id']}")
            expect(page.get_by_text("Serial number: WZ0002")).to_be_visible()
            expect(page.get_by_text("Unavailable").first).to_be_visible()
            self.shot("dropped-terrace-while-the-vendor-waits")
        self.world.until(
            lambda: self.world.entry("Wiwiz")["state"] == "loaded", patience=120
        )
        assert self.world.device("wiwiz_WZ0002") is None
        self.goto(f"/config/devices/dashboard?config_entry={wiwiz['entry_id']}")
        expect(page.get_by_text("Garden", exact=True).first).to_be_visible()
        expect(page.get_by_text("Terrace", exact=True)).to_have_count(0)
        self.shot("wiwiz-devices-without-terrace")

    def reauthenticate(self) -> None:
        """Item 2: a refused key asks at once, and for the key only."""
        from playwright.sync_api import expect

        page, dialog = self.page, self.dialog
        self.world.admin("POST", "faults", {"vendor": "wiwiz", "kind": "revoked"})
        self.world.poll("wiwiz_WZ0001")
        self.world.until(lambda: self.world.reauth_flows() != [])
        self.world.admin("DELETE", "faults")
        self.goto("/config/integrations/dashboard")
        page.wait_for_load_state("networkidle")
        card = page.locator("ha-config-flow-card").filter(has_text="Wiwiz (Garden)")
        expect(card).to_be_visible()
        self.shot("reauth-asked")
        card.get_by_text("Reconfigure").click()
        expect(dialog.get_by_text("Re-authenticate Wiwiz (Garden)")).to_be_visible()
        # The key, and nothing else: not the hotspots, not the API address.
        expect(dialog.locator("input")).to_have_count(1)
        expect(dialog.locator("input[type=password]")).to_have_value("")
        dialog.locator("input[type=password]").fill(WIWIZ_USERKEY)
        self.shot("reauth-asks-for-the-key-only")
        self.submit()
        expect(dialog.get_by_text("Re-authentication was successful")).to_be_visible()
        self.shot("reauth-done")
        self.close_dialog()
        self.world.until(lambda: self.world.entry("Wiwiz")["state"] == "loaded")
        assert self.world.reauth_flows() == []

    def open_device(self, identifier: str) -> dict[str, Any]:
        """A device's page."""
        from playwright.sync_api import expect

        device = self.world.device(identifier)
        assert device is not None
        self.goto(f"/config/devices/device/{device['id']}")
        expect(self.page.get_by_text("Device info")).to_be_visible()
        return device

    def see_guest_triggers(self) -> None:
        """Item 6: the hotspot's own triggers in the automation editor."""
        from playwright.sync_api import expect

        page = self.page
        self.open_device("wiwiz_WZ0001")
        expect(page.get_by_text("Serial number: WZ0001")).to_be_visible()
        page.get_by_text("Add to").first.click()
        page.get_by_text("Create as a new trigger").click()
        page.get_by_placeholder("Search").fill("device")
        page.get_by_text("Triggers when something happens to a device").click()
        page.get_by_text("Select a device").click()
        page.get_by_role("option", name="Garden").first.click()
        page.get_by_text("Trigger", exact=True).last.click()
        expect(page.get_by_role("option", name="Guest connected")).to_be_visible()
        expect(page.get_by_role("option", name="Guest disconnected")).to_be_visible()
        self.shot("device-triggers")
        page.get_by_role("option", name="Guest connected").click()
        expect(page.get_by_text("Only this guest's MAC address")).to_be_visible()
        self.shot("guest-connected-trigger")

    def guest_arrives(self) -> str:
        """Item 6: the logbook in the owner's words. Returns the guest's MAC."""
        from playwright.sync_api import expect

        page = self.page
        arrived = self.world.admin(
            "POST", "arrive", {"vendor": "wiwiz", "hotspot_id": "WZ0001"}
        )
        mac = str(arrived["mac"]).lower().replace("-", ":")
        self.world.poll("wiwiz_WZ0001")
        # One line per guest event: the hotspot's Guest activity entity's
        # (the page reads the past, so it is opened once the line is there).
        activity = {
            state["entity_id"]
            for state in self.world.ha("GET", "/api/states")
            if state["entity_id"].startswith("event.")
            and state["attributes"].get("friendly_name") == "Garden Guest activity"
        }
        self.world.until(
            lambda: any(
                e.get("entity_id") in activity
                and e.get("attributes", {}).get("event_type") == "connected"
                for e in self.world.ha("GET", "/api/logbook")
            )
        )
        self.goto("/logbook")
        # 2026.11's logbook: "<time> Guest activity→Connected Garden".
        line = page.get_by_role("button", name="Guest activity→Connected Garden")
        expect(line.first).to_be_visible()
        self.shot("logbook-guest-connected")
        # Issue 17 item 5: the activity entity says which guest, and no ids of ours.
        [state] = [
            s for s in self.world.ha("GET", "/api/states") if s["entity_id"] in activity
        ]
        attributes = state["attributes"]
        assert "entry_id" not in attributes, attributes
        assert "vendor" not in attributes, attributes
        assert attributes["guest"] in (mac, f"{attributes.get('username')} ({mac})")
        line.first.click()
        expect(page.get_by_text("Activity details")).to_be_visible()
        page.locator("dialog-logbook-detail").get_by_text(
            "Guest activity"
        ).first.click()
        more_info = page.locator("ha-more-info-dialog")
        more_info.get_by_role(
            "button", name=re.compile("menu", re.IGNORECASE)
        ).last.click()
        page.get_by_role("menuitem", name="Details").filter(visible=True).click()
        guest = more_info.locator("ha-list-item-value").filter(
            has=page.get_by_text("Guest", exact=True)
        )
        expect(guest.first).to_contain_text(mac)
        expect(more_info.get_by_text("Entry ID", exact=True)).to_have_count(0)
        self.shot("guest-activity-says-which-guest")
        page.keyboard.press("Escape")
        return mac

    def entity_status(self, *ticks: str) -> None:
        """Tick or untick entries of the entities page's Status filter."""
        status = self.page.locator("ha-filter-states")
        for tick in ticks:
            status.get_by_text(tick, exact=True).click()

    def follow_a_guest(self, mac: str) -> None:
        """Item 7: a guest's tracker, named after the guest, at a named hotspot.

        Trackers are made disabled, as core has it: the owner finds one among
        the disabled entities, enables it, and reads it once Home Assistant
        has reloaded the entry (30 s after the change, as it tells the owner).
        """
        from playwright.sync_api import expect

        page = self.page
        dialog = page.locator("ha-more-info-dialog")
        self.world.until(lambda: self.world.tracker(mac) is not None)
        tracker = self.world.tracker(mac)
        assert tracker is not None
        assert tracker["disabled_by"] == "integration", tracker
        name = tracker["original_name"]
        # Named after the guest: the vendor's username, else "Guest" and the MAC.
        assert name == f"Guest {mac}" or mac not in name, name
        self.goto("/config/entities")
        page.get_by_role("button", name="Filters").click()
        page.locator("ha-filter-states").get_by_text("Status").click()
        self.entity_status("Enabled", "Disabled")
        search = page.get_by_placeholder(re.compile("^Search")).filter(visible=True)
        search.first.fill(name)
        row = page.get_by_text(name, exact=True)
        expect(row).to_be_visible()
        expect(page.get_by_text("Guest Wi-Fi", exact=True).first).to_be_visible()
        self.shot("guest-tracker-found-disabled")
        row.click()
        expect(dialog.get_by_text("This entity is disabled.")).to_be_visible()
        dialog.get_by_role("button", name="Settings").click()
        expect(dialog.get_by_role("textbox", name="Name", exact=True)).to_have_value(
            name
        )
        enabled = dialog.locator("ha-row-item").filter(
            has_text="Disabled entities will not be added"
        )
        expect(enabled.get_by_role("switch")).not_to_be_checked()
        enabled.locator("ha-switch").click()
        expect(enabled.get_by_role("switch")).to_be_checked()
        self.shot("guest-tracker-enabled")
        dialog.get_by_role("button", name="Update").click()
        notice = page.get_by_text("will be added to Home Assistant in 30 seconds")
        expect(notice).to_be_visible()
        self.shot("guest-tracker-added-in-30-seconds")
        page.get_by_role("button", name="OK").click()
        entity_id = tracker["entity_id"]
        self.world.until(
            lambda: (
                "hotspot" in (self.world.state(entity_id) or {}).get("attributes", {})
            ),
            patience=120,
        )
        state = self.world.state(entity_id)
        assert state is not None
        attributes = state["attributes"]
        assert attributes["friendly_name"] == name
        assert attributes["hotspot"] == "Garden", attributes
        assert attributes["hotspot_id"] == "WZ0001", attributes
        # Who and where: "lucas2 (Garden)", or "Guest" and the MAC.
        named = f"{attributes['username']} ({attributes['hotspot']})"
        assert name in (f"Guest {mac}", named), attributes
        # Back to the entities the owner usually sees: the enabled ones.
        self.entity_status("Disabled", "Enabled")
        expect(row).to_be_visible()
        row.click()
        expect(dialog.get_by_text(name, exact=True).first).to_be_visible()
        expect(dialog.get_by_text("This entity is disabled.")).to_have_count(0)
        expect(dialog.get_by_text("Home", exact=True).first).to_be_visible()
        self.shot("guest-tracker-more-info")
        dialog.get_by_role(
            "button", name=re.compile("menu", re.IGNORECASE)
        ).last.click()
        page.get_by_role("menuitem", name="Details").filter(visible=True).click()
        rows = dialog.locator("ha-list-item-value")

        def value(label: str) -> Any:
            return rows.filter(has=page.get_by_text(label, exact=True))

        expect(value("Friendly name")).to_contain_text(name)
        expect(value("Hotspot")).to_contain_text("Garden")
        expect(value("Hotspot ID")).to_contain_text("WZ0001")
        expect(value("MAC")).to_contain_text(mac)
        self.shot("guest-tracker-at-the-garden")

    def see_guest_triggers_by_target(self) -> None:
        """Issue 17 item 3: *Add trigger → By target → a hotspot* lists both."""
        from playwright.sync_api import expect

        page = self.page
        self.goto("/config/automation/edit/new")
        page.get_by_role("button", name="Add trigger").first.click()
        expect(page.get_by_text("By target", exact=True)).to_be_visible()
        # Hotspots are in no area: under Unassigned → Devices.
        devices = page.get_by_role("treeitem", name="Devices").first
        devices.click()
        devices.press("ArrowRight")
        page.get_by_role("treeitem", name="Garden").first.click()
        connected = page.get_by_role("listitem").filter(has_text="Guest connected")
        expect(connected.first).to_be_visible()
        expect(
            page.get_by_role("listitem").filter(has_text="Guest disconnected").first
        ).to_be_visible()
        self.shot("triggers-by-target")
        connected.first.click()
        expect(page.get_by_text("Only this guest's MAC address")).to_be_visible()
        expect(
            page.get_by_text(
                "Triggers when a guest connects to one of the hotspots."
            ).first
        ).to_be_visible()
        self.shot("guest-connected-by-target")

    def see_the_hotspots_on_the_overview(self) -> None:
        """Item 4: the default Overview's *Devices* lists each hotspot's figures."""
        from playwright.sync_api import expect

        page = self.page
        self.goto("/")
        tile = page.locator("ha-tile-container").filter(has_text="Devices")
        expect(tile.first).to_be_visible()
        self.shot("overview")
        tile.first.click()
        expect(page.get_by_text("Garden", exact=True).first).to_be_visible()
        expect(page.get_by_text("Online guests").first).to_be_visible()
        expect(page.get_by_text("Guests today").first).to_be_visible()
        self.shot("overview-devices")

    def import_the_dashboard(self) -> None:
        """Item 4: the README's dashboard, pasted as it is, finds every hotspot.

        Pasted through the API the raw configuration editor saves with.
        """
        from playwright.sync_api import expect

        config = yaml.safe_load((ROOT / "dashboards" / "guest_wifi.yaml").read_text())
        self.world.ws(
            {
                "type": "lovelace/dashboards/create",
                "url_path": "guest-wifi",
                "title": "Guest Wi-Fi",
                "icon": "mdi:wifi",
                "show_in_sidebar": True,
                "require_admin": False,
                "mode": "storage",
            }
        )
        self.world.ws(
            {"type": "lovelace/config/save", "url_path": "guest-wifi", "config": config}
        )
        self.goto("/guest-wifi/guest-wifi")
        table = self.page.locator("ha-markdown")
        expect(table.get_by_text("Garden", exact=True)).to_be_visible()
        expect(table.get_by_text("Guests today", exact=True)).to_be_visible()
        self.shot("dashboard")

    def use_the_daily_report(self) -> None:
        """Item 8: the README's import address; the daily report asks for a hotspot once.

        The blueprint is then saved as *Import blueprint* saves what it
        fetched: the demo has no Internet to fetch it from GitHub.
        """
        from playwright.sync_api import expect

        page = self.page
        path = "guest_wifi/daily_guest_report.yaml"
        text = (ROOT / "blueprints" / "automation" / path).read_text("utf-8")
        [source] = re.findall(r"source_url: (\S+)", text)
        self.goto("/config/blueprint/dashboard")
        # What the README's button opens: the address filled in, to fetch.
        page.get_by_role("button", name="Import blueprint").click()
        address = page.get_by_role("textbox").filter(visible=True).last
        address.fill(source)
        expect(page.get_by_role("button", name="Preview")).to_be_enabled()
        self.shot("import-blueprint-dialog")
        page.get_by_role("button", name="Cancel").click()
        self.world.ws(
            {
                "type": "blueprint/save",
                "domain": "automation",
                "path": path,
                "yaml": text,
                "source_url": source,
            }
        )
        self.goto("/config/blueprint/dashboard")
        row = page.get_by_text(re.compile("daily guest report")).first
        expect(row).to_be_visible()
        row.click()
        expect(page.get_by_text("The hotspot to report on.")).to_be_visible()
        expect(page.get_by_text("Report on", exact=True)).to_be_visible()
        expect(page.get_by_text("Online guests sensor")).to_have_count(0)
        page.get_by_text("Select a device").click()
        expect(page.get_by_role("option", name="Garden").first).to_be_visible()
        # Hotspots only: the accounts have no guests to report on.
        expect(page.get_by_role("option", name="My Wi-Fi Service")).to_have_count(0)
        self.shot("daily-report-picks-the-hotspot-once")
