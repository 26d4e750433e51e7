"""Measure test strength: how many small changes to a source file its tests catch.

    scripts/run python scripts/mutate.py custom_components/guest_wifi/guests.py \
        --mutants 80 --seed 1

A mutant is one small change to the file: a comparison's boundary or sense
(`<` to `<=` or `>=`), an operator (`+` to `-`), a number plus or minus one,
`and` to `or`, a `not` or a minus dropped, True to False, `max` to `min`, a
returned value made None, a call or a write to an attribute removed. Mutants
that leave the syntax tree as it was are dropped; a sample of the rest, the
same for the same source and seed, is written into the file one at a time and
the tests that exercise the file (`TESTS`, or `--tests`) run against each,
stopping at the first failure. A mutant is killed when a test fails, survives
when all pass; one that runs past the time limit counts as killed (a test
noticed: it hung), shown as a timeout.

Score: killed / (sampled - equivalent). An equivalent mutant changes no
behaviour, so no test can kill it: each is listed in `EQUIVALENT` with why,
and not run.

The file is written back as it was (bytes and time) after every mutant and
whatever happens, Ctrl-C included; its bytecode is not cached meanwhile, so a
later run never imports a mutant. Only a killed process (SIGKILL) could leave
a mutant behind: `git diff` shows it.
"""

from __future__ import annotations

import argparse
import ast
from collections.abc import Iterator
from dataclasses import dataclass, replace
import importlib.util
import os
from pathlib import Path
import random
import signal
import subprocess
import sys
import time

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "custom_components/guest_wifi"

# The tests that exercise each file, the quickest to fail first.
TESTS = {
    f"{PACKAGE}/guests.py": [
        "tests/test_presence_rules.py",
        "tests/test_device_tracker.py",
        "tests/test_guest_store.py",
        "tests/test_event.py",
    ],
    f"{PACKAGE}/sessions.py": [
        "tests/test_session_rules.py",
        "tests/test_report_windows.py",
        "tests/test_sensor.py",
    ],
    f"{PACKAGE}/coordinator.py": [
        "tests/test_coordinator.py",
        "tests/test_report_windows.py",
        "tests/test_sensor.py",
        "tests/test_new_hotspots.py",
        "tests/test_event.py",
        "tests/test_errors.py",
        "tests/test_init.py",
    ],
    f"{PACKAGE}/api/_normalize.py": [
        "tests/api/test_vendor_values.py",
        "tests/hostile/test_fast_paths.py",
        "tests/hostile/test_vendor_text.py",
        "tests/api/test_transport.py",
        "tests/hostile/test_fuzz.py",
        "tests/api/test_smartwifi.py",
        "tests/api/test_wiwiz.py",
        "tests/api/test_mywifi.py",
        "tests/hostile/test_hostile_vendor.py",
        "tests/hostile/test_record_counts.py",
    ],
}

