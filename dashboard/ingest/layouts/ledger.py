"""Ledger exports from the finance system: one row per unit × line (× month), in bulk.

Works column-wise on Arrow arrays (no Python loop per row unless a value needs the lenient
Norwegian number parser), so hundreds of thousands of rows move to DuckDB quickly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dashboard import units
from dashboard.errors import MissingContext
from dashboard.ingest.detect import HeaderMatch
from dashboard.ingest.layouts import periods
from dashboard.ingest.layouts.common import (
    FileContext,
    NotThisLayout,
    Parsed,
    SheetView,
    amount_scale,
    find_month,
    first_of_month,
)
from dashboard.ingest.sheetdata import bad_cell_message
from dashboard.numbers import MAX_MAGNITUDE, MONTHS, NotANumber, parse_number
from dashboard.vocab import Layout

AMOUNT_KINDS = ("budget", "prognosis", "actual")


def _data_table(view: SheetView, header_row: int) -> pa.Table:
    """The rows below the header as an Arrow table: typed from fastexcel for bulk sheets,
    or built from the typed Python rows of a small sheet (as text; parsed leniently later)."""
    sheet = view.sheet
    if sheet.arrow is not None and len(sheet.rows) == header_row + 1:
        return sheet.arrow
    rows = (
        view.rows[header_row + 1 :] if sheet.arrow is None else sheet.all_rows()[header_row + 1 :]
    )
    width = max((len(r) for r in rows), default=0)

    def text(value: object) -> str | None:
        if value is None or value == "":
            return None
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    return pa.table(
        {
            f"c{i}": pa.array([text(r[i]) if i < len(r) else None for r in rows], pa.string())
            for i in range(width)
        }
    )


def _as_text(col: pa.ChunkedArray) -> pa.ChunkedArray:
    """Text column (numbers such as account 4010 become '4010', not '4010.0')."""
    if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
        return pc.utf8_trim_whitespace(col)
    if pa.types.is_floating(col.type):
        valid = pc.drop_null(col)
        if len(valid) == 0 or pc.all(pc.equal(valid, pc.round(valid))).as_py():
            return pc.cast(pc.cast(col, pa.int64()), pa.string())
    return pc.cast(col, pa.string())


def _numbers(
    view: SheetView, col: pa.ChunkedArray, rowref: Callable[[int], int], c: int, what: str
) -> pa.ChunkedArray:
    """Float64 column; typed columns pass straight through, text falls back to the Norwegian parser
    for '45 785-' and friends."""
    if (
        pa.types.is_floating(col.type)
        or pa.types.is_integer(col.type)
        or pa.types.is_null(col.type)
    ):
        return _reasonable(view, col, pc.cast(col, pa.float64()), rowref, c, what)
    if not pa.types.is_string(col.type):
        col = pc.cast(col, pa.string())
    trimmed = pc.utf8_trim_whitespace(col)
    try:
        return _reasonable(view, trimmed, pc.cast(trimmed, pa.float64()), rowref, c, what)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    out = []
    for i, value in enumerate(trimmed.to_pylist()):
        try:
            out.append(parse_number(value))
        except NotANumber:
            raise view.error(rowref(i), c, f"forventet {what}, fant «{value}».") from None
    return pa.chunked_array([pa.array(out, pa.float64())])


def _reasonable(
    view: SheetView,
    raw: pa.ChunkedArray,
    numbers: pa.ChunkedArray,
    rowref: Callable[[int], int],
    c: int,
    what: str,
) -> pa.ChunkedArray:
    """Refuse, naming the first such cell, a number that is not finite or absurdly large."""
    bad = pc.invert(pc.less_equal(pc.abs(numbers), MAX_MAGNITUDE))  # NaN compares false
    bad = pc.fill_null(bad, False)
    if pc.any(bad).as_py():
        i = pc.index(bad, True).as_py()
        raise view.error(
            rowref(i),
            c,
            f"forventet {what}, fant «{str(raw[i].as_py())[:40]}» (ikke et gyldig tall).",
        )
    return numbers


def _months(
    view: SheetView, col: pa.ChunkedArray, rowref: Callable[[int], int], c: int
) -> pa.Array:
    if not pa.types.is_string(col.type):
        numbers = _numbers(view, col, rowref, c, "en måned")
        bad = pc.fill_null(pc.or_(pc.less(numbers, 1), pc.greater(numbers, 12)), False)
        bad = pc.or_(bad, pc.fill_null(pc.not_equal(numbers, pc.round(numbers)), False))
        if pc.any(bad).as_py():
            i = pc.index(bad, True).as_py()
            raise view.error(rowref(i), c, f"forventet en måned 1–12, fant «{col[i].as_py()}».")
        return pc.cast(numbers, pa.int8()).combine_chunks()
    try:
        return _months(view, pc.cast(pc.utf8_trim_whitespace(col), pa.float64()), rowref, c)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
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
            raise view.error(
                rowref(i), c, f"forventet en måned 1–12 eller et månedsnavn, fant «{value}»."
            )
        out.append(int(number))
    return pa.array(out, pa.int8())


def _first_duplicate(keys: list) -> tuple[int, int] | None:
    """Positions (first, repeat) of the first repeated key combination, or None. Each key column is
    dictionary-encoded to small integers and the combination sorted with NumPy (fast for 10⁵ rows)."""
    combined = np.zeros(len(keys[0]), dtype=np.int64)
    capacity = 1
    for key in keys:
        encoded = pc.dictionary_encode(
            pa.chunked_array([key]) if isinstance(key, pa.Array) else key
        )
        indices = (
            np.concatenate([c.indices.to_numpy(zero_copy_only=False) for c in encoded.chunks])
            if encoded.num_chunks
            else np.zeros(0, dtype=np.int64)
        )
        indices = np.where(np.isnan(indices.astype(float)), -1, indices).astype(np.int64) + 1
        size = max(len(encoded.chunks[0].dictionary) if encoded.num_chunks else 0, 1) + 1
        capacity *= size
        if capacity > 2**62:  # too many distinct combinations for one integer: compare tuples
            seen: dict[tuple, int] = {}
            for i, row in enumerate(zip(*(k.to_pylist() for k in keys), strict=True)):
                if row in seen:
                    return seen[row], i
                seen[row] = i
            return None
        combined = combined * size + indices
    order = np.argsort(combined, kind="stable")
    same = np.flatnonzero(combined[order][1:] == combined[order][:-1])
    if not len(same):
        return None
    pairs = [(int(order[i]), int(order[i + 1])) for i in same]
    return min(pairs, key=lambda pair: pair[1])


def _refuse_marked_cells(view: SheetView, used: set[int], offset: int, mask: pa.Array) -> None:
    """A formula without a cached value or an Excel error in a column we read, on a data row."""
    for (r, c), marker in sorted(view.sheet.marks.items()):
        if c in used and 0 <= r - offset < len(mask) and mask[r - offset].as_py():
            raise view.error(r, c, bad_cell_message(marker) or "cellen kan ikke leses.")


def _same_years(
    view: SheetView,
    years: pa.ChunkedArray,
    period_years: pa.Array,
    rowref: Callable[[int], int],
    c: int,
) -> None:
    """A period that names a year must agree with the row's year column."""
    differs = pc.fill_null(pc.not_equal(years, period_years), False)
    if pc.any(differs).as_py():
        i = pc.index(differs, True).as_py()
        raise view.error(
            rowref(i),
            c,
            f"perioden gjelder {int(period_years[i].as_py())}, men raden står i år "
            f"{int(years[i].as_py())}.",
        )


