"""NTNU's unit hierarchy (NTNU → faculty → department) and finding a unit in free text."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from dashboard.config import PACKAGE_DIR
from dashboard.text import normalise

_CODE = re.compile(r"^[A-ZÆØÅ]{2,6}(-[A-ZÆØÅ]{2,8})?$")
TOP = "NTNU"
# No walk of the unit tree goes further up or down than this (NTNU → faculty → department is 2).
MAX_DEPTH = 32


@dataclass(frozen=True)
class Unit:
    """One of NTNU's units: code, name, parent and other names it goes by."""

    code: str
    name: str
    parent: str | None = None
    aliases: tuple[str, ...] = field(default_factory=tuple)

    @property
    def level(self) -> int:
        """0 for NTNU, 1 for a faculty, 2 below."""
        return 0 if self.parent is None else (1 if self.parent == "NTNU" else 2)


@lru_cache(maxsize=1)
def registry() -> dict[str, Unit]:
    """All known units by code."""
    with (PACKAGE_DIR / "units.toml").open("rb") as fh:
        raw = tomllib.load(fh)
    units = {}
    for item in raw.get("unit", []):
        unit = Unit(item["code"], item["name"], item.get("parent"), tuple(item.get("aliases", [])))
        units[unit.code] = unit
    return units


def ancestors(code: str, parents: Mapping[str, str | None]) -> list[str]:
    """The units above `code`, nearest first, as `parents` (code → parent) gives them. The walk
    ends at the top, at a unit met before (a cycle) and after MAX_DEPTH steps."""
    chain, seen = [], {code}
    up = parents.get(code)
    while up is not None and up not in seen and len(chain) < MAX_DEPTH:
        chain.append(up)
        seen.add(up)
        up = parents.get(up)
    return chain


def makes_cycle(code: str, parent: str | None, parents: Mapping[str, str | None]) -> bool:
    """Would `parent` above `code` make `code` its own ancestor (or the tree deeper than
    MAX_DEPTH)?"""
    if parent is None:
        return False
    if parent == code:
        return True
    chain = ancestors(parent, parents)
    return code in chain or len(chain) >= MAX_DEPTH


def safe_parent(
    code: str, parent: str | None, parents: Mapping[str, str | None], peer: bool = False
) -> str | None:
    """`parent` if it keeps the tree free of cycles; else NTNU (a peer unit: no parent)."""
    if not makes_cycle(code, parent, parents):
        return parent
    fallback = None if peer or code == TOP else TOP
    return None if makes_cycle(code, fallback, parents) else fallback


def level_of(parent: str | None, peer: bool = False) -> int:
    """0 for the top (NTNU, a peer institution), 1 below NTNU (or a peer's unit), else 2."""
    return 0 if parent is None else (1 if parent == TOP or peer else 2)


def looks_like_code(text: str) -> bool:
    """Whether text looks like a unit code («MH», «IE-IDI»)."""
    return bool(_CODE.match(text.strip()))


def parent_of(code: str) -> str | None:
    """Parent of a code: known units from the registry, else the part before «-», else NTNU."""
    known = registry().get(code)
    if known:
        return known.parent
    if "-" in code:
        return code.split("-", 1)[0]
    return "NTNU" if code != "NTNU" else None


def resolve(text: object) -> str | None:
    """A unit code from a cell or token (cached)."""
    return _resolve(None if text is None else str(text))


@lru_cache(maxsize=8192)
def _resolve(text: str | None) -> str | None:
    """A unit code from a cell or token: 'MH', 'mh', 'IOT', 'MH-fakultetet', a unit's full name."""
    if text is None:
        return None
    raw = str(text).strip()
    if not raw:
        return None
    units = registry()
    upper = raw.upper()
    if upper in units:
        return upper
    norm = normalise(raw)
    for unit in units.values():
        names = (unit.code, unit.name, *unit.aliases)
        if any(normalise(n) == norm for n in names):
            return unit.code
    if looks_like_code(raw):
        return upper
    return None


def find_in_text(text: str) -> str | None:
    """Find a unit named in a title: '(MH)', 'Handlingsplan for MH-fakultetet', a full unit name."""
    units = registry()
    for code in re.findall(r"\(([A-ZÆØÅ]{2,6}(?:-[A-ZÆØÅ]{2,8})?)\)", text):
        if code in units or "-" in code:
            return code
    norm = " " + normalise(text) + " "
    best: tuple[int, str] | None = None
    for unit in units.values():
        for name in (unit.name, *unit.aliases):
            n = normalise(name)
            if len(n) >= 4 and f" {n} " in norm and (best is None or len(n) > best[0]):
                best = (len(n), unit.code)
    if best:
        return best[1]
    tokens = [t for t in re.findall(r"\b[A-ZÆØÅ]{2,6}(?:-[A-ZÆØÅ]{2,8})?\b", text) if t in units]
    for token in tokens:
        if token != "NTNU":
            return token
    return "NTNU" if tokens else None


def from_filename(stem: str) -> str | None:
    """'mh_arsplan_2023_status' -> 'MH'; 'iot_resultatmal' -> 'IØT'."""
    units = registry()
    tokens = [t for t in re.split(r"[_\s.]+", stem) if t]
    for token in tokens:
        upper = token.upper()
        if upper in units:
            return upper
        for unit in units.values():
            if any(a.upper() == upper for a in unit.aliases if looks_like_code(a)):
                return unit.code
    return None
