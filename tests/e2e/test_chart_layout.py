"""Every chart lays itself out at both screen sizes and on the slides: read from the SVG Plotly
drew in Chromium, each axis label, axis title, legend entry and title lies inside the chart
(nothing clipped at the edge), and no two of them overlap."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, SIZES, launch, wait_for_app
from tests.helpers.charts import BOXES, faults

pytestmark = pytest.mark.browser
if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
    pytest.skip("no Chromium on this machine", allow_module_level=True)

VIEWS = [
    ("", "enhet=MH"),
    ("maloppnaelse", "enhet=MH"),
    ("maloppnaelse", "enhet=NTNU"),
    ("budsjett", "enhet=MH"),
    ("budsjett", "enhet=IØT"),
    ("indikatorer", "enhet=IØT"),
    ("indikatorer", "enhet=NTNU"),
    ("indikatorer", "enhet=NTNU&sammenlign=Alle+institusjoner"),
    ("presentasjon", "enhet=NTNU&lysbilde=7"),  # NTNU beside the other universities
] + [("presentasjon", f"enhet=MH&lysbilde={n}") for n in range(1, 10)]
VIEWS += [("ressurser", "enhet=VM")]  # one chart per question of «Tiltak og ressurser»
VIEWS += [("presentasjon", f"enhet=VM&lysbilde={n}") for n in range(2, 8)]  # and their slides
VIEWS += [("okonomi", "enhet=MH")]  # the faculty's economy (issue 26)
VIEWS += [("presentasjon", f"enhet=MH&lysbilde={n}") for n in range(10, 15)]  # and its slides


@pytest.mark.parametrize("size", list(SIZES))
def test_no_chart_label_is_clipped_or_overlapped(demo_app, size):
    from playwright.sync_api import sync_playwright

    found, charts = {}, 0
    with sync_playwright() as p:
        browser = launch(p)
        width, height = SIZES[size]
        page = browser.new_page(viewport={"width": width, "height": height})
        for name, query in VIEWS:
            page.goto(f"{demo_app}/{name}?{query}")
            wait_for_app(page)
            for chart in page.evaluate(BOXES):
                charts += 1
                if faults(chart):
                    found[f"{name or 'oversikt'}?{query} #{chart['i']} {chart['name']}"] = faults(
                        chart
                    )[:4]
        browser.close()
    assert charts >= 20
    assert not found, found
