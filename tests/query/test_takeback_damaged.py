"""Damaged returns in a reporting round's take-back: one file never stops the batch. A damaged
workbook, a «Runde-ID» that is no round number, a failure of any kind in one file, a zip with
members that are not workbooks, lie about their size or carry control characters in their
names: each is a sentence naming the file (and cell), and the rest of the batch goes on. A round
workbook with a damaged «Om arbeidsboka» dropped on Last opp is still sent to the round page.
Ends with a seeded fuzz test of a few hundred damaged returns built from a real export."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import logging
import random
import shutil
import struct
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest

from dashboard import store
from dashboard.config import Settings
from dashboard.errors import UserError
from dashboard.ingest.layouts import round_return
from dashboard.round_format import ABOUT_SHEET, HEADER_ROW, HEADERS, STATUS_SHEET
from dashboard.safe_text import shown_name
from dashboard.service import imports, rounds
from tests.helpers.demo import demo_copy
from tests.rounds_helpers import fill, open_demo_round, rows_of, write_workbooks

UNITS = ("MH", "MH-INB", "MH-ISB", "MH-IKOM", "MH-ISM")


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, int, dict[str, bytes]]:
    """The demo with MH's round open, and every unit's workbook as sent out: (db, round, books)."""
    folder = tmp_path_factory.mktemp("damaged")
    db = demo_copy(folder / "demo.duckdb")
    rid = open_demo_round(db)
    con = store.connect(db)
    try:
        paths = write_workbooks(con, rid, folder / "ut")
    finally:
        con.close()
    return db, rid, {unit: paths[unit].read_bytes() for unit in UNITS}


@pytest.fixture
def db(exported, tmp_path) -> Path:
    """A copy of the exported demo database for one test."""
    return Path(shutil.copy(exported[0], tmp_path / "demo.duckdb"))


@pytest.fixture
def con(db):
    with store.connect(db) as connection:
        yield connection


@pytest.fixture
def rid(exported) -> int:
    return exported[1]


def book(exported, unit: str, folder: Path, name: str | None = None, answer: str = "4") -> Path:
    """`unit`'s workbook as sent out, with `answer` as every measure's new status."""
    sent = folder / f"sent_{unit}.xlsx"
    sent.write_bytes(exported[2][unit])
    answers = {row[0]: {"Ny status": answer} for row in rows_of(sent)}
    return fill(sent, answers, folder / (name or f"{unit}.xlsx"))


def take(con, db, rid, files: list[Path | tuple[Path, str]], **limits) -> rounds.Batch:
    settings = dataclasses.replace(Settings.from_env(db), **limits)
    paths = [f if isinstance(f, tuple) else (f, f.name) for f in files]
    return rounds.take_back(con, settings, rid, paths)


def errors(batch: rounds.Batch) -> dict[str, str]:
    return {f.name: f.error for f in batch.refused}


def set_about(path: Path, label: str, value, target: Path) -> Path:
    """The workbook with the value beside `label` in «Om arbeidsboka» changed."""
    wb = openpyxl.load_workbook(path)
    ws = wb[ABOUT_SHEET]
    (cell,) = [row[1] for row in ws.iter_rows() if row[0].value == label]
    cell.value = value
    wb.save(target)
    return target


def about_cell(path: Path, label: str) -> str:
    ws = openpyxl.load_workbook(path, read_only=True)[ABOUT_SHEET]
    return next(
        f"B{i}"
        for i, row in enumerate(ws.iter_rows(values_only=True), 1)
        if row and row[0] == label
    )


def fingerprint(con) -> tuple:
    """What the database holds: imports, events and stored answers."""
    return tuple(
        con.execute(f"select count(*) from {t}").fetchone()[0]
        for t in ("imports", "import_events", "status_reports", "measures")
    )


# ---- safe names
@pytest.mark.parametrize(
    "raw, shown",
    [
        ("svar\nISB.xlsx", "svar\ufffdISB.xlsx"),
        ("svar\r\n.xlsx", "svar\ufffd\ufffd.xlsx"),
        ("fil\u202exslx.exe", "fil\ufffdxslx.exe"),  # right-to-left override
        ("a\u2066b\u2069.xlsx", "a\ufffdb\ufffd.xlsx"),  # bidi isolates
        ("a\u200bb\ufeff.xlsx", "a\ufffdb\ufffd.xlsx"),  # zero width, byte-order mark
        ("a\u2028b\x1b[31m.xlsx", "a\ufffdb\ufffd[31m.xlsx"),  # line separator, ESC
        ("ikke-utf8-\udcff.xlsx", "ikke-utf8-\ufffd.xlsx"),  # a Linux name that is not UTF-8
        ("Svar fra ISB – juni (endelig) æøå.xlsx", "Svar fra ISB – juni (endelig) æøå.xlsx"),
        ("", ""),
    ],
)
def test_shown_name_replaces_control_and_bidi_characters(raw, shown):
    assert shown_name(raw) == shown
    shown.encode("utf-8")  # printable everywhere


def test_shown_name_cuts_a_long_name_keeping_its_end():
    name = shown_name("x" * 5000 + "_MH-ISB.xlsx")
    assert len(name) == 160 and name.endswith("_MH-ISB.xlsx") and "…" in name


# ---- Runde-ID
@pytest.mark.parametrize(
    "value, number",
    [(7, 7), (7.0, 7), ("7", 7), (" 7 ", 7), ("7,0", 7), ("7.00", 7)]
    + [(v, None) for v in ("inf", "-inf", "1e400", "nan", "-0", "0", "3.7", "3,5", "1e3", "")]
    + [(v, None) for v in (3.7, float("inf"), float("nan"), -0.0, 0, -3, True, 10**30)]
    + [("9" * 400, None), (1e300, None), (None, None)],
)
def test_a_round_number_is_a_whole_number_from_one(value, number):
    assert round_return.round_number(value) == number


@pytest.mark.parametrize(
    "value", ["inf", "1e400", "nan", "-0", "3.7", 3.7, 10**30, "9" * 400, "=1+1", "x" * 30000]
)
def test_a_bad_round_id_refuses_that_file_by_its_cell_and_the_batch_goes_on(
    exported, db, con, rid, tmp_path, value
):
    good = book(exported, "MH-INB", tmp_path)
    isb = book(exported, "MH-ISB", tmp_path)
    bad = set_about(isb, "Runde-ID", value, tmp_path / "isb_runde.xlsx")
    batch = take(con, db, rid, [bad, good])
    cell = about_cell(bad, "Runde-ID")
    assert [f.name for f in batch.ready] == ["MH-INB.xlsx"]
    message = errors(batch)["isb_runde.xlsx"]
    assert message.startswith(f"isb_runde.xlsx, {ABOUT_SHEET}!{cell}: Runde-ID «"), message
    assert "er ikke et rundenummer" in message and len(message) < 400


# ---- damaged files and failures of one file
def central_directory_broken(path: Path, target: Path) -> Path:
    """A workbook whose end record is intact (so it looks like a zip) but whose central
    directory is not: opening it as a zip raises BadZipFile."""
    data = bytearray(path.read_bytes())
    at = data.index(b"PK\x01\x02")
    data[at : at + 4] = b"PK\x09\x09"
    target.write_bytes(bytes(data))
    return target


@pytest.mark.parametrize("name", ["isb.xlsx", "isb.zip", "isb"])
def test_a_workbook_damaged_inside_is_refused_and_the_batch_goes_on(
    exported, db, con, rid, tmp_path, name
):
    broken = central_directory_broken(book(exported, "MH-ISB", tmp_path), tmp_path / name)
    assert zipfile.is_zipfile(broken)
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(broken)
    good = book(exported, "MH-INB", tmp_path)
    batch = take(con, db, rid, [broken, good])
    assert [f.name for f in batch.ready] == ["MH-INB.xlsx"]
    says = {"isb.xlsx": "Fila er skadet", "isb.zip": "Zip-fila er skadet", "isb": "Filtypen"}
    assert errors(batch)[name].startswith(f"{name}: {says[name]}"), errors(batch)


def test_an_unexpected_failure_in_one_file_is_a_sentence_and_is_logged(
    exported, db, con, rid, tmp_path, monkeypatch, caplog
):
    real = round_return.read

    def failing(sheets, file, *args):
        if file == "isb.xlsx":
            raise OverflowError("a bug")
        return real(sheets, file, *args)

    monkeypatch.setattr(round_return, "read", failing)
    isb = book(exported, "MH-ISB", tmp_path, "isb.xlsx")
    good = book(exported, "MH-INB", tmp_path)
    with caplog.at_level(logging.ERROR, logger="dashboard.service.rounds"):
        batch = take(con, db, rid, [isb, good])
    assert [f.name for f in batch.ready] == ["MH-INB.xlsx"]
    assert errors(batch) == {
        "isb.xlsx": "isb.xlsx: Arbeidsboka kunne ikke leses (intern feil: OverflowError). "
        "Feilen er logget; kontakt en administrator."
    }
    assert [r.exc_info[0] for r in caplog.records] == [OverflowError]  # the bug is not hidden


def test_the_command_line_names_every_refused_file_and_stores_the_rest(
    exported, db, rid, tmp_path, capsys
):
    from dashboard.cli import main

    good = book(exported, "MH-INB", tmp_path)
    inf = set_about(book(exported, "MH-ISB", tmp_path), "Runde-ID", "1e400", tmp_path / "inf.xlsx")
    broken = central_directory_broken(book(exported, "MH-IKOM", tmp_path), tmp_path / "b.xlsx")
    odd = tmp_path / "svar\u202e.xlsx"
    shutil.copy(broken, odd)
    missing = tmp_path / "finnes_ikke.xlsx"
    argv = [
        "round",
        "take-back",
        str(rid),
        str(inf),
        str(broken),
        str(missing),
        str(odd),
        str(good),
    ]
    assert main([*argv, "--db", str(db)]) == 1
    out, err = capsys.readouterr()
    lines = sorted(err.splitlines())
    assert len(lines) == 4 and "Traceback" not in err, err
    assert lines[0] == f"{missing}: fant ikke fila."
    assert lines[1].startswith("b.xlsx: Fila er skadet")
    assert lines[2].startswith("inf.xlsx, Om arbeidsboka!B")
    assert lines[3].startswith("svar\ufffd.xlsx: Fila er skadet")
    assert "MH-INB.xlsx: MH-INB: 11 tiltak med nye svar" in out and "1 filer lagret" in out


# ---- zips
def zip_of(target: Path, members: dict[str, bytes], folders: tuple[str, ...] = ()) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for folder in folders:
            zf.writestr(zipfile.ZipInfo(folder), b"")
        for name, data in members.items():
            zf.writestr(name, data)
    return target


def lying_zip(target: Path, real_mb: int, declared: int) -> Path:
    """A zip of one member «svar.xlsx» of `real_mb` MB of zeros whose headers say it unpacks to
    `declared` bytes (in the local header and the central directory alike)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("svar.xlsx", "w", force_zip64=False) as dst:
            block = b"\0" * (1 << 20)
            for _ in range(real_mb):
                dst.write(block)
    data = bytearray(target.read_bytes())
    local = data.index(b"PK\x03\x04")
    struct.pack_into("<I", data, local + 22, declared)
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, declared)
    target.write_bytes(bytes(data))
    return target


