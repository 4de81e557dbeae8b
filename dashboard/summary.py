"""Headline figures of what is stored (`python -m dashboard summary`)."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from dashboard.indicators import evaluate
from dashboard.numbers import fmt_int, fmt_num
from dashboard.store import query


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {k: (None if pd.isna(v) else v) for k, v in row.items()} for row in frame.to_dict("records")
    ]


def summarise(con: duckdb.DuckDBPyConnection, unit: str | None = None) -> dict[str, Any]:
    """Everything the summary command prints, as plain data."""
    params = {"unit": unit}
    counts = query(con, "status_counts", params)
    plans = []
    for plan in _records(query(con, "plan_summary", params)):
        mine = counts[
            (counts.unit == plan["unit"])
            & (counts.plan == plan["plan"])
            & (counts["round"] == plan["round"])
        ]
        by_score = {
            int(k): int(v)
            for k, v in mine.dropna(subset=["score"]).groupby("score").measures.sum().items()
        }
        by_category = {
            str(k): int(v)
            for k, v in mine.dropna(subset=["category"]).groupby("category").measures.sum().items()
        }
        by_area = {}
        for area, rows in mine.groupby(mine.area.fillna("(uten område)"), sort=False):
            by_area[area] = {
                "measures": int(rows.measures.sum()),
                "by_score": {
                    int(k): int(v)
                    for k, v in rows.dropna(subset=["score"])
                    .groupby("score")
                    .measures.sum()
                    .items()
                },
                "by_category": {
                    str(k): int(v)
                    for k, v in rows.dropna(subset=["category"])
                    .groupby("category")
                    .measures.sum()
                    .items()
                },
            }
        plans.append(plan | {"by_score": by_score, "by_category": by_category, "by_area": by_area})
    lines = query(con, "prognosis_lines", params | {"label": None})
    prognoses = []
    for (u, year, label), rows in lines.groupby(["unit", "year", "label"], sort=False):
        prognoses.append(
            {
                "unit": u,
                "year": int(year),
                "label": label,
                "lines": _records(
                    rows[["line", "budget", "prognosis", "deviation", "deviation_printed"]]
                ),
            }
        )
    multiyear = _records(query(con, "multiyear_plan", params | {"label": None}))
    goals = query(con, "goal_summary", params)
    strategies = []
    for (u, strategy), rows in goals.groupby(["unit", "strategy"], sort=False):
        strategies.append(
            {
                "unit": u,
                "strategy": strategy,
                "goals": int(rows.goals.sum()),
                "areas": int(rows.area.nunique()),
                "parts": {
                    str(k): int(v) for k, v in rows.groupby("part", sort=False).goals.sum().items()
                },
            }
        )
    alloc = query(con, "allocations", params)
    allocations = []
    for (parent, year, label), rows in alloc.groupby(["parent_unit", "year", "label"], sort=False):
        children = rows[~rows.is_total]
        total = rows[rows.is_total].amount_knok.sum() if rows.is_total.any() else None
        allocations.append(
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
    series = query(con, "indicator_series", params)
    indicators = []
    for (u, name), rows in series.groupby(["unit", "indicator"], sort=False):
        first = rows.iloc[0]
        target = None if pd.isna(first.target) else float(first.target)
        ev = evaluate(
            list(zip(rows.year, rows.value, strict=True)),
            None if pd.isna(first.kind) else first.kind,
            target,
            None if pd.isna(first.baseline_year) else int(first.baseline_year),
            None if pd.isna(first.target_year) else int(first.target_year),
        )
        indicators.append(
            {
                "unit": u,
                "indicator": name,
                "kind": None if pd.isna(first.kind) else first.kind,
                "target": target,
                "values": int(rows.value.notna().sum()),
                "latest_year": ev.latest_year,
                "latest_value": ev.latest_value,
                "status": ev.status,
            }
        )
    return {
        "plans": plans,
        "prognoses": prognoses,
        "multiyear": multiyear,
        "strategies": strategies,
        "allocations": allocations,
        "indicators": indicators,
    }


def render_text(data: dict[str, Any]) -> str:
    """The summary as readable Norwegian text."""
    out: list[str] = []
    for plan in data["plans"]:
        goals = f" mot {plan['goals']} mål" if plan["goals"] else ""
        started = f"; igangsatt (status ≥ 2): {plan['started']}" if plan["scored"] else ""
        out.append(
            f"{plan['unit']} – {plan['plan']}, {plan['round']}: {plan['measures']} tiltak{goals} i "
            f"{plan['areas']} områder{started}"
        )
        if plan["continuing"]:
            out.append(f"  planlagt videreført: {plan['continuing']}")
        if plan["by_score"]:
            out.append(
                "  per status: "
                + ", ".join(f"{k}: {v}" for k, v in sorted(plan["by_score"].items()))
            )
        if plan["by_category"]:
            out.append(
                "  per kategori: " + ", ".join(f"{k}: {v}" for k, v in plan["by_category"].items())
            )
        for area, info in plan["by_area"].items():
            detail = ", ".join(
                f"{k}: {v}" for k, v in sorted(info["by_score"].items())
            ) or ", ".join(f"{k}: {v}" for k, v in info["by_category"].items())
            out.append(f"    {area}: {info['measures']} tiltak ({detail})")
    for prog in data["prognoses"]:
        out.append(
            f"{prog['unit']} – {prog['label']} ({prog['year']}), 1000 kr: linje | budsjett | prognose | avvik"
        )
        for line in prog["lines"]:
            out.append(
                f"  {line['line']}: {fmt_int(line['budget'])} | {fmt_int(line['prognosis'])} | {fmt_int(line['deviation'])}"
            )
    plan_rows: dict[tuple, dict] = {}
    for row in data["multiyear"]:
        if row["line"] in ("IB", "Resultat", "UB"):
            key = (row["unit"], row["label"], row["kind"], row["year"])
            plan_rows.setdefault(key, {})[row["line"]] = row["amount_knok"]
    if plan_rows:
        out.append("Langtidsbudsjett (1000 kr): IB | Resultat | UB")
        names = {
            "budget": "budsjett",
            "previous_prognosis": "forrige prognose",
            "long_term_plan": "plan",
        }
        for (u, _label, kind, year), vals in plan_rows.items():
            out.append(
                f"  {u} {year} ({names.get(kind, kind)}): {fmt_int(vals.get('IB'))} | "
                f"{fmt_int(vals.get('Resultat'))} | {fmt_int(vals.get('UB'))}"
            )
    for strat in data["strategies"]:
        parts = ", ".join(f"{k}: {v}" for k, v in strat["parts"].items())
        out.append(
            f"{strat['unit']} – {strat['strategy']}: {strat['goals']} mål i {strat['areas']} områder ({parts})"
        )
    for alloc in data["allocations"]:
        out.append(
            f"{alloc['parent']} – {alloc['label']}: total {fmt_int(alloc['total'])}, enhetene summerer til "
            f"{fmt_int(alloc['sum_units'])}; {alloc['units_with_amount']} enheter med beløp"
            + (
                f"; uten beløp: {', '.join(alloc['units_without'])}"
                if alloc["units_without"]
                else ""
            )
        )
    by_unit: dict[str, list] = {}
    for ind in data["indicators"]:
        by_unit.setdefault(ind["unit"], []).append(ind)
    for u, items in by_unit.items():
        kinds: dict[str, int] = {}
        for ind in items:
            if ind["kind"]:
                kinds[ind["kind"]] = kinds.get(ind["kind"], 0) + 1
        out.append(
            f"{u} – {len(items)} indikatorer; {sum(i['values'] for i in items)} verdier"
            + (f"; mål: {', '.join(f'{k}: {v}' for k, v in kinds.items())}" if kinds else "")
        )
        for ind in items:
            latest = (
                f"{fmt_num(ind['latest_value'], 2)} ({ind['latest_year']})"
                if ind["latest_value"] is not None
                else "–"
            )
            out.append(f"  {ind['indicator']}: siste {latest}; {ind['status']}")
    return (
        "\n".join(out)
        if out
        else "Databasen er tom. Importer arbeidsbøker eller kjør «python -m dashboard demo»."
    )
