"""«Tiltak og ressurser» as a user sees it in headless Chromium, at 1920×1080 and 1280×720:
every chart drawn, titled with its finding, no label clipped or overlapped, every word in
bokmål, no serious accessibility violation; and its slides."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, SIZES, wait_for_app
from tests.helpers.words import problems, settled

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
TITLES = (
    "Planen mangler 7,8 mill. kr: 7 av 15 tiltak er ikke finansiert",
    "10 tiltak samtidig i 3. kv. 2023 mot en kapasitet på 8: 6 kvartaler over",
    "12 av 30 tiltak fikk god eller svært god måloppnåelse",
)

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"Chromium not found at {CHROMIUM}")
    pytest.skip("no Chromium on this machine", allow_module_level=True)

pytest.importorskip("playwright.sync_api")


def squeezed(text: str) -> str:
    return "".join(text.split()).replace("\u00a0", "")


@pytest.mark.parametrize("size", list(SIZES))
def test_the_page_and_its_slides(demo_app, browser, size):
    from axe_playwright_python.sync_playwright import Axe

    from tests.helpers.charts import BOXES, faults

    width, height = SIZES[size]
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{demo_app}/ressurser?enhet=VM")
    wait_for_app(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stPlotlyChart"] .main-svg').count() >= 6
    titles = [squeezed(t) for t in page.locator(".gtitle").all_text_contents()]
    for title in TITLES:
        assert any(squeezed(title) in t for t in titles), (title, titles)
    found = {c["i"]: faults(c)[:3] for c in page.evaluate(BOXES) if faults(c)}
    assert not found, found
    assert not problems(settled(page))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"ressurser-{size}.png"), full_page=True)
    if size == "1920x1080":
        bad = [
            v["id"]
            for v in Axe().run(page).response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not bad, bad
    for n in (2, 7):  # the funding slide and the evaluation slide
        page.goto(f"{demo_app}/presentasjon?enhet=VM&lysbilde={n}")
        wait_for_app(page)
        found = {c["i"]: faults(c)[:3] for c in page.evaluate(BOXES) if faults(c)}
        assert not found, (n, found)
    page.close()
