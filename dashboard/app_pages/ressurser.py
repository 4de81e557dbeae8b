"""Tiltak og ressurser: is the plan funded, can it be done at once, does it hang on a few
people, where is the risk, are the strategy's goals covered — and how the last plan did. Every
figure comes from the read model (dashboard.model.resources); this page only shows it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.model.resources import OWNER_LIMIT, ResourceFigures
from dashboard.present.charts import resources as rc

MEASURE_COLUMNS = {"title": "Tiltak", "area": "Område", "owner": "Ansvarlig"}


def funded(r: ResourceFigures) -> None:
    """«Er planen finansiert?»: need against funding per area, and measures without an estimate."""
    st.subheader("Er planen finansiert?")
    fig = ui.memo(
        rc.funding,
        r.funding_by_area,
        r.funding_title,
        r.funding_subtitle,
    )
    table = ui.renamed(
        r.funding_by_area,
        {
            "area": "Område",
            "need": "Behov",
            "granted": "Finansiert",
            "gap": "Mangler",
            "measures": "Tiltak",
        },
    )
    ui.chart(fig, table, key="ressurser-finansiering")
    if len(r.without_estimate):
        st.markdown(f"**{r.without_estimate_heading}**")
        ui.table(
            ui.renamed(r.without_estimate[list(MEASURE_COLUMNS)], MEASURE_COLUMNS),
            r.export_titles["without_estimate"],
            "ressurser-uten-anslag",
        )


def at_once(r: ResourceFigures) -> None:
    """«Kan alt starte samtidig?»: measures running per quarter, and their timeline."""
    st.subheader("Kan alt starte samtidig?")
    fig = ui.memo(
        rc.running_per_quarter,
        r.by_quarter,
        r.timing_title,
        r.timing_subtitle,
        r.capacity,
    )
    ui.chart(
        fig,
        ui.renamed(
            r.by_quarter[["label", "running"]], {"label": "Kvartal", "running": "Tiltak i gang"}
        ),
        key="ressurser-kvartal",
    )
    if not r.timeline.empty:
        with st.expander(r.timeline_heading):
            gantt = ui.memo(rc.timeline, r.timeline, r.timeline_title, r.timeline_subtitle)
            ui.plotly_chart(
                gantt, width="stretch", config=ui.PLOTLY_CONFIG, key="ressurser-gantt", theme=None
            )


def people(r: ResourceFigures) -> None:
    """«Henger planen på få personer?»: measures per owner, and those without one."""
    st.subheader("Henger planen på få personer?")
    if r.by_owner.empty:
        st.write("Ingen tiltak har en ansvarlig oppgitt.")
    else:
        fig = ui.memo(
            rc.owners,
            r.by_owner,
            OWNER_LIMIT,
            r.owners_title,
            r.owners_subtitle,
        )
        table = ui.renamed(
            r.by_owner,
            {
                "owner": "Ansvarlig",
                "measures": "Tiltak",
                "running": "I gang",
                "need": "Behov",
                "over_limit": f"Flere enn {OWNER_LIMIT}",
            },
        )
        ui.chart(fig, table, key="ressurser-ansvarlige")
    if len(r.no_owner):
        st.markdown(f"**{r.no_owner_heading}**")
        ui.table(
            ui.renamed(r.no_owner[["title", "area"]], MEASURE_COLUMNS),
            r.export_titles["no_owner"],
            "ressurser-uten-ansvarlig",
        )


def risk(r: ResourceFigures) -> None:
    """«Hvor er risikoen?»: measures per risk and status, with the reasons."""
    st.subheader("Hvor er risikoen?")
    fig = ui.figure(rc.risk_by_status, r.risk_table, r.risk_title, "Tiltak per risiko og status")
    table = ui.renamed(
        r.risk_table[["title", "risk", "status", "risk_reason"]],
        {"title": "Tiltak", "risk": "Risiko", "status": "Status", "risk_reason": "Begrunnelse"},
    )
    ui.chart(fig, table, key="ressurser-risiko")


def goals(r: ResourceFigures) -> None:
    """«Er strategimålene dekket?»: the strategy's goals by the measures that follow them up."""
    st.subheader("Er strategimålene dekket?")
    if r.goal_coverage.empty:
        st.write(ui.plain(r.goals_title + "."))
        return
    fig = ui.memo(
        rc.goal_coverage,
        r.goal_coverage,
        r.goals_title,
        "Strategimål per område etter tiltakene i planen",
    )
    table = ui.renamed(
        r.goal_coverage,
        {
            "part": "Del",
            "area": "Område",
            "goal_no": "Mål nr.",
            "text": "Mål",
            "measures": "Tiltak",
            "started": "Igangsatt",
            "coverage": "Dekning",
        },
    )
    ui.chart(fig, table, key="ressurser-mal")


def evaluated(r: ResourceFigures) -> None:
    """«Hvordan gikk …?»: the evaluation of this plan or the one before, and its causes."""
    e = r.evaluated
    if e is None:
        return
    st.subheader(ui.plain(e.evaluation_heading))
    fig = ui.memo(rc.evaluation, e.graded, e.evaluation_title, e.evaluation_subtitle)
    ui.chart(
        fig,
        ui.renamed(
            e.graded[["title", "grade", "causes"]],
            {"title": "Tiltak", "grade": "Måloppnåelse", "causes": "Årsaker"},
        ),
        key="ressurser-evaluering",
    )
    if len(e.causes):
        causes = pd.DataFrame({"Årsak": e.causes.index, "Tiltak": e.causes.values})
        st.markdown("**Årsaker**")
        ui.table(causes, e.export_titles["causes"], "ressurser-arsaker")
    if e is not r and r.comparison:
        st.markdown(f"**{ui.plain(r.comparison)}.**")


def render() -> None:
    """The page for the sidebar's unit and the chosen plan."""
    f = ui.filters()
    st.title(ui.plain(f"Tiltak og ressurser – {f.unit_name}") if f.unit else "Tiltak og ressurser")
    if not f.unit:
        ui.empty_state("Databasen har ingen data ennå.")
        return
    v = ui.view()
    plans = v.resource_plans
    if not plans:
        ui.empty_state(
            f"{f.unit} har ingen tiltak med ansvarlig, ressursbehov, finansiering eller risiko, og "
            "ingen evaluering av en plan. Last opp et tiltaksregister (mal under «Last opp»)."
        )
        return
    plan = st.selectbox("Plan", plans, key="ressurs_plan")
    r = v.resources_in(plan)
    ui.data_line(
        r.data_text,
        f"Enhet: {f.unit_name}",
    )
    if r.n:
        funded(r)
        at_once(r)
        people(r)
        risk(r)
        goals(r)
    evaluated(r)


render()
