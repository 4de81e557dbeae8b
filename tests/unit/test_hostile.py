"""Damaged and hostile workbooks found by the attack on the import: each is refused with a
sentence about the file (never «intern feil»), or read once where it holds a table twice."""

from __future__ import annotations

import dataclasses
import json
import re
import zipfile
from pathlib import Path

import pytest

from dashboard.errors import CellError, FileRefused, UserError
from dashboard.ingest.pipeline import parse_file
from tests.conftest import make_workbook

PLACEHOLDER = 987654321
STATUS = [["HP nr.", "Tiltak", "Status 0-5", "Kommentar"], [1, "Tiltak A", 3, "ok"]]
LEDGER = [
    ["Enhet", "År", "Måned", "Linje", "Budsjett", "Prognose"],
    ["MH-INB", 2023, 1, "Lønn", -100, -110],
    ["MH-INB", 2023, 1, "Drift", -20, PLACEHOLDER],
]


def raw_number(path: Path, raw: str) -> Path:
    """Put `raw` as the stored value of the cell holding PLACEHOLDER (what a damaged or
    hand-made file can hold, and Excel never writes)."""
    with zipfile.ZipFile(path) as src:
        parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    for name, data in parts.items():
        if name.startswith("xl/worksheets/"):
            parts[name] = data.replace(f"<v>{PLACEHOLDER}</v>".encode(), f"<v>{raw}</v>".encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    return path


@pytest.mark.parametrize("raw", ["inf", "-inf", "NaN", "1e309", "9" * 400, "-1e308"])
@pytest.mark.parametrize("bulk", [False, True])
def test_non_finite_and_absurd_amounts_name_the_cell(tmp_path, settings, raw, bulk):
    if bulk:
        settings = dataclasses.replace(settings, bulk_sheet_bytes=1)
    ledger = raw_number(make_workbook(tmp_path / "hovedbok_2023_10.xlsx", {"H": LEDGER}), raw)
    prognosis = raw_number(
        make_workbook(
            tmp_path / "mh_prognose_2023_10.xlsx",
            {"P": [["Linje", "Budsjett", "Prognose"], ["Lønn", 1, PLACEHOLDER]]},
        ),
        raw,
    )
    for path, cell in ((ledger, "F3"), (prognosis, "C2")):
        with pytest.raises(CellError) as err:
            parse_file(path, settings)
        assert err.value.cell == cell, err.value.render()
        assert "intern feil" not in err.value.render()


@pytest.mark.parametrize("text", ["inf", "1e309", "9" * 400, "nan"])
def test_absurd_numbers_as_text_name_the_cell(workbook, settings, text):
    status = workbook("mh_hp_2019.xlsx", {"Status 2019": [STATUS[0], [1, "Tiltak A", text, ""]]})
    years = workbook(
        "mh_langtidsbudsjett_2023.xlsx",
        {"L": [["Linje", 2024, 2025], ["Lønn", 1, text]]},
    )
    for path in (status, years):
        with pytest.raises(UserError) as err:
            parse_file(path, settings)
        assert "intern feil" not in err.value.render(), err.value.render()
        assert err.value.cell, err.value.render()


def test_the_same_table_on_two_sheets_is_read_once(workbook, settings):
    rows = [STATUS[0], *[[n, f"Tiltak {n}", 3, "ok"] for n in (1, 2, 3)]]
    path = workbook("mh_handlingsplan_2019.xlsx", {"Status": rows, "Status (2)": rows})
    result = parse_file(path, settings)
    assert len(result.parsed.tables["measures"]) == 3
    assert len(result.parsed.tables["status_reports"]) == 3
    warning = next(w for w in result.parsed.warnings if "samme tabellen" in w)
    assert "«Status (2)»" in warning and "«Status»" in warning


def test_two_sheets_with_different_tables_are_both_read(workbook, settings):
    a = [STATUS[0], [1, "Tiltak A", 3, "ok"]]
    b = [STATUS[0], [2, "Tiltak B", 1, "ok"]]
    path = workbook("mh_handlingsplan_2019.xlsx", {"Forskning": a, "Utdanning": b})
    result = parse_file(path, settings)
    assert len(result.parsed.tables["measures"]) == 2
    assert not [w for w in result.parsed.warnings if "samme tabellen" in w]


def test_two_sheets_with_one_name_are_refused(workbook, settings, tmp_path):
    path = workbook("mh_handlingsplan_2019.xlsx", {"Status": STATUS, "Annet": STATUS})
    with zipfile.ZipFile(path) as src:
        parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(b'name="Annet"', b'name="Status"')
    with zipfile.ZipFile(path, "w") as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    with pytest.raises(FileRefused) as err:
        parse_file(path, settings)
    assert "samme navn" in err.value.message and "«Status»" in err.value.message


def test_a_zip_entry_of_an_unsupported_version_is_refused(good_status, tmp_path, settings):
    target = tmp_path / "ny_versjon.xlsx"
    with zipfile.ZipFile(good_status) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            new = zipfile.ZipInfo(info.filename, info.date_time)
            new.compress_type = zipfile.ZIP_DEFLATED
            if info.filename.startswith("xl/worksheets/"):
                new.extract_version = 70  # newer than any reader here
            dst.writestr(new, src.read(info.filename))
    with pytest.raises(FileRefused) as err:
        parse_file(target, settings)
    assert "intern feil" not in err.value.render()


SST_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def with_shared_strings(path: Path, target: Path, damage: bool) -> Path:
    """The workbook with its inline strings moved to a sharedStrings part (as Excel writes
    them), the part not well-formed when `damage`."""
    with zipfile.ZipFile(path) as src:
        parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    strings: list[str] = []

    def shared(match: re.Match) -> bytes:
        strings.append(match.group(2).decode())
        return match.group(1) + b' t="s"><v>' + str(len(strings) - 1).encode() + b"</v></c>"

    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = re.sub(
        rb'(<c r="[A-Z]+\d+")[^>]* t="inlineStr"><is><t>([^<]*)</t></is></c>', shared, parts[sheet]
    )
    items = "".join(f"<si><t>{t}</t></si>" for t in strings)
    if damage:
        items = items.replace("</t></si>", "</t></feil>", 1)
    parts["xl/sharedStrings.xml"] = f'<sst xmlns="{SST_NS}">{items}</sst>'.encode()
    rels = "xl/_rels/workbook.xml.rels"
    parts[rels] = parts[rels].replace(
        b"</Relationships>",
        f'<Relationship Type="{SST_REL}" Target="sharedStrings.xml" Id="rId99" />'
        "</Relationships>".encode(),
    )
    types = "[Content_Types].xml"
    parts[types] = parts[types].replace(
        b"</Types>",
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_TYPE}"/></Types>'.encode(),
    )
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    return target


