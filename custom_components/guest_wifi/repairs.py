"""Repairs the owner fixes here: deleting the history of a removed entry."""

from __future__ import annotations

from typing import Any

from homeassistant.components.repairs import ConfirmRepairFlow, RepairsFlow
from homeassistant.core import HomeAssistant
from homeassistant.helpers.recorder import get_instance


class DeleteHistoryFlow(ConfirmRepairFlow):
    """Confirmed, the removed entry's long-term statistics are deleted."""

    def __init__(self, statistic_ids: list[str]) -> None:
        """The statistics the entry imported."""
        super().__init__()
        self.statistic_ids = statistic_ids

    async def async_step_confirm(self, user_input: dict[str, str] | None = None) -> Any:
        """Ask; on confirmation, delete."""
        if user_input is not None:
            get_instance(self.hass).async_clear_statistics(self.statistic_ids)
        return await super().async_step_confirm(user_input)


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, Any] | None
) -> RepairsFlow:
    """The flow of a fixable issue: only the kept history has one."""
    joined = str((data or {}).get("statistic_ids") or "")
    return DeleteHistoryFlow([sid for sid in joined.split(",") if sid])
