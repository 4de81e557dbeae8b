"""The unit of each row of a statistics table: institution, faculty and department columns, as
names or DBH codes, in the portal's headings («Institusjonsnavn», «Avdelingskode») or the API's
(`institusjonskode`, `fakultetsnavn`). NTNU's units come from the code table or their names;
other institutions become peers. Unknown codes are kept and listed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from dashboard import entities
from dashboard.entities import Entity
from dashboard.ingest.layouts.common import Parsed, SheetView
from dashboard.text import normalise

_CODE = r"(?:kode|code|nr|nummer|id|no)"
_NAME = r"(?:navn|name)?"
KINDS = {
    "inst_code": re.compile(rf"^(?:institusjons?|inst|institution|lærested)_?{_CODE}$"),
    "inst_name": re.compile(rf"^(?:institusjons?|institution|lærested|lærested){_NAME}$"),
    "fac_code": re.compile(rf"^(?:fakultets?|faculty)_?{_CODE}$"),
    "fac_name": re.compile(rf"^(?:fakultets?|faculty){_NAME}$"),
    "dept_code": re.compile(rf"^(?:avdelings?|institutts?|department|underenhets?)_?{_CODE}$"),
    "dept_name": re.compile(rf"^(?:avdelings?|institutts?|department|underenhets?){_NAME}$"),
    "generic": re.compile(
        r"^(?:enhets?|unit|organisasjons?|orgenhet|organisation|kostnadssted)(?:navn|name|kode|code)?$"
    ),
}


def header_kind(text: object) -> str | None:
    """Which part of «who» a header names («Avdelingskode» → dept_code), if any."""
    compact = normalise(text).replace("_", "").replace(" ", "")
    for kind, pattern in KINDS.items():
        if pattern.match(compact):
            return kind
    return None


def entity_columns(header: list[Any], unit_col: int | None = None) -> dict[str, int]:
    """The columns that say whom a row is about (the first of each kind); `unit_col`, the
    column the header match took for the unit, counts as a unit column whatever its name."""
    out: dict[str, int] = {}
    for c, cell in enumerate(header):
        if isinstance(cell, str):
            kind = header_kind(cell)
            if kind and kind not in out:
                out[kind] = c
    if unit_col is not None and unit_col not in out.values():
        out.setdefault("generic", unit_col)
    return out


@dataclass
class EntityRows:
    """Resolves each row's unit; keeps the units found and notes for the import."""

    view: SheetView
    cols: dict[str, int]
    found: dict[str, Entity] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)  # note → first cell
    _last: Entity | None = None

    @property
    def any(self) -> bool:
        """Whether the sheet has any unit or institution column."""
        return bool(self.cols)

    def _cell(self, r: int, kind: str, code: bool = False) -> str | None:
        c = self.cols.get(kind)
        if c is None:
            return None
        return entities.code_text(self.view.get(r, c)) if code else self.view.text(r, c)

    def _note(self, note: str | None, r: int, kind: str) -> None:
        if note and note not in self.notes:
            c = self.cols[kind]
            self.notes[note] = f"{self.view.name}!{self.view.ref(r, c)}"

    def row(self, r: int, fallback: str | None) -> str | None:
        """The unit code of row r (a row without any unit cell: the one above, else `fallback`)."""
        cells = [self.view.get(r, c) for c in self.cols.values()]
        if all(v is None for v in cells):
            return self._last.code if self._last else fallback
        entity = self._resolve(r, fallback)
        if entity is not None:
            self._last = entity
            self.found.setdefault(entity.code, entity)
            return entity.code
        return fallback

    def _resolve(self, r: int, fallback: str | None) -> Entity | None:
        inst, note = entities.institution(
            self._cell(r, "inst_name"), self._cell(r, "inst_code", code=True)
        )
        self._note(note, r, "inst_code" if "inst_code" in self.cols else "inst_name")
        base = None
        generic = self._cell(r, "generic")
        if generic is not None and inst is None:
            base = entities.resolve_any(generic)
            if base is None:
                raise self._unknown(r, "generic", generic)
            inst = base if base.is_peer else None
        if inst is not None and inst.is_peer:
            return self._peer_detail(r, inst)
        faculty = self._ntnu_detail(r, "fac", None)
        dept = self._ntnu_detail(r, "dept", faculty.code if faculty else None)
        if dept is not None and faculty is not None:  # the faculty's name, if the file gives it
            self.found.setdefault(faculty.code, faculty)
        return dept or faculty or base or inst or (Entity(fallback) if fallback else None)

    def _peer_detail(self, r: int, inst: Entity) -> Entity:
        self.found.setdefault(inst.code, inst)
        for part in ("dept", "fac"):
            code = self._cell(r, f"{part}_code", code=True)
            name = self._cell(r, f"{part}_name")
            if entities.department_code(code or "") == "000000" or name == inst.name:
                continue  # the institution as a whole
            if code or name:
                return entities.peer_unit(inst, code, name)
        return inst

    def _ntnu_detail(self, r: int, part: str, faculty: str | None) -> Entity | None:
        code = self._cell(r, f"{part}_code", code=True)
        name = self._cell(r, f"{part}_name")
        if code is None and name is None:
            return None
        entity, note = entities.ntnu_unit(code, name, faculty)
        if entity is None:
            raise self._unknown(r, f"{part}_name", name)
        self._note(note, r, f"{part}_code" if f"{part}_code" in self.cols else f"{part}_name")
        return entity

    def _unknown(self, r: int, kind: str, text: str | None):
        return self.view.error(
            r,
            self.cols[kind],
            f"forventet en enhet Målbilde kjenner (som «MH» eller «Fakultet for medisin og "
            f"helsevitenskap»), fant «{text}». Legg den til i dashboard/units.toml.",
        )

    def finish(self, out: Parsed) -> None:
        """Hand the units found and the notes to the parsed result."""
        for code, e in self.found.items():
            if e.name or e.parent or e.peer_group:
                out.entities[code] = (e.name, e.parent, e.peer_group)
        peers = sorted(e.code for e in self.found.values() if e.is_peer and e.parent is None)
        if peers:
            shown = ", ".join(peers[:8]) + (f" og {len(peers) - 8} til" if len(peers) > 8 else "")
            out.warnings.append(
                f"{self.view.name}: {len(peers)} andre institusjoner er lagret som "
                f"sammenligningsenheter, utenfor NTNUs enheter og summer: {shown}."
            )
        for note, cell in self.notes.items():
            out.warnings.append(f"{cell}: {note[0].upper()}{note[1:]}")
