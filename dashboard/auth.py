"""Sign-in and rights per unit.

Roles, lowest first: `leser` (read), `rapportør` (answer a reporting round for the unit: drafts,
«Send inn», comments), `leder` (also approve or send back a round's answers, comment),
`økonomi` (also upload, undo, roll back, run reporting rounds and reminders), `admin` (also the
rule table). A role is given for a unit and holds for everything below it (`leder` of MH-INB,
`økonomi` of MH, `admin` of NTNU), to e-mail addresses, e-mail domains or groups from the ID
token, in `.streamlit/roles.toml` (or the file `MALBILDE_ROLES` names).

With `[auth]` in `.streamlit/secrets.toml`, users sign in with `st.login` (OIDC: Feide,
Microsoft Entra ID, any OIDC provider). Without `[auth]`, the app runs in local mode for one
person with every right, on loopback only.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from dashboard.config import ROOT
from dashboard.errors import UserError

ROLES = ("leser", "rapportør", "leder", "økonomi", "admin")
RANK = {role: i for i, role in enumerate(ROLES)}
ROOT_UNIT = "NTNU"
ROLE_WORDS = {
    "leser": "lese",
    "rapportør": "svare i rapporteringsrunder",
    "leder": "godkjenne svar",
    "økonomi": "laste opp og styre rapporteringsrunder",
    "admin": "administrere",
}

Lineage = Callable[[str], list[str]]


class NotAllowed(UserError):
    """A user tried something their role for that unit does not allow."""


class RolesFileError(ValueError):
    """The roles file cannot be read (named with the entry at fault)."""


@dataclass(frozen=True)
class Grant:
    """A role for a unit and everything below it."""

    role: str
    unit: str = ROOT_UNIT


def lineage(unit: str) -> list[str]:
    """The unit and its ancestors, nearest first (bounded: a cycle or a deep chain ends)."""
    from dashboard.units import parent_of

    out: list[str] = []
    code: str | None = unit
    while code and code not in out and len(out) < 12:
        out.append(code)
        code = parent_of(code)
    return out


@dataclass(frozen=True)
class User:
    """A signed-in user (or the local user) with their grants."""

    email: str | None
    name: str | None
    grants: tuple[Grant, ...] = ()
    local: bool = False
    listed: bool = True  # named in the roles file (by address, domain or group)
    groups: tuple[str, ...] = field(default=(), compare=False)

    def can(self, role: str, unit: str | None = None, tree: Lineage = lineage) -> bool:
        """The user holds `role` (or a higher one) for `unit` — through a grant for it or a
        unit above it; with no unit, for any unit."""
        need = RANK[role]
        if unit is None:
            return any(RANK[g.role] >= need for g in self.grants)
        above = set(tree(unit))
        return any(RANK[g.role] >= need and g.unit in above for g in self.grants)

    def units_for(self, role: str) -> list[str]:
        """The units the user holds `role` or higher for (each with everything below it)."""
        need = RANK[role]
        return sorted({g.unit for g in self.grants if RANK[g.role] >= need})

    @property
    def role(self) -> str:
        """The highest role the user holds anywhere («leser» with none)."""
        return max((g.role for g in self.grants), key=RANK.__getitem__, default="leser")

    @property
    def label(self) -> str:
        """How the user is named on the page: e-mail, else name, else «lokal bruker»."""
        return self.email or self.name or "lokal bruker"

    @property
    def rights_text(self) -> str:
        """«leder for MH-INB, økonomi for MH» — what the user may do, for the sidebar."""
        if not self.grants:
            return "ingen roller"
        return ", ".join(f"{g.role} for {g.unit}" for g in self.grants)

    @property
    def rights_sentence(self) -> str:
        """«Rolle: leder for MH-INB og enhetene under (kan godkjenne svar).» for the sidebar."""
        if not self.grants:
            return "Ingen roller."
        parts = [
            f"{g.role} for {g.unit} og enhetene under (kan {ROLE_WORDS[g.role]})"
            for g in self.grants
        ]
        return ("Rolle: " if len(parts) == 1 else "Roller: ") + "; ".join(parts) + "."


LOCAL_USER = User(None, "lokal bruker", (Grant("admin", ROOT_UNIT),), local=True)


def require(user: User | None, role: str, unit: str, what: str, tree: Lineage = lineage) -> None:
    """Refuse (NotAllowed) unless `user` holds `role` for `unit`; `what` says the action
    («laste opp for MH-INB»)."""
    if user is not None and user.can(role, unit, tree):
        return
    who = user.label if user is not None else "ingen innlogget bruker"
    raise NotAllowed(
        f"{who} har ikke lov til å {what}: det krever rollen «{role}» for {unit} eller en enhet "
        "over den."
    )


def acting(user: User | str | None) -> User:
    """The user a service acts for. A signed-in `User` as given (the pages pass theirs); a
    plain label or None is the command line's (and scripts') local user, with every right and
    the label recorded as who did it (`--user NAME`)."""
    if isinstance(user, User):
        return user
    return replace(LOCAL_USER, name=str(user)) if user else LOCAL_USER


def require_each(
    user: User | None, role: str, units: Iterable[str], what: Callable[[str], str]
) -> None:
    """`require` for every unit (the first one refused raises); `what(unit)` says the action."""
    for unit in units:
        require(user, role, unit, what(unit))


def roles_path() -> Path:
    """The roles file: $MALBILDE_ROLES, else .streamlit/roles.toml."""
    return Path(os.environ.get("MALBILDE_ROLES", ROOT / ".streamlit" / "roles.toml"))


@dataclass(frozen=True)
class Roles:
    """The roles file: grants per address, domain and group, restricted units."""

    users: dict[str, tuple[Grant, ...]] = field(default_factory=dict)
    domains: dict[str, tuple[Grant, ...]] = field(default_factory=dict)
    groups: dict[str, tuple[Grant, ...]] = field(default_factory=dict)
    default: tuple[Grant, ...] = (Grant("leser"),)
    restricted: frozenset[str] = frozenset()

    def grants_for(self, email: str | None, groups: Iterable[str] = ()) -> tuple[tuple, bool]:
        """(grants, listed): the address's own, its domain's and its groups'; the default
        when none of them is named."""
        found: list[Grant] = []
        email = (email or "").strip().lower()
        found += self.users.get(email, ())
        domain = email.rsplit("@", 1)[-1] if "@" in email else ""
        parts = domain.split(".") if domain else []
        for i in range(len(parts) - 1):
            found += self.domains.get(".".join(parts[i:]), ())
        for group in groups:
            found += self.groups.get(str(group).strip().lower(), ())
        if not found:
            return self.default, False
        return tuple(dict.fromkeys(found)), True

    def user(self, email: str | None, name: str | None, groups: Iterable[str] = ()) -> User:
        """The user with the grants their e-mail, domain and groups have (the default with none)."""
        groups = tuple(str(g) for g in groups)
        grants, listed = self.grants_for(email, groups)
        return User(email, name, grants, listed=listed, groups=groups)

    def may_read(self, user: User | None, unit: str, tree: Lineage = lineage) -> bool:
        """Reading is open to every signed-in user, except a restricted unit (or one below
        it), which needs a grant of its own for it or a unit above it (not the default)."""
        if user is None:
            return False
        line = tree(unit)
        if not self.restricted.intersection(line) or user.local:
            return True
        return user.listed and user.can("leser", unit, tree)


def _grant(entry: object, where: str, path: Path) -> Grant:
    if isinstance(entry, str):
        role, unit = entry, ROOT_UNIT
    elif isinstance(entry, dict):
        role, unit = entry.get("role"), str(entry.get("unit") or ROOT_UNIT).strip()
    else:
        raise RolesFileError(f"{path}: {where} skal være en rolle eller {{role, unit}}")
    if role not in ROLES:
        raise RolesFileError(
            f"{path}: ukjent rolle «{role}» ({where}); gyldige roller: {', '.join(ROLES)}"
        )
    return Grant(role, unit.upper() if unit.isascii() else unit)


def _grants(value: object, where: str, path: Path) -> tuple[Grant, ...]:
    entries = value if isinstance(value, list) else [value]
    return tuple(_grant(e, where, path) for e in entries)


def _table(raw: dict, name: str, path: Path, strip: str = "") -> dict[str, tuple[Grant, ...]]:
    return {
        k.strip().lower().lstrip(strip): _grants(v, f"[{name}] «{k}»", path)
        for k, v in raw.get(name, {}).items()
    }


def load_roles(path: Path | None = None) -> Roles:
    """Read the roles file; no file: everyone reads, nobody writes (`RolesFileError` on a
    bad entry). Entries: `"ola@ntnu.no" = "admin"` (for all of NTNU),
    `"ola@ntnu.no" = {role = "leder", unit = "MH-INB"}` or a list of such."""
    path = path or roles_path()
    if not path.exists():
        return Roles()
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise RolesFileError(f"{path}: ikke gyldig TOML ({exc})") from None
    default = raw.get("default", "leser")
    return Roles(
        users=_table(raw, "users", path),
        domains=_table(raw, "domains", path, "@"),
        groups=_table(raw, "groups", path),
        default=_grants(default, "default", path) if default else (),
        restricted=frozenset(str(u).strip() for u in raw.get("restricted", [])),
    )


LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
OPEN_NETWORK_ENV = "MALBILDE_APEN_UTEN_INNLOGGING"


def exposure(address: str | None, opted_in: bool) -> str | None:
    """Local mode (no `[auth]`) gives everyone all rights, so it is served on loopback only.
    Returns None on loopback; for any other address a refusal, or — with the explicit opt-in
    (MALBILDE_APEN_UTEN_INNLOGGING=1) — «open», shown as a loud warning."""
    if address and (address in LOOPBACK or address.startswith("127.")):
        return None
    return "open" if opted_in else "refused"
