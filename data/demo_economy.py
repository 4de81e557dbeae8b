"""Demo workbooks for the faculty's economy (page «Økonomi»), from the MH board case «Sak 39/23»
(seed 004, 7 December 2023). The seed's own figures where it gives them: the space figures
(1 000 kvm at 700 kr/kvm for a department, 550 at 1 600 for the faculty, 175 at 5 000 for
NTNU; 54 % of the space in hospital buildings), the student council's allocation (32
applicants, 1 283 147 kr applied for, 260 000 + the rest from 2023 = 334 292 kr to give, each
applicant's grant or «Avslått»). Where the seed only shows a chart (income shares, årsverk, the
cost trajectory and the measures' effect) the values are clearly labelled EXAMPLES, and so are
the kvm per building type and each applicant's amount applied for (the seed gives only their
sum). Every file is named `…_eksempel.xlsx`."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from data import demo_resources

EXAMPLE = "eksempelverdier for demonstrasjon"
KINDS = ("Basis", "Utdanning", "Forskning", "BOA", "Annet")
DEPARTMENTS = ("IKOM", "ISM", "ISB", "INB", "IPH", "KIN", "IHG", "IHA", "FAKADM", "SUM")
# income shares 2023 in % (example values; the seed shows them only as a chart)
SHARES_2023 = {
    "IKOM": (38, 14, 12, 33, 3),
    "ISM": (42, 28, 8, 19, 3),
    "ISB": (30, 12, 14, 41, 3),
    "INB": (40, 20, 10, 27, 3),
    "IPH": (45, 18, 9, 25, 3),
    "KIN": (44, 2, 16, 36, 2),
    "IHG": (55, 33, 4, 6, 2),
    "IHA": (54, 34, 4, 6, 2),
    "FAKADM": (85, 2, 2, 3, 8),
    "SUM": (45, 18, 9, 25, 3),
}
# income 2022 in 1000 kr (example values), so that the change from last year can be shown
AMOUNTS_2022 = {
    "IKOM": (76_000, 29_000, 25_000, 62_000, 6_000),
    "ISM": (88_000, 57_000, 17_000, 38_000, 6_000),
    "ISB": (62_000, 25_000, 29_000, 78_000, 6_000),
    "INB": (81_000, 41_000, 20_000, 52_000, 6_000),
    "IPH": (47_000, 19_000, 9_000, 24_000, 3_000),
    "KIN": (40_000, 2_000, 15_000, 36_000, 2_000),
    "IHG": (52_000, 31_000, 4_000, 5_000, 2_000),
    "IHA": (50_000, 32_000, 4_000, 5_000, 2_000),
    "FAKADM": (80_000, 2_000, 2_000, 3_000, 7_000),
}
FTE_CATEGORIES = {  # årsverk January and December 2023 (example values)
    "Vitenskapelige": (622.0, 604.5),
    "Teknisk-administrative": (541.0, 527.0),
    "Stipendiater og postdoktorer": (482.0, 469.5),
}
FTE_BUDGET = {"Vitenskapelige": 630.0, "Teknisk-administrative": 545.0,
              "Stipendiater og postdoktorer": 485.0}  # fmt: skip
YEARS = (2023, 2024, 2025, 2026, 2027)
COST_WITHOUT = (1_190_000, 1_192_000, 1_194_000, 1_195_000, 1_196_000)  # 1000 kr, example
COST_TARGET = (1_190_000, 1_185_000, 1_180_000, 1_178_000, 1_175_000)
# measure, status, planned effect per year 2023–2027 (1000 kr), realised so far (examples)
MEASURES = (
    ("Ansettelsesstopp, unntatt kritisk kompetanse", "Under arbeid", (1500, 2500, 1000, 0, 0), 4200),
    ("Planlagte avganger", "Under arbeid", (500, 1500, 1500, 1000, 500), 2600),
    ("Reduksjon i areal", "Forsinket", (0, 1000, 1000, 500, 500), 700),
    ("Effektivisere administrative arbeidsprosesser", "Under arbeid", (200, 600, 500, 300, 200), 1500),
    ("Effektivisere undervisningsressurser", "Under arbeid", (0, 400, 400, 200, 200), 800),
)  # fmt: skip
# the plan's measure a cost measure belongs to (examples: the seed does not link them)
PLAN_LINKS = {
    "Planlagte avganger": "Utarbeide strategisk bemanningsplan for alle ansatte",
    "Reduksjon i areal": "Samle simuleringsaktiviteten på Øya i ett felles senter",
}
LEVELS = (("Institutt", 700, 1000), ("Fakultet", 1600, 550), ("NTNU", 5000, 175))
BUILDINGS = (("Sykehusbygg", 37_800), ("Andre bygg", 32_200))  # 54 % / 46 % (kvm: examples)
# the student council's allocation: applicant and grant (None = «Avslått»), from the seed
GRANTS = (
    ("Bilyd", 22_000), ("Foetus Ex Ore", 27_000), ("Lavterskel jentefotballag (LTJF)", None),
    ("Kull 22", None), ("Medisinernes Humanitære Aksjon", None), ("Medisinerrevyen", 10_000),
    ("Placebo Håndball", 17_000), ("Placebo Løpeklubb", 8_000), ("TrAMS", 22_500),
    ("TrAMS Levanger", 8_250), ("Ergoterapistudentene", 6_500), ("FYSIO", 10_500),
    ("Fysio Fotball", 17_750), ("KRIMS Trondheim (Placebo)", 5_300),
    ("Medicinsk Selskabs Orchester MSOrch", 6_400), ("Placebo FC", 8_750),
    ("Placebo Volleyball", 3_764), ("SIT SONUS (Placebo)", 1_764),
    ("Studenter uten grenser", 9_500), ("Viventibus", 11_000), ("MF Placebo", 42_000),
    ("Placebo FC Jenter", 8_700), ("Medikus", None), ("Legestudentenes rusopplysning", 6_000),
    ("Antidot", None), ("Signifikant", 6_600), ("MTG Medisinstudentenes turgruppe", 14_000),
    ("Nutrix linjeforening", 73_950), ("Myokard", 25_150), ("SOMA linjeforening", 4_369),
    ("MMO", 2_100), ("Helix linjeforening", None),
)  # fmt: skip
# PhD degrees completed 2022 per department (examples: the seed shows the slide «Avlagte PhD
# 2022» with the departments' names only)
PHD_2022 = {"IKOM": 38, "ISM": 24, "ISB": 27, "INB": 21, "IPH": 12, "KIN": 9, "IHG": 4, "IHA": 3}
APPLIED_TOTAL = 1_283_147
BASE_AMOUNT, REST_2023, POOL = 260_000, 74_292, 334_292


def _sheet(title: str) -> tuple[Workbook, object]:
    wb = Workbook()
    wb.active.title = title
    return wb, wb.active


def _save(wb: Workbook, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return demo_resources._save(wb, folder, name)


def income_2023(folder: Path) -> Path:
    wb, ws = _sheet("Inntekter 2023")
    ws.append(["Instituttene er ulike – inntekter per type 2023, andel i % (MH) — " + EXAMPLE])
    ws.append([])
    ws.append(["Institutt", *KINDS])
    for unit in DEPARTMENTS:
        ws.append([unit, *SHARES_2023[unit]])
    ws.append([])
    ws.append(["Kilde: " + EXAMPLE + " (figuren i Sak 39/23 viser bare søyler)"])
    return _save(wb, folder, "mh_inntekter_2023_eksempel.xlsx")


def income_2022(folder: Path) -> Path:
    wb, ws = _sheet("Inntekter 2022")
    ws.append(["Inntekter per type 2022 (1000 kr), MH — " + EXAMPLE])
    ws.append(["Enhet", "År", *KINDS, "Sum"])
    for unit, amounts in AMOUNTS_2022.items():
        ws.append([unit, 2022, *amounts, sum(amounts)])
    ws.append(["Kilde: " + EXAMPLE])
    return _save(wb, folder, "mh_inntekter_2022_eksempel.xlsx")


def phd_2022(folder: Path) -> Path:
    wb, ws = _sheet("Avlagte PhD")
    ws.append(["Avlagte PhD 2022, MH — " + EXAMPLE])
    ws.append([])
    ws.append(["Institutt", "Avlagte PhD"])
    for unit, count in PHD_2022.items():
        ws.append([unit, count])
    ws.append(["Sum", sum(PHD_2022.values())])
    ws.append([])
    ws.append(["Kilde: " + EXAMPLE + " (Sak 39/23 har lysbildet uten tallene)"])
    return _save(wb, folder, "mh_avlagte_phd_2022_eksempel.xlsx")


def fte_2023(folder: Path) -> Path:
    wb, ws = _sheet("Årsverk")
    ws.append(["Utvikling årsverk 2023, MH — " + EXAMPLE])
    ws.append(["Enhet", "Periode", "Kategori", "Årsverk"])
    for category, budget in FTE_BUDGET.items():
        ws.append(["MH", "Budsjett 2023", category, budget])
    months = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
              "september", "oktober", "november", "desember")  # fmt: skip
    for i, month in enumerate(months):
        for category, (first, last) in FTE_CATEGORIES.items():
            ws.append(["MH", f"{month} 2023", category, round(first + (last - first) * i / 11, 1)])
    ws.append(["Kilde: " + EXAMPLE + " (figuren i Sak 39/23 viser bare kurven)"])
    return _save(wb, folder, "mh_arsverk_2023_eksempel.xlsx")


def cost_measures(folder: Path) -> Path:
    wb, ws = _sheet("Tiltak")
    ws.append(["Kostnadsreduksjon og effekt av tiltak 2023–2027, MH (1000 kr) — " + EXAMPLE])
    ws.append([])
    ws.append(["Tiltak", "Status", *YEARS, "Realisert effekt", "Tiltak i plan"])
    ws.append(["Kostnad uten tiltak", None, *COST_WITHOUT, None])
    ws.append(["Mål", None, *COST_TARGET, None])
    running, accumulated = 0, []
    for name, status, effects, realised in MEASURES:
        ws.append([name, status, *effects, realised, PLAN_LINKS.get(name)])
    for i in range(len(YEARS)):
        running += sum(m[2][i] for m in MEASURES)
        accumulated.append(running)
    ws.append(["Sum tiltak (akk)", None, *accumulated, None])
    ws.append([])
    ws.append(["Kilde: " + EXAMPLE + " (figuren i Sak 39/23 viser bare kurvene)"])
    return _save(wb, folder, "mh_kostnadstiltak_2023_2027_eksempel.xlsx")


def space(folder: Path) -> Path:
    wb, ws = _sheet("Areal")
    ws.append(["Areal – effekt på nivå, MH 2023"])
    ws.append(["Nivå", "Bygningstype", "Kvm", "Kr per kvm", "Kvm per årsverk"])
    for level, price, per_fte in LEVELS:
        ws.append([level, None, None, price, per_fte])
    for building, kvm in BUILDINGS:
        ws.append([None, building, kvm, None, None])
    ws.append([])
    ws.append(
        [
            "Kilde: Sak 39/23 (kr per kvm, kvm per årsverk, 54 % i sykehusbygg); antall kvm per "
            "bygningstype er " + EXAMPLE
        ]
    )
    return _save(wb, folder, "mh_areal_2023_eksempel.xlsx")


def applied_amounts() -> list[int]:
    """Each applicant's amount applied for (examples; the seed gives only the sum 1 283 147)."""
    amounts = [(g * 3 + 1000) if g else 15_000 for _, g in GRANTS]
    amounts[0] += APPLIED_TOTAL - sum(amounts)
    return amounts


