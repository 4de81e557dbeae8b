"""The faculty's economy (issue 26): the five layouts with the variants real files have — header
row not first, Norwegian and English names, amounts as text with spaces and a trailing minus,
percentages as text or as numbers — refusals naming the cell, and the read model's figures,
checked against the board case's own numbers (seed 004, Sak 39/23)."""

from __future__ import annotations

import pytest

from dashboard import store
from dashboard.errors import CellError
from dashboard.ingest.layouts.common import Overrides
from dashboard.ingest.pipeline import parse_file
from dashboard.service.imports import import_file
from data import demo_economy
from tests.helpers.economy import figures, shares


@pytest.fixture
def demo_con(con, settings, tmp_path):
    for path in demo_economy.workbooks(tmp_path / "okonomi"):
        import_file(con, path, settings, Overrides(), user="test")
    return con


# ------------------------------------------------------------------ the board case's figures


def test_the_allocation_of_the_student_council_gives_the_seeds_totals(demo_con):
    g = figures(demo_con).grants
    assert g.applicants == 32
    assert g.applied == 1_283_147
    assert g.total == 334_292
    assert g.gap == 948_855
    assert g.granted == 378_847
    assert g.to_cut == 44_555
    assert g.refused == 6
    assert g.title == (
        "32 søkere ba om 1\u00a0283\u00a0147 kr; 334\u00a0292 kr er til fordeling – må fortsatt "
        "kutte 44\u00a0555 kr"
    )
    totals = dict(zip(g.totals["figure"], g.totals["amount"], strict=True))
    assert totals["  Grunnbeløp"] == 260_000 and totals["  Rest fra 2023"] == 74_292
    last = g.table.iloc[-1]
    assert (last["applied"], last["granted"]) == (1_283_147, 378_847)


def test_space_gives_the_kvm_to_cut_per_arsverk_at_each_level(demo_con):
    s = figures(demo_con).space
    rows = s.levels.to_dict("records")
    assert [(r["level"], r["kr_per_kvm"], r["kvm_per_fte"]) for r in rows] == [
        ("Institutt", 700, 1000),
        ("Fakultet", 1600, 550),
        ("NTNU", 5000, 175),
    ]
    assert [round(x, 2) for x in s.buildings["share"]] == [0.54, 0.46]
    assert s.buildings_title == "54\u00a0% av arealet ligger i sykehusbygg"


def test_cost_measures_give_the_trajectory_the_gap_and_the_share_realised(demo_con):
    c = figures(demo_con).costs
    assert c.title == "Tiltakene tar inn 9,8 av 16 mill. kr planlagt innen 2027"
    assert c.planned == 16_000 and c.realised == 9_800
    assert c.realised_share == pytest.approx(0.6125)
    t = c.trajectory.set_index("year")
    assert list(t["effect_acc"]) == [2200, 8200, 12600, 14600, 16000]
    assert t.loc[2027, "with"] == 1_196_000 - 16_000
    assert c.gap == 5_000


def test_income_mix_is_sorted_by_boa_and_changes_from_last_year(demo_con):
    i = figures(demo_con).income
    assert i.title == "ISB henter 41\u00a0% av inntektene fra BOA, mest av instituttene"
    assert list(i.mix["label"])[-2:] == ["ADM", "Sum MH"]
    boa = list(i.departments["BOA"])
    assert boa == sorted(boa, reverse=True)
    isb = i.change[(i.change["unit"] == "MH-ISB") & (i.change["kind"] == "BOA")].iloc[0]
    assert isb["before"] == pytest.approx(78_000 / 200_000 * 100)  # 2022 from amounts
    assert isb["change"] == pytest.approx(41 - 39)


def test_arsverk_trend_and_change_since_budget(demo_con):
    f = figures(demo_con).fte
    assert f.first == pytest.approx(622 + 541 + 482)
    assert f.latest == pytest.approx(604.5 + 527 + 469.5)
    assert f.budget == 630 + 545 + 485
    assert f.since_budget == pytest.approx(f.latest - 1660)
    assert f.title.startswith("Årsverkene falt med 44,0 fra januar til desember 2023")
    assert len(f.totals) == 12


def test_a_unit_without_economy_has_none(demo_con):
    assert figures(demo_con, "VM") is None


# ------------------------------------------------------------------ income by kind


