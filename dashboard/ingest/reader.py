"""Read a workbook's sheets in a guarded child process.

Excel parsers can crash the whole process on hostile files (python-calamine aborts on a sheet
whose only cell is XFD1048576, tafia/calamine#693), or eat memory. So parsing runs in a child
`python -m dashboard.ingest.parse_child` with a memory limit (RLIMIT_AS) and a wall-clock timeout; any
failure of the child becomes a clear refusal, and the server keeps running. The child is started
ahead of need (`prestart`) so an import does not wait for it to load its readers. While it
parses, this process streams the zip once for the safety scan (CRCs, DTDs, formulas, Excel
errors, percent formats, merged cells), and applies what it found to the rows read.

Small sheets come back as rows of typed Python values (python-calamine). Big sheets are parsed
once by fastexcel straight to a typed Arrow table, starting below a header found beforehand by
peeking at the sheet's first rows (dashboard.ingest.peek), so bulk ledgers reach DuckDB without Python
loops.
"""

from __future__ import annotations

import atexit
import os
import pickle
import re
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dashboard.config import ROOT, Settings
from dashboard.errors import FileRefused
from dashboard.ingest.safety import Precheck, scan_contents
from dashboard.ingest.sheetdata import SheetData


@dataclass(frozen=True)
class BulkPlan:
    """How to read a big sheet: the rows above and including its header (peeked), where it starts."""

    head_rows: list[list[Any]]
    row0: int
    col0: int


TMP_PREFIX = "malbilde-read-"


