"""A reporting round as of a pinned view: who has reported (per responsible unit: reported,
partly, not yet; overdue after the due date), which measures stand still or have no owner, the
reminder text — computed here once for the round page, Oversikt, the deck and `summary --json`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from dashboard import vocab
from dashboard.model.pin import Pin, Query
from dashboard.numbers import fmt_date, fmt_int
from dashboard.vocab import RoundState

UNIT_COLUMNS = ["unit", "name", "asked", "answered", "counted", "state", "overdue", "last_answer"]
APPROVAL_STATES = ("ikke påbegynt", "utkast", "sendt inn", "godkjent", "sendt tilbake")
APPROVAL_COLUMNS = ["unit", "state", "state_at", "state_by", "comment", "submitted_at"]


@dataclass
class RoundFigures:
    """One round: its facts (`row`), its measures with their answers (`rows`), the status
    history of those measures (`history`) and the units' names."""

    row: pd.Series
    rows: pd.DataFrame
    history: pd.DataFrame
    names: dict[str, str]
    today: dt.date
    approval: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=APPROVAL_COLUMNS))

    # ---- the round
    @cached_property
    def round_id(self) -> int:
        """The round's id."""
        return int(self.row["round_id"])

    @cached_property
    def label(self) -> str:
        """The round's label («Status 2025»)."""
        return str(self.row["label"])

    @cached_property
    def plan(self) -> str:
        """The plan the round asks about."""
        return str(self.row["plan"])

    @cached_property
    def unit(self) -> str:
        """The unit the round was opened for."""
        return str(self.row["unit"])

    @cached_property
    def title(self) -> str:
        """«Handlingsplan 2025 · Status 2025»."""
        return f"{self.plan} · {self.label}"

    @cached_property
    def is_open(self) -> bool:
        """Whether the round is still open."""
        return not bool(self.row["closed"])

    @cached_property
    def due(self) -> dt.date | None:
        """The round's due date, if it has one."""
        due = self.row["due"]
        return None if due is None or pd.isna(due) else pd.Timestamp(due).date()

    @cached_property
    def past_due(self) -> bool:
        """Whether the round is open after its due date."""
        return self.is_open and self.due is not None and self.today > self.due

    @cached_property
    def state_text(self) -> str:
        """«åpen, frist 15.06.2025» / «åpen, fristen 15.06.2025 er passert» / «lukket 20.06.2025»."""
        if not self.is_open:
            return f"lukket {fmt_date(self.row['closed_at'])}"
        if self.due is None:
            return "åpen"
        if self.past_due:
            return f"åpen, fristen {fmt_date(self.due)} er passert"
        return f"åpen, frist {fmt_date(self.due)}"

    @cached_property
    def opened_text(self) -> str:
        """«åpnet 01.06.2025 av kari@ntnu.no»."""
        by = self.row["opened_by"]
        return f"åpnet {fmt_date(self.row['opened_at'])}" + (f" av {by}" if by else "")

    @cached_property
    def subtitle(self) -> str:
        """The line under the completeness chart (Oversikt, Runder, the deck): the round, its
        state and who has answered."""
        return f"Rapporteringsrunde {self.title}, {self.state_text} · {self.answered_text}"

    @cached_property
    def said(self) -> str:
        """What the round adds under its chart: the approvals (and, while open, the figures)."""
        return f"{self.approval_text}. {self.figures_text}" if self.is_open else self.approval_text

    def note_for(self, plan: str, report: str) -> str | None:
        """Whose answers a status report of `plan` counts, for Måloppnåelse: while the round of
        this plan is open, the approved units and those not yet; after, when `report` is the
        round's (None: the round is of another plan, or no answer has come in)."""
        if self.approval.empty or self.plan != plan:
            return None
        if self.is_open:
            shown = (
                "" if self.label == report else f" Figurene viser {report} til svar er godkjent."
            )
            return f"Rapporteringsrunde {self.title}: {self.figures_text}.{shown}"
        if self.label == report:
            return f"Rapporteringsrunde {self.title}: {self.approval_text}."
        return None

    @cached_property
    def reported_text(self) -> str:
        """«3 av 5»: units fully reported, of those asked."""
        return f"{self.n_reported} av {self.n_units}"

    @cached_property
    def answers_text(self) -> str:
        """«52 av 76»: measures answered, of those asked."""
        return f"{fmt_int(self.n_answered)} av {fmt_int(self.n_asked)}"

    @cached_property
    def stale_heading(self) -> str:
        """«Står stille: 4 tiltak»."""
        return f"Står stille: {len(self.stale)} tiltak"

    @cached_property
    def no_owner_heading(self) -> str:
        """«Uten ansvarlig: 2 tiltak»."""
        return f"Uten ansvarlig: {len(self.no_owner)} tiltak"

    @cached_property
    def ended_heading(self) -> str:
        """«Avsluttet i runden: 1 tiltak»."""
        return f"Avsluttet i runden: {len(self.ended)} tiltak"

    @cached_property
    def missing_text(self) -> str:
        """The units without complete answers, for closing the round («ingen»: none)."""
        return ", ".join(self.not_done) or "ingen"

    # ---- the measures
    @cached_property
    def asked(self) -> pd.DataFrame:
        """The measures the round asks about (those not ended)."""
        return self.rows[~self.rows["ended"]].reset_index(drop=True)

    @cached_property
    def ended(self) -> pd.DataFrame:
        """The measures ended in the round."""
        return self.rows[self.rows["ended"]].reset_index(drop=True)

    @cached_property
    def n_asked(self) -> int:
        """How many measures the round asks about."""
        return len(self.asked)

    @cached_property
    def n_answered(self) -> int:
        """How many of them have an answer."""
        return int(self.asked["answered"].sum())

    @cached_property
    def by_unit(self) -> pd.DataFrame:
        """Per responsible unit: measures asked and answered, its state, whether overdue."""
        if self.asked.empty:
            return pd.DataFrame(columns=UNIT_COLUMNS)
        g = self.asked.groupby("unit", sort=False)
        out = pd.DataFrame(
            {
                "asked": g.size(),
                "answered": g["answered"].sum().astype(int),
                "counted": g["counted"].sum().astype(int),
                "last_answer": g["imported_at"].max(),
            }
        ).reset_index()
        out["name"] = out["unit"].map(lambda u: self.names.get(u, u))
        out["state"] = [
            RoundState.REPORTED if a == n else RoundState.PARTLY if a else RoundState.MISSING
            for a, n in zip(out["answered"], out["asked"], strict=True)
        ]
        out["overdue"] = self.past_due & (out["state"] != RoundState.REPORTED)
        out["state"] = out["state"].map(str)
        return out[UNIT_COLUMNS]

    def units_in(self, state: RoundState) -> list[str]:
        """The units whose reporting stands in `state`."""
        return list(self.by_unit.loc[self.by_unit["state"] == state, "unit"])

    @cached_property
    def n_units(self) -> int:
        """How many units the round asks."""
        return len(self.by_unit)

    @cached_property
    def n_reported(self) -> int:
        """How many units have reported."""
        return len(self.units_in(RoundState.REPORTED))

    @cached_property
    def not_done(self) -> list[str]:
        """Units not yet fully reported, missing ones first."""
        return self.units_in(RoundState.MISSING) + self.units_in(RoundState.PARTLY)

    @cached_property
    def headline(self) -> str:
        """The finding: the title of the completeness chart and of the deck's slide."""
        done = f"{self.n_reported} av {self.n_units} enheter har rapportert"
        missing = self.units_in(RoundState.MISSING)
        if not missing:
            partly = self.units_in(RoundState.PARTLY)
            return done + (f"; {_names(partly)} delvis" if partly else "")
        verb = "mangler" if self.is_open else "svarte ikke"
        partly = self.units_in(RoundState.PARTLY)
        return f"{done}; {_names(missing)} {verb}" + (
            f", {_names(partly)} delvis" if partly else ""
        )

    @cached_property
    def answered_text(self) -> str:
        """«Svar på 52 av 76 tiltak»."""
        return f"Svar på {self.answers_text} tiltak"

    @cached_property
    def n_counted(self) -> int:
        """Measures whose answer counts in the figures: answered, and the answer approved."""
        return int(self.asked["counted"].sum())

    def coverage(self, unit: str) -> str | None:
        """What a status figure of `unit` in this round rests on, when not every answer is in
        and approved: «bygger på godkjente svar for 20 av 32 tiltak, runden er åpen»."""
        own = self.asked[self.asked["unit"] == unit]
        if own.empty:
            return None
        counted = int(own["counted"].sum())
        if counted == len(own) and not self.is_open:
            return None
        where = "runden er åpen" if self.is_open else "runden er lukket"
        return f"bygger på godkjente svar for {counted} av {len(own)} tiltak, {where}"

    # ---- approval: the approved answers are the round's figures
    def approval_in(self, state: str) -> list[str]:
        """The units whose answers stand in `state` (one of APPROVAL_STATES)."""
        return list(self.approval.loc[self.approval["state"] == state, "unit"])

    @cached_property
    def approval_of(self) -> dict[str, str]:
        """{unit: ikke påbegynt / utkast / sendt inn / godkjent / sendt tilbake}."""
        return dict(zip(self.approval["unit"], self.approval["state"], strict=True))

    @cached_property
    def approved(self) -> list[str]:
        """The units whose answers are approved."""
        return self.approval_in("godkjent")

    @cached_property
    def unapproved(self) -> list[str]:
        """Units with answers in that are not approved (sent in, or sent back)."""
        return self.approval_in("sendt inn") + self.approval_in("sendt tilbake")

    @cached_property
    def approval_text(self) -> str:
        """«Svarene fra MH-INB og MH-ISB er godkjent; MH-IKOM venter på godkjenning» (a closed
        round: «…; svarene fra MH-IKOM ble ikke godkjent og er ikke med i tallene»)."""
        approved, waiting = self.approved, self.approval_in("sendt inn")
        back = self.approval_in("sendt tilbake")
        if not approved and not waiting and not back:
            return "Ingen enhet har sendt inn svar ennå." if self.is_open else "Ingen svar kom inn."
        if not self.is_open:
            parts = [
                f"Svarene fra {_names(approved)} er godkjent"
                if approved
                else "Ingen svar ble godkjent"
            ]
            if waiting or back:
                parts.append(
                    f"svarene fra {_names(waiting + back)} ble ikke godkjent og er ikke med i tallene"
                )
            return "; ".join(parts)
        parts = [
            f"Svarene fra {_names(approved)} er godkjent"
            if approved
            else "Ingen svar er godkjent ennå"
        ]
        if waiting:
            parts.append(f"{_names(waiting)} venter på godkjenning")
        if back:
            parts.append(f"{_names(back)} er sendt tilbake for retting")
        return "; ".join(parts)

    @cached_property
    def figures_text(self) -> str:
        """What the round's figures hold, for Oversikt and Måloppnåelse while it is open:
        «Tallene for Status juni 2020 teller godkjente svar: MH-INB, MH-ISB; venter: MH-IKOM;
        ikke sendt inn: MH-ISM»."""
        table = self.approval
        if table.empty:
            return ""
        groups = [
            ("venter", ["sendt inn"]),
            ("sendt tilbake", ["sendt tilbake"]),
            ("ikke sendt inn", ["ikke påbegynt", "utkast"]),
        ]
        approved = self.approved
        parts = [f"godkjent: {', '.join(approved)}" if approved else "ingen godkjent ennå"]
        for word, states in groups:
            units = list(table.loc[table["state"].isin(states), "unit"])
            if units:
                parts.append(f"{word}: {', '.join(units)}")
        return f"Tallene for {self.label} teller bare godkjente svar – " + "; ".join(parts)

    # ---- measures to look at
    @cached_property
    def stale(self) -> pd.DataFrame:
        """Measures not yet done whose last vocab.STALE_ROUNDS reports or more say the same
        status («rounds»: how many reports in a row)."""
        cols = ["unit", "key", "title", "status", "rounds"]
        if self.asked.empty or self.history.empty:
            return pd.DataFrame(columns=cols)
        runs = {
            (unit, key): _same_in_a_row(seq)
            for (unit, key), seq in self.history.groupby(["unit", "measure_key"], sort=False)
        }
        a = self.asked.copy()
        a["rounds"] = [
            runs.get((u, k), 0) for u, k in zip(a["unit"], a["measure_key"], strict=True)
        ]
        a = a[a["rounds"] >= vocab.STALE_ROUNDS]
        a["status"] = [
            vocab.status_word(s, c) if ans else vocab.status_word(ps, pc)
            for s, c, ps, pc, ans in zip(
                a["score"],
                a["category"],
                a["prev_score"],
                a["prev_category"],
                a["counted"],
                strict=True,
            )
        ]
        return a.sort_values(["rounds", "unit"], ascending=[False, True])[cols].reset_index(
            drop=True
        )

    @cached_property
    def no_owner(self) -> pd.DataFrame:
        """The measures asked about that have no owner (unit, key, title)."""
        own = self.asked["owner"].fillna("").astype(str).str.strip()
        return self.asked[own == ""][["unit", "key", "title"]].reset_index(drop=True)

    @cached_property
    def reminder(self) -> str:
        """A reminder to copy into an e-mail to the units still missing (an open round only)."""
        if not self.not_done or not self.is_open:
            return ""
        lines = [f"Påminnelse: statusrapport for {self.title}", ""]
        due = f" innen {fmt_date(self.due)}" if self.due else ""
        passed = " Fristen er passert." if self.past_due else ""
        lines.append(
            f"Vi mangler fortsatt svar fra enhetene under. Fyll ut arbeidsboka dere fikk og send "
            f"den tilbake{due}.{passed}"
        )
        lines.append("")
        table = self.by_unit.set_index("unit")
        for unit in self.not_done:
            row = table.loc[unit]
            lines.append(
                f"- {unit} – {row['name']}: {int(row['answered'])} av {int(row['asked'])} tiltak besvart"
            )
        return "\n".join(lines)


