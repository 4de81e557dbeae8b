"""Indicator charts: the grid of target indicators against their targets, one indicator in
detail, and the unit beside its peers (ranking and trend)."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.present import theme
from dashboard.present.charts.base import layout, text_safe


def _indicator_traces(
    fig: go.Figure,
    row: pd.Series,
    r: int | None = None,
    c: int | None = None,
    show_legend: bool = False,
    scale: float = 1.0,
) -> None:
    kw = {"row": r, "col": c} if r else {}
    years = [p[0] for p in row["points"]]
    values = [p[1] for p in row["points"]]
    fig.add_scatter(
        x=years,
        y=values,
        mode="lines+markers",
        name="Faktisk",
        showlegend=show_legend,
        line={"color": theme.TEXT, "width": 2.5},
        marker={"size": 7 * scale},
        hovertemplate="%{x}: %{y:,.2f}<extra></extra>",
        **kw,
    )
    if row.get("goal") is not None and not pd.isna(row.get("goal")):
        lo = (
            min(years + ([row["target_year"]] if row.get("target_year") else []))
            if years
            else row.get("target_year")
        )
        hi = (
            max(years + ([row["target_year"]] if row.get("target_year") else []))
            if years
            else row.get("target_year")
        )
        if lo is not None:
            fig.add_scatter(
                x=[lo, hi],
                y=[row["goal"], row["goal"]],
                mode="lines",
                name="Mål",
                showlegend=show_legend,
                line={
                    "color": theme.WORSE
                    if row["status"] in ("bak", "ikke nådd")
                    else theme.NTNU_BLUE,
                    "width": 2,
                    "dash": "dash",
                },
                hoverinfo="skip",
                **kw,
            )
    if row.get("path_start") and row.get("path_end"):
        (x0, y0), (x1, y1) = row["path_start"], row["path_end"]
        fig.add_scatter(
            x=[x0, x1],
            y=[y0, y1],
            mode="lines",
            name="Rett linje til målet",
            showlegend=show_legend,
            line={"color": "#8A8A8A", "width": 1.5, "dash": "dot"},
            hoverinfo="skip",
            **kw,
        )


@text_safe
def indicator_grid(
    table: pd.DataFrame, title: str, subtitle: str | None = None, cols: int = 3
) -> go.Figure:
    """Small multiples: each indicator's series, its target and the straight path to it."""
    n = len(table)
    rows = max(1, math.ceil(n / cols))
    names = [
        f"{_short(r['indicator'])}<br><span style='color:{theme.INDICATOR_STATUS_COLOURS.get(r['status'], theme.MUTED)}'>"
        f"{r['status']}</span>"
        for _, r in table.iterrows()
    ]
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=names,
        vertical_spacing=0.55 / rows + 0.04,
        horizontal_spacing=0.07,
    )
    for i, (_, row) in enumerate(table.iterrows()):
        _indicator_traces(fig, row, i // cols + 1, i % cols + 1, show_legend=(i == 0))
    fig.update_annotations(font_size=14)
    fig.update_xaxes(nticks=4, tickformat="d", tickfont={"size": 12})  # years that fit a cell
    fig.update_yaxes(tickfont={"size": 12}, tickformat=",~f", automargin=True)
    fig = layout(fig, title, subtitle, height=200 + 260 * rows)
    fig.update_layout(margin={"t": 150, "l": 60}, legend={"y": -40 / (200 + 260 * rows)})
    return fig


@text_safe
def indicator_detail(
    row: pd.Series, title: str, subtitle: str | None = None, scale: float = 1.0
) -> go.Figure:
    """One indicator over the years against its target, with a legend."""
    fig = go.Figure()
    _indicator_traces(fig, row, show_legend=True, scale=scale)
    fig.update_xaxes(dtick=1, tickformat="d")
    fig.update_yaxes(
        title=row.get("measure_unit") if isinstance(row.get("measure_unit"), str) else "",
        tickformat=",~f",
    )
    return layout(fig, title, subtitle, height=420, scale=scale)


def _short(text: str, limit: int = 46) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@text_safe
def peer_ranking(
    ranking: pd.DataFrame,
    median: float,
    median_text: str,
    title: str,
    subtitle: str | None = None,
    scale: float = 1.0,
) -> go.Figure:
    """One indicator in one year: every institution of the group as a bar, best on top, the
    unit compared in the accent colour and the peers' median as a dashed line. `ranking` has
    each value written as the read model writes it (`text`)."""
    data = ranking.iloc[::-1]  # Plotly draws the first bar at the bottom
    # the value beside the name: a label at the bar's end would collide with the median line
    labels = [
        f"<b>{u}  {text}</b>" if own else f"{_short(str(u), 28)}  {text}"
        for u, text, own in zip(data["unit"], data["text"], data["own"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=data["value"],
            orientation="h",
            marker_color=[theme.NTNU_BLUE if own else theme.PEER for own in data["own"]],
            customdata=data["name"],
            hovertemplate="%{customdata}: %{x:,.2f}<extra></extra>",
        )
    )
    fig.add_vline(x=median, line={"color": theme.TEXT, "width": 2, "dash": "dash"})
    fig.add_annotation(  # below the bars, clear of the title and the labels
        x=median,
        y=0,
        yref="paper",
        yanchor="top",
        yshift=-4,
        text=f"Median for de andre: {median_text}",
        showarrow=False,
        font={"size": int(14 * scale), "color": theme.TEXT},
    )
    fig.update_xaxes(showticklabels=False, range=[0, float(data["value"].max()) * 1.05])
    # every institution named, however little room (Plotly would otherwise skip every other)
    fig.update_yaxes(
        tickfont={"size": int(14 * scale)}, tickmode="array", tickvals=labels, ticktext=labels
    )
    height = int((120 + 30 * len(data)) * scale) + 60
    fig = layout(fig, title, subtitle, height=max(340, height), scale=scale)
    fig.update_layout(bargap=0.25, margin={"b": int(50 * scale)})
    return fig


@text_safe
def peer_trend(
    years: pd.DataFrame,
    unit: str,
    unit_of: str | None,
    title: str,
    subtitle: str | None = None,
    scale: float = 1.0,
) -> go.Figure:
    """The unit's value per year against the peers' median and their middle half (p25–p75)."""
    x = years["year"].tolist()
    fig = go.Figure()
    fig.add_scatter(
        x=x + x[::-1],
        y=years["p75"].tolist() + years["p25"].tolist()[::-1],
        fill="toself",
        mode="lines",
        fillcolor="rgba(157,183,213,0.35)",
        line={"width": 0},
        name="Midterste halvdel av de andre",
        hoverinfo="skip",
    )
    fig.add_scatter(
        x=x,
        y=years["median"],
        mode="lines",
        name="Median for de andre",
        line={"color": theme.MUTED, "width": 2, "dash": "dash"},
        hovertemplate="Median %{x}: %{y:,.2f}<extra></extra>",
    )
    fig.add_scatter(
        x=x,
        y=years["value"],
        mode="lines+markers+text",
        name=unit,
        line={"color": theme.NTNU_BLUE, "width": 3.5},
        marker={"size": 8 * scale},
        text=[t if i in (0, len(x) - 1) else "" for i, t in enumerate(years["text"])],
        textposition="top center",
        textfont={"size": int(14 * scale), "color": theme.NTNU_BLUE},
        hovertemplate=f"{unit} %{{x}}: %{{y:,.2f}}<extra></extra>",
    )
    fig.update_xaxes(dtick=1, tickformat="d")
    fig.update_yaxes(tickformat=",~f", title=unit_of or "")
    return layout(fig, title, subtitle, height=int(420 * max(1.0, scale * 0.8)), scale=scale)
