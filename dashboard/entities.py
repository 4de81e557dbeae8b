"""Who a row of public statistics is about: one of NTNU's units (by DBH code or by name) or a
peer — another institution, or one of its units — kept outside NTNU's tree and totals."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from dashboard import units
from dashboard.config import PACKAGE_DIR
from dashboard.text import normalise

UNIVERSITY = "universitet"
SCIENTIFIC_COLLEGE = "vitenskapelig høgskole"
COLLEGE = "høgskole"
OTHER = "annen"
# The peer groups, in the order the picker lists them, with their names in the plural.
PEER_GROUPS = {
    UNIVERSITY: "Universiteter",
    SCIENTIFIC_COLLEGE: "Vitenskapelige høgskoler",
    COLLEGE: "Høgskoler",
    OTHER: "Andre institusjoner",
}
NTNU = "NTNU"
NTNU_DBH = "1150"
_WHOLE = "000000"  # DBH: the institution as a whole


@dataclass(frozen=True)
class Entity:
    """A unit values are stored under; `peer_group` is None for NTNU's own units."""

    code: str
    name: str | None = None
    parent: str | None = None
    peer_group: str | None = None

    @property
    def is_peer(self) -> bool:
        """Whether this is another institution (compared with), not one of NTNU's units."""
        return self.peer_group is not None


@dataclass(frozen=True)
class Institution:
    """Another institution from institutions.toml: code, name, kind (group), DBH code, aliases."""

    code: str
    name: str
    group: str
    dbh: str | None
    aliases: tuple[str, ...]


@lru_cache(maxsize=1)
def institutions() -> dict[str, Institution]:
    """The peer institutions of institutions.toml, by code."""
    with (PACKAGE_DIR / "institutions.toml").open("rb") as fh:
        raw = tomllib.load(fh)
    out = {}
    for item in raw.get("institution", []):
        inst = Institution(
            item["code"],
            item["name"],
            item["group"],
            item.get("dbh"),
            tuple(item.get("aliases", [])),
        )
        out[inst.code] = inst
    return out


@lru_cache(maxsize=1)
def _by_name() -> dict[str, Institution]:
    out = {}
    for inst in institutions().values():
        for name in (inst.code, inst.name, *inst.aliases):
            out[normalise(name)] = inst
    return out


@lru_cache(maxsize=1)
def code_table() -> tuple[dict[str, str], dict[str, str]]:
    """unit_codes.toml: institution codes and department codes → Målbilde unit codes."""
    with (PACKAGE_DIR / "unit_codes.toml").open("rb") as fh:
        raw = tomllib.load(fh)
    return dict(raw.get("institution", {})), dict(raw.get("department", {}))


def group_of_name(name: str) -> str:
    """A peer group guessed from an institution's name."""
    norm = normalise(name)
    if re.search(r"universitet|university", norm):
        return UNIVERSITY
    if re.search(r"vitenskapelig", norm):
        return SCIENTIFIC_COLLEGE
    if re.search(r"høgskole|høyskole|høgskule|college|school|akademi", norm):
        return COLLEGE
    return OTHER


def looks_like_institution(text: str) -> bool:
    """Whether a name reads as an institution of a known kind (university, college …)."""
    return group_of_name(text) != OTHER


def code_text(value: object) -> str | None:
    """A code cell as text: 680000.0 → «680000», « 1150 » → «1150»; blank → None."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def department_code(code: str) -> str:
    """A faculty code of three digits as DBH's six-digit department code («680» → «680000»)."""
    return code + "000" if re.fullmatch(r"\d{3}", code) else code


def peer(inst: Institution) -> Entity:
    """The entity of another institution, a peer in the group of its kind."""
    return Entity(inst.code, inst.name, None, inst.group)


