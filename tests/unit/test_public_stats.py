"""Public statistics as published: HK-dir's key-figure tables and DBH exports in both naming
styles, with codes; other institutions kept as peers outside NTNU's tree."""

from __future__ import annotations

import pytest

from dashboard import store
from dashboard.entities import UNIVERSITY, institutions
from dashboard.ingest.pipeline import parse_file
from dashboard.service.imports import store_result
from data import peer_figures as P


def values_of(result) -> dict[tuple[str, str, int], float]:
    return {
        (v["unit"], v["indicator"], v["year"]): v["value"]
        for v in result.parsed.tables["indicator_values"]
    }


def code_of(name: str) -> str:
    if name.startswith("Norges teknisk"):
        return "NTNU"
    return next(i.code for i in institutions().values() if name in (i.name, *i.aliases))


def test_hkdir_key_figure_table_imports_every_value_unit_and_year(tmp_path, settings):
    written = P.figures()
    path = P.write_key_figures(tmp_path / "sokere_og_studieplasser.xlsx", written)
    result = parse_file(path, settings)
    got = values_of(result)
    expected = {(code_of(n), k, y): v for (n, k, y), v in written.items()}
    assert got == expected  # every value: text with no-break spaces, «59,8 %», 27 institutions
    assert len({u for u, _, _ in got}) == 27 and len(got) == 27 * 3 * 6
    assert result.parsed.unit == "NTNU" and result.parsed.layout == "indicator_values"
    assert any(
        "26 andre institusjoner er lagret som sammenligningsenheter" in w
        for w in result.parsed.warnings
    )

    con = store.connect(settings.db_path)
    store_result(con, result)
    units = con.execute("select code, parent, peer_group from units order by code").fetchall()
    peers = {code: group for code, parent, group in units if group}
    assert (
        len(peers) == 26 and peers["UiB"] == UNIVERSITY and peers["NHH"] == "vitenskapelig høgskole"
    )
    assert ("NTNU", None, None) in units
    # peers are outside NTNU's tree and its filters
    listed = set(store.query(con, "units_with_data")["code"])
    assert listed == {"NTNU"}


def test_key_figure_named_in_the_title(workbook, settings):
    path = workbook(
        "hkdir.xlsx",
        {
            "Ark1": [
                ["Primærsøkere per studieplass"],
                ["Institusjon", "2024", "2025", "2026"],
                ["NTNU", "1,9", "1,8", "1,6"],
                ["Universitetet i Bergen", "2,9", "2,8", "2,7"],
                ["Universitetet i Gudbrandsdalen", "1,1", "1,0", None],
            ]
        },
    )
    got = values_of(parse_file(path, settings))
    name = "Primærsøkere per studieplass"
    assert got == {
        ("NTNU", name, 2024): 1.9,
        ("NTNU", name, 2025): 1.8,
        ("NTNU", name, 2026): 1.6,
        ("UiB", name, 2024): 2.9,
        ("UiB", name, 2025): 2.8,
        ("UiB", name, 2026): 2.7,
        ("Universitetet i Gudbrandsdalen", name, 2024): 1.1,
        ("Universitetet i Gudbrandsdalen", name, 2025): 1.0,
    }


PORTAL = [
    "Institusjonskode",
    "Institusjonsnavn",
    "Avdelingskode",
    "Avdelingsnavn",
    "Årstall",
    "Antall publikasjoner",
    "Publiseringspoeng",
]