def test_every_member_of_a_zip_not_taken_is_named_with_why(exported, db, con, rid, tmp_path):
    inb = book(exported, "MH-INB", tmp_path).read_bytes()
    isb = book(exported, "MH-ISB", tmp_path).read_bytes()
    inner = zip_of(tmp_path / "inner.zip", {"ikom.xlsx": isb}).read_bytes()
    archive = zip_of(
        tmp_path / "svar.zip",
        {
            "inn/inb.xlsx": inb,
            "inn/isb\n\u202exslx.xlsx": isb,
            "inn/ikom.zip": inner,
            "inn/ism.xlsm": inb,
            "inn/ism.xls": b"\xd0\xcf\x11\xe0" + b"\0" * 100,
            "inn/les meg.txt": b"hei",
            "__MACOSX/inn/._inb.xlsx": b"\0\5\26\7",
        },
        folders=("inn/", "inn/tom/"),
    )
    batch = take(con, db, rid, [archive])
    assert [f.name for f in batch.ready] == [
        "svar.zip/inb.xlsx",
        "svar.zip/isb\ufffd\ufffdxslx.xlsx",
    ]
    assert errors(batch) == {
        "svar.zip/ikom.zip": "svar.zip/ikom.zip: Ble ikke tatt imot: en zip-fil inne i zip-fila "
        "pakkes ikke ut; legg arbeidsbøkene rett i zip-fila.",
        "svar.zip/ism.xlsm": "svar.zip/ism.xlsm: Ble ikke tatt imot: arbeidsbøker med makroer "
        "(.xlsm) tas ikke imot; lagre som Excel-arbeidsbok (.xlsx).",
        "svar.zip/ism.xls": "svar.zip/ism.xls: Ble ikke tatt imot: gammel Excel-fil (.xls); åpne "
        "den i Excel og lagre som .xlsx.",
        "svar.zip/les meg.txt": "svar.zip/les meg.txt: Ble ikke tatt imot: ikke en arbeidsbok "
        "(.xlsx).",
    }
    stored = [i for _, i, _ in rounds.save(con, batch, None)]
    names = con.execute(
        "select file_name from imports where import_id in (select unnest(?))", [stored]
    ).fetchall()
    assert sorted(n for (n,) in names) == ["svar.zip/inb.xlsx", "svar.zip/isb\ufffd\ufffdxslx.xlsx"]


