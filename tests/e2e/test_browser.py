"""The app as a user sees it: headless Chromium opens every page at 1920×1080 and 1280×720,
with no error element, charts drawn, Norwegian page language, no serious accessibility
violations (axe-core), and links that reopen the same filters. Screenshots go to artifacts/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, SIZES, serve, upload, wait_for_app

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
PAGES = {
    "": "oversikt",
    "maloppnaelse": "maloppnaelse",
    "budsjett": "budsjett",
    "indikatorer": "indikatorer",
}

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError(
            f"Chromium not found at {CHROMIUM}; scripts/test.sh installs Debian's chromium"
        )
    pytest.skip("no Chromium on this machine", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    from tests.helpers.demo import demo_copy

    db = demo_copy(tmp_path_factory.mktemp("browser") / "demo.duckdb")
    with serve(db) as url:
        yield url


@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_renders(app_url, browser, size):
    from axe_playwright_python.sync_playwright import Axe

    width, height = SIZES[size]
    page = browser.new_page(viewport={"width": width, "height": height})
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for path, name in PAGES.items():
        page.goto(f"{app_url}/{path}?enhet=MH")
        wait_for_app(page)
        assert page.locator('[data-testid="stException"]').count() == 0, name
        charts = page.locator('[data-testid="stPlotlyChart"] .main-svg').count()
        assert charts >= (0 if name in ("oversikt", "last_opp") else 1), name
        assert page.evaluate("document.documentElement.lang") == "nb"
        page.screenshot(path=str(ARTIFACTS / f"{name}-{size}.png"), full_page=True)
        if size == "1920x1080":
            result = Axe().run(page)
            bad = [
                v["id"]
                for v in result.response["violations"]
                if v["impact"] in ("serious", "critical")
            ]
            assert not bad, f"{name}: {bad}"
    page.close()


def test_link_with_filters_reopens_the_same_view(app_url, browser):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{app_url}/budsjett?enhet=I%C3%98T")
    wait_for_app(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert "IØT – Institutt for industriell økonomi" in sidebar.inner_text()
    assert (
        "Prognosen" in page.locator('[data-testid="stMain"]').inner_text()
        or page.locator(".main-svg").count()
    )
    page.goto(f"{app_url}/maloppnaelse?enhet=MH&omrade=Organisasjon")
    wait_for_app(page)
    assert "Område: Organisasjon" in page.locator('[data-testid="stMain"]').inner_text()
    # choosing another unit writes it into the address, so the link can be shared
    page.goto(f"{app_url}/?enhet=VM")
    wait_for_app(page)
    assert "enhet=VM" in page.url
    page.close()


def test_upload_in_the_browser(app_url, browser, tmp_path):
    """A finance user drops a workbook, sees the diff, and saves it."""
    from tests.conftest import make_workbook

    path = make_workbook(
        tmp_path / "mh_prognose_2023_11.xlsx",
        {
            "P": [
                ["Prognose pr. november 2023"],
                ["Fakultet for medisin og helsevitenskap (MH)"],
                [
                    "Bevilgningsramme BFV",
                    "Budsjett i år",
                    "Prognose i år",
                    "Prognostisert budsjettavvik",
                ],
                ["Resultat", -45785, -50000, 4215],
            ]
        },
    )
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    upload(page, app_url, path)
    page.get_by_text("Endringer mot det som er lagret nå").wait_for(timeout=30000)
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert (
        "prognose november 2023" in main
        and "sammenlignet med lagret «prognose oktober 2023»" in main
    )
    page.screenshot(path=str(ARTIFACTS / "last_opp-diff-1920x1080.png"), full_page=True)
    page.get_by_role("button", name="Lagre", exact=True).click()
    page.get_by_text("Lagret som import nr.").wait_for(timeout=30000)
    page.close()


@pytest.fixture(scope="module")
def ntnu_peers(tmp_path_factory):
    """The comparison as the read model computes it, on a second copy of the demo database
    (the served one is held by the app)."""
    from dashboard import store
    from dashboard.model.pin import resolve
    from dashboard.model.view import view
    from tests.helpers.demo import demo_copy

    db = demo_copy(tmp_path_factory.mktemp("peers") / "demo.duckdb")
    con = store.connect(db)
    try:
        q = lambda name, **p: store.query(con, name, p)  # noqa: E731
        return view(q, resolve(q, "NTNU", store.data_version(con))).peers_in(None)
    finally:
        con.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_ntnu_beside_its_peers_on_the_page_and_the_slide(app_url, browser, ntnu_peers, size):
    """The comparison drawn in Chromium: its title is the read model's (as `summary --json`
    prints it), one bar per university with NTNU's in the accent colour, and the same message on
    the deck's slide; picking another peer group redraws it for that group."""
    import re

    from dashboard.present import theme

    width, height = SIZES[size]
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{app_url}/indikatorer?enhet=NTNU")
    wait_for_app(page)
    titles = page.locator(".js-plotly-plot .gtitle")
    words = [re.sub(r"\s+", "", t) for t in titles.all_text_contents()]  # lines are tspans
    c = ntnu_peers.main
    assert any(w.startswith(re.sub(r"\s+", "", c.title)) for w in words), words
    plot = page.locator(".js-plotly-plot", has_text="Median for de andre").first
    bars = plot.locator(".bars .point path")
    assert bars.count() == int(c.latest["n"]) == 11
    fills = [bars.nth(i).evaluate("e => getComputedStyle(e).fill") for i in range(bars.count())]
    assert fills.count("rgb(0, 80, 158)") == 1 and theme.NTNU_BLUE == "#00509E"
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(ARTIFACTS / f"indikatorer-sammenligning-{size}.png"), full_page=True)
    # another group from the picker
    page.goto(f"{app_url}/indikatorer?enhet=NTNU&sammenlign=Alle+institusjoner")
    wait_for_app(page)
    plot = page.locator(".js-plotly-plot", has_text="Median for de andre").first
    assert plot.locator(".bars .point path").count() == 27
    # the slide says the same
    page.goto(f"{app_url}/presentasjon?enhet=NTNU&lysbilde=7")
    wait_for_app(page)
    assert c.title in re.sub(r"\s+", " ", page.locator("h1").first.inner_text())
    assert page.locator('[data-testid="stPlotlyChart"] .bars .point path').count() == 11
    page.close()
