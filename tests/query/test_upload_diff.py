"""The upload diff shows everything a save changes — every sheet, every budget amount of every
kind (multi-year plan and sum lines included), the warnings, and the stored imports that stop
being current — and the history then shows exactly one current import per thing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dashboard import store
from dashboard.config import Settings
from dashboard.model import versions
from dashboard.service import imports
from dashboard.store.sql import query
from tests.conftest import EXAMPLES
from tests.helpers.demo import demo_copy
from tests.helpers.mutate import mutate

OCTOBER = EXAMPLES / "mh_prognose_2023_10.xlsx"


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    return demo_copy(tmp_path_factory.mktemp("diff") / "demo.duckdb")


@pytest.fixture
def store_copy(demo, tmp_path):
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo, db)
    con = store.connect(db)
    yield con, Settings.from_env(db)
    con.close()


def october_import(con) -> int:
    log = query(con, "import_log", {"unit": None})
    return int(log.loc[log["file_name"] == OCTOBER.name, "import_id"].iloc[0])


def edited(tmp_path: Path, name: str, change) -> Path:
    wb = load_workbook(OCTOBER)
    change(wb)
    wb.save(tmp_path / name)
    return tmp_path / name


def one_current_per_thing(con) -> None:
    """Each thing (MH · 2023 · budget, a plan's status …) has exactly one current import, and
    every import the history calls current holds the newest version of something."""
    held = query(con, "import_versions")
    states = versions.states(held)
    held["holder"] = held.groupby(["tbl", "thing", "version"])["import_id"].transform("max")
    current = {i for i, s in states.items() if s.word in (versions.CURRENT, versions.PARTLY)}
    for (tbl, thing), rows in held[held["import_id"] == held["holder"]].groupby(["tbl", "thing"]):
        top = rows[rows["rank"] == rows["rank"].max()]
        assert len(current & set(top["import_id"])) == 1, (tbl, thing, rows)


def test_text_number_october_file_replaces_the_stored_one_and_says_so(store_copy, tmp_path):
    con, settings = store_copy
    path = mutate(OCTOBER, tmp_path / "prognose_tekst.xlsx", "text")
    old = october_import(con)
    preview = imports.preview(con, path, settings)
    text = "\n".join(preview.diff.summary)
    assert "«Prognose okt»: budsjettprognose, 14 rader" in text
    assert "«Langtidsbudsjett»: langtidsbudsjett, 14 rader" in text
    assert "budsjett 2023 0 av 14" in text and "plan 2027 0 av 14" in text
    assert "I alt: 0 beløp endres og 0 blir borte." in text
    table = preview.diff.tables["Importer som ikke lenger blir gjeldende"]
    assert table["Nr."].tolist() == [old]
    assert table["Nå"].tolist() == ["gjeldende"]
    assert table["Etter lagring"].tolist() == ["erstattet av den nye fila"]
    saved = imports.save(con, preview.result, "test")
    states = versions.states(query(con, "import_versions"))
    assert states[old] == versions.State(versions.REPLACED, saved.import_id)
    assert states[saved.import_id].word == versions.CURRENT
    one_current_per_thing(con)


def test_income_budget_off_its_lines_shows_the_amount_and_the_warning(store_copy, tmp_path):
    con, settings = store_copy

    def income_off(wb):
        ws = wb["Prognose okt"]
        row = next(r for r in ws.iter_rows() if r[0].value == "Inntekt")
        row[1].value += 10_000

    preview = imports.preview(con, edited(tmp_path, "inntekt.xlsx", income_off), settings)
    assert any("Inntekt" in w for w in preview.result.parsed.warnings)
    text = "\n".join(preview.diff.summary)
    assert "advarsel" in text and "budsjett 2023 1 av 14" in text
    moved = preview.diff.tables["Beløp som endres"]
    assert moved.to_dict("records") == [
        {
            "Linje": "Inntekt",
            "Tall": "Budsjett 2023",
            "Lagret": "1\u00a0252\u00a0736",
            "Ny": "1\u00a0262\u00a0736",
            "Endring": "+10\u00a0000",
        }
    ]


def test_prognosis_sheet_alone_keeps_the_multiyear_plan_and_says_what_is_replaced(
    store_copy, tmp_path
):
    con, settings = store_copy
    old = october_import(con)

    def prognosis_only(wb):
        wb.remove(wb["Langtidsbudsjett"])
        ws = wb["Prognose okt"]
        row = next(r for r in ws.iter_rows() if r[0].value == "Lønn")
        row[2].value -= 1_000

    before = query(con, "multiyear_plan", {"unit": "MH", "label": None})
    preview = imports.preview(con, edited(tmp_path, "bare_prognose.xlsx", prognosis_only), settings)
    text = "\n".join(preview.diff.summary)
    assert "Fila leses fra 1 ark" in text and "prognose 2023 1 av 14" in text
    table = preview.diff.tables["Importer som ikke lenger blir gjeldende"]
    assert table["Nr."].tolist() == [old]
    assert table["Etter lagring"].tolist() == ["delvis erstattet av den nye fila"]
    saved = imports.save(con, preview.result, "test")
    after = query(con, "multiyear_plan", {"unit": "MH", "label": None})
    assert len(after) == len(before) == 84  # the 2023 budget bar stays in the multi-year chart
    assert set(after["kind"]) == {"budget", "previous_prognosis", "long_term_plan"}
    states = versions.states(query(con, "import_versions"))
    assert states[old] == versions.State(versions.PARTLY, saved.import_id)
    one_current_per_thing(con)


def test_a_newer_prognosis_makes_the_stored_one_an_earlier_round(store_copy, tmp_path):
    con, settings = store_copy
    old = october_import(con)

    def november(wb):
        wb["Prognose okt"]["A1"].value = "Prognose pr. november 2023"

    preview = imports.preview(con, edited(tmp_path, "november.xlsx", november), settings)
    assert preview.result.parsed.label == "prognose november 2023"
    table = preview.diff.tables["Importer som ikke lenger blir gjeldende"]
    assert table["Nr."].tolist() == [old]
    assert table["Etter lagring"].tolist() == ["tidligere runde (den nye fila er nyere)"]
    saved = imports.save(con, preview.result, "test")
    states = versions.states(query(con, "import_versions"))
    assert states[old] == versions.State(versions.EARLIER, saved.import_id)
    one_current_per_thing(con)
    imports.undo(con, saved.import_id, "test")
    assert versions.states(query(con, "import_versions"))[old].word == versions.CURRENT
    one_current_per_thing(con)


def test_demo_history_has_one_current_import_per_thing(store_copy):
    con, _ = store_copy
    one_current_per_thing(con)
    states = versions.states(query(con, "import_versions"))
    log = query(con, "import_log", {"unit": None}).set_index("import_id")["file_name"]
    earlier = sorted(log[i] for i, s in states.items() if s.word == versions.EARLIER)
    assert earlier == [
        "mh_handlingsplan_2019_status_juni_eksempel.xlsx",
        "mh_prognose_2023_04_eksempel.xlsx",
        "mh_prognose_2023_06_eksempel.xlsx",
    ]


def test_ledger_of_many_units_lists_each_changed_amount_with_its_unit(store_copy, tmp_path):
    """A ledger export (the bulk path, many units): the amounts that move, named by unit, and
    the stored ledger import it replaces."""
    from data.generate_demo import ledger
    from tests.helpers.demo import workbooks_lock

    con, settings = store_copy
    with workbooks_lock():  # the demo's build rewrites the same file
        wb = load_workbook(ledger())
    ws = wb.active
    row = next(
        r for r in ws.iter_rows(min_row=2) if r[0].value == "MH-INB" and r[3].value == "Lønn"
    )
    row[5].value -= 500
    path = tmp_path / "hovedbok.xlsx"
    wb.save(path)
    preview = imports.preview(con, path, settings, imports.Overrides(label="prognose oktober 2023"))
    moved = preview.diff.tables["Beløp som endres"]
    assert moved[["Enhet", "Linje", "Tall", "Endring"]].to_dict("records") == [
        {"Enhet": "MH-INB", "Linje": "Lønn", "Tall": "Prognose 2023", "Endring": "\u2212500"}
    ]
    assert "I alt: 1 beløp endres og 0 blir borte" in "\n".join(preview.diff.summary)
    replaced = preview.diff.tables["Importer som ikke lenger blir gjeldende"]
    assert replaced["Fil"].tolist() == ["mh_hovedbok_2023_eksempel.xlsx"]
    assert replaced["Etter lagring"].tolist() == ["erstattet av den nye fila"]
