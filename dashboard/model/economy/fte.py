"""Årsverk: the year's årsverk per period and category, and against the budget."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from dashboard.model.economy.common import period_label
from dashboard.numbers import fmt_num


@dataclass
class FteFigures:
    """`rows`: economy_fte rows of the unit (and the units below it)."""

    unit: str
    rows: pd.DataFrame

    @cached_property
    def actual(self) -> pd.DataFrame:
        """The actual (not budget) rows of the newest year that has any."""
        r = self.rows[~self.rows["is_budget"].astype(bool)]
        return r[r["year"] == r["year"].max()] if not r.empty else r

    @cached_property
    def year(self) -> int:
        """The year of the actual årsverk."""
        return int(self.actual["year"].max())

    @cached_property
    def series(self) -> pd.DataFrame:
        """Per period and category the årsverk (long), periods in order, with «Sum»."""
        a = self.actual.assign(month=self.actual["month"].astype("Float64"))
        by = a.groupby(["year", "month", "category"], dropna=False, sort=True)["fte"].sum()
        out = by.reset_index()
        total = out.groupby(["year", "month"], dropna=False, sort=True)["fte"].sum().reset_index()
        total["category"] = "Sum"
        out = pd.concat([out, total], ignore_index=True) if out["category"].nunique() > 1 else total
        out["period"] = [period_label(y, m) for y, m in zip(out["year"], out["month"], strict=True)]
        out["order"] = out["year"] * 100 + out["month"].fillna(0).astype(float)
        return out.sort_values(["order", "category"], kind="stable").reset_index(drop=True)

    @cached_property
    def totals(self) -> pd.DataFrame:
        """The series' «Sum» rows: årsverk in all per period."""
        s = self.series
        return s[s["category"] == "Sum"].reset_index(drop=True)

    @cached_property
    def first(self) -> float:
        """Årsverk in all in the first period."""
        return float(self.totals["fte"].iloc[0])

    @cached_property
    def latest(self) -> float:
        """Årsverk in all in the newest period."""
        return float(self.totals["fte"].iloc[-1])

    @cached_property
    def first_period(self) -> str:
        """The first period's label: «januar 2023» (or the year)."""
        return str(self.totals["period"].iloc[0])

    @cached_property
    def latest_period(self) -> str:
        """The newest period's label: «desember 2023» (or the year)."""
        return str(self.totals["period"].iloc[-1])

    @cached_property
    def change(self) -> float:
        """Årsverk in the newest period − in the first."""
        return self.latest - self.first

    @cached_property
    def budget(self) -> float | None:
        """The årsverk the budget assumes for the year (None: no budget row)."""
        b = self.rows[self.rows["is_budget"].astype(bool) & (self.rows["year"] == self.year)]
        return None if b.empty else float(b["fte"].sum())

    @cached_property
    def since_budget(self) -> float | None:
        """Årsverk in the newest period − the årsverk the budget assumed."""
        return None if self.budget is None else self.latest - self.budget

    @cached_property
    def subtitle(self) -> str:
        """The line under the årsverk chart (page and slide)."""
        budget = f" · budsjett {fmt_num(self.budget)}" if self.budget is not None else ""
        return f"Årsverk per periode og kategori{budget}"

    @cached_property
    def title(self) -> str:
        """The årsverk chart's title: «Årsverkene falt med 44,0 fra januar til desember 2023,
        … under budsjett» (one period: its årsverk)."""
        n = len(self.totals)
        first = self.first_period
        if first.endswith(f" {self.year}") and self.latest_period.endswith(f" {self.year}"):
            first = first[: -len(f" {self.year}")]  # «fra januar til desember 2023»
        moved = (
            f"Årsverkene {'falt' if self.change < 0 else 'økte'} med "
            f"{fmt_num(abs(self.change))} fra {first} til {self.latest_period}"
            if n > 1
            else f"{fmt_num(self.latest)} årsverk i {self.latest_period}"
        )
        if self.since_budget is None:
            return moved
        side = "under" if self.since_budget < 0 else "over"
        return f"{moved}, {fmt_num(abs(self.since_budget))} {side} budsjett"
