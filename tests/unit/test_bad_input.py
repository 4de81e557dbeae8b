"""Bad and hostile input: each is refused with a clear message naming file, sheet and cell."""

from __future__ import annotations

import dataclasses
import os
import re
import time
import zipfile
from pathlib import Path

import pytest

from dashboard.errors import CellError, FileRefused, LayoutUnknown, MissingContext
from dashboard.ingest.layouts.common import Overrides
from dashboard.ingest.pipeline import parse_file

STATUS_HEADER = ["HP nr.", "Tiltak i handlingsplanen", "Status", "Status 0= ikke igangsatt"]


def rewrite(
    path: Path,
    target: Path,
    replace: dict[str, bytes],
    add: dict[str, bytes] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """Copy an xlsx, replacing or adding zip members."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(target, "w", compression) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, data in (add or {}).items():
            dst.writestr(name, data)
    return target


@pytest.fixture
def good(workbook):
    return workbook(
        "mh_handlingsplan_2019.xlsx",
        {
            "Status 2019": [
                ["Handlingsplan for MH-fakultetet, status 2019"],
                STATUS_HEADER,
                [3, "Tiltak A", "ok", 3],
            ]
        },
    )


def test_score_outside_range_names_the_cell(workbook, settings):
    rows = [
        ["Handlingsplan for MH-fakultetet, status 2019"],
        *[[] for _ in range(11)],
        STATUS_HEADER,
        [3, "Tiltak A", "ok", 7],
    ]
    path = workbook("mh_hp_2019.xlsx", {"Status 2019": rows})
    with pytest.raises(CellError) as err:
        parse_file(path, settings)
    assert err.value.sheet == "Status 2019" and err.value.cell == "D14"
    assert "Status 2019!D14" in err.value.render() and "0 til 5" in err.value.render()
    assert "mh_hp_2019.xlsx" in err.value.render()


@pytest.mark.parametrize(
    "value, cell, expected",
    [("mye", "C3", "forventet et beløp"), ("12x", "B3", "forventet et beløp")],
)
def test_unreadable_amount(workbook, settings, value, cell, expected):
    row = ["Lønn", 100, 100]
    row[1 if cell == "B3" else 2] = value
    path = workbook(
        "mh_prognose_2023_10.xlsx", {"P": [["Linje", "Budsjett", "Prognose"], ["IB", 1, 1], row]}
    )
    with pytest.raises(CellError) as err:
        parse_file(path, settings)
    assert err.value.cell == cell and expected in err.value.message


def test_unreadable_date_and_period(workbook, settings):
    path = workbook(
        "mh_arsplan_2023.xlsx",
        {"S": [["Tiltak", "Periode", "Status"], ["A", "snart", "Under arbeid"]]},
    )
    with pytest.raises(CellError, match=r"S!B2.*01\.01\.2023"):
        parse_file(path, settings)
    path = workbook(
        "mh_arsplan_2024.xlsx",
        {
            "S": [
                ["Tiltak", "Start", "Slutt", "Status"],
                ["A", "01.01.2024", "32.13.2024", "Under arbeid"],
            ]
        },
    )
    with pytest.raises(CellError, match=r"S!C2"):
        parse_file(path, settings)


def test_duplicate_key_names_both_rows(workbook, settings):
    path = workbook(
        "mh_hp_2019.xlsx", {"S": [STATUS_HEADER, [3, "Tiltak A", "", 1], [3, "Tiltak A", "", 2]]}
    )
    with pytest.raises(CellError, match=r"S!B3.*S!B2"):
        parse_file(path, settings, Overrides(year=2019))
    path = workbook(
        "mh_prognose_2023_10.xlsx",
        {"P": [["Linje", "Budsjett", "Prognose"], ["Lønn", 1, 1], ["Lønn", 2, 2]]},
    )
    with pytest.raises(CellError, match=r"P!A3.*to ganger"):
        parse_file(path, settings)


def test_unknown_layout_lists_headers_and_layouts(workbook, settings):
    path = workbook(
        "noe.xlsx", {"Ark1": [["Navn", "Adresse", "Telefon"], ["Kari", "Gata 1", "123"]]}
    )
    with pytest.raises(LayoutUnknown) as err:
        parse_file(path, settings)
    text = err.value.render()
    assert (
        "«Navn», «Adresse», «Telefon»" in text
        and "Budsjettprognose" in text
        and "arket «Ark1»" in text
    )


def test_missing_unit_says_how_to_give_it(workbook, settings):
    path = workbook(
        "prognose.xlsx", {"P": [["Linje", "Budsjett i år", "Prognose i år"], ["Lønn", 1, 1]]}
    )
    with pytest.raises(MissingContext, match="feltet «Enhet»") as refused:
        parse_file(path, settings, Overrides(year=2023))
    # the web page names the field; only the command line is told its option
    assert "--unit" not in refused.value.render() and "--unit MH" in refused.value.render(cli=True)
    result = parse_file(path, settings, Overrides(unit="mh", year=2023, label="prognose mai 2023"))
    assert (result.parsed.unit, result.parsed.year, result.parsed.label) == (
        "MH",
        2023,
        "prognose mai 2023",
    )


def test_formula_without_cached_value_names_the_cell(workbook, settings):
    path = workbook(
        "mh_prognose_2023_10.xlsx", {"P": [["Linje", "Budsjett", "Prognose"], ["Lønn", 1, "=1+1"]]}
    )
    with pytest.raises(CellError) as err:
        parse_file(path, settings)
    assert err.value.cell == "C2" and "formel" in err.value.message


def test_not_a_workbook(tmp_path, settings):
    csv = tmp_path / "data.xlsx"
    csv.write_text("Linje;Budsjett\nLønn;100\n", encoding="utf-8")
    with pytest.raises(FileRefused, match="tekst"):
        parse_file(csv, settings)
    xls = tmp_path / "gammel.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000)
    with pytest.raises(FileRefused, match="lagre som» → Excel-arbeidsbok|Lagre som"):
        parse_file(xls, settings)
    enc = tmp_path / "kryptert.xlsx"
    enc.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "EncryptedPackage".encode("utf-16-le")
    )
    with pytest.raises(FileRefused, match="passordbeskyttet"):
        parse_file(enc, settings)
    empty = tmp_path / "tom.xlsx"
    empty.write_bytes(b"")
    with pytest.raises(FileRefused, match="tom"):
        parse_file(empty, settings)


def test_truncated_zip(good, tmp_path, settings):
    cut = tmp_path / "avkortet.xlsx"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(FileRefused, match="skadet"):
        parse_file(cut, settings)


def test_empty_workbook(workbook, settings):
    with pytest.raises(LayoutUnknown):
        parse_file(workbook("tom.xlsx", {"Ark1": []}), settings)


def test_size_limit(tmp_path, settings):
    big = tmp_path / "stor.xlsx"
    big.write_bytes(b"PK\x03\x04" + os.urandom(1024 * 1024 + 10))
    with pytest.raises(FileRefused, match="grensen er 1 MB"):
        parse_file(big, dataclasses.replace(settings, max_upload_mb=1))


def test_zip_bomb(good, tmp_path, settings):
    bomb = rewrite(
        good,
        tmp_path / "bombe.xlsx",
        {},
        {"xl/media/fyll.xml": b"<a>" + b"0" * 60_000_000 + b"</a>"},
    )
    assert bomb.stat().st_size < 1_000_000
    with pytest.raises(FileRefused, match="zip-bombe|grensen"):
        parse_file(bomb, settings)


@pytest.mark.parametrize(
    "dtd",
    [
        b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>',
        b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    ],
)
def test_xml_entity_tricks(good, tmp_path, settings, dtd):
    with zipfile.ZipFile(good) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    evil = dtd + sheet if not sheet.startswith(b"<?xml") else sheet.replace(b"?>", b"?>" + dtd, 1)
    path = rewrite(good, tmp_path / "evil.xlsx", {"xl/worksheets/sheet1.xml": evil})
    with pytest.raises(FileRefused, match="DTD|entitet"):
        parse_file(path, settings)


def test_huge_declared_range_costs_nothing(good, tmp_path, settings):
    with zipfile.ZipFile(good) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    huge = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:XFD1048576"/>', sheet)
    assert huge != sheet
    path = rewrite(good, tmp_path / "huge.xlsx", {"xl/worksheets/sheet1.xml": huge})
    start = time.perf_counter()
    result = parse_file(path, settings)
    assert time.perf_counter() - start < 5
    assert len(result.parsed.tables["measures"]) == 1


@pytest.mark.parametrize(
    "cells",
    [
        b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>',
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
        b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>',
    ],
)
def test_far_away_cells_are_refused_quickly_and_we_survive(good, tmp_path, settings, cells):
    with zipfile.ZipFile(good) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    body = re.sub(
        rb"<sheetData>.*</sheetData>", b"<sheetData>" + cells + b"</sheetData>", sheet, flags=re.S
    )
    path = rewrite(good, tmp_path / "far.xlsx", {"xl/worksheets/sheet1.xml": body})
    start = time.perf_counter()
    with pytest.raises((FileRefused, LayoutUnknown)):
        parse_file(path, settings)
    assert time.perf_counter() - start < 5


def _with_errors(path: Path, sheet: str, errors: dict[str, str]) -> Path:
    """Give cells a cached Excel error (what a failed formula leaves in the file)."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    for ref, error in errors.items():
        wb[sheet][ref].value = error
        wb[sheet][ref].data_type = "e"
    wb.save(path)
    return path


LEDGER = [
    ["Enhet", "År", "Måned", "Linje", "Budsjett", "Prognose"],
    ["MH-INB", 2023, 1, "Lønn", -100, -110],
    ["MH-INB", 2023, 1, "Drift", -20, -25],
]


@pytest.mark.parametrize("bulk", [False, True])
def test_excel_error_in_a_cell_we_read_names_the_cell(workbook, settings, bulk):
    prognosis = workbook(
        "mh_prognose_2023_10.xlsx", {"P": [["Linje", "Budsjett", "Prognose"], ["Lønn", 1, 2]]}
    )
    _with_errors(prognosis, "P", {"C2": "#DIV/0!"})
    ledger = _with_errors(
        workbook("hovedbok_2023_10.xlsx", {"Hovedbok": LEDGER}), "Hovedbok", {"F3": "#REF!"}
    )
    if bulk:
        settings = dataclasses.replace(settings, bulk_sheet_bytes=1)
    for path, cell, error in ((prognosis, "C2", "#DIV/0!"), (ledger, "F3", "#REF!")):
        with pytest.raises(CellError) as err:
            parse_file(path, settings)
        assert err.value.cell == cell and f"Excel-feilen {error}" in err.value.message


@pytest.mark.parametrize("bulk", [False, True])
def test_excel_error_outside_the_table_is_no_obstacle(workbook, settings, bulk):
    rows = [*LEDGER, [None, None, None, "Sum", None, None], ["Merknad: tall i 1000 kr"]]
    path = _with_errors(
        workbook("hovedbok_2023_10.xlsx", {"Hovedbok": [[*r, None] if r else r for r in rows]}),
        "Hovedbok",
        {"F4": "#VALUE!", "G2": "#N/A"},  # a sum row without unit and year; a column we do not read
    )
    if bulk:
        settings = dataclasses.replace(settings, bulk_sheet_bytes=1)
    result = parse_file(path, settings)
    assert result.parsed.arrow_tables["budget_figures"].num_rows == 4
