"""Measures carry what a plan needs to be realistic (issue «Ambitions against resources»):
owner, owning unit, resource need and funding, risk and priority, read from the status layouts
already accepted — sectioned, flat, two-row headers, text numbers, merged cells, English names —
missing values missing, and a risk or date that cannot be read refused by its cell."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard import store, vocab
from dashboard.errors import CellError
from dashboard.ingest.layouts.common import Overrides
from dashboard.ingest.layouts.resources import risk_level
from dashboard.ingest.pipeline import parse_file
from dashboard.service.imports import import_file

FIELDS = vocab.RESOURCE_FIELDS


def measures(result) -> list[dict]:
    return result.parsed.tables["measures"]


def picked(result, *fields) -> list[tuple]:
    return [tuple(m[f] for f in fields) for m in measures(result)]


def test_a_flat_report_with_every_resource_column(workbook, settings):
    path = workbook(
        "vm_handlingsplan_2022.xlsx",
        {
            "Tiltak": [
                ["Handlingsplan 2022–2024, NTNU Vitenskapsmuseet, status desember 2022"],
                [
                    "Område",
                    "Tiltak",
                    "Status",
                    "Ansvarlig",
                    "Ansvarlig enhet",
                    "Ressursbehov (1000 kr)",
                    "Årsverk",
                    "Timer",
                    "Finansiert (1000 kr)",
                    "Risiko",
                    "Begrunnelse for risiko",
                    "Prioritet",
                    "Start",
                    "Planlagt slutt",
                ],
                [
                    "Forskning",
                    "Digitalisere samlingene",
                    "Under arbeid",
                    "Kari Nordmann",
                    "VM",
                    "1 200",
                    "1,5",
                    None,
                    "800",
                    "Høy",
                    "Avhenger av én person",
                    "1",
                    "01.01.2022",
                    "31.12.2024",
                ],
                [
                    "Formidling",
                    "Ny basisutstilling",
                    "Ikke igangsatt",
                    None,
                    None,
                    None,
                    None,
                    400,
                    None,
                    "lav",
                    None,
                    None,
                    None,
                    None,
                ],
            ]
        },
    )
    result = parse_file(path, settings)
    assert result.parsed.layout == "status_text"
    first, second = measures(result)
    assert {f: first[f] for f in FIELDS} == {
        "owner": "Kari Nordmann",
        "owning_unit": "VM",
        "need_knok": 1200.0,
        "need_hours": None,
        "need_fte": 1.5,
        "granted_knok": 800.0,
        "risk": "høy",
        "risk_reason": "Avhenger av én person",
        "priority": "1",
    }
    assert str(first["period_start"]) == "2022-01-01" and str(first["period_end"]) == "2024-12-31"
    # missing values are missing, not zero
    assert (second["need_knok"], second["granted_knok"], second["owner"]) == (None, None, None)
    assert (second["need_hours"], second["risk"]) == (400.0, "lav")


def test_a_sectioned_report_with_english_names_in_another_order(workbook, settings):
    path = workbook(
        "mh_handlingsplan_2023.xlsx",
        {
            "Status 2023": [
                ["Handlingsplan MH, status 2023"],
                ["Risk", "Measure", "Owner", "Status (0-5)", "Estimated cost", "Funding granted"]
                + [
                    "Hours",
                    "FTE",
                    "Owning unit",
                    "Priority",
                    "Risk reason",
                    "Start",
                    "Planned end",
                ],
                ["Utdanning"],
                ["Medium", "Tiltak A", "Ola", 3, 250, 250]
                + ["1 200", "0,5", "MH-INB", "høy", "Få lærere", "01.01.2023", "31.12.2024"],
                ["Forskning"],
                ["high", "Tiltak B", "Kari", 1, 900, 0, None, None, None, None, None, None, None],
            ]
        },
    )
    result = parse_file(path, settings)
    assert result.parsed.layout == "status_scores"
    assert picked(result, "area", "risk", "owner", "need_knok", "granted_knok") == [
        ("Utdanning", "middels", "Ola", 250.0, 250.0),
        ("Forskning", "høy", "Kari", 900.0, 0.0),  # zero granted is zero, not missing
    ]
    fields = ("need_hours", "need_fte", "owning_unit", "priority", "risk_reason")
    assert picked(result, *fields, "period_start", "period_end") == [
        (1200.0, 0.5, "MH-INB", "høy", "Få lærere", dt.date(2023, 1, 1), dt.date(2024, 12, 31)),
        (None, None, None, None, None, None, None),  # blank is missing, never zero
    ]


def test_a_two_row_header_and_merged_cells(workbook, settings):
    from openpyxl import load_workbook

    path = workbook(
        "mh-inb_handlingsplan_2021.xlsx",
        {
            "S": [
                ["Handlingsplan 2021, status"],
                ["Tiltak", None, "Ressurser", None, "Status"],
                ["Beskrivelse", "Prosjektleder", "Ressursbehov", "Tildelt", "0-5"],
                ["A", "Per", 100, 50, 2],
                ["B", None, 200, None, 3],
                ["C", "Liv", "300", "300", 4],
            ]
        },
    )
    wb = load_workbook(path)
    wb["S"].merge_cells("B4:B5")  # one project leader for A and B
    wb["S"].merge_cells("A2:A3")  # «Tiltak» over «Beskrivelse»: a header, not an amount
    wb["S"].merge_cells("E2:E3")
    wb.save(path)
    result = parse_file(path, settings)
    assert picked(result, "title", "owner", "need_knok", "granted_knok") == [
        ("A", "Per", 100.0, 50.0),
        ("B", "Per", 200.0, None),
        ("C", "Liv", 300.0, 300.0),
    ]
    assert not [w for w in result.parsed.warnings if "sammenslått" in w], result.parsed.warnings


def test_an_amount_merged_across_measures_is_counted_once(workbook, settings):
    """A need of 600 merged beside A and B belongs to them together: read once (on A), with a
    warning naming the cell it is not counted again in; a merged risk is each row's."""
    from openpyxl import load_workbook

    path = workbook(
        "mh-inb_handlingsplan_2021.xlsx",
        {
            "S": [
                ["Handlingsplan 2021, status"],
                ["Tiltak", "Ressursbehov", "Risiko", "Status"],
                ["A", 600, "høy", 2],
                ["B", None, None, 3],
                ["C", 300, "lav", 4],
            ]
        },
    )
    wb = load_workbook(path)
    wb["S"].merge_cells("B3:B4")
    wb["S"].merge_cells("C3:C4")
    wb.save(path)
    result = parse_file(path, settings)
    assert picked(result, "title", "need_knok", "risk") == [
        ("A", 600.0, "høy"),
        ("B", None, "høy"),
        ("C", 300.0, "lav"),
    ]
    assert any("sammenslått" in w and "B4" in w for w in result.parsed.warnings), (
        result.parsed.warnings
    )


