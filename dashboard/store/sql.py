"""Reading the store: queries/<name>.sql with bound $parameters, and the data version."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from dashboard.config import ROOT

QUERIES_DIR = ROOT / "queries"


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """The newest import event: changes with every stored import, undo and roll back."""
    cur = con.cursor()
    try:
        return int(
            cur.execute("select coalesce(max(event_id), 0) from import_events").fetchone()[0]
        )
    finally:
        cur.close()


def load_query(name: str) -> str:
    """The text of queries/<name>.sql."""
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


def query(
    con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None
) -> pd.DataFrame:
    """Run queries/<name>.sql with bound $parameters on a fresh cursor. A query read as of an
    import event (`$event`) reads the current data when no event is given."""
    sql = load_query(name)
    params = dict(params or {})
    if "$event" in sql and params.get("event") is None:
        params["event"] = data_version(con)
    cur = con.cursor()
    try:
        return cur.execute(sql, params or {}).df()
    finally:
        cur.close()


def run(
    cur: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None
) -> duckdb.DuckDBPyConnection:
    """Run queries/<name>.sql with bound $parameters on `cur` itself — a write inside the
    caller's transaction (see `writes.in_event`); returns the cursor for its result."""
    return cur.execute(load_query(name), params or {})
