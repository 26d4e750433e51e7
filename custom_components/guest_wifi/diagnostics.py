"""Diagnostics: entry, options and what the coordinators hold, secrets and PII redacted."""

from __future__ import annotations

from dataclasses import asdict, is_dataclass
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant

from .data import GuestWifiConfigEntry
from .history import history_progress
from .models import HotspotConnections, MyWifiAccount
from .vendors import guests_of, vendor_of

# Guests' and users' personal data, whatever the vendor; each vendor adds
# its own secrets (vendors.py).
PERSONAL = {
    "password",
    "email",
    "phone",
    "mobile",
    "mac",
    "ip",
    "username",
}


def _plain(value: Any) -> Any:
    if isinstance(value, HotspotConnections):
        # Guests are counted, never listed: their MACs are personal.
        return {
            "online": value.online,
            "trackable_guests": len(value.guests),
            "today": _plain(value.today),
        }
    if isinstance(value, MyWifiAccount):
        # Users are counted, never listed: their records are personal.
        return {
            "users": len(value.users),
            "disabled_users": sum(user.disabled for user in value.users.values()),
            "groups": {gid: group.name for gid, group in value.groups.items()},
            "rate_plans": {pid: plan.name for pid, plan in value.rate_plans.items()},
        }
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: GuestWifiConfigEntry
) -> dict[str, Any]:
    """What support needs to see, and nothing secret or personal."""
    runtime = entry.runtime_data
    to_redact = PERSONAL | vendor_of(entry).redact
    guests = guests_of(entry)
    return {
        "entry": async_redact_data(entry.as_dict(), to_redact),
        "coordinators": {
            coordinator.name.removeprefix(f"{entry.title} "): {
                "last_update_success": coordinator.last_update_success,
                # Why its polls fail now (None: they do not), as logged.
                "failure": coordinator.failure,
                "update_interval": str(coordinator.update_interval),
                "data": async_redact_data(_plain(coordinator.data), to_redact),
            }
            for coordinator in runtime.coordinators
        },
        "known_guests": None if guests is None else len(guests.presence.seen),
        # The vendor's log as long-term statistics (None: not imported).
        "history": history_progress(hass, entry.entry_id),
    }
