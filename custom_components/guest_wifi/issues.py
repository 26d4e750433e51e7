"""Every repair issue the integration raises, made and cleared here.

Each issue's id holds the id of the entry it is about, so that removing the
entry takes all of them along (`async_delete_entry_issues`), whichever part
of the integration raised them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry

PROFESSIONAL_REQUIRED = "professional_required"
WIWIZ_CLEAR_TEXT = "wiwiz_clear_text"
TOO_MANY_GUEST_TRACKERS = "too_many_guest_trackers"
NEW_HOTSPOT = "new_hotspot"
HISTORY_KEPT = "history_kept"


def _issue_id(kind: str, entry_id: str) -> str:
    return f"{kind}_{entry_id}"


def _new_hotspot_prefix(entry_id: str) -> str:
    return f"{_issue_id(NEW_HOTSPOT, entry_id)}_"


@callback
def _raise(
    hass: HomeAssistant,
    issue_id: str,
    kind: str,
    severity: ir.IssueSeverity,
    placeholders: Mapping[str, str],
    learn_more_url: str | None = None,
) -> None:
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id,
        is_fixable=False,
        severity=severity,
        translation_key=kind,
        translation_placeholders=dict(placeholders),
        learn_more_url=learn_more_url,
    )


@callback
def _ids(hass: HomeAssistant) -> Iterator[str]:
    """The ids of the integration's issues (a copy: the caller may delete)."""
    for domain, issue_id in list(ir.async_get(hass).issues):
        if domain == DOMAIN:
            yield issue_id


@callback
def _about_entry(
    hass: HomeAssistant,
    entry: ConfigEntry,
    kind: str,
    severity: ir.IssueSeverity,
    *,
    raised: bool,
    learn_more_url: str | None = None,
) -> None:
    """Raise or clear the entry's one issue of this kind, titled with the entry."""
    issue_id = _issue_id(kind, entry.entry_id)
    if not raised:
        ir.async_delete_issue(hass, DOMAIN, issue_id)
        return
    placeholders = {"title": entry.title}
    _raise(hass, issue_id, kind, severity, placeholders, learn_more_url)


@callback
def async_professional_required(
    hass: HomeAssistant, entry: ConfigEntry, *, raised: bool
) -> None:
    """Wiwiz refuses the account's API: it needs the Professional edition."""
    _about_entry(
        hass,
        entry,
        PROFESSIONAL_REQUIRED,
        ir.IssueSeverity.ERROR,
        raised=raised,
        learn_more_url="https://www.wiwiz.com/",
    )


@callback
def async_wiwiz_clear_text(
    hass: HomeAssistant, entry: ConfigEntry, *, raised: bool
) -> None:
    """The entry's Wiwiz key travels unencrypted (plain http, not loopback)."""
    severity = ir.IssueSeverity.WARNING
    _about_entry(hass, entry, WIWIZ_CLEAR_TEXT, severity, raised=raised)


@callback
def async_too_many_guest_trackers(
    hass: HomeAssistant, entry: ConfigEntry, *, limit: int, days: int
) -> None:
    """Guests were refused a tracker: the entry has `limit` of them."""
    _raise(
        hass,
        _issue_id(TOO_MANY_GUEST_TRACKERS, entry.entry_id),
        TOO_MANY_GUEST_TRACKERS,
        ir.IssueSeverity.WARNING,
        {"title": entry.title, "limit": str(limit), "days": str(days)},
    )


@callback
def async_clear_too_many_guest_trackers(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    """No guest is refused a tracker (any more, or while the entry is off)."""
    issue_id = _issue_id(TOO_MANY_GUEST_TRACKERS, entry.entry_id)
    ir.async_delete_issue(hass, DOMAIN, issue_id)


@callback
def async_new_hotspot(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hotspot_id: str,
    name: str,
    *,
    ignored: bool = False,
) -> None:
    """Offer a hotspot new at the vendor; `ignored`: the owner already said no."""
    issue_id = f"{_new_hotspot_prefix(entry.entry_id)}{hotspot_id}"
    _raise(
        hass,
        issue_id,
        NEW_HOTSPOT,
        ir.IssueSeverity.WARNING,
        {"title": entry.title, "hotspot": name},
    )
    if ignored:
        ir.async_ignore_issue(hass, DOMAIN, issue_id, True)


@callback
def async_keep_new_hotspots(
    hass: HomeAssistant, entry_id: str, keep: set[str] | frozenset[str] = frozenset()
) -> None:
    """Withdraw the entry's new-hotspot notices but those of the hotspots in `keep`."""
    prefix = _new_hotspot_prefix(entry_id)
    for issue_id in _ids(hass):
        if issue_id.startswith(prefix) and issue_id.removeprefix(prefix) not in keep:
            ir.async_delete_issue(hass, DOMAIN, issue_id)


@callback
def async_delete_entry_issues(hass: HomeAssistant, entry_id: str) -> None:
    """The entry is gone: so is every issue it raised."""
    for issue_id in _ids(hass):
        if entry_id in issue_id:
            ir.async_delete_issue(hass, DOMAIN, issue_id)


@callback
def async_history_kept(
    hass: HomeAssistant, entry: ConfigEntry, statistic_ids: list[str]
) -> None:
    """An entry was removed, its history kept: fixing the issue deletes it.

    Raised once the entry is gone, so its other issues' clean-up leaves it.
    """
    ir.async_create_issue(
        hass,
        DOMAIN,
        _issue_id(HISTORY_KEPT, entry.entry_id),
        is_fixable=True,
        is_persistent=True,
        severity=ir.IssueSeverity.WARNING,
        translation_key=HISTORY_KEPT,
        translation_placeholders={"account": entry.title},
        # Issue data holds plain values: the ids (no commas in any) joined.
        data={"statistic_ids": ",".join(statistic_ids)},
    )
