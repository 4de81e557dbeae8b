"""When the database cannot be written: a read-only folder or file, a full disk, or another
program holding it. Every such error of DuckDB or the operating system becomes one named
exception (dashboard.errors.StoreUnwritable, StoreBusy) with a Norwegian sentence, here only."""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Iterator
from pathlib import Path

import duckdb

from dashboard.errors import StoreBusy, StoreUnwritable

_READ_ONLY = (
    "permission denied",
    "read-only file system",
    "read-only mode",
    "operation not permitted",
)
_FULL = ("no space left", "disk quota exceeded", "disk is full")
_OS_READ_ONLY = {errno.EACCES, errno.EPERM, errno.EROFS}
_OS_FULL = {errno.ENOSPC, errno.EDQUOT}
CLI_HINT = "--db med en fil i en mappe du kan skrive i"


def busy(path: Path | str) -> StoreBusy:
    """The error for a database another program holds."""
    return StoreBusy(
        f"Databasen {path} er i bruk av et annet program (for eksempel appen eller en import). "
        "Vent til det er ferdig, eller stopp det.",
        cli="--db for en annen fil",
    )


def read_only(path: Path | str) -> StoreUnwritable:
    """The error for a database that cannot be written (read-only file or folder)."""
    folder = Path(path).resolve().parent
    return StoreUnwritable(
        f"Databasen {path} kan ikke skrives (mappen {folder} eller fila er skrivebeskyttet). "
        "Det som er lagret kan leses, men ingenting kan lagres før Målbilde får skrive i "
        "mappen.",
        cli=CLI_HINT,
    )


def full(path: Path | str) -> StoreUnwritable:
    """The error for a database on a full disk."""
    return StoreUnwritable(
        f"Databasen {path} kan ikke skrives: disken er full. Ingenting er endret; frigjør "
        "plass og prøv igjen.",
        cli="--db med en fil på en disk med plass",
    )


def problem(exc: BaseException, path: Path | str) -> StoreUnwritable | None:
    """The named exception for an error that means the database cannot be written (or, when
    locked, opened), or None for any other error."""
    if isinstance(exc, StoreUnwritable):
        return exc
    if isinstance(exc, OSError):
        if exc.errno in _OS_FULL:
            return full(path)
        return read_only(path) if exc.errno in _OS_READ_ONLY else None
    if not isinstance(exc, duckdb.Error):
        return None
    text = str(exc).lower()
    if "lock" in text and isinstance(exc, duckdb.IOException | duckdb.ConnectionException):
        return busy(path)
    if any(word in text for word in _FULL):
        return full(path)
    if any(word in text for word in _READ_ONLY):
        return read_only(path)
    return None


@contextlib.contextmanager
def guarded(path: Path | str) -> Iterator[None]:
    """Raise the named exception (a sentence) for an error inside that means the database
    cannot be written; other errors pass unchanged."""
    try:
        yield
    except (duckdb.Error, OSError) as exc:
        named = problem(exc, path)
        if named is None:
            raise
        raise named from None


def is_read_only(con: duckdb.DuckDBPyConnection) -> bool:
    """True for a connection opened read-only."""
    return con.execute("select current_setting('access_mode')").fetchone()[0] == "read_only"