def test_a_member_that_lies_about_its_size_is_refused_without_unpacking_it_in_memory(
    db, con, rid, tmp_path
):
    """64 MB of zeros declared as 1000 bytes: counted while streaming, the member is refused as
    damaged (its checksum fails at the declared end) and never held in memory whole."""
    archive = lying_zip(tmp_path / "svar.zip", 64, 1000)
    assert archive.stat().st_size < 200_000
    tracemalloc.start()
    try:
        batch = take(con, db, rid, [archive])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert errors(batch) == {
        "svar.zip/svar.xlsx": "svar.zip/svar.xlsx: Ble ikke tatt imot: den er skadet i zip-fila "
        "og kan ikke pakkes ut."
    }
    assert peak < 16 * 1024 * 1024, peak  # the whole member would be 64 MB


def test_members_are_stopped_at_the_upload_limit_and_the_zip_at_the_unpacked_limit(
    exported, db, con, rid, tmp_path
):
    inb = book(exported, "MH-INB", tmp_path).read_bytes()
    zeros = b"\0" * (3 << 20)  # 3 MB, declared honestly
    archive = zip_of(tmp_path / "svar.zip", {"a.xlsx": zeros, "inb.xlsx": inb})
    batch = take(con, db, rid, [archive], max_upload_mb=2)
    assert [f.name for f in batch.ready] == ["svar.zip/inb.xlsx"]
    assert errors(batch) == {
        "svar.zip/a.xlsx": "svar.zip/a.xlsx: Ble ikke tatt imot: den pakker ut til over 2 MB."
    }
    many = zip_of(tmp_path / "mange.zip", {"a.xlsx": zeros, "b.xlsx": zeros, "inb.xlsx": inb})
    batch = take(con, db, rid, [many], max_upload_mb=4, max_unpacked_mb=5)
    full = "Ble ikke tatt imot: zip-fila pakker ut til over 5 MB; resten er ikke pakket ut."
    refused = errors(batch)
    assert refused.pop("mange.zip/a.xlsx").startswith(  # unpacked, then read: not a workbook
        "mange.zip/a.xlsx: Fila er ikke en Excel-arbeidsbok"
    )
    assert refused == {
        "mange.zip/b.xlsx": f"mange.zip/b.xlsx: {full}",
        "mange.zip/inb.xlsx": f"mange.zip/inb.xlsx: {full}",
    }


