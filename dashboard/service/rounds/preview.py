"""What storing a returned workbook would store: its status rows (earlier answers kept) and the preview of its changes."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import vocab
from dashboard.ingest.layouts import round_return
from dashboard.service.rounds.common import given, opt, opt_date, opt_int
from dashboard.service.rounds.returned import Returned

PENDING = -1  # the import id of an answer from a file earlier in the same batch


def carry(own: list[dict], answers: list[dict]) -> None:
    """Make a file's answers the unit's stored ones for the next file of the batch."""
    by_key = {a["measure_key"]: a for a in answers}
    for row in own:
        answer = by_key.get(row["measure_key"])
        if answer is None:
            continue
        for column in ("score", "status_text", "category", "comment", "owner", "planned_end"):
            row[column] = answer[column]
        row["import_id"] = PENDING


def prepare(
    result: Returned,
    content: round_return.ReturnContent,
    asked: dict[str, list[dict]],
    r: pd.Series,
) -> None:
    """Build what saving the file would store (its keys and rows checked by `check_own`)."""
    own = asked.get(content.unit, [])
    keys = [row["key"] for row in own]
    missing = [k for k in keys if k not in content.rows]
    if missing:
        result.warnings.append(
            f"{len(missing)} tiltak mangler i fila ({', '.join(missing[:5])}"
            + (" …" if len(missing) > 5 else "")
            + "): de regnes som ikke besvart."
        )
    records, new = [], 0
    plan, label = r["plan"], r["label"]
    for row in own:
        answer = content.rows.get(row["key"])
        record = _record(plan, label, row, answer)
        if answer is not None and differs(answer, row):
            new += 1
            result.changes.append(_change(row, record))
        if record is not None:
            records.append(record)
    result.asked = len(own)
    result.new = new
    earlier = [row["import_id"] for row in own if given(row["import_id"]) and row["import_id"] > 0]
    result.replaces = int(max(earlier)) if earlier else None
    if new == 0:
        result.nothing_new = True
        return
    result.answers = records
    prev = {row["measure_key"]: row for row in own}
    answered = changed = 0
    for rec in records:
        if rec["score"] is None and rec["category"] is None:
            continue
        answered += 1
        p = prev[rec["measure_key"]]
        if vocab.level(rec["score"], rec["category"]) != vocab.level(
            p["prev_score"], p["prev_category"]
        ):
            changed += 1
    result.answered, result.changed_status = answered, changed


def _change(row: dict, record: dict | None) -> dict:
    """One line of the preview: the measure, last round's status and the new answer."""
    record = record or {}
    return {
        "Nøkkel": row["key"],
        "Tiltak": row["title"],
        "Forrige status": vocab.status_word(row["prev_score"], row["prev_category"], empty=""),
        "Ny status": vocab.status_word(record.get("score"), record.get("category"), empty=""),
        "Ny kommentar": record.get("comment") or "",
        "Ansvarlig": record.get("owner") or "",
    }


def differs(answer: round_return.Answer, before: dict) -> bool:
    """The file says something new of the measure: a status or comment other than the stored
    answer's, or an owner or planned end other than the one sent out."""

    def same(new: object, old: object) -> bool:
        if new is None:
            return True  # a blank cell keeps what is stored
        if not given(old):
            return False
        if isinstance(new, dt.date):
            return pd.Timestamp(old).date() == new
        return str(new) == str(int(old) if isinstance(old, float) else old)

    return not all(
        same(new, old)
        for new, old in (
            (answer.score, before["score"]),
            (answer.category, before["category"]),
            (answer.comment, before["comment"]),
            (answer.owner, before["owner"]),
            (answer.planned_end, before["planned_end"]),
        )
    )


def _record(plan: str, label: str, row: dict, answer) -> dict | None:
    """The status row to store for one measure: this file's cells, else the unit's earlier
    answer in the round; None when there is neither."""

    def pick(new, old):
        return new if new is not None else (old if given(old) else None)

    a = answer or round_return.Answer(row["key"], "", None, None, None, None, None, None)
    status_new = a.score is not None or a.category is not None
    record = {
        "unit": row["unit"],
        "plan": plan,
        "round": label,
        "measure_key": row["measure_key"],
        "score": a.score if status_new else opt_int(row["score"]),
        "status_text": a.status_text if status_new else opt(row["status_text"]),
        "category": a.category if status_new else opt(row["category"]),
        "comment": pick(a.comment, row["comment"]),
        "continuation": None,
        "owner": pick(a.owner, row["owner"]),
        "planned_end": pick(a.planned_end, opt_date(row["planned_end"])),
    }
    anything = any(
        record[k] is not None for k in ("score", "category", "comment")
    ) or _owner_or_end_changed(a, row)
    return record if anything or given(row["import_id"]) else None


def _owner_or_end_changed(a, before) -> bool:
    return (a.owner is not None and a.owner != opt(before["owner"])) or (
        a.planned_end is not None and a.planned_end != opt_date(before["planned_end"])
    )
