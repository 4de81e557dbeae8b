"""The parsing child process: `python -m dashboard.ingest.parse_child OUT LIMIT`, job on stdin
(see dashboard.ingest.reader).

Sets its own memory limit (LIMIT bytes of address space), loads the readers, then waits for one
job; the parent enforces the time limit. Writes a pickled list of SheetData, or a refusal
message, to OUT. Started ahead of need when kept warm; exits quietly on an empty stdin.
"""

from __future__ import annotations

import os
import pickle
import sys
from pathlib import Path

from dashboard.ingest.sheetdata import SheetData

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
        except Exception:  # noqa: BLE001
            sheets.append(SheetData(name, refused=DAMAGED))
    return sheets


DAMAGED = "arket er skadet og kan ikke leses (åpne fila i Excel og lagre den på nytt)"


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


def _exit_with_parent(folder: Path) -> None:
    """End this child, and remove its folder, as soon as the process that started it is gone
    (killed mid-import): nothing else would stop it or clean up after it."""
    import shutil
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        shutil.rmtree(folder, ignore_errors=True)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def main(argv: list[str]) -> int:
    """The child's entry: limit its memory, read one job on stdin, write the sheets it read."""
    import resource

    limit = int(argv[1]) if len(argv) > 1 else resource.RLIM_INFINITY
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # Load the readers now, while the parent runs its checks (or while this child waits warm).
    # pyarrow runs without NumPy (since 16) and nothing here needs it: leaving it out halves the
    # start-up (~0.05 s instead of ~0.1 s) and the memory of a waiting child.
    sys.modules.setdefault("numpy", None)
    import fastexcel  # noqa: F401
    import pyarrow
    import pyarrow.ipc
    import python_calamine  # noqa: F401

    _exit_with_parent(Path(argv[0]).parent)
    raw = sys.stdin.buffer.read()
    if not raw:
        return 0  # the parent went away (or stopped keeping a child warm) before giving a job
    job = pickle.loads(raw)
    if "batch" in job:  # many small workbooks in one job (a reporting round's returns)
        result = [_child(one) for one in job["batch"]]
        Path(argv[0]).write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        sys.stdout.buffer.write(b"done\n")
        sys.stdout.buffer.flush()
        return 0
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
    sys.stdout.buffer.write(b"done\n")  # the parent wakes on this line, not on our exit
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stderr.flush()
    # Everything is written and closed: skip the interpreter's teardown (tens of milliseconds
    # of freeing memory that the parent would wait for).
    os._exit(code)
