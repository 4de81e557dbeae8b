"""The reporting-round page as a user sees it in headless Chromium, at 1920×1080 and 1280×720:
the completeness chart drawn with its finding as title, no error, no serious accessibility
violation; and a returned workbook taken back and saved in the browser."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, SIZES, run_id, serve, wait_for_app
from tests.helpers.words import problems, settled
from tests.rounds_helpers import demo_with_answers, fill, rows_of

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
HEADLINE = "2 av 5 enheter har rapportert; MH-IKOM og MH-ISB mangler, MH-ISM delvis"

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"Chromium not found at {CHROMIUM}")
    pytest.skip("no Chromium on this machine", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    db = tmp_path_factory.mktemp("browser_rounds") / "demo.duckdb"
    demo_with_answers(db)
    with serve(db) as url:
        yield url, db


@pytest.mark.parametrize("size", list(SIZES))
def test_the_round_page_renders(served, browser, size):
    from axe_playwright_python.sync_playwright import Axe

    url, _ = served
    width, height = SIZES[size]
    page = browser.new_page(viewport={"width": width, "height": height})
    for path in ("runder", ""):
        page.goto(f"{url}/{path}?enhet=MH")
        wait_for_app(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        titles = page.locator('[data-testid="stPlotlyChart"] .gtitle').all_text_contents()
        squeezed = [t.replace(" ", "").replace("\u00a0", "") for t in titles]
        assert any(HEADLINE.replace(" ", "") in t for t in squeezed), titles
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"runder-{path or 'oversikt'}-{size}.png"))
    page.goto(f"{url}/runder?enhet=MH")
    wait_for_app(page)
    assert "Påminnelse til dem som mangler" in page.inner_text('[data-testid="stMain"]')
    for tab in ("Ta imot svar", "Endre tiltak", "Lukk runden"):  # every word in bokmål
        page.get_by_role("tab", name=tab).click()
        assert not problems(settled(page)), tab
    if size == "1920x1080":
        result = Axe().run(page)
        bad = [
            v["id"] for v in result.response["violations"] if v["impact"] in ("serious", "critical")
        ]
        assert not bad, bad
    page.close()


def test_taking_back_a_workbook_in_the_browser(served, browser, tmp_path):
    url, db = served
    book = db.parent / "arbeidsboker" / "status_juni_2020_MH-ISB.xlsx"
    answers = {row[0]: {"Ny status": "4 – x"} for row in rows_of(book)}
    filled = fill(book, answers, tmp_path / "isb svar.xlsx")
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{url}/runder?enhet=MH")
    wait_for_app(page)
    page.get_by_role("tab", name="Ta imot svar").click()
    before = run_id(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(filled))
    wait_for_app(page, previous=before)
    page.get_by_text("MH-ISB: 11 tiltak med nye svar").wait_for(timeout=30000)
    page.screenshot(path=str(ARTIFACTS / "runder-ta-imot-1920x1080.png"), full_page=True)
    page.get_by_role("button", name="Lagre svarene").click()
    page.get_by_text("1 filer er lagret").wait_for(timeout=30000)
    page.wait_for_function(  # the chart redrawn with the new finding as its title
        """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .gtitle')]
            .some(t => t.textContent.replace(/\\s/g, '').includes('3av5enheterharrapportert'))""",
        timeout=60000,
        polling=200,
    )
    page.screenshot(path=str(ARTIFACTS / "runder-lagret-1920x1080.png"), full_page=True)
    page.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_no_label_of_the_round_chart_is_clipped_or_overlapped(served, browser, size):
    from tests.helpers.charts import BOXES, faults

    url, _ = served
    width, height = SIZES[size]
    page = browser.new_page(viewport={"width": width, "height": height})
    found, charts = {}, 0
    for path in ("runder?enhet=MH", "?enhet=MH", "presentasjon?enhet=MH&lysbilde=3"):
        page.goto(f"{url}/{path}")
        wait_for_app(page)
        for chart in page.evaluate(BOXES):
            charts += 1
            if faults(chart):
                found[f"{path} #{chart['i']}"] = faults(chart)[:4]
    page.close()
    assert charts >= 3
    assert not found, found
