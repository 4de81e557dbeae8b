"""The faculty's economy as the board sees it (issue 26), as of a pinned view: income mix per
unit and its change from last year; årsverk over the year and against the budget; the cost
trajectory with and without the measures, the gap to the target and how much of the planned
effect is realised; the kvm to give up per årsverk saved at each level; an allocation's total,
gap and what is still to cut. Computed here once for the page, the deck and `summary --json`.

One module per part (common.py: the helpers they share); here the whole and its builder."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from dashboard.model.economy.costs import CostFigures, unknown_plan_refs
from dashboard.model.economy.fte import FteFigures
from dashboard.model.economy.grants import GrantFigures
from dashboard.model.economy.income import IncomeFigures
from dashboard.model.economy.phd import PhdFigures, phd_rows
from dashboard.model.economy.space import SpaceFigures
from dashboard.model.pin import Pin, Query
from dashboard.vocab import PHD_PATTERN

__all__ = [
    "CostFigures",
    "EconomyFigures",
    "FteFigures",
    "GrantFigures",
    "IncomeFigures",
    "PhdFigures",
    "SpaceFigures",
    "economy_figures",
    "unknown_plan_refs",
]


@dataclass
class EconomyFigures:
    """The unit's economy as of a pin; a part is None when nothing of it is stored."""

    unit: str
    income: IncomeFigures | None
    fte: FteFigures | None
    costs: CostFigures | None
    space: SpaceFigures | None
    grants: GrantFigures | None
    phd: PhdFigures | None = None

    @property
    def parts(self) -> list[object]:
        """The parts that are stored (not None)."""
        parts = (self.income, self.phd, self.fte, self.costs, self.space, self.grants)
        return [p for p in parts if p]

    @cached_property
    def import_ids(self) -> list[int]:
        """The imports the figures are read from (for the data line)."""
        ids: set[int] = set()
        for p in self.parts:
            ids |= {int(i) for i in p.rows["import_id"].unique()}
        return sorted(ids)


def economy_figures(q: Query, pin: Pin) -> EconomyFigures | None:
    """The unit's economy as of the pin; None when nothing of it is stored."""
    unit, event = pin.unit, pin.event
    income = q("economy_income", unit=unit, event=event)
    income = income[income["share_pct"].notna()]
    fte = q("economy_fte", unit=unit, event=event)
    costs = q("economy_costs", unit=unit, event=event)
    space = q("economy_space", unit=unit, event=event)
    grants = q("economy_grants", unit=unit, event=event)
    out = EconomyFigures(
        unit,
        IncomeFigures(unit, income) if not income.empty else None,
        FteFigures(unit, fte) if not fte[~fte["is_budget"].astype(bool)].empty else None,
        _costs(q, pin, costs),
        SpaceFigures(unit, space) if not space.empty else None,
        _grants(q, pin, grants),
        _phd(q, pin),
    )
    return out if out.parts else None


def _costs(q: Query, pin: Pin, costs: pd.DataFrame) -> CostFigures | None:
    """The cost measures, linked to the unit's plan measures."""
    if not (costs["row_kind"] == "measure").any():
        return None
    return CostFigures(pin.unit, costs, q("economy_plan_measures", unit=pin.unit, event=pin.event))


def _phd(q: Query, pin: Pin) -> PhdFigures | None:
    """PhD degrees of the units right below the unit (None when none is stored)."""
    found = q("economy_phd", pattern=PHD_PATTERN, event=pin.event)
    if found.empty:
        return None
    rows = phd_rows(found, pin.unit)
    if (rows["unit"] != pin.unit).any():
        return PhdFigures(pin.unit, rows)
    return None


def _grants(q: Query, pin: Pin, grants: pd.DataFrame) -> GrantFigures | None:
    """The unit's newest pool of grants."""
    if grants.empty:
        return None
    pool = str(grants.sort_values("import_id").iloc[-1]["pool"])
    parts = q("economy_pools", unit=pin.unit, event=pin.event)
    return GrantFigures(
        pin.unit,
        pool,
        grants[grants["pool"] == pool].reset_index(drop=True),
        parts[parts["pool"] == pool].reset_index(drop=True),
    )
