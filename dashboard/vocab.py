"""The one vocabulary: status categories and scores, indicator statuses, target kinds, budget
kinds and layout names. Every module (and the SQL macros in the store) takes them from here."""

from __future__ import annotations

import math
import re
from enum import StrEnum
from typing import NamedTuple


class Category(StrEnum):
    """Status categories of a measure, worst to best (the order of every chart)."""

    NOT_STARTED = "Ikke igangsatt"
    POSTPONED = "Utsatt"
    DELAYED = "Forsinket"
    IN_PROGRESS = "Under arbeid"
    DONE = "Gjennomført"


CATEGORY_ORDER: tuple[str, ...] = tuple(Category)
CATEGORY_RANK: dict[str, int] = {c.value: i for i, c in enumerate(Category)}
LATE = (Category.DELAYED, Category.POSTPONED)  # flagged on pages and slides
# started: going (even if late) or done; «Utsatt» is put off, not started
STARTED = (Category.DELAYED, Category.IN_PROGRESS, Category.DONE)
LOW = (Category.NOT_STARTED, Category.POSTPONED, Category.DELAYED)  # «not going» per area

# The 0–5 scale of the status reports.
SCORE_MEANINGS = {
    0: "Ikke igangsatt",
    1: "Tiltaksplan vedtatt",
    2: "Tiltak igangsatt",
    3: "Under gjennomføring",
    4: "Gjennomført",
    5: "Rapportert",
}
SCORE_WORDS = {score: f"{score} {word}" for score, word in SCORE_MEANINGS.items()}
SCORE_CATEGORY = {
    0: Category.NOT_STARTED,
    1: Category.IN_PROGRESS,
    2: Category.IN_PROGRESS,
    3: Category.IN_PROGRESS,
    4: Category.DONE,
    5: Category.DONE,
}
STARTED_SCORE = 2  # «igangsatt»: status ≥ 2
DONE_SCORE = 4  # «gjennomført»: status 4–5
NOT_REPORTED = "ikke rapportert"
NO_AREA = "(uten område)"  # a measure without an area, wherever it is counted or drawn


class BadScore(ValueError):
    """A cell written as a score (a number, or text that begins with one) that is not a whole
    number 0–5 with at most its meaning after it; the message says what was found and why."""


class Score(NamedTuple):
    """A score as a cell writes it: the number, and the meaning written after it, if any."""

    value: int
    meaning: str | None


SCORE_EXPECTED = "et helt tall fra 0 til 5, gjerne fulgt av betydningen («4 - Gjennomført»)"
# the number a cell begins with (sign and decimals kept, so that «3.5» and «-1» are seen whole)
_LEAD = re.compile(r"\s*([+\-\u2212]?\d+(?:[.,]\d+)?)(.*)", re.DOTALL)
# what may follow the number: a separator, then a meaning that begins with a letter
_MEANING = re.compile(r"(?:\s*[-\u2013\u2014:.)=]\s*|\s*\(\s*|\s+)([^\W\d_].*)", re.DOTALL)
# a meaning that names a second number: «2 eller 3», «2 til 3», «3 av 5»
_SECOND = re.compile(r"(?i)(?:eller|el\.|til|av|or|to|of)\s*\d")  # «3 av 5» is «3/5»


def written_as_score(value: object) -> bool:
    """The cell is written as a score: a number, or text that begins with a number («3»,
    «3.5», «4 - Gjennomført», «2-3»). Other text is a text status; blanks are neither."""
    if value is None or isinstance(value, str) and not value.strip():
        return False
    if isinstance(value, int | float):  # bool too: refused by parse_score
        return not (isinstance(value, float) and math.isnan(value))
    return bool(_LEAD.match(str(value)))


