"""A returned reporting-round workbook (made by `dashboard.present.round_workbook`, in the
format of `dashboard.round_format`): which round and unit it says it is for, and the answers
in it. The file is identified by its own
content (the «Om arbeidsboka» block), never by its name; rows may come in any order; every
refusal names the file, sheet and cell."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

from dashboard import vocab
from dashboard.errors import CellError, LayoutUnknown, cell_ref
from dashboard.ingest.layouts.status import categorise
from dashboard.ingest.sheetdata import SheetData, bad_cell_message
from dashboard.numbers import is_blank, parse_date
from dashboard.round_format import (
    ABOUT_KEYS,
    ABOUT_SHEET,
    CHECK_HEADER,
    HEADERS,
    STATUS_SHEET,
)
from dashboard.safe_text import shown_name
from dashboard.text import normalise


@dataclass(frozen=True)
class Answer:
    """One measure's row in a returned workbook (only what the unit wrote in it)."""

    key: str
    cell: str  # the row's «Ny status» cell, e.g. «Status!G7»
    score: int | None
    status_text: str | None
    category: str | None
    comment: str | None
    owner: str | None
    planned_end: dt.date | None
    title: str | None = None  # the row's measure text («Tiltak») as it came back
    title_cell: str = ""
    check: str | None = None  # the row's check value (hidden column «Kontroll»)
    check_cell: str = ""


@dataclass
class ReturnContent:
    """What a returned workbook says of itself, and its rows by key."""

    file: str
    round_id: int
    unit: str
    token: str  # the control code written in the file
    rows: dict[str, Answer] = field(default_factory=dict)
    key_cells: dict[str, str] = field(default_factory=dict)
    about_cells: dict[str, str] = field(default_factory=dict)  # «Enhet» → «Om arbeidsboka!B13»
    has_checks: bool = False  # the status sheet has the check column


def _find(sheets: list[SheetData], name: str) -> SheetData | None:
    return next((s for s in sheets if s.name.strip().lower() == name.lower()), None)


def is_round_workbook(sheets: list[SheetData]) -> bool:
    """The workbook is a reporting round's workbook: its identifying block, or (when «Om
    arbeidsboka» is damaged or gone) a sheet with the round's own column headers."""
    return has_about_block(sheets) or _round_headers_sheet(sheets) is not None


def has_about_block(sheets: list[SheetData]) -> bool:
    """The sheets of a round workbook with the identifying block on «Om arbeidsboka»."""
    about = _find(sheets, ABOUT_SHEET)
    if about is None or _find(sheets, STATUS_SHEET) is None:
        return False
    return any(row and row[0] == ABOUT_KEYS[0] for row in about.rows)


# The headers only a round workbook's status sheet has together (a status report has none of them)
_ROUND_HEADERS = tuple(normalise(h) for h in ("Nøkkel", "Ny status", "Forrige status"))


def _round_headers_sheet(sheets: list[SheetData]) -> str | None:
    """The name of a sheet whose top rows hold «Nøkkel», «Ny status» and «Forrige status …»
    in one row, or None."""
    for sheet in sheets:
        for row in sheet.head(30, len(HEADERS) + 20):
            norms = [normalise(v) for v in row if isinstance(v, str) and len(v) < 200]
            if all(any(n == h or n.startswith(h + " ") for n in norms) for h in _ROUND_HEADERS):
                return sheet.name
    return None


def upload_refusal(sheets: list[SheetData]) -> str | None:
    """Why Last opp does not import a round workbook (it goes to «Rapporteringsrunder»), or
    None when the workbook is not one."""
    if not is_round_workbook(sheets):
        return None
    text = (
        "Dette er en arbeidsbok fra en rapporteringsrunde. Lever den på siden "
        "«Rapporteringsrunder» under «Ta imot svar», der den kobles til sin runde og enhet."
    )
    if not has_about_block(sheets):
        text += (
            f" Arket «{_round_headers_sheet(sheets)}» har rundens kolonner, men arket "
            f"«{ABOUT_SHEET}» mangler eller har ikke lenger blokken som sier hvilken runde og "
            "enhet arbeidsboka er for; last ned enhetens arbeidsbok fra runden på nytt og "
            "skriv svarene inn der."
        )
    return text


