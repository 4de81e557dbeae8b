"""Reporting rounds end to end: open a round from the demo plan, send every unit its workbook,
take them back filled the way people fill them, see who has reported, close the round."""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest

from dashboard import store
from dashboard.config import Settings
from dashboard.errors import UserError
from dashboard.model import rounds as model
from dashboard.model.pin import Pin
from dashboard.round_format import ABOUT_SHEET, HEADERS, STATUS_SHEET
from dashboard.service import imports, rounds
from tests.rounds_helpers import (
    LABEL,
    PLAN,
    SOFFICE,
    fill,
    libreoffice_save,
    open_demo_round,
    rows_of,
    stored_round,
    write_workbooks,
)


@pytest.fixture
def db(demo_db: Path) -> Path:
    """A private copy of the session's demo database (conftest's `demo_db`)."""
    return demo_db


@pytest.fixture
def con(db):
    c = store.connect(db)
    yield c
    c.close()


def q_of(con):
    return lambda name, **p: store.query(con, name, p)


def figures(con, round_id=None, today=dt.date(2020, 6, 1)) -> model.RoundFigures:
    q = q_of(con)
    return model.round_figures(q, Pin("MH", store.data_version(con)), round_id, today)


def take(con, db, round_id, files: list[Path]) -> rounds.Batch:
    return rounds.take_back(con, Settings.from_env(db), round_id, [(p, p.name) for p in files])


def test_round_trip(db, con, tmp_path):
    """Filled the way people do: one unit in full (saved by LibreOffice when it is here), one
    returned blank, one with comments only, one not at all, one renamed with its rows sorted
    the other way; taken back as one batch, the stored round is what was written."""
    rid = open_demo_round(db)
    books = write_workbooks(con, rid, tmp_path / "ut")
    assert set(books) == {"MH", "MH-INB", "MH-ISB", "MH-IKOM", "MH-ISM"}
    expected: dict[tuple[str, str], tuple] = {}

    mh = {}
    for i, row in enumerate(rows_of(books["MH"])):
        score = i % 6
        mh[row[0]] = {"Ny status": f"{score} – x", "Ny kommentar": f"Kommentar {i}"}
        expected[("MH", row[3])] = (score, None, f"Kommentar {i}", None)
    full = fill(books["MH"], mh, tmp_path / "inn" / "MH.xlsx")
    if SOFFICE:
        full = libreoffice_save(full, tmp_path / "lo")
    elif os.environ.get("CI"):  # scripts/test.sh installs LibreOffice Calc: never skip it there
        pytest.fail("LibreOffice (soffice) is missing: the round trip needs a file saved by it")

    blank = fill(books["MH-INB"], {}, tmp_path / "inn" / "INB.xlsx")

    isb = {}
    for i, row in enumerate(rows_of(books["MH-ISB"])[:4]):
        isb[row[0]] = {"Ny kommentar": f"Bare kommentar {i}"}
        expected[("MH-ISB", row[3])] = (None, None, f"Bare kommentar {i}", None)
    comments = fill(books["MH-ISB"], isb, tmp_path / "inn" / "ISB.xlsx")

    ism = {}
    for i, row in enumerate(rows_of(books["MH-ISM"])):
        ism[row[0]] = {"Ny status": 4 if i % 2 else "3", "Ansvarlig": "Ola Nordmann"}
        expected[("MH-ISM", row[3])] = (4 if i % 2 else 3, None, None, "Ola Nordmann")
    renamed = fill(books["MH-ISM"], ism, tmp_path / "inn" / "svar fra oss (endelig) 2.xlsx", True)

    batch = take(con, db, rid, [full, blank, comments, renamed])
    assert not batch.refused, [f.error for f in batch.refused]
    by_name = {f.name: f for f in batch.files}
    assert by_name[blank.name].nothing_new
    assert by_name[renamed.name].unit == "MH-ISM"
    saved = rounds.save(con, batch, "kari@ntnu.no")
    assert [e for _, _, e in saved] == [None, None, None]

    stored = stored_round(con)
    # the category comes from the score; the comment of a row left without one stays empty
    got = {k: (v[0], None, v[2], v[3]) for k, v in stored.items()}
    for key, want in expected.items():
        assert got[key] == want, key
    assert set(stored) == set(expected)

    r = figures(con, rid)
    states = dict(zip(r.by_unit["unit"], r.by_unit["state"], strict=True))
    assert states == {
        "MH": "rapportert",
        "MH-ISM": "rapportert",
        "MH-ISB": "ikke ennå",
        "MH-INB": "ikke ennå",
        "MH-IKOM": "ikke ennå",
    }
    assert r.headline == "2 av 5 enheter har rapportert; MH-IKOM, MH-INB og MH-ISB mangler"
    assert "MH-IKOM – " in r.reminder and "0 av 11 tiltak besvart" in r.reminder
    assert not r.by_unit["overdue"].any() and "Fristen er passert" not in r.reminder
    # the owner written in MH-ISM's file takes its measures off the list of measures without one
    assert "MH-ISM" not in set(r.no_owner["unit"]) and "MH-INB" in set(r.no_owner["unit"])
    late = figures(con, rid, today=dt.date(2020, 6, 16))  # the day after the due date
    overdue = dict(zip(late.by_unit["unit"], late.by_unit["overdue"], strict=True))
    assert overdue == {
        "MH": False,
        "MH-ISM": False,
        "MH-ISB": True,
        "MH-INB": True,
        "MH-IKOM": True,
    }
    assert "Fristen er passert." in late.reminder
    log = store.query(con, "import_log", {"unit": None})
    mine = log[log["layout"] == "round_return"]
    assert sorted(mine["unit"]) == ["MH", "MH-ISB", "MH-ISM"]
    assert renamed.name in set(mine["file_name"])


