"""Budsjett: budget vs prognosis per line (IBCS), the drivers, the multi-year plan, versions.
The figures come from the read model; where a workbook prints a deviation, that is the one shown."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.model.budget import BudgetFigures
from dashboard.model.pin import with_label
from dashboard.model.view import View
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
    labels = v.prognosis_labels
    if not labels:
        return v
    pick, _ = st.columns([1, 2])
    label = pick.selectbox(
        "Prognoseversjon",
        labels,
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
            "Avvik %": b.deviation_shares,
        }
    )


def _renamed(
    frame: pd.DataFrame, names: tuple[tuple[str, str], ...], only: bool = False
) -> pd.DataFrame:
    """Columns renamed (`only`: just the renamed columns)."""
    if only:
        frame = frame[[old for old, _ in names]]
    return frame.rename(columns=dict(names))


def show_deviation(b: BudgetFigures, table: pd.DataFrame) -> None:
    """Budget against prognosis per line, with the workbook's printed deviations noted."""
    fig = ui.figure(budget_charts.budget_deviation, b.lines, b.headline, b.deviation_subtitle)
    ui.chart(fig, table, key="avvik", formats=LINE_FORMATS)
    for note in b.mismatch_notes:
        st.caption("\\* " + ui.plain(note))


def show_waterfall(b: BudgetFigures) -> None:
    """From the budgeted to the prognosed result, the largest driver first."""
    if b.driver_title is None:
        return
    fig = ui.figure(
        budget_charts.waterfall,
        b.steps,
        b.budget_result,
        b.prognosis_result,
        b.driver_title,
        b.waterfall_subtitle,
    )
    names = (("label", "Linje"), ("effect", "Virkning"))
    ui.chart(
        fig, ui.memo(_renamed, b.steps, names), formats={"Virkning": "signed"}, key="waterfall"
    )
    st.caption(
        "Trinnene er sortert etter størrelse; hvert trinn er linjens virkning på resultatet "
        "(− avviket)."
    )


def show_multiyear(b: BudgetFigures) -> None:
    """The multi-year plan: IB, result and UB per year."""
    if b.multiyear is None:
        return
    st.header("Langtidsbudsjett")
    fig = ui.figure(budget_charts.multiyear, b.multiyear, b.multiyear_title, b.multiyear_subtitle)
    ui.chart(fig, b.multiyear_wide, key="langtid")


def show_history(b: BudgetFigures) -> None:
    """How the prognosed result moved over this year's versions."""
    if b.history is None:
        return
    fig = ui.figure(
        budget_charts.prognosis_history,
        b.history,
        b.budget_result,
        b.history_title,
        b.history_subtitle,
    )
    names = (("label", "Versjon"), ("prognosis", "Prognosert resultat"))
    ui.chart(fig, ui.memo(_renamed, b.history, names), key="historikk")


def show_allocations(v: View) -> None:
    """What the unit distributes to its units."""
    alloc = v.allocations
    if alloc.empty:
        return
    st.header("Fordeling til enhetene")
    fig = ui.figure(budget_charts.allocations, alloc, v.allocation_title, v.allocation_subtitle)
    names = (("unit", "Enhet"), ("amount_knok", "Beløp"))
    ui.chart(fig, ui.memo(_renamed, alloc, names, only=True), key="fordeling")


def render() -> None:
    """The page."""
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
    ui.data_line(
        v.budget_data_text,
        f"Enhet: {f.unit_name}",
        f"år {b.year}",
        "beløp i 1000 kr",
    )
    if b.rolled_up:
        st.info(ui.plain(b.rolled_up_text), icon=":material/stacks:")
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
