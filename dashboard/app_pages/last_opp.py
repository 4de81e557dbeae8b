"""Last opp: upload workbooks, see what will change, save, and undo; templates; import history.
UI only: reading, diffing, saving, undo, roll back and the rule table go through the write-side
service (`dashboard.service.imports`), the same one the command line uses."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import ui, vocab
from dashboard.auth import ROOT_UNIT, User
from dashboard.errors import AlreadyImported, UserError
from dashboard.model import versions
from dashboard.numbers import fmt_int, fmt_num
from dashboard.present import tables
from dashboard.service import imports, templates, uploads
from dashboard.service.imports import Overrides, Preview


def overrides_form() -> Overrides:
    """Unit, year and version for files that do not say so themselves."""
    with st.expander("Oppgi enhet, år eller versjon (bare hvis fila ikke sier det selv)"):
        c1, c2, c3 = st.columns(3)
        unit = c1.text_input("Enhet", key="ov_enhet", placeholder="for eksempel MH eller MH-INB")
        year = c2.number_input(
            "År", min_value=2000, max_value=2100, value=None, step=1, key="ov_aar"
        )
        label = c3.text_input(
            "Versjon", key="ov_versjon", placeholder="for eksempel prognose oktober 2023"
        )
    return Overrides(unit or None, int(year) if year else None, label or None)


def read_upload(name: str, data: bytes, overrides: Overrides, content: str) -> Preview | UserError:
    """Read one uploaded file (once per content key and overrides; kept for the session)."""
    parsed: dict[str, Preview | UserError] = st.session_state.setdefault("_parsed", {})
    key = f"{content}|{overrides}"
    if key not in parsed:
        with (
            st.status(f"Leser {ui.plain(name)} …", expanded=False) as status,
            uploads.written([(name, data)]) as [(path, _)],
        ):
            try:
                parsed[key] = imports.preview(ui.connection(), path, ui.settings(), overrides, name)
                status.update(label=f"{ui.plain(name)} er lest", state="complete")
            except UserError as exc:
                parsed[key] = exc
                status.update(label=f"{ui.plain(name)} kan ikke importeres", state="error")
    return parsed[key]


def show_preview(preview: Preview) -> None:
    """What the file holds and what saving it would change."""
    result, p = preview.result, preview.result.parsed
    meta = [f"**Oppsett:** {result.layout_title}", f"**Enhet:** {ui.plain(result.units_text)}"]
    if result.years_text:
        meta.append(f"**År:** {result.years_text}")
    if p.label:
        meta.append(f"**Versjon:** {ui.plain(p.label)}")
    meta.append(f"**Rader:** {fmt_int(p.rows)}")
    st.markdown(" · ".join(meta))
    for warning in p.warnings:
        st.warning(ui.plain(warning), icon=":material/warning:")
    rows = preview.rows(200)
    if rows is not None:
        with st.expander("Forhåndsvisning av radene slik de ble lest"):
            ui.dataframe(tables.shown(tables.in_words(rows)))
    diff = preview.diff
    st.markdown(
        "**Endringer mot det som er lagret nå:**  \n" + "  \n".join(map(ui.plain, diff.summary))
    )
    for name, frame in diff.tables.items():
        st.markdown(f"*{ui.plain(name)}*")
        ui.dataframe(tables.shown(tables.in_words(frame)))


def save_button(preview: Preview, sha: str, cache_key_prefix: str, upload_key: str) -> None:
    """«Lagre»: the role is checked again on the server, whatever the page showed. Once saved,
    the upload's preview gives way to what was saved (`upload_key` in «_saved»), without the
    button: the diff against what was stored before is no longer true."""
    if not st.button("Lagre", key=f"lagre-{sha}", type="primary", icon=":material/save:"):
        return
    current = ui.current_user()
    if current is None or not current.can("økonomi"):
        st.error("Du har ikke rettighet til å laste opp.")
        return
    try:
        with st.spinner("Lagrer …"), ui.write_connection() as con:
            saved = imports.save(con, preview.result, current)
    except AlreadyImported as exc:
        st.info(ui.plain(exc.message))
        return
    except UserError as exc:
        st.error(ui.plain(exc.render()))
        return
    except Exception:  # noqa: BLE001 — nothing was stored; the log row says failed
        st.error("Lagringen feilet og ble rullet tilbake; ingenting er endret. Prøv igjen.")
        return
    parsed = st.session_state.get("_parsed", {})
    for key in [k for k in parsed if k.startswith(cache_key_prefix)]:
        parsed.pop(key, None)
    st.session_state.setdefault("_saved", {})[upload_key] = (
        f"Lagret som import nr. {saved.import_id}. Alle sider viser de nye tallene."
    )
    st.rerun()  # the page again, from the top: the saved result where the preview was


def saved_uploads(keys: list[str]) -> dict[str, str]:
    """The uploads saved in this session that are still in the uploader ({upload key: what
    was saved}); a file taken out of the uploader and chosen again gets a fresh preview."""
    saved = st.session_state.setdefault("_saved", {})
    for key in [k for k in saved if k not in keys]:
        saved.pop(key)
    return saved


def upload_section() -> None:
    """Upload files (for «økonomi»): each one read, previewed with what it changes, and «Lagre»."""
    settings = ui.settings()
    imports.prepare(settings)  # a parsing child waits, ready for the next upload
    st.write(
        "Last opp statusrapporter, prognoser, resultatmål og andre tabeller i oppsettene dere "
        f"bruker. Ingenting lagres før du trykker **Lagre**. Største fil: "
        f"**{settings.max_upload_mb} MB**."
    )
    overrides = overrides_form()
    files = st.file_uploader(
        "Velg .xlsx-filer",
        type=["xlsx", "xlsm"],
        accept_multiple_files=True,
        key="opplasting",
        max_upload_size=settings.max_upload_mb,
        help="Excel-arbeidsbøker (.xlsx). Gamle .xls må lagres som .xlsx først.",
    )
    contents = [uploads.content_key(upload.name, upload.getvalue()) for upload in files or []]
    # one upload of one file: the uploader's id for it and its content
    keys = [f"{getattr(u, 'file_id', '')}|{c}" for u, c in zip(files or [], contents, strict=True)]
    saved = saved_uploads(keys)
    for upload, key, content in zip(files or [], keys, contents, strict=True):
        data = upload.getvalue()
        st.subheader(ui.plain(upload.name), anchor=False)
        if key in saved:
            st.success(saved[key], icon=":material/check_circle:")
            continue
        if (
            len(data) > settings.max_upload_mb * 1024 * 1024
        ):  # checked here, whatever the browser did
            st.error(
                f"{ui.plain(upload.name)}: fila er {fmt_num(len(data) / 1024 / 1024, 1)} MB; grensen er "
                f"{settings.max_upload_mb} MB."
            )
            continue
        preview = read_upload(upload.name, data, overrides, content)
        if isinstance(preview, UserError):
            st.error(ui.plain(preview.render()), icon=":material/error:")
            st.caption(
                "Ingenting er lagret. Rett fila og last den opp igjen, eller last ned malen nedenfor."
            )
            continue
        show_preview(preview)
        save_button(preview, preview.result.sha256, content, key)


def no_upload_notice(user) -> None:
    """Why the user cannot upload: not signed in, or without the role «økonomi»."""
    if user is None:
        st.info("Logg inn for å laste opp data.")
    else:
        st.info(
            ui.plain(
                f"Du er logget inn som {user.label} ({user.rights_text}). Opplasting krever "
                "rollen «økonomi» for enheten."
            ),
            icon=":material/lock:",
        )


def templates_section() -> None:
    """An empty workbook of each layout to download."""
    st.header("Last ned mal", anchor=False)
    names = templates.available()
    choice = st.selectbox("Oppsett", list(names), format_func=names.get, key="mal")
    st.download_button(
        "Last ned mal (.xlsx)",
        lambda: templates.build(choice),  # built only when clicked
        file_name=f"malbilde_mal_{choice}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="mal-last-ned",
        icon=":material/download:",
        on_click="ignore",
    )


def history_table(history: versions.ImportHistory) -> pd.DataFrame:
    """The import log in words."""
    log = history.log
    return pd.DataFrame(
        {
            "Nr.": log["import_id"],
            "Status": [history.standing[int(i)] for i in log["import_id"]],  # the pages show
            "Tid": log["imported_at"].dt.strftime("%d.%m.%Y %H:%M"),
            "Hvem": log["user_name"],
            "Fil": log["file_name"],
            "Oppsett": log["layout"].map(vocab.layout_words),
            "Enhet": log["unit"],
            "Versjon": log["label"],
            "Rader": log["n_rows"],
            "Advarsler": history.warnings,
            "SHA-256": log["sha256"].str.slice(0, 12) + "…",
        }
    )


CONSEQUENCE = {
    "angre": "Tallene fra denne importen tas ut av alle sider; den forrige versjonen blir "
    "gjeldende igjen. Handlingen logges og kan selv angres med «Gjør denne versjonen gjeldende».",
    "tilbake": "Denne versjonen blir gjeldende igjen, og nyere versjoner av de samme tallene "
    "settes til side (de kan gjøres gjeldende igjen senere). Handlingen logges.",
}
LOGGED = " Handlingen logges og kan selv angres med «Gjør denne versjonen gjeldende»."


def undo_consequence(word: str) -> str:
    """What undoing an import does, by where it stands (the history's «Status» word)."""
    if word.startswith(versions.EARLIER):
        return (
            "Importen er en tidligere runde: sidene viser fortsatt den nyeste, men denne runden "
            "tas ut av historikken og trendene." + LOGGED
        )
    if word.startswith(versions.PARTLY):
        return (
            "Importen er delvis erstattet: tallene den fortsatt gir, tas ut av sidene, og den "
            "forrige versjonen av dem blir gjeldende igjen." + LOGGED
        )
    if word.startswith(versions.REPLACED):
        return (
            "Importen er allerede erstattet av en nyere: ingen tall på sidene endres; den tas "
            "bare ut av historikken." + LOGGED
        )
    return CONSEQUENCE["angre"]


def version_control(
    title: str,
    choices: pd.DataFrame,
    key: str,
    button: str,
    icon: str,
    act,
    empty: str,
    consequence=None,
) -> None:
    """A picker of imports and a button that acts on the chosen one; what happened is shown
    after the page has reloaded with the new data."""
    st.markdown(f"**{title}**")
    if choices.empty:
        st.caption(empty)
        return
    names = {
        int(r.import_id): f"nr. {r.import_id}: {r.file_name}"
        + (f" ({r.label})" if isinstance(r.label, str) else "")
        for r in choices.itertuples()
    }
    pick = st.selectbox("Import", list(names), key=f"{key}_valg", format_func=names.get)
    asked = st.session_state.get(f"{key}_spurt")
    if asked != pick:
        if st.button(button, key=key, icon=icon):
            st.session_state[f"{key}_spurt"] = pick  # ask first
            st.rerun()
        return
    said = consequence(pick) if consequence else CONSEQUENCE[key]
    st.warning(ui.plain(f"{button}: {names[pick]}? {said}"), icon=":material/help:")
    yes, no = st.columns(2)
    if no.button("Avbryt", key=f"{key}_nei"):
        st.session_state.pop(f"{key}_spurt", None)
        st.rerun()
    if yes.button(
        f"Ja, {button[0].lower()}{button[1:]}", key=f"{key}_ja", type="primary", icon=icon
    ):
        st.session_state.pop(f"{key}_spurt", None)
        current = ui.current_user()
        if current is None or not current.can("økonomi"):
            st.error("Du har ikke rettighet til å endre gjeldende versjoner.")
            return
        try:
            st.session_state["_done"] = act(int(pick), current)
        except UserError as exc:
            st.error(ui.plain(exc.render()))
            return
        st.rerun()


def undo(import_id: int, user: User, word: str = versions.CURRENT) -> str:
    """Undo an import; what that did, by where it stood (`word`)."""
    with ui.write_connection() as con:
        imports.undo(con, import_id, user)
    if word == versions.CURRENT or word.startswith(versions.PARTLY):
        return f"Import nr. {import_id} er angret. Den forrige versjonen er gjeldende igjen."
    return f"Import nr. {import_id} er angret; tallene på sidene er de samme som før."


def roll_back(import_id: int, user: User) -> str:
    """Make an undone import current again; what that did."""
    with ui.write_connection() as con:
        later = imports.roll_back(con, import_id, user)
    return f"Versjon nr. {import_id} er gjeldende; {len(later)} nyere versjon(er) er satt til side."


def history_section(user: User | None) -> None:
    """The import log for all; undo and roll back of the imports the user may change."""
    st.header("Importhistorikk", anchor=False)
    history = ui.import_history()
    if history.log.empty:
        st.caption("Ingen importer ennå.")
        return
    ui.table(history_table(history), "Importhistorikk", "importhistorikk")
    if user is not None and user.can("økonomi"):
        mine = imports.changeable(ui.connection(), list(history.standing), user)
        done = st.session_state.get("_done")  # stays until the next action
        if done:
            st.success(ui.plain(done), icon=":material/check_circle:")
        c1, c2 = st.columns(2)
        with c1:
            version_control(
                "Angre en import",
                history.with_outcome("ok", mine),
                "angre",
                "Angre importen",
                ":material/undo:",
                lambda i, user: undo(i, user, history.word(i)),
                "Ingen gjeldende importer du kan angre.",
                lambda i: undo_consequence(history.word(i)),
            )
        with c2:
            version_control(
                "Gå tilbake til en tidligere versjon",
                history.with_outcome("undone", mine),
                "tilbake",
                "Gjør denne versjonen gjeldende",
                ":material/history:",
                roll_back,
                "Ingen tidligere versjoner er satt til side.",
            )


def rules_section() -> None:
    """The administrator's table of how status texts become categories."""
    st.header("Regeltabell for tekststatus", anchor=False)
    st.write(
        "Hvordan tekststatuser («Under arbeid: forsinket», «Utsatt: pga økonomi») blir "
        "kategorier. Reglene prøves ovenfra; første mønster som finnes i teksten bestemmer. "
        "Endringer gjelder nye importer."
    )
    rules = pd.DataFrame(imports.status_rules(ui.settings()), columns=["Mønster", "Kategori"])
    edited = st.data_editor(
        rules,
        num_rows="dynamic",
        hide_index=True,
        key="regler",
        width="stretch",
        column_config={
            "Kategori": st.column_config.SelectboxColumn(
                options=list(vocab.CATEGORY_ORDER), required=True
            )
        },
    )
    if st.button("Lagre regeltabellen", key="lagre_regler", icon=":material/save:"):
        current = ui.current_user()
        if current is None or not current.can("admin", ROOT_UNIT):
            st.error("Bare administratorer kan endre regeltabellen.")
            return
        rows = list(zip(edited["Mønster"], edited["Kategori"], strict=True))
        try:
            with ui.write_connection() as con:
                n = imports.save_status_rules(con, rows, current)
        except UserError as exc:
            st.error(ui.plain(exc.render()))
            return
        st.success(f"Regeltabellen er lagret ({n} regler).")


def backup_section() -> None:
    """A consistent copy of the database while the app serves (administrators)."""
    st.header("Sikkerhetskopi", anchor=False)
    st.write(
        "En konsistent kopi av hele databasen mens appen er i bruk. Kopien lagres i mappen "
        "«backups» ved siden av databasen og kan lastes ned. Gjenopprett: stopp appen og legg "
        "kopien over databasefila (se README)."
    )
    if st.button("Lag sikkerhetskopi nå", key="sikkerhetskopi", icon=":material/backup:"):
        current = ui.current_user()
        if current is None or not current.can("admin", ROOT_UNIT):
            st.error("Bare administratorer kan ta sikkerhetskopi.")
            return
        with st.spinner("Tar sikkerhetskopi …"), ui.write_connection() as con:
            target = imports.backup_now(con, ui.settings())
        st.session_state["_backup"] = str(target)
    made = st.session_state.get("_backup")
    if made and Path(made).exists():
        size = Path(made).stat().st_size / 1024 / 1024
        st.success(f"Sikkerhetskopi lagret: {ui.plain(made)} ({fmt_num(size, 1)} MB).")
        st.download_button(
            "Last ned sikkerhetskopien",
            Path(made).read_bytes,
            file_name=Path(made).name,
            mime="application/octet-stream",
            key="last-ned-kopi",
            icon=":material/download:",
            on_click="ignore",
        )


def render() -> None:
    """The page: upload, templates, history, and for administrators rules and backup."""
    st.title("Last opp data", anchor=False)
    user = ui.current_user()
    can_upload = user is not None and user.can("økonomi")
    if can_upload:
        upload_section()
    else:
        no_upload_notice(user)
    templates_section()
    history_section(user)
    if user is not None and user.can("admin", ROOT_UNIT):
        rules_section()
        backup_section()


render()
