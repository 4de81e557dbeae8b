"""Every headline on every surface comes from the read model (issue 27): for every unit of the
demo database and for a sample of the 100× database's, each chart title, header and metric
carrying a figure, each caption's figures, the Excel exports' title rows (pages run by AppTest),
the deck's slides and `summary --json` are strings the unit's `View` holds; and a headline two
surfaces share says the same words with the same numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard import store
from dashboard.model.pin import resolve
from dashboard.model.view import view
from dashboard.present import deck
from tests.helpers import cli
from tests.helpers.app import Pages
from tests.helpers.demo import demo_copy, large_copy
from tests.helpers.surfaces import (
    Text,
    deck_texts,
    disagreements,
    offences,
    page_texts,
    summary_texts,
    view_strings,
)

PAGES = (
    "oversikt",
    "maloppnaelse",
    "budsjett",
    "indikatorer",
    "okonomi",
    "ressurser",
    "runder",
    "presentasjon",
)
LARGE_SAMPLE = 12  # of the 100× database's units whose pages are read: see sample()


def query(con):
    return lambda name, **p: store.query(con, name, p)


def summary(db: Path) -> dict[str, dict]:
    """`summary --json` of the database, per unit (the command line in a child process)."""
    proc = cli.run("summary", "--db", str(db), "--json")
    assert proc.returncode == 0, proc.stderr
    return {u["unit"]: u for u in json.loads(proc.stdout)["units"]}


def unit_texts(pages: Pages | None, con, unit: str, said: dict) -> tuple[set[str], list[Text]]:
    """The unit's view strings, and every text its deck, the summary and (unless `pages` is
    None) its pages and their Excel exports show."""
    q = query(con)
    v = view(q, resolve(q, unit, store.data_version(con)))
    texts = [*deck_texts(deck.build(v)), *summary_texts(said)]
    for page in PAGES if pages is not None else ():
        texts += page_texts(page, pages.run(page, enhet=unit))
    return view_strings(v), texts


def survey(db: Path, monkeypatch, with_pages: list[str] | None = None) -> dict[str, list[Text]]:
    """{OFFENCE: texts that are not the view's; DISAGREE: headlines two surfaces word alike with other
    numbers}, over every unit: its deck and summary, and the pages of those in `with_pages`
    (every unit's for None)."""
    said = summary(db)
    pages = Pages(db, monkeypatch)
    con = store.connect(db)
    found: dict[str, list[Text]] = {}
    try:
        for unit in said:
            shown = with_pages is None or unit in with_pages
            strings, texts = unit_texts(pages if shown else None, con, unit, said[unit])
            for t in offences(texts, strings):
                found.setdefault(OFFENCE, []).append(Text(f"{unit}: {t.surface}", t.kind, t.text))
            for a, b in disagreements(texts):
                found.setdefault(DISAGREE, []).append(
                    Text(f"{unit}: {a.surface} «{a.text}» ≠ {b.surface}", b.kind, b.text)
                )
    finally:
        con.close()
    return found


def message(offending: list[Text]) -> str:
    return "\n".join(f"{t.surface}: «{t.text}» is not the read model's" for t in offending)


@pytest.fixture(scope="module")
def demo_found(tmp_path_factory, monkeypatch_module) -> dict[str, list[Text]]:
    db = demo_copy(tmp_path_factory.mktemp("surfaces") / "demo.duckdb")
    return survey(db, monkeypatch_module)


def sample(db: Path) -> list[str]:
    """The LARGE_SAMPLE units of the 100× database whose pages are read: every unit above the
    departments (NTNU, the faculty: a roll-up and a faculty's own report) and departments spread
    evenly over the rest. The departments are generated alike; all 61 units' eight pages would
    take far longer than the suite may (every unit's deck and summary are read)."""
    con = store.connect(db)
    try:
        units = store.query(con, "units_with_data", {"event": store.data_version(con)})
    finally:
        con.close()
    heads = list(units.loc[units["level"] < 2, "code"])
    rest = list(units.loc[units["level"] >= 2, "code"])
    n = LARGE_SAMPLE - len(heads)
    step = max(1, len(rest) // n)
    return heads + rest[::step][:n]


@pytest.fixture(scope="module")
def large_found(tmp_path_factory, monkeypatch_module) -> dict[str, list[Text]]:
    db = large_copy(tmp_path_factory.mktemp("surfaces") / "large.duckdb")
    return survey(db, monkeypatch_module, sample(db))


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


DATABASES = ("demo_found", "large_found")
OFFENCE = "not the read model's"
DISAGREE = "two surfaces disagree"


@pytest.mark.parametrize("found", DATABASES)
def test_every_headline_is_the_read_models(found, request):
    offending = request.getfixturevalue(found).get(OFFENCE, [])
    assert not offending, message(offending)


@pytest.mark.parametrize("found", DATABASES)
def test_a_headline_says_the_same_on_every_surface(found, request):
    differing = request.getfixturevalue(found).get(DISAGREE, [])
    assert not differing, "\n".join(f"{t.surface}: «{t.text}»" for t in differing)


# ---------------------------------------------------------------- the comparator can fail
def test_a_page_that_words_its_own_headline_fails():
    strings = {"19 av 32 tiltak er i gang", "Resultat mot budsjett", "−1,2 mill."}
    texts = [
        Text("side oversikt", "headline", "19 av 32 tiltak er i gang"),
        Text("side oversikt", "headline", "Tiltak: 2023 → 2024"),
        Text("side oversikt", "caption", "Status: 19 av 32 tiltak er i gang."),
        Text("side budsjett", "caption", "Avvik: 7 av 32 linjer"),
    ]
    bad = offences(texts, strings)
    assert [t.text for t in bad] == ["Tiltak: 2023 → 2024", "Avvik: 7 av 32 linjer"]
    assert "side oversikt: «Tiltak: 2023 → 2024» is not the read model's" in message(bad)


def test_two_surfaces_saying_other_numbers_fail():
    texts = [
        Text("side oversikt", "headline", "19 av 32 tiltak er i gang"),
        Text("lysbilde 2", "headline", "19 av 33 tiltak er i gang"),
        Text("summary --json .status.headline", "headline", "19 av 32 tiltak er i gang"),
    ]
    assert [(a.surface, b.surface) for a, b in disagreements(texts)] == [
        ("side oversikt", "lysbilde 2")
    ]
