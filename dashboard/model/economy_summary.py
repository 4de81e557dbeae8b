"""`summary --json` of the faculty's economy: the figures and titles the page «Økonomi» and the
deck show, from the same read model."""

from __future__ import annotations

from typing import Any

from dashboard.model.economy import EconomyFigures


def _num(value: float | None) -> float | None:
    return None if value is None else round(float(value), 3)


def economy_data(e: EconomyFigures) -> dict[str, Any]:
    """Per part of the unit's economy its headline and figures (None where not stored)."""
    i, f, c, s, g = e.income, e.fte, e.costs, e.space, e.grants
    return {
        "phd": None if e.phd is None else _phd(e),
        "income": None
        if i is None
        else {
            "year": i.year,
            "headline": i.title,
            "sorted_by": i.sort_kind,
            "shares": {
                str(row["label"]): {k: _num(row[k]) for k in i.kinds}
                for row in i.mix.to_dict("records")
            },
            "change_headline": i.change_title,
        },
        "fte": None
        if f is None
        else {
            "headline": f.title,
            "first": {"period": f.first_period, "fte": _num(f.first)},
            "latest": {"period": f.latest_period, "fte": _num(f.latest)},
            "budget": _num(f.budget),
            "since_budget": _num(f.since_budget),
        },
        "costs": None
        if c is None
        else {
            "headline": c.title,
            "gap_headline": c.gap_title,
            "planned": _num(c.planned),
            "realised": _num(c.realised),
            "realised_share": _num(c.realised_share),
            "gap_to_target": _num(c.gap),
            "last_year": c.last_year,
            "measures": len(c.measures),
            "linked_headline": c.links_title,
            "plan_links": {
                str(m["name"]): {"plan_measure": m["plan_measure"], "status": m["plan_status"]}
                for m in c.linked
            },
            "not_found": [cell for _, cell in c.unlinked],
        },
        "space": None
        if s is None
        else {
            "headline": s.title,
            "kvm_per_fte": {
                str(r["level"]): _num(r["kvm_per_fte"]) for r in s.levels.to_dict("records")
            },
            "buildings": {
                str(r["building_type"]): _num(r["share"]) for r in s.buildings.to_dict("records")
            },
        },
        "grants": None
        if g is None
        else {
            "pool": g.pool,
            "headline": g.title,
            "applicants": g.applicants,
            "applied": _num(g.applied),
            "to_give": _num(g.total),
            "gap": _num(g.gap),
            "granted": _num(g.granted),
            "to_cut": _num(g.to_cut),
            "refused": g.refused,
        },
    }


def _phd(e: EconomyFigures) -> dict[str, Any]:
    p = e.phd
    return {
        "year": p.year,
        "headline": p.title,
        "total": _num(p.total),
        "per_unit": {str(r["label"]): _num(r["count"]) for r in p.departments.to_dict("records")},
    }
