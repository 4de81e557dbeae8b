"""The economy's other shapes (issue 26): income by kind with the kinds in rows, årsverk with
the months as columns, PhD degrees per department, and cost measures naming the plan's
«tiltak» — with the variants real files have (headers on row 3 under a merged title, Norwegian
month names, «45 785-» with a trailing minus, blank and total rows), refusals naming the
cell, and the same read-model figures as the long layouts."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from dashboard import store
from dashboard.errors import CellError
from dashboard.ingest.layouts.common import Overrides
from dashboard.ingest.pipeline import parse_file
from dashboard.service.imports import import_file, preview
from tests.helpers.app import Pages
from tests.helpers.economy import figures, shares

KINDS = ["Basis", "Utdanning", "Forskning", "BOA", "Annet"]


def merge_title(path, ref: str = "A1:F1"):
    """The title across the table, merged as finance staff write it."""
    wb = load_workbook(path)
    wb.worksheets[0].merge_cells(ref)
    wb.save(path)
    return path


def stored(settings, *paths):
    """Import the files into the test database; its connection (closed by the caller)."""
    con = store.connect(settings.db_path)
    for path in paths:
        import_file(con, path, settings, Overrides(), user="test")
    return con


# ------------------------------------------------------------------ income, kinds in rows

INCOME_ROWS = [
    ["Instituttene er ulike – inntekter per type 2023, andel i %, MH"],
    [],
    ["Inntektstype", "IKOM", "ISB", "FAKADM", "SUM"],
    ["Basis", "38 %", 30, 85, 45],
    ["Utdanning", "14 %", 12, 2, 18],
    [],
    ["Forskning", "12 %", 14, 2, 9],
    ["Bidrags- og oppdragsfinansiert", "33 %", 41, 3, 25],
    ["Annet", "3 %", 3, 8, 3],
    ["Sum", "100 %", 100, 100, 100],
    ["Kilde: regnskap per november"],
]


def test_income_with_kinds_in_rows_gives_the_rows_layouts_figures(workbook, settings, tmp_path):
    wide = merge_title(workbook("mh_inntekter_2023.xlsx", {"Inntekter": INCOME_ROWS}))
    result = parse_file(wide, settings)
    assert result.parsed.layout == "income_mix" and result.parsed.year == 2023
    got = shares(result)
    assert got[("MH-ISB", "BOA")] == 41 and got[("MH-IKOM", "Basis")] == 38
    assert got[("MH-ADM", "Basis")] == 85 and got[("MH", "Utdanning")] == 18
    assert not result.parsed.warnings
    long = [["Inntekter per type 2023, andel i %, MH"], ["Institutt", *KINDS]]
    for c, unit in enumerate(["IKOM", "ISB", "FAKADM", "SUM"], start=1):
        long.append([unit, *(r[c] for r in INCOME_ROWS[3:9] if r)])
    rows_path = workbook("mh_inntekter_2023_rader.xlsx", {"Ark1": long})
    con = stored(settings, wide)
    try:
        from_wide = figures(con).income
        mix_wide, title_wide = from_wide.mix, from_wide.title
    finally:
        con.close()
    settings.db_path.unlink()
    con = stored(settings, rows_path)
    try:
        from_rows = figures(con).income
        assert from_rows.mix.equals(mix_wide) and from_rows.title == title_wide
    finally:
        con.close()


def test_income_amounts_in_rows_with_a_trailing_minus_and_a_checked_sum(workbook, settings):
    rows = [
        ["MH"],
        ["Inntekter 2022 (1000 kr)"],
        ["", "ISB", "IPH"],
        ["Basis", "62 000", "47 000"],
        ["Utdanning", "25 000", "19 000"],
        ["Forskning", "29 000", "9 000"],
        ["BOA", "78 000", "24 000"],
        ["Annet", "45 785-", "1 000-"],
        ["Sum inntekter", "148 215", "99 000"],
    ]
    result = parse_file(workbook("mh_inntekter_2022.xlsx", {"Ark1": rows}), settings)
    amounts = {(r["unit"], r["kind"]): r["amount_knok"] for r in result.parsed.tables["income_mix"]}
    assert amounts[("MH-ISB", "Annet")] == -45_785
    assert shares(result)[("MH-IPH", "BOA")] == pytest.approx(100 * 24 / 98)
    assert [w for w in result.parsed.warnings if w.startswith("Ark1!C9")]  # 98 000, not 99 000
    assert not [w for w in result.parsed.warnings if w.startswith("Ark1!B9")]


def test_income_in_rows_a_column_not_adding_up_is_a_warning_naming_its_cells(workbook, settings):
    rows = [r[:] for r in INCOME_ROWS]
    rows[4][2] = 5  # ISB's Utdanning: 93 %
    warnings = parse_file(workbook("mh_inntekter_2023.xlsx", {"Ark1": rows}), settings)
    found = [w for w in warnings.parsed.warnings if "MH-ISB" in w]
    assert found and found[0].startswith("Ark1!C4:C9") and "93,0 %" in found[0]


def refusal(workbook, settings, rows, where: tuple[str, str], cell: tuple[int, int], value):
    """The CellError of `rows` with one cell (row, column; from 0) changed to `value`, written
    as file and sheet `where`."""
    changed = [r[:] for r in rows]
    changed[cell[0]][cell[1]] = value
    with pytest.raises(CellError) as err:
        parse_file(workbook(where[0], {where[1]: changed}), settings)
    return err.value


def test_income_in_rows_refuses_an_unknown_kind_and_a_bad_share_by_cell(workbook, settings):
    err = refusal(workbook, settings, INCOME_ROWS, ("a_2023.xlsx", "Ark1"), (8, 0), "Gaver")
    assert err.cell == "A9" and "Gaver" in err.render()
    assert err.sheet == "Ark1" and err.file == "a_2023.xlsx"
    err = refusal(workbook, settings, INCOME_ROWS, ("b_2023.xlsx", "Ark1"), (6, 3), "mye")
    assert err.cell == "D7"


def test_a_status_report_with_areas_named_like_income_kinds_stays_a_status_report(
    workbook, settings
):
    rows = [
        ["Status på tiltak for 2023, MH"],
        ["Tiltak fra årsplan 2023", "Opprinnelig periode", "Status"],
        ["FORSKNING", None, None],
        ["Styrke tilgangen til e-infrastruktur", "01.01.2023 – 31.12.2025", "Under arbeid"],
        ["UTDANNING", None, None],
        ["Bærekraftig utdanning", "01.01.2023 – 31.12.2023", "Under arbeid: forsinket"],
        ["ANNET", None, None],
        ["Øke rekrutteringen til delte stillinger", "01.01.2023 – 31.12.2025", "Under arbeid"],
    ]
    result = parse_file(workbook("mh_arsplan_2023.xlsx", {"Ark1": rows}), settings)
    assert result.parsed.layout.startswith("status") and "income_mix" not in result.parsed.tables


# ------------------------------------------------------------------ årsverk, months as columns


def _fte_long(settings, workbook, rows):
    """Årsverk of the same months in the long layout (one row per month and category)."""
    return workbook("mh_arsverk_2023_lang.xlsx", {"Ark1": rows})


def test_arsverk_with_norwegian_months_as_columns_gives_the_long_layouts_figures(
    workbook, settings
):
    months = ["januar 2023", "februar 2023", "mars 2023", "april 2023"]
    values = {
        "Vitenskapelige": [622, 620, 618, 615],
        "Teknisk-administrative": [541, 540, 538.5, 537],
    }
    wide_rows = [
        ["Utvikling årsverk 2023 – MH"],
        [],
        ["Stillingskategori", *months, "Budsjett 2023"],
        *([k, *v, b] for (k, v), b in zip(values.items(), (630, 545), strict=True)),
        [],
        ["Sum", 1163, 1160, 1156.5, 1152, 1175],
    ]
    wide = merge_title(workbook("mh_arsverk_2023.xlsx", {"Årsverk": wide_rows}))
    result = parse_file(wide, settings)
    assert result.parsed.layout == "fte" and not result.parsed.warnings
    long_rows = [["Utvikling årsverk 2023, MH"], ["Enhet", "Periode", "Kategori", "Årsverk"]]
    long_rows += [["MH", "Budsjett 2023", k, b] for k, b in zip(values, (630, 545), strict=True)]
    long_rows += [["MH", m, k, v[i]] for i, m in enumerate(months) for k, v in values.items()]
    con = stored(settings, wide)
    try:
        f = figures(con).fte
        series, title = f.series.drop(columns="order"), f.title
    finally:
        con.close()
    settings.db_path.unlink()
    con = stored(settings, _fte_long(settings, workbook, long_rows))
    try:
        g = figures(con).fte
        assert g.series.drop(columns="order").equals(series) and g.title == title
        assert g.budget == 1175 and len(g.totals) == 4
    finally:
        con.close()


@pytest.mark.parametrize(
    "months",
    [
        ["jan", "feb", "mar", "apr"],
        ["Jan.", "Feb.", "Mars", "April"],
        ["2023-01", "2023-02", "2023-03", "2023-04"],
        [dt.datetime(2023, m, 1) for m in range(1, 5)],
        ["jan-23", "feb-23", "mar-23", "apr-23"],
    ],
)
def test_arsverk_month_headers_of_every_kind_with_units_in_rows(workbook, settings, months):
    rows = [
        ["Årsverk per institutt 2023"],
        ["Fakultet for medisin og helsevitenskap (MH)"],
        ["Enhet", *months],
        ["IKOM", 210, 209, "208,5", 207],
        ["ISB", 120, 121, 119, 118],
        ["Totalt", 330, 331, 327.5, 325],
    ]
    result = parse_file(workbook("mh_fte.xlsx", {"Ark1": rows}), settings)
    fte = result.parsed.tables["fte"]
    assert {(r["unit"], r["year"], r["month"]) for r in fte} >= {
        ("MH-IKOM", 2023, 1),
        ("MH-ISB", 2023, 4),
    }
    assert next(r["fte"] for r in fte if r["unit"] == "MH-IKOM" and r["month"] == 3) == 208.5
    assert [w for w in result.parsed.warnings if w.startswith("Ark1!C6")]  # 331 ≠ 209 + 121
    assert len(fte) == 8 and all(r["category"] is None for r in fte)


def test_arsverk_months_as_columns_refuse_a_bad_or_negative_value_by_cell(workbook, settings):
    head = [["Årsverk 2023, MH"], ["Kategori", "jan", "feb", "mar"]]
    with pytest.raises(CellError) as err:
        parse_file(
            workbook("a.xlsx", {"Ark1": [*head, ["Vitenskapelige", 600, "mye", 598]]}), settings
        )
    assert err.value.cell == "C3" and "mye" in err.value.render()
    with pytest.raises(CellError) as err:
        parse_file(
            workbook("b.xlsx", {"Ark1": [*head, ["Vitenskapelige", 600, "5-", 598]]}), settings
        )
    assert err.value.cell == "C3"


def test_months_as_columns_without_arsverk_anywhere_are_not_taken_as_arsverk(workbook, settings):
    rows = [["Driftskostnader 2023, MH"], ["Konto", "jan", "feb", "mar"], ["Reiser", 5, 6, 7]]
    with pytest.raises(Exception) as err:
        parse_file(workbook("mh_drift_2023.xlsx", {"Ark1": rows}), settings)
    assert "Fant ingen kjent tabell" in str(err.value)


# ------------------------------------------------------------------ PhD degrees

PHD = [
    ["Avlagte PhD 2022 – Fakultet for medisin og helsevitenskap (MH)"],
    [],
    ["Institutt", "Avlagte PhD"],
    ["IKOM", 38],
    ["ISB", "27"],
    [],
    ["KIN", 9],
    ["Sum", 75],
]


def test_phd_per_department_gives_the_finding_and_the_total(workbook, settings):
    path = merge_title(workbook("mh_phd.xlsx", {"PhD": PHD}), "A1:B1")
    result = parse_file(path, settings)
    assert result.parsed.layout == "phd_degrees" and result.parsed.year == 2022
    assert [w for w in result.parsed.warnings if w.startswith("PhD!B8")]  # 74, not 75
    con = stored(settings, path)
    try:
        p = figures(con).phd
    finally:
        con.close()
    assert list(p.departments["label"]) == ["IKOM", "ISB", "KIN"]
    assert p.total == 75  # the table's own sum, as the unit's figure
    assert p.title == "IKOM har flest avlagte doktorgrader i 2022: 38 av 75 ved MH"


def test_phd_with_a_year_column_gives_the_change_from_the_year_before(workbook, settings):
    rows = [["Doktorgrader, MH"], ["Enhet", "År", "Antall doktorgrader"]]
    rows += [["IKOM", 2021, 30], ["ISB", 2021, 29], ["IKOM", 2022, 38], ["ISB", 2022, 27]]
    con = stored(settings, workbook("mh_doktorgrader.xlsx", {"Ark1": rows}))
    try:
        p = figures(con).phd
    finally:
        con.close()
    assert (p.year, p.previous_year, p.total) == (2022, 2021, 65)
    assert dict(zip(p.departments["label"], p.departments["change"], strict=True)) == {
        "IKOM": 8,
        "ISB": -2,
    }


def test_a_dbh_export_of_doctorates_per_department_counts_as_phd_degrees(workbook, settings):
    inst, fac = (
        "Norges teknisk-naturvitenskapelige universitet",
        "Fakultet for medisin og helsevitenskap",
    )
    rows = [
        ["Doktorgrader per institutt (DBH)"],
        ["Årstall", "Institusjonsnavn", "Fakultetsnavn", "Avdelingsnavn", "Antall doktorgrader"],
        [2022, inst, fac, "Institutt for klinisk og molekylær medisin", 38],
        [2022, inst, fac, "Institutt for sirkulasjon og bildediagnostikk", 27],
    ]
    con = stored(settings, workbook("dbh_doktorgrader.xlsx", {"Ark1": rows}))
    try:
        p = figures(con).phd
    finally:
        con.close()
    assert p.title == "IKOM har flest avlagte doktorgrader i 2022: 38 av 65 ved MH"


def test_phd_refuses_a_part_degree_and_an_unknown_department_by_cell(workbook, settings):
    err = refusal(workbook, settings, PHD, ("a.xlsx", "PhD"), (4, 1), "12,5")
    assert err.cell == "B5" and "helt tall" in err.render()
    err = refusal(workbook, settings, PHD, ("b.xlsx", "PhD"), (6, 0), "Ukjent institutt")
    assert err.cell == "A7"


# ------------------------------------------------------------------ cost measures and the plan


def test_cost_measures_naming_the_plans_measures_are_linked_or_warned_by_cell(
    workbook, settings, monkeypatch
):
    plan = workbook(
        "mh_arsplan_2023.xlsx",
        {
            "Ark1": [
                ["Status på tiltak for 2023, MH"],
                ["Tiltak fra årsplan 2023", "Status"],
                ["Samle simuleringsaktiviteten på Øya i ett felles senter", "Utsatt: pga økonomi"],
                ["Arrangere Helseinnovasjonsdag", "✓ Gjennomført"],
            ]
        },
    )
    costs = workbook(
        "mh_tiltak_2024.xlsx",
        {
            "Tiltak": [
                ["Kostnadsreduksjon MH 2024–2025 (1000 kr)"],
                [],
                ["Tiltak", "2024", "2025", "Realisert effekt", "Tiltak i plan"],
                [
                    "Samle simulering",
                    "500",
                    "500",
                    200,
                    "samle simuleringsaktiviteten på Øya i ett felles senter",
                ],
                ["Avganger", "1 000", "1 000", 400, "Redusere bemanningen"],
                ["Arrangere Helseinnovasjonsdag", 50, None, None, None],
            ]
        },
    )
    con = stored(settings, plan)
    try:
        found = preview(con, costs, settings)
        warned = [w for w in found.result.parsed.warnings if "Redusere bemanningen" in w]
        assert warned and warned[0].startswith("Tiltak!E5")
        import_file(con, costs, settings, Overrides(), user="test")
        c = figures(con).costs
    finally:
        con.close()
    m = c.measures.set_index("name")
    assert m.loc["Samle simulering", "plan_status"] == "Utsatt: pga økonomi"
    assert m.loc["Arrangere Helseinnovasjonsdag", "plan_status"] == "✓ Gjennomført"  # by title
    assert c.unlinked == [("Redusere bemanningen", "Tiltak!E5")]
    assert c.links_title == "2 av 3 kostnadstiltak er tiltak i planen"
    page = Pages(settings.db_path, monkeypatch).run("okonomi", enhet="MH")
    shown = [w.value.replace("\\", "") for w in page.warning]  # as Markdown draws it
    assert [w for w in shown if w.startswith("Tiltak!E5: fant ikke tiltaket")]
    assert any("«Utsatt: pga økonomi»" in m.value for m in page.markdown)
