"""The summary of what is stored as readable Norwegian text (`python -m dashboard summary`);
the figures come from dashboard.model.summary."""

from __future__ import annotations

from typing import Any

from dashboard.model.summary import summarise
from dashboard.numbers import fmt_int, fmt_num
from dashboard.vocab import BUDGET_KIND_WORDS

__all__ = ["render_text", "summarise"]


def _units(data: dict[str, Any]) -> list[str]:
    out = []
    for unit in data["units"]:
        cards = "; ".join(f"{k}: {v}" for k, v in unit["cards"].items() if v != "–")
        if cards:
            out.append(f"{unit['name']}: {cards}")
    return out


def _plans(data: dict[str, Any]) -> list[str]:
    out = []
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
            scores = ", ".join(f"{k}: {v}" for k, v in sorted(plan["by_score"].items()))
            out.append(f"  per status: {scores}")
        if plan["by_category"]:
            categories = ", ".join(f"{k}: {v}" for k, v in plan["by_category"].items())
            out.append(f"  per kategori: {categories}")
        for area, info in plan["by_area"].items():
            detail = ", ".join(
                f"{k}: {v}" for k, v in sorted(info["by_score"].items())
            ) or ", ".join(f"{k}: {v}" for k, v in info["by_category"].items())
            out.append(f"    {area}: {info['measures']} tiltak ({detail})")
    return out


def _prognoses(data: dict[str, Any]) -> list[str]:
    out = []
    for prog in data["prognoses"]:
        out.append(
            f"{prog['unit']} – {prog['label']} ({prog['year']}), 1000 kr: "
            "linje | budsjett | prognose | avvik"
        )
        for line in prog["lines"]:
            out.append(
                f"  {line['line']}: {fmt_int(line['budget'])} | {fmt_int(line['prognosis'])} | "
                f"{fmt_int(line['deviation'])}"
            )
    return out


def _multiyear(data: dict[str, Any]) -> list[str]:
    plan_rows: dict[tuple, dict] = {}
    for row in data["multiyear"]:
        if row["line"] in ("IB", "Resultat", "UB"):
            key = (row["unit"], row["label"], row["kind"], row["year"])
            plan_rows.setdefault(key, {})[row["line"]] = row["amount_knok"]
    if not plan_rows:
        return []
    out = ["Langtidsbudsjett (1000 kr): IB | Resultat | UB"]
    for (u, _label, kind, year), vals in plan_rows.items():
        out.append(
            f"  {u} {year} ({BUDGET_KIND_WORDS.get(kind, kind)}): {fmt_int(vals.get('IB'))} | "
            f"{fmt_int(vals.get('Resultat'))} | {fmt_int(vals.get('UB'))}"
        )
    return out


def _strategies_and_allocations(data: dict[str, Any]) -> list[str]:
    out = []
    for strat in data["strategies"]:
        parts = ", ".join(f"{k}: {v}" for k, v in strat["parts"].items())
        out.append(
            f"{strat['unit']} – {strat['strategy']}: {strat['goals']} mål i {strat['areas']} "
            f"områder ({parts})"
        )
    for alloc in data["allocations"]:
        without = alloc["units_without"]
        out.append(
            f"{alloc['parent']} – {alloc['label']}: total {fmt_int(alloc['total'])}, enhetene "
            f"summerer til {fmt_int(alloc['sum_units'])}; {alloc['units_with_amount']} enheter "
            "med beløp" + (f"; uten beløp: {', '.join(without)}" if without else "")
        )
    return out


def _indicators(data: dict[str, Any]) -> list[str]:
    out = []
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
                f"siste {fmt_num(ind['latest_value'], 2)} ({ind['latest_year']})"
                if ind["latest_year"] is not None and ind["latest_value"] == ind["latest_value"]
                else "ingen verdi ennå"
            )
            out.append(f"  {ind['indicator']}: {latest}; {ind['status']}")
    return out


def _rounds(data: dict[str, Any]) -> list[str]:
    rounds = data.get("rounds") or []
    if not rounds:
        return []
    out = ["", "Rapporteringsrunder"]
    for r in rounds:
        out.append(
            f"  nr. {r['round_id']} {r['unit']} · {r['plan']} · {r['label']} ({r['state']}): "
            f"{r['headline']}; svar på {r['answered']} av {r['asked']} tiltak"
        )
    return out


def render_text(data: dict[str, Any]) -> str:
    """The summary as readable Norwegian text."""
    out = [
        line
        for part in (
            _units,
            _plans,
            _rounds,
            _prognoses,
            _multiyear,
            _strategies_and_allocations,
            _indicators,
        )
        for line in part(data)
    ]
    if not out:
        return "Databasen er tom. Importer arbeidsbøker med «python -m dashboard import FIL.xlsx»."
    return "\n".join(out)
