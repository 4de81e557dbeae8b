"""Målbilde as a service (scripts/serve.py): two app processes on one shared store behind nginx
with sticky sessions, on loopback. A browser's upload goes through the proxy to the process that
holds its session, and the save is seen by sessions on both processes within a second."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from dashboard.config import ROOT
from tests.browser import CHROMIUM, free_port, launch, run_id, upload, wait_for_app
from tests.conftest import make_workbook
from tests.helpers.demo import demo_copy
from tests.wsclient import Session

pytestmark = pytest.mark.browser
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

if not Path(NGINX).exists() and not os.environ.get("CI"):
    pytest.skip("no nginx on this machine", allow_module_level=True)
if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
    pytest.skip("no Chromium on this machine", allow_module_level=True)


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    """`scripts/serve.py --processes 2` on the demo data; yields (proxy URL, backend URLs)."""
    tmp = tmp_path_factory.mktemp("service")
    db = demo_copy(tmp / "demo.duckdb")
    run, port = tmp / "run", free_port()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "serve.py"), "--processes", "2"]
        + ["--port", str(port), "--db", str(db), "--run-dir", str(run)],
        cwd=ROOT,
        env=dict(os.environ, MALBILDE_WARM_PARSER="0"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()  # «Målbilde kjører på …» once nginx is started
        assert "kjører" in line, proc.stderr.read()
        backends = [f"http://127.0.0.1:{p}" for p in (run / "backends.txt").read_text().split()]
        yield f"http://127.0.0.1:{port}", backends
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert not list(run.glob("nginx.pid")) or not _alive(run / "nginx.pid")


def _alive(pid_file: Path) -> bool:
    try:
        os.kill(int(pid_file.read_text().strip()), 0)
    except (OSError, ValueError):
        return False
    return True


async def labels_seen(url: str, cookie: str | None = None) -> str:
    async with Session(url, "enhet=MH", cookie=cookie) as s:
        run = await s.open("budsjett", keep_text=True)
        assert not run.exceptions, run.exceptions
        return "\n".join(run.texts)


def test_sessions_through_the_proxy_reach_both_processes(service):
    proxy, backends = service

    async def many() -> list[str]:
        cookies = [f"malbilde_route={uuid.uuid4().hex}" for _ in range(12)]
        return await asyncio.gather(*(labels_seen(proxy, c) for c in cookies))

    pages = asyncio.run(many())
    assert all("Budsjett og prognose" in p for p in pages)
    for backend in backends:  # each process serves on its own as well
        assert "Budsjett og prognose" in asyncio.run(labels_seen(backend))


def test_an_upload_through_the_proxy_is_seen_by_both_processes(service, tmp_path):
    from playwright.sync_api import sync_playwright

    proxy, backends = service
    label = "desember 2023"
    path = make_workbook(
        tmp_path / "desember.xlsx",
        {
            "P": [
                [f"Prognose pr. {label}"],
                ["Fakultet for medisin og helsevitenskap (MH)"],
                [
                    "Bevilgningsramme BFV",
                    "Budsjett i år",
                    "Prognose i år",
                    "Prognostisert budsjettavvik",
                ],
                ["Resultat", -45785, -52000, 6215],
            ]
        },
    )
    for backend in backends:
        assert label not in asyncio.run(labels_seen(backend))
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        # the upload is an HTTP request of its own: only a sticky proxy sends it to our process
        upload(page, proxy, path)
        before = run_id(page)
        page.get_by_role("button", name="Lagre", exact=True).click()
        wait_for_app(page, previous=before)
        assert "Lagret som import nr." in page.locator('[data-testid="stMain"]').inner_text()
        saved = time.monotonic()
        browser.close()
    for backend in backends:
        while label not in asyncio.run(labels_seen(backend)):
            # a snapshot switch takes at most POLL_SECONDS (tests/query/test_shared_store.py); the bound here
            # allows for the page requests themselves on a loaded machine
            assert time.monotonic() - saved < 15, f"the save is not seen on {backend}"
