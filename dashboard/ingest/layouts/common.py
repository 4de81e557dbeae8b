"""What every layout parser shares: the sheet view with cell references, context, results."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from dashboard import units
from dashboard.errors import CellError, MissingContext, cell_ref
from dashboard.ingest.sheetdata import SheetData, bad_cell_message
from dashboard.numbers import MONTHS, NotANumber, is_blank, parse_number


class NotThisLayout(Exception):
    """The header looked right but the body does not fit; try the next candidate layout."""


@dataclass
class Overrides:
    """Unit, year and version label given on the command line or in the upload form."""

    unit: str | None = None
    year: int | None = None
    label: str | None = None


@dataclass
class SheetView:
    """A sheet's rows with helpers that name cells the way Excel does (`Status 2019!D14`)."""

    file: str
    sheet: SheetData
    rows: list[list[Any]]

    @property
    def name(self) -> str:
        """The sheet's name."""
        return self.sheet.name

    def ref(self, r: int, c: int) -> str:
        """Excel's name of a cell of `rows` («D14»)."""
        return cell_ref(self.sheet.row0 + r, self.sheet.col0 + c)

    def get(self, r: int, c: int | None) -> Any:
        """A cell's value, None when blank or outside the rows; an unreadable cell is refused."""
        if c is None or r >= len(self.rows) or c >= len(self.rows[r]):
            return None
        value = self.rows[r][c]
        problem = bad_cell_message(value)
        if problem:
            raise self.error(r, c, problem)
        if isinstance(value, str) and not value.strip():
            return None
        return value

    def text(self, r: int, c: int | None) -> str | None:
        """A cell as one line of text (12.0 → «12»), None when blank."""
        value = self.get(r, c)
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return re.sub(r"\s+", " ", str(value)).strip() or None

    def number(self, r: int, c: int | None, what: str = "et tall") -> float | None:
        """A cell as a number (Norwegian formats read), refused naming `what` was expected."""
        value = self.get(r, c)
        try:
            return parse_number(value)
        except NotANumber:
            raise self.error(r, c, f"forventet {what}, fant «{value}».") from None

    def error(self, r: int, c: int, message: str) -> CellError:
        """A CellError naming this file, sheet and cell."""
        return CellError(message, file=self.file, sheet=self.name, cell=self.ref(r, c))

    def texts_above(self, header_row: int) -> list[str]:
        """Title rows above the header, as text."""
        out = []
        for r in range(min(header_row, len(self.rows))):
            out.extend(
                v.strip()
                for v in self.rows[r]
                if isinstance(v, str) and v.strip() and not bad_cell_message(v)
            )
        return out

    def row_is_blank(self, r: int) -> bool:
        """Whether every cell of row `r` is blank or unreadable."""
        return all(is_blank(v) or bad_cell_message(v) for v in self.rows[r])


@dataclass
class Parsed:
    """What one sheet (or a whole workbook) yields, before it is stored."""

    layout: str
    sheets: list[str]
    unit: str | None = None
    year: int | None = None
    label: str | None = None
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    arrow_tables: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    rows: int = 0
    # units the registry does not know, as the file names them: code → (name, parent, peer group)
    entities: dict[str, tuple[str | None, str | None, str | None]] = field(default_factory=dict)
    # what each sheet read holds, for the preview: (sheet, layout, rows)
    contents: list[tuple[str, str, int]] = field(default_factory=list)

    def add(self, table: str, record: dict[str, Any]) -> None:
        """Add one record to `table` and count it."""
        self.tables.setdefault(table, []).append(record)
        self.rows += 1


@dataclass
class FileContext:
    """Clues for unit, year and label outside the table: file name, titles, overrides."""

    file: str
    stem: str
    overrides: Overrides
    workbook_texts: list[str] = field(default_factory=list)
    sheet_names: list[str] = field(default_factory=list)

    def unit(self, titles: list[str], *, what: str) -> str:
        """The unit `what` is about: the override, else titles, workbook text, sheet names,
        the file name; refused when none names one."""
        if self.overrides.unit:
            return units.resolve(self.overrides.unit) or self.overrides.unit.strip().upper()
        for text in [*titles, *self.workbook_texts, *self.sheet_names]:
            found = units.find_in_text(text)
            if found:
                return found
        found = units.from_filename(self.stem)
        if found:
            return found
        raise MissingContext(
            f"Fant ikke hvilken enhet {what} gjelder (verken i tittelen, en enhetskolonne eller "
            "filnavnet). Oppgi enheten i feltet «Enhet» ved opplasting.",
            file=self.file,
            cli="--unit MH",
        )

    def year(self, titles: list[str], *, what: str, required: bool = True) -> int | None:
        """The year `what` is about: the override, else titles, sheet names, workbook text,
        the file name; refused when none gives one and `required`."""
        if self.overrides.year:
            return int(self.overrides.year)
        for text in [*titles, *self.sheet_names, *self.workbook_texts, self.stem]:
            found = find_year(text)
            if found:
                return found
        if not required:
            return None
        raise MissingContext(
            f"Fant ikke hvilket år {what} gjelder. Oppgi året i feltet «År» ved opplasting.",
            file=self.file,
            cli="--year 2023",
        )


