"""Several processes on one store (MALBILDE_SHARED_STORE=1): writes go to the master under a file
lock and are published as read-only snapshots; readers switch to the newest. Readers are never
blocked by a save, no save is lost, and every process sees a save within a second."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from dashboard import store
from dashboard.config import ROOT
from dashboard.store import shared
from tests.conftest import make_workbook

PROG = ["Bevilgningsramme BFV", "Budsjett i år", "Prognose i år", "Prognostisert budsjettavvik"]


def prognosis(path: Path, label: str, result: int) -> Path:
    return make_workbook(
        path,
        {
            "P": [
                [f"Prognose pr. {label}"],
                ["Fakultet for medisin og helsevitenskap (MH)"],
                PROG,
                ["Resultat", -45785, result, -45785 - result],
            ]
        },
    )


def cli(*args: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "dashboard", *args],
        cwd=ROOT,
        env=dict(os.environ, MALBILDE_SHARED_STORE="1", MALBILDE_WARM_PARSER="0", **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def imports_in(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("select count(*) from imports where outcome = 'ok'").fetchone()[0]


def test_a_write_is_published_and_readers_switch(tmp_path):
    db = tmp_path / "delt.duckdb"
    reader = shared.Reader(db)
    first = reader.connection()
    assert reader.snapshot is not None and stat.S_IMODE(reader.snapshot.stat().st_mode) == 0o444
    before = store.data_version(first)
    with shared.writing(db) as con:
        store.record_event(con, "test", None)
    assert store.data_version(reader.connection(fresh=True)) > before
    assert store.data_version(first) == before  # a query still running on the old one goes on
    with pytest.raises(duckdb.Error):  # snapshots are read-only
        reader.connection().execute("create table x (a int)")


def test_readers_are_not_blocked_while_a_save_holds_the_lock(tmp_path):
    db = tmp_path / "delt.duckdb"
    reader = shared.Reader(db)
    reader.connection()
    inside, release = threading.Event(), threading.Event()

    def slow_save() -> None:
        with shared.writing(db) as con:
            store.record_event(con, "test", None)
            inside.set()
            release.wait(30)

    writer = threading.Thread(target=slow_save)
    writer.start()
    try:
        assert inside.wait(30)
        start = time.monotonic()
        for _ in range(20):
            reader.connection(fresh=True).cursor().execute(
                "select count(*) from imports"
            ).fetchone()
        assert time.monotonic() - start < 5  # answered while the save is still open
    finally:
        release.set()
        writer.join(30)


def test_simultaneous_imports_from_two_processes_both_land(tmp_path):
    db = tmp_path / "delt.duckdb"
    shared.current_snapshot(db)
    files = [
        prognosis(tmp_path / f"p{i}.xlsx", f"{m} 2023", -50000 - i)
        for i, m in enumerate(["mars", "april", "mai", "juni"])
    ]
    procs = [cli("import", str(f), "--db", str(db), env={}) for f in files]
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    reader = shared.Reader(db)
    assert imports_in(reader.connection()) == 4


def test_another_process_sees_a_save_within_a_second(tmp_path):
    db = tmp_path / "delt.duckdb"
    reader = shared.Reader(db)
    seen_before = imports_in(reader.connection())
    proc = cli(
        "import", str(prognosis(tmp_path / "p.xlsx", "mars 2023", -50000)), "--db", str(db), env={}
    )
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    saved = time.monotonic()
    while imports_in(reader.connection()) == seen_before:
        assert time.monotonic() - saved < 1.0, "the save was not seen within a second"
        time.sleep(0.02)


def test_summary_and_backup_on_a_shared_store(tmp_path):
    db = tmp_path / "delt.duckdb"
    proc = cli(
        "import", str(prognosis(tmp_path / "p.xlsx", "mars 2023", -50000)), "--db", str(db), env={}
    )
    assert proc.communicate(timeout=300) and proc.returncode == 0
    summary = cli("summary", "--json", "--db", str(db), env={})
    out, err = summary.communicate(timeout=120)
    assert summary.returncode == 0, err
    assert '"MH"' in out
    backup = cli("backup", str(tmp_path / "kopi.duckdb"), "--db", str(db), env={})
    out, err = backup.communicate(timeout=120)
    assert backup.returncode == 0, err
    copy = duckdb.connect(str(tmp_path / "kopi.duckdb"), read_only=True)
    assert imports_in(copy) == 1
