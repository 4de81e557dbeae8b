"""Sign-in and roles: `leser` (read), `økonomi` (upload, undo), `admin` (also the rule table).

With `[auth]` in `.streamlit/secrets.toml`, users sign in with `st.login` (OIDC: Feide,
Microsoft Entra ID, any OIDC provider) and get their role from a roles file mapping e-mail
addresses or domains to roles. Without `[auth]`, the app runs in local mode for one person.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from dashboard.config import ROOT

ROLES = ("leser", "økonomi", "admin")
RANK = {role: i for i, role in enumerate(ROLES)}


@dataclass(frozen=True)
class User:
    email: str | None
    name: str | None
    role: str
    local: bool = False

    def can(self, role: str) -> bool:
        return RANK[self.role] >= RANK[role]

    @property
    def label(self) -> str:
        return self.email or self.name or "lokal bruker"


def roles_path() -> Path:
    return Path(os.environ.get("MALBILDE_ROLES", ROOT / ".streamlit" / "roles.toml"))


def load_roles(path: Path | None = None) -> dict:
    """{'users': {email: role}, 'domains': {domain: role}, 'default': role}."""
    path = path or roles_path()
    if not path.exists():
        return {"users": {}, "domains": {}, "default": "leser"}
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    config = {
        "users": {k.lower(): v for k, v in raw.get("users", {}).items()},
        "domains": {k.lower().lstrip("@"): v for k, v in raw.get("domains", {}).items()},
        "default": raw.get("default", "leser"),
    }
    for role in [*config["users"].values(), *config["domains"].values(), config["default"]]:
        if role not in ROLES:
            raise ValueError(f"Ukjent rolle «{role}» i {path}; gyldige roller: {', '.join(ROLES)}")
    return config


def role_for(email: str | None, config: dict) -> str:
    """The role of an e-mail address: its own entry, else its domain's, else the default."""
    if not email:
        return config["default"]
    email = email.lower()
    if email in config["users"]:
        return config["users"][email]
    domain = email.rsplit("@", 1)[-1]
    parts = domain.split(".")
    for i in range(len(parts) - 1):
        candidate = ".".join(parts[i:])
        if candidate in config["domains"]:
            return config["domains"][candidate]
    return config["default"]


LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
OPEN_NETWORK_ENV = "MALBILDE_APEN_UTEN_INNLOGGING"


def exposure(address: str | None, opted_in: bool) -> str | None:
    """Local mode (no `[auth]`) gives everyone all rights, so it is served on loopback only.
    Returns None on loopback; for any other address a refusal, or — with the explicit opt-in
    (MALBILDE_APEN_UTEN_INNLOGGING=1) — «open», shown as a loud warning."""
    if address and (address in LOOPBACK or address.startswith("127.")):
        return None
    return "open" if opted_in else "refused"
