"""Device triggers on a hotspot: a guest connected, a guest disconnected.

They listen to the integration's own bus events for the hotspot's entry and
id, optionally for one guest's MAC.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.device_automation import DEVICE_TRIGGER_BASE_SCHEMA
from homeassistant.components.device_automation.exceptions import (
    InvalidDeviceAutomationConfig,
)
from homeassistant.components.homeassistant.triggers import event as event_trigger
from homeassistant.const import (
    CONF_DEVICE_ID,
    CONF_DOMAIN,
    CONF_EVENT_DATA,
    CONF_PLATFORM,
    CONF_TYPE,
)
from homeassistant.core import CALLBACK_TYPE, HomeAssistant
from homeassistant.helpers.trigger import TriggerActionType, TriggerInfo
from homeassistant.helpers.typing import ConfigType
import voluptuous as vol

from .api import normalized_mac
from .const import DOMAIN, EVENT_GUEST_CONNECTED, EVENT_GUEST_DISCONNECTED
from .devices import hotspot_anywhere

CONF_MAC = "mac"
TRIGGER_EVENTS = {
    "guest_connected": EVENT_GUEST_CONNECTED,
    "guest_disconnected": EVENT_GUEST_DISCONNECTED,
}


def guest_mac(value: Any) -> str:
    """A MAC in Home Assistant's form, as the events carry it (read as vendors' are)."""
    if (mac := normalized_mac(value)) is None:
        raise vol.Invalid("not a MAC address")
    return mac


TRIGGER_SCHEMA = DEVICE_TRIGGER_BASE_SCHEMA.extend(
    {
        vol.Required(CONF_TYPE): vol.In(TRIGGER_EVENTS),
        vol.Optional(CONF_MAC): guest_mac,
    }
)


async def async_get_triggers(
    hass: HomeAssistant, device_id: str
) -> list[dict[str, str]]:
    """A hotspot offers both triggers; other devices none."""
    if hotspot_anywhere(hass, device_id) is None:
        return []
    return [
        {
            CONF_PLATFORM: "device",
            CONF_DOMAIN: DOMAIN,
            CONF_DEVICE_ID: device_id,
            CONF_TYPE: trigger_type,
        }
        for trigger_type in TRIGGER_EVENTS
    ]


async def async_get_trigger_capabilities(
    hass: HomeAssistant, config: ConfigType
) -> dict[str, vol.Schema]:
    """Optionally, only one guest's MAC."""
    return {"extra_fields": vol.Schema({vol.Optional(CONF_MAC): str})}


async def async_attach_trigger(
    hass: HomeAssistant,
    config: ConfigType,
    action: TriggerActionType,
    trigger_info: TriggerInfo,
) -> CALLBACK_TYPE:
    """Listen to the hotspot's guest events."""
    if (hotspot := hotspot_anywhere(hass, config[CONF_DEVICE_ID])) is None:
        raise InvalidDeviceAutomationConfig(
            f"Device {config[CONF_DEVICE_ID]} is not a Guest Wi-Fi hotspot"
        )
    entry_id, hotspot_id = hotspot
    event_data = {"entry_id": entry_id, "hotspot_id": hotspot_id}
    if CONF_MAC in config:
        event_data[CONF_MAC] = config[CONF_MAC]
    event_config = event_trigger.TRIGGER_SCHEMA(
        {
            CONF_PLATFORM: "event",
            event_trigger.CONF_EVENT_TYPE: TRIGGER_EVENTS[config[CONF_TYPE]],
            CONF_EVENT_DATA: event_data,
        }
    )
    return await event_trigger.async_attach_trigger(
        hass, event_config, action, trigger_info, platform_type="device"
    )
