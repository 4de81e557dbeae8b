"""Layout variants the importer must take: flat tables, text numbers, spacer columns, notes …"""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.ingest.layouts.common import Overrides
from dashboard.ingest.pipeline import parse_file

LEGEND = "Status 0= ikke igangsatt\n1= tiltaksplan vedtatt"


def records(result, table):
    return result.parsed.tables.get(table, [])


def test_flat_status_with_area_column_and_text_scores(workbook, settings):
    path = workbook(
        "mh-inb_handlingsplan_2020.xlsx",
        {
            "Ark1": [
                ["Handlingsplan 2020, status per desember"],
                [],
                ["Område", None, "Mål", "Tiltak", "Status (0-5)", "Kommentar"],
                ["Utdanning", None, "HP 13", "Tiltak A", "2.0", "ok"],
                ["Forskning", None, 14, "Tiltak B", 3, None],
                ["Forskning", None, "14", "Tiltak C", None, "ikke rapportert"],
                [],
                ["Merknad: status rapporteres to ganger i året."],
            ]
        },
    )
    result = parse_file(path, settings)
    assert (
        result.parsed.layout == "status_scores"
        and result.parsed.unit == "MH-INB"
        and result.parsed.year == 2020
    )
    measures = records(result, "measures")
    status = records(result, "status_reports")
    assert [m["goal_no"] for m in measures] == [13, 14, 14]
    assert [m["area"] for m in measures] == ["Utdanning", "Forskning", "Forskning"]
    assert [s["score"] for s in status] == [2, 3, None]


def test_status_column_with_numbers_is_the_score(workbook, settings):
    path = workbook(
        "status.xlsx",
        {
            "S": [
                ["HP nr.", "Tiltak", "Status", "Kommentar"],
                [1, "A", 4, "fint"],
                [2, "B", 0, None],
            ]
        },
    )
    result = parse_file(path, settings, Overrides(unit="MH", year=2021))
    assert [s["score"] for s in records(result, "status_reports")] == [4, 0]
    assert [s["category"] for s in records(result, "status_reports")] == [
        "Gjennomført",
        "Ikke igangsatt",
    ]


def test_text_status_with_two_date_cells(workbook, settings):
    path = workbook(
        "mh_arsplan_2024.xlsx",
        {
            "Status": [
                ["Status på tiltak for 2024"],
                ["Tiltak", "Fra", "Til", "Status", "Videreføres"],
                ["FORSKNING"],
                [
                    "Tiltak X",
                    dt.datetime(2024, 1, 1),
                    "31.12.2024",
                    "Under arbeid: noe forsinket",
                    None,
                ],
                ["Tiltak Y", "01.02.2024", dt.datetime(2024, 6, 30), "✓ Gjennomført", None],
                ["Tiltak Z", None, None, "Utsatt: pga økonomi", "2025"],
            ]
        },
    )
    result = parse_file(path, settings)
    assert result.parsed.layout == "status_text"
    measures = records(result, "measures")
    assert measures[0]["period_start"] == dt.date(2024, 1, 1) and measures[1][
        "period_end"
    ] == dt.date(2024, 6, 30)
    assert [s["category"] for s in records(result, "status_reports")] == [
        "Forsinket",
        "Gjennomført",
        "Utsatt",
    ]
    assert records(result, "status_reports")[0]["status_text"] == "Under arbeid: noe forsinket"
    assert {m["area"] for m in measures} == {"Forskning"}


def test_prognosis_amounts_as_text_with_trailing_minus_and_spacer_column(workbook, settings):
    nbsp = "\u00a0"
    path = workbook(
        "prognose.xlsx",
        {
            "Ark": [
                ["Prognose pr. september 2024"],
                ["Enhet: MH-ISB. Tall i 1000 kr."],
                [],
                ["Linje", None, "Budsjett i år", "Prognose i år", "Avvik"],
                ["IB", None, "1 000", "1 000", "-"],
                ["Resultat", None, "500-", "700-", "200"],
                ["Inntekt", None, f"10{nbsp}000", "9 800", "200"],
                ["Bevilgning", None, "10 000", "9 800", "200"],
                ["Kostnad", None, "10 500-", "10 500-", "-"],
                ["Lønn", None, "8 000-", "8 100-", "100"],
                ["Drift", None, "2 500-", "2 400-", "100-"],
                ["UB", None, "500", "300", "200"],
                [],
                ["Note: foreløpige tall"],
            ]
        },
    )
    result = parse_file(path, settings)
    parsed = result.parsed
    assert (parsed.layout, parsed.unit, parsed.year, parsed.label) == (
        "budget_prognosis",
        "MH-ISB",
        2024,
        "prognose september 2024",
    )
    figures = {(r["line"], r["kind"]): r["amount_knok"] for r in records(result, "budget_figures")}
    assert figures[("Resultat", "budget")] == -500 and figures[("Drift", "deviation")] == -100
    assert parsed.warnings == []


