"""For test folders that start no Home Assistant in the test process.

The root conftest's autouse fixtures start one; a folder's conftest imports
these, of the same names, to replace them.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """No Home Assistant, no integrations to enable."""


@pytest.fixture(autouse=True)
def settle() -> None:
    """No Home Assistant to let settle."""


@pytest.fixture(autouse=True)
def time_zone() -> None:
    """No Home Assistant time zone."""
