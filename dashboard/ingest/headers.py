"""Recognise table layouts by their header names.

Each layout lists its fields and, for each field, the header names that mean it (Norwegian and
English). Headers are compared after normalising: case, spaces and punctuation ignored. The
header row may be anywhere in the first 20 rows, with titles above and notes below.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from dashboard.ingest.economy_headers import ECONOMY_LAYOUTS, ECONOMY_SYNONYMS
from dashboard.numbers import is_blank, parse_year
from dashboard.vocab import RESOURCE_FIELDS

HEADER_SCAN_ROWS = 20
# Header names are looked for in the first 1 024 columns (real tables have far fewer), so a
# sheet 16 384 columns wide costs no more to examine than one of 1 024.
MAX_HEADER_COLUMNS = 1024


def normalise(text: object) -> str:
    """'Status 0= ikke igangsatt\\n1=…' -> 'status 0 ikke igangsatt 1 …'; 'HP nr.' -> 'hp nr'."""
    if is_blank(text):
        return ""
    value = unicodedata.normalize("NFC", str(text)).lower()
    value = re.sub(r"[^\wæøå%]+", " ", value)
    return re.sub(r"\s+", " ", value).strip()


# Field synonyms shared by layouts. Longer synonyms win over shorter ones; a synonym also matches
# a header that starts with it followed by more words («Tiltak fra årsplan 2023»).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "goal_no": (
        "hp nr",
        "hpnr",
        "hp",
        "mål",
        "mål nr i strategien",
        "mål nr",
        "målnr",
        "målnummer",
        "mål nummer",
        "strategisk mål nr",
        "goal no",
        "goal number",
        "goal",
        "strategimål nr",
        "nr i strategi",
        "strategimål",
    ),
    "title": (
        "tiltak",
        "tiltak i handlingsplanen",
        "tiltak fra årsplan",
        "tiltak i årsplan",
        "tiltak i tiltaksplan",
        "tiltaksnavn",
        "measure",
        "action",
        "aktivitet",
        "tiltak aktivitet",
    ),
    "score": (
        "status 0",
        "status 0 5",
        "status skala",
        "statusverdi",
        "status tall",
        "score",
        "skår",
        "status score",
        "status nummer",
        "status nr",
        "status verdi",
    ),
    "status": ("status", "statustekst", "status tekst", "status på tiltak", "state"),
    "comment": (
        "kommentar",
        "statuskommentar",
        "status kommentar",
        "merknad",
        "merknader",
        "comment",
        "comments",
        "beskrivelse av status",
        "statusbeskrivelse",
        "kommentar til status",
    ),
    "area": (
        "område",
        "innsatsområde",
        "kjerneoppgave",
        "area",
        "tema",
        "satsingsområde",
        "seksjon",
        "fagområde",
        "strategisk område",
        "hovedområde",
    ),
    "period": ("opprinnelig periode", "periode", "period", "tidsperiode", "tidsrom"),
    "start": (
        "start",
        "startdato",
        "fra",
        "fra dato",
        "oppstart",
        "periode fra",
        "start date",
        "fom",
        "fra og med",
        "planlagt start",
        "planned start",
    ),
    "end": (
        "slutt",
        "sluttdato",
        "til",
        "til dato",
        "frist",
        "periode til",
        "end date",
        "tom",
        "til og med",
        "planlagt slutt",
        "ferdig",
        "planned end",
        "end",
        "deadline",
        "due date",
    ),
    "owner": (
        "ansvarlig",
        "ansvarlig person",
        "tiltaksansvarlig",
        "prosjektleder",
        "tiltakseier",
        "eier",
        "kontaktperson",
        "owner",
        "responsible",
        "project lead",
        "project leader",
    ),
    "owning_unit": (
        "ansvarlig enhet",
        "eierenhet",
        "utførende enhet",
        "owning unit",
        "responsible unit",
    ),
    "need_knok": (
        "ressursbehov",
        "ressursbehov 1000 kr",
        "ressursbehov i 1000 kr",
        "ressursbehov kr",
        "kostnadsestimat",
        "estimert kostnad",
        "budsjettbehov",
        "behov 1000 kr",
        "resource need",
        "estimated cost",
        "cost estimate",
    ),
    "need_hours": (
        "timer",
        "timeverk",
        "ressursbehov timer",
        "antall timer",
        "estimerte timer",
        "hours",
    ),
    "need_fte": ("årsverk", "ressursbehov årsverk", "fte", "person years"),
    "granted_knok": (
        "finansiert",
        "finansiering",
        "finansiert 1000 kr",
        "innvilget",
        "bevilget",
        "tildelt",
        "tildelt 1000 kr",
        "funding granted",
        "granted",
        "funded",
    ),
    "risk": ("risiko", "risikonivå", "risikovurdering", "risk", "risk level"),
    "risk_reason": (
        "risikobeskrivelse",
        "begrunnelse for risiko",
        "risiko begrunnelse",
        "risikoforhold",
        "risk reason",
        "risk description",
    ),
    "priority": ("prioritet", "prioritering", "priority"),
    "evaluation": (
        "måloppnåelse",
        "oppnåelse",
        "evaluering",
        "vurdering",
        "grad av måloppnåelse",
        "resultat av tiltaket",
        "evaluation",
        "achievement",
        "grade",
    ),
    "causes": (
        "årsak",
        "årsaker",
        "forklaring",
        "påvirket av",
        "berørt av",
        "stikkord",
        "causes",
        "reasons",
        "tags",
    ),
    "continuation": (
        "planlagt videreført",
        "videreføring",
        "videreført",
        "continuation",
        "videreføres",
        "planlagt videreføring",
    ),
    "line": (
        "bevilgningsramme bfv",
        "bevilgningsramme",
        "bfv",
        "linje",
        "post",
        "budsjettlinje",
        "budsjettpost",
        "line",
        "budget line",
        "konto",
        "kontogruppe",
        "kontonavn",
        "art",
        "linjenavn",
        "regnskapslinje",
        "account",
    ),
    "budget": (
        "budsjett i år",
        "budsjett",
        "budget",
        "årsbudsjett",
        "revidert budsjett",
        "budsjett kr",
        "budsjett 1000 kr",
    ),
    "prognosis": (
        "prognose i år",
        "prognose",
        "prognosis",
        "forecast",
        "årsprognose",
        "prognose 1000 kr",
    ),
    "deviation": (
        "prognostisert budsjettavvik",
        "budsjettavvik",
        "avvik",
        "deviation",
        "variance",
        "avvik budsjett prognose",
    ),
    "prev_prognosis": ("forrige prognose", "previous forecast", "previous prognosis", "forrige"),
    "actual": (
        "regnskap",
        "actual",
        "actuals",
        "faktisk",
        "regnskap hittil",
        "regnskap hittil i år",
    ),
    "part": ("del", "part", "strategidel", "hoveddel"),
    "goal_text": (
        "utviklingsmål",
        "mål",
        "målformulering",
        "strategisk mål",
        "goal",
        "goals",
        "delmål",
        "hovedmål",
    ),
    "unit": (
        "enhet",
        "institusjon",
        "institusjonsnavn",
        "organisasjon",
        "org enhet",
        "orgenhet",
        "unit",
        "fakultet",
        "institutt",
        "avdeling",
        "enhetskode",
        "enhetsnavn",
        "organisation",
        "institution",
        "kostnadssted",
        "avsetning til",
    ),
    "amount": (
        "beløp",
        "tildeling",
        "avsetning",
        "amount",
        "ramme",
        "fordeling",
        "sum",
        "kr",
        "1000 kr",
        "beløp 1000 kr",
        "tildelt",
    ),
    "indicator": (
        "indikator",
        "resultatmål",
        "indicator",
        "måltall",
        "styringsparameter",
        "kpi",
        "indikatornavn",
        "parameter",
        "nøkkeltall",
        "nøkkeltal",
        "variabel",
        "indikator nøkkeltall",
        "key figure",
    ),
    "kind": ("type", "måltype", "kind", "retning", "målform"),
    "target": ("mål", "målverdi", "target", "måltall verdi", "mål verdi", "ambisjon"),
    "measure_unit": ("måleenhet", "benevning", "measure unit", "enhet for mål", "unit of measure"),
    "baseline_year": ("basisår", "baseline", "baseline year", "utgangsår", "fra år"),
    "target_year": ("målår", "target year", "innen", "år for mål"),
    "year": ("år", "year", "årstall", "budsjettår", "regnskapsår", "arstall", "aarstall", "aar"),
    "month": ("måned", "month", "periode nr", "mnd", "periode måned", "regnskapsperiode"),
    "label": ("versjon", "prognoseversjon", "version", "scenario", "runde"),
    "source": ("kilde", "source"),
    "value": ("verdi", "value", "resultat", "tall"),
    **ECONOMY_SYNONYMS,
}

_SYNONYM_INDEX: list[tuple[str, str]] = sorted(
    ((normalise(s), f) for f, names in SYNONYMS.items() for s in names), key=lambda p: -len(p[0])
)
# A synonym matches a header equal to it or starting with it and a space, so both begin with
# the same word: look only at the synonyms of the header's first word.
_BY_FIRST_WORD: dict[str, list[tuple[str, str]]] = {}
for _syn, _fld in _SYNONYM_INDEX:
    _BY_FIRST_WORD.setdefault(_syn.split(" ", 1)[0], []).append((_syn, _fld))


def header_candidates(text: object) -> dict[str, int]:
    """Fields a header may mean, with a match strength (higher is better). The snake_case of
    database exports reads as words («antall_publikasjoner»)."""
    return _candidates(normalise(text).replace("_", " "))


@lru_cache(maxsize=4096)
def _candidates(norm: str) -> dict[str, int]:
    if not norm:
        return {}
    found: dict[str, int] = {}
    for syn, fld in _BY_FIRST_WORD.get(norm.split(" ", 1)[0], ()):
        if norm == syn:
            strength = 1000 + len(syn)
        elif norm.startswith(syn + " "):
            strength = len(syn)
        else:
            continue
        found[fld] = max(found.get(fld, 0), strength)
    return found


@dataclass(frozen=True)
class TableShape:
    """The shape of a table a layout is read from: its fields, which are required, and how many year columns it needs."""

    name: str
    title: str  # Norwegian, for messages
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    one_of: tuple[tuple[str, ...], ...] = ()  # at least one field of each group
    min_year_columns: int = 0


LAYOUTS: tuple[TableShape, ...] = (
    TableShape(
        "ledger",
        "Hovedbokseksport (enhet × linje × år/måned eller periode)",
        ("unit", "line"),
        ("month", "label"),
        # the year in a year column, or in a period column («202310», «2023-10», «okt 2023»)
        one_of=(("budget", "prognosis", "actual"), ("year", "period")),
    ),
    TableShape(
        "budget_multiyear",
        "Langtidsbudsjett (linjer × år)",
        ("line",),
        ("budget", "prev_prognosis", "prognosis"),
        min_year_columns=2,
    ),
    TableShape(
        "budget_prognosis",
        "Budsjettprognose (Budsjett i år / Prognose i år / avvik)",
        ("line", "budget", "prognosis"),
        ("deviation", "actual"),
    ),
    TableShape(
        "indicator_defs",
        "Resultatmål (indikator, type, mål — eller målet i ord: «minst 5», «+15 % fra 2018»)",
        ("indicator", "target"),
        ("kind", "area", "measure_unit", "baseline_year", "target_year", "unit"),
    ),
    TableShape(
        "indicator_wide",
        "Indikatorverdier, ett år per kolonne",
        ("indicator",),
        ("unit", "source", "measure_unit", "area"),
        min_year_columns=2,
    ),
    TableShape(
        "status",
        "Statusrapport for tiltak (status 0–5 eller tekst)",
        ("title",),
        (
            "goal_no",
            "comment",
            "area",
            "period",
            "start",
            "end",
            "continuation",
            "unit",
            *RESOURCE_FIELDS,
        ),
        one_of=(("score", "status"),),
    ),
    TableShape(
        "measure_register",
        "Tiltaksregister (tiltak med ansvarlig, ressursbehov, finansiering, risiko …, uten status)",
        ("title",),
        ("goal_no", "comment", "area", "period", "start", "end", "unit", *RESOURCE_FIELDS),
        one_of=(tuple(f for f in RESOURCE_FIELDS if f != "risk_reason"),),
    ),
    TableShape(
        "plan_evaluation",
        "Evaluering av plan (tiltak, måloppnåelse, årsaker)",
        ("title", "evaluation"),
        ("causes", "comment", "area", "goal_no", "unit"),
    ),
    TableShape(
        "strategy_goals",
        "Strategiske mål (del, område, mål)",
        ("goal_text",),
        ("area", "part", "goal_no", "unit"),
    ),
    *(TableShape(*spec) for spec in ECONOMY_LAYOUTS),
    TableShape("allocations", "Fordeling per enhet (enhet, beløp)", ("unit", "amount"), ("year",)),
    TableShape(
        "indicator_titled",
        "Ett nøkkeltall (i tittelen) per enhet eller institusjon, ett år per kolonne",
        ("unit",),
        ("source",),
        min_year_columns=2,
    ),
    TableShape(
        "indicator_long",
        "Indikatorverdier, én rad per år (DBH-eksport)",
        ("year",),
        ("unit", "source"),
    ),
)
LAYOUT_BY_NAME = {layout.name: layout for layout in LAYOUTS}


@dataclass
class HeaderMatch:
    """Where a layout's header row is and which column holds which field."""

    layout: TableShape
    header_row: int  # index into the sheet's rows
    columns: dict[str, int]
    year_columns: dict[int, int] = field(default_factory=dict)  # column -> year
    extra_columns: dict[int, str] = field(default_factory=dict)  # other named columns
    score: int = 0


