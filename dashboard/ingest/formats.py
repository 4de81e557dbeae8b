"""Number formats that change what a cell means: a percentage stored as a fraction.

Excel keeps «59,8 %» as 0.598 with a percent format; the readers return 0.598. A user reads
59,8, and types the same value as text «59,8 %», which we read as 59.8. So cells with a percent
format are read as percentages too (×100). Found from styles.xml and the cells' style indices
(small sheets only: bulk ledgers hold amounts, not shares).
"""

from __future__ import annotations

import re
import zipfile

import defusedxml.ElementTree as SafeET

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_BUILTIN_PERCENT = {9, 10}  # «0 %», «0,00 %»
_CELL = re.compile(rb"<(?:\w+:)?c\s([^>]*)>")
_REF = re.compile(rb'\br="([A-Z]{1,3}\d+)"')
_STYLE = re.compile(rb'\bs="(\d+)"')


def _is_percent(code: str) -> bool:
    """A format code with a % sign outside quoted text and [brackets]."""
    plain = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code)
    return "%" in plain


def percent_styles(archive: zipfile.ZipFile, styles_part: str | None) -> set[int]:
    """Indices of the cell styles (cellXfs) whose number format is a percentage."""
    if not styles_part:
        return set()
    try:
        root = SafeET.fromstring(archive.read(styles_part))
    except Exception:  # noqa: BLE001 — unreadable styles: no percent formats known
        return set()
    custom = {
        int(fmt.get("numFmtId", "-1")): fmt.get("formatCode", "")
        for fmt in root.iter(f"{_NS}numFmt")
    }
    percent = set()
    xfs = root.find(f"{_NS}cellXfs")
    for index, xf in enumerate(xfs if xfs is not None else []):
        fmt = int(xf.get("numFmtId", "0"))
        if fmt in _BUILTIN_PERCENT or (fmt in custom and _is_percent(custom[fmt])):
            percent.add(index)
    return percent


def percent_cells(sheet_xml: bytes, styles: set[int]) -> list[str]:
    """References of the cells in a sheet's XML that carry one of the percent styles."""
    found = []
    for match in _CELL.finditer(sheet_xml):
        attrs = match.group(1)
        style = _STYLE.search(attrs)
        if style and int(style.group(1)) in styles:
            ref = _REF.search(attrs)
            if ref:
                found.append(ref.group(1).decode())
    return found
