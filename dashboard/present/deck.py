"""The board deck: slides for the presentation page and the PDF, drawn from a pinned view.

Every number on a slide comes from the read model (dashboard.model.view) of the pin the deck
link carries, so the slides, the pages and `summary --json` agree, and the link shows the same
numbers after later uploads. Pure module: a view in, slides out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dashboard import vocab
from dashboard.model.resources import OWNER_LIMIT
from dashboard.model.view import View
from dashboard.numbers import describe_number, fmt_date, fmt_int, fmt_mill
from dashboard.present.charts import budget as budget_charts
from dashboard.present.charts import indicators as indicator_charts
from dashboard.present.charts import resources as resource_charts
from dashboard.present.charts import rounds as round_charts
from dashboard.present.charts import status as status_charts

SCALE = 1.55  # chart type scale for the projector
MAX_ROWS = 6  # table rows that fit a 1280×720 slide at 24 px (one line each)
MOVE_THRESHOLD = 1000  # 1000 kr: prognosis lines that moved more than 1 mill. kr


def short(value: object, limit: int = 52) -> object:
    """Shorten long text for a slide table (the full text is on the dashboard pages)."""
    if isinstance(value, str) and len(value) > limit:
        return value[: limit - 1].rstrip() + "…"
    return value


@dataclass
class Slide:
    title: str
    subtitle: str = ""
    figure: Any = None
    table: pd.DataFrame | None = None
    bullets: list[str] = field(default_factory=list)
    big: list[tuple[str, str]] = field(default_factory=list)  # (number, label): the overview


def data_text(v: View) -> str:
    """«Data: Status 2019 (importert 12.11.2023) · prognose oktober 2023 (importert …)»."""
    dates = v.import_dates

    def when(import_id: int | None) -> str:
        return f" (importert {fmt_date(dates[import_id])})" if import_id in dates else ""

    parts = []
    if v.status is not None:
        s = v.status
        cover = f", {s.coverage}" if s.coverage else ""
        parts.append(s.source if s.rolled_up else f"{s.round}{when(s.import_id)}{cover}")
    if v.budget is not None:
        b = v.budget
        parts.append(b.source if b.rolled_up else f"{b.label}{when(b.import_id)}")
    if v.resources is not None:
        parts.append(f"{v.resources.plan} (tiltak og ressurser)")
    return "Data: " + (" · ".join(parts) if parts else "ingen")


def title_slide(v: View, data: str) -> Slide:
    s = v.status
    sub = f"{s.plan} – {s.round}" if s is not None and not s.rolled_up else "Status og økonomi"
    return Slide(
        v.unit_name, sub, bullets=[data, f"Laget {fmt_date(pd.Timestamp.now())} · Målbilde"]
    )


def overview_slide(v: View, data: str) -> Slide | None:
    s, b, t = v.status, v.budget, v.targets
    big: list[tuple[str, str]] = []
    if s is not None:
        big.append((s.started_text, s.started_words))
        big.append((s.done_text, f"{s.done_words}: {s.share_done_text}"))
    if b is not None and b.result_effect is not None:
        big.append((fmt_mill(b.result_effect), "prognosert resultat mot budsjett"))
    if t is not None and len(t.judged):
        big.append((t.count_text, "resultatmål er nådd eller i rute"))
    if not big:
        return None
    title = s.headline if s is not None else f"{big[0][0]} {big[0][1]}"
    return Slide(title, data, big=big)


def status_slides(v: View, data: str) -> list[Slide]:
    s = v.status
    if s is None or s.measures.empty:
        return []
    head = f"Størst andel tiltak som ikke er i gang: {s.weakest_area}"  # by share, not count
    slides = [
        Slide(
            head,
            f"Status per område ({s.headline}) · {data}",
            figure=status_charts.status_by_area(s.by_area, head, s.detail, scale=SCALE),
        )
    ]
    late, what = s.flagged
    if not late.empty:
        table = pd.DataFrame(
            {
                "Tiltak": late["title"],
                "Område": late["area"],
                "Status": [
                    t if isinstance(t, str) else vocab.status_word(x, None, empty="")
                    for t, x in zip(late["status_text"], late["score"], strict=True)
                ],
            }
        )
        slides.append(Slide(f"{len(late)} tiltak er {what}", data, table=table))
    return slides


def changes_slide(v: View, data: str) -> Slide | None:
    s = v.status
    if s is None or s.previous is None:
        return None
    changes = s.changes
    rows = []
    for frame, word in ((changes.rose, "steg"), (changes.fell, "falt")):
        for _, r in frame.iterrows():
            before = vocab.status_word(r["score_før"], r["category_før"], empty="–")
            now = vocab.status_word(r["score"], r["category"], empty="–")
            rows.append({"Tiltak": r["title"], "Endring": word, "Før → nå": f"{before} → {now}"})
    rows += [{"Tiltak": t, "Endring": "nytt", "Før → nå": ""} for t in changes.new["title"]]
    rows += [{"Tiltak": t, "Endring": "tatt ut", "Før → nå": ""} for t in changes.dropped["title"]]
    head = (
        f"{len(changes.rose)} tiltak har steget og {len(changes.fell)} falt siden "
        f"{s.previous_round}"
        if rows
        else f"Ingen endringer siden {s.previous_round}"
    )
    return Slide(
        head,
        "Endringer siden forrige rapport · " + data,
        table=pd.DataFrame(rows) if rows else None,
    )


def budget_slides(v: View) -> list[Slide]:
    b = v.budget
    if b is None or b.result_effect is None:
        return []
    slides = []
    steps = b.steps
    if not steps.empty and b.budget_result is not None and b.prognosis_result is not None:
        driver = f"Største driver: {steps.iloc[0]['label']} · grønt styrker, rødt svekker"
        figure = budget_charts.waterfall(
            steps, b.budget_result, b.prognosis_result, b.headline, driver, scale=SCALE
        )
        slides.append(Slide(b.headline, f"BFV, {b.source}, 1000 kr", figure=figure))
    slides.append(
        Slide(
            f"Avvik per linje: {b.source}",
            "avvik = budsjett − prognose",
            figure=budget_charts.budget_deviation(
                b.lines,
                f"Avvik per linje, {b.source}",
                "Budsjett: omriss · prognose: skravert · 1000 kr",
                scale=SCALE,
            ),
        )
    )
    moves = b.moves(MOVE_THRESHOLD)
    if not moves.empty:
        table = pd.DataFrame(
            {
                "Linje": moves["line"],
                "Før": moves["prognosis_før"].map(fmt_int),
                "Nå": moves["prognosis"].map(fmt_int),
                "Endring": moves["endring"].map(lambda x: ("+" if x > 0 else "") + fmt_int(x)),
            }
        )
        slides.append(
            Slide(
                f"{len(moves)} prognoselinjer flyttet seg mer enn 1 mill. kr siden "
                f"{b.previous_label}",
                "Endringer siden forrige prognose · 1000 kr",
                table=table,
            )
        )
    if b.multiyear is not None:
        ub = b.multiyear[b.multiyear["line"] == "UB"]
        head = (
            f"UB går fra {fmt_mill(ub['amount_knok'].iloc[0])} til "
            f"{fmt_mill(ub['amount_knok'].iloc[-1])} i {ub['year'].iloc[-1]}"
        )
        figure = budget_charts.multiyear(
            b.multiyear, head, "Resultat per år (stolper) og UB (linje)", scale=SCALE
        )
        slides.append(Slide(head, "Langtidsbudsjett, 1000 kr", figure=figure))
    return slides


def targets_slide(v: View) -> Slide | None:
    t = v.targets
    if t is None or t.judged.empty:
        return None
    behind = t.behind
    rows = pd.DataFrame(
        {
            "Resultatmål": behind["indicator"],
            "Siste": [
                f"{describe_number(x, u)} ({int(y)})"
                for x, u, y in zip(
                    behind["latest_value"],
                    behind["measure_unit"],
                    behind["latest_year"],
                    strict=True,
                )
            ],
            "Mål": [
                describe_number(g, u)
                for g, u in zip(behind["goal"], behind["measure_unit"], strict=True)
            ],
            "Status": behind["status"].astype(str),
        }
    )
    return Slide(
        f"{len(behind)} av {len(t.judged)} resultatmål er bak eller ikke nådd",
        f"{t.count_text} er nådd eller i rute · resultatmål med mål og verdier",
        table=rows if len(rows) else None,
        bullets=[] if len(rows) else ["Alle resultatmål med tall er nådd eller i rute."],
    )


def peers_slide(v: View) -> Slide | None:
    """The unit beside the other universities (the first peer group) in its main key figure."""
    p = v.peers_in(None)
    if p is None:
        return None
    c = p.main
    figure = indicator_charts.peer_ranking(
        c.ranking,
        float(c.latest["median"]),
        c.number(c.latest["median"]),
        c.title,
        c.subtitle,
        scale=SCALE,
    )
    # where the numbers come from (for a derived ratio: where its inputs come from)
    raw = {str(x) for x in c.values["source"].dropna()}
    sources = "; ".join(sorted({re.sub(r"^Beregnet: .*? \((.*)\)$", r"\1", x) for x in raw}))
    return Slide(c.title, f"{c.trend_text} · Data: {sources}", figure=figure)


def round_slide(v: View) -> Slide | None:
    """Who has reported in the unit's reporting round: while it is open, or when the report
    shown is that round's."""
    r = v.round
    if r is None or r.by_unit.empty:
        return None
    if not r.is_open and (v.status is None or v.status.round != r.label):
        return None
    sub = f"Rapporteringsrunde {r.title}, {r.state_text} · {r.answered_text}"
    figure = round_charts.completeness(r.by_unit, r.headline, sub, scale=SCALE)
    said = f"{r.approval_text}. {r.figures_text}" if r.is_open else r.approval_text
    return Slide(r.headline, f"{sub} · {said}", figure=figure)


