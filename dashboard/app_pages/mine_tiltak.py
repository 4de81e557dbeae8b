"""Mine tiltak: a reporter answers a reporting round in the browser — per unit they have rights
for, its measures with last round's status and comment, fields for the new status, comment,
owner and planned end; «Lagre utkast» keeps a draft, «Send inn» submits it (the same checks and
the same answers as a returned workbook). UI only: every change goes through
dashboard.service.answers, which checks the user's rights for the unit."""

from __future__ import annotations

import streamlit as st

from dashboard import ui
from dashboard.errors import UserError
from dashboard.numbers import fmt_date
from dashboard.service import answers

STATE_WORDS = {
    "ikke påbegynt": "ikke påbegynt",
    "utkast": "utkast lagret, ikke sendt inn",
    "sendt inn": "sendt inn, venter på godkjenning (telles i tallene når den er godkjent)",
    "godkjent": "godkjent",
    "sendt tilbake": "sendt tilbake for retting",
}


def _fields(form: answers.Form, locked: bool) -> dict[str, dict]:
    """One block per measure; returns {key: fields} as the user has them now."""
    choices = ["", *form.choices]
    base = f"mt-{int(form.round['round_id'])}-{form.unit}"
    out = {}
    for row in form.rows.itertuples():
        st.markdown(f"**{ui.plain(row.key)}** · {ui.plain(row.title)}")
        before = row.prev_status or "ingen"
        st.caption(
            ui.plain(
                f"Forrige status: {before}"
                + (f" · kommentar: {row.prev_comment}" if row.prev_comment else "")
            )
        )
        c1, c2, c3, c4 = st.columns([2, 3, 2, 1.4])
        status = row.status if row.status in choices else ""
        out[row.key] = {
            "status": c1.selectbox(
                "Ny status",
                choices,
                index=choices.index(status),
                key=f"{base}-{row.key}-status",
                disabled=locked,
            ),
            "comment": c2.text_area(
                "Kommentar",
                value=row.comment or "",
                key=f"{base}-{row.key}-comment",
                height=68,
                disabled=locked,
            ),
            "owner": c3.text_input(
                "Ansvarlig", value=row.owner or "", key=f"{base}-{row.key}-owner", disabled=locked
            ),
            "planned_end": c4.date_input(
                "Planlagt slutt",
                value=row.planned_end,
                format="DD.MM.YYYY",
                key=f"{base}-{row.key}-end",
                disabled=locked,
            ),
        }
    return out


def show_state(form: answers.Form) -> None:
    """Where the unit's answers stand (draft, sent, approved, sent back) and since when."""
    state = form.state
    word = STATE_WORDS.get(state["state"], state["state"])
    when = f" ({fmt_date(state['state_at'])}, {state['state_by']})" if state["state_by"] else ""
    st.write(ui.plain(f"{form.unit}: {word}{when}"))
    if state["state"] == "sendt tilbake":
        st.warning(
            ui.plain(f"Sendt tilbake av koordinatoren: {state['comment']}"),
            icon=":material/undo:",
        )
    elif state["state"] == "godkjent":
        st.success(
            "Svarene er godkjent og telles i rundens tall. De kan ikke endres her lenger.",
            icon=":material/verified:",
        )
    if form.draft_at is not None:
        st.info(
            f"Utkastet ditt fra {fmt_date(form.draft_at)} er hentet fram.",
            icon=":material/edit_note:",
        )


def show_changes(user, round_id: int, unit: str) -> None:
    """The unit's last answers against those before them."""
    changed = answers.changes(ui.connection(), user, round_id, unit)
    if changed.empty:
        return
    st.subheader("Siste svar mot det forrige")
    st.caption("Fra nettleseren eller fra arbeidsboka: det siste som er sendt inn mot det før.")
    ui.dataframe(changed)


def act(user, round_id: int, unit: str, values: dict, send: bool) -> None:
    """Save the answers as a draft or send them in; the page again with what happened."""
    try:
        with ui.write_connection() as con:
            if send:
                result = answers.submit(con, ui.settings(), user, round_id, unit, values)
                message = f"Svarene er sendt inn. {result.summary}"
            else:
                answers.save_draft(con, ui.settings(), user, round_id, unit, values)
                message = f"Utkastet for {unit} er lagret."
    except UserError as exc:
        st.error(ui.plain(exc.render()), icon=":material/block:")
        return
    ui.clear_caches()
    st.session_state["_mine_message"] = message
    st.rerun()


def render() -> None:
    """The signed-in user's open rounds, units and answer form."""
    st.title("Mine tiltak")
    user = ui.current_user()
    message = st.session_state.pop("_mine_message", None)
    if message:
        st.success(ui.plain(message), icon=":material/check_circle:")
    con = ui.connection()
    open_rounds = answers.open_rounds(con, user)
    if not open_rounds:
        ui.empty_state(
            "Ingen åpen rapporteringsrunde spør etter tiltak fra en enhet du kan svare for "
            "(rollen «rapportør» eller høyere for enheten)."
        )
        return
    ids = list(open_rounds)
    round_id = st.selectbox(
        "Runde", ids, format_func=lambda i: open_rounds[i][0], key="runde", bind="query-params"
    )
    mine = open_rounds[int(round_id)][1]
    wanted = st.session_state.get("enhet")
    if wanted and wanted not in mine and wanted in answers.round_units(con, int(round_id)):
        st.info(
            ui.plain(
                f"Du kan ikke se utkastene til {wanted} eller svare for enheten (det krever "
                f"rollen «rapportør» eller høyere for {wanted}). Her er enhetene du kan svare for."
            ),
            icon=":material/lock:",
        )
    unit = st.selectbox(
        "Enhet",
        mine,
        index=mine.index(wanted) if wanted in mine else 0,
        key=f"mine-enhet-{round_id}",
        help="Enhetene du kan svare for i runden.",
    )
    form = answers.load(con, user, int(round_id), unit)
    show_state(form)
    locked = form.state["state"] == "godkjent"
    with st.form(f"mine-tiltak-{round_id}-{unit}"):
        values = _fields(form, locked)
        c1, c2 = st.columns(2)
        draft = c1.form_submit_button("Lagre utkast", icon=":material/save:", disabled=locked)
        send = c2.form_submit_button(
            "Send inn", type="primary", icon=":material/send:", disabled=locked
        )
    if draft or send:
        act(user, int(round_id), unit, values, send)
    show_changes(user, int(round_id), unit)


render()
