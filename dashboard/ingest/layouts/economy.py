"""The faculty's economy as finance staff keep it (issue 26): income by kind per unit and year
(shares or amounts), årsverk per unit and period, cost measures with their planned and realised
effect, space per unit, level and building type, and applications to a pool of grants.

Every table is found by its header (see economy_headers.py); titles, notes and blank rows
around it are passed over, and every refusal names the cell."""

from __future__ import annotations

import re

from dashboard import units
from dashboard.errors import MissingContext
from dashboard.ingest.detect import HeaderMatch
from dashboard.ingest.layouts.common import (
    FileContext,
    NotThisLayout,
    Parsed,
    SheetView,
    amount_scale,
    find_year,
)
from dashboard.ingest.layouts.periods import period_value
from dashboard.numbers import NotANumber, fmt_int, fmt_num, parse_number
from dashboard.text import normalise
from dashboard.vocab import INCOME_KINDS, Layout

_TOTAL_WORDS = ("sum", "total", "totalt", "sum totalt", "sum fakultet", "hele fakultetet")
_ADMIN_WORDS = ("fakadm", "fak adm", "adm", "fakultetsadm", "fakultetsadministrasjonen")
_NOTE = re.compile(r"(?i)^\s*(?:kilde|merknad|note|\*|obs|forklaring|source)\b")


def _is_note(view: SheetView, r: int) -> bool:
    """A row with one text cell that reads as a note («Kilde: …», «* …»)."""
    cells = [v for v in view.rows[r] if v not in (None, "")]
    return len(cells) == 1 and isinstance(cells[0], str) and bool(_NOTE.match(cells[0]))


def _body(view: SheetView, match: HeaderMatch, key: str) -> list[int]:
    """The table's rows: below the header, blank rows and notes left out, with `key`'s column
    filled."""
    col = match.columns.get(key)
    return [
        r
        for r in range(match.header_row + 1, len(view.rows))
        if not view.row_is_blank(r) and not _is_note(view, r) and view.text(r, col) is not None
    ]


def _file_unit(view: SheetView, match: HeaderMatch, ctx: FileContext, what: str) -> str | None:
    """The unit the whole table is about (from the title, file name or form); None when the
    rows name full unit codes and nothing else says."""
    try:
        return ctx.unit(view.texts_above(match.header_row), what=what)
    except MissingContext:
        if "unit" in match.columns:
            return None
        raise


def _unit_of(view: SheetView, r: int, c: int, parent: str | None) -> tuple[str, bool]:
    """A row's unit under the table's unit: «IKOM» → MH-IKOM, «FAKADM» → MH-ADM, «SUM» → the
    table's unit itself (the total). (unit, is_total); refused naming the cell."""
    text = view.text(r, c) or ""
    norm = normalise(text)
    if norm in _TOTAL_WORDS and parent:
        return parent, True
    if norm in _ADMIN_WORDS and parent:
        return f"{parent}-ADM", False
    code = units.resolve(text)
    if code is None:
        raise view.error(r, c, f"forventet en enhet (som «MH-ISB» eller «ISB»), fant «{text}».")
    if parent and code != parent and "-" not in code and code not in units.registry():
        code = f"{parent}-{code}"
    if parent is None:
        return code, False
    return code, code == parent


def _number(view: SheetView, r: int, c: int | None, what: str, *, negative: bool = False):
    """A number of a cell (None when blank); a negative one refused unless allowed."""
    value = view.number(r, c, what)
    if value is not None and value < 0 and not negative:
        raise view.error(r, c, f"forventet {what} (ikke negativt), fant «{view.get(r, c)}».")
    return value


def _year_of(view: SheetView, match: HeaderMatch, ctx: FileContext, r: int, what: str) -> int:
    """The row's year from a year column, else the table's year (title, file name, form)."""
    col = match.columns.get("year")
    if col is not None and view.get(r, col) is not None:
        found = period_value(view.get(r, col))
        if found is None or found[0] is None:
            raise view.error(r, col, f"forventet et årstall, fant «{view.get(r, col)}».")
        return int(found[0])
    return int(ctx.year(view.texts_above(match.header_row), what=what))


