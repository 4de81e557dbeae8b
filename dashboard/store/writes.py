"""Writes to the store: one import in one transaction, undo, roll back, the event log.

Every change of what is current is an import event, and `import_states` records each import's
outcome at that event, so a view pinned to an event keeps its numbers.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard import units
from dashboard.errors import AlreadyImported, UserError
from dashboard.store import fault
from dashboard.store.schema import FACT_COLUMNS

_WRITE_LOCK = threading.Lock()

T = TypeVar("T")


def find_by_sha(con: duckdb.DuckDBPyConnection, sha256: str) -> tuple[int, dt.datetime] | None:
    """The newest active import of a file with this SHA-256, if any."""
    cur = con.cursor()
    row = cur.execute(
        "select import_id, imported_at from imports where sha256 = ? and outcome = 'ok' "
        "order by import_id desc limit 1",
        [sha256],
    ).fetchone()
    cur.close()
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
    The same file (SHA-256) is checked inside the write lock, so two simultaneous saves of one
    file store it once. Writes use their own cursor (never the caller's connection, which other
    sessions share). `fail_after` names a table after which to fail on purpose (tests).
    """
    with _WRITE_LOCK:
        existing = find_by_sha(con, meta["sha256"])
        if existing:
            raise AlreadyImported(
                f"Denne fila er allerede importert (import nr. {existing[0]}, "
                f"{existing[1]:%d.%m.%Y %H:%M}). Ingenting ble endret.",
                file=meta["file_name"],
            )
        with _own_cursor(con) as cur:
            return _write(cur, meta, tables, arrow_tables, fail_after)


def _write(
    con: duckdb.DuckDBPyConnection,
    meta: dict[str, Any],
    tables: dict[str, list[dict]],
    arrow_tables: dict[str, pa.Table],
    fail_after: str | None,
) -> int:
    con.execute("begin transaction")
    import_id = _insert_import(con, meta, "pending")
    con.execute("commit")
    try:
        con.execute("begin transaction")
        for table, records in tables.items():
            if records:
                frame = _frame(table, records, import_id)  # noqa: F841 — read by DuckDB below
                con.execute(f"insert into {table} by name select * from frame")
            fault.fail_here(fail_after, table)
        for table, arrow in arrow_tables.items():
            con.register("_arrow_import", arrow)
            con.execute(
                f"insert into {table} by name select *, $id::integer as import_id "
                "from _arrow_import",
                {"id": import_id},
            )
            con.unregister("_arrow_import")
            fault.fail_here(fail_after, table)
        notes = _register_units(con, _units_in(tables, arrow_tables), meta.get("entities") or {})
        if notes:  # kept with the import's warnings, where its history shows them
            warnings = json.dumps([*meta.get("warnings", []), *notes], ensure_ascii=False)
            con.execute(
                "update imports set warnings = ? where import_id = ?", [warnings, import_id]
            )
        fault.pause_in_save(import_id)
        con.execute("update imports set outcome = 'ok' where import_id = ?", [import_id])
        event = log_event(con, import_id, "importert", meta.get("user_name"))
        _set_states(con, event, {import_id: "ok"})
        con.execute("commit")
    except BaseException as exc:
        con.execute("rollback")
        con.execute(
            "update imports set outcome = 'failed', message = ? where import_id = ?",
            [f"Lagringen feilet og ble rullet tilbake: {type(exc).__name__}", import_id],
        )
        raise
    return import_id


