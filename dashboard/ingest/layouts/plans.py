"""Strategy goals and allocations per unit."""

from __future__ import annotations

import re

from dashboard import units
from dashboard.ingest.detect import HeaderMatch
from dashboard.ingest.layouts.common import (
    FileContext,
    NotThisLayout,
    Parsed,
    SheetView,
    amount_scale,
    clean_section,
    goal_number,
)
from dashboard.numbers import NotANumber, fmt_int, parse_number
from dashboard.text import normalise
from dashboard.vocab import Layout


def _strategy_name(ctx: FileContext, titles: list[str]) -> str:
    if ctx.overrides.label:
        return ctx.overrides.label
    for text in [*titles, *ctx.workbook_texts, ctx.stem.replace("_", " ")]:
        match = re.search(
            r"strategi\w*\s*((?:19|20)\d{2})\s*[–—−-]\s*((?:19|20)\d{2})", text, re.IGNORECASE
        )
        if match:
            return f"Strategi {match.group(1)}–{match.group(2)}"
    return "Strategi"


def parse_goals(view: SheetView, match: HeaderMatch, ctx: FileContext) -> Parsed:
    """A strategy's goals (part, area, goal) → one record per goal."""
    cols = match.columns
    titles = view.texts_above(match.header_row)
    unit = ctx.unit(titles, what="strategien") if "unit" not in cols else None
    strategy = _strategy_name(ctx, titles)
    out = Parsed(str(Layout.STRATEGY_GOALS), [view.name], unit, None, strategy)
    part = area = None
    seen: dict[tuple, str] = {}
    number = 0
    for r in range(match.header_row + 1, len(view.rows)):
        if view.row_is_blank(r):
            continue
        text = view.text(r, cols["goal_text"])
        filled = [c for c, v in enumerate(view.rows[r]) if v not in (None, "")]
        if text is None:
            if len(filled) == 1 and isinstance(view.rows[r][filled[0]], str):
                area = clean_section(view.rows[r][filled[0]])  # a section row «Forskning:»
            continue
        if len(filled) == 1 and (text.endswith(":") or text.isupper()):
            area = clean_section(text)
            continue
        part = view.text(r, cols.get("part")) or part
        area = view.text(r, cols.get("area")) or area
        row_unit = unit
        if "unit" in cols:
            row_unit = units.resolve(view.text(r, cols["unit"]))
            if row_unit is None:
                raise view.error(r, cols["unit"], "forventet en enhet (som «VM» eller «MH»).")
        number += 1
        goal_no = number
        if "goal_no" in cols and view.get(r, cols["goal_no"]) is not None:
            goal_no = goal_number(view, r, cols["goal_no"])[0]
        key = (row_unit, normalise(text))
        if key in seen:
            raise view.error(r, cols["goal_text"], f"målet står to ganger (også i {seen[key]}).")
        seen[key] = f"{view.name}!{view.ref(r, cols['goal_text'])}"
        out.add(
            "goals",
            {
                "unit": row_unit,
                "strategy": strategy,
                "part": part,
                "area": area,
                "goal_no": goal_no,
                "text": text,
            },
        )
    if number == 0:
        raise NotThisLayout()
    if unit is None:
        out.unit = out.tables["goals"][0]["unit"]
    return out


_ALLOC_TITLE = re.compile(
    r"avsetning|fordeling|tildeling|allocation|viderefordeling|ramme", re.IGNORECASE
)


def _under(parent: str | None, code: str) -> str:
    """«INB» in a distribution from MH is MH-INB (units are kept with their faculty prefix)."""
    if not parent or parent == "NTNU" or "-" in code or code in units.registry():
        return code
    return f"{parent}-{code}"


_Row = tuple[int, str, float | None]  # (sheet row, unit or «__total__», amount in 1000 kr)


def _headerless_table(view: SheetView) -> tuple[int, int, int, list[str]]:
    """A distribution without a header row: a title («Fordeling av avsetninger …») in the first
    rows, then unit · amount. (first row, unit column, amount column, titles)."""
    for r, row in enumerate(view.rows[:20]):
        cells = [v for v in row if v not in (None, "")]
        if len(cells) == 1 and isinstance(cells[0], str) and _ALLOC_TITLE.search(cells[0]):
            # the table starts in the title's column (notes may stand further left)
            unit_col = next(c for c, v in enumerate(row) if v not in (None, ""))
            return r + 1, unit_col, unit_col + 1, [cells[0]]
    raise NotThisLayout()


def _allocation_table(
    view: SheetView, match: HeaderMatch | None
) -> tuple[int, int, int, list[str]]:
    """Where the table is: (first row, unit column, amount column, titles above it)."""
    if match is None:
        return _headerless_table(view)
    return (
        match.header_row + 1,
        match.columns["unit"],
        match.columns["amount"],
        view.texts_above(match.header_row),
    )