# ------------------------------------------------------------------ income by kind


def income_mode(texts: list[str], groups: list[list]) -> str:
    """«pct» (shares in %), «fraction» (shares as 0–1) or «amount», from the headers and titles
    (`texts`) and the values (`groups`: one unit's raw cells each; text with «%», each unit
    adding up to 100 or to 1)."""
    words = " ".join(texts).lower()
    if re.search(r"%|andel|prosent|share", words):
        return "pct"
    if re.search(r"\b(?:kr|nok|kroner|beløp|mill|knok|tusen)\b", words):
        return "amount"
    if any(isinstance(v, str) and "%" in v for g in groups for v in g):
        return "pct"
    sums = [sum(abs(_safe_number(v)) for v in g) for g in groups]
    if sums and all(99 <= s <= 101 for s in sums):
        return "pct"
    if sums and all(0.99 <= s <= 1.01 for s in sums):
        return "fraction"
    return "amount"


def _safe_number(value: object) -> float:
    """A cell's number for judging the mode (0 when none; the parse names bad cells later)."""
    try:
        return parse_number(value) or 0.0
    except NotANumber:
        return 0.0


def parse_income(view: SheetView, match: HeaderMatch, ctx: FileContext) -> Parsed:
    """One row per unit (and year): its income by kind as shares or amounts; shares computed
    from amounts; a row of shares not adding up to 100 % is a warning naming its cells."""
    cols = match.columns
    kinds = [(INCOME_KINDS[f], cols[f]) for f in INCOME_KINDS if f in cols]
    if len(kinds) < 2:
        raise NotThisLayout()
    rows = _body(view, match, "unit")
    if not rows:
        raise NotThisLayout()
    parent = _file_unit(view, match, ctx, "inntektene")
    heads = [view.text(match.header_row, c) for _, c in kinds]
    groups = [[view.get(r, c) for _, c in kinds] for r in rows]
    mode = income_mode([*(h or "" for h in heads), *view.texts_above(match.header_row)], groups)
    factor, note = amount_scale([*view.texts_above(match.header_row), *heads])
    out = Parsed(str(Layout.INCOME_MIX), [view.name], parent, None, ctx.overrides.label)
    if mode == "amount" and note:
        out.warnings.append(f"{view.name}: {note}")
    seen: dict[tuple, str] = {}
    for r in rows:
        unit, _total = _unit_of(view, r, cols["unit"], parent)
        year = _year_of(view, match, ctx, r, "inntektene")
        ref = f"{view.name}!{view.ref(r, cols['unit'])}"
        if (unit, year) in seen:
            raise view.error(
                r, cols["unit"], f"{unit} {year} står to ganger (også i {seen[unit, year]})."
            )
        seen[unit, year] = ref
        what = "en andel i %" if mode != "amount" else "et beløp"
        values = [
            (kind, (r, c), _number(view, r, c, what, negative=mode == "amount") or 0.0)
            for kind, c in kinds
        ]
        add_income(out, view, (unit, parent or unit, year), values, (mode, factor))
        total_cell = (r, cols["inc_total"]) if "inc_total" in cols else None
        check_income(out, view, unit, values, (mode, total_cell))
    out.unit = parent or sorted({u for u, _ in seen})[0]
    out.year = max(y for _, y in seen)
    return out


def add_income(out: Parsed, view: SheetView, key: tuple, values: list, how: tuple) -> None:
    """One unit's income by kind: `values` [(kind, (row, column), value)], `how` (mode,
    factor); shares computed from amounts."""
    unit, parent, year = key
    mode, factor = how
    total = sum(v for _, _, v in values)
    for kind, (r, c), value in values:
        if mode == "amount":
            amount, share = value * factor, (100.0 * value / total if total else None)
        else:
            amount, share = None, value * (100.0 if mode == "fraction" else 1.0)
        out.add(
            "income_mix",
            {
                "unit": unit,
                "parent_unit": parent,
                "year": year,
                "kind": kind,
                "amount_knok": amount,
                "share_pct": share,
                "source_cell": f"{view.name}!{view.ref(r, c)}",
            },
        )


