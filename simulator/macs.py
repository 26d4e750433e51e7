"""MAC spellings: one canonical form inside, each vendor's own form outside."""

from __future__ import annotations

_HEX = frozenset("0123456789abcdef")


def normalize_mac(value: str) -> str:
    """Any MAC spelling to lower-case colon pairs; ValueError if it is none."""
    digits = "".join(c for c in value.lower() if c in _HEX)
    bare = "".join(c for c in value if c not in "-:. ")
    if len(digits) != 12 or len(bare) != 12:
        raise ValueError(f"Not a MAC address: {value!r}")
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def vendor_mac(mac: str, vendor: str) -> str:
    """A MAC as `vendor` writes it.

    Wiwiz runs on WifiDog gateways, which report `aa:bb:cc:dd:ee:ff`; the
    other two vendors document `AA-BB-CC-DD-EE-FF`.
    """
    canonical = normalize_mac(mac)
    if vendor == "wiwiz":
        return canonical
    return canonical.upper().replace(":", "-")