Candidates = list[tuple[int, dict[str, int]]]


_FIRST_WORD = re.compile(r"(?:[^\W_]|%)+")
_YEARISH = re.compile(r"(?:1\s?9|2\s?0)\s?\d\s?\d")  # «2024», also «2 024» typed as text


def row_candidates(row: list[Any]) -> Candidates:
    """Each text cell of a row (the first MAX_HEADER_COLUMNS) with the fields it may mean.
    A cell whose first word begins no synonym is passed over without normalising it all."""
    out = []
    for col, cell in enumerate(row[:MAX_HEADER_COLUMNS]):
        if is_blank(cell) or (isinstance(cell, int | float) and not isinstance(cell, bool)):
            continue
        first = _FIRST_WORD.search(unicodedata.normalize("NFC", str(cell)).lower())
        if first is None or first.group() not in _BY_FIRST_WORD:
            continue
        found = header_candidates(cell)
        if found:
            out.append((col, found))
    return out


def _assign(cands: Candidates, wanted: list[str]) -> dict[str, int]:
    """Give each wanted field the column that matches it best (each column used once).

    On a tie the field listed first wins (required fields come first), so «Mål» is the goal text
    in a strategy table, the target in a table of result targets and the goal number elsewhere.
    `cands` are a row's row_candidates.
    """
    options: list[tuple[int, int, int, str]] = []
    for col, found in cands:
        for fld, strength in found.items():
            if fld in wanted:
                options.append((strength, wanted.index(fld), col, fld))
    options.sort(key=lambda o: (-o[0], o[1], o[2]))
    columns: dict[str, int] = {}
    used: set[int] = set()
    for _strength, _priority, col, fld in options:
        if fld in columns or col in used:
            continue
        columns[fld] = col
        used.add(col)
    return columns