def check_income(out: Parsed, view: SheetView, unit: str, values: list, how: tuple) -> None:
    """One unit's shares should add up to 100 %; a stated total (`how`: mode, (row, column)
    or None) should equal the amounts. A break is a warning naming the cells."""
    mode, total_cell = how
    first, last = values[0][1], values[-1][1]
    cells = f"{view.name}!{view.ref(*first)}:{view.ref(*last)}"
    total = sum(v for _, _, v in values)
    if mode != "amount":
        pct = total * (100.0 if mode == "fraction" else 1.0)
        if abs(pct - 100.0) > 0.5:
            out.warnings.append(
                f"{cells}: andelene for {unit} summerer til {fmt_num(pct)} %, ikke 100 %."
            )
    elif total_cell is not None:
        stated = view.number(*total_cell)
        if stated is not None and abs(stated - total) > 2:
            out.warnings.append(
                f"{view.name}!{view.ref(*total_cell)}: summen er {fmt_int(stated)}, men "
                f"inntektene for {unit} summerer til {fmt_int(total)}."
            )


# ------------------------------------------------------------------ årsverk


def _fte_period(
    view: SheetView, match: HeaderMatch, ctx: FileContext, r: int
) -> tuple[int, int | None, bool]:
    """(year, month or None, is the budget) of a row: a period («januar 2023», «2023-01», a
    date, «2023», «Budsjett 2023»), or month and year columns, or the year of the table."""
    cols = match.columns
    if "period" in cols:
        raw = view.get(r, cols["period"])
        text = view.text(r, cols["period"]) or ""
        if "budsjett" in text.lower() or "budget" in text.lower():
            year = find_year(text) or _year_of(view, match, ctx, r, "årsverkene")
            return year, None, True
        found = None if raw is None else period_value(raw)
        if found is None or (found[0] is None and "year" not in cols):
            raise view.error(
                r,
                cols["period"],
                f"forventet en måned som «januar 2023» eller et år, fant «{text}».",
            )
        year = found[0] if found[0] is not None else _year_of(view, match, ctx, r, "årsverkene")
        return int(year), found[1], False
    month = None
    if "month" in cols and view.get(r, cols["month"]) is not None:
        found = period_value(view.get(r, cols["month"]))
        if found is None or found[1] is None:
            raise view.error(
                r,
                cols["month"],
                f"forventet en måned (1–12 eller «januar»), fant «{view.get(r, cols['month'])}».",
            )
        month = found[1]
        if found[0] is not None:
            return found[0], month, False
    return _year_of(view, match, ctx, r, "årsverkene"), month, False


def parse_fte(view: SheetView, match: HeaderMatch, ctx: FileContext) -> Parsed:
    """One row per unit, period (and category): the årsverk; a period «Budsjett» or a column
    «Budsjett» gives the årsverk the budget assumed."""
    cols = match.columns
    rows = _body(view, match, "unit")
    if not rows:
        raise NotThisLayout()
    parent = _file_unit(view, match, ctx, "årsverkene")
    out = Parsed(str(Layout.FTE), [view.name], parent, None, ctx.overrides.label)
    seen: dict[tuple, str] = {}
    for r in rows:
        unit, _ = _unit_of(view, r, cols["unit"], parent)
        year, month, is_budget = _fte_period(view, match, ctx, r)
        category = view.text(r, cols.get("category"))
        value = _number(view, r, cols["fte"], "et antall årsverk")
        entries = [(month, is_budget, value, cols["fte"])]
        budget = _number(view, r, cols.get("fte_budget"), "et antall årsverk")
        if budget is not None:
            entries.append((None, True, budget, cols["fte_budget"]))
        for m, b, v, c in entries:
            if v is None:
                continue
            key = (unit, year, m, category, b)
            if key in seen:
                if b and m is None and c == cols.get("fte_budget"):
                    continue  # the budget repeated on every month's row
                raise view.error(
                    r, c, f"årsverkene står to ganger for samme periode (også i {seen[key]})."
                )
            seen[key] = f"{view.name}!{view.ref(r, c)}"
            out.add(
                "fte",
                {
                    "unit": unit,
                    "parent_unit": parent or unit,
                    "year": year,
                    "month": m,
                    "category": category,
                    "fte": v,
                    "is_budget": b,
                },
            )
    if not seen:
        raise NotThisLayout()
    out.unit = parent or sorted({k[0] for k in seen})[0]
    out.year = max(k[1] for k in seen)
    return out