def parse_score(value: object) -> Score | None:
    """The 0–5 score of a cell: a whole number (3, 3.0, «3», «3,0») or one followed by its
    meaning («4 - Gjennomført», «3 Under gjennomføring», «4: gjennomført»). None for a blank
    cell or a text status (see `written_as_score`); BadScore for anything else written as a
    number («3.5», «2-3», «4.9 nesten ferdig», «3/5», «7», «-1», «4 - Ikke igangsatt»)."""
    if not written_as_score(value):
        return None
    if isinstance(value, bool):
        raise BadScore(_refusal(value, "ikke et tall"))
    if isinstance(value, int | float):
        return Score(_whole(value, value), None)
    text = str(value).strip()
    lead = _LEAD.match(text)
    number = float(lead.group(1).replace("\u2212", "-").replace(",", "."))
    score = _whole(number, text)
    rest = lead.group(2)
    if not rest.strip(" .)"):  # «3», «3.», «3)»
        return Score(score, None)
    meaning = _MEANING.fullmatch(rest)
    if meaning is None or _SECOND.match(meaning.group(1)):
        raise BadScore(_refusal(text, "bare ett tall, og teksten etter det må begynne med et ord"))
    said = meaning.group(1).strip()
    if said.endswith(")") and "(" not in said:  # «4 (Gjennomført)»
        said = said[:-1].strip()
    named = _meaning_of(said)
    if named is not None and named != score:
        why = f"tallet {score} betyr «{SCORE_MEANINGS[score]}», men «{said}» er betydningen av {named}"
        raise BadScore(_refusal(text, why))
    return Score(score, said)


def _whole(number: float, shown: object) -> int:
    """The number as a score 0–5, or BadScore saying why it is not one."""
    if number != number:  # NaN
        raise BadScore(_refusal(shown, "ikke et tall"))
    if not 0 <= number <= 5:  # also infinities and ints too large for a float
        raise BadScore(_refusal(shown, "utenfor skalaen 0–5"))
    if number != int(number):
        raise BadScore(_refusal(shown, "ikke et helt tall"))
    return int(number)


def _meaning_of(text: str) -> int | None:
    """The score whose meaning the text is («gjennomført» → 4), None when it is none of them."""
    words = " ".join(text.lower().strip(" .!").split())
    return next((s for s, m in SCORE_MEANINGS.items() if m.lower() == words), None)


def _refusal(found: object, why: str) -> str:
    """«status må være …, fant «3.5» (ikke et helt tall).»"""
    if isinstance(found, float) and found.is_integer():
        found = int(found)
    if isinstance(found, int) and found.bit_length() > 64:  # str() refuses the longest
        found = "et urimelig stort tall"
    shown = " ".join(str(found).split())
    shown = shown if len(shown) <= 60 else shown[:59] + "…"
    return f"status må være {SCORE_EXPECTED}, fant «{shown}» ({why})."


def _given(value: object) -> bool:
    """Not None, NaN or pandas' NA (without importing pandas: the parsing child leaves it out)."""
    if value is None:
        return False
    try:
        return not bool(value != value)
    except TypeError:  # pandas.NA
        return False


def is_done(score: object, category: object) -> bool:
    """Completed: score 4–5, or the category «Gjennomført» when there is no score."""
    if _given(score):
        return float(score) >= DONE_SCORE
    return category == Category.DONE


def is_started(score: object, category: object) -> bool:
    """Started: score ≥ 2, or (without a score) under way, delayed or done — neither «Ikke
    igangsatt» nor «Utsatt» (a text no rule fits, with no category, is not counted either)."""
    if _given(score):
        return float(score) >= STARTED_SCORE
    return _given(category) and category in STARTED


def level(score: object, category: object) -> float | None:
    """A comparable level of a status: the 0–5 score, else the category's rank."""
    if _given(score):
        return float(score)
    return float(CATEGORY_RANK[category]) if category in CATEGORY_RANK else None


def status_word(score: object, category: object, empty: str = NOT_REPORTED) -> str:
    """«3 Under gjennomføring» for a score, else the category, else «ikke rapportert»."""
    if _given(score):
        return SCORE_WORDS.get(int(score), str(score))
    return str(category) if _given(category) else empty


_STARTED_SQL = ", ".join(f"'{c}'" for c in STARTED)
# The same definitions for SQL: macros created by the store on every writable connection.
SQL_MACROS = f"""
create or replace macro is_done(score, category) as
    coalesce(score >= {DONE_SCORE}, score is null and category = '{Category.DONE}', false);
create or replace macro is_started(score, category) as
    coalesce(score >= {STARTED_SCORE}, score is null and category in ({_STARTED_SQL}), false);
create or replace macro area_named(area) as coalesce(area, '{NO_AREA}');
"""