_PLAN_YEAR = re.compile(
    r"(?i)^\s*(?:(?:plan|ltb|langtidsplan|langtidsbudsjett|budsjett|ramme|år)\s+)?"
    r"((?:19|20)\d{2})(?:\s*\((?:plan|ltb|budsjett|ramme)\))?\s*$"
)


def year_columns(row: list[Any]) -> dict[int, int]:
    """Columns whose header is a year: 2024, '2024', 2024.0, 'Plan 2025', '2025 (plan)'."""
    years = {}
    for col, cell in enumerate(row[:MAX_HEADER_COLUMNS]):
        if isinstance(cell, str) and not _YEARISH.search(cell):
            continue  # no year in it: skip the number parser
        year = parse_year(cell)
        if year is None and isinstance(cell, str):
            match = _PLAN_YEAR.match(cell)
            year = int(match.group(1)) if match else None
        if year is not None:
            years[col] = year
    return years


def match_layouts(rows: list[list[Any]]) -> list[HeaderMatch]:
    """All (layout, header row) pairs that fit the first rows of a sheet, best first. A header
    may span two rows (a group heading above the column names); that reading is kept only when
    it recognises more columns than either row alone."""
    matches: list[HeaderMatch] = []
    rows = [row[:MAX_HEADER_COLUMNS] for row in rows[:HEADER_SCAN_ROWS]]
    for index, row in enumerate(rows):
        if all(is_blank(c) for c in row):
            continue
        matches.extend(_matches_for(row, index, year_columns(row)))
    best = {(m.layout.name, m.header_row): len(m.columns) for m in matches}
    for index in range(min(len(rows), HEADER_SCAN_ROWS) - 1):
        combined = _two_row_header(rows[index], rows[index + 1])
        if combined is None:
            continue
        lower = rows[index + 1]
        for m in _matches_for(combined, index + 1, year_columns(lower), lower):
            alone = max(
                best.get((m.layout.name, index), 0), best.get((m.layout.name, index + 1), 0)
            )
            if len(m.columns) > alone:
                matches.append(m)
    matches.sort(key=lambda m: (-m.score, m.header_row, LAYOUTS.index(m.layout)))
    return matches