def test_arithmetic_breaks_become_warnings_naming_cells(workbook, settings):
    path = workbook(
        "mh_prognose_2024_05.xlsx",
        {
            "Prognose": [
                [
                    "Bevilgningsramme BFV",
                    "Budsjett i år",
                    "Prognose i år",
                    "Prognostisert budsjettavvik",
                ],
                ["IB", 100, 100, 0],
                ["Resultat", -50, -60, 10],
                ["Inntekt", 1000, 990, 10],
                ["Bevilgning", 900, 900, 0],
                ["Andre inntekter", 90, 90, 0],
                ["Kostnad", -1050, -1050, 0],
                ["Lønn", -1050, -1050, 0],
                ["UB", 60, 40, 25],
            ]
        },
    )
    warnings = parse_file(path, settings).parsed.warnings
    text = "\n".join(warnings)
    assert "Prognose!B4" in text and "differanse 10" in text  # Inntekt ≠ 900 + 90
    assert "Prognose!B9" in text  # UB ≠ IB + Resultat (100 − 50 = 50, printed 60)
    assert "Prognose!D9" in text  # printed deviation 25 ≠ 60 − 40


def test_multiyear_ib_chain_break_is_a_warning(workbook, settings):
    path = workbook(
        "mh_langtid_2023.xlsx",
        {
            "LTB": [
                ["Langtidsbudsjett MH"],
                ["Linje", "Budsjett i år", "2024", "2025"],
                ["IB", 100, 150, 999],
                ["Resultat", 50, 20, 10],
                ["UB", 150, 170, 1009],
            ]
        },
    )
    result = parse_file(path, settings)
    assert result.parsed.year == 2023
    assert any("LTB!D3" in w and "IB" in w for w in result.parsed.warnings)


def test_wide_values_as_text_percent_and_text_years_with_hidden_helper_sheet(workbook, settings):
    path = workbook(
        "iot_tall.xlsx",
        {
            "Hjelp": [["Indikator", "2019", "2020"], ["Skjult", "x", "y"]],
            "Tall": [
                ["Resultatmål IØT"],
                ["Indikator", "2019", "2020", "2021"],
                ["Studiepoeng", "2 710", "2 800", None],
                ["Andel", "59,8 %", "60,1 %", "61 %"],
            ],
        },
        hidden=("Hjelp",),
    )
    result = parse_file(path, settings)
    values = records(result, "indicator_values")
    assert {(v["indicator"], v["year"]): v["value"] for v in values} == {
        ("Studiepoeng", 2019): 2710,
        ("Studiepoeng", 2020): 2800,
        ("Andel", 2019): 59.8,
        ("Andel", 2020): 60.1,
        ("Andel", 2021): 61,
    }
    assert result.parsed.unit == "IØT"


def test_several_units_in_one_wide_sheet(workbook, settings):
    path = workbook(
        "dbh.xlsx",
        {
            "DBH": [
                ["Enhet", "Indikator", 2022, 2023],
                ["MH", "Kandidater", 100, 110],
                ["NV", "Kandidater", 200, None],
            ]
        },
    )
    values = records(parse_file(path, settings), "indicator_values")
    assert sorted((v["unit"], v["year"]) for v in values) == [
        ("MH", 2022),
        ("MH", 2023),
        ("NV", 2022),
    ]


def test_dbh_long_export_one_row_per_year(workbook, settings):
    path = workbook(
        "dbh_export.xlsx",
        {
            "Export": [
                ["Institusjonsnavn", "Årstall", "Førstevalgssøkere", "Studieplasser", "Kommentar"],
                ["NTNU", 2022, 5400, 1200, "a"],
                ["NTNU", 2023, "5 600", 1250, "b"],
            ]
        },
    )
    result = parse_file(path, settings)
    values = records(result, "indicator_values")
    assert {(v["indicator"], v["year"]): v["value"] for v in values} == {
        ("Førstevalgssøkere", 2022): 5400,
        ("Studieplasser", 2022): 1200,
        ("Førstevalgssøkere", 2023): 5600,
        ("Studieplasser", 2023): 1250,
    }