def test_a_damaged_zip_member_is_refused_by_name_and_the_others_are_taken(
    exported, db, con, rid, tmp_path
):
    inb = book(exported, "MH-INB", tmp_path).read_bytes()
    isb = book(exported, "MH-ISB", tmp_path).read_bytes()
    archive = zip_of(tmp_path / "svar.zip", {"isb.xlsx": isb, "inb.xlsx": inb})
    data = bytearray(archive.read_bytes())
    data[400] ^= 0xFF  # inside the first member's compressed data
    archive.write_bytes(bytes(data))
    batch = take(con, db, rid, [archive])
    assert [f.name for f in batch.ready] == ["svar.zip/inb.xlsx"]
    assert list(errors(batch)) == ["svar.zip/isb.xlsx"]
    assert errors(batch)["svar.zip/isb.xlsx"].startswith("svar.zip/isb.xlsx: ")


# ---- Last opp
def without_about(path: Path, target: Path, how: str) -> Path:
    wb = openpyxl.load_workbook(path)
    if how == "removed":
        del wb[ABOUT_SHEET]
    elif how == "block cleared":
        for row in wb[ABOUT_SHEET].iter_rows():
            if row[0].value in round_return.ABOUT_KEYS:
                row[0].value = row[1].value = None
    elif how == "renamed, status renamed":
        wb[ABOUT_SHEET].title = "Ark2"
        wb[STATUS_SHEET].title = "Ark1"
    wb.save(target)
    return target


