"""The board deck's slides of the faculty's economy (model/economy.py): the income mix, årsverk,
the cost measures against the trajectory, space per level and the allocation of grants —
the same titles and figures as the page «Økonomi» and `summary --json`."""

from __future__ import annotations

from dashboard.model.view import View
from dashboard.numbers import fmt_int, fmt_pct
from dashboard.present.charts import economy as ec
from dashboard.present.deck import SCALE, Slide


def economy_slides(v: View) -> list[Slide]:
    """One slide per part of the unit's economy that is stored."""
    e = v.economy
    if e is None:
        return []
    out = []
    if e.income is not None:
        i = e.income
        sub = f"Andel av inntektene {i.year} per enhet, sortert etter {i.sort_kind}"
        fig = ec.income_mix(i.mix, i.sort_kind, i.title, sub, scale=SCALE)
        out.append(Slide(i.title, sub, figure=fig))
    if e.phd is not None:
        p = e.phd
        sub = f"Avlagte doktorgrader {p.year} per enhet"
        out.append(
            Slide(p.title, sub, figure=ec.phd_degrees(p.departments, p.title, sub, scale=SCALE))
        )
    if e.fte is not None:
        f = e.fte
        fig = ec.fte_trend(f.series, f.budget, f.title, "Årsverk per periode", scale=SCALE)
        out.append(Slide(f.title, "Årsverk per periode og kategori", figure=fig))
    if e.costs is not None:
        c = e.costs
        sub = f"1000 kr · {c.gap_title}"
        out.append(
            Slide(c.title, sub, figure=ec.cost_trajectory(c.trajectory, c.title, sub, scale=SCALE))
        )
    if e.space is not None and not e.space.levels.dropna(subset=["kvm_per_fte"]).empty:
        s = e.space
        sub = "Kvm som må kuttes for å spare ett årsverk"
        if s.buildings_title:
            sub += f" · {s.buildings_title}"
        out.append(Slide(s.title, sub, figure=ec.space_levels(s.levels, s.title, sub, scale=SCALE)))
    if e.grants is not None:
        out.append(grant_slide(e.grants))
    return out


def grant_slide(g) -> Slide:
    """An allocation's totals as big numbers."""
    big = []
    if g.applied is not None:
        big.append((f"{fmt_int(g.applied)} kr", f"søkt om av {g.applicants} søkere"))
    if g.total is not None:
        big.append((f"{fmt_int(g.total)} kr", "til fordeling"))
    if g.gap is not None:
        big.append((f"{fmt_int(g.gap)} kr", "differanse"))
    if g.to_cut:
        big.append((f"{fmt_int(g.to_cut)} kr", "må fortsatt kuttes"))
    elif g.applied:
        big.append((fmt_pct(g.granted / g.applied, 0), "av det søkte er tildelt"))
    return Slide(g.title, f"{g.pool} · {g.refused} søknader avslått", big=big)