class TargetStatus(StrEnum):
    """Where an indicator stands against its target."""

    REACHED = "nådd"
    ON_TRACK = "i rute"
    BEHIND = "bak"
    MISSED = "ikke nådd"
    NO_DATA = "ingen data"
    NO_TARGET = "uten mål"


JUDGED = (TargetStatus.REACHED, TargetStatus.ON_TRACK, TargetStatus.BEHIND, TargetStatus.MISSED)
GOOD = (TargetStatus.REACHED, TargetStatus.ON_TRACK)
BAD = (TargetStatus.BEHIND, TargetStatus.MISSED)
TARGET_STATUS_ORDER = {
    s.value: i
    for i, s in enumerate(
        (
            TargetStatus.MISSED,
            TargetStatus.BEHIND,
            TargetStatus.ON_TRACK,
            TargetStatus.REACHED,
            TargetStatus.NO_TARGET,
            TargetStatus.NO_DATA,
        )
    )
}


class TargetKind(StrEnum):
    """How a result target is met."""

    MINIMUM = "minimum"
    MAXIMUM = "maximum"
    GROWTH = "growth"


TARGET_KIND_WORDS = {
    TargetKind.MINIMUM: "minst",
    TargetKind.MAXIMUM: "høyst",
    TargetKind.GROWTH: "vekst",
}
HIGHER_IS_BETTER = (TargetKind.MINIMUM, TargetKind.GROWTH)


class BudgetKind(StrEnum):
    """What a stored budget figure is."""

    BUDGET = "budget"
    PROGNOSIS = "prognosis"
    DEVIATION = "deviation"  # as printed in the workbook: budget − prognosis
    ACTUAL = "actual"
    PREVIOUS_PROGNOSIS = "previous_prognosis"
    LONG_TERM_PLAN = "long_term_plan"


BUDGET_KIND_WORDS = {
    BudgetKind.BUDGET: "budsjett",
    BudgetKind.PROGNOSIS: "prognose",
    BudgetKind.DEVIATION: "avvik",
    BudgetKind.ACTUAL: "regnskap",
    BudgetKind.PREVIOUS_PROGNOSIS: "forrige prognose",
    BudgetKind.LONG_TERM_PLAN: "plan",
}
ROUNDING_KNOK = 1.5  # a printed deviation further than this from budget − prognosis is flagged


class Layout(StrEnum):
    """The layouts an import is stored under (imports.layout; several joined by commas)."""

    STATUS_SCORES = "status_scores"
    STATUS_TEXT = "status_text"
    BUDGET_PROGNOSIS = "budget_prognosis"
    BUDGET_MULTIYEAR = "budget_multiyear"
    LEDGER = "ledger"
    STRATEGY_GOALS = "strategy_goals"
    ALLOCATIONS = "allocations"
    INDICATOR_DEFS = "indicator_defs"
    INDICATOR_VALUES = "indicator_values"
    ROUND_RETURN = "round_return"
    MEASURE_REGISTER = "measure_register"
    PLAN_EVALUATION = "plan_evaluation"
    INCOME_MIX = "income_mix"
    FTE = "fte"
    COST_MEASURES = "cost_measures"
    SPACE = "space"
    GRANTS = "grants"
    PHD_DEGREES = "phd_degrees"


LAYOUT_WORDS = {
    Layout.STATUS_SCORES: "Statusrapport (0–5)",
    Layout.STATUS_TEXT: "Statusrapport (tekst)",
    Layout.BUDGET_PROGNOSIS: "Budsjettprognose",
    Layout.BUDGET_MULTIYEAR: "Langtidsbudsjett",
    Layout.LEDGER: "Hovedbokseksport",
    Layout.STRATEGY_GOALS: "Strategiske mål",
    Layout.ALLOCATIONS: "Fordeling per enhet",
    Layout.INDICATOR_DEFS: "Resultatmål",
    Layout.INDICATOR_VALUES: "Indikatorverdier",
    Layout.ROUND_RETURN: "Svar i rapporteringsrunde",
    Layout.MEASURE_REGISTER: "Tiltaksregister",
    Layout.PLAN_EVALUATION: "Evaluering av plan",
    Layout.INCOME_MIX: "Inntekter per type",
    Layout.FTE: "Årsverk",
    Layout.COST_MEASURES: "Kostnadstiltak og effekt",
    Layout.SPACE: "Areal",
    Layout.GRANTS: "Søknader og tildelinger",
    Layout.PHD_DEGREES: "Avlagte doktorgrader",
}