@pytest.mark.parametrize("how", ["removed", "block cleared", "renamed, status renamed"])
def test_a_round_workbook_with_a_damaged_about_sheet_is_sent_to_the_round_page(
    exported, db, con, tmp_path, how
):
    damaged = without_about(book(exported, "MH-ISB", tmp_path), tmp_path / "isb.xlsx", how)
    with pytest.raises(UserError) as caught:
        imports.preview(con, damaged, Settings.from_env(db), None, "isb.xlsx")
    message = caught.value.render()
    assert message.startswith("isb.xlsx: Dette er en arbeidsbok fra en rapporteringsrunde.")
    assert "«Rapporteringsrunder»" in message and "«Om arbeidsboka» mangler" in message
    sheet = "Ark1" if "status renamed" in how else STATUS_SHEET
    assert f"Arket «{sheet}» har rundens kolonner" in message


def test_a_status_report_is_not_taken_for_a_round_workbook(tmp_path):
    from dashboard.ingest.sheetdata import SheetData

    report = SheetData(
        "Status",
        rows=[["Nøkkel", "Tiltak", "Status"], ["1", "Et tiltak", "3"]],
    )
    assert not round_return.is_round_workbook([report])


# ---- fuzz: a few hundred damaged returns, seeded, in batches
WEIRD = [
    "inf", "-inf", "1e400", "nan", "-0", "3.7", "0", "", " ", None, 10**30, "9" * 400,
    float("inf"), float("nan"), 1e308, -1, 0, True, 3.7, "=1+1", "=HYPERLINK(\"x\")",
    "\u202e12", "x" * 40_000, dt.datetime(2020, 1, 1), "MH-ISB", "1;2", "١٢",
]  # fmt: skip
HEADER = {h: i + 1 for i, h in enumerate(HEADERS)}


def _filled(exported, rng: random.Random, unit: str) -> openpyxl.Workbook:
    """`unit`'s workbook with some of its measures answered, each always the same way (two
    returns of a unit in a batch agree, so they reach the checks after the cross-file one)."""
    wb = openpyxl.load_workbook(io.BytesIO(exported[2][unit]))
    ws = wb[STATUS_SHEET]
    for r in range(HEADER_ROW + 1, ws.max_row + 1):
        if rng.random() < 0.7:
            ws.cell(r, HEADER["Ny status"]).value = f"{(r * 7 + len(unit)) % 6} – x"
            ws.cell(r, HEADER["Ny kommentar"]).value = f"Kommentar {r}"
    return wb


