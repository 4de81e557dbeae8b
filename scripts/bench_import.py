"""Benchmark: import a 200 000-row ledger workbook vs. fastexcel merely reading it to Arrow.

Prints both times, their ratio (target ≤ 1.5) and the peak memory of the whole import, child
processes included (target ≤ 400 MB). The import is timed as the import command and the upload
page run it, with the parsing child started ahead (dashboard.ingest.reader.prestart); the cold figure,
with the child started inside the import, is printed too. Run: `.venv/bin/python scripts/bench_import.py [--rows N]`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

UNITS = [f"MH-{c}" for c in ("INB", "ISB", "IKOM", "ISM", "IPH", "IHA", "IHG", "KIN", "ADM")] + [
    f"IV-I{chr(65 + n // 26)}{chr(65 + n % 26)}" for n in range(40)
]
LINES = [
    "Bevilgning",
    "Overføring fra BOA",
    "Overføring fra EVU",
    "Andre inntekter",
    "Investering",
    "Lønn",
    "Drift",
    "Egenfinansiering BOA",
    "Egenfinansiering EVU",
]


def write_ledger(path: Path, rows: int) -> None:
    """A ledger export: enhet, år, måned, linje, budsjett, prognose (openpyxl write-only)."""
    from openpyxl import Workbook

    rng = random.Random(1)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Hovedbok")
    ws.append(["Enhet", "År", "Måned", "Linje", "Budsjett", "Prognose"])
    written = 0
    year = 2015
    while written < rows:
        for unit in UNITS:
            for month in range(1, 13):
                for line in LINES:
                    budget = rng.randint(-90000, 90000)
                    ws.append([unit, year, month, line, budget, budget + rng.randint(-900, 900)])
                    written += 1
                    if written >= rows:
                        break
                if written >= rows:
                    break
            if written >= rows:
                break
        year += 1
    wb.save(path)


IMPORT_SNIPPET = """
import json, sys, time
from pathlib import Path
from dashboard.config import Settings
settings = Settings.from_env(sys.argv[2])
if sys.argv[3] == "warm":
    # As `python -m dashboard import` and the upload page do: the parsing child starts first and
    # loads its readers while this process loads DuckDB and the parsers.
    from dashboard.ingest import reader
    reader.prestart(settings)
from dashboard import store
from dashboard.service.imports import import_file
from dashboard.ingest.layouts.common import Overrides
time.sleep(0.3)  # let the start-up settle (both processes); not part of the timing
t0 = time.perf_counter()
con = store.connect(settings.db_path)
result = import_file(con, Path(sys.argv[1]), settings, Overrides(label="prognose oktober 2023"))
rows = con.execute("select count(*) from budget_figures").fetchone()[0]
con.close()
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "rows": result.parsed.rows, "figures": rows}))
"""

READ_SNIPPET = """
import json, sys, time
import fastexcel
t0 = time.perf_counter()
table = fastexcel.read_excel(sys.argv[1]).load_sheet(0).to_arrow()
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "rows": table.num_rows}))
"""


PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants, straight from /proc (cheap)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            total += int(Path(f"/proc/{current}/statm").read_text().split()[1]) * PAGE
            for task in Path(f"/proc/{current}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue  # the process ended meanwhile
    return total


def run_measured(code: str, *args: str) -> dict:
    """Run a Python snippet in a fresh interpreter; return its JSON output plus `peak_mb`, the
    peak resident memory of its whole process tree, sampled every 5 ms."""
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(err.decode())
    result = json.loads(out.decode().strip().splitlines()[-1])
    return result | {"peak_mb": peak / 1024 / 1024}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "hovedbok_bench.xlsx"
        t0 = time.perf_counter()
        write_ledger(path, args.rows)
        print(
            f"workbook: {args.rows} rows, {path.stat().st_size / 1e6:.1f} MB, written in {time.perf_counter() - t0:.1f} s"
        )
        reads, read_peaks = [], []
        imports: dict[str, list[float]] = {"warm": [], "cold": []}
        peaks: dict[str, list[float]] = {"warm": [], "cold": []}
        for i in range(args.repeat):
            read = run_measured(READ_SNIPPET, str(path))
            reads.append(read["seconds"])
            read_peaks.append(read["peak_mb"])
            for mode in ("warm", "cold"):
                imported = run_measured(
                    IMPORT_SNIPPET, str(path), str(Path(tmp) / f"bench{i}{mode}.duckdb"), mode
                )
                imports[mode].append(imported["seconds"])
                peaks[mode].append(imported["peak_mb"])
        read_s = min(reads)
        warm_s, cold_s = min(imports["warm"]), min(imports["cold"])
        print(
            f"fastexcel bare read to Arrow : {read_s:.2f} s (best of {args.repeat}), peak {max(read_peaks):.0f} MB"
        )
        print(
            f"Målbilde import into DuckDB  : {warm_s:.2f} s (best of {args.repeat}), "
            f"{imported['rows']} rows -> {imported['figures']} figures"
        )
        print(f"ratio import / bare read     : {warm_s / read_s:.2f}  (target <= 1.5)")
        print(
            f"peak memory of the import    : {max(peaks['warm']):.0f} MB, child processes included  (target <= 400 MB)"
        )
        print(
            f"cold (parser started inside the import): {cold_s:.2f} s, ratio {cold_s / read_s:.2f}, "
            f"peak {max(peaks['cold']):.0f} MB"
        )


if __name__ == "__main__":
    main()
