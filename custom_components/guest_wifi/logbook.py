"""The logbook in the owner's words: "Guest Anna's iPhone (aa:bb:…) connected to Lobby"."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from homeassistant.components.logbook.const import (
    LOGBOOK_ENTRY_MESSAGE,
    LOGBOOK_ENTRY_NAME,
)
from homeassistant.core import Event, HomeAssistant, callback

from .const import DOMAIN, EVENT_GUEST_CONNECTED, EVENT_GUEST_DISCONNECTED


def guest_label(data: Mapping[str, Any]) -> str:
    """A guest as the owner knows them: their name when the vendor gives one."""
    mac = data.get("mac") or "?"
    if username := data.get("username"):
        return f"Guest {username} ({mac})"
    return f"Guest {mac}"


@callback
def async_describe_events(
    hass: HomeAssistant,
    async_describe_event: Callable[[str, str, Callable[[Event], dict[str, str]]], None],
) -> None:
    """Describe a guest's arrival and departure."""

    def describe(verb: str) -> Callable[[Event], dict[str, str]]:
        @callback
        def description(event: Event) -> dict[str, str]:
            where = event.data.get("hotspot_name") or event.data.get("hotspot_id")
            return {
                LOGBOOK_ENTRY_NAME: guest_label(event.data),
                LOGBOOK_ENTRY_MESSAGE: f"{verb} {where}",
            }

        return description

    async_describe_event(DOMAIN, EVENT_GUEST_CONNECTED, describe("connected to"))
    async_describe_event(
        DOMAIN, EVENT_GUEST_DISCONNECTED, describe("disconnected from")
    )
