"""The sheet data passed from the parsing child to the server (kept free of heavy imports)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FORMULA_NO_VALUE = "\x00formel-uten-verdi"


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

    @property
    def n_rows(self) -> int:
        return len(self.rows) + (self.arrow.num_rows if self.arrow is not None else 0)

    def head(self, n: int = 25) -> list[list[Any]]:
        """The first n rows as Python values (for layout detection)."""
        if self.arrow is None or len(self.rows) >= n:
            return self.rows[:n]
        extra = self.arrow.slice(0, n - len(self.rows)).to_pylist()
        return self.rows + [list(r.values()) for r in extra]

    def all_rows(self) -> list[list[Any]]:
        if self.arrow is None:
            return self.rows
        return self.rows + [list(r.values()) for r in self.arrow.to_pylist()]
