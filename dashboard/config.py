"""Settings from environment variables (CLI flags override them)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "malbilde.duckdb"
PACKAGE_DIR = Path(__file__).resolve().parent
EDITED_RULES = ROOT / "data" / "status_categories.toml"


def _int_env(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value.isdigit() else default


@dataclass(frozen=True)
class Settings:
    """Everything an administrator may tune; see README «Konfigurasjon»."""

    db_path: Path
    max_upload_mb: int = 25
    max_unpacked_mb: int = 400
    parse_timeout_s: int = 60
    parse_memory_mb: int = 2048
    bulk_sheet_bytes: int = 4_000_000
    warm_parser: bool = True  # keep a parsing child started ahead of the next import
    warm_pdf: bool = True  # keep a Chromium open for «Lag PDF» (dashboard.present.pdf_printer)
    status_rules: Path = PACKAGE_DIR / "rules" / "status_categories.toml"
    shared_store: bool = False  # several app processes on one store (dashboard.store.shared)

    @classmethod
    def from_env(cls, db_path: str | Path | None = None) -> Settings:
        """Settings from the environment (MALBILDE_*), with the defaults for what is not set."""
        db = db_path or os.environ.get("MALBILDE_DB") or DEFAULT_DB
        rules = os.environ.get("MALBILDE_STATUS_RULES")
        if not rules and EDITED_RULES.exists():  # the administrator's edited copy (page «Last opp»)
            rules = str(EDITED_RULES)
        return cls(
            db_path=Path(db),
            max_upload_mb=_int_env("MALBILDE_MAX_UPLOAD_MB", 25),
            max_unpacked_mb=_int_env("MALBILDE_MAX_UNPACKED_MB", 400),
            parse_timeout_s=_int_env("MALBILDE_PARSE_TIMEOUT", 60),
            parse_memory_mb=_int_env("MALBILDE_PARSE_MEMORY_MB", 2048),
            warm_parser=_int_env("MALBILDE_WARM_PARSER", 1) != 0,
            warm_pdf=_int_env("MALBILDE_WARM_PDF", 1) != 0,
            status_rules=Path(rules) if rules else PACKAGE_DIR / "rules" / "status_categories.toml",
            shared_store=_int_env("MALBILDE_SHARED_STORE", 0) != 0,
        )