def institution(name: str | None, code: str | None) -> tuple[Entity | None, str | None]:
    """The institution a row names (NTNU or a peer), and a note when its code and name disagree
    or the code is unknown. Both None: (None, None)."""
    inst_codes, _ = code_table()
    by_code = None
    if code:
        if code in inst_codes:
            by_code = Entity(inst_codes[code])
        else:
            found = next((i for i in institutions().values() if i.dbh == code), None)
            by_code = peer(found) if found else None
    by_name = None
    if name:
        if units.resolve(name) == NTNU and not _by_name().get(normalise(name)):
            by_name = Entity(NTNU)
        elif normalise(name) in _by_name():
            by_name = peer(_by_name()[normalise(name)])
        else:
            by_name = Entity(name, name, None, group_of_name(name))
    if by_name is not None:
        if by_code is not None and by_code.code != by_name.code:
            return by_name, (
                f"institusjonskoden {code} er {by_code.code} i kodetabellen, men navnet er "
                f"«{name}»; navnet er brukt."
            )
        return by_name, None
    if by_code is not None:
        return by_code, None
    if code:
        label = f"Institusjon {code}"
        return Entity(label, label, None, OTHER), (
            f"institusjonskoden {code} er ukjent; verdiene er lagret under «{label}» som "
            "sammenligningsenhet. Legg institusjonen til i dashboard/institutions.toml."
        )
    return None, None


def ntnu_unit(
    code: str | None, name: str | None, faculty: str | None = None
) -> tuple[Entity | None, str | None]:
    """One of NTNU's units from a DBH code and/or name: the code table first, the name when the
    two disagree; an unknown code is kept as its own unit, with a note. (None, None) when the
    name alone is unknown (the caller refuses the cell)."""
    _, dept_codes = code_table()
    code = department_code(code) if code else None
    by_code = dept_codes.get(code) if code else None
    by_name = units.resolve(name) if name else None
    if by_name and by_code and by_name != by_code:
        return Entity(by_name), (
            f"koden {code} er {by_code} i kodetabellen, men navnet er «{name}» ({by_name}); "
            "navnet er brukt."
        )
    if by_code or by_name:
        found = by_code or by_name
        note = None
        if code and not by_code and code != _WHOLE:
            note = f"koden {code} ({found}) står ikke i kodetabellen; enheten er funnet på navnet"
        return Entity(found), note
    if code is None:
        return None, None
    parent = _parent_of_code(code, faculty)
    unknown_parent = parent not in units.registry()
    return Entity(code, name or code, parent), (
        f"koden {code}{f' («{name}»)' if name else ''} er ukjent; verdiene er lagret under koden "
        f"(under {parent}{', som heller ikke står i kodetabellen' if unknown_parent else ''}). "
        "Legg den til i dashboard/unit_codes.toml."
    )


def _parent_of_code(code: str, faculty: str | None) -> str:
    """The unit above an unknown code, never the code itself: a faculty's code («310000») is
    right below NTNU; a department's is its faculty — by the code table, else the row's
    faculty, else the faculty code its first three digits give («310110» → «310000»)."""
    faculty = faculty if faculty != code else None
    if not re.fullmatch(r"\d{6}", code):
        return faculty or NTNU
    if code.endswith("000"):
        return NTNU
    faculty_code = code[:3] + "000"
    return code_table()[1].get(faculty_code) or faculty or faculty_code


def peer_unit(inst: Entity, code: str | None, name: str | None) -> Entity:
    """A unit of a peer institution (a faculty of UiB): stored under «UiB · <name>»."""
    label = name or code or ""
    return Entity(f"{inst.code} · {label}", label, inst.code, inst.peer_group)


def resolve_any(text: str) -> Entity | None:
    """A unit cell that may name NTNU's units or another institution: NTNU's units first, then
    the institutions listed, then any name that reads as an institution's."""
    known = units.registry()
    upper = text.strip().upper()
    norm = normalise(text)
    if upper in known or any(
        normalise(n) == norm for u in known.values() for n in (u.name, *u.aliases)
    ):
        return Entity(units.resolve(text) or upper)
    if norm in _by_name():
        return peer(_by_name()[norm])
    if looks_like_institution(text):
        return Entity(text.strip(), text.strip(), None, group_of_name(text))
    code = units.resolve(text)
    return Entity(code) if code else None
