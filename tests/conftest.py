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
from tests.helpers import demo

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


LAYERS = ("unit", "query", "app", "e2e")  # the folders of tests/, each a marker (pyproject.toml)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test with its layer, the folder it is in: `pytest -m "not e2e"` and the like.
    With pytest-xdist (`--dist loadgroup`, scripts/test.sh) each module's tests stay on one
    worker (its module fixtures are set up once) and every e2e test runs on the same one: two
    servers and Chromiums never race each other for the machine's two cores."""
    grouped = config.pluginmanager.hasplugin("xdist")
    for item in items:
        layer = item.path.parent.name
        if layer in LAYERS:
            item.add_marker(layer)
        if grouped:
            group = "e2e" if layer == "e2e" else item.nodeid.split("::")[0]
            item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(scope="session", autouse=True)
def demo_folder(tmp_path_factory) -> Path:
    """Where the demo database is built once for the session (shared by xdist's workers)."""
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "demo-template"
    demo.use_folder(folder)
    return folder


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    """A private copy of the session's demo database, for one test."""
    return demo.demo_copy(tmp_path / "demo.duckdb")


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
    """The app served on a private copy of the demo database (one server per module); its URL."""
    from tests.browser import serve

    db = demo.demo_copy(tmp_path_factory.mktemp("app") / "demo.duckdb")
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
