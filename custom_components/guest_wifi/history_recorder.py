"""The history and the recorder: rows handed over a few at a time, sums read back.

The recorder's thread takes the interpreter lock from the event loop for as
long as it works without a pause: a month of a venue's rows queued at once
kept it busy for seconds, and every step of the loop waited its turn (a
job of 24 rows is ~12 ms of that; of 6, ~3 ms). So rows go in jobs of
`ROWS_PER_JOB`, each queued once the one before is written, and reads run
one place's statistics at a time.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Final

from homeassistant.components.recorder.models import StatisticData, StatisticMetaData
from homeassistant.components.recorder.statistics import (
    StatisticsRow,
    async_add_external_statistics,
    get_last_statistics,
    statistics_during_period,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.recorder import get_instance

ROWS_PER_JOB: Final = 6
# After a job is queued: the recorder's thread may have taken it already,
# leaving nothing in its queue to wait for; it ends within this.
JOB_GAP: float = 0.005
# A sum is looked for this far before the rows written again.
_SUM_LOOKBACK: Final = timedelta(days=2)


async def add_rows(
    hass: HomeAssistant, metadata: StatisticMetaData, rows: list[StatisticData]
) -> None:
    """A statistic's rows, in order, a job of a few at a time."""
    recorder = get_instance(hass)
    for first in range(0, len(rows), ROWS_PER_JOB):
        async_add_external_statistics(
            hass, metadata, rows[first : first + ROWS_PER_JOB]
        )
        # Nor do rows wait in the queue past the interpreter's young
        # collections (history_log.SESSIONS_PER_ANSWER).
        await recorder.async_block_till_done()
        await asyncio.sleep(JOB_GAP)


async def last_rows(hass: HomeAssistant, ids: list[str]) -> dict[str, StatisticsRow]:
    """Each statistic's last row, if it has one."""

    def read() -> dict[str, StatisticsRow]:
        found: dict[str, StatisticsRow] = {}
        for sid in ids:
            if rows := get_last_statistics(hass, 1, sid, False, {"sum"}).get(sid):
                found[sid] = rows[0]
        return found

    return await get_instance(hass).async_add_executor_job(read)


async def sums_before(
    hass: HomeAssistant, ids: set[str], start: datetime
) -> dict[str, float]:
    """Each statistic's sum in its last row before `start` (0 without one)."""
    before = await get_instance(hass).async_add_executor_job(
        statistics_during_period,
        hass,
        start - _SUM_LOOKBACK,
        start,
        ids,
        "hour",
        None,
        {"sum"},
    )
    return {
        sid: (rows[-1].get("sum") or 0.0) if (rows := before.get(sid)) else 0.0
        for sid in ids
    }
