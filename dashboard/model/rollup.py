"""Roll-up: a parent unit with no report of its own shows its units' reports together.

The units taken are the nearest ones below the parent that have a report of that kind (a
faculty with its own report stands for its departments, so nothing is counted twice). Status:
each unit's newest round of its newest plan, counted together and per unit side by side.
Budget: each unit's newest prognosis, summed line by line only over units with the same year.
"""

from __future__ import annotations

import pandas as pd

from dashboard.model.budget import BudgetFigures, with_deviation
from dashboard.model.pin import Pin, Query
from dashboard.model.status import StatusFigures

ROLLUP_PLAN = "Samlet"


def frontier(units: pd.DataFrame, parent: str, column: str) -> list[str]:
    """The nearest units below `parent` that have rows in `column` (of units_with_data). Each
    unit is visited once, so a cycle in the tree (a unit below itself) ends the walk."""
    children: dict[str, list[str]] = {}
    for code, up in zip(units["code"], units["parent"], strict=True):
        children.setdefault(up, []).append(code)
    has = dict(zip(units["code"], units[column] > 0, strict=True))
    found, seen, todo = [], {parent}, list(children.get(parent, []))
    while todo:
        code = todo.pop(0)
        if code in seen:
            continue
        seen.add(code)
        if has.get(code):
            found.append(code)
        else:
            todo.extend(children.get(code, []))
    return sorted(found)


def status_rollup(q: Query, pin: Pin, units: pd.DataFrame) -> StatusFigures | None:
    """The newest report of each unit below, as one set of measures with a unit column."""
    frames, named = [], []
    for unit in frontier(units, pin.unit, "status_rows"):
        plans = q("plan_summary", unit=unit, event=pin.event)
        if plans.empty:
            continue
        newest = plans.sort_values("import_id", ascending=False, kind="stable").iloc[0]
        plan = str(newest["plan"])
        round_ = str(plans[plans["plan"] == plan].iloc[0]["round"])
        frames.append(q("measure_status", unit=unit, plan=plan, round=round_, event=pin.event))
        named.append((unit, plan, round_))
    if not frames:
        return None
    return StatusFigures(
        plan=ROLLUP_PLAN,
        round="siste rapport per enhet",
        measures=pd.concat(frames, ignore_index=True),
        rolled_up=named,
    )


def budget_rollup(q: Query, pin: Pin, units: pd.DataFrame) -> BudgetFigures | None:
    """Each unit's newest prognosis, summed per line over the units of the newest year that
    most units share."""
    chosen = []
    for unit in frontier(units, pin.unit, "budget_rows"):
        versions = q("prognosis_versions", unit=unit, event=pin.event)
        if not versions.empty:
            chosen.append((unit, versions.iloc[0]))
    if not chosen:
        return None
    years = pd.Series([int(v["year"]) for _, v in chosen])
    counts = years.value_counts()
    year = int(max(counts[counts == counts.max()].index))
    frames, named = [], []
    for unit, version in chosen:
        if int(version["year"]) != year:
            continue
        rows = q("prognosis_lines", unit=unit, label=version["label"], event=pin.event)
        frames.append(rows[rows["year"] == year])
        named.append((unit, str(version["label"])))
    lines = _sum_lines(pd.concat(frames, ignore_index=True), len(named))
    return BudgetFigures(
        label=f"sum av {len(named)} enheter, {year}",
        year=year,
        lines=with_deviation(lines),
        rolled_up=named,
    )


def _sum_lines(rows: pd.DataFrame, units: int) -> pd.DataFrame:
    """Sum each line over the units; a printed deviation only where every unit printed one."""
    grouped = rows.groupby("line", sort=False)
    lines = grouped.agg(
        line_order=("line_order", "min"),
        line_group=("line_group", "first"),
        budget=("budget", lambda s: s.sum(min_count=1)),
        prognosis=("prognosis", lambda s: s.sum(min_count=1)),
        deviation_printed=("deviation_printed", lambda s: s.sum(min_count=units)),
    ).reset_index()
    return lines.sort_values("line_order", na_position="last")
