"""«Last ned mal»: an .xlsx template for each accepted layout (openpyxl): header, dropdowns,
number formats, frozen header and an «Instruksjoner» sheet in Norwegian. A filled-in template
imports exactly (tests/test_templates.py)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from dashboard.ingest.economy_templates import economy_templates
from dashboard.vocab import CATEGORY_ORDER, Grade, Layout

KNOK = "#,##0;#,##0-"
AREAS = (
    "Utdanning",
    "Forskning",
    "Innovasjon",
    "Formidling",
    "Tverrfaglig samhandling",
    "Internasjonalisering",
    "Organisasjon",
)
BUDGET_LINES = (
    "IB",
    "Resultat",
    "Inntekt",
    "Bevilgning",
    "Overføring fra BOA",
    "Overføring fra EVU",
    "Andre inntekter",
    "Kostnad",
    "Investering",
    "Lønn",
    "Drift",
    "Egenfinansiering BOA",
    "Egenfinansiering EVU",
    "UB",
)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F0")


@dataclass
class Template:
    """An Excel template of one layout: its sheet, title rows, header, pre-filled rows and lists."""

    key: str
    title: str  # Norwegian name shown on the page
    sheet: str
    title_rows: list[str]
    header: list[str]
    rows: list[list] = field(default_factory=list)  # pre-filled rows (e.g. budget lines)
    lists: dict[str, tuple[str, ...]] = field(
        default_factory=dict
    )  # column header -> allowed values
    strict: tuple[str, ...] = ()  # columns where only the listed values are accepted
    amount_columns: tuple[str, ...] = ()
    instructions: list[str] = field(default_factory=list)


COMMON_INSTRUCTIONS = (
    "Enhet, år og versjon leses fra tittelen (for eksempel «Handlingsplan for MH-fakultetet, status 2024», "
    "«Prognose pr. oktober 2024 (MH)») eller fra filnavnet (mh_prognose_2024_10.xlsx). Du kan også oppgi dem "
    "i opplastingsskjemaet.",
    "Ikke endre overskriftene. Tomme rader, notater under tabellen og ekstra tittelrader er i orden.",
    "Formler regnes aldri ut: lagre fila i Excel slik at alle celler har en verdi.",
)


def _status_templates(year: int) -> list[Template]:
    """Status reports: 0–5 scores (handlingsplan) and text statuses (årsplan)."""
    return [
        Template(
            str(Layout.STATUS_SCORES),
            "Statusrapport med status 0–5",
            "Status",
            [f"Handlingsplan for ENHET, status {year}"],
            ["Område", "HP nr.", "Tiltak i handlingsplanen", "Status (0-5)", "Kommentar"],
            lists={"Område": AREAS, "Status (0-5)": ("0", "1", "2", "3", "4", "5")},
            strict=("Status (0-5)",),
            instructions=[
                "Én rad per tiltak. HP nr. er målnummeret i strategien (13 eller HP 13).",
                "Status: 0 = ikke igangsatt, 1 = tiltaksplan vedtatt, 2 = tiltak igangsatt, "
                "3 = under gjennomføring, 4 = gjennomført, 5 = rapportert. Tom status = ikke rapportert.",
                *COMMON_INSTRUCTIONS,
            ],
        ),
        Template(
            str(Layout.STATUS_TEXT),
            "Statusrapport med tekststatus (årsplan)",
            "Status",
            [f"Status på tiltak for {year} – ENHET"],
            ["Område", "Tiltak", "Fra", "Til", "Status", "Kommentar", "Planlagt videreført"],
            lists={"Område": AREAS, "Status": CATEGORY_ORDER},
            instructions=[
                "Status kan være en av kategoriene i nedtrekkslisten, eller tekst som «Under arbeid: "
                "forsinket» og «Utsatt: pga økonomi» (kategorien finnes med regeltabellen).",
                "Fra og Til er datoer (01.01.2024).",
                *COMMON_INSTRUCTIONS,
            ],
        ),
    ]


def _register_templates(year: int) -> list[Template]:
    """A measure register: each measure with what the plan needs to be realistic."""
    return [
        Template(
            str(Layout.MEASURE_REGISTER),
            "Tiltaksregister (ansvarlig, ressursbehov, finansiering, risiko)",
            "Tiltak",
            [f"Tiltaksplan {year}–{year + 2} for ENHET – tiltaksregister"],
            [
                "Område",
                "Mål nr.",
                "Tiltak",
                "Ansvarlig",
                "Ansvarlig enhet",
                "Ressursbehov (1000 kr)",
                "Årsverk",
                "Finansiert (1000 kr)",
                "Start",
                "Planlagt slutt",
                "Risiko",
                "Begrunnelse for risiko",
                "Prioritet",
            ],
            lists={
                "Område": AREAS,
                "Risiko": ("lav", "middels", "høy"),
                "Prioritet": ("1", "2", "3"),
            },
            strict=("Risiko",),
            amount_columns=("Ressursbehov (1000 kr)", "Finansiert (1000 kr)"),
            instructions=[
                "Én rad per tiltak. La en celle stå tom når verdien ikke er kjent: tomt er «ikke "
                "oppgitt», ikke null. 0 i «Finansiert» betyr at tiltaket ikke har fått midler.",
                "Ressursbehov og finansiert i 1000 kr; årsverk som desimaltall (0,5). Start og "
                "planlagt slutt er datoer (01.01.2024).",
                "Risiko er lav, middels eller høy, med en kort begrunnelse. Prioritet 1 er høyest.",
                "Kolonnene kan også stå i en statusrapport; da leses de sammen med statusen.",
                *COMMON_INSTRUCTIONS,
            ],
        ),
        Template(
            str(Layout.PLAN_EVALUATION),
            "Evaluering av plan (måloppnåelse og årsaker per tiltak)",
            "Evaluering",
            [f"Evaluering av tiltaksplan {year - 3}–{year - 1} for ENHET"],
            ["Område", "Tiltak", "Måloppnåelse", "Årsaker", "Kommentar"],
            lists={"Område": AREAS, "Måloppnåelse": tuple(Grade)},
            strict=("Måloppnåelse",),
            instructions=[
                "Én rad per tiltak i planen som evalueres. Måloppnåelse er svært god, god, "
                "middels, svak eller ikke gjennomført; tom betyr ikke vurdert.",
                "Årsaker er stikkord skilt med semikolon («Berørt av korona; Underfinansiert»): "
                "de telles på tvers av tiltakene.",
                *COMMON_INSTRUCTIONS,
            ],
        ),
    ]


def _budget_templates(year: int) -> list[Template]:
    """Budget sheets: the prognosis (BFV) and the multi-year budget, pre-filled with the lines."""
    next_years = [str(year + i) for i in range(1, 5)]
    return [
        Template(
            str(Layout.BUDGET_PROGNOSIS),
            "Budsjettprognose (BFV)",
            "Prognose",
            [f"Prognose pr. MÅNED {year}", "ENHET. Tall i 1000 kr."],
            [
                "Bevilgningsramme BFV",
                "Budsjett i år",
                "Prognose i år",
                "Prognostisert budsjettavvik",
            ],
            rows=[[line] for line in BUDGET_LINES],
            lists={"Bevilgningsramme BFV": BUDGET_LINES},
            amount_columns=("Budsjett i år", "Prognose i år", "Prognostisert budsjettavvik"),
            instructions=[
                "Beløp i 1000 kr. Kostnader negative (vises som «45 785-»).",
                "Avvik = budsjett − prognose. Summene kontrolleres: Inntekt = inntektslinjene, Kostnad = "
                "kostnadslinjene, Resultat = Inntekt + Kostnad, UB = IB + Resultat.",
                *COMMON_INSTRUCTIONS,
            ],
        ),
        Template(
            str(Layout.BUDGET_MULTIYEAR),
            "Langtidsbudsjett",
            "Langtidsbudsjett",
            ["Langtidsbudsjett ENHET"],
            ["Bevilgningsramme - BFV", "Budsjett i år", "Forrige prognose", *next_years],
            rows=[[line] for line in BUDGET_LINES],
            lists={"Bevilgningsramme - BFV": BUDGET_LINES},
            amount_columns=("Budsjett i år", "Forrige prognose", *next_years),
            instructions=[
                f"«Budsjett i år» er {year}; årskolonnene er planen for de neste årene.",
                "Hvert års IB skal være forrige års UB.",
                *COMMON_INSTRUCTIONS,
            ],
        ),
    ]


def _plan_templates(year: int) -> list[Template]:
    """Plans: strategy goals and allocations per unit."""
    return [
        Template(
            str(Layout.STRATEGY_GOALS),
            "Strategiske mål",
            "Mål",
            ["ENHET – strategi 2018–2025"],
            ["Del", "Område", "Utviklingsmål"],
            instructions=["Én rad per mål.", *COMMON_INSTRUCTIONS],
        ),
        Template(
            str(Layout.ALLOCATIONS),
            "Fordeling per enhet",
            "Fordeling",
            [f"Fordeling av avsetninger ENHET {year} (1000 kr)"],
            ["Enhet", "Beløp"],
            amount_columns=("Beløp",),
            instructions=[
                "Én rad per enhet (kode som MH-INB); «-» betyr ingen. En rad «Sum» gir totalen.",
                *COMMON_INSTRUCTIONS,
            ],
        ),
    ]


def _indicator_templates(year: int) -> list[Template]:
    """Indicators: definitions (resultatmål) and values, one year per column."""
    return [
        Template(
            str(Layout.INDICATOR_DEFS),
            "Resultatmål",
            "Resultatmål",
            ["Resultatmål ENHET 2018–2025"],
            ["Område", "Indikator", "Måleenhet", "Type", "Mål", "Basisår", "Målår"],
            lists={"Type": ("minst", "høyst", "vekst")},
            strict=("Type",),
            instructions=[
                "Type: minst (verdien skal være minst målet), høyst, eller vekst (mål i % fra basisåret, "
                "for eksempel 15 % fra 2018).",
                *COMMON_INSTRUCTIONS,
            ],
        ),
        Template(
            str(Layout.INDICATOR_VALUES),
            "Indikatorverdier (ett år per kolonne)",
            "Verdier",
            ["Indikatorverdier"],
            ["Enhet", "Indikator", *[str(year - i) for i in range(6, -1, -1)]],
            instructions=[
                "Én rad per enhet og indikator; tomme celler betyr at verdien mangler.",
                *COMMON_INSTRUCTIONS,
            ],
        ),
    ]


def _ledger_templates(year: int) -> list[Template]:
    """The ledger export: one row per unit, line and month."""
    return [
        Template(
            str(Layout.LEDGER),
            "Hovedbokseksport",
            "Hovedbok",
            [f"Prognose pr. MÅNED {year} – hovedbok"],
            ["Enhet", "År", "Måned", "Linje", "Budsjett", "Prognose"],
            lists={"Linje": BUDGET_LINES},
            amount_columns=("Budsjett", "Prognose"),
            instructions=[
                "Én rad per enhet, linje og måned. Beløp i 1000 kr.",
                *COMMON_INSTRUCTIONS,
            ],
        )
    ]


# In the order the upload page lists them.
_FAMILIES = (
    _status_templates,
    _register_templates,
    _budget_templates,
    _plan_templates,
    _indicator_templates,
    _ledger_templates,
    lambda year: economy_templates(year, Template),
)


def _templates(year: int) -> dict[str, Template]:
    """Every template by its key (the layout it imports as), for the given year."""
    return {t.key: t for family in _FAMILIES for t in family(year)}


def available(year: int | None = None) -> dict[str, str]:
    """Template keys and their Norwegian names."""
    return {key: t.title for key, t in _templates(year or dt.date.today().year).items()}


def build(key: str, year: int | None = None) -> bytes:
    """The template for one layout, as .xlsx bytes."""
    t = _templates(year or dt.date.today().year)[key]
    wb = Workbook()
    ws = wb.active
    ws.title = t.sheet
    for text in t.title_rows:
        ws.append([text])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append(t.header)
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in t.rows:
        ws.append(row)
    ws.freeze_panes = (
        f"A{header_row + 1}"  # (set after appending: touching a cell would move append)
    )
    last = max(ws.max_row, header_row + 200)
    for i, name in enumerate(t.header, start=1):
        letter = ws.cell(row=header_row, column=i).column_letter
        ws.column_dimensions[letter].width = max(14, min(60, len(name) + 4)) if i > 1 else 40
        if name in t.amount_columns:
            for r in range(header_row + 1, last + 1):
                ws.cell(row=r, column=i).number_format = KNOK
        if name in t.lists:
            values = ",".join(t.lists[name])
            dv = DataValidation(
                type="list",
                formula1=f'"{values}"',
                allow_blank=True,
                showErrorMessage=name in t.strict,
                errorTitle="Ugyldig verdi",
                error=f"Velg en av: {values}",
            )
            ws.add_data_validation(dv)
            dv.add(f"{letter}{header_row + 1}:{letter}{last}")
    info = wb.create_sheet("Instruksjoner")
    info.append([f"Mal: {t.title}"])
    info["A1"].font = Font(bold=True, size=13)
    info.append([])
    for line in t.instructions:
        info.append([line])
    info.append([])
    info.append(
        ["Last opp fila på siden «Last opp» i Målbilde, eller: python -m dashboard import FIL.xlsx"]
    )
    info.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
