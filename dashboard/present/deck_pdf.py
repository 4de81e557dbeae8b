"""«Last ned PDF»: the same slides as the presentation page, one slide per page (1920×1080).

The slides are written as one HTML document (charts drawn by plotly.js, shipped inside the
plotly package, so nothing is fetched) and printed to PDF by the machine's Chromium through
Playwright, in a child process: `python -m dashboard.present.deck_pdf DECK.html OUT.pdf`.
Needs Debian's chromium (`apt-get install chromium`; path in MALBILDE_CHROMIUM).
"""

from __future__ import annotations

import html
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

from dashboard.config import ROOT
from dashboard.errors import UserError
from dashboard.present.pdf_page import CHROMIUM, CHROMIUM_ARGS, CSS, PDF_OPTIONS, shell

PDF_ROWS = 10  # table rows on a 1920×1080 page (28 px), the rest named under the table

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "CSS", "PDF_OPTIONS", "render", "shell", "to_html"]


def big_html(number: str) -> str:
    """A big number as HTML, escaped; a count per scale («9 av 13 · 12 av 14») one per line."""
    return " ·<br>".join(html.escape(part) for part in number.split(" · "))


def _sections(slides: list, footer: str) -> tuple[str, list[tuple[str, str]]]:
    """One <section> per slide, and the charts to draw in it: (div id, figure JSON)."""
    parts = []
    charts = []
    for i, slide in enumerate(slides):
        parts.append(f"<section><h1>{html.escape(slide.title)}</h1>")
        if slide.subtitle:
            parts.append(f"<div class='sub'>{html.escape(slide.subtitle)}</div>")
        if slide.big:
            parts.append(
                "<div class='big'>"
                + "".join(
                    f"<div><div class='num'>{big_html(n)}</div><div class='lab'>{html.escape(label)}</div></div>"
                    for n, label in slide.big
                )
                + "</div>"
            )
        if slide.figure is not None:
            fig = go.Figure(slide.figure)  # a copy: the slide's figure is shared with the deck page
            fig.update_layout(height=760, width=1728, title=None, margin={"t": 40})
            charts.append((f"chart{i}", pio.to_json(fig, validate=False)))
            parts.append(f"<div class='chart' id='chart{i}'></div>")
        if slide.table is not None and not slide.table.empty:
            head = "".join(f"<th>{html.escape(str(c))}</th>" for c in slide.table.columns)
            rows = "".join(
                "<tr>"
                + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in row)
                + "</tr>"
                for row in slide.table.head(PDF_ROWS).itertuples(index=False)
            )
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
            more = slide.more_text(PDF_ROWS)
            if more:
                parts.append(f"<p>{html.escape(more)}</p>")
        for bullet in slide.bullets:
            parts.append(f"<p>{html.escape(bullet)}</p>")
        parts.append(
            f"<footer><span>{html.escape(footer)}</span><span>{i + 1} / {len(slides)}</span></footer></section>"
        )
    return "".join(parts), charts


def to_html(slides: list, footer: str) -> str:
    """One document: one <section> per slide; charts as plotly.js divs with their JSON."""
    body, charts = _sections(slides, footer)
    script = "".join(
        f"Plotly.newPlot('{cid}', {spec}.data, {spec}.layout, {{staticPlot: true}});"
        for cid, spec in ((cid, f"JSON.parse({json.dumps(spec)})") for cid, spec in charts)
    )
    return shell().replace(
        "<body></body>", f"<body>{body}<script>{script} window.chartsDone = true;</script></body>"
    )


def job(slides: list, footer: str) -> dict:
    """What a warm printer needs for one PDF: the sections and the charts to draw in them."""
    body, charts = _sections(slides, footer)
    return {"body": body, "charts": charts}


def render(slides: list, footer: str, timeout_s: int = 120, *, warm: bool = True) -> bytes:
    """The PDF bytes for these slides: printed by the warm printer (a Chromium kept open with
    plotly.js loaded, `dashboard.present.pdf_printer`), or by a Chromium of its own when the
    warm one cannot (or `warm` is False)."""
    if not Path(CHROMIUM).exists():
        raise UserError(
            f"PDF krever Chromium ({CHROMIUM}); installer pakken «chromium» (apt-get install chromium)."
        )
    if warm:
        from dashboard.present import pdf_printer

        pdf = pdf_printer.print_pdf(job(slides, footer), timeout_s)
        if pdf is not None:
            return pdf
    with tempfile.TemporaryDirectory(prefix="malbilde-pdf-") as tmp:
        src, out = Path(tmp) / "deck.html", Path(tmp) / "deck.pdf"
        src.write_text(to_html(slides, footer), encoding="utf-8")
        proc = subprocess.run(
            [sys.executable, "-m", "dashboard.present.deck_pdf", str(src), str(out)],
            cwd=ROOT,
            capture_output=True,
            timeout=timeout_s,
        )
        if proc.returncode != 0 or not out.exists():
            raise UserError(
                "PDF-en kunne ikke lages (Chromium feilet). Prøv igjen, eller kontakt en administrator."
            )
        return out.read_bytes()


def _print(src: Path, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(src.resolve().as_uri())
        page.wait_for_function("window.chartsDone === true", timeout=60000)
        page.pdf(path=str(out), **PDF_OPTIONS)
        browser.close()


if __name__ == "__main__":
    _print(Path(sys.argv[1]), Path(sys.argv[2]))
