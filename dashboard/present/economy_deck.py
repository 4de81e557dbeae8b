"""The board deck's slides of the faculty's economy (model/economy/): the income mix, årsverk,
the cost measures against the trajectory, space per level and the allocation of grants —
the same titles and figures as the page «Økonomi» and `summary --json`."""

from __future__ import annotations

from dashboard.model.economy.grants import GrantFigures
from dashboard.model.view import View
from dashboard.present.charts import economy as ec
from dashboard.present.slides import SCALE, Slide


def economy_slides(v: View) -> list[Slide]:
    """One slide per part of the unit's economy that is stored."""
    e = v.economy
    if e is None:
        return []
    out = []
    if e.income is not None:
        i = e.income
        fig = ec.income_mix(i.mix, i.sort_kind, i.title, i.subtitle, scale=SCALE)
        out.append(Slide(i.title, i.subtitle, figure=fig))
    if e.phd is not None:
        p = e.phd
        fig = ec.phd_degrees(p.departments, p.title, p.subtitle, scale=SCALE)
        out.append(Slide(p.title, p.subtitle, figure=fig))
    if e.fte is not None:
        f = e.fte
        fig = ec.fte_trend(f.series, f.budget, f.title, f.subtitle, scale=SCALE)
        out.append(Slide(f.title, f.subtitle, figure=fig))
    if e.costs is not None:
        c = e.costs
        fig = ec.cost_trajectory(c.trajectory, c.title, c.subtitle, scale=SCALE)
        out.append(Slide(c.title, c.subtitle, figure=fig))
    if e.space is not None and e.space.has_levels:
        s = e.space
        fig = ec.space_levels(s.levels, s.title, s.subtitle, scale=SCALE)
        out.append(Slide(s.title, s.subtitle, figure=fig))
    if e.grants is not None:
        out.append(grant_slide(e.grants))
    return out


def grant_slide(g: GrantFigures) -> Slide:
    """An allocation's totals as big numbers."""
    return Slide(g.title, g.subtitle, big=g.big_numbers)
