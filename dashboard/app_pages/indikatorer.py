"""Indikatorer: every indicator as a small multiple with its target and path, and a detail chart.
The indicators, derived ones included, and their status come from the read model."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import ui, vocab
from dashboard.model.peers import Comparison
from dashboard.model.targets import TargetFigures
from dashboard.model.view import View
from dashboard.numbers import describe_number, fmt_num, fmt_pct
from dashboard.present import tables
from dashboard.present.charts import indicators as indicator_charts

KIND_IN_EXCEL = {**vocab.TARGET_KIND_WORDS, vocab.TargetKind.GROWTH: "vekst i %"}


def _target_number(target: object, kind: object) -> float | None:
    """The target as a number for Excel: a growth target in per cent (15 for «+15 %»)."""
    if target is None or pd.isna(target):
        return None
    return float(target) * 100 if kind == vocab.TargetKind.GROWTH else float(target)


def _targets(frame: pd.DataFrame) -> list[float | None]:
    return [_target_number(x, k) for x, k in zip(frame["target"], frame["kind"], strict=True)]


def _target_texts(frame: pd.DataFrame) -> list[str]:
    return [_target_text(x, k) for x, k in zip(frame["target"], frame["kind"], strict=True)]


def _target_text(target: object, kind: object) -> str:
    if target is None or pd.isna(target):
        return ""
    return fmt_pct(target, 0) if kind == vocab.TargetKind.GROWTH else fmt_num(target, 1)


def show_derived(t: TargetFigures) -> None:
    """How the derived indicators are computed."""
    if t.salary_text:
        st.markdown(ui.plain(t.salary_text))
    if t.has_applicants_ratio:
        st.markdown(
            "**Primærsøkere per studieplass** er beregnet som førstevalgssøkere / studieplasser."
        )


def _overview(t: TargetFigures) -> pd.DataFrame:
    """Every indicator as the table under the small multiples shows it."""
    table = t.table
    return pd.DataFrame(
        {
            "Indikator": table["indicator"],
            "Siste år": table["latest_year"].astype("Int64"),
            "Siste verdi": table["latest_value"],
            "Måleenhet": table["measure_unit"],
            "Type": table["kind"].map(KIND_IN_EXCEL),
            "Mål": _targets(table),
            "Målår": table["target_year"].astype("Int64"),
            "Status": table["status"].astype(str),
        }
    )


def _overview_shown(t: TargetFigures, table: pd.DataFrame) -> pd.DataFrame:
    """The overview as the page writes it: each value in its own unit («85,2 %», «2 710»)."""
    shown = tables.shown(table.drop(columns="Måleenhet"))
    shown["Siste verdi"] = [
        describe_number(v, u) for v, u in zip(table["Siste verdi"], table["Måleenhet"], strict=True)
    ]
    shown["Type"] = t.table["kind"].map(vocab.TARGET_KIND_WORDS).fillna("").values
    shown["Mål"] = _target_texts(t.table)
    return shown


def show_grid(t: TargetFigures) -> None:
    """Every indicator with values as a small multiple, worst status first."""
    if t.shown.empty:
        return
    fig = ui.figure(indicator_charts.indicator_grid, t.shown, t.headline, t.grid_subtitle)
    table = ui.memo(_overview, t)
    ui.chart(
        fig, table, key="grid", formats={"Mål": "value"}, display=ui.memo(_overview_shown, t, table)
    )


def _points(t: TargetFigures, indicator: str) -> pd.DataFrame:
    """One indicator's values per year (and growth from the baseline year for growth targets)."""
    names = {"year": "År", "value": "Verdi", "growth": "Vekst fra basisår"}
    return t.points(indicator).rename(columns=names)


