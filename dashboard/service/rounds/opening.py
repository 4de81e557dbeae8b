"""Opening a reporting round from the previous one, and adding or ending its measures."""

from __future__ import annotations

import datetime as dt
import re
import secrets

import duckdb
import pandas as pd

from dashboard import auth, store
from dashboard.auth import User
from dashboard.service.rounds.common import (
    RoundRefused,
    allowed,
    get_open_round,
    int_or_none,
    progress,
)
from dashboard.store.sql import run
from dashboard.store.writes import in_event
from dashboard.text import normalise


def open_round(
    con: duckdb.DuckDBPyConnection,
    unit: str,
    plan: str,
    label: str,
    due: dt.date | None,
    user: User | str | None,
) -> int:
    """Open a round of `plan` for `unit` and the units below it with the same plan, asking for
    the measures of each unit's newest round; returns its id («økonomi» for `unit`)."""
    who = auth.acting(user)
    auth.require(who, "økonomi", unit, f"åpne en rapporteringsrunde for {unit}")
    user = who.label
    label = re.sub(r"\s+", " ", label or "").strip()
    if not label:
        raise RoundRefused("Gi runden et navn, for eksempel «Status juni 2025».")
    source = store.query(con, "round_source", {"unit": unit, "plan": plan, "event": None})
    if source.empty:
        raise RoundRefused(
            f"{unit} har ingen statusrapport for «{plan}» å starte fra. Importer planen med "
            "en statusrapport først (Last opp)."
        )
    rounds = store.query(con, "rounds", {"unit": None, "event": None})
    mine = rounds[(rounds["plan"] == plan) & (rounds["unit"] == unit)]
    if not mine[~mine["closed"]].empty:
        open_one = mine[~mine["closed"]].iloc[0]
        raise RoundRefused(
            f"Runden «{open_one['label']}» for {unit} · {plan} er åpen. Lukk den før du åpner en ny."
        )
    reports = store.query(con, "plan_rounds", {"unit": unit, "plan": plan, "event": None})
    if ((mine["label"].str.lower()) == label.lower()).any() or (
        reports["round"].str.lower() == label.lower()
    ).any():
        raise RoundRefused(f"{plan} har allerede en rapport «{label}». Velg et annet navn.")
    scored = source["prev_score"].notna().any()
    opened: list[int] = []

    def work(cur, event: int) -> None:
        round_id = run(
            cur,
            "round_insert",
            {
                "unit": unit,
                "plan": plan,
                "label": label,
                "kind": "scores" if scored else "text",
                "plan_year": int_or_none(source["plan_year"].dropna().max()),
                "due": due,
                "token": secrets.token_hex(6),
                "event": event,
                "user": user,
            },
        ).fetchone()[0]
        rows = source.drop(columns=["plan_year"])
        rows["round_id"] = round_id
        rows["key"] = _keys(rows)
        rows["added_event"] = event
        cur.register("_round_rows", rows)
        run(cur, "round_measures_insert")
        cur.unregister("_round_rows")
        opened.append(int(round_id))

    in_event(con, "runde åpnet", user, f"{unit} · {plan} · {label}", work)
    return opened[0]


def _keys(rows: pd.DataFrame) -> list[str]:
    """«MH-INB-03»: the unit and the measure's place in it, stable through the round."""
    counter: dict[str, int] = {}
    keys = []
    for unit in rows["unit"]:
        counter[unit] = counter.get(unit, 0) + 1
        keys.append(f"{unit}-{counter[unit]:02d}")
    return keys


def add_measure(
    con: duckdb.DuckDBPyConnection,
    round_id: int,
    unit: str,
    title: str,
    area: str | None,
    goal_no: int | None,
    user: User | str | None,
) -> str:
    """Add a new measure to an open round for one of its units; returns its key."""
    r = get_open_round(con, round_id)
    user = allowed(r, user, "endre runden")
    title = (title or "").strip()
    if not title:
        raise RoundRefused("Skriv hva tiltaket er.")
    rows = progress(con, round_id)
    if unit not in set(rows["unit"]):
        raise RoundRefused(f"{unit} er ikke med i runden «{r['label']}».")
    measure_key = normalise(title)
    if (rows[rows["unit"] == unit]["measure_key"] == measure_key).any():
        raise RoundRefused(f"{unit} har allerede tiltaket «{title}» i runden.")
    own = rows[rows["unit"] == unit]
    number = max(int(k.rsplit("-", 1)[-1]) for k in own["key"]) + 1
    key = f"{unit}-{number:02d}"
    seq = int(own["seq"].max() or 0) + 1
    in_event(
        con,
        "runde endret",
        user,
        f"nytt tiltak {key}: {title}",
        lambda cur, event: run(
            cur,
            "round_measure_add",
            {
                "round_id": int(round_id),
                "unit": unit,
                "key": key,
                "measure_key": measure_key,
                "seq": seq,
                "area": area or None,
                "goal_no": goal_no,
                "title": title,
                "event": event,
            },
        ),
    )
    return key


def end_measure(
    con: duckdb.DuckDBPyConnection, round_id: int, key: str, reason: str, user: User | str | None
) -> None:
    """Mark a measure as ended in an open round (not asked for any more), keeping the reason."""
    user = allowed(get_open_round(con, round_id), user, "endre runden")
    if not (reason or "").strip():
        raise RoundRefused("Skriv hvorfor tiltaket avsluttes.")
    rows = progress(con, round_id)
    hit = rows[(rows["key"] == key) & ~rows["ended"]]
    if hit.empty:
        raise RoundRefused(f"Tiltak {key} er ikke med i runden (eller er allerede avsluttet).")
    in_event(
        con,
        "runde endret",
        user,
        f"tiltak {key} avsluttet: {reason}",
        lambda cur, event: run(
            cur,
            "round_measure_end",
            {"round_id": int(round_id), "key": key, "reason": reason.strip(), "event": event},
        ),
    )
