"""Start the app on a free port and drive it in headless Chromium (Playwright, Debian's chromium)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
from dashboard.present.pdf_page import CHROMIUM, CHROMIUM_ARGS  # noqa: E402 — one list of flags for app and tests
from scripts.serve import wait_healthy  # noqa: E402 — the service's own health wait

SIZES = {"1920x1080": (1920, 1080), "1280x720": (1280, 720)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(
    db_path: Path | None,
    extra_env: dict[str, str] | None = None,
    script: Path = ROOT / "dashboard" / "app.py",
    port: int | None = None,
) -> Iterator[str]:
    """Run `streamlit run dashboard/app.py` (or `script`) against db_path on `port` (a free one
    when None); yield the base URL."""
    port = port or free_port()
    env = {
        **os.environ,
        "MALBILDE_WARM_PDF": "0",  # no Chromium kept open for «Lag PDF» unless a test asks
        **({"MALBILDE_DB": str(db_path)} if db_path else {}),
        **(extra_env or {}),
    }
    if (
        db_path and "MALBILDE_STATUS_RULES" not in env
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
            str(script),
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
        try:
            wait_healthy(url, proc, timeout=60)
        except RuntimeError as exc:
            raise RuntimeError(
                f"streamlit did not start ({exc}): "
                + proc.stderr.read(4000).decode(errors="replace")
            ) from None
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def need_chromium() -> None:
    """Skip the calling test module without Chromium (a failure on CI, where it must be)."""
    import pytest

    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            raise RuntimeError(f"Chromium not found at {CHROMIUM}")
        pytest.skip("no Chromium on this machine", allow_module_level=True)
    pytest.importorskip("playwright.sync_api")


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


READY = """(previous) => {
  const mark = document.querySelector('#malbilde-klar');
  if (!mark || mark.dataset.run === previous) return false;
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
  // drawn, and at its final size: a chart of height 'stretch' is first drawn at Plotly's
  // default 450 px and then redrawn to fill its box; judging it before that sees a squeezed chart
  const drawn = charts.filter(c => {
    const svg = c.querySelector('.main-svg');
    return svg && Math.abs(svg.getBoundingClientRect().height - c.getBoundingClientRect().height) < 2;
  }).length;
  return drawn === charts.length && drawn >= Number(mark.dataset.charts);
}"""


def run_id(page) -> str | None:
    """The number of the session's last finished script run (None before the first)."""
    return page.evaluate("document.querySelector('#malbilde-klar')?.dataset.run ?? null")


def wait_for_app(page, timeout_ms: int = 90000, previous: str | None = None) -> None:
    """Wait until a script run other than `previous` has finished (the app's own mark, set as
    the last element of every run) and every Plotly chart on the page has drawn its SVG."""
    page.wait_for_function(READY, arg=previous, timeout=timeout_ms, polling=100)


def upload(page, url: str, path: Path) -> None:
    """Open «Last opp» in `page`, choose `path` in the uploader and wait for its preview."""
    page.goto(f"{url}/last_opp")
    wait_for_app(page)
    before = run_id(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    wait_for_app(page, previous=before)
