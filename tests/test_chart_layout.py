"""Every chart lays itself out at both screen sizes and on the slides: read from the SVG Plotly
drew in Chromium, each axis label, axis title, legend entry and title lies inside the chart
(nothing clipped at the edge), and no two of them overlap."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, SIZES, launch, wait_for_app

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

# the labels of one chart, with their boxes on the page; bar labels inside bars are left out
BOXES = """() => [...document.querySelectorAll('.js-plotly-plot')].map((plot, i) => {
  const svg = plot.querySelector('.main-svg').getBoundingClientRect();
  const pick = (sel, kind) => [...plot.querySelectorAll(sel)].map(t => {
    const r = t.getBoundingClientRect();
    return {kind, text: t.textContent, x0: r.left, x1: r.right, y0: r.top, y1: r.bottom};
  }).filter(b => b.text.trim() && b.x1 > b.x0);
  const labels = [
    ...pick('.xtick text', 'x'), ...pick('.ytick text', 'y'),
    ...pick('.g-xtitle text, .g-x2title text', 'xtitle'), ...pick('.g-ytitle text', 'ytitle'),
    ...pick('.legendtext', 'legend'), ...pick('.gtitle', 'title'),
  ];
  const title = plot.querySelector('.gtitle');
  return {i, name: title ? title.textContent.slice(0, 60) : '',
          svg: {x0: svg.left, x1: svg.right, y0: svg.top, y1: svg.bottom}, labels};
})"""


def overlap(a: dict, b: dict, slack: float = 1.0) -> bool:
    return (
        min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > slack
        and min(a["y1"], b["y1"]) - max(a["y0"], b["y0"]) > slack
    )


def faults(chart: dict) -> list[str]:
    out, svg = [], chart["svg"]
    labels = chart["labels"]
    for b in labels:
        if b["x0"] < svg["x0"] - 1 or b["x1"] > svg["x1"] + 1 or b["y0"] < svg["y0"] - 1:
            out.append(f"«{b['text']}» ({b['kind']}) is clipped at the chart's edge")
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            if a["kind"] == "title" or b["kind"] == "title":
                continue  # the title's lines are one element
            if overlap(a, b):
                out.append(f"«{a['text']}» ({a['kind']}) overlaps «{b['text']}» ({b['kind']})")
    return out


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
