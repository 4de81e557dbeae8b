"""Pure unit tests: reading Norwegian numbers, dates and periods; formatting them."""

import datetime as dt

import pytest

from dashboard.numbers import (
    NotANumber,
    fmt_date,
    fmt_int,
    fmt_mill,
    fmt_pct,
    parse_date,
    parse_number,
    parse_period,
    parse_year,
)


@pytest.mark.parametrize(
    "text, expected",
    [
        (1252736, 1252736.0),
        ("1 252 736", 1252736.0),
        ("1\u00a0252\u00a0736", 1252736.0),
        ("45 785-", -45785.0),
        ("-45 785", -45785.0),
        ("\u221245 785", -45785.0),
        ("(1 200)", -1200.0),
        ("59,8 %", 59.8),
        ("2.0", 2.0),
        ("3", 3.0),
        ("1.252.736", 1252736.0),
        ("1,252,736", 1252736.0),
        ("1 252,5", 1252.5),
        ("0,15", 0.15),
        ("kr 45 785", 45785.0),
        ("45 785 NOK", 45785.0),
        ("Kr. 1 000-", -1000.0),
        ("-", None),
        ("", None),
        (None, None),
        ("  ", None),
    ],
)
def test_parse_number(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["abc", "12a", "1-2-3", True])
def test_parse_number_refuses(text):
    with pytest.raises(NotANumber):
        parse_number(text)


def test_dates_and_periods():
    assert parse_date("01.09.2023") == dt.date(2023, 9, 1)
    assert parse_date(dt.datetime(2023, 9, 1, 0, 0)) == dt.date(2023, 9, 1)
    assert parse_date("2023-09-01") == dt.date(2023, 9, 1)
    assert parse_date(45170) == dt.date(2023, 9, 1)
    assert parse_date("31.02.2023") is None
    assert parse_period("01.01.2023 – 31.12.2025") == (dt.date(2023, 1, 1), dt.date(2025, 12, 31))
    assert parse_period("01.01.2023-31.12.2025") == (dt.date(2023, 1, 1), dt.date(2025, 12, 31))
    assert parse_period("snart") is None
    assert (
        parse_year("2024") == 2024 and parse_year(2024.0) == 2024 and parse_year("Budsjett") is None
    )


def test_formats_are_norwegian():
    assert fmt_int(1252736) == "1\u00a0252\u00a0736"
    assert fmt_int(-45785) == "\u221245\u00a0785"
    assert fmt_mill(-45785) == "\u221245,8\u00a0mill.\u00a0kr"
    assert fmt_mill(6504) == "6,5\u00a0mill.\u00a0kr"
    assert fmt_pct(0.613) == "61,3\u00a0%"
    assert fmt_date(dt.date(2023, 9, 1)) == "01.09.2023"
    assert fmt_int(None) == "–"


@pytest.mark.parametrize(
    "text, kind, target, base, year",
    [
        ("minst 5", "minimum", 5.0, None, None),
        ("≥ 5", "minimum", 5.0, None, None),
        ("lønnsandel ≤ 90 %", "maximum", 90.0, None, None),
        ("skal maksimalt utgjøre 20 %", "maximum", 20.0, None, None),
        ("+15 % studiepoeng 2025 vs 2018", "growth", 0.15, 2018, 2025),
        ("øke med 50 % fra 2018 til 2025", "growth", 0.5, 2018, 2025),
        ("Overføringer fra BOA tredobles", "growth", 2.0, None, None),
        ("Minimum 80 % innen 2025", "minimum", 80.0, None, 2025),
        ("5", None, 5.0, None, None),
    ],
)
def test_result_target_in_words(text, kind, target, base, year):
    from dashboard.ingest.layouts.targets import read_target

    got = read_target(text)
    assert (got.kind, got.target, got.baseline_year, got.target_year) == (kind, target, base, year)


@pytest.mark.parametrize(
    "code, percent",
    [
        ("0%", True),
        ("0.0%", True),
        ('0.0" %"', False),
        ("[Red]0.0%", True),
        ("#,##0", False),
        ("0\\%", False),
    ],
)
def test_percent_number_formats(code, percent):
    from dashboard.ingest.formats import _is_percent

    assert _is_percent(code) is percent
