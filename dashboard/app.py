"""Målbilde: the Streamlit entry point. Page config, shared filters, navigation."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `streamlit run dashboard/app.py`

from dashboard import ui  # noqa: E402

PAGES = Path(__file__).resolve().parent / "app_pages"

st.set_page_config(
    page_title="Målbilde",
    page_icon=":material/flag:",
    layout="wide",
    initial_sidebar_state="expanded",
)
ui.page_css()

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
        PAGES / "indikatorer.py",
        title="Indikatorer",
        icon=":material/monitoring:",
        url_path="indikatorer",
    ),
]
navigation = st.navigation(pages, position="sidebar")
ui.begin_run()
st.session_state["_filters"] = ui.sidebar_filters()
navigation.run()