@pytest.mark.parametrize(
    ("need", "granted", "values", "expected", "notes"),
    [
        ("Ressursbehov (kr)", "Finansiert (kr)", ("1 200 000", 300000), (1200.0, 300.0), 2),
        ("Ressursbehov (mill. kr)", "Tildelt (MNOK)", ("1,2", 0.3), (1200.0, 300.0), 2),
        ("Ressursbehov (1000 kr)", "Finansiert (kNOK)", ("1 200", 300), (1200.0, 300.0), 0),
        ("Ressursbehov", "Finansiert", ("1 200", 300), (1200.0, 300.0), 0),
    ],
)
def test_amounts_in_kroner_or_millions_are_stored_in_1000_kr(
    workbook, settings, need, granted, values, expected, notes
):
    path = workbook(
        "mh_handlingsplan_2023.xlsx",
        {"S": [["Tiltak", "Status", need, granted], ["A", 2, *values]]},
    )
    result = parse_file(path, settings, Overrides(unit="MH", year=2023))
    assert picked(result, "need_knok", "granted_knok") == [expected]
    converted = [w for w in result.parsed.warnings if "regnet om til 1000 kr" in w]
    assert len(converted) == notes, result.parsed.warnings


def test_an_end_before_the_start_is_refused_by_its_cell(workbook, settings):
    path = workbook(
        "mh_handlingsplan_2023.xlsx",
        {
            "S": [
                ["Tiltak", "Status", "Start", "Planlagt slutt"],
                ["A", 2, "01.01.2023", "31.12.2024"],
                ["B", 3, "01.03.2024", "01.02.2024"],
            ]
        },
    )
    with pytest.raises(CellError) as err:
        parse_file(path, settings, Overrides(unit="MH", year=2023))
    assert (err.value.sheet, err.value.cell) == ("S", "D3")
    assert "planlagt slutt 01.02.2024 er før start 01.03.2024" in str(err.value.render())


