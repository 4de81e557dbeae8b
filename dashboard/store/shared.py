"""One store for several app processes (MALBILDE_SHARED_STORE=1; README «Flere prosesser»).

DuckDB lets one process write a database file, and any number of processes read a file that no
one writes. So the database file itself (the master) is opened only for a write, by one process
at a time under an operating-system file lock, and every write ends by publishing a read-only
copy of it: the snapshot. Readers — every app process — read the newest snapshot, and switch to
a newer one when the pointer file `current` names it (replaced atomically, so a reader sees the
old snapshot or the new one, never half of one). A save never waits for a reader, a reader never
waits for a save, and a process sees a save at its next page (the pointer is looked at every
POLL_SECONDS).

    <db>                      the master (written under <db>.lock only)
    <db>.snapshots/current    the file name of the newest snapshot
    <db>.snapshots/v<event>-<id>.duckdb
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import duckdb

from dashboard.store import access
from dashboard.store.schema import connect
from dashboard.store.sql import data_version

POLL_SECONDS = 0.25
KEEP_SNAPSHOTS = 3  # older ones are deleted; a reader that still has one open keeps reading it
GRACE_SECONDS = 120  # a replaced connection stays open this long for queries still running


def snapshots_folder(db_path: Path) -> Path:
    """The folder of the store's published read-only snapshots."""
    return Path(db_path).resolve().with_name(Path(db_path).name + ".snapshots")


@contextlib.contextmanager
def write_lock(db_path: Path) -> Iterator[None]:
    """The one-writer-at-a-time lock across processes (flock on <db>.lock; freed if we die)."""
    lock_path = Path(db_path).resolve().with_name(Path(db_path).name + ".lock")
    with access.guarded(db_path):  # a read-only folder: a sentence, not a PermissionError
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "a+")  # noqa: SIM115 — closed below
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def publish(con: duckdb.DuckDBPyConnection, db_path: Path) -> Path:
    """Checkpoint the master and publish a copy of it as the newest snapshot (under the lock)."""
    with access.guarded(db_path):
        return _publish(con, db_path)


def _publish(con: duckdb.DuckDBPyConnection, db_path: Path) -> Path:
    con.execute("checkpoint")
    version = data_version(con)
    folder = snapshots_folder(db_path)
    folder.mkdir(exist_ok=True)
    name = f"v{version}-{uuid.uuid4().hex[:8]}.duckdb"
    partial = folder / (name + ".part")
    shutil.copyfile(db_path, partial)  # checkpointed: the file alone is the whole database
    os.chmod(partial, 0o444)
    with open(partial, "rb") as f:
        os.fsync(f.fileno())
    partial.replace(folder / name)
    pointer = folder / "current.part"
    pointer.write_text(name, encoding="utf-8")
    pointer.replace(folder / "current")
    _prune(folder, name)
    return folder / name


def _prune(folder: Path, newest: str) -> None:
    snaps = sorted(folder.glob("v*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [p for p in snaps if p.name != newest][KEEP_SNAPSHOTS - 1 :]:
        old.unlink(missing_ok=True)


@contextlib.contextmanager
def writing(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The master, opened for one write under the lock; published when the write is done
    (also after a failed one: a refused import is logged, and the log is part of the data)."""
    with write_lock(db_path):
        con = connect(db_path)
        try:
            yield con
        finally:
            try:
                publish(con, db_path)
            finally:
                con.close()


def current_snapshot(db_path: Path) -> Path:
    """The newest snapshot, published first from the master when there is none yet."""
    folder = snapshots_folder(db_path)
    pointer = folder / "current"
    if not pointer.exists():
        with write_lock(db_path):
            if not pointer.exists():
                con = connect(db_path)
                try:
                    publish(con, db_path)
                finally:
                    con.close()
    return folder / pointer.read_text(encoding="utf-8").strip()


class Reader:
    """A process's read-only connection to the newest snapshot, switched when a newer one is
    published. Thread-safe; `connection()` is cheap (a stat of the pointer at most every
    POLL_SECONDS)."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        self.pointer = snapshots_folder(db_path) / "current"
        self._lock = threading.Lock()
        self._checked = 0.0
        self._stamp: tuple[int, int] | None = None
        self._path: Path | None = None
        self._con: duckdb.DuckDBPyConnection | None = None
        self._retired: list[tuple[float, duckdb.DuckDBPyConnection]] = []

    def connection(self, fresh: bool = False) -> duckdb.DuckDBPyConnection:
        """The newest snapshot's connection (`fresh`: look at the pointer now)."""
        now = time.monotonic()
        if self._con is not None and not fresh and now - self._checked < POLL_SECONDS:
            return self._con
        with self._lock:
            self._checked = now
            stat = self.pointer.stat() if self.pointer.exists() else None
            stamp = (stat.st_mtime_ns, stat.st_ino) if stat else None
            if self._con is None or stamp != self._stamp:
                self._switch(current_snapshot(self.db_path), now)
                stat = self.pointer.stat()
                self._stamp = (stat.st_mtime_ns, stat.st_ino)
            self._close_retired(now)
            return self._con

    def _switch(self, path: Path, now: float) -> None:
        if path == self._path:
            return
        con = duckdb.connect(str(path), read_only=True)
        if self._con is not None:
            self._retired.append((now, self._con))
        self._con, self._path = con, path

    def _close_retired(self, now: float) -> None:
        keep = []
        for since, con in self._retired:
            if now - since > GRACE_SECONDS:
                con.close()
            else:
                keep.append((since, con))
        self._retired = keep

    @property
    def snapshot(self) -> Path | None:
        """The snapshot the connection reads, None before the first."""
        return self._path
