"""The income mix: each unit's share of income by kind in the newest year, and its change from
the year before."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from dashboard.model.economy.common import short_unit
from dashboard.numbers import fmt_num, fmt_pct
from dashboard.vocab import INCOME_KINDS

KIND_ORDER = tuple(INCOME_KINDS.values())
SORT_KIND = "BOA"  # the kind the departments are sorted by (external funding), when given


@dataclass
class IncomeFigures:
    """`rows`: economy_income rows (every stored year)."""

    unit: str
    rows: pd.DataFrame

    @cached_property
    def year(self) -> int:
        """The newest year with income shares."""
        return int(self.rows["year"].max())

    @cached_property
    def previous_year(self) -> int | None:
        """The stored year before the newest (None: only one year)."""
        years = sorted(int(y) for y in self.rows["year"].unique() if int(y) < self.year)
        return years[-1] if years else None

    def _shares(self, year: int) -> pd.DataFrame:
        rows = self.rows[self.rows["year"] == year]
        piv = rows.pivot_table(index="unit", columns="kind", values="share_pct", aggfunc="sum")
        return piv.reindex(columns=[k for k in KIND_ORDER if k in piv.columns]).fillna(0.0)

    @cached_property
    def kinds(self) -> list[str]:
        """The kinds of income in the newest year, in the vocabulary's order (Basis … Annet)."""
        return list(self._shares(self.year).columns)

    @cached_property
    def sort_kind(self) -> str:
        """The kind the departments are sorted by: BOA when given, else the first kind."""
        return SORT_KIND if SORT_KIND in self.kinds else self.kinds[0]

    @cached_property
    def mix(self) -> pd.DataFrame:
        """The newest year's shares (%) per unit: unit, label, one column per kind; the
        departments sorted by the sort kind (largest first), administration and sum last."""
        piv = self._shares(self.year)
        out = piv.reset_index()
        out.insert(1, "label", [short_unit(u, self.unit) for u in out["unit"]])
        out["rank"] = [2 if u == self.unit else 1 if u.endswith("-ADM") else 0 for u in out["unit"]]
        out = out.sort_values(["rank", self.sort_kind], ascending=[True, False], kind="stable")
        return out.drop(columns="rank").reset_index(drop=True)

    @cached_property
    def departments(self) -> pd.DataFrame:
        """The mix's department rows (without the administration and the unit's sum)."""
        m = self.mix
        return m[(m["unit"] != self.unit) & ~m["unit"].str.endswith("-ADM")]

    @cached_property
    def change(self) -> pd.DataFrame:
        """Share now − share last year (percentage points) per unit and kind (long), the
        largest change first; empty without an earlier year."""
        if self.previous_year is None:
            return pd.DataFrame(columns=["unit", "label", "kind", "before", "now", "change"])
        now = self._shares(self.year).stack().rename("now")
        before = self._shares(self.previous_year).stack().rename("before")
        out = pd.concat([before, now], axis=1, join="inner").reset_index()
        out.columns = ["unit", "kind", "before", "now"]
        out["change"] = out["now"] - out["before"]
        out.insert(1, "label", [short_unit(u, self.unit) for u in out["unit"]])
        order = out["change"].abs().sort_values(ascending=False, kind="stable").index
        return out.loc[order].reset_index(drop=True)

    @cached_property
    def subtitle(self) -> str:
        """The line under the income chart (page and slide)."""
        return (
            f"Andel av inntektene {self.year} per enhet, sortert etter {self.sort_kind} "
            "(BOA = bidrags- og oppdragsfinansiert aktivitet)"
        )

    @cached_property
    def change_heading(self) -> str | None:
        """«Endring fra 2023: …» over the change in shares (None: no earlier year)."""
        return (
            None
            if self.change_title is None
            else (f"Endring fra {self.previous_year}: {self.change_title}")
        )

    @cached_property
    def title(self) -> str:
        """The income chart's title: «ISB henter 41 % av inntektene fra BOA, mest av
        instituttene» (without departments: the unit and the year)."""
        d = self.departments
        if d.empty:
            return f"Inntektene til {self.unit} fordelt på type, {self.year}"
        top = d.iloc[0]
        return (
            f"{top['label']} henter {fmt_pct(top[self.sort_kind], 0, is_fraction=False)} av "
            f"inntektene fra {self.sort_kind}, mest av instituttene"
        )

    @cached_property
    def change_export_title(self) -> str:
        """«Inntektsandeler 2022 og 2023»: the title of the change in shares as Excel."""
        return f"Inntektsandeler {self.previous_year} og {self.year}"

    @cached_property
    def change_title(self) -> str | None:
        """«BOA-andelen ved ISB økte mest fra 2022 til 2023: 3,5 prosentpoeng» (None: nothing
        to compare)."""
        if self.change.empty:
            return None
        c = self.change.iloc[0]
        verb = "økte" if c["change"] > 0 else "falt"
        return (
            f"{c['kind']}-andelen ved {c['label']} {verb} mest fra {self.previous_year} til "
            f"{self.year}: {fmt_num(abs(c['change']))} prosentpoeng"
        )
