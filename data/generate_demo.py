"""Build the demo database: write workbooks in the real layouts, then import them.

The workbooks carry the source documents' figures (data/demo_content.py). A few extra files hold
clearly labelled EXAMPLE values («eksempelverdier») so that every page has something to show:
an earlier status round and earlier prognoses (for «Endringer siden forrige rapport»), IØT
indicator series, a department ledger, department status reports, and applicant key figures for
NTNU and 26 other institutions in HK-dir's layout (for the comparison on Indikatorer).

Run: `python -m dashboard demo [--db PATH] [--force]`.
"""

from __future__ import annotations

import random
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from dashboard import store
from dashboard.config import ROOT, Settings
from dashboard.ingest.layouts.common import Overrides
from dashboard.service.imports import import_file
from data import demo_content as C
from data import demo_economy, demo_resources, peer_figures

OUT_DIR = ROOT / "data" / "demo_workbooks"
KNOK = "#,##0;#,##0-"
SCORE_LEGEND = (
    "Status 0= ikke igangsatt\n1= tiltaksplan vedtatt\n2= tiltak igangsatt\n"
    "3= under gjennomføring\n4= gjennomført\n5= rapportert"
)
EXAMPLE = "Eksempelverdier (ikke fra kildedokumentene)"


def _save(wb: Workbook, name: str) -> Path:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / name
    wb.save(path)
    return path


