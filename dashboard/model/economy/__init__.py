"""The faculty's economy as the board sees it (issue 26), as of a pinned view: income mix per
unit and its change from last year; årsverk over the year and against the budget; the cost
trajectory with and without the measures, the gap to the target and how much of the planned
effect is realised; the kvm to give up per årsverk saved at each level; an allocation's total,
gap and what is still to cut. Computed here once for the page, the deck and `summary --json`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from dashboard import units
from dashboard.model.pin import Pin, Query
from dashboard.numbers import MONTHS, fmt_int, fmt_num, fmt_pct
from dashboard.text import normalise
from dashboard.vocab import INCOME_KINDS, PHD_INDICATOR, PHD_PATTERN

KIND_ORDER = tuple(INCOME_KINDS.values())
SORT_KIND = "BOA"  # the kind the departments are sorted by (external funding), when given
LEVEL_ORDER = ("Institutt", "Fakultet", "NTNU")
LEVEL_WORDS = {"Institutt": "instituttnivå", "Fakultet": "fakultetsnivå", "NTNU": "NTNU-nivå"}


def short_unit(code: str, parent: str) -> str:
    """«MH-ISB» under MH → «ISB»; the unit itself → «Sum MH»."""
    if code == parent:
        return f"Sum {parent}"
    prefix = f"{parent}-"
    return code[len(prefix) :] if code.startswith(prefix) else code


def mill(knok: float) -> str:
    """9 800 (1000 kr) → «9,8»; 16 000 → «16» (mill. kr, without the unit)."""
    text = fmt_num(knok / 1000.0, 1)
    return text[:-2] if text.endswith(",0") else text


def period_label(year: int, month: float | None) -> str:
    """(2023, 3) → «mars 2023»; no month → «2023»."""
    return str(year) if month is None or pd.isna(month) else f"{MONTHS[int(month) - 1]} {year}"


# ------------------------------------------------------------------ income mix


@dataclass
class IncomeFigures:
    """`rows`: economy_income rows (every stored year)."""

    unit: str
    rows: pd.DataFrame

    @cached_property
    def year(self) -> int:
        """The newest year with income shares."""
        return int(self.rows["year"].max())

    @cached_property
    def previous_year(self) -> int | None:
        """The stored year before the newest (None: only one year)."""
        years = sorted(int(y) for y in self.rows["year"].unique() if int(y) < self.year)
        return years[-1] if years else None

    def _shares(self, year: int) -> pd.DataFrame:
        rows = self.rows[self.rows["year"] == year]
        piv = rows.pivot_table(index="unit", columns="kind", values="share_pct", aggfunc="sum")
        return piv.reindex(columns=[k for k in KIND_ORDER if k in piv.columns]).fillna(0.0)

    @cached_property
    def kinds(self) -> list[str]:
        """The kinds of income in the newest year, in the vocabulary's order (Basis … Annet)."""
        return list(self._shares(self.year).columns)

    @cached_property
    def sort_kind(self) -> str:
        """The kind the departments are sorted by: BOA when given, else the first kind."""
        return SORT_KIND if SORT_KIND in self.kinds else self.kinds[0]

    @cached_property
    def mix(self) -> pd.DataFrame:
        """The newest year's shares (%) per unit: unit, label, one column per kind; the
        departments sorted by the sort kind (largest first), administration and sum last."""
        piv = self._shares(self.year)
        out = piv.reset_index()
        out.insert(1, "label", [short_unit(u, self.unit) for u in out["unit"]])
        out["rank"] = [2 if u == self.unit else 1 if u.endswith("-ADM") else 0 for u in out["unit"]]
        out = out.sort_values(["rank", self.sort_kind], ascending=[True, False], kind="stable")
        return out.drop(columns="rank").reset_index(drop=True)

    @cached_property
    def departments(self) -> pd.DataFrame:
        """The mix's department rows (without the administration and the unit's sum)."""
        m = self.mix
        return m[(m["unit"] != self.unit) & ~m["unit"].str.endswith("-ADM")]

    @cached_property
    def change(self) -> pd.DataFrame:
        """Share now − share last year (percentage points) per unit and kind (long), the
        largest change first; empty without an earlier year."""
        if self.previous_year is None:
            return pd.DataFrame(columns=["unit", "label", "kind", "before", "now", "change"])
        now = self._shares(self.year).stack().rename("now")
        before = self._shares(self.previous_year).stack().rename("before")
        out = pd.concat([before, now], axis=1, join="inner").reset_index()
        out.columns = ["unit", "kind", "before", "now"]
        out["change"] = out["now"] - out["before"]
        out.insert(1, "label", [short_unit(u, self.unit) for u in out["unit"]])
        order = out["change"].abs().sort_values(ascending=False, kind="stable").index
        return out.loc[order].reset_index(drop=True)

    @cached_property
    def subtitle(self) -> str:
        """The line under the income chart (page and slide)."""
        return (
            f"Andel av inntektene {self.year} per enhet, sortert etter {self.sort_kind} "
            "(BOA = bidrags- og oppdragsfinansiert aktivitet)"
        )

    @cached_property
    def change_heading(self) -> str | None:
        """«Endring fra 2023: …» over the change in shares (None: no earlier year)."""
        return (
            None
            if self.change_title is None
            else (f"Endring fra {self.previous_year}: {self.change_title}")
        )

    @cached_property
    def title(self) -> str:
        """The income chart's title: «ISB henter 41 % av inntektene fra BOA, mest av
        instituttene» (without departments: the unit and the year)."""
        d = self.departments
        if d.empty:
            return f"Inntektene til {self.unit} fordelt på type, {self.year}"
        top = d.iloc[0]
        return (
            f"{top['label']} henter {fmt_pct(top[self.sort_kind], 0, is_fraction=False)} av "
            f"inntektene fra {self.sort_kind}, mest av instituttene"
        )

    @cached_property
    def change_export_title(self) -> str:
        """«Inntektsandeler 2022 og 2023»: the title of the change in shares as Excel."""
        return f"Inntektsandeler {self.previous_year} og {self.year}"

    @cached_property
    def change_title(self) -> str | None:
        """«BOA-andelen ved ISB økte mest fra 2022 til 2023: 3,5 prosentpoeng» (None: nothing
        to compare)."""
        if self.change.empty:
            return None
        c = self.change.iloc[0]
        verb = "økte" if c["change"] > 0 else "falt"
        return (
            f"{c['kind']}-andelen ved {c['label']} {verb} mest fra {self.previous_year} til "
            f"{self.year}: {fmt_num(abs(c['change']))} prosentpoeng"
        )


