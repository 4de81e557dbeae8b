"""Benchmark: the time to answer for workbooks of the worst shapes (issue «Nothing hangs»).

Each shape is written as a small .xlsx (sheet XML written directly: inline strings, no styles)
and imported with `python -m dashboard import` into a fresh database in a fresh process; the
wall time to the answer (stored or refused) and the exit code are printed. Target: ≤ 5 s each.
Run: `.venv/bin/python scripts/bench_worst.py [--keep DIR]`.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
MAX_COLUMNS = 16_384

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "{sheets}</Types>"
)
SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def column(n: int) -> str:
    out = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(65 + rest) + out
    return out


def sheet_xml(rows: list[list[str]]) -> str:
    body = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(
            f'<c r="{column(c)}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
            for c, v in enumerate(row)
        )
        body.append(f'<row r="{r}">{cells}</row>')
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData>{"".join(body)}</sheetData></worksheet>'


def write_xlsx(path: Path, sheets: list[tuple[str, list[list[str]]]]) -> Path:
    """A minimal workbook; sheet names may repeat (a damaged workbook.xml)."""
    entries = "".join(
        f'<sheet name="{escape(name)}" sheetId="{n}" r:id="rId{n}"/>'
        for n, (name, _rows) in enumerate(sheets, start=1)
    )
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(sheets) + 1)
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        types = "".join(SHEET_TYPE.format(n=n) for n in range(1, len(sheets) + 1))
        z.writestr("[Content_Types].xml", CONTENT_TYPES.format(sheets=types))
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook {NS}><sheets>{entries}</sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships '
            f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>',
        )
        for n, (_name, rows) in enumerate(sheets, start=1):
            z.writestr(f"xl/worksheets/sheet{n}.xml", sheet_xml(rows))
    return path


STATUS = [["HP nr.", "Tiltak", "Status 0-5", "Kommentar"], ["1", "Et tiltak", "3", "ok"]]


def shapes(folder: Path) -> dict[str, Path]:
    """The worst shapes found by the attack, written to `folder`."""
    header = [f"Kolonne {c}" for c in range(MAX_COLUMNS)]
    words = [[f"tekst {r}.{c}" for c in range(MAX_COLUMNS)] for r in range(21)]
    return {
        "16 384-column header row": write_xlsx(folder / "wide_header.xlsx", [("Ark1", [header])]),
        "22 × 16 384 text cells": write_xlsx(
            folder / "wide_text.xlsx", [("Ark1", [header, *words])]
        ),
        "100 sheets × 20 × 1 024 texts": write_xlsx(
            folder / "wide_sheets.xlsx",
            [
                (f"Ark {n}", [[f"t{n}.{r}.{c}" for c in range(1024)] for r in range(20)])
                for n in range(100)
            ],
        ),
        "200 000-row status table": write_xlsx(
            folder / "long_status.xlsx",
            [
                (
                    "Status 2023",
                    [STATUS[0]]
                    + [[str(1 + i % 30), f"Tiltak {i}", str(i % 6), "ok"] for i in range(200_000)],
                )
            ],
        ),
        "300 sheets": write_xlsx(
            folder / "many_sheets.xlsx", [(f"Ark {n}", STATUS) for n in range(300)]
        ),
        "300 sheets with one name": write_xlsx(
            folder / "dup_names.xlsx", [("Dup", STATUS) for _ in range(300)]
        ),
    }


def answer(path: Path, db: Path) -> tuple[float, int, str]:
    start = time.perf_counter()
    proc = subprocess.run(
        # unit and year given, so a status table is read to the end rather than refused early
        [sys.executable, "-m", "dashboard", "import", str(path), "--db", str(db)]
        + ["--unit", "MH", "--year", "2023"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    last = (proc.stderr or proc.stdout).strip().splitlines()
    return time.perf_counter() - start, proc.returncode, (last[-1] if last else "")[:160]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="write the workbooks here (else a temp folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        print(f"{'shape':28} {'MB':>5} {'seconds':>8} {'exit':>4}  answer")
        for n, (name, path) in enumerate(shapes(folder).items()):
            seconds, code, text = answer(path, Path(tmp) / f"b{n}.duckdb")
            size = path.stat().st_size / 1e6
            print(f"{name:28} {size:5.1f} {seconds:8.2f} {code:>4}  {text}")


if __name__ == "__main__":
    main()