def test_dbh_portal_export_with_codes_keeps_an_unknown_code_and_the_table_number(
    workbook, settings
):
    mh = "Fakultet for medisin og helsevitenskap"
    path = workbook(
        "publiseringspoeng.xlsx",
        {
            "Rapport": [
                ["Tabell 373: Publiseringspoeng, DBH"],
                PORTAL,
                [
                    "1150",
                    "Norges teknisk-naturvitenskapelige universitet",
                    "680000",
                    mh,
                    "2024",
                    "1 250",
                    "1 480,6",
                ],
                [
                    "1150",
                    "Norges teknisk-naturvitenskapelige universitet",
                    "680777",
                    "Senter for noe nytt",
                    "2024",
                    "12",
                    "9,5",
                ],
                [
                    "1150",
                    "Norges teknisk-naturvitenskapelige universitet",
                    "000000",
                    "NTNU",
                    "2024",
                    "7 010",
                    "8 100,2",
                ],
                [
                    "1120",
                    "Universitetet i Bergen",
                    "000000",
                    "Universitetet i Bergen",
                    "2024",
                    "5 020",
                    "5 900",
                ],
            ]
        },
    )
    result = parse_file(path, settings)
    assert values_of(result) == {
        ("MH", "Antall publikasjoner", 2024): 1250,
        ("MH", "Publiseringspoeng", 2024): 1480.6,
        ("680777", "Antall publikasjoner", 2024): 12,
        ("680777", "Publiseringspoeng", 2024): 9.5,
        ("NTNU", "Antall publikasjoner", 2024): 7010,
        ("NTNU", "Publiseringspoeng", 2024): 8100.2,
        ("UiB", "Antall publikasjoner", 2024): 5020,
        ("UiB", "Publiseringspoeng", 2024): 5900,
    }
    assert {v["source"] for v in result.parsed.tables["indicator_values"]} == {"DBH tabell 373"}
    assert result.parsed.entities["680777"] == ("Senter for noe nytt", "MH", None)
    listed = [w for w in result.parsed.warnings if "680777" in w]
    assert listed and listed[0].startswith("Rapport!C4: Koden 680777")


def test_dbh_api_export_in_snake_case_with_codes_only(workbook, settings):
    path = workbook(
        "dbh_api_tabell_373.xlsx",
        {
            "data": [
                [
                    "aarstall",
                    "institusjonskode",
                    "avdelingskode",
                    "antall_publikasjoner",
                    "publiseringspoeng",
                ],
                [2023, "1150", "680000", "1200", "1500.5"],
                [2023, "1150", "000000", "7000", "8000"],
                [2023, "1120", "000000", "5000", "5800"],
                [2023, "1999", "000000", "10", "12"],
            ]
        },
    )
    result = parse_file(path, settings)
    assert values_of(result) == {
        ("MH", "Antall publikasjoner", 2023): 1200,
        ("MH", "Publiseringspoeng", 2023): 1500.5,
        ("NTNU", "Antall publikasjoner", 2023): 7000,
        ("NTNU", "Publiseringspoeng", 2023): 8000,
        ("UiB", "Antall publikasjoner", 2023): 5000,
        ("UiB", "Publiseringspoeng", 2023): 5800,
        ("Institusjon 1999", "Antall publikasjoner", 2023): 10,
        ("Institusjon 1999", "Publiseringspoeng", 2023): 12,
    }
    assert {v["source"] for v in result.parsed.tables["indicator_values"]} == {"DBH tabell 373"}
    assert any("Institusjonskoden 1999 er ukjent" in w for w in result.parsed.warnings)


def test_dbh_faculty_columns_and_peer_faculties(workbook, settings):
    path = workbook(
        "dbh_fakultet.xlsx",
        {
            "data": [
                ["aarstall", "institusjonsnavn", "fakultetskode", "fakultetsnavn", "studiepoeng"],
                [2024, "NTNU", "680", "Fakultet for medisin og helsevitenskap", 9000],
                [2024, "Universitetet i Bergen", "160", "Det medisinske fakultet", 8000],
            ]
        },
    )
    result = parse_file(path, settings)
    assert values_of(result) == {
        ("MH", "Studiepoeng", 2024): 9000,
        ("UiB · Det medisinske fakultet", "Studiepoeng", 2024): 8000,
    }
    assert result.parsed.entities["UiB · Det medisinske fakultet"] == (
        "Det medisinske fakultet",
        "UiB",
        UNIVERSITY,
    )


def test_a_code_and_a_name_that_disagree_the_name_wins_and_is_reported(workbook, settings):
    path = workbook(
        "dbh.xlsx",
        {
            "data": [
                ["Årstall", "Institusjonskode", "Avdelingskode", "Avdelingsnavn", "Studiepoeng"],
                [2024, 1150, 680000, "Fakultet for naturvitenskap", 100],
            ]
        },
    )
    result = parse_file(path, settings)
    assert values_of(result) == {("NV", "Studiepoeng", 2024): 100}
    assert any("Koden 680000 er MH i kodetabellen" in w for w in result.parsed.warnings)


