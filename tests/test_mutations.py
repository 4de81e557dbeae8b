"""Every example workbook, changed the way real files differ, still yields the same data:
title space above the table, a blank column before it, numbers typed as Norwegian text,
a hidden helper sheet, a note under the table, other sheet names; and read by the bulk path
(fastexcel to Arrow) that big sheets take."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from dashboard.ingest.pipeline import parse_file
from tests.conftest import EXAMPLES

FILES = sorted(EXAMPLES.glob("*.xlsx"))
IGNORED = {"source_cell", "import_id"}  # cell references move with the table


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


def content(result) -> dict[str, list[tuple]]:
    """What an import stores, without cell references."""
    tables = {
        name: sorted(
            tuple((k, str(v)) for k, v in sorted(record.items()) if k not in IGNORED)
            for record in records
        )
        for name, records in result.parsed.tables.items()
    }
    return tables | {"_": [(result.parsed.unit, result.parsed.year, result.parsed.label)]}


@pytest.mark.parametrize(
    "kind", ["rows", "cols", "text", "helper", "note", "rename", "all", "bulk"]
)
@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_example_changed_like_real_files_gives_the_same_data(path, kind, settings, tmp_path):
    original = parse_file(path, settings)
    if kind == "bulk":  # every sheet read the way sheets over the bulk size are
        changed = parse_file(path, dataclasses.replace(settings, bulk_sheet_bytes=1))
    else:
        changed = parse_file(mutate(path, tmp_path / path.name, kind), settings)
    assert content(changed) == content(original)
    assert len(changed.parsed.warnings) == len(original.parsed.warnings)
