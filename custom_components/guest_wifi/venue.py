"""What the data sources of one entry share: its hotspots, and their fate.

Made before the data sources and handed to each (not read back from the
entry's runtime data): a data source then needs nothing above it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from homeassistant.exceptions import ConfigEntryAuthFailed


class DataSource(Protocol):
    """A data source of the entry, as the venue sees it."""

    def stop_refused(self, failure: ConfigEntryAuthFailed) -> None:
        """Another data source had the credentials refused: stop too."""


class Venue:
    """The hotspots one entry watches, their names now, and its data sources.

    `hotspots` maps each id to the name the entry was set up with (devices and
    entity ids keep it); `hotspot_names` are the names now, which SmartWiFi
    owners may change at the vendor. Data sources fail as one: refused
    credentials stop every one of them (`refuse`), not only the one refused.
    """

    def __init__(self, vendor: str, hotspots: Mapping[str, str]) -> None:
        """Start from the names the entry was set up with."""
        self.vendor = vendor
        self.hotspots = dict(hotspots)
        self.hotspot_names = dict(hotspots)
        self._sources: list[DataSource] = []

    def join(self, source: DataSource) -> None:
        """A data source of the entry polls for this venue."""
        self._sources.append(source)

    def refuse(self, failure: ConfigEntryAuthFailed, by: DataSource) -> None:
        """The vendor refused the credentials to `by`: stop the others now."""
        for source in self._sources:
            if source is not by:
                source.stop_refused(failure)
