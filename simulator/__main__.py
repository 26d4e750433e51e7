"""Run the simulator: `python -m simulator --port 8300 --guests 300 ...`."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aiohttp import web

from . import (
    MYWIFI_CLIENT_ID,
    MYWIFI_CLIENT_SECRET,
    MYWIFI_LOGIN,
    MYWIFI_PASSWORD,
    SMARTWIFI_TOKEN,
    WIWIZ_USERKEY,
)
from .app import create_app
from .faults import Faults, parse_fault
from .world import World


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m simulator",
        description="Wiwiz, SmartWiFiPlatform and My Wi-Fi Service on one local port.",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=8300, help="port (default: 8300)")
    parser.add_argument(
        "--guests", type=int, default=300, help="guest devices (default: 300)"
    )
    parser.add_argument(
        "--hotspots", type=int, default=3, help="hotspots per vendor (default: 3)"
    )
    parser.add_argument(
        "--seed", type=int, default=1, help="seed of the world (default: 1)"
    )
    parser.add_argument(
        "--tick",
        type=float,
        default=5.0,
        help="seconds between ticks; 0 stops time (default: 5)",
    )
    parser.add_argument(
        "--tz",
        help="the venue's time zone, e.g. Europe/Rome: Wiwiz wall-clock times and where today starts (default: this machine's)",
    )
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="VENDOR:KIND[:COUNT]",
        help="inject a fault at start (repeatable); e.g. wiwiz:error:3, smartwifi:rate_limit, "
        "mywifi:latency::seconds=5, smartwifi:rate_limit:2:retry_after=30",
    )
    return parser


def banner(base: str, world: World) -> str:
    """What to type into the integration to use this server."""
    lines = [
        (
            f"Guest Wi-Fi simulator on {base}  (seed {world.seed}, "
            f"{sum(len(p) for p in world.population.values())} guests, "
            f"{len(world.hotspots['wiwiz'])} hotspots per vendor)"
        ),
        "",
        "Wiwiz",
        f"  base URL    {base}/as/qapi/",
        f"  userkey     {WIWIZ_USERKEY}",
        f"  hotspots    {', '.join(world.hotspots['wiwiz'])}",
        "SmartWiFiPlatform (custom environment)",
        f"  host        {base}",
        f"  api_token   {SMARTWIFI_TOKEN}",
        f"  hotspots    {', '.join(world.hotspots['smartwifi'])}",
        "My Wi-Fi Service",
        f"  authorize   {base}/OAuth/Authorize",
        f"  token       {base}/OAuth/Token",
        f"  API         {base}/v1/",
        f"  client      {MYWIFI_CLIENT_ID} / {MYWIFI_CLIENT_SECRET}",
        f"  sign in     {MYWIFI_LOGIN} / {MYWIFI_PASSWORD}",
        "",
        f"Admin API     {base}/_admin  (state, tick, arrive, leave, faults, mywifi/expire, mywifi/revoke)",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, build the world, serve until interrupted."""
    args = _parser().parse_args(argv)
    if args.guests < 0 or args.hotspots < 1 or args.tick < 0:
        _parser().error("--guests must be >= 0, --hotspots >= 1, --tick >= 0")
    try:
        tz = ZoneInfo(args.tz) if args.tz else None
    except (ZoneInfoNotFoundError, ValueError):
        _parser().error(f"unknown time zone {args.tz!r}")
    try:
        faults = Faults([parse_fault(text) for text in args.fault])
    except ValueError as err:
        _parser().error(f"--fault: {err}")
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s"
    )
    started = time.perf_counter()
    world = World(
        guests=args.guests,
        hotspots=args.hotspots,
        seed=args.seed,
        tick_seconds=args.tick,
        tz=tz,
    )
    host = f"[{args.host}]" if ":" in args.host else args.host
    sys.stdout.write(banner(f"http://{host}:{args.port}", world))
    sys.stdout.write(f"World built in {time.perf_counter() - started:.2f} s\n")
    for fault in faults.active:
        sys.stdout.write(f"Fault active: {fault.as_dict()}\n")
    sys.stdout.flush()
    web.run_app(
        create_app(world, faults),
        host=args.host,
        port=args.port,
        # A client that gives up on a hanging request ends its handler too.
        handler_cancellation=True,
        shutdown_timeout=5,
        access_log_format='%a "%r" %s %b %Tfs',
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
