"""Rapporteringsrunder: open a round, send every unit its workbook, take the returned workbooks
back, see who has reported, close the round. UI only: the figures come from the read model
(dashboard.model.rounds), every change goes through dashboard.service.rounds."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.auth import User
from dashboard.errors import UserError
from dashboard.model.rounds import RoundFigures
from dashboard.model.view import View
from dashboard.numbers import fmt_int
from dashboard.present.charts import rounds as round_charts
from dashboard.service import answers, rounds, uploads


def _may_change(unit: str) -> User | None:
    """The user when they may open, change and close rounds of `unit` («økonomi» for it or a
    unit above); the service checks again."""
    user = ui.current_user()
    return user if user is not None and user.can("økonomi", unit) else None


def _done(message: str) -> None:
    """After a change: fresh figures, and the page again with what happened."""
    ui.clear_caches()
    st.session_state["_round_message"] = message
    st.rerun()


def open_form(v: View, unit: str) -> None:
    """«Åpne en ny runde»: plan, name and due date of a new round of `unit`."""
    own = v.status_plans
    with st.expander("Åpne en ny runde", icon=":material/add_circle:", expanded=False):
        if not own:
            st.write(ui.plain(f"{unit} har ingen plan med statusrapport å starte en runde fra."))
            return
        with st.form("ny_runde"):
            c1, c2, c3 = st.columns([2, 2, 1])
            plan = c1.selectbox("Plan", own, key="runde_plan")
            label = c2.text_input("Navn på runden", placeholder="for eksempel Status juni 2025")
            due = c3.date_input(
                "Frist", value=dt.date.today() + dt.timedelta(days=21), format="DD.MM.YYYY"
            )
            st.caption(
                "Runden spør etter tiltakene i hver enhets nyeste rapport for planen, for "
                f"{ui.plain(unit)} og enhetene under med samme plan."
            )
            if st.form_submit_button("Åpne runden", type="primary"):
                user = _may_change(unit)
                if user is None:
                    st.error("Du har ikke rettighet til å åpne runder.")
                    return
                try:
                    with ui.write_connection() as con:
                        rid = rounds.open_round(con, unit, plan, label, due, user)
                except UserError as exc:
                    st.error(ui.plain(exc.render()))
                    return
                st.session_state["runde_valg"] = rid
                _done(f"Runden «{label.strip()}» er åpnet.")


def show_completeness(r: RoundFigures) -> None:
    """Who has reported: four figures, the completeness chart and the reminder text."""
    c = st.columns(4)
    c[0].metric("Enheter ferdige", r.reported_text)
    c[1].metric("Tiltak besvart", r.answers_text)
    c[2].metric(
        "Står stille",
        fmt_int(len(r.stale)),
        help="Samme status i to rapporter på rad eller flere (den siste medregnet); "
        "gjennomførte tiltak står ikke stille og er ikke med.",
    )
    c[3].metric("Uten ansvarlig", fmt_int(len(r.no_owner)))
    fig = ui.memo(
        round_charts.completeness,
        r.by_unit,
        r.headline,
        r.subtitle,
    )
    table = ui.renamed(
        r.by_unit,
        {
            "unit": "Enhet",
            "name": "Navn",
            "asked": "Tiltak",
            "answered": "Besvart",
            "state": "Status",
            "overdue": "Frist passert",
            "last_answer": "Sist levert",
        },
    )
    ui.chart(fig, table, key="runde-fullstendighet")
    if r.reminder:
        st.subheader("Påminnelse til dem som mangler")
        st.caption("Kopier teksten (knappen øverst til høyre i feltet) inn i en e-post.")
        st.code(r.reminder, language=None, wrap_lines=True)


def show_lists(r: RoundFigures) -> None:
    """The measures to look at: standing still, without an owner, ended in the round."""
    st.subheader(r.stale_heading)
    if r.stale.empty:
        st.write(
            "Ingen tiltak som ikke er gjennomført har hatt samme status i to runder eller flere."
        )
    else:
        ui.table(
            ui.renamed(
                r.stale,
                {
                    "unit": "Enhet",
                    "key": "Nøkkel",
                    "title": "Tiltak",
                    "status": "Status",
                    "rounds": "Runder med samme status",
                },
            ),
            f"Tiltak som står stille ({r.title})",
            "runde-star-stille",
        )
    st.subheader(r.no_owner_heading)
    if r.no_owner.empty:
        st.write("Alle tiltak har en ansvarlig.")
    else:
        ui.table(
            ui.renamed(r.no_owner, {"unit": "Enhet", "key": "Nøkkel", "title": "Tiltak"}),
            f"Tiltak uten ansvarlig ({r.title})",
            "runde-uten-ansvarlig",
        )
    if not r.ended.empty:
        st.subheader(r.ended_heading)
        ui.table(
            ui.renamed(
                r.ended[["unit", "key", "title", "ended_reason"]],
                {
                    "unit": "Enhet",
                    "key": "Nøkkel",
                    "title": "Tiltak",
                    "ended_reason": "Begrunnelse",
                },
            ),
            f"Avsluttede tiltak ({r.title})",
            "runde-avsluttet",
        )


def send_out(r: RoundFigures, user: User) -> None:
    """«Send ut»: every unit's workbook as a zip, or one unit's."""
    st.write(
        f"Én arbeidsbok per enhet med enhetens egne tiltak, forrige status og kommentar, og gule "
        f"celler for nye svar. Send hver enhet sin fil; {r.n_units} enheter er med."
    )

    def build_zip() -> bytes:
        return rounds.zip_workbooks(ui.connection(), r.round_id, user)

    st.download_button(
        f"Last ned alle {r.n_units} arbeidsbøkene (zip)",
        build_zip,
        file_name=f"arbeidsboker_runde_{r.round_id}.zip",
        mime="application/zip",
        icon=":material/download:",
        on_click="ignore",
        key="runde-zip",
        type="primary",
    )
    c1, c2 = st.columns([2, 1], vertical_alignment="bottom")
    unit = c1.selectbox(
        "Eller én enhets arbeidsbok",
        list(r.by_unit["unit"]),
        format_func=lambda u: f"{u} – {r.names.get(u, u)}",
        key="runde-enhet",
    )

    def build_one() -> bytes:
        return rounds.unit_workbook(ui.connection(), r.round_id, unit, user)

    with c2:
        st.download_button(
            ui.plain(f"Last ned for {unit}"),
            build_one,
            file_name=rounds.unit_file_name(r.row, unit, r.names),
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon=":material/download:",
            on_click="ignore",
            key="runde-en",
        )


def take_back(r: RoundFigures, user: User) -> None:
    """«Ta imot svar»: read the returned workbooks, show each file's outcome, save them."""
    files = st.file_uploader(
        "Slipp alle innkomne arbeidsbøker her (flere filer, eller én zip)",
        type=["xlsx", "zip"],
        accept_multiple_files=True,
        key=f"runde-svar-{st.session_state.get('_round_upload', 0)}",
    )
    if not files:
        return
    named = [(f.name, f.getvalue()) for f in files]
    key = f"{r.round_id}|{ui.version()}|{uploads.batch_key(named)}"
    cache = st.session_state.setdefault("_round_batches", {})
    if key not in cache:  # read once per set of files and data version
        with st.spinner(f"Leser {len(files)} filer …"), uploads.written(named) as paths:
            cache.clear()
            try:
                cache[key] = rounds.take_back(
                    ui.connection(), ui.settings(), r.round_id, paths, user
                )
            except UserError as exc:  # the round as a whole (each file's own is in the batch)
                st.error(ui.plain(exc.render()), icon=":material/block:")
                return
    batch = cache[key]
    for f in batch.files:
        if f.error:
            st.error(ui.plain(f.error), icon=":material/block:")
        elif f.nothing_new:
            st.info(ui.plain(f"{f.name}: {f.summary}"), icon=":material/info:")
        else:
            st.success(ui.plain(f"{f.name}: {f.summary}"), icon=":material/task_alt:")
            for warning in f.warnings:
                st.warning(ui.plain(f"{f.name}: {warning}"), icon=":material/warning:")
            label = f"Svarene i {f.name} mot forrige runde ({len(f.changes)} tiltak)"
            with st.expander(ui.plain(label)):
                ui.dataframe(pd.DataFrame(f.changes))
    ready = batch.ready
    refused = len(batch.refused)
    st.write(
        f"**{len(ready)} av {len(batch.files)} filer kan lagres**"
        + (f"; {refused} er avvist og blir ikke lagret." if refused else ".")
    )
    if ready and st.button(
        "Lagre svarene", type="primary", icon=":material/save:", key="runde-lagre"
    ):
        try:
            with st.spinner("Lagrer …"), ui.write_connection() as con:
                saved = rounds.save(con, batch, user)
        except UserError as exc:
            st.error(exc.render())
            return
        stored = [i for _, i, _ in saved if i is not None]
        problems = [f"{res.name}: {err}" for res, _, err in saved if err]
        st.session_state["_round_upload"] = st.session_state.get("_round_upload", 0) + 1
        message = f"{len(stored)} filer er lagret (import nr. {', '.join(map(str, stored))})."
        if problems:
            message += " Ikke lagret: " + "; ".join(problems)
        _done(message)