# Mutants no test can kill, by file: "<first line of the node>: <before> →
# <after>" (as printed) and why the behaviour is the same.
EQUIVALENT: dict[str, dict[str, str]] = {
    f"{PACKAGE}/guests.py": {
        "@dataclass(slots=True): True → False": (
            "slots save memory (measured by benchmarks); attributes behave the same"
        ),
    },
    f"{PACKAGE}/sessions.py": {
        "if (moment := start(record)) is not None and since <= momen…: "
        "since <= moment < recent → since <= moment <= recent": (
            "an open start exactly at `recent` only repeats the last point: "
            "the gap of 0 between them is never left out, the windows are the same"
        ),
    },
    f"{PACKAGE}/coordinator.py": {
        "if isinstance(failure, UpdateFailed) and not self._setting_…: "
        "isinstance(failure, UpdateFailed) and (not self._setting_up) → "
        "isinstance(failure, UpdateFailed) or not self._setting_up": (
            "adds a retry_after at set-up and to a refused key: core before 2026.11 "
            "(the versions the suite runs on) reads neither, and a failed set-up or "
            "a refused key drops the coordinator and its count of failures"
        ),
        "doubled = min(self._failed_in_a_row - 1, 16) # bounded: no …: 16 → 15": (
            "10 s x 2**15 is days: past every interval, which the retry is cut to"
        ),
    },
    f"{PACKAGE}/api/_normalize.py": {
        # Fast paths: what they let pass, the general way reads the same.
        "if value.__class__ is str and len(value) == 17:: 17 → 18": (
            "a MAC of 17 characters then takes the general way, which reads it the same"
        ),
        "if value.__class__ is int and 0 <= value <= MAX_BYTES:: 0 → 1": (
            "0 then takes the general way, which returns 0 too"
        ),
        "if value.__class__ is str and len(value) <= _MAX_TIME_TEXT:: "
        "len(value) <= _MAX_TIME_TEXT → len(value) < _MAX_TIME_TEXT": (
            "a time of exactly 64 characters takes the general way, which reads "
            "it the same"
        ),
        "if len(answers) == 1 and unique is not None:: 1 → 0": (
            "one piece is merged too: its answer is unique already (each fetch "
            "applied `unique`), so the same list, at a worker thread's cost"
        ),
        "super().__init__(): super().__init__() → pass": (
            "dict.__init__() without arguments does nothing"
        ),
        "number = int(exact) if exact.adjusted() >= 0 else 0: 0 → -1": (
            "from -1 on too: a number in [0.1, 1) is 0 by int() as by the else"
        ),
    },
}

COMPARISONS: dict[type[ast.cmpop], tuple[type[ast.cmpop], ...]] = {
    ast.Lt: (ast.LtE, ast.GtE),
    ast.LtE: (ast.Lt, ast.Gt),
    ast.Gt: (ast.GtE, ast.LtE),
    ast.GtE: (ast.Gt, ast.Lt),
    ast.Eq: (ast.NotEq,),
    ast.NotEq: (ast.Eq,),
    ast.Is: (ast.IsNot,),
    ast.IsNot: (ast.Is,),
    ast.In: (ast.NotIn,),
    ast.NotIn: (ast.In,),
}
OPERATORS: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div,
    ast.Mod: ast.FloorDiv,
    ast.Pow: ast.Mult,
    ast.BitOr: ast.BitAnd,
    ast.BitAnd: ast.BitOr,
}
CALLS = {"max": "min", "min": "max", "any": "all", "all": "any"}


