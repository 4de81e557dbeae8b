"""Result targets and indicators of a pinned view, with the derived indicators (lønnsandel,
primærsøkere per studieplass) and their status — the one count every surface shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from dashboard import vocab
from dashboard.model import analysis
from dashboard.model.budget import BudgetFigures
from dashboard.model.indicators import evaluate
from dashboard.model.pin import Pin, Query

SERIES_COLUMNS = [
    "unit",
    "indicator",
    "year",
    "value",
    "source",
    "area",
    "measure_unit",
    "kind",
    "target",
    "baseline_year",
    "target_year",
]

GRID_SIZE = 12  # indicators drawn as small multiples on Indikatorer and in the deck


@dataclass
class TargetFigures:
    """Every indicator of the unit, typed and derived: one row per indicator in `table`."""

    table: pd.DataFrame
    sources: list[str] = field(default_factory=list)
    salary_share: dict[str, float] = field(default_factory=dict)
    salary_version: str | None = None
    derived_names: list[str] = field(default_factory=list)
    _rows: dict[str, pd.Series] = field(default_factory=dict, repr=False)

    @cached_property
    def judged(self) -> pd.DataFrame:
        """The indicators that have a status against a target."""
        return self.table[self.table["status"].isin(vocab.JUDGED)]

    @cached_property
    def good(self) -> int:
        """How many of them are reached or on track."""
        return int(self.judged["status"].isin(vocab.GOOD).sum())

    @cached_property
    def behind(self) -> pd.DataFrame:
        """The indicators behind their target."""
        return self.table[self.table["status"].isin(vocab.BAD)]

    @cached_property
    def with_values(self) -> pd.DataFrame:
        """The indicators with values."""
        return self.table[self.table["points"].map(len) > 0]

    @cached_property
    def without_values(self) -> pd.DataFrame:
        """The indicators without values."""
        return self.table[self.table["points"].map(len) == 0]

    @cached_property
    def count_text(self) -> str:
        """«5 av 10»: targets reached or on track of those with a target and values."""
        return f"{self.good} av {len(self.judged)}"

    @cached_property
    def headline(self) -> str:
        """The indicators' headline: targets reached, else how many have values."""
        if len(self.judged):
            return f"{self.count_text} resultatmål med tall er nådd eller i rute"
        n = len(self.with_values)
        return f"{n} {'indikator' if n == 1 else 'indikatorer'} med tall"

    @cached_property
    def ordered(self) -> pd.DataFrame:
        """Indicators with values, worst status first (the small multiples' order)."""
        rows = self.with_values
        return (
            rows.assign(o=rows["status"].map(vocab.TARGET_STATUS_ORDER))
            .sort_values(["o", "indicator"])
            .drop(columns="o")
        )

    @cached_property
    def shown(self) -> pd.DataFrame:
        """The small multiples: the first twelve of `ordered`."""
        return self.ordered.head(GRID_SIZE)

    def row(self, indicator: str) -> pd.Series:
        """One indicator of `ordered` (the same object each time: figures are keyed on it)."""
        if indicator not in self._rows:
            self._rows[indicator] = self.ordered[self.ordered["indicator"] == indicator].iloc[0]
        return self._rows[indicator]

    @cached_property
    def crossed(self) -> pd.DataFrame:
        """Indicators whose newest value crossed the target (reached it, or fell below it)."""
        rows = []
        for _, row in self.table.iterrows():
            pts = row["points"]
            if len(pts) < 2 or row["status"] not in vocab.JUDGED:
                continue
            before = evaluate(
                pts[:-1], row["kind"], row["target"], row["baseline_year"], row["target_year"]
            ).status
            now_reached = row["status"] == vocab.TargetStatus.REACHED
            if now_reached != (before == vocab.TargetStatus.REACHED):
                rows.append(
                    {
                        "indicator": row["indicator"],
                        "year": pts[-1][0],
                        "change": "nådde målet" if now_reached else "falt under målet",
                    }
                )
        return pd.DataFrame(rows, columns=["indicator", "year", "change"])


def target_figures(q: Query, pin: Pin, budget: BudgetFigures | None) -> TargetFigures | None:
    """The unit's indicators with their targets, the derived ones included (lønnsandel from the
    pinned prognosis version). None when the unit has neither."""
    series = q("indicator_series", unit=pin.unit, event=pin.event)
    budgets = {}
    if budget is not None and not budget.rolled_up:
        budgets[pin.unit] = budget.lines.assign(year=budget.year)
    derived = analysis.derived_indicators(series, budgets)
    if series.empty and derived.empty:
        return None
    if series.empty:
        series = pd.DataFrame(columns=SERIES_COLUMNS)
    combined = analysis.with_derived(series, derived)
    share = analysis.salary_share(budgets[pin.unit]) if budgets else {}
    return TargetFigures(
        table=analysis.indicator_table(combined),
        sources=sorted(set(combined["source"].dropna())),
        salary_share=share,
        salary_version=budget.label if share and budget is not None else None,
        derived_names=sorted(set(derived["indicator"])),
    )
