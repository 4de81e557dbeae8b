"""A measure register: the measures of a plan with what makes the plan realistic — owner,
owning unit, resource need and funding, start and end, risk and priority — and no status
(yet). Read with the status report's row walk (sections, flat areas, merged cells, notes)."""

from __future__ import annotations

import re

from dashboard.ingest.detect import HeaderMatch
from dashboard.ingest.layouts.common import (
    _RANGE,
    FileContext,
    NotThisLayout,
    Parsed,
    SheetView,
)
from dashboard.ingest.layouts.status import _read_measures, _StatusSheet, plan_name
from dashboard.vocab import Layout

REGISTER = "tiltaksregister"
# «Kapasitet: 8 tiltak samtidig», «Vi kan bære 8 tiltak samtidig» above the table
_CAPACITY = re.compile(
    r"(?:kapasitet|bære|gjennomføre|capacity)\D{0,30}?(\d{1,3})\s*(?:tiltak|samtidig|measures)?",
    re.I,
)


def parse_register(view: SheetView, match: HeaderMatch, ctx: FileContext) -> Parsed:
    """One row per measure; the plan from the title («Tiltaksplan 2023–2025 …»), the unit and
    year from the title, the file name or the form."""
    cols, unit, year, plan = plan_context(view, match, ctx, "tiltaksregisteret")
    out = Parsed(
        str(Layout.MEASURE_REGISTER), [view.name], unit, year, ctx.overrides.label or REGISTER
    )
    sheet = _StatusSheet(view, cols, [], (), unit, plan, year, out)
    _read_measures(sheet, match.header_row)
    if sheet.seq == 0:
        raise NotThisLayout()
    measures = out.tables["measures"]
    if unit is None:
        out.unit = sorted({m["unit"] for m in measures})[0]
    capacity = _capacity(view.texts_above(match.header_row))
    for code in sorted({m["unit"] for m in measures}):
        out.tables.setdefault("plans", []).append(
            {
                "unit": code,
                "plan": plan,
                "kind": plan.split(" ")[0],
                "year": year,
                "round": None,
                "capacity": capacity,
            }
        )
    return out


def plan_context(
    view: SheetView, match: HeaderMatch, ctx: FileContext, what: str
) -> tuple[dict[str, int], str | None, int, str]:
    """The columns, and the unit (None with a unit column), year and plan a plan sheet is for,
    from the titles above the table, the file name or the form."""
    cols = dict(match.columns)
    titles = view.texts_above(match.header_row)
    unit = None if "unit" in cols else ctx.unit(titles, what=what)
    year = _plan_year(ctx, titles, what)
    return cols, unit, year, plan_name(ctx, titles, year, False)


def _plan_year(ctx: FileContext, titles: list[str], what: str) -> int:
    """The year a register is for: a single year in the title or file name, else the first
    year of the plan period («Tiltaksplan 2023–2025» → 2023)."""
    year = ctx.year(titles, what=what, required=False)
    if year:
        return year
    for text in [*titles, *ctx.sheet_names, ctx.stem]:
        match = _RANGE.search(text or "")
        if match:
            return int(match.group(1))
    return ctx.year(titles, what=what)


def _capacity(titles: list[str]) -> int | None:
    """The measures the unit says it can carry at once, from a line above the table."""
    for text in titles:
        match = _CAPACITY.search(text or "")
        if match and (
            "samtidig" in text.lower() or "kapasitet" in text.lower() or "capacity" in text.lower()
        ):
            return int(match.group(1))
    return None
