"""The guarded parsing child: kept warm ahead of an import, limited in time, replaced when lost."""

from __future__ import annotations

import dataclasses
import os
import signal
import time

import pytest

from dashboard import store
from dashboard.errors import FileRefused
from dashboard.ingest import reader
from dashboard.ingest.layouts.common import Overrides
from dashboard.ingest.pipeline import parse_file
from dashboard.service.imports import import_file

ROWS = [
    ["Hovedbokseksport, prognose oktober 2023"],
    ["Enhet", "År", "Måned", "Linje", "Budsjett", "Prognose"],
    ["MH-INB", 2023, 1, "Lønn", -100, -110],
    ["MH-INB", 2023, 1, "Drift", -20, -25],
]


@pytest.fixture(autouse=True)
def no_warm_child():
    reader.stop_warm()
    yield
    reader.stop_warm()


def test_prestarted_child_does_the_next_import(settings, workbook):
    reader.prestart(settings)
    waiting = reader._POOL._idle
    assert waiting is not None and waiting.alive()
    reader.prestart(settings)  # already one waiting: nothing new starts
    assert reader._POOL._idle is waiting
    result = parse_file(workbook("hovedbok.xlsx", {"Hovedbok": ROWS}), settings)
    assert result.parsed.rows == 2
    assert reader._POOL._idle is None  # used up; the next prestart starts a fresh one
    assert waiting.proc.poll() is not None
    reader.prestart(settings)
    assert reader._POOL._idle is not waiting and reader._POOL._idle.alive()


def test_lost_warm_child_is_replaced(settings, workbook):
    reader.prestart(settings)
    reader._POOL._idle.proc.kill()
    reader._POOL._idle.proc.wait()
    con = store.connect(settings.db_path)
    result = import_file(con, workbook("hovedbok.xlsx", {"Hovedbok": ROWS}), settings)
    assert con.execute("select count(*) from budget_figures").fetchone()[0] == 4
    assert result.import_id is not None
    con.close()


def test_child_with_other_memory_limit_is_not_reused(settings):
    reader.prestart(settings)
    waiting = reader._POOL._idle
    other = dataclasses.replace(settings, parse_memory_mb=settings.parse_memory_mb + 512)
    child = reader.take_child(other)
    try:
        assert child is not waiting and child.memory_mb == other.parse_memory_mb
        assert waiting.proc.poll() is not None  # the unsuitable one was stopped
    finally:
        child.close()


def test_waiting_child_exits_quietly_without_a_job(settings):
    child = reader.ParseChild(settings)
    child.proc.stdin.close()  # what it sees when the app or the command ends
    assert child.proc.wait(timeout=30) == 0
    child.close()


def test_time_limit_counts_from_the_job_not_from_the_start(settings, workbook):
    path = workbook("hovedbok.xlsx", {"Hovedbok": ROWS})
    quick = dataclasses.replace(settings, parse_timeout_s=1)
    reader.prestart(quick)
    time.sleep(1.5)  # the waiting child is older than the limit
    assert parse_file(path, quick).parsed.rows == 2


def test_child_that_hangs_is_stopped_at_the_limit(settings, workbook):
    path = workbook("hovedbok.xlsx", {"Hovedbok": ROWS})
    quick = dataclasses.replace(settings, parse_timeout_s=1)
    reader.prestart(quick)
    child = reader._POOL._idle
    os.kill(child.proc.pid, signal.SIGSTOP)  # it will never answer
    started = time.monotonic()
    with pytest.raises(FileRefused, match="1 sekunder"):
        parse_file(path, quick)
    assert time.monotonic() - started < 10
    assert child.proc.poll() is not None  # killed, not left behind


def test_ledger_of_many_units_and_years_is_summed_up_readably(settings, workbook, con):
    from dashboard.service.diff import diff_against_store

    rows = [["Enhet", "År", "Linje", "Budsjett", "Prognose"]]
    for unit in ("MH-INB", "MH-ISB", "MH-IKOM", "MH-ISM"):
        for year in (2022, 2023):
            for line in range(300):
                rows.append([unit, year, f"Konto {line}", -100, -110])
    path = workbook("hovedbok_2023.xlsx", {"Hovedbok": rows})
    result = parse_file(path, settings, Overrides(label="prognose oktober 2023"))
    assert result.units_text == "MH-IKOM, MH-INB, MH-ISB … (4 enheter)"
    assert result.years_text == "2022–2023"
    summary = " ".join(diff_against_store(con, result).summary)
    assert "2\u00a0400 hovedbokrader lagres (4\u00a0800 beløp)" in summary


def test_warm_parser_can_be_switched_off(settings, workbook):
    off = dataclasses.replace(settings, warm_parser=False)
    reader.prestart(off)
    assert reader._POOL._idle is None
    assert parse_file(workbook("hovedbok.xlsx", {"Hovedbok": ROWS}), off).parsed.rows == 2


def test_a_parsing_child_ends_when_the_import_is_killed(tmp_path):
    """A child whose importer is killed (kill -9) ends by itself and removes its folder, even
    while its job pipe is still open."""
    import subprocess
    import sys
    import time

    from dashboard.config import ROOT

    folder = tmp_path / "malbilde-read-x"
    folder.mkdir()
    read_end, write_end = os.pipe()  # held open here: the child never sees the end of its job
    starter = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import subprocess, sys, time; "
            f"p = subprocess.Popen([sys.executable, '-m', 'dashboard.ingest.parse_child', "
            f"{str(folder / 'out.pkl')!r}], stdin={read_end}, pass_fds=({read_end},)); "
            "print(p.pid, flush=True); time.sleep(600)",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        pass_fds=(read_end,),
    )
    child = int(starter.stdout.readline())
    time.sleep(1.0)  # the child has started and is waiting for its job
    assert _alive(child)
    starter.kill()
    starter.wait()
    deadline = time.monotonic() + 20
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    os.close(read_end)
    os.close(write_end)
    assert not _alive(child), "the parsing child outlived its importer"
    assert not folder.exists()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split(") ", 1)[1][0] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False


def test_folders_of_killed_imports_are_removed(tmp_path, monkeypatch):
    import subprocess
    import sys
    import tempfile

    from dashboard.ingest import reader

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True
    )
    dead = int(gone.stdout)
    stale = tmp_path / f"malbilde-read-{dead}-abc"
    stale.mkdir()
    (stale / "out.pkl").write_bytes(b"x" * 1000)
    mine = tmp_path / f"malbilde-read-{os.getpid()}-def"
    mine.mkdir()
    assert reader.remove_stale_folders() == [stale]
    assert not stale.exists() and mine.exists()
