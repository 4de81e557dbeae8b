"""Helpers the economy's parts share: a unit's short label, 1000 kr as mill. kr, a period's
label."""

from __future__ import annotations

import pandas as pd

from dashboard.numbers import MONTHS, fmt_num


def short_unit(code: str, parent: str) -> str:
    """«MH-ISB» under MH → «ISB»; the unit itself → «Sum MH»."""
    if code == parent:
        return f"Sum {parent}"
    prefix = f"{parent}-"
    return code[len(prefix) :] if code.startswith(prefix) else code


def mill(knok: float) -> str:
    """9 800 (1000 kr) → «9,8»; 16 000 → «16» (mill. kr, without the unit)."""
    text = fmt_num(knok / 1000.0, 1)
    return text[:-2] if text.endswith(",0") else text


def period_label(year: int, month: float | None) -> str:
    """(2023, 3) → «mars 2023»; no month → «2023»."""
    return str(year) if month is None or pd.isna(month) else f"{MONTHS[int(month) - 1]} {year}"
