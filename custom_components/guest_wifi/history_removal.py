"""An entry's history when the entry is removed: kept, and offered for deletion.

Core's importers (opower, tibber, elvia) keep their statistics when their
entry is removed, and an entry added again carries them on (the ids are the
vendor's); ista_ecotrend deletes them. Here the owner chooses: a repair says
the history was kept, and fixing it deletes it (repairs.py).
"""

from __future__ import annotations

from functools import partial

from homeassistant.components.recorder.statistics import get_metadata
from homeassistant.core import HomeAssistant
from homeassistant.helpers.recorder import get_instance

from .data import GuestWifiConfigEntry
from .devices import entry_hotspots
from .history_log import account_place, statistic_id
from .issues import async_history_kept
from .vendors import vendor_of


def entry_statistic_ids(entry: GuestWifiConfigEntry) -> list[str]:
    """Every statistic an entry imports, from its data alone (no runtime)."""
    vendor = vendor_of(entry)
    places = entry_hotspots(entry) or [account_place(entry)]
    return [
        statistic_id(vendor.key, place, kind)
        for place in places
        for kind in vendor.statistics
    ]


async def async_history_removed(
    hass: HomeAssistant, entry: GuestWifiConfigEntry
) -> None:
    """The entry is gone; its history is kept, and the owner is offered to delete it."""
    if "recorder" not in hass.config.components:
        return
    ids = entry_statistic_ids(entry)
    found = await get_instance(hass).async_add_executor_job(
        partial(get_metadata, hass, statistic_ids=set(ids))
    )
    if kept := [sid for sid in ids if sid in found]:
        async_history_kept(hass, entry, kept)
