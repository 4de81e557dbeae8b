"""The unit tree holds no cycle: an unknown DBH faculty code never becomes its own parent, a
parent that would close a cycle is not stored, the migration repairs cycles stored before, and
every walk of the tree ends — the command line's summary and every unit's pages included."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import store, units
from dashboard.config import ROOT
from dashboard.model.rollup import frontier
from dashboard.store import schema
from tests.conftest import make_workbook
from tests.helpers.cli import run as cli  # the command line in a child process, 120 s at most

APP = str(ROOT / "dashboard" / "app.py")
PAGES = [
    "oversikt",
    "maloppnaelse",
    "budsjett",
    "indikatorer",
    "ressurser",
    "runder",
    "presentasjon",
]
NTNU_NAME = "Norges teknisk-naturvitenskapelige universitet"
# DBH tabell 373 (publiseringspoeng) per avdeling, as the portal exports it: NTNU's known
# faculty MH, two faculties the code table does not know (310, 320) with a row for the faculty
# as a whole (avdelingskode 310000) and for its departments, and a peer institution.
HEADER = [
    "Institusjonskode",
    "Institusjonsnavn",
    "Fakultetskode",
    "Fakultetsnavn",
    "Avdelingskode",
    "Avdelingsnavn",
    "Årstall",
    "Antall publikasjoner",
    "Publiseringspoeng",
]
ROWS = [
    (
        "680",
        "Fakultet for medisin og helsevitenskap",
        "680000",
        "Fakultet for medisin og helsevitenskap",
    ),
    ("680", "Fakultet for medisin og helsevitenskap", "680777", "Senter for noe nytt"),
    ("310", "Fakultet for havrom", "310000", "Fakultet for havrom"),
    ("310", "Fakultet for havrom", "310110", "Institutt for havbunn"),
    ("310", "Fakultet for havrom", "310120", "Institutt for bølger"),
    ("320", "Fakultet for romfart", "320000", "Fakultet for romfart"),
    ("320", "Fakultet for romfart", "320110", "Institutt for raketter"),
]


def dbh_373(path: Path) -> Path:
    rows: list[list] = [["Tabell 373: Publiseringspoeng, DBH"], HEADER]
    for year in (2023, 2024):
        for n, (fac, fac_name, dept, dept_name) in enumerate(ROWS):
            points = f"{100 + n * 7 + year % 10},5"
            rows.append(
                ["1150", NTNU_NAME, fac, fac_name, dept, dept_name, str(year), str(n + 3), points]
            )
        rows.append(
            ["1120", "Universitetet i Bergen", "000", "", "000000", "", str(year), "5 020", "5 900"]
        )
    return make_workbook(path, {"Rapport": rows})


def stored_tree(db: Path) -> dict[str, str | None]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.execute("select code, parent from units").fetchall())
    finally:
        con.close()


def assert_no_cycle(parents: dict[str, str | None]) -> None:
    for code, parent in parents.items():
        assert not units.makes_cycle(code, parent, parents), (code, parent)


@pytest.fixture(scope="module")
def dbh_db(tmp_path_factory) -> tuple[Path, str]:
    tmp = tmp_path_factory.mktemp("dbh")
    db = tmp / "dbh.duckdb"
    proc = cli("import", str(dbh_373(tmp / "dbh_tabell_373_avdeling.xlsx")), "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    return db, proc.stdout


# --- the rules ---------------------------------------------------------------------------


def test_a_parent_that_closes_a_cycle_is_refused():
    parents = {"NTNU": None, "A": "B", "B": "NTNU"}
    assert units.makes_cycle("X", "X", parents)
    assert units.makes_cycle("B", "A", parents)  # A → B → A
    assert not units.makes_cycle("C", "A", parents)
    assert units.safe_parent("B", "A", parents) == "NTNU"
    assert units.safe_parent("B", "A", parents, peer=True) is None
    assert units.ancestors("A", {"A": "B", "B": "A"}) == ["B"]  # ends on the cycle


def test_frontier_ends_on_a_unit_below_itself_and_on_a_longer_cycle():
    tree = pd.DataFrame(
        {
            "code": ["NTNU", "310000", "A", "B", "B-X", "MH"],
            "parent": [None, "310000", "B", "A", "B", "NTNU"],
            "status_rows": [0, 0, 0, 0, 3, 2],
        }
    )
    assert frontier(tree, "310000", "status_rows") == []
    assert frontier(tree, "A", "status_rows") == ["B-X"]
    assert frontier(tree, "B", "status_rows") == ["B-X"]
    assert frontier(tree, "NTNU", "status_rows") == ["MH"]


def test_an_unknown_faculty_code_goes_under_ntnu_and_its_departments_under_it(workbook, settings):
    from dashboard.ingest.pipeline import parse_file

    result = parse_file(dbh_373(settings.db_path.parent / "dbh_373.xlsx"), settings)
    entities = result.parsed.entities
    assert entities["310000"] == ("Fakultet for havrom", "NTNU", None)
    assert entities["310110"] == ("Institutt for havbunn", "310000", None)
    assert entities["320000"] == ("Fakultet for romfart", "NTNU", None)
    assert entities["680777"] == ("Senter for noe nytt", "MH", None)
    assert all(code != parent for code, (_, parent, _) in entities.items())
    warned = [w for w in result.parsed.warnings if "310110" in w]
    assert warned and "under 310000, som heller ikke står i kodetabellen" in warned[0]
    assert any(
        "Koden 310000 («Fakultet for havrom») er ukjent" in w for w in result.parsed.warnings
    )


# --- stored data -------------------------------------------------------------------------

CYCLES = [
    ("NTNU", "NTNU", None, 0, None),
    ("310000", "Fakultet for havrom", "310000", 2, None),  # as older versions stored it
    ("310110", "Institutt for havbunn", "310000", 2, None),
    ("A", "A", "B", 2, None),
    ("B", "B", "A", 2, None),
    ("B-X", "B-X", "B", 2, None),
    ("MH", "Fakultet for medisin og helsevitenskap", "MH-INB", 2, None),
    ("MH-INB", "Institutt for nevromedisin", "MH", 2, None),
]


def with_cycles(db: Path) -> None:
    """Put cycles in a database's unit table behind the store's back."""
    con = duckdb.connect(str(db))
    con.execute(
        "delete from units where code in (select unnest($codes))", {"codes": [c[0] for c in CYCLES]}
    )
    con.executemany("insert into units values (?, ?, ?, ?, ?)", CYCLES)
    con.close()


def test_the_migration_repairs_stored_cycles(tmp_path):
    db = tmp_path / "old.duckdb"
    store.connect(db).close()
    with_cycles(db)
    store.connect(db).close()
    parents = stored_tree(db)
    assert_no_cycle(parents)
    assert parents["310000"] == "NTNU" and parents["310110"] == "310000"
    assert parents["MH"] == "NTNU" and parents["MH-INB"] == "MH"  # units.toml decides
    assert {parents["A"], parents["B"]} in ({"B", "NTNU"}, {"A", "NTNU"})  # one link broken
    assert parents["B-X"] == "B"
    con = duckdb.connect(str(db), read_only=True)
    levels = dict(con.execute("select code, level from units").fetchall())
    con.close()
    assert levels["310000"] == 1 and levels["MH"] == 1


def test_walks_end_on_stored_cycles_before_any_repair(dbh_db, tmp_path):
    """summarise and the recursive scopes on a connection whose unit table holds cycles (put
    there after the migration ran), in a child process bounded by its timeout."""
    db = tmp_path / "cycles.duckdb"
    shutil.copy(dbh_db[0], db)
    script = f"""