# ------------------------------------------------------------------ årsverk


@dataclass
class FteFigures:
    """`rows`: economy_fte rows of the unit (and the units below it)."""

    unit: str
    rows: pd.DataFrame

    @cached_property
    def actual(self) -> pd.DataFrame:
        """The actual (not budget) rows of the newest year that has any."""
        r = self.rows[~self.rows["is_budget"].astype(bool)]
        return r[r["year"] == r["year"].max()] if not r.empty else r

    @cached_property
    def year(self) -> int:
        """The year of the actual årsverk."""
        return int(self.actual["year"].max())

    @cached_property
    def series(self) -> pd.DataFrame:
        """Per period and category the årsverk (long), periods in order, with «Sum»."""
        a = self.actual.assign(month=self.actual["month"].astype("Float64"))
        by = a.groupby(["year", "month", "category"], dropna=False, sort=True)["fte"].sum()
        out = by.reset_index()
        total = out.groupby(["year", "month"], dropna=False, sort=True)["fte"].sum().reset_index()
        total["category"] = "Sum"
        out = pd.concat([out, total], ignore_index=True) if out["category"].nunique() > 1 else total
        out["period"] = [period_label(y, m) for y, m in zip(out["year"], out["month"], strict=True)]
        out["order"] = out["year"] * 100 + out["month"].fillna(0).astype(float)
        return out.sort_values(["order", "category"], kind="stable").reset_index(drop=True)

    @cached_property
    def totals(self) -> pd.DataFrame:
        """The series' «Sum» rows: årsverk in all per period."""
        s = self.series
        return s[s["category"] == "Sum"].reset_index(drop=True)

    @cached_property
    def first(self) -> float:
        """Årsverk in all in the first period."""
        return float(self.totals["fte"].iloc[0])

    @cached_property
    def latest(self) -> float:
        """Årsverk in all in the newest period."""
        return float(self.totals["fte"].iloc[-1])

    @cached_property
    def first_period(self) -> str:
        """The first period's label: «januar 2023» (or the year)."""
        return str(self.totals["period"].iloc[0])

    @cached_property
    def latest_period(self) -> str:
        """The newest period's label: «desember 2023» (or the year)."""
        return str(self.totals["period"].iloc[-1])

    @cached_property
    def change(self) -> float:
        """Årsverk in the newest period − in the first."""
        return self.latest - self.first

    @cached_property
    def budget(self) -> float | None:
        """The årsverk the budget assumes for the year (None: no budget row)."""
        b = self.rows[self.rows["is_budget"].astype(bool) & (self.rows["year"] == self.year)]
        return None if b.empty else float(b["fte"].sum())

    @cached_property
    def since_budget(self) -> float | None:
        """Årsverk in the newest period − the årsverk the budget assumed."""
        return None if self.budget is None else self.latest - self.budget

    @cached_property
    def subtitle(self) -> str:
        """The line under the årsverk chart (page and slide)."""
        budget = f" · budsjett {fmt_num(self.budget)}" if self.budget is not None else ""
        return f"Årsverk per periode og kategori{budget}"

    @cached_property
    def title(self) -> str:
        """The årsverk chart's title: «Årsverkene falt med 44,0 fra januar til desember 2023,
        … under budsjett» (one period: its årsverk)."""
        n = len(self.totals)
        first = self.first_period
        if first.endswith(f" {self.year}") and self.latest_period.endswith(f" {self.year}"):
            first = first[: -len(f" {self.year}")]  # «fra januar til desember 2023»
        moved = (
            f"Årsverkene {'falt' if self.change < 0 else 'økte'} med "
            f"{fmt_num(abs(self.change))} fra {first} til {self.latest_period}"
            if n > 1
            else f"{fmt_num(self.latest)} årsverk i {self.latest_period}"
        )
        if self.since_budget is None:
            return moved
        side = "under" if self.since_budget < 0 else "over"
        return f"{moved}, {fmt_num(abs(self.since_budget))} {side} budsjett"


