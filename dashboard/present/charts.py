"""Chart builders: DataFrame in, Plotly figure out. Colours from dashboard.present.theme; titles say the
finding in words; numbers formatted the Norwegian way (IBCS notation for budget and prognosis)."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard import vocab
from dashboard.numbers import fmt_int, fmt_num, fmt_pct
from dashboard.present import theme

SEPARATORS = ",\u00a0"  # decimal comma, no-break space for thousands (Plotly's d3 format)

# Plotly draws a subset of HTML in every text (titles, tick labels, hover): links (<a href>)
# included. Text from workbooks must stay text, so every tag but our own formatting is escaped.
_FOREIGN_TAG = re.compile(r"<(?!/?(?:br|b|i|sup|sub|span)\b)", re.IGNORECASE)


def _text_only(value: Any) -> Any:
    if isinstance(value, str):
        return _FOREIGN_TAG.sub("&lt;", value)
    if isinstance(value, dict):
        return {k: _text_only(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_text_only(v) for v in value]
    if isinstance(value, np.ndarray) and value.dtype == object:
        return [_text_only(v) for v in value.tolist()]
    return value


def text_safe(build: Callable[..., go.Figure]) -> Callable[..., go.Figure]:
    """A chart builder whose figure shows text from files as text (no links, no images)."""

    @functools.wraps(build)
    def safe(*args: Any, **kwargs: Any) -> go.Figure:
        fig = build(*args, **kwargs)
        return go.Figure(_text_only(fig.to_dict()))

    return safe


TITLE_CHARS = 62  # a 21 px bold title line that fits a chart half of a 1280 px screen wide
SUBTITLE_CHARS = 100


def _lines(text: str, width: int) -> list[str]:
    """A title broken into lines of at most `width` characters (at spaces; <br> kept)."""
    import textwrap

    out = []
    for part in str(text).split("<br>"):
        out += textwrap.wrap(part, width, break_long_words=False, break_on_hyphens=False) or [""]
    return out


def _layout(
    fig: go.Figure, title: str, subtitle: str | None = None, height: int = 420, scale: float = 1.0
) -> go.Figure:
    title_lines = _lines(title, TITLE_CHARS)
    sub_lines = _lines(subtitle, SUBTITLE_CHARS) if subtitle else []
    text = "<br>".join(f"<b>{line}</b>" for line in title_lines) + "".join(
        f"<br><span style='font-size:{int(15 * scale)}px;color:{theme.MUTED}'>{line}</span>"
        for line in sub_lines
    )
    top = 40 + int((30 * len(title_lines) + 22 * len(sub_lines)) * scale)
    fig.update_layout(
        title={
            "text": text,
            "x": 0,
            "xanchor": "left",
            "font": {"size": int(21 * scale), "color": theme.TEXT},
        },
        font={"family": theme.FONT_FAMILY, "size": int(15 * scale), "color": theme.TEXT},
        paper_bgcolor="white",
        plot_bgcolor="white",
        height=height,
        separators=SEPARATORS,
        margin={"l": 10, "r": 20, "t": top, "b": 90},
        legend={  # at the foot of the figure, below the axis labels whatever their size
            "orientation": "h",
            "yref": "container",
            "yanchor": "bottom",
            "y": 0.01,
            "x": 0,
            "title": None,
            "traceorder": "normal",
            "font": {"size": int(15 * scale)},
        },
        hoverlabel={"font_size": int(15 * scale)},
    )
    fig.update_xaxes(
        automargin=True,  # the margins grow to fit tick labels and axis titles (none clipped)
        showgrid=False,
        zeroline=False,
        linecolor=theme.GRID,
        tickfont={"color": theme.TEXT},
        title_font={"color": theme.TEXT},
    )
    fig.update_yaxes(
        automargin=True,
        showgrid=False,
        zeroline=False,
        tickfont={"color": theme.TEXT},
        title_font={"color": theme.TEXT},
    )
    return fig


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
    fig = _layout(fig, title, subtitle, height=max(320, 150 + 44 * len(order)), scale=scale)
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
    fig = _layout(fig, title, subtitle, height=400)
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
    fig = _layout(fig, title, subtitle, height=max(320, 150 + 40 * len(order)))
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
    fig = _layout(fig, title, subtitle, height=max(340, 120 + 52 * len(table.index)))
    fig.update_layout(margin={"l": 20 + int(8.2 * max(len(str(a)) for a in table.index)), "b": 40})
    return fig


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
    fig = _layout(fig, title, subtitle, height=max(460, 160 + 34 * len(data)), scale=scale)
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
    return _layout(fig, title, subtitle, height=max(460, 150 + 36 * len(labels)), scale=scale)


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
    return _layout(fig, title, subtitle, height=440, scale=scale)


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
    return _layout(fig, title, subtitle, height=380)


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
    return _layout(fig, title, subtitle, height=max(300, 70 + 36 * len(data)))


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
    fig = _layout(fig, title, subtitle, height=200 + 260 * rows)
    fig.update_layout(margin={"t": 150, "l": 60}, legend={"y": -40 / (200 + 260 * rows)})
    return fig


@text_safe
def indicator_detail(
    row: pd.Series, title: str, subtitle: str | None = None, scale: float = 1.0
) -> go.Figure:
    fig = go.Figure()
    _indicator_traces(fig, row, show_legend=True, scale=scale)
    fig.update_xaxes(dtick=1, tickformat="d")
    fig.update_yaxes(
        title=row.get("measure_unit") if isinstance(row.get("measure_unit"), str) else "",
        tickformat=",~f",
    )
    return _layout(fig, title, subtitle, height=420, scale=scale)


def _short(text: str, limit: int = 46) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def describe_number(value: float | None, unit: str | None) -> str:
    """An indicator value for text: '2 710', '59,8 %', '4,2'."""
    if value is None or pd.isna(value):
        return "–"
    if isinstance(unit, str) and ("prosent" in unit or unit.strip() == "%"):
        return fmt_num(value, 1) + "\u00a0%"
    if float(value).is_integer() or abs(value) >= 100:
        return fmt_int(value)
    return fmt_num(value, 2)


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
    fig = _layout(fig, title, subtitle, height=max(340, height), scale=scale)
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
    return _layout(fig, title, subtitle, height=int(420 * max(1.0, scale * 0.8)), scale=scale)
