"""Chart builders for reporting rounds: DataFrame in, Plotly figure out (see charts/base.py)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.numbers import fmt_int
from dashboard.present import theme
from dashboard.present.charts.base import layout, text_safe


@text_safe
def completeness(
    by_unit: pd.DataFrame, title: str, subtitle: str | None = None, scale: float = 1.0
) -> go.Figure:
    """Horizontal bars per responsible unit: measures answered and still missing; a unit past
    the due date without every answer is marked «frist passert». `by_unit` is
    RoundFigures.by_unit (unit, name, asked, answered, state, overdue)."""
    data = by_unit.iloc[::-1]
    labels = [
        f"{u}  <span style='color:{theme.WORSE}'>● frist passert</span>" if late else u
        for u, late in zip(data["unit"], data["overdue"], strict=True)
    ]
    missing = data["asked"] - data["answered"]
    fig = go.Figure()
    fig.add_bar(
        y=labels,
        x=data["answered"],
        orientation="h",
        name="Besvart",
        marker={"color": theme.ROUND_ANSWERED},
        text=[
            f"{fmt_int(a)} av {fmt_int(n)}" if a else ""
            for a, n in zip(data["answered"], data["asked"], strict=True)
        ],
        textposition="inside",
        insidetextanchor="start",
        textfont={"color": "#FFFFFF", "size": int(15 * scale)},
        customdata=data[["name", "asked"]].to_numpy(),
        hovertemplate="%{customdata[0]}: %{x} av %{customdata[1]} tiltak besvart<extra></extra>",
    )
    fig.add_bar(
        y=labels,
        x=missing,
        orientation="h",
        name="Mangler svar",
        marker={"color": theme.ROUND_MISSING, "line": {"color": "#8A94A3", "width": 1}},
        text=[
            f"0 av {fmt_int(n)}" if a == 0 else ""
            for a, n in zip(data["answered"], data["asked"], strict=True)
        ],
        textposition="inside",
        insidetextanchor="start",
        textfont={"color": theme.TEXT, "size": int(15 * scale)},
        customdata=data[["name", "asked"]].to_numpy(),
        hovertemplate="%{customdata[0]}: %{x} tiltak uten svar<extra></extra>",
    )
    height = max(300, 120 + int(44 * scale) * len(data) + 60)
    fig = layout(fig, title, subtitle, height=height, scale=scale)
    fig.update_layout(barmode="stack", bargap=0.3)
    fig.update_xaxes(title_text="Tiltak", tickformat=",d")
    return fig
