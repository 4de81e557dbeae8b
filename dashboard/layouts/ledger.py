"""Ledger exports from the finance system: one row per unit × line (× month), in bulk.

Works column-wise on Arrow arrays (no Python loop per row unless a value needs the lenient
Norwegian number parser), so hundreds of thousands of rows move to DuckDB quickly.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from dashboard import units
from dashboard.errors import MissingContext
from dashboard.headers import HeaderMatch
from dashboard.layouts.common import FileContext, NotThisLayout, Parsed, SheetView, find_month, first_of_month
from dashboard.numbers import MONTHS, NotANumber, parse_number

AMOUNT_KINDS = ("budget", "prognosis", "actual")


def _string_table(view: SheetView) -> pa.Table:
    if view.sheet.arrow is not None:
        return view.sheet.arrow
    width = max((len(r) for r in view.rows), default=0)

    def s(value: object) -> str | None:
        if value is None or value == "":
            return None
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    return pa.table({f"c{i}": [s(r[i]) if i < len(r) else None for r in view.rows] for i in range(width)})


def _numbers(view: SheetView, col: pa.ChunkedArray, offset: int, c: int, what: str) -> pa.ChunkedArray:
    """Float64 column; fast cast, falling back to the Norwegian parser for '45 785-' and friends."""
    trimmed = pc.utf8_trim_whitespace(col)
    try:
        return pc.cast(trimmed, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    out = []
    for i, value in enumerate(trimmed.to_pylist()):
        try:
            out.append(parse_number(value))
        except NotANumber:
            raise view.error(offset + i, c, f"forventet {what}, fant «{value}».") from None
    return pa.chunked_array([pa.array(out, pa.float64())])


def _months(view: SheetView, col: pa.ChunkedArray, offset: int, c: int) -> pa.Array:
    names = {m: i + 1 for i, m in enumerate(MONTHS)} | {m[:3]: i + 1 for i, m in enumerate(MONTHS)}
    out = []
    for i, value in enumerate(col.to_pylist()):
        if value is None:
            out.append(None)
            continue
        key = value.strip().lower().rstrip(".")
        if key in names:
            out.append(names[key])
            continue
        try:
            number = parse_number(key.split("-")[-1] if "-" in key else key)
        except NotANumber:
            number = None
        if number is None or number != int(number) or not 1 <= number <= 12:
            raise view.error(offset + i, c, f"forventet en måned 1–12 eller et månedsnavn, fant «{value}».")
        out.append(int(number))
    return pa.array(out, pa.int8())


def parse_ledger(view: SheetView, match: HeaderMatch, ctx: FileContext) -> Parsed:
    cols = match.columns
    table = _string_table(view)
    offset = match.header_row + 1
    data = table.slice(offset)
    column = {f: data.column(c) for f, c in cols.items() if c < data.num_columns}
    unit_raw, year_raw, line_raw = column["unit"], column["year"], column["line"]
    keep = pc.or_(pc.is_valid(unit_raw), pc.is_valid(line_raw))
    if not pc.any(keep).as_py():
        raise NotThisLayout()
    # Rows without unit and year are notes or total rows under the table; drop them.
    row_index = pa.array(range(data.num_rows), pa.int64())
    mask = pc.and_(keep, pc.is_valid(year_raw))
    dropped = data.num_rows - pc.sum(mask.cast(pa.int64())).as_py()
    data, row_index = data.filter(mask), row_index.filter(mask)
    column = {f: data.column(c) for f, c in cols.items() if c < data.num_columns}

    def refrow(i: int) -> int:
        return offset + row_index[i].as_py()

    years = _numbers(view, column["year"], offset, cols["year"], "et årstall")
    bad = pc.or_kleene(pc.not_equal(years, pc.round(years)), pc.or_(pc.less(years, 1900), pc.greater(years, 2100)))
    bad = pc.fill_null(pc.or_kleene(bad, pc.is_null(years)), True)
    if pc.any(bad).as_py():
        i = pc.index(bad, True).as_py()
        raise view.error(refrow(i), cols["year"], f"forventet et årstall, fant «{column['year'][i].as_py()}».")
    years = pc.cast(years, pa.int16())
    unit_strings = pc.utf8_trim_whitespace(column["unit"])
    mapping: dict[str, str] = {}
    for value in pc.unique(unit_strings).to_pylist():
        code = units.resolve(value) if value else None
        if code is None:
            i = pc.index(unit_strings, value).as_py() if value else pc.index(pc.is_null(unit_strings), True).as_py()
            raise view.error(refrow(i), cols["unit"], f"forventet en enhet (som «MH» eller «MH-INB»), fant «{value}».")
        mapping[value] = code
    keys = pa.array(list(mapping), pa.string())
    unit_codes = pc.take(pa.array(list(mapping.values()), pa.string()), pc.index_in(unit_strings, keys))
    lines = pc.utf8_trim_whitespace(column["line"])
    if pc.any(pc.is_null(lines)).as_py():
        i = pc.index(pc.is_null(lines), True).as_py()
        raise view.error(refrow(i), cols["line"], "linjen/kontoen mangler.")
    months = _months(view, column["month"], offset, cols["month"]) if "month" in column else pa.nulls(data.num_rows, pa.int8())
    if "label" in column:
        labels = pc.fill_null(pc.utf8_trim_whitespace(column["label"]), ctx.overrides.label or "")
    else:
        titles = view.texts_above(match.header_row) if match.header_row < 20 else []
        label = ctx.overrides.label
        if not label:
            for text in [*titles, *ctx.workbook_texts, *ctx.sheet_names, ctx.stem]:
                found = find_month(text)
                if found:
                    label = f"prognose {MONTHS[found[1] - 1]} {found[0]}"
                    break
        if not label:
            raise MissingContext("Fant ikke hvilken prognoseversjon hovedbokseksporten er. Oppgi den: "
                                 "--label «prognose oktober 2023» på kommandolinjen eller feltet "
                                 "«Versjon» ved opplasting.", file=ctx.file)
        labels = pa.array([label] * data.num_rows, pa.string())
    if pc.any(pc.equal(labels, "")).as_py():
        i = pc.index(labels, "").as_py()
        raise view.error(refrow(i), cols["label"], "versjonen mangler.")
    key_table = pa.table({"unit": unit_codes, "year": years, "month": months, "line": lines, "label": labels,
                          "row": row_index})
    dup = key_table.group_by(["unit", "year", "month", "line", "label"]).aggregate(
        [("row", "count"), ("row", "min"), ("row", "max")])
    dup = dup.filter(pc.greater(dup.column("row_count"), 1))
    if dup.num_rows:
        first = dup.slice(0, 1).to_pylist()[0]
        raise view.error(offset + first["row_max"], cols["line"],
                         f"raden gjentar {first['unit']} {first['year']} «{first['line']}» "
                         f"(også i rad {view.sheet.row0 + offset + first['row_min'] + 1}).")
    distinct_labels = pc.unique(labels).to_pylist()
    as_of_by_label = {lab: (first_of_month(*find_month(lab)) if find_month(lab) else None) for lab in distinct_labels}
    as_of = pc.take(pa.array([as_of_by_label[lab] for lab in distinct_labels], pa.date32()),
                    pc.index_in(labels, pa.array(distinct_labels, pa.string())))
    parts = []
    for kind in AMOUNT_KINDS:
        if kind not in column:
            continue
        amounts = _numbers(view, column[kind], offset, cols[kind], "et beløp i 1000 kr")
        part = pa.table({
            "unit": unit_codes, "year": years, "line": lines,
            "line_order": pa.nulls(data.num_rows, pa.int32()), "line_group": pa.nulls(data.num_rows, pa.string()),
            "kind": pa.array([kind] * data.num_rows, pa.string()), "label": labels, "as_of": as_of,
            "month": months, "amount_knok": amounts,
        })
        parts.append(part.filter(pc.is_valid(part.column("amount_knok"))))
    figures = pa.concat_tables(parts)
    units_found = sorted(mapping.values())
    out = Parsed("ledger", [view.name], units_found[0] if len(units_found) == 1 else ",".join(units_found[:3]),
                 int(pc.min(years).as_py()), ", ".join(distinct_labels[:3]))
    out.arrow_tables["budget_figures"] = figures
    out.rows = data.num_rows
    if dropped:
        out.warnings.append(f"{view.name}: {dropped} rader uten enhet og år (summer eller notater) ble hoppet over.")
    return out
