"""Målbilde: the Streamlit entry point. Page config, sign-in, shared filters, navigation."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `streamlit run dashboard/app.py`

from dashboard import auth, ui  # noqa: E402
from dashboard.errors import UserError  # noqa: E402

PAGES = Path(__file__).resolve().parent / "app_pages"

st.set_page_config(
    page_title="Målbilde",
    page_icon=str(Path(__file__).resolve().parent / "static" / "favicon.png"),  # no outside host
    layout="wide",
    initial_sidebar_state="expanded",
)
ui.page_css()

user = ui.current_user()
if user is None:  # sign-in configured, nobody signed in
    st.title("Målbilde")
    st.write(
        "Oppfølging av strategi, tiltak, budsjett og resultatmål ved NTNU. Logg inn for å fortsette."
    )
    st.button("Logg inn", on_click=st.login, type="primary", icon=":material/login:")
    st.stop()
if user.local:
    exposed = auth.exposure(  # behind scripts/serve.py: the address nginx listens on
        os.environ.get("MALBILDE_LISTEN") or st.get_option("server.address"),
        os.environ.get(auth.OPEN_NETWORK_ENV) == "1",
    )
    if exposed == "refused":
        st.title("Målbilde")
        st.error(
            "Appen lytter på en nettverksadresse, men ingen innlogging er satt opp: da ville alle "
            "som når adressen få alle rettigheter (laste opp, angre, endre regler). Sett opp "
            "innlogging (`[auth]` i `.streamlit/secrets.toml`, se README «Innlogging og roller»), "
            "eller start uten `--server.address` (bare denne maskinen).",
            icon=":material/lock:",
        )
        st.stop()
    where = (
        "<b>åpen for nettverket uten innlogging</b> (MALBILDE_APEN_UTEN_INNLOGGING=1): alle som "
        "når adressen har alle rettigheter"
        if exposed == "open"
        else "bare denne maskinen (127.0.0.1) når appen"
    )
    st.markdown(
        f'<div class="malbilde-banner{" malbilde-open" if exposed else ""}"><b>Lokal modus:</b> '
        f"ingen innlogging er satt opp, og du har alle rettigheter; {where}. Se README "
        "(«Innlogging og roller») for å slå på innlogging.</div>",
        unsafe_allow_html=True,
    )
else:
    with st.sidebar:
        who = f"{user.name} ({user.email})" if user.name and user.email else user.label
        st.caption(ui.plain(f"Innlogget som {who}"))
        if user.listed:
            st.caption(ui.plain(user.rights_sentence))
        else:
            st.caption(
                "Du står ikke i rollefila til Målbilde: du kan lese, men ikke endre noe. Be "
                "koordinatoren ved fakultetet om en rolle for enheten din."
            )
        st.button("Logg ut", on_click=st.logout, key="logg_ut")

pages = [
    st.Page(PAGES / "oversikt.py", title="Oversikt", icon=":material/dashboard:", default=True),
    st.Page(
        PAGES / "maloppnaelse.py",
        title="Måloppnåelse",
        icon=":material/flag:",
        url_path="maloppnaelse",
    ),
    st.Page(
        PAGES / "budsjett.py",
        title="Budsjett",
        icon=":material/account_balance:",
        url_path="budsjett",
    ),
    st.Page(
        PAGES / "okonomi.py",
        title="Økonomi",
        icon=":material/payments:",
        url_path="okonomi",
    ),
    st.Page(
        PAGES / "indikatorer.py",
        title="Indikatorer",
        icon=":material/monitoring:",
        url_path="indikatorer",
    ),
    st.Page(
        PAGES / "ressurser.py",
        title="Tiltak og ressurser",
        icon=":material/groups:",
        url_path="ressurser",
    ),
    st.Page(
        PAGES / "runder.py",
        title="Rapporteringsrunder",
        icon=":material/assignment_turned_in:",
        url_path="runder",
    ),
    st.Page(
        PAGES / "mine_tiltak.py",
        title="Mine tiltak",
        icon=":material/edit_note:",
        url_path="mine-tiltak",
    ),
    st.Page(
        PAGES / "last_opp.py", title="Last opp", icon=":material/upload_file:", url_path="last_opp"
    ),
    st.Page(
        PAGES / "presentasjon.py",
        title="Presentasjon",
        icon=":material/slideshow:",
        url_path="presentasjon",
    ),
]
navigation = st.navigation(pages, position="sidebar")
if st.query_params.get("modus") == "presentasjon" and navigation.url_path != "presentasjon":
    st.switch_page(pages[-1])  # ?modus=presentasjon opens the deck from any page
st.session_state["_exports"] = {}  # filled by this run's «Last ned som Excel» buttons
try:
    ui.begin_run()
except UserError as exc:  # e.g. the database file is locked by an import on the command line
    st.error(ui.plain(exc.render()), icon=":material/error:")
    st.stop()
if ui.unwritable() is not None:  # a read-only folder or file, a full disk: pages read, not save
    st.warning(ui.plain(ui.unwritable().message), icon=":material/lock:")
try:
    st.session_state["_filters"] = ui.sidebar_filters()
    navigation.run()
except UserError as exc:  # a save the database refused (cannot be written), or any sentence
    st.error(ui.plain(exc.render()), icon=":material/error:")
ui.run_finished(navigation.url_path)
