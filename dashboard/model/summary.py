"""Everything `python -m dashboard summary` prints, as plain data — taken from the read model
(the same figures the pages and the deck show), for every unit, plan, round and version."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from dashboard import store
from dashboard.errors import UserError
from dashboard.model import reads
from dashboard.model.budget import (
    BudgetFigures,
    all_version_lines,
    lines_by_version,
    with_deviation,
)
from dashboard.model.economy_summary import economy_data
from dashboard.model.pin import Pin, Query, resolve
from dashboard.model.resources import ResourceFigures
from dashboard.model.rounds import RoundFigures, round_figures
from dashboard.model.status import StatusFigures
from dashboard.model.view import View, view
from dashboard.vocab import NO_AREA

PROGNOSIS_COLUMNS = ["line", "budget", "prognosis", "deviation", "deviation_printed"]


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    columns = list(frame.columns)
    return [
        dict(zip(columns, (None if pd.isna(v) else v for v in row), strict=True))
        for row in frame.itertuples(index=False, name=None)
    ]


def _counts(values) -> dict:
    """Each value's count in the order values first appear, missing ones left out (as
    `value_counts(sort=False)`)."""
    out: dict = {}
    for v in values:
        if not pd.isna(v):
            out[v] = out.get(v, 0) + 1
    return out


def _by_area(m: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Measures, scores and categories per area, areas in the order of the report (one pass)."""
    rows: dict[str, list] = {}
    areas = m["area"].fillna(NO_AREA).tolist()
    for area, score, category in zip(
        areas, m["score"].tolist(), m["category"].tolist(), strict=True
    ):
        rows.setdefault(str(area), []).append((score, category))
    return {
        area: {
            "measures": len(pairs),
            "by_score": {int(k): n for k, n in _counts(p[0] for p in pairs).items()},
            "by_category": {str(k): n for k, n in _counts(p[1] for p in pairs).items()},
        }
        for area, pairs in rows.items()
    }


def status_data(s: StatusFigures) -> dict[str, Any]:
    """The figures of one reporting round."""
    m = s.measures
    by_area = _by_area(m)
    return {
        "measures": s.n,
        "started": s.started,
        "done": s.done,
        "share_done": s.share_done,
        "headline": s.headline,
        "scales": [
            {
                "scale": "0–5" if p.scored else "tekst",
                "units": [u for u, _, _ in p.rolled_up],
                "measures": p.n,
                "started": p.started,
                "done": p.done,
                "share_done": p.share_done,
            }
            for p in s.scales
        ],
        "by_goal": {"measures": s.goal_count, "goals": s.goals, "headline": s.goal_title},
        "by_score": {int(k): n for k, n in _counts(m["score"].tolist()).items()},
        "by_category": {str(k): n for k, n in _counts(m["category"].tolist()).items()},
        "by_area": by_area,
    }


def round_data(r: RoundFigures) -> dict[str, Any]:
    """A reporting round's completeness: what the round page, Oversikt and the deck show."""
    return {
        "round_id": r.round_id,
        "unit": r.unit,
        "plan": r.plan,
        "label": r.label,
        "open": r.is_open,
        "due": None if r.due is None else r.due.isoformat(),
        "state": r.state_text,
        "asked": r.n_asked,
        "answered": r.n_answered,
        "units": r.n_units,
        "reported": r.n_reported,
        "headline": r.headline,
        "by_unit": [
            {
                "unit": row["unit"],
                "asked": int(row["asked"]),
                "answered": int(row["answered"]),
                "counted": int(row["counted"]),
                "state": row["state"],
                "overdue": bool(row["overdue"]),
                "approval": r.approval_of.get(row["unit"], "ikke påbegynt"),
            }
            for _, row in r.by_unit.iterrows()
        ],
        "counted": r.n_counted,
        "approved": r.approved,
        "approval": r.approval_text,
        "figures": r.figures_text if r.is_open else "",
        "stale": len(r.stale),
        "no_owner": len(r.no_owner),
        "ended": len(r.ended),
    }


