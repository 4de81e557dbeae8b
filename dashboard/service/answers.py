"""Answers in the browser («Mine tiltak») and their approval, the write side.

A reporter of a unit (`rapportør` or higher for it) keeps a draft of the unit's answers in an
open round and sends them in; a submission goes through the same checks as a returned workbook
(the round open, the unit's control code, every key the unit's, each row's measure, a status on
the plan's scale) and is stored the same way: as the unit's return in the round, one import in
one transaction, with who. The coordinator (`leder` or higher for the round's unit) approves a
unit's answers or sends them back with a comment. Every write is checked with `auth.require`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from dataclasses import dataclass

import duckdb
import pandas as pd

from dashboard import auth, store, vocab
from dashboard.auth import User
from dashboard.config import Settings
from dashboard.errors import UserError
from dashboard.ingest.layouts import round_return
from dashboard.ingest.layouts import status as status_layout
from dashboard.numbers import parse_date
from dashboard.present import round_workbook
from dashboard.service.rounds.checks import Sent, check_own
from dashboard.service.rounds.codes import control_code, row_check
from dashboard.service.rounds.common import (
    RoundRefused,
    asked_by_unit,
    get_open_round,
    get_round,
    progress,
)
from dashboard.service.rounds.preview import prepare
from dashboard.service.rounds.returned import Returned
from dashboard.service.rounds.saving import import_meta, import_tables
from dashboard.store import answers as answer_store
from dashboard.store.server_key import server_key

SOURCE = "Mine tiltak (nettleser)"  # the «file name» of an answer sent in from the browser
FIELDS = ("status", "comment", "owner", "planned_end")
APPROVED, SENT_BACK, SUBMITTED = "godkjent", "sendt tilbake", "sendt inn"


@dataclass
class Form:
    """A unit's measures in a round as «Mine tiltak» shows them: per measure last round's
    status and comment, the answer stored, and the fields to fill (the draft when it is newer
    than the unit's last submission, else the stored answer)."""

    round: pd.Series
    unit: str
    rows: (
        pd.DataFrame
    )  # key, title, area, prev_status, prev_comment, status, comment, owner, planned_end
    state: dict  # the unit's row of round_approval
    draft_at: object = None  # when the draft shown was saved (None: no draft shown)
    choices: tuple[str, ...] = ()


def round_units(con: duckdb.DuckDBPyConnection, round_id: int) -> list[str]:
    """The responsible units of a round (those asked for measures)."""
    rows = progress(con, round_id)
    return sorted(set(rows.loc[~rows["ended"], "unit"]))


def open_rounds(
    con: duckdb.DuckDBPyConnection, user: User | None
) -> dict[int, tuple[str, list[str]]]:
    """{round id: («plan · label», the user's units in it)} of the open rounds the user may
    answer in (page «Mine tiltak»)."""
    listed = store.query(con, "rounds", {"unit": None, "event": None})
    out = {}
    for row in listed[~listed["closed"]].itertuples():
        mine = my_units(user, round_units(con, int(row.round_id)))
        if mine:
            out[int(row.round_id)] = (f"{row.plan} · {row.label}", mine)
    return out


def my_units(user: User | None, units: list[str]) -> list[str]:
    """The units of `units` the user may answer for (`rapportør` or higher; the local user all)."""
    if user is None:
        return []
    return [u for u in units if user.local or user.can("rapportør", u)]


def state(con: duckdb.DuckDBPyConnection, round_id: int, unit: str) -> dict:
    """The unit's approval state in the round now (a row of round_approval)."""
    table = store.query(con, "round_approval", {"round_id": int(round_id), "event": None})
    hit = table[table["unit"] == unit]
    if hit.empty:
        raise RoundRefused(f"{unit} er ikke med i runden.")
    return {k: None if _blank(v) else v for k, v in hit.iloc[0].items()}  # no NaN/NaT: None


def _own(con: duckdb.DuckDBPyConnection, round_id: int, unit: str) -> tuple[pd.Series, list]:
    r = get_open_round(con, round_id)
    asked = asked_by_unit(progress(con, round_id))
    if unit not in asked:
        raise RoundRefused(f"{unit} er ikke med i runden «{r['label']}».")
    return r, asked[unit]


def load(con: duckdb.DuckDBPyConnection, user: User | None, round_id: int, unit: str) -> Form:
    """The unit's form in the round: only for a user with rights for the unit."""
    auth.require(user, "rapportør", unit, f"se utkastene til {unit}")
    r = get_round(con, round_id)
    rows = progress(con, round_id)
    own = rows[(rows["unit"] == unit) & ~rows["ended"]].reset_index(drop=True)
    if own.empty:
        raise RoundRefused(f"{unit} er ikke med i runden «{r['label']}».")
    now = state(con, round_id, unit)
    draft = store.query(
        con, "round_drafts", {"round_id": int(round_id), "unit": unit, "event": None}
    )
    submitted = now["submitted_event"]
    use_draft = not draft.empty and (
        _blank(submitted) or int(draft["saved_event"].iloc[0]) > int(submitted)
    )
    out = pd.DataFrame(
        {
            "key": own["key"],
            "title": own["title"],
            "area": own["area"],
            "prev_status": [round_workbook.prev_status(row) for _, row in own.iterrows()],
            "prev_comment": own["prev_comment"].map(_text),
            "status": [
                _choice(s, c, r["kind"]) for s, c in zip(own["score"], own["category"], strict=True)
            ],
            "comment": own["comment"].map(_text),
            "owner": own["owner"].map(_text),
            "planned_end": own["planned_end"].map(_date),
        }
    )
    if use_draft:
        saved = draft.set_index("key")
        for column in FIELDS:
            out[column] = [
                (_date if column == "planned_end" else _text)(saved.at[k, column])
                if k in saved.index
                else v
                for k, v in zip(out["key"], out[column], strict=True)
            ]
    return Form(
        r,
        unit,
        out.astype(object).where(out.notna(), None),
        now,
        draft["saved_at"].iloc[0] if use_draft else None,
        tuple(round_workbook.status_choices(r["kind"])),
    )


def _blank(value: object) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def _text(value: object) -> str | None:
    return None if _blank(value) or not str(value).strip() else str(value).strip()


def _date(value: object) -> dt.date | None:
    if _blank(value):
        return None
    if isinstance(value, str):
        return parse_date(value)
    return pd.Timestamp(value).date()


def _choice(score: object, category: object, kind: str) -> str | None:
    """A stored status as the choice the form shows («3 – Under gjennomføring»)."""
    if kind == "scores":
        return None if _blank(score) else f"{int(score)} – {vocab.SCORE_MEANINGS[int(score)]}"
    return _text(category)


def _refuse_if_approved(con, round_id: int, unit: str) -> None:
    if state(con, round_id, unit)["state"] == APPROVED:
        raise RoundRefused(
            f"Svarene fra {unit} er godkjent. Be koordinatoren sende dem tilbake om noe skal endres."
        )


def _clean(answers: dict[str, dict], own: list[dict], kind: str, rules) -> dict[str, dict]:
    """Each measure's fields checked: a key of the unit's, a status on the plan's scale, a
    planned end that is a date. Raises UserError naming the measure and the field."""
    keys = {row["key"]: row for row in own}
    out = {}
    for key, fields in answers.items():
        if key not in keys:
            raise RoundRefused(
                f"Tiltak «{key}» er ikke et av tiltakene til {own[0]['unit']} i runden."
            )
        raw = _text(fields.get("status"))
        score = text = category = None
        if raw is not None:
            try:
                score, text, category = round_return._status(raw, kind, rules)
            except vocab.BadScore:
                score = category = None
            if score is None and category is None:
                raise UserError(
                    f"Tiltak {key}: status «{raw}» er utenfor skalaen; gyldig er "
                    + ", ".join(f"«{c}»" for c in round_workbook.status_choices(kind))
                    + "."
                )
        try:
            end = _date(fields.get("planned_end"))
        except ValueError:
            end = None
        if end is None and _text(fields.get("planned_end")) is not None:
            raise UserError(
                f"Tiltak {key}: planlagt slutt «{fields.get('planned_end')}» er ikke en dato; "
                "skriv for eksempel 31.12.2026."
            )
        out[key] = {
            "status": raw if raw is None else _choice(score, category, kind),
            "score": score,
            "status_text": text,
            "category": category,
            "comment": _text(fields.get("comment")),
            "owner": _text(fields.get("owner")),
            "planned_end": end,
        }
    return out


def save_draft(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    user: User | None,
    round_id: int,
    unit: str,
    answers: dict[str, dict],
) -> int:
    """Keep the unit's draft in an open round (every field checked, nothing sent in); returns
    the event. Only a user with `rapportør` or higher for the unit."""
    auth.require(user, "rapportør", unit, f"lagre utkast for {unit}")
    r, own = _own(con, round_id, unit)
    _refuse_if_approved(con, round_id, unit)
    rules = status_layout.load_rules(settings.status_rules)
    clean = _clean(answers, own, r["kind"], rules)
    rows = [
        {
            "key": row["key"],
            "measure_key": row["measure_key"],
            **_draft_fields(clean.get(row["key"])),
        }
        for row in own
    ]
    return answer_store.write_draft(con, round_id, unit, rows, user.label)


def _draft_fields(fields: dict | None) -> dict:
    fields = fields or {}
    return {name: fields.get(name) for name in FIELDS}


def submit(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    user: User | None,
    round_id: int,
    unit: str,
    answers: dict[str, dict],
) -> Returned:
    """Send in the unit's answers: the checks and the storing of a returned workbook (its
    control code, keys, rows and scale; one import in one transaction, with who). Returns what
    was stored (its `changes` against the unit's earlier answer); `RoundRefused` when nothing
    is new."""
    auth.require(user, "rapportør", unit, f"sende inn svar for {unit}")
    r, own = _own(con, round_id, unit)
    _refuse_if_approved(con, round_id, unit)
    clean = _clean(answers, own, r["kind"], status_layout.load_rules(settings.status_rules))
    rows = progress(con, round_id)
    asked = asked_by_unit(rows)
    key = server_key(con)
    sent = Sent(r, key, asked, rows[rows["ended"]].to_dict("records"))
    content = round_return.ReturnContent(
        SOURCE, int(round_id), unit, control_code(key, r, unit), has_checks=True
    )
    for row in own:
        if row["key"] in clean:
            f = clean[row["key"]]
            content.rows[row["key"]] = round_return.Answer(
                row["key"],
                f"«{row['key']}»",
                f["score"],
                f["status_text"],
                f["category"],
                f["comment"],
                f["owner"],
                f["planned_end"],
                row["title"],
                f"«{row['key']}»",
                row_check(key, r, unit, row["key"], row["measure_key"]),
            )
            content.key_cells[row["key"]] = f"«{row['key']}»"
    result = Returned(SOURCE, unit=unit)
    check_own(result, content, sent)
    if result.error:
        raise UserError(result.error)
    prepare(result, content, asked, r)
    if result.nothing_new:
        raise RoundRefused(
            "Ingen nye svar: det som står i skjemaet er det som allerede er sendt inn."
        )
    result.sha256 = _digest(round_id, unit, result.answers)
    meta = import_meta(r, result, user.label)
    stored = store.write_imports(con, [(meta, import_tables(r, own, result))])[0]
    if isinstance(stored, str):
        raise RoundRefused(stored)
    return result


def _digest(round_id: int, unit: str, records: list[dict]) -> str:
    """A unique SHA-256 of one submission (an import's identity; no file to hash)."""
    text = json.dumps([round_id, unit, records, time.time_ns()], default=str, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def review(
    con: duckdb.DuckDBPyConnection,
    user: User | None,
    round_id: int,
    unit: str,
    approve: bool,
    comment: str | None = None,
) -> int:
    """Approve a unit's submitted answers, or send them back with a comment to the unit (also
    answers approved before: they then leave the figures until approved again). Only the
    coordinator: `leder` or higher for the round's unit, in an open round. Returns the event."""
    r = get_round(con, round_id)
    auth.require(
        user, "leder", str(r["unit"]), f"godkjenne eller sende tilbake svar i runden «{r['label']}»"
    )
    r = get_open_round(con, round_id)
    now = state(con, round_id, unit)
    if now["state"] != SUBMITTED and (approve or now["state"] != APPROVED):
        raise RoundRefused(
            f"{unit} har ikke sendt inn svar som venter på godkjenning ({now['state']})."
        )
    comment = _text(comment)
    if not approve and comment is None:
        raise RoundRefused(f"Skriv til {unit} hva som må rettes før svarene sendes tilbake.")
    return answer_store.write_review(
        con, round_id, unit, APPROVED if approve else SENT_BACK, comment, user.label
    )


def changes(
    con: duckdb.DuckDBPyConnection,
    user: User | None,
    round_id: int,
    unit: str,
    event: int | None = None,
) -> pd.DataFrame:
    """The unit's last answer against its earlier one (browser or workbook alike): per measure
    whose answer changed, what it said before and says now. Empty with one answer or none.
    Answers not yet approved are the unit's own: only a user with rights for it."""
    auth.require(user, "rapportør", unit, f"se svarene til {unit}")
    subs = store.query(
        con, "round_submissions", {"round_id": int(round_id), "unit": unit, "event": event}
    )
    ids = list(dict.fromkeys(subs["import_id"]))
    if len(ids) < 2:
        return pd.DataFrame(columns=["Tiltak", "Felt", "Før", "Nå"])
    before = subs[subs["import_id"] == ids[-2]].set_index("measure_key")
    after = subs[subs["import_id"] == ids[-1]].set_index("measure_key")
    titles = _titles(con, round_id, unit)
    words = {
        "status": "Status",
        "comment": "Kommentar",
        "owner": "Ansvarlig",
        "planned_end": "Planlagt slutt",
    }
    out = []
    for mk, now in after.iterrows():
        then = before.loc[mk] if mk in before.index else None
        for field, word in words.items():
            old = _shown(then, field)
            new = _shown(now, field)
            if old != new:
                out.append({"Tiltak": titles.get(mk, mk), "Felt": word, "Før": old, "Nå": new})
    return pd.DataFrame(out, columns=["Tiltak", "Felt", "Før", "Nå"])


def _titles(con, round_id: int, unit: str) -> dict[str, str]:
    rows = progress(con, round_id)
    own = rows[rows["unit"] == unit]
    return {
        mk: f"{k} {t}"
        for mk, k, t in zip(own["measure_key"], own["key"], own["title"], strict=True)
    }


def _shown(row: pd.Series | None, field: str) -> str:
    if row is None:
        return ""
    if field == "status":
        return vocab.status_word(row["score"], row["category"], empty="")
    if field == "planned_end":
        d = _date(row["planned_end"])
        return "" if d is None else d.strftime("%d.%m.%Y")
    return _text(row[field]) or ""
