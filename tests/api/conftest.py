"""Fixtures for the vendor clients: a real aiohttp session, a faked HTTP edge."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
from aioresponses import aioresponses
import pytest

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


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """A real client session (its requests are answered by `mock_http`)."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture
def mock_http() -> Iterator[aioresponses]:
    """The faked HTTP edge."""
    with aioresponses() as mocked:
        yield mocked


# These tests need no Home Assistant: the root conftest's autouse fixtures,
# which start one, are replaced by these of the same name.
@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """No Home Assistant, no integrations to enable."""


@pytest.fixture(autouse=True)
def settle() -> None:
    """No Home Assistant to let settle."""


@pytest.fixture(autouse=True)
def time_zone() -> None:
    """No Home Assistant time zone."""
