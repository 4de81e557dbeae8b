"""Tampered returns of a reporting round, as a department (or an attacker) would make them: the
unit, the control code, the round id or the keys changed, rows swapped, duplicated or given
another unit's key, check values and measure texts edited, rows of ended measures answered.
Every answer lands on the right measure of the right unit, or nowhere; every refusal is a
sentence naming the file (and the cell); the round workbook holds no formula."""

from __future__ import annotations

import io
import random
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest

from dashboard import store
from dashboard.config import ROOT, Settings
from dashboard.errors import UserError
from dashboard.round_format import (
    ABOUT_SHEET,
    CHECK_HEADER,
    HEADER_ROW,
    HEADERS,
    STATUS_SHEET,
)
from dashboard.service import rounds
from dashboard.service.rounds.common import get_round
from dashboard.store.server_key import server_key
from tests.rounds_helpers import COL, PLAN, open_demo_round, stored_round


@pytest.fixture
def db(demo_db: Path) -> Path:
    """A private copy of the session's demo database (tests/conftest.py), one per test."""
    return demo_db


@pytest.fixture
def con(db):
    c = store.connect(db)
    yield c
    c.close()


CHECK_COL = len(HEADERS) + 1
UNITS = ("MH", "MH-INB", "MH-ISB", "MH-IKOM", "MH-ISM")


# ---- workbooks as openpyxl sees them
def sent_out(con, rid: int) -> dict[str, bytes]:
    """{unit: workbook bytes} of every unit of the round, as sent out."""
    return {_unit_of(data): data for data in rounds.workbooks(con, rid).values()}


def _unit_of(data: bytes) -> str:
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    try:
        return next(r[1] for r in wb[ABOUT_SHEET].iter_rows(values_only=True) if r[0] == "Enhet")
    finally:
        wb.close()


def about_cell(wb, label: str):
    ws = wb[ABOUT_SHEET]
    return next(row[1] for row in ws.iter_rows() if row[0].value == label)


def codes_of(books: dict[str, bytes]) -> dict[str, str]:
    return {unit: about_cell(load(data), "Kontrollkode").value for unit, data in books.items()}


def data_rows(ws) -> list[int]:
    return [r for r in range(HEADER_ROW + 1, ws.max_row + 1) if ws.cell(r, 1).value]


