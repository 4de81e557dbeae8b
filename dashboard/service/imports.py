"""The write side, one service for the «Last opp» page and the command line: read a workbook
(preview), compare it with what is stored (diff), save it, undo an import, roll back to an
earlier version. Pages and the CLI call these; neither talks to the parser or the store."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.compute as pc

from dashboard import auth, store
from dashboard.auth import User
from dashboard.config import EDITED_RULES, Settings
from dashboard.errors import AlreadyImported, UserError
from dashboard.ingest import reader
from dashboard.ingest.layouts import status as status_layout
from dashboard.ingest.layouts.common import Overrides
from dashboard.ingest.pipeline import ImportResult, parse_file, sha256_of
from dashboard.model.economy.costs import unknown_plan_refs
from dashboard.service.diff import Diff, diff_against_store
from dashboard.store import backup

__all__ = [
    "AlreadyImported",
    "backup_now",
    "Diff",
    "file_units",
    "ImportResult",
    "Overrides",
    "Preview",
    "import_file",
    "prepare",
    "preview",
    "roll_back",
    "save",
    "save_status_rules",
    "status_rules",
    "store_result",
    "undo",
]

# the tables a preview shows first, in this order (the main table of each layout)
PREVIEW_TABLES = (
    "measures",
    "budget_figures",
    "goals",
    "indicator_defs",
    "indicator_values",
    "allocations",
)


@dataclass
class Preview:
    """What a workbook would store, and what it would change."""

    result: ImportResult
    diff: Diff

    def rows(self, limit: int) -> pd.DataFrame | None:
        """The first rows of the import's main table, as read (None when it has none)."""
        p = self.result.parsed
        name = next((t for t in PREVIEW_TABLES if p.tables.get(t)), None)
        if name:
            return pd.DataFrame(p.tables[name]).head(limit)
        if "budget_figures" in p.arrow_tables:
            return p.arrow_tables["budget_figures"].slice(0, limit).to_pandas()
        return None


def prepare(settings: Settings) -> None:
    """Start a parsing child ahead of need (the next upload does not wait for it)."""
    reader.prestart(settings)


def preview(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    settings: Settings,
    overrides: Overrides | None = None,
    display_name: str | None = None,
) -> Preview:
    """Read and check a workbook and diff it against the store; nothing is written.
    Raises a UserError naming file, sheet and cell when the workbook is refused."""
    result = parse_file(path, settings, overrides, display_name or path.name)
    _check_plan_links(con, result)
    return Preview(result, diff_against_store(con, result))


def _check_plan_links(con: duckdb.DuckDBPyConnection, result: ImportResult) -> None:
    """A cost measure naming a plan measure that is not stored is a warning naming the cell."""
    records = result.parsed.tables.get("cost_measures", [])
    units = {r["unit"] for r in records if r.get("plan_ref")}
    for unit in sorted(units):
        plans = store.query(
            con, "economy_plan_measures", {"unit": unit, "event": store.data_version(con)}
        )
        mine = [r for r in records if r["unit"] == unit]
        result.parsed.warnings.extend(unknown_plan_refs(mine, plans, unit))


def file_units(result: ImportResult) -> list[str]:
    """The units a workbook writes for, as read: its own (one or several) and every unit of its
    budget lines; NTNU when it names none."""
    parsed = result.parsed
    own = [u.strip() for u in (parsed.unit or "").split(",") if u.strip()]
    figures = parsed.arrow_tables.get("budget_figures")
    lines = pc.unique(figures.column("unit")).to_pylist() if figures is not None else []
    lines += [r.get("unit") for r in parsed.tables.get("budget_figures", [])]
    found = dict.fromkeys([*own, *(str(u) for u in lines if u)])
    return list(found) or [auth.ROOT_UNIT]


def save(
    con: duckdb.DuckDBPyConnection, result: ImportResult, user: User | str | None
) -> ImportResult:
    """Store a previewed import in one transaction (on a cursor of its own, under the write
    lock; the same file twice is stored once). Raises AlreadyImported for a stored file, and
    NotAllowed (nothing written) unless the user holds «økonomi» for every unit it writes for."""
    who = auth.acting(user)
    auth.require_each(who, "økonomi", file_units(result), lambda u: f"laste opp data for {u}")
    return store_result(con, result, user=who.label)


def store_result(
    con: duckdb.DuckDBPyConnection,
    result: ImportResult,
    *,
    user: str | None = None,
    fail_after: str | None = None,
) -> ImportResult:
    """Write a parsed import as read, without a role check (`save` is the checked way in); the
    store refuses a file it holds already (AlreadyImported), checked under its write lock.
    `fail_after` names a table after which the tests of saving make the write fail."""
    parsed = result.parsed
    meta = {
        "file_name": result.file_name,
        "sha256": result.sha256,
        "layout": parsed.layout,
        "sheets": ", ".join(parsed.sheets),
        "unit": parsed.unit,
        "year": parsed.year,
        "label": parsed.label,
        "n_rows": parsed.rows,
        "warnings": parsed.warnings,
        "user_name": user,
        "entities": parsed.entities,
    }
    result.import_id = store.write_import(
        con, meta, parsed.tables, parsed.arrow_tables, fail_after=fail_after
    )
    return result


