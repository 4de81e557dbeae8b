"""The workbook a reporting round sends one responsible unit: its measures with last round's
status and comment beside empty cells for the new ones, a status dropdown, locked key columns,
an instruction sheet in Norwegian, and the round and unit written in the file so that it
identifies itself when it comes back (see `dashboard.ingest.layouts.round_return`)."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation

from dashboard import vocab
from dashboard.numbers import fmt_date
from dashboard.present.export import neutralise
from dashboard.round_format import (
    ABOUT_KEYS,
    ABOUT_SHEET,
    CHECK_HEADER,
    COLUMNS,
    HEADER_ROW,
    HEADERS,
    LISTS_SHEET,
    STATUS_SHEET,
    RoundInfo,
)

INPUT_FILL = PatternFill("solid", fgColor="FFF4C2")
HEAD_FILL = PatternFill("solid", fgColor="1F3A5F")
KEY_FILL = PatternFill("solid", fgColor="EEF1F5")
THIN = Side(style="thin", color="B8C0CC")


def status_choices(kind: str) -> list[str]:
    """The dropdown's values: «3 – Under gjennomføring» for scores, else the categories."""
    if kind == "scores":
        return [f"{score} – {word}" for score, word in vocab.SCORE_MEANINGS.items()]
    return list(vocab.CATEGORY_ORDER)


def prev_status(row: pd.Series) -> str:
    """Last round's status as shown in the workbook."""
    return vocab.status_word(row.get("prev_score"), row.get("prev_category"), empty="")


def title(info: RoundInfo) -> str:
    """The workbook's heading: «Statusrapport · MH-ISB – Institutt for … · plan · round»."""
    return f"Statusrapport · {info.unit} – {info.unit_name} · {info.plan} · {info.label}"


def build(info: RoundInfo, measures: pd.DataFrame) -> bytes:
    """One unit's workbook (.xlsx bytes); `measures` are that unit's rows of round_measures,
    with each row's check value in `check`. Every text from the data is written as text, never
    as a formula (the rule of «Last ned som Excel»)."""
    wb = Workbook()
    ws = wb.active
    ws.title = STATUS_SHEET
    _status_sheet(ws, info, measures)
    _about_sheet(wb.create_sheet(ABOUT_SHEET), info)
    lists = wb.create_sheet(LISTS_SHEET)
    choices = status_choices(info.kind)
    for i, choice in enumerate(choices, start=1):
        _put(lists, i, 1, choice)
    lists.sheet_state = "hidden"
    lists.protection.sheet = True
    last = HEADER_ROW + max(len(measures), 1)
    status_col = _letter(HEADERS.index("Ny status"))
    dv = DataValidation(
        type="list",
        formula1=f"'{LISTS_SHEET}'!$A$1:$A${len(choices)}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Ugyldig status",
        error="Velg en status fra lista.",
        promptTitle="Ny status",
        prompt="Velg fra lista (0–5)." if info.kind == "scores" else "Velg fra lista.",
        showInputMessage=True,
    )
    dv.add(f"{status_col}{HEADER_ROW + 1}:{status_col}{last}")
    ws.add_data_validation(dv)
    end_col = _letter(HEADERS.index("Planlagt slutt"))
    dates = DataValidation(
        type="date",
        operator="between",
        formula1="DATE(2000,1,1)",
        formula2="DATE(2100,12,31)",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Ugyldig dato",
        error="Skriv en dato, for eksempel 31.12.2026.",
    )
    dates.add(f"{end_col}{HEADER_ROW + 1}:{end_col}{last}")
    ws.add_data_validation(dates)
    wb.active = 0
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _letter(index: int) -> str:
    return chr(ord("A") + index)


def _put(ws, row: int, column: int, value: object):
    """Write one cell; text that a spreadsheet would run as a formula stays text."""
    return ws.cell(row, column, neutralise(value))