def handlingsplan(rows: list[tuple], title: str, name: str, note: str | None = None) -> Path:
    """Sectioned 0–5 status report, header repeated per area (MH's board attachment)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Status 2019"
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(
        [note or "Rapportert status per mål på skala 0-5. Vedlegg 1 til sak i fakultetsstyret."]
    )
    area = None
    for row_area, goal, measure, comment, score in rows:
        if row_area != area:
            area = row_area
            ws.append([])
            ws.append([f"{area}:"])
            ws.append(["HP nr.", "Tiltak i handlingsplanen", "Status", SCORE_LEGEND])
        ws.append([goal, measure, comment, score])
    return _save(wb, name)


def earlier_round(rows: list[tuple]) -> list[tuple]:
    """EXAMPLE: the June round, before some measures moved on (and before one was added)."""
    out = []
    for i, (area, goal, measure, comment, score) in enumerate(rows):
        if i == 5:
            continue  # added to the plan after June
        if score and i % 3 == 0:
            score -= 1
            comment = "Eksempel: under planlegging i juni."
        out.append((area, goal, measure, comment, score))
    out.append(
        (
            "Organisasjon",
            38,
            "Eksempel: kartlegge behov for nye kontorarealer",
            "Tatt ut av planen i august.",
            1,
        )
    )
    return out


def arsplan() -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Status 2023"
    ws.append(["Status på tiltak for 2023"])
    ws.append([])
    ws.append(["Tiltak fra årsplan 2023", "Opprinnelig periode", "Status", "Planlagt videreført"])
    area = None
    for row_area, measure, period, status, cont in C.ARSPLAN_2023:
        if row_area != area:
            area = row_area
            ws.append([area.upper()])
        ws.append([measure, period, status, cont])
    return _save(wb, "mh_arsplan_2023_status.xlsx")


def prognosis(
    lines: list[tuple], longterm: list[tuple] | None, title: str, unit_line: str, name: str
) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Prognose"
    ws.append([title])
    ws.append([unit_line])
    ws.append([])
    ws.append(
        ["Bevilgningsramme BFV", "Budsjett i år", "Prognose i år", "Prognostisert budsjettavvik"]
    )
    for line in lines:
        ws.append(list(line))
        for cell in ws[ws.max_row][1:]:
            cell.number_format = KNOK
    if longterm:
        lt = wb.create_sheet("Langtidsbudsjett")
        lt.append(["Endelig budsjettleveranse runde 2"])
        lt.append(
            ["Bevilgningsramme - BFV", "Budsjett i år", "Forrige prognose", 2024, 2025, 2026, 2027]
        )
        for line in longterm:
            lt.append(list(line))
    return _save(wb, name)


def example_prognosis(scale: dict[str, float], seed: int) -> list[tuple]:
    """EXAMPLE: an earlier prognosis — same budget, prognosis lines moved, totals recomputed."""
    rng = random.Random(seed)
    budget = {line: b for line, b, _p, _d in C.PROGNOSE_2023_10}
    prog = {line: p for line, _b, p, _d in C.PROGNOSE_2023_10}
    income = ["Bevilgning", "Overføring fra BOA", "Overføring fra EVU", "Andre inntekter"]
    costs = ["Investering", "Lønn", "Drift", "Egenfinansiering BOA", "Egenfinansiering EVU"]
    for line in income + costs:
        prog[line] = round(prog[line] * scale.get(line, 1.0) + rng.randint(-500, 500))
    prog["Inntekt"] = sum(prog[x] for x in income)
    prog["Kostnad"] = sum(prog[x] for x in costs)
    prog["Resultat"] = prog["Inntekt"] + prog["Kostnad"]
    prog["UB"] = prog["IB"] + prog["Resultat"]
    return [
        (line, budget[line], prog[line], budget[line] - prog[line])
        for line, *_ in C.PROGNOSE_2023_10
    ]


def iot_prognosis() -> Path:
    """EXAMPLE: an IØT prognosis, so that «lønnsandel» can be derived for the unit with that target."""
    lines = [
        ("IB", 8200, 8200),
        ("Resultat", -1900, -2650),
        ("Inntekt", 98500, 97200),
        ("Bevilgning", 82000, 82000),
        ("Overføring fra BOA", 12500, 11300),
        ("Overføring fra EVU", 2500, 2100),
        ("Andre inntekter", 1500, 1800),
        ("Kostnad", -100400, -99850),
        ("Investering", -1400, -1200),
        ("Lønn", -84200, -85100),
        ("Drift", -11600, -10400),
        ("Egenfinansiering BOA", -3000, -2950),
        ("Egenfinansiering EVU", -200, -200),
        ("UB", 6300, 5550),
    ]
    rows = [(n, b, p, b - p) for n, b, p in lines]
    return prognosis(
        rows,
        None,
        "Prognose pr. oktober 2023 — " + EXAMPLE,
        "Institutt for industriell økonomi og teknologiledelse (IØT). Tall i 1000 kr.",
        "iot_prognose_2023_10_eksempel.xlsx",
    )


def goals() -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Utviklingsmål"
    ws.append(["NTNU Vitenskapsmuseet – strategi 2018–2025"])
    ws.append(["Del", "Område", "Utviklingsmål"])
    for row in C.VM_GOALS:
        ws.append(list(row))
    return _save(wb, "vm_strategi_2018_2025_utviklingsmal.xlsx")


def allocations() -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Avsetninger"
    ws.append(["Fordeling av sentrale avsetninger MH 2023 (1000 kr)"])
    for unit, amount in C.AVSETNINGER_2023:
        ws.append([unit, "-" if amount is None else amount])
    ws.append(["Midlene fordeles etter fastsatt nøkkel i viderefordelingsmodellen (VFM)."])
    return _save(wb, "mh_sentrale_avsetninger_2023.xlsx")


def targets() -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Resultatmål"
    ws.append(
        ["Institutt for industriell økonomi og teknologiledelse (IØT) – resultatmål 2018–2025"]
    )
    ws.append(["Område", "Indikator", "Måleenhet", "Type", "Mål", "Basisår", "Målår"])
    for row in C.IOT_TARGETS:
        ws.append(list(row))
    ws.append(
        [
            "Ressurser",
            "Primærsøkere per studieplass (beregnet)",
            "søkere per plass",
            "minst",
            5,
            None,
            2025,
        ]
    )
    return _save(wb, "iot_resultatmal_2018_2025.xlsx")


def iot_values() -> Path:
    """EXAMPLE: IØT indicator series 2018–2024, wide by year, values typed as text like «2 710»."""
    series = {
        "Studiepoengproduksjon": [2450, 2510, 2580, 2610, 2650, 2700, 2710],
        "Kandidatproduksjon": [310, 318, 305, 330, 335, 342, 350],
        "Førstevalgssøkere, MTIØT": [620, 650, 700, 690, 655, 640, 610],
        "Studieplasser, MTIØT": [135, 135, 140, 140, 140, 140, 140],
        "EU-prosjekter": [1, 2, 2, 3, 3, 4, 4],
        "Nyetableringer per år": [14, 16, 19, 18, 21, 22, 24],
        "Andel studiepoeng til andre studieprogram": [
            "36,5 %",
            "37,0 %",
            "38,2 %",
            "38,9 %",
            "39,5 %",
            "40,1 %",
            "40,6 %",
        ],
        "Studenter som opplever positivt læringsmiljø": [
            "81 %",
            "82 %",
            "79 %",
            "77 %",
            "80 %",
            "82 %",
            "83 %",
        ],
        "Antall FVA": [58, 59, 61, 62, 63, 63, 64],
        "BOA-inntekter": ["31 200", "33 900", "35 100", "38 800", "41 500", "43 300", "45 100"],
    }
    wb = Workbook()
    ws = wb.active
    ws.title = "Indikatorer"
    ws.append(["IØT – indikatorverdier 2018–2024. " + EXAMPLE])
    ws.append(["Enhet", "Indikator", *[str(y) for y in range(2018, 2025)]])
    for name, values in series.items():
        ws.append(
            [
                "IØT",
                name,
                *[v if isinstance(v, str) else f"{v:,}".replace(",", "\u00a0") for v in values],
            ]
        )
    ws.append(["Kilde: eksempelverdier for demonstrasjon"])
    return _save(wb, "iot_indikatorer_2018_2024_eksempel.xlsx")


def dbh() -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Styringsparametere"
    ws.append(["Institusjon", "Indikator", *range(2019, 2026)])
    for name, values in C.DBH_NTNU:
        ws.append(["NTNU", name, *values])
    ws.append([])
    ws.append(["Kilde: DBH / HK-dir (CC BY 4.0), uttrekk september 2026"])
    return _save(wb, "ntnu_styringsparametere_dbh_2019_2025.xlsx")


def department_status() -> Path:
    """EXAMPLE: MH departments' own action-plan status, flat with unit and area columns."""
    rng = random.Random(7)
    wb = Workbook()
    ws = wb.active
    ws.title = "Status institutter"
    ws.append(["Handlingsplan 2019 for instituttene ved MH, status 2019 — " + EXAMPLE])
    ws.append(["Enhet", "Område", "HP nr.", "Tiltak", "Status (0-5)", "Kommentar"])
    for unit in ("MH-INB", "MH-ISB", "MH-IKOM", "MH-ISM"):
        for area, goal, measure, _comment, _score in C.HANDLINGSPLAN_2019[::3]:
            score = rng.choice([0, 1, 2, 2, 3, 3, 4, 5])
            ws.append([unit, area, f"HP {goal}", measure, str(score), "Eksempel"])
    return _save(wb, "mh_institutter_handlingsplan_2019_eksempel.xlsx")


