"""Bring a fresh Home Assistant to a working demo, through its own HTTP API.

Onboards a demo user, then adds one Guest Wi-Fi entry per vendor with the
real config flows (My Wi-Fi through the simulator's sign-in page), exactly as
a person clicking through the UI would. Used by `scripts/develop` and the
end-to-end test. Run: `python -m simulator.demo --ha URL --simulator URL`.
"""

from __future__ import annotations

import argparse
import asyncio
from dataclasses import dataclass
from pathlib import Path
import re
import sys
import time
from typing import Any

import aiohttp
from yarl import URL

from . import MYWIFI_LOGIN, MYWIFI_PASSWORD, SMARTWIFI_TOKEN, WIWIZ_USERKEY

DEMO_USER = "demo"
DEMO_PASSWORD = "demo-password"  # noqa: S105 - a local demo's login, printed on purpose
DOMAIN = "guest_wifi"


class DemoError(Exception):
    """A step of the demo set-up did not go as Home Assistant should answer."""


@dataclass
class HomeAssistantApi:
    """Just enough of Home Assistant's HTTP API, as its frontend uses it."""

    session: aiohttp.ClientSession
    url: str
    token: str | None = None

    @property
    def client_id(self) -> str:
        """The frontend's OAuth2 client id is its own address."""
        return f"{self.url}/"

    def _headers(self) -> dict[str, str]:
        headers = {"HA-Frontend-Base": self.url}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    async def call(self, method: str, path: str, payload: Any = None) -> Any:
        """One JSON request; raise DemoError on an unexpected answer."""
        async with self.session.request(
            method, f"{self.url}{path}", json=payload, headers=self._headers()
        ) as resp:
            body = await resp.text()
            if resp.status >= 400:
                raise DemoError(f"{method} {path}: HTTP {resp.status} {body[:300]}")
            return await resp.json(content_type=None) if body else None

    async def wait_until_up(self, patience: float = 180) -> None:
        """Wait for the HTTP server (Home Assistant takes a while to start)."""
        deadline = time.monotonic() + patience
        while time.monotonic() < deadline:
            try:
                async with self.session.get(f"{self.url}/manifest.json") as resp:
                    if resp.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(1)
        raise DemoError(f"Home Assistant did not answer at {self.url}")

    async def onboarding_steps(self) -> list[dict[str, Any]]:
        """What onboarding still asks; none once done (2026.11 then answers 404)."""
        async with self.session.get(f"{self.url}/api/onboarding") as resp:
            if resp.status == 404:
                return []
            if resp.status != 200:
                raise DemoError(f"GET /api/onboarding: HTTP {resp.status}")
            return list(await resp.json())

    async def sign_in(self) -> None:
        """Onboard the demo user, or log in if onboarding is done."""
        steps = await self.onboarding_steps()
        if any(s["step"] == "user" and not s["done"] for s in steps):
            user = await self.call(
                "POST",
                "/api/onboarding/users",
                {
                    "client_id": self.client_id,
                    "name": "Demo",
                    "username": DEMO_USER,
                    "password": DEMO_PASSWORD,
                    "language": "en",
                },
            )
            code = user["auth_code"]
        else:
            code = await self._login()
        async with self.session.post(
            f"{self.url}/auth/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "client_id": self.client_id,
            },
        ) as resp:
            if resp.status != 200:
                raise DemoError(f"/auth/token: HTTP {resp.status}")
            self.token = (await resp.json())["access_token"]
        for step, payload in (
            ("core_config", {}),
            ("analytics", {}),
            ("integration", {"client_id": self.client_id, "redirect_uri": self.url}),
        ):
            if any(s["step"] == step and not s["done"] for s in steps):
                await self.call("POST", f"/api/onboarding/{step}", payload)

    async def _login(self) -> str:
        flow = await self.call(
            "POST",
            "/auth/login_flow",
            {
                "client_id": self.client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": self.url,
            },
        )
        result = await self.call(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            {
                "client_id": self.client_id,
                "username": DEMO_USER,
                "password": DEMO_PASSWORD,
            },
        )
        if result.get("type") != "create_entry":
            raise DemoError(f"Login refused: {result.get('errors')}")
        return str(result["result"])

    async def flow(self, step: dict[str, Any], user_input: dict[str, Any]) -> Any:
        """Answer one step of a config flow."""
        return await self.call(
            "POST", f"/api/config/config_entries/flow/{step['flow_id']}", user_input
        )

    async def command(self, message: dict[str, Any]) -> dict[str, Any]:
        """One websocket command, as the frontend sends it; its whole answer."""
        ws_url = URL(self.url).with_scheme(
            "wss" if self.url.startswith("https") else "ws"
        )
        async with self.session.ws_connect(ws_url.with_path("/api/websocket")) as ws:
            await ws.receive_json()  # auth_required
            await ws.send_json({"type": "auth", "access_token": self.token})
            if (await ws.receive_json()).get("type") != "auth_ok":
                raise DemoError("The websocket refused the demo user's token")
            await ws.send_json({"id": 1, **message})
            return dict(await ws.receive_json())

    async def entries(self) -> list[dict[str, Any]]:
        """The Guest Wi-Fi entries."""
        entries = await self.call(
            "GET", f"/api/config/config_entries/entry?domain={DOMAIN}"
        )
        return [e for e in entries if e["domain"] == DOMAIN]


