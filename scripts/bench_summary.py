"""Benchmark: `python -m dashboard summary --json` on the demo database and on the 100×
database (data/generate_large.py), beside the same command's start-up alone, each timed as a
whole process from outside (interpreter start and exit included). The commands are taken in
turn, round after round, and each difference and ratio is taken within a round, so that a drift
of the machine's speed hits all alike. Prints medians; asserts nothing.

- «--help»: `python -m dashboard --help` (the interpreter and the command line, no data library);
- «start-up»: `python -m dashboard summary --json --per N` with an N past the newest event: the
  same command importing what it imports, opening the database and reading its newest event,
  then exiting with its message (exit 2) before the first figure is read;
- «demo», «100×»: `summary --json` (output thrown away). Work after start-up = the command
  minus start-up in the same round.

Targets (issue 27): demo work after start-up ≤ 1 s and ≤ 2 s in all; 100× ≤ 3 × demo.

Run: `.venv/bin/python scripts/bench_summary.py [--runs 5] [--quick] [--demo DB] [--large DB]`
(quick: no 100× database; --demo/--large: databases already built, else both are built first).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAST_NEWEST = "999999999"  # an event no database has: the summary stops after start-up


def build_in_child(module: str, function: str, path: Path) -> Path:
    """Build a database in a process of its own (the benchmark's process stays small)."""
    code = f"from {module} import {function}; {function}({str(path)!r})"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    return path


def run(command: list[str], exit_code: int) -> tuple[float, float]:
    """Seconds from the start of `command` to its exit (its output thrown away), and the CPU
    seconds (user + system) it used — the steadier figure on a machine others share."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != exit_code:
        raise SystemExit(f"{command}: exit {done.returncode}\n{done.stderr.decode()}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return elapsed, cpu


def commands(demo: Path, large: Path | None) -> dict[str, tuple[list[str], int]]:
    """Each command with the exit code it must end with."""
    summary = [sys.executable, "-m", "dashboard", "summary", "--json", "--db"]
    out = {
        "--help": ([sys.executable, "-m", "dashboard", "--help"], 0),
        "start-up": ([*summary, str(demo), "--per", PAST_NEWEST], 2),
        "demo": ([*summary, str(demo)], 0),
    }
    if large is not None:
        out["100×"] = ([*summary, str(large)], 0)
    return out


def measure(cmds: dict[str, tuple[list[str], int]], runs: int) -> list[dict[str, tuple]]:
    """`runs` rounds, each command once per round in turn (one warm-up round not counted):
    per round, each command's (wall, CPU) seconds."""
    for command, code in cmds.values():
        run(command, code)
    return [{name: run(*cmd) for name, cmd in cmds.items()} for _ in range(runs)]


def _med(values) -> float:
    return statistics.median(list(values))


def report(rounds: list[dict[str, tuple]]) -> None:
    """Medians (min–max) of wall and CPU seconds, work after start-up and the 100× ratio."""
    print(f"{len(rounds)} rounds; seconds, median (min–max)")
    print(f"{'':<10}{'wall':>22}{'CPU':>22}")
    for name in rounds[0]:
        cells = []
        for i in (0, 1):
            xs = [r[name][i] for r in rounds]
            cells.append(f"{_med(xs):.2f} ({min(xs):.2f}–{max(xs):.2f})")
        print(f"{name:<10}{cells[0]:>22}{cells[1]:>22}")
    for i, what in ((0, "wall"), (1, "CPU")):
        work = _med(r["demo"][i] - r["start-up"][i] for r in rounds)
        line = (
            f"{what}: start-up {_med(r['start-up'][i] for r in rounds):.2f} s; demo in all "
            f"{_med(r['demo'][i] for r in rounds):.2f} s, work after start-up {work:.2f} s"
        )
        if "100×" in rounds[0]:
            ratio = _med(r["100×"][i] / r["demo"][i] for r in rounds)
            line += f"; 100× in all {_med(r['100×'][i] for r in rounds):.2f} s, {ratio:.2f} × demo"
        print(line)
    print("targets: demo work after start-up ≤ 1 s, demo ≤ 2 s in all, 100× ≤ 3 × demo")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="no 100× database")
    parser.add_argument("--demo", type=Path, help="a demo database already built (else built)")
    parser.add_argument("--large", type=Path, help="a 100× database already built (else built)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        demo = args.demo or build_in_child(
            "data.generate_demo", "build_demo", Path(tmp) / "demo.duckdb"
        )
        large = None
        if not args.quick:
            large = args.large or build_in_child(
                "data.generate_large", "build_large", Path(tmp) / "large.duckdb"
            )
        report(measure(commands(demo, large), args.runs))


if __name__ == "__main__":
    main()
