"""Take screenshots of every page at 1920×1080 and 1280×720 into artifacts/screenshots/.

Run: `.venv/bin/python scripts/screenshots.py [--db data/malbilde.duckdb] [--query "enhet=IØT"]`
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser import SIZES, launch, serve, wait_for_app  # noqa: E402

PAGES = ["oversikt", "maloppnaelse", "budsjett", "indikatorer"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=str(ROOT / "data" / "malbilde.duckdb"))
    parser.add_argument("--query", default="")
    parser.add_argument("--pages", nargs="*", default=PAGES)
    parser.add_argument("--out", default=str(ROOT / "artifacts" / "screenshots"))
    parser.add_argument("--scroll", help="scroll to the first heading with this text first")
    parser.add_argument("--down", type=int, default=0, help="then scroll this many pixels more")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with serve(Path(args.db)) as url, sync_playwright() as p:
        browser = launch(p)
        for name, (w, h) in SIZES.items():
            page = browser.new_page(viewport={"width": w, "height": h})
            for slug in args.pages:
                path = "" if slug == "oversikt" else slug
                page.goto(f"{url}/{path}" + (f"?{args.query}" if args.query else ""))
                wait_for_app(page)
                suffix = ""
                if args.scroll:
                    heading = page.get_by_role("heading", name=args.scroll).first
                    heading.evaluate("e => e.scrollIntoView({block: 'start'})")
                    if args.down:
                        page.mouse.move(w // 2, h // 2)
                        page.mouse.wheel(0, args.down)
                    page.wait_for_timeout(1500)  # the charts below draw as they come into view
                    suffix = "-scrolled"
                query = args.query.replace("=", "_").replace("&", "_")
                target = out / f"{slug}-{name}{'-' + query if query else ''}{suffix}.png"
                page.screenshot(path=str(target), full_page=True)
                print(target)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
