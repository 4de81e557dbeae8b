"""The transposed tables finance staff also keep (issue 26): income by kind with the kinds in
rows and the units as columns, and årsverk with the months as columns (units or categories in
rows). Both give the same records as their long layouts in economy.py.

They are recognised by header and value: the income table by three or more income kinds
(Basis, Utdanning, Forskning, BOA, Annet) down one column under a header row of units; the
årsverk table by three or more months across a header row («jan» … «des», «januar 2023»,
2023-01, Excel dates) with «årsverk» in the title, the sheet's or the file's name."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from dashboard import units
from dashboard.errors import MissingContext
from dashboard.ingest.layouts.common import FileContext, NotThisLayout, Parsed, SheetView
from dashboard.ingest.layouts.economy import (
    _ADMIN_WORDS,
    _TOTAL_WORDS,
    _is_note,
    _number,
    _unit_of,
    add_income,
    amount_scale,
    check_income,
    income_mode,
)
from dashboard.ingest.layouts.periods import period_value
from dashboard.ingest.synonyms import header_candidates
from dashboard.numbers import MONTHS, fmt_num
from dashboard.text import normalise
from dashboard.vocab import INCOME_KINDS, Layout

SCAN_ROWS = 25
_KIND_NAMES = ", ".join(INCOME_KINDS.values())


# ------------------------------------------------------------------ income, kinds in rows


def income_kind(text: object) -> str | None:
    """«Basis», «BOA», «Bidrags- og oppdragsfinansiert» … → the kind's name; else None."""
    found = header_candidates(text)
    best = [f for f, s in found.items() if f in INCOME_KINDS and s >= 1000]
    return INCOME_KINDS[best[0]] if best else None


def _kind_column(rows: list[list[Any]]) -> tuple[int, int] | None:
    """(column, first row) of the column holding three or more income kinds, or None."""
    seen: dict[int, dict[str, int]] = {}
    for r, row in enumerate(rows[:SCAN_ROWS]):
        for c, value in enumerate(row[:30]):
            if isinstance(value, str) and (kind := income_kind(value)):
                seen.setdefault(c, {}).setdefault(kind, r)
    for c, kinds in sorted(seen.items()):
        if len(kinds) >= 3:
            return c, min(kinds.values())
    return None


def _header_above(view: SheetView, first: int, kind_col: int) -> int:
    """The header row: the nearest row above the first kind with text right of the kinds."""
    for r in range(first - 1, -1, -1):
        if any(view.text(r, c) for c in range(kind_col + 1, len(view.rows[r]))):
            return r
    raise NotThisLayout()


def _table_unit(view: SheetView, ctx: FileContext, titles: list[str], heads: list[int], h: int):
    """The unit the table is about (title, file name, form); when nothing says, the parent of
    the full unit codes heading the columns («MH-ISB» → MH)."""
    try:
        return ctx.unit(titles, what="inntektene")
    except MissingContext:
        parents = {units.parent_of(units.resolve(view.text(h, c)) or "") for c in heads}
        if len(parents) == 1 and None not in parents:
            return parents.pop()
        raise


def parse_income_rows(view: SheetView, ctx: FileContext) -> Parsed:
    """Income by kind with the kinds in rows, one column per unit (and «Sum»): shares or
    amounts, as parse_income gives them; a column of shares not adding up to 100 % is a
    warning naming its cells; a row «Sum» is checked against the kinds above it."""
    found = _kind_column(view.rows)
    if found is None:
        raise NotThisLayout()
    kc, first = found
    h = _header_above(view, first, kc)
    heads = [c for c in range(kc + 1, len(view.rows[h])) if view.text(h, c)]
    titles = [*view.texts_above(h), *(t for t in [view.text(h, kc)] if t)]
    if sum(_unit_like(view.text(h, c)) for c in heads) < 2 or not _mostly_kinds(view, h, kc):
        raise NotThisLayout()  # e.g. a status report's areas «Forskning», «Utdanning», «Annet»
    parent = _table_unit(view, ctx, titles, heads, h)
    kinds, totals = _kind_rows(view, h, kc)
    columns = [(c, *_unit_of(view, h, c, parent)) for c in heads]
    groups = [[view.get(r, c) for _, r in kinds] for c, _, _ in columns]
    mode = income_mode([*titles, *(view.text(h, c) or "" for c in heads)], groups)
    factor, note = amount_scale(titles)
    year = int(ctx.year(titles, what="inntektene"))
    out = Parsed(str(Layout.INCOME_MIX), [view.name], parent, year, ctx.overrides.label)
    if mode == "amount" and note:
        out.warnings.append(f"{view.name}: {note}")
    what = "en andel i %" if mode != "amount" else "et beløp"
    seen: dict[str, str] = {}
    for c, unit, _total in columns:
        if unit in seen:
            raise view.error(h, c, f"{unit} står to ganger (også i {seen[unit]}).")
        seen[unit] = f"{view.name}!{view.ref(h, c)}"
        values = [
            (kind, (r, c), _number(view, r, c, what, negative=mode == "amount") or 0.0)
            for kind, r in kinds
        ]
        add_income(out, view, (unit, parent, year), values, (mode, factor))
        stated = (totals[0], c) if totals and mode == "amount" else None
        check_income(out, view, unit, values, (mode, stated))
    if not out.rows:
        raise NotThisLayout()
    return out


