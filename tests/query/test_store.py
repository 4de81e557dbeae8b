"""Query-level tests of the store: versions, idempotence, one transaction, migrations."""

from __future__ import annotations

import pytest

from dashboard import store
from dashboard.errors import AlreadyImported, CellError
from dashboard.ingest.layouts.common import Overrides
from dashboard.ingest.pipeline import parse_file
from dashboard.service.imports import import_file, store_result

HEADER = ["Bevilgningsramme BFV", "Budsjett i år", "Prognose i år", "Prognostisert budsjettavvik"]


def prognosis(workbook, name: str, month: str, result_prognosis: int):
    return workbook(
        name,
        {
            "P": [
                [f"Prognose pr. {month} 2023"],
                ["Fakultet for medisin og helsevitenskap (MH)"],
                HEADER,
                ["Resultat", -100, result_prognosis, -100 - result_prognosis],
            ]
        },
    )


def counts(con) -> dict[str, int]:
    return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in store.FACT_COLUMNS}


def test_schema_version_recorded(con):
    assert (
        con.execute("select max(version) from schema_version").fetchone()[0] == store.SCHEMA_VERSION
    )
    assert store.migrate(con) == store.SCHEMA_VERSION  # idempotent


def test_versions_are_kept_and_latest_is_current(con, settings, workbook):
    import_file(con, prognosis(workbook, "a.xlsx", "juni", -150), settings)
    import_file(con, prognosis(workbook, "b.xlsx", "oktober", -180), settings)
    versions = store.query(con, "prognosis_versions", {"unit": "MH"})
    assert list(versions.label) == ["prognose oktober 2023", "prognose juni 2023"]
    lines = store.query(con, "prognosis_lines", {"unit": "MH", "label": None})
    assert sorted(lines.prognosis) == [-180, -150]
    # a corrected file for the same version supersedes it, and the old rows stay stored
    import_file(con, prognosis(workbook, "c.xlsx", "oktober", -190), settings)
    current = store.query(con, "prognosis_lines", {"unit": "MH", "label": "prognose oktober 2023"})
    assert list(current.prognosis) == [-190]
    assert (
        con.execute("select count(*) from budget_figures where kind = 'prognosis'").fetchone()[0]
        == 3
    )


def test_reimport_identical_file_writes_nothing(con, settings, workbook):
    path = prognosis(workbook, "a.xlsx", "juni", -150)
    import_file(con, path, settings)
    before = counts(con), con.execute("select count(*) from imports").fetchone()[0]
    with pytest.raises(AlreadyImported, match="allerede importert"):
        import_file(con, path, settings)
    assert (counts(con), con.execute("select count(*) from imports").fetchone()[0]) == before


def test_failed_store_rolls_back_everything(con, settings, workbook, tmp_path):
    import_file(con, prognosis(workbook, "a.xlsx", "juni", -150), settings)
    before = counts(con)
    path = workbook(
        "hp.xlsx",
        {
            "S": [
                ["Handlingsplan MH 2019"],
                ["HP nr.", "Tiltak", "Status 0-5"],
                [1, "A", 2],
                [2, "B", 3],
            ]
        },
    )
    result = parse_file(path, settings)
    with pytest.raises(RuntimeError):
        store_result(con, result, fail_after="measures")
    assert counts(con) == before
    outcome = con.execute(
        "select outcome, message from imports order by import_id desc limit 1"
    ).fetchone()
    assert outcome[0] == "failed" and "rullet tilbake" in outcome[1]
    # the same file can be imported once the problem is gone
    store_result(con, result)
    assert counts(con)["measures"] == before["measures"] + 2


def test_refused_file_writes_nothing(con, settings, workbook):
    import_file(con, prognosis(workbook, "a.xlsx", "juni", -150), settings)
    before = counts(con), con.execute("select count(*) from imports").fetchone()[0]
    bad = workbook("mh_hp_2019.xlsx", {"S": [["HP nr.", "Tiltak", "Status 0-5"], [1, "A", 9]]})
    with pytest.raises(CellError):
        import_file(con, bad, settings)
    assert (counts(con), con.execute("select count(*) from imports").fetchone()[0]) == before


def test_pending_import_from_a_crash_is_marked_failed(settings, workbook):
    con = store.connect(settings.db_path)
    con.execute(
        "insert into imports (file_name, sha256, imported_at, outcome) values ('x.xlsx', 'abc', now(), 'pending')"
    )
    con.close()
    con = store.connect(settings.db_path)
    assert con.execute("select outcome from imports").fetchone()[0] == "failed"
    con.close()


def test_status_rounds_and_plan_summary(con, settings, workbook):
    for name, score in (("a.xlsx", 1), ("b.xlsx", 4)):
        path = workbook(
            name,
            {
                "S": [
                    ["Handlingsplan for MH-fakultetet, status 2019"],
                    ["HP nr.", "Tiltak", "Status 0-5"],
                    [1, "A", score],
                    [2, "B", 0],
                ]
            },
        )
        import_file(con, path, settings, Overrides(label=f"Runde {score}"))
    plans = store.query(con, "plan_summary", {"unit": "MH"})
    assert set(plans["round"]) == {"Runde 1", "Runde 4"}
    assert plans.set_index("round").loc["Runde 4", "done"] == 1
    assert store.query(con, "plan_summary", {"unit": "NV"}).empty


def test_units_registered_with_parents(con, settings, workbook):
    path = workbook("fordeling.xlsx", {"F": [["Fordeling 2023"], ["MH", 10], ["MH-XYZ", 10]]})
    import_file(con, path, settings)
    units = dict(con.execute("select code, parent from units").fetchall())
    assert units["MH-XYZ"] == "MH" and units["MH"] == "NTNU" and units["NTNU"] is None
