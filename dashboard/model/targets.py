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
from dashboard.numbers import describe_number, fmt_pct

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

    def is_growth(self, indicator: str) -> bool:
        """Whether the indicator's target is growth from a baseline year."""
        row = self.row(indicator)
        return row["kind"] == vocab.TargetKind.GROWTH and pd.notna(row["baseline_year"])

    def points(self, indicator: str) -> pd.DataFrame:
        """One indicator's values per year (year, value) and, for a growth target, the growth
        from the baseline year as a fraction (growth)."""
        row = self.row(indicator)
        pts = pd.DataFrame(row["points"], columns=["year", "value"])
        if self.is_growth(indicator):
            change = dict(analysis.growth_vs_baseline(row["points"], int(row["baseline_year"])))
            pts["growth"] = pts["year"].map(lambda y: change[y] / 100 if y in change else None)
        return pts

    def detail_title(self, indicator: str) -> str:
        """«Indikator: 85,2 % i 2024 — i rute (mål 90 % innen 2027)»: the detail chart's title."""
        row = self.row(indicator)
        latest = describe_number(row["latest_value"], row["measure_unit"])
        year = "–" if pd.isna(row["latest_year"]) else int(row["latest_year"])
        if row["status"] not in vocab.JUDGED:
            return f"{indicator}: {latest} i {year}"
        goal = describe_number(row["goal"], row["measure_unit"])
        target_year = "–" if pd.isna(row["target_year"]) else int(row["target_year"])
        return f"{indicator}: {latest} i {year} — {row['status']} (mål {goal} innen {target_year})"

    def detail_subtitle(self, indicator: str, unit: str) -> str:
        """The line under the detail chart: the unit, and the baseline year of a growth target."""
        row = self.row(indicator)
        growth = self.is_growth(indicator)
        base = f"Vekstmål regnes fra basisåret {int(row['baseline_year'])}" if growth else ""
        return f"Enhet: {unit}. {base}"

    @cached_property
    def grid_subtitle(self) -> str:
        """The line under the small multiples (how many of them are shown)."""
        n, of = len(self.shown), len(self.ordered)
        return (
            "Heltrukket: faktisk · stiplet: målet · prikket: rett linje fra basisår til målår"
            + (f" · viser {n} av {of}" if of > n else "")
        )

    @cached_property
    def salary_text(self) -> str | None:
        """How the derived salary share was computed, with its figures (None: not derived)."""
        if not self.salary_share:
            return None
        share = self.salary_share
        return (
            "Lønnsandel er beregnet, ikke skrevet inn: lønn som andel av totale kostnader "
            f"(linjen «Kostnad», dvs. hele BFV-budsjettet) i {self.salary_version}: budsjett "
            f"{fmt_pct(share.get('budget'))}, prognose {fmt_pct(share.get('prognosis'))}."
        )

    @cached_property
    def has_applicants_ratio(self) -> bool:
        """Whether «primærsøkere per studieplass» is among the derived indicators."""
        return any("primærsøkere" in n.lower() for n in self.derived_names)

    @cached_property
    def sources_text(self) -> str:
        """The first three sources of the values (« …» when there are more)."""
        return "; ".join(self.sources[:3]) + (" …" if len(self.sources) > 3 else "")

    @cached_property
    def behind_title(self) -> str:
        """«2 av 9 resultatmål er bak eller ikke nådd»: the deck's slide of targets."""
        return f"{len(self.behind)} av {len(self.judged)} resultatmål er bak eller ikke nådd"

    @cached_property
    def behind_subtitle(self) -> str:
        """The line under it."""
        return f"{self.count_text} er nådd eller i rute · resultatmål med mål og verdier"

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
