"""The cost measures: their planned and realised effect, their link to the plan's measures, and
the cost trajectory with and without them against the target."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from dashboard.model.economy.common import mill
from dashboard.numbers import fmt_int
from dashboard.text import normalise


def plan_status_text(score: object, category: object, text: object) -> str | None:
    """A plan measure's newest status in words: «Utsatt: pga økonomi», «3 – Under arbeid»."""
    if pd.notna(text) and text:
        return str(text)
    if pd.notna(score):
        return f"{int(score)} – {category}" if pd.notna(category) else str(int(score))
    return None if pd.isna(category) else str(category)


def find_plan_measure(text: str, plan_measures: pd.DataFrame) -> dict | None:
    """The stored plan measure a text names (its title or key, case and punctuation aside)."""
    key = normalise(text)
    if not key or plan_measures.empty:
        return None
    for m in plan_measures.to_dict("records"):
        if key in (normalise(m["title"]), m["measure_key"], m["measure_key"].split(" | ")[0]):
            return m
    return None


def unknown_plan_refs(records: list[dict], plan_measures: pd.DataFrame, unit: str) -> list[str]:
    """Warnings for cost measures naming a plan measure that is not stored (naming the cell)."""
    out, seen = [], set()
    for r in records:
        ref, cell = r.get("plan_ref"), r.get("plan_ref_cell")
        if ref and cell not in seen and find_plan_measure(ref, plan_measures) is None:
            seen.add(cell)
            out.append(
                f"{cell}: fant ikke tiltaket «{ref}» i planene til {unit}; kostnadstiltaket "
                "er lagret uten kobling til planen."
            )
    return out


