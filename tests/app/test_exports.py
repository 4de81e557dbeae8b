"""Every «Last ned som Excel» the pages offer, opened: numbers are numbers (never text such as
«−45 785» or «12,5 %»), empty cells are empty, headers are words, and text a formula would
start is neutralised. The tables' own CSV download and copy are switched off."""

from __future__ import annotations

import io
import re
import tomllib

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from dashboard.config import ROOT
from tests.helpers.demo import demo_copy

APP = str(ROOT / "dashboard" / "app.py")
PAGES = ["oversikt", "maloppnaelse", "budsjett", "okonomi", "indikatorer", "last_opp"]
UNITS = ["MH", "NTNU", "IØT", "MH-ISM", "VM"]
NUMBER_AS_TEXT = re.compile(r"^[\u2212+-]?\d[\d\u00a0 ]*(,\d+)?(\u00a0?%)?$")
# text the workbooks wrote, kept as text («2024» under «Videreføres» is what the unit wrote)
FROM_WORKBOOKS = ("Videreføres", "Kommentar", "Tiltak", "Statustekst", "Versjon", "Fil")
SNAKE = re.compile(r"^[a-z]+(_[a-z]+)+$")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    return demo_copy(tmp_path_factory.mktemp("exports") / "demo.duckdb")


def exports_of(monkeypatch, db, page: str, unit: str) -> dict:
    monkeypatch.setenv("MALBILDE_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["enhet"] = unit
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return dict(at.session_state["_exports"])


def test_the_tables_own_csv_download_is_off():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True


@pytest.mark.parametrize("page", PAGES)
def test_every_export_has_numbers_as_numbers(monkeypatch, demo_db, page):
    seen = 0
    for unit in UNITS:
        for key, build in exports_of(monkeypatch, demo_db, page, unit).items():
            ws = load_workbook(io.BytesIO(build())).active
            header = [c.value for c in ws[3]]
            assert all(isinstance(h, str) and not SNAKE.match(h) for h in header), (key, header)
            numbers = 0
            for row in ws.iter_rows(min_row=4):
                for cell in row:
                    v = cell.value
                    if isinstance(v, int | float):
                        numbers += 1
                        assert cell.number_format != "General" or header[cell.column - 1] in (
                            "Siste verdi",
                            "Verdi",
                            "Mål",
                        ), (key, header[cell.column - 1])
                    elif isinstance(v, str):
                        where = (page, unit, key, cell.coordinate, v)
                        own = header[cell.column - 1] in FROM_WORKBOOKS
                        assert own or not NUMBER_AS_TEXT.match(v), where
                        assert v not in ("None", "nan", "NaN", "<NA>"), where
                        assert not v.startswith(("=", "+", "-", "@")), where
            seen += 1
    assert seen, f"{page} offers no Excel export"
