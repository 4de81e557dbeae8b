"""The summary of what is stored as readable Norwegian text (`python -m dashboard summary`);
the figures come from dashboard.model.summary."""

from __future__ import annotations

from typing import Any

from dashboard.model.summary import summarise
from dashboard.numbers import fmt_int, fmt_num

__all__ = ["render_text", "summarise"]


def render_text(data: dict[str, Any]) -> str:
    """The summary as readable Norwegian text."""
    out: list[str] = []
    for unit in data["units"]:
        cards = "; ".join(f"{k}: {v}" for k, v in unit["cards"].items() if v != "–")
        if cards:
            out.append(f"{unit['name']}: {cards}")
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