# ------------------------------------------------------------------ cost measures

_BASELINE = re.compile(
    r"(?i)^(?:sum\s+)?kostnad(?:er)?(?:\s+(?:uten tiltak|før tiltak|totalt))?$|^kostnadsbane|^cost(?:s)?(?: without measures)?$"
)
_TARGET = re.compile(r"(?i)^(?:kostnads)?mål(?:bane|tall)?$|^kostnadsramme|^ramme$|^target")
_SUM = re.compile(r"(?i)^(?:sum|totalt?)(?:\s+tiltak)?(\s*\(?akk(?:umulert)?\.?\)?)?$")


def _row_kind(name: str) -> str:
    """«measure», or «baseline» (cost without measures), «target», «sum», «sum_acc»."""
    text = name.strip()
    if _SUM.match(text):
        return "sum_acc" if _SUM.match(text).group(1) else "sum"
    if _BASELINE.match(text):
        return "baseline"
    if _TARGET.match(text):
        return "target"
    return "measure"


def parse_cost_measures(view: SheetView, match: HeaderMatch, ctx: FileContext) -> Parsed:
    """One row per measure: its planned effect per year (year columns, or one «Planlagt
    effekt»), the realised effect and the status; rows «Kostnad» (without measures) and
    «Mål» give the cost trajectory; «Sum tiltak» and «Sum tiltak (akk)» are checked."""
    cols, years = match.columns, dict(match.year_columns)
    if not years and "cm_planned" not in cols:
        raise NotThisLayout()
    rows = _body(view, match, "title")
    titles = view.texts_above(match.header_row)
    unit = ctx.unit(titles, what="kostnadstiltakene")
    heads = [view.text(match.header_row, c) for c in [*years, *cols.values()]]
    factor, note = amount_scale([*titles, *heads])
    out = Parsed(str(Layout.COST_MEASURES), [view.name], unit, None, ctx.overrides.label)
    if note:
        out.warnings.append(f"{view.name}: {note}")
    sums: list[tuple[int, str]] = []
    seq = 0
    for r in rows:
        name = view.text(r, cols["title"])
        kind = _row_kind(name)
        if kind in ("sum", "sum_acc"):
            sums.append((r, kind))
            continue
        seq += 1
        _cost_row(out, view, r, (unit, seq, kind, name), cols, years, factor)
    if not any(rec["row_kind"] == "measure" for rec in out.tables.get("cost_measures", [])):
        raise NotThisLayout()
    _flip_negative_effects(out, view)
    _check_sums(out, view, sums, (years, cols["title"]), factor)
    out.year = min(years.values()) if years else ctx.year(titles, what="kostnadstiltakene")
    return out


def _cost_row(out, view, r, key, cols, years, factor) -> None:
    unit, seq, kind, name = key
    per_year = {y: c for c, y in years.items()}
    negative = kind != "measure"
    realised = _number(view, r, cols.get("cm_realised"), "et beløp", negative=True)
    base = {
        "unit": unit,
        "seq": seq,
        "row_kind": kind,
        "name": name,
        "status": view.text(r, cols.get("status")),
        "category": None,
        "realised_knok": None if realised is None else realised * factor,
        **_plan_ref(view, r, cols.get("plan_measure")),
    }
    cells = [(y, c) for y, c in sorted(per_year.items())]
    if not cells:
        cells = [(None, cols["cm_planned"])]
    for year, c in cells:
        value = _number(view, r, c, "et beløp", negative=True)
        if value is None and kind != "measure":
            continue
        amount = None if value is None else value * factor
        if negative and amount is not None:
            amount = abs(amount)  # a cost line written with the budget's minus
        out.add(
            "cost_measures",
            base
            | {"year": year, "amount_knok": amount, "source_cell": f"{view.name}!{view.ref(r, c)}"},
        )