@pytest.mark.parametrize("bulk", [False, True])
def test_damaged_shared_strings_are_refused(good_status, tmp_path, settings, bulk):
    if bulk:
        settings = dataclasses.replace(settings, bulk_sheet_bytes=1)
    sound = with_shared_strings(good_status, tmp_path / "mh_handlingsplan_2019_a.xlsx", False)
    assert parse_file(sound, settings).parsed.tables["measures"][0]["title"] == "Tiltak A"
    damaged = with_shared_strings(good_status, tmp_path / "mh_handlingsplan_2019_b.xlsx", True)
    with pytest.raises(FileRefused) as err:
        parse_file(damaged, settings)
    assert "intern feil" not in err.value.render()


@pytest.fixture
def good_status(workbook):
    return workbook("mh_handlingsplan_2019.xlsx", {"Status 2019": STATUS})


LINK = "[Logg inn på nytt](http://angriper.example/login)"
IMAGE = "![x](http://angriper.example/bilde.png)"
HTML_LINK = '<a href="http://angriper.example/">Klikk her</a>'
LIVE = re.compile(r"(?<!\\)\]\(http|(?<!\\)!\[|https?(?<!\\)://")


def hostile_names_db(tmp_path: Path) -> Path:
    """A database whose areas, measures, comments and version name are links and images."""
    from dashboard import store
    from dashboard.config import Settings
    from dashboard.ingest.layouts.common import Overrides
    from dashboard.service.imports import import_file

    db = tmp_path / "lenker.duckdb"
    settings = Settings.from_env(db)
    con = store.connect(db)
    status = make_workbook(
        tmp_path / "mh_handlingsplan_2019.xlsx",
        {
            "Status 2019": [
                ["Område", "HP nr.", "Tiltak", "Status 0-5", "Kommentar"],
                [LINK, 1, IMAGE, 2, LINK],
                [IMAGE, 2, LINK, 4, IMAGE],
                [HTML_LINK, 3, HTML_LINK, 1, HTML_LINK],
            ]
        },
    )
    import_file(con, status, settings)
    prognosis = make_workbook(
        tmp_path / "mh_prognose.xlsx",
        {
            "P": [
                ["Fakultet for medisin og helsevitenskap (MH)"],
                ["Linje", "Budsjett i år", "Prognose i år"],
                ["Lønn", -100, -110],
                ["Resultat", -100, -110],
            ]
        },
    )
    import_file(con, prognosis, settings, Overrides(year=2023, label=LINK))
    con.close()
    return db


