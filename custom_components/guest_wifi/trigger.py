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

from typing import Any, override

from homeassistant.const import CONF_OPTIONS, CONF_TARGET
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.target import (
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
    hass: HomeAssistant, target: dict[str, Any]
) -> dict[tuple[str, str], str]:
    """(entry id, hotspot id) to device id of the hotspots the target holds now.

    Read at each guest event, so a hotspot moved into a targeted area later
    is covered; a device that is no hotspot of ours is passed over.
    """
    selected = async_extract_referenced_entity_ids(hass, TargetSelection(target))
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

        @callback
        def on_guest(event: Event[dict[str, Any]]) -> None:
            data = event.data
            hotspots = _targeted_hotspots(self._hass, self._target)
            device_id = hotspots.get((data["entry_id"], data["hotspot_id"]))
            if device_id is None:
                return
            description = (
                f"guest {data[CONF_MAC]} {_DESCRIPTIONS[self._type]} "
                f"{data['hotspot_name']}"
            )
            run_action(
                {"device_id": device_id, "event": event}, description, event.context
            )

        return self._hass.bus.async_listen(
            TRIGGER_EVENTS[self._type], on_guest, event_filter=wanted
        )


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
