"""Last opp: upload workbooks, see what will change, save, and undo; templates; import history."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import store, ui, vocab
from dashboard.errors import AlreadyImported, UserError
from dashboard.ingest import templates
from dashboard.numbers import fmt_int
from dashboard.service import imports
from dashboard.service.imports import Overrides

st.title("Last opp data")
user = ui.current_user()
settings = ui.settings()
can_upload = user is not None and user.can("økonomi")

if can_upload:
    imports.prepare(settings)  # a parsing child waits, ready for the next upload
    st.write(
        f"Last opp statusrapporter, prognoser, resultatmål og andre tabeller i oppsettene dere bruker. "
        f"Ingenting lagres før du trykker **Lagre**. Største fil: **{settings.max_upload_mb} MB**."
    )
    with st.expander("Oppgi enhet, år eller versjon (bare hvis fila ikke sier det selv)"):
        c1, c2, c3 = st.columns(3)
        unit = c1.text_input("Enhet", key="ov_enhet", placeholder="for eksempel MH eller MH-INB")
        year = c2.number_input(
            "År", min_value=2000, max_value=2100, value=None, step=1, key="ov_aar"
        )
        label = c3.text_input(
            "Versjon", key="ov_versjon", placeholder="for eksempel prognose oktober 2023"
        )
    overrides = Overrides(unit or None, int(year) if year else None, label or None)
    files = st.file_uploader(
        "Velg .xlsx-filer",
        type=["xlsx", "xlsm"],
        accept_multiple_files=True,
        key="opplasting",
        max_upload_size=settings.max_upload_mb,
        help="Excel-arbeidsbøker (.xlsx). Gamle .xls må lagres som .xlsx først.",
    )
    parsed: dict[str, object] = st.session_state.setdefault("_parsed", {})
    for upload in files or []:
        data = upload.getvalue()
        st.subheader(upload.name)
        if (
            len(data) > settings.max_upload_mb * 1024 * 1024
        ):  # the server checks, whatever the browser did
            st.error(
                f"{upload.name}: fila er {len(data) / 1024 / 1024:.1f} MB; grensen er {settings.max_upload_mb} MB."
            )
            continue
        sha = hashlib.sha256(data).hexdigest()
        cache_key = f"{sha}|{overrides}"
        if cache_key not in parsed:
            with (
                st.status(f"Leser {upload.name} …", expanded=False) as status,
                tempfile.TemporaryDirectory() as tmp,
            ):
                path = Path(tmp) / Path(upload.name).name
                path.write_bytes(data)
                try:
                    parsed[cache_key] = imports.preview(
                        ui.connection(), path, settings, overrides, upload.name
                    )
                    status.update(label=f"{upload.name} er lest", state="complete")
                except UserError as exc:
                    parsed[cache_key] = exc
                    status.update(label=f"{upload.name} kan ikke importeres", state="error")
        preview = parsed[cache_key]
        if isinstance(preview, UserError):
            st.error(preview.render(), icon=":material/error:")
            st.caption(
                "Ingenting er lagret. Rett fila og last den opp igjen, eller last ned malen nedenfor."
            )
            continue
        result, p = preview.result, preview.result.parsed
        meta = [f"**Oppsett:** {result.layout_title}", f"**Enhet:** {result.units_text}"]
        if result.years_text:
            meta.append(f"**År:** {result.years_text}")
        if p.label:
            meta.append(f"**Versjon:** {p.label}")
        meta.append(f"**Rader:** {fmt_int(p.rows)}")
        st.markdown(" · ".join(meta))
        for warning in p.warnings:
            st.warning(warning, icon=":material/warning:")
        main_table = next(
            (
                t
                for t in (
                    "measures",
                    "budget_figures",
                    "goals",
                    "indicator_defs",
                    "indicator_values",
                    "allocations",
                )
                if p.tables.get(t)
            ),
            None,
        )
        with st.expander("Forhåndsvisning av radene slik de ble lest"):
            if main_table:
                st.dataframe(
                    pd.DataFrame(p.tables[main_table]).head(200), hide_index=True, width="stretch"
                )
            elif "budget_figures" in p.arrow_tables:
                st.dataframe(
                    p.arrow_tables["budget_figures"].slice(0, 200).to_pandas(),
                    hide_index=True,
                    width="stretch",
                )
        diff = preview.diff
        st.markdown("**Endringer mot det som er lagret nå:**  \n" + "  \n".join(diff.summary))
        for name, frame in diff.tables.items():
            st.markdown(f"*{name}*")
            st.dataframe(frame, hide_index=True, width="stretch")
        if st.button("Lagre", key=f"lagre-{sha}", type="primary", icon=":material/save:"):
            current = ui.current_user()
            if current is None or not current.can(
                "økonomi"
            ):  # refused on the server, whatever the UI showed
                st.error("Du har ikke rettighet til å laste opp.")
                st.stop()
            try:
                with st.spinner("Lagrer …"):
                    saved = imports.save(ui.connection(), result, current.label)
                ui.clear_caches()
                parsed.pop(cache_key, None)
                st.success(
                    f"Lagret som import nr. {saved.import_id}. Alle sider viser de nye tallene.",
                    icon=":material/check_circle:",
                )
            except AlreadyImported as exc:
                st.info(exc.message)
            except UserError as exc:
                st.error(exc.render())
            except Exception:  # noqa: BLE001 — nothing was stored; the log row says failed
                st.error("Lagringen feilet og ble rullet tilbake; ingenting er endret. Prøv igjen.")
elif user is None:
    st.info("Logg inn for å laste opp data.")
else:
    st.info(
        f"Du er logget inn som {user.label} med lesetilgang. Opplasting krever rollen «økonomi».",
        icon=":material/lock:",
    )

st.header("Last ned mal")
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

st.header("Importhistorikk")
log = ui.q("import_log", unit=None)
if log.empty:
    st.caption("Ingen importer ennå.")
else:
    view = pd.DataFrame(
        {
            "Nr.": log["import_id"],
            "Tid": log["imported_at"].dt.strftime("%d.%m.%Y %H:%M"),
            "Hvem": log["user_name"],
            "Fil": log["file_name"],
            "Oppsett": log["layout"].map(vocab.layout_words),
            "Enhet": log["unit"],
            "Versjon": log["label"],
            "Rader": log["n_rows"],
            "Advarsler": log["warnings"].map(
                lambda w: 0 if not w or w == "[]" else w.count('", "') + 1
            ),
            "Status": log["outcome"].map(
                {
                    "ok": "gjeldende",
                    "undone": "angret / satt til side",
                    "failed": "feilet",
                    "pending": "pågår",
                }
            ),
            "SHA-256": log["sha256"].str.slice(0, 12) + "…",
        }
    )
    st.dataframe(view, hide_index=True, width="stretch")
    ui.excel_button(view, "Importhistorikk", "Målbilde", key="importhistorikk")
    if can_upload:
        active = log[log["outcome"] == "ok"]
        c1, c2 = st.columns(2)
        with c1:
            st.markdown("**Angre en import**")
            if not active.empty:
                pick = st.selectbox(
                    "Import",
                    active["import_id"],
                    key="angre_valg",
                    format_func=lambda i: (
                        f"nr. {i}: {log.set_index('import_id').at[i, 'file_name']}"
                    ),
                )
                if st.button("Angre importen", key="angre", icon=":material/undo:"):
                    imports.undo(ui.connection(), int(pick), ui.current_user().label)
                    ui.clear_caches()
                    st.success(
                        f"Import nr. {pick} er angret. Den forrige versjonen er gjeldende igjen."
                    )
                    st.rerun()
        with c2:
            st.markdown("**Gå tilbake til en tidligere versjon**")
            older = log[log["outcome"] == "undone"]
            if older.empty:
                st.caption("Ingen tidligere versjoner er satt til side.")
            else:
                pick = st.selectbox(
                    "Versjon",
                    older["import_id"],
                    key="tilbake_valg",
                    format_func=lambda i: (
                        f"nr. {i}: {log.set_index('import_id').at[i, 'file_name']} "
                        f"({log.set_index('import_id').at[i, 'label']})"
                    ),
                )
                if st.button(
                    "Gjør denne versjonen gjeldende", key="tilbake", icon=":material/history:"
                ):
                    later = imports.roll_back(ui.connection(), int(pick), ui.current_user().label)
                    ui.clear_caches()
                    st.success(
                        f"Versjon nr. {pick} er gjeldende; {len(later)} nyere versjon(er) er satt til side."
                    )
                    st.rerun()

if user is not None and user.can("admin"):
    import os

    from dashboard.config import EDITED_RULES
    from dashboard.ingest.layouts.status import CATEGORIES, raw_rules, save_rules

    st.header("Regeltabell for tekststatus")
    st.write(
        "Hvordan tekststatuser («Under arbeid: forsinket», «Utsatt: pga økonomi») blir kategorier. Reglene "
        "prøves ovenfra; første mønster som finnes i teksten bestemmer. Endringer gjelder nye importer."
    )
    rules = pd.DataFrame(raw_rules(settings.status_rules), columns=["Mønster", "Kategori"])
    edited = st.data_editor(
        rules,
        num_rows="dynamic",
        hide_index=True,
        key="regler",
        width="stretch",
        column_config={
            "Kategori": st.column_config.SelectboxColumn(options=list(CATEGORIES), required=True)
        },
    )
    if st.button("Lagre regeltabellen", key="lagre_regler", icon=":material/save:"):
        current = ui.current_user()
        if current is None or not current.can("admin"):
            st.error("Bare administratorer kan endre regeltabellen.")
            st.stop()
        target = Path(os.environ.get("MALBILDE_STATUS_RULES") or EDITED_RULES)
        try:
            save_rules(
                target,
                [
                    (p, c)
                    for p, c in zip(edited["Mønster"], edited["Kategori"], strict=True)
                    if isinstance(p, str) and p.strip()
                ],
            )
            store.log_event(ui.connection(), None, "regeltabell endret", current.label, str(target))
            st.success(f"Regeltabellen er lagret ({len(edited)} regler).")
        except ValueError as exc:
            st.error(str(exc))
