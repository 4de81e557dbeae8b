"""The command line: exit codes, messages on stderr, summary figures."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from dashboard.config import ROOT
from tests.conftest import EXAMPLES


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


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
    proc = run("summary", "--db", str(tmp_path / "empty.duckdb"))
    assert proc.returncode == 0 and "Databasen er tom" in proc.stdout
