"""The DuckDB store: schema and migrations, one-transaction imports, versions, SQL files.

Every import is a version: facts carry their `import_id`, and the `current_*` views pick the
latest successful import per dataset key, so older prognoses stay for «how did it move».
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard import units
from dashboard.config import ROOT
from dashboard.errors import UserError

SCHEMA_VERSION = 3
QUERIES_DIR = ROOT / "queries"
_WRITE_LOCK = threading.Lock()

FACT_COLUMNS: dict[str, tuple[str, ...]] = {
    "goals": ("unit", "strategy", "part", "area", "goal_no", "text"),
    "plans": ("unit", "plan", "kind", "year", "round"),
    "measures": (
        "unit",
        "plan",
        "year",
        "seq",
        "measure_key",
        "area",
        "goal_no",
        "goal_ref",
        "title",
        "period_start",
        "period_end",
        "source_cell",
    ),
    "status_reports": (
        "unit",
        "plan",
        "round",
        "measure_key",
        "score",
        "status_text",
        "category",
        "comment",
        "continuation",
    ),
    "budget_figures": (
        "unit",
        "year",
        "line",
        "line_order",
        "line_group",
        "kind",
        "label",
        "as_of",
        "month",
        "amount_knok",
    ),
    "allocations": ("unit", "parent_unit", "year", "label", "amount_knok", "is_total"),
    "indicator_defs": (
        "unit",
        "area",
        "indicator",
        "measure_unit",
        "kind",
        "target",
        "baseline_year",
        "target_year",
    ),
    "indicator_values": ("unit", "indicator", "year", "value", "source"),
}

MIGRATIONS: dict[int, str] = {
    1: """
    create table if not exists units (code varchar primary key, name varchar, parent varchar, level integer);
    create sequence if not exists import_seq start 1;
    create table if not exists imports (
        import_id integer primary key default nextval('import_seq'),
        file_name varchar not null, sha256 varchar not null, layout varchar, sheets varchar,
        unit varchar, year integer, label varchar, n_rows integer, warnings varchar,
        imported_at timestamp not null, user_name varchar, outcome varchar not null, message varchar);
    create table if not exists goals (import_id integer not null, unit varchar, strategy varchar,
        part varchar, area varchar, goal_no integer, text varchar);
    create table if not exists plans (import_id integer not null, unit varchar, plan varchar,
        kind varchar, year integer, round varchar);
    create table if not exists measures (import_id integer not null, unit varchar, plan varchar,
        year integer, seq integer, measure_key varchar, area varchar, goal_no integer, goal_ref varchar,
        title varchar, period_start date, period_end date, source_cell varchar);
    create table if not exists status_reports (import_id integer not null, unit varchar, plan varchar,
        round varchar, measure_key varchar, score tinyint, status_text varchar, category varchar,
        comment varchar, continuation varchar);
    create table if not exists budget_figures (import_id integer not null, unit varchar, year smallint,
        line varchar, line_order integer, line_group varchar, kind varchar, label varchar, as_of date,
        month tinyint, amount_knok double);
    create table if not exists allocations (import_id integer not null, unit varchar, parent_unit varchar,
        year integer, label varchar, amount_knok double, is_total boolean);
    create table if not exists indicator_defs (import_id integer not null, unit varchar, area varchar,
        indicator varchar, measure_unit varchar, kind varchar, target double, baseline_year integer,
        target_year integer);
    create table if not exists indicator_values (import_id integer not null, unit varchar,
        indicator varchar, year integer, value double, source varchar);
    create or replace view ok_imports as select * from imports where outcome = 'ok';
    create or replace view current_goals as select g.* from goals g join ok_imports using (import_id)
        qualify import_id = max(import_id) over (partition by g.unit, g.strategy);
    create or replace view current_measures as select m.* from measures m join ok_imports using (import_id)
        qualify import_id = max(import_id) over (partition by m.unit, m.plan);
    create or replace view current_status as select s.* from status_reports s join ok_imports using (import_id)
        qualify import_id = max(import_id) over (partition by s.unit, s.plan, s.round);
    create or replace view current_budget as select b.* from budget_figures b join ok_imports using (import_id)
        qualify import_id = max(import_id) over (partition by b.unit, b.year, b.kind, b.label);
    create or replace view current_allocations as select a.* from allocations a join ok_imports using (import_id)
        qualify import_id = max(import_id) over (partition by a.parent_unit, a.year, a.label);
    create or replace view current_indicator_defs as select d.* from indicator_defs d join ok_imports using (import_id)
        qualify import_id = max(import_id) over (partition by d.unit, d.indicator);
    create or replace view current_indicator_values as select v.* from indicator_values v join ok_imports using (import_id)
        qualify import_id = max(import_id) over (partition by v.unit, v.indicator, v.year);
    """,
    2: """
    create sequence if not exists event_seq start 1;
    create table if not exists import_events (
        event_id integer primary key default nextval('event_seq'), import_id integer,
        action varchar not null, user_name varchar, happened_at timestamp not null, note varchar);
    """,
    # The order of reporting rounds stored by one import («Status juni 2023» before «Status
    # desember 2023»): year × 100 + month, a round named by its year alone after its months.
    3: """
    create or replace macro round_order(r) as
        coalesce(try_cast(regexp_extract(r, '((?:19|20)[0-9]{2})', 1) as integer), 0) * 100
        + coalesce(
            list_position(
                ['januar', 'februar', 'mars', 'april', 'mai', 'juni', 'juli', 'august',
                 'september', 'oktober', 'november', 'desember'],
                regexp_extract(lower(r), '(januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember)', 1)
            ),
            13
        );
    """,
}


class StoreBusy(UserError):
    """The database file is locked by another program."""


def connect(path: Path | str, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and create or migrate) the database; mark imports left pending by a crash as failed."""
    path = Path(path)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise StoreBusy(
                f"Databasen {path} er i bruk av et annet program (for eksempel appen). "
                "Stopp det, eller bruk --db for en annen fil."
            ) from None
        raise
    if not read_only:
        migrate(con)
        con.execute(
            "update imports set outcome = 'failed', message = 'Avbrutt: lagringen ble ikke "
            "fullført (programmet stoppet underveis).' where outcome = 'pending'"
        )
    return con


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Bring the schema to SCHEMA_VERSION; the version is recorded in schema_version."""
    con.execute("create table if not exists schema_version (version integer, applied_at timestamp)")
    current = con.execute("select coalesce(max(version), 0) from schema_version").fetchone()[0]
    for version in range(current + 1, SCHEMA_VERSION + 1):
        con.execute("begin transaction")
        try:
            con.execute(MIGRATIONS[version])
            con.execute("insert into schema_version values (?, ?)", [version, dt.datetime.now()])
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    return SCHEMA_VERSION


def find_by_sha(con: duckdb.DuckDBPyConnection, sha256: str) -> tuple[int, dt.datetime] | None:
    row = con.execute(
        "select import_id, imported_at from imports where sha256 = ? and outcome = 'ok' "
        "order by import_id desc limit 1",
        [sha256],
    ).fetchone()
    return (row[0], row[1]) if row else None


def _frame(table: str, records: list[dict[str, Any]], import_id: int) -> pd.DataFrame:
    columns = FACT_COLUMNS[table]
    frame = pd.DataFrame.from_records(records, columns=list(columns))
    frame.insert(0, "import_id", import_id)
    return frame


def write_import(
    con: duckdb.DuckDBPyConnection,
    meta: dict[str, Any],
    tables: dict[str, list[dict]],
    arrow_tables: dict[str, pa.Table],
    *,
    fail_after: str | None = None,
) -> int:
    """Store one import: a pending log row, then all facts and the «ok» in one transaction.

    On any error the facts are rolled back, the log row says «failed», and the error is raised.
    `fail_after` names a table after which to fail on purpose (tests of the rollback).
    """
    with _WRITE_LOCK:
        con.execute("begin transaction")
        import_id = con.execute(
            "insert into imports (file_name, sha256, layout, sheets, unit, year, label, n_rows, warnings,"
            " imported_at, user_name, outcome) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending') returning import_id",
            [
                meta["file_name"],
                meta["sha256"],
                meta["layout"],
                meta["sheets"],
                meta.get("unit"),
                meta.get("year"),
                meta.get("label"),
                meta.get("n_rows"),
                json.dumps(meta.get("warnings", []), ensure_ascii=False),
                dt.datetime.now(),
                meta.get("user_name"),
            ],
        ).fetchone()[0]
        con.execute("commit")
        try:
            con.execute("begin transaction")
            for table, records in tables.items():
                if records:
                    frame = _frame(table, records, import_id)  # noqa: F841 — read by DuckDB below
                    con.execute(f"insert into {table} by name select * from frame")
                if fail_after == table:
                    raise RuntimeError(f"test failure after {table}")
            for table, arrow in arrow_tables.items():
                con.register("_arrow_import", arrow)
                con.execute(
                    f"insert into {table} by name select *, $id::integer as import_id "
                    "from _arrow_import",
                    {"id": import_id},
                )
                con.unregister("_arrow_import")
                if fail_after == table:
                    raise RuntimeError(f"test failure after {table}")
            _register_units(con, _units_in(tables, arrow_tables))
            pause = os.environ.get("MALBILDE_TEST_PAUSE_IN_SAVE")  # tests: kill the server mid-save
            if pause:
                time.sleep(float(pause))
            con.execute("update imports set outcome = 'ok' where import_id = ?", [import_id])
            log_event(con, import_id, "importert", meta.get("user_name"))
            con.execute("commit")
        except BaseException as exc:
            con.execute("rollback")
            con.execute(
                "update imports set outcome = 'failed', message = ? where import_id = ?",
                [f"Lagringen feilet og ble rullet tilbake: {type(exc).__name__}", import_id],
            )
            raise
    return import_id


def _units_in(tables: dict[str, list[dict]], arrow_tables: dict[str, pa.Table]) -> set[str]:
    found = {r.get("unit") for records in tables.values() for r in records}
    found |= {r.get("parent_unit") for r in tables.get("allocations", [])}
    for arrow in arrow_tables.values():
        found |= set(pc.unique(arrow.column("unit")).to_pylist())
    return {u for u in found if u}


def _register_units(con: duckdb.DuckDBPyConnection, found: set[str]) -> None:
    """Add units seen in this import (and their parents) to the unit table."""
    registry = units.registry()
    rows = []
    todo = list(found)
    while todo:
        code = todo.pop()
        known = registry.get(code)
        parent = units.parent_of(code)
        level = 0 if parent is None else (1 if parent == "NTNU" else 2)
        rows.append((code, known.name if known else code, parent, level))
        if parent and parent not in found:
            found.add(parent)
            todo.append(parent)
    if rows:  # one statement (executemany runs one per row)
        code, name, parent, level = (list(column) for column in zip(*rows, strict=True))
        con.execute(
            "insert into units select unnest($code), unnest($name), unnest($parent), unnest($level)"
            " on conflict do nothing",
            {"code": code, "name": name, "parent": parent, "level": level},
        )


def dataset_key(con: duckdb.DuckDBPyConnection, import_id: int) -> list[int]:
    """The imports that are versions of the same dataset as `import_id` (same unit, layout and
    version key: plan/round, prognosis label, strategy …), oldest first."""
    row = con.execute(
        "select layout, unit, year, label from imports where import_id = ?", [import_id]
    ).fetchone()
    if row is None:
        return []
    layout, unit, year, label = row
    rows = con.execute(
        "select import_id from imports where layout = ? and unit is not distinct from ? "
        "and year is not distinct from ? and label is not distinct from ? and outcome in ('ok', 'undone') "
        "order by import_id",
        [layout, unit, year, label],
    ).fetchall()
    return [r[0] for r in rows]


def log_event(
    con: duckdb.DuckDBPyConnection,
    import_id: int | None,
    action: str,
    user: str | None,
    note: str | None = None,
) -> None:
    con.execute(
        "insert into import_events (import_id, action, user_name, happened_at, note) values (?, ?, ?, ?, ?)",
        [import_id, action, user, dt.datetime.now(), note],
    )


def undo_import(con: duckdb.DuckDBPyConnection, import_id: int, user: str | None) -> None:
    """Take one import out of the data (its rows stay, marked «undone»); logged."""
    with _WRITE_LOCK:
        con.execute("begin transaction")
        try:
            changed = con.execute(
                "update imports set outcome = 'undone' where import_id = ? and outcome = 'ok' "
                "returning import_id",
                [import_id],
            ).fetchall()
            if not changed:
                raise UserError(f"Import nr. {import_id} er ikke aktiv og kan ikke angres.")
            log_event(con, import_id, "angret", user)
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise


def rollback_to(con: duckdb.DuckDBPyConnection, import_id: int, user: str | None) -> list[int]:
    """Make an earlier version of a dataset current again: every later version of the same
    dataset is marked undone, the chosen one is made active; one transaction, logged."""
    with _WRITE_LOCK:
        versions = dataset_key(con, import_id)
        later = [i for i in versions if i > import_id]
        con.execute("begin transaction")
        try:
            con.execute("update imports set outcome = 'ok' where import_id = ?", [import_id])
            for other in later:
                con.execute(
                    "update imports set outcome = 'undone' where import_id = ? and outcome = 'ok'",
                    [other],
                )
            log_event(
                con,
                import_id,
                "tilbakestilt til denne versjonen",
                user,
                f"satte {len(later)} nyere versjon(er) til side: {', '.join(map(str, later)) or 'ingen'}",
            )
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    return later


def load_query(name: str) -> str:
    """The text of queries/<name>.sql."""
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


def query(
    con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None
) -> pd.DataFrame:
    """Run queries/<name>.sql with bound $parameters on a fresh cursor."""
    sql = load_query(name)
    cur = con.cursor()
    try:
        return cur.execute(sql, params or {}).df()
    finally:
        cur.close()
