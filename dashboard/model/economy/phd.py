"""PhD degrees completed per unit below the unit, and the change from the year before."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from dashboard import units
from dashboard.model.economy.common import short_unit
from dashboard.numbers import fmt_int
from dashboard.vocab import PHD_INDICATOR


@dataclass
class PhdFigures:
    """`rows`: economy_phd rows of the unit and the units right below it, one per unit and
    year (our own «Avlagte doktorgrader» before another name of the same figure)."""

    unit: str
    rows: pd.DataFrame

    @cached_property
    def year(self) -> int:
        """The newest year with figures for the units below."""
        below = self.rows[self.rows["unit"] != self.unit]
        return int(below["year"].max())

    @cached_property
    def previous_year(self) -> int | None:
        """The stored year before the newest (None: only one year)."""
        years = sorted(int(y) for y in self.rows["year"].unique() if int(y) < self.year)
        return years[-1] if years else None

    def _counts(self, year: int | None) -> pd.Series:
        r = self.rows[(self.rows["year"] == year) & (self.rows["unit"] != self.unit)]
        return r.set_index("unit")["value"]

    @cached_property
    def departments(self) -> pd.DataFrame:
        """Per unit below: label, degrees in the year, the year before and the change; the
        most degrees first."""
        now, before = self._counts(self.year), self._counts(self.previous_year)
        out = pd.DataFrame({"unit": now.index, "count": now.to_numpy(dtype=float)})
        out.insert(1, "label", [short_unit(u, self.unit) for u in out["unit"]])
        out["before"] = [float(before[u]) if u in before.index else None for u in out["unit"]]
        out["change"] = out["count"] - out["before"].astype(float)
        out = out.sort_values(["count", "label"], ascending=[False, True], kind="stable")
        return out.reset_index(drop=True)

    @cached_property
    def total(self) -> float:
        """The unit's own figure for the year when stored (a «Sum» row), else the sum below."""
        own = self.rows[(self.rows["unit"] == self.unit) & (self.rows["year"] == self.year)]
        return (
            float(own["value"].iloc[0]) if not own.empty else float(self.departments["count"].sum())
        )

    @cached_property
    def heading(self) -> str:
        """«Avlagte doktorgrader 2024» over the chart."""
        return f"Avlagte doktorgrader {self.year}"

    @cached_property
    def subtitle(self) -> str:
        """The line under the chart (page and slide)."""
        return f"Avlagte doktorgrader {self.year} per enhet"

    @cached_property
    def total_text(self) -> str:
        """«Sum IE 2024: 40 avlagte doktorgrader.»"""
        return f"Sum {self.unit} {self.year}: {fmt_int(self.total)} avlagte doktorgrader."

    @cached_property
    def title(self) -> str:
        """«IKOM har flest avlagte doktorgrader i 2022: 38 av 138 ved MH»."""
        top = self.departments.iloc[0]
        return (
            f"{top['label']} har flest avlagte doktorgrader i {self.year}: "
            f"{fmt_int(top['count'])} av {fmt_int(self.total)} ved {self.unit}"
        )


def phd_rows(rows: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The unit's and its units' PhD figures, one per unit and year (ours before DBH's)."""
    mine = rows[[u == unit or units.parent_of(u) == unit for u in rows["unit"]]]
    mine = mine.assign(ours=mine["indicator"] == PHD_INDICATOR)
    mine = mine.sort_values(["ours", "import_id"], ascending=False, kind="stable")
    return mine.drop_duplicates(["unit", "year"]).drop(columns="ours").reset_index(drop=True)
