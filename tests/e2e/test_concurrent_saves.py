"""Simultaneous «Lagre» on «Last opp», through the real page in headless Chromium: four
sessions press it at the same moment, 20 rounds. Two different files both land, once each;
the same file pressed in two sessions lands once, and the other is told it is already stored.
The server pauses inside each save (MALBILDE_TEST_PAUSE_IN_SAVE) so the saves overlap."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from dashboard import store
from tests.browser import CHROMIUM, launch, serve, upload
from tests.conftest import make_workbook

pytestmark = pytest.mark.browser
ROUNDS = 20
PROG = ["Bevilgningsramme BFV", "Budsjett i år", "Prognose i år", "Prognostisert budsjettavvik"]
CLICK_SAVE = (
    "() => { const b = document.querySelector('[class*=\"st-key-lagre-\"] button');"
    " if (!b) return false; b.click(); return true; }"
)
OUTCOME = (
    "() => { const t = document.querySelector('[data-testid=\"stMain\"]').innerText;"
    " return t.includes('Lagret som import nr.') ? 'lagret'"
    " : t.includes('allerede importert') ? 'finnes' : t.includes('feilet') ? 'feilet' : null; }"
)

if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
    pytest.skip("no Chromium on this machine", allow_module_level=True)


def prognosis(path: Path, result: int) -> Path:
    return make_workbook(
        path,
        {
            "P": [
                ["Prognose pr. oktober 2023"],
                ["Fakultet for medisin og helsevitenskap (MH)"],
                PROG,
                ["Resultat", -45785, result, -45785 - result],
            ]
        },
    )


def open_with(page, url: str, path: Path) -> None:
    """A fresh session on «Last opp» with one file read and previewed."""
    upload(page, url, path)
    page.get_by_role("button", name="Lagre", exact=True).wait_for(timeout=60000)


def test_simultaneous_saves_through_the_page(tmp_path):
    from playwright.sync_api import sync_playwright

    db = tmp_path / "samtidig.duckdb"
    store.connect(db).close()
    different, same = [], []
    for i in range(ROUNDS):
        different.append(
            (
                prognosis(tmp_path / f"a{i}.xlsx", -50000 - 2 * i),
                prognosis(tmp_path / f"b{i}.xlsx", -50001 - 2 * i),
            )
        )
        same.append(prognosis(tmp_path / f"s{i}.xlsx", -60000 - i))
    outcomes = []
    with (
        serve(db, {"MALBILDE_TEST_PAUSE_IN_SAVE": "0.3", "MALBILDE_WARM_PARSER": "0"}) as url,
        sync_playwright() as p,
    ):
        browser = launch(p)
        pages = [browser.new_page(viewport={"width": 1280, "height": 720}) for _ in range(4)]
        for (a, b), s in zip(different, same, strict=True):
            for page, path in zip(pages, (a, b, s, s), strict=True):
                open_with(page, url, path)
            assert all(page.evaluate(CLICK_SAVE) for page in pages)  # the same moment
            for page in pages:
                page.wait_for_function(OUTCOME, timeout=60000, polling=100)
            outcomes.append([page.evaluate(OUTCOME) for page in pages])
        browser.close()
    for a_out, b_out, *same_out in outcomes:
        assert (a_out, b_out) == ("lagret", "lagret"), outcomes
        assert sorted(same_out) == ["finnes", "lagret"], outcomes
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        "select file_name, count(*) filter (where outcome = 'ok'), count(*) filter "
        "(where outcome = 'failed') from imports group by file_name"
    ).fetchall()
    con.close()
    stored = {name: (ok, failed) for name, ok, failed in rows}
    files = [p.name for pair in different for p in pair] + [p.name for p in same]
    assert {name: stored.get(name) for name in files} == {name: (1, 0) for name in files}
