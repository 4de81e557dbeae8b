"""Writes of answers in the browser: a unit's draft in a reporting round and the coordinator's
review (godkjent / sendt tilbake), each in one transaction with the event that records it, so a
view pinned to an earlier event sees the round as it stood. A submitted answer is a round-return
import (`store.write_imports`), like a returned workbook."""

from __future__ import annotations

import duckdb
import pandas as pd

from dashboard.store.sql import run
from dashboard.store.writes import in_event

DRAFT_COLUMNS = ("key", "measure_key", "status", "comment", "owner", "planned_end")


def write_draft(
    con: duckdb.DuckDBPyConnection,
    round_id: int,
    unit: str,
    rows: list[dict],
    user: str | None,
) -> int:
    """Store a unit's whole draft in a round (one row per measure) as a new save; returns its
    event. The newest save is the draft."""

    def work(cur, event: int) -> None:
        frame = pd.DataFrame.from_records(rows, columns=list(DRAFT_COLUMNS))
        frame["planned_end"] = pd.to_datetime(frame["planned_end"]).dt.date
        frame.insert(0, "unit", unit)
        frame.insert(0, "round_id", int(round_id))
        frame["saved_event"] = event
        frame["saved_by"] = user
        cur.register("_draft_rows", frame)
        run(cur, "round_draft_insert")
        cur.unregister("_draft_rows")

    return in_event(con, "utkast lagret", user, f"runde {round_id} · {unit}", work)


def write_review(
    con: duckdb.DuckDBPyConnection,
    round_id: int,
    unit: str,
    state: str,
    comment: str | None,
    user: str | None,
) -> int:
    """Record the coordinator's review of a unit's answers (godkjent / sendt tilbake)."""

    def work(cur, event: int) -> None:
        review_row(cur, round_id, unit, state, comment, event, user)

    note = f"runde {round_id} · {unit}" + (f": {comment}" if comment else "")
    return in_event(con, f"svar {state}", user, note, work)


def review_row(
    cur: duckdb.DuckDBPyConnection,
    round_id: int,
    unit: str,
    state: str,
    comment: str | None,
    event: int,
    user: str | None,
) -> None:
    """Insert one review of a unit's answers at `event`, inside the caller's transaction."""
    run(
        cur,
        "round_review_insert",
        {
            "round_id": int(round_id),
            "unit": unit,
            "state": state,
            "comment": comment,
            "event": event,
            "user": user,
        },
    )
