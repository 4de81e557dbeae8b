"""The label boxes of the Plotly charts a page drew in Chromium, and their faults."""

from __future__ import annotations

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
    """Whether two label boxes overlap by more than `slack` pixels both ways."""
    return (
        min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > slack
        and min(a["y1"], b["y1"]) - max(a["y0"], b["y0"]) > slack
    )


def faults(chart: dict) -> list[str]:
    """A chart's labels clipped at its edge or lying on one another."""
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
