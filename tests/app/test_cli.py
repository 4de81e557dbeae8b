"""The command line: exit codes, messages on stderr, summary figures."""

from __future__ import annotations

import json

import pytest

from tests.conftest import EXAMPLES
from tests.helpers.cli import run


@pytest.mark.skipif(not EXAMPLES.exists(), reason="shared/examples not found")
def test_import_and_summary(tmp_path):
    db = str(tmp_path / "cli.duckdb")
    files = [str(p) for p in sorted(EXAMPLES.glob("*.xlsx"))]
    proc = run("import", *files, "--db", db)
    assert proc.returncode == 0, proc.stderr
    assert (
        "mh_prognose_2023_10.xlsx: Budsjettprognose, Langtidsbudsjett; enhet MH; år 2023"
        in proc.stdout
    )
    again = run("import", files[0], "--db", db)
    assert again.returncode == 0 and "allerede importert" in again.stdout
    summary = run("summary", "--db", db)
    assert "32 tiltak mot 28 mål i 7 områder; igangsatt (status ≥ 2): 19" in summary.stdout
    assert "Resultat: −45\u00a0785 | −52\u00a0290 | 6\u00a0504" in summary.stdout
    assert "42 mål i 10 områder (Kjerneoppgaver: 18, Innsatsområder: 24)" in summary.stdout
    data = json.loads(run("summary", "--db", db, "--json").stdout)
    assert {p["plan"] for p in data["plans"]} == {"Handlingsplan 2019", "Årsplan 2023"}


def test_refused_file_exits_2_and_names_the_cell(tmp_path):
    from tests.conftest import make_workbook

    bad = make_workbook(
        tmp_path / "mh_hp_2019.xlsx",
        {"Status 2019": [["HP nr.", "Tiltak", "Status 0-5"], [1, "A", 8]]},
    )
    good = make_workbook(
        tmp_path / "mh_hp_2020.xlsx",
        {"Status 2020": [["HP nr.", "Tiltak", "Status 0-5"], [1, "A", 2]]},
    )
    db = str(tmp_path / "cli.duckdb")
    proc = run("import", str(good), str(bad), "--db", db)
    assert proc.returncode == 2
    assert "mh_hp_2019.xlsx, Status 2019!C2" in proc.stderr and "Traceback" not in proc.stderr
    assert "mh_hp_2020.xlsx: Statusrapport med status 0–5; enhet MH; år 2020" in proc.stdout


def test_overrides_and_missing_context(tmp_path):
    from tests.conftest import make_workbook

    path = make_workbook(
        tmp_path / "prognose.xlsx",
        {"P": [["Linje", "Budsjett i år", "Prognose i år"], ["Lønn", -1, -2]]},
    )
    db = str(tmp_path / "cli.duckdb")
    proc = run("import", str(path), "--db", db)
    assert proc.returncode == 2 and "--unit" in proc.stderr
    proc = run(
        "import",
        str(path),
        "--db",
        db,
        "--unit",
        "MH-INB",
        "--year",
        "2024",
        "--label",
        "prognose mars 2024",
    )
    assert (
        proc.returncode == 0
        and "enhet MH-INB; år 2024; versjon «prognose mars 2024»" in proc.stdout
    )


def test_empty_database_summary(tmp_path):
    db = tmp_path / "empty.duckdb"
    run("import", str(tmp_path / "ingen.xlsx"), "--db", str(db))  # creates the database
    proc = run("summary", "--db", str(db))
    assert proc.returncode == 0 and "Databasen er tom" in proc.stdout


def test_summary_never_creates_a_database(tmp_path):
    proc = run("summary", "--db", str(tmp_path / "skrivefeil.duckdb"))
    assert proc.returncode == 2 and "Fant ingen database" in proc.stderr
    assert not (tmp_path / "skrivefeil.duckdb").exists()
    assert "Traceback" not in proc.stderr


def test_bad_arguments_are_sentences_not_tracebacks(tmp_path, good_workbook):
    folder = tmp_path / "mappe"
    folder.mkdir()
    db = tmp_path / "a.duckdb"
    # a missing file and a folder are refused by name, and the rest of the list is imported
    proc = run(
        "import", str(tmp_path / "finnes_ikke.xlsx"), str(folder), good_workbook, "--db", str(db)
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "finnes_ikke.xlsx: fant ikke fila" in proc.stderr and "er en mappe" in proc.stderr
    assert "import nr. 1" in proc.stdout
    not_duckdb = tmp_path / "tekst.duckdb"
    not_duckdb.write_text("dette er ikke en database", encoding="utf-8")
    for args in (
        ("summary", "--db", str(not_duckdb)),
        ("import", good_workbook, "--db", str(not_duckdb)),
        ("import", good_workbook, "--db", str(folder)),
        ("backup", str(tmp_path / "kopi.duckdb"), "--db", str(not_duckdb)),
        ("backup", str(not_duckdb), "--db", str(db)),  # an existing target
    ):
        proc = run(*args)
        assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
        assert "Traceback" not in proc.stderr and proc.stderr.strip(), (args, proc.stderr)
    assert not_duckdb.read_text(encoding="utf-8") == "dette er ikke en database"


@pytest.fixture
def good_workbook(tmp_path) -> str:
    from tests.conftest import make_workbook

    path = make_workbook(
        tmp_path / "mh_handlingsplan_2019.xlsx",
        {"Status": [["HP nr.", "Tiltak", "Status 0-5"], [1, "Tiltak A", 3]]},
    )
    return str(path)
