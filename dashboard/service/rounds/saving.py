"""Storing a taken-back batch: each ready file an import of its own, approved by the coordinator, all in one transaction."""

from __future__ import annotations

import duckdb
import pandas as pd

from dashboard import round_format, store, vocab
from dashboard.auth import User
from dashboard.service.rounds.common import (
    allowed,
    asked_by_unit,
    get_open_round,
    int_or_none,
    opt,
    opt_date,
    opt_int,
    progress,
)
from dashboard.service.rounds.returned import Batch, Returned
from dashboard.store.answers import review_row


def save(
    con: duckdb.DuckDBPyConnection, batch: Batch, user: User | str | None
) -> list[tuple[Returned, int | None, str | None]]:
    """Store every ready file of a batch, each as an import of its own (its unit's answers in
    the round, undone on its own), all in one transaction: all are stored or none. A file
    stored before is reported and skipped. «økonomi» for the round's unit."""
    r = get_open_round(con, batch.round_id)
    user = allowed(r, user, "lagre svar i runden")
    asked = asked_by_unit(progress(con, batch.round_id))
    items = [
        (import_meta(r, result, user), import_tables(r, asked[result.unit], result))
        for result in batch.ready
    ]
    stored = store.write_imports(con, items, _approved_on_taking(r, user))
    return [
        (result, out if isinstance(out, int) else None, out if isinstance(out, str) else None)
        for result, out in zip(batch.ready, stored, strict=True)
    ]


def _approved_on_taking(r: pd.Series, user: str | None):
    """A workbook the coordinator takes back is approved by them at the event that stores it
    (taking back needs `økonomi` for the round's unit, above the approver's `leder`)."""

    def approve(cur, meta: dict, event: int) -> None:
        review_row(cur, int(r["round_id"]), meta["unit"], "godkjent", None, event, user)

    return approve


def import_meta(r: pd.Series, result: Returned, user: str | None) -> dict:
    """The import row's values for one returned workbook."""
    return {
        "file_name": result.name,
        "sha256": result.sha256,
        "layout": str(vocab.Layout.ROUND_RETURN),
        "sheets": round_format.STATUS_SHEET,
        "unit": result.unit,
        "year": int_or_none(r["plan_year"]),
        "label": r["label"],
        "n_rows": len(result.answers),
        "warnings": result.warnings,
        "user_name": user,
    }


def import_tables(r: pd.Series, own: list[dict], result: Returned) -> dict[str, list[dict]]:
    """The plan, the unit's measures in the round and its answers, as a status import."""
    year = int_or_none(r["plan_year"])
    plan = r["plan"]
    return {
        "plans": [
            {
                "unit": result.unit,
                "plan": r["plan"],
                "kind": str(r["plan"]).split(" ")[0],
                "year": year,
                "round": r["label"],
            }
        ],
        "measures": [
            {
                "unit": m["unit"],
                "plan": plan,
                "year": year,
                "seq": int(m["seq"]),
                "measure_key": m["measure_key"],
                "area": None if m["area"] == vocab.NO_AREA else m["area"],
                "goal_no": opt_int(m["goal_no"]),
                "goal_ref": opt(m["goal_ref"]),
                "title": m["title"],
                "period_start": opt_date(m["period_start"]),
                "period_end": opt_date(m["period_end"]),
                "source_cell": f"{round_format.STATUS_SHEET}!{m['key']}",
            }
            for m in own
        ],
        "status_reports": result.answers,
    }
