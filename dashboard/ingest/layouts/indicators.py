"""Indicator definitions (resultatmål) and indicator values, wide by year or one row per year."""

from __future__ import annotations

import re

from dashboard import units
from dashboard.ingest.detect import HeaderMatch
from dashboard.ingest.layouts.common import FileContext, NotThisLayout, Parsed, SheetView
from dashboard.ingest.layouts.entity_rows import EntityRows, entity_columns
from dashboard.ingest.layouts.targets import TextTarget, read_target
from dashboard.numbers import NotANumber, parse_number, parse_year
from dashboard.text import normalise
from dashboard.vocab import Layout

KINDS = {
    "minimum": (
        "minst",
        "minimum",
        "min",
        "≥",
        ">=",
        "at least",
        "over",
        "minst lik",
        "nedre grense",
    ),
    "maximum": (
        "høyst",
        "maks",
        "maksimum",
        "max",
        "maximum",
        "≤",
        "<=",
        "at most",
        "under",
        "øvre grense",
    ),
    "growth": ("vekst", "økning", "growth", "økning fra basisår", "vekst fra basisår", "increase"),
}


def _kind(text: str | None) -> str | None:
    if not text:
        return None
    norm = normalise(text) or text.strip()
    for kind, words in KINDS.items():
        if (
            norm in words
            or text.strip() in words
            or any(norm.startswith(w + " ") for w in words if w.isalpha())
        ):
            return kind
    return None


_TABLE_NO = re.compile(r"(?i)\b(?:tabell|table|tabellid)\s*(?:nr\.?|id)?\s*[=:]?\s*(\d{2,4})\b")


def _source(ctx: FileContext, notes: list[str], sheet: str = "") -> str:
    """Where the values come from: a «Kilde: …» note, else DBH with its table number when the
    file, a title or the sheet names one, else the file."""
    for text in notes:
        match = re.match(r"\s*kilde\s*:\s*(.+)", text, re.IGNORECASE)
        if match:
            return match.group(1).strip()
    table = next(
        (
            m.group(1)
            for t in [*notes, sheet, ctx.stem.replace("_", " ")]
            if (m := _TABLE_NO.search(t))
        ),
        None,
    )
    dbh = "dbh" in ctx.stem.lower() or any("dbh" in t.lower() for t in notes)
    if table and (dbh or "hk" in ctx.stem.lower()):
        return f"DBH tabell {table}"
    if dbh:
        return "DBH"
    return f"Import: {ctx.file}"


def _definition_kind(
    view: SheetView,
    r: int,
    cols: dict[str, int],
    raw_kind: str | None,
    raw_target: object,
    words: TextTarget | None,
) -> str:
    """The type of a target (minimum, maximum, growth): from the type column, else from the
    target in words; neither is an error naming the cell."""
    kind = _kind(raw_kind) if raw_kind else (words.kind if words else None)
    if kind is not None:
        return kind
    if raw_kind:
        raise view.error(
            r,
            cols["kind"],
            f"forventet typen «minst», «høyst» eller «vekst», fant «{raw_kind}».",
        )
    raise view.error(
        r,
        cols["target"],
        "forventet et mål som sier typen («minst 5», «høyst 90 %», «+15 % fra 2018») "
        f"eller en kolonne «Type», fant «{raw_target}».",
    )


def _target_value(
    view: SheetView, r: int, c: int, kind: str, raw_target: object, words: TextTarget | None
) -> float:
    """The target value of row r (column c); a growth target as a share («15» means 0.15)."""
    if words is not None:
        target = words.target
        if target is None:
            raise view.error(r, c, f"forventet en målverdi, fant «{raw_target}».")
        if kind == "growth" and words.kind != "growth" and (words.percent or abs(target) > 1.5):
            target = target / 100.0
        return target
    target = view.number(r, c, "en målverdi")
    if target is None:
        raise view.error(r, c, "målverdien mangler.")
    if kind == "growth" and abs(target) > 1.5:
        target = target / 100.0  # «15» growth means 0.15
    return target


def _target_fields(view: SheetView, r: int, cols: dict[str, int]) -> dict[str, object] | None:
    """measure_unit, kind, target, baseline_year and target_year of the indicator in row r;
    None for a note or section row (neither type nor target)."""
    raw_kind = view.text(r, cols.get("kind"))
    raw_target = view.get(r, cols["target"])
    if raw_kind is None and raw_target is None:
        return None
    # A target in words («minst 5», «≤ 90 %», «+15 % fra 2018») may carry its type and years.
    words = read_target(raw_target) if isinstance(raw_target, str) else None
    kind = _definition_kind(view, r, cols, raw_kind, raw_target, words)
    target = _target_value(view, r, cols["target"], kind, raw_target, words)
    measure_unit = view.text(r, cols.get("measure_unit")) or (
        "%" if words is not None and words.percent and kind != "growth" else None
    )
    baseline = parse_year(view.get(r, cols.get("baseline_year"))) or (
        words.baseline_year if words else None
    )
    if kind == "growth" and baseline is None:
        raise view.error(
            r,
            cols.get("baseline_year", cols["target"]),
            "et vekstmål trenger et basisår (for eksempel 2018).",
        )
    target_year = parse_year(view.get(r, cols.get("target_year"))) or (
        words.target_year if words else None
    )
    return {
        "measure_unit": measure_unit,
        "kind": kind,
        "target": target,
        "baseline_year": baseline,
        "target_year": target_year,
    }


