"""Benchmark: taking back a reporting round of 60 unit workbooks with 50 measures each, in one
batch, against importing the same 3 000 rows as one status workbook. Both are timed the way
the user waits for them (read, check, preview and save), paired in the same run; prints both
and the ratio (goal: ≤ 3×).

    .venv/bin/python scripts/bench_rounds.py [--units 60] [--measures 50] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard import auth, store  # noqa: E402
from dashboard.config import Settings  # noqa: E402
from dashboard.round_format import HEADER_ROW, HEADERS, STATUS_SHEET  # noqa: E402
from dashboard.service import answers, imports  # noqa: E402
from dashboard.service.rounds import opening, saving, sending, taking  # noqa: E402

PLAN = "Handlingsplan 2025"
AREAS = ("Utdanning", "Forskning", "Innovasjon", "Formidling", "Organisasjon")


def _title(u: int, m: int) -> str:
    return f"Tiltak {m:02d} ved enhet {u:02d}: styrke arbeidet med kvalitet og samarbeid"


def base_db(folder: Path, n_units: int, n_measures: int) -> Path:
    """A store with n_units units under MH, each with a plan of n_measures measures reported
    once (the round's starting point)."""
    db = folder / "base.duckdb"
    con = store.connect(db)
    for u in range(1, n_units + 1):
        unit = f"MH-B{u:02d}"
        measures, status = [], []
        for m in range(1, n_measures + 1):
            key = f"tiltak {m:02d} ved enhet {u:02d}"
            measures.append(
                {
                    "unit": unit,
                    "plan": PLAN,
                    "year": 2025,
                    "seq": m,
                    "measure_key": key,
                    "area": AREAS[m % 5],
                    "goal_no": m % 12 + 1,
                    "title": _title(u, m),
                }
            )
            status.append(
                {
                    "unit": unit,
                    "plan": PLAN,
                    "round": "Status 2025",
                    "measure_key": key,
                    "score": m % 4,
                    "category": None,
                    "comment": "Forrige kommentar",
                }
            )
        store.write_import(
            con,
            {
                "file_name": f"{unit}.xlsx",
                "sha256": unit,
                "layout": "status_scores",
                "sheets": "Status",
                "unit": unit,
                "year": 2025,
                "label": "Status 2025",
            },
            {
                "plans": [
                    {
                        "unit": unit,
                        "plan": PLAN,
                        "kind": "Handlingsplan",
                        "year": 2025,
                        "round": "Status 2025",
                    }
                ],
                "measures": measures,
                "status_reports": status,
            },
            {},
        )
    con.close()
    return db


def round_files(db: Path, folder: Path) -> tuple[int, list[tuple[Path, str]]]:
    """Open the round and fill every unit's workbook (status and comment on every row)."""
    con = store.connect(db)
    rid = opening.open_round(con, "MH", PLAN, "Status juni 2026", dt.date(2026, 6, 15), None)
    files = []
    status_col = HEADERS.index("Ny status") + 1
    for name, data in sending.workbooks(con, rid).items():
        path = folder / name
        path.write_bytes(data)
        wb = openpyxl.load_workbook(path)
        ws = wb[STATUS_SHEET]
        for r in range(HEADER_ROW + 1, ws.max_row + 1):
            ws.cell(r, status_col, f"{(r % 5) + 1} – x")
            ws.cell(r, status_col + 1, f"Nytt svar i rad {r}")
        wb.save(path)
        files.append((path, name))
    con.close()
    return rid, files


def one_workbook(folder: Path, n_units: int, n_measures: int) -> Path:
    """The same rows as one status workbook in the accepted 0–5 layout."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Status"
    ws.append(["Handlingsplan for MH-fakultetet, status juni 2026"])
    ws.append(["Område", "HP nr.", "Tiltak i handlingsplanen", "Status (0-5)", "Kommentar"])
    for u in range(1, n_units + 1):
        for m in range(1, n_measures + 1):
            ws.append([AREAS[m % 5], m % 12 + 1, _title(u, m), (m % 5) + 1, f"Nytt svar {m}"])
    path = folder / "mh_handlingsplan_2025_status_juni_2026.xlsx"
    wb.save(path)
    return path


def time_round(db: Path, rid: int, files, folder: Path) -> float:
    work = folder / "round.duckdb"
    shutil.copy(db, work)
    con = store.connect(work)
    settings = Settings.from_env(work)
    start = time.perf_counter()
    batch = taking.take_back(con, settings, rid, files)
    saved = saving.save(con, batch, None)
    took = time.perf_counter() - start
    assert len(saved) == len(files) and all(i for _, i, _ in saved), batch.refused[:1]
    con.close()
    work.unlink()
    return took


def time_single(db: Path, path: Path, folder: Path, rows: int) -> float:
    work = folder / "single.duckdb"
    shutil.copy(db, work)
    con = store.connect(work)
    settings = Settings.from_env(work)
    start = time.perf_counter()
    preview = imports.preview(con, path, settings, None, path.name)
    imports.save(con, preview.result, None)
    took = time.perf_counter() - start
    measures = len(preview.result.parsed.tables["measures"])
    if measures != rows:  # the two sides must import the same rows to be compared
        raise SystemExit(f"the single workbook held {measures} measures, not {rows}")
    con.close()
    work.unlink()
    return took


def _draft(con, settings, rid: int, unit: str, n: int) -> float:
    """One reporter's draft of a unit (status and comment on every measure), timed."""
    fields = {
        f"{unit}-{m:02d}": {"status": str(m % 6), "comment": f"utkast {m}"} for m in range(1, n + 1)
    }
    start = time.perf_counter()
    answers.save_draft(con, settings, auth.LOCAL_USER, rid, unit, fields)
    return time.perf_counter() - start


def time_drafts(db: Path, rid: int, folder: Path, reporters: int, n_units: int, n: int) -> None:
    """A plain draft save (alone), then `reporters` reporters saving at once through the
    service (threads, each with its own cursor); every draft stored; p95 of a save."""
    work = folder / "drafts.duckdb"
    shutil.copy(db, work)
    con = store.connect(work)
    settings = Settings.from_env(work)
    units = [f"MH-B{u % n_units + 1:02d}" for u in range(reporters)]
    plain = statistics.median(_draft(con, settings, rid, units[0], n) for _ in range(3))
    before = con.execute("select count(distinct saved_event) from round_drafts").fetchone()[0]
    times: list[float] = []

    def one(unit: str) -> None:
        cur = con.cursor()
        try:
            times.append(_draft(cur, settings, rid, unit, n))
        finally:
            cur.close()

    threads = [threading.Thread(target=one, args=(u,)) for u in units]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stored = con.execute("select count(distinct saved_event) from round_drafts").fetchone()[0]
    con.close()
    if stored - before != reporters or len(times) != reporters:
        raise SystemExit(f"{reporters} drafts saved, {stored - before} stored")
    p95 = statistics.quantiles(times, n=20)[-1]
    print(f"{reporters} reporters saving drafts at once: all {reporters} stored")
    print(f"draft save, p95 under load: {p95:.3f} s; a plain save alone: {plain:.3f} s")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=60)
    parser.add_argument("--measures", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reporters", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = base_db(folder, args.units, args.measures)
        rid, files = round_files(db, folder)
        single = one_workbook(folder, args.units, args.measures)
        rows = args.units * args.measures
        pairs = []
        for _ in range(args.runs):
            pairs.append(
                (time_single(db, single, folder, rows), time_round(db, rid, files, folder))
            )
        one = statistics.median(p[0] for p in pairs)
        batch = statistics.median(p[1] for p in pairs)
        print(f"rows: {rows} ({args.units} workbooks × {args.measures} measures)")
        print(
            f"one workbook of {rows} rows, read and saved: median {one:.2f} s "
            f"(runs: {', '.join(f'{p[0]:.2f}' for p in pairs)})"
        )
        print(
            f"{args.units} returned workbooks in one batch, read and saved: median {batch:.2f} s "
            f"(runs: {', '.join(f'{p[1]:.2f}' for p in pairs)})"
        )
        print(f"ratio: {batch / one:.2f}× (goal ≤ 3×)")
        time_drafts(db, rid, folder, args.reporters, args.units, args.measures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
