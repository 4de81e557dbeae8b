"""The vocabularies of header words: for each field, the header names that mean it.

Names are Norwegian and English and compared after `normalise` (case, spaces and punctuation
ignored). A synonym matches a header equal to it or starting with it and a space; the longer
synonym is the stronger match.
"""

from __future__ import annotations

from functools import lru_cache

from dashboard.ingest.economy_headers import ECONOMY_SYNONYMS
from dashboard.text import normalise

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


def begins_a_synonym(word: str) -> bool:
    """Whether some synonym's first word is `word` (lower case): a cheap test before normalising."""
    return word in _BY_FIRST_WORD


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