# What a plan needs to be realistic, per measure: optional columns of the status layouts and
# the measure register, stored with the measures (missing values are missing, not zero).
RESOURCE_FIELDS = (
    "owner",
    "owning_unit",
    "need_knok",
    "need_hours",
    "need_fte",
    "granted_knok",
    "risk",
    "risk_reason",
    "priority",
)


class Risk(StrEnum):
    """A measure's risk, as a plan's risk assessment grades it."""

    LOW = "lav"
    MEDIUM = "middels"
    HIGH = "høy"


RISK_ORDER = (Risk.HIGH, Risk.MEDIUM, Risk.LOW)  # the riskiest first on every chart
RISK_WORDS = {  # what a workbook may write for each level (normalised, lower case)
    Risk.LOW: ("lav", "low", "liten", "l", "1", "grønn"),
    Risk.MEDIUM: ("middels", "medium", "moderat", "m", "2", "gul", "mellom"),
    Risk.HIGH: ("høy", "hoy", "high", "stor", "h", "3", "rød", "hoey"),
}


class Grade(StrEnum):
    """How well a measure reached its goal, as a plan's evaluation grades it (best first)."""

    VERY_GOOD = "svært god"
    GOOD = "god"
    MEDIUM = "middels"
    WEAK = "svak"
    NOT_DONE = "ikke gjennomført"


GOOD_GRADES = (Grade.VERY_GOOD, Grade.GOOD)  # «god eller svært god måloppnåelse»
GRADE_WORDS = {  # what a workbook may write for each grade (normalised, lower case)
    Grade.VERY_GOOD: (
        "svært god",
        "svaert god",
        "meget god",
        "veldig god",
        "very good",
        "excellent",
    ),
    Grade.GOOD: ("god", "good", "bra"),
    Grade.MEDIUM: ("middels", "moderat", "delvis", "fair", "medium", "partly"),
    Grade.WEAK: ("svak", "dårlig", "lav", "weak", "poor", "low"),
    Grade.NOT_DONE: (
        "ikke gjennomført",
        "ikke gjennomfort",
        "ikke startet",
        "avlyst",
        "kansellert",
        "utgått",
        "not done",
        "cancelled",
        "not started",
    ),
}


class RoundState(StrEnum):
    """Where a responsible unit stands in a reporting round."""

    REPORTED = "rapportert"
    PARTLY = "delvis"
    MISSING = "ikke ennå"


ROUND_STATE_ORDER = (RoundState.MISSING, RoundState.PARTLY, RoundState.REPORTED)
STALE_ROUNDS = 2  # the same status in this many reports in a row or more «står stille» (not done)


def layout_words(stored: object) -> str:
    """The Norwegian name of a stored layout («budget_prognosis,budget_multiyear» → two names)."""
    if not isinstance(stored, str) or not stored:
        return ""
    return ", ".join(LAYOUT_WORDS.get(part.strip(), part.strip()) for part in stored.split(","))


# ---- the faculty's economy
# income kinds as the board case names them, in the order of its chart
INCOME_KINDS: dict[str, str] = {
    "inc_basis": "Basis",
    "inc_education": "Utdanning",
    "inc_research": "Forskning",
    "inc_boa": "BOA",
    "inc_other": "Annet",
}

# PhD degrees: the indicator our PhD workbooks are stored as
PHD_INDICATOR = "Avlagte doktorgrader"
# the indicator names a PhD figure goes by (ours, DBH's «Doktorgrader», «Avlagte PhD 2022» …)
PHD_PATTERN = r"ph\.?\s?d|doktorgrad|disputas|doctora"