def test_an_unchanged_workbook_changes_nothing(db, con, tmp_path):
    rid = open_demo_round(db)
    books = write_workbooks(con, rid, tmp_path)
    before = store.data_version(con)
    batch = take(con, db, rid, list(books.values()))
    assert all(f.nothing_new for f in batch.files), [f.summary for f in batch.files]
    assert rounds.save(con, batch, None) == []
    assert store.data_version(con) == before


def test_generated_workbooks_hold_their_dropdowns_and_locks(db, con, tmp_path):
    rid = open_demo_round(db)
    books = write_workbooks(con, rid, tmp_path / "ut")
    checks = [books["MH-INB"]]
    if SOFFICE:
        checks.append(libreoffice_save(books["MH-INB"], tmp_path / "lo"))
    for path in checks:
        wb = openpyxl.load_workbook(path)
        ws = wb[STATUS_SHEET]
        assert ws.protection.sheet and wb[ABOUT_SHEET].protection.sheet, path
        assert ws["A6"].protection.locked and ws["D6"].protection.locked
        status_col = "ABCDEFGHIJ"[HEADERS.index("Ny status")]
        assert not ws[f"{status_col}6"].protection.locked
        kinds = {dv.type: str(dv.sqref) for dv in ws.data_validations.dataValidation}
        assert kinds["list"].startswith(f"{status_col}6"), kinds
        assert "date" in kinds
        assert "MH-INB" in ws["A1"].value and LABEL in ws["A1"].value
        assert wb["Lister"].sheet_state == "hidden"
        assert [wb["Lister"].cell(i, 1).value for i in (1, 6)] == [
            "0 – Ikke igangsatt",
            "5 – Rapportert",
        ]


def _one_answer(book: Path, target: Path, value, header="Ny status", row=0) -> Path:
    key = rows_of(book)[row][0]
    return fill(book, {key: {header: value}}, target)


@pytest.mark.parametrize(
    ("value", "header", "says"),
    [
        (7, "Ny status", "fant «7» (utenfor skalaen 0–5)"),
        ("3,5", "Ny status", "fant «3,5» (ikke et helt tall)"),
        ("kanskje", "Ny status", "Status «kanskje» er utenfor skalaen"),
        ("snart", "Planlagt slutt", "Planlagt slutt «snart» er ikke en dato"),
    ],
)
def test_a_cell_outside_the_scale_is_refused_by_its_cell(db, con, tmp_path, value, header, says):
    rid = open_demo_round(db)
    books = write_workbooks(con, rid, tmp_path / "ut")
    bad = _one_answer(books["MH-INB"], tmp_path / "bad.xlsx", value, header)
    good = _one_answer(books["MH-ISB"], tmp_path / "good.xlsx", "2")
    batch = take(con, db, rid, [bad, good])
    (refused,) = batch.refused
    col = "ABCDEFGHIJ"[HEADERS.index(header)]
    assert refused.name == "bad.xlsx" and f"{STATUS_SHEET}!{col}6" in refused.error
    assert says in refused.error
    assert [f.name for f in batch.ready] == ["good.xlsx"]