@pytest.mark.parametrize(
    ("header", "value", "says"),
    [
        ("Risiko", "kanskje", "forventet risiko lav, middels eller høy, fant «kanskje»"),
        ("Planlagt slutt", "snart", "forventet en dato som «01.09.2023», fant «snart»"),
        ("Ressursbehov", "mye", "forventet et beløp i 1000 kr, fant «mye»"),
        ("Årsverk", "-2", "ikke negativt"),
    ],
)
def test_a_value_that_cannot_be_read_is_refused_by_its_cell(
    workbook, settings, header, value, says
):
    path = workbook(
        "mh_handlingsplan_2023.xlsx",
        {"S": [["Tiltak", "Status", header], ["A", 2, None], ["B", 3, value]]},
    )
    with pytest.raises(CellError) as err:
        parse_file(path, settings, Overrides(unit="MH", year=2023))
    assert err.value.cell == "C3" and err.value.sheet == "S"
    assert says in err.value.message


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Høy", "høy"),
        ("HIGH", "høy"),
        ("3 - høy", "høy"),
        ("Middels risiko", "middels"),
        ("lav", "lav"),
        ("1", "lav"),
        ("", None),
        ("ukjent", None),
        ("Lav til middels", None),  # two levels: not one, so refused by its cell
        ("middels/høy", None),
        ("Høy (rød)", "høy"),
    ],
)
def test_risk_words(text, level):
    assert risk_level(text) == level


def test_the_columns_are_stored_with_the_measures(workbook, settings, tmp_path):
    path = workbook(
        "mh_handlingsplan_2023.xlsx",
        {
            "S": [
                ["Tiltak", "Status", "Ansvarlig", "Ressursbehov", "Risiko"],
                ["A", 2, "Kari", 500, "høy"],
                ["B", 3, None, None, None],
            ]
        },
    )
    con = store.connect(tmp_path / "r.duckdb")
    import_file(con, path, settings, Overrides(unit="MH", year=2023))
    rows = con.execute("select title, owner, need_knok, risk from measures order by seq").fetchall()
    con.close()
    assert rows == [("A", "Kari", 500.0, "høy"), ("B", None, None, None)]


def test_a_measure_register_without_status(workbook, settings, tmp_path):
    path = workbook(
        "vm_tiltaksregister.xlsx",
        {
            "Register": [
                ["Tiltaksplan 2023–2025 for NTNU Vitenskapsmuseet – tiltaksregister"],
                [
                    "Tiltak",
                    "Prosjektleder",
                    "Kostnadsestimat",
                    "Innvilget",
                    "Oppstart",
                    "Ferdig",
                    "Risikonivå",
                ],
                ["Samlingsutvikling:"],
                [
                    "Digitalisere herbariet",
                    "Kari",
                    "2 400",
                    "1 000",
                    "01.01.2023",
                    "31.12.2025",
                    "Høy",
                ],
                ["Forskningsinfrastruktur:"],
                ["Nytt magasin", None, None, None, "01.06.2024", None, None],
                [],
                ["Kilde: ledermøtet"],
            ]
        },
    )
    result = parse_file(path, settings)
    assert result.parsed.layout == "measure_register" and result.parsed.unit == "VM"
    assert "status_reports" not in result.parsed.tables
    assert picked(result, "area", "title", "owner", "need_knok", "granted_knok", "risk") == [
        ("Samlingsutvikling", "Digitalisere herbariet", "Kari", 2400.0, 1000.0, "høy"),
        ("Forskningsinfrastruktur", "Nytt magasin", None, None, None, None),
    ]
    assert result.parsed.tables["plans"] == [
        {
            "unit": "VM",
            "plan": "Tiltaksplan 2023",
            "kind": "Tiltaksplan",
            "year": 2023,
            "round": None,
            "capacity": None,
        }
    ]
    con = store.connect(tmp_path / "reg.duckdb")
    saved = import_file(con, path, settings)
    assert saved.import_id is not None
    assert con.execute("select count(*) from measures where owner = 'Kari'").fetchone()[0] == 1
    con.close()


