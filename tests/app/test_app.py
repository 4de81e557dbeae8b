"""Every page runs with AppTest on the demo database and on an empty one, and shows the
headline figures the source documents give."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import store
from dashboard.config import ROOT
from tests.helpers.demo import demo_copy

APP = str(ROOT / "dashboard" / "app.py")
PAGES = ["oversikt", "maloppnaelse", "budsjett", "okonomi", "indikatorer", "ressurser", "runder"]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    return demo_copy(tmp_path_factory.mktemp("demo") / "demo.duckdb")


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("empty") / "empty.duckdb"
    store.connect(path).close()
    return path


def run_page(monkeypatch, db, page: str, **params: str) -> AppTest:
    monkeypatch.setenv("MALBILDE_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def chart_titles(at: AppTest) -> list[str]:
    return [json.loads(el.proto.spec)["layout"]["title"]["text"] for el in at.get("plotly_chart")]


def measure_table(at: AppTest):
    """The measure table (the largest table with a «Tiltak» column that lists measures)."""
    frames = [
        d.value
        for d in at.dataframe
        if "Tiltak" in d.value.columns
        and "Status" in d.value.columns
        and d.value["Tiltak"].map(lambda v: isinstance(v, str)).all()
    ]
    return max(frames, key=len)


def texts(at: AppTest) -> str:
    parts = (
        [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.title]
    )
    parts += [h.value for h in at.header] + [h.value for h in at.subheader]
    return "\n".join(parts)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_on_empty_database(monkeypatch, empty_db, page):
    at = run_page(monkeypatch, empty_db, page)
    assert at.info, "an empty page must say what to do"
    assert "«Last opp»" in at.info[0].value and "python -m" not in at.info[0].value


def test_upload_page_on_empty_and_demo_database(monkeypatch, empty_db, demo_db):
    at = run_page(monkeypatch, empty_db, "last_opp")
    assert "Ingen importer ennå." in texts(at) and len(at.get("file_uploader")) == 1
    at = run_page(monkeypatch, demo_db, "last_opp")
    history = [d.value for d in at.dataframe if "SHA-256" in d.value.columns][0]
    assert len(history) == 24  # 17, the six economy workbooks and the PhD degrees (issue 26)
    by_file = dict(zip(history["Fil"], history["Status"], strict=True))
    assert by_file["mh_prognose_2023_04_eksempel.xlsx"] == "tidligere runde (nr. 6 er nyere)"
    assert by_file["mh_handlingsplan_2019_status_juni_eksempel.xlsx"] == (
        "tidligere runde (nr. 2 er nyere)"
    )
    assert sum(s == "gjeldende" for s in history["Status"]) == 21
    assert by_file["vm_tiltaksregister_2023_2025_eksempel.xlsx"] == "gjeldende"


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("unit", ["MH", "IØT", "VM", "NTNU", "MH-INB"])
def test_every_page_for_every_demo_unit(monkeypatch, demo_db, page, unit):
    at = run_page(monkeypatch, demo_db, page, enhet=unit)
    assert at.selectbox(key="enhet").value == unit
    assert "Data:" in texts(at) or at.info


def test_overview_headline_figures(monkeypatch, demo_db):
    at = run_page(monkeypatch, demo_db, "oversikt", enhet="MH")
    metrics = {m.label: m for m in at.metric}
    assert metrics["Igangsatt (status ≥ 2)"].value == "19 av 32"
    assert metrics["Igangsatt (status ≥ 2)"].delta == "+3 fra forrige"
    assert "Status juni 2019" in metrics["Igangsatt (status ≥ 2)"].help
    assert metrics["Resultat mot budsjett"].value == "\u22126,5\u00a0mill.\u00a0kr"
    assert "Endringer siden forrige rapport" in texts(at)
    assert "Prognose: prognose juni 2023 → prognose oktober 2023" in texts(at)


def test_goal_fulfilment_page(monkeypatch, demo_db):
    at = run_page(monkeypatch, demo_db, "maloppnaelse", enhet="MH")
    titles = chart_titles(at)
    assert any("19 av 32 tiltak er igangsatt" in t for t in titles)
    assert any("32 tiltak følger opp 28 mål" in t for t in titles)
    assert any(
        "har størst andel tiltak på status 4–5" in t for t in titles
    )  # heatmap: MH and its departments
    assert len(measure_table(at)) == 32


def test_text_status_plan_shows_categories_and_original_text(monkeypatch, demo_db):
    at = run_page(
        monkeypatch, demo_db, "maloppnaelse", enhet="MH", plan="Årsplan 2023 · Status 2023"
    )
    titles = chart_titles(at)
    assert any("2 av 14 tiltak er gjennomført" in t for t in titles)
    frame = measure_table(at)
    assert "Under arbeid: noe forsinket" in set(frame["Status"])
    assert frame["Merknad"].str.contains("Forsinket").sum() == 4


def test_area_filter_from_the_url(monkeypatch, demo_db):
    at = run_page(monkeypatch, demo_db, "maloppnaelse", enhet="MH", omrade="Organisasjon")
    assert len(measure_table(at)) == 8


def test_museum_strategy_goals(monkeypatch, demo_db):
    at = run_page(monkeypatch, demo_db, "maloppnaelse", enhet="VM")
    assert "Strategi 2018–2025: 42 mål i 10 områder" in texts(at)
    assert "Kjerneoppgaver: 18 mål · Innsatsområder: 24 mål" in texts(at)


def test_budget_page(monkeypatch, demo_db):
    at = run_page(monkeypatch, demo_db, "budsjett", enhet="MH")
    titles = chart_titles(at)
    assert "<b>Prognosen svekker resultatet med 6,5\u00a0mill.\u00a0kr</b>" in titles[0]
    assert any("Største driver: Overføring fra BOA" in t for t in titles)
    assert any("UB stiger fra" in t for t in titles)
    table = at.dataframe[0].value
    resultat = table[table["Linje"] == "Resultat"].iloc[0]
    assert resultat["Avvik (budsjett − prognose)"] == "6\u00a0504"
    assert "avvik = budsjett − prognose" in texts(at)


def test_budget_version_from_the_url(monkeypatch, demo_db):
    at = run_page(monkeypatch, demo_db, "budsjett", enhet="MH", versjon="prognose juni 2023")
    assert at.selectbox(key="versjon").value == "prognose juni 2023"
    assert "prognose juni 2023" in texts(at)


def test_indicator_page_derives_values(monkeypatch, demo_db):
    at = run_page(monkeypatch, demo_db, "indikatorer", enhet="IØT")
    page = texts(at)
    assert "Lønnsandel" in page and "Kostnad" in page
    titles = chart_titles(at)
    assert any("resultatmål med tall er nådd eller i rute" in t for t in titles)
    overview = at.dataframe[0].value
    names = set(overview["Indikator"])
    assert "Primærsøkere per studieplass (beregnet)" in names
    assert "Lønnsandel i bevilgningsfinansiert virksomhet" in names
    row = overview[overview["Indikator"] == "Lønnsandel i bevilgningsfinansiert virksomhet"].iloc[0]
    assert row["Status"] == "nådd" and row["Siste verdi"] == "85,2\u00a0%"


@pytest.mark.parametrize("page", [*PAGES, "presentasjon"])
def test_plan_without_areas_and_with_two_rounds_in_one_sheet(monkeypatch, tmp_path, page):
    """A flat status sheet without areas, a status column per round, imported without a user."""
    from dashboard.config import Settings
    from dashboard.service.imports import import_file
    from tests.conftest import make_workbook

    db = tmp_path / "rounds.duckdb"
    con = store.connect(db)
    path = make_workbook(
        tmp_path / "mh-inb_handlingsplan_2023.xlsx",
        {
            "S": [
                ["Handlingsplan 2023 for MH-INB"],
                ["Mål", "Tiltak", "Status juni 2023", "Status desember 2023", "Kommentar"],
                [3, "Tiltak A", 1, 2, "i rute"],
                [4, "Tiltak B", 2, 4, None],
            ]
        },
    )
    other = make_workbook(
        tmp_path / "fordeling_mh_2023.xlsx",
        {"F": [["Fordeling MH 2023"], ["Enhet", "Beløp"], ["MH-INB", 10], ["MH-ISB", 5]]},
    )
    import_file(con, other, Settings.from_env(db), user="kari@ntnu.no")  # one import with a user
    import_file(con, path, Settings.from_env(db))  # and one without
    con.close()
    at = run_page(monkeypatch, db, page, enhet="MH-INB")
    shown = texts(at)
    assert not re.search(r"\b(nan|None)\b", shown), shown
    if page == "oversikt":
        assert "Status juni 2023 → Status desember 2023" in shown


def test_indicator_page_compares_ntnu_with_its_peers(monkeypatch, demo_db):
    """NTNU beside the other universities: ranking and trend, with the figures of the read model
    (the same `summary --json` prints), and another peer group from the URL."""
    import re

    from dashboard.model.summary import summarise

    def plain(titles):
        return [re.sub(r"<[^>]+>", "", t.replace("<br>", " ")).replace("  ", " ") for t in titles]

    at = run_page(monkeypatch, demo_db, "indikatorer", enhet="NTNU")
    titles = plain(chart_titles(at))
    con = store.connect(demo_db)
    try:
        peers = summarise(con)["peers"]
    finally:
        con.close()
    main = next(p for p in peers if p["group"] == "universitet" and p["main"])
    assert main["indicator"] == "Primærsøkere per studieplass (beregnet)"
    assert any(main["title"] in t for t in titles)
    assert main["title"].startswith("NTNU har ") and "av 11 universiteter" in main["title"]
    assert any(t.startswith("Fra 2021 til 2026") for t in titles)
    # the peers are not units of NTNU: not in the unit menu
    assert "UiB" not in at.sidebar.selectbox[0].options
    other = run_page(
        monkeypatch,
        demo_db,
        "indikatorer",
        enhet="NTNU",
        sammenlign="Alle institusjoner",
        nokkeltall="Studieplasser",
    )
    wanted = next(p for p in peers if p["group"] == "alle" and p["indicator"] == "Studieplasser")
    assert any(wanted["title"] in t for t in plain(chart_titles(other)))
    assert "av 27 institusjoner" in wanted["title"]


def test_peer_slide_in_the_deck(monkeypatch, demo_db):
    """The deck for NTNU ends with NTNU beside the other universities, as the page says it."""
    from dashboard.model.pin import resolve
    from dashboard.model.view import view

    con = store.connect(demo_db)
    try:
        q = lambda name, **p: store.query(con, name, p)  # noqa: E731
        title = view(q, resolve(q, "NTNU", store.data_version(con))).peers_in(None).main.title
    finally:
        con.close()
    at = run_page(monkeypatch, demo_db, "presentasjon", enhet="NTNU", lysbilde="7")
    assert at.title[0].value == title
    subtitle = " ".join(m.value for m in at.markdown)
    # the data line names where the ratio's inputs come from
    assert "Data: eksempelverdier" in subtitle and len(at.get("plotly_chart")) == 1
