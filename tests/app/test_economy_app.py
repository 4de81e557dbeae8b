"""The page «Økonomi» on the demo (MH's board case, seed 004): one section per part of the
economy, charts titled with the read model's findings, the allocation as a table with totals;
the deck and `summary --json` say the same."""

from __future__ import annotations

import pytest

from dashboard import store
from dashboard.model.pin import resolve
from dashboard.model.summary import unit_data
from dashboard.model.view import view
from dashboard.present import deck
from tests.helpers.app import Pages, plain_titles
from tests.helpers.demo import demo_copy


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    return demo_copy(tmp_path_factory.mktemp("economy") / "demo.duckdb")


def _view(db, unit: str):
    con = store.connect(db)
    q = lambda name, **p: store.query(con, name, p)  # noqa: E731
    return con, view(q, resolve(q, unit, store.data_version(con)))


def test_the_page_shows_every_part_titled_by_its_finding(demo_db, monkeypatch):
    con, v = _view(demo_db, "MH")
    try:
        e = v.economy
        titles = [
            e.income.title,
            e.phd.title,
            e.fte.title,
            e.costs.title,
            e.space.title,
            e.space.buildings_title,
        ]
        slides = {s.title: s for s in deck.build(v)}
        said = unit_data(v)["economy"]
    finally:
        con.close()
    assert titles[0] == "ISB henter 41\u00a0% av inntektene fra BOA, mest av instituttene"
    assert titles[1] == "IKOM har flest avlagte doktorgrader i 2022: 38 av 138 ved MH"
    assert titles[3] == "Tiltakene tar inn 9,8 av 16 mill. kr planlagt innen 2027"
    page = Pages(demo_db, monkeypatch).run("okonomi", enhet="MH")
    assert plain_titles(page) == titles
    headers = [h.value for h in page.subheader]
    assert headers[:5] == [
        "Inntekter per type",
        "Avlagte doktorgrader 2022",
        "Årsverk",
        "Kostnadstiltak og effekt",
        "Areal – effekt på nivå",
    ]
    assert headers[5].startswith("Fordeling: ")
    totals = page.dataframe[-2].value
    shown = dict(zip(totals["Tall"], totals["Kroner"], strict=True))
    assert shown["Søkt om"] == "1\u00a0283\u00a0147"
    assert shown["Til fordeling"] == "334\u00a0292"
    assert shown["Differanse (søkt − til fordeling)"] == "948\u00a0855"
    assert shown["Må fortsatt kutte"] == "44\u00a0555"
    applicants = page.dataframe[-1].value
    assert len(applicants) == 33 and list(applicants["Vedtak"]).count("Avslått") == 6
    assert applicants.iloc[-1]["Søker"] == "Sum (32 søkere)"
    # the deck and summary --json say the same
    for title in [*titles[:5], e.grants.title]:
        assert title in slides
    grant = slides[e.grants.title]
    assert ("44\u00a0555 kr", "må fortsatt kuttes") in grant.big
    assert said["grants"]["to_cut"] == 44_555 and said["grants"]["gap"] == 948_855
    assert said["space"]["kvm_per_fte"] == {"Institutt": 1000, "Fakultet": 550, "NTNU": 175}
    assert said["costs"]["headline"] == titles[3]
    assert said["phd"]["per_unit"]["IKOM"] == 38 and said["phd"]["total"] == 138
    assert said["phd"]["headline"] == titles[1]


def test_a_unit_without_economy_is_told_what_to_upload(demo_db, monkeypatch):
    page = Pages(demo_db, monkeypatch).run("okonomi", enhet="VM")
    assert not page.get("plotly_chart")
    assert "Last opp en arbeidsbok" in page.info[0].value


def test_cost_measures_show_the_plan_measure_they_name_with_its_latest_status(demo_db, monkeypatch):
    con, v = _view(demo_db, "MH")
    try:
        c = v.economy.costs
        said = unit_data(v)["economy"]["costs"]
    finally:
        con.close()
    linked = c.measures.set_index("name")
    assert linked.loc["Reduksjon i areal", "plan_status"] == "Utsatt: pga økonomi"
    assert linked.loc["Reduksjon i areal", "plan_measure"] == (
        "Samle simuleringsaktiviteten på Øya i ett felles senter (Årsplan 2023)"
    )
    assert linked.loc["Planlagte avganger", "plan_status"].startswith("3 – ")
    assert linked["plan_measure"].isna().sum() == 3 and c.unlinked == []
    assert c.links_title == "2 av 5 kostnadstiltak er tiltak i planen"
    assert said["linked_headline"] == c.links_title and said["not_found"] == []
    assert set(said["plan_links"]) == {"Planlagte avganger", "Reduksjon i areal"}
    page = Pages(demo_db, monkeypatch).run("okonomi", enhet="MH")
    said_on_page = next(m.value for m in page.markdown if "Reduksjon i areal" in m.value)
    assert "«Utsatt: pga økonomi»; planlagt 3\u00a0000, realisert 700" in said_on_page
    assert said_on_page.count("- **") == 2 and "nan" not in said_on_page
    assert any(c.links_title in m.value for m in page.markdown) and not page.warning
