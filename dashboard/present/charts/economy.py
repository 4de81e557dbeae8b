"""Chart builders for the faculty's economy (model/economy/): DataFrame in, Plotly figure
out, the finding as the title (see charts/base.py): the income mix as 100 % bars per department
sorted by one kind, årsverk over the year against the budget, the cost trajectory with the
measures' effect as the gap between the lines, and space per level and building type."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.numbers import fmt_int, fmt_num, fmt_pct
from dashboard.present import theme
from dashboard.present.charts.base import layout, text_safe

# income kinds: the kind the bars are sorted by in orange (first, from the left), the others
# in blues and grey; the text on each colour has a contrast of at least 4.5:1
KIND_COLOURS = {
    "Basis": ("#0B3461", "#FFFFFF"),
    "Utdanning": ("#2A65A8", "#FFFFFF"),
    "Forskning": ("#8DB3DC", theme.TEXT),
    "BOA": ("#E07B00", theme.TEXT),
    "Annet": ("#D9D9D9", theme.TEXT),
}
FTE_COLOURS = ("#2A65A8", "#8DB3DC", "#5B4B8A", "#A14F00")


@text_safe
def income_mix(
    mix: pd.DataFrame,
    sort_kind: str,
    title: str,
    subtitle: str | None = None,
    scale: float = 1.0,
) -> go.Figure:
    """Each unit's income by kind as one 100 % bar, the sort kind first (from the left); the
    units in the order given (top first)."""
    kinds = [sort_kind, *[k for k in KIND_COLOURS if k in mix.columns and k != sort_kind]]
    data = mix.iloc[::-1]
    fig = go.Figure()
    for kind in kinds:
        colour, text_colour = KIND_COLOURS.get(kind, ("#BDBDBD", theme.TEXT))
        values = data[kind].astype(float).tolist()
        fig.add_bar(
            y=data["label"].tolist(),
            x=values,
            orientation="h",
            name=kind,
            marker={"color": colour, "line": {"color": "white", "width": 1}},
            text=[fmt_pct(v, 0, is_fraction=False) if v >= 6 else "" for v in values],
            textposition="inside",
            insidetextanchor="middle",
            textfont={"color": text_colour, "size": int(14 * scale)},
            hovertemplate=f"%{{y}}: {kind} %{{x:.1f}} %<extra></extra>",
        )
    fig = layout(
        fig, title, subtitle, height=max(380, 120 + int(36 * scale) * len(data)), scale=scale
    )
    fig.update_layout(barmode="stack", bargap=0.25)
    fig.update_xaxes(range=[0, 100], ticksuffix=" %", dtick=20, title_text="Andel av inntektene")
    return fig


@text_safe
def fte_trend(
    series: pd.DataFrame,
    budget: float | None,
    title: str,
    subtitle: str | None = None,
    scale: float = 1.0,
) -> go.Figure:
    """Årsverk per period: the sum as a thick line, each category thinner, the budget dashed."""
    fig = go.Figure()
    total = series[series["category"] == "Sum"]
    periods = total["period"].tolist()
    others = [c for c in series["category"].unique() if c != "Sum"]
    for i, category in enumerate(others):
        s = series[series["category"] == category]
        fig.add_scatter(
            x=s["period"].tolist(),
            y=s["fte"].tolist(),
            name=category,
            mode="lines",
            line={"color": FTE_COLOURS[i % len(FTE_COLOURS)], "width": 2.5},
            hovertemplate=f"{category} %{{x}}: %{{y:,.1f}}<extra></extra>",
        )
    fig.add_scatter(
        x=periods,
        y=total["fte"].tolist(),
        name="Sum årsverk",
        mode="lines+markers+text",
        line={"color": theme.NTNU_BLUE, "width": 4},
        text=[fmt_num(v) if i in (0, len(periods) - 1) else "" for i, v in enumerate(total["fte"])],
        textposition="top center",
        textfont={"color": theme.NTNU_BLUE, "size": int(14 * scale)},
        hovertemplate="Sum %{x}: %{y:,.1f}<extra></extra>",
    )
    if budget is not None:
        fig.add_scatter(
            x=periods,
            y=[budget] * len(periods),
            name=f"Budsjett: {fmt_num(budget)}",
            mode="lines",
            line={"color": theme.BUDGET_LINE, "width": 2, "dash": "dash"},
            hovertemplate=f"Budsjett: {fmt_num(budget)}<extra></extra>",
        )
    years = {p.split(" ")[-1] for p in periods}
    ticks = [p[:3] if len(years) == 1 and " " in p else p for p in periods]  # «jan» … «des»
    fig.update_xaxes(type="category", tickangle=0, tickvals=periods, ticktext=ticks)
    fig.update_yaxes(title_text="Årsverk", tickformat=",.0f", rangemode="tozero")
    return layout(fig, title, subtitle, height=int(440 * max(1.0, scale * 0.8)), scale=scale)


@text_safe
def cost_trajectory(
    trajectory: pd.DataFrame, title: str, subtitle: str | None = None, scale: float = 1.0
) -> go.Figure:
    """Cost without the measures (grey) and with them (blue), the accumulated effect of the
    measures as the shaded gap between them, the target dashed (1000 kr)."""
    t = trajectory
    years = [str(y) for y in t["year"]]
    fig = go.Figure()
    if t["without"].notna().any():
        fig.add_scatter(
            x=years,
            y=t["without"].tolist(),
            name="Kostnad uten tiltak",
            mode="lines+markers",
            line={"color": theme.MUTED, "width": 2.5},
            hovertemplate="%{x}: uten tiltak %{y:,.0f}<extra></extra>",
        )
        fig.add_scatter(
            x=years,
            y=t["with"].tolist(),
            name="Kostnad med tiltak (gapet er tiltakenes effekt)",
            mode="lines+markers+text",
            fill="tonexty",
            fillcolor="rgba(46,125,50,0.18)",
            line={"color": theme.NTNU_BLUE, "width": 3.5},
            text=[f"−{fmt_int(v)}" if v else "" for v in t["effect_acc"]],
            textposition="bottom center",
            textfont={"color": theme.BETTER, "size": int(14 * scale)},
            hovertemplate="%{x}: med tiltak %{y:,.0f}<extra></extra>",
        )
    else:  # only the measures: their accumulated effect
        fig.add_scatter(
            x=years,
            y=t["effect_acc"].tolist(),
            name="Sum tiltak (akkumulert)",
            mode="lines+markers+text",
            line={"color": theme.BETTER, "width": 3.5},
            text=[fmt_int(v) for v in t["effect_acc"]],
            textposition="top center",
        )
    if t["target"].notna().any():
        fig.add_scatter(
            x=years,
            y=t["target"].tolist(),
            name="Mål",
            mode="lines",
            line={"color": theme.BUDGET_LINE, "width": 2, "dash": "dash"},
            hovertemplate="%{x}: mål %{y:,.0f}<extra></extra>",
        )
    fig.update_xaxes(type="category")
    fig.update_yaxes(title_text="1000 kr", tickformat=",.0f")
    return layout(fig, title, subtitle, height=int(440 * max(1.0, scale * 0.8)), scale=scale)


def _labelled_bars(bars: tuple, words: tuple, size: tuple, scale: float) -> go.Figure:
    """One horizontal bar per name, its value written outside it, no legend. `bars`: (names,
    values, texts); `words`: (title, subtitle, axis title, hover); `size`: (least height,
    height per bar, room right of the longest bar as a factor)."""
    names, values, text = bars
    title, subtitle, axis, hover = words
    least, per_bar, room = size
    fig = go.Figure()
    fig.add_bar(
        y=names,
        x=values,
        orientation="h",
        marker={"color": theme.NTNU_BLUE},
        text=text,
        textposition="outside",
        cliponaxis=False,
        hovertemplate=hover,
    )
    height = max(least, 160 + int(per_bar * scale) * len(names))
    fig = layout(fig, title, subtitle, height=height, scale=scale)
    top = max(values) if values else 1.0
    fig.update_xaxes(title_text=axis, range=[0, top * room])
    fig.update_layout(showlegend=False)
    return fig


@text_safe
def space_levels(
    levels: pd.DataFrame, title: str, subtitle: str | None = None, scale: float = 1.0
) -> go.Figure:
    """Kvm to give up to save one årsverk at each level, with the price per kvm."""
    data = levels.dropna(subset=["kvm_per_fte"]).iloc[::-1]
    text = [
        f"{fmt_int(k)} kvm ({fmt_int(p)} kr/kvm)"
        for k, p in zip(data["kvm_per_fte"], data["kr_per_kvm"], strict=True)
    ]
    axis = "Kvm som må kuttes for å spare ett årsverk"
    hover = "%{y}: %{x:,.0f} kvm per årsverk<extra></extra>"
    bars = (data["level"].tolist(), data["kvm_per_fte"].astype(float).tolist(), text)
    return _labelled_bars(bars, (title, subtitle, axis, hover), (320, 60, 1.6), scale)


@text_safe
def buildings(
    rows: pd.DataFrame, title: str, subtitle: str | None = None, scale: float = 1.0
) -> go.Figure:
    """The unit's space per building type, as shares of one 100 % bar."""
    fig = go.Figure()
    colours = ("#0B3461", "#8DB3DC", "#D9D9D9", "#5088C5")
    for i, row in enumerate(rows.itertuples()):
        share = float(row.share) * 100
        fig.add_bar(
            y=["Areal"],
            x=[share],
            orientation="h",
            name=f"{row.building_type}: {fmt_int(row.kvm)} kvm",
            marker={"color": colours[i % len(colours)], "line": {"color": "white", "width": 1}},
            text=[f"{row.building_type} {fmt_pct(share, 0, is_fraction=False)}"],
            textposition="inside",
            insidetextanchor="middle",
            textfont={"color": "#FFFFFF" if i % len(colours) in (0, 3) else theme.TEXT},
            hovertemplate=f"{row.building_type}: %{{x:.0f}} %<extra></extra>",
        )
    fig = layout(fig, title, subtitle, height=280, scale=scale)
    fig.update_layout(barmode="stack")
    fig.update_xaxes(range=[0, 100], ticksuffix=" %", dtick=20)
    fig.update_yaxes(showticklabels=False)
    return fig


@text_safe
def phd_degrees(
    rows: pd.DataFrame, title: str, subtitle: str | None = None, scale: float = 1.0
) -> go.Figure:
    """PhD degrees per unit as horizontal bars, the most at the top, each bar labelled."""
    data = rows.iloc[::-1]
    values = data["count"].astype(float).tolist()
    hover = "%{y}: %{x:.0f} doktorgrader<extra></extra>"
    bars = (data["label"].tolist(), values, [fmt_int(v) for v in values])
    words = (title, subtitle, "Avlagte doktorgrader", hover)
    return _labelled_bars(bars, words, (340, 36, 1.2), scale)
