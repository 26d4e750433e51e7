"""How the actions' forms label their fields, as refusals name them."""

from __future__ import annotations

import json
from pathlib import Path

from custom_components.guest_wifi.const import DOMAIN

_ENGLISH = (
    Path(__file__).parent.parent
    / "custom_components"
    / DOMAIN
    / "translations"
    / "en.json"
)


def label(field: str) -> str:
    """A field as its action's form labels it in English; one none labels, as written."""
    english = json.loads(_ENGLISH.read_text("utf-8"))
    labels = {
        name: described["name"]
        for action in english["services"].values()
        for name, described in action["fields"].items()
    }
    return str(labels.get(field, field))