def _unit_like(text: str | None) -> bool:
    """A column header that names a unit of the registry (or «Sum», «FAKADM»)."""
    norm = normalise(text)
    if norm in _TOTAL_WORDS or norm in _ADMIN_WORDS:
        return True
    code = units.resolve(text)
    registry = units.registry()
    return code in registry or any(k.endswith(f"-{code}") for k in registry)


def _mostly_kinds(view: SheetView, h: int, kc: int) -> bool:
    """The labels column holds income kinds, with at most one other label (refused by cell)."""
    labels = [
        view.text(r, kc)
        for r in range(h + 1, len(view.rows))
        if view.text(r, kc) and not _is_note(view, r)
    ]
    other = [t for t in labels if income_kind(t) is None and normalise(t) not in _TOTAL_WORDS]
    return len(other) <= 1 and len(labels) - len(other) >= 3


def _kind_rows(view: SheetView, h: int, kc: int) -> tuple[list[tuple[str, int]], list[int]]:
    """([(kind, row)], [total rows]) below the header; any other label is refused by cell."""
    kinds: list[tuple[str, int]] = []
    totals: list[int] = []
    seen: dict[str, int] = {}
    for r in range(h + 1, len(view.rows)):
        label = view.text(r, kc)
        if label is None or _is_note(view, r):
            continue
        kind = income_kind(label)
        if kind is None and normalise(label) in (*_TOTAL_WORDS, "sum inntekter", "inntekter"):
            totals.append(r)
        elif kind is None:
            raise view.error(
                r, kc, f"forventet en inntektstype ({_KIND_NAMES}) eller «Sum», fant «{label}»."
            )
        elif kind in seen:
            raise view.error(r, kc, f"{kind} står to ganger (også i rad {seen[kind] + 1}).")
        else:
            seen[kind] = r
            kinds.append((kind, r))
    return kinds, totals


# ------------------------------------------------------------------ årsverk, months as columns

_FTE_WORDS = re.compile(r"(?i)årsverk|\bfte\b|full.?time|utførte stillinger")
_SHORT = {m[:3]: i + 1 for i, m in enumerate(MONTHS)} | {
    "may": 5,
    "oct": 10,
    "dec": 12,
    "sept": 9,
}
_MONTH_TEXT = re.compile(r"^([a-zæøå]{3,9})\.?\s*[-/ ]?\s*'?(\d{2}|\d{4})?$")


def month_header(value: object) -> tuple[int | None, int] | None:
    """A header that is a month: (year or None, month). «jan», «Jan.», «januar 2023»,
    «jan-23», «2023-01», «01.2023», a date; None for anything else."""
    if isinstance(value, dt.date):
        return value.year, value.month
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    match = _MONTH_TEXT.match(text)
    if match:
        word, year = match.groups()
        month = _SHORT.get(word[:3])
        full = MONTHS[month - 1] if month else ""
        if month is None or not (full.startswith(word) or word in ("may", "oct", "dec")):
            return None
        if year is not None:
            year = int(year) + (2000 if len(year) == 2 else 0)
        return year, month
    if re.fullmatch(r"(?:19|20)\d{2}\s*[-/.]\s*\d{1,2}|\d{1,2}\s*[./-]\s*(?:19|20)\d{2}", text):
        found = period_value(text)
        return (found[0], found[1]) if found and found[1] else None
    return None


def _month_row(rows: list[list[Any]]) -> tuple[int, dict[int, tuple[int | None, int]]] | None:
    """The first row with three or more month headers: (row, {column: (year, month)})."""
    for r, row in enumerate(rows[:SCAN_ROWS]):
        months = {c: m for c, v in enumerate(row[:400]) if (m := month_header(v))}
        if len(months) >= 3:
            return r, months
    return None


def _labels(view: SheetView, h: int, first_month: int) -> dict[str, int]:
    """The label columns left of the months: «unit» and/or «category» (by header; a column
    without a known header is the labels column, judged row by row)."""
    out: dict[str, int] = {}
    for c in range(first_month):
        found = header_candidates(view.text(h, c))
        for fld in ("unit", "category"):
            if fld in found and fld not in out:
                out[fld] = c
                break
    if not out:
        filled = [
            c
            for c in range(first_month)
            if any(view.text(r, c) for r in range(h + 1, min(len(view.rows), h + 40)))
        ]
        if not filled:
            raise NotThisLayout()
        out["label"] = filled[0]
    return out


