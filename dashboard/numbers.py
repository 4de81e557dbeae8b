"""Parse cell values the way Norwegian finance staff type them, and format numbers the Norwegian way."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale

LOCALE = "nb_NO"


def get_locale_symbols(locale: str) -> dict[str, str]:
    """Number symbols (group, decimal) from Babel's CLDR data."""
    data = Locale.parse(locale).number_symbols
    return dict(data.get("latn", data))


MINUS = "\u2212"  # typographic minus sign
NBSP = "\u00a0"
NNBSP = "\u202f"

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
_CURRENCY = re.compile(r"(?i)nok|kr\.?")  # «kr 45 785», «45 785 NOK», «Kr. 1 000»
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
_NONE_MARKS = {"", "-", "–", "—", "x", "..", "n/a", "na", "#n/a"}


class NotANumber(ValueError):
    """A cell that should hold a number holds something else."""


# No figure of ours comes near this (10^15 thousand kroner); larger values, infinities and NaN
# are damaged or hostile cells, refused where they are read (the caller names the cell).
MAX_MAGNITUDE = 1e15


def _finite(value: object, text: str | None = None) -> float:
    """float(value), refused when it is NaN, infinite or beyond MAX_MAGNITUDE."""
    try:
        number = float(value if text is None else text)
    except OverflowError:  # an int too large for a float (400 nines)
        number = math.inf
    if math.isnan(number) or math.isinf(number) or abs(number) > MAX_MAGNITUDE:
        raise NotANumber(f"{str(value)[:40]} (ikke et gyldig tall i rimelig størrelse)")
    return number


def is_blank(value: object) -> bool:
    """True for None, empty or whitespace-only strings and NaN."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def is_none_mark(value: object) -> bool:
    """A text that means «none» or «not given» in a cell: «-», «–», «x», «n/a», «..»."""
    return isinstance(value, str) and value.strip().lower() in _NONE_MARKS and bool(value.strip())


def parse_number(value: object, *, allow_none_mark: bool = True) -> float | None:
    """Read a number from a cell: 1252736, '1 252 736', '45 785-', '−45,8', '59,8 %', '-'.

    Returns None for a blank cell (and for '-' meaning «none» when allowed); raises NotANumber.
    Percent signs are dropped: '59,8 %' gives 59.8 (the unit is kept by the caller).
    """
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise NotANumber(str(value))
        return None
    if isinstance(value, int | float):
        return _finite(value)
    text = str(value).strip()
    if allow_none_mark and text.lower() in _NONE_MARKS:
        return None
    if not text:
        return None
    text = _CURRENCY.sub("", text.replace(MINUS, "-").replace("–", "-").replace("%", ""))
    text = _SPACES.sub("", text)
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    if text.endswith("-") and len(text) > 1:
        negative, text = not negative, text[:-1]
    if not text:
        raise NotANumber(str(value))
    # Thousands separators: '1.252.736' or '1,252,736' (several groups of three)
    if re.fullmatch(r"[+-]?\d{1,3}([.,]\d{3}){2,}", text):
        text = re.sub(r"[.,]", "", text)
    elif "," in text and "." in text:
        # '1.252,5' (Norwegian) or '1,252.5' (English): the last one is the decimal mark
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    else:
        text = text.replace(",", ".")
    if not _NUMBER.match(text):
        raise NotANumber(str(value))
    number = _finite(value, text)
    return -number if negative else number


_DATE_PATTERNS = (
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"), ("d", "m", "y")),
    (
        re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
        ("y", "m", "d"),
    ),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), ("d", "m", "y")),
)


def parse_date(value: object) -> dt.date | None:
    """Read a date cell: a real date, '01.09.2023', '2023-09-01', or an Excel serial number."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and 20000 < float(value) < 80000:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
    text = str(value).strip()
    for pattern, order in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            try:
                return dt.date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                return None
    return None


def parse_period(value: object) -> tuple[dt.date, dt.date] | None:
    """Read a period: '01.01.2023 – 31.12.2025' (any dash, 'til', '-'), a year '2024' (the whole
    year), years '2024–2025', or a date and a year ('01.09.2023 – 2025')."""
    if is_blank(value):
        return None
    year = parse_year(value)
    if year is not None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    text = str(value).strip()
    years = re.fullmatch(r"((?:19|20)\d{2})\s*[-–—−]\s*((?:19|20)\d{2})", text)
    if years:
        parts = [years.group(1), years.group(2)]
    else:
        parts = re.split(r"\s*(?:–|—|−|til|to|\s-\s)\s*", text)
        if len(parts) != 2:
            parts = re.split(r"(?<=\d)-(?=\d{1,2}\.)", text)
    if len(parts) != 2:
        return None
    start, end = _period_point(parts[0], end=False), _period_point(parts[1], end=True)
    if start is None or end is None or end < start:
        return None
    return start, end


