"""The base of every Guest Wi-Fi entity: one device per hotspot."""

from __future__ import annotations

from typing import Any

from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .coordinator import GuestWifiCoordinator
from .data import GuestWifiConfigEntry
from .devices import hotspot_identifier
from .identity import account_device, via_account
from .vendors import vendor_of


def hotspot_device(entry: GuestWifiConfigEntry, hotspot_id: str) -> DeviceInfo:
    """The device of one hotspot: its vendor's model, its id, its account."""
    vendor = vendor_of(entry)
    return DeviceInfo(
        identifiers={hotspot_identifier(vendor.key, hotspot_id)},
        name=entry.runtime_data.hotspots.get(hotspot_id, hotspot_id),
        manufacturer=vendor.name,
        model=vendor.hotspot_model,
        serial_number=hotspot_id,
        **via_account(entry),
    )


class GuestWifiEntity(CoordinatorEntity[GuestWifiCoordinator[Any]]):
    """An entity fed by one coordinator, on a hotspot or the account device."""

    _attr_has_entity_name = True

    def __init__(
        self,
        coordinator: GuestWifiCoordinator[Any],
        key: str,
        hotspot_id: str | None,
    ) -> None:
        """Attach to the hotspot's device, or to the account's when None."""
        super().__init__(coordinator)
        entry = coordinator.config_entry
        self.hotspot_id = hotspot_id
        if hotspot_id is None:
            self._attr_device_info = account_device(entry)
            self._attr_unique_id = f"{entry.entry_id}_{key}"
        else:
            self._attr_device_info = hotspot_device(entry, hotspot_id)
            self._attr_unique_id = f"{entry.entry_id}_{hotspot_id}_{key}"
