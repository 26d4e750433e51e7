"""The demo started again on the same folder: My Wi-Fi signs in again by itself.

A new simulator knows no tokens, so Home Assistant asks the My Wi-Fi entry
to re-authenticate; the demo answers the flow as a person would: past the
form that says why, the implementation, then the vendor's sign-in page.
"""

from __future__ import annotations

from typing import Any

import pytest

from simulator import demo

FLOW = "01REAUTH"


class FakeHomeAssistant:
    """Home Assistant's API as the demo sees it, with My Wi-Fi asking to sign in."""

    def __init__(self) -> None:
        """A re-authentication flow in progress, at its first step."""
        self.answered: list[tuple[str, dict[str, Any]]] = []

    async def entries(self) -> list[dict[str, Any]]:
        return [{"title": "My Wi-Fi Service", "state": "setup_error"}]

    async def command(self, message: dict[str, Any]) -> dict[str, Any]:
        assert message == {"type": "config_entries/flow/progress"}
        return {
            "result": [
                {
                    "handler": "guest_wifi",
                    "flow_id": FLOW,
                    "context": {"source": "reauth"},
                }
            ]
        }

    async def call(self, method: str, path: str) -> dict[str, Any]:
        assert (method, path) == ("GET", f"/api/config/config_entries/flow/{FLOW}")
        return {"type": "form", "flow_id": FLOW, "step_id": "reauth_sign_in"}

    async def flow(self, step: dict[str, Any], user_input: dict[str, Any]) -> Any:
        self.answered.append((step["step_id"], user_input))
        if step["step_id"] == "reauth_sign_in":
            return {"type": "form", "flow_id": FLOW, "step_id": "pick_implementation"}
        return {"type": "external", "flow_id": FLOW, "step_id": "auth", "url": "x"}


async def test_reauth_goes_past_the_form_that_says_why(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ha = FakeHomeAssistant()
    signed_in: list[dict[str, Any]] = []

    async def sign_in(_ha: Any, step: dict[str, Any]) -> dict[str, Any]:
        signed_in.append(step)
        return {"type": "abort", "reason": "reauth_successful"}

    monkeypatch.setattr(demo, "_sign_in_at_vendor", sign_in)

    await demo.reauth_mywifi(ha)  # type: ignore[arg-type]

    assert ha.answered == [
        ("reauth_sign_in", {}),
        ("pick_implementation", {"implementation": "guest_wifi_simulator"}),
    ]
    assert [step["type"] for step in signed_in] == ["external"]
