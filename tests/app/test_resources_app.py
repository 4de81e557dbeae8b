"""«Tiltak og ressurser» on the demo (NTNU Vitenskapsmuseet's example register and its real
evaluation figures): one chart per question, each titled with the read model's finding."""

from __future__ import annotations

import pytest

from dashboard import store
from dashboard.model.pin import resolve
from dashboard.model.view import view
from dashboard.present import deck
from tests.helpers.app import Pages, plain_titles
from tests.helpers.demo import demo_copy


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    return demo_copy(tmp_path_factory.mktemp("resources") / "demo.duckdb")


def test_the_page_answers_the_five_questions_and_the_evaluation(demo_db, monkeypatch):
    con = store.connect(demo_db)
    try:
        q = lambda name, **p: store.query(con, name, p)  # noqa: E731
        v = view(q, resolve(q, "VM", store.data_version(con)))
        r = v.resources
        slides = {s.title: s for s in deck.build(v)}
        titles = [
            r.funding_title,
            r.timing_title,
            r.timeline_title,
            r.owners_title,
            r.risk_title,
            r.goals_title,
            r.previous.evaluation_title,
        ]
    finally:
        con.close()
    # the seeds' real figures
    assert r.previous.evaluation_title == "12 av 30 tiltak fikk god eller svært god måloppnåelse"
    assert r.previous.causes["Berørt av korona"] == 14
    assert (
        r.funding_title
        == "Planen mangler 7,8\u00a0mill.\u00a0kr: 7 av 15 tiltak er ikke finansiert"
    )
    # the slide of the quarters draws the capacity the register states, as the page does
    quarters = slides[r.timing_title].figure
    assert r.capacity == 8 and [shape.y0 for shape in quarters.layout.shapes] == [8]
    page = Pages(demo_db, monkeypatch).run("ressurser", enhet="VM")
    assert plain_titles(page) == titles
    headers = [h.value for h in page.subheader]
    assert headers[:5] == [
        "Er planen finansiert?",
        "Kan alt starte samtidig?",
        "Henger planen på få personer?",
        "Hvor er risikoen?",
        "Er strategimålene dekket?",
    ]
    assert "Hvordan gikk Tiltaksplan 2019?" in headers


def test_a_unit_without_a_register_is_told_what_to_upload(demo_db, monkeypatch):
    page = Pages(demo_db, monkeypatch).run("ressurser", enhet="IØT")
    assert "Last opp et tiltaksregister" in page.info[0].value
    assert not page.get("plotly_chart")
