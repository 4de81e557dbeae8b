"""The board deck's own headlines and lines of one pinned view: what the slides say beyond the
titles the pages share (those live on the parts: BudgetFigures, TargetFigures …). Worded once
here, so the Presentasjon page, the PDF and the agreement test read the same string."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from dashboard.model.budget import BudgetFigures
from dashboard.model.resources import ResourceFigures
from dashboard.model.rounds import RoundFigures
from dashboard.model.status import StatusFigures
from dashboard.model.targets import TargetFigures
from dashboard.numbers import fmt_date, fmt_mill


@dataclass
class DeckTexts:
    """The deck's words for one view (built by `View.deck_texts`)."""

    status: StatusFigures | None
    budget: BudgetFigures | None
    targets: TargetFigures | None
    round: RoundFigures | None
    resources: ResourceFigures | None
    import_dates: dict[int, pd.Timestamp]

    def _when(self, import_id: int | None) -> str:
        """« (importert 12.11.2023)» for an import, empty when unknown."""
        if import_id is None or int(import_id) not in self.import_dates:
            return ""
        return f" (importert {fmt_date(self.import_dates[int(import_id)])})"

    @cached_property
    def data_text(self) -> str:
        """«Data: Status 2019 (importert 12.11.2023) · prognose oktober 2023 (importert …)»."""
        v, parts = self, []
        if v.status is not None:
            s = v.status
            cover = f", {s.coverage}" if s.coverage else ""
            parts.append(s.source if s.rolled_up else f"{s.round}{self._when(s.import_id)}{cover}")
        if v.budget is not None:
            b = v.budget
            parts.append(b.source if b.rolled_up else f"{b.label}{self._when(b.import_id)}")
        if v.resources is not None:
            parts.append(f"{v.resources.plan} (tiltak og ressurser)")
        return "Data: " + (" · ".join(parts) if parts else "ingen")

    @cached_property
    def title_subtitle(self) -> str:
        """The title slide's line: the plan and round shown, else «Status og økonomi»."""
        s = self.status
        return f"{s.plan} – {s.round}" if s is not None and not s.rolled_up else "Status og økonomi"

    @cached_property
    def overview_numbers(self) -> list[tuple[str, str]]:
        """The overview slide's big numbers: (number, what it counts)."""
        s, b, t = self.status, self.budget, self.targets
        big: list[tuple[str, str]] = []
        if s is not None:
            big.append((s.started_text, s.started_words))
            big.append((s.done_text, f"{s.done_words}: {s.share_done_text}"))
        if b is not None and b.result_effect is not None:
            big.append((fmt_mill(b.result_effect), "prognosert resultat mot budsjett"))
        if t is not None and len(t.judged):
            big.append((t.count_text, "resultatmål er nådd eller i rute"))
        return big

    @cached_property
    def overview_title(self) -> str | None:
        """The overview slide's title: the status headline, else its first big number."""
        if self.status is not None:
            return self.status.headline
        big = self.overview_numbers
        return f"{big[0][0]} {big[0][1]}" if big else None

    @cached_property
    def area_title(self) -> str | None:
        """«Størst andel tiltak som ikke er i gang: …» (by share, not count)."""
        s = self.status
        if s is None or s.measures.empty:
            return None
        return f"Størst andel tiltak som ikke er i gang: {s.weakest_area}"

    @cached_property
    def area_subtitle(self) -> str | None:
        """The line under it: the status headline."""
        s = self.status
        return None if s is None else f"Status per område ({s.headline})"

    @cached_property
    def flagged_title(self) -> str | None:
        """«4 tiltak er forsinket eller utsatt» (None: none flagged)."""
        s = self.status
        if s is None or s.measures.empty:
            return None
        late, what = s.flagged
        return None if late.empty else f"{len(late)} tiltak er {what}"

    @cached_property
    def changes_title(self) -> str | None:
        """«3 tiltak har steget og 1 falt siden …», or «Ingen endringer siden …»."""
        s = self.status
        if s is None or s.previous is None:
            return None
        c = s.changes
        if not c.count:
            return f"Ingen endringer siden {s.previous_round}"
        return f"{len(c.rose)} tiltak har steget og {len(c.fell)} falt siden {s.previous_round}"

    @cached_property
    def shows_round(self) -> bool:
        """Whether the deck shows the round: while it is open, or when the status report shown
        is that round's."""
        r, s = self.round, self.status
        if r is None or r.by_unit.empty:
            return False
        return r.is_open or (s is not None and s.round == r.label)

    @cached_property
    def round_subtitle(self) -> str | None:
        """The round slide's line: the round, its state and who has answered."""
        r = self.round
        if r is None:
            return None
        return r.subtitle

    @cached_property
    def round_said(self) -> str | None:
        """What the round slide adds: the approvals (and, while open, the figures)."""
        r = self.round
        if r is None:
            return None
        return r.said

    @cached_property
    def resources_subtitle(self) -> str | None:
        """«Plan 2025, 12 tiltak» under every resource slide."""
        r = self.resources
        return None if r is None else f"{r.plan}, {r.n} tiltak"

    @cached_property
    def evaluated(self) -> ResourceFigures | None:
        """The plan whose evaluation the deck shows: this one's, else the previous plan's."""
        return None if self.resources is None else self.resources.evaluated

    @cached_property
    def evaluation_subtitle(self) -> str | None:
        """«Evaluering av … · årsaker: …» (the three commonest causes)."""
        e = self.evaluated
        if e is None:
            return None
        causes = ", ".join(f"{k.lower()} {n}" for k, n in e.causes.head(3).items())
        return f"Evaluering av {e.plan}" + (f" · årsaker: {causes}" if causes else "")

    @cached_property
    def evaluation_bullets(self) -> list[str]:
        """The comparison of this plan with the evaluated last one, when they differ."""
        r, e = self.resources, self.evaluated
        if r is None or e is None or e is r or not r.comparison:
            return []
        return [f"{r.comparison}."]
