"""The read model of ambitions against resources, on a small store built from workbooks in the
accepted layouts: a strategy, a measure register, a status report and an evaluation."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard import store
from dashboard.model.pin import Pin
from dashboard.model.resources import OWNER_LIMIT, resource_figures
from dashboard.service.imports import import_file
from data.demo_resources import REGISTER_HEADER
from tests.conftest import make_workbook

REGISTER = [
    # area, goal, measure, owner, need, granted, start, end, risk
    (
        "Forskning",
        1,
        "Digitalisere herbariet",
        "Kari",
        2400,
        1000,
        "01.01.2023",
        "31.12.2025",
        "høy",
    ),
    (
        "Forskning",
        1,
        "Nytt laboratorium",
        "Kari",
        3000,
        3000,
        "01.01.2023",
        "30.06.2024",
        "middels",
    ),
    ("Forskning", 2, "Forskerskole", "Kari", 500, None, "01.03.2023", "31.12.2024", "lav"),
    ("Formidling", 3, "Ny basisutstilling", "Kari", 1800, 0, "01.01.2024", "31.12.2025", "høy"),
    ("Formidling", 3, "Skoletilbud", "Ola", None, None, "01.09.2023", "31.12.2023", None),
    ("Formidling", None, "Podkast", None, 100, 100, None, None, "lav"),
]


@pytest.fixture(params=["register last", "status report last"])
def q(request, tmp_path, settings):
    """The store; the register imported after the status report, or before it (a later report
    without resource columns keeps what the register says each measure needs)."""
    con = store.connect(settings.db_path)
    goals = make_workbook(
        tmp_path / "vm_strategi_2018_2025.xlsx",
        {
            "Mål": [
                ["NTNU Vitenskapsmuseet – strategi 2018–2025"],
                ["Del", "Område", "Nr", "Utviklingsmål"],
                ["Kjerne", "Forskning", 1, "Mål 1"],
                ["Kjerne", "Forskning", 2, "Mål 2"],
                ["Kjerne", "Formidling", 3, "Mål 3"],
                ["Kjerne", "Formidling", 4, "Mål 4"],
            ]
        },
    )
    register = make_workbook(
        tmp_path / "vm_tiltaksregister.xlsx",
        {
            "Tiltak": [
                ["Tiltaksplan 2023–2025 for NTNU Vitenskapsmuseet"],
                list(REGISTER_HEADER),
                *[list(r) for r in REGISTER],
            ]
        },
    )
    status = make_workbook(
        tmp_path / "vm_tiltaksplan_2023_status.xlsx",
        {
            "Status": [
                ["Tiltaksplan 2023 for VM, status desember 2023"],
                ["Område", "Mål nr.", "Tiltak", "Status"],
                ["Forskning", 1, "Digitalisere herbariet", "Under arbeid: forsinket"],
                ["Forskning", 1, "Nytt laboratorium", "Gjennomført"],
                ["Forskning", 2, "Forskerskole", "Ikke igangsatt"],
                ["Formidling", 3, "Ny basisutstilling", "Under arbeid"],
                ["Formidling", 3, "Skoletilbud", "Under arbeid"],
                ["Formidling", None, "Podkast", "Gjennomført"],
            ]
        },
    )
    evaluation = make_workbook(
        tmp_path / "vm_evaluering_tiltaksplan_2019_2021.xlsx",
        {
            "Evaluering": [
                ["Evaluering av tiltaksplanen 2019–2021 for NTNU Vitenskapsmuseet"],
                ["Tiltak", "Måloppnåelse", "Årsaker"],
                ["A", "svært god", None],
                ["B", "god", "Berørt av korona"],
                ["C", "svak", "Berørt av korona; Underfinansiert"],
                ["D", "ikke gjennomført", "Underfinansiert"],
                ["E", None, None],
            ]
        },
    )
    order = (status, register) if request.param == "register last" else (register, status)
    for path in (goals, *order, evaluation):
        import_file(con, path, settings)
    yield lambda name, **p: store.query(con, name, p)
    con.close()


def figures(q, plan=None):
    event = int(q("import_log", unit=None)["import_id"].max()) * 10  # past every event
    return resource_figures(q, Pin("VM", event), plan, dt.date(2024, 1, 1))


def test_the_five_questions(q):
    r = figures(q)
    assert r.plan == "Tiltaksplan 2023" and r.n == 6
    # funded? need 7 800, granted 4 100; gap over measures with an estimate: 1 400 + 500 + 1 800
    assert (r.need, r.granted, r.gap) == (7800.0, 4100.0, 3700.0)
    assert (
        r.funding_title == "Planen mangler 3,7\u00a0mill.\u00a0kr: 3 av 6 tiltak er ikke finansiert"
    )
    assert list(r.without_estimate["title"]) == ["Skoletilbud"]
    # at once? five have a period; four run together from the third quarter of 2023
    assert r.peak == ("3. kv. 2023", 4)
    assert r.timing_title == "Flest tiltak samtidig: 4 av 6 i 3. kv. 2023 (1 tiltak uten periode)"
    assert list(r.by_quarter["running"])[:4] == [3, 3, 4, 4]
    # on a few people? Kari has four measures, three of them not done
    kari = r.by_owner.iloc[0]
    assert (kari["owner"], kari["measures"], kari["running"]) == ("Kari", 4, 3)
    assert bool(kari["over_limit"]) == (3 > OWNER_LIMIT)
    assert r.owners_title == "1 av 6 tiltak har ingen ansvarlig"
    # risk: the delayed high-risk measure first
    assert r.risk_table.iloc[0]["title"] == "Digitalisere herbariet"
    assert r.risk_title == "1 av 2 tiltak med høy risiko er forsinket eller utsatt"
    # goals: goal 4 has no measure, goal 2 only one not started
    coverage = dict(zip(r.goal_coverage["goal_no"], r.goal_coverage["coverage"], strict=True))
    assert coverage == {1: "dekket", 2: "ingen igangsatt", 3: "dekket", 4: "uten tiltak"}
    assert (
        r.goals_title == "1 av 4 strategimål har ingen tiltak, 1 bare tiltak som ikke er igangsatt"
    )


def test_the_evaluation_of_the_plan_before(q):
    r = figures(q)
    assert r.previous is not None and r.previous.plan == "Tiltaksplan 2019"
    p = r.previous
    assert p.evaluation_title == "2 av 5 tiltak fikk god eller svært god måloppnåelse"
    assert p.causes.to_dict() == {"Berørt av korona": 2, "Underfinansiert": 2}
    assert r.evaluation_title is None  # the running plan is not evaluated yet


def test_one_chart_per_question_with_the_finding_as_title(q):
    from dashboard.model.resources import OWNER_LIMIT
    from dashboard.present.charts import resources as rc

    r = figures(q)
    charts = {
        "funding": rc.funding(r.funding_by_area, r.funding_title),
        "quarters": rc.running_per_quarter(r.by_quarter, r.timing_title, capacity=3),
        "owners": rc.owners(r.by_owner, OWNER_LIMIT, r.owners_title),
        "risk": rc.risk_by_status(r.risk_table, r.risk_title),
        "goals": rc.goal_coverage(r.goal_coverage, r.goals_title),
        "evaluation": rc.evaluation(r.previous.graded, r.previous.evaluation_title),
    }
    for name, fig in charts.items():
        title = fig.layout.title.text.replace("<b>", "").replace("</b>", "").replace("<br>", " ")
        assert title.startswith(
            {
                "funding": "Planen mangler",
                "quarters": "Flest tiltak samtidig",
                "owners": "1 av 6 tiltak",
                "risk": "1 av 2 tiltak med høy risiko",
                "goals": "1 av 4 strategimål",
                "evaluation": "2 av 5 tiltak",
            }[name]
        ), (name, title)
    need, granted = charts["funding"].data
    assert list(need.y) == list(r.funding_by_area["area"])[::-1]
    assert sum(need.x) == r.need and sum(granted.x) == r.granted
    assert list(charts["quarters"].data[0].y) == list(r.by_quarter["running"])
    assert sum(sum(t.x) for t in charts["goals"].data) == len(r.goal_coverage)
    assert sum(sum(t.x) for t in charts["risk"].data) == r.n
    assert list(charts["evaluation"].data[0].y) == [1, 1, 0, 1, 1]


def test_an_owner_with_more_running_measures_than_the_limit_is_flagged(tmp_path, settings):
    """Kari gets «Skoletilbud» too: with no status report yet, all five of hers count as running."""
    con = store.connect(settings.db_path)
    rows = [list(r) for r in REGISTER]
    rows[4][3] = "Kari"
    register = make_workbook(
        tmp_path / "vm_tiltaksregister.xlsx",
        {
            "Tiltak": [
                ["Tiltaksplan 2023–2025 for NTNU Vitenskapsmuseet"],
                list(REGISTER_HEADER),
                *rows,
            ]
        },
    )
    import_file(con, register, settings)
    q = lambda name, **p: store.query(con, name, p)  # noqa: E731
    r = figures(q)
    kari = r.by_owner.iloc[0]
    assert (kari["owner"], int(kari["running"]), bool(kari["over_limit"])) == ("Kari", 5, True)
    assert r.owners_title == "Kari har 5 tiltak i gang; 1 av 6 tiltak har ingen ansvarlig"
    con.close()