def load(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def save(wb, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def answer_all(wb, tag: str, score_of=lambda i: i % 6) -> dict[str, tuple[str, int]]:
    """Write a status and a unique comment on every row; {comment: (title, score)}."""
    ws = wb[STATUS_SHEET]
    written = {}
    for i, r in enumerate(data_rows(ws)):
        comment, score = f"{tag} rad {i}", score_of(i)
        ws.cell(r, COL["Ny status"]).value = f"{score} – x"
        ws.cell(r, COL["Ny kommentar"]).value = comment
        written[comment] = (ws.cell(r, COL["Tiltak"]).value, score)
    return written


def take(con, db, rid, files: list[Path]) -> rounds.Batch:
    return rounds.take_back(con, Settings.from_env(db), rid, [(p, p.name) for p in files])


def refusal(batch: rounds.Batch, name: str) -> str:
    (f,) = [f for f in batch.files if f.name == name]
    assert f.error, f.summary
    return f.error


# ---- item 1: a control code per unit
def test_each_unit_has_its_own_code_and_another_units_workbook_is_refused(db, con, tmp_path):
    rid = open_demo_round(db)
    books = sent_out(con, rid)
    codes = codes_of(books)
    assert len(set(codes.values())) == len(UNITS)  # one per unit, none the round's
    r = get_round(con, rid)
    assert r["token"] not in codes.values()
    assert codes["MH-INB"] == rounds.control_code(server_key(con), r, "MH-INB")
    assert sent_out(con, rid).keys() == books.keys()  # the key is kept: the same codes again
    assert about_cell(load(sent_out(con, rid)["MH-INB"]), "Kontrollkode").value == codes["MH-INB"]

    # MH-INB's workbook made to look like MH-IKOM's: the unit and every key changed
    wb = load(books["MH-INB"])
    cell = about_cell(wb, "Enhet")
    cell.value = "MH-IKOM"
    ws = wb[STATUS_SHEET]
    for i, row in enumerate(data_rows(ws), start=1):
        ws.cell(row, 1).value = f"MH-IKOM-{i:02d}"
        ws.cell(row, COL["Ny status"]).value = "5"
    forged = save(wb, tmp_path / "ikom.xlsx")
    # and MH-IKOM's own workbook with MH-INB's code written in it
    wb = load(books["MH-IKOM"])
    about_cell(wb, "Kontrollkode").value = codes["MH-INB"]
    reused = save(wb, tmp_path / "gjenbrukt.xlsx")
    batch = take(con, db, rid, [forged, reused])
    code_cell = f"{ABOUT_SHEET}!{about_cell(wb, 'Kontrollkode').coordinate}"
    error = refusal(batch, "ikom.xlsx")
    assert error.startswith(f"ikom.xlsx, {code_cell}: Kontrollkoden")
    assert f"hører ikke til enheten «MH-IKOM» ({ABOUT_SHEET}!{cell.coordinate})" in error
    assert "Kontrollkoden" in refusal(batch, "gjenbrukt.xlsx")
    rounds.save(con, batch, None)
    assert stored_round(con) == {}


def test_the_key_is_one_per_database_and_a_read_only_one_without_it_says_so(db, con, tmp_path):
    rid = open_demo_round(db)
    con.close()
    ro = store.connect(db, read_only=True)
    try:
        with pytest.raises(UserError, match="Databasen kan ikke skrives"):
            rounds.workbooks(ro, rid)
    finally:
        ro.close()
    rw = store.connect(db)
    try:
        key = server_key(rw)
        assert len(key) == 32 and server_key(rw) == key
        books = sent_out(rw, rid)
        rw.execute("checkpoint")
        shutil.copy(db, tmp_path / "kopi.duckdb")  # a copy of the file keeps its key
    finally:
        rw.close()
    ro = store.connect(tmp_path / "kopi.duckdb", read_only=True)
    try:
        assert server_key(ro) == key
        assert codes_of(sent_out(ro, rid)) == codes_of(books)
    finally:
        ro.close()


def test_a_workbook_sent_out_before_the_codes_per_unit_is_refused(db, con, tmp_path):
    """A workbook of the old kind carries the round's one code and has no check column."""
    rid = open_demo_round(db)
    wb = load(sent_out(con, rid)["MH-ISB"])
    about_cell(wb, "Kontrollkode").value = get_round(con, rid)["token"]
    wb[STATUS_SHEET].delete_cols(CHECK_COL)
    old = save(wb, tmp_path / "gammel.xlsx")
    error = refusal(take(con, db, rid, [old]), "gammel.xlsx")
    assert "før hver enhet fikk sin egen kontrollkode" in error
    assert "Last ned arbeidsboka på nytt" in error


def test_a_workbook_without_its_check_column_is_refused(db, con, tmp_path):
    rid = open_demo_round(db)
    wb = load(sent_out(con, rid)["MH-ISB"])
    assert wb[STATUS_SHEET].cell(HEADER_ROW, CHECK_COL).value == CHECK_HEADER
    assert wb[STATUS_SHEET].column_dimensions["K"].hidden
    wb[STATUS_SHEET].delete_cols(CHECK_COL)
    error = refusal(take(con, db, rid, [save(wb, tmp_path / "uten.xlsx")]), "uten.xlsx")
    assert f"mangler kolonnen «{CHECK_HEADER}»" in error and "på nytt" in error


def test_a_code_or_check_value_in_other_letters_is_a_sentence(db, con, tmp_path):
    rid = open_demo_round(db)
    book = sent_out(con, rid)["MH-ISB"]
    wb = load(book)
    about_cell(wb, "Kontrollkode").value = "ÆØÅ-\u202e"
    code = save(wb, tmp_path / "kode.xlsx")
    wb = load(book)
    wb[STATUS_SHEET].cell(HEADER_ROW + 1, CHECK_COL).value = "Kontrollverdi ø"
    check = save(wb, tmp_path / "verdi.xlsx")
    batch = take(con, db, rid, [code, check])
    assert "Kontrollkoden «ÆØÅ-" in refusal(batch, "kode.xlsx")
    assert refusal(batch, "verdi.xlsx").startswith("verdi.xlsx, Status!K6: Kontrollverdien")


# ---- item 2: every row matched by key and by what was sent out
def test_swapped_keys_are_refused_naming_the_cell(db, con, tmp_path):
    rid = open_demo_round(db)
    book = sent_out(con, rid)["MH-INB"]
    files = []
    for what, columns in (("nokler", (1,)), ("med_kontroll", (1, CHECK_COL))):
        wb = load(book)
        ws = wb[STATUS_SHEET]
        answer_all(wb, what)
        a, b = data_rows(ws)[2:4]
        for c in columns:
            ws.cell(a, c).value, ws.cell(b, c).value = ws.cell(b, c).value, ws.cell(a, c).value
        files.append(save(wb, tmp_path / f"{what}.xlsx"))
    batch = take(con, db, rid, files)
    keys = refusal(batch, "nokler.xlsx")
    assert keys.startswith("nokler.xlsx, Status!K8: Kontrollverdien på raden passer ikke")
    both = refusal(batch, "med_kontroll.xlsx")
    assert both.startswith("med_kontroll.xlsx, Status!D8: Tiltaket på raden")
    rounds.save(con, batch, None)
    assert stored_round(con) == {}


def test_sorted_and_renamed_returns_and_a_lower_case_code_are_taken(db, con, tmp_path):
    rid = open_demo_round(db)
    wb = load(sent_out(con, rid)["MH-ISM"])
    written = answer_all(wb, "sortert")
    ws = wb[STATUS_SHEET]
    rows = data_rows(ws)
    values = [[ws.cell(r, c).value for c in range(1, CHECK_COL + 1)] for r in rows]
    random.Random(4).shuffle(values)
    for r, row in zip(rows, values, strict=True):
        for c, value in enumerate(row, start=1):
            ws.cell(r, c).value = value
    code = about_cell(wb, "Kontrollkode")
    code.value = code.value.lower()
    batch = take(con, db, rid, [save(wb, tmp_path / "svar fra oss (2).xlsx")])
    assert batch.ready, [f.error for f in batch.files]
    rounds.save(con, batch, None)
    got = {title: (v[0], v[2]) for (_, title), v in stored_round(con, "MH-ISM").items()}
    assert got == {title: (score, comment) for comment, (title, score) in written.items()}


# ---- item 3: an ended measure's row is passed over with a note
def test_an_ended_measures_row_is_passed_over_and_the_rest_taken(db, con, tmp_path):
    rid = open_demo_round(db)
    wb = load(sent_out(con, rid)["MH-INB"])
    written = answer_all(wb, "inb")
    rounds.end_measure(con, rid, "MH-INB-03", "Slått sammen med MH-INB-04", None)
    ended_title = next(t for t, _ in written.values() if t == _title(con, rid, "MH-INB-03"))
    batch = take(con, db, rid, [save(wb, tmp_path / "inb.xlsx")])
    (f,) = batch.ready
    (note,) = [w for w in f.warnings if "avsluttet" in w]
    assert "Tiltak MH-INB-03" in note and "Status!A8" in note and "hoppet over" in note
    rounds.save(con, batch, None)
    got = stored_round(con, "MH-INB")
    assert len(got) == 10 and ("MH-INB", ended_title) not in got


def _title(con, rid: int, key: str) -> str:
    rows = rounds.progress(con, rid)
    return rows[rows["key"] == key].iloc[0]["title"]


# ---- item 4: each file's own checks before the cross-file check
def test_a_file_with_another_units_key_never_gets_that_units_file_refused(db, con, tmp_path):
    rid = open_demo_round(db)
    books = sent_out(con, rid)
    inb = load(books["MH-INB"])
    answer_all(inb, "inb")
    good = save(inb, tmp_path / "inb.xlsx")
    isb = load(books["MH-ISB"])
    answer_all(isb, "isb", score_of=lambda i: 1)
    isb[STATUS_SHEET].cell(HEADER_ROW + 1, 1).value = "MH-INB-01"
    bad = save(isb, tmp_path / "isb.xlsx")
    batch = take(con, db, rid, [bad, good])
    assert [f.name for f in batch.ready] == ["inb.xlsx"]
    error = refusal(batch, "isb.xlsx")
    assert "isb.xlsx, Status!A6: Nøkkelen «MH-INB-01» tilhører MH-INB, ikke MH-ISB" in error
    assert "besvart både i" not in error


# ---- item 5: no formula in a round workbook
def test_texts_that_look_like_formulas_are_written_as_text(db, con, tmp_path):
    label = '=HYPERLINK("http://127.0.0.1:9/r","runde")'
    rid = rounds.open_round(con, "MH", PLAN, label, None, None)
    hostile = ("=1+1", "+SUM(A1:A2)", "-2+3", "@SUM(1)")
    keys = [f"MH-INB-{i:02d}" for i in range(1, 5)]
    for key, text in zip(keys, hostile, strict=True):
        con.execute(
            "update round_measures set title = ? || title, prev_comment = ? "
            "where round_id = ? and key = ?",
            [text + " ", f'=HYPERLINK("http://127.0.0.1:9/{key}","x")', rid, key],
        )
    data = sent_out(con, rid)["MH-INB"]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in z.read(n) for n in sheets)
    wb = load(data)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    assert about_cell(wb, "Runde").value == "'" + label
    ws = wb[STATUS_SHEET]
    assert ws["F6"].value == "'" + '=HYPERLINK("http://127.0.0.1:9/MH-INB-01","x")'
    assert ws["D6"].value.startswith("'=1+1 ")
    # returned, the texts are still those sent out
    answer_all(wb, "inb")
    batch = take(con, db, rid, [save(wb, tmp_path / "inb.xlsx")])
    assert batch.ready, [f.error for f in batch.files]


# ---- the command line
def test_the_command_line_takes_a_batch_with_a_tampered_file(db, con, tmp_path):
    rid = open_demo_round(db)
    books = sent_out(con, rid)
    good = load(books["MH-ISB"])
    answer_all(good, "isb")
    bad = load(books["MH-INB"])
    answer_all(bad, "inb")
    about_cell(bad, "Enhet").value = "MH-ISB"
    rounds.end_measure(con, rid, "MH-ISB-02", "Ferdig før runden", None)
    con.close()
    files = [save(good, tmp_path / "isb.xlsx"), save(bad, tmp_path / "falsk.xlsx")]
    run = subprocess.run(
        [sys.executable, "-m", "dashboard", "round", "take-back", str(rid), *map(str, files)]
        + ["--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert "falsk.xlsx, Om arbeidsboka!B" in run.stderr  # the file and cell, named once
    assert "Kontrollkoden" in run.stderr and "1 filer lagret" in run.stdout
    assert "isb.xlsx: Tiltak MH-ISB-02" in run.stdout and "hoppet over" in run.stdout


# ---- the fuzz test: a few hundred tampered returns
@dataclass
class Made:
    """One tampered (or honest) return: its file, its true unit, and whether it must be refused."""

    path: Path
    unit: str
    refuse: bool
    kind: str
    written: dict[str, tuple[str, int]] = field(default_factory=dict)


def _swap(ws, a: int, b: int, columns) -> None:
    for c in columns:
        ws.cell(a, c).value, ws.cell(b, c).value = ws.cell(b, c).value, ws.cell(a, c).value


def _flip(text: str, rng: random.Random) -> str:
    """One letter or digit of a code changed (a dash or the case is no change)."""
    i = rng.choice([j for j, c in enumerate(text) if c != "-"])
    other = rng.choice([c for c in "ABCDEFGHJKLMNPQRSTUVWXYZ234567" if c != text[i].upper()])
    return text[:i] + other + text[i + 1 :]


def _tamper(kind: str, wb, unit: str, rng: random.Random, ctx: dict) -> None:
    """Change `wb` (unit's workbook, answered) the way `kind` says."""
    ws = wb[STATUS_SHEET]
    rows = data_rows(ws)
    a, b = rng.sample(rows, 2)
    other = rng.choice([u for u in UNITS if u != unit])
    if kind == "enhet":
        about_cell(wb, "Enhet").value = other
    elif kind == "enhet_og_nokler":
        about_cell(wb, "Enhet").value = other
        for i, r in enumerate(rows):
            ws.cell(r, 1).value = ctx["keys"][other][i % len(ctx["keys"][other])]
    elif kind == "kode":
        cell = about_cell(wb, "Kontrollkode")
        choices = [_flip(cell.value, rng), ctx["codes"][other], ctx["token"], "", "ÆØÅ\u202e"]
        cell.value = rng.choice(choices)
    elif kind == "runde_id":
        about_cell(wb, "Runde-ID").value = rng.choice([ctx["rid"] + 1, ctx["rid"] - 1, 0, 99999])
    elif kind == "bytt_nokler":
        _swap(ws, a, b, rng.choice([(1,), (1, CHECK_COL)]))
    elif kind == "dobbel_rad":
        target = ws.max_row + 1
        for c in range(1, CHECK_COL + 1):
            ws.cell(target, c).value = ws.cell(a, c).value
        ws.cell(target, COL["Ny kommentar"]).value = "dobbel"
    elif kind == "kontrollverdi":
        cell = ws.cell(a, CHECK_COL)
        cell.value = rng.choice(
            [_flip(cell.value, rng), None, ws.cell(b, CHECK_COL).value, "ø" + cell.value[1:]]
        )
    elif kind == "tekst":
        cell = ws.cell(a, COL["Tiltak"])
        cell.value = rng.choice([f"{cell.value} (endret)", ws.cell(b, COL["Tiltak"]).value, None])
    elif kind == "annen_enhets_nokkel":
        ws.cell(a, 1).value = rng.choice(ctx["keys"][other])
        if rng.random() < 0.5:
            ws.cell(a, CHECK_COL).value = rng.choice(ctx["checks"][other])
    elif kind == "ukjent_nokkel":
        ws.cell(a, 1).value = rng.choice([f"{unit}-99", f"{unit}-1", f"{unit.lower()}-01", "X"])
    elif kind == "uten_kontroll":
        ws.delete_cols(CHECK_COL)
    else:
        raise AssertionError(kind)


TAMPERED = (
    "enhet",
    "enhet_og_nokler",
    "kode",
    "runde_id",
    "bytt_nokler",
    "dobbel_rad",
    "kontrollverdi",
    "tekst",
    "annen_enhets_nokkel",
    "ukjent_nokkel",
    "uten_kontroll",
)


def _honest(wb, rng: random.Random) -> None:
    """What a department may do: sort the rows, answer some of them only, write the code in
    lower case."""
    ws = wb[STATUS_SHEET]
    rows = data_rows(ws)
    if rng.random() < 0.5:
        values = [[ws.cell(r, c).value for c in range(1, CHECK_COL + 1)] for r in rows]
        rng.shuffle(values)
        for r, row in zip(rows, values, strict=True):
            for c, value in enumerate(row, start=1):
                ws.cell(r, c).value = value
    if rng.random() < 0.3:
        cell = about_cell(wb, "Kontrollkode")
        cell.value = cell.value.lower()


def _make(n: int, unit: str, kind: str | None, rng, ctx, folder: Path) -> Made:
    wb = load(ctx["books"][unit])
    tag = f"f{n} {unit}"
    written = answer_all(wb, tag, score_of=lambda i: rng.randrange(6))
    if kind is None:
        _honest(wb, rng)
    else:
        _tamper(kind, wb, unit, rng, ctx)
    path = save(wb, folder / f"{n:03d}_{kind or 'ærlig'}.xlsx")
    return Made(path, unit, kind is not None, kind or "ærlig", written)


def _context(con, rid: int) -> dict:
    books = sent_out(con, rid)
    keys, checks, codes = {}, {}, {}
    for unit, data in books.items():
        wb = load(data)
        ws = wb[STATUS_SHEET]
        keys[unit] = [ws.cell(r, 1).value for r in data_rows(ws)]
        checks[unit] = [ws.cell(r, CHECK_COL).value for r in data_rows(ws)]
        codes[unit] = about_cell(wb, "Kontrollkode").value
    token = get_round(con, rid)["token"]
    return {"books": books, "keys": keys, "checks": checks, "codes": codes, "rid": rid} | {
        "token": token
    }


def test_fuzz_tampered_returns_land_on_their_own_measure_or_nowhere(db, con, tmp_path):
    """Seeded: 15 batches of 20 returns made from the round as sent out (15 tampered, one
    honest per unit), two measures ended after sending out. Each file is taken or refused with
    a sentence naming it; a tampered one is always refused; every stored answer is one its
    true unit wrote beside that very measure."""
    rng = random.Random(2024)
    rid = open_demo_round(db)
    ctx = _context(con, rid)
    ended = {"MH-INB-02": "MH-INB", "MH-ISM-05": "MH-ISM"}
    ended_titles = {(u, _title(con, rid, k)) for k, u in ended.items()}
    for key in ended:
        rounds.end_measure(con, rid, key, "Avsluttet i fuzz-testen", None)
    truth: dict[str, tuple[str, str]] = {}  # comment → (true unit, measure)
    scores: set[tuple[str, str, int]] = set()
    n = 0
    for batch_no in range(15):
        made = []
        for _ in range(15):
            unit = rng.choice(UNITS)
            made.append(_make(n, unit, rng.choice(TAMPERED), rng, ctx, tmp_path / "inn"))
            n += 1
        for unit in UNITS:
            made.append(_make(n, unit, None, rng, ctx, tmp_path / "inn"))
            n += 1
        rng.shuffle(made)
        for m in made:
            for comment, (title, score) in m.written.items():
                truth[comment] = (m.unit, title)
                scores.add((m.unit, title, score))
        batch = take(con, db, rid, [m.path for m in made])
        by_name = {f.name: f for f in batch.files}
        assert set(by_name) == {m.path.name for m in made}
        for m in made:
            f = by_name[m.path.name]
            if m.refuse:
                assert f.error, (batch_no, m.kind, f.summary)
            else:
                assert f.error is None, (batch_no, m.kind, f.error)
                assert f.unit == m.unit and f.ok
                passed_over = [w for w in f.warnings if "er avsluttet i runden" in w]
                assert len(passed_over) == (m.unit in ended.values())
            if f.error:
                assert f.error.startswith(f"{f.name}") and len(f.error) > len(f.name) + 20
                assert "Traceback" not in f.error and f.error.rstrip().endswith(".")
        rounds.save(con, batch, None)
        stored = stored_round(con)
        honest = {
            (m.unit, title): (score, comment)
            for m in made
            if not m.refuse
            for comment, (title, score) in m.written.items()
            if (m.unit, title) not in ended_titles
        }  # each unit's honest file answers every measure: it is what the round holds now
        assert {k: (v[0], v[2]) for k, v in stored.items()} == honest, batch_no
        for (unit, title), (score, _category, comment, _owner) in stored.items():
            assert truth[comment] == (unit, title), (batch_no, unit, title, comment)
            assert (unit, title, score) in scores
            assert (unit, title) not in ended_titles
    assert n == 300
