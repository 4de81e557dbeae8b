"""Read a workbook: safety checks, guarded parsing, layout detection, parsing, merging into one
ImportResult. Nothing is stored here: `dashboard.service.imports` writes it."""

from __future__ import annotations

import hashlib
import logging
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from defusedxml import ElementTree as SafeET

from dashboard.config import Settings
from dashboard.errors import FileRefused, LayoutUnknown, UserError
from dashboard.ingest.detect import HEADER_SCAN_ROWS, MAX_HEADER_COLUMNS, HeaderMatch, match_layouts
from dashboard.ingest.judge import judge_goal_columns
from dashboard.ingest.layouts import economy as economy_layouts
from dashboard.ingest.layouts import economy_wide, round_return
from dashboard.ingest.layouts.budget import parse_multiyear, parse_prognosis
from dashboard.ingest.layouts.common import FileContext, NotThisLayout, Overrides, Parsed, SheetView
from dashboard.ingest.layouts.evaluation import parse_evaluation
from dashboard.ingest.layouts.indicators import (
    parse_definitions,
    parse_values_long,
    parse_values_wide,
)
from dashboard.ingest.layouts.ledger import parse_ledger
from dashboard.ingest.layouts.phd import parse_phd
from dashboard.ingest.layouts.plans import parse_allocations, parse_goals
from dashboard.ingest.layouts.register import parse_register
from dashboard.ingest.layouts.status import parse_status
from dashboard.ingest.parse_child import DAMAGED
from dashboard.ingest.peek import peek_rows
from dashboard.ingest.reader import BulkPlan, SheetData, take_child
from dashboard.ingest.safety import Precheck, check_file
from dashboard.ingest.shapes import accepted_layouts_text
from dashboard.numbers import fmt_int

log = logging.getLogger(__name__)
# Cells in the top rows of all sheets that layout detection may look at in one workbook (the
# widest real workbooks use a tenth of it): the bound on what detection costs the server.
MAX_HEADER_CELLS = 200_000
# Rows of a table read cell by cell (every layout but the ledger, which is read column-wise):
# real status reports, plans and indicator exports have a few thousand at most.
MAX_TABLE_ROWS = 100_000

LAYOUT_TITLES = {
    "status_scores": "Statusrapport med status 0–5",
    "status_text": "Statusrapport med tekststatus",
    "budget_prognosis": "Budsjettprognose",
    "budget_multiyear": "Langtidsbudsjett",
    "strategy_goals": "Strategiske mål",
    "allocations": "Fordeling per enhet",
    "indicator_defs": "Resultatmål (indikatordefinisjoner)",
    "indicator_values": "Indikatorverdier",
    "ledger": "Hovedbokseksport",
    "round_return": "Svar i rapporteringsrunde",
    "measure_register": "Tiltaksregister",
    "plan_evaluation": "Evaluering av plan",
    **economy_layouts.TITLES,
}


