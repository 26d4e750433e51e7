"""The suite's guard against deprecated use: it catches what it must, no more."""

from __future__ import annotations

import logging

from homeassistant.core import HomeAssistant
from homeassistant.helpers.frame import report_usage
from homeassistant.loader import async_get_integration
import pytest

from custom_components.guest_wifi.const import DOMAIN

from .conftest import FRAME_LOGGER, DeprecationGuard, is_deprecation_report


async def test_guard_catches_a_frame_report(
    hass: HomeAssistant, deprecation_guard: DeprecationGuard
) -> None:
    """Home Assistant's own report of a deprecated use by the integration."""
    await async_get_integration(hass, DOMAIN)  # the report names a known integration
    # Home Assistant reports each use once per run: a use no other test makes.
    report_usage(
        "calls a helper only the guard's test knows",
        breaks_in_ha_version="2099.1.0",
        integration_domain=DOMAIN,
    )

    assert [record.name for record in deprecation_guard.reports] == [FRAME_LOGGER]
    message = deprecation_guard.reports[0].getMessage()
    assert "custom integration 'guest_wifi'" in message
    deprecation_guard.reports.clear()  # expected here: not this test's failure


@pytest.mark.parametrize(
    ("logger", "message", "caught"),
    [
        (FRAME_LOGGER, "Detected that custom integration 'guest_wifi' calls x", True),
        (
            "homeassistant.helpers.entity",
            "custom_components.guest_wifi.sensor sets a deprecated attribute",
            True,
        ),
        (
            "homeassistant.components.device_tracker",
            "guest_wifi does y; this will stop working in Home Assistant 2099.1",
            True,
        ),
        (FRAME_LOGGER, "Detected that custom integration 'other' calls x", False),
        ("homeassistant.helpers.entity", "hacs uses a deprecated attribute", False),
        ("custom_components.guest_wifi", "Setting up guest_wifi", False),
    ],
)
async def test_what_the_guard_counts(logger: str, message: str, caught: bool) -> None:
    """A report names guest_wifi and is the frame helper's or a deprecation."""
    record = logging.LogRecord(logger, logging.WARNING, __file__, 1, message, (), None)
    assert is_deprecation_report(record) is caught


async def test_deprecation_warning_from_the_integration_is_an_error() -> None:
    """setup.cfg turns a DeprecationWarning the integration raises into an error."""
    code = compile(
        "import warnings\nwarnings.warn('old', DeprecationWarning)", "<x>", "exec"
    )
    with pytest.raises(DeprecationWarning):
        exec(code, {"__name__": "custom_components.guest_wifi.fake"})  # noqa: S102
    with pytest.warns(
        DeprecationWarning, match="^old$"
    ):  # anyone else's stays a warning
        exec(code, {"__name__": "somebody.else"})  # noqa: S102
