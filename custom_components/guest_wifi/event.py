"""Guest activity per hotspot: connected and disconnected."""

from __future__ import annotations

from typing import Any

from homeassistant.components.event import EventEntity
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .data import GuestWifiConfigEntry
from .entity import hotspot_device
from .guests import GuestPresence
from .identity import activity_attributes
from .vendors import guests_of

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: GuestWifiConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One activity entity per hotspot, for vendors that report guests."""
    if (runtime := guests_of(entry)) is None:
        return
    async_add_entities(
        GuestActivityEvent(entry, runtime.presence, hotspot_id)
        for hotspot_id in runtime.hotspots
    )


class GuestActivityEvent(EventEntity):
    """Fires when a guest connects to or leaves the hotspot."""

    _attr_has_entity_name = True
    _attr_should_poll = False
    _attr_translation_key = "guest_activity"
    _attr_event_types = ["connected", "disconnected"]  # noqa: RUF012

    def __init__(
        self,
        entry: GuestWifiConfigEntry,
        presence: GuestPresence,
        hotspot_id: str,
    ) -> None:
        """Attach to the hotspot's device."""
        self._presence = presence
        self._hotspot_id = hotspot_id
        self._attr_unique_id = f"{entry.entry_id}_{hotspot_id}_guest_activity"
        self._attr_device_info = hotspot_device(entry, hotspot_id)

    async def async_added_to_hass(self) -> None:
        """Listen to the hotspot's sessions."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self._presence.async_on_activity(self._hotspot_id, self._on_activity)
        )

    @callback
    def _on_activity(self, event_type: str, data: dict[str, Any]) -> None:
        self._trigger_event(event_type, activity_attributes(data))
        self.async_write_ha_state()
