"""Where handlers find the shared state on the application."""

from __future__ import annotations

from aiohttp import web

from .faults import Faults
from .world import World

WORLD = web.AppKey("world", World)
FAULTS = web.AppKey("faults", Faults)