def test_ledger_rows(workbook, settings):
    path = workbook(
        "hovedbok.xlsx",
        {
            "Data": [
                ["enhet", "år", "måned", "linje/konto", "budsjett", "prognose"],
                ["MH-INB", 2023, 1, "Lønn", "1 000-", -1100],
                ["MH-INB", 2023, "februar", "Lønn", -1000, -1050],
                ["MH-ISB", "2023", 1, "Drift", -200, None],
                [None, None, None, "Sum", -2200, -2150],
            ]
        },
    )
    result = parse_file(path, settings, Overrides(label="prognose oktober 2023"))
    table = result.parsed.arrow_tables["budget_figures"].to_pylist()
    assert result.parsed.layout == "ledger"
    assert len(table) == 5  # 3 budget + 2 prognosis amounts
    assert {r["month"] for r in table} == {1, 2}
    assert sum(r["amount_knok"] for r in table if r["kind"] == "budget") == -2200
    assert all(
        r["label"] == "prognose oktober 2023" and r["as_of"] == dt.date(2023, 10, 1) for r in table
    )


def test_positive_costs_are_stored_negative(workbook, settings):
    path = workbook(
        "mh_prognose_2024_03.xlsx",
        {
            "P": [
                ["Linje", "Budsjett", "Prognose"],
                ["Resultat", 100, 50],
                ["Inntekt", 1000, 1000],
                ["Lønn", 0, 0],
                ["Kostnad", 900, 950],
                ["Drift", 900, 950],
            ]
        },
    )
    result = parse_file(path, settings)
    figures = {(r["line"], r["kind"]): r["amount_knok"] for r in records(result, "budget_figures")}
    assert figures[("Kostnad", "budget")] == -900 and figures[("Drift", "prognosis")] == -950
    assert any("positive" in w for w in result.parsed.warnings)


def test_allocations_with_header_and_sum_row(workbook, settings):
    path = workbook(
        "fordeling_nv_2024.xlsx",
        {
            "F": [
                ["Tildeling 2024"],
                ["Enhet", "Beløp (1000 kr)"],
                ["NV-IBI", 100],
                ["NV-IKJ", "-"],
                ["Sum", 100],
            ]
        },
    )
    result = parse_file(path, settings)
    rows = records(result, "allocations")
    assert result.parsed.unit == "NV" or result.parsed.layout == "allocations"
    assert [(r["unit"], r["amount_knok"], r["is_total"]) for r in rows][:2] == [
        ("NV-IBI", 100.0, False),
        ("NV-IKJ", None, False),
    ]


@pytest.mark.parametrize("header", ["Tiltak i handlingsplanen", "TILTAK", "tiltak:", "Measure"])
def test_header_synonyms_ignore_case_and_punctuation(workbook, settings, header):
    path = workbook("x_mh_2022.xlsx", {"A": [["HP-nr", header, "Status"], [1, "A", 2]]})
    result = parse_file(path, settings)
    assert records(result, "status_reports")[0]["score"] == 2


def test_ledger_duplicate_row_names_both_rows(workbook, settings):
    from dashboard.errors import CellError

    path = workbook(
        "hovedbok.xlsx",
        {
            "Data": [
                ["enhet", "år", "måned", "linje", "budsjett"],
                ["MH-INB", 2023, 1, "Lønn", -1],
                ["MH-INB", 2023, 2, "Lønn", -1],
                ["MH-INB", 2023, 1, "Lønn", -2],
            ]
        },
    )
    with pytest.raises(CellError, match=r"Data!D4.*rad 2"):
        parse_file(path, settings, Overrides(label="prognose oktober 2023"))


@pytest.mark.parametrize("title_rows", [0, 2])
def test_bulk_path_reads_typed_rows_below_a_peeked_header(workbook, settings, title_rows):
    """Force the bulk path (fastexcel, header found by peeking the XML) on a small ledger."""
    import dataclasses

    rows = [["Hovedbokseksport MH 2023"], []][:title_rows] + [
        ["Enhet", None, "År", "Måned", "Konto", "Budsjett", "Prognose"],
        ["MH-INB", None, 2023, 1, 4010, -1000, "1 100-"],
        ["MH-ISB", None, 2023, 2, 4010, -500, -450],
        ["MH-ISB", None, 2023, 3, "Drift", "-", -10],
    ]
    path = workbook("hovedbok_2023_10.xlsx", {"Data": rows})
    bulk = dataclasses.replace(settings, bulk_sheet_bytes=1)
    result = parse_file(path, bulk)
    table = result.parsed.arrow_tables["budget_figures"].to_pylist()
    assert {(r["unit"], r["month"], r["line"], r["kind"]): r["amount_knok"] for r in table} == {
        ("MH-INB", 1, "4010", "budget"): -1000,
        ("MH-INB", 1, "4010", "prognosis"): -1100,
        ("MH-ISB", 2, "4010", "budget"): -500,
        ("MH-ISB", 2, "4010", "prognosis"): -450,
        ("MH-ISB", 3, "Drift", "prognosis"): -10,
    }
    assert result.parsed.label == "prognose oktober 2023"
    bad = workbook(
        "hovedbok_2023_11.xlsx",
        {"Data": rows[:-1] + [["MH-ISB", None, 2023, 3, "Drift", "mye", -10]]},
    )
    from dashboard.errors import CellError

    with pytest.raises(CellError, match=rf"Data!F{title_rows + 4}"):
        parse_file(bad, bulk)


