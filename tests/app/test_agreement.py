"""One figure, one value: for every unit of the demo database and of the 100× database, at the
newest data version and at a pinned earlier one, each figure shown on more than one surface —
Oversikt's cards, the chart titles on Måloppnåelse, Budsjett, Indikatorer (the comparison
with peers included) and Tiltak og ressurser, the deck's slides
(on the Presentasjon page and in the PDF) and `summary --json` — is the same number; and every
headline and chart title on the pages those checks open is the unit's view's own text (the
surfaces check of tests/app/test_surfaces.py, for every unit of both databases)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from dashboard import store
from dashboard.model.pin import resolve
from dashboard.model.summary import summarise
from dashboard.model.view import view
from dashboard.present import deck
from tests.helpers.app import TAGS, Pages, chart_titles, plain_titles
from tests.helpers.demo import demo_copy, large_copy
from tests.helpers.surfaces import offences, page_texts, view_strings


def query(con):
    return lambda name, **p: store.query(con, name, p)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    return demo_copy(tmp_path_factory.mktemp("agree") / "demo.duckdb")


@pytest.fixture(scope="module")
def large_db(tmp_path_factory) -> Path:
    return large_copy(tmp_path_factory.mktemp("agree") / "large.duckdb")


def slide_numbers(slides: list[deck.Slide]) -> dict[str, str]:
    overview = next((s for s in slides if s.big), None)
    return {label: number for number, label in (overview.big if overview else [])}


def check_unit(pages: Pages, con, data: dict, unit: str, event: int, newest: int) -> None:
    q = query(con)
    v = view(q, resolve(q, unit, event))
    shown = next(u for u in data["units"] if u["unit"] == unit)
    cards = {c.label: c.value for c in v.cards}
    assert shown["cards"] == cards, unit  # summary --json
    slides = deck.build(v)
    numbers = slide_numbers(slides)
    titles = [s.title for s in slides]
    s, b, t = v.status, v.budget, v.targets
    if s is not None:
        started = s.started_text  # «19 av 32»; per scale side by side: «9 av 13 · 12 av 14»
        assert cards[s.started_label] == started and started in numbers.values(), unit
        assert cards[s.done_label] == s.done_text in numbers.values(), unit
        scales = shown["status"]["scales"]
        assert [f"{x['started']} av {x['measures']}" for x in scales] == started.split(" · ")
        assert shown["status"]["headline"] == s.headline and s.headline in titles
    if b is not None and b.result_effect is not None:
        assert numbers["prognosert resultat mot budsjett"] == cards["Resultat mot budsjett"]
        assert shown["budget"]["headline"] == b.headline
        assert b.headline in titles or not len(b.steps)
    if t is not None and len(t.judged):
        assert numbers["resultatmål er nådd eller i rute"] == cards["Resultatmål i rute"]
        assert shown["targets"]["headline"] == t.headline
    res = v.resources
    if res is not None:  # ambitions against resources: summary, slides and page say the same
        said = shown["resources"]
        assert said["headlines"]["funding"] == res.funding_title and said["gap"] == res.gap
        questions = [res.funding_title, res.timing_title, res.risk_title, res.goals_title]
        if not res.by_owner.empty:
            questions.append(res.owners_title)
        for key, title in (("timing", res.timing_title), ("owners", res.owners_title)):
            assert said["headlines"][key] == title, unit
        assert (said["need"], said["granted"]) == (res.need, res.granted), unit
        if res.n:
            assert set(questions) <= set(titles), unit
        e = res if res.evaluation_title else res.previous
        if e is not None and e.evaluation_title:
            assert said["evaluation"]["headline"] == e.evaluation_title in titles, unit
            assert said["evaluation"]["causes"] == {str(k): int(n) for k, n in e.causes.items()}
        if res.comparison:  # this plan beside the last: summary, the evaluation slide, the page
            assert said["comparison"] == res.comparison, unit
            assert any(f"{res.comparison}." in x.bullets for x in slides), unit
        if event == newest:
            at = pages.run("ressurser", enhet=unit)
            page = plain_titles(at)
            assert set(questions) <= set(page), (unit, set(questions) - set(page))
            if e is not None and e.evaluation_title:
                assert e.evaluation_title in page, unit
            if res.comparison:
                assert any(res.comparison in m.value for m in at.markdown), unit
    check_economy(pages, v, shown["economy"], titles, event == newest)
    p = v.peers_in(None)
    if p is not None:  # the comparison with peers: summary, slide and page say the same
        main = next(
            x
            for x in data["peers"]
            if x["unit"] == unit and x["main"] and x["group"] == p.group.key
        )
        assert main["title"] == p.main.title in titles, unit
    if event == newest:
        check_pages(pages, unit, cards, s, b, t)
        if p is not None:
            assert p.main.title in plain_titles(pages.run("indikatorer", enhet=unit)), unit
    else:
        check_presentation(pages, unit, v, numbers)


def check_economy(pages: Pages, v, said: dict | None, titles: list[str], newest: bool) -> None:
    """The economy (issue 26): summary --json, the slides and the page «Økonomi» agree."""
    e, unit = v.economy, v.pin.unit
    assert (said is None) == (e is None), unit
    if e is None:
        return
    heads = {}
    for key, part in (("income", e.income), ("fte", e.fte), ("costs", e.costs)):
        if part is not None:
            assert said[key]["headline"] == part.title in titles, (unit, key)
            heads[key] = part.title
    if e.space is not None:
        assert said["space"]["headline"] == e.space.title, unit
        heads["space"] = e.space.title
    if e.grants is not None:
        g = said["grants"]
        assert g["headline"] == e.grants.title in titles, unit
        assert (g["applied"], g["to_give"], g["gap"], g["to_cut"]) == (
            e.grants.applied,
            e.grants.total,
            e.grants.gap,
            e.grants.to_cut,
        ), unit
    if e.costs is not None:
        assert said["costs"]["realised"] == e.costs.realised, unit
        assert said["costs"]["linked_headline"] == e.costs.links_title, unit
        assert said["costs"]["not_found"] == [cell for _, cell in e.costs.unlinked], unit
    if e.phd is not None:  # PhD degrees per department: summary, slide and page
        assert said["phd"]["headline"] == e.phd.title in titles, unit
        assert said["phd"]["total"] == e.phd.total, unit
        heads["phd"] = e.phd.title
    if newest:
        at = pages.run("okonomi", enhet=unit)
        assert set(heads.values()) <= set(plain_titles(at)), unit
        if e.grants is not None:
            assert any(e.grants.title in m.value for m in at.markdown), unit


def check_pages(pages: Pages, unit: str, cards: dict, s, b, t) -> None:
    at = pages.run("oversikt", enhet=unit)
    assert {m.label: m.value for m in at.metric} == cards, unit
    if s is not None:
        assert s.headline in chart_titles(pages.run("maloppnaelse", enhet=unit)), unit
    if b is not None:
        assert b.headline in chart_titles(pages.run("budsjett", enhet=unit)), unit
    if t is not None and len(t.with_values):
        assert t.headline in chart_titles(pages.run("indikatorer", enhet=unit)), unit


def check_presentation(pages: Pages, unit: str, v, numbers: dict) -> None:
    params = {"enhet": unit, **v.pin.to_params(), "lysbilde": "2"}
    at = pages.run("presentasjon", **params)
    text = " ".join(TAGS.sub(" ", m.value) for m in at.markdown)
    for number in numbers.values():
        assert number in text, (unit, number)


class Recorded(Pages):
    """Pages that keep each run, so the runs a unit's checks made are read once more for the
    surfaces check (tests/helpers/surfaces.py) without running them again."""

    def __init__(self, db: Path, monkeypatch) -> None:
        super().__init__(db, monkeypatch)
        self.shown: list[tuple[str, object]] = []

    def run(self, page: str, **params: str):
        at = super().run(page, **params)
        self.shown.append((page, at))
        return at


def check_words(pages: Recorded, con, unit: str, event: int) -> None:
    """Every chart title, headline, metric and figure in a caption on the pages just run is
    text the unit's view produced (the pages show the newest data); the rounds page is opened
    for it here (the deck's slides and the summary are read for every unit in test_surfaces)."""
    pages.run("runder", enhet=unit)
    q = query(con)
    strings = view_strings(view(q, resolve(q, unit, event)))
    bad = offences([t for page, at in pages.shown for t in page_texts(page, at)], strings)
    assert not bad, "\n".join(f"{unit}: {t.surface}: «{t.text}»" for t in bad)


def walk(db: Path, monkeypatch, pinned_share: float) -> int:
    pages = Recorded(db, monkeypatch)
    con = store.connect(db)
    newest = store.data_version(con)
    checked = 0
    try:
        for event in (newest, max(1, int(newest * pinned_share))):
            data = summarise(con, event)
            for unit in [u["unit"] for u in data["units"]]:
                pages.shown.clear()
                check_unit(pages, con, data, unit, event, newest)
                if event == newest:
                    check_words(pages, con, unit, event)
                checked += 1
    finally:
        con.close()
    return checked


def test_every_surface_agrees_on_the_demo(demo_db, monkeypatch):
    assert walk(demo_db, monkeypatch, 0.5) >= 14


def test_every_surface_agrees_on_the_100x_database(large_db, monkeypatch):
    assert walk(large_db, monkeypatch, 0.6) >= 100


def test_the_pdf_says_what_the_slides_say(demo_db):
    pypdf = pytest.importorskip("pypdf")
    from dashboard.present import deck_pdf

    if not Path(deck_pdf.CHROMIUM).exists():
        pytest.skip("no Chromium")
    con = store.connect(demo_db)
    q = query(con)
    newest = store.data_version(con)
    try:
        for unit, event in (("MH", newest), ("NTNU", newest), ("IØT", newest), ("MH", newest // 2)):
            v = view(q, resolve(q, unit, event))
            slides = deck.build(v)
            pdf = deck_pdf.render(slides, f"Målbilde · {unit}")
            reader = pypdf.PdfReader(io.BytesIO(pdf))
            text = " ".join(p.extract_text() for p in reader.pages)
            text = re.sub(r"\s+", " ", text.replace("\u00a0", " "))
            for number in slide_numbers(slides).values():
                assert number.replace("\u00a0", " ") in text, (unit, event, number)
            for card in v.cards:
                if card.value != "–":
                    assert card.value.replace("\u00a0", " ") in text, (unit, card)
    finally:
        con.close()
