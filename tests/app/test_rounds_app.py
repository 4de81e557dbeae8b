"""The round page, Oversikt, the deck and `summary --json` show a reporting round the same way
(AppTest); the browser test of the page is in tests/e2e/test_browser_rounds.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard import store
from dashboard.config import ROOT
from dashboard.model.pin import resolve
from dashboard.model.summary import summarise
from dashboard.model.view import view
from dashboard.present import deck
from tests.helpers.app import Pages, plain_titles
from tests.rounds_helpers import LABEL, demo_with_answers

APP = str(ROOT / "dashboard" / "app.py")
TAGS = re.compile(r"<[^>]+>")


@pytest.fixture(scope="module")
def round_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("round_app") / "demo.duckdb"
    demo_with_answers(db)
    return db


def run(db: Path, monkeypatch, page: str, **params: str):
    return Pages(db, monkeypatch).run(page, **params)


def titles(at) -> list[str]:
    return plain_titles(at)


def test_every_surface_shows_the_round_the_same_way(round_db, monkeypatch):
    con = store.connect(round_db)
    try:
        q = lambda name, **p: store.query(con, name, p)  # noqa: E731
        v = view(q, resolve(q, "MH", store.data_version(con)))
        data = summarise(con)
        r = v.round
        slides = [s.title for s in deck.build(v)]
    finally:
        con.close()
    headline = "2 av 5 enheter har rapportert; MH-IKOM og MH-ISB mangler, MH-ISM delvis"
    assert r.headline == headline and r.is_open
    assert (r.n_answered, r.n_asked) == (32 + 11 + 4, 76)
    mh = next(u for u in data["units"] if u["unit"] == "MH")
    assert mh["round"]["headline"] == headline
    assert [x["headline"] for x in data["rounds"]] == [headline]
    assert mh["status"]["round"] == LABEL
    assert (
        mh["status"]["coverage"] == "bygger på godkjente svar for 32 av 32 tiltak, runden er åpen"
    )
    ism = next(u for u in data["units"] if u["unit"] == "MH-ISM")
    assert (
        ism["status"]["coverage"] == "bygger på godkjente svar for 4 av 11 tiltak, runden er åpen"
    )
    assert headline in slides

    page = run(round_db, monkeypatch, "runder", enhet="MH")
    assert headline in titles(page)
    metrics = {m.label: m.value for m in page.metric}
    assert metrics["Enheter ferdige"] == "2 av 5"
    assert metrics["Tiltak besvart"] == "47 av 76"
    (reminder,) = page.code
    assert (
        "MH-IKOM" in reminder.value
        and "MH-ISM" in reminder.value
        and "MH-INB" not in reminder.value
    )
    assert [t.label for t in page.tabs] == [
        "Send ut",
        "Ta imot svar",
        "Endre tiltak",
        "Lukk runden",
    ]
    assert headline in titles(run(round_db, monkeypatch, "oversikt", enhet="MH"))

    # a department's pages say what its round figures rest on
    status = run(round_db, monkeypatch, "maloppnaelse", enhet="MH-ISM")
    text = " ".join(m.value for m in status.caption).replace("\\", "")
    assert "bygger på godkjente svar for 4 av 11 tiltak, runden er åpen" in text


def test_the_round_page_without_a_round_offers_to_open_one(tmp_path, monkeypatch):
    from tests.helpers.demo import demo_copy

    db = demo_copy(tmp_path / "demo.duckdb")
    page = run(db, monkeypatch, "runder", enhet="MH")
    assert "MH har ingen rapporteringsrunde" in page.info[0].value
    assert [e.label for e in page.expander] == ["Åpne en ny runde"]
    page.text_input[0].input("Status juni 2020")
    page.button[0].click().run()
    assert not page.exception
    assert page.success[0].value == "Runden «Status juni 2020» er åpnet."
    assert page.selectbox(key="runde_valg").value is not None
    assert "0 av 5 enheter har rapportert" in " ".join(titles(page))


def test_closing_the_round_on_the_page(tmp_path, monkeypatch):
    """The workbooks taken back are approved; MH-ISB's answer sent in from the browser is not:
    closing asks first, naming it, and the closed round leaves it out of the figures."""
    from dashboard import auth
    from dashboard.config import Settings
    from dashboard.service import answers

    db = tmp_path / "demo.duckdb"
    rid = demo_with_answers(db)
    con = store.connect(db)
    try:
        own = answers.load(con, auth.LOCAL_USER, rid, "MH-ISB").rows["key"]
        answers.submit(
            con,
            Settings.from_env(db),
            auth.LOCAL_USER,
            rid,
            "MH-ISB",
            {k: {"status": "5"} for k in own},
        )
    finally:
        con.close()
    page = run(db, monkeypatch, "runder", enhet="MH")
    assert page.button(key="runde-lukk").disabled
    page.checkbox(key="runde-lukk-sikker").check().run()
    assert page.button(key="runde-lukk").disabled  # MH-ISB is not approved: it asks first
    assert any("Svarene fra MH-ISB er ikke godkjent" in w.value for w in page.warning)
    page.checkbox(key="runde-lukk-ugodkjent").check().run()
    page.button(key="runde-lukk").click().run()
    assert not page.exception
    assert page.success[0].value == (
        f"Runden «{LABEL}» er lukket. Svarene fra MH-ISB var ikke godkjent og er ikke med i "
        "tallene."
    )
    con = store.connect(db)
    try:
        q = lambda name, **p: store.query(con, name, p)  # noqa: E731
        v = view(q, resolve(q, "MH-ISB", store.data_version(con)))
        assert v.status.round != LABEL  # its answer never counted: the earlier report stands
        note = con.execute(
            "select note from import_events where action = 'runde lukket'"
        ).fetchone()[0]
        assert note.endswith("ikke godkjent og ikke med i tallene: MH-ISB")
    finally:
        con.close()
    assert not page.tabs  # nothing more to do in a closed round
    assert not page.code  # no reminder
    assert "(lukket)" in page.selectbox(key="runde_valg").format_func(
        page.selectbox(key="runde_valg").value
    )
    oversikt = run(db, monkeypatch, "oversikt", enhet="MH")
    assert not any("enheter har rapportert" in t for t in titles(oversikt))


@pytest.mark.parametrize(
    ("email", "may_change"), [("leder@ntnu.no", False), ("okonomi@ntnu.no", True)]
)
def test_only_finance_and_admin_run_a_round(round_db, monkeypatch, tmp_path, email, may_change):
    """A leader (role «leser») sees who has reported, but not the tabs that send out, take back,
    change or close, nor «Åpne en ny runde»; finance staff see them."""
    from streamlit.testing.v1 import AppTest

    from tests.helpers.app import AUTH_SECRETS

    roles = tmp_path / "roles.toml"
    roles.write_text(
        'default = "leser"\n[users]\n"okonomi@ntnu.no" = "økonomi"\n', encoding="utf-8"
    )
    monkeypatch.setenv("MALBILDE_ROLES", str(roles))
    monkeypatch.setenv("MALBILDE_DB", str(round_db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.user = {"email": email, "is_logged_in": True}
    at.secrets = AUTH_SECRETS
    at.query_params["enhet"] = "MH"
    at.run()
    at.switch_page("app_pages/runder.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Enheter ferdige" in [m.label for m in at.metric]  # completeness for everyone
    tabs = [t.label for t in at.tabs]
    assert (tabs == ["Send ut", "Ta imot svar", "Endre tiltak", "Lukk runden"]) is may_change
    assert any(e.label == "Åpne en ny runde" for e in at.expander) is may_change