def _same_in_a_row(reports: pd.DataFrame) -> int:
    """How many of a measure's reports, counted back from the newest, say the same status
    (0 when it has none, or when the newest says it is done: finished is not standing still)."""
    given = [
        (s, c)
        for s, c in zip(reports["score"], reports["category"], strict=True)
        if vocab.level(s, c) is not None
    ]
    if not given or vocab.is_done(*given[-1]):
        return 0
    newest = vocab.level(*given[-1])
    same = 0
    for score, category in reversed(given):
        if vocab.level(score, category) != newest:
            break
        same += 1
    return same


def _names(units: list[str]) -> str:
    if len(units) <= 1:
        return "".join(units)
    if len(units) > 4:
        return f"{', '.join(units[:3])} og {len(units) - 3} til"
    return f"{', '.join(units[:-1])} og {units[-1]}"


def round_list(q: Query, pin: Pin) -> pd.DataFrame:
    """The rounds of the pinned unit (opened for it or asking it), newest first."""
    return q("rounds", unit=pin.unit, event=pin.event)


def round_figures(
    q: Query, pin: Pin, round_id: int | None = None, today: dt.date | None = None
) -> RoundFigures | None:
    """A round as of the pin: the one asked for, else the unit's open round, else its newest."""
    rounds = round_list(q, pin)
    if rounds.empty:
        return None
    if round_id is not None:
        hit = rounds[rounds["round_id"] == int(round_id)]
        if hit.empty:
            return None
        row = hit.iloc[0]
    else:
        open_ = rounds[~rounds["closed"]]
        row = (open_ if not open_.empty else rounds).iloc[0]
    rid = int(row["round_id"])
    units = q("units_with_data", event=pin.event)
    return RoundFigures(
        row=row,
        rows=q("round_progress", round_id=rid, event=pin.event),
        history=q("round_history", round_id=rid, event=pin.event),
        names=dict(zip(units["code"], units["name"], strict=True)) if not units.empty else {},
        today=today or dt.date.today(),
        approval=q("round_approval", round_id=rid, event=pin.event),
    )
