"""A consistent copy of the database, also while the app serves it (see README «Sikkerhetskopi»).

DuckDB lets one process hold a database file for writing, so while the app runs no other
process may open it. The app therefore serves backups itself: `backup_live` copies through its
own connection, and a small thread answers the command line's requests, dropped as files in a
folder beside the database (`<db>.backup-requests/`). Restore: stop the app, copy the backup over
the database file (or point MALBILDE_DB / --db at it), start the app.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import threading
import time
import uuid
from pathlib import Path

import duckdb

from dashboard.errors import StoreBusy, UserError
from dashboard.store.access import is_read_only
from dashboard.store.schema import open_for_reading
from dashboard.store.writes import write_cursor

POLL_SECONDS = 0.3
SERVING = "serving"  # the pid of the process answering requests


def _checked_target(target: Path) -> Path:
    target = Path(target).resolve()
    if target.exists():
        raise UserError(
            f"{target} finnes allerede; en sikkerhetskopi skriver aldri over en fil. "
            "Oppgi et nytt filnavn."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def backup_live(con: duckdb.DuckDBPyConnection, target: Path) -> Path:
    """Copy the database `con` holds to the new file `target`, consistently: one transaction,
    under the write lock (no save is half done), readers never blocked."""
    target = _checked_target(target)
    with write_cursor(con) as cur:
        name = cur.execute("select current_database()").fetchone()[0]
        cur.execute("attach ? as backup_target (read_only false)", [str(target)])
        try:
            cur.execute(f'copy from database "{name}" to backup_target')
        finally:
            cur.execute("detach backup_target")
    return target


def backup(db_path: Path, target: Path, timeout: float = 120) -> Path:
    """Write a consistent copy of `db_path` to the new file `target`: directly when no one
    holds the database (also when it can only be read), else by asking the running app."""
    target = _checked_target(target)
    try:
        con, _ = open_for_reading(db_path)
    except StoreBusy:
        return _ask_the_app(Path(db_path), target, timeout)
    try:
        if not is_read_only(con):
            con.execute("checkpoint")
        return backup_live(con, target)
    finally:
        con.close()


def requests_folder(db_path: Path) -> Path:
    """The folder through which the command line asks a serving app for a backup."""
    return Path(db_path).resolve().with_name(Path(db_path).name + ".backup-requests")


def _served(folder: Path) -> bool:
    """True when a live process answers backup requests in `folder` (its pid in «serving»)."""
    try:
        pid = int((folder / SERVING).read_text(encoding="utf-8").strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return False
    return True


def _held_elsewhere(db_path: Path) -> StoreBusy:
    return StoreBusy(
        f"Databasen {db_path} er i bruk av et program som ikke tar sikkerhetskopi "
        "(for eksempel en import på kommandolinjen). Prøv igjen når den er ferdig."
    )


def _ask_the_app(db_path: Path, target: Path, timeout: float) -> Path:
    folder = requests_folder(db_path)
    if not _served(folder):  # held by a program that takes no requests: say so at once
        raise _held_elsewhere(db_path)
    request = folder / f"{uuid.uuid4().hex}.json"
    request.with_suffix(".tmp").write_text(json.dumps({"target": str(target)}), encoding="utf-8")
    request.with_suffix(".tmp").rename(request)  # the app sees whole requests only
    answer = request.with_suffix(".svar")
    deadline = time.monotonic() + timeout
    while not answer.exists():
        if time.monotonic() > deadline:
            request.unlink(missing_ok=True)
            raise _held_elsewhere(db_path)
        time.sleep(0.1)
    reply = json.loads(answer.read_text(encoding="utf-8"))
    answer.unlink(missing_ok=True)
    if reply.get("error"):
        raise UserError(reply["error"])
    return Path(reply["target"])


def serve_requests(con: duckdb.DuckDBPyConnection, db_path: Path) -> threading.Thread:
    """Answer the command line's backup requests while this process holds the database."""
    folder = requests_folder(db_path)
    with contextlib.suppress(OSError):  # a read-only folder: no requests can come anyway
        folder.mkdir(exist_ok=True)
        (folder / SERVING).write_text(str(os.getpid()), encoding="utf-8")

    def loop() -> None:
        while True:
            for request in sorted(folder.glob("*.json")) if folder.is_dir() else []:
                _answer(con, request)
            time.sleep(POLL_SECONDS)

    thread = threading.Thread(target=loop, name="malbilde-backup", daemon=True)
    thread.start()
    return thread


def _answer(con: duckdb.DuckDBPyConnection, request: Path) -> None:
    try:
        target = Path(json.loads(request.read_text(encoding="utf-8"))["target"])
        reply = {"target": str(backup_live(con, target))}
    except UserError as exc:
        reply = {"error": exc.message}
    except Exception as exc:  # noqa: BLE001 — the command line is told, the app keeps serving
        reply = {"error": f"Sikkerhetskopien feilet ({type(exc).__name__})."}
    request.unlink(missing_ok=True)
    request.with_suffix(".svar").write_text(json.dumps(reply), encoding="utf-8")


def default_target(db_path: Path, now: dt.datetime | None = None) -> Path:
    """Where the app writes a backup: `backups/` beside the database, named by the time."""
    stamp = (now or dt.datetime.now()).strftime("%Y-%m-%d-%H%M%S")
    return Path(db_path).resolve().parent / "backups" / f"malbilde-{stamp}.duckdb"