def _period_point(text: str, *, end: bool) -> dt.date | None:
    """One end of a period: a date, or a year (its first or last day)."""
    day = parse_date(text)
    if day is not None:
        return day
    year = parse_year(text)
    if year is None:
        return None
    return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)


def parse_year(value: object) -> int | None:
    """A year cell: 2024, 2024.0, '2024', ' 2024 '."""
    if is_blank(value):
        return None
    try:
        number = parse_number(value, allow_none_mark=False)
    except NotANumber:
        return None
    if number is None or not 1900 <= number <= 2100 or number != int(number):
        return None
    return int(number)


# ---------------------------------------------------------------- formatting


_SYMBOLS = get_locale_symbols(LOCALE)  # Babel's CLDR data: group «\u00a0», decimal «,»
GROUP = _SYMBOLS["group"].replace(NNBSP, NBSP).replace(" ", NBSP)
DECIMAL = _SYMBOLS["decimal"]


def _grouped(number: Decimal, decimals: int) -> str:
    """Digits grouped with Norwegian symbols (Python's formatting with CLDR symbols: the same
    result as babel.numbers.format_decimal at a fraction of the cost, used in every table)."""
    text = f"{abs(number):,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", DECIMAL).replace("\x00", GROUP)


def half_up(number: float | Decimal, decimals: int = 0) -> Decimal:
    """`number` rounded half away from zero as it is written (12.5 → 13, 0.125 → 0.13, −2.5 →
    −3): every shown number is rounded this way (Python's round() rounds half to even, on the
    binary float, so 12.5 became 12 and 0.125 became 0.12)."""
    exact = number if isinstance(number, Decimal) else Decimal(repr(float(number)))
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _shown(number: object) -> bool:
    return number is not None and math.isfinite(float(number))


def fmt_int(number: float | None) -> str:
    """`1 252 736`, `−45 785` (no-break spaces, typographic minus)."""
    return fmt_num(number, 0)


def fmt_num(number: float | Decimal | None, decimals: int = 1) -> str:
    """A number with Norwegian grouping and decimal comma, rounded half up (`half_up`)."""
    if not _shown(number):
        return "–"
    rounded = half_up(number, decimals)
    sign = MINUS if rounded < 0 else ""
    return sign + _grouped(rounded, decimals)


def fmt_signed(number: float | None, decimals: int = 0) -> str:
    """Like fmt_num, but with an explicit + for positive values."""
    text = fmt_num(number, decimals)
    if _shown(number) and half_up(number, decimals) > 0:
        return "+" + text
    return text


def fmt_pct(share: float | None, decimals: int = 1, *, is_fraction: bool = True) -> str:
    """`61,3 %` from 0.613 (or from 61.3 with is_fraction=False); 1 of 8 is `12,5 %`, or `13 %`
    with no decimals (rounded half up, as written: `half_up`)."""
    if not _shown(share):
        return "–"
    value = Decimal(repr(float(share)))
    return fmt_num(value * 100 if is_fraction else value, decimals) + NBSP + "%"


def fmt_mill(knok: float | None, decimals: int = 1) -> str:
    """Amount given in 1000 kr as `−45,8 mill. kr`."""
    if knok is None:
        return "–"
    return fmt_num(knok / 1000.0, decimals) + NBSP + "mill." + NBSP + "kr"


def fmt_knok(knok: float | None) -> str:
    """Amount in 1000 kr for tables: `1 252 736`."""
    return fmt_int(knok)


MONTHS = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)  # fmt: skip


def fmt_date(value: dt.date | dt.datetime | None) -> str:
    """`01.09.2023`."""
    if value is None:
        return "–"
    return value.strftime("%d.%m.%Y")


def fmt_month(value: dt.date) -> str:
    """`oktober 2023`."""
    return f"{MONTHS[value.month - 1]} {value.year}"


def fmt_list(items: list[str]) -> str:
    """`a, b og c` (Norwegian has no comma before «og»)."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} og {items[-1]}"


def describe_number(value: float | None, unit: str | None) -> str:
    """An indicator value for text: '2 710', '59,8 %', '4,2'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(unit, str) and ("prosent" in unit or unit.strip() == "%"):
        return fmt_num(value, 1) + "\u00a0%"
    if float(value).is_integer() or abs(value) >= 100:
        return fmt_int(value)
    return fmt_num(value, 2)
