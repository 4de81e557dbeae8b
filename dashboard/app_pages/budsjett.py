"""Budsjett: budget vs prognosis per line (IBCS), the drivers, the multi-year plan, versions.
The figures come from the read model; where a workbook prints a deviation, that is the one shown."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.model.budget import BudgetFigures
from dashboard.model.pin import with_label
from dashboard.model.view import View
from dashboard.numbers import fmt_int, fmt_mill
from dashboard.present.charts import budget as budget_charts

SIGNS = (
    "**Fortegn:** avvik = budsjett − prognose. Stolpene til høyre viser *virkningen på resultatet* "
    "(prognose − budsjett): **grønt styrker**, **rødt svekker** — for inntekter og kostnader likt. "
    "Kostnader er negative tall."
)
GLOSSARY = (
    "BFV = bevilgningsfinansiert virksomhet · BOA = bidrags- og oppdragsaktivitet · EVU = etter- og "
    "videreutdanning · IB/UB = inngående/utgående balanse · beløp i 1000 kr"
)


def pick_version(v: View) -> View:
    """The prognosis version chosen on the page (bound to ?versjon=…), as a view."""
    versions = v._q("prognosis_versions", unit=v.pin.unit, event=v.pin.event)
    if versions.empty:
        return v
    pick, _ = st.columns([1, 2])
    label = pick.selectbox(
        "Prognoseversjon",
        versions["label"].tolist(),
        index=0,
        key="versjon",
        bind="query-params",
        help="Nyeste først. Lenken i adresselinjen gjenåpner samme versjon.",
    )
    return ui.view(with_label(v.pin, label))


LINE_FORMATS = {"Avvik %": "pct"}


def line_table(b: BudgetFigures) -> pd.DataFrame:
    """The lines with real numbers (the deviation as a share of the budget in «Avvik %»)."""
    lines = b.lines
    return pd.DataFrame(
        {
            "Linje": lines["line"],
            "Budsjett": lines["budget"],
            "Prognose": lines["prognosis"],
            "Avvik (budsjett − prognose)": lines["deviation"],
            "Avvik %": [
                d / abs(x) if pd.notna(d) and pd.notna(x) and x else None
                for d, x in zip(lines["deviation"], lines["budget"], strict=True)
            ],
        }
    )


def _renamed(
    frame: pd.DataFrame, names: tuple[tuple[str, str], ...], only: bool = False
) -> pd.DataFrame:
    """Columns renamed (`only`: just the renamed columns)."""
    if only:
        frame = frame[[old for old, _ in names]]
    return frame.rename(columns=dict(names))


def _wide(plan: pd.DataFrame) -> pd.DataFrame:
    wide = plan.pivot_table(
        index="line", columns="period", values="amount_knok", aggfunc="sum", sort=False
    )
    wide.columns = [str(c) for c in wide.columns]
    return wide.reset_index().rename(columns={"line": "Linje"})


def show_deviation(b: BudgetFigures, table: pd.DataFrame) -> None:
    fig = ui.figure(
        budget_charts.budget_deviation,
        b.lines,
        b.headline,
        f"BFV, {b.source}, 1000 kr. Budsjett: omriss · Prognose: skravert",
    )
    ui.chart(fig, table, key="avvik", formats=LINE_FORMATS)
    for _, row in b.mismatches.iterrows():
        st.caption(
            f"\\* {ui.plain(row['line'])}: avviket {fmt_int(row['deviation'])} er slik arbeidsboka "
            f"skriver det; budsjett − prognose gir {fmt_int(row['deviation_computed'])}."
        )


def show_waterfall(b: BudgetFigures) -> None:
    steps = b.steps
    if b.budget_result is None or b.prognosis_result is None or steps.empty:
        return
    top = steps.iloc[0]
    sign = "+" if top["effect"] > 0 else ""
    fig = ui.figure(
        budget_charts.waterfall,
        steps,
        b.budget_result,
        b.prognosis_result,
        f"Største driver: {top['label']} ({sign}{fmt_mill(top['effect'])})",
        f"Fra budsjettert til prognosert resultat, {b.source}, 1000 kr. Grønt styrker, rødt "
        "svekker resultatet.",
    )
    names = (("label", "Linje"), ("effect", "Virkning"))
    ui.chart(fig, ui.memo(_renamed, steps, names), formats={"Virkning": "signed"}, key="waterfall")
    st.caption(
        "Trinnene er sortert etter størrelse; hvert trinn er linjens virkning på resultatet "
        "(− avviket)."
    )


def show_multiyear(b: BudgetFigures) -> None:
    plan = b.multiyear
    if plan is None:
        return
    st.header("Langtidsbudsjett")
    ub = plan[plan["line"] == "UB"]
    first, last = ub.iloc[0], ub.iloc[-1]
    trend = "stiger" if last["amount_knok"] > first["amount_knok"] else "faller"
    fig = ui.figure(
        budget_charts.multiyear,
        plan,
        f"UB {trend} fra {fmt_mill(first['amount_knok'])} til {fmt_mill(last['amount_knok'])} "
        f"i {last['year']}",
        f"IB, resultat og UB per år, {plan['label'].iloc[0]}, 1000 kr",
    )
    ui.chart(fig, ui.memo(_wide, plan), key="langtid")


def show_history(b: BudgetFigures) -> None:
    history = b.history
    if history is None:
        return
    move = history["prognosis"].iloc[-1] - history["prognosis"].iloc[0]
    fig = ui.figure(
        budget_charts.prognosis_history,
        history,
        b.budget_result,
        f"Prognosert resultat har {'bedret' if move > 0 else 'svekket'} seg med "
        f"{fmt_mill(abs(move))} siden {history['label'].iloc[0]}",
        f"Prognosert resultat per versjon, {b.year}, 1000 kr",
    )
    names = (("label", "Versjon"), ("prognosis", "Prognosert resultat"))
    ui.chart(fig, ui.memo(_renamed, history, names), key="historikk")


def show_allocations(v: View) -> None:
    alloc = v.allocations
    if alloc.empty:
        return
    st.header("Fordeling til enhetene")
    top = alloc.sort_values("amount_knok", ascending=False).iloc[0]
    fig = ui.figure(
        budget_charts.allocations,
        alloc,
        f"{top['unit']} får mest: {fmt_int(top['amount_knok'])} av "
        f"{fmt_int(alloc['amount_knok'].sum())}",
        f"{alloc['label'].iloc[0]}, 1000 kr",
    )
    names = (("unit", "Enhet"), ("amount_knok", "Beløp"))
    ui.chart(fig, ui.memo(_renamed, alloc, names, only=True), key="fordeling")


def render() -> None:
    f = ui.filters()
    st.title("Budsjett og prognose")
    if not f.unit:
        ui.empty_state("Det finnes ingen data ennå.")
        return
    v = pick_version(ui.view())
    b = v.budget
    if b is None:
        ui.empty_state("Det finnes ingen budsjettprognoser for denne enheten.")
        return
    info = v.imported(b.import_id)
    ui.data_line(
        b.source + (f" ({info})" if info else ""),
        f"Enhet: {f.unit_name}",
        f"år {b.year}",
        "beløp i 1000 kr",
    )
    if b.rolled_up:
        st.info(
            ui.plain(
                f"{f.unit} har ingen prognose selv. Linjene er summen av enhetenes nyeste "
                f"prognoser for {b.year}: " + "; ".join(f"{u}: {lb}" for u, lb in b.rolled_up)
            ),
            icon=":material/stacks:",
        )
    st.markdown(SIGNS, help=GLOSSARY)
    table = ui.memo(line_table, b)
    show_deviation(b, table)
    show_waterfall(b)
    st.header("Tabell")
    ui.table(
        table,
        f"Budsjett og prognose, {b.source} – {f.unit_name} (1000 kr)",
        "budsjett",
        formats=LINE_FORMATS,
    )
    show_multiyear(b)
    show_history(b)
    show_allocations(v)
    st.caption(GLOSSARY)


render()
