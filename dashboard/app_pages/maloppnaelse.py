"""Måloppnåelse: status per area and goal, units side by side, the measure table and history."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import analysis, ui
from dashboard.numbers import fmt_date, fmt_pct
from dashboard.theme import CATEGORY_ORDER, SCORE_WORDS

f = ui.filters()
st.title("Måloppnåelse")
strategy_goals = ui.q("goal_summary", unit=f.unit) if f.unit else None


def show_goals() -> None:
    """The unit's strategy: goals per part and area (the frame the measures follow up)."""
    if strategy_goals is None or strategy_goals.empty:
        return
    for strategy, rows in strategy_goals.groupby("strategy", sort=False):
        st.header(f"{strategy}: {int(rows['goals'].sum())} mål i {rows['area'].nunique()} områder")
        parts = rows.groupby("part", sort=False)["goals"].sum()
        st.caption(" · ".join(f"{p}: {int(n)} mål" for p, n in parts.items()))
        fig = ui.figure(
            "goals_by_area",
            rows,
            f"{parts.idxmax()} har flest mål ({int(parts.max())} av {int(parts.sum())})",
            f"{strategy}, {f.unit_name}; antall utviklingsmål per område",
        )
        ui.chart(
            fig,
            rows.rename(columns={"part": "Del", "area": "Område", "goals": "Mål"})[
                ["Del", "Område", "Mål"]
            ],
            key=f"goals-{strategy}",
        )


if not f.unit or not f.plan:
    if strategy_goals is not None and not strategy_goals.empty:
        ui.data_line(f"{', '.join(strategy_goals['strategy'].unique())}", f"Enhet: {f.unit_name}")
        st.info(
            "Enheten har en strategi med mål, men ingen statusrapporter for tiltak ennå.",
            icon=":material/info:",
        )
        show_goals()
    else:
        ui.empty_state("Det finnes ingen statusrapporter eller strategimål for denne enheten.")
    st.stop()

measures = ui.q("measure_status", unit=f.unit, plan=f.plan, round=f.round)
plan_row = ui.q("plan_summary", unit=f.unit)
plan_row = plan_row[(plan_row["plan"] == f.plan) & (plan_row["round"] == f.round)].iloc[0]
ui.data_line(
    f"{f.plan}, {f.round} ({ui.import_info(plan_row['import_id'])})",
    f"Enhet: {f.unit_name}",
    f"Område: {f.area}" if f.area else "alle områder",
)
if f.area:
    measures = measures[measures["area"] == f.area]
if measures.empty:
    ui.empty_state("Ingen tiltak i dette utvalget.")
    st.stop()

scored = measures["score"].notna().any()
n = len(measures)
if scored:
    started = int((measures["score"] >= 2).sum())
    finding = f"{started} av {n} tiltak er igangsatt"
    detail = f"{int((measures['score'] >= 4).sum())} er gjennomført eller rapportert (status 4–5)"
else:
    late = int(measures["category"].isin(["Forsinket", "Utsatt"]).sum())
    finding = f"{int((measures['category'] == 'Gjennomført').sum())} av {n} tiltak er gjennomført"
    detail = f"{late} er forsinket eller utsatt"

counts = analysis.counts_by_area(measures)
fig = ui.figure(
    "status_by_area",
    counts,
    finding,
    f"{detail}. {f.plan}, {f.round}; antall tiltak per område og status",
)
numbers = counts.rename(
    columns={"area": "Område", "score": "Status", "category": "Kategori", "measures": "Tiltak"}
)
ui.chart(fig, numbers, key="per_area")

if scored and measures["goal_no"].notna().any():
    per_goal = measures.groupby(["goal_no", "score"]).size().reset_index(name="measures")
    goals = measures["goal_no"].nunique()
    idle = measures.groupby("goal_no")["score"].max()
    fig = ui.figure(
        "status_by_goal",
        per_goal,
        f"{n} tiltak følger opp {goals} mål i strategien",
        f"{int((idle < 2).sum())} mål har ingen tiltak igangsatt ennå; antall tiltak per målnummer i strategien og status",
    )
    ui.chart(
        fig,
        per_goal.rename(columns={"goal_no": "Mål", "score": "Status", "measures": "Tiltak"}),
        key="per_goal",
    )

heat = ui.q("unit_heatmap", unit=f.unit, plan=f.plan)
if heat["unit"].nunique() > 1:
    if f.area:
        heat = heat[heat["area"] == f.area]
    by_unit = heat.groupby("unit")[["done", "measures"]].sum()
    best = (by_unit["done"] / by_unit["measures"]).idxmax()
    fig = ui.figure(
        "unit_heatmap",
        heat,
        f"{best} har størst andel tiltak på status 4–5",
        f"Andel tiltak gjennomført (4–5) per område og enhet; antall tiltak i parentes. {f.plan}, siste rapport per enhet",
    )
    ui.chart(
        fig,
        heat.rename(
            columns={
                "unit": "Enhet",
                "area": "Område",
                "measures": "Tiltak",
                "done": "På 4–5",
                "share_done": "Andel",
            }
        ),
        key="heatmap",
    )

