"""The board deck: slides for the presentation page and the PDF, drawn from a pinned view.

Every number on a slide comes from the read model (dashboard.model.view) of the pin the deck
link carries, so the slides, the pages and `summary --json` agree, and the link shows the same
numbers after later uploads. Pure module: a view in, slides out.
"""

from __future__ import annotations

import pandas as pd

from dashboard import vocab
from dashboard.model.resources import OWNER_LIMIT
from dashboard.model.view import View
from dashboard.numbers import describe_number, fmt_date, fmt_int
from dashboard.present.charts import budget as budget_charts
from dashboard.present.charts import indicators as indicator_charts
from dashboard.present.charts import resources as resource_charts
from dashboard.present.charts import rounds as round_charts
from dashboard.present.charts import status as status_charts
from dashboard.present.economy_deck import economy_slides
from dashboard.present.slides import MAX_ROWS, SCALE, Slide, short

__all__ = ["MAX_ROWS", "SCALE", "Slide", "build", "short"]


def title_slide(v: View, data: str) -> Slide:
    """The unit's name, the plan and round, where the data come from and when it was made."""
    return Slide(
        v.unit_name,
        v.deck_texts.title_subtitle,
        bullets=[data, f"Laget {fmt_date(pd.Timestamp.now())} · Målbilde"],
    )


def overview_slide(v: View, data: str) -> Slide | None:
    """The headline figures as big numbers."""
    d = v.deck_texts
    if not d.overview_numbers:
        return None
    return Slide(d.overview_title or "", data, big=d.overview_numbers)


def status_slides(v: View, data: str) -> list[Slide]:
    """Status per area, and the measures delayed or postponed (else not started)."""
    s = v.status
    if s is None or s.measures.empty:
        return []
    d = v.deck_texts
    head = d.area_title or ""
    slides = [
        Slide(
            head,
            f"{d.area_subtitle} · {data}",
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
        slides.append(Slide(d.flagged_title or "", data, table=table))
    return slides


def changes_slide(v: View, data: str) -> Slide | None:
    """The measures whose status rose or fell since the previous report, and the new and
    dropped ones."""
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
    return Slide(
        v.deck_texts.changes_title or "",
        "Endringer siden forrige rapport · " + data,
        table=pd.DataFrame(rows) if rows else None,
        page="Oversikt",
    )


def budget_slides(v: View) -> list[Slide]:
    """The waterfall, the deviation per line, the lines that moved and the multi-year plan."""
    b = v.budget
    if b is None or b.result_effect is None:
        return []
    slides = []
    if b.driver_title is not None:
        figure = budget_charts.waterfall(
            b.steps,
            b.budget_result,
            b.prognosis_result,
            b.driver_title,
            b.waterfall_subtitle,
            scale=SCALE,
        )
        slides.append(Slide(b.headline, b.waterfall_subtitle, figure=figure))
    figure = budget_charts.budget_deviation(
        b.lines, b.lines_title, b.deviation_subtitle, scale=SCALE
    )
    slides.append(Slide(b.lines_title, "avvik = budsjett − prognose", figure=figure))
    if b.moved_title is not None:
        moves = b.moved
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
                b.moved_title,
                "Endringer siden forrige prognose · 1000 kr",
                table=table,
                page="Budsjett",
            )
        )
    if b.multiyear_title is not None:
        figure = budget_charts.multiyear(
            b.multiyear, b.multiyear_title, b.multiyear_subtitle, scale=SCALE
        )
        slides.append(Slide(b.multiyear_title, "Langtidsbudsjett, 1000 kr", figure=figure))
    return slides


def targets_slide(v: View) -> Slide | None:
    """The result targets behind or not reached (else a line that all are on track)."""
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
        t.behind_title,
        t.behind_subtitle,
        table=rows if len(rows) else None,
        page="Indikatorer",
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
    return Slide(c.title, f"{c.trend_text} · Data: {c.sources_text}", figure=figure)


def round_slide(v: View) -> Slide | None:
    """Who has reported in the unit's reporting round: while it is open, or when the report
    shown is that round's."""
    r, d = v.round, v.deck_texts
    if r is None or not d.shows_round:
        return None
    figure = round_charts.completeness(r.by_unit, r.headline, d.round_subtitle, scale=SCALE)
    return Slide(r.headline, f"{d.round_subtitle} · {d.round_said}", figure=figure)


def resource_slides(v: View) -> list[Slide]:
    """Ambitions against resources of the unit's newest plan with resources: one slide per
    question, and the last plan's evaluation."""
    r = v.resources
    if r is None:
        return []
    d = v.deck_texts
    sub = d.resources_subtitle or ""
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
    e = d.evaluated
    if e is not None:
        detail = d.evaluation_subtitle or ""
        figure = resource_charts.evaluation(e.graded, e.evaluation_title, detail, scale=SCALE)
        out.append(Slide(e.evaluation_title, detail, figure=figure, bullets=d.evaluation_bullets))
    return out


def build(v: View) -> list[Slide]:
    """All slides for a pinned view, each with one message and the data it shows."""
    data = v.deck_texts.data_text
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