import json
from dashboard import store
from dashboard.model.summary import summarise
con = store.connect({str(db)!r})
rows = {CYCLES!r}
con.execute("delete from units where code in (select unnest($c))", {{"c": [r[0] for r in rows]}})
con.executemany("insert into units values (?, ?, ?, ?, ?)", rows)
con.execute("insert into indicator_values values (1, 'B-X', 'Publiseringspoeng', 2024, 1, 'x')")
event = store.data_version(con)
scope = [store.query(con, q, {{"unit": u, "plan": "P", "event": event}}).shape[0]
         for q in ("round_source", "plan_rounds") for u in ("310000", "A", "MH")]
print(json.dumps({{"units": [u["unit"] for u in summarise(con)["units"]], "scope": scope}}))
"""
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["scope"] == [0] * 6
    assert {"310000", "310110", "A", "B", "B-X", "MH"} <= set(out["units"])


def test_an_import_never_stores_a_parent_that_closes_a_cycle(con):
    con.execute("insert into units values ('X1', 'X1', 'X2', 2, null)")  # X2 not stored yet
    meta = {
        "file_name": "x.xlsx",
        "sha256": "0" * 64,
        "layout": "indicator_values",
        "sheets": "Ark1",
        "warnings": ["A1: noe annet"],
        "entities": {"X2": ("Enhet X2", "X1", None)},
    }
    values = [{"unit": "X2", "indicator": "Poeng", "year": 2024, "value": 1.0, "source": "x"}]
    import_id = store.write_import(con, meta, {"indicator_values": values}, {})
    parents = dict(con.execute("select code, parent from units").fetchall())
    assert parents["X2"] == "NTNU" and parents["X1"] == "X2"
    assert_no_cycle(parents)
    warnings = json.loads(
        con.execute("select warnings from imports where import_id = ?", [import_id]).fetchone()[0]
    )
    assert warnings[0] == "A1: noe annet"
    assert (
        "Enheten X2 kan ikke ligge under X1" in warnings[1] and "lagret under NTNU" in warnings[1]
    )


# --- the DBH file, end to end ------------------------------------------------------------


def test_dbh_373_per_department_is_stored_as_a_tree_and_said_so(dbh_db):
    db, stdout = dbh_db
    parents = stored_tree(db)
    assert_no_cycle(parents)
    assert parents["310000"] == parents["320000"] == "NTNU"
    assert parents["310110"] == parents["310120"] == "310000"
    assert parents["320110"] == "320000"
    assert "Koden 310110 («Institutt for havbunn») er ukjent" in stdout
    assert "under 310000, som heller ikke står i kodetabellen" in stdout


@pytest.mark.parametrize("cycles", [False, True], ids=["imported", "old-database-with-cycles"])
def test_summary_ends_for_the_dbh_database(dbh_db, tmp_path, cycles):
    db = tmp_path / "copy.duckdb"
    shutil.copy(dbh_db[0], db)
    if cycles:
        with_cycles(db)
    proc = cli("summary", "--json", "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    shown = {u["unit"] for u in json.loads(proc.stdout)["units"]}
    assert {"NTNU", "MH", "310000", "310110", "310120", "320000", "320110"} <= shown
    assert_no_cycle(stored_tree(db))


def app_units(db: Path) -> list[str]:
    """The units of the menu, read without the store's migration (which would repair)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        event = store.data_version(con)
        return list(store.query(con, "units_with_data", {"event": event})["code"])
    finally:
        con.close()


@pytest.mark.parametrize("repair", [True, False], ids=["repaired", "walks-bounded"])
def test_every_units_pages_open(monkeypatch, dbh_db, tmp_path, repair):
    """Every page of every unit in the menu, on the DBH database with cycles stored as older
    versions did: repaired by the migration, or (repair turned off) walked as they are. The app
    holds its copy open, so the other tests use other copies."""
    db = tmp_path / "app.duckdb"
    shutil.copy(dbh_db[0], db)
    with_cycles(db)
    if repair:
        store.connect(db).close()  # the upgrade: the migration repairs the tree
    else:
        monkeypatch.setattr(schema, "repair_unit_tree", lambda con: [])
    codes = app_units(db)
    assert {"310000", "310110", "320110", "680777", "NTNU", "MH"} <= set(codes)
    monkeypatch.setenv("MALBILDE_DB", str(db))
    for code in codes:
        for page in PAGES:
            at = AppTest.from_file(APP, default_timeout=60)
            at.query_params["enhet"] = code
            at.switch_page(f"app_pages/{page}.py").run()
            assert not at.exception, (code, page, [e.value for e in at.exception])
            assert at.selectbox(key="enhet").value == code, (code, page)