# ------------------------------------------------------------------ cost measures


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


# ------------------------------------------------------------------ space


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


# ------------------------------------------------------------------ grants


@dataclass
class GrantFigures:
    """`rows`: economy_grants rows of one pool; `parts`: economy_pools rows of it."""

    unit: str
    pool: str
    rows: pd.DataFrame
    parts: pd.DataFrame

    @cached_property
    def applicants(self) -> int:
        """How many applied (one row per applicant)."""
        return len(self.rows)

    @cached_property
    def applied(self) -> float | None:
        """The amount applied for in all, kroner (None: no amount stated)."""
        total = self.rows["applied_kr"].sum(min_count=1)
        return None if pd.isna(total) else float(total)

    @cached_property
    def granted(self) -> float:
        """The amount granted in all, kroner."""
        return float(self.rows["granted_kr"].fillna(0).sum())

    @cached_property
    def refused(self) -> int:
        """How many applications were refused."""
        return int(self.rows["refused"].astype(bool).sum())

    @cached_property
    def total(self) -> float | None:
        """What the pool holds: its stated total, else the sum of its parts (kroner)."""
        stated = self.parts[self.parts["is_total"].astype(bool)]
        if not stated.empty:
            return float(stated["amount_kr"].iloc[0])
        parts = self.parts[~self.parts["is_total"].astype(bool)]
        return float(parts["amount_kr"].sum()) if not parts.empty else None

    @cached_property
    def gap(self) -> float | None:
        """Applied for − what the pool holds."""
        return None if self.applied is None or self.total is None else self.applied - self.total

    @cached_property
    def to_cut(self) -> float | None:
        """Granted − what the pool holds: what must still be cut (0 when within it)."""
        return None if self.total is None else max(self.granted - self.total, 0.0)

    @cached_property
    def table(self) -> pd.DataFrame:
        """Applicant, applied, granted, decision — and a «Sum» row."""
        r = self.rows
        decision = [
            "Avslått" if ref else ("Tildelt" if pd.notna(g) else "Ikke avgjort")
            for ref, g in zip(r["refused"].astype(bool), r["granted_kr"], strict=True)
        ]
        out = pd.DataFrame(
            {
                "applicant": r["applicant"].tolist(),
                "applied": r["applied_kr"].tolist(),
                "granted": [
                    None if ref else g for ref, g in zip(r["refused"], r["granted_kr"], strict=True)
                ],
                "decision": decision,
            }
        )
        total = pd.DataFrame(
            [
                {
                    "applicant": f"Sum ({self.applicants} søkere)",
                    "applied": self.applied,
                    "granted": self.granted,
                    "decision": f"{self.refused} avslått",
                }
            ]
        )
        return pd.concat([out, total], ignore_index=True)

    @cached_property
    def totals(self) -> pd.DataFrame:
        """The allocation's figures in one table: applied, the pool and its parts, the gap,
        granted and what must still be cut (kroner)."""
        rows = [("Søkt om", self.applied)]
        for part in self.parts[~self.parts["is_total"].astype(bool)].itertuples():
            rows.append((f"  {part.part}", part.amount_kr))
        rows += [
            ("Til fordeling", self.total),
            ("Differanse (søkt − til fordeling)", self.gap),
            ("Tildelt", self.granted),
            ("Må fortsatt kutte", self.to_cut),
        ]
        return pd.DataFrame(rows, columns=["figure", "amount"])

    @cached_property
    def granted_share(self) -> float | None:
        """The share of the amount applied for that was granted (None: nothing applied)."""
        return self.granted / self.applied if self.applied else None

    @cached_property
    def big_numbers(self) -> list[tuple[str, str]]:
        """The deck's big numbers of the allocation: (number, what it is)."""
        big = []
        if self.applied is not None:
            big.append((f"{fmt_int(self.applied)} kr", f"søkt om av {self.applicants} søkere"))
        if self.total is not None:
            big.append((f"{fmt_int(self.total)} kr", "til fordeling"))
        if self.gap is not None:
            big.append((f"{fmt_int(self.gap)} kr", "differanse"))
        if self.to_cut:
            big.append((f"{fmt_int(self.to_cut)} kr", "må fortsatt kuttes"))
        elif self.granted_share is not None:
            big.append((fmt_pct(self.granted_share, 0), "av det søkte er tildelt"))
        return big

    @cached_property
    def heading(self) -> str:
        """«Fordeling: …» over the allocation."""
        return f"Fordeling: {self.pool}"

    @cached_property
    def subtitle(self) -> str:
        """The line under the allocation's title on the slide."""
        return f"{self.pool} · {self.refused} søknader avslått"

    @cached_property
    def title(self) -> str:
        """«32 søkere ba om 1 283 147 kr; 334 292 kr er til fordeling – må fortsatt kutte
        44 555 kr» (the parts that are known)."""
        head = f"{self.applicants} søkere"
        if self.applied is not None:
            head += f" ba om {fmt_int(self.applied)} kr"
        if self.total is None:
            return head
        head += f"; {fmt_int(self.total)} kr er til fordeling"
        if self.to_cut:
            return f"{head} – må fortsatt kutte {fmt_int(self.to_cut)} kr"
        return head


