"""The board deck: slides for the presentation page and the PDF, pinned to data versions.

A deck is pinned by the import ids it was made from (status report, previous status report,
prognosis, previous prognosis, and the newest import for indicators), so its link shows the same
numbers after later uploads. Pure module: a query function in, slides out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dashboard import analysis, charts
from dashboard.numbers import fmt_date, fmt_int, fmt_mill, fmt_pct
from dashboard.theme import SCORE_WORDS

Query = Callable[..., pd.DataFrame]
SCALE = 1.55  # chart type scale for the projector
MAX_ROWS = 6  # table rows that fit a 1280×720 slide at 24 px (one line each)


def short(value: object, limit: int = 52) -> object:
    """Shorten long text for a slide table (the full text is on the dashboard pages)."""
    if isinstance(value, str) and len(value) > limit:
        return value[: limit - 1].rstrip() + "…"
    return value


@dataclass(frozen=True)
class Pin:
    """The data versions a deck shows (import ids); 0 = none."""

    unit: str
    status: int = 0
    status_before: int = 0
    prognosis: int = 0
    prognosis_before: int = 0
    asof: int = 0
    # the reporting rounds, when one import holds several («Status juni 2023» …); "" = its only one
    status_round: str = ""
    status_before_round: str = ""

    def to_params(self) -> dict[str, str]:
        """The pinned versions as URL parameters (the unit travels in «enhet», bound to its widget)."""
        params = {
            "status": str(self.status),
            "forrige_status": str(self.status_before),
            "prognose": str(self.prognosis),
            "forrige_prognose": str(self.prognosis_before),
            "data": str(self.asof),
        }
        if self.status_round:
            params["runde"] = self.status_round
        if self.status_before_round:
            params["forrige_runde"] = self.status_before_round
        return params

    @classmethod
    def from_params(cls, unit: str, params: dict[str, Any]) -> Pin | None:
        try:
            return cls(
                unit,
                int(params.get("status", 0)),
                int(params.get("forrige_status", 0)),
                int(params.get("prognose", 0)),
                int(params.get("forrige_prognose", 0)),
                int(params["data"]),
                str(params.get("runde", "")),
                str(params.get("forrige_runde", "")),
            )
        except (KeyError, ValueError):
            return None


@dataclass
class Slide:
    title: str
    subtitle: str = ""
    figure: Any = None
    table: pd.DataFrame | None = None
    bullets: list[str] = field(default_factory=list)
    big: list[tuple[str, str]] = field(
        default_factory=list
    )  # (number, label) for the title/overview


def current_pin(q: Query, unit: str, plan: str | None, round_: str | None) -> Pin:
    """Pin the versions the dashboard shows now for a unit (and plan/round)."""
    status = before = prog = prog_before = 0
    status_round = before_round = ""
    plans = q("plan_summary", unit=unit)
    if plan and not plans.empty:
        current, previous = analysis.rounds_around(plans, plan, round_)
        if current is not None:
            status = int(current["import_id"])
            status_round = _round_if_shared(plans, current)
        if previous is not None:
            before = int(previous["import_id"])
            before_round = _round_if_shared(plans, previous)
    versions = q("prognosis_versions", unit=unit)
    if not versions.empty:
        prog = int(versions.iloc[0]["import_id"])
        if len(versions) > 1:
            prog_before = int(versions.iloc[1]["import_id"])
    log = q("import_log", unit=None)
    asof = int(log["import_id"].max()) if not log.empty else 0
    return Pin(unit, status, before, prog, prog_before, asof, status_round, before_round)


def _round_if_shared(plans: pd.DataFrame, row: pd.Series) -> str:
    """The round's label when its import holds other rounds too (so a pin must name it)."""
    return str(row["round"]) if (plans["import_id"] == row["import_id"]).sum() > 1 else ""


def _imported(q: Query, import_id: int) -> str:
    log = q("import_log", unit=None)
    row = log[log["import_id"] == import_id]
    return fmt_date(row.iloc[0]["imported_at"]) if not row.empty else "–"


def _lines(budget: pd.DataFrame) -> pd.DataFrame:
    """Budget rows of one import, one row per line (budget, prognosis, deviation)."""
    year = budget[budget["kind"] == "prognosis"]["year"].max()
    rows = budget[
        (budget["year"] == year) & budget["kind"].isin(["budget", "prognosis", "deviation"])
    ]
    wide = rows.pivot_table(
        index=["line", "line_order", "line_group"],
        columns="kind",
        values="amount_knok",
        aggfunc="sum",
        dropna=False,
    ).reset_index()
    wide = wide.dropna(subset=[c for c in ("budget", "prognosis") if c in wide], how="all")
    for col in ("budget", "prognosis", "deviation"):
        if col not in wide:
            wide[col] = None
    wide["deviation"] = wide["deviation"].fillna(wide["budget"] - wide["prognosis"])
    wide["year"] = year
    return wide.sort_values("line_order").reset_index(drop=True)


