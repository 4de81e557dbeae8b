"""Oversikt: headline figures with the change since the previous report, and what changed."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import analysis, ui
from dashboard.indicators import evaluate
from dashboard.numbers import fmt_int, fmt_mill, fmt_pct, fmt_signed

f = ui.filters()
st.title(f"Oversikt – {f.unit_name}" if f.unit else "Oversikt")
if not f.unit:
    ui.empty_state("Databasen har ingen data ennå.")
    st.stop()

plans = ui.q("plan_summary", unit=f.unit)
versions = ui.q("prognosis_versions", unit=f.unit)
series = ui.q("indicator_series", unit=f.unit)

current = previous = None
if f.plan:
    current, previous = analysis.rounds_around(plans, f.plan, f.round)

prog_now = versions.iloc[0] if not versions.empty else None
prog_before = versions.iloc[1] if len(versions) > 1 else None
ui.data_line(
    f"{f.plan}, {f.round} ({ui.import_info(current['import_id'])})" if current is not None else "",
    f"{prog_now['label']} ({ui.import_info(prog_now['import_id'])})"
    if prog_now is not None
    else "",
    f"Enhet: {f.unit_name}",
)

cols = [*st.columns(2), *st.columns(2)]  # 2 × 2: labels stay whole at 1280 px
if current is not None:
    n = int(current["measures"])
    scored = int(current["scored"]) > 0
    started = (
        int(current["started"]) if scored else int(current["measures"] - current["not_started"])
    )
    done = int(current["score_4_5"]) if scored else int(current["completed"])
    label_started = "Igangsatt (status ≥ 2)" if scored else "I gang eller gjennomført"
    d_started = d_done = None
    if previous is not None:
        before_started = (
            int(previous["started"])
            if scored
            else int(previous["measures"] - previous["not_started"])
        )
        before_done = int(previous["score_4_5"]) if scored else int(previous["completed"])
        d_started, d_done = started - before_started, done - before_done
    since = " fra forrige" if previous is not None else ""
    compared = f"{f.plan}, {f.round}" + (
        f"; endringen er fra forrige rapport, {previous['round']}." if previous is not None else "."
    )
    ui.metric(
        cols[0],
        label_started,
        f"{started} av {n}",
        d_started,
        f"{fmt_signed(d_started)}{since}" if d_started is not None else None,
        help=compared,
    )
    ui.metric(
        cols[1],
        "Gjennomført (4–5)" if scored else "Gjennomført",
        f"{done} av {n}",
        d_done,
        f"{fmt_signed(d_done)}{since}" if d_done is not None else None,
        help=f"{fmt_pct(done / n if n else 0)} av tiltakene. {compared}",
    )
else:
    ui.metric(cols[0], "Tiltak", "–")
    ui.metric(cols[1], "Gjennomført", "–")

lines_now = lines_before = None
if prog_now is not None:
    lines_now = ui.q("prognosis_lines", unit=f.unit, label=prog_now["label"])
    budget_result = analysis.result_of(lines_now, "budget")
    prog_result = analysis.result_of(lines_now, "prognosis")
    change = None
    if prog_before is not None:
        lines_before = ui.q("prognosis_lines", unit=f.unit, label=prog_before["label"])
        before = analysis.result_of(lines_before, "prognosis")
        if before is not None and prog_result is not None:
            change = prog_result - before
    if budget_result is not None and prog_result is not None:
        ui.metric(
            cols[2],
            "Resultat mot budsjett",
            fmt_mill(prog_result - budget_result),
            change,
            f"{fmt_mill(change)} fra forrige" if change is not None else None,
            help="Prognosert resultat minus budsjettert resultat. Negativt tall: prognosen er svakere "
            "enn budsjettet. Endringen er prognosert resultat mot forrige prognose.",
        )
else:
    ui.metric(cols[2], "Resultat mot budsjett", "–")

table = analysis.indicator_table(series) if not series.empty else pd.DataFrame()
with_target = (
    table[table["status"].isin(["nådd", "i rute", "bak", "ikke nådd"])]
    if not table.empty
    else table
)
if not with_target.empty:
    good = int(with_target["status"].isin(["nådd", "i rute"]).sum())
    ui.metric(
        cols[3],
        "Resultatmål i rute",
        f"{good} av {len(with_target)}",
        help="Resultatmål med verdier: nådd, i rute mot målet (rett linje fra basisår), bak eller ikke nådd.",
    )
else:
    ui.metric(
        cols[3],
        "Resultatmål i rute",
        "–",
        help="Ingen resultatmål for denne enheten har både mål og verdier.",
    )

st.header("Endringer siden forrige rapport")
any_change = False
if current is not None and previous is not None:
    now = ui.q("measure_status", unit=f.unit, plan=f.plan, round=f.round)
    before = ui.q("measure_status", unit=f.unit, plan=f.plan, round=previous["round"])
    changes = analysis.status_changes(before, now)
    st.subheader(f"Tiltak: {previous['round']} → {f.round}")
    if changes.count:
        any_change = True
        up, down = st.container(), st.container()
        c1, c2 = st.columns(2)
        for col, frame, head in (
            (up, changes.rose, "↑ Status steg"),
            (down, changes.fell, "↓ Status falt"),
            (c1, changes.new, "+ Nye tiltak"),
            (c2, changes.dropped, "− Tatt ut av planen"),
        ):
            with col:
                st.markdown(f"**{head}: {len(frame)}**")
                if len(frame):
                    ui.table(
                        ui.change_table(frame),
                        f"{head} ({f.unit}, {f.plan})",
                        f"endring-{head}",
                        column_config={"Tiltak": st.column_config.TextColumn(width="large")},
                    )
    else:
        st.write("Ingen tiltak har endret status.")
elif current is not None:
    st.caption(
        f"{f.plan} har bare én rapport ({f.round}); endringer vises når neste rapport er lastet opp."
    )

if lines_now is not None and lines_before is not None:
    threshold = st.number_input(
        "Vis prognoselinjer som er flyttet mer enn (1000 kr)",
        min_value=0,
        value=1000,
        step=500,
        key="terskel",
    )
    moves = analysis.prognosis_moves(lines_before, lines_now, threshold)
    st.subheader(f"Prognose: {prog_before['label']} → {prog_now['label']}")
    if moves.empty:
        st.write(f"Ingen linjer er flyttet mer enn {fmt_int(threshold)} (1000 kr).")
    else:
        any_change = True
        view = pd.DataFrame(
            {
                "Linje": moves["line"],
                "Før": moves["prognosis_før"].map(fmt_int),
                "Nå": moves["prognosis"].map(fmt_int),
                "Endring": moves["endring"].map(fmt_signed),
            }
        )
        ui.table(view, f"Prognoselinjer som har flyttet seg ({f.unit})", "prognoseendringer")

if not table.empty:
    crossed = []
    for _, row in table.iterrows():
        pts = row["points"]
        if len(pts) < 2 or row["status"] in ("uten mål", "ingen data"):
            continue
        before = evaluate(
            pts[:-1], row["kind"], row["target"], row["baseline_year"], row["target_year"]
        ).status
        reached_now, reached_before = row["status"] == "nådd", before == "nådd"
        if reached_now != reached_before:
            crossed.append(
                {
                    "Indikator": row["indicator"],
                    "År": pts[-1][0],
                    "Endring": "nådde målet" if reached_now else "falt under målet",
                }
            )
    if crossed:
        any_change = True
        st.subheader("Resultatmål som krysset målet")
        ui.table(pd.DataFrame(crossed), f"Resultatmål som krysset målet ({f.unit})", "krysset")

if not any_change and previous is None and prog_before is None:
    st.info(
        "Endringer vises når det finnes to versjoner å sammenligne (to statusrapporter eller to prognoser)."
    )

st.header("Til styremøtet")
st.write(
    "Presentasjonen viser dette utvalget som lysbilder, låst til dataversjonene over: lenken viser de "
    "samme tallene også etter senere opplastinger."
)
st.page_link("app_pages/presentasjon.py", label="Åpne presentasjonen", icon=":material/slideshow:")
if st.button("Lag PDF av presentasjonen", icon=":material/picture_as_pdf:", key="lag_pdf"):
    from dashboard import deck, deck_pdf
    from dashboard.errors import UserError

    pin = deck.current_pin(ui.q, f.unit, f.plan, f.round)
    slides = deck.build(ui.q, pin, f.unit_name)
    try:
        with st.spinner(f"Lager PDF med {len(slides)} lysbilder …"):
            pdf = deck_pdf.render(slides, f"Målbilde · {f.unit_name}")
        st.download_button(
            "Last ned PDF",
            pdf,
            file_name=f"malbilde_{f.unit}_presentasjon.pdf",
            mime="application/pdf",
            icon=":material/download:",
            on_click="ignore",
            key="pdf_ned",
        )
    except UserError as exc:
        st.error(exc.render())