def parse_definitions(view: SheetView, match: HeaderMatch, ctx: FileContext) -> Parsed:
    """Indicator definitions (resultatmål): per indicator its type, target, baseline and target
    year, as columns or a target in words; an indicator twice for a unit is an error."""
    cols = match.columns
    titles = view.texts_above(match.header_row)
    unit = None if "unit" in cols else ctx.unit(titles, what="resultatmålene")
    out = Parsed(
        str(Layout.INDICATOR_DEFS),
        [view.name],
        unit,
        None,
        ctx.overrides.label or (titles[0] if titles else None),
    )
    seen: dict[tuple, str] = {}
    for r in range(match.header_row + 1, len(view.rows)):
        if view.row_is_blank(r):
            continue
        name = view.text(r, cols["indicator"])
        if name is None:
            continue
        fields = _target_fields(view, r, cols)
        if fields is None:
            continue  # a note or section row
        row_unit = unit
        if "unit" in cols:
            row_unit = units.resolve(view.text(r, cols["unit"]))
            if row_unit is None:
                raise view.error(r, cols["unit"], "forventet en enhet (som «IØT» eller «NTNU»).")
        key = (row_unit, normalise(name))
        if key in seen:
            raise view.error(
                r, cols["indicator"], f"indikatoren «{name}» står to ganger (også i {seen[key]})."
            )
        seen[key] = f"{view.name}!{view.ref(r, cols['indicator'])}"
        out.add(
            "indicator_defs",
            {"unit": row_unit, "area": view.text(r, cols.get("area")), "indicator": name, **fields},
        )
    if not out.rows:
        raise NotThisLayout()
    if unit is None:
        out.unit = out.tables["indicator_defs"][0]["unit"]
    return out


def _notes_below(view: SheetView, start: int) -> list[str]:
    return [
        str(v).strip() for row in view.rows[start:] for v in row if isinstance(v, str) and v.strip()
    ]


def _add_value(
    out: Parsed,
    view: SheetView,
    seen: dict,
    rc: tuple[int, int],
    unit: str | None,
    name: str,
    year: int,
    value: float,
    source: str,
    hint: str = "",
) -> None:
    """One indicator value; the same unit, indicator and year twice is an error naming both cells."""
    key = (unit, normalise(name), year)
    if key in seen:
        raise view.error(
            *rc, f"verdien for «{name}» {year} står to ganger (også i {seen[key]}).{hint}"
        )
    seen[key] = f"{view.name}!{view.ref(*rc)}"
    out.add(
        "indicator_values",
        {"unit": unit, "indicator": name, "year": year, "value": value, "source": source},
    )


def _title_indicator(view: SheetView, titles: list[str], ctx: FileContext) -> str | None:
    """The key figure of a table that has no indicator column: its title, else its sheet name."""
    for text in titles:
        if not re.match(r"(?i)\s*kilde\s*:", text):
            return re.sub(r"\s+", " ", text).strip()
    if not re.fullmatch(r"(?i)(ark|sheet|tabell|table|data|export|eksport)\s*\d*", view.name):
        return view.name.strip()
    return None


def parse_values_wide(view: SheetView, match: HeaderMatch, ctx: FileContext) -> Parsed:
    """Indicator values one year per column: a unit's indicators, or a key-figure table
    (institution × key figure × years, as HK-dir publishes it), or one key figure named in the
    title for many units."""
    cols = match.columns
    titles = view.texts_above(match.header_row)
    who = EntityRows(view, entity_columns(view.rows[match.header_row], cols.get("unit")))
    unit = None if who.any else ctx.unit(titles, what="indikatorverdiene")
    titled = None if "indicator" in cols else _title_indicator(view, titles, ctx)
    if "indicator" not in cols and (titled is None or not who.any):
        raise NotThisLayout()
    source = _source(ctx, _notes_below(view, match.header_row + 1) + titles, view.name)
    out = Parsed(
        str(Layout.INDICATOR_VALUES), [view.name], unit, None, ctx.overrides.label or source
    )
    seen: dict[tuple, str] = {}
    for r in range(match.header_row + 1, len(view.rows)):
        if view.row_is_blank(r):
            continue
        name = view.text(r, cols["indicator"]) if "indicator" in cols else titled
        if name is None:
            continue
        values = _year_values(view, match, r, cols.get("indicator"))
        if not values:
            continue  # a note, or an indicator with no values yet
        row_unit = who.row(r, unit) if who.any else unit
        if row_unit is None:
            raise view.error(r, next(iter(who.cols.values())), "forventet en enhet, fant ingen.")
        for year, (value, c) in values.items():
            _add_value(out, view, seen, (r, c), row_unit, name, year, value, source)
    if not out.rows:
        raise NotThisLayout()
    who.finish(out)
    if unit is None:
        out.unit = _main_unit(out)
    return out


