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
from dashboard.model.pin import Pin, resolve
from dashboard.model.rounds import round_figures
from dashboard.model.summary import summarise
from dashboard.model.view import view
from dashboard.present import deck
from dashboard.service import answers, rounds
from tests.helpers.demo import demo_copy
from tests.rounds_helpers import LABEL, fill, open_demo_round, rows_of, write_workbooks

INB = User("rapp@ntnu.no", "Rapp", (Grant("rapportør", "MH-INB"),))
LEDER = User("leder@ntnu.no", "Leder", (Grant("leder", "MH"),))


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return demo_copy(tmp_path_factory.mktemp("answers") / "demo.duckdb")


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
    changed = answers.changes(con, INB, rid, "MH-INB")
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


# ---- approved answers are the round's figures
def query(con):
    return lambda name, **p: store.query(con, name, p)


def figures(con, unit: str, event: int | None = None, full: bool = False) -> tuple:
    """The unit's report as the pages see it (View); with `full` also as `summary --json` and
    the deck do, checked to agree."""
    q = query(con)
    event = store.data_version(con) if event is None else event
    v = view(q, resolve(q, unit, event))
    if not full:
        return v, None, None
    data = summarise(con, event)
    own = next(u for u in data["units"] if u["unit"] == unit)
    slides = " ".join(f"{s.title} {s.subtitle}" for s in deck.build(v))
    assert own["status"]["round"] == v.status.round  # the surfaces agree
    return v, own, slides


def test_only_approved_answers_count_and_a_pinned_view_sees_them_as_they_stood(setup):
    con, settings, rid = setup
    k = keys(con, rid)
    before, _, _ = figures(con, "MH-INB")
    answers.submit(con, settings, INB, rid, "MH-INB", {x: {"status": "5"} for x in k})
    sent = store.data_version(con)
    v, own, slides = figures(con, "MH-INB", full=True)
    assert v.status.round == before.status.round != LABEL  # sent in, not approved: absent
    assert v.status.done == before.status.done
    assert v.round.approval_of["MH-INB"] == "sendt inn"
    row = v.round.by_unit.set_index("unit").loc["MH-INB"]
    assert (int(row["answered"]), int(row["counted"])) == (len(k), 0)
    assert "venter: MH-INB" in v.round.figures_text and "venter: MH-INB" in slides
    answers.review(con, LEDER, rid, "MH-INB", True)
    v, own, slides = figures(con, "MH-INB", full=True)
    assert v.status.round == LABEL and v.status.done == len(k)  # approved: present
    assert own["status"]["coverage"] == (
        f"bygger på godkjente svar for {len(k)} av {len(k)} tiltak, runden er åpen"
    )
    assert "godkjent: MH-INB" in slides
    then, own_then, _ = figures(con, "MH-INB", sent, full=True)  # pinned before the approval
    assert then.status.round != LABEL and own_then["status"]["round"] != LABEL
    # sending back withdraws the approval: out of the figures until approved again
    answers.review(con, LEDER, rid, "MH-INB", False, "Tiltak 01 er ikke ferdig")
    assert figures(con, "MH-INB")[0].status.round != LABEL
    form = answers.load(con, INB, rid, "MH-INB")
    assert form.state["comment"] == "Tiltak 01 er ikke ferdig"
    answers.submit(con, settings, INB, rid, "MH-INB", {k[0]: {"status": "3"}})
    changed = answers.changes(con, INB, rid, "MH-INB")
    assert changed.loc[changed["Felt"] == "Status", ["Før", "Nå"]].values.tolist() == [
        ["5 Rapportert", "3 Under gjennomføring"]
    ]
    answers.review(con, LEDER, rid, "MH-INB", True)
    v = figures(con, "MH-INB")[0]
    assert v.status.round == LABEL and v.status.done == len(k) - 1


def test_closing_with_unapproved_answers_is_refused_unless_confirmed(setup):
    con, settings, rid = setup
    k = keys(con, rid)
    answers.submit(con, settings, INB, rid, "MH-INB", {x: {"status": "4"} for x in k})
    events = count(con, "import_events")
    with pytest.raises(UserError, match="MH-INB er ikke godkjent"):
        rounds.close_round(con, rid, auth.LOCAL_USER)
    with pytest.raises(UserError, match="MH-INB er ikke godkjent"):
        rounds.close_round(con, rid, auth.LOCAL_USER, ["MH-ISB"])  # not what was confirmed
    assert count(con, "import_events") == events
    assert rounds.close_round(con, rid, auth.LOCAL_USER, ["MH-INB"]) == ["MH-INB"]
    v = figures(con, "MH-INB")[0]
    assert not v.round.is_open and v.status.round != LABEL  # never approved: never counted
    assert "MH-INB ble ikke godkjent og er ikke med i tallene" in v.round.approval_text
    with pytest.raises(UserError, match="lukket"):
        answers.review(con, LEDER, rid, "MH-INB", True)


def test_a_workbook_the_coordinator_takes_back_is_approved_at_once(setup, tmp_path):
    con, settings, rid = setup
    book = write_workbooks(con, rid, tmp_path / "ut")["MH-ISB"]
    filled = fill(book, {r[0]: {"Ny status": "4 – x"} for r in rows_of(book)}, tmp_path / "i.xlsx")
    before = store.data_version(con)
    batch = rounds.take_back(con, settings, rid, [(filled, filled.name)])
    rounds.save(con, batch, "kari@ntnu.no")
    now = answers.state(con, rid, "MH-ISB")
    assert (now["state"], now["state_by"]) == ("godkjent", "kari@ntnu.no")
    assert now["event_id"] == now["submitted_event"] == store.data_version(con)
    assert figures(con, "MH-ISB")[0].status.round == LABEL
    assert figures(con, "MH-ISB", before)[0].status.round != LABEL
    # the coordinator may still send it back to the unit
    answers.review(con, LEDER, rid, "MH-ISB", False, "Kommentarene mangler")
    assert figures(con, "MH-ISB")[0].status.round != LABEL


def test_a_reporter_of_inb_may_not_act_for_the_round(setup, tmp_path):
    """Closing, taking back, changing measures and reading another unit's answers are refused
    to a reporter of MH-INB, with nothing written."""
    con, settings, rid = setup
    k = keys(con, rid, "MH-ISB")
    answers.submit(con, settings, auth.LOCAL_USER, rid, "MH-ISB", {k[0]: {"status": "2"}})
    before = {t: count(con, t) for t in ("round_reviews", "imports", "import_events", "rounds")}
    book = write_workbooks(con, rid, tmp_path / "ut")["MH-INB"]
    batch = rounds.take_back(con, settings, rid, [(book, book.name)])
    for act in (
        lambda: rounds.close_round(con, rid, INB, True),
        lambda: rounds.save(con, batch, INB),
        lambda: rounds.end_measure(con, rid, k[0], "feil", INB),
        lambda: answers.changes(con, INB, rid, "MH-ISB"),
        lambda: answers.review(con, INB, rid, "MH-ISB", False, "nei"),
    ):
        with pytest.raises(auth.NotAllowed):
            act()
    assert before == {t: count(con, t) for t in before}
