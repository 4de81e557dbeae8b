"""Status reports for measures: 0–5 scores (handlingsplan) or text statuses (årsplan)."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from dashboard import units
from dashboard.ingest.detect import HeaderMatch
from dashboard.ingest.layouts.common import (
    FileContext,
    NotThisLayout,
    Parsed,
    SheetView,
    clean_section,
    find_month,
    goal_number,
)
from dashboard.ingest.layouts.resources import read_resources, scale_amounts, warn_merged
from dashboard.ingest.synonyms import header_candidates
from dashboard.numbers import MONTHS, is_none_mark, parse_date, parse_period
from dashboard.text import normalise
from dashboard.vocab import (
    CATEGORY_ORDER,
    SCORE_CATEGORY,
    SCORE_EXPECTED,
    SCORE_MEANINGS,
    BadScore,
    Layout,
    parse_score,
    written_as_score,
)

CATEGORIES = CATEGORY_ORDER
SCORE_WORDS = SCORE_MEANINGS
PLAN_KINDS = (
    ("handlingsplan", "Handlingsplan"),
    ("årsplan", "Årsplan"),
    ("arsplan", "Årsplan"),
    ("tiltaksplan", "Tiltaksplan"),
    ("virksomhetsplan", "Virksomhetsplan"),
)


def load_rules(path: Path) -> tuple[tuple[str, str], ...]:
    """The administrator's rule table: (pattern, category), first match wins (re-read on change)."""
    return _load_rules(path, path.stat().st_mtime_ns)


def raw_rules(path: Path) -> list[tuple[str, str]]:
    """The rules as written (patterns not normalised), for the editor."""
    with path.open("rb") as fh:
        return [(r["pattern"], r["category"]) for r in tomllib.load(fh).get("rule", [])]


