"""Goal fulfilment of a pinned view: the measures of one reporting round and every figure the
pages, the deck and `summary --json` show of them — computed here once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from dashboard import vocab
from dashboard.model import analysis
from dashboard.model.pin import Pin, Query
from dashboard.numbers import fmt_date, fmt_pct

STATUS_COLUMNS = ["unit", "seq", "area", "goal_no", "title", "period_start", "period_end"]


@dataclass
class StatusFigures:
    """One reporting round of a plan (or, for a parent unit without a report of its own, the
    newest round of each unit below it: `rolled_up` names them)."""

    plan: str
    round: str
    measures: pd.DataFrame
    import_id: int | None = None
    previous_round: str | None = None
    previous: pd.DataFrame | None = None
    rolled_up: list[tuple[str, str, str]] = field(default_factory=list)  # (unit, plan, round)
    area: str | None = None
    coverage: str | None = None  # «bygger på godkjente svar for 20 av 32 tiltak, runden er åpen»

    # ---- the scales: a roll-up over plans of different scales counts each scale on its own
    @cached_property
    def parts(self) -> list[StatusFigures]:
        """A roll-up of units whose reports use different scales: one set of figures per scale
        (0–5 first, then text status); [] when there is one scale. Never one sum of two."""
        if not self.rolled_up:
            return []
        scored_units = set(self.measures.loc[self.measures["score"].notna(), "unit"])
        groups = [[r for r in self.rolled_up if (r[0] in scored_units) is s] for s in (True, False)]
        if not all(groups):
            return []
        return [
            StatusFigures(
                self.plan,
                self.round,
                self.measures[self.measures["unit"].isin([u for u, _, _ in named])].reset_index(
                    drop=True
                ),
                rolled_up=named,
            )
            for named in groups
        ]

    @cached_property
    def scales(self) -> list[StatusFigures]:
        """The figures per scale: the parts of a mixed roll-up, else these figures alone."""
        return self.parts or [self]

    @cached_property
    def scale_word(self) -> str:
        """«status 0–5 (VM)», «tekststatus (MH)»: a scale and the units reporting on it."""
        word = "status 0–5" if self.scored else "tekststatus"
        units = ", ".join(u for u, _, _ in self.rolled_up)
        return f"{word} ({units})" if units else word

    # ---- headline figures
    @cached_property
    def n(self) -> int:
        """How many measures."""
        return len(self.measures)

    @cached_property
    def scored(self) -> bool:
        """Whether any measure has a 0–5 score."""
        return bool(self.measures["score"].notna().any())

    @cached_property
    def started(self) -> int | None:
        """Measures started (None for a mixed roll-up: see `scales`)."""
        return None if self.parts else _count(self.measures, vocab.is_started)

    @cached_property
    def done(self) -> int | None:
        """Measures completed (None for a mixed roll-up: see `scales`)."""
        return None if self.parts else _count(self.measures, vocab.is_done)

    @cached_property
    def late(self) -> int:
        """Measures late or postponed."""
        return int(self.measures["category"].isin(vocab.LATE).sum())

    @cached_property
    def started_before(self) -> int | None:
        """Measures started in the previous round (None without one)."""
        return None if self.previous is None else _count(self.previous, vocab.is_started)

    @cached_property
    def done_before(self) -> int | None:
        """Measures completed in the previous round (None without one)."""
        return None if self.previous is None else _count(self.previous, vocab.is_done)

    @cached_property
    def share_done(self) -> float | None:
        """The share of measures completed (None for a mixed roll-up)."""
        if self.parts:
            return None
        return self.done / self.n if self.n else 0.0

    @cached_property
    def started_text(self) -> str:
        """«19 av 32»; per scale side by side for a mixed roll-up («9 av 13 · 12 av 14»)."""
        return " · ".join(f"{p.started} av {p.n}" for p in self.scales)

    @cached_property
    def done_text(self) -> str:
        """«4 av 32»; per scale side by side for a mixed roll-up."""
        return " · ".join(f"{p.done} av {p.n}" for p in self.scales)

    @cached_property
    def share_done_text(self) -> str:
        """The share completed as «12,5 %»; per scale for a mixed roll-up."""
        return " · ".join(fmt_pct(p.share_done) for p in self.scales)

    @cached_property
    def started_label(self) -> str:
        """The name of the «started» figure, saying which statuses count."""
        if self.parts:
            return "Igangsatt: status ≥ 2 · i gang (tekst)"
        return "Igangsatt (status ≥ 2)" if self.scored else "I gang eller gjennomført"

    @cached_property
    def done_label(self) -> str:
        """The name of the «completed» figure, saying which statuses count."""
        if self.parts:
            return "Gjennomført: status 4–5 · tekst"
        return "Gjennomført (4–5)" if self.scored else "Gjennomført"

    @cached_property
    def started_words(self) -> str:
        """What the started count says on a slide: «tiltak er igangsatt» …"""
        if self.parts:
            return "tiltak er igangsatt (status ≥ 2 · i gang etter tekststatus)"
        return "tiltak er igangsatt" if self.scored else "tiltak er i gang eller gjennomført"

    @cached_property
    def done_words(self) -> str:
        """What the done count says on a slide: «er gjennomført (status 4–5)» …"""
        if self.parts:
            return "er gjennomført (status 4–5 · etter tekststatus)"
        return "er gjennomført (status 4–5)" if self.scored else "er gjennomført"

    @cached_property
    def started_rule(self) -> str:
        """What a measure needs to count as started, in words."""
        if self.scored:
            return "tiltak på status 2–5 (igangsatt, under gjennomføring, gjennomført, rapportert)"
        return (
            "tiltak under arbeid, forsinket eller gjennomført; utsatte og ikke igangsatte tiltak "
            "telles ikke"
        )

    @cached_property
    def started_help(self) -> str:
        """What the started count counts (the card's help)."""
        if self.parts:
            each = " ".join(
                f"{p.scale_word[0].upper()}{p.scale_word[1:]}: {p.started} av {p.n}, "
                f"{p.started_rule}."
                for p in self.parts
            )
            return f"Hver skala for seg, aldri lagt sammen. {each}"
        return f"{self.started_rule[0].upper()}{self.started_rule[1:]}."

    @cached_property
    def headline(self) -> str:
        """The finding: the title of the status chart on Måloppnåelse and of the deck's slide."""
        if self.parts:
            text = "; ".join(f"{p.scale_word}: {p.headline}" for p in self.parts)
            return text[0].upper() + text[1:]
        if self.scored:
            return f"{self.started} av {self.n} tiltak er igangsatt"
        return f"{self.done} av {self.n} tiltak er gjennomført"

    @cached_property
    def detail(self) -> str:
        """The line under the headline: completed, or late (text status); per scale for a mix."""
        if self.parts:
            return "; ".join(p.detail for p in self.parts)
        if self.scored:
            return f"{self.done} er gjennomført eller rapportert (status 4–5)"
        return f"{self.late} er forsinket eller utsatt"

    @cached_property
    def source(self) -> str:
        """«Handlingsplan 2019, Status 2019», or the units rolled up."""
        if self.rolled_up:
            return "Samlet for " + ", ".join(f"{u} ({p}, {r})" for u, p, r in self.rolled_up)
        return f"{self.plan}, {self.round}" + (f" ({self.coverage})" if self.coverage else "")

    # ---- breakdowns
    @cached_property
    def by_area(self) -> pd.DataFrame:
        """Measures per area by category."""
        return analysis.counts_by_area(self.measures)

    @cached_property
    def by_unit(self) -> pd.DataFrame:
        """Measures per unit, score and category (a roll-up's units side by side)."""
        return (
            self.measures.groupby(["unit", "score", "category"], dropna=False)
            .size()
            .reset_index(name="measures")
            .rename(columns={"unit": "area"})
        )

    @cached_property
    def goal_measures(self) -> pd.DataFrame:
        """The measures the goal chart shows: with a goal number and a 0–5 score."""
        return self.measures.dropna(subset=["goal_no", "score"])

    @cached_property
    def goal_plans(self) -> bool:
        """More than one plan with goals (a roll-up): a goal is its plan's goal number."""
        return self.goal_measures["plan"].nunique() > 1

    @cached_property
    def by_goal(self) -> pd.DataFrame:
        """Measures per goal and score (per plan, goal and score when several plans have goals)."""
        m = self.goal_measures
        keys = (["plan"] if self.goal_plans else []) + ["goal_no", "score"]
        if m.empty:
            return pd.DataFrame(columns=[*keys, "measures"])
        return m.groupby(keys).size().reset_index(name="measures")

    @cached_property
    def _goal_keys(self) -> list[tuple]:
        """(plan, goal number) of each measure the goal chart shows (its rows, without pandas)."""
        m = self.measures
        return [
            (p, g)
            for p, g, s in zip(*(m[c].tolist() for c in ("plan", "goal_no", "score")), strict=True)
            if pd.notna(g) and pd.notna(s)
        ]

    @cached_property
    def goal_count(self) -> int:
        """How many measures the goal chart shows."""
        return len(self._goal_keys)

    @cached_property
    def goals(self) -> int:
        """The goals the measures of the goal chart follow up (each plan's own numbers)."""
        return len(set(self._goal_keys))

    @cached_property
    def goals_idle(self) -> int:
        """Goals with no measure started yet."""
        best = self.goal_measures.groupby(["plan", "goal_no"])["score"].max()
        return int((best < vocab.STARTED_SCORE).sum())

    @cached_property
    def goal_title(self) -> str:
        """«27 tiltak følger opp 11 mål i strategien»: the measures and goals the chart shows."""
        return f"{self.goal_count} tiltak følger opp {self.goals} mål i strategien"

    @cached_property
    def goal_detail(self) -> str:
        """The goal chart's subtitle: goals with nothing started, measures left out."""
        left = self.n - len(self.goal_measures)
        out = [f"{self.goals_idle} mål har ingen tiltak igangsatt ennå"]
        if left:
            out.append(f"{left} tiltak uten målnummer eller 0–5-status er ikke med")
        return "; ".join(out) + "; antall tiltak per målnummer i strategien og status"

    @cached_property
    def weakest_area(self) -> str | None:
        """The area with the largest share of measures not going (not started, delayed …):
        score below 2, or (without a score) a category of vocab.LOW."""
        m = self.measures
        if m.empty:
            return None
        low = [
            float(s) < vocab.STARTED_SCORE if pd.notna(s) else isinstance(c, str) and c in vocab.LOW
            for s, c in zip(m["score"], m["category"], strict=True)
        ]
        return str(m.assign(low=low).groupby("area", sort=False)["low"].mean().idxmax())

    @cached_property
    def flagged(self) -> tuple[pd.DataFrame, str]:
        """Measures a board should hear about: delayed or postponed, else not started."""
        m = self.measures
        late = m[m["category"].isin(vocab.LATE)]
        if late.empty and self.scored:
            return m[m["score"] == 0], "ikke igangsatt"
        return late, "forsinket eller utsatt"

    def overdue(self, today: dt.date) -> pd.Series:
        """True per measure whose planned end has passed before `today` without completion."""
        return analysis.overdue(self.measures, today)

    @cached_property
    def comparison_title(self) -> str | None:
        """«Tiltak: forrige → denne»: what Oversikt compares (None: no previous round)."""
        if self.previous_round is None:
            return None
        return f"Tiltak: {self.previous_round} → {self.round}"

    @cached_property
    def single_report_text(self) -> str | None:
        """Why no changes are shown: the plan has one report only (None: it has two or more,
        or the figures are a roll-up)."""
        if self.previous_round is not None or self.rolled_up:
            return None
        return (
            f"{self.plan} har bare én rapport ({self.round}); endringer vises når neste rapport "
            "er lastet opp."
        )

    @cached_property
    def rolled_up_text(self) -> str | None:
        """For a roll-up: whose reports are added up (None: the unit's own report)."""
        if not self.rolled_up:
            return None
        return "Enheten har ingen rapport selv. Her er enhetenes egne rapporter lagt sammen: " + (
            "; ".join(f"{u}: {p}, {r}" for u, p, r in self.rolled_up)
        )

    @cached_property
    def area_subtitle(self) -> str:
        """The line under Måloppnåelse's chart of status per area."""
        return f"{self.detail}. {self.source}; antall tiltak per område og status"

    @cached_property
    def units_title(self) -> str | None:
        """«3 enheter side om side»: the roll-up's chart per unit (None: no roll-up)."""
        n = len(self.rolled_up)
        return f"{n} {'enhet' if n == 1 else 'enheter'} side om side" if n else None

    def shown_text(self, shown: int, today: dt.date) -> str:
        """The line under the measure table: how many of the selection's measures the table's
        filters keep (`shown`), what «forfalt» means on `today`, and the selection's share done."""
        return (
            f"{shown} av {self.n} tiltak vist. Forfalt = planlagt sluttdato passert før "
            f"{fmt_date(today)} uten at tiltaket er gjennomført. Andel gjennomført i utvalget: "
            f"{self.share_done_text}" + (" (status 0–5 · tekststatus)" if self.parts else "") + "."
        )

    @cached_property
    def heatmap_subtitle(self) -> str:
        """The line under the chart of share done per area and unit."""
        return (
            "Andel tiltak gjennomført (4–5) per område og enhet; antall tiltak i parentes. "
            f"{self.plan}, siste rapport per enhet"
        )

    @cached_property
    def changes(self) -> analysis.StatusChanges | None:
        """Changes since the previous round (None without one)."""
        if self.previous is None:
            return None
        return analysis.status_changes(self.previous, self.measures)


def _count(frame: pd.DataFrame, test) -> int:
    scores, categories = frame["score"].tolist(), frame["category"].tolist()
    return sum(test(s, c) for s, c in zip(scores, categories, strict=True))


def _rounds(q: Query, pin: Pin) -> tuple[pd.Series | None, pd.Series | None]:
    plans = q("plan_summary", unit=pin.unit, event=pin.event)
    if plans.empty or not pin.plan:
        return None, None
    return analysis.rounds_around(plans, pin.plan, pin.round)


def status_figures(q: Query, pin: Pin, area: str | None = None) -> StatusFigures | None:
    """The pinned round of the unit's plan and the round before it; None when the unit has no
    status report (see `rollup.status_rollup` for its units' reports)."""
    current, previous = _rounds(q, pin)
    if current is None:
        return None
    measures = q(
        "measure_status", unit=pin.unit, plan=pin.plan, round=current["round"], event=pin.event
    )
    before = None
    if previous is not None:
        before = q(
            "measure_status", unit=pin.unit, plan=pin.plan, round=previous["round"], event=pin.event
        )
    if area:
        measures = measures[measures["area"] == area].reset_index(drop=True)
        before = None if before is None else before[before["area"] == area]
    return StatusFigures(
        plan=str(pin.plan),
        round=str(current["round"]),
        measures=measures,
        import_id=int(current["import_id"]),
        previous_round=None if previous is None else str(previous["round"]),
        previous=before,
        area=area,
    )


def unit_shares(q: Query, pin: Pin, plan: str, area: str | None) -> tuple[pd.DataFrame, str]:
    """Share of measures completed per area and unit (the unit and its units, each in its
    newest round of the plan), and the finding: which unit(s) have the largest share."""
    heat = q("unit_heatmap", unit=pin.unit, plan=plan, event=pin.event)
    if area:
        heat = heat[heat["area"] == area]
    if heat["unit"].nunique() < 2:
        return heat.iloc[0:0], ""
    by_unit = heat.groupby("unit")[["done", "measures"]].sum()
    share = (by_unit["done"] / by_unit["measures"]).round(6)
    leaders = sorted(share[share == share.max()].index)
    names = leaders[0] if len(leaders) == 1 else f"{', '.join(leaders[:-1])} og {leaders[-1]}"
    return heat, f"{names} har størst andel tiltak på status 4–5"


# ---- Måloppnåelse's measure table: flags, the filter's choices, and a selection's counts
def _flags(table: pd.DataFrame) -> list[str]:
    return [
        " · ".join(
            x
            for x in (
                "Forfalt" if over else "",
                "Forsinket" if cat == vocab.Category.DELAYED else "",
                "Utsatt" if cat == vocab.Category.POSTPONED else "",
            )
            if x
        )
        for over, cat in zip(table["forfalt"], table["category"], strict=True)
    ]


def flagged_measures(s: StatusFigures, today: dt.date) -> pd.DataFrame:
    """The measures with «forfalt» (past their planned end on `today`, not done) and «flagg»
    (Forfalt · Forsinket · Utsatt)."""
    table = s.measures.copy()
    table["forfalt"] = s.overdue(today).values
    table["flagg"] = _flags(table)
    return table


def status_words(table: pd.DataFrame) -> pd.Series:
    """Each measure's status as a word: a score's word where scored, else its category."""
    return pd.Series(
        [vocab.status_word(x, c) for x, c in zip(table["score"], table["category"], strict=True)],
        index=table.index,
    )


def status_choices(table: pd.DataFrame) -> list[str]:
    """The status filter's choices: the scores present, then the unscored categories."""
    unscored = set(table.loc[table["score"].isna(), "category"])
    options = [vocab.SCORE_WORDS[x] for x in sorted(table["score"].dropna().unique().astype(int))]
    return options + [c for c in vocab.CATEGORY_ORDER if c in unscored]


def goal_choices(table: pd.DataFrame) -> list[int]:
    """The goal numbers the measures follow up, in order."""
    return sorted(int(x) for x in table["goal_no"].dropna().unique())


def select_measures(
    table: pd.DataFrame, search: str, statuses: list[str], goals: list[int]
) -> pd.DataFrame:
    """The measures whose title, comment or status text holds `search` (any case), with one of
    `statuses` and one of `goals` (an empty choice keeps all)."""
    if search:
        needle = search.lower()
        hit = table["title"].str.lower().str.contains(needle, regex=False)
        for col in ("comment", "status_text"):
            hit |= table[col].fillna("").str.lower().str.contains(needle, regex=False)
        table = table[hit]
    if statuses:
        table = table[status_words(table).isin(statuses)]
    if goals:
        table = table[table["goal_no"].isin(goals)]
    return table


def overdue_count(table: pd.DataFrame) -> int:
    """How many of the (flagged) measures are past their planned end without being done."""
    return int(table["forfalt"].sum())


def overdue_text(table: pd.DataFrame) -> str | None:
    """The warning over the measure table: how many of those shown are overdue (None: none)."""
    n = overdue_count(table)
    return f"{n} tiltak har passert planlagt sluttdato uten å være gjennomført." if n else None


def one_measure(history: pd.DataFrame, title: str) -> pd.DataFrame:
    """One measure's rows of the status history, oldest report first."""
    return history[history["title"] == title]