def test_text_from_files_is_never_a_link_or_an_image(tmp_path, monkeypatch):
    """Plan, round, area, measure and version names from a workbook are shown as text on
    every page: no live Markdown link or image anywhere."""
    from streamlit.testing.v1 import AppTest

    from dashboard.config import ROOT

    db = hostile_names_db(tmp_path)
    monkeypatch.setenv("MALBILDE_DB", str(db))
    kinds = ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error")
    for page, params in (
        ("oversikt", {}),
        ("maloppnaelse", {}),
        ("budsjett", {}),
        ("presentasjon", {"lysbilde": "1"}),
        ("presentasjon", {"lysbilde": "3"}),
        ("presentasjon", {"lysbilde": "4"}),
    ):
        at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=90)
        at.query_params.update({"enhet": "MH", **params})
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, (page, [e.value for e in at.exception])
        shown = [str(e.value) for kind in kinds for e in at.get(kind)]
        assert any("angriper.example" in t.replace("\\", "") for t in shown), page  # there …
        live = [text for text in shown if LIVE.search(text)]
        assert not live, (page, live)  # … but never as a link or an image
        for chart in at.get("plotly_chart"):  # Plotly draws <a href> in any text: escaped
            assert not html_links(json.loads(chart.proto.spec)), page
    assert page == "presentasjon" and checked_charts(db) > 0


def checked_charts(db) -> int:
    """The figures of every page above were drawn with the hostile names in them."""
    from dashboard import store
    from dashboard.model.pin import resolve
    from dashboard.model.view import view
    from dashboard.present import deck

    con = store.connect(db)
    q = lambda name, **p: store.query(con, name, p)  # noqa: E731
    slides = deck.build(view(q, resolve(q, "MH", store.data_version(con))))
    con.close()
    figures = [s.figure for s in slides if s.figure is not None]
    for fig in figures:
        assert not html_links(json.loads(fig.to_json()))
    return len(figures)


def html_links(value) -> list[str]:
    """Every text in a figure's JSON that Plotly would draw as a link."""
    if isinstance(value, str):
        return [value] if "<a href" in value.lower() else []
    if isinstance(value, dict):
        return [t for v in value.values() for t in html_links(v)]
    if isinstance(value, list):
        return [t for v in value for t in html_links(v)]
    return []


