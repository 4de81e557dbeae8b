"""EXAMPLE key figures for NTNU and 26 other institutions (eksempelverdier, not HK-dir's figures),
written the way HK-dir publishes its applicant table: `Institusjon`, `Nøkkeltall`, one column per
year, the institution once per group, numbers as text with no-break spaces, shares as «59,8 %».
Used by the demo database and by the tests of the key-figure import."""

from __future__ import annotations

import random
from pathlib import Path

from openpyxl import Workbook

YEARS = list(range(2021, 2027))
NBSP = "\u00a0"
TITLE = "Søkere og studieplasser 2021–2026 — eksempelverdier (ikke HK-dirs tall)"
SOURCE = "Kilde: eksempelverdier for demonstrasjon, i HK-dirs oppsett"
PLACES, APPLICANTS, WOMEN = "Studieplasser", "Primærsøkere", "Andel kvinner blant primærsøkere"

# name as published, study places and first-choice applicants in 2021 (rough sizes, EXAMPLE)
INSTITUTIONS: list[tuple[str, int, int]] = [
    ("Norges teknisk-naturvitenskapelige universitet", 7100, 15600),
    ("Universitetet i Oslo", 6200, 21000),
    ("Universitetet i Bergen", 4100, 12500),
    ("UiT Norges arktiske universitet", 3900, 6800),
    ("Universitetet i Stavanger", 2600, 7600),
    ("Universitetet i Agder", 2700, 6900),
    ("Norges miljø- og biovitenskapelige universitet", 1200, 2600),
    ("Nord universitet", 2900, 3900),
    ("OsloMet – storbyuniversitetet", 5600, 16800),
    ("Universitetet i Sørøst-Norge", 4100, 7700),
    ("Universitetet i Innlandet", 3100, 5200),
    ("Norges handelshøyskole", 600, 2300),
    ("Norges idrettshøgskole", 300, 700),
    ("Norges musikkhøgskole", 200, 600),
    ("Arkitektur- og designhøgskolen i Oslo", 150, 700),
    ("Kunsthøgskolen i Oslo", 200, 1200),
    ("Høgskolen i Molde – vitenskapelig høgskole i logistikk", 600, 900),
    ("MF vitenskapelig høyskole", 300, 310),
    ("VID vitenskapelige høgskole", 1500, 2900),
    ("Handelshøyskolen BI", 3500, 9000),
    ("Høgskulen på Vestlandet", 4500, 10400),
    ("Høgskolen i Østfold", 1800, 4400),
    ("Høgskulen i Volda", 800, 1600),
    ("Samisk høgskole", 150, 140),
    ("Høyskolen Kristiania", 3000, 8000),
    ("NLA Høgskolen", 500, 500),
    ("Dronning Mauds Minne Høgskole", 500, 900),
]


def figures(seed: int = 14) -> dict[tuple[str, str, int], float]:
    """(institution, key figure, year) → value: places grow a little, applicants fall."""
    rng = random.Random(seed)
    out: dict[tuple[str, str, int], float] = {}
    for name, places, applicants in INSTITUTIONS:
        women = rng.uniform(45, 75)
        for i, year in enumerate(YEARS):
            p = round(places * (1 + 0.01 * i) * rng.uniform(0.99, 1.01))
            a = round(applicants * (1 - 0.045 * i) * rng.uniform(0.96, 1.04))
            out[(name, PLACES, year)] = p
            out[(name, APPLICANTS, year)] = a
            out[(name, WOMEN, year)] = round(women + rng.uniform(-1.5, 1.5), 1)
    return out


def _text(value: float, key: str) -> str:
    if key == WOMEN:
        return f"{value:.1f}".replace(".", ",") + " %"
    return f"{int(value):,}".replace(",", NBSP)


def write_key_figures(path: Path, values: dict[tuple[str, str, int], float] | None = None) -> Path:
    """The key-figure workbook in HK-dir's layout."""
    values = values or figures()
    wb = Workbook()
    ws = wb.active
    ws.title = "Nøkkeltall"
    ws.append([TITLE])
    ws.append([])
    ws.append(["Institusjon", "Nøkkeltall", *[str(y) for y in YEARS]])
    for name, _places, _applicants in INSTITUTIONS:
        for i, key in enumerate((PLACES, APPLICANTS, WOMEN)):
            cells = [_text(values[(name, key, y)], key) for y in YEARS]
            ws.append([name if i == 0 else None, key, *cells])
    ws.append([])
    ws.append([SOURCE])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
