"""A consistent copy of the database, and how to restore it (see README «Sikkerhetskopi»)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from dashboard.errors import UserError
from dashboard.store import connect


def backup(db_path: Path, target: Path) -> Path:
    """Write a consistent copy of `db_path` to the file `target` (checkpointed, one transaction).

    Restore: stop the app, then copy the backup file over the database file (or point
    MALBILDE_DB / --db at it).
    """
    target = Path(target)
    if target.exists():
        raise UserError(
            f"{target} finnes allerede; en sikkerhetskopi skriver aldri over en fil. "
            "Oppgi et nytt filnavn."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    con = connect(db_path)
    try:
        con.execute("checkpoint")
        con.execute("attach ? as backup_target", [str(target)])
        con.execute("copy from database " + _db_name(con) + " to backup_target")
        con.execute("detach backup_target")
    finally:
        con.close()
    duckdb.connect(str(target)).close()
    return target


def _db_name(con: duckdb.DuckDBPyConnection) -> str:
    return con.execute("select current_database()").fetchone()[0]