def test_an_absurd_goal_number_names_the_cell(workbook, settings):
    """Found by the fuzz test: a 30-digit goal number failed at storing (INT32) instead."""
    rows = [STATUS[0], ["1" * 30, "Tiltak A", 3, "ok"]]
    for name, sheet in (
        ("mh_handlingsplan_2019.xlsx", {"Status 2019": rows}),
        (
            "vm_strategi_2018.xlsx",
            {"Mål": [["Målnr.", "Område", "Mål"], ["1" * 30, "A", "Et mål"]]},
        ),
    ):
        with pytest.raises(CellError) as err:
            parse_file(workbook(name, sheet), settings)
        assert err.value.cell == "A2" and "urimelig stort" in err.value.message, err.value


@pytest.mark.browser
def test_no_link_or_image_from_files_in_the_browser(tmp_path):
    """The same names drawn by Chromium: no element links to or loads from the address."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, launch, serve, wait_for_app

    if not Path(CHROMIUM).exists():
        pytest.skip("no Chromium")
    db = hostile_names_db(tmp_path)
    found = 'document.querySelectorAll(\'[href*="angriper"], [src*="angriper"]\').length'
    with serve(db) as url, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        for path in ("/", "/maloppnaelse", "/budsjett", "/presentasjon?lysbilde=3"):
            page.goto(f"{url}{path}{'&' if '?' in path else '?'}enhet=MH")
            wait_for_app(page)
            assert "angriper.example" in page.inner_text("body"), path  # shown …
            assert page.evaluate(found) == 0, path  # … as text
        browser.close()


def test_looking_for_tables_is_bounded_per_workbook(workbook, settings, monkeypatch):
    """Layout detection looks at a bounded number of cells in all; a workbook needing more is
    refused with a sentence (a real one needs a tenth of the bound)."""
    from dashboard.ingest import pipeline

    monkeypatch.setattr(pipeline, "MAX_HEADER_CELLS", 500)
    wide = [[f"tekst {r}.{c}" for c in range(30)] for r in range(10)]  # 300 cells a sheet
    path = workbook("mange_ark.xlsx", {"A": wide, "B": wide, "C": wide})
    with pytest.raises(FileRefused) as err:
        parse_file(path, settings)
    assert "for mye å lete gjennom" in err.value.message and "«B»" in err.value.message
    ok = workbook("mh_handlingsplan_2019.xlsx", {"Status 2019": STATUS})
    assert parse_file(ok, settings).parsed.rows  # a normal workbook is well within it


def test_a_huge_table_read_cell_by_cell_is_refused(workbook, settings, monkeypatch):
    """Tables read cell by cell (all but ledgers) are bounded in rows; a ledger is not."""
    from dashboard.ingest import pipeline

    monkeypatch.setattr(pipeline, "MAX_TABLE_ROWS", 50)
    rows = [STATUS[0], *[[n % 9 + 1, f"Tiltak {n}", n % 6, ""] for n in range(60)]]
    with pytest.raises(FileRefused) as err:
        parse_file(workbook("mh_handlingsplan_2019.xlsx", {"Status 2019": rows}), settings)
    assert err.value.sheet == "Status 2019" and "61 rader" in err.value.message
    ledger = [LEDGER[0], *[["MH-INB", 2023, m % 12 + 1, f"Linje {m}", -m, -m] for m in range(60)]]
    result = parse_file(workbook("hovedbok_2023_10.xlsx", {"H": ledger}), settings)
    assert result.parsed.rows == 60


# A file or zip member name that is Markdown: a live link and an image fetched from the address.
HOSTILE_NAME = "x [klikk](http://127.0.0.1:9/f) ![i](http://127.0.0.1:9/img.png).xlsx"
NAME_SHOWN = re.compile(r"x \[klikk\]\(http:.?//127\.0\.0\.1:9/f\) !\[i\]\(http:.?//127")
# a zip member's name is its last part (after the last «/»): relative links, no slashes
MEMBER_NAME = "y [klikk](f.html) ![i](img.png) <img src=x>.xlsx"
MEMBER_SHOWN = re.compile(r"y \[klikk\]\(f\.html\) !\[i\]\(img\.png\) <img src=x>")
ANY_LINK = re.compile(r"(?<!\\)\]\(|(?<!\\)!\[|https?(?<!\\)://|(?<!\\)<img")
# every element whose text (or label) Streamlit draws as Markdown
MARKDOWN_KINDS = (
    "markdown",
    "caption",
    "title",
    "header",
    "subheader",
    "info",
    "warning",
    "error",
    "success",
    "status",
    "expander",
    "button",
    "download_button",
)


def drawn_texts(at) -> list[str]:
    """The text of every Markdown element, and the label of every labelled one, as sent."""
    out = []
    for kind in MARKDOWN_KINDS:
        for element in at.get(kind):
            label = getattr(element, "label", None)
            out.append(str(label if label is not None else element.value))
    return out


def assert_name_is_text(at, name: re.Pattern = NAME_SHOWN) -> None:
    shown = drawn_texts(at)
    named = [t for t in shown if name.search(t.replace("\\", ""))]
    assert named, shown  # the name is there …
    live = [t for t in named if ANY_LINK.search(t)]
    assert not live, live  # … as text: escaped, its addresses broken by a word joiner


def test_a_file_name_is_text_on_last_opp(tmp_path, monkeypatch):
    """The «Leser …», «… er lest» and «… kan ikke importeres» labels (st.status draws Markdown),
    the heading and the error: a hostile upload name is shown as it is, linking nothing."""
    from streamlit.testing.v1 import AppTest

    from dashboard import store
    from dashboard.config import ROOT
    from tests.helpers.app import MIME, prognosis_bytes

    db = tmp_path / "navn.duckdb"
    store.connect(db).close()
    monkeypatch.setenv("MALBILDE_DB", str(db))
    good = prognosis_bytes(tmp_path, "p.xlsx", "juni", -150)
    bad = make_workbook(tmp_path / "b.xlsx", {"S": [STATUS[0], [1, "Tiltak A", 9, ""]]})
    for data, word in ((good, "er lest"), (bad.read_bytes(), "kan ikke importeres")):
        at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=90)
        at.switch_page("app_pages/last_opp.py").run()
        at.file_uploader(key="opplasting").upload(HOSTILE_NAME, data, MIME).run()
        assert not at.exception, [e.value for e in at.exception]
        labels = [s.label for s in at.status]
        assert any(word in label for label in labels), labels
        assert_name_is_text(at)


def test_a_zip_member_name_is_text_on_the_rounds_page(tmp_path, monkeypatch):
    """«Svarene i …» (an expander: its label is Markdown) and the file's line name a returned
    workbook, alone or inside a zip, by a hostile name: shown as text."""
    from streamlit.testing.v1 import AppTest

    from dashboard import store
    from dashboard.config import ROOT
    from tests.rounds_helpers import demo_with_answers, fill, rows_of, write_workbooks

    db = tmp_path / "runde.duckdb"
    rid = demo_with_answers(db)
    con = store.connect(db)
    book = write_workbooks(con, rid, tmp_path / "ut")["MH-IKOM"]
    con.close()
    answers = {row[0]: {"Ny status": "3 – x", "Ny kommentar": "ok"} for row in rows_of(book)}
    filled = fill(book, answers, tmp_path / "svar.xlsx").read_bytes()
    packed = tmp_path / "svar.zip"
    with zipfile.ZipFile(packed, "w") as zf:
        zf.writestr(MEMBER_NAME, filled)
    monkeypatch.setenv("MALBILDE_DB", str(db))
    for name, data, mime, shown in (
        (HOSTILE_NAME, filled, "application/octet-stream", NAME_SHOWN),
        ("svar.zip", packed.read_bytes(), "application/zip", MEMBER_SHOWN),
    ):
        at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=90)
        at.query_params["enhet"] = "MH"
        at.switch_page("app_pages/runder.py").run()
        at.file_uploader(key="runde-svar-0").upload(name, data, mime).run()
        assert not at.exception, [e.value for e in at.exception]
        assert any(e.label.startswith("Svarene i") for e in at.expander), name
        assert_name_is_text(at, shown)