def resource_slides(v: View) -> list[Slide]:
    """Ambitions against resources of the unit's newest plan with resources: one slide per
    question, and the last plan's evaluation."""
    r = v.resources
    if r is None:
        return []
    sub = f"{r.plan}, {r.n} tiltak"
    out = []
    if r.n:
        rc = resource_charts
        out += [
            Slide(
                r.funding_title,
                f"{sub} · 1000 kr",
                figure=rc.funding(r.funding_by_area, r.funding_title, sub, scale=SCALE),
            ),
            Slide(
                r.timing_title,
                sub,
                figure=rc.running_per_quarter(
                    r.by_quarter, r.timing_title, sub, r.capacity, scale=SCALE
                ),
            ),
            Slide(
                r.risk_title,
                sub,
                figure=rc.risk_by_status(r.risk_table, r.risk_title, sub, scale=SCALE),
            ),
            Slide(
                r.goals_title,
                sub,
                figure=rc.goal_coverage(r.goal_coverage, r.goals_title, sub, scale=SCALE),
            ),
        ]
        if not r.by_owner.empty:
            out.insert(
                2,
                Slide(
                    r.owners_title,
                    sub,
                    figure=rc.owners(r.by_owner, OWNER_LIMIT, r.owners_title, sub, scale=SCALE),
                ),
            )
    e = r if r.evaluation_title else r.previous
    if e is not None and e.evaluation_title:
        causes = ", ".join(f"{k.lower()} {n}" for k, n in e.causes.head(3).items())
        detail = f"Evaluering av {e.plan}" + (f" · årsaker: {causes}" if causes else "")
        figure = resource_charts.evaluation(e.graded, e.evaluation_title, detail, scale=SCALE)
        bullets = [f"{r.comparison}."] if e is not r and r.comparison else []
        out.append(Slide(e.evaluation_title, detail, figure=figure, bullets=bullets))
    return out


def build(v: View) -> list[Slide]:
    """All slides for a pinned view, each with one message and the data it shows."""
    from dashboard.present.economy_deck import economy_slides  # it builds on this module

    data = data_text(v)
    slides = [
        title_slide(v, data),
        overview_slide(v, data),
        round_slide(v),
        *status_slides(v, data),
        changes_slide(v, data),
        *budget_slides(v),
        targets_slide(v),
        peers_slide(v),
        *resource_slides(v),
        *economy_slides(v),
    ]
    slides = [s for s in slides if s is not None]
    for slide in slides[1:]:  # the data date on every slide
        if "Data:" not in slide.subtitle:
            slide.subtitle = f"{slide.subtitle} · {data}" if slide.subtitle else data
    return slides