def _plan_ref(view: SheetView, r: int, c: int | None) -> dict[str, str | None]:
    """The plan's measure a row names (column «Tiltak i plan»), with its cell."""
    text = view.text(r, c)
    return {
        "plan_ref": text,
        "plan_ref_cell": f"{view.name}!{view.ref(r, c)}" if text else None,
    }


def _flip_negative_effects(out: Parsed, view: SheetView) -> None:
    """Effects written as cost reductions with a minus («−500») are savings: stored positive."""
    measures = [m for m in out.tables["cost_measures"] if m["row_kind"] == "measure"]
    values = [m["amount_knok"] for m in measures if m["amount_knok"]]
    if values and all(v < 0 for v in values):
        for m in measures:
            for key in ("amount_knok", "realised_knok"):
                if m[key] is not None:
                    m[key] = -m[key]
        out.warnings.append(
            f"{view.name}: effektene står med minus (som kostnadsreduksjon) og er lagret som "
            "innsparing (positive tall)."
        )


def _check_sums(out, view, sums, where, factor) -> None:
    """«Sum tiltak» per year = the measures' planned effects; «(akk)» = accumulated."""
    years, title_col = where
    planned: dict[int, float] = {}
    for m in out.tables["cost_measures"]:
        if m["row_kind"] == "measure" and m["year"] is not None:
            planned[m["year"]] = planned.get(m["year"], 0.0) + (m["amount_knok"] or 0.0)
    running, accumulated = 0.0, {}
    for year in sorted(planned):
        running += planned[year]
        accumulated[year] = running
    for r, kind in sums:
        expected = accumulated if kind == "sum_acc" else planned
        for c, year in sorted(years.items()):
            stated = view.number(r, c)
            if stated is None or year not in expected:
                continue
            if abs(abs(stated * factor) - expected[year]) > 2:
                out.warnings.append(
                    f"{view.name}!{view.ref(r, c)}: «{view.text(r, title_col)}» "
                    f"{year} er {fmt_int(abs(stated * factor))}, men tiltakene summerer til "
                    f"{fmt_int(expected[year])} (1000 kr)."
                )


# ------------------------------------------------------------------ space

LEVELS = {
    "institutt": "Institutt",
    "department": "Institutt",
    "fakultet": "Fakultet",
    "faculty": "Fakultet",
    "ntnu": "NTNU",
    "university": "NTNU",
    "universitet": "NTNU",
}


def level_of(text: str | None) -> str | None:
    """«Instituttnivå», «institutt» → Institutt; «Fakultetsnivå» → Fakultet; «NTNU-nivå» → NTNU."""
    norm = normalise(text)
    for key, name in LEVELS.items():
        if norm.startswith(key):
            return name
    return None


