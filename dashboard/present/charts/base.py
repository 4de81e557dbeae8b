"""What every chart shares: text from files kept as text (`text_safe`), titles broken into
lines, and one layout (fonts, colours from dashboard.present.theme, Norwegian separators)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import plotly.graph_objects as go

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


def layout(
    fig: go.Figure, title: str, subtitle: str | None = None, height: int = 420, scale: float = 1.0
) -> go.Figure:
    """The shared look: the title (the finding, bold) over a muted subtitle, fonts and colours
    from the theme, Norwegian separators, the legend at the foot; `scale` for slides."""
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
