"""Benchmark of what a user waits for: the app served by `streamlit run`, driven over Streamlit's
own websocket protocol (no browser) and in headless Chromium, against a trivial five-page app
served the same way in the same run. Prints figures; asserts nothing.

- one session, per page: median of warm requests (demo database, and one ~100 × larger);
- 20 and 50 sessions at once, each asking for the four pages in turn: per page median and p95,
  and pages served per second — beside the trivial app and the «floor» (Streamlit alone sending
  as many elements per page as Målbilde: what the framework costs before any code of ours);
- one user in Chromium: from navigation to the last chart drawn;
- cold start: from `streamlit run` to the first page drawn.

Run: `.venv/bin/python scripts/bench_pages.py [--runs 15] [--sessions 20 50] [--quick]
[--no-browser] [--no-service]`
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import serve  # noqa: E402
from tests.wsclient import Session  # noqa: E402

PAGES = ["", "maloppnaelse", "budsjett", "indikatorer"]  # '' = Oversikt, the default page
NAMES = {"": "Oversikt", "maloppnaelse": "Måloppnåelse", "budsjett": "Budsjett"}
NAMES |= {"indikatorer": "Indikatorer", "presentasjon": "Presentasjon"}
QUERY = "enhet=MH"
READ_MS = 3000  # how long a user looks at a page before choosing the next one in the menu
TRIVIAL = """import streamlit as st

def page():
    st.title("Tom side")
    st.write("Hei")
    st.session_state["_run"] = st.session_state.get("_run", 0) + 1  # the same mark as the app
    st.html(f'<span id="malbilde-klar" data-run="{st.session_state["_run"]}" data-charts="0">')

st.set_page_config(page_title="Tom", layout="wide")
pages = [st.Page(page, title="Oversikt", url_path="oversikt", default=True)] + [
    st.Page(page, title=name, url_path=name)
    for name in ("maloppnaelse", "budsjett", "indikatorer", "presentasjon")
]
st.navigation(pages).run()
"""


# The framework's floor: an app with no code of ours whose every page sends as many elements
# (plain Markdown) as Målbilde's page of the same name, filled in from a Målbilde session.
FLOOR = """import streamlit as st

COUNTS = {counts!r}

def page(name):
    def run():
        for i in range(COUNTS.get(name, 2) - 1):
            st.markdown(f"Linje {{i}}")
        st.session_state["_run"] = st.session_state.get("_run", 0) + 1
        st.html(f'<span id="malbilde-klar" data-run="{{st.session_state["_run"]}}" data-charts="0">')
    return run