def remove_stale_folders(tmp: Path | None = None) -> list[Path]:
    """Remove the parsing folders of processes that no longer run (a killed import or server
    could not clean up after itself); returns what was removed."""
    removed = []
    for folder in Path(tmp or tempfile.gettempdir()).glob(f"{TMP_PREFIX}*"):
        pid = folder.name[len(TMP_PREFIX) :].split("-", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid() or _running(int(pid)):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class ParseChild:
    """A guarded child process, started early (its interpreter starts while we run the safety
    checks, or long before when it is kept warm, see `prestart`) and given one job on stdin.
    Use as a context manager; it is killed on exit."""

    def __init__(self, settings: Settings) -> None:
        self.memory_mb = settings.parse_memory_mb
        remove_stale_folders()
        self._tmp = tempfile.TemporaryDirectory(prefix=f"{TMP_PREFIX}{os.getpid()}-")
        self.out_file = Path(self._tmp.name) / "out.pkl"
        self.started = time.monotonic()
        # The child sets its own memory limit first thing (no preexec_fn: the app is threaded).
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "dashboard.ingest.parse_child",
                str(self.out_file),
                str(self.memory_mb * 1024 * 1024),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=dict(os.environ, RUST_BACKTRACE="0"),
            cwd=str(ROOT),
        )

    def alive(self) -> bool:
        """Whether the child process still runs."""
        return self.proc.poll() is None

    def _wait_done(self, timeout: float) -> bool:
        """Wait until the child says «done» (True) or ends without saying it (False); raise
        TimeoutExpired after `timeout` seconds. Wakes at once (Popen.wait polls in 50 ms steps)."""
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            raise subprocess.TimeoutExpired(self.proc.args, timeout)
        return self.proc.stdout.readline().strip() == b"done"

    def __enter__(self) -> ParseChild:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Kill the child (if still running) and remove its files."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream and not stream.closed:
                stream.close()
        self._tmp.cleanup()

    def read(
        self,
        path: Path,
        pre: Precheck,
        settings: Settings,
        display_name: str,
        bulk: dict[str, BulkPlan] | None = None,
    ) -> list[SheetData]:
        """Parse the visible sheets of `path`; refuse cleanly on any failure of the child."""
        bulk = bulk or {}
        self.started = time.monotonic()  # the time limit counts from the job, not from the start
        visible = [n for n, state in pre.sheet_states.items() if state == "visible"]
        job = {
            "path": str(Path(path).resolve()),
            "bulk": {name: len(plan.head_rows) for name, plan in bulk.items()},
            "calamine_needed": any(n not in bulk for n in visible) or not visible,
        }
        try:
            self.proc.stdin.write(pickle.dumps(job))
            self.proc.stdin.close()
        except (BrokenPipeError, OSError):
            pass  # the child died early; reported below
        try:
            scan_contents(path, pre, settings, display_name)  # meanwhile, in this process
            remaining = max(1.0, settings.parse_timeout_s - (time.monotonic() - self.started))
            done = self._wait_done(remaining)
        except subprocess.TimeoutExpired:
            raise FileRefused(
                f"Lesingen tok mer enn {settings.parse_timeout_s} sekunder og ble "
                "stoppet. Fila er for stor eller skadet.",
                file=display_name,
            ) from None
        if not done or not self.out_file.exists():
            self.proc.wait(timeout=5)
            detail = _child_reason(
                self.proc.returncode, self.proc.stderr.read() if self.proc.stderr else b""
            )
            raise FileRefused(
                f"Arbeidsboka kunne ikke leses ({detail}). Åpne den i Excel, lagre "
                "på nytt som .xlsx og prøv igjen.",
                file=display_name,
            )
        result = pickle.loads(self.out_file.read_bytes())
        if isinstance(result, str):
            raise FileRefused(result, file=display_name)
        for sheet in result:
            if isinstance(sheet.arrow, str):
                import pyarrow as pa

                sheet.arrow = pa.ipc.open_file(pa.memory_map(sheet.arrow)).read_all()
            plan = bulk.get(sheet.name)
            if plan is not None and sheet.arrow is not None:
                sheet.rows, sheet.row0, sheet.col0 = plan.head_rows, plan.row0, plan.col0
            _mark_cells(sheet, pre.bad_cells.get(sheet.name, {}))
            _as_percent(sheet, pre.percent_cells.get(sheet.name, []))
            _fill_merged(sheet, pre.merged.get(sheet.name, []))
        return result

    def read_many(
        self, items: list[tuple[Path, Precheck, str]], settings: Settings
    ) -> list[list[SheetData] | FileRefused] | None:
        """Parse many small workbooks in this one child (their visible sheets, cell by cell):
        per file its sheets or its refusal; None when the child failed as a whole (the caller
        reads the files one by one to find the one that did it)."""
        self.started = time.monotonic()
        job = {
            "batch": [
                {"path": str(Path(p).resolve()), "bulk": {}, "calamine_needed": True}
                for p, _, _ in items
            ]
        }
        try:
            self.proc.stdin.write(pickle.dumps(job))
            self.proc.stdin.close()
        except (BrokenPipeError, OSError):
            return None
        scanned: list[FileRefused | None] = []
        for path, pre, name in items:  # meanwhile, in this process
            try:
                scan_contents(path, pre, settings, name)
                scanned.append(None)
            except FileRefused as exc:
                scanned.append(exc)
        try:
            remaining = max(1.0, settings.parse_timeout_s - (time.monotonic() - self.started))
            done = self._wait_done(remaining)
        except subprocess.TimeoutExpired:
            return None
        if not done or not self.out_file.exists():
            return None
        out: list[list[SheetData] | FileRefused] = []
        results = pickle.loads(self.out_file.read_bytes())
        for (_, pre, name), result, refused in zip(items, results, scanned, strict=True):
            if refused is not None:
                out.append(refused)
            elif isinstance(result, str):
                out.append(FileRefused(result, file=name))
            else:
                for sheet in result:
                    _mark_cells(sheet, pre.bad_cells.get(sheet.name, {}))
                    _as_percent(sheet, pre.percent_cells.get(sheet.name, []))
                    _fill_merged(sheet, pre.merged.get(sheet.name, []))
                out.append(result)
        return out


def read_workbooks(
    items: list[tuple[Path, Precheck, str]], settings: Settings
) -> list[list[SheetData] | FileRefused]:
    """Parse many small workbooks in one guarded child; if the child fails as a whole, each
    file again in a child of its own, so that only the file that caused it is refused."""
    if not items:
        return []
    with take_child(settings) as child:
        together = child.read_many(items, settings)
    if together is not None:
        return together
    out: list[list[SheetData] | FileRefused] = []
    for path, pre, name in items:
        try:
            out.append(read_workbook(path, pre, settings, name))
        except FileRefused as exc:
            out.append(exc)
    return out


def read_workbook(
    path: Path,
    pre: Precheck,
    settings: Settings,
    display_name: str,
    bulk: dict[str, BulkPlan] | None = None,
) -> list[SheetData]:
    """Parse the visible sheets of `path` in a fresh guarded child process."""
    with take_child(settings) as child:
        return child.read(path, pre, settings, display_name, bulk)