@dataclass
class _Rows:
    """The data rows a ledger keeps: their columns by field, and where each stands in the sheet."""

    view: SheetView
    cols: dict[str, int]
    data: pa.Table
    row_index: pa.Array  # each kept row's position below the header
    offset: int  # the sheet row just below the header
    column: dict[str, pa.ChunkedArray] = field(init=False)

    def __post_init__(self) -> None:
        self.column = {
            f: self.data.column(c) for f, c in self.cols.items() if c < self.data.num_columns
        }

    def ref(self, i: int) -> int:
        """The sheet row of kept row i (for error messages)."""
        return self.offset + self.row_index[i].as_py()


def _time_field(column: dict[str, pa.ChunkedArray]) -> str:
    """«year» when the sheet has a year column, else «period» (periods such as «202310»)."""
    return "year" if "year" in column else "period"


def _keep_rows(view: SheetView, match: HeaderMatch) -> tuple[_Rows, int]:
    """The ledger's data rows, and how many filled rows were dropped as notes or totals (no unit
    and year). NotThisLayout without unit, line and year (or period) columns or any filled row."""
    cols = match.columns
    data = _data_table(view, match.header_row)
    offset = match.header_row + 1
    column = {f: data.column(c) for f, c in cols.items() if c < data.num_columns}
    time_field = _time_field(column)  # a year column, or periods «202310»
    if not {"unit", "line", time_field} <= column.keys():
        raise NotThisLayout()
    unit_raw, year_raw, line_raw = column["unit"], column[time_field], column["line"]
    keep = pc.or_(pc.is_valid(unit_raw), pc.is_valid(line_raw))
    if not pc.any(keep).as_py():
        raise NotThisLayout()
    # Rows without unit and year are notes or total rows under the table (blank rows are ignored).
    row_index = pa.array(np.arange(data.num_rows, dtype=np.int64))
    mask = pc.and_(keep, pc.is_valid(year_raw))
    anything = keep
    for name in AMOUNT_KINDS:
        if name in column:
            anything = pc.or_(anything, pc.is_valid(column[name]))
    dropped = pc.sum(pc.and_(anything, pc.invert(mask)).cast(pa.int64())).as_py() or 0
    _refuse_marked_cells(view, set(cols.values()), offset, mask)
    if pc.sum(mask.cast(pa.int64())).as_py() < data.num_rows:
        data, row_index = data.filter(mask), row_index.filter(mask)
    return _Rows(view, cols, data, row_index, offset), dropped


