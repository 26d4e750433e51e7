"""What the worst vendor answers cost the host: memory, event-loop stalls, outcome.

A hostile vendor server runs in this process; each answer is then asked for
by a fresh child process running the integration's real client, so that one
answer's memory is not another's. The child measures:

- peak RSS over idle: the process's peak resident size (VmHWM, reset once
  warmed up: imports done, one small answer read) less its size then;
- the longest event-loop block: a probe task sleeps 1 ms in a loop and keeps
  its worst lateness (any callback, or a worker thread holding the
  interpreter lock, shows up as lateness). The objects of the warm-up
  (Home Assistant is imported with the package) are frozen out of the
  garbage collector, as they would be long-lived in a running instance: a
  collection walking them is not the answer's cost;
- the outcome: the error class, or how many models came back.

Record counts have cases of their own: a byte cap alone does not bound
memory (an empty record is three bytes), so answers of millions of near-empty
records, each under its cap, are asked for too; one record holding millions
of values (a nested bomb no list reader can cut into pieces); and a text of a
megabyte.
`python -m benchmarks` prints them all (only these with `--quick`).

    scripts/run python -m benchmarks.hostile_vendor [--only NAME ...] [--repeat N]

On a busy machine a block also holds the time the loop's thread waited for a
CPU: `--repeat` shows the least of N runs (and the worst, bracketed).
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
import gc
import json
import os
from pathlib import Path
import sys
import time
from typing import Any
import zlib

import aiohttp
from aiohttp import web

from custom_components.guest_wifi.api.errors import GuestWifiError, RateLimitedError
from custom_components.guest_wifi.api.mywifi import MyWifiClient
from custom_components.guest_wifi.api.smartwifi import (
    Environment,
    SmartWifiClient,
    base_url_for,
)
from custom_components.guest_wifi.api.wiwiz import WiwizClient

TARGET_RSS_MB = 100
TARGET_BLOCK_MS = 10
MB = 2**20
KEY = "bench-key"

# --- bodies -----------------------------------------------------------------

WIWIZ_HEAD = b'<?xml version="1.0"?><result><status><code>OK</code></status><data>'
WIWIZ_TAIL = b"</data></result>"
SMART_RECORD = {
    "date": "2024-05-14T09:12:33.493576+00:00",
    "email": "guest@example.com",
    "phone": None,
    "device": "Apple",
    "mobile": None,
    "identity": "AA-BB-CC-DD-EE-FF",
    "lastname": None,
    "uploaded": 481731,
    "firstname": None,
    "useragent": "Mozilla/5.0 (Linux; Android 11; DN2101) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/99.0.4844.58 Mobile Safari/537.36",
    "downloaded": 1641142,
    "guesttoken": "1g36ga13-b4fd-4jd3-9bdc-6eb6e7e34cad",
    "macaddress": "AA-BB-CC-DD-EE-FF",
    "hotspotname": "Hotspot_1",
    "online_time": "00:05:14",
    "profileuser": None,
    "reason_for_termination": None,
}


def wiwiz_record(i: int, incoming: str | None = None) -> bytes:
    """One `conn` record, ~450 bytes, each a session of its own."""
    return (
        f"<record><ip>10.1.{i // 250 % 250}.{i % 250 + 1}</ip>"
        f"<mac>02-00-{i >> 24 & 255:02X}-{i >> 16 & 255:02X}-"
        f"{i >> 8 & 255:02X}-{i & 255:02X}</mac>"
        "<start_time>2024-05-14 08:00:00</start_time><end_time></end_time>"
        f"<incoming>{incoming or i * 1000}</incoming><outgoing>{i}</outgoing>"
        f"<username>guest{i:07d}@example.com</username><usertype>1</usertype>"
        "<voucher>V7Q2K9</voucher><mobile>+393471234567</mobile>"
        f"<userstring>room=12</userstring><tokencode>tok{i:09d}</tokencode>"
        "</record>\n"
    ).encode()


def smart_record(i: int) -> bytes:
    """One connection row, ~620 bytes of JSON."""
    record = dict(SMART_RECORD, guesttoken=f"g{i:09d}")
    record["macaddress"] = (
        f"02-00-{i >> 16 & 255:02X}-{i >> 8 & 255:02X}-{i & 255:02X}-01"
    )
    return json.dumps(record).encode()


def _fill(size: int, head: bytes, tail: bytes, record: Callable[[int], bytes]) -> bytes:
    """`head`, as many records as fit in `size` bytes, `tail`."""
    records = []
    room = size - len(head) - len(tail)
    for i in range(size):
        item = record(i)
        if len(item) > room:
            break
        records.append(item)
        room -= len(item)
    return head + b"".join(records) + tail


def wiwiz_list(size: int) -> bytes:
    """A valid `conn` answer of at most `size` bytes."""
    return _fill(size, WIWIZ_HEAD, WIWIZ_TAIL, wiwiz_record)


def smart_list(size: int) -> bytes:
    """A valid connections answer of at most `size` bytes."""
    body = _fill(size, b"[", b"]", lambda i: smart_record(i) + b",")
    return body[:-2] + b"]"


def gzip_bomb(unpacked: int) -> bytes:
    """`unpacked` zero bytes gzip-compressed: 1 GiB packs into about 1 MB."""
    return packed(b"", bytes(MB), unpacked // MB, b"")


def packed(head: bytes, filler: bytes, count: int, tail: bytes) -> bytes:
    """`head`, `filler` `count` times, `tail`, gzip-compressed, never whole."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = max(1, MB // len(filler))
    whole, rest = divmod(count, block)
    out = [packer.compress(head)]
    out += [packer.compress(filler * block) for _ in range(whole)]
    out += [packer.compress(filler * rest + tail), packer.flush()]
    return b"".join(out)