@dataclass
class ImportResult:
    """What an import did (or would do, for a preview)."""

    file_name: str
    sha256: str
    parsed: Parsed
    import_id: int | None = None
    sheets_skipped: list[str] = field(default_factory=list)

    @property
    def layout_title(self) -> str:
        """The layouts read, in words («Budsjettprognose, Langtidsbudsjett»)."""
        return ", ".join(LAYOUT_TITLES.get(name, name) for name in self.parsed.layout.split(","))

    @property
    def units_text(self) -> str:
        """The unit, or for a ledger of many units the first ones and how many («MH-INB, … (49 enheter)»)."""
        shown = (self.parsed.unit or "").replace(",", ", ")
        figures = self.parsed.arrow_tables.get("budget_figures")
        if figures is not None and figures.num_rows:
            count = pc.count_distinct(figures.column("unit")).as_py()
            if count > 3:
                shown += f" … ({count} enheter)"
        values = {r["unit"] for r in self.parsed.tables.get("indicator_values", [])}
        peers = [u for u in values if (self.parsed.entities.get(u) or (None, None, None))[2]]
        if len(values) > 1:
            others = f", {len(peers)} av dem andre institusjoner" if peers else ""
            shown += f" og {len(values) - 1} til ({len(values)} enheter{others})"
        return shown

    @property
    def years_text(self) -> str:
        """The year, or the span of years in a ledger («2015–2019»)."""
        figures = self.parsed.arrow_tables.get("budget_figures")
        if figures is not None and figures.num_rows:
            span = pc.min_max(figures.column("year")).as_py()
            if span["min"] != span["max"]:
                return f"{span['min']}–{span['max']}"
        return str(self.parsed.year) if self.parsed.year else ""


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes (hex): how the store knows a file it holds already."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _parse_sheet(
    view_rows: SheetData, head: list[list[Any]], ctx: FileContext, settings: Settings
) -> Parsed | None:
    full_rows: list[list[Any]] | None = None
    if economy_wide.may_be_wide(head) and view_rows.n_rows <= MAX_TABLE_ROWS:
        full_rows = view_rows.all_rows()
        wide = economy_wide.parse_wide(SheetView(ctx.file, view_rows, full_rows), ctx)
        if wide is not None:  # income with the kinds in rows, årsverk with months as columns
            return wide
    matches = match_layouts(head)
    too_long: HeaderMatch | None = None
    for match in matches[:8]:
        name = match.layout.name
        if name == "ledger":
            rows = view_rows.rows
        else:
            if view_rows.n_rows > MAX_TABLE_ROWS:  # read cell by cell: bounded like the rest
                too_long = too_long or match
                continue
            if full_rows is None:
                full_rows = view_rows.all_rows()
            rows = full_rows
        view = SheetView(ctx.file, view_rows, rows)
        notes: list[str] = []
        if name != "ledger":
            match, notes = judge_goal_columns(match, rows[match.header_row], rows)
        try:
            parsed = _parse_with(name, view, match, ctx, settings)
        except NotThisLayout:
            continue
        parsed.warnings[:0] = [f"{view.name}: {note}" for note in notes]
        return parsed
    if too_long is not None:
        raise FileRefused(
            f"Arket har {fmt_int(view_rows.n_rows)} rader, og tabellen ser ut som "
            f"«{too_long.layout.title}». Så store tabeller tas bare imot som hovedbokseksport; "
            f"grensen for denne typen er {fmt_int(MAX_TABLE_ROWS)} rader.",
            file=ctx.file,
            sheet=view_rows.name,
        )
    if (
        view_rows.n_rows <= 10_000
    ):  # a distribution without a header row (title, then unit · amount)
        rows = view_rows.rows if view_rows.arrow is None else view_rows.all_rows()
        try:
            return parse_allocations(SheetView(ctx.file, view_rows, rows), None, ctx)
        except NotThisLayout:
            pass
    return None


_PARSERS = {
    "budget_prognosis": parse_prognosis,
    "budget_multiyear": parse_multiyear,
    "strategy_goals": parse_goals,
    "allocations": parse_allocations,
    "indicator_defs": parse_definitions,
    "indicator_wide": parse_values_wide,
    "indicator_titled": parse_values_wide,
    "indicator_long": parse_values_long,
    "ledger": parse_ledger,
    "measure_register": parse_register,
    "plan_evaluation": parse_evaluation,
    **economy_layouts.PARSERS,
    "phd_degrees": parse_phd,
}


def _parse_with(
    name: str, view: SheetView, match: HeaderMatch, ctx: FileContext, settings: Settings
) -> Parsed:
    if name == "status":
        return parse_status(view, match, ctx, settings.status_rules)
    return _PARSERS[name](view, match, ctx)