def change_measures(r: RoundFigures, user: User) -> None:
    """«Endre tiltak»: add a measure to a unit's workbook, or end one with a reason."""
    units = list(r.by_unit["unit"])
    with st.form("nytt_tiltak", clear_on_submit=True):
        st.markdown("**Legg til et nytt tiltak**")
        c1, c2, c3 = st.columns([1, 3, 1])
        unit = c1.selectbox("Enhet", units)
        title = c2.text_input("Tiltak")
        area = c3.text_input("Område")
        if st.form_submit_button("Legg til"):
            try:
                with ui.write_connection() as con:
                    key = rounds.add_measure(con, r.round_id, unit, title, area, None, user)
            except UserError as exc:
                st.error(ui.plain(exc.render()))
            else:
                _done(f"Tiltak {key} er lagt til; det kommer med i arbeidsboka til {unit}.")
    with st.form("avslutt_tiltak", clear_on_submit=True):
        st.markdown("**Avslutt et tiltak** (det blir ikke spurt etter lenger; begrunnelsen lagres)")
        c1, c2 = st.columns([2, 3])
        options = {
            f"{k} · {t[:70]}": k for k, t in zip(r.asked["key"], r.asked["title"], strict=True)
        }
        chosen = c1.selectbox("Tiltak", list(options))
        reason = c2.text_input("Begrunnelse")
        if st.form_submit_button("Avslutt tiltaket"):
            try:
                with ui.write_connection() as con:
                    rounds.end_measure(con, r.round_id, options[chosen], reason, user)
            except UserError as exc:
                st.error(ui.plain(exc.render()))
            else:
                _done(f"Tiltak {options[chosen]} er avsluttet.")