def _years(rows: _Rows) -> tuple[pa.Array, pa.Array | None]:
    """Each row's year (int16), from the year column or the periods; and the months the periods
    give (None without periods, or when a month column beside a year column says the month)."""
    view, cols, column = rows.view, rows.cols, rows.column
    time_field = _time_field(column)
    period_months = None
    if "period" in column and ("month" not in column or time_field == "period"):
        period_years, period_months = periods.years_and_months(
            view, column["period"], rows.ref, cols["period"]
        )
    if time_field == "year":
        years = _numbers(view, column["year"], rows.ref, cols["year"], "et årstall")
        if period_months is not None:
            _same_years(view, years, period_years, rows.ref, cols["period"])
    else:
        years = period_years
    _check_years(rows, years, time_field)
    return pc.cast(years, pa.int16()), period_months


def _check_years(rows: _Rows, years: pa.Array | pa.ChunkedArray, time_field: str) -> None:
    """Every row needs a whole year 1900–2100; the error names the year or the period cell."""
    bad = pc.or_kleene(
        pc.not_equal(years, pc.round(years)), pc.or_(pc.less(years, 1900), pc.greater(years, 2100))
    )
    bad = pc.fill_null(pc.or_kleene(bad, pc.is_null(years)), True)
    if not pc.any(bad).as_py():
        return
    view, cols, column = rows.view, rows.cols, rows.column
    i = pc.index(bad, True).as_py()
    if time_field == "period":
        raise view.error(
            rows.ref(i),
            cols["period"],
            f"perioden «{column['period'][i].as_py()}» sier ikke hvilket år; "
            f"skriv {periods.EXPECTED} eller legg til en kolonne «År».",
        )
    raise view.error(
        rows.ref(i), cols["year"], f"forventet et årstall, fant «{column['year'][i].as_py()}»."
    )


