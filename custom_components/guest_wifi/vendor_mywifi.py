"""My Wi-Fi Service: its description, how an entry starts, and its data source.

Its data source: the account's users, groups and rate plans. It signs in
with OAuth2 (application credentials; see application_credentials.py and
config_flow.py); its client is in api/mywifi.py, its actions in
user_actions.py.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from homeassistant.exceptions import ConfigEntryNotReady
from homeassistant.helpers import config_entry_oauth2_flow

from .api.mywifi import MyWifiClient
from .clients import mywifi_client
from .const import ACCOUNT_INTERVAL, DOMAIN, VENDOR_MYWIFI
from .coordinator import GuestWifiCoordinator
from .data import AccountData
from .history_log import (
    ACCOUNT_KINDS,
    Source,
    Tallies,
    Tally,
    account_place,
    day_of,
    next_day,
)
from .models import MyWifiAccount
from .vendor import Vendor
from .venue import Venue

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from .data import GuestWifiConfigEntry


class MyWifiCoordinator(GuestWifiCoordinator[MyWifiAccount]):
    """Users (every page), groups and weekly rate plans of the account."""

    client: MyWifiClient
    source = "users"
    interval = ACCOUNT_INTERVAL

    async def _fetch(self) -> MyWifiAccount:
        # The first call refreshes the token if it must; the others then find
        # it fresh rather than each asking the token endpoint again.
        groups = await self.client.groups()
        users, plans = await asyncio.gather(
            self.client.users(), self.client.rate_plans()
        )
        return MyWifiAccount(
            users={user.id: user for user in users},
            groups={group.id: group for group in groups},
            rate_plans={plan.id: plan for plan in plans},
        )


@dataclass(kw_only=True)
class MyWifiData(AccountData):
    """A My Wi-Fi account: its users, groups and rate plans; no guest reports."""

    client: MyWifiClient
    users: MyWifiCoordinator

    @property
    def coordinators(self) -> list[GuestWifiCoordinator[Any]]:
        """Users."""
        return [self.users]

    async def async_started(self) -> None:
        """Nothing builds on the users but the sensors."""

    def history(self, hass: HomeAssistant, entry: GuestWifiConfigEntry) -> Source:
        """Users by the local day they registered: already polled, nothing to ask."""
        account = account_place(entry)
        users = self.users

        def by_day(moments: list[datetime], start: datetime, end: datetime) -> Tallies:
            found: dict[datetime, Tally] = {}
            for moment in moments:
                if start <= (row := day_of(moment)) < end:
                    found.setdefault(row, Tally()).count += 1
            return {account: found}

        async def read(start: datetime, end: datetime, places: list[str]) -> Tallies:
            data = users.data
            moments = [
                user.registered
                for user in (data.users.values() if data is not None else ())
                if user.registered is not None
            ]
            # Thousands of users' local days: counted off the loop.
            return await hass.async_add_executor_job(by_day, moments, start, end)

        return Source(
            ACCOUNT_KINDS,
            {account: entry.title},
            read,
            row_of=day_of,
            next_row=next_day,
            window=None,
            asks_vendor=False,
        )


async def _start(hass: HomeAssistant, entry: GuestWifiConfigEntry) -> MyWifiData:
    """The OAuth2 session of the entry's application credentials; the users."""
    try:
        implementation = (
            await config_entry_oauth2_flow.async_get_config_entry_implementation(
                hass, entry
            )
        )
    except ValueError as err:
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN, translation_key="credentials_missing"
        ) from err
    client = mywifi_client(
        hass, entry, config_entry_oauth2_flow.OAuth2Session(hass, entry, implementation)
    )
    venue = Venue(VENDOR_MYWIFI, {})
    return MyWifiData(
        client=client,
        venue=venue,
        users=MyWifiCoordinator(hass, entry, client, venue),
    )


MYWIFI = Vendor(
    key=VENDOR_MYWIFI,
    name="My Wi-Fi Service",
    title="My Wi-Fi Service",
    secret=None,
    reauth_step="reauth_sign_in",
    start=_start,
    reports_guests=False,
    statistics=ACCOUNT_KINDS,
    own_sensors=frozenset({"registered_users", "disabled_users"}),
    actions=frozenset(
        {
            "add_user",
            "update_user",
            "disable_user",
            "enable_user",
            "delete_user",
            "list_users",
        }
    ),
)
