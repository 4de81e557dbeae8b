"""Accounting periods in ledger exports: «202310», «2023-10», «10.2023», «okt 2023», a date.

Finance systems often give the year and month of a ledger row as one period column instead of
separate «År» and «Måned» columns. Periods are parsed once per distinct value (a ledger has few),
then spread over the rows column-wise.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pyarrow as pa
import pyarrow.compute as pc

from dashboard.ingest.layouts.common import SheetView, find_month

_YEAR_MONTH = re.compile(r"((?:19|20)\d{2})\s*[-/.]\s*(\d{1,2})(?:\s*[-/.]\s*\d{1,2})?(?:[ T].*)?")
_MONTH_YEAR = re.compile(r"(?:\d{1,2}\s*[./-]\s*)?(\d{1,2})\s*[./-]\s*((?:19|20)\d{2})")
EXPECTED = "en periode som 202310, 2023-10, 10.2023 eller «oktober 2023»"


def _from_int(number: int) -> tuple[int | None, int | None] | None:
    if 1 <= number <= 12:
        return None, number  # a month number (with the year in its own column)
    if 1900 <= number <= 2100:
        return number, None
    if 190001 <= number <= 210012 and 1 <= number % 100 <= 12:
        return number // 100, number % 100
    return None


def period_value(value: object) -> tuple[int | None, int | None] | None:
    """(year, month) of one period cell, either part None when the cell does not say; None when
    the cell is not a period at all (also for month 00 or 13, opening and closing periods)."""
    if isinstance(value, dt.date):  # dt.datetime too
        return value.year, value.month
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_int(int(value)) if value == int(value) else None
    text = str(value).strip()
    if re.fullmatch(r"\d+(?:\.0+)?", text):
        return _from_int(int(float(text)))
    for pattern, year_group, month_group in ((_YEAR_MONTH, 1, 2), (_MONTH_YEAR, 2, 1)):
        match = pattern.fullmatch(text)
        if match:
            month = int(match.group(month_group))
            return (int(match.group(year_group)), month) if 1 <= month <= 12 else None
    return find_month(text)


def years_and_months(
    view: SheetView, col: pa.ChunkedArray, rowref: Callable[[int], int], c: int
) -> tuple[pa.Array, pa.Array]:
    """Year (float64, null where the period has none) and month (int8, null likewise) per row."""
    parsed: dict[object, tuple[int | None, int | None]] = {}
    for value in pc.unique(col).to_pylist():
        if value is None:
            continue
        found = period_value(value)
        if found is None:
            i = pc.index(col, value).as_py()
            raise view.error(rowref(i), c, f"forventet {EXPECTED}, fant «{value}».")
        parsed[value] = found
    index = pc.index_in(col, pa.array(list(parsed), col.type))
    years = pc.take(pa.array([y for y, _ in parsed.values()], pa.float64()), index)
    months = pc.take(pa.array([m for _, m in parsed.values()], pa.int8()), index)
    return years, months
