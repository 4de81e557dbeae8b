"""The parsing child process: `python -m dashboard.parse_child OUT`, job on stdin (see dashboard.reader).

Runs with a memory limit and a timeout set by the parent; imports as little as possible so it
starts quickly. Writes a pickled list of SheetData, or a refusal message, to OUT.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

from dashboard.sheetdata import SheetData

MAX_SMALL_CELLS = 5_000_000


def _child(job: dict) -> list[SheetData] | str:
    path = job["path"]
    if not job.get("calamine_needed", True):
        return [_read_bulk(path, name, skip) for name, skip in job["bulk"].items()]
    import python_calamine

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
                sheets.append(_read_bulk(path, name, job["bulk"][name]))
                continue
            sheet = workbook.get_sheet_by_name(name)
            if sheet.height * max(sheet.width, 1) > MAX_SMALL_CELLS:
                sheets.append(
                    SheetData(
                        name,
                        refused=(
                            f"arket spenner over {sheet.height} rader × {sheet.width} kolonner med nesten "
                            "bare tomme celler"
                        ),
                    )
                )
                continue
            rows = sheet.to_python(skip_empty_area=True)
            start = sheet.start or (0, 0)
            sheets.append(SheetData(name, row0=start[0], col0=start[1], rows=rows))
        except Exception as exc:  # noqa: BLE001
            sheets.append(SheetData(name, refused=f"arket kunne ikke leses ({type(exc).__name__})"))
    return sheets


def _read_bulk(path: str, name: str, skip: int) -> SheetData:
    """Rows below the header, typed; if a column is mixed, everything as text (parsed later)."""
    import fastexcel
    import pyarrow as pa

    reader = fastexcel.read_excel(path)
    # Typed read; a value that does not fit its column's type is reported (not silently nulled),
    # and then the sheet is read again as text and parsed leniently in the parent.
    table, errors = reader.load_sheet(name, header_row=None, skip_rows=skip).to_arrow_with_errors()
    if errors is not None and errors.errors:
        table = reader.load_sheet(name, header_row=None, skip_rows=skip, dtypes="string").to_arrow()
    if isinstance(table, pa.RecordBatch):
        table = pa.Table.from_batches([table])
    return SheetData(name, arrow=table)


def main(argv: list[str]) -> int:
    import fastexcel  # noqa: F401 — warm up while the parent runs its checks
    import pyarrow
    import pyarrow.ipc

    job = pickle.loads(sys.stdin.buffer.read())
    result = _child(job)
    if not isinstance(result, str):
        for i, sheet in enumerate(result):
            if (
                sheet.arrow is not None
            ):  # big tables go as Arrow IPC files, memory-mapped by the parent
                target = Path(argv[0]).with_name(f"sheet{i}.arrow")
                with (
                    pyarrow.OSFile(str(target), "wb") as sink,
                    pyarrow.ipc.new_file(sink, sheet.arrow.schema) as w,
                ):
                    w.write_table(sheet.arrow)
                sheet.arrow = str(target)
    Path(argv[0]).write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