@dataclass(frozen=True, slots=True)
class Mutant:
    """One change: bytes `start:end` of the file become `text`."""

    line: int
    start: int
    end: int
    text: str
    key: str  # "<first line of the node>: <before> → <after>"


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Sites:
    """Every mutant of a module's source."""

    def __init__(self, source: bytes) -> None:
        """Parse the source; `mutants()` walks it."""
        self.source = source
        self.tree = ast.parse(source)
        self.lines = source.splitlines(keepends=True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))

    def _offset(self, line: int, col: int) -> int:
        return self.starts[line - 1] + col  # ast columns count UTF-8 bytes

    def _replace(
        self, node: ast.AST, new: ast.AST | str, *, wrap: bool = True
    ) -> Mutant:
        text = new if isinstance(new, str) else ast.unparse(new)
        before = ast.unparse(node)
        first = self.lines[node.lineno - 1].decode().strip()  # type: ignore[attr-defined]
        return Mutant(
            line=node.lineno,  # type: ignore[attr-defined]
            start=self._offset(node.lineno, node.col_offset),  # type: ignore[attr-defined]
            end=self._offset(node.end_lineno, node.end_col_offset),  # type: ignore[attr-defined]
            # In parentheses: the new expression binds as the old one did.
            text=f"({text})" if wrap else text,
            key=f"{_short(first)}: {_short(before)} → {_short(text)}",
        )

    def mutants(self) -> Iterator[Mutant]:
        """Each change to an expression or statement that runs.

        Keys are unique: a second mutant that reads the same (the second 0
        on a line) is told apart by "(2)".
        """
        seen: dict[str, int] = {}
        for mutant in self._walk(self.tree):
            seen[mutant.key] = count = seen.get(mutant.key, 0) + 1
            yield (
                replace(mutant, key=f"{mutant.key} ({count})") if count > 1 else mutant
            )

    def _walk(self, node: ast.AST) -> Iterator[Mutant]:
        if _skipped(node):
            return
        yield from self._at(node)
        for field, value in ast.iter_fields(node):
            if field in {"annotation", "returns", "type_comment", "type_params"}:
                continue  # annotations are not run (`from __future__ import annotations`)
            children = value if isinstance(value, list) else [value]
            for child in children:
                if isinstance(child, ast.AST) and not _is_docstring(node, child):
                    yield from self._walk(child)

    def _at(self, node: ast.AST) -> Iterator[Mutant]:
        match node:
            case ast.Compare(left=left, ops=ops, comparators=comparators):
                for i, op in enumerate(ops):
                    for new in COMPARISONS[type(op)]:
                        swapped = [*ops[:i], new(), *ops[i + 1 :]]
                        yield self._replace(
                            node, ast.Compare(left, swapped, comparators)
                        )
            case ast.BinOp(left=left, op=op, right=right) if type(op) in OPERATORS:
                yield self._replace(node, ast.BinOp(left, OPERATORS[type(op)](), right))
            case ast.AugAssign(target=target, op=op, value=value) if (
                type(op) in OPERATORS
            ):
                new = ast.AugAssign(target, OPERATORS[type(op)](), value)
                yield self._replace(node, new, wrap=False)
            case ast.BoolOp(op=op, values=values):
                other = ast.Or() if isinstance(op, ast.And) else ast.And()
                yield self._replace(node, ast.BoolOp(other, values))
            case ast.UnaryOp(op=ast.Not() | ast.USub(), operand=operand):
                yield self._replace(node, operand)
            case ast.Constant(value=bool() as flag):
                yield self._replace(node, ast.Constant(not flag))
            case ast.Constant(value=int() | float() as number):
                yield self._replace(node, ast.Constant(number + 1))
                yield self._replace(node, ast.Constant(number - 1))
            case ast.Call(func=ast.Name(id=name) as func) if name in CALLS:
                yield self._replace(func, ast.Name(CALLS[name]), wrap=False)
            case ast.Return(value=value) if value is not None and not (
                isinstance(value, ast.Constant) and value.value is None
            ):
                yield self._replace(value, "None", wrap=False)
        if _removable(node):
            yield self._replace(node, "pass", wrap=False)

    def apply(self, mutant: Mutant) -> bytes:
        """The source with the mutant in."""
        text = mutant.text.encode()
        return self.source[: mutant.start] + text + self.source[mutant.end :]


def _skipped(node: ast.AST) -> bool:
    """Code that never runs, or runs only for type checkers."""
    match node:
        case ast.If(test=ast.Name(id="TYPE_CHECKING")):
            return True
        case ast.TypeAlias():
            return True
        case ast.Assign(targets=[ast.Name(id="__all__")]):
            return True
    return False


def _is_docstring(parent: ast.AST, child: ast.AST) -> bool:
    body = getattr(parent, "body", None)
    return (
        isinstance(body, list)
        and body
        and body[0] is child
        and isinstance(child, ast.Expr)
        and isinstance(child.value, ast.Constant)
        and isinstance(child.value.value, str)
    )


def _removable(node: ast.AST) -> bool:
    """A statement that only acts: a call, a write to state, a jump."""
    match node:
        case ast.Expr(value=ast.Call() | ast.Await()):
            return True
        case ast.Assign(targets=targets) if all(
            isinstance(t, ast.Attribute | ast.Subscript) for t in targets
        ):
            return True
        case ast.AugAssign(target=ast.Attribute() | ast.Subscript()):
            return True
        case ast.Delete() | ast.Continue() | ast.Break():
            return True
    return False


def sample(sites: Sites, count: int, seed: int) -> list[Mutant]:
    """`count` mutants (0: all), in file order; the same for the same source and seed."""
    seen = {ast.dump(sites.tree)}
    distinct = []
    for mutant in sites.mutants():
        try:
            shape = ast.dump(ast.parse(sites.apply(mutant)))
        except SyntaxError:
            continue
        if shape not in seen:  # the same tree as the file or an earlier mutant
            seen.add(shape)
            distinct.append(mutant)
    if count and count < len(distinct):
        distinct = random.Random(seed).sample(distinct, count)
    return sorted(distinct, key=lambda m: (m.start, m.end, m.text))