def close(r: RoundFigures, user: User) -> None:
    """«Lukk runden»: what closing does, and the button (after a confirmation)."""
    st.write(
        f"Når runden lukkes, står svarene som «{ui.plain(r.label)}» i sidene og presentasjonen, "
        f"og flere svar tas ikke imot. Enheter uten fullstendige svar: {ui.plain(r.missing_text)}. Hver "
        "innlevering kan fortsatt angres under «Last opp» → importhistorikk."
    )
    sure = st.checkbox("Ja, lukk runden nå", key="runde-lukk-sikker")
    sure = confirm_unapproved(r) and sure
    if st.button("Lukk runden", icon=":material/lock:", key="runde-lukk", disabled=not sure):
        try:
            with ui.write_connection() as con:
                left_out = rounds.close_round(con, r.round_id, user, r.unapproved)
        except UserError as exc:
            st.error(ui.plain(exc.render()))
            return
        without = (
            f" Svarene fra {', '.join(left_out)} var ikke godkjent og er ikke med i tallene."
            if left_out
            else ""
        )
        _done(f"Runden «{r.label}» er lukket.{without}")


# ---- Godkjenning (answers in the browser and their approval; dashboard.service.answers)
APPROVAL_HEADERS = {
    "unit": "Enhet",
    "state": "Status",
    "state_at": "Sist endret",
    "state_by": "Av",
    "comment": "Kommentar til enheten",
    "submitted_at": "Sist sendt inn",
}


def approval(r: RoundFigures) -> None:
    """Per unit: ikke påbegynt / utkast / sendt inn / godkjent / sendt tilbake; the coordinator
    (`leder` or higher for the round's unit) approves a unit's answers or sends them back with a
    comment to the unit."""
    st.header("Godkjenning")
    st.write(ui.plain(r.approval_text + "."))
    ui.table(
        ui.renamed(r.approval, APPROVAL_HEADERS)[list(APPROVAL_HEADERS.values())],
        f"Godkjenning per enhet ({r.title})",
        "runde-godkjenning",
    )
    user = ui.current_user()
    # waiting units first; an approved one (a workbook taken back, too) may still be sent back
    choices = r.approval_in("sendt inn") + r.approved
    if not r.is_open or user is None or not user.can("leder", r.unit) or not choices:
        return
    with st.form("godkjenning", clear_on_submit=True):
        c1, c2 = st.columns([1, 3])
        unit = c1.selectbox(
            "Enhet",
            choices,
            format_func=lambda u: f"{u} ({r.approval_of[u]})",
            key="godkjenn-enhet",
        )
        comment = c2.text_input("Kommentar til enheten (må fylles ut når du sender tilbake)")
        b1, b2 = st.columns(2)
        approve = b1.form_submit_button("Godkjenn", type="primary", icon=":material/verified:")
        back = b2.form_submit_button("Send tilbake", icon=":material/undo:")
    if approve or back:
        try:
            with ui.write_connection() as con:
                answers.review(con, user, r.round_id, unit, bool(approve), comment)
        except UserError as exc:
            st.error(ui.plain(exc.render()))
            return
        _done(f"Svarene fra {unit} er {'godkjent' if approve else 'sendt tilbake'}.")


