"""Every venue-scale figure in one run: `python -m benchmarks` (`--quick`).

1. Body → models: each client call against the same GET plus the bare parse
   (`xmltodict.parse`, `orjson.loads`), at 1k and 10k guests, 20 hotspots
   (`benchmarks.parse`).
2-5. The event loop, state writes, traffic and memory of a Home Assistant
   polling the simulator at 300 and 10k guests (`benchmarks.venue`).
6. The entity registry after 30 days of a café and of a large venue
   (`benchmarks.registry`).
7. The longest event-loop block of an owner's big jobs: removing 10,000
   trackers, a big sweep, reading a 238k guest store (`benchmarks.loop_blocks`).
8. What the worst vendor answers cost: RSS over idle, longest loop block,
   time, outcome (`benchmarks.hostile_vendor`); `--quick` runs only the
   record-count and long-text answers.
9. The history backfill of 30 days: requests, bytes, wall time, peak
   allocations, longest loop block, at 300 and 10k guests a day
   (`benchmarks.history`).

Each figure is printed with its target and OK, or MISS and why. `--quick`
runs the small venue only (a minute or two instead of several).

    scripts/run python -m benchmarks [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import time

from . import history, hostile_vendor, loop_blocks, parse, registry, venue


def _section(title: str) -> None:
    print(f"\n== {title}")


def main() -> None:
    """Run the benchmarks in turn and print their tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the small venue only")
    args = parser.parse_args()
    # Home Assistant's start-up notices (custom integration, zlib) would bury
    # the tables: only errors are shown.
    logging.basicConfig(level=logging.ERROR)
    started = time.perf_counter()
    print(f"Load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs at start.")

    _section("1. Body → models (CPU ratio against GET + bare parse)")
    sizes = [1000] if args.quick else [1000, 10_000]
    rows = [row for guests in sizes for row in asyncio.run(parse.run(guests))]
    parse.print_table(rows)

    _section("2-5. Event loop, state writes, traffic, memory")
    venue.print_rows(asyncio.run(venue.run(quick=args.quick)))

    _section("6. The entity registry after 30 days")
    registry.print_rows(registry.run(days=7 if args.quick else registry.DAYS))

    _section("7. Longest event-loop block of big jobs (<= 100 ms)")
    registry.print_rows(loop_blocks.run())

    _section("8. Hostile vendor answers, each in a fresh process")
    only = [case.name for case in hostile_vendor.RECORD_CASES] if args.quick else []
    hostile_vendor.print_rows(asyncio.run(hostile_vendor.run(only)))

    _section("9. History backfill, 30 days of log (SmartWiFi, Wiwiz)")
    venue.print_rows(asyncio.run(history.run(quick=args.quick)))

    print(f"\nAll in {time.perf_counter() - started:.0f} s.")


if __name__ == "__main__":
    main()
