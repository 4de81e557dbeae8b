"""Streamlit glue: a Plotly figure sent to the browser from its JSON serialised once.

`st.plotly_chart` copies the whole figure (`to_dict`), encodes it as JSON and hashes that JSON on
every call, in every session (1.9 ms per chart of MH's deck, measured alone; within the noise of
a whole page's CPU).
The read model's figures are shared and never changed, so their JSON is written once per figure
(`memo`) and the same chart message is sent from it. This builds the message the way
Streamlit's own `plotly_chart` does (Streamlit is pinned in the lock file); if its internals
are not where they were, the chart is sent by `st.plotly_chart` as before.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import plotly.graph_objects as go
import plotly.io
import streamlit as st

from dashboard.memo import memo

try:  # Streamlit's own parts of st.plotly_chart (private: checked by tests/app/test_shared_cache.py)
    from streamlit.elements import plotly_chart as _st_plotly
    from streamlit.elements.lib import agent_spec
    from streamlit.elements.lib.form_utils import current_form_id
    from streamlit.elements.lib.layout_utils import LayoutConfig
    from streamlit.elements.lib.utils import compute_and_register_element_id, normalize_alt
    from streamlit.proto.PlotlyChart_pb2 import PlotlyChart as PlotlyChartProto

    FAST = all(
        hasattr(_st_plotly, name)
        for name in ("_plotly_data", "_resolve_content_width", "_resolve_content_height")
    )
except ImportError:  # pragma: no cover — another Streamlit than the locked one
    FAST = False


def spec(fig: go.Figure) -> tuple[str, str]:
    """The figure as st.plotly_chart sends it (JSON of `to_dict`), and a digest of that JSON."""
    text = plotly.io.to_json(fig.to_dict(), validate=False)
    return text, hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def plotly_chart(
    fig: go.Figure,
    *,
    key: str | None = None,
    config: dict[str, Any] | None = None,
    width: Any = "stretch",
    height: Any = "content",
    theme: str | None = None,
    alt: str | None = None,
) -> None:
    """st.plotly_chart(fig, …) without selections, from the figure's JSON written once.
    The figure must not be changed after it is first shown (the read model's never are)."""
    if not FAST:
        st.plotly_chart(
            fig, key=key, config=config, width=width, height=height, theme=theme, alt=alt
        )
        return
    text, digest = memo(spec, fig)
    proto = PlotlyChartProto()
    proto.theme = theme or ""
    proto.form_id = current_form_id(st._main)
    proto.spec = text
    proto.config = json.dumps(config or {})
    alt = normalize_alt(alt)
    if alt is not None:
        proto.alt = alt
    proto.id = compute_and_register_element_id(
        "plotly_chart",
        user_key=key,
        key_as_main_identity=False,
        dg=st._main,
        plotly_spec=digest,  # the JSON's digest stands for the JSON: same id, no hashing per run
        plotly_config=proto.config,
        selection_mode=("points", "box", "lasso"),
        is_selection_activated=False,
        theme=theme,
        width=width,
        height=height,
        alt=proto.alt or None,
    )
    layout = LayoutConfig(
        width=_st_plotly._resolve_content_width(width, fig),
        height=_st_plotly._resolve_content_height(height, fig),
    )
    st._main._enqueue(
        "plotly_chart",
        proto,
        layout_config=layout,
        agent_props=agent_spec.element(
            "plotly_chart",
            key=key,
            data_builder=lambda: _st_plotly._plotly_data(text),
            alt=proto.alt or None,
        ),
    )