_YEAR = re.compile(r"(?<![\d.,])((?:19|20)\d{2})(?![\d.,]\d)")
_RANGE = re.compile(r"((?:19|20)\d{2})\s*[–—−-]\s*((?:19|20)\d{2})")


MAX_GOAL_NO = 9999


def goal_number(view: SheetView, r: int, c: int | None) -> tuple[int | None, str | None]:
    """A goal number as written («13», «HP 13», «Mål 4»): the number and the text; refused
    naming the cell when it holds no number or an absurd one."""
    text = view.text(r, c)
    if text is None:
        return None, None
    digits = re.findall(r"\d+", text)
    if not digits:
        raise view.error(r, c, f"forventet et målnummer (som «13» eller «HP 13»), fant «{text}».")
    if len(digits[0]) > len(str(MAX_GOAL_NO)):
        raise view.error(r, c, f"målnummeret «{text[:40]}» er urimelig stort.")
    return int(digits[0]), text


def find_year(text: str) -> int | None:
    """The single year a title speaks of: 'status 2019' -> 2019; '2018–2025' alone -> None."""
    if not text:
        return None
    stripped = _RANGE.sub(" ", text)
    years = [int(y) for y in _YEAR.findall(stripped)]
    return years[0] if years else None


def find_month(text: str) -> tuple[int, int] | None:
    """'Prognose pr. oktober 2023' -> (2023, 10); 'prognose_2023_10' -> (2023, 10)."""
    low = text.lower()
    for i, month in enumerate(MONTHS):
        match = re.search(rf"\b{month}\b\D{{0,4}}((?:19|20)\d{{2}})", low)
        if match:
            return int(match.group(1)), i + 1
        short = month[:3]
        match = re.search(rf"\b{short}\.?\s*((?:19|20)\d{{2}})\b", low)
        if match:
            return int(match.group(1)), i + 1
    match = re.search(r"((?:19|20)\d{2})[_\-. ](0?[1-9]|1[0-2])(?!\d)", low)
    if match:
        return int(match.group(1)), int(match.group(2))
    return None


def month_label(kind: str, year: int, month: int) -> str:
    """«Prognose mars 2024»: the label of a month's version."""
    return f"{kind} {MONTHS[month - 1]} {year}"


def first_of_month(year: int, month: int) -> dt.date:
    """The first day of a month."""
    return dt.date(year, month, 1)


_ENUMERATOR = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*[.)]?|[A-Za-z][.)]|[IVX]{1,4}[.)])\s+(?=\D)")


def clean_section(text: str) -> str:
    """'Utdanning:' -> 'Utdanning'; 'FORSKNING' -> 'Forskning'; '2. Forskning', 'C) INNOVASJON'
    -> 'Forskning', 'Innovasjon' (the numbering of a section is not part of its name)."""
    value = _ENUMERATOR.sub("", text.strip()).rstrip(":").strip() or text.strip()
    if value.isupper() and max(len(w) for w in value.split()) >= 5:  # not acronyms like «HMS»
        value = value.capitalize()
    return value


_THOUSANDS = re.compile(
    r"(?i)(?<![\w.])(?:1[ \u00a0.]?000|tusen|t)\s*(?:kr|kroner|nok)(?!\w)|(?<!\w)(?:knok|tnok|kkr)(?!\w)"
    r"|(?<!\w)i tusen(?!\w)|(?<!\w)(?:kr|kroner|nok)\.?\s*(?:1[ \u00a0.]?000|'000)(?!\d)"
    r"|(?<!\w)i 1[ \u00a0.]?000(?!\d)"
)
_MILLIONS = re.compile(
    r"(?i)(?<!\w)mill(?:ioner)?\.?\s*(?:kr|kroner|nok)(?!\w)|(?<!\w)(?:mnok|mkr)(?!\w)"
)
_KRONER = re.compile(r"(?i)(?<![\w.])(?:kr|kroner|nok)(?!\w)")


def amount_scale(texts: list[str | None]) -> tuple[float, str | None]:
    """The factor that turns a table's amounts into 1000 kr, read from its titles and amount
    headers: «(1000 kr)», «kNOK» or nothing: 1; «kr», «NOK», «kroner»: 1/1000; «mill. kr»: 1000.
    With a note for the import when the amounts are converted."""
    joined = " | ".join(t for t in texts if t)
    if _THOUSANDS.search(joined):
        return 1.0, None
    if _MILLIONS.search(joined):
        return 1000.0, "Beløpene står i millioner kroner og er regnet om til 1000 kr."
    if _KRONER.search(joined):
        return 0.001, "Beløpene står i kroner og er regnet om til 1000 kr."
    return 1.0, None
