"""The versions a view shows, resolved once per run into one value: a pin.

A pin names the unit, the plan and reporting round, the prognosis version, and the import event
the data is taken as of. Current data is the newest event; a link that carries `per=<event>`
shows the data exactly as it stood then, whatever was uploaded, undone or rolled back later.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from dashboard.errors import UserError

Query = Callable[..., pd.DataFrame]
PLAN_SEPARATOR = " · "


class PinRefused(UserError):
    """A pinned link names a version the unit does not have."""


@dataclass(frozen=True)
class Pin:
    """What a view shows: `event` is the newest import event taken into account."""

    unit: str
    event: int
    plan: str | None = None
    round: str | None = None
    label: str | None = None  # prognosis version; None = the newest

    def to_params(self) -> dict[str, str]:
        """The pin as URL parameters (the unit travels in «enhet», bound to its widget)."""
        params = {"per": str(self.event)}
        if self.plan and self.round:
            params["rapport"] = f"{self.plan}{PLAN_SEPARATOR}{self.round}"
        if self.label:
            params["prognose"] = self.label
        return params


def event_of_import(q: Query, import_id: int) -> int:
    """The event that stored an import (for links made before pins named events)."""
    row = q("import_states", import_id=int(import_id)).iloc[0]
    return int(row["stored_at"]) if pd.notna(row["stored_at"]) else int(row["newest_event"])


def resolve(
    q: Query,
    unit: str,
    event: int,
    plan: str | None = None,
    round_: str | None = None,
    label: str | None = None,
) -> Pin:
    """Fill in what is not chosen: the unit's first plan and its newest round, the newest
    prognosis version — all as they stood at `event`."""
    plans = q("plan_summary", unit=unit, event=event)
    if plan is None and not plans.empty:
        plan = str(plans.iloc[0]["plan"])
    if plan is not None and round_ is None:
        rounds = plans[plans["plan"] == plan]
        round_ = str(rounds.iloc[0]["round"]) if not rounds.empty else None
    if label is None:
        versions = q("prognosis_versions", unit=unit, event=event)
        label = str(versions.iloc[0]["label"]) if not versions.empty else None
    return Pin(unit, event, plan, round_, label)


def from_params(q: Query, unit: str, params: Mapping[str, Any], newest_event: int) -> Pin | None:
    """The pin a deck link carries (`per`, `rapport`, `prognose`), checked against the unit;
    None when the link pins nothing. Old links (`data` = an import id) still open."""
    try:
        if "per" in params:
            event = int(params["per"])
        elif "data" in params:
            event = event_of_import(q, int(params["data"]))
        else:
            return None
    except (TypeError, ValueError):
        raise PinRefused(
            "Lenken har en ugyldig dataversjon («per» må være et helt tall)."
        ) from None
    if event < 0 or event > newest_event:
        raise PinRefused(f"Lenken viser til dataversjon {event}, som ikke finnes.")
    plan = round_ = None
    report = params.get("rapport")
    if isinstance(report, str) and PLAN_SEPARATOR in report:
        plan, round_ = report.split(PLAN_SEPARATOR, 1)
    label = params.get("prognose")
    label = label if isinstance(label, str) and not label.isdigit() else None
    pin = resolve(q, unit, event, plan, round_, label)
    check(q, pin)
    return pin


def check(q: Query, pin: Pin) -> None:
    """Refuse a pin whose report or prognosis version is not the unit's (a link mixing units)."""
    if pin.plan and pin.round:
        plans = q("plan_summary", unit=pin.unit, event=pin.event)
        mine = plans[(plans["plan"] == pin.plan) & (plans["round"] == pin.round)]
        if mine.empty:
            raise PinRefused(
                f"Lenken viser til rapporten «{pin.plan}, {pin.round}», som {pin.unit} ikke har."
            )
    if pin.label:
        versions = q("prognosis_versions", unit=pin.unit, event=pin.event)
        if not (versions["label"] == pin.label).any():
            raise PinRefused(f"Lenken viser til prognosen «{pin.label}», som {pin.unit} ikke har.")


def with_label(pin: Pin, label: str | None) -> Pin:
    """The pin with another prognosis version."""
    return replace(pin, label=label)
