"""Shared fixtures: paths to ../shared, fresh databases, and a small workbook builder."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest
from openpyxl import Workbook
from streamlit.components.v2 import manifest_scanner

from dashboard import store
from dashboard.config import ROOT, Settings

# Pages run by AppTest do not keep a Chromium open for «Lag PDF» (tests of the printer start it).
os.environ.setdefault("MALBILDE_WARM_PDF", "0")

SHARED = Path(os.environ.get("MALBILDE_SHARED", ROOT.parent / "shared"))
EXAMPLES = SHARED / "examples"
CORPUS = SHARED / "corpus"

# Every AppTest scans all installed packages for Streamlit component manifests (~0.1–0.5 s a
# run, most of a page's test time); the installed packages do not change during a test session.
manifest_scanner.scan_component_manifests = functools.cache(
    manifest_scanner.scan_component_manifests
)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env(tmp_path / "test.duckdb")


@pytest.fixture
def con(settings: Settings):
    connection = store.connect(settings.db_path)
    yield connection
    connection.close()


def make_workbook(
    path: Path,
    sheets: dict[str, list[list]],
    hidden: tuple[str, ...] = (),
    formats: dict[str, str] | None = None,
) -> Path:
    """Write rows to sheets (None = empty cell); hidden sheets get state 'hidden'."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        if name in hidden:
            ws.sheet_state = "hidden"
        for ref, fmt in (formats or {}).items():
            ws[ref].number_format = fmt
    wb.save(path)
    return path


@pytest.fixture
def workbook(tmp_path: Path):
    def build(name: str, sheets: dict[str, list[list]], **kwargs) -> Path:
        return make_workbook(tmp_path / name, sheets, **kwargs)

    return build


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    """The app served on a fresh demo database (one server per test module); yields its URL."""
    from data.generate_demo import build_demo
    from tests.browser import serve

    db = build_demo(tmp_path_factory.mktemp("app") / "demo.duckdb")
    with serve(db, {"MALBILDE_WARM_PARSER": "0"}) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (Debian's) for the browser tests of a module."""
    sync_api = pytest.importorskip("playwright.sync_api")
    from tests.browser import launch

    with sync_api.sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()