def confirm_unapproved(r: RoundFigures) -> bool:
    """Closing a round with answers not approved asks first; True when it may close."""
    if not r.unapproved:
        return True
    st.warning(
        ui.plain(
            f"Svarene fra {', '.join(r.unapproved)} er ikke godkjent. Lukker du runden nå, "
            "blir de ikke godkjent og telles ikke med i rundens tall (tiltakene står som "
            "ubesvart)."
        ),
        icon=":material/warning:",
    )
    return st.checkbox("Ja, lukk selv om ikke alle svar er godkjent", key="runde-lukk-ugodkjent")


# ---- reminders by e-mail (dashboard.service.mail)
def reminders(r: RoundFigures) -> None:
    """Preview and send the reminder mails of an open round, and its mail log (the round's
    coordinator: `økonomi` for its unit)."""
    from dashboard.errors import UserError as Refused
    from dashboard.service import mail

    user = ui.current_user()
    if not r.is_open or user is None or not user.can("økonomi", r.unit):
        return
    st.header("Påminnelser på e-post")
    try:
        cfg = mail.smtp_settings()
        built = mail.build_reminders(r, cfg, ui.roles())
    except Refused as exc:
        st.error(exc.render())
        return
    if not cfg.configured:
        st.info(mail.how_to_configure(cfg), icon=":material/mail_lock:")
    st.caption(f"Trinn: {built[0].stage if built else 'ingen enheter mangler svar'}.")
    for rem in built:
        with st.expander(f"{rem.unit} – {rem.name}: {len(rem.recipients)} mottakere"):
            st.text(f"Til: {', '.join(rem.recipients) or 'ingen adresse'}")
            st.text(f"Emne: {rem.subject}")
            st.text(rem.body)
    if built and st.button(
        f"Send påminnelser til {len(built)} enheter",
        disabled=not cfg.configured,
        icon=":material/send:",
        key="runde-send-paaminnelser",
    ):
        try:
            with ui.write_connection() as con:
                done = mail.send_reminders(con, r, built, cfg, user)
        except Refused as exc:
            st.error(exc.render())
        else:
            sent = sum(o.outcome == mail.SENT for o in done)
            st.success(f"{sent} av {len(done)} e-poster er sendt.", icon=":material/send:")
    log = mail.sent_log(ui.connection(), r.round_id)
    if not log.empty:
        st.subheader("Sendte påminnelser")
        ui.dataframe(log)


def render() -> None:
    """The page for the sidebar's unit and the chosen round."""
    f = ui.filters()
    st.title(ui.plain(f"Rapporteringsrunder – {f.unit_name}") if f.unit else "Rapporteringsrunder")
    if not f.unit:
        ui.empty_state("Databasen har ingen data ennå.")
        return
    message = st.session_state.pop("_round_message", None)
    if message:
        st.success(ui.plain(message), icon=":material/check_circle:")
    v = ui.view()
    user = _may_change(f.unit)
    names = v.rounds
    if not names:
        st.info(
            ui.plain(
                f"{f.unit} har ingen rapporteringsrunde. En runde sender hver enhet en "
                "arbeidsbok med dens tiltak og tar svarene tilbake."
            ),
            icon=":material/info:",
        )
        if user:
            open_form(v, f.unit)
        return
    chosen = st.selectbox("Runde", list(names), format_func=names.get, key="runde_valg")
    r = v.round_in(int(chosen))
    if r is None:
        st.warning("Runden finnes ikke i denne dataversjonen.")
        return
    ui.data_line(
        f"Runde {r.title}, {r.state_text}",
        r.opened_text,
        r.answered_text,
    )
    show_completeness(r)
    runner = _may_change(str(r.row["unit"]))
    approval(r)
    if runner and r.is_open:
        st.header("Gjennomføre runden")
        tabs = st.tabs(["Send ut", "Ta imot svar", "Endre tiltak", "Lukk runden"])
        with tabs[0]:
            send_out(r, runner)
        with tabs[1]:
            take_back(r, runner)
        with tabs[2]:
            change_measures(r, runner)
        with tabs[3]:
            close(r, runner)
    reminders(r)
    show_lists(r)
    if user:
        open_form(v, f.unit)


render()
