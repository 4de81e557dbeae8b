"""Start the app on a free port and drive it in headless Chromium (Playwright, Debian's chromium)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
from dashboard.present.deck_pdf import CHROMIUM, CHROMIUM_ARGS  # noqa: E402 — one list of flags for app and tests

SIZES = {"1920x1080": (1920, 1080), "1280x720": (1280, 720)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(db_path: Path, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """Run `streamlit run dashboard/app.py` against db_path; yield the base URL."""
    port = free_port()
    env = dict(os.environ, MALBILDE_DB=str(db_path), **(extra_env or {}))
    if (
        "MALBILDE_STATUS_RULES" not in env
    ):  # an edit of the rule table stays beside the test database
        rules = db_path.parent / "status_categories.toml"
        if not rules.exists():
            shutil.copy(ROOT / "dashboard" / "rules" / "status_categories.toml", rules)
        env["MALBILDE_STATUS_RULES"] = str(rules)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "dashboard" / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",  # an edit of the sources must not rerun the app under test
            "none",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError(
                "streamlit did not start: " + proc.stderr.read(4000).decode(errors="replace")
            )
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def wait_for_app(page, timeout_ms: int = 45000, settle_ms: int = 1500) -> None:
    """Wait until the script run is over: the main area stops changing for `settle_ms` and every
    Plotly chart has drawn its SVG."""
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=timeout_ms)
    deadline = time.monotonic() + timeout_ms / 1000
    last, stable_since = None, time.monotonic()
    while time.monotonic() < deadline:
        state = page.evaluate(
            "() => [document.querySelectorAll('[data-testid=\"stMain\"] [data-testid]').length,"
            " !!document.querySelector('[data-testid=\"stStatusWidget\"]'),"
            " [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')].every(e => e.querySelector('.main-svg'))]"
        )
        if state != last:
            last, stable_since = state, time.monotonic()
        elif not state[1] and state[2] and time.monotonic() - stable_since > settle_ms / 1000:
            return
        page.wait_for_timeout(250)
    raise TimeoutError("the page did not settle")
