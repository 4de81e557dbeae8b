"""Shared by the round modules: reading one round and its progress, the acting user's right, small value helpers."""

from __future__ import annotations

import re

import duckdb
import pandas as pd

from dashboard import auth, store
from dashboard.auth import User
from dashboard.errors import UserError
from dashboard.round_format import RoundInfo


class RoundRefused(UserError):
    """A round cannot be opened, changed or closed as asked."""


def get_round(con: duckdb.DuckDBPyConnection, round_id: int) -> pd.Series:
    """The round's row; RoundRefused if there is no such round."""
    rounds = store.query(con, "rounds", {"unit": None, "event": None})
    row = rounds[rounds["round_id"] == int(round_id)]
    if row.empty:
        raise RoundRefused(f"Rapporteringsrunde nr. {round_id} finnes ikke.")
    return row.iloc[0]


def get_open_round(con: duckdb.DuckDBPyConnection, round_id: int) -> pd.Series:
    """The round's row; RoundRefused if it is missing or closed."""
    r = get_round(con, round_id)
    if r["closed"]:
        raise RoundRefused(f"Runden «{r['label']}» er lukket og kan ikke endres.")
    return r


def allowed(r: pd.Series, user: User | str | None, what: str) -> str:
    """The acting user's label, refused (NotAllowed) unless «økonomi» for the round's unit."""
    who = auth.acting(user)
    auth.require(who, "økonomi", str(r["unit"]), f"{what} «{r['label']}» for {r['unit']}")
    return who.label


def progress(con: duckdb.DuckDBPyConnection, round_id: int) -> pd.DataFrame:
    """Every unit's progress in the round (query round_progress)."""
    return store.query(con, "round_progress", {"round_id": int(round_id), "event": None})


def unit_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Unit code → unit name."""
    names = store.query(con, "unit_names")
    return dict(zip(names["code"], names["name"], strict=True))


def round_info(r: pd.Series, unit: str, names: dict[str, str], code: str = "") -> RoundInfo:
    """The round's facts for one unit's workbook, with the unit's control code."""
    due = None if pd.isna(r["due"]) else pd.Timestamp(r["due"]).date()
    return RoundInfo(
        int(r["round_id"]),
        unit,
        names.get(unit, unit),
        r["plan"],
        r["label"],
        r["kind"],
        due,
        code,
    )


def int_or_none(value: object) -> int | None:
    """The value as an int, None if empty."""
    return None if value is None or pd.isna(value) else int(value)


def given(value: object) -> bool:
    """The cell holds a value (not None, not NaN; a string always counts)."""
    return value is not None and not (not isinstance(value, str) and pd.isna(value))


def opt(value):
    """The value, None if empty."""
    return value if given(value) else None


def opt_int(value):
    """The value as an int, None if empty."""
    return int(value) if given(value) else None


def opt_date(value):
    """The value as a date, None if empty."""
    return pd.Timestamp(value).date() if given(value) else None


def short(text: object, limit: int = 60) -> str:
    """The text on one line, cut to `limit` characters with «…»."""
    shown = re.sub(r"\s+", " ", str(text)).strip()
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def asked_by_unit(rows: pd.DataFrame) -> dict[str, list[dict]]:
    """The measures a round asks for, per unit, as plain records (read once per batch)."""
    out: dict[str, list[dict]] = {}
    for row in rows[~rows["ended"]].to_dict("records"):
        out.setdefault(row["unit"], []).append(row)
    return out


RENEW = "Last ned arbeidsboka på nytt fra runden og fyll den ut der."
