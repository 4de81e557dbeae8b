"""What a plan needs to be realistic, read from a measure's row: owner and owning unit,
resource need (1000 kr, hours, årsverk) and funding granted, risk with its reason, priority.
Optional columns of the status layouts; a missing value is missing (None), never zero, and a
risk or number that cannot be read is refused by its cell."""

from __future__ import annotations

import re
from typing import Any

from dashboard import units, vocab
from dashboard.ingest.layouts.common import Parsed, SheetView, amount_scale
from dashboard.text import normalise

_RISK = {word: level for level, words in vocab.RISK_WORDS.items() for word in words}


def risk_level(text: str | None) -> str | None:
    """«Høy», «high», «3 - høy», «Middels risiko» → the level; None for blank or unknown."""
    norm = normalise(text)
    if not norm:
        return None
    if norm in _RISK:
        return str(_RISK[norm])
    levels = {
        _RISK[word]
        for word in re.split(r"\W+", norm)
        if word in _RISK and not word.isdigit() and len(word) > 1
    }
    if len(levels) > 1:  # «lav til middels»: not one level, so not read (refused by its cell)
        return None
    if levels:
        return str(levels.pop())
    first = norm.split()[0]
    return str(_RISK[first]) if first.isdigit() and first in _RISK else None


AMOUNTS = ("need_knok", "granted_knok", "need_hours", "need_fte")


def read_resources(view: SheetView, r: int, cols: dict[str, int]) -> dict[str, Any]:
    """The row's resource fields (only those whose column the sheet has; the rest None). An
    amount merged across several measures' rows is read once, on the first (`warn_merged`
    says so); its copies in the rows below are left out, not counted again."""
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
        if field in cols and (r, cols[field]) not in view.sheet.merge_copies:
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


def scale_amounts(
    view: SheetView, header_row: int, cols: dict[str, int], rows: list[dict], out: Parsed
) -> None:
    """Resource amounts headed in kroner or millions («Ressursbehov (kr)», «Finansiert (mill.
    kr)», also in a group heading above) are stored in 1000 kr, with a note naming the column."""
    for field in ("need_knok", "granted_knok"):
        if field not in cols:
            continue
        c = cols[field]
        heads = [view.text(header_row, c), view.text(header_row - 1, c) if header_row else None]
        factor, note = amount_scale(heads)
        if factor != 1.0:
            for row in rows:
                if row.get(field) is not None:
                    row[field] = row[field] * factor
            out.warnings.append(f"{view.name}!{view.ref(header_row, c)} «{heads[0]}»: {note}")


def warn_merged(view: SheetView, header_row: int, cols: dict[str, int], out: Parsed) -> None:
    """Amounts merged across several measures' rows (read once, on the first) named in a
    warning, with the cells they are not counted in."""
    for field in AMOUNTS:
        if field not in cols:
            continue
        shared = sorted(
            r for r, c in view.sheet.merge_copies if c == cols[field] and r > header_row
        )
        if shared:
            cells = ", ".join(view.ref(r, cols[field]) for r in shared[:5])
            out.warnings.append(
                f"{view.name}: beløpet i en sammenslått celle gjelder flere tiltak sammen; "
                f"det er ført på det første tiltaket, ikke på {cells}"
                + (" …" if len(shared) > 5 else "")
                + "."
            )