def test_keys_rounds_and_duplicates_are_refused_naming_file_and_cell(db, con, tmp_path):
    rid = open_demo_round(db)
    books = write_workbooks(con, rid, tmp_path / "ut")
    # a changed key
    changed = _one_answer(books["MH-INB"], tmp_path / "endret.xlsx", "MH-INB-99", "Nøkkel", 2)
    # a key of another unit
    other = _one_answer(books["MH-ISB"], tmp_path / "annen.xlsx", "MH-INB-01", "Nøkkel", 0)
    # the same measure answered differently in two files
    twice_a = _one_answer(books["MH-ISM"], tmp_path / "a.xlsx", "2")
    twice_b = _one_answer(books["MH-ISM"], tmp_path / "b.xlsx", "4")
    # a file that is not a round workbook at all
    foreign = _plain_status(tmp_path)
    fine = _one_answer(books["MH-IKOM"], tmp_path / "ok.xlsx", "5")
    batch = take(con, db, rid, [changed, other, twice_a, twice_b, foreign, fine])
    errors = {f.name: f.error for f in batch.files if f.error}
    assert (
        "endret.xlsx, Status!A8: Nøkkelen «MH-INB-99» finnes ikke i runden" in errors["endret.xlsx"]
    )
    assert "Nøkkelen «MH-INB-01» tilhører MH-INB, ikke MH-ISB" in errors["annen.xlsx"]
    assert "Status!A6" in errors["annen.xlsx"]
    for name in ("a.xlsx", "b.xlsx"):
        assert "besvart både i a.xlsx (Status!G6) og i b.xlsx (Status!G6)" in errors[name]
    assert "ikke en arbeidsbok fra en rapporteringsrunde" in errors[foreign.name]
    assert [f.name for f in batch.ready] == ["ok.xlsx"]
    rounds.save(con, batch, None)
    assert set(u for u, _ in stored_round(con)) == {"MH-IKOM"}


