"""One colour system for every page, chart and slide (see shared DESIGN.md)."""

from __future__ import annotations

NTNU_BLUE = "#00509E"
TEXT = "#1A1A1A"
MUTED = "#4D4D4D"
GRID = "#E3E7EC"
BETTER = "#2E7D32"  # deviation that strengthens the result
WORSE = "#C62828"  # deviation that weakens the result, overdue, behind target
BUDGET_LINE = "#1A1A1A"
PROGNOSIS = "#00509E"
PREVIOUS = "#9DB7D5"

# Status 0–5: one sequential palette, light to dark (colour-blind safe: lightness carries it).
SCORE_COLOURS = {0: "#E4E9F0", 1: "#BFD3EA", 2: "#8DB3DC", 3: "#5088C5", 4: "#1F5FA5", 5: "#0B3461"}
SCORE_TEXT_COLOURS = {0: TEXT, 1: TEXT, 2: TEXT, 3: "#FFFFFF", 4: "#FFFFFF", 5: "#FFFFFF"}
SCORE_WORDS = {
    0: "0 Ikke igangsatt",
    1: "1 Tiltaksplan vedtatt",
    2: "2 Tiltak igangsatt",
    3: "3 Under gjennomføring",
    4: "4 Gjennomført",
    5: "5 Rapportert",
}

# Text categories, in the same order on every chart (worst to best).
CATEGORY_ORDER = ("Ikke igangsatt", "Utsatt", "Forsinket", "Under arbeid", "Gjennomført")
CATEGORY_COLOURS = {
    "Ikke igangsatt": "#D9D9D9",
    "Utsatt": "#9A8FB3",
    "Forsinket": "#E07B00",
    "Under arbeid": "#5088C5",
    "Gjennomført": "#0B3461",
}
CATEGORY_TEXT_COLOURS = {
    "Ikke igangsatt": TEXT,
    "Utsatt": TEXT,
    "Forsinket": TEXT,
    "Under arbeid": "#FFFFFF",
    "Gjennomført": "#FFFFFF",
}

# Used as text on white: every colour has a contrast of at least 4.5:1 (WCAG AA).
INDICATOR_STATUS_COLOURS = {
    "nådd": "#0B3461",
    "i rute": "#2A65A8",
    "bak": "#A14F00",
    "ikke nådd": WORSE,
    "ingen data": "#616161",
    "uten mål": "#616161",
}

FONT_FAMILY = "Source Sans Pro, Arial, sans-serif"
