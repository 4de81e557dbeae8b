"""Presentation mode: every slide fits 1920×1080 and 1280×720 with only the slide controls,
the PDF has one page per slide with the headline figures, and a pinned link keeps its numbers."""

from __future__ import annotations

import io
import os
import sys
import urllib.parse
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import store
from dashboard.config import ROOT, Settings
from dashboard.model.pin import resolve
from dashboard.model.view import view
from dashboard.present import deck
from dashboard.service.imports import import_file
from tests.browser import CHROMIUM, SIZES, launch, run_id, serve, wait_for_app
from tests.conftest import make_workbook
from tests.helpers.demo import demo_copy

APP = str(ROOT / "dashboard" / "app.py")
ARTIFACTS = ROOT / "artifacts" / "slides"
VISIBLE_CONTROLS = (
    "[...document.querySelectorAll('button, input, select, textarea, [role=\"combobox\"]')]"
    ".filter(e => e.offsetParent !== null).map(e => e.innerText.trim())"
)
CONTROLS_ONLY = (
    f"() => JSON.stringify({VISIBLE_CONTROLS}.filter(v => v).sort())"
    " === JSON.stringify(['Neste →', '← Forrige'])"
)
SCROLL_HEIGHT = "document.querySelector('[data-testid=\"stMain\"]').scrollHeight"
FITS = f"(height) => {SCROLL_HEIGHT} <= height"
PROG = ["Bevilgningsramme BFV", "Budsjett i år", "Prognose i år", "Prognostisert budsjettavvik"]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    return demo_copy(tmp_path_factory.mktemp("deck") / "demo.duckdb")


def query(con):
    return lambda name, **p: store.query(con, name, p)


def test_deck_slides_and_pdf(demo_db):
    pypdf = pytest.importorskip("pypdf")
    from dashboard.present import deck_pdf

    if not Path(CHROMIUM).exists():
        pytest.skip("no Chromium")
    con = store.connect(demo_db)
    q = query(con)
    pin = resolve(q, "MH", store.data_version(con), "Handlingsplan 2019", "Status 2019")
    slides = deck.build(view(q, pin))
    titles = [s.title for s in slides]
    assert slides[0].title == "MH – Fakultet for medisin og helsevitenskap"
    assert titles[1] == "19 av 32 tiltak er igangsatt"
    assert "Prognosen svekker resultatet med 6,5\u00a0mill.\u00a0kr" in titles
    assert any(t.startswith(("UB stiger fra", "UB faller fra", "UB holder seg")) for t in titles)
    assert all(s.subtitle or s.bullets for s in slides), "every slide says which data it shows"
    pdf = deck_pdf.render(slides, "Målbilde · MH")
    con.close()
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == len(slides)
    text = "\n".join(page.extract_text() for page in reader.pages).replace("\u00a0", " ")
    assert "6,5 mill. kr" in text and "19 av 32" in text and "−45 785" in text


@pytest.fixture
def mh_slides(demo_db) -> list:
    """MH's deck on the demo data (tests of the PDF need Chromium and pypdf)."""
    pytest.importorskip("pypdf")
    if not Path(CHROMIUM).exists():
        pytest.skip("no Chromium")
    con = store.connect(demo_db)
    slides = deck.build(view(query(con), resolve(query(con), "MH", store.data_version(con))))
    con.close()
    return slides