class _WarmPool:
    """At most one idle parsing child, started ahead of need (`prestart`) so that an import does
    not wait for an interpreter to start and load the readers (~0.05 s, ~0.1 s of CPU). A child does
    one job and exits; the caller starts the next one when it is idle again (not during an
    import, where the start-up would compete with parsing and storing for the CPU)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: ParseChild | None = None
        atexit.register(self.shutdown)

    def prestart(self, settings: Settings) -> None:
        if not settings.warm_parser:
            return
        with self._lock:
            idle = self._idle
            if idle is not None and idle.alive() and idle.memory_mb == settings.parse_memory_mb:
                return
            self._idle = ParseChild(settings)
        if idle is not None:
            idle.close()

    def take(self, settings: Settings) -> ParseChild:
        with self._lock:
            idle, self._idle = self._idle, None
        if idle is not None and idle.alive() and idle.memory_mb == settings.parse_memory_mb:
            return idle
        if idle is not None:
            idle.close()
        return ParseChild(settings)

    def shutdown(self) -> None:
        """Kill the idle child, if any."""
        with self._lock:
            idle, self._idle = self._idle, None
        if idle is not None:
            idle.close()


_POOL = _WarmPool()


def prestart(settings: Settings) -> None:
    """Start a parsing child now, to be used by the next import (no-op when one is waiting).
    The upload page calls this on each run, the import command before each file."""
    _POOL.prestart(settings)


def stop_warm() -> None:
    """Kill the waiting parsing child, if any."""
    _POOL.shutdown()


def take_child(settings: Settings) -> ParseChild:
    """A parsing child for one job: the warm one if there is one, else a new one."""
    return _POOL.take(settings)


def _mark_cells(sheet: SheetData, marks: dict[str, str]) -> None:
    """Put the marker of each unreadable cell (formula without a cached value, Excel error) in
    place, so that a parser reading it refuses it by name; cells below the rows of a bulk sheet
    are listed in `sheet.marks` for the column-wise parsers."""
    for ref, marker in marks.items():
        rc = _ref_to_rc(ref)
        if rc is None:
            continue
        r, c = rc[0] - sheet.row0, rc[1] - sheet.col0
        if r < 0 or c < 0:
            continue
        sheet.marks[(r, c)] = marker
        if r < len(sheet.rows) and c < len(sheet.rows[r]):
            sheet.rows[r][c] = marker


def _as_percent(sheet: SheetData, refs: list[str]) -> None:
    """Numbers shown as a percentage in Excel (0.598 as «59,8 %») are read as shown: 59.8."""
    for ref in refs:
        rc = _ref_to_rc(ref)
        if rc is None:
            continue
        r, c = rc[0] - sheet.row0, rc[1] - sheet.col0
        if 0 <= r < len(sheet.rows) and 0 <= c < len(sheet.rows[r]):
            value = sheet.rows[r][c]
            if isinstance(value, int | float) and not isinstance(value, bool):
                sheet.rows[r][c] = round(value * 100, 10)


def _fill_merged(sheet: SheetData, ranges: list[str]) -> None:
    """A value in merged cells that span rows (an area or goal beside several measures) shows in
    each of those rows in Excel; give it to each row here too."""
    for merged in ranges:
        first, last = (_ref_to_rc(ref) for ref in merged.split(":"))
        if first is None or last is None:
            continue
        r0, c0 = first[0] - sheet.row0, first[1] - sheet.col0
        if not (0 <= r0 < len(sheet.rows) and 0 <= c0 < len(sheet.rows[r0])):
            continue
        value = sheet.rows[r0][c0]
        for r in range(r0, min(last[0] - sheet.row0, len(sheet.rows) - 1) + 1):
            row = sheet.rows[r]
            for c in range(max(c0, 0), min(last[1] - sheet.col0, len(row) - 1) + 1):
                if row[c] is None or row[c] == "":
                    row[c] = value
                    if r != r0:
                        sheet.merge_copies.add((r, c))


def _child_reason(code: int, stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace")
    if code < 0 or "memory allocation" in text or "MemoryError" in text:
        return "leseren krasjet eller brukte for mye minne"
    match = re.search(r"(CalamineError|FastExcelError|Error)[^\n]*", text)
    return f"feil fra leseren: {match.group(0)[:160]}" if match else "ukjent feil i leseren"


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
