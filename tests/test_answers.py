"""Answers in the browser and their approval, at the service level: drafts kept per unit and
round, «Send inn» through the take-back's checks, approval / send back / resubmit, a pinned
view, and rights (a reporter of MH-INB writes nothing outside MH-INB)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard import auth, store
from dashboard.auth import Grant, User
from dashboard.config import Settings
from dashboard.errors import UserError
from dashboard.model.pin import Pin
from dashboard.model.rounds import round_figures
from dashboard.service import answers
from data.generate_demo import build_demo
from tests.rounds_helpers import open_demo_round

INB = User("rapp@ntnu.no", "Rapp", (Grant("rapportør", "MH-INB"),))
LEDER = User("leder@ntnu.no", "Leder", (Grant("leder", "MH"),))


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return build_demo(tmp_path_factory.mktemp("answers") / "demo.duckdb")


@pytest.fixture
def setup(template, tmp_path):
    db = tmp_path / "demo.duckdb"
    shutil.copy(template, db)
    rid = open_demo_round(db)
    con = store.connect(db)
    yield con, Settings.from_env(db), rid
    con.close()


def keys(con, rid, unit="MH-INB") -> list[str]:
    return list(answers.load(con, auth.LOCAL_USER, rid, unit).rows["key"])


def count(con, table: str) -> int:
    return con.execute(f"select count(*) from {table}").fetchone()[0]


def test_a_draft_is_kept_and_restored_for_its_unit(setup):
    con, settings, rid = setup
    k = keys(con, rid)
    answers.save_draft(con, settings, INB, rid, "MH-INB", {k[0]: {"status": "3", "comment": "hei"}})
    form = answers.load(con, INB, rid, "MH-INB")
    assert form.draft_at is not None and form.state["state"] == "utkast"
    first = form.rows.iloc[0]
    assert (first["status"], first["comment"]) == ("3 – Under gjennomføring", "hei")
    other = answers.load(con, auth.LOCAL_USER, rid, "MH-ISB")
    assert other.draft_at is None and other.state["state"] == "ikke påbegynt"


def test_a_reporter_of_inb_cannot_read_or_write_another_unit(setup):
    con, settings, rid = setup
    k = keys(con, rid, "MH-ISB")
    answers.save_draft(con, settings, auth.LOCAL_USER, rid, "MH-ISB", {k[0]: {"status": "2"}})
    before = {t: count(con, t) for t in ("round_drafts", "imports", "import_events")}
    with pytest.raises(auth.NotAllowed):
        answers.load(con, INB, rid, "MH-ISB")
    with pytest.raises(auth.NotAllowed):
        answers.save_draft(con, settings, INB, rid, "MH-ISB", {k[0]: {"status": "4"}})
    with pytest.raises(auth.NotAllowed):
        answers.submit(con, settings, INB, rid, "MH-ISB", {k[0]: {"status": "4"}})
    with pytest.raises(auth.NotAllowed):
        answers.review(con, INB, rid, "MH-INB", True)
    assert before == {t: count(con, t) for t in before}
    assert answers.my_units(INB, answers.round_units(con, rid)) == ["MH-INB"]


def test_submit_checks_the_scale_and_stores_the_units_return(setup):
    con, settings, rid = setup
    k = keys(con, rid)
    before = count(con, "imports")
    with pytest.raises(UserError, match="utenfor skalaen"):
        answers.submit(con, settings, INB, rid, "MH-INB", {k[0]: {"status": "7"}})
    with pytest.raises(UserError, match="ikke et av tiltakene"):
        answers.submit(con, settings, INB, rid, "MH-INB", {"MH-ISB-01": {"status": "2"}})
    assert count(con, "imports") == before
    result = answers.submit(con, settings, INB, rid, "MH-INB", {x: {"status": "4"} for x in k})
    assert result.answered == len(k)
    row = con.execute(
        "select layout, user_name, unit from imports order by import_id desc limit 1"
    ).fetchone()
    assert row == ("round_return", "rapp@ntnu.no", "MH-INB")
    assert answers.state(con, rid, "MH-INB")["state"] == "sendt inn"
    with pytest.raises(UserError, match="Ingen nye svar"):
        answers.submit(con, settings, INB, rid, "MH-INB", {x: {"status": "4"} for x in k})
    answers.submit(con, settings, INB, rid, "MH-INB", {k[0]: {"status": "5", "comment": "ferdig"}})
    changed = answers.changes(con, rid, "MH-INB")
    assert set(changed["Felt"]) == {"Status", "Kommentar"}
    assert list(changed.loc[changed["Felt"] == "Status", "Nå"]) == ["5 Rapportert"]


def test_approval_send_back_resubmit_and_a_pinned_view(setup):
    con, settings, rid = setup
    k = keys(con, rid)
    answers.submit(con, settings, INB, rid, "MH-INB", {x: {"status": "3"} for x in k})
    with pytest.raises(auth.NotAllowed):
        answers.review(
            con, User("x@ntnu.no", "X", (Grant("leder", "MH-ISB"),)), rid, "MH-INB", True
        )
    with pytest.raises(UserError, match="hva som må rettes"):
        answers.review(con, LEDER, rid, "MH-INB", False, "")
    answers.review(con, LEDER, rid, "MH-INB", False, "Tiltak 01 mangler kommentar")
    pinned = store.data_version(con)
    form = answers.load(con, INB, rid, "MH-INB")
    assert form.state["state"] == "sendt tilbake"
    assert form.state["comment"] == "Tiltak 01 mangler kommentar"
    answers.submit(con, settings, INB, rid, "MH-INB", {k[0]: {"comment": "Nå med kommentar"}})
    answers.review(con, LEDER, rid, "MH-INB", True)
    with pytest.raises(UserError, match="er godkjent"):
        answers.save_draft(con, settings, INB, rid, "MH-INB", {k[0]: {"status": "1"}})

    def q(name, **p):
        return store.query(con, name, p)

    now = round_figures(q, Pin("MH", store.data_version(con)), rid)
    assert now.approved == ["MH-INB"]
    assert now.approval_text.startswith("Svarene fra MH-INB er godkjent")
    then = round_figures(q, Pin("MH", pinned), rid)
    assert then.approval_of["MH-INB"] == "sendt tilbake" and then.approved == []
