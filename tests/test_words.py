"""What a user reads is Norwegian bokmål and human, at both screen sizes: no English from
Streamlit's or Plotly's own widgets, no «None» or «nan», no years with «.0», no snake_case
identifiers or command lines, no emoji that need a font we do not ship. And the app works
without internet: every request the pages make stays on this machine."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.config import ROOT
from data.generate_demo import build_demo
from tests.browser import CHROMIUM, SIZES, launch, wait_for_app

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
ENGLISH = [
    "Upload", "Download", "Browse", "Drag and drop", "Limit", "per file", "Running", "Stop",
    "Search", "Fullscreen", "Choose an option", "Help for", "Sidebar", "Collapse", "Expand",
    "Show/hide", "Add row", "Delete", "Zoom", "Reset axes", "Main menu", "Skip to", "App pages",
    "Increment", "Decrement", "file upload", "Link to heading", "No results", "Clear", "Open",
    "Close",
]  # fmt: skip
BAD = [
    (re.compile(r"\b(?:None|nan|NaN|<NA>|NaT)\b"), "a missing value written out"),
    (re.compile(r"\b(?:19|20)\d\d\.0\b"), "a year with a decimal"),
    (re.compile(r"(?<![\w./-])[a-z]+(?:_[a-z]+)+(?![\w.])"), "a snake_case identifier"),
    (re.compile(r"python -m|--[a-z]{3,}"), "a command line"),
    # signs drawn only by an emoji font (⏳ ⏸ ✅ ⚠ 📅 …); ✓ and → are in every text font
    (
        re.compile(
            "[\u231a\u231b\u23e9-\u23fa\u2614\u2615\u26a0-\u26ff\u2705\u274c\u2753-\u2757\U0001f300-\U0001faff]"
        ),
        "an emoji",
    ),
]
TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest('script,style,[aria-hidden=true],[data-testid=stIconMaterial]')) continue;
    if (n.nodeValue.trim()) out.push(n.nodeValue.trim());
  }
  for (const el of document.querySelectorAll('[aria-label],[title],[placeholder],[data-title]'))
    for (const a of ['aria-label', 'title', 'placeholder', 'data-title'])
      if (el.getAttribute(a)) out.push(el.getAttribute(a));
  return out;
}"""

pytestmark = pytest.mark.browser
if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
    pytest.skip("no Chromium on this machine", allow_module_level=True)


def problems(texts: list[str]) -> list[str]:
    found = []
    for text in texts:
        for word in ENGLISH:
            if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text):
                found.append(f"English «{word}» in «{text[:80]}»")
        for pattern, what in BAD:
            if pattern.search(text):
                found.append(f"{what} in «{text[:80]}»")
    return found


def settled(page, timeout_s: float = 15.0) -> list[str]:
    """The page's words once nb.js has translated what was just drawn: it runs on the next
    animation frame, which a loaded machine can delay, so wait (up to `timeout_s`) until the
    words have no problem; what is still there then is real."""
    deadline = time.monotonic() + timeout_s
    texts = page.evaluate(TEXT)
    while problems(texts) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
        texts = page.evaluate(TEXT)
    return texts


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
    return build_demo(tmp_path_factory.mktemp("words-tables") / "demo.duckdb")


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
