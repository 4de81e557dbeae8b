"""Every queries/*.sql file on a small database built from hand-made workbooks; every file used."""

from __future__ import annotations

import re

import pytest

from dashboard import store
from dashboard.config import ROOT, Settings
from dashboard.ingest.layouts.common import Overrides
from dashboard.model.budget import with_deviation
from dashboard.model.pin import from_params, resolve
from dashboard.model.view import view
from dashboard.service.imports import import_file
from tests.conftest import make_workbook

HP = ["HP nr.", "Tiltak", "Status 0-5", "Kommentar"]
PROG = ["Bevilgningsramme BFV", "Budsjett i år", "Prognose i år", "Prognostisert budsjettavvik"]


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("q")
    settings = Settings.from_env(tmp / "q.duckdb")
    connection = store.connect(settings.db_path)
    files = [
        (
            make_workbook(
                tmp / "a.xlsx",
                {
                    "S": [
                        ["Handlingsplan for MH-fakultetet, status 2019"],
                        ["Utdanning:"],
                        HP,
                        [1, "A", 1, ""],
                        [2, "B", 0, ""],
                        ["Forskning:"],
                        HP,
                        [3, "C", 2, ""],
                    ]
                },
            ),
            Overrides(label="Runde 1"),
        ),
        (
            make_workbook(
                tmp / "b.xlsx",
                {
                    "S": [
                        ["Handlingsplan for MH-fakultetet, status 2019"],
                        ["Utdanning:"],
                        HP,
                        [1, "A", 4, ""],
                        [2, "B", 0, ""],
                        ["Forskning:"],
                        HP,
                        [3, "C", 5, "ferdig"],
                    ]
                },
            ),
            Overrides(label="Runde 2"),
        ),
        (
            make_workbook(
                tmp / "c.xlsx",
                {
                    "S": [
                        ["Handlingsplan for MH-INB, status 2019"],
                        ["Område", "HP nr.", "Tiltak", "Status 0-5"],
                        ["Utdanning", 1, "X", 4],
                        ["Utdanning", 2, "Y", 1],
                    ]
                },
            ),
            Overrides(),
        ),
        (
            make_workbook(
                tmp / "d.xlsx",
                {
                    "P": [
                        ["Prognose pr. juni 2023 (MH)"],
                        PROG,
                        ["IB", 10, 10, 0],
                        ["Resultat", -5, -8, 3],
                        ["Inntekt", 100, 97, 3],
                        ["Bevilgning", 100, 97, 3],
                        ["Kostnad", -105, -105, 0],
                        ["Lønn", -105, -105, 0],
                        ["UB", 5, 2, 3],
                    ]
                },
            ),
            Overrides(),
        ),
        (
            make_workbook(
                tmp / "e.xlsx",
                {
                    "P": [
                        ["Prognose pr. oktober 2023 (MH)"],
                        PROG,
                        ["IB", 10, 10, 0],
                        ["Resultat", -5, -9, 4],
                        ["Inntekt", 100, 96, 4],
                        ["Bevilgning", 100, 96, 4],
                        ["Kostnad", -105, -105, 0],
                        ["Lønn", -105, -105, 0],
                        ["UB", 5, 1, 4],
                    ],
                    "L": [
                        ["Langtid (MH)"],
                        ["Linje", "Budsjett i år", "2024", "2025"],
                        ["IB", 10, 1, 3],
                        ["Resultat", -5, 2, 2],
                        ["UB", 5, 3, 5],
                    ],
                },
            ),
            Overrides(),
        ),
        (
            make_workbook(
                tmp / "f.xlsx",
                {
                    "G": [
                        ["Strategi 2018–2025 (VM)"],
                        ["Del", "Område", "Utviklingsmål"],
                        ["Kjerne", "Forskning", "m1"],
                        ["Kjerne", "Forskning", "m2"],
                        ["Tvers", "Bærekraft", "m3"],
                    ]
                },
            ),
            Overrides(),
        ),
        (
            make_workbook(
                tmp / "g.xlsx",
                {
                    "A": [
                        ["Fordeling av avsetninger MH 2023"],
                        ["MH", 30],
                        ["MH-INB", 10],
                        ["MH-ISB", 20],
                    ]
                },
            ),
            Overrides(),
        ),
        (
            make_workbook(
                tmp / "h.xlsx",
                {
                    "D": [
                        ["Resultatmål (IØT)"],
                        ["Indikator", "Type", "Mål", "Basisår", "Målår"],
                        ["Kandidater", "vekst", "10 %", 2018, 2025],
                        ["EU", "minst", 5, None, 2025],
                    ]
                },
            ),
            Overrides(),
        ),
        (
            make_workbook(
                tmp / "i.xlsx",
                {"V": [["Enhet", "Indikator", 2018, 2019], ["IØT", "Kandidater", 100, 112]]},
            ),
            Overrides(),
        ),
    ]
    for path, overrides in files:
        import_file(connection, path, settings, overrides)
    yield connection
    connection.close()


def test_plan_summary(con):
    plans = store.query(con, "plan_summary", {"unit": "MH"})
    assert list(plans["round"]) == ["Runde 2", "Runde 1"]  # newest first
    latest = plans.iloc[0]
    assert (
        latest["measures"],
        latest["goals"],
        latest["areas"],
        latest["started"],
        latest["done"],
    ) == (3, 3, 2, 2, 2)
    assert len(store.query(con, "plan_summary", {"unit": None})) == 3


def test_status_counts(con):
    q = lambda name, **p: store.query(con, name, p)  # noqa: E731
    status = view(q, resolve(q, "MH", store.data_version(con))).status
    assert status.round == "Runde 2"
    counts = status.by_area.groupby("score")["measures"].sum()
    assert dict(counts) == {0: 1, 4: 1, 5: 1}
    assert (status.started, status.done, status.n) == (2, 2, 3)