def show_detail(t: TargetFigures, unit: str) -> None:
    """One indicator chosen on the page, with its target and path."""
    st.header("Detalj")
    names = t.ordered["indicator"].tolist()
    if not names:
        return
    pick = st.selectbox("Velg indikator", names, key="indikator", bind="query-params")
    fig = ui.figure(
        indicator_charts.indicator_detail,
        t.row(pick),
        t.detail_title(pick),
        t.detail_subtitle(pick, unit),
    )
    formats = {"Verdi": "value", "Vekst fra basisår": "pct"}
    ui.chart(fig, ui.memo(_points, t, pick), key="detalj", formats=formats)


def _missing(missing: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Område": missing["area"],
            "Resultatmål": missing["indicator"],
            "Type": missing["kind"].map(KIND_IN_EXCEL),
            "Mål": _targets(missing),
            "Enhet": missing["measure_unit"],
            "Målår": missing["target_year"].astype("Int64"),
        }
    )


def show_missing(t: TargetFigures, unit: str) -> None:
    """Result targets that have no values yet, with how to add them."""
    missing = t.without_values
    if missing.empty:
        return
    st.header("Resultatmål uten tall ennå")
    ui.table(
        ui.memo(_missing, missing),
        f"Resultatmål uten tall ({unit})",
        "uten-tall",
        formats={"Mål": "value"},
    )
    st.caption("Last opp verdier (én kolonne per år) for å følge disse målene.")


def _peer_table(c: Comparison) -> pd.DataFrame:
    """The comparison's numbers per year, for «Vis tallene» and Excel."""
    y = c.years
    return pd.DataFrame(
        {
            "År": y["year"],
            c.unit: y["value"],
            "Plass": y["rank"],
            "Antall": y["n"],
            "Median for de andre": y["median"],
            "25-persentil": y["p25"],
            "75-persentil": y["p75"],
            "Lavest": y["low"],
            "Høyest": y["high"],
        }
    )


def _ranking_table(c: Comparison) -> pd.DataFrame:
    r = c.ranking
    return pd.DataFrame({"Plass": r["rank"], "Institusjon": r["name"], "Verdi": r["value"]})


def show_peers(v: View) -> None:
    """NTNU beside the other institutions: the ranking in the newest year and the trend."""
    first = v.peers_in(None)
    if first is None:
        return
    st.header("Sammenlignet med andre institusjoner")
    left, right = st.columns(2)
    groups = {g.label: g.key for g in first.groups}  # the URL carries the label
    label = left.selectbox("Sammenlign med", list(groups), key="sammenlign", bind="query-params")
    key = groups[label]
    p = v.peers_in(key) or first
    names = p.names
    default = names.index(p.main.indicator)
    pick = right.selectbox(
        "Nøkkeltall", names, index=default, key="nokkeltall", bind="query-params"
    )
    c = p.comparisons.get(pick, p.main)
    r = c.latest
    fig = ui.figure(
        indicator_charts.peer_ranking,
        c.ranking,
        float(r["median"]),
        c.number(r["median"]),
        c.title,
        c.subtitle,
    )
    ui.chart(
        fig,
        ui.memo(_ranking_table, c),
        key="sammenligning",
        formats={"Verdi": "value", "Plass": "int"},
    )
    trend = ui.figure(
        indicator_charts.peer_trend,
        c.years,
        c.unit,
        c.measure_unit,
        c.trend_title,
        c.trend_subtitle,
    )
    ui.chart(
        trend,
        ui.memo(_peer_table, c),
        key="sammenligning-trend",
        formats={"Plass": "int", "Antall": "int"},
    )
    if c.sources:
        st.caption(ui.plain("Kilde: " + "; ".join(c.sources)))


def render() -> None:
    """The page."""
    f = ui.filters()
    st.title("Indikatorer og resultatmål")
    t = ui.view().targets if f.unit else None
    if t is None:
        ui.empty_state("Det finnes ingen indikatorer eller resultatmål for denne enheten.")
        return
    ui.data_line(t.sources_text, f"Enhet: {f.unit_name}")
    show_derived(t)
    show_grid(t)
    show_detail(t, f.unit)
    show_peers(ui.view())
    show_missing(t, f.unit)


render()