PERIOD_HEADER = ["Enhet", "Periode", "Konto", "Budsjett", "Prognose"]


@pytest.mark.parametrize("bulk", [False, True])
@pytest.mark.parametrize(
    "periods",
    [
        (202310, 202311),
        ("202310", "2023-11"),
        ("10.2023", "november 2023"),
        (dt.datetime(2023, 10, 1), dt.datetime(2023, 11, 1)),
    ],
)
def test_ledger_with_one_period_column_instead_of_year_and_month(workbook, settings, periods, bulk):
    import dataclasses

    rows = [
        PERIOD_HEADER,
        ["MH-INB", periods[0], "Lønn", -100, -110],
        ["MH-INB", periods[1], "Lønn", -100, "120-"],
    ]
    path = workbook("hovedbok.xlsx", {"Hovedbok": rows})
    if bulk:
        settings = dataclasses.replace(settings, bulk_sheet_bytes=1)
    result = parse_file(path, settings, Overrides(label="prognose november 2023"))
    table = result.parsed.arrow_tables["budget_figures"].to_pylist()
    assert {(r["year"], r["month"], r["kind"]): r["amount_knok"] for r in table} == {
        (2023, 10, "budget"): -100,
        (2023, 11, "budget"): -100,
        (2023, 10, "prognosis"): -110,
        (2023, 11, "prognosis"): -120,
    }


def test_ledger_period_as_month_number_beside_a_year_column(workbook, settings):
    rows = [
        ["Enhet", "År", "Periode", "Konto", "Budsjett"],
        ["MH-INB", 2023, 10, "Lønn", -100],
        ["MH-INB", 2023, 11, "Lønn", -90],
    ]
    result = parse_file(
        workbook("hovedbok.xlsx", {"Hovedbok": rows}),
        settings,
        Overrides(label="prognose november 2023"),
    )
    table = result.parsed.arrow_tables["budget_figures"].to_pylist()
    assert [(r["year"], r["month"]) for r in table] == [(2023, 10), (2023, 11)]


@pytest.mark.parametrize(
    ("header", "row", "message"),
    [
        (PERIOD_HEADER, ["MH-INB", 202313, "Lønn", -1, -1], r"Hovedbok!B2: forventet en periode"),
        (PERIOD_HEADER, ["MH-INB", 10, "Lønn", -1, -1], r"Hovedbok!B2: perioden «10» sier ikke"),
        (
            ["Enhet", "År", "Periode", "Konto", "Budsjett"],
            ["MH-INB", 2023, 202410, "Lønn", -1],
            r"Hovedbok!C2: perioden gjelder 2024, men raden står i år 2023",
        ),
    ],
)
def test_ledger_period_that_cannot_be_read_names_the_cell(workbook, settings, header, row, message):
    from dashboard.errors import CellError

    path = workbook("hovedbok.xlsx", {"Hovedbok": [header, row]})
    with pytest.raises(CellError, match=message):
        parse_file(path, settings, Overrides(label="prognose oktober 2023"))


def test_scores_given_with_their_meaning_keep_score_and_text(workbook, settings):
    path = workbook(
        "mh_handlingsplan_2022.xlsx",
        {
            "Status": [
                ["Handlingsplan 2022 for MH – status"],
                ["Mål", "Tiltak", "Ansvarlig", "Status", "Kommentar"],
                ["HP 3", "Tiltak A", "Dekan", "3 - Under arbeid", "ok"],
                ["HP 4", "Tiltak B", "Dekan", "0: Ikke igangsatt", None],
                ["5", "Tiltak C", "Prodekan", "4. Gjennomført", "ferdig"],
                ["6", "Tiltak D", "Prodekan", "Utsatt", None],
            ]
        },
    )
    result = parse_file(path, settings)
    assert result.parsed.layout == "status_scores"
    status = records(result, "status_reports")
    assert [(s["score"], s["status_text"], s["category"]) for s in status] == [
        (3, "3 - Under arbeid", "Under arbeid"),
        (0, "0: Ikke igangsatt", "Ikke igangsatt"),
        (4, "4. Gjennomført", "Gjennomført"),
        (None, "Utsatt", "Utsatt"),
    ]
    assert [s["comment"] for s in status] == ["ok", None, "ferdig", None]


