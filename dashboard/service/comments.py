"""A comment thread per measure («Spørsmål fra dekan»): leaders and reporters of the measure's
unit post between rounds; each comment is an event (table `measure_comments`), so a view pinned
to an event sees the thread as it stood. Måloppnåelse shows it beside the status history."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from dashboard import auth, store
from dashboard.auth import User
from dashboard.errors import UserError
from dashboard.store.sql import run
from dashboard.store.writes import in_event

MAX_CHARS = 4000


class CommentRefused(UserError):
    """A comment cannot be stored as given."""


def post(
    con: duckdb.DuckDBPyConnection,
    user: User | None,
    unit: str,
    plan: str,
    measure_key: str,
    title: str,
    body: str,
) -> int:
    """Store a comment on a measure (`rapportør` or higher for its unit); returns its event."""
    auth.require(user, "rapportør", unit, f"kommentere tiltak i {unit}")
    text = (body or "").strip()
    if not text:
        raise CommentRefused("Skriv en kommentar før du legger den inn.")
    if len(text) > MAX_CHARS:
        raise CommentRefused(f"Kommentaren er {len(text)} tegn; høyst {MAX_CHARS} går.")
    row = {
        "unit": unit,
        "plan": plan,
        "measure_key": measure_key,
        "title": title,
        "author": user.label,
        "author_name": user.name,
        "written_at": dt.datetime.now(),
        "body": text,
    }

    def work(cur: duckdb.DuckDBPyConnection, event: int) -> None:
        run(cur, "measure_comment_insert", {"event": event, **row})

    event = in_event(con, "kommentar", user.label, f"{unit} · {measure_key}", work)
    return event


def thread(
    con: duckdb.DuckDBPyConnection, unit: str, plan: str, measure_key: str, event: int | None
) -> pd.DataFrame:
    """A measure's comments as of `event` (None: now), oldest first."""
    return store.query(
        con,
        "measure_comments",
        {"unit": unit, "plan": plan, "measure_key": measure_key, "event": event},
    )
