"""Who gets a unit's mail: the addresses granted `rapportør` or `leder` for exactly that unit
in the roles file (dashboard.auth.load_roles), and the unit's `[contacts]` from the config
(dashboard.service.mail). Domains and groups in the roles file name no one to write to."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from dashboard.auth import Roles

REMINDED_ROLES = frozenset({"rapportør", "leder"})
# One plain address: no spaces, commas, angle brackets, quotes or line breaks.
ADDRESS = re.compile(r"[^\s@,;<>\"'()]+@[^\s@,;<>\"'()]+\.[^\s@,;<>\"'()]+")


def is_address(text: str) -> bool:
    """A single plain e-mail address (nothing a header could be split or extended by)."""
    return bool(ADDRESS.fullmatch(text))


def granted(roles: Roles, unit: str) -> list[str]:
    """The addresses granted `rapportør` or `leder` for `unit` itself, sorted."""
    return sorted(
        email
        for email, grants in roles.users.items()
        if any(g.unit == unit and g.role in REMINDED_ROLES for g in grants)
    )


def _as_list(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return [str(v) for v in value]
    return []


def unit_addresses(roles: Roles, unit: str, contacts: Mapping[str, object]) -> list[str]:
    """Everyone a unit's reminder goes to: its reporters and leaders, then its contacts;
    each address once (compared without case), in that order."""
    out: dict[str, str] = {}
    for address in granted(roles, unit) + _as_list(contacts.get(unit, ())):
        address = address.strip()
        if address:
            out.setdefault(address.lower(), address)
    return list(out.values())
