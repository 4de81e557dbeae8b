"""Headers judged by their values too: when a header could mean a goal number or a goal text
(«Strategisk mål (HP)», «Mål»), the column's values decide, and the import says which it chose."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from dashboard.ingest.detect import HeaderMatch
from dashboard.ingest.synonyms import header_candidates
from dashboard.numbers import is_blank
from dashboard.text import normalise

# «13», «HP 13», «HP13», «Mål 4», «mål nr. 4», «3.2», «Goal 5»: a goal number as written.
_GOAL_NUMBER = re.compile(
    r"^\s*(?:(?:hp|mål|mal|goal|sm|strategisk\s+mål|delmål|nr)\.?\s*(?:nr\.?|no\.?)?\s*)?"
    r"\d{1,4}(?:[.,]\d{1,2})?\s*[.:)]?\s*$",
    re.IGNORECASE,
)
_GOAL_WORDS = re.compile(r"(?i)\b(?:mål|hp|goal|strategimål|utviklingsmål|delmål)\b")
SAMPLE = 400  # filled cells looked at per column
SHARE = 0.8  # of the filled cells that must agree


def _values(rows: list[list[Any]], start: int, col: int) -> list[Any]:
    out = []
    for row in rows[start:]:
        if col < len(row) and not is_blank(row[col]):
            out.append(row[col])
            if len(out) >= SAMPLE:
                break
    return out


def value_kind(values: list[Any]) -> str | None:
    """«goal_no» when most values are goal numbers, «goal_text» when most are sentences."""
    if not values:
        return None
    numbers = sum(
        1
        for v in values
        if (isinstance(v, int | float) and not isinstance(v, bool) and 0 < v < 10_000)
        or (isinstance(v, str) and _GOAL_NUMBER.match(v))
    )
    if numbers >= SHARE * len(values):
        return "goal_no"
    sentences = sum(1 for v in values if isinstance(v, str) and len(v.split()) >= 3)
    if sentences >= SHARE * len(values):
        return "goal_text"
    return None


def _goal_columns(header: list[Any], match: HeaderMatch) -> list[int]:
    """Columns whose header may mean a goal number or a goal text."""
    out = []
    for c, cell in enumerate(header):
        if is_blank(cell) or c in match.year_columns:
            continue
        cands = header_candidates(cell)
        if "goal_no" in cands or "goal_text" in cands or _GOAL_WORDS.search(normalise(cell)):
            out.append(c)
    return out


def judge_goal_columns(
    match: HeaderMatch, header: list[Any], rows: list[list[Any]]
) -> tuple[HeaderMatch, list[str]]:
    """The match with its goal columns chosen by their values, and a note for each choice the
    header alone would have made otherwise."""
    layout = match.layout
    wanted = {*layout.required, *layout.optional, *(f for g in layout.one_of for f in g)}
    if not wanted & {"goal_no", "goal_text"}:
        return match, []
    columns = dict(match.columns)
    by_col = {c: f for f, c in columns.items()}
    notes = []
    for c in _goal_columns(header, match):
        kind = value_kind(_values(rows, match.header_row + 1, c))
        now = by_col.get(c)
        if kind is None or kind == now or kind not in wanted:
            continue
        if now in layout.required or (kind in columns and columns[kind] != c):
            continue  # a required field keeps its column; a field already has a better one
        if now is not None:
            del columns[now]
        columns[kind] = c
        by_col[c] = kind
        what = "målnummer" if kind == "goal_no" else "måltekst"
        sample = next((str(v) for v in _values(rows, match.header_row + 1, c)), "")
        notes.append(
            f"Kolonnen «{str(header[c]).strip()}» er lest som {what}: verdiene er "
            f"{'målnumre' if kind == 'goal_no' else 'setninger'} (som «{sample[:40]}»)."
        )
    if not notes:
        return match, []
    extra = {c: v for c, v in match.extra_columns.items() if c not in columns.values()}
    return replace(match, columns=columns, extra_columns=extra), notes
