"""The faculty's economy figures of a database, and the income shares an import read."""

from __future__ import annotations

from dashboard.model.economy import economy_figures
from dashboard.model.pin import Pin
from dashboard.store.sql import data_version, query


def figures(con, unit: str = "MH"):
    """The read model's economy figures of `unit` at the newest data version."""
    return economy_figures(lambda name, **p: query(con, name, p), Pin(unit, data_version(con)))


def shares(result) -> dict[tuple[str, str], float]:
    """Income shares by (unit, kind) in a parsed income-mix import."""
    return {(r["unit"], r["kind"]): r["share_pct"] for r in result.parsed.tables["income_mix"]}