def _about(wb, rng) -> None:
    ws = wb[ABOUT_SHEET]
    rows = [row for row in ws.iter_rows() if row[0].value in round_return.ABOUT_KEYS]
    row = rng.choice(rows)
    how = rng.randrange(3)
    if how == 0:
        row[1].value = rng.choice(WEIRD)
    elif how == 1:
        row[0].value = rng.choice([None, row[0].value.upper(), row[0].value + " ", "x"])
    else:
        ws.delete_rows(row[0].row, rng.randrange(1, 4))


def _status(wb, rng) -> None:
    ws = wb[STATUS_SHEET]
    r = rng.randrange(1, ws.max_row + 3)
    header = rng.choice(HEADERS)
    how = rng.randrange(4)
    if how == 0:
        ws.cell(r, HEADER[header]).value = rng.choice(WEIRD)
    elif how == 1:
        ws.cell(r, HEADER[header]).value = rng.choice(["x", "4"]) * rng.choice([5000, 32_767])
    elif how == 2:
        ws.delete_rows(rng.randrange(1, ws.max_row + 1), rng.randrange(1, 4))
    else:
        ws.delete_cols(rng.randrange(1, len(HEADERS) + 1))


def _sheets(wb, rng) -> None:
    ws = wb[rng.choice(wb.sheetnames)]
    if rng.random() < 0.5 and len(wb.sheetnames) > 1:
        wb.remove(ws)
    else:
        ws.title = rng.choice(["Ark1", "status", "Om  arbeidsboka", "Status (2)", "Lister"])[:31]
        if ws.title in wb.sheetnames[:-1] and wb.sheetnames.count(ws.title) > 1:
            ws.title = "Ark9"


