"""Demo workbooks for «Tiltak og ressurser» at NTNU Vitenskapsmuseet (VM): a measure register
for the plan 2023–2025 and the evaluation of the plan 2019–2021. The register is a clearly
labelled EXAMPLE (owners, amounts, dates and risks are invented). The evaluation keeps the
seeds' real figures — 12 of 30 measures with good or very good fulfilment, 14 affected by
corona, the plan's main areas — with example measure names and the remaining grades invented."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

EXAMPLE = "eksempelverdier for demonstrasjon"

REGISTER_HEADER = (
    "Område",
    "Mål nr.",
    "Tiltak",
    "Ansvarlig",
    "Ressursbehov (1000 kr)",
    "Finansiert (1000 kr)",
    "Start",
    "Planlagt slutt",
    "Risiko",
)
# area, goal no. in the museum's strategy, measure, owner, need (1000 kr), granted, start, end, risk
REGISTER = [
    (
        "Vitenskapelige samlinger",
        1,
        "Digitalisere herbariet",
        "Kari Nordmann",
        2400,
        1200,
        "01.01.2023",
        "31.12.2025",
        "høy",
    ),
    (
        "Vitenskapelige samlinger",
        2,
        "Ny magasinplan for de kulturhistoriske samlingene",
        "Kari Nordmann",
        1500,
        1500,
        "01.03.2023",
        "30.06.2024",
        "middels",
    ),
    (
        "Vitenskapelige samlinger",
        3,
        "Samlingsdatabase med åpne data",
        "Per Hansen",
        900,
        400,
        "01.09.2023",
        "31.12.2024",
        "middels",
    ),
    (
        "Forskning",
        5,
        "Forskerskole for museumsfag",
        "Liv Berg",
        600,
        600,
        "01.01.2023",
        "31.12.2025",
        "lav",
    ),
    (
        "Forskning",
        6,
        "Søknader til Horisont Europa",
        "Liv Berg",
        300,
        None,
        "01.01.2023",
        "31.12.2023",
        "middels",
    ),
    (
        "Forskning",
        7,
        "Felles laboratorium for DNA-analyser",
        "Kari Nordmann",
        3200,
        1000,
        "01.06.2023",
        "31.12.2025",
        "høy",
    ),
    (
        "Formidling",
        10,
        "Ny basisutstilling om klima og natur",
        "Ola Dahl",
        4500,
        2000,
        "01.01.2024",
        "31.12.2025",
        "høy",
    ),
    (
        "Formidling",
        11,
        "Skoletilbud for videregående",
        "Ola Dahl",
        250,
        250,
        "01.08.2023",
        "30.06.2024",
        "lav",
    ),
    (
        "Formidling",
        12,
        "Digital formidling og podkast",
        None,
        150,
        150,
        "01.01.2023",
        "31.12.2023",
        "lav",
    ),
    (
        "Utdanning og læringsmiljø",
        15,
        "Emne i museumsformidling",
        "Liv Berg",
        None,
        None,
        "01.08.2024",
        "31.12.2025",
        "lav",
    ),
    (
        "Arbeidsmiljø og utviklingsevne",
        19,
        "Lederutvikling for mellomledere",
        "Per Hansen",
        400,
        400,
        "01.01.2023",
        "31.12.2023",
        "lav",
    ),
    (
        "Arbeidsmiljø og utviklingsevne",
        20,
        "Mandat og prosjektleder for hvert tiltak",
        "Per Hansen",
        None,
        None,
        "01.01.2023",
        "31.03.2023",
        "lav",
    ),
    (
        "Bærekraft",
        24,
        "Klimaregnskap for museet",
        "Kari Nordmann",
        200,
        0,
        "01.01.2024",
        "31.12.2024",
        "middels",
    ),
    (
        "Digitalisering",
        32,
        "Felles plattform for digitale samlinger",
        "Per Hansen",
        1800,
        900,
        "01.01.2024",
        "31.12.2025",
        "høy",
    ),
    (
        "Regional rolle",
        40,
        "Samarbeid med regionale museer",
        None,
        300,
        300,
        "01.01.2023",
        "31.12.2025",
        "middels",
    ),
]

# The previous plan's main areas (seeds) and its 30 measures: 12 good or very good, 14 affected
# by corona, as the leaders' evaluation says; the names and other grades are examples.
EVALUATION_AREAS = (
    "Samlingsutvikling",
    "Sterke og internasjonale fagmiljø",
    "Forskningsinfrastruktur",
    "Utstillingsaktivitet",
    "Skape handlingsrom",
)
GRADES = ["svært god"] * 4 + ["god"] * 8 + ["middels"] * 9 + ["svak"] * 5 + ["ikke gjennomført"] * 4
CORONA = set(range(2, 30, 2))  # 14 of the 30 measures


def _save(wb: Workbook, folder: Path, name: str) -> Path:
    path = folder / name
    wb.save(path)
    return path


def register(folder: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Tiltak"
    ws.append(["Tiltaksplan 2023–2025 for NTNU Vitenskapsmuseet – tiltaksregister — " + EXAMPLE])
    ws.append(["Kapasitet: 8 tiltak samtidig (ledermøtet: «alt kan ikke starte samtidig»)"])
    ws.append(list(REGISTER_HEADER))
    for row in REGISTER:
        ws.append(list(row))
    ws.append([])
    ws.append(["Kilde: " + EXAMPLE])
    return _save(wb, folder, "vm_tiltaksregister_2023_2025_eksempel.xlsx")


def evaluation(folder: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Evaluering"
    ws.append(["Evaluering av tiltaksplanen 2019–2021, NTNU Vitenskapsmuseet"])
    ws.append(["Område", "Tiltak", "Måloppnåelse", "Årsaker"])
    for i, grade in enumerate(GRADES):
        causes = []
        if i in CORONA:
            causes.append("Berørt av korona")
        if grade in ("svak", "ikke gjennomført"):
            causes.append("Underfinansiert")
        if i % 7 == 3:
            causes.append("Avhengig av enkeltpersoner")
        ws.append(
            [
                EVALUATION_AREAS[i % 5],
                f"Tiltak {i + 1} (eksempel)",
                grade,
                "; ".join(causes) or None,
            ]
        )
    ws.append([])
    ws.append(
        [
            "Kilde: ledersamlingen (12 av 30 tiltak med god eller svært god måloppnåelse, 14 berørt av korona); tiltaksnavn og øvrige vurderinger er "
            + EXAMPLE
        ]
    )
    return _save(wb, folder, "vm_evaluering_tiltaksplan_2019_2021.xlsx")
