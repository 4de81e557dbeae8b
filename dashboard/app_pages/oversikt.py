"""Oversikt: headline figures with the change since the previous report, and what changed.
Every figure comes from the read model (dashboard.model.view); this page only shows it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.errors import UserError
from dashboard.model.view import View
from dashboard.present import deck_pdf, pdf_printer
from dashboard.present.charts import rounds as round_charts


def show_cards(v: View) -> None:
    """The headline figures, two by two."""
    cols = [*st.columns(2), *st.columns(2)]  # 2 × 2: labels stay whole at 1280 px
    for col, card in zip(cols, v.cards, strict=True):
        ui.metric(col, card)


def show_status_changes(v: View) -> bool:
    """Measures whose status changed since the previous report (False: none shown)."""
    s = v.status
    if s is None or s.rolled_up:
        return False
    if s.single_report_text:
        st.caption(ui.plain(s.single_report_text))
        return False
    changes = s.changes
    st.subheader(ui.plain(s.comparison_title))
    if not changes.count:
        st.write("Ingen tiltak har endret status.")
        return False
    c1, c2 = st.columns(2)
    places = (st.container(), st.container(), c1, c2)
    for col, (head, heading, frame) in zip(places, changes.groups, strict=True):
        with col:
            st.markdown(f"**{heading}**")
            if len(frame):
                ui.table(
                    ui.memo(ui.change_table, frame),
                    f"{head} ({v.pin.unit}, {s.plan})",
                    f"endring-{head}",
                    column_config={"Tiltak": st.column_config.TextColumn(width="large")},
                )
    return True


def _moves(b, threshold: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Prognosis lines moved more than `threshold`, and as the table shows them."""
    moves = b.moves(threshold)
    view = pd.DataFrame(
        {
            "Linje": moves["line"],
            "Før": moves["prognosis_før"],
            "Nå": moves["prognosis"],
            "Endring": moves["endring"],
        }
    )
    return moves, view


def show_prognosis_moves(v: View) -> bool:
    """Prognosis lines that moved more than the chosen threshold (False: none shown)."""
    b = v.budget
    if b is None or b.previous_lines is None:
        return False
    threshold = st.number_input(
        "Vis prognoselinjer som er flyttet mer enn (1000 kr)",
        min_value=0,
        value=1000,
        step=500,
        key="terskel",
    )
    moves, view = ui.memo(_moves, b, threshold)
    st.subheader(ui.plain(b.comparison_title))
    if moves.empty:
        st.write(b.no_moves_text(threshold))
        return False
    ui.table(
        view,
        f"Prognoselinjer som har flyttet seg ({v.pin.unit})",
        "prognoseendringer",
        formats={"Endring": "signed"},
    )
    return True


def show_crossed(v: View) -> bool:
    """Result targets whose newest value crossed the target (False: none)."""
    crossed = v.targets.crossed if v.targets is not None else pd.DataFrame()
    if crossed.empty:
        return False
    st.subheader("Resultatmål som krysset målet")
    ui.table(
        ui.renamed(crossed, {"indicator": "Indikator", "year": "År", "change": "Endring"}),
        f"Resultatmål som krysset målet ({v.pin.unit})",
        "krysset",
    )
    return True


def show_round(v: View) -> None:
    """While a reporting round is open: who has reported (the round page has the rest)."""
    r = v.round
    if r is None or not r.is_open or r.by_unit.empty:
        return
    st.header("Rapporteringsrunde")
    fig = ui.memo(
        round_charts.completeness,
        r.by_unit,
        r.headline,
        r.subtitle,
    )
    ui.plotly_chart(fig, width="stretch", config=ui.PLOTLY_CONFIG, key="oversikt-runde", theme=None)
    st.caption(ui.plain(f"{r.said}."))
    st.page_link(
        "app_pages/runder.py",
        label="Til rapporteringsrunden",
        icon=":material/assignment_turned_in:",
    )


def show_board_pack(v: View) -> None:
    """The link to the deck and its PDF."""
    st.header("Til styremøtet")
    st.write(
        "Presentasjonen viser dette utvalget som lysbilder, låst til dataversjonene over: lenken "
        "viser de samme tallene også etter senere opplastinger."
    )
    st.page_link(
        "app_pages/presentasjon.py", label="Åpne presentasjonen", icon=":material/slideshow:"
    )
    warm = ui.settings().warm_pdf
    if warm:
        pdf_printer.prestart()  # Chromium is ready by the time someone asks for the PDF
    if st.button("Lag PDF av presentasjonen", icon=":material/picture_as_pdf:", key="lag_pdf"):
        slides = ui.slides(v.pin)
        try:
            with st.spinner(f"Lager PDF med {len(slides)} lysbilder …"):
                pdf = deck_pdf.render(slides, f"Målbilde · {v.unit_name}", warm=warm)
            st.download_button(
                "Last ned PDF",
                pdf,
                file_name=f"malbilde_{v.pin.unit}_presentasjon.pdf",
                mime="application/pdf",
                icon=":material/download:",
                on_click="ignore",
                key="pdf_ned",
            )
        except UserError as exc:
            st.error(ui.plain(exc.render()))


def render() -> None:
    """The page."""
    f = ui.filters()
    st.title(ui.plain(f"Oversikt – {f.unit_name}") if f.unit else "Oversikt")
    if not f.unit:
        ui.empty_state("Databasen har ingen data ennå.")
        return
    v = ui.view()
    ui.data_line(v.versions_text, f"Enhet: {f.unit_name}")
    if v.status is not None and v.status.rolled_up_text:
        st.info(ui.plain(v.status.rolled_up_text), icon=":material/stacks:")
    show_cards(v)
    show_round(v)
    st.header("Endringer siden forrige rapport")
    shown = [show_status_changes(v), show_prognosis_moves(v), show_crossed(v)]
    if not any(shown) and v.nothing_to_compare:
        st.info(
            "Endringer vises når det finnes to versjoner å sammenligne (to statusrapporter eller "
            "to prognoser)."
        )
    show_board_pack(v)


render()