def test_income_shares_as_text_header_not_first_english_names(workbook, settings):
    path = workbook(
        "mh_income_2023.xlsx",
        {
            "Sheet1": [
                ["Faculty of Medicine and Health Sciences (MH)"],
                ["Income by type 2023"],
                [],
                ["Unit", "Base funding", "Education", "Research", "External funding", "Other"],
                ["ISB", "30 %", "12 %", "14 %", "41 %", "3 %"],
                [
                    "Institutt for klinisk og molekylær medisin",
                    "38,0 %",
                    "14 %",
                    "12 %",
                    "33 %",
                    "3 %",
                ],
                ["Total", "45 %", "18 %", "9 %", "25 %", "3 %"],
            ]
        },
    )
    got = shares(parse_file(path, settings))
    assert got[("MH-ISB", "BOA")] == 41
    assert got[("MH-IKOM", "Basis")] == 38
    assert got[("MH", "Utdanning")] == 18


def test_income_shares_as_numbers_with_a_percent_format(workbook, settings):
    rows = [
        ["Inntekter per type 2023, MH"],
        ["Enhet", "Basis", "Utdanning", "Forskning", "BOA", "Annet"],
        ["MH-ISB", 0.30, 0.12, 0.14, 0.41, 0.03],
    ]
    formats = {f"{c}3": "0%" for c in "BCDEF"}
    path = workbook("mh_inntekter_2023.xlsx", {"Ark1": rows}, formats=formats)
    assert shares(parse_file(path, settings))[("MH-ISB", "BOA")] == pytest.approx(41)
    plain = workbook("mh_inntekter_2023_b.xlsx", {"Ark1": rows})  # fractions without a format
    assert shares(parse_file(plain, settings))[("MH-ISB", "BOA")] == pytest.approx(41)


def test_income_amounts_as_text_give_shares_and_the_sum_is_checked(workbook, settings):
    path = workbook(
        "mh_inntekter_2022.xlsx",
        {
            "Inntekter": [
                ["MH – inntekter 2022 (1000 kr)"],
                ["Enhet", "Basis", "Utdanning", "Forskning", "BOA", "Annet", "Sum"],
                ["ISB", "62 000", "25 000", "29 000", "78 000", "6 000", "200 000"],
                ["IPH", "47 000", "19 000", "9 000", "24 000", "1 000-", "99 000"],
            ]
        },
    )
    result = parse_file(path, settings)
    got = shares(result)
    assert got[("MH-ISB", "BOA")] == pytest.approx(39)
    amounts = {(r["unit"], r["kind"]): r["amount_knok"] for r in result.parsed.tables["income_mix"]}
    assert amounts[("MH-IPH", "Annet")] == -1000
    assert any("Inntekter!G4" in w and "98" in w for w in result.parsed.warnings)


def test_income_shares_not_adding_up_to_100_are_a_warning_naming_the_cells(workbook, settings):
    path = workbook(
        "mh_inntekter_2023.xlsx",
        {
            "Ark1": [
                ["Inntekter per type 2023, andel i %, MH"],
                ["Institutt", "Basis", "Utdanning", "Forskning", "BOA", "Annet"],
                ["ISB", 30, 12, 14, 41, 3],
                ["INB", 40, 20, 10, 20, 3],
            ]
        },
    )
    warnings = parse_file(path, settings).parsed.warnings
    assert any(w.startswith("Ark1!B4:F4") and "93,0 %" in w for w in warnings)
    assert not any("B3:F3" in w for w in warnings)


def test_income_refuses_an_unknown_unit_and_a_bad_share_by_cell(workbook, settings):
    head = [["Inntekter 2023, MH"], ["Enhet", "Basis", "Utdanning", "BOA"]]
    path = workbook("a.xlsx", {"Ark1": [*head, ["ISB", 50, 10, 40], ["Ukjent sted", 50, 10, 40]]})
    with pytest.raises(CellError) as err:
        parse_file(path, settings)
    assert err.value.cell == "A4" and "Ukjent sted" in err.value.render()
    path = workbook("b.xlsx", {"Ark1": [*head, ["ISB", "50 %", "mye", "40 %"]]})
    with pytest.raises(CellError) as err:
        parse_file(path, settings)
    assert err.value.cell == "C3"


# ------------------------------------------------------------------ årsverk


def test_arsverk_english_names_dates_and_a_budget_column(workbook, settings):
    import datetime as dt

    path = workbook(
        "mh_fte_2023.xlsx",
        {
            "FTE": [
                ["MH – full-time equivalents"],
                ["Unit", "Period", "Category", "FTE", "Budget"],
                ["MH", dt.date(2023, 1, 1), "Scientific", "622,0", 630],
                ["MH", dt.date(2023, 2, 1), "Scientific", "618,5", 630],
                ["MH", "2023-03", "Scientific", 615, 630],
            ]
        },
    )
    rows = parse_file(path, settings).parsed.tables["fte"]
    actual = [(r["year"], r["month"], r["fte"]) for r in rows if not r["is_budget"]]
    assert actual == [(2023, 1, 622.0), (2023, 2, 618.5), (2023, 3, 615.0)]
    assert [r["fte"] for r in rows if r["is_budget"]] == [630]


