"""PhD degrees completed per unit and year («Avlagte PhD 2022» in MH's board case, seed 004):
one row per department with the number of degrees, the year in a column, the header or the
title. Stored as indicator values («Avlagte doktorgrader»), so a DBH export of the same figure
(read by the indicator layouts) counts the same."""

from __future__ import annotations

import re

from dashboard.ingest.detect import HeaderMatch
from dashboard.ingest.layouts.common import (
    FileContext,
    NotThisLayout,
    Parsed,
    SheetView,
    find_year,
)
from dashboard.ingest.layouts.economy import _body, _file_unit, _unit_of, _year_of
from dashboard.ingest.layouts.entity_rows import entity_columns
from dashboard.ingest.layouts.indicators import _source
from dashboard.numbers import fmt_int
from dashboard.vocab import PHD_INDICATOR, PHD_PATTERN, Layout


def _count(view: SheetView, r: int, c: int) -> int | None:
    """A number of degrees: a whole number, not negative; refused naming the cell."""
    value = view.number(r, c, "et antall doktorgrader")
    if value is None:
        return None
    if value < 0 or value != int(value):
        raise view.error(
            r, c, f"forventet et antall doktorgrader (et helt tall), fant «{view.get(r, c)}»."
        )
    return int(value)


def parse_phd(view: SheetView, match: HeaderMatch, ctx: FileContext) -> Parsed:
    """One row per unit: the PhD degrees completed in the year; a row «Sum» gives the table's
    unit its own figure and is checked against the rows above it."""
    cols = match.columns
    if len(entity_columns(view.rows[match.header_row], cols["unit"])) > 1:
        raise NotThisLayout()  # a DBH export (institution, faculty, department): indicator layouts
    rows = _body(view, match, "unit")
    if not rows:
        raise NotThisLayout()
    parent = _file_unit(view, match, ctx, "doktorgradene")
    head_year = find_year(view.text(match.header_row, cols["phd"]) or "")
    titles = view.texts_above(match.header_row)
    source = _source(ctx, titles, view.name)
    out = Parsed(str(Layout.PHD_DEGREES), [view.name], parent, None, ctx.overrides.label or source)
    seen: dict[tuple, str] = {}
    sums: list[tuple[int, int, int, str]] = []
    for r in rows:
        unit, total = _unit_of(view, r, cols["unit"], parent)
        count = _count(view, r, cols["phd"])
        if count is None:
            continue
        year = head_year if "year" not in cols and head_year else None
        year = year or _year_of(view, match, ctx, r, "doktorgradene")
        ref = f"{view.name}!{view.ref(r, cols['phd'])}"
        if (unit, year) in seen:
            raise view.error(
                r, cols["unit"], f"{unit} {year} står to ganger (også i {seen[unit, year]})."
            )
        seen[unit, year] = ref
        if total:
            sums.append((year, count, r, unit))
        out.add(
            "indicator_values",
            {
                "unit": unit,
                "indicator": PHD_INDICATOR,
                "year": year,
                "value": float(count),
                "source": source,
            },
        )
    if not out.rows:
        raise NotThisLayout()
    for year, stated, r, unit in sums:
        got = sum(
            v["value"]
            for v in out.tables["indicator_values"]
            if v["year"] == year and v["unit"] != unit
        )
        if got and abs(got - stated) > 0:
            out.warnings.append(
                f"{view.name}!{view.ref(r, cols['phd'])}: summen er {fmt_int(stated)}, men "
                f"enhetene over summerer til {fmt_int(got)} doktorgrader i {year}."
            )
    out.unit = parent or sorted({u for u, _ in seen})[0]
    out.year = max(y for _, y in seen)
    return out


def is_phd(indicator: str) -> bool:
    """Whether an indicator's name is a count of PhD degrees."""
    return re.search(PHD_PATTERN, indicator, re.IGNORECASE) is not None