def parse_space(view: SheetView, match: HeaderMatch, ctx: FileContext) -> Parsed:
    """One row per unit, level or building type: kvm, kr per kvm, and the kvm to give up to
    save one årsverk (stated, or a cost per årsverk ÷ kr per kvm)."""
    cols = match.columns
    keys = [cols[k] for k in ("level", "building_type", "unit") if k in cols]
    rows = [
        r
        for r in range(match.header_row + 1, len(view.rows))
        if not _is_note(view, r) and any(view.text(r, c) for c in keys)
    ]
    if not rows:
        raise NotThisLayout()
    titles = view.texts_above(match.header_row)
    unit = ctx.unit(titles, what="arealet")
    out = Parsed(str(Layout.SPACE), [view.name], unit, None, ctx.overrides.label)
    for seq, r in enumerate(rows, start=1):
        level = view.text(r, cols.get("level"))
        row_unit = unit
        if "unit" in cols and view.text(r, cols["unit"]):
            found = level_of(view.text(r, cols["unit"]))
            if found and level is None:
                level = found
            else:
                row_unit, _ = _unit_of(view, r, cols["unit"], unit)
        numbers = {
            f: _number(view, r, cols.get(f), "et tall")
            for f in ("kvm", "kr_per_kvm", "kvm_per_fte", "fte_cost")
        }
        if all(v is None for v in numbers.values()):
            continue
        out.add(
            "space",
            {
                "unit": row_unit,
                "seq": seq,
                "level": level_of(level) or level,
                "building_type": view.text(r, cols.get("building_type")),
                "kvm": numbers["kvm"],
                "kr_per_kvm": numbers["kr_per_kvm"],
                "kvm_per_fte": numbers["kvm_per_fte"],
                "fte_cost_kr": numbers["fte_cost"],
            },
        )
    if not out.rows:
        raise NotThisLayout()
    out.year = ctx.year(titles, what="arealet", required=False)
    return out


# ------------------------------------------------------------------ grants

REFUSED = ("avslått", "avslag", "avvist", "ikke innvilget", "nei", "refused", "rejected")
_POOL_PART = re.compile(
    r"(?i)(grunnbeløp\w*|rest(?:\s+fra\s+(?:19|20)\d{2})?|overført\w*(?:\s+fra\s+(?:19|20)\d{2})?"
    r"|til fordeling|sum til fordeling|pott|disponibelt|ramme|søkt om(?: midler)?|"
    r"differanse|må fortsatt kutte)"
)


def _line_amounts(view: SheetView, r: int) -> list[tuple[str, float, int]]:
    """Labelled amounts in one row outside the table: («Grunnbeløp», 260000, column)."""
    found = []
    cells = [(c, v) for c, v in enumerate(view.rows[r]) if v not in (None, "")]
    for i, (c, v) in enumerate(cells):
        if not isinstance(v, str):
            continue
        for m in _POOL_PART.finditer(v):
            rest = v[m.end() :]
            num = re.search(r"\d[\d \u00a0.,]*\d|\d", rest.split("+")[0].split("=")[-1])
            amount = None
            if num:
                try:
                    amount = parse_number(num.group())
                except NotANumber:
                    amount = None
            if amount is None and i + 1 < len(cells) and not isinstance(cells[i + 1][1], str):
                amount = parse_number(cells[i + 1][1])
            if amount is not None:
                found.append((m.group(1).strip(), float(amount), c))
    return found


def _applicant_rows(view: SheetView, match: HeaderMatch) -> tuple[list[int], list[int]]:
    """(applicant rows, other rows with text: pool lines and sums)."""
    cols = match.columns
    applicants, lines = [], list(range(match.header_row))
    for r in range(match.header_row + 1, len(view.rows)):
        if view.row_is_blank(r) or _is_note(view, r):
            continue
        name = view.text(r, cols["applicant"])
        if name is None or _POOL_PART.match(name) or normalise(name) in _TOTAL_WORDS:
            lines.append(r)
        else:
            applicants.append(r)
    return applicants, lines


def _granted(view: SheetView, r: int, c: int, factor: float) -> tuple[float | None, bool]:
    """The amount granted, or (0, True) for «Avslått»; (None, False) when not yet decided."""
    raw = view.get(r, c)
    if isinstance(raw, str) and normalise(raw) in REFUSED:
        return 0.0, True
    try:
        value = parse_number(raw)
    except NotANumber:
        raise view.error(
            r, c, f"forventet et tildelt beløp eller «Avslått», fant «{raw}»."
        ) from None
    if value is not None and value < 0:
        raise view.error(r, c, f"forventet et tildelt beløp (ikke negativt), fant «{raw}».")
    return (None if value is None else value * factor), False