def test_an_evaluation_of_the_museums_plan(workbook, settings, tmp_path):
    """Sections, grades in several wordings, causes as tags; stored, and replaced as a whole
    by a newer evaluation of the same plan."""
    path = workbook(
        "vm_evaluering_tiltaksplan_2019_2021.xlsx",
        {
            "Evaluering": [
                ["Evaluering av tiltaksplanen 2019–2021, NTNU Vitenskapsmuseet"],
                ["Tiltak", "Måloppnåelse", "Årsaker", "Kommentar"],
                ["Samlingsutvikling:"],
                ["Digitalisere samlingene", "Svært god", None, None],
                ["Nytt magasin", "ikke gjennomført", "Underfinansiert; berørt av korona", "Kuttet"],
                ["Utstillingsaktivitet:"],
                [
                    "Ny basisutstilling",
                    "Middels måloppnåelse",
                    "berørt av korona\navhengig av én person",
                    None,
                ],
                ["Vandreutstilling", None, None, "ikke vurdert"],
                [],
                ["Kilde: ledersamling 2022"],
            ]
        },
    )
    result = parse_file(path, settings)
    assert result.parsed.layout == "plan_evaluation" and result.parsed.unit == "VM"
    rows = [
        (e["area"], e["title"], e["grade"], e["causes"])
        for e in result.parsed.tables["evaluations"]
    ]
    assert rows == [
        ("Samlingsutvikling", "Digitalisere samlingene", "svært god", None),
        (
            "Samlingsutvikling",
            "Nytt magasin",
            "ikke gjennomført",
            "Underfinansiert; Berørt av korona",
        ),
        (
            "Utstillingsaktivitet",
            "Ny basisutstilling",
            "middels",
            "Berørt av korona; Avhengig av én person",
        ),
        ("Utstillingsaktivitet", "Vandreutstilling", None, None),  # not graded: missing
    ]
    assert {e["plan"] for e in result.parsed.tables["evaluations"]} == {"Tiltaksplan 2019"}
    con = store.connect(tmp_path / "ev.duckdb")
    import_file(con, path, settings)
    assert con.execute("select count(*) from evaluations_at(999999)").fetchone()[0] == 4
    con.close()


def test_a_grade_that_cannot_be_read_is_refused_by_its_cell(workbook, settings):
    path = workbook(
        "vm_evaluering_2021.xlsx",
        {"E": [["Tiltak", "Evaluering"], ["A", "god"], ["B", "helt grei"]]},
    )
    with pytest.raises(CellError) as err:
        parse_file(path, settings, Overrides(unit="VM"))
    assert (err.value.sheet, err.value.cell) == ("E", "B3")
    assert "fant «helt grei»" in err.value.message


def test_a_register_says_how_many_measures_the_unit_can_carry(workbook, settings):
    path = workbook(
        "vm_tiltaksregister_2023.xlsx",
        {
            "T": [
                ["Tiltaksplan 2023 for VM"],
                ["Kapasitet: 6 tiltak samtidig"],
                ["Tiltak", "Ansvarlig"],
                ["A", "Kari"],
            ]
        },
    )
    assert parse_file(path, settings).parsed.tables["plans"][0]["capacity"] == 6
