"""Diagnostics: entry, options and what the coordinators hold, secrets and PII redacted."""

from __future__ import annotations

from dataclasses import asdict, is_dataclass
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant

from .const import CONF_API_TOKEN, CONF_USERKEY
from .data import GuestsData, GuestWifiConfigEntry
from .history import history_progress
from .models import HotspotConnections, MyWifiAccount

TO_REDACT = {
    CONF_API_TOKEN,
    CONF_USERKEY,
    "token",
    "access_token",
    "refresh_token",
    "client_secret",
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
    return {
        "entry": async_redact_data(entry.as_dict(), TO_REDACT),
        "coordinators": {
            coordinator.name.removeprefix(f"{entry.title} "): {
                "last_update_success": coordinator.last_update_success,
                # Why its polls fail now (None: they do not), as logged.
                "failure": coordinator.failure,
                "update_interval": str(coordinator.update_interval),
                "data": async_redact_data(_plain(coordinator.data), TO_REDACT),
            }
            for coordinator in runtime.coordinators
        },
        "known_guests": (
            len(runtime.presence.seen) if isinstance(runtime, GuestsData) else None
        ),
        # The vendor's log as long-term statistics (None: not imported).
        "history": history_progress(hass, entry.entry_id),
    }
