"""A database that cannot be written — read-only folder, read-only file, locked by another
process, full disk — is a Norwegian sentence on every command (never a traceback) and a
Norwegian message on every page; what can still be read is read, and nothing stored changes."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.config import ROOT
from tests.rounds_helpers import demo_with_answers

APP = str(ROOT / "dashboard" / "app.py")
PAGES = [
    "oversikt",
    "maloppnaelse",
    "budsjett",
    "indikatorer",
    "ressurser",
    "runder",
    "last_opp",
    "presentasjon",
]
ROOT_USER = os.geteuid() == 0
# root ignores permission bits; without its capabilities (setpriv) it is held to them
NO_CAPS = ["setpriv", "--inh-caps=-all", "--bounding-set=-all", "--"] if ROOT_USER else []
READ_ONLY = "kan ikke skrives"
BUSY = "er i bruk av et annet program"
FULL = "disken er full"


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    """The demo with an open round (nr. 1) and answers; copied for each test."""
    db = tmp_path_factory.mktemp("kilde") / "demo.duckdb"
    assert demo_with_answers(db) == 1
    return db


def fresh_copy(source: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(source, folder / "demo.duckdb"))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(db: Path, *args: str, prefix: list[str] = ()) -> subprocess.CompletedProcess:
    env = {**os.environ, "MALBILDE_WARM_PARSER": "0", "MALBILDE_WARM_PDF": "0"}
    env.pop("MALBILDE_DB", None)
    command = [*prefix, sys.executable, "-m", "dashboard", *args, "--db", str(db)]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def may_write(folder: Path, prefix: list[str]) -> bool:
    """Whether a process started with `prefix` can still create a file in `folder`."""
    probe = f"open({str(folder / 'proeve')!r}, 'w').close()"
    return (
        subprocess.run([*prefix, sys.executable, "-c", probe], capture_output=True).returncode == 0
    )


@contextlib.contextmanager
def held(db: Path) -> Iterator[None]:
    """Another process holding the database open for writing (DuckDB's file lock)."""
    script = f"import duckdb, sys; c = duckdb.connect({str(db)!r}); print('klar', flush=True); sys.stdin.read()"
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout.readline().strip() == "klar"  # waits until the lock is held
        yield
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)


@contextlib.contextmanager
def full_disk(folder: Path) -> Iterator[None]:
    """A tiny tmpfs mounted on `folder`, filled to the last byte (root only)."""
    folder.mkdir(parents=True, exist_ok=True)
    if not ROOT_USER or shutil.which("mount") is None:
        pytest.skip("a full disk is simulated with a tmpfs mount, which needs root")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", str(folder)])
    if mounted.returncode:
        pytest.skip("tmpfs cannot be mounted here")
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def fill(folder: Path) -> None:
    with open(folder / "fyll", "wb") as fh, contextlib.suppress(OSError):
        while True:
            fh.write(b"\0" * 65536)
            fh.flush()


@contextlib.contextmanager
def read_only(db: Path, what: str) -> Iterator[None]:
    """The database's folder (with the file writable) or the file alone made read-only."""
    target = db.parent if what == "folder" else db
    mode = target.stat().st_mode
    target.chmod(0o555 if what == "folder" else 0o444)
    try:
        if (
            may_write(db.parent, NO_CAPS)
            if what == "folder"
            else os.access(db, os.W_OK) and not ROOT_USER
        ):
            pytest.skip("permission bits are not enforced for this user")
        yield
    finally:
        target.chmod(mode)
        (db.parent / "proeve").unlink(missing_ok=True)


# (command, expected exit code when the database can only be read, what stdout then says)
COMMANDS = [
    (["summary"], 0, "MH"),
    (["import", "{book}"], 2, ""),
    (["round", "open", "--unit", "MH", "--plan", "Handlingsplan 2019", "--label", "Ny"], 2, ""),
    (["round", "export", "1", "--out", "{out}"], 0, "arbeidsbøker skrevet"),
    (["round", "take-back", "1", "{book}"], 2, ""),
    (["round", "close", "1"], 2, ""),
    (["backup", "{out}/kopi.duckdb"], 0, "Sikkerhetskopi skrevet"),
    (["demo", "--force"], 2, ""),
]


def expand(args: list[str], source: Path, out: Path) -> list[str]:
    book = next((source.parent / "inn").glob("*.xlsx"))
    return [a.format(book=book, out=out) for a in args]


def assert_sentence(result: subprocess.CompletedProcess, words: str) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert words in result.stderr, result.stderr
    assert result.stderr.strip().startswith("Databasen "), result.stderr


# `summary` takes a while on the demo: once for a read-only folder, not again for each case
CASES = [("folder", *c) for c in COMMANDS] + [("file", *c) for c in COMMANDS[1:]]