def parse_grants(view: SheetView, match: HeaderMatch, ctx: FileContext) -> Parsed:
    """One row per applicant: applied, granted or «Avslått»; the pool from lines around the
    table («Grunnbeløp 260 000», «Rest fra 2023 74 292», «Til fordeling 334 292»)."""
    cols = match.columns
    applicants, lines = _applicant_rows(view, match)
    if not applicants:
        raise NotThisLayout()
    titles = view.texts_above(match.header_row)
    unit = ctx.unit(titles, what="tildelingen")
    heads = [view.text(match.header_row, cols[f]) for f in ("applied", "grant") if f in cols]
    factor = 1000.0 if amount_scale(heads)[0] == 1.0 and _thousands(heads) else 1.0
    pool = ctx.overrides.label or (titles[0] if titles else "Tildeling")
    out = Parsed(str(Layout.GRANTS), [view.name], unit, None, pool)
    for seq, r in enumerate(applicants, start=1):
        granted, refused = _granted(view, r, cols["grant"], factor)
        applied = _number(view, r, cols.get("applied"), "et søkt beløp")
        out.add(
            "grants",
            {
                "unit": unit,
                "pool": view.text(r, cols.get("pool")) or pool,
                "seq": seq,
                "applicant": view.text(r, cols["applicant"]),
                "applied_kr": None if applied is None else applied * factor,
                "granted_kr": granted,
                "refused": refused,
                "comment": view.text(r, cols.get("comment")),
            },
        )
    _pool_lines(out, view, lines, unit, pool, factor)
    out.year = ctx.year([*titles, pool], what="tildelingen", required=False)
    return out


def _thousands(heads: list[str | None]) -> bool:
    return any(re.search(r"(?i)1\s?000\s*kr|knok|tusen", h or "") for h in heads)


def _pool_lines(out: Parsed, view: SheetView, lines: list[int], unit, pool, factor) -> None:
    """The pool's parts and stated total; a stated applied sum is checked against the rows."""
    parts, total = [], None
    applied_rows = [g["applied_kr"] for g in out.tables["grants"] if g["applied_kr"] is not None]
    for r in lines:
        for label, amount, c in _line_amounts(view, r):
            low = label.lower()
            if low.startswith(("søkt", "differanse", "må fortsatt")):
                if (
                    low.startswith("søkt")
                    and applied_rows
                    and abs(sum(applied_rows) - amount * factor) > 1
                ):
                    out.warnings.append(
                        f"{view.name}!{view.ref(r, c)}: søkt om {fmt_int(amount * factor)} kr, "
                        f"men søknadene summerer til {fmt_int(sum(applied_rows))} kr."
                    )
                continue
            if low.startswith(("til fordeling", "sum til", "pott", "disponibelt", "ramme")):
                total = (label, amount * factor, r, c)
            else:
                parts.append((label[0].upper() + label[1:], amount * factor))
    for label, amount in parts:
        out.add(
            "grant_pools",
            {"unit": unit, "pool": pool, "part": label, "amount_kr": amount, "is_total": False},
        )
    if total is not None:
        label, amount, r, c = total
        out.add(
            "grant_pools",
            {"unit": unit, "pool": pool, "part": label, "amount_kr": amount, "is_total": True},
        )
        got = sum(a for _, a in parts)
        if parts and abs(got - amount) > 1:
            out.warnings.append(
                f"{view.name}!{view.ref(r, c)}: potten er {fmt_int(amount)} kr, men delene "
                f"summerer til {fmt_int(got)} kr."
            )
    if not parts and total is None:
        out.warnings.append(
            f"{view.name}: fant ikke hvor mye som er til fordeling (en linje som «Til fordeling "
            "334 292» eller «Grunnbeløp 260 000»); differansen kan ikke regnes ut."
        )


PARSERS = {
    "income_mix": parse_income,
    "fte": parse_fte,
    "cost_measures": parse_cost_measures,
    "space": parse_space,
    "grants": parse_grants,
}
TITLES = {
    "income_mix": "Inntekter per type",
    "fte": "Årsverk",
    "cost_measures": "Kostnadstiltak og effekt",
    "space": "Areal",
    "grants": "Søknader og tildelinger",
    "phd_degrees": "Avlagte doktorgrader",
}
