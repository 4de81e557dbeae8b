"""Copies of a workbook changed the way real files differ from the examples."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter


def as_text(value: object) -> object:
    """A number as finance staff type it: «45 785-», «1 252 736», «12,5»."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if float(value).is_integer():
        body = f"{abs(int(value)):,}".replace(",", "\u00a0")
    else:
        body = f"{abs(value):,.2f}".replace(",", "\u00a0").replace(".", ",")
    return body + "-" if value < 0 else body


def mutate(source: Path, target: Path, kind: str) -> Path:
    """Write a copy of `source` with one kind of change, or «all» of them (cell values only,
    merges kept)."""
    kinds = {"rows", "cols", "text", "helper", "note", "rename"} if kind == "all" else {kind}
    src = load_workbook(source)
    out = Workbook()
    out.remove(out.active)
    if "helper" in kinds:
        helper = out.create_sheet("Hjelp")
        helper.append(["Oppslag", "Verdi", 1, 2, 3])
        helper.sheet_state = "hidden"
    dr, dc = (2 if "rows" in kinds else 0), (1 if "cols" in kinds else 0)
    for number, ws in enumerate(src.worksheets, start=1):
        new = out.create_sheet(f"Ark{number}" if "rename" in kinds else ws.title)
        new.sheet_state = ws.sheet_state
        last = 0
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if value is None:
                    continue
                last = max(last, cell.row)
                if "text" in kinds and not isinstance(value, dt.datetime | dt.date):
                    value = as_text(value)
                new.cell(row=cell.row + dr, column=cell.column + dc, value=value)
        for merged in ws.merged_cells.ranges:
            new.merge_cells(
                f"{get_column_letter(merged.min_col + dc)}{merged.min_row + dr}:"
                f"{get_column_letter(merged.max_col + dc)}{merged.max_row + dr}"
            )
        if "note" in kinds:
            new.cell(row=last + 3, column=1, value="Merknad: tallene er foreløpige.")
    out.save(target)
    return target