def _unit_codes(rows: _Rows) -> tuple[pa.Array, list[str]]:
    """Each row's unit code (resolved from «MH», «MH-INB» or a unit's name), and the distinct
    codes, sorted."""
    unit_strings = _as_text(rows.column["unit"])
    mapping: dict[str, str] = {}
    for value in pc.unique(unit_strings).to_pylist():
        code = units.resolve(value) if value else None
        if code is None:
            i = (
                pc.index(unit_strings, value).as_py()
                if value
                else pc.index(pc.is_null(unit_strings), True).as_py()
            )
            raise rows.view.error(
                rows.ref(i),
                rows.cols["unit"],
                f"forventet en enhet (som «MH» eller «MH-INB»), fant «{value}».",
            )
        mapping[value] = code
    keys = pa.array(list(mapping), pa.string())
    unit_codes = pc.take(
        pa.array(list(mapping.values()), pa.string()), pc.index_in(unit_strings, keys)
    )
    return unit_codes, sorted(mapping.values())


def _lines(rows: _Rows) -> pa.ChunkedArray:
    """Each row's line or account, as text; none may be missing."""
    lines = _as_text(rows.column["line"])
    if pc.any(pc.is_null(lines)).as_py():
        i = pc.index(pc.is_null(lines), True).as_py()
        raise rows.view.error(rows.ref(i), rows.cols["line"], "linjen/kontoen mangler.")
    return lines


def _row_months(rows: _Rows, period_months: pa.Array | None) -> pa.Array:
    """Each row's month (int8): from a month column, else from the periods, else null (a year)."""
    if "month" in rows.column:
        return _months(rows.view, rows.column["month"], rows.ref, rows.cols["month"])
    if period_months is not None:
        return period_months
    return pa.nulls(rows.data.num_rows, pa.int8())


def _titles(view: SheetView, header_row: int) -> list[str]:
    """Title texts above a header near the top of the sheet (none for a header further down)."""
    return view.texts_above(header_row) if header_row < 20 else []


def _version_label(view: SheetView, header_row: int, ctx: FileContext) -> str:
    """The version of a ledger without a version column: the override, or the first month named in
    the titles, workbook texts, sheet names or file name («prognose oktober 2023»)."""
    titles = _titles(view, header_row)
    label = ctx.overrides.label
    if not label:
        for text in [*titles, *ctx.workbook_texts, *ctx.sheet_names, ctx.stem]:
            found = find_month(text)
            if found:
                label = f"prognose {MONTHS[found[1] - 1]} {found[0]}"
                break
    if not label:
        raise MissingContext(
            "Fant ikke hvilken prognoseversjon hovedbokseksporten er. Oppgi den i feltet "
            "«Versjon» ved opplasting.",
            file=ctx.file,
            cli="--label «prognose oktober 2023»",
        )
    return label


def _labels(rows: _Rows, match: HeaderMatch, ctx: FileContext) -> pa.Array | pa.ChunkedArray:
    """Each row's version label: from a version column (blanks take the override), else one label
    for the whole sheet; none may be empty."""
    if "label" in rows.column:
        labels = pc.fill_null(_as_text(rows.column["label"]), ctx.overrides.label or "")
    else:
        label = _version_label(rows.view, match.header_row, ctx)
        labels = pa.repeat(pa.scalar(label, pa.string()), rows.data.num_rows)
    if pc.any(pc.equal(labels, "")).as_py():
        i = pc.index(labels, "").as_py()
        raise rows.view.error(rows.ref(i), rows.cols["label"], "versjonen mangler.")
    return labels


def _refuse_duplicates(rows: _Rows, keys: dict[str, pa.Array | pa.ChunkedArray]) -> None:
    """The same unit, year, month, line and version twice is an error naming both rows."""
    dup = _first_duplicate([keys[k] for k in ("unit", "year", "month", "line", "label")])
    if dup is None:
        return
    view, offset = rows.view, rows.offset
    first, again = int(rows.row_index[dup[0]].as_py()), int(rows.row_index[dup[1]].as_py())
    raise view.error(
        offset + again,
        rows.cols["line"],
        f"raden gjentar {keys['unit'][dup[1]].as_py()} {keys['year'][dup[1]].as_py()} "
        f"«{keys['line'][dup[1]].as_py()}» (også i rad {view.sheet.row0 + offset + first + 1}).",
    )


