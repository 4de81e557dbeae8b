"""Økonomi: the faculty's economy as the board sees it — where each department's income comes
from, årsverk over the year, the cost measures against the cost trajectory, what space is worth
at each level, and an allocation of grants against its pool. Every figure comes from the read
model (dashboard.model.economy); this page only shows it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.model.economy import (
    CostFigures,
    FteFigures,
    GrantFigures,
    IncomeFigures,
    PhdFigures,
    SpaceFigures,
)
from dashboard.present.charts import economy as ec

KR = "Beløp i kroner."


def _shares(frame: pd.DataFrame, kinds: list[str]) -> pd.DataFrame:
    """Shares in % as fractions for the table (written «41,0 %»)."""
    return frame.assign(**{k: frame[k] / 100.0 for k in kinds})


def income(i: IncomeFigures) -> None:
    """Where each unit's income comes from, and how the shares moved."""
    st.subheader("Inntekter per type")
    fig = ui.memo(
        ec.income_mix,
        i.mix,
        i.sort_kind,
        i.title,
        i.subtitle,
    )
    table = ui.renamed(ui.memo(_shares, i.mix.drop(columns="unit"), i.kinds), {"label": "Enhet"})
    ui.chart(fig, table, key="okonomi-inntekter", formats={k: "pct" for k in i.kinds})
    if i.change_heading and not i.change.empty:
        with st.expander(ui.plain(i.change_heading)):
            change = i.change.drop(columns="unit").assign(
                before=i.change["before"] / 100, now=i.change["now"] / 100
            )
            ui.table(
                ui.renamed(
                    change,
                    {
                        "label": "Enhet",
                        "kind": "Type",
                        "before": str(i.previous_year),
                        "now": str(i.year),
                        "change": "Endring (prosentpoeng)",
                    },
                ),
                i.change_export_title,
                "okonomi-inntekter-endring",
                formats={str(i.previous_year): "pct", str(i.year): "pct"},
            )


def phd(p: PhdFigures) -> None:
    """PhD degrees per department."""
    st.subheader(p.heading)
    fig = ui.memo(ec.phd_degrees, p.departments, p.title, p.subtitle)
    columns = {"label": "Enhet", "count": str(p.year)}
    if p.previous_year:
        columns |= {"before": str(p.previous_year), "change": "Endring"}
    table = ui.renamed(p.departments[list(columns)], columns)
    ui.chart(fig, table, key="okonomi-phd")
    st.caption(p.total_text)


def fte(f: FteFigures) -> None:
    """Årsverk per period and category."""
    st.subheader("Årsverk")
    fig = ui.memo(ec.fte_trend, f.series, f.budget, f.title, f.subtitle)
    table = ui.renamed(
        f.series[["period", "category", "fte"]],
        {"period": "Periode", "category": "Kategori", "fte": "Årsverk"},
    )
    ui.chart(fig, table, key="okonomi-arsverk")


def costs(c: CostFigures) -> None:
    """The cost measures against the cost trajectory, and each measure's effect."""
    st.subheader("Kostnadstiltak og effekt")
    fig = ui.memo(ec.cost_trajectory, c.trajectory, c.title, c.subtitle)
    table = ui.renamed(
        c.trajectory,
        {
            "year": "År",
            "effect": "Effekt i året",
            "effect_acc": "Sum tiltak (akk.)",
            "without": "Kostnad uten tiltak",
            "with": "Kostnad med tiltak",
            "target": "Mål",
        },
    )
    ui.chart(fig, table, key="okonomi-kostnader")
    st.markdown(f"**{c.measures_heading}**")
    columns = {  # the plan's measure and its status below the table (too wide beside it)
        "name": "Tiltak",
        "status": "Status",
        "planned": "Planlagt effekt",
        "realised": "Realisert",
        "share": "Andel realisert",
    }
    ui.table(
        ui.renamed(c.measures[list(columns)], columns),
        "Kostnadstiltak",
        "okonomi-tiltak",
        formats={"Andel realisert": "pct"},
    )
    plan_links(c)


def plan_links(c: CostFigures) -> None:
    """Each cost measure that is one of the plan's measures: the plan's latest status beside
    its planned and realised effect; a named measure not stored, with its cell."""
    if not c.links_title:
        return
    st.markdown(f"**{ui.plain(c.links_title)}: siste status i planen og effekten (1000 kr)**")
    lines = [
        f"- **{ui.plain(name)}** – {ui.plain(measure)}: «{ui.plain(said)}»; {effect}"
        for name, measure, said, effect in c.link_lines
    ]
    if lines:
        st.markdown("\n".join(lines))
    for text in c.unlinked_texts:
        st.warning(ui.plain(text))


def space(s: SpaceFigures) -> None:
    """What space is worth at each level, and the buildings by type."""
    st.subheader("Areal – effekt på nivå")
    if s.has_levels:
        fig = ui.memo(ec.space_levels, s.levels, s.title, s.subtitle)
        table = ui.renamed(
            s.levels,
            {"level": "Nivå", "kr_per_kvm": "Kr per kvm", "kvm_per_fte": "Kvm per årsverk"},
        )
        ui.chart(fig, table, key="okonomi-areal")
    if s.buildings_title:
        fig = ui.figure(ec.buildings, s.buildings, s.buildings_title, "Antall kvm per bygningstype")
        table = ui.renamed(
            s.buildings, {"building_type": "Bygningstype", "kvm": "Kvm", "share": "Andel"}
        )
        ui.chart(fig, table, key="okonomi-bygg", formats={"Andel": "pct"})


def grants(g: GrantFigures) -> None:
    """An allocation of grants: its totals and the applicants."""
    st.subheader(ui.plain(g.heading))
    st.markdown(f"**{ui.plain(g.title)}.** {KR}")
    ui.table(
        ui.renamed(g.totals, {"figure": "Tall", "amount": "Kroner"}),
        f"{g.pool}: totaler",
        "okonomi-fordeling-totaler",
    )
    st.markdown(f"**Søkerne ({g.applicants}), med sum**")
    ui.table(
        ui.renamed(
            g.table,
            {
                "applicant": "Søker",
                "applied": "Søkt om",
                "granted": "Tildelt",
                "decision": "Vedtak",
            },
        ),
        f"{g.pool}: søkere",
        "okonomi-fordeling",
    )


def render() -> None:
    """The page."""
    f = ui.filters()
    st.title(ui.plain(f"Økonomi – {f.unit_name}") if f.unit else "Økonomi")
    if not f.unit:
        ui.empty_state("Databasen har ingen data ennå.")
        return
    v = ui.view()
    e = v.economy
    if e is None:
        ui.empty_state(
            f"{f.unit} har ingen inntekter per type, avlagte doktorgrader, årsverk, "
            "kostnadstiltak, areal eller søknader om midler. Last opp en arbeidsbok (maler under «Last opp»)."
        )
        return
    ui.data_line(v.economy_data_text, f"Enhet: {f.unit_name}")
    for part, show in (
        (e.income, income),
        (e.phd, phd),
        (e.fte, fte),
        (e.costs, costs),
        (e.space, space),
        (e.grants, grants),
    ):
        if part is not None:
            show(part)


render()