# ------------------------------------------------------------------ PhD degrees


@dataclass
class PhdFigures:
    """`rows`: economy_phd rows of the unit and the units right below it, one per unit and
    year (our own «Avlagte doktorgrader» before another name of the same figure)."""

    unit: str
    rows: pd.DataFrame

    @cached_property
    def year(self) -> int:
        """The newest year with figures for the units below."""
        below = self.rows[self.rows["unit"] != self.unit]
        return int(below["year"].max())

    @cached_property
    def previous_year(self) -> int | None:
        """The stored year before the newest (None: only one year)."""
        years = sorted(int(y) for y in self.rows["year"].unique() if int(y) < self.year)
        return years[-1] if years else None

    def _counts(self, year: int | None) -> pd.Series:
        r = self.rows[(self.rows["year"] == year) & (self.rows["unit"] != self.unit)]
        return r.set_index("unit")["value"]

    @cached_property
    def departments(self) -> pd.DataFrame:
        """Per unit below: label, degrees in the year, the year before and the change; the
        most degrees first."""
        now, before = self._counts(self.year), self._counts(self.previous_year)
        out = pd.DataFrame({"unit": now.index, "count": now.to_numpy(dtype=float)})
        out.insert(1, "label", [short_unit(u, self.unit) for u in out["unit"]])
        out["before"] = [float(before[u]) if u in before.index else None for u in out["unit"]]
        out["change"] = out["count"] - out["before"].astype(float)
        out = out.sort_values(["count", "label"], ascending=[False, True], kind="stable")
        return out.reset_index(drop=True)

    @cached_property
    def total(self) -> float:
        """The unit's own figure for the year when stored (a «Sum» row), else the sum below."""
        own = self.rows[(self.rows["unit"] == self.unit) & (self.rows["year"] == self.year)]
        return (
            float(own["value"].iloc[0]) if not own.empty else float(self.departments["count"].sum())
        )

    @cached_property
    def heading(self) -> str:
        """«Avlagte doktorgrader 2024» over the chart."""
        return f"Avlagte doktorgrader {self.year}"

    @cached_property
    def subtitle(self) -> str:
        """The line under the chart (page and slide)."""
        return f"Avlagte doktorgrader {self.year} per enhet"

    @cached_property
    def total_text(self) -> str:
        """«Sum IE 2024: 40 avlagte doktorgrader.»"""
        return f"Sum {self.unit} {self.year}: {fmt_int(self.total)} avlagte doktorgrader."

    @cached_property
    def title(self) -> str:
        """«IKOM har flest avlagte doktorgrader i 2022: 38 av 138 ved MH»."""
        top = self.departments.iloc[0]
        return (
            f"{top['label']} har flest avlagte doktorgrader i {self.year}: "
            f"{fmt_int(top['count'])} av {fmt_int(self.total)} ved {self.unit}"
        )