def grants(folder: Path) -> Path:
    wb, ws = _sheet("Søknader")
    ws.append(["Fordeling av midler til studentforeninger 2024 – v/ FTV Studentrådet MH"])
    ws.append(["Status per 06.12.2023; endelig avgjørelse 11.12.2023"])
    ws.append(["Grunnbeløp", BASE_AMOUNT])
    ws.append(["Rest fra 2023", REST_2023])
    ws.append(["Til fordeling", POOL])
    ws.append(["Søkt om midler", APPLIED_TOTAL])
    ws.append([])
    ws.append(["Søker", "Søkt om (kr)", "Tildelt (kr)"])
    for (name, granted), applied in zip(GRANTS, applied_amounts(), strict=True):
        ws.append([name, applied, "Avslått" if granted is None else granted])
    ws.append([])
    ws.append(
        [
            "Kilde: Sak 39/23 (søkere, tildelt eller avslått, søkt i alt, grunnbeløp og rest); "
            "søkt beløp per søker er " + EXAMPLE
        ]
    )
    return _save(wb, folder, "mh_studentradet_tildeling_2024_eksempel.xlsx")


def workbooks(folder: Path) -> list[Path]:
    """Every economy workbook of the demo, written into `folder`."""
    return [
        income_2022(folder),
        income_2023(folder),
        phd_2022(folder),
        fte_2023(folder),
        cost_measures(folder),
        space(folder),
        grants(folder),
    ]
