"""Space: the kvm to give up per årsverk saved at each level, and the space per building type."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from dashboard.numbers import fmt_int, fmt_pct

LEVEL_ORDER = ("Institutt", "Fakultet", "NTNU")
LEVEL_WORDS = {"Institutt": "instituttnivå", "Fakultet": "fakultetsnivå", "NTNU": "NTNU-nivå"}


@dataclass
class SpaceFigures:
    """`rows`: economy_space rows."""

    unit: str
    rows: pd.DataFrame

    @cached_property
    def levels(self) -> pd.DataFrame:
        """Per level: kr per kvm and the kvm to give up to save one årsverk (stated, or the
        cost of an årsverk ÷ kr per kvm)."""
        r = self.rows[self.rows["level"].notna() & self.rows["kr_per_kvm"].notna()].copy()
        computed = r["fte_cost_kr"] / r["kr_per_kvm"]
        r["kvm_per_fte"] = r["kvm_per_fte"].fillna(computed)
        r["order"] = [
            LEVEL_ORDER.index(x) if x in LEVEL_ORDER else len(LEVEL_ORDER) for x in r["level"]
        ]
        r = r.sort_values("order", kind="stable")
        return r[["level", "kr_per_kvm", "kvm_per_fte"]].reset_index(drop=True)

    @cached_property
    def buildings(self) -> pd.DataFrame:
        """Per building type: kvm and share of the unit's space."""
        r = self.rows[self.rows["building_type"].notna() & self.rows["kvm"].notna()]
        out = r.groupby("building_type", sort=False)["kvm"].sum().reset_index()
        total = out["kvm"].sum()
        out["share"] = out["kvm"] / total if total else None
        return out.sort_values("kvm", ascending=False, kind="stable").reset_index(drop=True)

    @cached_property
    def subtitle(self) -> str:
        """The line under the chart of space per level (page and slide)."""
        return "Kvm som må kuttes for å spare ett årsverk, og kr per kvm"

    @cached_property
    def has_levels(self) -> bool:
        """Whether any level has kvm per årsverk (the chart has something to draw)."""
        return not self.levels.dropna(subset=["kvm_per_fte"]).empty

    @cached_property
    def title(self) -> str:
        """«Å spare ett årsverk krever 1 000 kvm kuttet på instituttnivå, 175 på NTNU-nivå»;
        without levels the buildings' title, else «Arealet til MH»."""
        lv = self.levels.dropna(subset=["kvm_per_fte"])
        if lv.empty:
            return self.buildings_title or f"Arealet til {self.unit}"
        first, last = lv.iloc[0], lv.iloc[-1]
        text = (
            f"Å spare ett årsverk krever {fmt_int(first['kvm_per_fte'])} kvm kuttet på "
            f"{LEVEL_WORDS.get(first['level'], first['level'])}"
        )
        if len(lv) > 1:
            text += f", {fmt_int(last['kvm_per_fte'])} på {LEVEL_WORDS.get(last['level'], last['level'])}"
        return text

    @cached_property
    def buildings_title(self) -> str | None:
        """«54 % av arealet ligger i sykehusbygg»: the largest building type (None: no types)."""
        b = self.buildings
        if b.empty:
            return None
        top = b.iloc[0]
        return f"{fmt_pct(top['share'], 0)} av arealet ligger i {str(top['building_type']).lower()}"
