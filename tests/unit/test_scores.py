"""The one 0–5 score parser (`vocab.parse_score`): what it takes and what it refuses, and the
same verdict through every layout that reads a score — a status report's score column, a
column of scores with their meaning, a text-status plan, and a returned round workbook."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest

from dashboard import store
from dashboard.config import Settings
from dashboard.errors import CellError
from dashboard.ingest.layouts.common import Overrides
from dashboard.ingest.pipeline import parse_file
from dashboard.round_format import HEADERS, STATUS_SHEET
from dashboard.service import rounds
from dashboard.vocab import BadScore, Score, parse_score, written_as_score
from tests.helpers.demo import demo_copy
from tests.rounds_helpers import fill, open_demo_round, rows_of, stored_round, write_workbooks

ACCEPTED = [
    (3, Score(3, None)),
    (0, Score(0, None)),
    (5.0, Score(5, None)),
    ("3", Score(3, None)),
    (" 3 ", Score(3, None)),
    ("3,0", Score(3, None)),
    ("3.0", Score(3, None)),
    ("4 - Gjennomført", Score(4, "Gjennomført")),
    ("4 – Gjennomført", Score(4, "Gjennomført")),
    ("0 – Ikke igangsatt", Score(0, "Ikke igangsatt")),  # as the round workbook's list writes it
    ("3 Under gjennomføring", Score(3, "Under gjennomføring")),
    ("4: gjennomført", Score(4, "gjennomført")),
    ("4. Gjennomført", Score(4, "Gjennomført")),
    ("4 (Gjennomført)", Score(4, "Gjennomført")),
    ("3 - Under arbeid", Score(3, "Under arbeid")),  # the unit's own words for a meaning
]

REFUSED = [
    ("3.5", "ikke et helt tall"),
    ("3,5", "ikke et helt tall"),
    (3.5, "ikke et helt tall"),
    ("4.9 nesten ferdig", "ikke et helt tall"),
    ("2-3", "bare ett tall"),
    ("2 – 3", "bare ett tall"),
    ("2-3 Under arbeid", "bare ett tall"),
    ("3/5", "bare ett tall"),
    ("3 av 5", "bare ett tall"),
    ("2 eller 3", "bare ett tall"),
    ("7", "utenfor skalaen 0–5"),
    (7, "utenfor skalaen 0–5"),
    ("-1", "utenfor skalaen 0–5"),
    ("\u22121", "utenfor skalaen 0–5"),
    (-1, "utenfor skalaen 0–5"),
    ("7 Under arbeid", "utenfor skalaen 0–5"),
    (math.inf, "utenfor skalaen 0–5"),
    (10**400, "utenfor skalaen 0–5"),
    (True, "ikke et tall"),
    ("1e3", "bare ett tall"),
    ("4 - Ikke igangsatt", "«Ikke igangsatt» er betydningen av 0"),
    ("3 Gjennomført", "«Gjennomført» er betydningen av 4"),
]

TEXT_STATUSES = ["Utsatt", "Under arbeid: forsinket", "✓ Gjennomført", "- Under arbeid", "I rute"]


@pytest.mark.parametrize(("value", "score"), ACCEPTED)
def test_a_whole_number_or_one_with_its_meaning_is_a_score(value, score):
    assert written_as_score(value)
    assert parse_score(value) == score


@pytest.mark.parametrize(("value", "why"), REFUSED)
def test_anything_else_written_as_a_number_is_refused_saying_what_was_found(value, why):
    assert written_as_score(value)
    with pytest.raises(BadScore) as err:
        parse_score(value)
    message = str(err.value)
    assert "helt tall fra 0 til 5" in message and why in message
    if isinstance(value, str):
        assert f"fant «{value.strip()}»" in message


@pytest.mark.parametrize("value", [None, "", "  ", *TEXT_STATUSES])
def test_blanks_and_text_statuses_are_not_scores(value):
    assert not written_as_score(value)
    assert parse_score(value) is None


# ------------------------------------------------------------------ status reports (Last opp)

HEADER = ["HP nr.", "Tiltak", "Status 0-5", "Kommentar"]


def _status_book(workbook, statuses: list, header: list = HEADER) -> Path:
    """A status report of MH 2022 with one measure per status (the status in column C)."""
    rows = [[i + 1, f"Tiltak {i + 1}", s, None] for i, s in enumerate(statuses)]
    return workbook(
        "mh_handlingsplan_2022.xlsx",
        {"Status 2022": [["Handlingsplan 2022 for MH, status"], header, *rows]},
    )


def _reports(path: Path, settings) -> list[tuple]:
    result = parse_file(path, settings)
    reports = result.parsed.tables["status_reports"]
    return [result.parsed.layout, *((s["score"], s["status_text"], s["category"]) for s in reports)]


def _refused_cell(path: Path, settings) -> CellError:
    with pytest.raises(CellError) as err:
        parse_file(path, settings)
    assert err.value.file == path.name and err.value.sheet == "Status 2022"
    return err.value


@pytest.mark.parametrize("header", [HEADER, ["HP nr.", "Tiltak", "Status", "Kommentar"]])
def test_one_score_with_its_meaning_in_a_numeric_column_is_taken(workbook, settings, header):
    path = _status_book(workbook, [3, 2, "4 - Gjennomført", 1, 0], header)
    assert _reports(path, settings) == [
        "status_scores",
        (3, None, "Under arbeid"),
        (2, None, "Under arbeid"),
        (4, "4 - Gjennomført", "Gjennomført"),
        (1, None, "Under arbeid"),
        (0, None, "Ikke igangsatt"),
    ]


@pytest.mark.parametrize("bad", ["3.5", "3,5", "2-3", "4.9 nesten ferdig", "3/5", "7", "-1"])
@pytest.mark.parametrize(
    "column",
    [
        [3, 2, None, 1],  # numbers
        ["3 - Under arbeid", "2 Tiltak igangsatt", None, "1: Tiltaksplan vedtatt"],  # meanings
        [None, None, None, None],  # the bad cell alone
    ],
    ids=["numbers", "meanings", "alone"],
)
@pytest.mark.parametrize("header", [HEADER, ["HP nr.", "Tiltak", "Status", "Kommentar"]])
def test_a_bad_score_is_refused_naming_its_cell_in_any_column(
    workbook, settings, bad, column, header
):
    statuses = list(column)
    statuses[2] = bad
    err = _refused_cell(_status_book(workbook, statuses, header), settings)
    assert err.cell == "C5"
    assert f"fant «{bad}»" in err.message and "helt tall fra 0 til 5" in err.message


def test_a_column_of_bad_scores_is_refused_at_its_first_cell(workbook, settings):
    """The same verdict for a whole column as for one cell: no column of «3.5» is read as
    text statuses (nor cut to 3)."""
    path = _status_book(workbook, ["3.5", "2.5", "4.9 nesten ferdig"], ["Tiltak", "x", "Status"])
    err = _refused_cell(path, settings)
    assert err.cell == "C3" and "fant «3.5»" in err.message


def test_text_statuses_in_a_score_column_keep_their_category(workbook, settings):
    path = _status_book(workbook, ["3 - Under arbeid", 2, "Utsatt", "-"])
    assert _reports(path, settings) == [
        "status_scores",
        (3, "3 - Under arbeid", "Under arbeid"),
        (2, None, "Under arbeid"),
        (None, "Utsatt", "Utsatt"),
        (None, None, None),  # «-»: not reported
    ]
    err = _refused_cell(_status_book(workbook, [3, 2, "kanskje"]), settings)
    assert err.cell == "C5" and "fant «kanskje»" in err.message


def test_a_column_of_text_categories_stays_a_text_plan(workbook, settings):
    """An annual plan's text statuses are categories; a score written among them gives its
    category (the plan stays one of text statuses), a bad one is refused as anywhere else."""
    header = ["Tiltak", "Periode", "Status", "Kommentar"]
    rows = ["Under arbeid: forsinket", "✓ Gjennomført", "4 - Gjennomført", "Utsatt: pga økonomi"]
    path = workbook(
        "mh_arsplan_2023.xlsx",
        {
            "Status 2022": [["Årsplan 2023 for MH"], header]
            + [[f"Tiltak {i}", 2023, s, None] for i, s in enumerate(rows)]
        },
    )
    result = parse_file(path, settings, Overrides())
    assert result.parsed.layout == "status_text"
    reports = result.parsed.tables["status_reports"]
    assert [(s["score"], s["category"]) for s in reports] == [
        (None, "Forsinket"),
        (None, "Gjennomført"),
        (None, "Gjennomført"),
        (None, "Utsatt"),
    ]
    assert reports[2]["status_text"] == "4 - Gjennomført"
    bad = workbook(
        "mh_arsplan_2023.xlsx",
        {
            "Status 2022": [["Årsplan 2023 for MH"], header]
            + [[f"Tiltak {i}", 2023, s, None] for i, s in enumerate([*rows, "3.5"])]
        },
    )
    err = _refused_cell(bad, settings)
    assert err.cell == "C7" and "fant «3.5»" in err.message


def test_a_round_column_with_one_meaning_among_numbers_is_a_score_column(workbook, settings):
    header = ["HP nr.", "Tiltak", "Status juni 2022", "Status desember 2022"]
    rows = [[1, "A", 2, 3], [2, "B", 1, "4 - Gjennomført"], [3, "C", 0, 1]]
    path = workbook(
        "mh_handlingsplan_2022.xlsx",
        {"Status 2022": [["Handlingsplan 2022 for MH"], header, *rows]},
    )
    result = parse_file(path, settings)
    got = {
        (s["round"], s["measure_key"]): s["score"] for s in result.parsed.tables["status_reports"]
    }
    assert got[("Status desember 2022", "b")] == 4 and got[("Status juni 2022", "b")] == 1
    assert got[("Status desember 2022", "c")] == 1


# ------------------------------------------------------------------ the round's returns


@pytest.fixture(scope="module")
def sent_out(tmp_path_factory) -> tuple[Path, int, dict[str, Path]]:
    """The demo with an open round of MH's plan and every unit's workbook as sent out."""
    folder = tmp_path_factory.mktemp("scores")
    template = demo_copy(folder / "demo.duckdb")
    rid = open_demo_round(template)
    con = store.connect(template)
    try:
        books = write_workbooks(con, rid, folder / "ut")
    finally:
        con.close()
    return template, rid, books


@pytest.fixture
def round_con(sent_out, tmp_path):
    template, _, _ = sent_out
    db = tmp_path / "demo.duckdb"
    shutil.copy(template, db)
    con = store.connect(db)
    yield con, db
    con.close()


NEW_STATUS = f"{'ABCDEFGHIJ'[HEADERS.index('Ny status')]}6"  # the first row's «Ny status»


@pytest.mark.parametrize("bad", ["3.5", "3,5", "2-3", "4.9 nesten ferdig", "3/5", "7", "-1", 3.5])
def test_a_returned_bad_score_is_refused_naming_its_cell(sent_out, round_con, tmp_path, bad):
    _, rid, books = sent_out
    con, db = round_con
    key = rows_of(books["MH-INB"])[0][0]
    path = fill(books["MH-INB"], {key: {"Ny status": bad}}, tmp_path / "svar.xlsx")
    batch = rounds.take_back(con, Settings.from_env(db), rid, [(path, path.name)])
    (refused,) = batch.refused
    assert f"{STATUS_SHEET}!{NEW_STATUS}" in refused.error and "svar.xlsx" in refused.error
    shown = int(bad) if isinstance(bad, float) and bad.is_integer() else bad
    assert "Ny status må være et helt tall fra 0 til 5" in refused.error, refused.error
    assert f"fant «{shown}» (" in refused.error, refused.error  # and why it is no score


def test_a_returned_score_with_its_meaning_is_stored_as_the_score(sent_out, round_con, tmp_path):
    _, rid, books = sent_out
    con, db = round_con
    keys = [row[0] for row in rows_of(books["MH-INB"])[:4]]
    written = ["3 Under gjennomføring", "4 - Gjennomført", "2,0", 5]
    answers = {k: {"Ny status": s} for k, s in zip(keys, written, strict=True)}
    path = fill(books["MH-INB"], answers, tmp_path / "svar.xlsx")
    batch = rounds.take_back(con, Settings.from_env(db), rid, [(path, path.name)])
    assert not batch.refused, [f.error for f in batch.refused]
    rounds.save(con, batch, "kari@ntnu.no")
    titles = {row[0]: row[HEADERS.index("Tiltak")] for row in rows_of(books["MH-INB"])}
    stored = stored_round(con, "MH-INB")
    assert [stored[("MH-INB", titles[k])][0] for k in keys] == [3, 4, 2, 5]