def _show(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _bulk_plans(
    path: Path, pre: Precheck, settings: Settings, display_name: str
) -> dict[str, BulkPlan]:
    """For each big visible sheet: peek at its first rows and find the header (see reader)."""
    plans = {}
    for sheet, size in pre.sheet_xml_bytes.items():
        if size < settings.bulk_sheet_bytes or pre.sheet_states.get(sheet, "visible") != "visible":
            continue
        try:
            rows, row0, col0 = peek_rows(
                path, pre.sheet_parts[sheet], pre.shared_strings, HEADER_SCAN_ROWS + 5
            )
        except (SafeET.ParseError, zipfile.BadZipFile, zlib.error, EOFError, KeyError):
            raise FileRefused(
                "Fila er skadet: tekstene i arbeidsboka (sharedStrings.xml) eller arket kan "
                "ikke leses. Åpne den i Excel og lagre den på nytt.",
                file=display_name,
                sheet=sheet,
            ) from None
        matches = match_layouts(rows)
        head = rows[: matches[0].header_row + 1] if matches else []
        plans[sheet] = BulkPlan(head, row0, col0)
    return plans


def _headers_found(sheet: SheetData) -> str:
    for row in sheet.head(HEADER_SCAN_ROWS, MAX_HEADER_COLUMNS):
        cells = [_show(v) for v in row if v not in (None, "") and str(v).strip()]
        if len(cells) >= 2:
            shown = ", ".join(f"«{c[:40]}»" for c in cells[:10])
            return f"arket «{sheet.name}»: {shown}"
    return f"arket «{sheet.name}»: ingen overskrifter"


# columns that say where a row was read, not what it holds
_PLACE_COLUMNS = frozenset({"source_cell", "seq", "measure_key", "line_order"})


def _size(part: Parsed) -> tuple:
    """A cheap key: tables that differ in it cannot be the same."""
    return (
        part.layout,
        tuple((name, len(records)) for name, records in sorted(part.tables.items())),
        tuple((name, t.num_rows) for name, t in sorted(part.arrow_tables.items())),
    )


def _fingerprint(part: Parsed) -> tuple:
    """What a sheet's table holds, whatever sheet it stands on."""
    tables = tuple(
        (name, tuple(sorted(repr(_content(r)) for r in records)))
        for name, records in sorted(part.tables.items())
        if name != "plans"
    )
    arrows = tuple(
        (name, repr(t.drop_columns([c for c in t.column_names if c in _PLACE_COLUMNS]).to_pydict()))
        for name, t in sorted(part.arrow_tables.items())
    )
    return (part.layout, tables, arrows)


def _content(record: dict[str, Any]) -> list[tuple[str, Any]]:
    return sorted((k, v) for k, v in record.items() if k not in _PLACE_COLUMNS)


def _without_copies(parts: list[Parsed], warnings: list[str]) -> list[Parsed]:
    """The same table on two sheets («Status» and «Status (2)») is kept once, with a warning
    naming the sheets (it would otherwise be counted twice). Contents are compared only between
    sheets whose tables have the same layout and sizes."""
    sizes: dict[tuple, int] = {}
    for part in parts:
        sizes[_size(part)] = sizes.get(_size(part), 0) + 1
    seen: dict[tuple, Parsed] = {}
    copies: dict[int, list[str]] = {}
    kept = []
    for part in parts:
        if not part.rows or sizes[_size(part)] == 1:
            kept.append(part)
            continue
        first = seen.setdefault(_fingerprint(part), part)
        if first is part:
            kept.append(part)
        else:
            copies.setdefault(id(first), []).append(part.sheets[0])
    for part in kept:
        names = copies.get(id(part), [])
        if names:
            shown = ", ".join(f"«{n}»" for n in names[:5])
            more = f" og {len(names) - 5} ark til" if len(names) > 5 else ""
            warnings.append(
                f"{'Arket' if len(names) == 1 else 'Arkene'} {shown}{more} har den samme "
                f"tabellen som arket «{part.sheets[0]}»; den er lest én gang (ellers ville hvert "
                "tiltak og beløp telt flere ganger)."
            )
    return kept


def _merge(parts: list[Parsed]) -> Parsed:
    first = parts[0]
    layouts = list(dict.fromkeys(p.layout for p in parts))
    merged = Parsed(
        ",".join(layouts),
        [s for p in parts for s in p.sheets],
        first.unit,
        first.year,
        next((p.label for p in parts if p.label), None),
    )
    seen: dict[tuple, float] = {}
    for part in parts:
        merged.entities.update(part.entities)
        merged.warnings.extend(part.warnings)
        for table, records in part.tables.items():
            for record in records:
                if table == "budget_figures":
                    key = (
                        record["unit"],
                        record["year"],
                        record["line"],
                        record["kind"],
                        record["label"],
                        record["month"],
                    )
                    if key in seen:
                        if abs(seen[key] - record["amount_knok"]) > 2:
                            merged.warnings.append(
                                f"«{record['line']}» {record['kind']} {record['year']} står med ulike beløp i to ark "
                                f"({fmt_int(seen[key])} og {fmt_int(record['amount_knok'])}); det første er lagret."
                            )
                        continue
                    seen[key] = record["amount_knok"]
                merged.tables.setdefault(table, []).append(record)
        for table, arrow in part.arrow_tables.items():
            existing = merged.arrow_tables.get(table)
            merged.arrow_tables[table] = (
                arrow if existing is None else pa.concat_tables([existing, arrow])
            )
        merged.rows += part.rows
        merged.contents.extend(part.contents or [(", ".join(part.sheets), part.layout, part.rows)])
    return merged


def _plans(parsed: Parsed) -> None:
    """One row per plan and reporting round, derived from the measures."""
    seen = set()
    for status in parsed.tables.get("status_reports", []):
        key = (status["unit"], status["plan"], status["round"])
        if key in seen:
            continue
        seen.add(key)
        plan = status["plan"]
        parsed.tables.setdefault("plans", []).append(
            {
                "unit": status["unit"],
                "plan": plan,
                "kind": plan.split(" ")[0],
                "year": int(plan.split(" ")[-1]) if plan.split(" ")[-1].isdigit() else None,
                "round": status["round"],
            }
        )


def parse_file(
    path: Path,
    settings: Settings,
    overrides: Overrides | None = None,
    display_name: str | None = None,
    sha256: str | None = None,
) -> ImportResult:
    """Read and parse a workbook without storing anything (raises UserError subclasses only)."""
    name = display_name or path.name
    try:
        return _parse_file(path, settings, overrides, name, sha256)
    except UserError:
        raise
    except Exception as exc:  # noqa: BLE001 — a bug must not become a traceback on screen
        log.exception("unexpected error while parsing %s", name)
        raise FileRefused(
            f"Arbeidsboka kunne ikke tolkes (intern feil: {type(exc).__name__}). "
            "Feilen er logget; kontakt en administrator.",
            file=name,
        ) from exc


def _parse_file(
    path: Path,
    settings: Settings,
    overrides: Overrides | None,
    name: str,
    sha256: str | None = None,
) -> ImportResult:
    overrides = overrides or Overrides()
    # A warm child if one is kept (see reader.prestart); else one starts now and loads while we check.
    with take_child(settings) as child:
        pre = check_file(path, settings, name)
        sheets = child.read(path, pre, settings, name, _bulk_plans(path, pre, settings, name))
    if refusal := round_return.upload_refusal(sheets):
        raise LayoutUnknown(refusal, file=name)
    texts: list[str] = []
    for sheet in sheets:
        for row in sheet.head(4, MAX_HEADER_COLUMNS):
            texts.extend(
                str(v).strip() for v in row if isinstance(v, str) and 3 < len(v.strip()) < 200
            )
    ctx = FileContext(name, Path(name).stem, overrides, texts, [s.name for s in sheets])
    parts: list[Parsed] = []
    skipped: list[str] = []
    unknown: list[str] = []
    examined = 0
    for sheet in sheets:
        if sheet.name.strip().lower() in ("instruksjoner", "instructions"):
            continue  # the instruction sheet of our own templates
        if sheet.refused:
            skipped.append(f"Arket «{sheet.name}» ble hoppet over: {sheet.refused}.")
            unknown.append(f"arket «{sheet.name}»: {sheet.refused}")
            continue
        head = sheet.head(HEADER_SCAN_ROWS + 5, MAX_HEADER_COLUMNS)
        examined += sum(len(row) for row in head)
        if examined > MAX_HEADER_CELLS:
            raise FileRefused(
                f"Arbeidsboka har for mye å lete gjennom etter tabeller: {len(sheets)} ark med "
                f"over {fmt_int(MAX_HEADER_CELLS)} celler i de øverste radene (stoppet ved arket "
                f"«{sheet.name}»). Del den opp, eller fjern ark som ikke skal importeres.",
                file=name,
            )
        parsed = _parse_sheet(sheet, head, ctx, settings)
        if parsed is None:
            if sheet.n_rows:
                skipped.append(f"Arket «{sheet.name}» ble hoppet over: fant ingen kjent tabell.")
            unknown.append(_headers_found(sheet))
            continue
        parts.append(parsed)
    readable = [s for s in sheets if s.n_rows or s.refused]
    if not parts and readable and all(s.refused == DAMAGED for s in readable):
        raise FileRefused(
            "Fila er skadet: ingen av arkene kan leses. Åpne den i Excel og lagre den på nytt.",
            file=name,
        )
    if not parts:
        found = "; ".join(unknown) if unknown else "arbeidsboka har ingen synlige ark med innhold"
        raise LayoutUnknown(
            f"Fant ingen kjent tabell. Overskriftene som ble funnet: {found}. Oppsettene som tas imot: "
            f"{accepted_layouts_text()}. Last ned malen for å se riktig oppsett.",
            file=name,
        )
    parts = _without_copies(parts, skipped)
    merged = _merge(parts)
    merged.warnings = skipped + merged.warnings
    _plans(merged)
    return ImportResult(name, sha256 or sha256_of(path), merged, sheets_skipped=skipped)