def phd_rows(rows: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The unit's and its units' PhD figures, one per unit and year (ours before DBH's)."""
    mine = rows[[u == unit or units.parent_of(u) == unit for u in rows["unit"]]]
    mine = mine.assign(ours=mine["indicator"] == PHD_INDICATOR)
    mine = mine.sort_values(["ours", "import_id"], ascending=False, kind="stable")
    return mine.drop_duplicates(["unit", "year"]).drop(columns="ours").reset_index(drop=True)


# ------------------------------------------------------------------ all of it


@dataclass
class EconomyFigures:
    """The unit's economy as of a pin; a part is None when nothing of it is stored."""

    unit: str
    income: IncomeFigures | None
    fte: FteFigures | None
    costs: CostFigures | None
    space: SpaceFigures | None
    grants: GrantFigures | None
    phd: PhdFigures | None = None

    @property
    def parts(self) -> list[object]:
        """The parts that are stored (not None)."""
        parts = (self.income, self.phd, self.fte, self.costs, self.space, self.grants)
        return [p for p in parts if p]

    @cached_property
    def import_ids(self) -> list[int]:
        """The imports the figures are read from (for the data line)."""
        ids: set[int] = set()
        for p in self.parts:
            ids |= {int(i) for i in p.rows["import_id"].unique()}
        return sorted(ids)


def economy_figures(q: Query, pin: Pin) -> EconomyFigures | None:
    """The unit's economy as of the pin; None when nothing of it is stored."""
    unit, event = pin.unit, pin.event
    income = q("economy_income", unit=unit, event=event)
    income = income[income["share_pct"].notna()]
    fte = q("economy_fte", unit=unit, event=event)
    costs = q("economy_costs", unit=unit, event=event)
    space = q("economy_space", unit=unit, event=event)
    grants = q("economy_grants", unit=unit, event=event)
    out = EconomyFigures(
        unit,
        IncomeFigures(unit, income) if not income.empty else None,
        FteFigures(unit, fte) if not fte[~fte["is_budget"].astype(bool)].empty else None,
        _costs(q, pin, costs),
        SpaceFigures(unit, space) if not space.empty else None,
        _grants(q, pin, grants),
        _phd(q, pin),
    )
    return out if out.parts else None


def _costs(q: Query, pin: Pin, costs: pd.DataFrame) -> CostFigures | None:
    """The cost measures, linked to the unit's plan measures."""
    if not (costs["row_kind"] == "measure").any():
        return None
    return CostFigures(pin.unit, costs, q("economy_plan_measures", unit=pin.unit, event=pin.event))


def _phd(q: Query, pin: Pin) -> PhdFigures | None:
    """PhD degrees of the units right below the unit (None when none is stored)."""
    found = q("economy_phd", pattern=PHD_PATTERN, event=pin.event)
    if found.empty:
        return None
    rows = phd_rows(found, pin.unit)
    if (rows["unit"] != pin.unit).any():
        return PhdFigures(pin.unit, rows)
    return None


def _grants(q: Query, pin: Pin, grants: pd.DataFrame) -> GrantFigures | None:
    """The unit's newest pool of grants."""
    if grants.empty:
        return None
    pool = str(grants.sort_values("import_id").iloc[-1]["pool"])
    parts = q("economy_pools", unit=pin.unit, event=pin.event)
    return GrantFigures(
        pin.unit,
        pool,
        grants[grants["pool"] == pool].reset_index(drop=True),
        parts[parts["pool"] == pool].reset_index(drop=True),
    )