def test_text_status_with_years_as_periods_and_more_status_words(workbook, settings):
    path = workbook(
        "mh_arsplan_2024.xlsx",
        {
            "Årsplan": [
                ["Årsplan 2024 for MH"],
                ["Tiltak", "Periode", "Status", "Kommentar"],
                ["A", 2024, "I rute", None],
                ["B", "2024–2025", "Ikke i rute", None],
                ["C", "01.09.2024 – 2026", "Ikke i gang", None],
                ["D", "2024-2025", "Ikke aktuell", None],
            ]
        },
    )
    result = parse_file(path, settings)
    measures = records(result, "measures")
    assert [(m["period_start"], m["period_end"]) for m in measures] == [
        (dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        (dt.date(2024, 1, 1), dt.date(2025, 12, 31)),
        (dt.date(2024, 9, 1), dt.date(2026, 12, 31)),
        (dt.date(2024, 1, 1), dt.date(2025, 12, 31)),
    ]
    status = records(result, "status_reports")
    assert [s["category"] for s in status] == ["Under arbeid", "Forsinket", "Ikke igangsatt", None]
    assert any("«Ikke aktuell» passer ingen regel" in w for w in result.parsed.warnings)


def test_two_row_header_with_a_group_heading_above_the_column_names(workbook, settings):
    path = workbook(
        "mh_handlingsplan_2022.xlsx",
        {
            "Status": [
                ["Handlingsplan 2022 MH"],
                ["Strategisk mål", "Tiltak", "Status", None],
                ["Nr.", "Beskrivelse", "0-5", "Kommentar"],
                [3, "Tiltak A", 3, "ok"],
                [4, "Tiltak B", 2, None],
            ]
        },
    )
    result = parse_file(path, settings)
    assert result.parsed.layout == "status_scores"
    assert [m["title"] for m in records(result, "measures")] == ["Tiltak A", "Tiltak B"]
    assert [s["score"] for s in records(result, "status_reports")] == [3, 2]
    prognosis = workbook(
        "mh_prognose_2023_10.xlsx",
        {
            "Prognose": [
                ["Prognose pr. oktober 2023, MH"],
                [None, "Budsjett", "Prognose", "Avvik"],
                ["Bevilgningsramme BFV", "i år", "i år", "budsjett − prognose"],
                ["Bevilgning", 1000, 1000, 0],
                ["Lønn", -800, -850, 50],
                ["Inngående balanse (IB)", 100, 100, 0],
                ["Resultat", 200, 150, 50],
                ["UB 2023", 300, 250, 50],
            ]
        },
    )
    result = parse_file(prognosis, settings)
    assert result.parsed.layout == "budget_prognosis" and not result.parsed.warnings
    figures = {(r["line"], r["kind"]): r["amount_knok"] for r in records(result, "budget_figures")}
    assert figures[("Lønn", "prognosis")] == -850 and figures[("UB", "budget")] == 300


@pytest.mark.parametrize("total_first", [True, False])
def test_allocations_to_departments_named_without_their_faculty(workbook, settings, total_first):
    rows = [["INB", "10 000"], ["ISB", "-"], ["IKOM", 5000]]
    rows = [["MH", 15000], *rows] if total_first else [*rows, ["Sum", 15000]]
    path = workbook(
        "fordeling_mh_2023.xlsx",
        {"F": [["Fordeling av sentrale avsetninger MH 2023 (1000 kr)"], ["Enhet", "Beløp"], *rows]},
    )
    result = parse_file(path, settings)
    got = {(r["unit"], r["amount_knok"], r["is_total"]) for r in records(result, "allocations")}
    assert got == {
        ("MH-INB", 10000.0, False),
        ("MH-ISB", None, False),
        ("MH-IKOM", 5000.0, False),
        ("MH", 15000.0, True),
    }
    assert not result.parsed.warnings


def test_amounts_in_kroner_are_stored_in_thousands_with_a_note(workbook, settings):
    ledger = workbook(
        "hovedbok.xlsx",
        {
            "Hovedbok": [
                ["Hovedbokseksport, beløp i kroner"],
                ["Enhet", "År", "Konto", "Budsjett (kr)", "Prognose (kr)"],
                ["MH-INB", 2023, "Lønn", -1_250_000, "-1 300 000,50"],
            ]
        },
    )
    result = parse_file(ledger, settings, Overrides(label="prognose oktober 2023"))
    table = result.parsed.arrow_tables["budget_figures"].to_pylist()
    assert [r["amount_knok"] for r in table] == [-1250.0, pytest.approx(-1300.0005)]
    assert any("kroner og er regnet om til 1000 kr" in w for w in result.parsed.warnings)
    prognosis = workbook(
        "mh_prognose_2023_10.xlsx",
        {
            "P": [
                ["Prognose pr. oktober 2023 (mill. kr)"],
                ["Linje", "Budsjett i år", "Prognose i år"],
                ["Bevilgning", 1.5, 1.25],
            ]
        },
    )
    result = parse_file(prognosis, settings)
    figures = {r["kind"]: r["amount_knok"] for r in records(result, "budget_figures")}
    assert figures == {"budget": 1500.0, "prognosis": 1250.0}


@pytest.mark.parametrize(
    "title", ["Fordeling MH 2023 (1000 kr)", "Fordeling MH 2023 i kNOK", "Fordeling MH 2023"]
)
def test_amounts_said_or_taken_to_be_in_thousands_stay_as_they_are(workbook, settings, title):
    path = workbook(
        "fordeling_mh_2023.xlsx",
        {"F": [[title], ["Enhet", "Beløp"], ["MH-INB", 100], ["MH-ISB", 50]]},
    )
    result = parse_file(path, settings)
    assert [r["amount_knok"] for r in records(result, "allocations")] == [100.0, 50.0]
    assert not result.parsed.warnings


def test_result_targets_written_in_words_without_a_type_column(workbook, settings):
    path = workbook(
        "iot_resultatmal.xlsx",
        {
            "Resultatmål": [
                ["Resultatmål for IØT 2018–2025"],
                ["Område", "Resultatmål", "Mål"],
                [
                    "Utdanning",
                    "Primærsøkere per studieplass",
                    "Minst 5 primærsøkere per studieplass",
                ],
                ["Økonomi", "Lønnsandel", "≤ 90 %"],
                ["Utdanning", "Studiepoeng", "+15 % studiepoeng 2025 vs 2018"],
                ["Forskning", "BOA-inntekter", "skal øke med 50 % sammenlignet med 2018-nivået"],
                ["Forskning", "Ph.d.-rekruttering", "Minst 30 % innen 2025"],
            ]
        },
    )
    result = parse_file(path, settings)
    assert result.parsed.layout == "indicator_defs" and result.parsed.unit == "IØT"
    got = [
        (
            d["indicator"],
            d["kind"],
            d["target"],
            d["baseline_year"],
            d["target_year"],
            d["measure_unit"],
        )
        for d in records(result, "indicator_defs")
    ]
    assert got == [
        ("Primærsøkere per studieplass", "minimum", 5.0, None, None, None),
        ("Lønnsandel", "maximum", 90.0, None, None, "%"),
        ("Studiepoeng", "growth", 0.15, 2018, 2025, None),
        ("BOA-inntekter", "growth", 0.5, 2018, None, None),
        ("Ph.d.-rekruttering", "minimum", 30.0, None, 2025, "%"),
    ]


def test_result_target_in_words_without_a_type_names_the_cell(workbook, settings):
    from dashboard.errors import CellError

    path = workbook(
        "iot_resultatmal.xlsx",
        {"R": [["Resultatmål IØT"], ["Resultatmål", "Mål"], ["Lønnsandel", "90 %"]]},
    )
    with pytest.raises(CellError, match=r"R!B3: forventet et mål som sier typen"):
        parse_file(path, settings)


def test_numbered_sections_and_one_sheet_per_area(workbook, settings):
    header = ["HP nr.", "Tiltak", "Status", "Kommentar"]
    numbered = workbook(
        "mh_handlingsplan_2019.xlsx",
        {
            "S": [
                ["Handlingsplan for MH 2019 – status"],
                header,
                ["1. Utdanning"],
                [3, "A", 2, None],
                ["2 Forskning"],
                [4, "B", 3, None],
                ["C) INNOVASJON"],
                [5, "C", 1, None],
                ["HMS"],
                [6, "D", 0, None],
            ]
        },
    )
    areas = [m["area"] for m in records(parse_file(numbered, settings), "measures")]
    assert areas == ["Utdanning", "Forskning", "Innovasjon", "HMS"]
    per_sheet = workbook(
        "mh_handlingsplan_2019.xlsx",
        {
            "Utdanning": [
                ["Handlingsplan for MH 2019"],
                header,
                [3, "A", 2, None],
                [4, "B", 1, None],
            ],
            "Forskning": [["Handlingsplan for MH 2019"], header, [5, "C", 3, None]],
        },
    )
    result = parse_file(per_sheet, settings)
    assert [(m["area"], m["title"]) for m in records(result, "measures")] == [
        ("Utdanning", "A"),
        ("Utdanning", "B"),
        ("Forskning", "C"),
    ]
    rounds = workbook(
        "mh_handlingsplan_2019.xlsx",
        {"Status 2019": [["Handlingsplan for MH 2019"], header, [3, "A", 2, None]], "Ark2": []},
    )
    assert [m["area"] for m in records(parse_file(rounds, settings), "measures")] == [None]


@pytest.mark.parametrize(
    "header",
    [
        ["Linje", "Budsjett 2023", "Prognose 2023", "Plan 2024", "Plan 2025"],
        ["Linje", "2023 (budsjett)", "2024 (plan)", "2025 (plan)"],
    ],
)
def test_multiyear_plan_years_named_with_words_are_not_lost(workbook, settings, header):
    rows = [["Bevilgning", 1000, 1100, 1200], ["Lønn", -800, -900, -950]]
    if len(header) == 5:
        rows = [[r[0], r[1], r[1], r[2], r[3]] for r in rows]
    path = workbook(
        "mh_ltb.xlsx", {"LTB": [["Langtidsbudsjett MH, prognose oktober 2023"], header, *rows]}
    )
    result = parse_file(path, settings)
    assert result.parsed.layout == "budget_multiyear" and result.parsed.year == 2023
    kinds = {
        (r["kind"], r["year"], r["line"]): r["amount_knok"]
        for r in records(result, "budget_figures")
    }
    assert kinds[("budget", 2023, "Bevilgning")] == 1000
    assert kinds[("long_term_plan", 2024, "Bevilgning")] == 1100
    assert kinds[("long_term_plan", 2025, "Lønn")] == -950


def test_dbh_export_with_codes_and_a_department_column(workbook, settings):
    from dashboard.errors import CellError

    header = [
        "Institusjonskode",
        "Institusjonsnavn",
        "Avdelingskode",
        "Avdelingsnavn",
        "Årstall",
        "Studiepoeng",
    ]
    mh = "Fakultet for medisin og helsevitenskap"
    path = workbook(
        "dbh_studiepoeng.xlsx",
        {
            "Tabell": [
                header,
                [1150, "NTNU", 680000, mh, 2023, 12345.5],
                [1150, "NTNU", 680000, mh, 2024, 13000],
            ]
        },
    )
    result = parse_file(path, settings)
    values = records(result, "indicator_values")
    assert [(v["unit"], v["indicator"], v["year"], v["value"]) for v in values] == [
        ("MH", "Studiepoeng", 2023, 12345.5),
        ("MH", "Studiepoeng", 2024, 13000.0),
    ]  # codes are not indicators; the department is the unit
    # a code not in the code table is kept under the code, below its faculty, and listed
    unknown = workbook(
        "dbh_ukjent.xlsx",
        {"Tabell": [header, [1150, "NTNU", 680999, "Institutt for noe helt annet", 2023, 5]]},
    )
    kept = parse_file(unknown, settings)
    assert [(v["unit"], v["value"]) for v in records(kept, "indicator_values")] == [("680999", 5)]
    assert kept.parsed.entities["680999"] == ("Institutt for noe helt annet", "MH", None)
    assert any(w.startswith("Tabell!C2: Koden 680999") for w in kept.parsed.warnings)
    # a name alone that Målbilde does not know is refused, naming the cell
    no_code = workbook(
        "dbh_ukjent_navn.xlsx",
        {
            "Tabell": [
                [h for h in header if h != "Avdelingskode"],
                [1150, "NTNU", "Institutt X", 2023, 5],
            ]
        },
    )
    with pytest.raises(CellError, match=r"Tabell!C2: forventet en enhet Målbilde kjenner"):
        parse_file(no_code, settings)
    semesters = workbook(
        "dbh_studenter.xlsx",
        {
            "Tabell": [
                ["Institusjonskode", "Institusjonsnavn", "Årstall", "Semester", "Antall studenter"],
                [1150, "NTNU", 2023, 1, 40000],
                [1150, "NTNU", 2023, 3, 42000],
            ]
        },
    )
    with pytest.raises(CellError, match=r"Tabell!E3: .* én rad per semester"):
        parse_file(semesters, settings)


def test_percent_formatted_fractions_are_read_as_shown(workbook, settings):
    path = workbook(
        "ntnu_indikatorer.xlsx",
        {
            "Ark1": [
                ["Enhet", "Indikator", "2019", "2020", "2021"],
                ["NTNU", "Andel ph.d.-kandidater", 0.598, 0.61, "62,5 %"],
                ["NTNU", "Primærsøkere per studieplass", 4.1, 4.5, 5.2],
            ]
        },
        formats={"C2": "0.0%", "D2": "0.00%", "C3": '0.0" %"'},
    )
    values = {
        (v["indicator"], v["year"]): v["value"]
        for v in records(parse_file(path, settings), "indicator_values")
    }
    assert values[("Andel ph.d.-kandidater", 2019)] == pytest.approx(59.8)
    assert values[("Andel ph.d.-kandidater", 2020)] == pytest.approx(61.0)
    assert values[("Andel ph.d.-kandidater", 2021)] == pytest.approx(62.5)
    # a literal «%» in quotes is text beside the number, not a percentage of it
    assert values[("Primærsøkere per studieplass", 2019)] == pytest.approx(4.1)


def test_merged_cells_spanning_rows_and_an_area_written_once_per_group(workbook, settings):
    from openpyxl import load_workbook

    path = workbook(
        "mh-inb_handlingsplan_2020.xlsx",
        {
            "S": [
                ["Handlingsplan 2020, status"],
                ["Område", "Mål", "Tiltak", "Status"],
                ["Utdanning", "HP 3", "A", 2],
                [None, None, "B", 3],
                [None, "HP 4", "C", 1],
                ["Forskning", "HP 5", "D", 0],
                [None, None, "E", 4],
            ]
        },
    )
    wb = load_workbook(path)
    wb["S"].merge_cells("A1:D1")  # a title across the table: not a value for each column
    wb["S"].merge_cells("B3:B4")  # goal HP 3 beside measures A and B
    wb["S"].merge_cells("B6:B7")
    wb.save(path)
    result = parse_file(path, settings)
    measures = records(result, "measures")
    assert [(m["area"], m["goal_no"], m["title"]) for m in measures] == [
        ("Utdanning", 3, "A"),
        ("Utdanning", 3, "B"),
        ("Utdanning", 4, "C"),
        ("Forskning", 5, "D"),
        ("Forskning", 5, "E"),
    ]


def test_goal_header_judged_by_its_values_flat_report_keeps_every_goal(workbook, settings):
    """«Strategisk mål (HP)» with «HP 3» … is a goal number, not a goal text: the flat report
    yields the 28 goals of its sectioned original, and the import says how it read the column."""
    import openpyxl

    from tests.conftest import SHARED

    original = SHARED / "examples" / "mh_handlingsplan_2019_status.xlsx"
    rows, area = [], None
    for row in openpyxl.load_workbook(original, read_only=True).active.iter_rows(values_only=True):
        first = row[0]
        if isinstance(first, str) and first.endswith(":") and not any(row[1:]):
            area = first[:-1]
        elif first not in (None, "HP nr.") and row[1]:
            rows.append([area, f"HP {first}", row[1], row[3], row[2]])
    path = workbook(
        "mh_handlingsplan_2019_flat.xlsx",
        {
            "Status": [
                ["Handlingsplan for MH-fakultetet 2019, status desember"],
                ["Område", "Strategisk mål (HP)", "Tiltak", "Status (0-5)", "Kommentar"],
                *rows,
            ]
        },
    )
    flat, sectioned = parse_file(path, settings), parse_file(original, settings)

    def goals(result):
        return {m["goal_no"] for m in records(result, "measures")} - {None}

    assert len(records(flat, "measures")) == 32
    assert goals(flat) == goals(sectioned) and len(goals(flat)) == 28
    assert any("«Strategisk mål (HP)» er lest som målnummer" in w for w in flat.parsed.warnings)


@pytest.mark.parametrize(
    "values, kind",
    [
        (["HP 3", "HP 4", "hp13", 7, "Mål 4", "12"], "goal_no"),
        (["Økt kvalitet i utdanningen", "Flere søkere til studiene", "HP 3"], None),
        (["Økt kvalitet i utdanningen", "Flere gode søkere til studiene"], "goal_text"),
        ([], None),
    ],
)
def test_goal_column_kind_from_values(values, kind):
    from dashboard.ingest.judge import value_kind

    assert value_kind(values) == kind
