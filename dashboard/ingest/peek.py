"""Read only the first rows of a big sheet straight from its XML, to find the header cheaply.

Bulk sheets are parsed once, by fastexcel, starting below the header; the header row is found
here first from the opening few hundred kilobytes of the sheet and the shared strings it uses.
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as SafeET

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?row>)", re.S)
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_ATTR = re.compile(rb'\b(r|t)="([^"]*)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.S)
_TEXT = re.compile(rb"<(?:\w+:)?t\b[^>]*>(.*?)</(?:\w+:)?t>", re.S)
_REF = re.compile(r"([A-Z]{1,3})(\d+)")


def _col(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def _shared_strings(archive: zipfile.ZipFile, part: str | None, needed: int) -> list[str]:
    """The first `needed + 1` shared strings (stops reading early)."""
    if part is None or needed < 0:
        return []
    out: list[str] = []
    with archive.open(part) as fh:
        for _event, elem in SafeET.iterparse(fh, events=("end",)):
            if elem.tag == f"{_NS}si":
                out.append("".join(t.text or "" for t in elem.iter(f"{_NS}t")))
                elem.clear()
                if len(out) > needed:
                    break
    return out


def peek_rows(
    path: Path, sheet_part: str, strings_part: str | None, n: int = 30, budget: int = 1 << 19
) -> tuple[list[list[Any]], int, int]:
    """The first n non-empty rows of a sheet as Python values, with the top-left (row, col)."""
    with zipfile.ZipFile(path) as archive:
        with archive.open(sheet_part) as fh:
            head = fh.read(budget)
        cells: list[tuple[int, int, str, bytes]] = []
        rows_seen = 0
        for row in _ROW.finditer(head):
            body = row.group(1) or b""
            found = False
            for cell in _CELL.finditer(body):
                attrs = dict(_ATTR.findall(cell.group(1)))
                ref = _REF.fullmatch(attrs.get(b"r", b"").decode())
                if not ref:
                    continue
                found = True
                cells.append(
                    (
                        int(ref.group(2)) - 1,
                        _col(ref.group(1)),
                        attrs.get(b"t", b"n").decode(),
                        cell.group(2) or b"",
                    )
                )
            rows_seen += found
            if rows_seen >= n:
                break
        needed = max(
            (
                int(_VALUE.search(b).group(1))
                for _, _, t, b in cells
                if t == "s" and _VALUE.search(b)
            ),
            default=-1,
        )
        strings = _shared_strings(archive, strings_part, needed)
    if not cells:
        return [], 0, 0
    row0 = min(c[0] for c in cells)
    col0 = min(c[1] for c in cells)
    width = max(c[1] for c in cells) - col0 + 1
    grid: dict[int, list[Any]] = {}
    for r, c, kind, body in cells:
        grid.setdefault(r, [None] * width)[c - col0] = _value(kind, body, strings)
    last = max(grid)
    rows = [grid.get(r, [None] * width) for r in range(row0, last + 1)]
    return rows, row0, col0


def _value(kind: str, body: bytes, strings: list[str]) -> Any:
    if kind == "inlineStr":
        return html.unescape("".join(t.decode("utf-8", "replace") for t in _TEXT.findall(body)))
    match = _VALUE.search(body)
    if not match:
        return None
    raw = html.unescape(match.group(1).decode("utf-8", "replace"))
    if kind == "s":
        index = int(raw)
        return strings[index] if index < len(strings) else None
    if kind in ("str", "e"):
        return raw
    if kind == "b":
        return raw == "1"
    try:
        return float(raw)
    except ValueError:
        return raw