def _expect(result: dict[str, Any], kind: str, what: str) -> dict[str, Any]:
    if result.get("type") != kind:
        raise DemoError(f"{what}: expected {kind}, got {result}")
    return result


async def _start(ha: HomeAssistantApi, vendor: str) -> dict[str, Any]:
    menu = await ha.call(
        "POST",
        "/api/config/config_entries/flow",
        {"handler": DOMAIN},
    )
    _expect(menu, "menu", "vendor menu")
    return dict(await ha.flow(menu, {"next_step_id": vendor}))


async def add_wiwiz(
    ha: HomeAssistantApi, simulator: str, state: dict[str, Any]
) -> None:
    """The Wiwiz account, pointed at the simulator (advanced field), its hotspots named."""
    form = _expect(await _start(ha, "wiwiz"), "form", "wiwiz form")
    hotspots = state["hotspots"]["wiwiz"]
    names = await ha.flow(
        form,
        {
            "userkey": WIWIZ_USERKEY,
            "hotspot_ids": [h["id"] for h in hotspots],
            "advanced": {"base_url": f"{simulator}/as/qapi/"},
        },
    )
    _expect(names, "form", "wiwiz hotspot names")
    result = await ha.flow(names, {h["id"]: h.get("name") or h["id"] for h in hotspots})
    _expect(result, "create_entry", "wiwiz entry")
    await track_every_guest(ha, result["result"]["entry_id"])


async def add_smartwifi(ha: HomeAssistantApi, simulator: str) -> None:
    """The SmartWiFi account, in a custom environment: the simulator."""
    form = _expect(await _start(ha, "smartwifi"), "form", "smartwifi form")
    pick = await ha.flow(
        form,
        {"api_token": SMARTWIFI_TOKEN, "environment": "custom", "host": simulator},
    )
    _expect(pick, "form", "hotspot choice")
    every = [o[0] if isinstance(o, list) else o["value"] for o in _options(pick)]
    result = await ha.flow(pick, {"hotspots": every})
    _expect(result, "create_entry", "smartwifi entry")
    await track_every_guest(ha, result["result"]["entry_id"])


async def track_every_guest(ha: HomeAssistantApi, entry_id: str) -> None:
    """A tracker for every guest, not only returning ones: a demo's guests are new."""
    options = await ha.call(
        "POST", "/api/config/config_entries/options/flow", {"handler": entry_id}
    )
    done = await ha.call(
        "POST",
        f"/api/config/config_entries/options/flow/{options['flow_id']}",
        {
            "track_guests": "all",
            "consider_home": 180,
            "forget_after_days": 30,
            "expose_contact_details": False,
        },
    )
    _expect(done, "create_entry", "guest tracking options")