def import_file(
    con: duckdb.DuckDBPyConnection | None,
    path: Path,
    settings: Settings,
    overrides: Overrides | None = None,
    *,
    display_name: str | None = None,
    user: User | str | None = None,
) -> ImportResult:
    """Read and store one workbook (the command line); a stored file is not read again.
    `con` None: the shared store (settings.db_path), read and checked without the lock across
    processes; only the save takes it and publishes the new snapshot."""
    from dashboard.store import shared

    name = display_name or path.name
    reader = con or duckdb.connect(str(shared.current_snapshot(settings.db_path)), read_only=True)
    try:
        _not_stored_yet(reader, path, name)
    finally:
        if con is None:
            reader.close()
    result = parse_file(path, settings, overrides, name)
    if result.parsed.tables.get("cost_measures"):
        checker = con or duckdb.connect(
            str(shared.current_snapshot(settings.db_path)), read_only=True
        )
        try:
            _check_plan_links(checker, result)
        finally:
            if con is None:
                checker.close()
    if con is not None:
        return save(con, result, user)
    with shared.writing(settings.db_path) as master:
        return save(master, result, user)  # the duplicate check runs again, under the lock


def _not_stored_yet(con: duckdb.DuckDBPyConnection, path: Path, name: str) -> None:
    existing = store.find_by_sha(con, sha256_of(path))
    if existing:
        raise AlreadyImported(
            f"Denne fila er allerede importert (import nr. {existing[0]}, "
            f"{existing[1]:%d.%m.%Y %H:%M}). Ingenting ble endret.",
            file=name,
        )


def _may_change(con: duckdb.DuckDBPyConnection, import_id: int, user, what: str) -> User:
    """The acting user, refused (NotAllowed) unless «økonomi» for every unit of the import."""
    who = auth.acting(user)
    units = store.import_units(con, int(import_id)) or [auth.ROOT_UNIT]
    auth.require_each(who, "økonomi", units, lambda u: f"{what} import nr. {import_id} ({u})")
    return who


def changeable(con: duckdb.DuckDBPyConnection, import_ids: list[int], user: User) -> list[int]:
    """The imports `user` may undo or roll back («økonomi» for every unit of each): what the
    page offers; `undo` and `roll_back` check again."""
    if user.can("økonomi", auth.ROOT_UNIT):
        return list(import_ids)
    return [
        i
        for i in import_ids
        if all(user.can("økonomi", u) for u in store.import_units(con, int(i)) or [auth.ROOT_UNIT])
    ]


def undo(con: duckdb.DuckDBPyConnection, import_id: int, user: User | str | None) -> None:
    """Take an import out of the data (logged; every page shows the previous version)."""
    who = _may_change(con, import_id, user, "angre")
    store.undo_import(con, int(import_id), who.label)


def roll_back(con: duckdb.DuckDBPyConnection, import_id: int, user: User | str | None) -> list[int]:
    """Make an earlier version current again; returns the newer versions set aside."""
    who = _may_change(con, import_id, user, "gå tilbake til")
    return store.rollback_to(con, int(import_id), who.label)


def backup_now(con: duckdb.DuckDBPyConnection, settings: Settings) -> Path:
    """A consistent copy of the database while the app serves it, in `backups/` beside it."""
    return backup.backup_live(con, backup.default_target(settings.db_path))


def status_rules(settings: Settings) -> list[tuple[str, str]]:
    """The status rule table in force (pattern, category), as written."""
    return status_layout.raw_rules(settings.status_rules)


def save_status_rules(
    con: duckdb.DuckDBPyConnection, rows: list[tuple[object, object]], user: User | str | None
) -> int:
    """Write the administrator's rule table (rows with an empty pattern are left out) and log
    it; returns the number of rules. Raises UserError for an unknown category, NotAllowed
    unless the user is «admin» for NTNU (the table holds for every unit)."""
    who = auth.acting(user)
    auth.require(who, "admin", auth.ROOT_UNIT, "endre regeltabellen for tekststatus")
    rules = [(str(p), str(c)) for p, c in rows if isinstance(p, str) and p.strip()]
    target = Path(os.environ.get("MALBILDE_STATUS_RULES") or EDITED_RULES)
    try:
        status_layout.save_rules(target, rules)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    store.record_event(con, "regeltabell endret", who.label, str(target))
    return len(rules)
