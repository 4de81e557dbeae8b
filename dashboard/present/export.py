"""«Last ned som Excel»: a table as an .xlsx with a title row, numbers as numbers with Norwegian
display formats, and user text neutralised so Excel never runs it as a formula (OWASP)."""

from __future__ import annotations

import datetime as dt
import io
import math

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
KNOK_FORMAT = "#,##0;\u2212#,##0"
DECIMAL_FORMAT = "#,##0.0#;\u2212#,##0.0#"
DATE_FORMAT = "dd.mm.yyyy"


def neutralise(value: object) -> object:
    """Text that Excel (or a CSV reader) would treat as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value


def to_excel(
    frame: pd.DataFrame,
    title: str,
    subtitle: str = "",
    sheet: str = "Data",
    formats: tuple[tuple[str, str], ...] = (),
) -> bytes:
    """The rows as shown, with a title row (what and which data version) above the header;
    numbers as numbers in the display format of their kind (dashboard.present.tables)."""
    from dashboard.present.tables import KINDS, kind_of

    given = dict(formats)
    column_format = {
        i: KINDS[k][1]
        for i, c in enumerate(frame.columns)
        if (k := kind_of(frame, c, given)) is not None
    }
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    ws.append([neutralise(title)])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([neutralise(subtitle)] if subtitle else [])
    header = [neutralise(str(c)) for c in frame.columns]
    ws.append(header)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    first_data_row = ws.max_row + 1
    for row in frame.itertuples(index=False):
        out = []
        for value in row:
            if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
                out.append(None)
            elif isinstance(value, pd.Timestamp):
                out.append(value.to_pydatetime())
            elif hasattr(value, "item") and not isinstance(value, str):
                out.append(value.item())  # numpy scalar → Python number
            else:
                out.append(neutralise(value))
        ws.append(out)
        for i, cell in enumerate(ws[ws.max_row]):
            if isinstance(cell.value, bool):
                continue
            if isinstance(cell.value, int | float):
                cell.number_format = column_format.get(i) or (
                    KNOK_FORMAT if float(cell.value).is_integer() else DECIMAL_FORMAT
                )
            elif isinstance(cell.value, dt.date | dt.datetime):
                cell.number_format = DATE_FORMAT
            elif isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
    ws.freeze_panes = f"A{first_data_row}"
    for i, column in enumerate(frame.columns, start=1):
        width = max([len(str(column))] + [len(str(v)) for v in frame[column].head(200)]) + 2
        ws.column_dimensions[ws.cell(row=3, column=i).column_letter].width = min(60, max(8, width))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
