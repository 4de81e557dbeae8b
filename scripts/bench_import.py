"""Benchmark: import a 200 000-row ledger workbook vs. fastexcel merely reading it to Arrow.

Prints both times, their ratio (target ≤ 1.5) and the peak memory of the whole import, child
processes included (target ≤ 400 MB). Run: `.venv/bin/python scripts/bench_import.py [--rows N]`.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

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
from dashboard import store
from dashboard.config import Settings
from dashboard.ingest import import_file
from dashboard.layouts.common import Overrides
settings = Settings.from_env(sys.argv[2])
t0 = time.perf_counter()
con = store.connect(settings.db_path)
result = import_file(con, Path(sys.argv[1]), settings, Overrides(label="prognose oktober 2023"))
rows = con.execute("select count(*) from budget_figures").fetchone()[0]
con.close()
print(json.dumps({"seconds": time.perf_counter() - t0, "rows": result.parsed.rows, "figures": rows}))
"""

READ_SNIPPET = """
import json, sys, time
import fastexcel
t0 = time.perf_counter()
table = fastexcel.read_excel(sys.argv[1]).load_sheet(0).to_arrow()
print(json.dumps({"seconds": time.perf_counter() - t0, "rows": table.num_rows}))
"""


def run_measured(code: str, *args: str) -> tuple[dict, float]:
    """Run a Python snippet in a subprocess; return its JSON output and the peak RSS (MB) of its tree."""
    proc = psutil.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    peak = 0
    while proc.poll() is None:
        try:
            tree = [proc, *proc.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.01)
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(err.decode())
    return json.loads(out.decode().strip().splitlines()[-1]), peak / 1024 / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "hovedbok_bench.xlsx"
        t0 = time.perf_counter()
        write_ledger(path, args.rows)
        print(
            f"workbook: {args.rows} rows, {path.stat().st_size / 1e6:.1f} MB, written in {time.perf_counter() - t0:.1f} s"
        )
        reads, imports, peaks, read_peaks = [], [], [], []
        for i in range(args.repeat):
            read, read_peak = run_measured(READ_SNIPPET, str(path))
            imported, peak = run_measured(
                IMPORT_SNIPPET, str(path), str(Path(tmp) / f"bench{i}.duckdb")
            )
            reads.append(read["seconds"])
            read_peaks.append(read_peak)
            imports.append(imported["seconds"])
            peaks.append(peak)
        read_s, import_s = min(reads), min(imports)
        print(
            f"fastexcel bare read to Arrow : {read_s:.2f} s (best of {args.repeat}), peak {max(read_peaks):.0f} MB"
        )
        print(
            f"Målbilde import into DuckDB  : {import_s:.2f} s (best of {args.repeat}), "
            f"{imported['rows']} rows -> {imported['figures']} figures"
        )
        print(f"ratio import / bare read     : {import_s / read_s:.2f}  (target <= 1.5)")
        print(
            f"peak memory of the import    : {max(peaks):.0f} MB, child processes included  (target <= 400 MB)"
        )


if __name__ == "__main__":
    main()
