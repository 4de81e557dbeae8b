"""Closing a reporting round (its approved answers stand; the rest are left out by name)."""

from __future__ import annotations

import duckdb

from dashboard import store
from dashboard.auth import User
from dashboard.service.rounds.common import RoundRefused, allowed, get_open_round
from dashboard.store.sql import run
from dashboard.store.writes import in_event


def unapproved(con: duckdb.DuckDBPyConnection, round_id: int) -> list[str]:
    """The units of a round whose answers are in but not approved (sendt inn, sendt tilbake)."""
    table = store.query(con, "round_approval", {"round_id": int(round_id), "event": None})
    return sorted(table.loc[table["state"].isin(["sendt inn", "sendt tilbake"]), "unit"])


def close_round(
    con: duckdb.DuckDBPyConnection,
    round_id: int,
    user: User | str | None,
    leave_out_unapproved: bool | list[str] = False,
) -> list[str]:
    """Close an open round: its approved answers stand as the plan's «Status …»; no more
    returns or reviews. Answers not approved are refused unless `leave_out_unapproved` (True,
    or the units the user was shown and confirmed): then they stay stored but never count in
    the figures, and the event names their units. Returns the units left out."""
    r = get_open_round(con, round_id)
    user = allowed(r, user, "lukke runden")
    left_out = unapproved(con, round_id)
    confirmed = left_out if leave_out_unapproved is True else list(leave_out_unapproved or [])
    if set(left_out) - set(confirmed):
        raise RoundRefused(
            f"Svarene fra {', '.join(left_out)} er ikke godkjent. Godkjenn dem først, eller "
            "bekreft at runden skal lukkes uten dem (de telles da ikke med i tallene)."
        )
    note = f"{r['unit']} · {r['label']}" + (
        f"; ikke godkjent og ikke med i tallene: {', '.join(left_out)}" if left_out else ""
    )
    in_event(
        con,
        "runde lukket",
        user,
        note,
        lambda cur, event: run(
            cur, "round_close", {"round_id": int(round_id), "user": user, "event": event}
        ),
    )
    return left_out
