"""Tables as a page shows them and as Excel gets them: one frame of real numbers, and per column
a kind of number. On screen each number is written the Norwegian way (`1 252 736`, `−45 785`,
`+1 200`, `12,5 %`); in Excel it stays a number, with a display format of the same kind.
Empty cells are empty, never «None» or «nan»."""

from __future__ import annotations

import math

import pandas as pd

from dashboard.numbers import fmt_date, fmt_int, fmt_num, fmt_pct, fmt_signed

# kind → (how the page writes it, Excel's display format)
KINDS = {
    "int": (fmt_int, "#,##0;\u2212#,##0;0"),
    "signed": (fmt_signed, "+#,##0;\u2212#,##0;0"),
    "num": (lambda v: fmt_num(v, 1), "#,##0.0;\u2212#,##0.0;0"),
    "pct": (lambda v: fmt_pct(v, 1), "0.0\u00a0%;\u22120.0\u00a0%;0\u00a0%"),  # a share 0–1
    "value": (
        lambda v: fmt_int(v) if float(v).is_integer() or abs(v) >= 100 else fmt_num(v, 2),
        "General",
    ),
    "plain": (lambda v: str(int(v)) if float(v).is_integer() else fmt_num(v, 1), "0"),
}
# numbers that are names, not amounts: years, goal numbers, status scores (no grouping: «2024»)
PLAIN_NAMES = ("Mål", "Status")
Formats = tuple[tuple[str, str], ...]


def blank(value: object) -> bool:
    """Whether a value is missing (None, NA, NaT, NaN)."""
    return (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and math.isnan(value))
    )


def _when(value: object) -> str:
    """A moment the Norwegian way: «06.12.2026 kl. 14.05» (a date alone: «06.12.2026»)."""
    stamp = pd.Timestamp(value)
    if stamp.hour == stamp.minute == 0 and stamp.second == 0:
        return fmt_date(stamp)
    return f"{fmt_date(stamp)} kl. {stamp:%H.%M}"


def kind_of(frame: pd.DataFrame, column: str, formats: dict[str, str]) -> str | None:
    """The column's kind of number: as given; «plain» for years, goal numbers and scores; else
    «int» for whole numbers (amounts in 1000 kr, counts) and «num»; None for text."""
    if column in formats:
        return formats[column]
    series = frame[column]
    if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
        return None
    if str(column) in PLAIN_NAMES or str(column).lower().endswith("år"):
        return "plain"
    values = series.dropna()
    whole = bool(((values % 1) == 0).all()) if len(values) else True
    return "int" if whole else "num"


def shown(frame: pd.DataFrame, formats: Formats = ()) -> pd.DataFrame:
    """The frame with every number written the Norwegian way and empty cells empty."""
    given = dict(formats)
    out = {}
    for column in frame.columns:
        kind = kind_of(frame, column, given)
        write = KINDS[kind][0] if kind else str
        if kind is None and pd.api.types.is_datetime64_any_dtype(frame[column]):
            write = _when
        out[column] = ["" if blank(v) else write(v) for v in frame[column]]
    return pd.DataFrame(out, index=frame.index)


# the store's column names as a table header says them; None: internal, not shown
COLUMN_WORDS: dict[str, str | None] = {
    "unit": "Enhet",
    "parent_unit": "Fordelt fra",
    "strategy": "Strategi",
    "part": "Del",
    "area": "Område",
    "goal_no": "Mål",
    "goal_ref": "Målhenvisning",
    "text": "Tekst",
    "plan": "Plan",
    "round": "Rapport",
    "year": "År",
    "seq": "Nr.",
    "title": "Tiltak",
    "period_start": "Fra",
    "period_end": "Til",
    "score": "Status",
    "status_text": "Statustekst",
    "category": "Kategori",
    "comment": "Kommentar",
    "continuation": "Videreføres",
    "line": "Linje",
    "line_group": "Gruppe",
    "kind": "Type",
    "label": "Versjon",
    "as_of": "Per dato",
    "month": "Måned",
    "amount_knok": "Beløp (1000 kr)",
    "is_total": "Sum",
    "indicator": "Indikator",
    "measure_unit": "Måleenhet",
    "target": "Mål",
    "baseline_year": "Basisår",
    "target_year": "Målår",
    "value": "Verdi",
    "source": "Kilde",
    "measure_key": None,
    "source_cell": None,
    "line_order": None,
    "import_id": None,
}
GROUP_WORDS = {"income": "inntekt", "cost": "kostnad", "result": "resultat", "balance": "balanse"}


def in_words(frame: pd.DataFrame) -> pd.DataFrame:
    """A stored table with Norwegian headers and values: internal columns left out, codes
    (budget kinds, target kinds, line groups) in words, anything else in snake_case spoken."""
    from dashboard import vocab

    out = frame.drop(columns=[c for c in frame.columns if COLUMN_WORDS.get(c, "") is None])
    if "kind" in out:
        words = {**vocab.BUDGET_KIND_WORDS, **vocab.TARGET_KIND_WORDS}
        out = out.assign(kind=out["kind"].map(lambda k: words.get(k, k)))
    if "line_group" in out:
        out = out.assign(line_group=out["line_group"].map(lambda g: GROUP_WORDS.get(g, g)))
    names = {
        c: COLUMN_WORDS.get(c) or (str(c).replace("_", " ").capitalize() if "_" in str(c) else c)
        for c in out.columns
    }
    return out.rename(columns=names)
