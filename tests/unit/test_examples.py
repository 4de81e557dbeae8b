"""Every example workbook imports and yields the figures its README promises."""

from __future__ import annotations

import pytest

from dashboard import store
from dashboard.config import Settings
from dashboard.present.summary import summarise
from dashboard.service.imports import import_file
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.skipif(not EXAMPLES.exists(), reason="shared/examples not found")


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    settings = Settings.from_env(tmp_path_factory.mktemp("db") / "examples.duckdb")
    con = store.connect(settings.db_path)
    results = {}
    for path in sorted(EXAMPLES.glob("*.xlsx")):
        results[path.name] = import_file(con, path, settings)
    data = summarise(con)
    con.close()
    return results, data


def test_handlingsplan_2019(loaded):
    results, data = loaded
    assert results["mh_handlingsplan_2019_status.xlsx"].parsed.layout == "status_scores"
    plan = next(p for p in data["plans"] if p["plan"] == "Handlingsplan 2019")
    assert (plan["unit"], plan["measures"], plan["goals"], plan["areas"], plan["started"]) == (
        "MH",
        32,
        28,
        7,
        19,
    )
    assert plan["by_area"]["Organisasjon"]["measures"] == 8
    assert plan["by_area"]["Organisasjon"]["by_score"][0] == 4


def test_arsplan_2023(loaded):
    _results, data = loaded
    plan = next(p for p in data["plans"] if p["plan"] == "Årsplan 2023")
    assert plan["measures"] == 14
    assert plan["by_category"] == {"Gjennomført": 2, "Utsatt": 2, "Forsinket": 4, "Under arbeid": 6}
    assert plan["continuing"] == 4


def test_prognosis_october_2023(loaded):
    results, data = loaded
    parsed = results["mh_prognose_2023_10.xlsx"].parsed
    assert parsed.unit == "MH" and parsed.year == 2023 and parsed.label == "prognose oktober 2023"
    assert parsed.warnings == []  # the source adds up within rounding
    prog = next(p for p in data["prognoses"] if p["label"] == "prognose oktober 2023")
    lines = {line["line"]: line for line in prog["lines"]}
    assert lines["Resultat"]["deviation"] == 6504
    assert lines["Overføring fra BOA"]["deviation"] == 55394
    assert (
        max(
            (
                line
                for line in prog["lines"]
                if line["line"] not in ("Resultat", "UB", "Inntekt", "Kostnad")
            ),
            key=lambda line: abs(line["deviation"]),
        )["line"]
        == "Overføring fra BOA"
    )
    income = ["Bevilgning", "Overføring fra BOA", "Overføring fra EVU", "Andre inntekter"]
    assert sum(lines[n]["budget"] for n in income) == lines["Inntekt"]["budget"] == 1252736
    for line in prog["lines"]:
        if line["budget"] is not None and line["prognosis"] is not None:
            assert abs(line["budget"] - line["prognosis"] - line["deviation"]) <= 2
    plan = {(r["kind"], r["year"], r["line"]): r["amount_knok"] for r in data["multiyear"]}
    for year in range(2024, 2028):
        assert (
            abs(
                plan[("long_term_plan", year, "UB")]
                - plan[("long_term_plan", year, "IB")]
                - plan[("long_term_plan", year, "Resultat")]
            )
            <= 2
        )
        previous_ub = (
            plan[("previous_prognosis", 2023, "UB")]
            if year == 2024
            else plan[("long_term_plan", year - 1, "UB")]
        )
        assert abs(plan[("long_term_plan", year, "IB")] - previous_ub) <= 1


def test_strategy_goals(loaded):
    _results, data = loaded
    strat = next(s for s in data["strategies"] if s["unit"] == "VM")
    assert strat["goals"] == 42 and strat["areas"] == 10
    assert strat["parts"] == {"Kjerneoppgaver": 18, "Innsatsområder": 24}


def test_allocations(loaded):
    _results, data = loaded
    alloc = next(a for a in data["allocations"] if a["parent"] == "MH")
    assert alloc["total"] == 50000 and alloc["sum_units"] == 50000
    assert alloc["units_with_amount"] == 8 and alloc["units_without"] == ["MH-ADM"]


def test_indicator_definitions(loaded):
    _results, data = loaded
    defs = [i for i in data["indicators"] if i["unit"] == "IØT"]
    kinds = [i["kind"] for i in defs]
    assert len(defs) == 20
    assert (kinds.count("minimum"), kinds.count("maximum"), kinds.count("growth")) == (13, 2, 5)


def test_dbh_values(loaded):
    _results, data = loaded
    ntnu = [i for i in data["indicators"] if i["unit"] == "NTNU"]
    assert len(ntnu) == 15 and sum(i["values"] for i in ntnu) == 98
    pub = next(i for i in ntnu if i["indicator"] == "Antall publiseringspoeng per faglig årsverk")
    assert (
        pub["values"] == 7
        and pub["latest_year"] == 2025
        and pub["latest_value"] == pytest.approx(1.3)
    )
