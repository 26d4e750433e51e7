"""Sensors: online guests, today's totals, WAN address, account figures."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import EntityCategory, UnitOfInformation
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import GuestWifiCoordinator
from .data import GuestsData, GuestWifiConfigEntry
from .entity import GuestWifiEntity
from .models import HotspotDay, MyWifiAccount
from .vendors import vendor_of

PARALLEL_UPDATES = 0

type Value = int | str | datetime | None


@dataclass(frozen=True, kw_only=True)
class GuestWifiSensorDescription(SensorEntityDescription):
    """A sensor: where its data comes from and how to read it."""

    # The data source it reads, asked only of vendors whose description
    # lists the sensor (vendors.py): they have it.
    coordinator_fn: Callable[[Any], GuestWifiCoordinator[Any]]
    # Reads the coordinator's data; gets the hotspot id (None on the account).
    value_fn: Callable[[Any, str | None], Value]
    attributes_fn: Callable[[Any], dict[str, Any]] | None = None
    per_hotspot: bool = True


def _today(runtime: GuestsData) -> GuestWifiCoordinator[Any]:
    """Each vendor that reports guests says where its figures of today come from."""
    return runtime.day


def _day(data: Any, hotspot_id: str | None) -> HotspotDay | None:
    hotspot = data.get(hotspot_id)
    if isinstance(hotspot, HotspotDay):
        return hotspot
    return getattr(hotspot, "today", None)


def _day_value(field: str) -> Callable[[Any, str | None], Value]:
    def value(data: Any, hotspot_id: str | None) -> Value:
        day = _day(data, hotspot_id)
        return None if day is None else getattr(day, field)

    return value


def _wan(field: str) -> Callable[[Any, str | None], Value]:
    def value(data: Any, hotspot_id: str | None) -> Value:
        wan = data.get(hotspot_id)
        return None if wan is None else getattr(wan, field)

    return value


def _users_by_group(account: MyWifiAccount) -> dict[str, Any]:
    """How many users each group has, by the group's name."""
    counts = Counter(user.group_id for user in account.users.values())
    return {
        "groups": {
            (group.name or str(group.id)): counts.get(group.id, 0)
            for group in account.groups.values()
        }
    }


def _data_today(key: str, field: str) -> GuestWifiSensorDescription:
    """Bytes moved today: statistics-friendly, shown in megabytes.

    To the hundredth: a quiet day's 46 kB reads 0.05 MB, not 0.0 MB.
    """
    return GuestWifiSensorDescription(
        key=key,
        translation_key=key,
        coordinator_fn=_today,
        value_fn=_day_value(field),
        device_class=SensorDeviceClass.DATA_SIZE,
        native_unit_of_measurement=UnitOfInformation.BYTES,
        suggested_unit_of_measurement=UnitOfInformation.MEGABYTES,
        suggested_display_precision=2,
        state_class=SensorStateClass.TOTAL_INCREASING,
    )


