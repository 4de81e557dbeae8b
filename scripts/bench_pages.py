"""Benchmark of the pages: warm script runs with AppTest on (a) the demo database, (b) a database
about 100 × larger, and (c) an empty page (the framework's floor); and cold start of
`streamlit run` to the first page drawn, against a trivial app. Prints a table of figures.

Run: `.venv/bin/python scripts/bench_pages.py [--runs 15] [--no-cold]`
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

# Note: each new AppTest scans every installed package for component manifests (0.06–0.3 s,
# varying with the file cache and threads), which a server does once at start; on this machine
# that scan is most of each figure below. The websocket benchmark asked for in the issue
# «Twenty viewers at once» is the measure of what a user waits for.

APP = str(ROOT / "dashboard" / "app.py")
PAGES = ["oversikt", "maloppnaelse", "budsjett", "indikatorer"]
TRIVIAL = "import streamlit as st\nst.title('Tom side')\nst.write('Hei')\n"


def warm_ms(make, runs: int) -> float:
    """Median time of `runs` warm runs (after two runs that fill the caches)."""
    for _ in range(2):
        make().run()
    times = []
    for _ in range(runs):
        at = make()
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
        assert not at.exception, [e.value for e in at.exception]
    return statistics.median(times)


def page_ms(db: Path, page: str, runs: int) -> float:
    os.environ["MALBILDE_DB"] = str(db)

    def make() -> AppTest:
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["enhet"] = "MH"
        at.switch_page(f"app_pages/{page}.py")
        return at

    return warm_ms(make, runs)


def cold_start_s(script: Path, db: Path | None) -> float:
    """Seconds from `streamlit run` to the page's first heading drawn in headless Chromium."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS, free_port

    port = free_port()
    env = dict(os.environ, **({"MALBILDE_DB": str(db)} if db else {}))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        start = time.perf_counter()
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(script),
                "--server.port",
                str(port),
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            while True:
                try:
                    page.goto(f"http://127.0.0.1:{port}/", timeout=2000)
                    break
                except Exception:  # noqa: BLE001 — server not up yet
                    time.sleep(0.05)
            page.wait_for_selector('[data-testid="stMain"] h1', timeout=60000)
            return time.perf_counter() - start
        finally:
            proc.terminate()
            proc.wait()
            browser.close()


def build_in_child(module: str, function: str, path: Path) -> Path:
    """Build a database in a process of its own: the generator's objects (~160 000 for the 100×
    database) would otherwise stay alive here and slow every page timed after it (the garbage
    collector walks them), which a server that only reads the database never has."""
    code = f"from {module} import {function}; {function}({str(path)!r})"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--no-cold", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        demo = build_in_child("data.generate_demo", "build_demo", tmp / "demo.duckdb")
        t0 = time.perf_counter()
        large = build_in_child("data.generate_large", "build_large", tmp / "large.duckdb")
        print(
            f"100× database built in {time.perf_counter() - t0:.0f} s ({large.stat().st_size / 1e6:.0f} MB)"
        )
        floor = warm_ms(lambda: AppTest.from_string(TRIVIAL, default_timeout=60), args.runs)
        print(f"\nwarm script run, median of {args.runs} (ms); floor = empty page {floor:.0f} ms\n")
        print(
            f"{'page':<14}{'demo':>8}{'×floor':>8}{'100×':>8}{'×demo':>8}   targets: ×floor ≤ 3, ×demo ≤ 2"
        )
        for page in PAGES:
            d = page_ms(demo, page, args.runs)
            big = page_ms(large, page, args.runs)
            print(f"{page:<14}{d:>8.0f}{d / floor:>8.2f}{big:>8.0f}{big / d:>8.2f}")
        if not args.no_cold:
            # in a fresh process: AppTest leaves runtime state behind that disturbs a browser session
            # in a fresh process with its own database: this process keeps the demo file open (locked)
            subprocess.run([sys.executable, __file__, "--cold-only"], check=True)


def cold_only() -> None:
    from data.generate_demo import build_demo

    with tempfile.TemporaryDirectory() as tmp:
        db = build_demo(Path(tmp) / "demo.duckdb")
        trivial = Path(tmp) / "trivial.py"
        trivial.write_text(TRIVIAL)
        cold_trivial = min(cold_start_s(trivial, None) for _ in range(2))
        cold_app = min(cold_start_s(ROOT / "dashboard" / "app.py", db) for _ in range(2))
    print(
        f"\ncold start to first page drawn: app {cold_app:.1f} s, trivial app {cold_trivial:.1f} s, "
        f"ratio {cold_app / cold_trivial:.2f} (target ≤ 2)"
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["--cold-only"]:
        cold_only()
    else:
        main()