def test_measure_status_and_history(con):
    rows = store.query(
        con, "measure_status", {"unit": "MH", "plan": "Handlingsplan 2019", "round": "Runde 2"}
    )
    assert list(rows["title"]) == ["A", "B", "C"] and list(rows["area"]) == [
        "Utdanning",
        "Utdanning",
        "Forskning",
    ]
    history = store.query(con, "status_history", {"unit": "MH", "plan": "Handlingsplan 2019"})
    assert list(history[history["title"] == "A"]["score"]) == [1, 4]


def test_unit_heatmap(con):
    heat = store.query(con, "unit_heatmap", {"unit": "MH", "plan": "Handlingsplan 2019"})
    cell = heat[(heat["unit"] == "MH-INB") & (heat["area"] == "Utdanning")].iloc[0]
    assert (cell["measures"], cell["done"], cell["share_done"]) == (2, 1, 0.5)
    assert set(heat["unit"]) == {"MH", "MH-INB"}


def test_prognosis_queries(con):
    versions = store.query(con, "prognosis_versions", {"unit": "MH"})
    assert list(versions["label"]) == ["prognose oktober 2023", "prognose juni 2023"]
    lines = with_deviation(
        store.query(con, "prognosis_lines", {"unit": "MH", "label": "prognose oktober 2023"})
    )
    result = lines[lines["line"] == "Resultat"].iloc[0]
    assert (result["budget"], result["prognosis"], result["deviation"]) == (-5, -9, 4)
    plan = store.query(con, "multiyear_plan", {"unit": "MH", "label": None})
    assert {(r.kind, r.year, r.line): r.amount_knok for r in plan.itertuples()}[
        ("long_term_plan", 2025, "UB")
    ] == 5


def test_goal_allocation_indicator_queries(con):
    goals = store.query(con, "goal_summary", {"unit": "VM"})
    assert goals["goals"].sum() == 3 and goals["area"].nunique() == 2
    alloc = store.query(con, "allocations", {"unit": "MH"})
    assert (
        alloc[~alloc["is_total"]]["amount_knok"].sum() == 30
        and alloc[alloc["is_total"]]["amount_knok"].iloc[0] == 30
    )
    series = store.query(con, "indicator_series", {"unit": "IØT"})
    kand = series[series["indicator"] == "Kandidater"]
    assert list(kand["value"]) == [100, 112] and kand["target"].iloc[0] == pytest.approx(0.10)
    assert series[series["indicator"] == "EU"]["year"].isna().all()


def test_units_and_log(con):
    units = store.query(con, "units_with_data", {})
    assert {"MH", "MH-INB", "VM", "IØT"} <= set(units["code"])
    log = store.query(con, "import_log", {"unit": None})
    assert len(log) == 9 and (log["outcome"] == "ok").all() and log["sha256"].str.len().eq(64).all()


def test_every_query_file_is_used():
    """Each queries/<name>.sql is referenced by name from the dashboard code."""
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "dashboard").rglob("*.py"))
    for sql in (ROOT / "queries").glob("*.sql"):
        assert re.search(rf"[\"']{sql.stem}[\"']", code), f"queries/{sql.name} is not used"
        text = sql.read_text(encoding="utf-8")
        assert text.startswith("-- Purpose:") and "-- Grain:" in text and "-- Parameters:" in text
        assert text == text.lower() or not re.search(r"\b(SELECT|FROM|WHERE)\b", text)


def test_one_sheet_with_a_status_column_per_reporting_round(tmp_path):
    from dashboard.model import analysis

    settings = Settings.from_env(tmp_path / "r.duckdb")
    con = store.connect(settings.db_path)
    path = make_workbook(
        tmp_path / "mh-inb_handlingsplan_2023.xlsx",
        {
            "S": [
                ["Handlingsplan 2023 for MH-INB"],
                [
                    "Område",
                    "Mål",
                    "Tiltak",
                    "Status juni 2023",
                    "Status desember 2023",
                    "Kommentar",
                ],
                ["Utdanning", 3, "A", 1, 2, "i rute"],
                ["Forskning", 4, "B", 2, 4, None],
            ]
        },
    )
    import_file(con, path, settings)
    plans = store.query(con, "plan_summary", {"unit": "MH-INB"})
    assert list(plans["round"]) == ["Status desember 2023", "Status juni 2023"]  # newest first
    current, previous = analysis.rounds_around(plans, plans["plan"].iloc[0], None)
    assert (current["round"], previous["round"]) == ("Status desember 2023", "Status juni 2023")
    history = store.query(con, "status_history", {"unit": "MH-INB", "plan": plans["plan"].iloc[0]})
    assert list(history["round"]) == ["Status juni 2023"] * 2 + ["Status desember 2023"] * 2
    assert list(history["score"]) == [1, 2, 2, 4]
    assert list(history["comment"].fillna("")) == ["", "", "i rute", ""]  # the latest round's
    heat = store.query(con, "unit_heatmap", {"unit": "MH-INB", "plan": plans["plan"].iloc[0]})
    assert heat["measures"].sum() == 2 and heat["done"].sum() == 1  # the latest round only

    def q(name, **params):
        return store.query(con, name, params)

    event = store.data_version(con)
    pin = resolve(q, "MH-INB", event, plans["plan"].iloc[0])
    status = view(q, pin).status
    assert (status.round, status.previous_round) == ("Status desember 2023", "Status juni 2023")
    assert from_params(q, "MH-INB", pin.to_params(), event) == pin
    assert list(status.measures["score"]) == [2, 4]
    con.close()
