"""Charts of goal fulfilment: measures' status per area and goal, goals per area, and
the units beside each other (heatmap). DataFrame in, Plotly figure out; the finding as title."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import vocab
from dashboard.numbers import fmt_int, fmt_pct
from dashboard.present import theme
from dashboard.present.charts.base import layout, text_safe


@text_safe
def status_by_area(
    counts: pd.DataFrame, title: str, subtitle: str | None = None, scale: float = 1.0
) -> go.Figure:
    """Stacked horizontal bars: measures per area, coloured by status 0–5 where a measure has a
    score and by category where it has none (a roll-up over plans of both scales shows each
    unit's measures in its own scale). `counts` has columns area, score, category, measures."""
    fig = go.Figure()
    data = counts.copy()
    data["area"] = data["area"].fillna(vocab.NO_AREA)
    order = data.groupby("area", sort=False)["measures"].sum().index.tolist()[::-1]
    scored = data[data["score"].notna()]
    unscored = data[data["score"].isna()]
    keys = [(True, k) for k in sorted(scored["score"].unique().astype(int))] + [
        (False, c) for c in vocab.CATEGORY_ORDER if c in set(unscored["category"])
    ]
    for use_score, key in keys:
        part = (
            scored[scored["score"] == key] if use_score else unscored[unscored["category"] == key]
        )
        part = part.groupby("area")["measures"].sum().reindex(order).fillna(0)
        name = vocab.SCORE_WORDS[key] if use_score else key
        colour = theme.SCORE_COLOURS[key] if use_score else theme.CATEGORY_COLOURS[key]
        text_colour = (
            theme.SCORE_TEXT_COLOURS[key] if use_score else theme.CATEGORY_TEXT_COLOURS[key]
        )
        fig.add_bar(
            y=part.index,
            x=part.values,
            name=name,
            orientation="h",
            marker_color=colour,
            marker_line={"color": "#6B7A8C", "width": 0.6},
            text=[fmt_int(v) if v else "" for v in part.values],
            textposition="inside",
            textangle=0,
            constraintext="none",
            insidetextanchor="middle",
            textfont={"color": text_colour, "size": int(15 * scale)},
            hovertemplate="%{y}: %{x} tiltak<extra>" + name + "</extra>",
        )
    fig.update_layout(barmode="stack", bargap=0.25)
    fig.update_xaxes(dtick=1 if data.groupby("area")["measures"].sum().max() < 12 else None)
    fig = layout(fig, title, subtitle, height=max(320, 150 + 44 * len(order)), scale=scale)
    fig.update_layout(margin={"l": 20 + int(8.2 * scale * max(len(a) for a in order))})
    return fig


@text_safe
def status_by_goal(rows: pd.DataFrame, title: str, subtitle: str | None = None) -> go.Figure:
    """One bar per strategic goal number, stacked by status (rows: goal_no, score, measures;
    with a plan column when several plans have goals: one bar per plan and goal)."""
    data = rows.dropna(subset=["goal_no"]).copy()
    data["goal"] = data["goal_no"].astype(int).astype(str)
    if "plan" in data:
        data = data.sort_values(["plan", "goal_no"], kind="stable")
        data["goal"] = data["plan"].astype(str) + " " + data["goal"]
        order = data["goal"].drop_duplicates().tolist()
    else:
        order = sorted(data["goal"].unique(), key=int)
    fig = go.Figure()
    for key in sorted(data["score"].dropna().unique().astype(int)):
        part = data[data["score"] == key].groupby("goal")["measures"].sum().reindex(order).fillna(0)
        fig.add_bar(
            x=part.index,
            y=part.values,
            name=vocab.SCORE_WORDS[key],
            marker_color=theme.SCORE_COLOURS[key],
            marker_line={"color": "#6B7A8C", "width": 0.6},
            hovertemplate="Mål %{x}: %{y} tiltak<extra>" + vocab.SCORE_WORDS[key] + "</extra>",
        )
    fig.update_layout(barmode="stack", bargap=0.2)
    fig.update_yaxes(dtick=1)
    fig.update_xaxes(type="category", tickangle=0)
    fig = layout(fig, title, subtitle, height=400)
    fig.update_layout(margin={"l": 40})
    return fig


@text_safe
def goals_by_area(rows: pd.DataFrame, title: str, subtitle: str | None = None) -> go.Figure:
    """Strategy goals per area, one colour per part of the strategy (rows: part, area, goals)."""
    fig = go.Figure()
    palette = [
        theme.NTNU_BLUE,
        theme.SCORE_COLOURS[2],
        theme.SCORE_COLOURS[5],
        theme.SCORE_COLOURS[1],
    ]
    order = rows["area"].tolist()[::-1]
    for i, (part, group) in enumerate(rows.groupby("part", sort=False, dropna=False)):
        name = "Uten del" if pd.isna(part) else str(part)
        values = group.set_index("area")["goals"].reindex(order)
        fig.add_bar(
            y=order,
            x=values,
            name=name,
            orientation="h",
            marker_color=palette[i % len(palette)],
            text=[fmt_int(v) if pd.notna(v) else "" for v in values],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x} mål<extra>" + name + "</extra>",
        )
    fig.update_layout(barmode="stack", bargap=0.3)
    fig = layout(fig, title, subtitle, height=max(320, 150 + 40 * len(order)))
    fig.update_layout(margin={"l": 20 + int(8.2 * max(len(str(a)) for a in order))})
    return fig


@text_safe
def unit_heatmap(rows: pd.DataFrame, title: str, subtitle: str | None = None) -> go.Figure:
    """Goal area × unit, cells = share of measures at 4–5, with the share written in each cell."""
    table = rows.pivot_table(index="area", columns="unit", values="share_done", aggfunc="first")
    counts = rows.pivot_table(index="area", columns="unit", values="measures", aggfunc="first")
    text = [
        [
            ("" if pd.isna(v) else f"{fmt_pct(v, 0)}<br>({int(counts.iloc[i, j])})")
            for j, v in enumerate(row)
        ]
        for i, row in enumerate(table.values)
    ]
    fig = go.Figure(
        go.Heatmap(
            z=table.values,
            x=list(table.columns),
            y=list(table.index),
            zmin=0,
            zmax=1,
            colorscale=[
                [0, theme.SCORE_COLOURS[0]],
                [0.5, theme.SCORE_COLOURS[3]],
                [1, theme.SCORE_COLOURS[5]],
            ],
            text=text,
            texttemplate="%{text}",
            textfont={"size": 15},
            xgap=3,
            ygap=3,
            colorbar={"title": "Andel 4–5", "tickformat": ".0%"},
            customdata=[["" if pd.isna(v) else fmt_pct(v, 0) for v in row] for row in table.values],
            hovertemplate="%{y}, %{x}: %{customdata} på 4–5<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig = layout(fig, title, subtitle, height=max(340, 120 + 52 * len(table.index)))
    fig.update_layout(margin={"l": 20 + int(8.2 * max(len(str(a)) for a in table.index)), "b": 40})
    return fig
