"""The format of a reporting round's workbook, shared by the one that makes it
(`dashboard.present.round_workbook`) and the one that reads it back
(`dashboard.ingest.layouts.round_return`): its sheet names, column headers, the hidden check
column, the identifying block, and what a workbook says of its round."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

STATUS_SHEET = "Status"
ABOUT_SHEET = "Om arbeidsboka"
LISTS_SHEET = "Lister"
HEADER_ROW = 5  # 1-based row of the column headers on the status sheet
# (column header, width, filled in by the unit?)
COLUMNS: tuple[tuple[str, int, bool], ...] = (
    ("Nøkkel", 12, False),
    ("Område", 16, False),
    ("Mål", 7, False),
    ("Tiltak", 48, False),
    ("Forrige status", 22, False),
    ("Forrige kommentar", 36, False),
    ("Ny status", 24, True),
    ("Ny kommentar", 40, True),
    ("Ansvarlig", 22, True),
    ("Planlagt slutt", 14, True),
)
HEADERS = tuple(c[0] for c in COLUMNS)
# a hidden, locked column after them: each row's check value (a keyed hash of the round, the
# unit, the key and the measure), so a row whose key was changed or moved is known on return
CHECK_HEADER = "Kontroll"
# the labels of the identifying block on the «Om arbeidsboka» sheet (column A), values in B
ABOUT_KEYS = ("Runde-ID", "Enhet", "Plan", "Runde", "Kontrollkode")


@dataclass(frozen=True)
class RoundInfo:
    """What a workbook says of its round."""

    round_id: int
    unit: str
    unit_name: str
    plan: str
    label: str
    kind: str  # "scores" (0–5) or "text" (the categories)
    due: dt.date | None
    code: str  # the unit's control code in the round (a keyed hash only the server can make)