def _status_sheet(ws, info: RoundInfo, measures: pd.DataFrame) -> None:
    _put(ws, 1, 1, title(info)).font = Font(bold=True, size=14)
    due = f"Frist: {fmt_date(info.due)}. " if info.due else ""
    ws["A2"] = (
        f"{due}Fyll ut de gule kolonnene (ny status, kommentar, ansvarlig, planlagt slutt) og "
        "send fila tilbake. Nøkkelkolonnene er låst; se arket «Om arbeidsboka»."
    )
    _put(ws, 3, 1, f"Runde-ID {info.round_id} · enhet {info.unit}").font = Font(
        color="5A6372", size=9
    )
    prev = _prev_round(measures)
    heads = [(h, w) for h, w, _ in COLUMNS] + [(CHECK_HEADER, 14)]
    for c, (header, width) in enumerate(heads, start=1):
        shown = f"Forrige status ({prev})" if header == "Forrige status" and prev else header
        cell = _put(ws, HEADER_ROW, c, shown)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[_letter(c - 1)].width = width
    check_col = len(heads)
    ws.column_dimensions[_letter(check_col - 1)].hidden = True
    for r, (_, row) in enumerate(measures.iterrows(), start=HEADER_ROW + 1):
        values = (
            row["key"],
            _text(row.get("area")),
            None if pd.isna(row.get("goal_no")) else int(row["goal_no"]),
            _text(row.get("title")),
            prev_status(row),
            _text(row.get("prev_comment")),
            None,
            None,
            _text(row.get("owner")) or None,
            None if pd.isna(row.get("planned_end")) else pd.Timestamp(row["planned_end"]).date(),
        )
        for c, ((_, _, editable), value) in enumerate(zip(COLUMNS, values, strict=True), start=1):
            cell = _put(ws, r, c, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
            if editable:
                cell.fill = INPUT_FILL
                cell.protection = Protection(locked=False)
            else:
                cell.fill = KEY_FILL
        ws.cell(r, HEADERS.index("Planlagt slutt") + 1).number_format = "DD.MM.YYYY"
        _put(ws, r, check_col, row["check"]).fill = KEY_FILL
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 2)
    # the filter (and so a sort) spans the hidden check column: it moves with its row
    ws.auto_filter.ref = f"A{HEADER_ROW}:{_letter(check_col - 1)}{HEADER_ROW + len(measures)}"
    ws.protection.sheet = True
    ws.protection.autoFilter = False  # filtering and sorting stay allowed
    ws.protection.sort = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _prev_round(measures: pd.DataFrame) -> str:
    rounds = measures.get("prev_round")
    if rounds is None:
        return ""
    given = [r for r in rounds.dropna().unique() if str(r)]
    return str(given[0]) if len(given) == 1 else ""


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _about_sheet(ws, info: RoundInfo) -> None:
    ws["A1"] = "Slik fyller du ut arbeidsboka"
    ws["A1"].font = Font(bold=True, size=14)
    scale = (
        "Status 0–5: "
        + "; ".join(f"{s} {w.lower()}" for s, w in vocab.SCORE_MEANINGS.items())
        + "."
        if info.kind == "scores"
        else "Status: velg en av " + ", ".join(vocab.CATEGORY_ORDER) + "."
    )
    lines = (
        f"Dette er statusrapporten for {info.unit} – {info.unit_name} i runden «{info.label}» "
        f"av {info.plan}.",
        "1. Gå til arket «Status». Hver rad er et tiltak enheten din er ansvarlig for.",
        "2. Velg ny status i den gule kolonnen «Ny status» (nedtrekkslista). La den stå tom "
        "hvis du ikke har ny status.",
        "3. Skriv en kort kommentar: hva er gjort, hva gjenstår, hva hindrer.",
        "4. Fyll inn ansvarlig (navn) og planlagt slutt (dato) der de mangler eller er endret.",
        "5. Lagre fila (gjerne med nytt navn) og send den tilbake. Du kan sortere og filtrere, "
        "men ikke endre nøkkelkolonnene eller dette arket: de forteller Målbilde hvilken enhet "
        "og runde fila hører til.",
        scale,
        f"Frist: {fmt_date(info.due)}." if info.due else "",
    )
    for r, line in enumerate(lines, start=3):
        _put(ws, r, 1, line).alignment = Alignment(wrap_text=True, vertical="top")
    start = len(lines) + 5
    ws.cell(start - 1, 1, "Om arbeidsboka (må ikke endres)").font = Font(bold=True)
    values = (info.round_id, info.unit, info.plan, info.label, info.code)
    for i, (key, value) in enumerate(zip(ABOUT_KEYS, values, strict=True)):
        ws.cell(start + i, 1, key).font = Font(bold=True)
        _put(ws, start + i, 2, value)
    ws.column_dimensions["A"].width = 110
    ws.column_dimensions["B"].width = 40
    ws.protection.sheet = True


def zip_all(workbooks: dict[str, bytes]) -> bytes:
    """One zip of the units' workbooks ({file name: bytes})."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in workbooks.items():
            zf.writestr(name, data)
    return out.getvalue()


def file_name(info: RoundInfo) -> str:
    """«status_juni_2020_MH-ISB.xlsx»: safe characters only."""
    label = "".join(ch if ch.isalnum() else "_" for ch in info.label.lower()).strip("_")
    unit = "".join(ch if ch.isalnum() or ch == "-" else "_" for ch in info.unit)
    return f"{label}_{unit}.xlsx"