def run_tests(tests: list[str], timeout: float) -> str:
    """Run the tests: "survived" when all pass, else "killed" or "timeout"."""
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]
    command += ["-n", "0", *tests]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own group, ended whole below
    )
    try:
        code = proc.wait(timeout)
    except subprocess.TimeoutExpired:
        return "timeout"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return "survived" if code == 0 else "killed"


def main() -> int:
    """Run the sample and print each mutant's fate and the score."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "file", help="a source file, e.g. custom_components/guest_wifi/guests.py"
    )
    parser.add_argument("--mutants", type=int, default=80, help="how many (0: all)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tests", nargs="+", help="instead of the file's in TESTS")
    parser.add_argument(
        "--timeout", type=float, help="seconds a mutant (default: 3x the clean run)"
    )
    parser.add_argument("--lines", help="only mutants on these lines, e.g. 100-120,244")
    parser.add_argument(
        "--list", action="store_true", help="print the sample, run nothing"
    )
    args = parser.parse_args()

    path = (Path.cwd() / args.file).resolve()
    name = path.relative_to(ROOT).as_posix()
    tests = args.tests or TESTS.get(name)
    if not tests:
        parser.error(f"no tests known for {name}: add it to TESTS or give --tests")
    original = path.read_bytes()
    sites = Sites(original)
    mutants = sample(sites, args.mutants, args.seed)
    if args.lines:
        wanted = set()
        for part in args.lines.split(","):
            low, _, high = part.partition("-")
            wanted.update(range(int(low), int(high or low) + 1))
        mutants = [m for m in mutants if m.line in wanted]
    equivalent = EQUIVALENT.get(name, {})
    if args.list:
        for mutant in mutants:
            mark = "  (equivalent)" if mutant.key in equivalent else ""
            print(f"{name}:{mutant.line}  {mutant.key}{mark}")
        return 0

    # A stale bytecode of the file could be imported instead of a mutant.
    Path(importlib.util.cache_from_source(str(path))).unlink(missing_ok=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # restore, then end
    stat = path.stat()
    began = time.monotonic()
    if run_tests(tests, args.timeout or 600) != "survived":
        print(f"the tests fail on the file as it is: {' '.join(tests)}")
        return 1
    clean = time.monotonic() - began
    timeout = args.timeout or max(3 * clean, 30.0)
    print(
        f"{name}: {len(mutants)} mutants; tests take {clean:.0f} s, limit {timeout:.0f} s"
    )
    print(f"tests: {' '.join(tests)}")

    fates: dict[str, list[Mutant]] = {
        "killed": [],
        "timeout": [],
        "survived": [],
        "equivalent": [],
    }
    try:
        for number, mutant in enumerate(mutants, 1):
            if mutant.key in equivalent:
                fate = "equivalent"
            else:
                path.write_bytes(sites.apply(mutant))
                try:
                    fate = run_tests(tests, timeout)
                finally:
                    path.write_bytes(original)
                    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
            fates[fate].append(mutant)
            print(
                f"{number:3}/{len(mutants)} {fate:10} {name}:{mutant.line}  {mutant.key}",
                flush=True,
            )
    finally:
        path.write_bytes(original)
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    for mutant in fates["equivalent"]:
        print(
            f"equivalent {name}:{mutant.line}  {mutant.key}\n    {equivalent[mutant.key]}"
        )
    for mutant in fates["survived"]:
        print(f"survived   {name}:{mutant.line}  {mutant.key}")
    killed = len(fates["killed"]) + len(fates["timeout"])
    counted = len(mutants) - len(fates["equivalent"])
    share = 100 * killed / counted if counted else 100.0
    print(
        f"score {name}: {killed}/{counted} killed = {share:.1f}% "
        f"({len(mutants)} sampled, seed {args.seed}; {len(fates['equivalent'])} equivalent, "
        f"{len(fates['timeout'])} timeouts, {time.monotonic() - began:.0f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