@dataclass
class CostFigures:
    """`rows`: economy_costs rows (measures and the trajectory lines); `plan_measures`:
    economy_plan_measures rows (the unit's plan measures with their newest status)."""

    unit: str
    rows: pd.DataFrame
    plan_measures: pd.DataFrame | None = None

    def _line(self, kind: str) -> pd.Series:
        r = self.rows[(self.rows["row_kind"] == kind) & self.rows["year"].notna()]
        return r.groupby(r["year"].astype(int))["amount_knok"].sum()

    @cached_property
    def measures(self) -> pd.DataFrame:
        """Per measure: name, status, planned effect in all, realised, share realised."""
        m = self.rows[self.rows["row_kind"] == "measure"]
        out = m.groupby("seq", sort=True).agg(
            name=("name", "first"),
            status=("status", "first"),
            planned=("amount_knok", lambda s: float(s.fillna(0).sum())),
            realised=("realised_knok", "first"),
        )
        out["share"] = [
            (r / p) if p and pd.notna(r) else None
            for r, p in zip(out["realised"], out["planned"], strict=True)
        ]
        links = self._links
        for i, column in enumerate(("plan_measure", "plan_status")):
            out[column] = pd.Series(
                [links.get(seq, (None, None))[i] for seq in out.index],
                index=out.index,
                dtype=object,
            )
        return out.reset_index(drop=True)

    @cached_property
    def linked(self) -> list[dict]:
        """The cost measures that are plan measures: name, plan measure, its status, effects."""
        return [m for m in self.measures.to_dict("records") if isinstance(m["plan_measure"], str)]

    @cached_property
    def _refs(self) -> pd.DataFrame:
        m = self.rows[self.rows["row_kind"] == "measure"]
        cols = ["seq", "name", "plan_ref", "plan_ref_cell"]
        return m[[c for c in cols if c in m.columns]].drop_duplicates("seq")

    @cached_property
    def _links(self) -> dict[int, tuple[str, str | None]]:
        """Each cost measure that names a stored plan measure (in «Tiltak i plan», or by its own
        title), by seq: (the plan's measure «title (plan)», its newest status)."""
        plans = self.plan_measures if self.plan_measures is not None else pd.DataFrame()
        out = {}
        for r in self._refs.to_dict("records"):
            ref = r.get("plan_ref")
            found = find_plan_measure(ref if pd.notna(ref) and ref else r["name"], plans)
            if found is not None:
                status = plan_status_text(found["score"], found["category"], found["status_text"])
                out[r["seq"]] = (f"{found['title']} ({found['plan']})", status)
        return out

    @cached_property
    def unlinked(self) -> list[tuple[str, str]]:
        """(text, cell) of each plan measure a cost measure names that is not stored."""
        return [
            (str(r["plan_ref"]), str(r["plan_ref_cell"]))
            for r in self._refs.to_dict("records")
            if pd.notna(r.get("plan_ref")) and r.get("plan_ref") and r["seq"] not in self._links
        ]

    @cached_property
    def measures_heading(self) -> str:
        """«5 tiltak: planlagt og realisert effekt (1000 kr)» over the table of measures."""
        return f"{len(self.measures)} tiltak: planlagt og realisert effekt (1000 kr)"

    @cached_property
    def link_lines(self) -> list[tuple[str, str, str, str]]:
        """Per linked measure: (name, plan measure, its latest status, «planlagt …,
        realisert …»)."""
        return [
            (
                str(m["name"]),
                str(m["plan_measure"]),
                m["plan_status"] or "ingen status rapportert",
                f"planlagt {fmt_int(m['planned'])}, realisert {fmt_int(m['realised'])}",
            )
            for m in self.linked
        ]

    @cached_property
    def unlinked_texts(self) -> list[str]:
        """The warning per named plan measure that is not stored, with its cell."""
        return [
            f"{cell}: fant ikke tiltaket «{text}» i planene til {self.unit}."
            for text, cell in self.unlinked
        ]

    @cached_property
    def links_title(self) -> str | None:
        """«2 av 5 kostnadstiltak er tiltak i planen» (None when none names one)."""
        if not self._links and not self.unlinked:
            return None
        return f"{len(self._links)} av {len(self._refs)} kostnadstiltak er tiltak i planen"

    @cached_property
    def trajectory(self) -> pd.DataFrame:
        """Per year: planned effect that year and accumulated, cost without and with the
        measures, the target (1000 kr; missing where the workbook does not say)."""
        effect = self._line("measure")
        years = sorted(set(effect.index) | set(self._line("baseline").index))
        out = pd.DataFrame({"year": years})
        out["effect"] = [float(effect.get(y, 0.0)) for y in years]
        out["effect_acc"] = out["effect"].cumsum()
        base, target = self._line("baseline"), self._line("target")
        out["without"] = [float(base[y]) if y in base.index else None for y in years]
        out["with"] = out["without"] - out["effect_acc"]
        out["target"] = [float(target[y]) if y in target.index else None for y in years]
        return out

    @cached_property
    def last_year(self) -> int:
        """The trajectory's last year."""
        return int(self.trajectory["year"].iloc[-1])

    @cached_property
    def planned(self) -> float:
        """The measures' planned effect in all (by the last year), 1000 kr."""
        return float(self.measures["planned"].sum())

    @cached_property
    def realised(self) -> float:
        """The measures' realised effect in all, 1000 kr (none stated counts as 0)."""
        return float(self.measures["realised"].fillna(0).sum())

    @cached_property
    def realised_share(self) -> float | None:
        """Realised ÷ planned effect (None: nothing planned)."""
        return self.realised / self.planned if self.planned else None

    @cached_property
    def gap(self) -> float | None:
        """Cost with the measures − the target in the last year (positive: still above)."""
        last = self.trajectory.iloc[-1]
        if pd.isna(last["with"]) or pd.isna(last["target"]):
            return None
        return float(last["with"] - last["target"])

    @cached_property
    def subtitle(self) -> str:
        """The line under the cost trajectory (page and slide)."""
        share = f", {fmt_int(100 * self.realised_share)} % realisert" if self.realised_share else ""
        return f"Kostnad med og uten tiltak og målet, 1000 kr · {self.gap_title}{share}"

    @cached_property
    def title(self) -> str:
        """«Tiltakene tar inn 9,8 av 16 mill. kr planlagt innen 2027»."""
        return (
            f"Tiltakene tar inn {mill(self.realised)} av {mill(self.planned)} mill. kr "
            f"planlagt innen {self.last_year}"
        )

    @cached_property
    def gap_title(self) -> str:
        """«Med tiltakene ligger kostnaden 5 mill. kr over målet i 2027», or «… når kostnaden
        målet …»; the title when the gap is not known."""
        if self.gap is None:
            return self.title
        if self.gap <= 0:
            return f"Med tiltakene når kostnaden målet i {self.last_year}"
        return (
            f"Med tiltakene ligger kostnaden {mill(self.gap)} mill. kr over målet i "
            f"{self.last_year}"
        )
