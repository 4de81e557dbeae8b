"""Every example workbook, changed the way real files differ, still yields the same data:
title space above the table, a blank column before it, numbers typed as Norwegian text,
a hidden helper sheet, a note under the table, other sheet names; and read by the bulk path
(fastexcel to Arrow) that big sheets take."""

from __future__ import annotations

import dataclasses

import pytest

from dashboard.ingest.pipeline import parse_file
from tests.conftest import EXAMPLES
from tests.helpers.mutate import mutate

FILES = sorted(EXAMPLES.glob("*.xlsx"))
IGNORED = {"source_cell", "import_id"}  # cell references move with the table


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
