"""My Wi-Fi's data source: the account's users."""

from __future__ import annotations

import asyncio

from .api.mywifi import MyWifiClient
from .const import ACCOUNT_INTERVAL
from .coordinator import GuestWifiCoordinator
from .models import MyWifiAccount


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