def write_imports(
    con: duckdb.DuckDBPyConnection,
    items: list[tuple[dict[str, Any], dict[str, list[dict]]]],
    then: Callable[[duckdb.DuckDBPyConnection, dict[str, Any], int], None] | None = None,
) -> list[int | str]:
    """Store many small imports (a reporting round's returned workbooks) in one transaction:
    each is an import of its own (undone on its own), and either all are stored or none. Per
    item its import id, or the message why it was not stored (the same file stored already).
    `then(cursor, meta, event)` runs in the transaction after each import is stored (the
    coordinator's approval of a workbook taken back, at the event that stored it)."""
    out: list[int | str] = []
    with _WRITE_LOCK, _own_cursor(con) as cur:
        cur.execute("begin transaction")
        try:
            found: set[str] = set()
            facts: dict[str, list[dict]] = {}
            for meta, tables in items:
                existing = find_by_sha(cur, meta["sha256"])
                if existing:
                    out.append(
                        AlreadyImported(
                            f"Denne fila er allerede importert (import nr. {existing[0]}, "
                            f"{existing[1]:%d.%m.%Y %H:%M}). Ingenting ble endret.",
                            file=meta["file_name"],
                        ).render()
                    )
                    continue
                import_id = _insert_import(cur, meta, "ok")
                for table, records in tables.items():
                    facts.setdefault(table, []).extend(
                        {**record, "import_id": import_id} for record in records
                    )
                found |= _units_in(tables, {})
                event = log_event(cur, import_id, "importert", meta.get("user_name"))
                _set_states(cur, event, {import_id: "ok"})
                if then is not None:
                    then(cur, meta, event)
                out.append(import_id)
            for table, records in facts.items():  # one insert per table for the whole batch
                if records:
                    columns = ["import_id", *FACT_COLUMNS[table]]
                    frame = pd.DataFrame.from_records(records, columns=columns)  # noqa: F841
                    cur.execute(f"insert into {table} by name select * from frame")
            _register_units(cur, found, {})
            cur.execute("commit")
        except BaseException:
            cur.execute("rollback")
            raise
    return out


def _insert_import(con: duckdb.DuckDBPyConnection, meta: dict[str, Any], outcome: str) -> int:
    return con.execute(
        "insert into imports (file_name, sha256, layout, sheets, unit, year, label, n_rows, warnings,"
        " imported_at, user_name, outcome) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning import_id",
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
            outcome,
        ],
    ).fetchone()[0]


def _units_in(tables: dict[str, list[dict]], arrow_tables: dict[str, pa.Table]) -> set[str]:
    found = {r.get("unit") for records in tables.values() for r in records}
    found |= {r.get("parent_unit") for r in tables.get("allocations", [])}
    for arrow in arrow_tables.values():
        found |= set(pc.unique(arrow.column("unit")).to_pylist())
    return {u for u in found if u}


Entities = dict[str, tuple[str | None, str | None, str | None]]


def _register_units(
    con: duckdb.DuckDBPyConnection, found: set[str], entities: Entities
) -> list[str]:
    """Add units seen in this import (and their parents) to the unit table. `entities` gives
    what the file said of a unit the registry does not know: name, parent and peer group (peer
    institutions and their units sit outside NTNU's tree). Returns a note for each parent left
    out because it would have made a unit its own ancestor."""
    stored = dict(con.execute("select code, parent from units").fetchall())
    parents = dict(stored)
    rows, notes = [], []
    todo, found = list(found), set(found)
    while todo:
        code = todo.pop()
        if code in stored:
            parent = stored[code]
        else:
            row, note = _new_unit(code, entities, parents)
            rows.append(row)
            notes += [note] if note else []
            parent = parents[code] = row[2]
        if parent and parent not in found:
            found.add(parent)
            todo.append(parent)
    if rows:  # one statement (executemany runs one per row)
        code, name, parent, level, group = (list(column) for column in zip(*rows, strict=True))
        con.execute(
            "insert into units (code, name, parent, level, peer_group) select unnest($code), "
            "unnest($name), unnest($parent), unnest($level), unnest($group) on conflict do nothing",
            {"code": code, "name": name, "parent": parent, "level": level, "group": group},
        )
    return notes


def _new_unit(
    code: str, entities: Entities, parents: dict[str, str | None]
) -> tuple[tuple[str, str, str | None, int, str | None], str | None]:
    """The unit table's row for a unit not stored yet: the registry's, else what the file said
    (else the parent its code gives); a parent that would close a cycle is replaced, with a note."""
    known = units.registry().get(code)
    name, parent, group = entities.get(code, (None, units.parent_of(code), None))
    if known:
        name, parent, group = known.name, known.parent, None
    safe = units.safe_parent(code, parent, parents, peer=group is not None)
    note = None
    if safe != parent:
        note = (
            f"Enheten {code} kan ikke ligge under {parent}, for da ville den ligget under seg "
            f"selv; den er lagret under {safe or 'ingen enhet'}."
        )
    return (code, name or code, safe, units.level_of(safe, group is not None), group), note