def _options(form: dict[str, Any]) -> list[Any]:
    for field in form["data_schema"]:
        if field["name"] == "hotspots":
            return list(field["selector"]["select"]["options"])
    raise DemoError("The hotspot step offers no hotspots")


async def add_mywifi(ha: HomeAssistantApi, simulator: str) -> None:
    """My Wi-Fi through the simulator's sign-in page, then its API address."""
    step = await _start(ha, "mywifi")
    if step.get("type") == "form" and step.get("step_id") == "pick_implementation":
        step = await ha.flow(step, {"implementation": "guest_wifi_simulator"})
    step = await _sign_in_at_vendor(ha, step)
    result = _expect(step, "create_entry", "My Wi-Fi entry")
    entry_id = result["result"]["entry_id"]
    options = await ha.call(
        "POST",
        "/api/config/config_entries/options/flow",
        {"handler": entry_id},
    )
    done = await ha.call(
        "POST",
        f"/api/config/config_entries/options/flow/{options['flow_id']}",
        {"advanced": {"base_url": f"{simulator}/v1/"}},
    )
    _expect(done, "create_entry", "My Wi-Fi options")


async def reauth_mywifi(ha: HomeAssistantApi) -> None:
    """Sign in again when Home Assistant asks (a new simulator knows no tokens)."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        states = {e["title"]: e["state"] for e in await ha.entries()}
        if states.get("My Wi-Fi Service") == "loaded":
            return
        answer = await ha.command({"type": "config_entries/flow/progress"})
        for flow in answer.get("result") or []:
            if flow["handler"] == DOMAIN and flow["context"].get("source") == "reauth":
                step = await ha.call(
                    "GET", f"/api/config/config_entries/flow/{flow['flow_id']}"
                )
                if step.get("step_id") == "reauth_sign_in":
                    # The form saying why it asks: go on to the sign-in.
                    step = await ha.flow(step, {})
                if step.get("step_id") == "pick_implementation":
                    step = await ha.flow(
                        step, {"implementation": "guest_wifi_simulator"}
                    )
                result = await _sign_in_at_vendor(ha, step)
                _expect(result, "abort", "My Wi-Fi re-authentication")
                return
        await asyncio.sleep(1)


async def _sign_in_at_vendor(
    ha: HomeAssistantApi, step: dict[str, Any]
) -> dict[str, Any]:
    """The flow's external step: the simulator's sign-in page, then back."""
    step = _expect(step, "external", "My Wi-Fi sign-in")
    authorize = URL(step["url"])
    # What a person does on the vendor's page: type the login and submit.
    async with ha.session.get(authorize) as page:
        html = await page.text()
    fields = dict(re.findall(r'name="([^"]+)"\s+value="([^"]*)"', html))
    fields.update({"login": MYWIFI_LOGIN, "password": MYWIFI_PASSWORD})
    async with ha.session.post(
        authorize.with_query(None), data=fields, allow_redirects=False
    ) as resp:
        callback = resp.headers.get("Location")
    if not callback:
        raise DemoError("The simulator's sign-in did not redirect back")
    async with ha.session.get(callback) as resp:
        if resp.status != 200:
            raise DemoError(f"OAuth callback: HTTP {resp.status}")
    return dict(await ha.flow(step, {}))


FIRST_START_HTTP = """\
# Written by simulator/demo.py for Home Assistant's first start in this folder.
http:
  server_host: 127.0.0.1
  server_port: !env_var GUEST_WIFI_HA_PORT 8123