def test_arsverk_refuses_a_period_that_is_none_by_cell(workbook, settings):
    path = workbook(
        "mh_arsverk.xlsx",
        {"Ark1": [["Enhet", "Måned", "Årsverk"], ["MH", "januar 2023", 10], ["MH", "snart", 11]]},
    )
    with pytest.raises(CellError) as err:
        parse_file(path, settings)
    assert err.value.cell == "B3"


# ------------------------------------------------------------------ cost measures


def test_cost_effects_written_as_reductions_with_a_trailing_minus(workbook, settings):
    path = workbook(
        "mh_tiltak.xlsx",
        {
            "Tiltak": [
                ["Kostnadsreduksjon MH 2024–2026 (1000 kr)"],
                [],
                ["Tiltak", "Status", "2024", "2025", "2026", "Realisert effekt"],
                ["Ansettelsesstopp", "Under arbeid", "1 500-", "500-", None, "1 000-"],
                ["Areal", "Forsinket", None, "1 000-", "500-", None],
                ["Sum tiltak", None, "1 500-", "1 500-", "900-", None],
            ]
        },
    )
    result = parse_file(path, settings)
    rows = result.parsed.tables["cost_measures"]
    stop = {r["year"]: r["amount_knok"] for r in rows if r["name"] == "Ansettelsesstopp"}
    assert stop == {2024: 1500, 2025: 500, 2026: None}
    assert rows[0]["realised_knok"] == 1000
    assert any("minus" in w for w in result.parsed.warnings)
    assert any(w.startswith("Tiltak!E6") and "900" in w for w in result.parsed.warnings)


def test_cost_measures_refuse_an_unreadable_effect_by_cell(workbook, settings):
    path = workbook(
        "mh_tiltak.xlsx",
        {"Ark1": [["Tiltak", "2024", "Realisert"], ["Avganger", "mye", 10]]},
    )
    with pytest.raises(CellError) as err:
        parse_file(path, settings, Overrides(unit="MH"))
    assert err.value.cell == "B2"


# ------------------------------------------------------------------ space


def test_space_in_english_with_a_cost_per_arsverk(workbook, settings):
    path = workbook(
        "mh_space.xlsx",
        {
            "Space": [
                ["MH space 2023"],
                ["Level", "Price per sqm", "Cost per FTE"],
                ["Department level", "700", "700 000"],
                ["Faculty level", "1 600", "880 000"],
            ]
        },
    )
    con = store.connect(settings.db_path)
    try:
        import_file(con, path, settings, Overrides(), user="test")
        levels = figures(con).space.levels
    finally:
        con.close()
    assert list(levels["level"]) == ["Institutt", "Fakultet"]
    assert list(levels["kvm_per_fte"]) == [1000, 550]


def test_space_refuses_a_negative_area_by_cell(workbook, settings):
    path = workbook(
        "mh_areal.xlsx", {"Ark1": [["Areal MH"], ["Bygningstype", "Kvm"], ["Sykehusbygg", "-5"]]}
    )
    with pytest.raises(CellError) as err:
        parse_file(path, settings)
    assert err.value.cell == "B3"


# ------------------------------------------------------------------ grants


def test_grants_with_nok_text_refusals_and_a_pool_below_the_table(workbook, settings):
    path = workbook(
        "ftv.xlsx",
        {
            "Søknader": [
                ["Studentrådet MH – tildeling 2024"],
                ["Søker", "Søkt beløp", "Innvilget"],
                ["Bilyd", "NOK 60 000,00", "NOK 22 000,00"],
                ["Medikus", "15 000", "Avslått"],
                ["Antidot", 5000, "avslag"],
                ["Placebo FC", 9000, None],
                ["Sum", 89000, 22000],
                [],
                ["Grunnbeløp: 15 000"],
                ["Rest fra 2023", 2000],
            ]
        },
    )
    con = store.connect(settings.db_path)
    try:
        result = import_file(con, path, settings, Overrides(), user="test")
        g = figures(con).grants
    finally:
        con.close()
    assert g.applicants == 4 and g.refused == 2
    assert (g.applied, g.granted, g.total) == (89_000, 22_000, 17_000)
    assert g.to_cut == 5_000
    assert list(g.table["decision"])[:4] == ["Tildelt", "Avslått", "Avslått", "Ikke avgjort"]
    assert result.parsed.layout == "grants"


def test_grants_refuse_a_grant_that_is_no_amount_by_cell(workbook, settings):
    path = workbook(
        "ftv.xlsx",
        {"Ark1": [["Tildeling MH 2024"], ["Søker", "Tildelt"], ["Bilyd", "kanskje"]]},
    )
    with pytest.raises(CellError) as err:
        parse_file(path, settings)
    assert err.value.cell == "B3" and "Avslått" in err.value.render()