def ledger() -> Path:
    """EXAMPLE: a ledger export for MH's departments, one row per unit × line × month."""
    rng = random.Random(11)
    wb = Workbook()
    ws = wb.active
    ws.title = "Hovedbok"
    ws.append(["Enhet", "År", "Måned", "Linje", "Budsjett", "Prognose"])
    lines = {
        "Bevilgning": 6000,
        "Overføring fra BOA": 1800,
        "Andre inntekter": 500,
        "Lønn": -6200,
        "Drift": -1700,
        "Investering": -150,
    }
    for unit in ("MH-INB", "MH-ISB", "MH-IKOM", "MH-ISM", "MH-IPH", "MH-IHA", "MH-IHG", "MH-KIN"):
        size = rng.uniform(0.6, 1.6)
        for month in range(1, 13):
            for line, base in lines.items():
                budget = round(base * size)
                ws.append(
                    [unit, 2023, month, line, budget, round(budget * rng.uniform(0.93, 1.07))]
                )
    return _save(wb, "mh_hovedbok_2023_eksempel.xlsx")


def build_demo(db_path: Path, *, force: bool = False) -> Path:
    """Write the demo workbooks and import them into `db_path` (skipped if it exists, unless force)."""
    db_path = Path(db_path)
    if db_path.exists() and not force:
        return db_path
    if db_path.exists():
        db_path.unlink()
    settings = Settings.from_env(db_path)
    june = handlingsplan(
        earlier_round(C.HANDLINGSPLAN_2019),
        "Handlingsplan for MH-fakultetet, status juni 2019 — " + EXAMPLE,
        "mh_handlingsplan_2019_status_juni_eksempel.xlsx",
    )
    files: list[tuple[Path, Overrides]] = [
        (june, Overrides(label="Status juni 2019")),
        (
            handlingsplan(
                C.HANDLINGSPLAN_2019,
                "Handlingsplan for MH-fakultetet, status 2019",
                "mh_handlingsplan_2019_status.xlsx",
            ),
            Overrides(),
        ),
        (arsplan(), Overrides()),
        (
            prognosis(
                example_prognosis({"Overføring fra BOA": 1.12, "Lønn": 0.985}, 1),
                None,
                "Prognose pr. april 2023 — " + EXAMPLE,
                "Fakultet for medisin og helsevitenskap (MH). Tall i 1000 kr.",
                "mh_prognose_2023_04_eksempel.xlsx",
            ),
            Overrides(),
        ),
        (
            prognosis(
                example_prognosis({"Overføring fra BOA": 1.06, "Lønn": 0.995}, 2),
                None,
                "Prognose pr. juni 2023 — " + EXAMPLE,
                "Fakultet for medisin og helsevitenskap (MH). Tall i 1000 kr.",
                "mh_prognose_2023_06_eksempel.xlsx",
            ),
            Overrides(),
        ),
        (
            prognosis(
                C.PROGNOSE_2023_10,
                C.LANGTID,
                "Prognose pr. oktober 2023",
                "Fakultet for medisin og helsevitenskap (MH). Tall i 1000 kr.",
                "mh_prognose_2023_10.xlsx",
            ),
            Overrides(),
        ),
        (iot_prognosis(), Overrides()),
        (goals(), Overrides()),
        (allocations(), Overrides()),
        (targets(), Overrides()),
        (iot_values(), Overrides()),
        (dbh(), Overrides()),
        (
            peer_figures.write_key_figures(
                OUT_DIR / "sokere_og_studieplasser_2021_2026_eksempel.xlsx"
            ),
            Overrides(),
        ),
        (department_status(), Overrides(year=2019, label="Status 2019")),
        (ledger(), Overrides(label="prognose oktober 2023")),
        (demo_resources.evaluation(OUT_DIR), Overrides()),
        (demo_resources.register(OUT_DIR), Overrides()),
        *((path, Overrides()) for path in demo_economy.workbooks(OUT_DIR)),
    ]
    con = store.connect(db_path)
    try:
        for path, overrides in files:
            import_file(con, path, settings, overrides, user="demo")
    finally:
        con.close()
    return db_path


if __name__ == "__main__":
    target = build_demo(Settings.from_env().db_path, force=True)
    print(f"Demodata lagret i {target}")