def resources_data(r: ResourceFigures) -> dict[str, Any]:
    """Ambitions against resources of the unit's newest plan with resources (the page, the
    deck): the figures and each question's finding."""
    e = r if r.evaluation_title else r.previous
    return {
        "plan": r.plan,
        "source": r.source,
        "measures": r.n,
        "need": r.need,
        "granted": r.granted,
        "gap": r.gap,
        "unfunded": len(r.unfunded),
        "without_estimate": len(r.without_estimate),
        "peak": None if r.peak is None else {"quarter": r.peak[0], "running": r.peak[1]},
        "capacity": r.capacity,
        "no_owner": len(r.no_owner),
        "high_and_late": r.high_and_late,
        "headlines": {
            "funding": r.funding_title,
            "timing": r.timing_title,
            "timeline": r.timeline_title,
            "owners": r.owners_title,
            "risk": r.risk_title,
            "goals": r.goals_title,
        },
        "comparison": r.comparison,
        "evaluation": None
        if e is None or not e.evaluation_title
        else {
            "plan": e.plan,
            "measures": len(e.evaluation),
            "good": e.good,
            "headline": e.evaluation_title,
            "causes": {str(k): int(n) for k, n in e.causes.items()},
        },
    }


def _rounds(q: Query, event: int) -> list[dict[str, Any]]:
    out = []
    for row in _records(q("rounds", unit=None, event=event)[["round_id", "unit"]]):
        r = round_figures(q, Pin(row["unit"], event), int(row["round_id"]))
        if r is not None:
            out.append(round_data(r))
    return out


def unit_data(v: View) -> dict[str, Any]:
    """One unit's headline figures: what Oversikt's cards and the deck's overview show."""
    s, b, t = v.status, v.budget, v.targets
    return {
        "unit": v.pin.unit,
        "name": v.unit_name,
        "cards": {card.label: card.value for card in v.cards},
        "status": None
        if s is None
        else status_data(s)
        | {
            "plan": s.plan,
            "round": s.round,
            "coverage": s.coverage,
            "rolled_up": [list(r) for r in s.rolled_up],
        },
        "budget": None
        if b is None
        else {
            "label": b.label,
            "year": b.year,
            "budget_result": b.budget_result,
            "prognosis_result": b.prognosis_result,
            "result_against_budget": b.result_effect,
            "headline": b.headline,
            "rolled_up": [list(r) for r in b.rolled_up],
        },
        "targets": None
        if t is None
        else {"good": t.good, "judged": len(t.judged), "headline": t.headline},
        "round": None if v.round is None else round_data(v.round),
        "resources": None if v.resources is None else resources_data(v.resources),
        "economy": None if v.economy is None else economy_data(v.economy),
    }


def _plans(q: Query, event: int) -> list[dict[str, Any]]:
    """Every reporting round of every plan (two queries, however many rounds)."""
    rounds = q("measure_status", unit=None, plan=None, round=None, event=event)
    groups = dict(iter(rounds.groupby(["unit", "plan", "round"], sort=False)))
    out = []
    for plan in _records(q("plan_summary", unit=None, event=event)):
        measures = groups[(plan["unit"], plan["plan"], plan["round"])].reset_index(drop=True)
        s = StatusFigures(plan["plan"], plan["round"], measures, import_id=plan["import_id"])
        out.append(plan | status_data(s))
    return out


def _prognoses(q: Query, event: int) -> list[dict[str, Any]]:
    """Every prognosis version of every unit (two queries, however many versions)."""
    rows = q("prognosis_lines", unit=None, label=None, event=event)
    every = all_version_lines(rows, ["unit", "label"]) if len(rows) else rows
    lines = lines_by_version(every, ["unit", "label"], done=True)
    records: dict[tuple, list[dict[str, Any]]] = {}  # every version's lines, read in one pass
    if len(rows):
        for row in _records(every[["unit", "label", *PROGNOSIS_COLUMNS]]):
            key = (row.pop("unit"), row.pop("label"))
            records.setdefault(key, []).append(row)
    out = []
    for version in _records(q("prognosis_versions", unit=None, event=event)):
        mine = lines.get((version["unit"], version["label"]))
        mine = with_deviation(rows.iloc[0:0]) if mine is None else mine
        b = BudgetFigures(version["label"], int(version["year"]), mine, version["import_id"])
        out.append(
            {
                "unit": version["unit"],
                "year": b.year,
                "label": b.label,
                "result_against_budget": b.result_effect,
                "lines": records.get((version["unit"], version["label"]), []),
            }
        )
    return out


