"""Fixtures for the vendor clients: an aiohttp session, a faked HTTP edge.

The edge is Home Assistant's own test mock, `AiohttpClientMocker` (core's
`aioclient_mock`): the session's requests never leave the process; each is
answered by the first registered mock it matches and recorded, in order, in
`mock_calls` as `(method, url with its query, json body, headers)`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMocker,
    AiohttpClientMockResponse,
)
from yarl import URL

from tests.without_hass import auto_enable_custom_integrations, settle, time_zone  # noqa: F401 - replace the root autouse fixtures

FIXTURES = Path(__file__).parent.parent / "fixtures"


def load_fixture(vendor: str, name: str) -> str:
    """A vendor body stored on disk."""
    return (FIXTURES / vendor / name).read_text(encoding="utf-8")


def assert_secret_kept(err: BaseException, *secrets: str) -> None:
    """Neither the error nor anything chained to it shows a secret or a piece of it.

    Attributes count too: a JSONDecodeError keeps the whole body in `doc`.
    """
    seen: set[int] = set()
    pending: list[BaseException | None] = [err]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        shown = " ".join(
            [
                str(current),
                repr(current),
                repr(current.args),
                repr(getattr(current, "__dict__", {})),
            ]
        )
        for secret in secrets:
            assert secret not in shown, f"{type(current).__name__} shows {secret}"
            assert secret[:10] not in shown, f"{type(current).__name__} shows a piece"
        pending.extend([current.__cause__, current.__context__])


type SideEffect = Callable[[str, URL, Any], Awaitable[AiohttpClientMockResponse]]


def in_turn(*answers: dict[str, Any]) -> SideEffect:
    """Answer successive requests with successive answers, once each.

    A mock answers every request it matches with the same response; a
    vendor that answers the same URL differently over time (pages, pieces of
    a range) is a mock with this side effect. Each answer takes the keywords
    of `AiohttpClientMocker.request` (status, text, content, json, headers,
    exc); a request after the last answer fails the test.
    """
    pending = list(answers)

    async def answer(method: str, url: URL, data: Any) -> AiohttpClientMockResponse:
        assert pending, f"no answer left for {method} {url.path}"
        kwargs = dict(pending.pop(0))
        if "content" in kwargs:  # the response's own name for a bytes body
            kwargs["response"] = kwargs.pop("content")
        return AiohttpClientMockResponse(method, url, **kwargs)

    return answer


@pytest.fixture
def mock_http() -> AiohttpClientMocker:
    """The faked HTTP edge."""
    return AiohttpClientMocker()


@pytest.fixture
async def session(
    mock_http: AiohttpClientMocker,
) -> AsyncIterator[aiohttp.ClientSession]:
    """A client session whose requests `mock_http` answers (none reach a network)."""
    client_session = mock_http.create_session(asyncio.get_running_loop())
    yield client_session
    await client_session.close()
