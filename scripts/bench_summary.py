"""Benchmark: `python -m dashboard summary --json` on the demo database and on the 100×
database (data/generate_large.py), beside start-up alone, each timed as a whole process from
outside (start-up included), the commands taken in turn so that a drift of the machine's speed
hits all alike. Prints medians and ratios; asserts nothing.

- «help»: `python -m dashboard --help` (the interpreter and the command line, no data library);
- «start-up»: the same process importing what `summary` imports and opening the database
  read-only, then exiting (what every command pays before its first query);
- «demo», «100×»: `summary --json` (output thrown away). Work = summary − start-up.

Targets (issue 27): demo work ≤ 1 s and demo ≤ 2 s in all; 100× ≤ 3 × demo.

Run: `.venv/bin/python scripts/bench_summary.py [--runs 5] [--quick]` (quick: no 100× database).
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
START_UP = (
    "import sys; from dashboard import store; from dashboard.present.summary import summarise; "
    "store.open_for_reading(sys.argv[1])[0].close()"
)


def build_in_child(module: str, function: str, path: Path) -> Path:
    """Build a database in a process of its own (the benchmark's process stays small)."""
    code = f"from {module} import {function}; {function}({str(path)!r})"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    return path


def wall(command: list[str]) -> tuple[float, float]:
    """Seconds from the start of `command` to its exit (its output thrown away), and the CPU
    seconds (user + system) it used — the steadier figure on a machine others share."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return elapsed, cpu


def commands(demo: Path, large: Path | None) -> dict[str, list[str]]:
    py = [sys.executable]
    out = {
        "help": [*py, "-m", "dashboard", "--help"],
        "start-up": [*py, "-c", START_UP, str(demo)],
        "demo": [*py, "-m", "dashboard", "summary", "--json", "--db", str(demo)],
    }
    if large is not None:
        out["100×"] = [*py, "-m", "dashboard", "summary", "--json", "--db", str(large)]
    return out


def measure(cmds: dict[str, list[str]], runs: int) -> tuple[dict, dict]:
    """Each command `runs` times, in turn (one warm-up round not counted): wall and CPU."""
    for command in cmds.values():
        wall(command)
    walls: dict[str, list[float]] = {name: [] for name in cmds}
    cpus: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(runs):
        for name, command in cmds.items():
            w, c = wall(command)
            walls[name].append(w)
            cpus[name].append(c)
    return walls, cpus


def report(times: dict[str, list[float]], what: str) -> None:
    print(f"\n{what}")
    med = {name: statistics.median(t) for name, t in times.items()}
    start = med["start-up"]
    print(f"{'command':<10}{'median s':>10}{'min':>8}{'max':>8}{'× start-up':>12}{'work s':>9}")
    for name, t in times.items():
        work = f"{med[name] - start:>9.2f}" if name in ("demo", "100×") else ""
        print(
            f"{name:<10}{med[name]:>10.2f}{min(t):>8.2f}{max(t):>8.2f}"
            f"{med[name] / start:>12.2f}{work}"
        )
    # ratios pair by pair (the same round), then their median
    pairs = list(zip(times["demo"], times["start-up"], strict=True))
    print(f"demo / start-up, per round: {statistics.median(d / s for d, s in pairs):.2f}")
    if "100×" in times:
        big = statistics.median(b / d for b, d in zip(times["100×"], times["demo"], strict=True))
        print(f"100× / demo, per round: {big:.2f}")
    print("targets: demo work ≤ 1 s, demo ≤ 2 s in all, 100× ≤ 3 × demo")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="no 100× database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        demo = build_in_child("data.generate_demo", "build_demo", Path(tmp) / "demo.duckdb")
        large = None
        if not args.quick:
            large = build_in_child("data.generate_large", "build_large", Path(tmp) / "large.duckdb")
        walls, cpus = measure(commands(demo, large), args.runs)
        report(walls, "wall seconds")
        report(cpus, "CPU seconds (user + system)")


if __name__ == "__main__":
    main()
