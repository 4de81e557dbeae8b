"""The page slides are printed in and the Chromium that prints it: its flags, the style, the
page options. Below both the deck's PDF (`deck_pdf`) and the warm printer (`pdf_printer`), so
neither imports the other."""

from __future__ import annotations

import os

from plotly.offline import get_plotlyjs

CHROMIUM = os.environ.get("MALBILDE_CHROMIUM", "/usr/bin/chromium")
# Headless Chromium on a machine without a screen or outside network (the browser tests use it too).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
CSS = """
@page { size: 1920px 1080px; margin: 0; }
* { box-sizing: border-box; }
body { margin: 0; font-family: 'Source Sans Pro', 'Source Sans 3', Arial, sans-serif; color: #1A1A1A; }
section { width: 1920px; height: 1080px; padding: 60px 96px 40px 96px; break-after: page;
          position: relative; overflow: hidden; }
section:last-of-type { break-after: auto; }
h1 { font-size: 52px; margin: 0 0 12px 0; line-height: 1.15; }
.sub { font-size: 26px; color: #4D4D4D; margin-bottom: 24px; }
.chart { width: 1728px; height: 760px; }
table { border-collapse: collapse; font-size: 28px; width: 100%; }
th { text-align: left; color: #4D4D4D; border-bottom: 2px solid #1A1A1A; padding: 10px 14px; }
td { border-bottom: 1px solid #D0D5DC; padding: 12px 14px; }
.big { display: flex; gap: 80px; margin-top: 80px; }
.num { font-size: 96px; font-weight: 700; color: #00509E; }
.lab { font-size: 32px; }
p { font-size: 28px; }
footer { position: absolute; bottom: 24px; left: 96px; right: 96px; font-size: 20px; color: #4D4D4D;
         display: flex; justify-content: space-between; }
"""


PDF_OPTIONS = {
    "width": "1920px",
    "height": "1080px",
    "print_background": True,
    "margin": {"top": "0", "bottom": "0", "left": "0", "right": "0"},
}


def shell() -> str:
    """The page the slides are printed in: the style and plotly.js (loaded once by a warm printer)."""
    return (
        f"<!doctype html><html lang='nb'><head><meta charset='utf-8'><style>{CSS}</style>"
        f"<script>{get_plotlyjs()}</script></head><body></body></html>"
    )
