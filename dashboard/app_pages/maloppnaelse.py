"""Måloppnåelse: status per area and goal, units side by side, the measure table and history.
The figures come from the read model; this page draws and filters them."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import ui, vocab
from dashboard.model import status
from dashboard.model.status import StatusFigures
from dashboard.model.view import View
from dashboard.numbers import fmt_date
from dashboard.present.charts import status as status_charts


def show_goals(v: View) -> None:
    """The unit's strategy: goals per part and area (the frame the measures follow up)."""
    for strategy in v.strategies:
        st.header(ui.plain(strategy.title))
        st.caption(ui.plain(strategy.parts_text))
        fig = ui.figure(
            status_charts.goals_by_area,
            strategy.rows,
            strategy.headline,
            strategy.subtitle,
        )
        ui.chart(
            fig,
            ui.renamed(strategy.rows, {"part": "Del", "area": "Område", "goals": "Mål"}),
            key=f"goals-{strategy.name}",
        )


def show_round_note(v: View, area: str | None) -> None:
    """Whose answers the figures count (the unit's reporting round of this plan)."""
    note = v.round_note_in(area)
    if note:
        st.caption(ui.plain(note))


def show_status_charts(v: View, s: StatusFigures) -> None:
    """Status per area (per unit too for a roll-up) and per goal, each with its numbers."""
    fig = ui.figure(
        status_charts.status_by_area,
        s.by_area,
        s.headline,
        s.area_subtitle,
    )
    numbers = ui.renamed(
        s.by_area,
        {"area": "Område", "score": "Status", "category": "Kategori", "measures": "Tiltak"},
    )
    ui.chart(fig, numbers, key="per_area")
    if s.rolled_up:
        fig = ui.figure(
            status_charts.status_by_area,
            s.by_unit,
            s.units_title,
            "Antall tiltak per enhet og status, hver enhets siste rapport",
        )
        ui.chart(
            fig,
            ui.renamed(
                s.by_unit,
                {"area": "Enhet", "score": "Status", "category": "Kategori", "measures": "Tiltak"},
            ),
            key="per_unit",
        )
    if not s.by_goal.empty:
        fig = ui.figure(
            status_charts.status_by_goal,
            s.by_goal,
            s.goal_title,
            s.goal_detail,
        )
        ui.chart(
            fig,
            ui.renamed(
                s.by_goal,
                {"plan": "Plan", "goal_no": "Mål", "score": "Status", "measures": "Tiltak"},
            ),
            key="per_goal",
        )


def show_heatmap(v: View, s: StatusFigures, area: str | None) -> None:
    """Share done per area and unit, when more than one unit reports in the plan."""
    heat, finding = v.heatmap_in(area)
    if heat.empty:
        return
    fig = ui.figure(
        status_charts.unit_heatmap,
        heat,
        finding,
        s.heatmap_subtitle,
    )
    ui.chart(
        fig,
        ui.renamed(
            heat,
            {
                "unit": "Enhet",
                "area": "Område",
                "measures": "Tiltak",
                "done": "På 4–5",
                "share_done": "Andel",
            },
        ),
        key="heatmap",
        formats={"Andel": "pct"},
    )


def _filtered(table: pd.DataFrame) -> pd.DataFrame:
    """The search field and the status and goal filters, and the measures they keep."""
    c1, c2, c3 = st.columns([2, 1, 1])
    search = c1.text_input(
        "Søk i tiltak og kommentarer", key="sok", placeholder="for eksempel «praksis»"
    )
    options = ui.memo(status.status_choices, table)
    chosen = c2.multiselect("Status", options, key="statusfilter", placeholder="Alle")
    goals = ui.memo(status.goal_choices, table)
    chosen_goals = (
        c3.multiselect("Mål", goals, key="malfilter", placeholder="Alle") if goals else []
    )
    return ui.memo(status.select_measures, table, search, chosen, chosen_goals)