def empty_records(count: int) -> bytes:
    """A JSON list of `count` empty objects, gzip-compressed."""
    return packed(b"[", b"{},", count - 1, b"{}]")


def users_page(count: int) -> bytes:
    """A My Wi-Fi page of `count` users that have an id and nothing else."""
    users = b",".join(b'{"RegisteredUserID":%d}' % i for i in range(count))
    return b"[" + users + b"]"


# --- the hostile server -----------------------------------------------------------


type Serve = Callable[[web.Request], Awaitable[web.StreamResponse]]


def fixed(body: bytes, status: int = 200, **headers: str) -> Serve:
    """Answer one prepared body."""

    async def serve(request: web.Request) -> web.StreamResponse:
        return web.Response(status=status, body=body, headers=headers)

    return serve


def stream(
    head: bytes, piece: bytes, total: int, tail: bytes, status: int = 200
) -> Serve:
    """Answer `head`, then `piece` repeated to `total` bytes, then `tail`."""

    async def serve(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(status=status)
        resp.content_length = len(head) + total // len(piece) * len(piece) + len(tail)
        await resp.prepare(request)
        try:
            await resp.write(head)
            block = piece * max(1, 256 * 1024 // len(piece))
            for _ in range(total // len(block)):
                await resp.write(block)
            await resp.write(tail)
            await resp.write_eof()
        except ConnectionError:
            pass  # the client stopped reading
        return resp

    return serve


def dribble(head: bytes) -> Serve:
    """Answer the head, then one byte every 100 ms, forever."""

    async def serve(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse()
        resp.content_length = 10**9
        await resp.prepare(request)
        try:
            await resp.write(head)
            while True:
                await asyncio.sleep(0.1)
                await resp.write(b" ")
        except ConnectionError:
            pass
        return resp

    return serve


def deep_json(depth: int) -> bytes:
    """A list nested `depth` deep."""
    return b"[" * depth + b"]" * depth


def deep_xml(depth: int) -> bytes:
    """A record whose `ip` is nested `depth` elements deep."""
    return (
        WIWIZ_HEAD
        + b"<record><ip>"
        + b"<a>" * depth
        + b"</a>" * depth
        + b"</ip></record>"
        + WIWIZ_TAIL
    )


def status_message(size: int) -> bytes:
    """A Wiwiz ERR005 whose message is `size` bytes long, echoing the key."""
    message = b"x" * size + f" userkey={KEY}".encode()
    return (
        b"<result><status><code>ERR005</code><message>"
        + message
        + b"</message></status><data/></result>"
    )


@dataclass(frozen=True)
class Case:
    """One hostile answer and the call that meets it."""

    name: str
    vendor: str  # the call that meets it: a key of CALLS
    serve: Callable[[], Serve]
    timeout: float = 30


def _number_in_conn(value: str) -> Callable[[], Serve]:
    return lambda: fixed(WIWIZ_HEAD + wiwiz_record(1, value) + WIWIZ_TAIL)


def _smart_row(**changes: Any) -> Callable[[], Serve]:
    return lambda: fixed(json.dumps([dict(SMART_RECORD, **changes)]).encode())


def _gzipped(body: Callable[[], bytes]) -> Callable[[], Serve]:
    return lambda: fixed(body(), **{"Content-Encoding": "gzip"})


def nested(head: bytes, filler: bytes, count: int, tail: bytes) -> Callable[[], Serve]:
    """One record holding `filler` `count` times (see `packed`), gzip-compressed."""
    return _gzipped(lambda: packed(head, filler, count, tail))


# One record holding millions of values: a list cannot be cut into pieces
# inside it, so a byte cap and a record count alone leave it whole.
NESTED_CASES = [
    Case(
        "SmartWiFi guest holding 5.5M {}",
        "smartwifi-guests",
        nested(b'[{"id":"1","a":[', b"{},", 5_500_000, b"{}]}]"),
    ),
    Case(
        "SmartWiFi connection holding 5.5M []",
        "smartwifi",
        nested(b'[{"identity":"x","a":[', b"[],", 5_500_000, b"[]]}]"),
    ),
    Case(
        "SmartWiFi connection field of 4M floats",
        "smartwifi",
        nested(b'[{"identity":"x","a":[', b"0.5,", 4_000_000, b"0.5]}]"),
    ),
    Case(
        "SmartWiFi list holding a list of 5.5M {}",
        "smartwifi",
        nested(b"[[", b"{},", 5_500_000, b"{}]]"),
    ),
    Case(
        "My Wi-Fi user of 1.2M fields",
        "mywifi-users",
        lambda: fixed(
            b'[{"RegisteredUserID":1,'
            + b",".join(b'"f%d":0' % i for i in range(1_200_000))
            + b"}]"
        ),
    ),
    Case(
        "Wiwiz record of 4M child elements",
        "wiwiz",
        nested(
            WIWIZ_HEAD + b"<record><tokencode>t</tokencode>",
            b"<x/>",
            4_000_000,
            b"</record>" + WIWIZ_TAIL,
        ),
    ),
    Case(
        "Wiwiz field of 4M sub-elements",
        "wiwiz",
        nested(
            WIWIZ_HEAD + b"<record><tokencode>t</tokencode><extra>",
            b"<a/>",
            4_000_000,
            b"</extra></record>" + WIWIZ_TAIL,
        ),
    ),
    Case(
        "Wiwiz record of 1M distinct fields",
        "wiwiz",
        lambda: fixed(
            WIWIZ_HEAD
            + b"<record><tokencode>t</tokencode>"
            + b"".join(b"<f%d/>" % i for i in range(1_000_000))
            + b"</record>"
            + WIWIZ_TAIL
        ),
    ),
]

# Millions of near-empty records, each answer under its byte cap; one record
# holding millions of values; a text of a megabyte where a name belongs.
# `--quick` runs these only.
RECORD_CASES = [
    Case(
        "11M {} SmartWiFi guests (32 KB of gzip)",
        "smartwifi-guests",
        _gzipped(lambda: empty_records(11_000_000)),
    ),
    Case(
        "5.5M empty SmartWiFi connections",
        "smartwifi",
        _gzipped(lambda: empty_records(5_500_000)),
    ),
    Case(
        "SmartWiFi object holding 5.5M {}",
        "smartwifi",
        _gzipped(lambda: packed(b'{"data":[', b"{},", 5_500_000 - 1, b"{}]}")),
    ),
    Case(
        "My Wi-Fi page of 600k users",
        "mywifi-users",
        lambda: fixed(users_page(600_000)),
    ),
    Case(
        "400k one-field Wiwiz records",
        "wiwiz",
        _gzipped(
            lambda: packed(
                WIWIZ_HEAD,
                b"<record><tokencode>t</tokencode></record>",
                400_000,
                WIWIZ_TAIL,
            )
        ),
    ),
    *NESTED_CASES,
    Case("1 MB SmartWiFi identity", "smartwifi", _smart_row(identity="x" * MB)),
    Case(
        "1 MB Wiwiz username",
        "wiwiz",
        lambda: fixed(
            WIWIZ_HEAD
            + wiwiz_record(1).replace(b"guest0000001@example.com", b"u" * MB)
            + WIWIZ_TAIL
        ),
    ),
    Case(
        "1 MB My Wi-Fi login",
        "mywifi-users",
        lambda: fixed(
            json.dumps([{"RegisteredUserID": 1, "Login": "l" * MB}]).encode()
        ),
    ),
]


CASES = [
    Case(
        "gzip bomb (1 MB -> 1 GiB)",
        "wiwiz",
        lambda: fixed(gzip_bomb(1024 * MB), **{"Content-Encoding": "gzip"}),
    ),
    Case(
        "100 MB valid Wiwiz XML",
        "wiwiz",
        lambda: stream(WIWIZ_HEAD, wiwiz_record(7), 100 * MB, WIWIZ_TAIL),
    ),
    Case(
        "100 MB valid SmartWiFi JSON",
        "smartwifi",
        lambda: stream(b"[", smart_record(7) + b",", 100 * MB, smart_record(8) + b"]"),
    ),
    Case(
        "100 MB HTTP 500 body",
        "smartwifi",
        lambda: stream(b"", b"e" * 1024, 100 * MB, b"", status=500),
    ),
    Case("Wiwiz incoming 1e1000000", "wiwiz", _number_in_conn("1e1000000")),
    Case("Wiwiz incoming 1e7000000", "wiwiz", _number_in_conn("1e7000000")),
    Case("Wiwiz incoming 5,000 digits", "wiwiz", _number_in_conn("9" * 5000)),
    Case("SmartWiFi downloaded 1e400", "smartwifi", _smart_row(downloaded="1e400")),
    Case(
        "SmartWiFi online_time 99999999999:00:00",
        "smartwifi",
        _smart_row(online_time="99999999999:00:00"),
    ),
    Case("JSON nested 100k deep", "smartwifi", lambda: fixed(deep_json(100_000))),
    Case("XML nested 100k deep", "wiwiz", lambda: fixed(deep_xml(100_000))),
    Case("Wiwiz 5 MB status message", "wiwiz", lambda: fixed(status_message(5 * MB))),
    Case(
        "Retry-After 86400000",
        "smartwifi",
        lambda: fixed(b"slow down", 429, **{"Retry-After": "86400000"}),
    ),
    Case(
        "Retry-After 1e15",
        "smartwifi",
        lambda: fixed(b"", 429, **{"Retry-After": "1e15"}),
    ),
    Case(
        "Retry-After date in 2099",
        "smartwifi",
        lambda: fixed(b"", 429, **{"Retry-After": "Thu, 01 Jan 2099 00:00:00 GMT"}),
    ),
    Case(
        "dribbling server (1 byte/100 ms, 2 s timeout)",
        "wiwiz",
        lambda: dribble(WIWIZ_HEAD),
        timeout=2,
    ),
    Case(
        "largest accepted Wiwiz (16 MB of XML)",
        "wiwiz",
        lambda: fixed(wiwiz_list(16 * MB - 4096)),
    ),
    Case(
        "largest accepted SmartWiFi (16 MB of JSON)",
        "smartwifi",
        lambda: fixed(smart_list(16 * MB - 4096)),
    ),
    *RECORD_CASES,
]


@asynccontextmanager
async def _serve(cases: list[Case]) -> AsyncIterator[str]:
    routes = {str(n): case.serve() for n, case in enumerate(cases)}
    warm = {
        "wiwiz": fixed(WIWIZ_HEAD + wiwiz_record(1) + WIWIZ_TAIL),
        "smartwifi": fixed(b"[" + smart_record(1) + b"]"),
        "smartwifi-guests": fixed(b'[{"id": "1", "macaddress": "AA-BB-CC-DD-EE-FF"}]'),
        "mywifi-users": fixed(users_page(1)),
    }

    async def handle(request: web.Request) -> web.StreamResponse:
        first = request.path.strip("/").split("/")[0]
        if first.startswith("warm-"):
            return await warm[first[5:]](request)
        return await routes[first](request)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


# --- one case, in a child process ---------------------------------------------------


def _status(field: str) -> int:
    """A size from /proc/self/status, in bytes."""
    with Path("/proc/self/status").open(encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise LookupError(field)


def _reset_peak() -> None:
    """Start VmHWM again from the current size (Linux: clear_refs 5)."""
    with Path("/proc/self/clear_refs").open("w", encoding="ascii") as refs:
        refs.write("5")


async def _call(
    vendor: str, root: str, patience: float, session: aiohttp.ClientSession
) -> Any:
    if vendor == "wiwiz":
        wiwiz = WiwizClient(session, KEY, base_url=f"{root}/as/qapi/", timeout=patience)
        return await wiwiz.current_connections("HS-1")
    if vendor == "mywifi-users":

        async def token() -> str:
            return KEY

        mywifi = MyWifiClient(session, token, base_url=f"{root}/", timeout=patience)
        return await mywifi.users()
    smart = SmartWifiClient(
        session,
        KEY,
        base_url=base_url_for(Environment.CUSTOM, f"{root}/"),
        timeout=patience,
    )
    if vendor == "smartwifi-guests":
        return await smart.guests()
    now = datetime(2024, 5, 14, 12, tzinfo=UTC)
    return await smart.connections(now - timedelta(hours=24), now)


async def _child(url: str, index: int, vendor: str, patience: float) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    async with aiohttp.ClientSession() as session:
        await _call(vendor, f"{url}/warm-{vendor}", patience, session)
        gc.collect()
        gc.freeze()
        _reset_peak()
        idle = _status("VmRSS")
        worst = 0.0
        done = asyncio.Event()

        async def probe() -> None:
            nonlocal worst
            while not done.is_set():
                start = loop.time()
                await asyncio.sleep(0.001)
                worst = max(worst, loop.time() - start - 0.001)

        watcher = asyncio.create_task(probe())
        await asyncio.sleep(0.01)
        started = time.perf_counter()
        try:
            result = await _call(vendor, f"{url}/{index}", patience, session)
        except RateLimitedError as err:
            outcome = f"RateLimitedError(retry_after={err.retry_after})"
        except GuestWifiError as err:
            outcome = f"{type(err).__name__}: {str(err)[:70]}"
        else:
            outcome = f"{len(result)} models"
        elapsed = time.perf_counter() - started
        done.set()
        await watcher
        peak = _status("VmHWM")
    return {
        "rss_mb": max(0, peak - idle) / MB,
        "block_ms": worst * 1000,
        "seconds": elapsed,
        "outcome": outcome,
    }


# --- the table ------------------------------------------------------------------


async def _child_run(url: str, index: int, case: Case) -> dict[str, Any]:
    """One case in a fresh child process: its figures."""
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "benchmarks.hostile_vendor",
        "--child",
        url,
        str(index),
        case.vendor,
        str(case.timeout),
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await child.communicate()
    figures: dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    return figures


async def run(
    only: Sequence[str] = (), repeat: int = 1
) -> list[tuple[str, dict[str, Any]]]:
    """The figures of every case (or those whose name holds one of `only`)."""
    cases = [
        c for c in CASES if not only or any(o.lower() in c.name.lower() for o in only)
    ]
    print("Preparing the hostile answers (the gzip bombs take a few seconds)...")
    rows = []
    async with _serve(cases) as url:
        for index, case in enumerate(cases):
            runs = [await _child_run(url, index, case) for _ in range(max(1, repeat))]
            # The least block of the runs: a busy machine only ever adds to it.
            row = min(runs, key=lambda run: run["block_ms"])
            row["worst_ms"] = max(run["block_ms"] for run in runs)
            row["runs"] = len(runs)
            rows.append((case.name, row))
    return rows


def print_rows(rows: list[tuple[str, dict[str, Any]]]) -> int:
    """Print the table; how many answers missed a target."""
    repeat = max((row["runs"] for _, row in rows), default=1)
    load = os.getloadavg()[0]
    print(
        f"Load average {load:.1f} on {os.cpu_count()} CPUs"
        + (": busy, blocks read high" if load > (os.cpu_count() or 1) else "")
        + (f"; best of {repeat} runs, worst in brackets" if repeat > 1 else "")
    )
    print(
        f"{'answer':<48} {'RSS over idle':>13} {'loop block':>11} {'time':>7}  outcome"
    )
    print(
        f"{'target':<48} {'<= ' + str(TARGET_RSS_MB) + ' MB':>13} "
        f"{'<= ' + str(TARGET_BLOCK_MS) + ' ms':>11}"
    )
    failed = 0
    for name, row in rows:
        over = row["rss_mb"] > TARGET_RSS_MB or row["block_ms"] > TARGET_BLOCK_MS
        failed += over
        print(
            f"{name:<48} {row['rss_mb']:>10.1f} MB {row['block_ms']:>8.1f} ms "
            f"{row['seconds']:>6.2f}s  {row['outcome']}{'  <-- over target' if over else ''}"
            + (f"  [{row['worst_ms']:.1f} ms]" if repeat > 1 else "")
        )
    print(f"{len(rows) - failed} of {len(rows)} answers within both targets.")
    return failed


def main() -> None:
    """Run every case (or those named) and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only", nargs="*", default=[], help="cases whose name holds this"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of each case; the best is shown"
    )
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        url, index, vendor, timeout = args.child
        print(json.dumps(asyncio.run(_child(url, int(index), vendor, float(timeout)))))
        return
    rows = asyncio.run(run(args.only, args.repeat))
    print()
    sys.exit(1 if print_rows(rows) else 0)


if __name__ == "__main__":
    main()