def page_texts(pdf: bytes) -> list[str]:
    import pypdf

    return [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def test_warm_printer_prints_the_same_pages_and_recovers_from_a_dead_chromium(mh_slides):
    """The warm printer (one Chromium kept open) and the one-shot print give the same pages;
    a printer that died is replaced."""
    from dashboard.present import deck_pdf, pdf_printer

    slides = mh_slides

    one_shot = page_texts(deck_pdf.render(slides, "Målbilde · MH", warm=False))
    assert len(one_shot) == len(slides)
    assert page_texts(deck_pdf.render(slides, "Målbilde · MH")) == one_shot
    first = pdf_printer._PRINTER.proc
    assert first is not None and first.poll() is None  # kept open for the next PDF
    assert len(page_texts(deck_pdf.render(slides[:3], "Målbilde · MH"))) == 3
    assert pdf_printer._PRINTER.proc is first
    first.kill()
    first.wait()
    assert page_texts(deck_pdf.render(slides, "Målbilde · MH")) == one_shot  # a new printer
    assert pdf_printer._PRINTER.proc is not first
    pdf_printer.stop()


def test_pdf_falls_back_to_a_chromium_of_its_own_when_the_printer_cannot_start(
    mh_slides, monkeypatch
):
    from dashboard.present import deck_pdf, pdf_printer

    slides = mh_slides
    pdf_printer.stop()
    monkeypatch.setattr(pdf_printer, "COMMAND", [sys.executable, "-c", "print('not a printer')"])
    assert len(page_texts(deck_pdf.render(slides, "Målbilde · MH"))) == len(slides)
    assert pdf_printer._PRINTER.proc is None  # the failed printer is not kept


def test_pinned_deck_keeps_its_numbers_after_a_new_prognosis(demo_db, tmp_path, monkeypatch):
    con = store.connect(demo_db)
    pin = resolve(query(con), "MH", store.data_version(con), "Handlingsplan 2019", "Status 2019")
    con.close()
    monkeypatch.setenv("MALBILDE_DB", str(demo_db))

    def deck_titles(params: dict) -> list[str]:
        at = AppTest.from_file(APP, default_timeout=90)
        for k, v in params.items():
            at.query_params[k] = v
        at.switch_page("app_pages/presentasjon.py").run()
        assert not at.exception
        out = []
        for _ in range(12):
            out.append(at.title[0].value)
            nxt = at.button(key="neste")
            if nxt.disabled:
                break
            nxt.click().run()
        return out

    before = deck_titles(pin.to_params())
    assert "Prognosen svekker resultatet med 6,5\u00a0mill.\u00a0kr" in before
    # a new prognosis arrives …
    settings = Settings.from_env(demo_db)
    con = store.connect(demo_db)
    import_file(
        con,
        make_workbook(
            tmp_path / "mh_prognose_2023_12.xlsx",
            {
                "P": [
                    ["Prognose pr. desember 2023"],
                    ["Fakultet for medisin og helsevitenskap (MH)"],
                    PROG,
                    ["Resultat", -45785, -30000, -15785],
                    ["Inntekt", 100, 100, 0],
                    ["Bevilgning", 100, 100, 0],
                ]
            },
        ),
        settings,
    )
    con.close()
    # … the pinned link still shows the October figures; a fresh deck shows December
    assert deck_titles(pin.to_params()) == before
    fresh = deck_titles({})
    assert (
        "Avvik per linje: prognose desember 2023" in fresh
        and "Avvik per linje: prognose oktober 2023" in before
    )


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"), reason="no Chromium")
def test_every_slide_fits_without_scrolling(tmp_path):
    from playwright.sync_api import TimeoutError, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    db = demo_copy(
        tmp_path / "served.duckdb"
    )  # its own file: this process holds the other one open
    with serve(db) as url, sync_playwright() as p:
        browser = launch(p)
        for size, (width, height) in SIZES.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(f"{url}/?modus=presentasjon")  # reachable with a URL parameter
            wait_for_app(page)
            assert "/presentasjon" in page.url
            params = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(page.url).query))
            assert {"per", "rapport", "prognose"} <= params.keys(), (
                "the link pins the data versions"
            )
            for number in range(1, 20):
                # the slide controls are laid out last: wait for them, then judge the slide
                try:
                    page.wait_for_function(CONTROLS_ONLY, timeout=30000, polling=100)
                except TimeoutError:
                    pass  # judged below, with what is visible
                visible = page.evaluate(VISIBLE_CONTROLS)
                assert sorted(v for v in visible if v) == ["Neste →", "← Forrige"], visible
                # judge the settled layout: the slide's own style and a chart filling its box
                # can land a frame after the run's mark; a slide that truly scrolls still fails
                try:
                    page.wait_for_function(FITS, arg=height, timeout=15000, polling=100)
                except TimeoutError:
                    pass  # judged below, with the height it keeps
                scroll = page.evaluate(SCROLL_HEIGHT)
                assert scroll <= height, f"slide {number} scrolls at {size}: {scroll} > {height}"
                assert page.locator('[data-testid="stSidebar"]').is_hidden()
                h1 = page.locator("h1").first
                size_px = float(
                    page.evaluate(
                        "parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)"
                    )
                )
                assert size_px >= 40
                page.screenshot(path=str(ARTIFACTS / f"slide{number:02d}-{size}.png"))
                assert h1.inner_text()
                if page.get_by_role("button", name="Neste →").is_disabled():
                    break
                before = run_id(page)
                page.keyboard.press("ArrowRight")  # arrow keys move between slides
                wait_for_app(page, previous=before)
                assert f"lysbilde={number + 1}" in page.url
            assert number >= 8
            page.close()
        browser.close()
