"""Async clients for the guest Wi-Fi platforms (no Home Assistant imports).

The modules named with an underscore are this package's own; the integration
outside it uses the public names below.
"""

from ._http import VendorClient, scrub
from ._normalize import mac as normalized_mac, text as storable_text

__all__ = ["VendorClient", "normalized_mac", "scrub", "storable_text"]
