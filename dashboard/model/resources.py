"""Ambitions against resources for one unit's plan, as of a pinned view: is it funded, can it be
done at once, does it hang on a few people, where is the risk, are the strategy's goals covered,
and — for a plan at its end — how did it do. Computed here once for every surface."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from dashboard import vocab
from dashboard.model.pin import Pin, Query
from dashboard.numbers import fmt_int, fmt_mill

OWNER_LIMIT = 3  # running measures one owner can carry before the plan leans on them


@dataclass
class ResourceFigures:
    """`measures`: plan_measures rows; `goals`: the unit's strategy goals (goals_at);
    `evaluation`: plan_evaluation rows; `previous`: the plan before it, if any."""

    unit: str
    plan: str
    measures: pd.DataFrame
    goals: pd.DataFrame
    evaluation: pd.DataFrame
    today: dt.date
    previous: ResourceFigures | None = None
    capacity: int | None = None  # measures the unit says it can carry at once
    source: str = ""  # the files the measures and what they need are read from

    @cached_property
    def n(self) -> int:
        """How many measures the plan has."""
        return len(self.measures)

    # ---- is the plan funded?
    @cached_property
    def need(self) -> float | None:
        """The plan's resource need (1000 kr); None when no measure has an estimate."""
        total = self.measures["need_knok"].sum(min_count=1)
        return None if pd.isna(total) else float(total)

    @cached_property
    def granted(self) -> float | None:
        """Funding granted (1000 kr); None when no measure says."""
        total = self.measures["granted_knok"].sum(min_count=1)
        return None if pd.isna(total) else float(total)

    @cached_property
    def gap(self) -> float:
        """Need not covered by funding, over the measures with a resource estimate (funding
        not given counts as none)."""
        m = self.measures[self.measures["need_knok"].notna()]
        return float((m["need_knok"] - m["granted_knok"].fillna(0)).clip(lower=0).sum())

    @cached_property
    def unfunded(self) -> pd.DataFrame:
        """Measures with a need and less funding than it (or none)."""
        m = self.measures
        has_need = m["need_knok"].notna() & (m["need_knok"] > 0)
        return m[has_need & (m["granted_knok"].fillna(0) < m["need_knok"])].reset_index(drop=True)

    @cached_property
    def without_estimate(self) -> pd.DataFrame:
        """Measures with no estimate of what they need (neither kroner, hours nor årsverk)."""
        m = self.measures
        return m[m["need_knok"].isna() & m["need_hours"].isna() & m["need_fte"].isna()]

    @cached_property
    def funding_by_area(self) -> pd.DataFrame:
        """Need, granted and gap per area (1000 kr), the largest gap first."""
        m = self.measures.assign(
            gap=(self.measures["need_knok"] - self.measures["granted_knok"].fillna(0)).clip(lower=0)
        )
        out = m.groupby("area", sort=False).agg(
            need=("need_knok", lambda s: s.sum(min_count=1)),
            granted=("granted_knok", lambda s: s.sum(min_count=1)),
            gap=("gap", "sum"),
            measures=("title", "size"),
        )
        return out.reset_index().sort_values(["gap", "area"], ascending=[False, True])

    @cached_property
    def funding_title(self) -> str:
        """«Planen mangler 4,2 mill. kr: 9 av 30 tiltak er ikke finansiert»."""
        if self.measures["need_knok"].notna().sum() == 0:
            return f"Ingen av de {self.n} tiltakene har et anslått ressursbehov"
        k = len(self.unfunded)
        if self.gap <= 0:
            k = int(self.measures["need_knok"].notna().sum())
            return f"Planen er finansiert: alle {k} tiltak med ressursbehov har midler"
        return f"Planen mangler {fmt_mill(self.gap)}: {k} av {self.n} tiltak er ikke finansiert"

    # ---- can it be done at once?
    @cached_property
    def timeline(self) -> pd.DataFrame:
        """Measures with a start and a planned end, in start order."""
        m = self.measures.dropna(subset=["period_start", "period_end"])
        return m.sort_values(["period_start", "seq"]).reset_index(drop=True)

    @cached_property
    def timeline_title(self) -> str:
        """«9 av 15 tiltak starter i 2023»: the year most measures start in."""
        t = self.timeline
        if t.empty:
            return "Ingen tiltak har både start og planlagt slutt"
        years = pd.to_datetime(t["period_start"]).dt.year.value_counts()
        year, starts = int(years.idxmax()), int(years.max())
        return f"{starts} av {self.n} tiltak starter i {year}"

    @cached_property
    def by_quarter(self) -> pd.DataFrame:
        """Measures running in each quarter of the plan (quarter, label, running)."""
        t = self.timeline
        if t.empty:
            return pd.DataFrame(columns=["quarter", "label", "running"])
        start = pd.Timestamp(t["period_start"].min()).to_period("Q")
        end = pd.Timestamp(t["period_end"].max()).to_period("Q")
        rows = []
        for q in pd.period_range(start, end, freq="Q"):
            running = (
                (pd.to_datetime(t["period_start"]) <= q.end_time)
                & (pd.to_datetime(t["period_end"]) >= q.start_time)
            ).sum()
            rows.append((str(q), f"{q.quarter}. kv. {q.year}", int(running)))
        return pd.DataFrame(rows, columns=["quarter", "label", "running"])

    @cached_property
    def peak(self) -> tuple[str, int] | None:
        """The quarter with the most measures running, and how many: («3. kv. 2023», 4); None
        without a timeline."""
        q = self.by_quarter
        if q.empty:
            return None
        top = q.loc[q["running"].idxmax()]
        return str(top["label"]), int(top["running"])

    @cached_property
    def timing_title(self) -> str:
        """«Flest tiltak samtidig: 4 av 6 i 3. kv. 2023 (1 tiltak uten periode)», or the peak
        against the unit's capacity when some quarters go over it."""
        if self.peak is None:
            return "Ingen tiltak har både start og planlagt slutt"
        label, running = self.peak
        missing = self.n - len(self.timeline)
        tail = f" ({missing} tiltak uten periode)" if missing else ""
        if self.capacity:
            over = int((self.by_quarter["running"] > self.capacity).sum())
            if over:
                return (
                    f"{running} tiltak samtidig i {label} mot en kapasitet på {self.capacity}: "
                    f"{over} kvartaler over{tail}"
                )
        return f"Flest tiltak samtidig: {running} av {self.n} i {label}{tail}"

    # ---- does it hang on a few people?
    @cached_property
    def running(self) -> pd.DataFrame:
        """Measures not done (by their newest status)."""
        m = self.measures
        done = [vocab.is_done(s, c) for s, c in zip(m["score"], m["category"], strict=True)]
        return m[[not d for d in done]]

    @cached_property
    def by_owner(self) -> pd.DataFrame:
        """Per owner: measures, running measures, resource need; most running first."""
        m = self.measures[self.measures["owner"].notna()]
        if m.empty:
            return pd.DataFrame(columns=["owner", "measures", "running", "need", "over_limit"])
        running = self.running[self.running["owner"].notna()].groupby("owner").size()
        out = m.groupby("owner").agg(
            measures=("title", "size"), need=("need_knok", lambda s: s.sum(min_count=1))
        )
        out["running"] = running.reindex(out.index).fillna(0).astype(int)
        out["over_limit"] = out["running"] > OWNER_LIMIT
        out = out.reset_index().sort_values(
            ["running", "measures", "owner"], ascending=[False, False, True]
        )
        return out[["owner", "measures", "running", "need", "over_limit"]].reset_index(drop=True)

    @cached_property
    def no_owner(self) -> pd.DataFrame:
        """Measures with no owner."""
        return self.measures[self.measures["owner"].isna()].reset_index(drop=True)

    @cached_property
    def owners_title(self) -> str:
        """«Kari har 5 tiltak i gang; 1 av 6 tiltak har ingen ansvarlig»: owners with more than
        OWNER_LIMIT (3) running measures, and measures without one."""
        over = self.by_owner[self.by_owner["over_limit"]]
        parts = []
        if not over.empty:
            top = over.iloc[0]
            parts.append(
                f"{top['owner']} har {int(top['running'])} tiltak i gang"
                if len(over) == 1
                else f"{len(over)} personer har flere enn {OWNER_LIMIT} tiltak i gang"
            )
        if len(self.no_owner):
            parts.append(f"{len(self.no_owner)} av {self.n} tiltak har ingen ansvarlig")
        if not parts:
            return f"Tiltakene er fordelt på {len(self.by_owner)} ansvarlige"
        return "; ".join(parts)

    # ---- where is the risk?
    @cached_property
    def risk_table(self) -> pd.DataFrame:
        """Measures with their risk and status, high risk and delayed first."""
        m = self.measures.copy()
        order = {str(r): i for i, r in enumerate(vocab.RISK_ORDER)}
        m["risk_rank"] = m["risk"].map(order).fillna(len(order))
        m["late"] = m["category"].isin(vocab.LATE)
        m["status"] = [
            vocab.status_word(s, c) for s, c in zip(m["score"], m["category"], strict=True)
        ]
        return m.sort_values(
            ["risk_rank", "late", "seq"], ascending=[True, False, True]
        ).reset_index(drop=True)

    @cached_property
    def high_and_late(self) -> int:
        """How many high-risk measures are delayed or postponed."""
        t = self.risk_table
        return int(((t["risk"] == vocab.Risk.HIGH) & t["late"]).sum())

    @cached_property
    def risk_title(self) -> str:
        """«1 av 2 tiltak med høy risiko er forsinket eller utsatt» (none of them late: how many
        have high risk)."""
        high = int((self.measures["risk"] == vocab.Risk.HIGH).sum())
        if not self.measures["risk"].notna().any():
            return "Ingen tiltak er risikovurdert"
        if self.high_and_late:
            return f"{self.high_and_late} av {high} tiltak med høy risiko er forsinket eller utsatt"
        return f"{high} av {self.n} tiltak har høy risiko"

    # ---- are the goals covered?
    @cached_property
    def goal_coverage(self) -> pd.DataFrame:
        """Each strategy goal: measures for it, of them started; coverage «uten tiltak», «ingen
        igangsatt» or «dekket»."""
        g = self.goals
        if g.empty:
            return pd.DataFrame(
                columns=["part", "area", "goal_no", "text", "measures", "started", "coverage"]
            )
        m = self.measures.dropna(subset=["goal_no"])
        started = [vocab.is_started(s, c) for s, c in zip(m["score"], m["category"], strict=True)]
        reported = m["score"].notna() | m["category"].notna()
        per = (
            m.assign(started=started, reported=reported)
            .groupby("goal_no")
            .agg(
                measures=("title", "size"), started=("started", "sum"), reported=("reported", "sum")
            )
        )
        out = g.merge(per, how="left", left_on="goal_no", right_index=True)
        cols = ["measures", "started", "reported"]
        out[cols] = out[cols].fillna(0).astype(int)
        # «ingen igangsatt» only where the measures have a status and none is started
        out["coverage"] = [
            "uten tiltak" if n == 0 else ("ingen igangsatt" if r and s == 0 else "dekket")
            for n, s, r in zip(out["measures"], out["started"], out["reported"], strict=True)
        ]
        return out[["part", "area", "goal_no", "text", "measures", "started", "coverage"]]

    @cached_property
    def goals_title(self) -> str:
        """«1 av 4 strategimål har ingen tiltak, 1 bare tiltak som ikke er igangsatt»."""
        c = self.goal_coverage
        if c.empty:
            return "Enheten har ingen strategimål å måle planen mot"
        uncovered = int((c["coverage"] == "uten tiltak").sum())
        idle = int((c["coverage"] == "ingen igangsatt").sum())
        return f"{uncovered} av {len(c)} strategimål har ingen tiltak" + (
            f", {idle} bare tiltak som ikke er igangsatt" if idle else ""
        )

    # ---- how did the plan do?
    @cached_property
    def graded(self) -> pd.DataFrame:
        """The evaluation's rows that have a grade."""
        return self.evaluation[self.evaluation["grade"].notna()]

    @cached_property
    def good(self) -> int:
        """How many measures got good or very good goal attainment."""
        return int(self.graded["grade"].isin([str(g) for g in vocab.GOOD_GRADES]).sum())

    @cached_property
    def causes(self) -> pd.Series:
        """Measures per cause, the most common first."""
        tags = self.evaluation["causes"].dropna().str.split("; ").explode()
        return tags.value_counts()

    @cached_property
    def evaluation_title(self) -> str | None:
        """«2 av 5 tiltak fikk god eller svært god måloppnåelse» (None: no evaluation)."""
        if self.evaluation.empty:
            return None
        return f"{self.good} av {len(self.evaluation)} tiltak fikk god eller svært god måloppnåelse"

    @cached_property
    def comparison(self) -> str | None:
        """The plan beside the one before it (its size and funding), when there is one:
        «Tiltaksplan 2023 mot Tiltaksplan 2019: 15 tiltak mot 30; ressursbehov … mot …»."""
        e = self.previous
        if e is None:
            return None
        before = e.n or len(e.evaluation)

        def mill(knok: float | None) -> str:
            return "ikke oppgitt" if knok is None else fmt_mill(knok)

        return (
            f"{self.plan} mot {e.plan}: {self.n} tiltak mot {before}; ressursbehov "
            f"{mill(self.need)} mot {mill(e.need)}, finansiert {mill(self.granted)} mot "
            f"{mill(e.granted)}"
        )

    # ---- the page's and the deck's words (issue 27: pages only format these)
    @cached_property
    def evaluated(self) -> ResourceFigures | None:
        """The plan whose evaluation is shown: this one's, else the previous plan's."""
        e = self if self.evaluation_title else self.previous
        return e if e is not None and e.evaluation_title else None

    @cached_property
    def data_text(self) -> str:
        """«Plan 2025: 12 tiltak (fil …)»: the page's data line."""
        return f"{self.plan}: {fmt_int(self.n)} tiltak" + (
            f" (fil {self.source})" if self.source else ""
        )

    @cached_property
    def funding_subtitle(self) -> str:
        """The line under the funding chart, with the plan's need and funding."""
        return (
            f"Ressursbehov og finansiert per område, 1000 kr · behov {fmt_mill(self.need)}, "
            f"finansiert {fmt_mill(self.granted)}"
        )

    @cached_property
    def without_estimate_heading(self) -> str:
        """«3 tiltak uten anslått ressursbehov»."""
        return f"{len(self.without_estimate)} tiltak uten anslått ressursbehov"

    @cached_property
    def timing_subtitle(self) -> str:
        """The line under the chart of measures running per quarter (with the capacity)."""
        capacity = f"; enhetens kapasitet {self.capacity} samtidig" if self.capacity else ""
        return f"Tiltak i gang per kvartal (fra start til planlagt slutt){capacity}"

    @cached_property
    def timeline_heading(self) -> str:
        """The timeline's expander: how many measures have a start and a planned end."""
        return f"Tidslinje for de {len(self.timeline)} tiltakene med start og planlagt slutt"

    @cached_property
    def no_owner_heading(self) -> str:
        """«2 tiltak uten ansvarlig»."""
        return f"{len(self.no_owner)} tiltak uten ansvarlig"

    @cached_property
    def timeline_subtitle(self) -> str:
        """«Tiltaksplan 2023: fra start til planlagt slutt» under the timeline."""
        return f"{self.plan}: fra start til planlagt slutt"

    @cached_property
    def owners_subtitle(self) -> str:
        """The line under the chart of measures per owner, with the limit it marks."""
        return f"Tiltak i gang per ansvarlig; flere enn {OWNER_LIMIT} er markert"

    @cached_property
    def evaluation_heading(self) -> str:
        """«Hvordan gikk Tiltaksplan 2019?»: the evaluation's heading."""
        return f"Hvordan gikk {self.plan}?"

    @cached_property
    def evaluation_subtitle(self) -> str:
        """«Måloppnåelse per tiltak i Tiltaksplan 2019» under the evaluation's chart."""
        return f"Måloppnåelse per tiltak i {self.plan}"

    @cached_property
    def export_titles(self) -> dict[str, str]:
        """The titles of the page's Excel exports of this plan's lists, by list."""
        return {
            "without_estimate": f"Tiltak uten ressursanslag ({self.plan})",
            "no_owner": f"Tiltak uten ansvarlig ({self.plan})",
            "causes": f"Årsaker i evalueringen av {self.plan}",
        }


