"""The sheet data passed from the parsing child to the server (kept free of heavy imports)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FORMULA_NO_VALUE = "\x00formel-uten-verdi"
EXCEL_ERROR = "\x00excel-feil:"  # followed by the cached error, e.g. «#DIV/0!»


def bad_cell_message(value: object) -> str | None:
    """Why a marked cell cannot be read (a formula without a cached value, an Excel error), or None."""
    if value == FORMULA_NO_VALUE:
        return (
            "cellen har en formel uten lagret verdi. Åpne fila i Excel, la den regne ut og lagre "
            "på nytt (Målbilde regner aldri ut formler)."
        )
    if isinstance(value, str) and value.startswith(EXCEL_ERROR):
        return (
            f"cellen inneholder Excel-feilen {value[len(EXCEL_ERROR) :]} (en formel som ikke kunne "
            "regnes ut). Rett formelen eller tøm cellen, og lagre på nytt."
        )
    return None


@dataclass
class SheetData:
    """One visible sheet: `rows` of typed values, and for bulk sheets an Arrow table holding the
    rows that follow `rows` (so row i of the sheet is rows[i], or arrow row i - len(rows))."""

    name: str
    row0: int = 0
    col0: int = 0
    rows: list[list[Any]] = field(default_factory=list)
    arrow: Any = None  # pyarrow.Table for bulk sheets
    refused: str | None = None
    # Cells that cannot be read (see bad_cell_message), by (row, column) relative to row0/col0;
    # in `rows` they are replaced by their marker too.
    marks: dict[tuple[int, int], str] = field(default_factory=dict)
    # Cells given the value of a merged cell above them (row, column as in `rows`): Excel shows
    # the value once, across the rows (an amount there belongs to the rows together)
    merge_copies: set[tuple[int, int]] = field(default_factory=set)

    @property
    def n_rows(self) -> int:
        """Rows in the sheet, the bulk (Arrow) part included."""
        return len(self.rows) + (self.arrow.num_rows if self.arrow is not None else 0)

    def head(self, n: int = 25, max_columns: int | None = None) -> list[list[Any]]:
        """The first n rows as Python values (for layout detection), at most `max_columns`
        wide when given."""
        rows = self.rows[:n]
        if max_columns is not None:
            rows = [row[:max_columns] for row in rows]
        if self.arrow is None or len(rows) >= n:
            return rows
        extra = self.arrow.slice(0, n - len(rows))
        if max_columns is not None and extra.num_columns > max_columns:
            extra = extra.select(list(range(max_columns)))
        return self._marked(rows + [list(r.values()) for r in extra.to_pylist()])

    def all_rows(self) -> list[list[Any]]:
        """Every row as Python values, unreadable cells marked."""
        if self.arrow is None:
            return self.rows
        return self._marked(self.rows + [list(r.values()) for r in self.arrow.to_pylist()])

    def _marked(self, rows: list[list[Any]]) -> list[list[Any]]:
        for (r, c), marker in self.marks.items():
            if r < len(rows) and c < len(rows[r]):
                rows[r][c] = marker
        return rows
