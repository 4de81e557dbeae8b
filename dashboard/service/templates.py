"""The upload templates «Last opp» offers (one blank workbook per layout), for the pages: they
are built by `dashboard.ingest.templates`, which pages do not import."""

from __future__ import annotations

from dashboard.ingest import templates


def available() -> dict[str, str]:
    """{template key: its Norwegian name}, this year's templates."""
    return templates.available()


def build(key: str) -> bytes:
    """The template for one layout (this year's), as .xlsx bytes."""
    return templates.build(key)
