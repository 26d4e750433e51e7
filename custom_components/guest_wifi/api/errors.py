"""One exception tree for every vendor.

Messages never carry a secret: clients build them from the request path only
(never the query string) and scrub vendor text before it lands here.
"""

from __future__ import annotations


class GuestWifiError(Exception):
    """Base of every error raised by the vendor clients."""


class AuthenticationError(GuestWifiError):
    """The credentials were refused (HTTP 401/403, Wiwiz ERR003, ...)."""


class CannotConnectError(GuestWifiError):
    """The vendor could not be reached or failed (timeout, DNS, reset, 5xx)."""


class RateLimitedError(GuestWifiError):
    """The vendor asked us to slow down (HTTP 429)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        """Keep the delay the vendor asked for, when it said one."""
        super().__init__(message)
        self.retry_after = retry_after


class InvalidResponseError(GuestWifiError):
    """The answer was not what the vendor documents (bad JSON/XML, HTML page, wrong shape)."""


class InvalidRequestError(GuestWifiError, ValueError):
    """The caller asked for something the vendor cannot answer (e.g. a range too long)."""


class VendorError(GuestWifiError):
    """The vendor answered with an error of its own."""

    def __init__(self, code: str, message: str) -> None:
        """Keep the vendor's code and its (scrubbed) message."""
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
        self.vendor_message = message


class InvalidKeyError(VendorError, AuthenticationError):
    """Wiwiz ERR001/ERR003: the user key is missing or invalid."""


class ProfessionalRequiredError(VendorError):
    """Wiwiz ERR004: the account needs the Professional edition."""


class InvalidHotspotError(VendorError):
    """Wiwiz ERR002/ERR005: the hotspot id is missing, unknown or not the account's."""


class InvalidDateError(VendorError):
    """Wiwiz ERR006: a date parameter was refused."""


class NotFoundError(VendorError):
    """The requested object does not exist (HTTP 404, empty Wiwiz record)."""
