"""Indikatorer: every indicator as a small multiple with its target and path, and a detail chart."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import analysis, charts, ui
from dashboard.numbers import fmt_num, fmt_pct

f = ui.filters()
st.title("Indikatorer og resultatmål")
series = ui.q("indicator_series", unit=f.unit) if f.unit else pd.DataFrame()
versions = ui.q("prognosis_versions", unit=f.unit) if f.unit else pd.DataFrame()
budgets = {}
if not versions.empty:
    budgets[f.unit] = ui.q("prognosis_lines", unit=f.unit, label=versions.iloc[0]["label"])
derived = (
    analysis.derived_indicators(series, budgets) if not series.empty or budgets else pd.DataFrame()
)
if series.empty and derived.empty:
    ui.empty_state("Det finnes ingen indikatorer eller resultatmål for denne enheten.")
    st.stop()
if series.empty:
    series = pd.DataFrame(
        columns=[
            "unit",
            "indicator",
            "year",
            "value",
            "source",
            "area",
            "measure_unit",
            "kind",
            "target",
            "baseline_year",
            "target_year",
        ]
    )
combined = analysis.with_derived(series, derived)
table = analysis.indicator_table(combined)
sources = sorted(set(combined["source"].dropna()))
ui.data_line("; ".join(sources[:3]) + (" …" if len(sources) > 3 else ""), f"Enhet: {f.unit_name}")

if budgets:
    share = analysis.salary_share(budgets[f.unit])
    if share:
        st.markdown(
            f"**Lønnsandel** er beregnet, ikke skrevet inn: lønn som andel av totale kostnader (linjen «Kostnad», "
            f"dvs. hele BFV-budsjettet) i {versions.iloc[0]['label']}: budsjett "
            f"{fmt_pct(share.get('budget'))}, prognose {fmt_pct(share.get('prognosis'))}."
        )
if not derived.empty and derived["indicator"].str.contains("Primærsøkere").any():
    st.markdown(
        "**Primærsøkere per studieplass** er beregnet som førstevalgssøkere / studieplasser."
    )

with_values = table[table["points"].map(len) > 0]
judged = table[table["status"].isin(["nådd", "i rute", "bak", "ikke nådd"])]
if not judged.empty:
    good = int(judged["status"].isin(["nådd", "i rute"]).sum())
    finding = f"{good} av {len(judged)} resultatmål med tall er nådd eller i rute"
else:
    finding = (
        f"{len(with_values)} {'indikator' if len(with_values) == 1 else 'indikatorer'} med tall"
    )
order = {"ikke nådd": 0, "bak": 1, "i rute": 2, "nådd": 3, "uten mål": 4, "ingen data": 5}
grid = (
    with_values.assign(o=with_values["status"].map(order))
    .sort_values(["o", "indicator"])
    .drop(columns="o")
)
shown = grid.head(12)
if not shown.empty:
    fig = ui.figure(
        "indicator_grid",
        shown,
        finding,
        "Heltrukket: faktisk · stiplet: målet · prikket: rett linje fra basisår til målår"
        + (f" · viser 12 av {len(grid)}" if len(grid) > 12 else ""),
    )
    overview = pd.DataFrame(
        {
            "Indikator": table["indicator"],
            "Siste år": table["latest_year"].astype("Int64"),
            "Siste verdi": [
                charts.describe_number(v, u)
                for v, u in zip(table["latest_value"], table["measure_unit"], strict=True)
            ],
            "Type": table["kind"].map({"minimum": "minst", "maximum": "høyst", "growth": "vekst"}),
            "Mål": [
                (
                    ""
                    if t is None or pd.isna(t)
                    else (fmt_pct(t, 0) if k == "growth" else fmt_num(t, 1))
                )
                for t, k in zip(table["target"], table["kind"], strict=True)
            ],
            "Målår": table["target_year"].astype("Int64"),
            "Status": table["status"],
        }
    )
    ui.chart(fig, overview, key="grid")

st.header("Detalj")
names = grid["indicator"].tolist()
if names:
    pick = st.selectbox("Velg indikator", names, key="indikator", bind="query-params")
    row = grid[grid["indicator"] == pick].iloc[0]
    latest = charts.describe_number(row["latest_value"], row["measure_unit"])
    if row["status"] in ("uten mål", "ingen data"):
        title = f"{pick}: {latest} i {row['latest_year']}"
    else:
        goal = charts.describe_number(row["goal"], row["measure_unit"])
        title = f"{pick}: {latest} i {row['latest_year']} — {row['status']} (mål {goal} innen {row['target_year'] or '–'})"
    fig = ui.figure(
        "indicator_detail",
        row,
        title,
        f"Enhet: {f.unit}. "
        + (
            "Vekstmål regnes fra basisåret " + str(row["baseline_year"])
            if row["kind"] == "growth"
            else ""
        ),
    )
    pts = pd.DataFrame(row["points"], columns=["År", "Verdi"])
    if row["kind"] == "growth" and row["baseline_year"]:
        growth = dict(analysis.growth_vs_baseline(row["points"], int(row["baseline_year"])))
        pts["Vekst fra basisår"] = pts["År"].map(
            lambda y: fmt_pct(growth[y], 1, is_fraction=False) if y in growth else ""
        )
    ui.chart(fig, pts, key="detalj")

missing = table[table["points"].map(len) == 0]
if not missing.empty:
    st.header("Resultatmål uten tall ennå")
    ui.table(
        pd.DataFrame(
            {
                "Område": missing["area"],
                "Resultatmål": missing["indicator"],
                "Type": missing["kind"].map(
                    {"minimum": "minst", "maximum": "høyst", "growth": "vekst"}
                ),
                "Mål": [
                    fmt_pct(t, 0) if k == "growth" else fmt_num(t, 1)
                    for t, k in zip(missing["target"], missing["kind"], strict=True)
                ],
                "Enhet": missing["measure_unit"],
                "Målår": missing["target_year"].astype("Int64"),
            }
        ),
        f"Resultatmål uten tall ({f.unit})",
        "uten-tall",
    )
    st.caption("Last opp verdier (én kolonne per år) for å følge disse målene.")