def _allocation_rows(
    view: SheetView, start: int, unit_col: int, amount_col: int, factor: float
) -> list[_Row]:
    """The rows with a unit (or a «Sum» row, as «__total__») and their amounts in 1000 kr;
    notes under the table are skipped."""
    rows: list[_Row] = []
    for r in range(start, len(view.rows)):
        if view.row_is_blank(r):
            continue
        name = view.text(r, unit_col)
        raw = view.get(r, amount_col)
        if name is None:
            continue
        code = units.resolve(name)
        if code is None:
            if raw is None and len([v for v in view.rows[r] if v not in (None, "")]) == 1:
                continue  # a note under the table
            if normalise(name) in ("sum", "totalt", "total", "sum fordelt"):
                code = "__total__"
            else:
                raise view.error(r, unit_col, f"forventet en enhet (som «MH-INB»), fant «{name}».")
        try:
            amount = parse_number(raw)
        except NotANumber:
            raise view.error(
                r, amount_col, f"forventet et beløp i 1000 kr eller «-», fant «{raw}»."
            ) from None
        rows.append((r, code, None if amount is None else amount * factor))
    return rows


def _split_total(rows: list[_Row]) -> tuple[_Row | None, list[_Row]]:
    """The total row, if any, and the unit rows: a first row for the parent of all the others,
    or else a «Sum» row, is the total."""
    total_row = None
    first = rows[0]
    children = rows[1:]
    known = first[1] in units.registry()  # only a known unit qualifies short department names
    if first[1] != "__total__" and all(
        units.parent_of(_under(first[1], c) if known else c) == first[1] for _, c, _ in children
    ):
        total_row = first
    elif any(c == "__total__" for _, c, _ in rows):
        total_row = next(row for row in rows if row[1] == "__total__")
        children = [row for row in rows if row is not total_row]
    if total_row is None:
        children = rows
    return total_row, children


def _allocation(out: Parsed, unit: str | None, amount: float | None, is_total: bool) -> None:
    """Add one allocations record under the distribution's parent unit, year and label (those
    of `out`)."""
    out.add(
        "allocations",
        {
            "unit": unit,
            "parent_unit": out.unit,
            "year": out.year,
            "label": out.label,
            "amount_knok": amount,
            "is_total": is_total,
        },
    )


def _add_units(out: Parsed, view: SheetView, unit_col: int, children: list[_Row]) -> None:
    """The unit rows, named under the parent (out.unit); a unit twice is an error naming both."""
    seen: dict[str, int] = {}
    for r, short, amount in children:
        code = _under(out.unit, short)
        if code in seen:
            raise view.error(
                r,
                unit_col,
                f"enheten «{code}» står to ganger (også i rad {seen[code] + 1 + view.sheet.row0}).",
            )
        seen[code] = r
        _allocation(out, code, amount, False)


def _add_total(
    out: Parsed, view: SheetView, total_cell: tuple[int, int], total: float, children: list[_Row]
) -> None:
    """The parent's total, with a warning naming its cell when the units do not sum to it (± 2)."""
    got = sum(a or 0.0 for _, _, a in children)
    _allocation(out, out.unit, total, True)
    if abs(total - got) > 2:
        out.warnings.append(
            f"{view.name}!{view.ref(*total_cell)}: totalen er {fmt_int(total)}, men "
            f"enhetene summerer til {fmt_int(got)} — differanse {fmt_int(total - got)} (1000 kr)."
        )


def parse_allocations(view: SheetView, match: HeaderMatch | None, ctx: FileContext) -> Parsed:
    """(unit, amount) rows; a first row for the parent unit, or a «Sum» row, is the total."""
    start, unit_col, amount_col, titles = _allocation_table(view, match)
    year = ctx.year(titles, what="fordelingen")
    label = ctx.overrides.label or (
        re.sub(r"\s*\((?:1000 kr|kNOK|NOK|kr)\)", "", titles[0]).strip()
        if titles
        else f"Fordeling {year}"
    )
    header = [view.text(match.header_row, amount_col)] if match is not None else []
    factor, note = amount_scale([*titles, *header])
    rows = _allocation_rows(view, start, unit_col, amount_col, factor)
    if len(rows) < 2:
        raise NotThisLayout()
    total_row, children = _split_total(rows)
    parent = (
        total_row[1]
        if total_row and total_row[1] != "__total__"
        else (ctx.overrides.unit or ctx.unit(titles, what="fordelingen"))
    )
    out = Parsed(str(Layout.ALLOCATIONS), [view.name], parent, year, label)
    if note:
        out.warnings.append(f"{view.name}: {note}")
    _add_units(out, view, unit_col, children)
    if total_row is not None:
        total = total_row[2] or 0.0
        _add_total(out, view, (total_row[0], amount_col), total, children)
    return out
