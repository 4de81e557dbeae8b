"""What a plan needs to be realistic, read from a measure's row: owner and owning unit,
resource need (1000 kr, hours, årsverk) and funding granted, risk with its reason, priority.
Optional columns of the status layouts; a missing value is missing (None), never zero, and a
risk or number that cannot be read is refused by its cell."""

from __future__ import annotations

from typing import Any

from dashboard import units, vocab
from dashboard.ingest.headers import normalise
from dashboard.ingest.layouts.common import SheetView

_RISK = {word: level for level, words in vocab.RISK_WORDS.items() for word in words}


def risk_level(text: str | None) -> str | None:
    """«Høy», «high», «3 - høy», «Middels risiko» → the level; None for blank or unknown."""
    norm = normalise(text)
    if not norm:
        return None
    if norm in _RISK:
        return str(_RISK[norm])
    for word in norm.split():
        if word in _RISK and not word.isdigit() and len(word) > 1:
            return str(_RISK[word])
    first = norm.split()[0]
    return str(_RISK[first]) if first.isdigit() and first in _RISK else None


def read_resources(view: SheetView, r: int, cols: dict[str, int]) -> dict[str, Any]:
    """The row's resource fields (only those whose column the sheet has; the rest None)."""
    out: dict[str, Any] = dict.fromkeys(vocab.RESOURCE_FIELDS)
    for field in ("owner", "risk_reason", "priority"):
        if field in cols:
            out[field] = view.text(r, cols[field])
    for field, what in (
        ("need_knok", "et beløp i 1000 kr"),
        ("granted_knok", "et beløp i 1000 kr"),
        ("need_hours", "et antall timer"),
        ("need_fte", "et antall årsverk"),
    ):
        if field in cols:
            value = view.number(r, cols[field], what)
            if value is not None and value < 0:
                raise view.error(
                    r, cols[field], f"forventet {what} (ikke negativt), fant «{value}»."
                )
            out[field] = value
    if "owning_unit" in cols:
        raw = view.text(r, cols["owning_unit"])
        out["owning_unit"] = (units.resolve(raw) or raw) if raw else None
    if "risk" in cols:
        raw = view.text(r, cols["risk"])
        if raw is not None:
            level = risk_level(raw)
            if level is None:
                raise view.error(
                    r, cols["risk"], f"forventet risiko lav, middels eller høy, fant «{raw}»."
                )
            out["risk"] = level
    return out