@pytest.mark.parametrize("header", ["Nøkkeltall", "Indikator", "Variabel", "Måltall"])
def test_key_figure_column_names(workbook, settings, header):
    path = workbook(
        "nokkeltall.xlsx",
        {
            "Ark1": [
                ["Institusjon", header, "2025", "2026"],
                ["NTNU", "Studieplasser", "7 000", "7 100"],
            ]
        },
    )
    assert values_of(parse_file(path, settings)) == {
        ("NTNU", "Studieplasser", 2025): 7000,
        ("NTNU", "Studieplasser", 2026): 7100,
    }


def _store_table(settings, workbook, rows):
    con = store.connect(settings.db_path)
    store_result(con, parse_file(workbook("nokkeltall.xlsx", {"Ark1": rows}), settings))
    return con


def test_comparison_rank_median_trend_and_derived_ratio_for_every_institution(workbook, settings):
    from dashboard.model.peers import peer_figures
    from dashboard.model.pin import Pin

    header = ["Institusjon", "Nøkkeltall", "2025", "2026"]
    rows = [header]
    for name, places, apps in [
        ("NTNU", (100, 100), (200, 160)),
        ("Universitetet i Bergen", (100, 100), (300, 250)),
        ("Universitetet i Oslo", (100, 100), (150, 160)),
        ("Universitetet i Agder", (100, 100), (100, 120)),
        ("Norges handelshøyskole", (50, 50), (200, 200)),
    ]:
        rows += [[name, "Studieplasser", *places], [None, "Primærsøkere", *apps]]
    con = _store_table(settings, workbook, rows)
    q = lambda name, **p: store.query(con, name, p)  # noqa: E731
    pin = Pin("NTNU", store.data_version(con))
    p = peer_figures(q, pin)
    # one scientific college is too few for a group; the saved list has two of its members
    assert [g.key for g in p.groups] == ["universitet", "alle", "liste:De eldste universitetene"]
    c = p.main
    assert c.indicator == "Primærsøkere per studieplass (beregnet)"
    ratio = c.ranking.set_index("unit")["value"].to_dict()
    assert ratio == {"UiB": 2.5, "NTNU": 1.6, "UiO": 1.6, "UiA": 1.2}  # NHH is no university
    assert list(c.years["rank"]) == [2, 2] and list(c.years["n"]) == [4, 4]  # UiO's tie shares 2
    assert c.latest["median"] == 1.6
    assert c.title == "NTNU har 1,60 primærsøkere per studieplass i 2026, nr. 2 av 4 universiteter"
    assert c.trend_title.startswith("Fra 2025 til 2026 falt NTNU fra 2,00 til 1,60")
    everyone = peer_figures(q, pin, "alle").main
    assert everyone.ranking.iloc[0]["unit"] == "NHH" and int(everyone.latest["rank"]) == 3


def test_a_typed_ratio_is_not_derived_again_and_lower_can_be_better(workbook, settings):
    import pandas as pd

    from dashboard.model.peers import peer_figures
    from dashboard.model.pin import Pin

    header = ["Institusjon", "Nøkkeltall", "2025", "2026"]
    rows = [header]
    for name, v in [("NTNU", 90), ("Universitetet i Bergen", 85), ("Universitetet i Oslo", 95)]:
        rows += [
            [name, "Studieplasser", 100, 100],
            [None, "Primærsøkere", 200, 210],
            [None, "Primærsøkere per studieplass", "2,0", "2,1"],
            [None, "Lønnsandel", v, v],
        ]
    con = _store_table(settings, workbook, rows)
    q = lambda name, **p: store.query(con, name, p)  # noqa: E731
    targets = pd.DataFrame(
        {"indicator": ["Lønnsandel"], "kind": ["maximum"], "measure_unit": ["%"]}
    )
    p = peer_figures(q, Pin("NTNU", store.data_version(con)), targets=targets)
    assert "Primærsøkere per studieplass (beregnet)" not in p.names
    wage = p.comparisons["Lønnsandel"]
    assert not wage.higher_is_better and int(wage.latest["rank"]) == 2  # UiB's 85 is best
    assert "90,0\u00a0%" in wage.title and "Rangert fra lavest" in wage.subtitle