SENSORS: tuple[GuestWifiSensorDescription, ...] = (
    GuestWifiSensorDescription(
        key="online_guests",
        translation_key="online_guests",
        state_class=SensorStateClass.MEASUREMENT,
        coordinator_fn=lambda rt: rt.connections,
        value_fn=lambda data, h: data[h].online if h in data else None,
    ),
    GuestWifiSensorDescription(
        key="guests_today",
        translation_key="guests_today",
        state_class=SensorStateClass.TOTAL_INCREASING,
        coordinator_fn=_today,
        value_fn=_day_value("guests"),
    ),
    _data_today("download_today", "downloaded"),
    _data_today("upload_today", "uploaded"),
    GuestWifiSensorDescription(
        key="ad_views_today",
        translation_key="ad_views_today",
        state_class=SensorStateClass.TOTAL_INCREASING,
        coordinator_fn=lambda rt: rt.today,
        value_fn=_day_value("ad_views"),
    ),
    GuestWifiSensorDescription(
        key="ad_clicks_today",
        translation_key="ad_clicks_today",
        state_class=SensorStateClass.TOTAL_INCREASING,
        coordinator_fn=lambda rt: rt.today,
        value_fn=_day_value("ad_clicks"),
    ),
    GuestWifiSensorDescription(
        key="mobile_numbers_today",
        translation_key="mobile_numbers_today",
        state_class=SensorStateClass.TOTAL_INCREASING,
        coordinator_fn=lambda rt: rt.today,
        value_fn=_day_value("mobile_numbers"),
    ),
    GuestWifiSensorDescription(
        key="wan_ip",
        translation_key="wan_ip",
        entity_category=EntityCategory.DIAGNOSTIC,
        coordinator_fn=lambda rt: rt.wan_ip,
        value_fn=_wan("ip"),
    ),
    GuestWifiSensorDescription(
        key="wan_ip_updated",
        translation_key="wan_ip_updated",
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        coordinator_fn=lambda rt: rt.wan_ip,
        value_fn=_wan("updated_at"),
    ),
    GuestWifiSensorDescription(
        key="guests",
        translation_key="guests",
        state_class=SensorStateClass.MEASUREMENT,
        per_hotspot=False,
        coordinator_fn=lambda rt: rt.account,
        value_fn=lambda data, _: data.guests,
    ),
    GuestWifiSensorDescription(
        key="unsubscribed_guests",
        translation_key="unsubscribed_guests",
        state_class=SensorStateClass.MEASUREMENT,
        per_hotspot=False,
        coordinator_fn=lambda rt: rt.account,
        value_fn=lambda data, _: data.unsubscribed_guests,
    ),
    GuestWifiSensorDescription(
        key="active_guest_plans",
        translation_key="active_guest_plans",
        state_class=SensorStateClass.MEASUREMENT,
        per_hotspot=False,
        coordinator_fn=lambda rt: rt.account,
        value_fn=lambda data, _: data.active_guest_plans,
    ),
    GuestWifiSensorDescription(
        key="registered_users",
        translation_key="registered_users",
        state_class=SensorStateClass.MEASUREMENT,
        per_hotspot=False,
        coordinator_fn=lambda rt: rt.users,
        value_fn=lambda data, _: len(data.users),
        attributes_fn=_users_by_group,
    ),
    GuestWifiSensorDescription(
        key="disabled_users",
        translation_key="disabled_users",
        state_class=SensorStateClass.MEASUREMENT,
        per_hotspot=False,
        coordinator_fn=lambda rt: rt.users,
        value_fn=lambda data, _: sum(user.disabled for user in data.users.values()),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: GuestWifiConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create the sensors the entry's vendor offers data for."""
    runtime = entry.runtime_data
    offered = vendor_of(entry).sensors
    entities: list[GuestWifiSensor] = []
    for description in SENSORS:
        if description.key not in offered:
            continue
        coordinator = description.coordinator_fn(runtime)
        if description.per_hotspot:
            entities.extend(
                GuestWifiSensor(coordinator, description, hotspot_id)
                for hotspot_id in runtime.hotspots
            )
        else:
            entities.append(GuestWifiSensor(coordinator, description, None))
    async_add_entities(entities)


class GuestWifiSensor(GuestWifiEntity, SensorEntity):
    """A figure of a hotspot or of the account."""

    entity_description: GuestWifiSensorDescription

    def __init__(
        self,
        coordinator: GuestWifiCoordinator[Any],
        description: GuestWifiSensorDescription,
        hotspot_id: str | None,
    ) -> None:
        """Describe the sensor."""
        super().__init__(coordinator, description.key, hotspot_id)
        self.entity_description = description
        # What the state machine shows: a poll that changes none of it
        # writes nothing (one poll changes a few of a big venue's sensors).
        self._shown: tuple[Any, ...] | None = None

    def _showing(self) -> tuple[Any, ...]:
        return (self.available, self.native_value, self.extra_state_attributes)

    async def async_added_to_hass(self) -> None:
        """Note what the first write will show."""
        await super().async_added_to_hass()
        self._shown = self._showing()

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write the state only when what it shows changed."""
        showing = self._showing()
        if showing == self._shown:
            return
        self._shown = showing
        super()._handle_coordinator_update()

    @property
    def native_value(self) -> Value:
        """Read the figure from the last poll."""
        return self.entity_description.value_fn(self.coordinator.data, self.hotspot_id)

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Breakdowns that help the user (users per group)."""
        if (attributes := self.entity_description.attributes_fn) is None:
            return None
        return attributes(self.coordinator.data)