def _year_values(
    view: SheetView, match: HeaderMatch, r: int, name_col: int | None
) -> dict[int, tuple[float, int]]:
    """Row r's values by year (year → value, column); a «Kilde: …» row has none."""
    values = {}
    for c, year in match.year_columns.items():
        raw = view.get(r, c)
        if raw is None:
            continue
        try:
            value = parse_number(raw)
        except NotANumber:
            first = view.get(r, name_col) if name_col is not None else view.get(r, 0)
            if re.match(r"\s*kilde", str(first), re.IGNORECASE):
                return {}
            raise view.error(
                r, c, f"forventet et tall (som «2 710» eller «59,8 %»), fant «{raw}»."
            ) from None
        if value is not None:
            values[year] = (value, c)
    return values


def _main_unit(out: Parsed) -> str:
    """The unit an import of many units is listed under: NTNU's own first, then the first."""
    found = sorted({v["unit"] for v in out.tables["indicator_values"]})
    own = [u for u in found if u not in out.entities]  # the units the registry knows
    return (own or found)[0]


_ID_HEADER = re.compile(r"(?:kode|code|nummer|nr|id)$|^(?:semester|termin|kvartal)")


def indicator_name(header: str) -> str:
    """An indicator's name from its column header; the API's snake_case made readable
    («antall_publikasjoner» → «Antall publikasjoner»)."""
    words = header.strip()
    if " " not in words and (words.islower() or "_" in words):
        words = words.replace("_", " ")
        return words[:1].upper() + words[1:]
    return header


def _indicator_columns(
    view: SheetView, match: HeaderMatch, body: list[int], unit_cols: set[int]
) -> dict[int, str]:
    """The other columns that hold numbers (at least 80 % of their filled cells) are indicators;
    codes, semesters and unit columns are not."""
    indicator_cols: dict[int, str] = {}
    for c, name in match.extra_columns.items():
        if _ID_HEADER.search(normalise(name).replace("_", " ")) or c in unit_cols:
            continue  # codes and semesters are not indicators
        values = [
            view.rows[r][c]
            for r in body
            if c < len(view.rows[r]) and view.rows[r][c] not in (None, "")
        ]
        if not values:
            continue
        ok = 0
        for value in values:
            try:
                ok += parse_number(value) is not None
            except NotANumber:
                pass
        if ok / len(values) >= 0.8:
            indicator_cols[c] = indicator_name(name)
    return indicator_cols


def _semester_hint(match: HeaderMatch) -> str:
    """A hint for the error on a repeated value when the file has one row per semester."""
    if any(normalise(n).startswith("semester") for n in match.extra_columns.values()):
        return (
            " Fila har én rad per semester; Målbilde tar én verdi per år — ta med bare ett "
            "semester (for eksempel høst)."
        )
    return ""


def parse_values_long(view: SheetView, match: HeaderMatch, ctx: FileContext) -> Parsed:
    """One row per year (and unit), one column per indicator — as DBH exports come, in the
    portal's headings or the API's snake_case names, with names or codes for the units."""
    cols = match.columns
    start = match.header_row + 1
    body = [r for r in range(start, len(view.rows)) if not view.row_is_blank(r)]
    who = EntityRows(view, entity_columns(view.rows[match.header_row], cols.get("unit")))
    indicator_cols = _indicator_columns(view, match, body, set(who.cols.values()))
    years_ok = [r for r in body if parse_year(view.rows[r][cols["year"]]) is not None]
    if not indicator_cols or not years_ok:
        raise NotThisLayout()
    titles = view.texts_above(match.header_row)
    unit = None if who.any else ctx.unit(titles, what="indikatorverdiene")
    source = _source(ctx, titles + _notes_below(view, start), view.name)
    out = Parsed(
        str(Layout.INDICATOR_VALUES), [view.name], unit, None, ctx.overrides.label or source
    )
    seen: dict[tuple, str] = {}
    hint = _semester_hint(match)
    for r in body:
        raw_year = view.get(r, cols["year"])
        year = parse_year(raw_year)
        if year is None:
            if all(view.get(r, c) is None for c in indicator_cols):
                continue  # a note row
            raise view.error(r, cols["year"], f"forventet et årstall, fant «{raw_year}».")
        row_unit = who.row(r, unit) if who.any else unit
        for c, name in indicator_cols.items():
            value = view.number(r, c, "et tall")
            if value is None:
                continue
            _add_value(out, view, seen, (r, c), row_unit, name, year, value, source, hint)
    if not out.rows:
        raise NotThisLayout()
    who.finish(out)
    if unit is None:
        out.unit = _main_unit(out)
    return out
