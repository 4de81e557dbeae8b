"""Find a sheet's header row and the table shapes it fits.

The header row may be anywhere in the first 20 rows, with titles above and notes below, and may
span two rows (a group heading above the column names). Each cell is matched to the fields its
words may mean (`synonyms`), and each shape (`shapes.LAYOUTS`) is given the columns that match
its fields best.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from dashboard.ingest.shapes import LAYOUTS, TableShape
from dashboard.ingest.synonyms import begins_a_synonym, header_candidates
from dashboard.numbers import is_blank, parse_year

HEADER_SCAN_ROWS = 20
# Header names are looked for in the first 1 024 columns (real tables have far fewer), so a
# sheet 16 384 columns wide costs no more to examine than one of 1 024.
MAX_HEADER_COLUMNS = 1024


@dataclass
class HeaderMatch:
    """Where a layout's header row is and which column holds which field."""

    layout: TableShape
    header_row: int  # index into the sheet's rows
    columns: dict[str, int]
    year_columns: dict[int, int] = field(default_factory=dict)  # column -> year
    extra_columns: dict[int, str] = field(default_factory=dict)  # other named columns
    score: int = 0


Candidates = list[tuple[int, dict[str, int]]]


_FIRST_WORD = re.compile(r"(?:[^\W_]|%)+")
_YEARISH = re.compile(r"(?:1\s?9|2\s?0)\s?\d\s?\d")  # «2024», also «2 024» typed as text


def row_candidates(row: list[Any]) -> Candidates:
    """Each text cell of a row (the first MAX_HEADER_COLUMNS) with the fields it may mean.
    A cell whose first word begins no synonym is passed over without normalising it all."""
    out = []
    for col, cell in enumerate(row[:MAX_HEADER_COLUMNS]):
        if is_blank(cell) or (isinstance(cell, int | float) and not isinstance(cell, bool)):
            continue
        first = _FIRST_WORD.search(unicodedata.normalize("NFC", str(cell)).lower())
        if first is None or not begins_a_synonym(first.group()):
            continue
        found = header_candidates(cell)
        if found:
            out.append((col, found))
    return out


def _assign(cands: Candidates, wanted: list[str]) -> dict[str, int]:
    """Give each wanted field the column that matches it best (each column used once).

    On a tie the field listed first wins (required fields come first), so «Mål» is the goal text
    in a strategy table, the target in a table of result targets and the goal number elsewhere.
    `cands` are a row's row_candidates.
    """
    options: list[tuple[int, int, int, str]] = []
    for col, found in cands:
        for fld, strength in found.items():
            if fld in wanted:
                options.append((strength, wanted.index(fld), col, fld))
    options.sort(key=lambda o: (-o[0], o[1], o[2]))
    columns: dict[str, int] = {}
    used: set[int] = set()
    for _strength, _priority, col, fld in options:
        if fld in columns or col in used:
            continue
        columns[fld] = col
        used.add(col)
    return columns


_PLAN_YEAR = re.compile(
    r"(?i)^\s*(?:(?:plan|ltb|langtidsplan|langtidsbudsjett|budsjett|ramme|år)\s+)?"
    r"((?:19|20)\d{2})(?:\s*\((?:plan|ltb|budsjett|ramme)\))?\s*$"
)


def year_columns(row: list[Any]) -> dict[int, int]:
    """Columns whose header is a year: 2024, '2024', 2024.0, 'Plan 2025', '2025 (plan)'."""
    years = {}
    for col, cell in enumerate(row[:MAX_HEADER_COLUMNS]):
        if isinstance(cell, str) and not _YEARISH.search(cell):
            continue  # no year in it: skip the number parser
        year = parse_year(cell)
        if year is None and isinstance(cell, str):
            match = _PLAN_YEAR.match(cell)
            year = int(match.group(1)) if match else None
        if year is not None:
            years[col] = year
    return years


def match_layouts(rows: list[list[Any]]) -> list[HeaderMatch]:
    """All (layout, header row) pairs that fit the first rows of a sheet, best first. A header
    may span two rows (a group heading above the column names); that reading is kept only when
    it recognises more columns than either row alone."""
    matches: list[HeaderMatch] = []
    rows = [row[:MAX_HEADER_COLUMNS] for row in rows[:HEADER_SCAN_ROWS]]
    for index, row in enumerate(rows):
        if all(is_blank(c) for c in row):
            continue
        matches.extend(_matches_for(row, index, year_columns(row)))
    best = {(m.layout.name, m.header_row): len(m.columns) for m in matches}
    for index in range(min(len(rows), HEADER_SCAN_ROWS) - 1):
        combined = _two_row_header(rows[index], rows[index + 1])
        if combined is None:
            continue
        lower = rows[index + 1]
        for m in _matches_for(combined, index + 1, year_columns(lower), lower):
            alone = max(
                best.get((m.layout.name, index), 0), best.get((m.layout.name, index + 1), 0)
            )
            if len(m.columns) > alone:
                matches.append(m)
    matches.sort(key=lambda m: (-m.score, m.header_row, LAYOUTS.index(m.layout)))
    return matches


def _two_row_header(upper: list[Any], lower: list[Any]) -> list[Any] | None:
    """Column names of a two-row header («Status» above «0–5»), or None when the two rows do not
    look like one: both need two or more text cells and no numbers other than years below."""
    texts_up = [c for c in upper if isinstance(c, str) and c.strip()]
    texts_low = [c for c in lower if isinstance(c, str) and c.strip()]
    if len(texts_up) < 2 or len(texts_low) < 2:
        return None
    if any(isinstance(c, int | float) for c in upper):
        return None
    if any(isinstance(c, int | float) and parse_year(c) is None for c in lower):
        return None
    width = min(max(len(upper), len(lower)), MAX_HEADER_COLUMNS)
    out: list[Any] = []
    for c in range(width):
        parts = [r[c] for r in (upper, lower) if c < len(r) and not is_blank(r[c])]
        out.append(" ".join(str(p).strip() for p in parts) if parts else None)
    return out


def _matches_for(
    row: list[Any], index: int, years: dict[int, int], lower: list[Any] | None = None
) -> list[HeaderMatch]:
    """The layouts a header row fits. For a two-row header, `lower` is its lower row: a column
    whose two cells together mean nothing («Ressurser» above «Tildelt») is read by its own
    name below."""
    found = []
    cands = row_candidates(row)
    if lower is not None:
        known = {col for col, _ in cands}
        cands = sorted(cands + [c for c in row_candidates(lower) if c[0] not in known])
    if not cands:
        return found
    for layout in LAYOUTS:
        groups = [f for group in layout.one_of for f in group]
        wanted = list(dict.fromkeys([*layout.required, *groups, *layout.optional]))
        columns = _assign(cands, wanted)
        if not all(f in columns for f in layout.required):
            continue
        if not all(any(f in columns for f in group) for group in layout.one_of):
            continue
        if len(years) < layout.min_year_columns:
            continue
        yc = {c: y for c, y in years.items() if c not in columns.values()}
        extra = {
            c: str(v).strip()
            for c, v in enumerate(row[:MAX_HEADER_COLUMNS])
            if c not in columns.values() and c not in yc and not is_blank(v)
        }
        score = (
            10 * len(columns)
            + len(layout.required)
            + (3 * len(yc) if layout.min_year_columns else 0)
        )
        found.append(HeaderMatch(layout, index, columns, yc, extra, score))
    return found
