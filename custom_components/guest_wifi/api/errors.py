"""One exception tree for every vendor.

Messages never carry a secret: clients build them from the request path only
(never the query string) and scrub vendor text before it lands here.

Messages are bounded here, once for every error: vendor text (a status
message, an echoed id, a value that failed to parse) may be megabytes, and an
error is logged, shown in the UI and kept in repairs.
"""

from __future__ import annotations

from typing import Final

# Long enough for any message we write and a vendor's sentence; short enough
# for a log line and a notification.
MAX_TEXT = 300


def bounded(text: str, limit: int = MAX_TEXT) -> str:
    """A text cut to `limit` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    tail = f"… ({len(text)} chars)"
    return text[: max(0, limit - len(tail))] + tail


class GuestWifiError(Exception):
    """Base of every error raised by the vendor clients."""

    def __init__(self, *args: object) -> None:
        """Keep the message (and any other text argument) bounded."""
        super().__init__(*(bounded(a) if isinstance(a, str) else a for a in args))


class AuthenticationError(GuestWifiError):
    """The credentials were refused (HTTP 401/403, Wiwiz ERR003, ...)."""


class CannotConnectError(GuestWifiError):
    """The vendor could not be reached or failed (timeout, DNS, reset, 5xx)."""


# The longest wait a vendor may impose. None of the three documents a
# throttle window; common API windows are a second to an hour. An hour honours
# any of them and asks a vendor that has recovered again soon; an unbounded
# value gave a 1,000-day poll interval (86400000) or an OverflowError (1e15).
MAX_RETRY_AFTER: Final = 3600.0


class RateLimitedError(GuestWifiError):
    """The vendor asked us to slow down (HTTP 429)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        """Keep the delay the vendor asked for, when it said one."""
        super().__init__(message)
        self.retry_after = retry_after


class InvalidResponseError(GuestWifiError):
    """The answer was not what the vendor documents (bad JSON/XML, HTML page, wrong shape)."""


class ResponseTooLargeError(InvalidResponseError):
    """The answer grew past the most a real account can give (see `max_bytes`)."""


class InvalidRequestError(GuestWifiError, ValueError):
    """The caller asked for something the vendor cannot answer (e.g. a range too long)."""


class VendorError(GuestWifiError):
    """The vendor answered with an error of its own."""

    def __init__(self, code: str, message: str) -> None:
        """Keep the vendor's code and its (scrubbed) message."""
        code, message = bounded(code, 64), bounded(message)
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
