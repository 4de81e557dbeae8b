"""What a user reads is Norwegian bokmål and human, at both screen sizes: no English from
Streamlit's or Plotly's own widgets, no «None» or «nan», no years with «.0», no snake_case
identifiers or command lines, no emoji that need a font we do not ship. And the app works
without internet: every request the pages make stays on this machine."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.config import ROOT
from tests.browser import CHROMIUM, SIZES, launch, wait_for_app
from tests.helpers.demo import demo_copy
from tests.helpers.words import problems, settled

APP = str(ROOT / "dashboard" / "app.py")
PAGES = [
    "",
    "maloppnaelse",
    "budsjett",
    "okonomi",
    "indikatorer",
    "ressurser",
    "runder",
    "last_opp",
    "presentasjon",
]
pytestmark = pytest.mark.browser
if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
    pytest.skip("no Chromium on this machine", allow_module_level=True)


@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_speaks_norwegian_and_stays_on_this_machine(demo_app, size):
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    found: dict[str, list[str]] = {}
    with sync_playwright() as p:
        browser = launch(p)
        width, height = SIZES[size]
        page = browser.new_page(viewport={"width": width, "height": height})

        def only_here(route) -> None:
            host = urlparse(route.request.url).hostname or ""
            if route.request.url.startswith(("data:", "blob:")) or host in (
                "127.0.0.1",
                "localhost",
            ):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        page.route("**/*", only_here)
        for name in PAGES:
            page.goto(f"{demo_app}/{name}?enhet=MH")
            wait_for_app(page)
            for summary in page.locator('[data-testid="stExpander"] summary').all():
                summary.click()  # the numbers under each chart, and what else is folded away
            texts = settled(page)
            assert len(texts) > 20, name
            if problems(texts):
                found[name or "oversikt"] = problems(texts)
        browser.close()
    assert not outside, f"requests that leave this machine: {outside[:5]}"
    assert not found, found


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    return demo_copy(tmp_path_factory.mktemp("words-tables") / "demo.duckdb")


@pytest.mark.parametrize("unit", ["MH", "NTNU", "IØT", "MH-ISM", "VM"])
def test_every_table_as_shown_is_words_and_numbers(monkeypatch, demo_db, unit):
    """The tables (drawn on a canvas, so not in the page's text): headers and cells as shown."""
    monkeypatch.setenv("MALBILDE_DB", str(demo_db))
    for name in [p or "oversikt" for p in PAGES]:
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params["enhet"] = unit
        at.switch_page(f"app_pages/{name}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        for frame in (d.value for d in at.dataframe):
            cells = [str(c) for c in frame.columns]
            cells += [str(v) for col in frame.columns for v in frame[col] if v is not None]
            assert not problems(cells), (name, unit, problems(cells)[:5])
            assert not frame.isna().any().any() or name == "last_opp", (name, unit, frame.columns)
