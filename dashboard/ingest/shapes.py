"""The table shapes (layouts) a sheet can be read as: their fields, required and optional."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.ingest.economy_headers import ECONOMY_LAYOUTS
from dashboard.vocab import RESOURCE_FIELDS


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


def accepted_layouts_text() -> str:
    """A one-line list of the layouts we accept, for error messages."""
    return "; ".join(layout.title for layout in LAYOUTS)
