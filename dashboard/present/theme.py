"""One colour system for every page, chart and slide (see shared DESIGN.md)."""

from __future__ import annotations

from dashboard.vocab import Category, TargetStatus

NTNU_BLUE = "#00509E"
TEXT = "#1A1A1A"
MUTED = "#4D4D4D"
GRID = "#E3E7EC"
BETTER = "#2E7D32"  # deviation that strengthens the result
WORSE = "#C62828"  # deviation that weakens the result, overdue, behind target
BUDGET_LINE = "#1A1A1A"
PROGNOSIS = "#00509E"
PREVIOUS = "#9DB7D5"
PEER = "#A6A6A6"  # the other institutions beside the unit compared (grey: the unit stands out)

# Status 0–5: one sequential palette, light to dark (colour-blind safe: lightness carries it).
SCORE_COLOURS = {0: "#E4E9F0", 1: "#BFD3EA", 2: "#8DB3DC", 3: "#5088C5", 4: "#1F5FA5", 5: "#0B3461"}
SCORE_TEXT_COLOURS = {0: TEXT, 1: TEXT, 2: TEXT, 3: "#FFFFFF", 4: "#FFFFFF", 5: "#FFFFFF"}
# Text categories (in vocab.CATEGORY_ORDER on every chart, worst to best).
CATEGORY_COLOURS = {
    Category.NOT_STARTED: "#D9D9D9",
    Category.POSTPONED: "#9A8FB3",
    Category.DELAYED: "#E07B00",
    Category.IN_PROGRESS: "#5088C5",
    Category.DONE: "#0B3461",
}
CATEGORY_TEXT_COLOURS = {
    Category.NOT_STARTED: TEXT,
    Category.POSTPONED: TEXT,
    Category.DELAYED: TEXT,
    Category.IN_PROGRESS: "#FFFFFF",
    Category.DONE: "#FFFFFF",
}

# Used as text on white: every colour has a contrast of at least 4.5:1 (WCAG AA).
INDICATOR_STATUS_COLOURS = {
    TargetStatus.REACHED: "#0B3461",
    TargetStatus.ON_TRACK: "#2A65A8",
    TargetStatus.BEHIND: "#A14F00",
    TargetStatus.MISSED: WORSE,
    TargetStatus.NO_DATA: "#616161",
    TargetStatus.NO_TARGET: "#616161",
}

FONT_FAMILY = "Source Sans Pro, Arial, sans-serif"

# Reporting rounds: measures answered (dark) against those still missing (light, outlined).
ROUND_ANSWERED = "#1F5FA5"
ROUND_MISSING = "#E4E9F0"