def identify(sheets: list[SheetData], file: str) -> tuple[int, str, str]:
    """(round id, unit, token) from the «Om arbeidsboka» sheet; refused when it is not there."""
    about = _find(sheets, ABOUT_SHEET)
    if about is None or _find(sheets, STATUS_SHEET) is None:
        names = ", ".join(f"«{s.name}»" for s in sheets) or "ingen"
        raise LayoutUnknown(
            f"Fila er ikke en arbeidsbok fra en rapporteringsrunde: den skal ha arkene "
            f"«{STATUS_SHEET}» og «{ABOUT_SHEET}»; arkene er {names}. Last ned arbeidsboka fra "
            "runden på nytt.",
            file=file,
        )
    found: dict[str, tuple[object, str]] = {}
    for r, row in enumerate(about.rows):
        if len(row) >= 2 and isinstance(row[0], str) and row[0].strip() in ABOUT_KEYS:
            found[row[0].strip()] = (row[1], cell_ref(about.row0 + r, about.col0 + 1))
    missing = [k for k in ABOUT_KEYS if k not in found or is_blank(found[k][0])]
    if missing:
        raise CellError(
            f"Arket mangler {', '.join(f'«{k}»' for k in missing)} i blokken «Om arbeidsboka». "
            "Arket må ikke endres; last ned arbeidsboka fra runden på nytt.",
            file=file,
            sheet=about.name,
        )
    value, ref = found["Runde-ID"]
    round_id = round_number(value)
    if round_id is None:
        raise CellError(
            f"Runde-ID «{shown_name(str(value))}» er ikke et rundenummer (et helt tall, som 3). "
            "Arket må ikke endres; last ned arbeidsboka fra runden på nytt.",
            file=file,
            sheet=about.name,
            cell=ref,
        )
    unit = shown_name(str(found["Enhet"][0]).strip())
    return round_id, unit, str(found["Kontrollkode"][0]).strip()


_ROUND_NUMBER = re.compile(r"[0-9]{1,15}(?:[.,]0+)?")
MAX_ROUND_ID = 10**15  # far above any round a database holds, far below what overflows


def round_number(value: object) -> int | None:
    """A round id as written in a cell: a whole number from 1, as a number or a text («3»,
    «3.0»); None for anything else (3.7, -0, 0, inf, nan, 1e400, a huge integer, a date)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer() or abs(value) >= MAX_ROUND_ID:
            return None
        number = int(value)
    elif isinstance(value, str) and len(value) < 40 and _ROUND_NUMBER.fullmatch(value.strip()):
        number = int(re.split(r"[.,]", value.strip())[0])
    else:
        return None
    return number if 0 < number < MAX_ROUND_ID else None


def read(
    sheets: list[SheetData], file: str, kind: str, rules: tuple[tuple[str, str], ...]
) -> ReturnContent:
    """The workbook's identity and its rows (keys checked against the round by the caller)."""
    round_id, unit, token = identify(sheets, file)
    status = _find(sheets, STATUS_SHEET)
    out = ReturnContent(file, round_id, unit, token, about_cells=_about_cells(sheets))
    header_at, cols = _header(status, file)
    out.has_checks = CHECK_HEADER in cols
    for r in range(header_at + 1, len(status.rows)):
        row = status.rows[r]
        key = _cell(row, cols["Nøkkel"])
        if is_blank(key):
            if any(not is_blank(_cell(row, c)) for c in cols.values()):
                raise CellError(
                    "Raden har svar, men ingen nøkkel. Nøkkelkolonnen må ikke endres; skriv "
                    "svaret inn på tiltakets egen rad.",
                    file=file,
                    sheet=status.name,
                    cell=_ref(status, r, cols["Nøkkel"]),
                )
            continue
        key = str(key).strip()
        key_cell = f"{status.name}!{_ref(status, r, cols['Nøkkel'])}"
        if key in out.rows:
            raise CellError(
                f"Nøkkelen «{key}» står to ganger (også i {out.key_cells[key]}). Hvert tiltak "
                "skal ha én rad.",
                file=file,
                sheet=status.name,
                cell=_ref(status, r, cols["Nøkkel"]),
            )
        out.key_cells[key] = key_cell
        out.rows[key] = _answer(status, r, cols, key, file, kind, rules)
    return out


def _about_cells(sheets: list[SheetData]) -> dict[str, str]:
    """Where each label's value of the identifying block stands: {«Enhet»: «Om arbeidsboka!B13»}."""
    about = _find(sheets, ABOUT_SHEET)
    out: dict[str, str] = {}
    for r, row in enumerate(about.rows):
        if len(row) >= 2 and isinstance(row[0], str) and row[0].strip() in ABOUT_KEYS:
            out[row[0].strip()] = f"{about.name}!{_ref(about, r, 1)}"
    return out