def _known_unit(text: str, parent: str) -> str | None:
    """The unit a row label names (a unit of the registry, under the table's unit), else None."""
    norm = normalise(text)
    if norm in _ADMIN_WORDS:
        return f"{parent}-ADM"
    code = units.resolve(text)
    registry = units.registry()
    if code in registry:
        return code
    if code and f"{parent}-{code}" in registry:
        return f"{parent}-{code}"
    return None


def parse_fte_months(view: SheetView, ctx: FileContext) -> Parsed:
    """Årsverk with one column per month (and an optional «Budsjett» column); each row a unit
    or a category (or both, in two label columns). Rows «Sum»/«Totalt» are checked against the
    rows above them, not stored."""
    found = _month_row(view.rows)
    if found is None:
        raise NotThisLayout()
    h, months = found
    titles = view.texts_above(h)
    if not _FTE_WORDS.search(" ".join([*titles, view.name, ctx.stem, *map(str, view.rows[h])])):
        raise NotThisLayout()
    parent = ctx.unit(titles, what="årsverkene")
    labels = _labels(view, h, min(months))
    budget = [
        c for c in range(len(view.rows[h])) if re.match(r"(?i)budsj|budget", view.text(h, c) or "")
    ]
    if any(y is None for y, _ in months.values()):
        year = _table_year(view, ctx, h)
        months = {c: (y or year, m) for c, (y, m) in months.items()}
    out = Parsed(str(Layout.FTE), [view.name], parent, None, ctx.overrides.label)
    years: set[int] = set()
    sums: list[int] = []
    for r in range(h + 1, len(view.rows)):
        if view.row_is_blank(r) or _is_note(view, r):
            continue
        who = _row_labels(view, r, labels, parent)
        if who is None:
            sums.append(r)
            continue
        for c, (year, month) in months.items():
            _fte_cell(out, view, (r, c), who, (year, month, False))
            years.add(year)
        for c in budget:
            _fte_cell(out, view, (r, c), who, (_budget_year(view, ctx, h, c), None, True))
    if not out.rows:
        raise NotThisLayout()
    _check_fte_sums(out, view, sums, months)
    out.year = max(years)
    return out


def _table_year(view: SheetView, ctx: FileContext, h: int) -> int:
    return int(ctx.year(view.texts_above(h), what="årsverkene"))


def _budget_year(view: SheetView, ctx: FileContext, h: int, c: int) -> int:
    found = re.search(r"(?:19|20)\d{2}", view.text(h, c) or "")
    return int(found.group()) if found else _table_year(view, ctx, h)


def _row_labels(view: SheetView, r: int, labels: dict[str, int], parent: str):
    """(unit, category) of a row; None for a total row («Sum», «Totalt»)."""
    texts = {k: view.text(r, c) for k, c in labels.items()}
    if any(t and normalise(t) in _TOTAL_WORDS for t in texts.values()):
        return None
    if "label" in texts:
        text = texts["label"]
        if text is None:
            raise NotThisLayout()
        unit = _known_unit(text, parent)
        return (unit, None) if unit else (parent, text)
    unit = parent
    if texts.get("unit"):
        unit, _ = _unit_of(view, r, labels["unit"], parent)
    return unit, texts.get("category")


def _fte_cell(out: Parsed, view: SheetView, rc: tuple[int, int], who: tuple, when: tuple) -> None:
    value = _number(view, *rc, "et antall årsverk")
    if value is None:
        return
    unit, category = who
    year, month, is_budget = when
    out.add(
        "fte",
        {
            "unit": unit,
            "parent_unit": out.unit,
            "year": year,
            "month": month,
            "category": category,
            "fte": value,
            "is_budget": is_budget,
        },
    )


def _check_fte_sums(out: Parsed, view: SheetView, sums: list[int], months: dict) -> None:
    """A total row should equal the rows' årsverk in each month; a break is a warning."""
    per: dict[tuple, float] = {}
    for rec in out.tables.get("fte", []):
        if not rec["is_budget"]:
            key = (rec["year"], rec["month"])
            per[key] = per.get(key, 0.0) + rec["fte"]
    for r in sums:
        for c, (year, month) in months.items():
            stated = view.number(r, c, "et antall årsverk")
            got = per.get((year, month))
            if stated is not None and got is not None and abs(stated - got) > 0.05:
                out.warnings.append(
                    f"{view.name}!{view.ref(r, c)}: summen er {fmt_num(stated)} årsverk, men "
                    f"radene over summerer til {fmt_num(got)}."
                )


# ------------------------------------------------------------------ detection


def parse_wide(view: SheetView, ctx: FileContext) -> Parsed | None:
    """The sheet read as one of the transposed economy tables, or None when it is neither."""
    for parse in (parse_income_rows, parse_fte_months):
        try:
            return parse(view, ctx)
        except NotThisLayout:
            continue
    return None


def may_be_wide(head: list[list[Any]]) -> bool:
    """Cheap look at a sheet's first rows: could it be one of these tables?"""
    return _kind_column(head) is not None or _month_row(head) is not None