def _as_of(labels: pa.Array | pa.ChunkedArray, distinct_labels: list[str]) -> pa.Array:
    """Each row's as-of date: the first of the month its version names (null when none)."""
    as_of_by_label = {
        lab: (first_of_month(*find_month(lab)) if find_month(lab) else None)
        for lab in distinct_labels
    }
    return pc.take(
        pa.array([as_of_by_label[lab] for lab in distinct_labels], pa.date32()),
        pc.index_in(labels, pa.array(distinct_labels, pa.string())),
    )


def _amount_factor(view: SheetView, match: HeaderMatch) -> tuple[float, str | None]:
    """The factor to 1000 kr the titles and amount headers give, and a note when it is not 1."""
    cols = match.columns
    header = view.sheet.rows[match.header_row] if match.header_row < len(view.sheet.rows) else []
    return amount_scale(
        [
            *_titles(view, match.header_row),
            *(str(header[cols[k]]) for k in AMOUNT_KINDS if k in cols and cols[k] < len(header)),
        ]
    )


def _figures(
    rows: _Rows, match: HeaderMatch, keys: dict[str, pa.Array | pa.ChunkedArray]
) -> tuple[pa.Table, str | None]:
    """The budget_figures rows: one part per amount column (budget, prognosis, actual) in
    1000 kr, empty amounts left out; and the note on converted amounts, if any."""
    factor, note = _amount_factor(rows.view, match)
    n = rows.data.num_rows
    parts = []
    for kind in AMOUNT_KINDS:
        if kind not in rows.column:
            continue
        amounts = _numbers(
            rows.view, rows.column[kind], rows.ref, rows.cols[kind], "et beløp i 1000 kr"
        )
        if factor != 1.0:  # kroner or millions, as the title or header says: stored in 1000 kr
            amounts = pc.multiply(amounts, factor)
        part = pa.table(
            {
                "unit": keys["unit"],
                "year": keys["year"],
                "line": keys["line"],
                "line_order": pa.nulls(n, pa.int32()),
                "line_group": pa.nulls(n, pa.string()),
                "kind": pa.repeat(pa.scalar(kind, pa.string()), n),
                "label": keys["label"],
                "as_of": keys["as_of"],
                "month": keys["month"],
                "amount_knok": amounts,
            }
        )
        if part.column("amount_knok").null_count:
            part = part.filter(pc.is_valid(part.column("amount_knok")))
        parts.append(part)
    return pa.concat_tables(parts), note


def parse_ledger(view: SheetView, match: HeaderMatch, ctx: FileContext) -> Parsed:
    """A ledger export: unit, year (or period), month, line, version and amounts per row, checked
    column-wise and stored as one Arrow table of budget figures."""
    rows, dropped = _keep_rows(view, match)
    years, period_months = _years(rows)
    unit_codes, units_found = _unit_codes(rows)
    keys = {"unit": unit_codes, "year": years, "line": _lines(rows)}
    keys["month"] = _row_months(rows, period_months)
    keys["label"] = labels = _labels(rows, match, ctx)
    _refuse_duplicates(rows, keys)
    distinct_labels = pc.unique(labels).to_pylist()
    keys["as_of"] = _as_of(labels, distinct_labels)
    figures, note = _figures(rows, match, keys)
    out = Parsed(
        str(Layout.LEDGER),
        [view.name],
        units_found[0] if len(units_found) == 1 else ",".join(units_found[:3]),
        int(pc.min(years).as_py()),
        ", ".join(distinct_labels[:3]),
    )
    out.arrow_tables["budget_figures"] = figures
    out.rows = rows.data.num_rows
    if note:
        out.warnings.append(f"{view.name}: {note}")
    if dropped:
        out.warnings.append(
            f"{view.name}: {dropped} rader uten enhet og år (summer eller notater) ble hoppet over."
        )
    return out