def build(q: Query, pin: Pin, unit_name: str) -> list[Slide]:
    """All slides for a pinned deck, each with one message."""
    slides: list[Slide] = []
    status = (
        q("pinned_status", import_id=pin.status, round=pin.status_round or None)
        if pin.status
        else pd.DataFrame()
    )
    before = (
        q("pinned_status", import_id=pin.status_before, round=pin.status_before_round or None)
        if pin.status_before
        else pd.DataFrame()
    )
    budget = q("pinned_budget", import_id=pin.prognosis) if pin.prognosis else pd.DataFrame()
    budget_before = (
        q("pinned_budget", import_id=pin.prognosis_before)
        if pin.prognosis_before
        else pd.DataFrame()
    )
    versions = []
    if not status.empty:
        versions.append(f"{status['round'].iloc[0]} ({_imported(q, pin.status)})")
    if not budget.empty:
        versions.append(f"{budget['label'].iloc[0]} ({_imported(q, pin.prognosis)})")
    data_text = "Data: " + (" · ".join(versions) if versions else "ingen")
    title = Slide(
        unit_name,
        f"{status['plan'].iloc[0]} – {status['round'].iloc[0]}"
        if not status.empty
        else "Status og økonomi",
        bullets=[data_text, f"Laget {fmt_date(pd.Timestamp.now())} · Målbilde"],
    )
    slides.append(title)

    big: list[tuple[str, str]] = []
    if not status.empty:
        n = len(status)
        scored = status["score"].notna().any()
        started = (
            int((status["score"] >= 2).sum())
            if scored
            else int((status["category"] != "Ikke igangsatt").sum())
        )
        done = (
            int((status["score"] >= 4).sum())
            if scored
            else int((status["category"] == "Gjennomført").sum())
        )
        big += [
            (
                f"{started} av {n}",
                "tiltak er igangsatt" if scored else "tiltak er i gang eller gjennomført",
            ),
            (
                fmt_pct(done / n if n else 0),
                "er gjennomført (status 4–5)" if scored else "er gjennomført",
            ),
        ]
    lines = _lines(budget) if not budget.empty else pd.DataFrame()
    b_res = analysis.result_of(lines, "budget") if not lines.empty else None
    p_res = analysis.result_of(lines, "prognosis") if not lines.empty else None
    if b_res is not None and p_res is not None:
        big.append((fmt_mill(p_res - b_res), "prognosert resultat mot budsjett"))
    if big:
        slides.append(Slide(f"{big[0][0]} {big[0][1]}", data_text, big=big))

    if not status.empty:
        counts = analysis.counts_by_area(status)
        head = slides[1].title if len(slides) > 1 else "Status per område"
        worst = status.assign(
            low=(status["score"] < 2)
            if status["score"].notna().any()
            else status["category"].isin(["Ikke igangsatt", "Utsatt", "Forsinket"])
        )
        by_area = worst.groupby("area")["low"].mean()
        slides.append(
            Slide(
                head,
                f"Status per område · {data_text}",
                figure=charts.status_by_area(
                    counts,
                    head,
                    f"Flest tiltak som ikke er i gang: {by_area.idxmax()}",
                    scale=SCALE,
                ),
            )
        )
        late = status[status["category"].isin(["Forsinket", "Utsatt"])]
        if late.empty and status["score"].notna().any():
            late = status[status["score"] == 0]
            what = "ikke igangsatt"
        else:
            what = "forsinket eller utsatt"
        if not late.empty:
            table = pd.DataFrame(
                {
                    "Tiltak": late["title"],
                    "Område": late["area"],
                    "Status": [
                        s
                        if isinstance(s, str)
                        else SCORE_WORDS.get(int(sc))
                        if pd.notna(sc)
                        else ""
                        for s, sc in zip(late["status_text"], late["score"], strict=True)
                    ],
                }
            )
            slides.append(Slide(f"{len(late)} tiltak er {what}", data_text, table=table))
    if not status.empty and not before.empty:
        changes = analysis.status_changes(before, status)
        rows = []
        for frame, word in ((changes.rose, "steg"), (changes.fell, "falt")):
            for _, r in frame.iterrows():
                rows.append(
                    {
                        "Tiltak": r["title"],
                        "Endring": word,
                        "Før → nå": f"{_word(r['score_før'], r['category_før'])} → {_word(r['score'], r['category'])}",
                    }
                )
        rows += [{"Tiltak": t, "Endring": "nytt", "Før → nå": ""} for t in changes.new["title"]]
        rows += [
            {"Tiltak": t, "Endring": "tatt ut", "Før → nå": ""} for t in changes.dropped["title"]
        ]
        head = (
            f"{len(changes.rose)} tiltak har steget og {len(changes.fell)} falt siden {before['round'].iloc[0]}"
            if rows
            else f"Ingen endringer siden {before['round'].iloc[0]}"
        )
        slides.append(
            Slide(
                head,
                "Endringer siden forrige rapport · " + data_text,
                table=pd.DataFrame(rows) if rows else None,
            )
        )
    if not lines.empty and b_res is not None and p_res is not None:
        label = budget["label"].iloc[0]
        steps = analysis.waterfall_steps(lines)
        verb = "svekker" if p_res < b_res else "styrker"
        head = f"Prognosen {verb} resultatet med {fmt_mill(abs(p_res - b_res))}"
        if not steps.empty:
            slides.append(
                Slide(
                    head,
                    f"BFV, {label}, 1000 kr",
                    figure=charts.waterfall(
                        steps,
                        b_res,
                        p_res,
                        head,
                        f"Største driver: {steps.iloc[0]['label']} · grønt styrker, rødt svekker",
                        scale=SCALE,
                    ),
                )
            )
        slides.append(
            Slide(
                f"Avvik per linje: {label}",
                "avvik = budsjett − prognose",
                figure=charts.budget_deviation(
                    lines,
                    f"Avvik per linje, {label}",
                    "Budsjett: omriss · prognose: skravert · 1000 kr",
                    scale=SCALE,
                ),
            )
        )
        if not budget_before.empty:
            old = _lines(budget_before)
            moves = analysis.prognosis_moves(old, lines, 1000)
            if not moves.empty:
                slides.append(
                    Slide(
                        f"{len(moves)} prognoselinjer flyttet seg mer enn 1 mill. kr siden {budget_before['label'].iloc[0]}",
                        "Endringer siden forrige prognose · 1000 kr",
                        table=pd.DataFrame(
                            {
                                "Linje": moves["line"],
                                "Før": moves["prognosis_før"].map(fmt_int),
                                "Nå": moves["prognosis"].map(fmt_int),
                                "Endring": moves["endring"].map(
                                    lambda v: ("+" if v > 0 else "") + fmt_int(v)
                                ),
                            }
                        ),
                    )
                )
        plan = budget[
            budget["kind"].isin(["previous_prognosis", "long_term_plan"])
            & budget["line"].isin(["IB", "Resultat", "UB"])
        ]
        if not plan.empty and (plan["kind"] == "long_term_plan").any():
            plan = plan.assign(
                period=[
                    str(y) if k == "long_term_plan" else f"{y} prognose"
                    for y, k in zip(plan["year"], plan["kind"], strict=True)
                ]
            )
            plan = plan.sort_values(["year", "kind"], ascending=[True, False])
            ub = plan[plan["line"] == "UB"]
            head = f"UB går fra {fmt_mill(ub['amount_knok'].iloc[0])} til {fmt_mill(ub['amount_knok'].iloc[-1])} i {ub['year'].iloc[-1]}"
            slides.append(
                Slide(
                    head,
                    "Langtidsbudsjett, 1000 kr",
                    figure=charts.multiyear(
                        plan, head, "Resultat per år (stolper) og UB (linje)", scale=SCALE
                    ),
                )
            )
    if pin.asof:
        series = q("pinned_indicators", unit=pin.unit, asof=pin.asof)
        if not series.empty:
            table = analysis.indicator_table(series)
            behind = table[table["status"].isin(["bak", "ikke nådd"])]
            judged = table[table["status"].isin(["nådd", "i rute", "bak", "ikke nådd"])]
            if not judged.empty:
                rows = pd.DataFrame(
                    {
                        "Resultatmål": behind["indicator"],
                        "Siste": [
                            f"{charts.describe_number(v, u)} ({y})"
                            for v, u, y in zip(
                                behind["latest_value"],
                                behind["measure_unit"],
                                behind["latest_year"],
                                strict=True,
                            )
                        ],
                        "Mål": [
                            charts.describe_number(g, u)
                            for g, u in zip(behind["goal"], behind["measure_unit"], strict=True)
                        ],
                        "Status": behind["status"],
                    }
                )
                slides.append(
                    Slide(
                        f"{len(behind)} av {len(judged)} resultatmål er bak eller ikke nådd",
                        "Resultatmål med mål og verdier",
                        table=rows if len(rows) else None,
                        bullets=[]
                        if len(rows)
                        else ["Alle resultatmål med tall er nådd eller i rute."],
                    )
                )
    for slide in slides[1:]:  # the data date on every slide
        if "Data:" not in slide.subtitle:
            slide.subtitle = f"{slide.subtitle} · {data_text}" if slide.subtitle else data_text
    return slides


def _word(score: object, category: object) -> str:
    if score is not None and not pd.isna(score):
        return str(int(score))
    return str(category) if category is not None and not pd.isna(category) else "–"
