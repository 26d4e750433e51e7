"""Every vendor, described once (see vendor.py); nothing else names them all."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Final

from .const import CONF_VENDOR
from .data import GuestsData
from .vendor import UnknownVendorError, Vendor
from .vendor_mywifi import MYWIFI
from .vendor_smartwifi import SMARTWIFI
from .vendor_wiwiz import WIWIZ

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry

    from .data import GuestWifiConfigEntry

# In the order the setup menu offers them.
VENDORS: Final[Mapping[str, Vendor]] = {
    vendor.key: vendor for vendor in (MYWIFI, SMARTWIFI, WIWIZ)
}


def vendor_named(key: object) -> Vendor:
    """The vendor with this key; an unknown one fails loudly, never as another."""
    if isinstance(key, str) and (vendor := VENDORS.get(key)) is not None:
        return vendor
    raise UnknownVendorError(key)


def vendor_of(entry: ConfigEntry) -> Vendor:
    """The vendor of a config entry."""
    return vendor_named(entry.data.get(CONF_VENDOR))


def guests_of(entry: GuestWifiConfigEntry) -> GuestsData | None:
    """The running parts of an entry whose vendor reports guests; else None."""
    vendor = vendor_of(entry)
    if not vendor.reports_guests:
        return None
    runtime = entry.runtime_data
    if not isinstance(runtime, GuestsData):
        # Its description and its start disagree: a programming error.
        raise TypeError(f"{vendor.key} reports guests, but starts no GuestPresence")
    return runtime