def import_units(con: duckdb.DuckDBPyConnection, import_id: int) -> list[str]:
    """The units an import wrote for: its own (one or several, comma-separated) and every unit
    of its budget lines (a ledger of many units); empty for an unknown import."""
    cur = con.cursor()
    try:
        row = cur.execute("select unit from imports where import_id = ?", [import_id]).fetchone()
        if row is None:
            return []
        lines = cur.execute(
            "select distinct unit from budget_figures where import_id = ? and unit is not null",
            [import_id],
        ).fetchall()
    finally:
        cur.close()
    own = [u.strip() for u in (row[0] or "").split(",") if u.strip()]
    return list(dict.fromkeys([*own, *(u for (u,) in lines)]))


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
) -> int:
    """Log an import event; returns its id (the data version it creates)."""
    return con.execute(
        "insert into import_events (import_id, action, user_name, happened_at, note) "
        "values (?, ?, ?, ?, ?) returning event_id",
        [import_id, action, user, dt.datetime.now(), note],
    ).fetchone()[0]


def in_event(
    con: duckdb.DuckDBPyConnection,
    action: str,
    user: str | None,
    note: str,
    work: Callable[[duckdb.DuckDBPyConnection, int], object],
) -> int:
    """Do `work(cursor, event)` in one transaction with the event that records it (so every
    view pinned to a later event sees it, and none before); returns the event."""

    def recorded(cur: duckdb.DuckDBPyConnection) -> int:
        event = log_event(cur, None, action, user, note)
        work(cur, event)
        return event

    return in_transaction(con, recorded)


def in_transaction(
    con: duckdb.DuckDBPyConnection, work: Callable[[duckdb.DuckDBPyConnection], T]
) -> T:
    """Do `work(cursor)` in one transaction under the write lock: all of it is stored or,
    on any error, none of it; returns what `work` returns."""
    with write_cursor(con) as cur:
        cur.execute("begin transaction")
        try:
            out = work(cur)
            cur.execute("commit")
        except BaseException:
            cur.execute("rollback")
            raise
    return out


def record_event(
    con: duckdb.DuckDBPyConnection, action: str, user: str | None, note: str | None = None
) -> int:
    """Log an event that is not an import (e.g. the rule table edited), under the write lock."""
    with write_cursor(con) as cur:
        return log_event(cur, None, action, user, note)


def _set_states(con: duckdb.DuckDBPyConnection, event: int, outcomes: dict[int, str]) -> None:
    """Record each import's outcome as of `event` (what a view pinned to it shows)."""
    if outcomes:
        con.execute(
            "insert into import_states select $event, unnest($ids), unnest($outcomes)",
            {"event": event, "ids": list(outcomes), "outcomes": list(outcomes.values())},
        )


@contextlib.contextmanager
def _own_cursor(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor of its own for a write (the app's connection is shared by every session)."""
    cur = con.cursor()
    try:
        yield cur
    finally:
        cur.close()


@contextlib.contextmanager
def write_cursor(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor of its own under the write lock: one write (or consistent copy) at a time."""
    with _WRITE_LOCK, _own_cursor(con) as cur:
        yield cur


def undo_import(con: duckdb.DuckDBPyConnection, import_id: int, user: str | None) -> None:
    """Take one import out of the data (its rows stay, marked «undone»); logged."""
    with write_cursor(con) as con:
        con.execute("begin transaction")
        try:
            changed = con.execute(
                "update imports set outcome = 'undone' where import_id = ? and outcome = 'ok' "
                "returning import_id",
                [import_id],
            ).fetchall()
            if not changed:
                raise UserError(f"Import nr. {import_id} er ikke aktiv og kan ikke angres.")
            event = log_event(con, import_id, "angret", user)
            _set_states(con, event, {import_id: "undone"})
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise


def rollback_to(con: duckdb.DuckDBPyConnection, import_id: int, user: str | None) -> list[int]:
    """Make an earlier version of a dataset current again: every later version of the same
    dataset is marked undone, the chosen one is made active; one transaction, logged."""
    with write_cursor(con) as con:
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
            event = log_event(
                con,
                import_id,
                "tilbakestilt til denne versjonen",
                user,
                f"satte {len(later)} nyere versjon(er) til side: {', '.join(map(str, later)) or 'ingen'}",
            )
            _set_states(con, event, {import_id: "ok"} | {other: "undone" for other in later})
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    return later
