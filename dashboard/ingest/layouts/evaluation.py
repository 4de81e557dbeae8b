"""A plan's evaluation at the end of its period: per measure a grade (svært god … ikke
gjennomført) and the causes as tags («berørt av korona; underfinansiert»). Sections, an area
column, notes under the table and merged cells are read as in a status report; a grade that
cannot be read is refused by its cell."""

from __future__ import annotations

import re

from dashboard import vocab
from dashboard.ingest.detect import HeaderMatch
from dashboard.ingest.layouts.common import FileContext, NotThisLayout, Parsed, SheetView
from dashboard.ingest.layouts.register import plan_context
from dashboard.ingest.layouts.status import _row_unit, measure_rows
from dashboard.text import normalise

_GRADE = {normalise(w): grade for grade, words in vocab.GRADE_WORDS.items() for w in words}
_CAUSES = re.compile(r"[;\n•]+|,(?!\d)")


def grade_of(text: object) -> str | None:
    """«Svært god», «God måloppnåelse», «ikke gjennomført (korona)» → the grade; None when blank
    or unknown."""
    norm = normalise(text)
    if not norm:
        return None
    if norm in _GRADE:
        return str(_GRADE[norm])
    for words in sorted(_GRADE, key=len, reverse=True):  # the longest wording first
        if norm.startswith(words + " "):
            return str(_GRADE[words])
    return None


def causes_of(text: str | None) -> str | None:
    """The causes as tags joined by «; » (written with ; , newlines or bullets)."""
    if not text:
        return None
    tags = [t.strip(" -–.") for t in _CAUSES.split(text)]
    tags = [t[0].upper() + t[1:] if t else t for t in tags if t]
    return "; ".join(dict.fromkeys(tags)) or None


def _raw_text(view: SheetView, r: int, c: int | None) -> str | None:
    """The cell as written, line breaks kept (they separate causes)."""
    value = view.get(r, c)
    return None if value is None else str(value)


def parse_evaluation(view: SheetView, match: HeaderMatch, ctx: FileContext) -> Parsed:
    """A plan's evaluation (measure, achievement, causes) → one evaluation per measure."""
    cols, unit, year, plan = plan_context(view, match, ctx, "evalueringen")
    out = Parsed(
        str(vocab.Layout.PLAN_EVALUATION),
        [view.name],
        unit,
        year,
        ctx.overrides.label or "evaluering",
    )
    seq, area = 0, None
    for r, title, above in measure_rows(view, match.header_row, cols):
        carried = area if area is not None else above
        area = (view.text(r, cols["area"]) or carried) if "area" in cols else above
        raw = view.text(r, cols["evaluation"])
        grade = grade_of(raw)
        if raw is not None and grade is None:
            raise view.error(
                r,
                cols["evaluation"],
                "forventet måloppnåelse svært god, god, middels, svak eller ikke gjennomført, "
                f"fant «{raw}».",
            )
        seq += 1
        out.add(
            "evaluations",
            {
                "unit": _row_unit(view, r, cols, unit),
                "plan": plan,
                "measure_key": normalise(title),
                "seq": seq,
                "area": area,
                "title": title,
                "grade": grade,
                "causes": causes_of(_raw_text(view, r, cols.get("causes"))),
                "comment": view.text(r, cols.get("comment")),
            },
        )
    if seq == 0:
        raise NotThisLayout()
    if unit is None:
        out.unit = sorted({e["unit"] for e in out.tables["evaluations"]})[0]
    return out