def _saved(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _bytes(data: bytes, rng) -> bytes:
    how = rng.randrange(3)
    if how == 0:
        return data[: rng.randrange(len(data))]
    data = bytearray(data)
    for _ in range(rng.choice([1, 1, 3, 20])):
        at = rng.randrange(len(data))
        if how == 1:
            data[at] ^= 1 << rng.randrange(8)
        else:
            data[at : at + rng.randrange(1, 200)] = b"\0" * 10
    return bytes(data)


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return out.getvalue()


def damaged_return(exported, rng: random.Random) -> tuple[str, bytes]:
    """One damaged return: (kind of damage, the file's bytes)."""
    wb = _filled(exported, rng, rng.choice(UNITS))
    kind = rng.choice(["bytes", "about", "status", "sheets", "zip", "mixed"])
    if kind == "about":
        _about(wb, rng)
    elif kind == "status":
        _status(wb, rng)
    elif kind == "sheets":
        _sheets(wb, rng)
    elif kind == "mixed":
        for change in [c for c in (_about, _status, _sheets) if rng.random() < 0.67]:
            change(wb, rng)  # in this order: the sheets may go last
    try:
        data = _saved(wb)
    except (ValueError, TypeError):  # openpyxl refuses some values: the damage is elsewhere
        data = exported[2][UNITS[0]]
    if kind == "bytes":
        return kind, _bytes(data, rng)
    if kind != "zip":
        return kind, data
    names = ["a.xlsx", "inn/b.xlsx", "c\n.xlsx", "d\u202exslx.xlsx", "e.xlsm", "f.zip", "g.txt"]
    members = [(n, rng.choice([data, _bytes(data, rng), _zip([("x.xlsx", data)])])) for n in names]
    archive = _zip(rng.sample(members, rng.randrange(1, len(members))))
    return kind, _bytes(archive, rng) if rng.random() < 0.3 else archive


FUZZ_CASES = 240
FUZZ_BATCH = 20


def test_fuzz_damaged_returns_are_each_taken_or_refused_naming_the_file(
    exported, db, con, rid, tmp_path, caplog
):
    """Seeded: 240 damaged returns built from the round's real export, 20 to a batch. Every
    file is taken or refused with a sentence starting with its name (a zip's members with the
    zip's name), nothing is stored by reading, only the files taken are stored by saving, and
    no file meets an unexpected error."""
    rng = random.Random(2024)
    settings = Settings.from_env(db)
    kinds: dict[str, int] = {}
    taken = refused = 0
    for start in range(0, FUZZ_CASES, FUZZ_BATCH):
        paths = []
        for n in range(start, start + FUZZ_BATCH):
            kind, data = damaged_return(exported, rng)
            kinds[kind] = kinds.get(kind, 0) + 1
            path = tmp_path / f"f{n}_{kind}{'.zip' if kind == 'zip' else '.xlsx'}"
            path.write_bytes(data)
            paths.append((path, path.name))
        before = fingerprint(con)
        with caplog.at_level(logging.ERROR):
            batch = rounds.take_back(con, settings, rid, paths)
        assert fingerprint(con) == before
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
        for _, name in paths:
            own = [f for f in batch.files if f.name == name or f.name.startswith(name + "/")]
            assert own, name
            for f in own:
                assert (
                    f.ok
                    or f.nothing_new
                    or f.error.startswith(f.name + ":")
                    or (f.error.startswith(f.name + ", "))
                ), (f.name, f.error)
                assert "Traceback" not in (f.error or "") and "intern feil" not in (f.error or "")
        taken += len(batch.ready)
        refused += len(batch.refused)
        saved = rounds.save(con, batch, None) if batch.ready else []
        stored = {r.name for r, i, _ in saved if i is not None}
        new = con.execute(
            "select file_name from imports where import_id > (select max(import_id) - ? "
            "from imports)",
            [len(stored)],
        ).fetchall()
        assert {n for (n,) in new} == stored if stored else True
        assert fingerprint(con)[0] == before[0] + len(stored)
    assert set(kinds) == {"bytes", "about", "status", "sheets", "zip", "mixed"}
    assert taken > 10 and refused > FUZZ_CASES // 2, (taken, refused)


# ---- the page
@pytest.mark.browser
def test_the_round_page_names_each_damaged_file_and_saves_the_rest(
    exported, db, rid, tmp_path, browser
):
    """Dropped on «Ta imot svar» in Chromium: a damaged workbook, one with Runde-ID 1e400 and
    a zip with a macro workbook and a name with U+202E beside a good file; each refusal is shown
    as its sentence, no exception, and the good file is saved."""
    from tests.browser import run_id, serve, wait_for_app

    good = book(exported, "MH-ISB", tmp_path, "isb svar.xlsx")
    inf = set_about(book(exported, "MH-INB", tmp_path), "Runde-ID", "1e400", tmp_path / "inf.xlsx")
    broken = central_directory_broken(book(exported, "MH-IKOM", tmp_path), tmp_path / "ikom.xlsx")
    archive = zip_of(
        tmp_path / "svar.zip", {"ism.xlsm": b"x", "ism\u202exslx.xlsx": broken.read_bytes()}
    )
    with serve(db) as url:
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(f"{url}/runder?enhet=MH")
        wait_for_app(page)
        page.get_by_role("tab", name="Ta imot svar").click()
        before = run_id(page)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            [str(p) for p in (broken, inf, good, archive)]
        )
        wait_for_app(page, previous=before)
        page.get_by_text("isb svar.xlsx: MH-ISB: 11 tiltak med nye svar").wait_for(timeout=60000)
        main = page.inner_text('[data-testid="stMain"]')
        assert page.locator('[data-testid="stException"]').count() == 0
        assert "ikom.xlsx: Fila er skadet" in main
        assert "inf.xlsx, Om arbeidsboka!B" in main and "er ikke et rundenummer" in main
        assert "svar.zip/ism.xlsm: Ble ikke tatt imot: arbeidsbøker med makroer" in main
        assert "svar.zip/ism\ufffdxslx.xlsx: Fila er skadet" in main and "\u202e" not in main
        assert "1 av 5 filer kan lagres" in main
        page.get_by_role("button", name="Lagre svarene").click()
        page.get_by_text("1 filer er lagret").wait_for(timeout=60000)
        page.close()