st.header("Tiltakene")
today = dt.date.today()
table = measures.copy()
table["forfalt"] = analysis.overdue(table, today).values
table["flagg"] = [
    " ".join(
        x
        for x in (
            "⚠ Forfalt" if over else "",
            "⏳ Forsinket" if cat == "Forsinket" else "",
            "⏸ Utsatt" if cat == "Utsatt" else "",
        )
        if x
    )
    for over, cat in zip(table["forfalt"], table["category"], strict=True)
]
c1, c2, c3 = st.columns([2, 1, 1])
search = c1.text_input(
    "Søk i tiltak og kommentarer", key="sok", placeholder="for eksempel «praksis»"
)
status_options = (
    [SCORE_WORDS[s] for s in sorted(table["score"].dropna().unique().astype(int))]
    if scored
    else [c for c in CATEGORY_ORDER if c in set(table["category"])]
)
chosen = c2.multiselect("Status", status_options, key="statusfilter", placeholder="Alle")
goals = sorted(table["goal_no"].dropna().unique().astype(int))
chosen_goals = c3.multiselect("Mål", goals, key="malfilter", placeholder="Alle") if goals else []
if search:
    needle = search.lower()
    table = table[
        table["title"].str.lower().str.contains(needle, regex=False)
        | table["comment"].fillna("").str.lower().str.contains(needle, regex=False)
        | table["status_text"].fillna("").str.lower().str.contains(needle, regex=False)
    ]
if chosen:
    table = (
        table[
            table["score"]
            .map(lambda s: SCORE_WORDS.get(int(s)) if pd.notna(s) else None)
            .isin(chosen)
        ]
        if scored
        else table[table["category"].isin(chosen)]
    )
if chosen_goals:
    table = table[table["goal_no"].isin(chosen_goals)]
if int(table["forfalt"].sum()):
    st.warning(
        f"{int(table['forfalt'].sum())} tiltak har passert planlagt sluttdato uten å være gjennomført.",
        icon="⚠️",
    )
show = pd.DataFrame(
    {
        "Område": table["area"],
        "Mål": table["goal_no"].astype("Int64"),
        "Tiltak": table["title"],
        "Status": table["score"].map(
            lambda s: SCORE_WORDS.get(int(s)) if pd.notna(s) else "ikke rapportert"
        )
        if scored
        else table["status_text"],
        "Kategori": table["category"],
        "Kommentar": table["comment"],
        "Periode": [
            f"{fmt_date(a)}–{fmt_date(b)}" if pd.notna(a) and pd.notna(b) else ""
            for a, b in zip(table["period_start"], table["period_end"], strict=True)
        ],
        "Videreføres": table["continuation"],
        "Merknad": table["flagg"],
    }
)
show = show.replace("", None).dropna(axis=1, how="all")  # drop columns with nothing to show
st.dataframe(show, hide_index=True, width="stretch", height=min(620, 40 + 35 * len(show)))
ui.excel_button(
    show,
    f"Tiltak: {f.plan}, {f.round} – {f.unit_name}",
    st.session_state.get("_data_text", ""),
    key="tiltak",
)
st.caption(
    f"{len(show)} av {n} tiltak vist. Forfalt = planlagt sluttdato passert før {fmt_date(today)} uten at tiltaket er gjennomført."
)

st.header("Ett tiltak over tid")
history = ui.q("status_history", unit=f.unit, plan=f.plan)
titles = measures["title"].tolist()
pick = st.selectbox("Velg tiltak", titles, key="tiltak")
mine = history[history["title"] == pick]
if len(mine):
    last = mine.iloc[-1]
    status = (
        SCORE_WORDS.get(int(last["score"]))
        if pd.notna(last["score"])
        else (last["status_text"] or "ikke rapportert")
    )
    st.markdown(
        f"**{pick}**  \nOmråde: {last['area'] or '–'} · Mål: {'' if pd.isna(last['goal_no']) else int(last['goal_no'])} · "
        f"Status nå: **{status}**"
    )
    ui.table(
        pd.DataFrame(
            {
                "Rapport": mine["round"],
                "Importert": mine["imported_at"].map(fmt_date),
                "Status": [
                    SCORE_WORDS.get(int(s)) if pd.notna(s) else t
                    for s, t in zip(mine["score"], mine["status_text"], strict=True)
                ],
                "Kategori": mine["category"],
                "Kommentar": mine["comment"],
            }
        ),
        f"Statushistorikk: {pick}",
        "historikk",
    )
    if len(mine) == 1:
        st.caption(
            "Bare én rapport finnes for denne planen; historikken vokser med hver ny statusrapport."
        )
share = (
    (measures["score"] >= 4).mean() if scored else (measures["category"] == "Gjennomført").mean()
)
st.caption(f"Andel gjennomført i utvalget: {fmt_pct(share)}")

show_goals()
