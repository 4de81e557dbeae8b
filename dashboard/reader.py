"""Read a workbook's sheets in a guarded child process.

Excel parsers can crash the whole process on hostile files (python-calamine aborts on a sheet
whose only cell is XFD1048576, tafia/calamine#693), or eat memory. So parsing runs in a child
`python -m dashboard.reader` with a memory limit (RLIMIT_AS) and a wall-clock timeout; any
failure of the child becomes a clear refusal, and the server keeps running.

Small sheets come back as rows of typed Python values (python-calamine); big sheets as an
Arrow table of strings (fastexcel), so bulk ledgers go to DuckDB without Python loops.
"""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dashboard.config import Settings
from dashboard.errors import FileRefused
from dashboard.safety import Precheck

FORMULA_NO_VALUE = "\x00formel-uten-verdi"
MAX_SMALL_CELLS = 5_000_000


@dataclass
class SheetData:
    """One visible sheet: rows (typed) or an Arrow table of strings, with the top-left offset."""

    name: str
    row0: int = 0
    col0: int = 0
    rows: list[list[Any]] = field(default_factory=list)
    arrow: Any = None  # pyarrow.Table for bulk sheets
    refused: str | None = None

    @property
    def n_rows(self) -> int:
        return self.arrow.num_rows if self.arrow is not None else len(self.rows)

    def head(self, n: int = 25) -> list[list[Any]]:
        """The first n rows as Python values (for layout detection)."""
        if self.arrow is None:
            return self.rows[:n]
        return [list(r.values()) for r in self.arrow.slice(0, n).to_pylist()]

    def all_rows(self) -> list[list[Any]]:
        if self.arrow is None:
            return self.rows
        return [list(r.values()) for r in self.arrow.to_pylist()]


def read_workbook(path: Path, pre: Precheck, settings: Settings, display_name: str) -> list[SheetData]:
    """Parse the visible sheets of `path` in a child process; refuse cleanly on any failure."""
    bulk = [s for s, size in pre.sheet_xml_bytes.items() if size >= settings.bulk_sheet_bytes]
    job = {"path": str(path), "bulk": bulk, "formulas": pre.formula_without_value,
           "parts": pre.sheet_parts}
    with tempfile.TemporaryDirectory(prefix="malbilde-read-") as tmp:
        job_file, out_file = Path(tmp) / "job.pkl", Path(tmp) / "out.pkl"
        job_file.write_bytes(pickle.dumps(job))
        limit = settings.parse_memory_mb * 1024 * 1024

        def _limits() -> None:  # runs in the child before exec
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

        env = dict(os.environ, PYTHONFAULTHANDLER="0", RUST_BACKTRACE="0")
        try:
            proc = subprocess.run(
                [sys.executable, "-m", "dashboard.reader", str(job_file), str(out_file)],
                capture_output=True, timeout=settings.parse_timeout_s, preexec_fn=_limits,
                env=env, cwd=str(Path(__file__).resolve().parent.parent),
            )
        except subprocess.TimeoutExpired:
            raise FileRefused(f"Lesingen tok mer enn {settings.parse_timeout_s} sekunder og ble "
                              "stoppet. Fila er for stor eller skadet.", file=display_name) from None
        if proc.returncode != 0 or not out_file.exists():
            detail = _child_reason(proc.returncode, proc.stderr)
            raise FileRefused(f"Arbeidsboka kunne ikke leses ({detail}). Åpne den i Excel, lagre "
                              "på nytt som .xlsx og prøv igjen.", file=display_name)
        result = pickle.loads(out_file.read_bytes())
    if isinstance(result, str):
        raise FileRefused(result, file=display_name)
    return result


def _child_reason(code: int, stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace")
    if code < 0 or "memory allocation" in text or "MemoryError" in text:
        return "leseren krasjet eller brukte for mye minne"
    match = re.search(r"(CalamineError|FastExcelError|Error)[^\n]*", text)
    return f"feil fra leseren: {match.group(0)[:160]}" if match else "ukjent feil i leseren"


# ------------------------------------------------------------------ child side


def _first_cell(path: str, part: str) -> tuple[int, int]:
    """Top-left cell of a sheet from the first cells of its XML (for bulk sheets)."""
    with zipfile.ZipFile(path) as archive, archive.open(part) as fh:
        head = fh.read(65536).decode("utf-8", "replace")
    refs = re.findall(r'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})(\d+)"', head)[:200]
    if not refs:
        return 0, 0
    row0 = min(int(r) for _, r in refs) - 1
    col0 = min(_col_index(c) for c, _ in refs)
    return row0, col0


def _col_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def _ref_to_rc(ref: str) -> tuple[int, int] | None:
    match = re.fullmatch(r"([A-Z]{1,3})(\d+)", ref)
    if not match:
        return None
    return int(match.group(2)) - 1, _col_index(match.group(1))


def _child(job: dict) -> list[SheetData] | str:
    import python_calamine

    path = job["path"]
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(path)
    except Exception as exc:  # noqa: BLE001 — any parser failure is a refusal
        return f"Arbeidsboka kunne ikke åpnes av leseren ({type(exc).__name__}: {str(exc)[:200]})."
    sheets: list[SheetData] = []
    for meta in workbook.sheets_metadata:
        if str(meta.visible).split(".")[-1].lower() != "visible":
            continue  # hidden helper sheets are skipped
        if "worksheet" not in str(meta.typ).lower():
            continue
        name = meta.name
        try:
            if name in job["bulk"]:
                sheets.append(_read_bulk(path, name, job["parts"].get(name)))
                continue
            sheet = workbook.get_sheet_by_name(name)
            if sheet.height * max(sheet.width, 1) > MAX_SMALL_CELLS:
                sheets.append(SheetData(name, refused=(
                    f"arket spenner over {sheet.height} rader × {sheet.width} kolonner med nesten "
                    "bare tomme celler")))
                continue
            rows = sheet.to_python(skip_empty_area=True)
            start = sheet.start or (0, 0)
            data = SheetData(name, row0=start[0], col0=start[1], rows=rows)
        except Exception as exc:  # noqa: BLE001
            sheets.append(SheetData(name, refused=f"arket kunne ikke leses ({type(exc).__name__})"))
            continue
        for ref in job["formulas"].get(name, []):
            rc = _ref_to_rc(ref)
            if rc is None:
                continue
            r, c = rc[0] - data.row0, rc[1] - data.col0
            if 0 <= r < len(data.rows) and 0 <= c < len(data.rows[r]):
                data.rows[r][c] = FORMULA_NO_VALUE
        sheets.append(data)
    return sheets


def _read_bulk(path: str, name: str, part: str | None) -> SheetData:
    import fastexcel

    reader = fastexcel.read_excel(path)
    table = reader.load_sheet(name, header_row=None, dtypes="string").to_arrow()
    row0, col0 = _first_cell(path, part) if part else (0, 0)
    import pyarrow as pa

    return SheetData(name, row0=row0, col0=col0, arrow=pa.Table.from_batches([table]) if
                     isinstance(table, pa.RecordBatch) else table)


def main(argv: list[str]) -> int:
    job = pickle.loads(Path(argv[0]).read_bytes())
    result = _child(job)
    Path(argv[1]).write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    return 0


if __name__ == "__main__":
    # Import ourselves by package name so pickled SheetData refers to dashboard.reader.SheetData.
    from dashboard import reader as _reader

    sys.exit(_reader.main(sys.argv[1:]))
