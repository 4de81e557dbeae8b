"""The warm PDF printer: a child process (`python -m dashboard.present.pdf_printer`) that keeps
one headless Chromium open with the slide page and plotly.js already loaded, so «Lag PDF» waits
only for the charts to be drawn and the pages printed — not for Python, Playwright and Chromium
to start and plotly.js to be compiled (~3 s of the ~5 s a PDF took).

One printer per app process, started ahead of need (`prestart`, from the page that offers the
PDF) or at the first PDF; one PDF at a time. It ends when idle for IDLE_S seconds, when its
app process is gone, or on an empty line. Protocol on stdin/stdout, one line each: the child says
«ready» once Chromium is up, then per job path given it writes the PDF and says «done» (or
«error …»). Any failure makes the parent print the PDF the one-shot way instead.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from dashboard.config import ROOT
from dashboard.present.pdf_page import CHROMIUM, CHROMIUM_ARGS, PDF_OPTIONS, shell

IDLE_S = 600  # a printer nobody used for ten minutes ends (it holds a Chromium, ~150 MB)
START_S = 30  # how long the parent waits for a starting printer
COMMAND = [sys.executable, "-m", "dashboard.present.pdf_printer"]


class _Printer:
    """The parent's handle on its printer child."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None
        self.ready = False
        self.lock = threading.Lock()

    def _start(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            return
        self.ready = False
        self.proc = subprocess.Popen(
            COMMAND,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            bufsize=1,
        )

    def _line(self, timeout: float) -> str:
        assert self.proc is not None and self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        return self.proc.stdout.readline().strip() if ready else ""

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc, self.ready = None, False

    def prestart(self) -> None:
        if self.lock.acquire(blocking=False):
            try:
                self._start()
            finally:
                self.lock.release()

    def print(self, job: dict, timeout_s: float) -> bytes | None:
        with self.lock, tempfile.TemporaryDirectory(prefix="malbilde-pdf-") as tmp:
            self._start()
            if not self.ready:
                self.ready = self._line(START_S) == "ready"
                if not self.ready:
                    self.stop()
                    return None
            src, out = Path(tmp) / "job.json", Path(tmp) / "deck.pdf"
            src.write_text(json.dumps({**job, "out": str(out)}), encoding="utf-8")
            try:
                self.proc.stdin.write(f"{src}\n")
                self.proc.stdin.flush()
            except OSError:
                self.stop()
                return None
            if self._line(timeout_s) != "done" or not out.exists():
                self.stop()  # a printer that failed or hangs is not trusted again
                return None
            return out.read_bytes()


_PRINTER = _Printer()


def prestart() -> None:
    """Start the printer now, in the background, so the next PDF does not wait for it (where
    the machine has Chromium)."""
    if Path(CHROMIUM).exists():
        _PRINTER.prestart()


def print_pdf(job: dict, timeout_s: float = 120) -> bytes | None:
    """The PDF of a job (`deck_pdf.job`), or None when the warm printer could not make it."""
    return _PRINTER.print(job, timeout_s)


def stop() -> None:
    """End the printer (tests; the app's end ends it too)."""
    with _PRINTER.lock:
        _PRINTER.stop()


DRAW = """async (job) => {
  for (const div of document.querySelectorAll('.js-plotly-plot')) Plotly.purge(div);
  document.body.innerHTML = job.body;
  await Promise.all(job.charts.map(([id, spec]) => {
    const fig = JSON.parse(spec);
    return Plotly.newPlot(id, fig.data, fig.layout, {staticPlot: true});
  }));
}"""


def _exit_with_parent() -> None:
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def serve() -> int:
    """The child: open Chromium with the slide page, then print one job per line on stdin."""
    from playwright.sync_api import sync_playwright

    _exit_with_parent()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.set_content(shell())
        page.evaluate(
            "() => Plotly.newPlot(document.body.appendChild(document.createElement('div')), [{y: [1, 2], type: 'bar'}], {})"
        )
        print("ready", flush=True)
        while True:
            readable, _, _ = select.select([sys.stdin], [], [], IDLE_S)
            line = sys.stdin.readline().strip() if readable else ""
            if not line:
                break
            try:
                job = json.loads(Path(line).read_text(encoding="utf-8"))
                page.evaluate(DRAW, job)
                page.pdf(path=job["out"], **PDF_OPTIONS)
                print("done", flush=True)
            except Exception as exc:  # noqa: BLE001 — the parent falls back to a one-shot print
                print(f"error {type(exc).__name__}", flush=True)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(serve())