@pytest.mark.parametrize(("what", "args", "code", "said"), CASES, ids=lambda c: str(c)[:30])
def test_every_command_on_a_read_only_database(source, tmp_path, what, args, code, said):
    db = fresh_copy(source, tmp_path / "db")
    before = digest(db)
    out = tmp_path / "ut"
    with read_only(db, what):
        result = cli(db, *expand(args, source, out), prefix=NO_CAPS)
    assert result.returncode == code, (result.stdout, result.stderr)
    if code:
        assert_sentence(result, READ_ONLY)
    else:  # what can be read is read
        assert said in result.stdout and "Traceback" not in result.stderr, result.stderr
    assert digest(db) == before


@pytest.mark.parametrize(("args", "code", "said"), COMMANDS, ids=lambda c: str(c)[:30])
def test_every_command_on_a_locked_database(source, tmp_path, args, code, said):
    db = fresh_copy(source, tmp_path / "db")
    with held(db):
        result = cli(db, *expand(args, source, tmp_path / "ut"))
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "i bruk av" in result.stderr, result.stderr
    assert db.exists()  # demo --force never replaces a database someone holds


def test_commands_on_a_full_disk(source, tmp_path):
    folder = tmp_path / "full"
    with full_disk(folder):
        db = fresh_copy(source, folder)
        fill(folder)
        before = digest(db)
        for args, code, said in COMMANDS[1:6]:
            result = cli(db, *expand(args, source, tmp_path / "ut"))
            assert result.returncode == code, (args, result.stderr)
            if code:
                assert_sentence(result, FULL)
            else:
                assert said in result.stdout, (args, result.stderr)
        assert digest(db) == before


@pytest.mark.parametrize("due", ["2020-13-45", "2020-02-30", "i morgen", "15.06", "2025-6-1x"])
def test_a_bad_due_date_is_a_sentence(source, tmp_path, due):
    db = fresh_copy(source, tmp_path / "db")
    before = digest(db)
    result = cli(
        db,
        "round",
        "open",
        "--unit",
        "MH",
        "--plan",
        "Handlingsplan 2019",
        "--label",
        "Ny",
        "--due",
        due,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert f"--due «{due}» er ikke en dato" in result.stderr, result.stderr
    assert digest(db) == before


def test_a_norwegian_due_date_is_taken(source, tmp_path):
    db = fresh_copy(source, tmp_path / "db")
    args = ["round", "open", "--unit", "MH", "--plan", "Handlingsplan 2019", "--label", "Ny"]
    assert cli(db, "round", "close", "1").returncode == 0  # one open round per plan
    result = cli(db, *args, "--due", "15.06.2026")
    assert result.returncode == 0, result.stderr
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    assert (
        str(con.execute("select due from rounds where label = 'Ny'").fetchone()[0]) == "2026-06-15"
    )
    con.close()


# ---------------------------------------------------------------- the app


@contextlib.contextmanager
def immutable_folder(folder: Path) -> Iterator[None]:
    """The folder read-only for this very process (the app runs in it): permission bits for
    a user, the immutable attribute for root (who ignores the bits)."""
    if ROOT_USER:
        if (
            shutil.which("chattr") is None
            or subprocess.run(["chattr", "+i", str(folder)]).returncode
        ):
            pytest.skip("chattr +i is not available")
    else:
        folder.chmod(0o555)
    try:
        if may_write(folder, []):
            pytest.skip("the folder stays writable here")
        yield
    finally:
        if ROOT_USER:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        else:
            folder.chmod(0o755)


def page(monkeypatch, db: Path, name: str):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("MALBILDE_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["enhet"] = "MH"
    at.switch_page(f"app_pages/{name}.py").run()
    assert not at.exception, (name, [e.value for e in at.exception])
    return at


def texts(at, kind: str) -> list[str]:
    return [str(e.value).replace("\\", "") for e in at.get(kind)]


def test_every_page_reads_a_database_in_a_read_only_folder(source, tmp_path, monkeypatch):
    db = fresh_copy(source, tmp_path / "db")
    before = digest(db)
    with immutable_folder(db.parent):
        for name in PAGES:
            at = page(monkeypatch, db, name)
            assert any(READ_ONLY in w for w in texts(at, "warning")), name  # said on every page
            assert not at.error, (name, texts(at, "error"))
            assert at.get("title") or at.get("markdown"), name  # … and the page is drawn
        runder = page(monkeypatch, db, "runder")
        assert any("Status juni 2020" in t for t in texts(runder, "caption"))  # its data is read
        shown = {box.key for box in runder.checkbox}
        for key in ("runde-lukk-sikker", "runde-lukk-ugodkjent"):  # closing asks first
            if key in shown:
                runder.checkbox(key=key).check()
        runder.run()
        runder.button(key="runde-lukk").click().run()
        assert not runder.exception
        said = texts(runder, "error")
        assert any(t.startswith("Ikke lagret.") and READ_ONLY in t for t in said), said
    assert digest(db) == before


def test_every_page_on_a_locked_database_says_so(source, tmp_path, monkeypatch):
    db = fresh_copy(source, tmp_path / "db")
    with held(db):
        for name in PAGES:
            at = page(monkeypatch, db, name)
            assert any(BUSY in t for t in texts(at, "error")), (name, texts(at, "error"))