"""


def prepare_config(config: Path) -> None:
    """Give a first start its HTTP server settings, and later starts none.

    The file the automation editor saves into is made if missing.

    From 2026.11 Home Assistant keeps these in its storage: it moves YAML
    there once (as a trial the demo confirms) and then flags any YAML left.
    """
    # Where the automation editor saves (configuration.yaml includes it).
    automations = config / "automations.yaml"
    if not automations.exists():
        automations.write_text("[]\n", encoding="utf-8")
    packages = config / "packages"
    packages.mkdir(parents=True, exist_ok=True)
    first_start = not (config / ".storage" / "http").exists()
    http = packages / "http.yaml"
    if first_start:
        http.write_text(FIRST_START_HTTP, encoding="utf-8")
    else:
        http.unlink(missing_ok=True)


async def confirm_http_settings(ha: HomeAssistantApi) -> None:
    """Keep the settings of a first start (2026.11+ reverts them otherwise).

    No pending settings, or a release without them: nothing to keep. Home
    Assistant then asks, as a repair, to remove the YAML it has moved: the
    demo does so at the next start (prepare_config), so the request is
    answered and put aside rather than shown to the owner.
    """
    await ha.command({"type": "http/config/promote"})
    await ha.command(
        {
            "type": "repairs/ignore_issue",
            "domain": "http",
            "issue_id": "deprecated_yaml",
            "ignore": True,
        }
    )


# What onboarding adds by itself that cannot work in the demo: it runs
# without the Internet and installs no packages (`hass --skip-pip`).
ONBOARDING_NEEDS_THE_INTERNET = ("google_translate", "met", "radio_browser")


async def remove_what_cannot_work_here(ha: HomeAssistantApi) -> None:
    """Remove the entries onboarding made for integrations the demo cannot run.

    Onboarding starts their flows in the background: wait until each of
    them has tried, so a late one is not left to fail after the demo.
    """
    deadline = time.monotonic() + 30
    while True:
        entries = await ha.call("GET", "/api/config/config_entries/entry")
        ours = [
            e
            for e in entries
            if e["domain"] in ONBOARDING_NEEDS_THE_INTERNET
            and e["source"] == "onboarding"
        ]
        settled = all(
            e["state"] not in ("not_loaded", "setup_in_progress") for e in ours
        )
        if settled or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.5)
    for entry in ours:
        if entry["state"] != "loaded":
            await ha.call(
                "DELETE", f"/api/config/config_entries/entry/{entry['entry_id']}"
            )


async def set_up_demo(ha_url: str, simulator: str) -> str:
    """Onboard and add the three vendors; return the demo user's access token."""
    async with aiohttp.ClientSession() as session:
        ha = HomeAssistantApi(session, ha_url.rstrip("/"))
        await ha.wait_until_up()
        await ha.sign_in()
        await confirm_http_settings(ha)
        async with session.get(f"{simulator}/_admin/state") as resp:
            state = await resp.json()
        # Titles name the hotspots too: "Wiwiz (Lobby, Terrace, Bar)".
        present = {e["title"].partition(" (")[0] for e in await ha.entries()}
        if "Wiwiz" not in present:
            await add_wiwiz(ha, simulator, state)
        if "SmartWiFi" not in present:
            await add_smartwifi(ha, simulator)
        if "My Wi-Fi Service" not in present:
            await add_mywifi(ha, simulator)
        else:
            await reauth_mywifi(ha)
        await _wait_loaded(ha)
        await remove_what_cannot_work_here(ha)
        if ha.token is None:
            raise DemoError("Signed in without a token")
        return ha.token


async def _wait_loaded(ha: HomeAssistantApi, patience: float = 90) -> None:
    """Until every entry runs (My Wi-Fi retries until its new address is used)."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        entries = await ha.entries()
        if entries and all(e["state"] == "loaded" for e in entries):
            return
        await asyncio.sleep(1)
    states = {e["title"]: e["state"] for e in await ha.entries()}
    raise DemoError(f"Entries did not all load: {states}")


def main() -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ha", default="http://127.0.0.1:8123")
    parser.add_argument("--simulator", default="http://127.0.0.1:8300")
    parser.add_argument(
        "--prepare-config",
        type=Path,
        metavar="FOLDER",
        help="only write the first start's settings into a configuration folder",
    )
    args = parser.parse_args()
    if args.prepare_config:
        prepare_config(args.prepare_config)
        return 0
    try:
        asyncio.run(set_up_demo(args.ha, args.simulator.rstrip("/")))
    except DemoError as err:
        print(f"Demo set-up failed: {err}", file=sys.stderr)  # noqa: T201
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
