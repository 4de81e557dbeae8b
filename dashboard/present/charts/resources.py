"""Chart builders for ambitions against resources (model/resources.py): DataFrame in, Plotly
figure out, one question per chart with the finding as its title (see charts/base.py)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import vocab
from dashboard.numbers import fmt_int
from dashboard.present import theme
from dashboard.present.charts.base import layout, text_safe

COVERAGE_ORDER = ("uten tiltak", "ingen igangsatt", "dekket")
COVERAGE_COLOURS = {
    "uten tiltak": theme.WORSE,
    "ingen igangsatt": "#E07B00",
    "dekket": theme.NTNU_BLUE,
}


def _height(rows: int, scale: float) -> int:
    return max(300, 150 + int(40 * scale) * rows)


def _counts(top: float, room: float = 1.0) -> dict:
    """A count axis: whole numbers only, with `room` (× the largest bar) for its label."""
    out: dict = {
        "tickformat": ",d",
        "rangemode": "tozero",
        "range": [0, max(float(top), 1.0) * room],
    }
    if top <= 6:
        out["dtick"] = 1
    elif top <= 12:
        out["dtick"] = 2  # one label a step reads at 1280×720 on a slide only up to about six
    return out


@text_safe
def funding(
    by_area: pd.DataFrame, title: str, subtitle: str | None = None, scale: float = 1.0
) -> go.Figure:
    """Need (outlined, as a plan in IBCS) against funding granted (solid) per area, 1000 kr."""
    data = by_area.iloc[::-1]
    fig = go.Figure()
    fig.add_bar(
        y=data["area"].tolist(),
        x=data["need"].fillna(0).tolist(),
        orientation="h",
        name="Ressursbehov",
        marker={"color": "white", "line": {"color": theme.BUDGET_LINE, "width": 2}},
        text=[fmt_int(v) if pd.notna(v) else "ikke anslått" for v in data["need"]],
        textposition="outside",
        hovertemplate="%{y}: behov %{x:,.0f} (1000 kr)<extra></extra>",
    )
    fig.add_bar(
        y=data["area"].tolist(),
        x=data["granted"].fillna(0).tolist(),
        orientation="h",
        name="Finansiert",
        marker={"color": theme.PROGNOSIS},
        width=0.4,
        hovertemplate="%{y}: finansiert %{x:,.0f} (1000 kr)<extra></extra>",
    )
    fig = layout(fig, title, subtitle, height=_height(len(data), scale), scale=scale)
    fig.update_layout(barmode="overlay", bargap=0.35)
    top = max([*data["need"].fillna(0).tolist(), *data["granted"].fillna(0).tolist(), 1.0])
    fig.update_xaxes(title_text="1000 kr", tickformat=",d", range=[0, top * 1.18])
    return fig


@text_safe
def running_per_quarter(
    by_quarter: pd.DataFrame,
    title: str,
    subtitle: str | None = None,
    capacity: int | None = None,
    scale: float = 1.0,
) -> go.Figure:
    """Measures running in each quarter; the busiest quarter dark, the capacity as a line."""
    top = by_quarter["running"].max() if not by_quarter.empty else 0
    colours = [theme.PROGNOSIS if v == top else theme.PREVIOUS for v in by_quarter["running"]]
    fig = go.Figure()
    fig.add_bar(
        x=[label.replace(". kv. ", ". kv.<br>") for label in by_quarter["label"]],
        y=by_quarter["running"].tolist(),
        marker={"color": colours},
        text=by_quarter["running"].tolist(),
        textposition="outside",
        name="Tiltak i gang",
        hovertemplate="%{x}: %{y} tiltak i gang<extra></extra>",
    )
    if capacity:
        fig.add_hline(
            y=capacity,
            line={"color": theme.WORSE, "dash": "dash", "width": 2},
            annotation_text=f"kapasitet {capacity}",
            annotation_position="top right",  # clear of the first quarters' bar labels
        )
    fig = layout(fig, title, subtitle, height=int(420 * scale), scale=scale)
    top = max([capacity or 0, *by_quarter["running"].tolist(), 1])
    fig.update_yaxes(title_text="Tiltak i gang", **_counts(top, 1.2))
    fig.update_xaxes(tickangle=0)  # «1. kv.» above «2023»: level, on two lines
    fig.update_layout(showlegend=False)
    return fig


@text_safe
def timeline(
    measures: pd.DataFrame, title: str, subtitle: str | None = None, scale: float = 1.0
) -> go.Figure:
    """A Gantt of the measures from start to planned end, in start order (RoundFigures-free:
    ResourceFigures.timeline rows)."""
    data = measures.iloc[::-1]
    start = pd.to_datetime(data["period_start"])
    end = pd.to_datetime(data["period_end"])
    names = [t if len(t) <= 48 else t[:47].rstrip() + "…" for t in data["title"]]
    fig = go.Figure()
    fig.add_bar(
        y=names,
        base=[d.isoformat() for d in start],
        x=[(b - a).total_seconds() * 1000 for a, b in zip(start, end, strict=True)],
        orientation="h",
        marker={"color": theme.PROGNOSIS},
        customdata=[
            [a.strftime("%d.%m.%Y"), b.strftime("%d.%m.%Y")]
            for a, b in zip(start, end, strict=True)
        ],
        hovertemplate="%{y}: %{customdata[0]}–%{customdata[1]}<extra></extra>",
    )
    fig = layout(fig, title, subtitle, height=_height(len(data), scale * 0.8), scale=scale)
    fig.update_xaxes(type="date", tickformat="%Y")
    fig.update_layout(showlegend=False)
    return fig


@text_safe
def owners(
    by_owner: pd.DataFrame, limit: int, title: str, subtitle: str | None = None, scale: float = 1.0
) -> go.Figure:
    """Running measures per owner; owners over `limit` in the warning colour."""
    data = by_owner.iloc[::-1]
    colours = [theme.WORSE if over else theme.PROGNOSIS for over in data["over_limit"]]
    fig = go.Figure()
    fig.add_bar(
        y=data["owner"].tolist(),
        x=data["running"].tolist(),
        orientation="h",
        marker={"color": colours},
        text=[f"{r} i gang av {m}" for r, m in zip(data["running"], data["measures"], strict=True)],
        textposition="outside",
        hovertemplate="%{y}: %{x} tiltak i gang<extra></extra>",
    )
    fig.add_vline(x=limit, line={"color": theme.MUTED, "dash": "dot"})
    fig = layout(fig, title, subtitle, height=_height(len(data), scale), scale=scale)
    top = max([limit, *data["running"].tolist()])
    fig.update_xaxes(title_text="Tiltak i gang", **_counts(top, 1.35))
    fig.update_layout(showlegend=False)
    return fig


@text_safe
def risk_by_status(
    risk_table: pd.DataFrame, title: str, subtitle: str | None = None, scale: float = 1.0
) -> go.Figure:
    """Measures per risk level (high first), stacked by status category."""
    data = risk_table.assign(
        risk=risk_table["risk"].fillna("ikke vurdert"),
        category=risk_table["category"].fillna(vocab.NOT_REPORTED),
    )
    levels = [str(r) for r in vocab.RISK_ORDER] + ["ikke vurdert"]
    levels = [lv for lv in levels if lv in set(data["risk"])][::-1]
    fig = go.Figure()
    for category in [*vocab.CATEGORY_ORDER, vocab.NOT_REPORTED]:
        rows = data[data["category"] == category]
        if rows.empty:
            continue
        counts = rows.groupby("risk").size().reindex(levels, fill_value=0)
        fig.add_bar(
            y=levels,
            x=counts.tolist(),
            orientation="h",
            name=str(category),
            marker={"color": theme.CATEGORY_COLOURS.get(category, "#BDBDBD")},
            hovertemplate=f"%{{y}} risiko, {category}: %{{x}} tiltak<extra></extra>",
        )
    fig = layout(fig, title, subtitle, height=_height(len(levels), scale), scale=scale)
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text="Tiltak", **_counts(data.groupby("risk").size().max()))
    return fig


@text_safe
def goal_coverage(
    coverage: pd.DataFrame, title: str, subtitle: str | None = None, scale: float = 1.0
) -> go.Figure:
    """Strategy goals per area: without a measure, with only measures not started, covered."""
    areas = list(dict.fromkeys(coverage["area"].fillna(vocab.NO_AREA)))[::-1]
    data = coverage.assign(area=coverage["area"].fillna(vocab.NO_AREA))
    fig = go.Figure()
    for state in COVERAGE_ORDER:
        counts = data[data["coverage"] == state].groupby("area").size().reindex(areas, fill_value=0)
        fig.add_bar(
            y=areas,
            x=counts.tolist(),
            orientation="h",
            name=state[0].upper() + state[1:],
            marker={"color": COVERAGE_COLOURS[state]},
            hovertemplate=f"%{{y}}: %{{x}} mål {state}<extra></extra>",
        )
    fig = layout(fig, title, subtitle, height=_height(len(areas), scale), scale=scale)
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text="Strategimål", **_counts(data.groupby("area").size().max()))
    return fig


@text_safe
def evaluation(
    graded: pd.DataFrame, title: str, subtitle: str | None = None, scale: float = 1.0
) -> go.Figure:
    """Measures per grade, best first; the good grades dark."""
    grades = [str(g) for g in vocab.Grade]
    counts = graded.groupby("grade").size().reindex(grades, fill_value=0)
    good = {str(g) for g in vocab.GOOD_GRADES}
    fig = go.Figure()
    fig.add_bar(
        x=[g[0].upper() + g[1:] for g in grades],
        y=counts.tolist(),
        marker={"color": [theme.PROGNOSIS if g in good else theme.PREVIOUS for g in grades]},
        text=counts.tolist(),
        textposition="outside",
        hovertemplate="%{x}: %{y} tiltak<extra></extra>",
    )
    fig = layout(fig, title, subtitle, height=int(420 * scale), scale=scale)
    fig.update_yaxes(title_text="Tiltak", **_counts(max(counts.tolist() + [1]), 1.2))
    fig.update_layout(showlegend=False)
    return fig