def _shown(s: StatusFigures, table: pd.DataFrame) -> pd.DataFrame:
    """The measures as the table shows them (columns with nothing to show dropped)."""
    show = pd.DataFrame(
        {
            "Enhet": table["unit"] if s.rolled_up else None,
            "Område": table["area"],
            "Mål": table["goal_no"].astype("Int64"),
            "Tiltak": table["title"],
            "Status": [  # a score's word, else the status text as written
                vocab.status_word(x, None) if pd.notna(x) else t
                for x, t in zip(table["score"], table["status_text"], strict=True)
            ]
            if s.scored
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
    return show.replace("", None).dropna(axis=1, how="all")


def show_measures(v: View, s: StatusFigures) -> None:
    """The measure table with its search and filters, and what it shows of how many."""
    st.header("Tiltakene")
    today = dt.date.today()
    table = _filtered(ui.memo(status.flagged_measures, s, today))
    overdue = status.overdue_text(table)
    if overdue:
        st.warning(overdue, icon=":material/warning:")
    show = ui.memo(_shown, s, table)
    ui.table(
        show,
        f"Tiltak: {s.source} – {v.unit_name}",
        "tiltak",
        height=min(620, 40 + 35 * len(show)),
    )
    st.caption(s.shown_text(len(show), today))


def _titles(s: StatusFigures) -> list[str]:
    """The measures' titles (the history's choice)."""
    return s.measures["title"].tolist()


def _history_of(history: pd.DataFrame, pick: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One measure's rows of the history, and as the table shows them."""
    mine = status.one_measure(history, pick)
    shown = pd.DataFrame(
        {
            "Rapport": mine["round"],
            "Importert": mine["imported_at"].map(fmt_date),
            "Status": [
                vocab.status_word(x, t)
                for x, t in zip(mine["score"], mine["status_text"], strict=True)
            ],
            "Kategori": mine["category"],
            "Kommentar": mine["comment"],
        }
    )
    return mine, shown


def show_history(v: View, s: StatusFigures) -> None:
    """One chosen measure's reports over time, beside its comment thread."""
    if s.rolled_up:
        return
    st.header("Ett tiltak over tid")
    history = v.measure_history(s.plan)
    pick = st.selectbox("Velg tiltak", ui.memo(_titles, s), key="tiltak")
    mine, shown = ui.memo(_history_of, history, pick)
    if not len(mine):
        return
    last = mine.iloc[-1]
    goal = "" if pd.isna(last["goal_no"]) else int(last["goal_no"])
    st.markdown(
        f"**{ui.plain(pick)}**  \nOmråde: {ui.plain(last['area'] or '–')} · Mål: {goal} · Status nå: "
        f"**{ui.plain(vocab.status_word(last['score'], last['status_text']))}**"
    )
    left, right = st.columns([3, 2])
    with left:
        ui.table(shown, f"Statushistorikk: {pick}", "historikk")
        if len(mine) == 1:
            st.caption(
                "Bare én rapport finnes for denne planen; historikken vokser med hver ny "
                "statusrapport."
            )
    with right:
        show_thread(v, s.plan, str(last["measure_key"]), pick)


# ---- the measure's comment thread (dashboard.service.comments)
def show_thread(v: View, plan: str, key: str, title: str) -> None:
    """«Spørsmål og kommentarer»: the measure's thread (author, time, text shown as text) and,
    for `rapportør` or higher of the unit, a field to post in it."""
    from dashboard.errors import UserError
    from dashboard.service import comments

    unit = v.pin.unit
    st.subheader("Spørsmål og kommentarer")
    thread = comments.thread(ui.connection(), unit, plan, key, v.pin.event)
    if thread.empty:
        st.caption("Ingen kommentarer ennå.")
    for row in thread.itertuples():
        st.caption(
            ui.plain(
                f"{row.author_name or row.author} · {fmt_date(row.written_at)} "
                f"{pd.Timestamp(row.written_at):%H:%M}"
            )
        )
        st.text(row.body)
    user = ui.current_user()
    if user is None or not user.can("rapportør", unit):
        return
    with st.form(f"kommentar-{key}", clear_on_submit=True):
        body = st.text_area("Ny kommentar", key="kommentar-tekst")
        if st.form_submit_button("Legg inn kommentar"):
            try:
                with ui.write_connection() as con:
                    comments.post(con, user, unit, plan, key, title, body)
            except UserError as exc:
                st.error(exc.render())
                return
            ui.clear_caches()
            st.rerun()


def render() -> None:
    """The page for the sidebar's unit and area."""
    f = ui.filters()
    st.title("Måloppnåelse")
    if not f.unit:
        ui.empty_state("Det finnes ingen data ennå.")
        return
    v = ui.view()
    s = v.status_in(f.area)
    if s is None:
        if v.strategies:
            ui.data_line(v.strategies_text, f"Enhet: {f.unit_name}")
            st.info(
                "Enheten har en strategi med mål, men ingen statusrapporter for tiltak ennå.",
                icon=":material/info:",
            )
            show_goals(v)
        else:
            ui.empty_state("Det finnes ingen statusrapporter eller strategimål for denne enheten.")
        return
    ui.data_line(
        v.status_data_text,
        f"Enhet: {f.unit_name}",
        f"Område: {f.area}" if f.area else "alle områder",
    )
    if s.rolled_up_text:
        st.info(ui.plain(s.rolled_up_text), icon=":material/stacks:")
    if s.measures.empty:
        ui.empty_state("Ingen tiltak i dette utvalget.")
        return
    show_round_note(v, f.area)
    show_status_charts(v, s)
    show_heatmap(v, s, f.area)
    show_measures(v, s)
    show_history(v, s)
    show_goals(v)


render()
