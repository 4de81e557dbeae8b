"""Budget prognosis (Budsjett i år / Prognose i år / avvik) and multi-year plans, with the
arithmetic checks finance staff expect (sums, result, IB/UB chain, printed deviation)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dashboard.ingest.detect import HeaderMatch
from dashboard.ingest.layouts.common import (
    FileContext,
    NotThisLayout,
    Parsed,
    SheetView,
    amount_scale,
    find_month,
    first_of_month,
    month_label,
)
from dashboard.numbers import fmt_int
from dashboard.text import normalise
from dashboard.vocab import Layout

TOLERANCE = 2.0  # kNOK, for rounding in the source
TOTALS = {
    "ib": "IB",
    "inngående balanse": "IB",
    "inngaende balanse": "IB",
    "opening balance": "IB",
    "ub": "UB",
    "utgående balanse": "UB",
    "utgaende balanse": "UB",
    "closing balance": "UB",
    "resultat": "Resultat",
    "årsresultat": "Resultat",
    "result": "Resultat",
    "sum resultat": "Resultat",
    "inntekt": "Inntekt",
    "inntekter": "Inntekt",
    "sum inntekter": "Inntekt",
    "sum inntekt": "Inntekt",
    "totale inntekter": "Inntekt",
    "income": "Inntekt",
    "revenue": "Inntekt",
    "kostnad": "Kostnad",
    "kostnader": "Kostnad",
    "sum kostnader": "Kostnad",
    "sum kostnad": "Kostnad",
    "totale kostnader": "Kostnad",
    "costs": "Kostnad",
    "expenses": "Kostnad",
    "driftsinntekter": "Inntekt",
    "sum driftsinntekter": "Inntekt",
    "inntekter totalt": "Inntekt",
    "sum inntekter totalt": "Inntekt",
    "driftskostnader": "Kostnad",
    "sum driftskostnader": "Kostnad",
    "kostnader totalt": "Kostnad",
    "sum kostnader totalt": "Kostnad",
    "driftsresultat": "Resultat",
    "resultat totalt": "Resultat",
    "overskudd underskudd": "Resultat",
}


@dataclass
class Line:
    """One budget line of a sheet: name, row, kind of line and its amounts by column."""

    name: str
    row: int
    group: str  # balance | total | income | cost | other
    values: dict[str, float | None]  # column key -> amount


def classify(name: str) -> str | None:
    """The canonical total a line name stands for (IB, UB, Resultat, Inntekt, Kostnad), if any;
    «Inngående balanse (IB)» and «UB 2023» count too."""
    found = TOTALS.get(normalise(name))
    if found is None:
        found = TOTALS.get(normalise(re.sub(r"\([^)]*\)|\b(?:19|20)\d{2}\b", " ", name)))
    return found


def read_lines(view: SheetView, match: HeaderMatch, value_cols: dict[str, int]) -> list[Line]:
    """Rows of (line, amounts); line groups by position under the Inntekt/Kostnad totals."""
    line_col = match.columns["line"]
    lines: list[Line] = []
    group = "other"
    for r in range(match.header_row + 1, len(view.rows)):
        if view.row_is_blank(r):
            continue
        name = view.text(r, line_col)
        if name is None:
            continue
        values = {key: view.number(r, c, "et beløp i 1000 kr") for key, c in value_cols.items()}
        if all(v is None for v in values.values()):
            if any(view.get(r, c) is not None for c in value_cols.values()):
                pass  # a line with «-» everywhere: keep as zero line
            else:
                continue  # a heading or a note under the table
        total = classify(name)
        if total in ("Inntekt", "Kostnad"):
            group = "income" if total == "Inntekt" else "cost"
            kind = "total"
        elif total in ("IB", "UB"):
            kind, group = "balance", "other"
        elif total == "Resultat":
            kind, group = "total", "other"
        else:
            kind = group
        lines.append(Line(total or name, r, kind, values))
    if not lines:
        raise NotThisLayout()
    names = [normalise(line.name) for line in lines]
    for i, name in enumerate(names):
        if name in names[:i]:
            first = lines[names.index(name)]
            raise view.error(
                lines[i].row,
                line_col,
                f"linjen «{lines[i].name}» står to ganger "
                f"(også i {view.name}!{view.ref(first.row, line_col)}).",
            )
    return lines


def _flip_positive_costs(lines: list[Line], key: str) -> bool:
    """Some sheets show costs as positive numbers; store them negative. True when flipped."""
    by = {line.name: line for line in lines}
    inc, cost, res = (by.get(n) for n in ("Inntekt", "Kostnad", "Resultat"))
    if not (inc and cost and res):
        return False
    i, k, r = inc.values.get(key), cost.values.get(key), res.values.get(key)
    if None in (i, k, r) or k <= 0:
        return False
    if abs(i - k - r) <= TOLERANCE and abs(i + k - r) > TOLERANCE:
        for line in lines:
            if line.group in ("cost",) or line.name == "Kostnad":
                value = line.values.get(key)
                line.values[key] = -value if value is not None else None
        return True
    return False


def check_arithmetic(
    view: SheetView, lines: list[Line], value_cols: dict[str, int], labels: dict[str, str]
) -> list[str]:
    """Sums, result and balance checks per value column; a break becomes a warning naming cells."""
    warnings: list[str] = []
    by = {line.name: line for line in lines}

    def cell(line: Line, key: str) -> str:
        return f"{view.name}!{view.ref(line.row, value_cols[key])}"

    def warn(key: str, what: str, line: Line, printed: float, expected: float, basis: str) -> None:
        diff = printed - expected
        warnings.append(
            f"{cell(line, key)} ({labels[key]}): {what} er {fmt_int(printed)}, men {basis} gir "
            f"{fmt_int(expected)} — differanse {fmt_int(diff)} (1000 kr)."
        )

    for key in value_cols:

        def v(name: str, key: str = key) -> float | None:
            line = by.get(name)
            return None if line is None else (line.values.get(key) or 0.0)

        for total, group in (("Inntekt", "income"), ("Kostnad", "cost")):
            members = [line for line in lines if line.group == group]
            if total in by and members:
                expected = sum(line.values.get(key) or 0.0 for line in members)
                printed = v(total)
                if abs(printed - expected) > TOLERANCE:
                    span = f"{cell(members[0], key)}:{view.ref(members[-1].row, value_cols[key])}"
                    warn(key, total, by[total], printed, expected, f"summen av linjene {span}")
        if all(n in by for n in ("Resultat", "Inntekt", "Kostnad")):
            expected = v("Inntekt") + v("Kostnad")
            if abs(v("Resultat") - expected) > TOLERANCE:
                warn(key, "Resultat", by["Resultat"], v("Resultat"), expected, "Inntekt + Kostnad")
        if all(n in by for n in ("UB", "IB", "Resultat")):
            expected = v("IB") + v("Resultat")
            if abs(v("UB") - expected) > TOLERANCE:
                warn(key, "UB", by["UB"], v("UB"), expected, "IB + Resultat")
    return warnings


def _prognosis_label(ctx: FileContext, titles: list[str], year: int) -> tuple[str, object]:
    if ctx.overrides.label:
        found = find_month(ctx.overrides.label)
        return ctx.overrides.label, first_of_month(*found) if found else None
    for text in [*titles, *ctx.workbook_texts, *ctx.sheet_names, ctx.stem]:
        found = find_month(text)
        if found:
            return month_label("prognose", *found), first_of_month(*found)
    return f"prognose {year}", None


def _scale(
    view: SheetView,
    match: HeaderMatch,
    value_cols: dict[str, int],
    titles: list[str],
    lines: list[Line],
    out: Parsed,
) -> None:
    """Amounts given in kroner or millions (said in a title or header) are stored in 1000 kr."""
    headers = [view.text(match.header_row, c) for c in value_cols.values()]
    factor, note = amount_scale([*titles, *headers])
    if factor == 1.0:
        return
    for line in lines:
        line.values = {k: None if v is None else v * factor for k, v in line.values.items()}
    out.warnings.append(f"{view.name}: {note}")


def _figure(
    unit: str | None,
    year: int | None,
    line: Line,
    order: int,
    kind: str,
    label: str | None,
    as_of: object,
    amount: float,
) -> dict:
    """One budget figure record (a line's amount of one kind: budget, prognosis …)."""
    return {
        "unit": unit,
        "year": year,
        "line": line.name,
        "line_order": order,
        "line_group": line.group,
        "kind": kind,
        "label": label,
        "as_of": as_of,
        "month": None,
        "amount_knok": amount,
    }


def parse_prognosis(view: SheetView, match: HeaderMatch, ctx: FileContext) -> Parsed:
    """A budget prognosis sheet (budget, prognosis, deviation per line) → the lines of one version."""
    cols = match.columns
    value_cols = {k: cols[k] for k in ("budget", "prognosis", "deviation", "actual") if k in cols}
    titles = view.texts_above(match.header_row)
    unit = ctx.unit(titles, what="prognosen")
    year = ctx.year(titles, what="prognosen")
    label, as_of = _prognosis_label(ctx, titles, year)
    lines = read_lines(view, match, value_cols)
    out = Parsed(str(Layout.BUDGET_PROGNOSIS), [view.name], unit, year, label)
    _scale(view, match, value_cols, titles, lines, out)
    for key in ("budget", "prognosis", "actual"):
        if key in value_cols and _flip_positive_costs(lines, key):
            out.warnings.append(
                f"{view.name}: kostnadene i «{view.text(match.header_row, value_cols[key])}» "
                "var oppgitt som positive tall; de er lagret med negativt fortegn."
            )
    labels = {k: view.text(match.header_row, c) or k for k, c in value_cols.items()}
    sums = {k: c for k, c in value_cols.items() if k != "deviation"}
    out.warnings.extend(check_arithmetic(view, lines, sums, labels))
    if "deviation" in value_cols and "budget" in value_cols and "prognosis" in value_cols:
        for line in lines:
            printed = line.values.get("deviation")
            b, p = line.values.get("budget"), line.values.get("prognosis")
            if b is None or p is None:
                continue
            expected = b - p
            if abs((printed or 0.0) - expected) > TOLERANCE:
                out.warnings.append(
                    f"{view.name}!{view.ref(line.row, value_cols['deviation'])} (avvik): «{line.name}» "
                    f"har avvik {fmt_int(printed or 0)}, men budsjett − prognose = {fmt_int(expected)} — "
                    f"differanse {fmt_int((printed or 0) - expected)} (1000 kr)."
                )
    for order, line in enumerate(lines):
        for key, amount in line.values.items():
            if amount is None and key == "deviation":
                amount = 0.0 if line.values.get("budget") == line.values.get("prognosis") else None
            if amount is None:
                continue
            out.add("budget_figures", _figure(unit, year, line, order, key, label, as_of, amount))
    out.rows = len(lines)
    return out


def parse_multiyear(view: SheetView, match: HeaderMatch, ctx: FileContext) -> Parsed:
    """A multi-year budget (lines × years) → the amounts per line and year."""
    cols = match.columns
    titles = view.texts_above(match.header_row)
    value_cols = {k: cols[k] for k in ("budget", "prev_prognosis", "prognosis") if k in cols}
    years = dict(sorted(match.year_columns.items(), key=lambda kv: kv[1]))
    first = next(iter(years), None)
    if "budget" not in value_cols and first is not None and len(years) > 2:
        if re.search(r"(?i)budsjett", view.text(match.header_row, first) or ""):
            value_cols["budget"] = first  # «2023 (budsjett)»: this year's budget, then the plan
            del years[first]
    for c, y in years.items():
        value_cols[f"y{y}"] = c
    first_year = min(years.values())
    base_year = ctx.overrides.year or (
        first_year - 1 if value_cols.keys() & {"budget", "prev_prognosis", "prognosis"} else None
    )
    if base_year is None:
        base_year = ctx.year(titles, what="langtidsbudsjettet")
    unit = ctx.unit(titles, what="langtidsbudsjettet")
    label, as_of = _prognosis_label(ctx, titles, base_year)
    lines = read_lines(view, match, value_cols)
    out = Parsed(str(Layout.BUDGET_MULTIYEAR), [view.name], unit, base_year, label)
    _scale(view, match, value_cols, titles, lines, out)
    labels = {k: (view.text(match.header_row, c) or k) for k, c in value_cols.items()}
    for key in value_cols:
        if _flip_positive_costs(lines, key):
            out.warnings.append(
                f"{view.name}: kostnadene i «{labels[key]}» var positive; lagret negative."
            )
    out.warnings.extend(check_arithmetic(view, lines, value_cols, labels))
    by = {line.name: line for line in lines}
    if "IB" in by and "UB" in by:
        chain = [k for k in ("prognosis", "prev_prognosis", "budget") if k in value_cols][:1]
        chain += [f"y{y}" for y in years.values()]
        for prev, key in zip(chain, chain[1:], strict=False):
            ub, ib = by["UB"].values.get(prev), by["IB"].values.get(key)
            if ub is None or ib is None:
                continue
            if abs(ub - ib) > TOLERANCE:
                out.warnings.append(
                    f"{view.name}!{view.ref(by['IB'].row, value_cols[key])} (IB {labels[key]}): "
                    f"IB er {fmt_int(ib)}, men UB året før ({view.name}!{view.ref(by['UB'].row, value_cols[prev])}) "
                    f"er {fmt_int(ub)} — differanse {fmt_int(ib - ub)} (1000 kr)."
                )
    kinds = {
        "budget": ("budget", base_year),
        "prognosis": ("prognosis", base_year),
        "prev_prognosis": ("previous_prognosis", base_year),
    }
    for order, line in enumerate(lines):
        for key, amount in line.values.items():
            if amount is None:
                continue
            kind, year = kinds.get(
                key, ("long_term_plan", int(key[1:]) if key.startswith("y") else base_year)
            )
            out.add("budget_figures", _figure(unit, year, line, order, kind, label, as_of, amount))
    out.rows = len(lines)
    return out