def resource_plans(q: Query, pin: Pin) -> pd.DataFrame:
    """The pinned unit's plans with resources or an evaluation, newest first, with capacity."""
    return q("resource_plans", unit=pin.unit, event=pin.event)


def resource_figures(
    q: Query, pin: Pin, plan: str | None = None, today: dt.date | None = None
) -> ResourceFigures | None:
    """A plan of the pinned unit (the newest with resources when none is named), and the plan
    before it for comparison."""
    plans = resource_plans(q, pin)
    if plans.empty:
        return None
    names = list(plans["plan"])
    plan = plan if plan in names else names[0]
    earlier = names[names.index(plan) + 1] if names.index(plan) + 1 < len(names) else None
    goals = q("strategy_goal_list", unit=pin.unit, event=pin.event)

    capacity = dict(zip(plans["plan"], plans["capacity"], strict=True))

    log = q("import_log", unit=None)
    files = dict(zip(log["import_id"], log["file_name"], strict=True))

    def one(name: str, previous: ResourceFigures | None) -> ResourceFigures:
        measures = q("plan_measures", unit=pin.unit, plan=name, event=pin.event)
        ids = sorted({int(i) for i in measures["source_import"].dropna()}, reverse=True)
        return ResourceFigures(
            pin.unit,
            name,
            measures,
            goals,
            q("plan_evaluation", unit=pin.unit, plan=name, event=pin.event),
            today or dt.date.today(),
            previous,
            None if pd.isna(capacity.get(name)) else int(capacity[name]),
            ", ".join(str(files[i]) for i in ids if i in files),
        )

    return one(plan, one(earlier, None) if earlier else None)