def save_rules(path: Path, rules: list[tuple[str, str]]) -> None:
    """Write a rule table (validated) as TOML."""
    lines = [
        "# Status rule table, edited in Målbilde («Last opp» → regeltabell). First match wins.",
        "",
    ]
    for pattern, category in rules:
        if category not in CATEGORIES:
            raise ValueError(f"Ukjent kategori «{category}»; gyldige: {', '.join(CATEGORIES)}")
        if not str(pattern).strip():
            raise ValueError("Et mønster kan ikke være tomt.")
        escaped = str(pattern).strip().replace("\\", "\\\\").replace('"', '\\"')
        lines += ["[[rule]]", f'pattern = "{escaped}"', f'category = "{category}"', ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


@lru_cache(maxsize=8)
def _load_rules(path: Path, _mtime: int) -> tuple[tuple[str, str], ...]:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    rules = []
    for rule in raw.get("rule", []):
        if rule["category"] not in CATEGORIES:
            raise ValueError(
                f"Ukjent kategori «{rule['category']}» i {path}; gyldige: {', '.join(CATEGORIES)}"
            )
        rules.append((normalise(rule["pattern"]), rule["category"]))
    return tuple(rules)


def categorise(text: str | None, rules: tuple[tuple[str, str], ...]) -> str | None:
    """Map a text status to a category by the rule table; None when no rule fits."""
    if not text:
        return None
    norm = " " + normalise(text) + " "
    for pattern, category in rules:
        if f" {pattern} " in norm or (pattern and norm.strip().startswith(pattern)):
            return category
    return None


def _column_values(view: SheetView, start: int, col: int) -> list:
    """The non-empty values of a column below the header."""
    return [
        view.rows[r][col]
        for r in range(start, len(view.rows))
        if col < len(view.rows[r]) and view.rows[r][col] not in (None, "")
    ]


def _score_share(view: SheetView, start: int, col: int) -> float:
    """The share of a column's values written as a score (a number, «4 - Gjennomført», and
    also «3.5» or «2-3», which are refused when read): at 60 % or more it is a score column."""
    values = [v for v in _column_values(view, start, col) if not is_none_mark(v)]
    if not values:
        return 0.0
    return sum(written_as_score(v) for v in values) / len(values)


SCORE_COLUMN = 0.6


def _round_label(header: object) -> str | None:
    """«Status juni 2023» from a status column's header that names its reporting round."""
    text = str(header or "")
    found = find_month(text)
    if found:
        return f"Status {MONTHS[found[1] - 1]} {found[0]}"
    year = re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", text)
    return f"Status {year.group(1)}" if year else None


def _rounds(
    view: SheetView,
    match: HeaderMatch,
    start: int,
    main: int,
    mode: str,
    override: str | None,
    year: int,
) -> list[tuple[int, str, str]]:
    """The status columns (column, mode, round label), oldest first. Usually one; a sheet may
    carry one column per reporting round («Status juni 2023», «Status desember 2023»)."""
    extra = [
        c
        for c, name in match.extra_columns.items()
        if {"status", "score"} & header_candidates(name).keys() and _round_label(name)
    ]
    main_label = _round_label(view.get(match.header_row, main))
    if not extra or main_label is None:
        return [(main, mode, override or main_label or f"Status {year}")]
    found = [(main, mode, main_label)]
    for c in extra:
        kind = "score" if _score_share(view, start, c) >= SCORE_COLUMN else "text"
        found.append((c, kind, _round_label(view.get(match.header_row, c)) or ""))
    return sorted(found)


def _read_status(
    view: SheetView, r: int, c: int, mode: str, rules: tuple[tuple[str, str], ...]
) -> tuple[int | None, str | None, str | None]:
    """(score, status text, category) of one status cell; `mode` is «score» or «text». A cell
    written as a score is read by `vocab.parse_score` in either (refused naming the cell when
    it is not a whole number 0–5); in a text column it gives a category, not a score, so that
    a text plan stays one. Other text is a text status, categorised by the rule table."""
    raw = view.get(r, c)
    if raw is None or is_none_mark(raw):  # «-»: not reported
        return None, None, None
    text = view.text(r, c)
    try:
        score = parse_score(raw)
    except BadScore as exc:
        raise view.error(r, c, str(exc)) from None
    if score is None:
        category = categorise(text, rules)
        if category is None and mode == "score":
            raise view.error(
                r,
                c,
                f"status må være {SCORE_EXPECTED} eller en statustekst som kategoritabellen "
                f"kjenner, fant «{text[:60]}».",
            )
        return None, text, category
    if mode == "text":
        return None, text, str(SCORE_CATEGORY[score.value])
    status_text = text if score.meaning else None
    return score.value, status_text, str(SCORE_CATEGORY[score.value])


_NOTE = re.compile(
    r"(?i)^\s*(?:\*|(?:merknad|merk|note|nb|kilde|source|fotnote|obs|forklaring)\s*:)"
)


def _is_note(view: SheetView, r: int) -> bool:
    """A row with one text cell that reads as a note («Merknad: …», «Kilde: …», «* …»)."""
    cells = [v for v in view.rows[r] if v not in (None, "")]
    return len(cells) == 1 and isinstance(cells[0], str) and bool(_NOTE.match(cells[0]))


def _is_section(view: SheetView, r: int, cols: dict[str, int]) -> str | None:
    cells = [(c, v) for c, v in enumerate(view.rows[r]) if v not in (None, "")]
    if len(cells) != 1 or not isinstance(cells[0][1], str):
        return None
    text = cells[0][1].strip()
    if len(text) > 80:
        return None
    if text.endswith(":") or (text.isupper() and len(text) > 2):
        return clean_section(text)
    if cells[0][0] != cols.get("title") and cells[0][0] == min(cols.values()):
        return clean_section(text)
    return None


def _section_above(view: SheetView, header_row: int) -> str | None:
    """A section row («Utdanning:») just above the first header names the first area."""
    for r in range(header_row - 1, max(header_row - 3, -1), -1):
        cells = [v for v in view.rows[r] if v not in (None, "")]
        if not cells:
            continue
        if len(cells) == 1 and isinstance(cells[0], str):
            text = cells[0].strip()
            if len(text) <= 60 and (text.endswith(":") or (text.isupper() and len(text) > 2)):
                return clean_section(text)
        return None
    return None


def plan_name(ctx: FileContext, titles: list[str], year: int, textual: bool) -> str:
    """«Handlingsplan 2024»: the plan's kind from the titles and names, and its year."""
    label = " ".join([*titles, *ctx.sheet_names, ctx.stem]).lower()
    kind = next(
        (name for key, name in PLAN_KINDS if key in label),
        "Årsplan" if textual else "Handlingsplan",
    )
    return f"{kind} {year}"


def _status_columns(view: SheetView, match: HeaderMatch) -> tuple[dict[str, int], str]:
    """The columns by field, and how the main status column reads: «score» (0–5, also with its
    meaning, «3 - Under arbeid»: both kept) or «text» (categorised by rules). A status column
    mostly written as scores is the score column; beside scores a text status is the comment."""
    cols = dict(match.columns)
    start = match.header_row + 1
    if "score" not in cols and _score_share(view, start, cols["status"]) >= SCORE_COLUMN:
        cols["score"] = cols.pop("status")
    if "score" in cols and "status" in cols and "comment" not in cols:
        cols["comment"] = cols.pop("status")
    return cols, "score" if "score" in cols else "text"


@dataclass
class _StatusSheet:
    """What the rows of one status sheet share while they are read."""

    view: SheetView
    cols: dict[str, int]
    rounds: list[tuple[int, str, str]]  # (column, mode, round label), oldest first
    rules: tuple[tuple[str, str], ...]
    unit: str | None  # None when a unit column gives each row's unit
    plan: str
    year: int
    out: Parsed
    seen: dict[tuple, str] = field(default_factory=dict)  # measure -> its cell, for repeats
    used_keys: set[str] = field(default_factory=set)
    seq: int = 0


def _read_reports(
    sheet: _StatusSheet, r: int
) -> list[tuple[str, int | None, str | None, str | None]]:
    """(round, score, status text, category) of a row, one per round; a text status no rule fits
    is kept without a category, with a warning."""
    view = sheet.view
    reports = []
    for c, mode, label in sheet.rounds:
        score, status_text, category = _read_status(view, r, c, mode, sheet.rules)
        if status_text and category is None:
            sheet.out.warnings.append(
                f"{view.name}!{view.ref(r, c)}: statusteksten «{status_text}» "
                "passer ingen regel i kategoritabellen; lagret uten kategori."
            )
        reports.append((label, score, status_text, category))
    return reports


def _row_period(
    view: SheetView, r: int, cols: dict[str, int]
) -> tuple[dt.date | None, dt.date | None]:
    """A measure's start and end: from a period column («01.01.2023 – 31.12.2025»), and from
    start and end date columns, which win."""
    period_start = period_end = None
    if "period" in cols and view.get(r, cols["period"]) is not None:
        period = parse_period(view.get(r, cols["period"]))
        if period is None:
            raise view.error(
                r,
                cols["period"],
                f"forventet en periode som «01.01.2023 – 31.12.2025», fant «{view.get(r, cols['period'])}».",
            )
        period_start, period_end = period
    for key, c in (("start", cols.get("start")), ("end", cols.get("end"))):
        raw = view.get(r, c)
        if raw is not None:
            value = parse_date(raw)
            if value is None:
                raise view.error(r, c, f"forventet en dato som «01.09.2023», fant «{raw}».")
            if key == "start":
                period_start = value
            else:
                period_end = value
    if period_start and period_end and period_end < period_start:
        c = cols.get("end", cols.get("period"))
        raise view.error(
            r,
            c,
            f"planlagt slutt {period_end:%d.%m.%Y} er før start {period_start:%d.%m.%Y}.",
        )
    return period_start, period_end


def _row_unit(view: SheetView, r: int, cols: dict[str, int], unit: str | None) -> str | None:
    """The row's unit from a unit column, else the unit of the whole sheet."""
    if "unit" not in cols:
        return unit
    raw_unit = view.text(r, cols["unit"])
    row_unit = units.resolve(raw_unit) if raw_unit else None
    if row_unit is None:
        raise view.error(
            r,
            cols["unit"],
            f"forventet en enhet (som «MH» eller «MH-INB»), fant «{raw_unit}».",
        )
    return row_unit


def _measure_key(
    sheet: _StatusSheet, r: int, title: str, area: str | None, unit: str | None, goal_no: int | None
) -> str:
    """The measure's key within the plan (its normalised title); a measure twice in the same area
    is an error naming both cells, the same title in another area gets a longer key."""
    view, cols = sheet.view, sheet.cols
    key = (unit, area, goal_no, normalise(title))
    if key in sheet.seen:
        raise view.error(
            r,
            cols["title"],
            f"tiltaket «{title}» står to ganger i samme område (også i {sheet.seen[key]}).",
        )
    sheet.seen[key] = f"{view.name}!{view.ref(r, cols['title'])}"
    measure_key = normalise(title)[:200]
    if (
        measure_key in sheet.used_keys
    ):  # same title in another area: keep keys unique within the plan
        measure_key = f"{measure_key} | {normalise(area or '')} | {goal_no}"
    sheet.used_keys.add(measure_key)
    return measure_key


def _add_reports(
    sheet: _StatusSheet,
    r: int,
    unit: str | None,
    measure_key: str,
    reports: list[tuple[str, int | None, str | None, str | None]],
) -> None:
    """One status_reports row per round; the comment and continuation go with the latest."""
    view, cols = sheet.view, sheet.cols
    for i, (label, score, status_text, category) in enumerate(reports):
        latest = i == len(reports) - 1  # the comment belongs to the latest round
        sheet.out.tables.setdefault("status_reports", []).append(
            {
                "unit": unit,
                "plan": sheet.plan,
                "round": label,
                "measure_key": measure_key,
                "score": score,
                "status_text": status_text,
                "category": category,
                "comment": view.text(r, cols.get("comment")) if latest else None,
                "continuation": view.text(r, cols.get("continuation")) if latest else None,
            }
        )


def _add_measure(sheet: _StatusSheet, r: int, title: str, area: str | None) -> str | None:
    """Add the measure of row r and its status reports. Returns the area for the rows below:
    an area column is often written once per group, so it holds till the next."""
    view, cols = sheet.view, sheet.cols
    goal_no, goal_ref = goal_number(view, r, cols.get("goal_no"))
    reports = _read_reports(sheet, r)
    period_start, period_end = _row_period(view, r, cols)
    row_unit = _row_unit(view, r, cols, sheet.unit)
    if "area" in cols:
        area = view.text(r, cols["area"]) or area
    measure_key = _measure_key(sheet, r, title, area, row_unit, goal_no)
    sheet.seq += 1
    sheet.out.add(
        "measures",
        {
            "unit": row_unit,
            "plan": sheet.plan,
            "year": sheet.year,
            "seq": sheet.seq,
            "measure_key": measure_key,
            "area": area,
            "goal_no": goal_no,
            "goal_ref": goal_ref,
            "title": title,
            "period_start": period_start,
            "period_end": period_end,
            "source_cell": f"{view.name}!{view.ref(r, cols['title'])}",
            **read_resources(view, r, cols),
        },
    )
    _add_reports(sheet, r, row_unit, measure_key, reports)
    return area


def measure_rows(
    view: SheetView, header_row: int, cols: dict[str, int]
) -> Iterator[tuple[int, str, str | None]]:
    """(row, measure title, area above it) for every row below the header with a measure:
    blanks, repeated headers and notes skipped, section rows taken as the area of the rows
    below (an area column, written once per group, is the caller's to read)."""
    header_sig = [normalise(v) for v in view.rows[header_row]]
    area = _section_above(view, header_row)
    for r in range(header_row + 1, len(view.rows)):
        if view.row_is_blank(r):
            continue
        if [normalise(v) for v in view.rows[r]] == header_sig:
            continue  # header repeated per section
        if _is_note(view, r):
            continue  # «Merknad: …», «Kilde: …» under the table
        section = _is_section(view, r, cols)
        if section is not None and "area" not in cols:
            area = section
            continue
        title = view.text(r, cols["title"])
        if title is None:
            continue  # a note beside the table
        yield r, title, area


def _read_measures(sheet: _StatusSheet, header_row: int) -> None:
    """Add every measure row below the header (see `measure_rows`)."""
    area = None
    for r, title, above in measure_rows(sheet.view, header_row, sheet.cols):
        carried = area if area is not None else above  # an area column written once per group
        area = _add_measure(sheet, r, title, carried if "area" in sheet.cols else above)
    measures = sheet.out.tables.get("measures", [])
    scale_amounts(sheet.view, header_row, sheet.cols, measures, sheet.out)
    warn_merged(sheet.view, header_row, sheet.cols, sheet.out)


def parse_status(view: SheetView, match: HeaderMatch, ctx: FileContext, rules_path: Path) -> Parsed:
    """A status report: one row per measure, with its status per reporting round (a 0–5 score,
    a score with its meaning, or a text status categorised by the rule table)."""
    cols, mode = _status_columns(view, match)
    titles = view.texts_above(match.header_row)
    unit = None if "unit" in cols else ctx.unit(titles, what="statusrapporten")
    year = ctx.year(titles, what="statusrapporten")
    plan = plan_name(ctx, titles, year, mode == "text")
    main = cols["score"] if "score" in cols else cols["status"]
    start = match.header_row + 1
    rounds = _rounds(view, match, start, main, mode, ctx.overrides.label, year)
    textual = mode == "text" and all(m == "text" for _, m, _ in rounds)
    rules = load_rules(rules_path)
    out = Parsed(
        str(Layout.STATUS_TEXT if textual else Layout.STATUS_SCORES),
        [view.name],
        unit,
        year,
        rounds[-1][2],
    )
    sheet = _StatusSheet(view, cols, rounds, rules, unit, plan, year, out)
    _read_measures(sheet, match.header_row)
    if sheet.seq == 0:
        raise NotThisLayout()
    measures = out.tables["measures"]
    if all(m["area"] is None for m in measures) and _sheet_is_area(view.name, ctx.sheet_names):
        for m in measures:  # one sheet per area («Utdanning», «Forskning» …)
            m["area"] = clean_section(view.name)
    if unit is None:
        out.unit = sorted({m["unit"] for m in measures})[0]
    return out


_GENERIC_SHEETS = {
    "ark",
    "sheet",
    "status",
    "statusrapport",
    "rapport",
    "tabell",
    "data",
    "oversikt",
    "tiltak",
    "tiltaksplan",
    "handlingsplan",
    "årsplan",
    "arsplan",
    "plan",
    "instruksjoner",
    "instructions",
}


def _sheet_is_area(name: str, sheet_names: list[str]) -> bool:
    """A sheet name that names an area: one of several sheets, no year or number, not generic."""
    others = [n for n in sheet_names if normalise(n) not in ("instruksjoner", "instructions")]
    return (
        len(others) > 1
        and not re.search(r"\d", name)
        and not (set(normalise(name).split()) & _GENERIC_SHEETS)
    )
