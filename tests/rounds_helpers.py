"""Helpers for the reporting-round tests: a demo database with a round, and workbooks filled
in with openpyxl the way people fill them."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import openpyxl

from dashboard import store
from dashboard.round_format import HEADER_ROW, HEADERS, STATUS_SHEET
from dashboard.service import rounds

PLAN = "Handlingsplan 2019"
LABEL = "Status juni 2020"
COL = {h: i + 1 for i, h in enumerate(HEADERS)}
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def open_demo_round(db: Path, due: dt.date | None = dt.date(2020, 6, 15)) -> int:
    con = store.connect(db)
    try:
        return rounds.open_round(con, "MH", PLAN, LABEL, due, "kari@ntnu.no")
    finally:
        con.close()


def write_workbooks(con, round_id: int, folder: Path) -> dict[str, Path]:
    """Every unit's workbook of the round in `folder`: {unit: path}."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, data in rounds.workbooks(con, round_id).items():
        path = folder / name
        path.write_bytes(data)
        wb = openpyxl.load_workbook(path, read_only=True)
        unit = wb["Om arbeidsboka"]
        code = next(r[1] for r in unit.iter_rows(values_only=True) if r and r[0] == "Enhet")
        wb.close()
        out[code] = path
    return out


def rows_of(path: Path) -> list[list]:
    ws = openpyxl.load_workbook(path)[STATUS_SHEET]
    return [
        [c.value for c in row]
        for row in ws.iter_rows(min_row=HEADER_ROW + 1)
        if row[0].value is not None
    ]


def fill(path: Path, answers: dict[str, dict], target: Path | None = None, reverse=False) -> Path:
    """Write answers {key: {header: value}} into a unit's workbook (saved as `target`); with
    `reverse` the rows are written back in the opposite order (as when someone sorts)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[STATUS_SHEET]
    first = HEADER_ROW + 1
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=first) if row[0].value]
    if reverse:
        rows = rows[::-1]
    for i, values in enumerate(rows):
        r = first + i
        for c, value in enumerate(values, start=1):
            ws.cell(r, c).value = value
        for header, value in answers.get(values[0], {}).items():
            ws.cell(r, COL[header]).value = value
    target = target or path
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
    return target


def libreoffice_save(path: Path, folder: Path) -> Path:
    """The workbook opened and saved again by LibreOffice Calc."""
    folder.mkdir(parents=True, exist_ok=True)
    profile = folder / "profile"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(folder),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return folder / path.name


def stored_round(con, unit: str | None = None) -> dict[tuple[str, str], tuple]:
    """{(unit, measure title): (score, category, comment, owner)} of the round's answers."""
    q = (
        "select s.unit, m.title, s.score, s.category, s.comment, s.owner from status_at("
        "(select max(event_id) from import_events), null) s join measures m on s.import_id = "
        "m.import_id and s.unit = m.unit and s.measure_key = m.measure_key where s.round = ?"
    )
    rows = con.execute(q, [LABEL]).fetchall()
    return {(r[0], r[1]): tuple(r[2:]) for r in rows if unit is None or r[0] == unit}


def demo_with_answers(db: Path) -> int:
    """The demo with an open round of MH's plan: MH and MH-INB answered in full, MH-ISM in
    part, MH-IKOM and MH-ISB not yet. Returns the round's id."""
    from dashboard.config import Settings
    from tests.helpers.demo import demo_copy

    demo_copy(db)
    rid = open_demo_round(db)
    con = store.connect(db)
    try:
        books = write_workbooks(con, rid, db.parent / "arbeidsboker")
        files = []
        for unit in ("MH", "MH-INB", "MH-ISM"):
            rows = rows_of(books[unit])
            if unit == "MH-ISM":
                rows = rows[:4]
            answers = {
                row[0]: {"Ny status": f"{(i % 5) + 1} – x", "Ny kommentar": f"Svar {i}"}
                for i, row in enumerate(rows)
            }
            files.append(fill(books[unit], answers, db.parent / "inn" / f"{unit}.xlsx"))
        settings = Settings.from_env(db)
        batch = rounds.take_back(con, settings, rid, [(p, p.name) for p in files])
        assert not batch.refused, [f.error for f in batch.refused]
        rounds.save(con, batch, "kari@ntnu.no")
    finally:
        con.close()
    return rid
