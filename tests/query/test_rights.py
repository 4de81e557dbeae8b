"""Rights per unit on the server: every write as a user of another unit is refused and writes
nothing; the same write by a user with the role for the unit succeeds; pages show only the
actions the user may take."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth, store
from dashboard.config import ROOT, Settings
from dashboard.service import imports, rounds
from tests.conftest import make_workbook
from tests.helpers.app import AUTH_SECRETS as AUTH
from tests.rounds_helpers import LABEL, PLAN, fill, write_workbooks

ROLES = auth.Roles(
    users={
        "mh@ntnu.no": (auth.Grant("økonomi", "MH"),),
        "iv@ntnu.no": (auth.Grant("økonomi", "IV"),),
        "inb@ntnu.no": (auth.Grant("leder", "MH-INB"),),
        "sjef@ntnu.no": (auth.Grant("admin", "NTNU"),),
    }
)
MH = ROLES.user("mh@ntnu.no", "MH-økonomi")
OTHER = ROLES.user("iv@ntnu.no", "IV-økonomi")  # another faculty
LEADER = ROLES.user("inb@ntnu.no", "INB-leder")  # a lower role, for a unit below
OUTSIDER = ROLES.user("ukjent@uio.no", None)  # not in the roles file: read only
WRONG = (OTHER, LEADER, OUTSIDER)
PROG = ["Bevilgningsramme BFV", "Budsjett i år", "Prognose i år", "Prognostisert budsjettavvik"]


@pytest.fixture
def db(demo_db: Path) -> Path:
    """A private copy of the session's demo database (conftest's `demo_db`)."""
    return demo_db


@pytest.fixture
def con(db):
    c = store.connect(db)
    yield c
    c.close()


def written(con) -> tuple:
    """Everything a write could change: the data version, imports, events and rounds."""
    one = lambda sql: con.execute(sql).fetchone()  # noqa: E731
    return (
        store.data_version(con),
        one("select count(*), max(import_id) from imports where outcome = 'ok'"),
        one("select count(*) from import_events"),
        one("select count(*), count(closed_event) from rounds"),
        one("select count(*), count(ended_event) from round_measures"),
    )


def refused(con, action) -> None:
    """`action(user)` raises NotAllowed for every wrong user and changes nothing."""
    before = written(con)
    for user in WRONG:
        with pytest.raises(auth.NotAllowed, match="har ikke lov til å"):
            action(user)
        assert written(con) == before


def prognosis(tmp_path: Path, month: str, result: int) -> Path:
    return make_workbook(
        tmp_path / f"{month}.xlsx",
        {"P": [[f"Prognose pr. {month} 2023 (MH)"], PROG, ["Resultat", -100, result, 50]]},
    )


def test_upload_undo_roll_back_by_unit(con, db, tmp_path):
    settings = Settings.from_env(db)
    first = imports.preview(con, prognosis(tmp_path, "juni", -150), settings)
    assert imports.file_units(first.result) == ["MH"]
    refused(con, lambda u: imports.save(con, first.result, u))
    one = imports.save(con, first.result, MH).import_id
    later = imports.preview(con, prognosis(tmp_path, "oktober", -180), settings)
    refused(con, lambda u: imports.save(con, later.result, u))
    two = imports.save(con, later.result, MH).import_id
    refused(con, lambda u: imports.undo(con, two, u))
    imports.undo(con, two, MH)
    refused(con, lambda u: imports.roll_back(con, two, u))
    imports.roll_back(con, two, MH)
    who = con.execute(
        "select import_id, user_name from imports where import_id in (?, ?)", [one, two]
    ).fetchall()
    assert set(who) == {(one, "mh@ntnu.no"), (two, "mh@ntnu.no")}
    events = con.execute(
        "select action, user_name from import_events where import_id = ? order by event_id",
        [two],
    ).fetchall()
    assert ("angret", "mh@ntnu.no") in events and events[-1][1] == "mh@ntnu.no"


def test_rule_table_needs_admin_of_ntnu(con, monkeypatch, tmp_path):
    monkeypatch.setenv("MALBILDE_STATUS_RULES", str(tmp_path / "rules.toml"))
    rows = [("forsinket", "Forsinket")]
    refused(con, lambda u: imports.save_status_rules(con, rows, u))
    with pytest.raises(auth.NotAllowed):
        imports.save_status_rules(con, rows, MH)  # økonomi of a faculty is not enough
    assert not (tmp_path / "rules.toml").exists()
    boss = ROLES.user("sjef@ntnu.no", None)
    assert imports.save_status_rules(con, rows, boss) == 1
    assert con.execute(
        "select user_name from import_events where action = 'regeltabell endret'"
    ).fetchall() == [("sjef@ntnu.no",)]


def test_every_round_action_by_unit(con, db, tmp_path):
    refused(con, lambda u: rounds.open_round(con, "MH", PLAN, LABEL, None, u))
    rid = rounds.open_round(con, "MH", PLAN, LABEL, None, MH)
    refused(con, lambda u: rounds.add_measure(con, rid, "MH-INB", "Nytt", None, None, u))
    key = rounds.add_measure(con, rid, "MH-INB", "Nytt tiltak", None, None, MH)
    refused(con, lambda u: rounds.end_measure(con, rid, key, "Slått sammen", u))
    rounds.end_measure(con, rid, key, "Slått sammen", MH)
    for export in (
        lambda u: rounds.workbooks(con, rid, u),
        lambda u: rounds.zip_workbooks(con, rid, u),
        lambda u: rounds.unit_workbook(con, rid, "MH-INB", u),
    ):
        refused(con, export)
        assert export(MH)
    books = write_workbooks(con, rid, tmp_path / "ut")  # the command line: local user
    answer = {"MH-INB-01": {"Ny status": 4, "Ny kommentar": "Godt i gang"}}
    path = fill(books["MH-INB"], answer, tmp_path / "inn" / "INB.xlsx")
    files = [(path, path.name)]
    settings = Settings.from_env(db)
    refused(con, lambda u: rounds.take_back(con, settings, rid, files, u))
    batch = rounds.take_back(con, settings, rid, files, MH)
    assert batch.ready, [f.summary for f in batch.files]
    refused(con, lambda u: rounds.save(con, batch, u))
    (saved,) = rounds.save(con, batch, MH)
    assert saved[1] is not None
    refused(con, lambda u: rounds.close_round(con, rid, u))
    rounds.close_round(con, rid, MH)
    events = con.execute(
        "select action, user_name from import_events where action like 'runde%' order by 1"
    ).fetchall()
    assert events and {who for _, who in events} == {"mh@ntnu.no"}
    assert con.execute("select opened_by, closed_by from rounds where round_id = ?", [rid])
    assert con.execute(
        "select opened_by, closed_by from rounds where round_id = ?", [rid]
    ).fetchone() == ("mh@ntnu.no", "mh@ntnu.no")


def test_command_line_label_is_the_local_user():
    assert auth.acting("ola").local and auth.acting("ola").label == "ola"
    assert auth.acting(None) is auth.LOCAL_USER
    assert auth.acting(OTHER) is OTHER


def page(monkeypatch, db, tmp_path, email: str, path: str) -> AppTest:
    roles = tmp_path / "roles.toml"
    roles.write_text(
        'default = "leser"\n[users]\n"mh@ntnu.no" = {role = "økonomi", unit = "MH"}\n'
        '"iv@ntnu.no" = {role = "økonomi", unit = "IV"}\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("MALBILDE_ROLES", str(roles))
    monkeypatch.setenv("MALBILDE_DB", str(db))
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120)
    at.user = {"email": email, "is_logged_in": True}
    at.secrets = AUTH
    at.query_params["enhet"] = "MH"
    at.switch_page(path)
    return at.run()


@pytest.mark.parametrize("email, may", [("iv@ntnu.no", False), ("mh@ntnu.no", True)])
def test_rounds_page_shows_actions_only_to_the_unit(monkeypatch, db, tmp_path, email, may):
    con = store.connect(db)
    rounds.open_round(con, "MH", PLAN, LABEL, None, MH)
    con.close()
    at = page(monkeypatch, db, tmp_path, email, "app_pages/runder.py")
    assert not at.exception
    buttons = {b.key for b in at.button}
    assert ("runde-lukk" in buttons) is may
    downloads = {b.key for b in at.get("download_button")}
    assert ({"runde-zip", "runde-en"} <= downloads) is may
    assert ("runde-zip" in downloads) is may
