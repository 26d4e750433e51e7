"""Integration triggers: a guest connected to, or left, the hotspots targeted.

Home Assistant lists an integration's triggers under *Add trigger → By
target* when an entity of the picked target matches the trigger's target in
triggers.yaml: here a hotspot's *Guest activity* event entity, so picking a
hotspot (or its area, floor or label) offers both. They listen to the same
bus events as the device triggers (device_trigger.py), which stay for the
automations made with them.

Every release this integration supports (2026.6 on) loads integration
triggers; from 2026.10 core also passes a reporter for runs that did not
fire, which these triggers do not use.
"""

from __future__ import annotations

from inspect import isawaitable
from typing import Any, override

from homeassistant.const import CONF_OPTIONS, CONF_TARGET
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.target import (
    TargetEntityChangeTracker,
    TargetSelection,
    async_extract_referenced_entity_ids,
)
from homeassistant.helpers.trigger import Trigger, TriggerActionRunner, TriggerConfig
from homeassistant.helpers.typing import ConfigType
import voluptuous as vol

from .device_trigger import CONF_MAC, TRIGGER_EVENTS, guest_mac
from .devices import hotspot_anywhere

_DESCRIPTIONS = {"guest_connected": "connected to", "guest_disconnected": "left"}


def _optional_mac(value: Any) -> str | None:
    """A MAC, or nothing when the field was left empty."""
    if value is None or not str(value).strip():
        return None
    return guest_mac(value)


_CONFIG_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_TARGET, msg="Pick the hotspots as the target"): dict,
        vol.Optional(CONF_OPTIONS, default={}): vol.Any(
            None, {vol.Optional(CONF_MAC): _optional_mac}
        ),
    }
)


def _targeted_hotspots(
    hass: HomeAssistant, target: TargetSelection
) -> dict[tuple[str, str], str]:
    """(entry id, hotspot id) to device id of the hotspots the target holds now.

    A device that is no hotspot of ours is passed over.
    """
    selected = async_extract_referenced_entity_ids(hass, target)
    device_ids = set(selected.referenced_devices)
    entities = er.async_get(hass)
    for entity_id in selected.referenced | selected.indirectly_referenced:
        if (entity := entities.async_get(entity_id)) and entity.device_id:
            device_ids.add(entity.device_id)
    return {
        hotspot: device_id
        for device_id in device_ids
        if (hotspot := hotspot_anywhere(hass, device_id)) is not None
    }


class _TargetedHotspots(TargetEntityChangeTracker):
    """The hotspots a target holds, read again when the registries change.

    Core's tracker follows what can change a target (entities, devices,
    areas): a hotspot moved into a targeted area later is covered, and
    nothing is looked up per guest event. The hotspots are read from the
    target's devices too, not only from the entities core tracks: a
    targeted hotspot whose activity entity is hidden still counts.
    """

    def __init__(self, hass: HomeAssistant, target: dict[str, Any]) -> None:
        """Nothing read yet: `async_setup` reads the target."""
        super().__init__(hass, TargetSelection(target), lambda ids: ids)
        self.hotspots: dict[tuple[str, str], str] = {}

    @callback
    @override
    def _handle_entities_update(self, tracked_entities: set[str]) -> None:
        self.hotspots = _targeted_hotspots(self._hass, self._target_selection)


class _GuestTrigger(Trigger):
    """A guest event on one of the targeted hotspots, optionally one guest's."""

    _type: str

    @classmethod
    @override
    async def async_validate_config(
        cls, hass: HomeAssistant, config: ConfigType
    ) -> ConfigType:
        """A target; optionally a MAC, kept in Home Assistant's form."""
        config = _CONFIG_SCHEMA(config)
        options = {k: v for k, v in (config[CONF_OPTIONS] or {}).items() if v}
        return {**config, CONF_OPTIONS: options}

    def __init__(self, hass: HomeAssistant, config: TriggerConfig) -> None:
        """Keep the target and the guest asked for."""
        super().__init__(hass, config)
        # Validation made the target required.
        self._target: dict[str, Any] = config.target or {}
        self._mac: str | None = (config.options or {}).get(CONF_MAC)

    @override
    async def async_attach_runner(
        self, run_action: TriggerActionRunner, *_reporter: Any
    ) -> CALLBACK_TYPE:
        """Listen to the guest events of the targeted hotspots."""

        @callback
        def wanted(data: dict[str, Any]) -> bool:
            return self._mac is None or data.get(CONF_MAC) == self._mac

        targeted = _TargetedHotspots(self._hass, self._target)
        started: Any = targeted.async_setup()
        # A coroutine from Home Assistant 2026.10; the unsubscriber before.
        stop_tracking: CALLBACK_TYPE = (
            await started if isawaitable(started) else started
        )

        @callback
        def on_guest(event: Event[dict[str, Any]]) -> None:
            data = event.data
            hotspot = (data["entry_id"], data["hotspot_id"])
            if (device_id := targeted.hotspots.get(hotspot)) is None:
                return
            description = (
                f"guest {data[CONF_MAC]} {_DESCRIPTIONS[self._type]} "
                f"{data['hotspot_name']}"
            )
            run_action(
                {"device_id": device_id, "event": event}, description, event.context
            )

        stop_listening = self._hass.bus.async_listen(
            TRIGGER_EVENTS[self._type], on_guest, event_filter=wanted
        )

        @callback
        def detach() -> None:
            stop_listening()
            stop_tracking()

        return detach


class GuestConnectedTrigger(_GuestTrigger):
    """A guest connected to a targeted hotspot."""

    _type = "guest_connected"


class GuestDisconnectedTrigger(_GuestTrigger):
    """A guest left a targeted hotspot."""

    _type = "guest_disconnected"


TRIGGERS: dict[str, type[Trigger]] = {
    "guest_connected": GuestConnectedTrigger,
    "guest_disconnected": GuestDisconnectedTrigger,
}


async def async_get_triggers(hass: HomeAssistant) -> dict[str, type[Trigger]]:
    """The triggers of Guest Wi-Fi."""
    return TRIGGERS
