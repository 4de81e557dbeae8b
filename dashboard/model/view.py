"""The read model of one pinned view: the figures pages, slides, exports and `summary --json`
show of a unit, each computed once per view from the versions the pin names, with the headlines
and lines worded from them. A query function in, typed results out (no Streamlit). The query
function is private (`View._q`): pages and the deck read the view's properties and its parts'
(StatusFigures, BudgetFigures, …) and only format them; tests/unit/test_purity.py checks that
no page or present module queries the store itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from dashboard.model import rollup
from dashboard.model.budget import BudgetFigures, budget_figures
from dashboard.model.deck_texts import DeckTexts
from dashboard.model.economy import EconomyFigures, economy_figures
from dashboard.model.peers import PeerFigures, compared_values, peer_figures
from dashboard.model.pin import Pin, Query
from dashboard.model.resources import ResourceFigures, resource_figures, resource_plans
from dashboard.model.rounds import RoundFigures, round_figures, round_list
from dashboard.model.status import StatusFigures, status_figures, unit_shares
from dashboard.model.targets import TargetFigures, target_figures
from dashboard.numbers import fmt_date, fmt_int, fmt_mill, fmt_signed


@dataclass(frozen=True)
class Card:
    """A headline figure with its change since the previous report."""

    label: str
    value: str
    change: float | None = None
    change_text: str | None = None
    help: str = ""
    higher_is_better: bool = True


@dataclass(frozen=True)
class Strategy:
    """A strategy's development goals: how many, in how many areas, per part."""

    name: str
    goals: int
    areas: int
    parts: dict[str, int]
    rows: pd.DataFrame  # part, area, goals
    unit_name: str = ""

    @property
    def title(self) -> str:
        """«Strategi 2025: 12 mål i 4 områder»."""
        return f"{self.name}: {self.goals} mål i {self.areas} områder"

    @property
    def parts_text(self) -> str:
        """«Utdanning: 5 mål · Forskning: 7 mål»."""
        return " · ".join(f"{p}: {n} mål" for p, n in self.parts.items())

    @property
    def subtitle(self) -> str:
        """The line under the chart: the strategy, the unit and what is counted."""
        return f"{self.name}, {self.unit_name}; antall utviklingsmål per område"

    @property
    def headline(self) -> str:
        """The chart's finding: the part with the most goals."""
        top = max(self.parts, key=self.parts.get)
        return f"{top} har flest mål ({self.parts[top]} av {self.goals})"