def _strategies(q: Query, event: int, units: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {
            "unit": unit,
            "strategy": s.name,
            "goals": s.goals,
            "areas": s.areas,
            "parts": s.parts,
        }
        for unit in units[units["goal_rows"] > 0]["code"]
        for s in view(q, Pin(unit, event), units).strategies
    ]


def _allocations(q: Query, event: int) -> list[dict[str, Any]]:
    alloc = q("allocations", unit=None, event=event)
    out = []
    for (parent, year, label), rows in alloc.groupby(["parent_unit", "year", "label"], sort=False):
        children = rows[~rows.is_total]
        total = rows[rows.is_total].amount_knok.sum() if rows.is_total.any() else None
        out.append(
            {
                "parent": parent,
                "year": int(year),
                "label": label,
                "total": total,
                "sum_units": float(children.amount_knok.fillna(0).sum()),
                "units_with_amount": int(children.amount_knok.notna().sum()),
                "units_without": sorted(children[children.amount_knok.isna()].unit),
            }
        )
    return out


def _indicators(views: list[View]) -> list[dict[str, Any]]:
    out = []
    for v in views:
        if v.targets is None:
            continue
        for _, row in v.targets.table.iterrows():
            out.append(
                {
                    "unit": row["unit"],
                    "indicator": row["indicator"],
                    "kind": row["kind"],
                    "target": row["target"],
                    "values": len(row["points"]),
                    "latest_year": None if pd.isna(row["latest_year"]) else int(row["latest_year"]),
                    "latest_value": row["latest_value"],
                    "status": str(row["status"]),
                }
            )
    return out


def _peers(views: list[View]) -> list[dict[str, Any]]:
    """Every comparison with other institutions, in every peer group the page offers."""
    out = []
    for v in views:
        first = v.peers_in(None)
        if first is None:
            continue
        for group in first.groups:
            p = v.peers_in(group.key)
            for name, c in p.comparisons.items():
                r = c.latest
                out.append(
                    {
                        "unit": v.pin.unit,
                        "group": group.key,
                        "group_label": group.label,
                        "indicator": name,
                        "main": c is p.main,
                        "year": c.year,
                        "value": float(r["value"]),
                        "rank": int(r["rank"]),
                        "n": int(r["n"]),
                        "median": float(r["median"]),
                        "p25": float(r["p25"]),
                        "p75": float(r["p75"]),
                        "title": c.title,
                        "trend": c.trend_title,
                    }
                )
    return out


def summarise(con: duckdb.DuckDBPyConnection, event: int | None = None) -> dict[str, Any]:
    """Every unit's headline figures, every plan and round, every prognosis version, the
    multi-year plans, strategies, allocations, indicators and comparisons with peers — as of an import event (the
    newest by default)."""
    q = reads.shared(lambda name, **params: store.query(con, name, params))
    newest = store.data_version(con)
    event = newest if event is None else event
    if not 0 <= event <= newest:
        raise UserError(f"Dataversjon {event} finnes ikke; nyeste er {newest}.")
    units = q("units_with_data", event=event)
    views = [view(q, resolve(q, code, event), units) for code in units["code"]]
    return {
        "event": event,
        "units": [unit_data(v) for v in views],
        "plans": _plans(q, event),
        "rounds": _rounds(q, event),
        "prognoses": _prognoses(q, event),
        "multiyear": _records(q("multiyear_plan", unit=None, label=None, event=event)),
        "strategies": _strategies(q, event, units),
        "allocations": _allocations(q, event),
        "indicators": _indicators(views),
        "peers": _peers(views),
    }
