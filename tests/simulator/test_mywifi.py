"""My Wi-Fi Service of the simulator: the OAuth dance and users with real state."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

from aiohttp.test_utils import TestClient
import pytest

from custom_components.guest_wifi.api.errors import (
    AuthenticationError,
    NotFoundError,
    VendorError,
)
from simulator import MYWIFI_CLIENT_ID, MYWIFI_CLIENT_SECRET
from simulator.world import World

from .conftest import (
    REDIRECT_URI,
    Tokens,
    mywifi_client,
    oauth_tokens,
    sign_in,
    token_request,
)

NEW_USER = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "login": "ada",
    "password": "s3cret",
    "group_id": 3,
    "weekly_rate_plan_id": 5,
}


async def test_oauth_dance_expire_refresh(server: TestClient, tokens: Tokens) -> None:
    client = mywifi_client(server, tokens)
    assert await client.groups()
    assert (await server.post("/_admin/mywifi/expire")).status == 200
    with pytest.raises(AuthenticationError):
        await client.groups()
    answer = await token_request(
        server, grant_type="refresh_token", refresh_token=tokens.refresh_token
    )
    assert answer.status == 200
    data = await answer.json()
    assert data["token_type"] == "bearer"
    assert data["expires_in"] == 86400
    assert data["scope"] == "READ WRITE"
    tokens.access_token = data["access_token"]
    assert await client.groups()


async def test_token_answer_shape(server: TestClient) -> None:
    code = await sign_in(server)
    answer = await token_request(
        server, grant_type="authorization_code", code=code, redirect_uri=REDIRECT_URI
    )
    data = await answer.json()
    assert set(data) == {
        "access_token",
        "token_type",
        "expires_in",
        "refresh_token",
        "scope",
    }
    # A code works once.
    again = await token_request(
        server, grant_type="authorization_code", code=code, redirect_uri=REDIRECT_URI
    )
    assert again.status == 400
    assert await again.json() == {"error": "invalid_grant"}


async def test_client_secret_by_http_basic(server: TestClient) -> None:
    code = await sign_in(server)
    basic = base64.b64encode(
        f"{MYWIFI_CLIENT_ID}:{MYWIFI_CLIENT_SECRET}".encode()
    ).decode()
    answer = await server.post(
        "/OAuth/Token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
        },
        headers={"Authorization": f"Basic {basic}"},
    )
    assert answer.status == 200


async def test_bad_code_client_and_grant_type(server: TestClient) -> None:
    bad_code = await token_request(server, grant_type="authorization_code", code="nope")
    assert (bad_code.status, await bad_code.json()) == (400, {"error": "invalid_grant"})
    bad_refresh = await token_request(
        server, grant_type="refresh_token", refresh_token="nope"
    )
    assert (bad_refresh.status, await bad_refresh.json()) == (
        400,
        {"error": "invalid_grant"},
    )
    code = await sign_in(server)
    bad_client = await token_request(
        server, grant_type="authorization_code", code=code, client_secret="wrong"
    )
    assert (bad_client.status, await bad_client.json()) == (
        401,
        {"error": "invalid_client"},
    )
    other_uri = await token_request(
        server, grant_type="authorization_code", code=code, redirect_uri="http://evil/"
    )
    assert other_uri.status == 400
    kind = await token_request(server, grant_type="password")
    assert (await kind.json())["error"] == "unsupported_grant_type"


async def test_sign_in_page_refuses(server: TestClient) -> None:
    wrong = await server.post(
        "/OAuth/Authorize",
        data={
            "client_id": MYWIFI_CLIENT_ID,
            "redirect_uri": REDIRECT_URI,
            "login": "demo",
            "password": "x",
        },
        allow_redirects=False,
    )
    assert wrong.status == 200
    assert "Invalid login or password" in await wrong.text()
    unknown = await server.get(
        "/OAuth/Authorize", params={"client_id": "other", "redirect_uri": REDIRECT_URI}
    )
    assert unknown.status == 400


async def test_revoke_needs_new_sign_in(server: TestClient, tokens: Tokens) -> None:
    await server.post("/_admin/mywifi/revoke")
    with pytest.raises(AuthenticationError):
        await mywifi_client(server, tokens).groups()
    answer = await token_request(
        server, grant_type="refresh_token", refresh_token=tokens.refresh_token
    )
    assert (answer.status, await answer.json()) == (400, {"error": "invalid_grant"})
    fresh = await oauth_tokens(server)
    assert await mywifi_client(server, fresh).groups()


async def test_api_needs_a_bearer(server: TestClient) -> None:
    answer = await server.get("/v1/groups")
    assert answer.status == 401
    answer = await server.get("/v1/groups", headers={"Authorization": "Bearer nope"})
    assert answer.status == 401


async def test_read_scope_cannot_write(server: TestClient) -> None:
    tokens = await oauth_tokens(server, scope="READ")
    client = mywifi_client(server, tokens)
    assert await client.users()
    with pytest.raises(AuthenticationError):
        await client.add_user(**NEW_USER)


async def test_users_every_page(
    server: TestClient, tokens: Tokens, world: World
) -> None:
    client = mywifi_client(server, tokens)
    users = await client.users(page_size=40)
    assert len(users) == len(world.mywifi.users) == 150
    assert len({u.id for u in users}) == 150
    assert all("Password" not in u.record for u in users)
    # Defaults: PageIndex 0, PageSize 100.
    first = await server.get(
        "/v1/RegisteredUsers",
        headers={"Authorization": f"Bearer {tokens.access_token}"},
    )
    assert len(await first.json()) == 100
    page = await server.get(
        "/v1/RegisteredUsers",
        params={"PageIndex": "1", "PageSize": "100"},
        headers={"Authorization": f"Bearer {tokens.access_token}"},
    )
    body = await page.json()
    assert len(body) == 50
    assert {
        "RegisteredUserID",
        "Password",
        "MacAddress",
        "Disabled",
        "AccountExpiration",
        "Balance",
    } <= set(body[0])


async def test_create_edit_disable_delete(server: TestClient, tokens: Tokens) -> None:
    client = mywifi_client(server, tokens)
    expires = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    user = await client.add_user(
        **NEW_USER,
        mac_address="aa:bb:cc:dd:ee:0f",
        email="ada@example.com",
        account_expiration=expires,
    )
    assert user.login == "ada"
    assert user.mac == "aa:bb:cc:dd:ee:0f"
    assert user.record["MacAddress"] == "AA-BB-CC-DD-EE-0F"
    assert user.expires == expires
    assert user.record["AccountExpiration"] == "2030-01-02T03:04:05.00000Z"
    edited = await client.update_user(user, note="VIP guest", mobile_phone="3471234567")
    assert (edited.note, edited.mobile_phone, edited.login) == (
        "VIP guest",
        "3471234567",
        "ada",
    )
    disabled = await client.disable_user(edited)
    assert disabled.disabled is True
    again = await client.user(user.id)
    assert again.disabled is True
    assert again.note == "VIP guest"
    # The PUT carried no password (the client never keeps it): it was kept.
    raw = await server.get(
        f"/v1/registeredusers/{user.id}",
        headers={"Authorization": f"Bearer {tokens.access_token}"},
    )
    assert (await raw.json())["Password"] == "s3cret"
    assert (await client.enable_user(again)).disabled is False
    await client.delete_user(user.id)
    with pytest.raises(NotFoundError):
        await client.user(user.id)
    assert user.id not in {u.id for u in await client.users()}


async def test_create_refusals(
    server: TestClient, tokens: Tokens, world: World
) -> None:
    client = mywifi_client(server, tokens)
    missing = dict(NEW_USER)
    del missing["password"]
    with pytest.raises(VendorError) as err:
        await client.add_user(**missing)
    assert err.value.code == "400"
    assert "Password" in err.value.vendor_message
    taken = next(iter(world.mywifi.users.values()))["Login"]
    with pytest.raises(VendorError, match="already exists"):
        await client.add_user(**{**NEW_USER, "login": taken})
    with pytest.raises(VendorError, match="GroupID"):
        await client.add_user(**{**NEW_USER, "group_id": 99})
    with pytest.raises(VendorError, match="WeeklyRatePlanID"):
        await client.add_user(**{**NEW_USER, "weekly_rate_plan_id": 99})
    user = await client.add_user(**NEW_USER)
    assert user.login == "ada"
    raw = await server.post(
        "/v1/registeredusers",
        data="{not json",
        headers={
            "Authorization": f"Bearer {tokens.access_token}",
            "Content-Type": "application/json",
        },
    )
    assert raw.status == 400
    assert "Message" in await raw.json()


async def test_groups_plans_and_paths_any_case(
    server: TestClient, tokens: Tokens
) -> None:
    client = mywifi_client(server, tokens)
    assert [(g.id, g.name) for g in await client.groups()] == [
        (3, "Guests"),
        (4, "Staff"),
        (5, "VIP"),
    ]
    assert [p.id for p in await client.rate_plans()] == [3, 5, 7]
    auth = {"Authorization": f"Bearer {tokens.access_token}"}
    for path in (
        "/v1/Groups",
        "/V1/GROUPS",
        "/v1/WeeklyRatePlans",
        "/v1/registeredUsers/14646",
    ):
        assert (await server.get(path, headers=auth)).status == 200
    assert (await server.get("/v1/nothing", headers=auth)).status == 404
    assert (await server.delete("/v1/groups", headers=auth)).status == 405