@dataclass
class View:
    """The figures of one pin, each computed on first use and kept (the view is shared)."""

    _q: Query
    pin: Pin
    units: pd.DataFrame  # units_with_data at the pin's event
    _areas: dict[str | None, StatusFigures | None] = field(default_factory=dict, repr=False)
    _peers: dict[str | None, PeerFigures | None] = field(default_factory=dict, repr=False)
    _rounds: dict[int, RoundFigures | None] = field(default_factory=dict, repr=False)
    _plans: dict[str | None, ResourceFigures | None] = field(default_factory=dict, repr=False)
    _imports: dict[int, str] = field(default_factory=dict, repr=False)
    _heat: dict[str | None, tuple[pd.DataFrame, str]] = field(default_factory=dict, repr=False)
    _history: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    # ---- names
    @cached_property
    def unit_name(self) -> str:
        """«MH – Fakultet for medisin og helsevitenskap» (the code alone when it has no name)."""
        row = self.units[self.units["code"] == self.pin.unit]
        if row.empty or row.iloc[0]["name"] == self.pin.unit:
            return self.pin.unit
        return f"{self.pin.unit} – {row.iloc[0]['name']}"

    # ---- the parts
    @cached_property
    def status(self) -> StatusFigures | None:
        """The unit's pinned round, or its units' newest rounds rolled up."""
        own = status_figures(self._q, self.pin)
        if own is None:
            return rollup.status_rollup(self._q, self.pin, self.units)
        own.coverage = self._coverage(own)
        return own

    @cached_property
    def round(self) -> RoundFigures | None:
        """The unit's open reporting round, else its newest one (None: it has none)."""
        return round_figures(self._q, self.pin)

    def resources_in(self, plan: str | None = None) -> ResourceFigures | None:
        """Ambitions against resources of one of the unit's plans (the newest for None)."""
        if plan not in self._plans:
            self._plans[plan] = resource_figures(self._q, self.pin, plan)
        return self._plans[plan]

    @property
    def resources(self) -> ResourceFigures | None:
        """Ambitions against resources of the unit's newest plan with resources."""
        return self.resources_in(None)

    def round_in(self, round_id: int) -> RoundFigures | None:
        """One of the unit's reporting rounds (the round page's choice), computed once."""
        if round_id not in self._rounds:
            self._rounds[round_id] = round_figures(self._q, self.pin, round_id)
        return self._rounds[round_id]

    def _coverage(self, s: StatusFigures) -> str | None:
        r = self.round
        if r is None or r.plan != s.plan or r.label != s.round:
            return None
        return r.coverage(self.pin.unit)

    def status_in(self, area: str | None) -> StatusFigures | None:
        """The status figures of one area (the sidebar's filter); all areas for None."""
        if area is None:
            return self.status
        if area not in self._areas:
            own = status_figures(self._q, self.pin, area)
            if own is not None:
                own.coverage = self._coverage(own)
            self._areas[area] = own
        return self._areas[area]

    @cached_property
    def budget(self) -> BudgetFigures | None:
        """The pinned prognosis against the budget, or the units' newest ones summed."""
        own = budget_figures(self._q, self.pin)
        return own if own is not None else rollup.budget_rollup(self._q, self.pin, self.units)

    @cached_property
    def economy(self) -> EconomyFigures | None:
        """Income mix, årsverk, cost measures, space and grants of the unit (page «Økonomi»)."""
        return economy_figures(self._q, self.pin)

    @cached_property
    def targets(self) -> TargetFigures | None:
        """The unit's indicators and result targets, with their status."""
        return target_figures(self._q, self.pin, self.budget)

    @cached_property
    def _peer_values(self) -> pd.DataFrame | None:
        """The values compared with peers; none to read for a unit without indicator values."""
        own = self.units.loc[self.units["code"] == self.pin.unit, "indicator_rows"]
        if len(own) and int(own.iloc[0]) == 0:
            return None
        return compared_values(self._q, self.pin)

    def peers_in(self, group: str | None = None) -> PeerFigures | None:
        """The unit beside other institutions in a peer group (the first offered for None)."""
        if group not in self._peers:
            table = self.targets.table if self.targets is not None else None
            values = self._peer_values
            self._peers[group] = (
                None if values is None else peer_figures(self._q, self.pin, group, table, values)
            )
        return self._peers[group]

    @cached_property
    def strategies(self) -> list[Strategy]:
        """The unit's strategies with their development goals per part and area."""
        goals = self._q("goal_summary", unit=self.pin.unit, event=self.pin.event)
        out = []
        for name, rows in goals.groupby("strategy", sort=False):
            parts = rows.groupby("part", sort=False)["goals"].sum()
            out.append(
                Strategy(
                    str(name),
                    int(rows["goals"].sum()),
                    int(rows["area"].nunique()),
                    {str(k): int(v) for k, v in parts.items()},
                    rows[["part", "area", "goals"]].reset_index(drop=True),
                    self.unit_name,
                )
            )
        return out

    @cached_property
    def allocations(self) -> pd.DataFrame:
        """What the unit distributes to its units (without the stated total)."""
        alloc = self._q("allocations", unit=self.pin.unit, event=self.pin.event)
        return alloc[(alloc["parent_unit"] == self.pin.unit) & ~alloc["is_total"]].reset_index(
            drop=True
        )

    # ---- where the figures come from
    def imported(self, import_id: int | None) -> str:
        """«importert 12.11.2023 av kari@ntnu.no, fil …» for an import id."""
        if import_id is None:
            return ""
        if int(import_id) not in self._imports:  # once per view (the pages ask on every run)
            self._imports[int(import_id)] = self._imported(int(import_id))
        return self._imports[int(import_id)]

    def _imported(self, import_id: int) -> str:
        log = self._q("import_log", unit=None)
        row = log[log["import_id"] == int(import_id)]
        if row.empty:
            return ""
        r = row.iloc[0]
        who = f" av {r['user_name']}" if isinstance(r["user_name"], str) and r["user_name"] else ""
        return f"importert {fmt_date(r['imported_at'])}{who}, fil {r['file_name']}"

    @cached_property
    def versions_text(self) -> str:
        """Which data the view shows: the report and the prognosis version, with their imports."""
        return " · ".join(p for p in (self.status_data_text, self.budget_data_text) if p)

    # ---- the headline figures (Oversikt's cards, the deck's overview, summary --json)
    @cached_property
    def cards(self) -> list[Card]:
        """Oversikt's four headline figures: started, done, result against budget, targets."""
        return [*self._status_cards(), self._result_card(), self._targets_card()]

    def _status_cards(self) -> list[Card]:
        s = self.status
        if s is None:
            return [Card("Tiltak", "–"), Card("Gjennomført", "–")]
        since = (
            f"; endringen er fra forrige rapport, {s.previous_round}." if s.previous_round else "."
        )
        out = []
        for label, value, now, before, what in (
            (s.started_label, s.started_text, s.started, s.started_before, s.started_help),
            (s.done_label, s.done_text, s.done, s.done_before, f"{s.done_text} tiltak."),
        ):
            change = None if before is None or now is None else now - before
            out.append(
                Card(
                    label,
                    value,
                    change,
                    None if change is None else f"{fmt_signed(change)} fra forrige",
                    f"{what} {s.source}{since}",
                )
            )
        return out

    def _result_card(self) -> Card:
        b = self.budget
        if b is None or b.result_effect is None:
            return Card("Resultat mot budsjett", "–", help="Ingen budsjettprognose.")
        change = b.result_change
        return Card(
            "Resultat mot budsjett",
            fmt_mill(b.result_effect),
            change,
            None if change is None else f"{fmt_mill(change)} fra forrige",
            "Prognosert resultat minus budsjettert resultat (avviket slik arbeidsboka skriver "
            "det). Negativt tall: prognosen er svakere enn budsjettet. Endringen er prognosert "
            f"resultat mot forrige prognose. {b.source}.",
        )

    def _targets_card(self) -> Card:
        t = self.targets
        if t is None or t.judged.empty:
            return Card(
                "Resultatmål i rute",
                "–",
                help="Ingen resultatmål for denne enheten har både mål og verdier.",
            )
        return Card(
            "Resultatmål i rute",
            t.count_text,
            help="Resultatmål med verdier (også beregnede: lønnsandel, primærsøkere per "
            "studieplass): nådd, i rute mot målet (rett linje fra basisår), bak eller ikke nådd.",
        )

    # ---- Måloppnåelse, Ressurser, Runder and the deck's data line (issue 27: read model closed)
    def heatmap_in(self, area: str | None) -> tuple[pd.DataFrame, str]:
        """Share of measures done per area and unit of the status plan, and its finding
        (none for a roll-up or a plan only one unit reports in)."""
        s = self.status_in(area)
        if s is None or s.rolled_up:
            return pd.DataFrame(), ""
        if area not in self._heat:
            self._heat[area] = unit_shares(self._q, self.pin, s.plan, area)
        return self._heat[area]

    def measure_history(self, plan: str) -> pd.DataFrame:
        """Every pinned report of the unit's measures in `plan`, oldest first per measure."""
        if plan not in self._history:
            self._history[plan] = self._q(
                "status_history", unit=self.pin.unit, plan=plan, event=self.pin.event
            )
        return self._history[plan]

    @cached_property
    def resource_plans(self) -> list[str]:
        """The unit's plans with resources or an evaluation (page «Tiltak og ressurser»)."""
        return [str(p) for p in resource_plans(self._q, self.pin)["plan"]]

    @cached_property
    def rounds(self) -> dict[int, str]:
        """The unit's reporting rounds, newest first: {round id: «plan · label (åpen)»}."""
        return {
            int(r.round_id): f"{r.plan} · {r.label} ({'lukket' if r.closed else 'åpen'})"
            for r in round_list(self._q, self.pin).itertuples()
        }

    @cached_property
    def status_plans(self) -> list[str]:
        """The plans the unit has a status report of (those a new round can ask about)."""
        plans = self._q("plan_summary", unit=self.pin.unit, event=self.pin.event)
        return sorted(plans["plan"].unique()) if not plans.empty else []

    @cached_property
    def import_dates(self) -> dict[int, pd.Timestamp]:
        """{import id: when it was imported} of the imports the pin can name."""
        log = self._q("import_log", unit=None)
        return dict(zip(log["import_id"].astype(int), log["imported_at"], strict=True))

    # ---- figures and headlines added for issue 27 (pages and deck only format these)
    @cached_property
    def prognosis_labels(self) -> list[str]:
        """The unit's prognosis versions at the pin, newest first (Budsjett's choice)."""
        versions = self._q("prognosis_versions", unit=self.pin.unit, event=self.pin.event)
        return [str(x) for x in versions["label"]]

    @cached_property
    def budget_data_text(self) -> str:
        """Which prognosis version Budsjett shows, with its import."""
        return self._sourced(self.budget)

    @cached_property
    def allocation_title(self) -> str | None:
        """«IE får mest: 1 200 av 5 000»: the allocation chart's title (None: none)."""
        alloc = self.allocations
        if alloc.empty:
            return None
        top = alloc.sort_values("amount_knok", ascending=False).iloc[0]
        return (
            f"{top['unit']} får mest: {fmt_int(top['amount_knok'])} av "
            f"{fmt_int(alloc['amount_knok'].sum())}"
        )

    @cached_property
    def allocation_subtitle(self) -> str | None:
        """The line under the allocation chart."""
        alloc = self.allocations
        return None if alloc.empty else f"{alloc['label'].iloc[0]}, 1000 kr"

    @cached_property
    def nothing_to_compare(self) -> bool:
        """Whether the view has neither two status reports nor two prognoses to compare."""
        s, b = self.status, self.budget
        return (s is None or s.previous_round is None) and (b is None or b.previous_lines is None)

    @cached_property
    def status_data_text(self) -> str:
        """Which status report the view shows, with its import (Måloppnåelse's data line)."""
        return self._sourced(self.status)

    def _sourced(self, part: StatusFigures | BudgetFigures | None) -> str:
        """A part's source with its import: «Status 2019 (importert … av …, fil …)»."""
        if part is None:
            return ""
        info = self.imported(part.import_id)
        return part.source + (f" ({info})" if info else "")

    @cached_property
    def strategies_text(self) -> str:
        """The names of the unit's strategies, for a data line."""
        return ", ".join(x.name for x in self.strategies)

    def round_note_in(self, area: str | None) -> str | None:
        """Whose answers the status figures of `area` count, from the unit's reporting round
        (None: no round of the plan shown, or no answers)."""
        s, r = self.status_in(area), self.round
        return None if s is None or r is None else r.note_for(s.plan, s.round)

    @cached_property
    def economy_data_text(self) -> str:
        """The imports the economy page's figures come from."""
        e = self.economy
        files = [] if e is None else [self.imported(i) for i in e.import_ids]
        return "; ".join(f for f in files if f)

    @cached_property
    def deck_texts(self) -> DeckTexts:
        """The board deck's own headlines and lines (model/deck_texts.py)."""
        return DeckTexts(
            self.status, self.budget, self.targets, self.round, self.resources, self.import_dates
        )


def view(q: Query, pin: Pin, units: pd.DataFrame | None = None) -> View:
    """The read model of a pin (`units`: units_with_data at the pin's event, if at hand)."""
    return View(q, pin, q("units_with_data", event=pin.event) if units is None else units)