st.set_page_config(page_title="Gulv", layout="wide")
pages = [st.Page(page(""), title="Oversikt", url_path="oversikt", default=True)] + [
    st.Page(page(name), title=name, url_path=name)
    for name in ("maloppnaelse", "budsjett", "indikatorer", "presentasjon")
]
st.navigation(pages).run()
"""


async def elements(url: str) -> dict[str, int]:
    """Elements (deltas) each page sends in a warm session."""
    async with Session(url, QUERY) as session:
        for page in PAGES:
            await session.open(page)
        return {page: (await session.open(page)).deltas for page in PAGES}


def name(page: str) -> str:
    return NAMES.get(page, page)


def p95(values: list[float]) -> float:
    return (
        statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]
    )


async def one_session(url: str, pages: list[str], runs: int) -> dict[str, float]:
    """Median seconds per page of `runs` warm requests in one session (two warm-up rounds)."""
    times: dict[str, list[float]] = {page: [] for page in pages}
    async with Session(url, QUERY) as session:
        for round_ in range(runs + 2):
            for page in pages:
                run = await session.open(page)
                if run.exceptions:
                    raise RuntimeError(f"{name(page)}: {run.exceptions}")
                if round_ >= 2:
                    times[page].append(run.seconds)
    return {page: statistics.median(t) for page, t in times.items() if t}


async def many_sessions(
    url: str, count: int, rounds: int, warm: int = 1
) -> tuple[list[float], float]:
    """`count` sessions at once, each asking for the four pages in turn `rounds` times (each
    with a route cookie of its own, as browsers behind scripts/serve.py's proxy). Returns every
    page's seconds and the pages served per second over the whole run. `warm` sessions first
    fill the caches, as earlier visitors would have (one per process behind a proxy)."""
    for _ in range(warm):
        async with Session(url, QUERY, cookie=f"malbilde_route={uuid.uuid4().hex}") as s:
            for page in PAGES:
                await s.open(page)
    start = time.perf_counter()

    async def visitor() -> list[float]:
        async with Session(url, QUERY, cookie=f"malbilde_route={uuid.uuid4().hex}") as session:
            return [(await session.open(p)).seconds for _ in range(rounds) for p in PAGES]

    results = await asyncio.gather(*(visitor() for _ in range(count)))
    wall = time.perf_counter() - start
    seconds = [s for result in results for s in result]
    return seconds, len(seconds) / wall


def chromium_s(url: str, page: str, runs: int) -> tuple[float, float]:
    """Median seconds from navigation to the page fully drawn (the run's mark, every chart's
    SVG) in Chromium: opened by its address (a full page load), and reached from Oversikt by
    the page menu (as a user moves between pages)."""
    from playwright.sync_api import sync_playwright

    from tests.browser import launch, run_id, wait_for_app

    loads, moves = [], []
    with sync_playwright() as p:
        browser = launch(p)
        tab = browser.new_page(viewport={"width": 1920, "height": 1080})
        for i in range(runs + 1):
            start = time.perf_counter()
            tab.goto(f"{url}/{page}?{QUERY}")
            wait_for_app(tab)
            if i:
                loads.append(time.perf_counter() - start)
        links = tab.locator('[data-testid="stSidebarNavLink"]')
        link = links.first if not page else links.and_(tab.locator(f'[href$="/{page}"]'))
        for i in range(runs + 1):
            tab.goto(f"{url}/{'indikatorer' if not page else ''}?{QUERY}")
            wait_for_app(tab)
            tab.wait_for_timeout(READ_MS)  # the user reads the page before moving on
            before = run_id(tab)
            start = time.perf_counter()
            link.click()
            wait_for_app(tab, previous=before)
            if i:
                moves.append(time.perf_counter() - start)
        browser.close()
    return statistics.median(loads), statistics.median(moves)


def report_service(db: Path, count: int, rounds: int) -> None:
    """scripts/serve.py with one and with two processes behind nginx, `count` sessions at once."""
    print(f"\nbehind nginx (scripts/serve.py), {count} sessions at once, demo database\n")
    print(f"{'processes':<10}{'median s':>10}{'p95 s':>8}{'pages/s':>9}")
    rates = {}
    for processes in (1, 2):
        with served(db, processes) as url:
            seconds, rate = asyncio.run(many_sessions(url, count, rounds, warm=4 * processes))
        rates[processes] = rate
        print(f"{processes:<10}{statistics.median(seconds):>10.2f}{p95(seconds):>8.2f}{rate:>9.1f}")
    print(f"two processes serve {rates[2] / rates[1]:.2f}× the pages of one (target ≥ 1.6)")


@contextlib.contextmanager
def served(db: Path, processes: int):
    from tests.browser import free_port

    port = free_port()
    with tempfile.TemporaryDirectory() as run:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "scripts" / "serve.py"), "--processes", str(processes)]
            + ["--port", str(port), "--db", str(db), "--run-dir", run],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert "kjører" in proc.stdout.readline()
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def deck_s(url: str) -> tuple[list[float], list[float]]:
    """Seconds from «Neste» to the next slide drawn, for every slide of MH's deck; and from
    «Lag PDF av presentasjonen» on Oversikt to the PDF ready to download."""
    from playwright.sync_api import sync_playwright

    from tests.browser import launch, run_id, wait_for_app

    steps = []
    with sync_playwright() as p:
        browser = launch(p)
        tab = browser.new_page(viewport={"width": 1920, "height": 1080})
        tab.goto(f"{url}/presentasjon?{QUERY}")
        wait_for_app(tab)
        while tab.locator(".st-key-neste button").is_enabled():
            before, start = run_id(tab), time.perf_counter()
            tab.locator(".st-key-neste button").click()
            wait_for_app(tab, previous=before)
            steps.append(time.perf_counter() - start)
        pdfs = []
        for _ in range(3):
            tab.goto(f"{url}/?{QUERY}")
            wait_for_app(tab)
            start = time.perf_counter()
            tab.locator(".st-key-lag_pdf button").click()
            tab.get_by_role("button", name="Last ned PDF").wait_for(timeout=120000)
            pdfs.append(time.perf_counter() - start)
        browser.close()
    return steps, pdfs


def build_in_child(module: str, function: str, path: Path) -> Path:
    """Build a database in a process of its own, so that the benchmark's own process stays small."""
    code = f"from {module} import {function}; {function}({str(path)!r})"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    return path


def report_one_session(trivial: str, demo: str, large: str | None, runs: int) -> None:
    pages = PAGES + ["presentasjon"]
    base = asyncio.run(one_session(trivial, pages, runs))
    app = asyncio.run(one_session(demo, pages, runs))
    big = asyncio.run(one_session(large, pages, runs)) if large else {}
    print(f"\none session, warm, median of {runs} requests per page (ms); over the websocket\n")
    print(f"{'page':<14}{'trivial':>9}{'demo':>8}{'×trivial':>10}{'100×':>8}{'×demo':>8}")
    for page in pages:
        row = f"{name(page):<14}{base[page] * 1000:>9.0f}{app[page] * 1000:>8.0f}"
        row += f"{app[page] / base[page]:>10.2f}"
        if big:
            row += f"{big[page] * 1000:>8.0f}{big[page] / app[page]:>8.2f}"
        print(row)
    print("targets: ×trivial ≤ 2 (issue «Twenty viewers»; ≤ 3 in «One truth»), 100× ≤ 2 × demo")


def report_many(trivial: str, demo: str, counts: list[int], rounds: int, tmp: Path) -> None:
    sent = asyncio.run(elements(demo))
    (tmp / "floor.py").write_text(FLOOR.format(counts=sent))
    print(f"\nsessions at once, each asking for the four pages {rounds}× in turn (demo database)")
    print(
        "«floor»: Streamlit alone sending as many elements per page as Målbilde ("
        + ", ".join(f"{name(p)} {n}" for p, n in sent.items())
        + ")\n"
    )
    print(f"{'sessions':<10}{'':<10}{'median s':>10}{'p95 s':>8}{'pages/s':>9}{'×trivial':>10}")
    with serve(None, script=tmp / "floor.py") as floor:
        for count in counts:
            base = None
            for label, url in (("trivial", trivial), ("floor", floor), ("Målbilde", demo)):
                seconds, rate = asyncio.run(many_sessions(url, count, rounds))
                base = base or rate
                print(
                    f"{count:<10}{label:<10}{statistics.median(seconds):>10.2f}"
                    f"{p95(seconds):>8.2f}{rate:>9.1f}{rate / base:>10.2f}"
                )
    print("targets: 20 sessions p95 ≤ 3 s; pages/s ≥ half the trivial app's")


def report_chromium(trivial: str, demo: str, runs: int) -> None:
    print(
        f"\none user in Chromium, 1920×1080: navigation to last chart drawn, median of {runs} (s)\n"
    )
    base_load, base_move = chromium_s(trivial, "budsjett", runs)
    print(f"{'':<14}{'by address':>12}{'':>8}{'by page menu':>14}")
    print(f"{'trivial page':<14}{base_load:>12.2f}{'':>8}{base_move:>14.2f}")
    for page in PAGES + ["presentasjon"]:
        load, move = chromium_s(demo, page, runs)
        print(
            f"{name(page):<14}{load:>12.2f}{load / base_load:>7.2f}×"
            f"{move:>14.2f}{move / base_move:>7.2f}×"
        )
    steps, pdfs = deck_s(demo)
    print(
        f"deck, «Neste» to the next slide drawn: median {statistics.median(steps):.2f} s, "
        f"slowest {max(steps):.2f} s ({len(steps)} steps); «Lag PDF»: "
        + ", ".join(f"{s:.1f}" for s in pdfs)
        + " s (first clicked as soon as Oversikt is drawn, then again)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--sessions", type=int, nargs="*", default=[20, 50])
    parser.add_argument("--rounds", type=int, default=2, help="page rounds per session at once")
    parser.add_argument("--quick", action="store_true", help="no 100× database, no cold start")
    parser.add_argument("--no-service", action="store_true", help="skip the nginx comparison")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium figures")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "trivial.py").write_text(TRIVIAL)
        demo_db = build_in_child("data.generate_demo", "build_demo", tmp / "demo.duckdb")
        large_db = None
        if not args.quick:
            t0 = time.perf_counter()
            large_db = build_in_child("data.generate_large", "build_large", tmp / "large.duckdb")
            print(f"100× database built in {time.perf_counter() - t0:.0f} s")
        with (
            serve(None, script=tmp / "trivial.py") as trivial,
            serve(demo_db, {"MALBILDE_WARM_PDF": "1"}) as demo,
        ):
            if large_db:
                with serve(large_db) as large:
                    report_one_session(trivial, demo, large, args.runs)
            else:
                report_one_session(trivial, demo, None, args.runs)
            report_many(trivial, demo, args.sessions, args.rounds, tmp)
            if not args.no_browser:
                report_chromium(trivial, demo, max(3, args.runs // 3))
        if not args.no_service:
            service_db = tmp / "service.duckdb"
            shutil.copyfile(demo_db, service_db)
            report_service(service_db, max(args.sessions or [20]), args.rounds)
        if not args.quick:
            cold(tmp, demo_db)


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
        cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port)]
        cmd += ["--server.headless", "true", "--server.address", "127.0.0.1"]
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
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


def cold(tmp: Path, db: Path) -> None:
    cold_trivial = min(cold_start_s(tmp / "trivial.py", None) for _ in range(2))
    cold_app = min(cold_start_s(ROOT / "dashboard" / "app.py", db) for _ in range(2))
    print(
        f"\ncold start to first page drawn: app {cold_app:.1f} s, trivial app {cold_trivial:.1f} s, "
        f"ratio {cold_app / cold_trivial:.2f} (target ≤ 2)"
    )


if __name__ == "__main__":
    main()
