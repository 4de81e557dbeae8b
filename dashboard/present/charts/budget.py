"""Budget and prognosis charts in IBCS notation: deviation per line, the waterfall from
budgeted to prognosed result, the multi-year plan, the prognosis per version and allocations."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.numbers import fmt_int
from dashboard.present import theme
from dashboard.present.charts.base import layout, text_safe


@text_safe
def budget_deviation(
    lines: pd.DataFrame, title: str, subtitle: str | None = None, scale: float = 1.0
) -> go.Figure:
    """IBCS: budget as an outlined bar, prognosis hatched, and the deviation as its own bar, green
    where it strengthens the result and red where it weakens it (for income and cost alike)."""
    data = lines[lines["line"] != "IB"].copy().iloc[::-1]
    if "effect" not in data:  # + strengthens the result
        data["effect"] = data["prognosis"].fillna(0) - data["budget"].fillna(0)
    flagged = data["mismatch"] if "mismatch" in data else pd.Series(False, index=data.index)
    labels = [
        f"<b>{n}</b>" if g in ("total", "balance") or n in ("Resultat", "UB") else n
        for n, g in zip(data["line"], data["line_group"], strict=True)
    ]
    fig = make_subplots(
        rows=1,
        cols=2,
        shared_yaxes=True,
        column_widths=[0.62, 0.38],
        horizontal_spacing=0.03,
        subplot_titles=("Budsjett og prognose (1000 kr)", "Avvik: virkning på resultatet"),
    )
    fig.add_bar(
        y=labels,
        x=data["budget"],
        name="Budsjett",
        orientation="h",
        row=1,
        col=1,
        marker={"color": "rgba(0,0,0,0)", "line": {"color": theme.BUDGET_LINE, "width": 2}},
        hovertemplate="%{y}: budsjett %{x:,.0f}<extra></extra>",
    )
    fig.add_bar(
        y=labels,
        x=data["prognosis"],
        name="Prognose",
        orientation="h",
        row=1,
        col=1,
        marker={
            "color": "white",
            "line": {"color": theme.PROGNOSIS, "width": 1.5},
            "pattern": {"shape": "/", "fgcolor": theme.PROGNOSIS, "size": 7, "solidity": 0.45},
        },
        hovertemplate="%{y}: prognose %{x:,.0f}<extra></extra>",
    )
    colours = [theme.BETTER if e >= 0 else theme.WORSE for e in data["effect"]]
    fig.add_bar(
        y=labels,
        x=data["effect"],
        name="Avvik (grønt styrker, rødt svekker resultatet)",
        orientation="h",
        row=1,
        col=2,
        marker_color=colours,
        text=[
            _signed(e) + (" *" if m else "") for e, m in zip(data["effect"], flagged, strict=True)
        ],
        textposition="outside",
        cliponaxis=False,
        textfont={"size": int(14 * scale)},
        hovertemplate="%{y}: %{x:+,.0f} på resultatet<extra></extra>",
    )
    fig.update_layout(barmode="group", bargap=0.3, bargroupgap=0.05)
    span = max(abs(data["effect"]).max(), 1) * 1.45
    fig.update_xaxes(
        range=[-span, span],
        row=1,
        col=2,
        zeroline=True,
        zerolinecolor=theme.TEXT,
        zerolinewidth=1.5,
        showticklabels=False,
    )
    fig.update_xaxes(
        zeroline=True, zerolinecolor=theme.TEXT, row=1, col=1, tickformat=",.0f", nticks=5
    )
    fig.update_yaxes(tickmode="linear", dtick=1)  # every line labelled, also on a slide
    fig.update_annotations(font_size=int(15 * scale))
    fig = layout(fig, title, subtitle, height=max(460, 160 + 34 * len(data)), scale=scale)
    fig.update_layout(margin={"l": 20 + int(8.2 * scale * max(len(str(n)) for n in data["line"]))})
    return fig


def _signed(value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return ("+" if value > 0 else "") + fmt_int(value)


@text_safe
def waterfall(
    steps: pd.DataFrame,
    budget_result: float,
    prognosis_result: float,
    title: str,
    subtitle: str | None = None,
    scale: float = 1.0,
) -> go.Figure:
    """From the budgeted result to the prognosis result, one step per line, largest first."""
    labels = ["Budsjettert resultat", *steps["label"], "Prognosert resultat"]
    values = [budget_result, *steps["effect"], prognosis_result]
    measure = ["absolute", *["relative"] * len(steps), "total"]
    text = [
        fmt_int(budget_result),
        *[_signed(v) for v in steps["effect"]],
        fmt_int(prognosis_result),
    ]
    # horizontal: every line's name reads level, however many lines (no rotated labels)
    fig = go.Figure(
        go.Waterfall(
            orientation="h",
            y=labels,
            x=values,
            measure=measure,
            text=text,
            textposition="outside",
            cliponaxis=False,
            textfont={"size": int(15 * scale)},
            increasing={"marker": {"color": theme.BETTER}},
            decreasing={"marker": {"color": theme.WORSE}},
            totals={"marker": {"color": theme.TEXT}},
            connector={"line": {"color": "#9E9E9E", "width": 1}},
            hovertemplate="%{y}: %{x:,.0f}<extra></extra>",
        )
    )
    fig.update_xaxes(
        title="1000 kr", tickformat=",.0f", zeroline=True, zerolinecolor=theme.TEXT, nticks=6
    )
    fig.update_yaxes(autorange="reversed", tickmode="linear", dtick=1)
    running = pd.Series(values[:-1]).cumsum()
    low, high = min(0, *running, prognosis_result), max(0, *running, budget_result)
    pad = (high - low) * 0.22 + 1  # room for the numbers outside the bars
    fig.update_xaxes(range=[low - pad if low < 0 else 0, high + pad if high > 0 else 0])
    return layout(fig, title, subtitle, height=max(460, 150 + 36 * len(labels)), scale=scale)


@text_safe
def multiyear(
    plan: pd.DataFrame, title: str, subtitle: str | None = None, scale: float = 1.0
) -> go.Figure:
    """Result per year as bars (plan years outlined as IBCS plan), UB as a line."""
    piv = plan.pivot_table(
        index="period", columns="line", values="amount_knok", aggfunc="sum", sort=False
    )
    fig = go.Figure()
    if "Resultat" in piv:
        colours = [theme.BETTER if v >= 0 else theme.WORSE for v in piv["Resultat"]]
        fig.add_bar(
            x=piv.index,
            y=piv["Resultat"],
            name="Resultat",
            marker={"color": colours},
            text=[fmt_int(v) for v in piv["Resultat"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}: resultat %{y:,.0f}<extra></extra>",
        )
    if "UB" in piv:
        fig.add_scatter(
            x=piv.index,
            y=piv["UB"],
            name="UB (utgående balanse)",
            mode="lines+markers+text",
            line={"color": theme.NTNU_BLUE, "width": 3},
            marker={"size": 9},
            text=[fmt_int(v) for v in piv["UB"]],
            textposition="top center",
            hovertemplate="%{x}: UB %{y:,.0f}<extra></extra>",
        )
    fig.update_yaxes(title="1000 kr", tickformat=",.0f", zeroline=True, zerolinecolor=theme.TEXT)
    fig.update_xaxes(type="category")
    return layout(fig, title, subtitle, height=440, scale=scale)


@text_safe
def prognosis_history(
    history: pd.DataFrame, budget: float | None, title: str, subtitle: str | None = None
) -> go.Figure:
    """The prognosis result across versions, against the budgeted result."""
    fig = go.Figure()
    fig.add_scatter(
        x=history["label"],
        y=history["prognosis"],
        mode="lines+markers+text",
        name="Prognosert resultat",
        line={"color": theme.PROGNOSIS, "width": 3, "dash": "dot"},
        marker={"size": 10},
        text=[fmt_int(v) for v in history["prognosis"]],
        textposition="top center",
        hovertemplate="%{x}: %{y:,.0f}<extra></extra>",
    )
    if budget is not None:
        fig.add_hline(
            y=budget,
            line={"color": theme.BUDGET_LINE, "width": 2},
            annotation_text=f"Budsjett {fmt_int(budget)}",
            annotation_position="bottom right",
        )
    fig.update_yaxes(title="1000 kr", tickformat=",.0f")
    fig.update_xaxes(type="category")
    return layout(fig, title, subtitle, height=380)


@text_safe
def allocations(rows: pd.DataFrame, title: str, subtitle: str | None = None) -> go.Figure:
    """Amounts per receiving unit, largest on top; units without an amount say «ingen»."""
    data = rows.sort_values("amount_knok", na_position="first")
    fig = go.Figure(
        go.Bar(
            y=data["unit"],
            x=data["amount_knok"].fillna(0),
            orientation="h",
            marker_color=theme.NTNU_BLUE,
            text=[fmt_int(v) if pd.notna(v) else "ingen" for v in data["amount_knok"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:,.0f}<extra></extra>",
        )
    )
    fig.update_xaxes(title="1000 kr", tickformat=",.0f")
    return layout(fig, title, subtitle, height=max(300, 70 + 36 * len(data)))
