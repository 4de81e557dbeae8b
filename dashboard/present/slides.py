"""What a slide is, and the projector's scale: the module every part of the board deck builds on
(deck.py puts the slides together, economy_deck.py adds the economy's)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

SCALE = 1.55  # chart type scale for the projector
MAX_ROWS = 6  # table rows that fit a 1280×720 slide at 24 px (one line each)


def short(value: object, limit: int = 52) -> object:
    """Shorten long text for a slide table (the full text is on the dashboard pages)."""
    if isinstance(value, str) and len(value) > limit:
        return value[: limit - 1].rstrip() + "…"
    return value


@dataclass
class Slide:
    """One slide: its message as the title, a line under it, and a chart, table, bullets or
    big numbers."""

    title: str
    subtitle: str = ""
    figure: Any = None
    table: pd.DataFrame | None = None
    bullets: list[str] = field(default_factory=list)
    big: list[tuple[str, str]] = field(default_factory=list)  # (number, label): the overview
    page: str = "Måloppnåelse"  # the page that shows the whole table

    def more_text(self, shown: int) -> str | None:
        """«… og 4 til (se siden «Budsjett»).» under a table cut to `shown` rows (None: all
        rows shown)."""
        if self.table is None or len(self.table) <= shown:
            return None
        return f"… og {len(self.table) - shown} til (se siden «{self.page}»)."