def _two_row_header(upper: list[Any], lower: list[Any]) -> list[Any] | None:
    """Column names of a two-row header («Status» above «0–5»), or None when the two rows do not
    look like one: both need two or more text cells and no numbers other than years below."""
    texts_up = [c for c in upper if isinstance(c, str) and c.strip()]
    texts_low = [c for c in lower if isinstance(c, str) and c.strip()]
    if len(texts_up) < 2 or len(texts_low) < 2:
        return None
    if any(isinstance(c, int | float) for c in upper):
        return None
    if any(isinstance(c, int | float) and parse_year(c) is None for c in lower):
        return None
    width = min(max(len(upper), len(lower)), MAX_HEADER_COLUMNS)
    out: list[Any] = []
    for c in range(width):
        parts = [r[c] for r in (upper, lower) if c < len(r) and not is_blank(r[c])]
        out.append(" ".join(str(p).strip() for p in parts) if parts else None)
    return out


def _matches_for(
    row: list[Any], index: int, years: dict[int, int], lower: list[Any] | None = None
) -> list[HeaderMatch]:
    """The layouts a header row fits. For a two-row header, `lower` is its lower row: a column
    whose two cells together mean nothing («Ressurser» above «Tildelt») is read by its own
    name below."""
    found = []
    cands = row_candidates(row)
    if lower is not None:
        known = {col for col, _ in cands}
        cands = sorted(cands + [c for c in row_candidates(lower) if c[0] not in known])
    if not cands:
        return found
    for layout in LAYOUTS:
        groups = [f for group in layout.one_of for f in group]
        wanted = list(dict.fromkeys([*layout.required, *groups, *layout.optional]))
        columns = _assign(cands, wanted)
        if not all(f in columns for f in layout.required):
            continue
        if not all(any(f in columns for f in group) for group in layout.one_of):
            continue
        if len(years) < layout.min_year_columns:
            continue
        yc = {c: y for c, y in years.items() if c not in columns.values()}
        extra = {
            c: str(v).strip()
            for c, v in enumerate(row[:MAX_HEADER_COLUMNS])
            if c not in columns.values() and c not in yc and not is_blank(v)
        }
        score = (
            10 * len(columns)
            + len(layout.required)
            + (3 * len(yc) if layout.min_year_columns else 0)
        )
        found.append(HeaderMatch(layout, index, columns, yc, extra, score))
    return found


def accepted_layouts_text() -> str:
    """A one-line list of the layouts we accept, for error messages."""
    return "; ".join(layout.title for layout in LAYOUTS)