def _header(sheet: SheetData, file: str) -> tuple[int, dict[str, int]]:
    """The header row and the column of each header (the check column when it is there)."""
    wanted = {normalise(h): h for h in (*HEADERS, CHECK_HEADER)}
    for r, row in enumerate(sheet.rows[:30]):
        cols: dict[str, int] = {}
        for c, value in enumerate(row):
            norm = normalise(value)
            for want, header in wanted.items():
                if norm == want or (header == "Forrige status" and norm.startswith(want)):
                    cols.setdefault(header, c)
        if "Nøkkel" in cols and "Ny status" in cols:
            missing = [h for h in HEADERS if h not in cols]
            if missing:
                found = ", ".join(f"«{v}»" for v in row if not is_blank(v))
                raise CellError(
                    f"Kolonnen {', '.join(f'«{m}»' for m in missing)} mangler; kolonnene er "
                    f"{found}. Kolonnene må ikke slettes eller gis nye navn.",
                    file=file,
                    sheet=sheet.name,
                    cell=f"{cell_ref(sheet.row0 + r, sheet.col0)}",
                )
            return r, cols
    raise CellError(
        f"Fant ikke overskriftsraden («{'», «'.join(HEADERS[:4])} …») i de 30 første radene.",
        file=file,
        sheet=sheet.name,
    )


def _cell(row: list, c: int) -> object:
    return row[c] if c < len(row) else None


def _ref(sheet: SheetData, r: int, c: int) -> str:
    return cell_ref(sheet.row0 + r, sheet.col0 + c)


def _text(value: object) -> str | None:
    if is_blank(value):
        return None
    text = str(value).strip()
    return text or None


def _answer(sheet, r, cols, key, file, kind, rules) -> Answer:
    row = sheet.rows[r]
    for header in ("Ny status", "Ny kommentar", "Ansvarlig", "Planlagt slutt"):
        problem = bad_cell_message(_cell(row, cols[header]))
        if problem:
            raise CellError(problem, file=file, sheet=sheet.name, cell=_ref(sheet, r, cols[header]))
    raw = _cell(row, cols["Ny status"])
    score = text = category = None
    if not is_blank(raw):
        try:
            score, text, category = _status(raw, kind, rules)
        except vocab.BadScore as exc:
            raise CellError(
                f"Ny {exc}", file=file, sheet=sheet.name, cell=_ref(sheet, r, cols["Ny status"])
            ) from None
        if score is None and category is None:
            choices = (
                "et tall 0–5 ("
                + "; ".join(f"{s} {w}" for s, w in vocab.SCORE_MEANINGS.items())
                + ")"
                if kind == "scores"
                else "en av " + ", ".join(vocab.CATEGORY_ORDER)
            )
            shown = int(raw) if isinstance(raw, float) and raw.is_integer() else raw
            raise CellError(
                f"Status «{shown}» er utenfor skalaen; gyldig er {choices}.",
                file=file,
                sheet=sheet.name,
                cell=_ref(sheet, r, cols["Ny status"]),
            )
    end_raw = _cell(row, cols["Planlagt slutt"])
    try:
        end = parse_date(end_raw)
    except ValueError:
        end = None
    if end is None and not is_blank(end_raw):
        raise CellError(
            f"Planlagt slutt «{end_raw}» er ikke en dato; skriv for eksempel 31.12.2026.",
            file=file,
            sheet=sheet.name,
            cell=_ref(sheet, r, cols["Planlagt slutt"]),
        )
    check_col = cols.get(CHECK_HEADER)
    return Answer(
        key=key,
        cell=f"{sheet.name}!{_ref(sheet, r, cols['Ny status'])}",
        score=score,
        status_text=text,
        category=category,
        comment=_text(_cell(row, cols["Ny kommentar"])),
        owner=_text(_cell(row, cols["Ansvarlig"])),
        planned_end=end,
        title=_text(_cell(row, cols["Tiltak"])),
        title_cell=f"{sheet.name}!{_ref(sheet, r, cols['Tiltak'])}",
        check=None if check_col is None else _text(_cell(row, check_col)),
        check_cell="" if check_col is None else f"{sheet.name}!{_ref(sheet, r, check_col)}",
    )


def _status(raw: object, kind: str, rules) -> tuple[int | None, str | None, str | None]:
    """(score, text, category) of a status cell; (None, None, None) when outside the scale: a
    score is what `vocab.parse_score` takes («3», «3 – Under gjennomføring»), nothing else
    (vocab.BadScore saying why for a cell written as a number that is no score)."""
    if kind == "scores":
        parsed = vocab.parse_score(raw)  # BadScore says why, named by the caller's cell
        if parsed is None:  # a text status where a score is asked for
            return None, None, None
        score = parsed.value
        return score, vocab.SCORE_WORDS[score], str(vocab.SCORE_CATEGORY[score])
    text = str(raw).strip()
    exact = next((c for c in vocab.CATEGORY_ORDER if c.lower() == text.lower()), None)
    category = exact or categorise(text, rules)
    return (None, text, str(category)) if category else (None, None, None)
