"""Sending a round out: every unit's workbook, with its control code and row checks, one by one or in a zip."""

from __future__ import annotations

import duckdb
import pandas as pd

from dashboard.auth import User
from dashboard.present import round_workbook
from dashboard.round_format import RoundInfo
from dashboard.service.rounds.codes import control_code, with_checks
from dashboard.service.rounds.common import (
    RoundRefused,
    allowed,
    get_round,
    progress,
    round_info,
    unit_names,
)
from dashboard.store.server_key import server_key


def info(con: duckdb.DuckDBPyConnection, round_id: int, unit: str) -> RoundInfo:
    """The round's facts for one unit's workbook, with its control code."""
    r = get_round(con, round_id)
    return round_info(r, unit, unit_names(con), control_code(server_key(con), r, unit))


def workbooks(
    con: duckdb.DuckDBPyConnection, round_id: int, user: User | str | None = None
) -> dict[str, bytes]:
    """Every responsible unit's workbook of a round: {file name: .xlsx bytes} (with their
    control codes: «økonomi» for the round's unit)."""
    r, names = get_round(con, round_id), unit_names(con)  # read once, not per unit
    allowed(r, user, "laste ned arbeidsbøkene i runden")
    rows = progress(con, round_id)
    rows = rows[~rows["ended"]]
    key = server_key(con)
    out = {}
    for unit, own in rows.groupby("unit", sort=False):
        meta = round_info(r, str(unit), names, control_code(key, r, str(unit)))
        out[round_workbook.file_name(meta)] = round_workbook.build(meta, with_checks(key, r, own))
    return out


def unit_workbook(
    con: duckdb.DuckDBPyConnection, round_id: int, unit: str, user: User | str | None = None
) -> bytes:
    """One unit's workbook of a round («økonomi» for the round's unit)."""
    r = get_round(con, round_id)
    allowed(r, user, "laste ned arbeidsbøkene i runden")
    rows = progress(con, round_id)
    own = rows[(rows["unit"] == unit) & ~rows["ended"]]
    if own.empty:
        raise RoundRefused(f"{unit} er ikke med i runden.")
    key = server_key(con)
    meta = round_info(r, unit, unit_names(con), control_code(key, r, unit))
    return round_workbook.build(meta, with_checks(key, r, own))


def unit_file_name(row: pd.Series, unit: str, names: dict[str, str]) -> str:
    """The file name of a unit's workbook, from the round as the read model has it (no query:
    the round page asks for it on every run)."""
    return round_workbook.file_name(round_info(row, unit, names))


def zip_workbooks(
    con: duckdb.DuckDBPyConnection, round_id: int, user: User | str | None = None
) -> bytes:
    """Every unit's workbook of a round in one zip."""
    return round_workbook.zip_all(workbooks(con, round_id, user))