def _plain_status(tmp_path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active.append(["Område", "Tiltak", "Status"])
    wb.active.append(["Utdanning", "Noe", 3])
    path = tmp_path / "vanlig_status.xlsx"
    wb.save(path)
    return path


def test_a_workbook_of_another_round_or_a_closed_round_is_refused(db, con, tmp_path):
    rid = open_demo_round(db)
    other = rounds.open_round(con, "MH", "Årsplan 2023", "Status juni 2024", None, None)
    books = write_workbooks(con, other, tmp_path / "annen")
    answered = fill(
        books["MH"],
        {rows_of(books["MH"])[0][0]: {"Ny status": "Under arbeid"}},
        tmp_path / "x.xlsx",
    )
    batch = take(con, db, rid, [answered])
    assert "for en annen rapporteringsrunde" in batch.files[0].error
    assert batch.files[0].error.startswith("x.xlsx")
    # the right round takes it (text statuses: the category)
    ok = take(con, db, other, [answered])
    assert ok.ready and [a["category"] for a in ok.files[0].answers] == ["Under arbeid"]
    rounds.close_round(con, other, None)
    closed = take(con, db, other, [answered])
    assert "er lukket" in closed.files[0].error
    with pytest.raises(rounds.RoundRefused):
        rounds.save(con, ok, None)


def test_zip_of_returns_and_a_later_file_keeps_earlier_answers_and_undo_per_file(db, con, tmp_path):
    rid = open_demo_round(db)
    books = write_workbooks(con, rid, tmp_path / "ut")
    keys = [r[0] for r in rows_of(books["MH-INB"])]
    first = fill(books["MH-INB"], {k: {"Ny status": "2"} for k in keys[:5]}, tmp_path / "f1.xlsx")
    archive = tmp_path / "svar.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(first, "innkomne/f1.xlsx")
    batch = take(con, db, rid, [archive])
    assert [f.name for f in batch.ready] == ["svar.zip/f1.xlsx"]
    (one,) = [i for _, i, _ in rounds.save(con, batch, None)]
    second = fill(books["MH-INB"], {k: {"Ny status": "3"} for k in keys[5:]}, tmp_path / "f2.xlsx")
    batch = take(con, db, rid, [second])
    assert batch.files[0].replaces == one
    (two,) = [i for _, i, _ in rounds.save(con, batch, None)]
    r = figures(con, rid)
    inb = r.by_unit.set_index("unit").loc["MH-INB"]
    assert (inb["answered"], inb["asked"], inb["state"]) == (11, 11, "rapportert")
    imports.undo(con, two, None)  # undo works per returned file
    r = figures(con, rid)
    assert r.by_unit.set_index("unit").loc["MH-INB", "answered"] == 5
    imports.undo(con, one, None)
    assert figures(con, rid).by_unit.set_index("unit").loc["MH-INB", "answered"] == 0


def test_measures_added_and_ended_and_what_the_round_flags(db, con, tmp_path):
    rid = open_demo_round(db)
    key = rounds.add_measure(
        con, rid, "MH-INB", "Nytt tiltak for veiledning", "Utdanning", None, None
    )
    assert key == "MH-INB-12"
    rounds.end_measure(con, rid, "MH-INB-01", "Slått sammen med MH-INB-02", None)
    with pytest.raises(rounds.RoundRefused, match="Skriv hvorfor"):
        rounds.end_measure(con, rid, "MH-INB-02", " ", None)
    books = write_workbooks(con, rid, tmp_path)
    inb_keys = [r[0] for r in rows_of(books["MH-INB"])]
    assert "MH-INB-12" in inb_keys and "MH-INB-01" not in inb_keys
    r = figures(con, rid)
    assert r.n_asked == 76 and len(r.ended) == 1
    assert r.ended.iloc[0]["ended_reason"] == "Slått sammen med MH-INB-02"
    assert len(r.no_owner) == 76  # the demo's plans name no owners
    # «står stille»: the same status in the newest two reports in a row or more, not done
    before = figures(con, rid).stale
    assert set(before["unit"]) == {"MH"} and set(before["rounds"]) == {2}  # juni 2019 = 2019
    mh = rows_of(books["MH"])
    same = {row[0]: {"Ny status": row[4].split(" ")[0]} for row in mh if row[4]}
    batch = take(con, db, rid, [fill(books["MH"], same, tmp_path / "mh.xlsx")])
    rounds.save(con, batch, None)
    stale = figures(con, rid).stale
    history = store.query(con, "status_history", {"unit": "MH", "plan": PLAN, "event": None})
    levels = history.pivot_table(index="measure_key", columns="round", values="score")
    levels = levels[["Status juni 2019", "Status 2019", LABEL]]  # oldest first
    newest = levels[LABEL]
    run = (levels.eq(newest, axis=0)).iloc[:, ::-1].cumprod(axis=1).sum(axis=1)
    still = run[(run >= 2) & (newest < 4)]
    assert len(stale) == len(still) > len(before)
    assert sorted(stale["rounds"]) == sorted(still)  # three reports alike: 3, two: 2
    assert set(stale["rounds"]) == {2, 3}
    assert not stale["status"].str.match(r"[45] ").any()  # done is not standing still


def test_opening_a_round_is_refused_when_it_cannot_be(db, con):
    with pytest.raises(rounds.RoundRefused, match="ingen statusrapport"):
        rounds.open_round(con, "IØT", PLAN, "Status 2020", None, None)
    for older in ("Status 2019", "status juni 2019"):  # the newest report, and one before it
        with pytest.raises(rounds.RoundRefused, match="allerede en rapport"):
            rounds.open_round(con, "MH", PLAN, older, None, None)
    rounds.open_round(con, "MH", PLAN, LABEL, None, None)
    with pytest.raises(rounds.RoundRefused, match="er åpen"):
        rounds.open_round(con, "MH", PLAN, "Status desember 2020", None, None)


def test_a_round_workbook_dropped_on_the_upload_page_is_sent_to_the_round_page(db, con, tmp_path):
    rid = open_demo_round(db)
    books = write_workbooks(con, rid, tmp_path)
    with pytest.raises(UserError, match="arbeidsbok fra en rapporteringsrunde"):
        imports.preview(con, books["MH-INB"], Settings.from_env(db), None, "inb.xlsx")


def test_the_preview_lists_each_new_answer_against_the_last_round(db, con, tmp_path):
    rid = open_demo_round(db)
    books = write_workbooks(con, rid, tmp_path)
    first = rows_of(books["MH-INB"])[0]
    filled = fill(books["MH-INB"], {first[0]: {"Ny status": "5", "Ny kommentar": "Ferdig"}})
    (f,) = take(con, db, rid, [filled]).files
    assert f.changes == [
        {
            "Nøkkel": first[0],
            "Tiltak": first[3],
            "Forrige status": first[4],
            "Ny status": "5 Rapportert",
            "Ny kommentar": "Ferdig",
            "Ansvarlig": "",
        }
    ]


def test_the_command_line_runs_a_round(db, tmp_path, capsys):
    from dashboard.cli import main

    base = ["--db", str(db)]
    assert (
        main(
            [
                "round",
                "open",
                "--unit",
                "MH",
                "--plan",
                PLAN,
                "--label",
                LABEL,
                "--due",
                "2020-06-15",
                *base,
            ]
        )
        == 0
    )
    assert main(["round", "export", "1", "--out", str(tmp_path / "ut"), *base]) == 0
    book = tmp_path / "ut" / "status_juni_2020_MH-INB.xlsx"
    filled = fill(book, {r[0]: {"Ny status": "4"} for r in rows_of(book)}, tmp_path / "inb.xlsx")
    assert main(["round", "take-back", "1", str(filled), *base]) == 0
    assert "1 filer lagret" in capsys.readouterr().out
    assert main(["round", "close", "1", *base]) == 0
    assert main(["summary", *base]) == 0
    text = capsys.readouterr().out
    assert f"nr. 1 MH · {PLAN} · {LABEL} (lukket" in text
    assert "1 av 5 enheter har rapportert; MH, MH-IKOM, MH-ISB og MH-ISM svarte ikke" in text


def test_two_files_of_one_unit_in_a_batch_and_a_damaged_zip(db, con, tmp_path):
    """Two people answer half each for one unit: both halves are kept, though each file still
    shows every measure's owner and planned end as sent out. A damaged zip in the same batch is
    refused by name and the rest goes on."""
    rid = open_demo_round(db)
    con.execute(
        "update round_measures set owner = 'Kari Nordmann', planned_end = date '2021-12-31' "
        "where unit = 'MH-ISM' and round_id = ?",
        [rid],
    )
    books = write_workbooks(con, rid, tmp_path / "ut")
    keys = [r[0] for r in rows_of(books["MH-ISM"])]
    half_a = fill(books["MH-ISM"], {k: {"Ny status": "1"} for k in keys[:6]}, tmp_path / "a.xlsx")
    half_b = fill(books["MH-ISM"], {k: {"Ny status": "2"} for k in keys[6:]}, tmp_path / "b.xlsx")
    broken = tmp_path / "svar.zip"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    batch = take(con, db, rid, [half_a, broken, half_b])
    errors = {f.name: f.error for f in batch.refused}
    assert list(errors) == ["svar.zip"], errors
    assert [f.name for f in batch.ready] == ["a.xlsx", "b.xlsx"]
    rounds.save(con, batch, None)
    ism = figures(con, rid).by_unit.set_index("unit").loc["MH-ISM"]
    assert (ism["answered"], ism["state"]) == (11, "rapportert")
    scores = sorted(v[0] for k, v in stored_round(con, "MH-ISM").items())
    assert scores == [1] * 6 + [2] * 5


def test_send_out_as_one_zip_or_one_unit(db, con):
    """«Last ned arbeidsbøker»: one zip with a workbook per unit (the same files as one by one),
    and one unit's workbook alone; a unit outside the round is refused by name."""
    import io

    rid = open_demo_round(db)
    books = rounds.workbooks(con, rid)
    with zipfile.ZipFile(io.BytesIO(rounds.zip_workbooks(con, rid))) as z:
        assert sorted(z.namelist()) == sorted(books)
        for name in z.namelist():
            wb = openpyxl.load_workbook(io.BytesIO(z.read(name)))
            assert wb.sheetnames[0] and wb[STATUS_SHEET].max_row > 1
    alone = openpyxl.load_workbook(io.BytesIO(rounds.unit_workbook(con, rid, "MH-INB")))
    assert "MH-INB" in str(alone.properties.title or "") + " ".join(
        str(c.value) for row in alone[STATUS_SHEET].iter_rows(max_row=3) for c in row if c.value
    )
    with pytest.raises(rounds.RoundRefused, match="IØT er ikke med i runden"):
        rounds.unit_workbook(con, rid, "IØT")
