"""Result targets written as text: «minst 5», «≤ 90 %», «+15 % fra 2018», «øke med 50 %
sammenlignet med 2018-nivået innen 2025».

Plans state targets in words; a target sheet may carry them that way instead of separate
type, target, baseline-year and target-year columns. What the text does not say stays None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dashboard.numbers import NotANumber, parse_number

_MINIMUM = re.compile(
    r"(?i)(?<!\w)(?:minst|minimum|min\.|at least|mer enn|flere enn|over)(?!\w)|≥|>=|>"
)
_MAXIMUM = re.compile(
    r"(?i)(?<!\w)(?:høyst|maks(?:imalt|imum)?|max(?:imum)?|at most|ikke over|ikke mer enn|under"
    r"|mindre enn|færre enn)(?!\w)|≤|<=|<"
)
_GROWTH = re.compile(
    r"(?i)(?<!\w)(?:øke[rs]?|økning|vekst|growth|increase|dobles|tredobles)(?!\w)|^\s*\+\s*\d"
)
_NUMBER = re.compile(r"[+\-−]?\s*\d+(?:[ \u00a0]\d{3})*(?:[.,]\d+)?\s*%?")
_BASELINE = re.compile(
    r"(?i)(?:fra|sammenlignet med|sammenliknet med|vs\.?|mot|i forhold til|over)\s+"
    r"(?:nivået i\s+|året\s+)?((?:19|20)\d{2})|((?:19|20)\d{2})-nivå"
)
_TARGET_YEAR = re.compile(r"(?i)(?:innen|i|til|by|in)\s+((?:19|20)\d{2})(?!-nivå)")


@dataclass(frozen=True)
class TextTarget:
    """What a target in words says: kind, value, whether in %, baseline and target year."""

    kind: str | None  # minimum | maximum | growth
    target: float | None  # growth as a share: «+15 %» is 0.15
    percent: bool
    baseline_year: int | None
    target_year: int | None


def read_target(text: str) -> TextTarget:
    """What a target in words says."""
    kind = None
    if _GROWTH.search(text):
        kind = "growth"
    elif _MAXIMUM.search(text):
        kind = "maximum"
    elif _MINIMUM.search(text):
        kind = "minimum"
    baseline = _BASELINE.search(text)
    base_year = int(baseline.group(1) or baseline.group(2)) if baseline else None
    target_year = None
    for match in _TARGET_YEAR.finditer(text):
        if int(match.group(1)) != base_year:
            target_year = int(match.group(1))
            break
    if target_year is None:  # «… 2025 vs 2018»: the other year is the target year
        others = [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", text)]
        later = [y for y in others if y != base_year and (base_year is None or y > base_year)]
        target_year = later[0] if later and base_year is not None else None
    target, percent = None, False
    for match in _NUMBER.finditer(text):
        token = match.group(0)
        digits = re.sub(r"\D", "", token)
        if len(digits) == 4 and 1900 <= int(digits) <= 2100 and "%" not in token:
            continue  # a year, not the target
        try:
            target = parse_number(token)
        except NotANumber:
            continue
        percent = "%" in token
        break
    if kind == "growth":
        if re.search(r"(?i)tredobl", text):
            target = 2.0  # tripled: +200 %
        elif re.search(r"(?i)(?<!\w)dobl", text):
            target = 1.0
        elif target is not None and (percent or abs(target) > 1.5):
            target = target / 100.0  # «15 %» or «15» growth means 0.15
    return TextTarget(kind, target, percent, base_year, target_year)
