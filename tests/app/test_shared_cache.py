"""The read model, the charts and the tables a page shows are computed once and shared by every
session (ui.memo, cache_resource): no page may change what it is given, and a cached result must
be what a fresh computation gives."""

from __future__ import annotations

import gc

import pandas as pd
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import memo, store, ui
from dashboard.config import ROOT
from dashboard.model.pin import resolve
from dashboard.model.view import view as model_view
from tests.helpers.demo import demo_copy

APP = str(ROOT / "dashboard" / "app.py")
PAGES = ["oversikt", "maloppnaelse", "budsjett", "indikatorer", "presentasjon"]
UNITS = ["MH", "NTNU", "IØT", "MH-ISM", "VM"]


def same(a, b) -> bool:
    """Equal values: frames and series by content, figures by their JSON, tuples item by item."""
    if isinstance(a, pd.DataFrame | pd.Series):
        try:
            (
                pd.testing.assert_frame_equal
                if isinstance(a, pd.DataFrame)
                else pd.testing.assert_series_equal
            )(a, b)
        except AssertionError:
            return False
        return True
    if isinstance(a, go.Figure):
        return a.to_json() == b.to_json()
    if isinstance(a, tuple | list) and isinstance(b, tuple | list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def test_memo_computes_once_per_object_and_keeps_its_inputs():
    memo.clear_memo()
    calls = []

    def total(frame: pd.DataFrame, column: str) -> float:
        calls.append(column)
        return float(frame[column].sum())

    frame = pd.DataFrame({"x": [1, 2, 3]})
    assert memo.memo(total, frame, "x") == 6 and memo.memo(total, frame, "x") == 6
    assert calls == ["x"]
    twin = frame.copy()  # equal content, another object: computed for itself
    twin.loc[0, "x"] = 10
    assert memo.memo(total, twin, "x") == 15 and len(calls) == 2
    ident = id(frame)
    del frame
    gc.collect()
    # the entry keeps its frame alive, so no new object can take that id while the entry exists
    assert any(("id", ident) in key for key in memo._MEMO)


def test_memo_is_bounded():
    memo.clear_memo()
    for i in range(memo.MEMO_SIZE + 50):
        memo.memo(str, i)
    assert len(memo._MEMO) == memo.MEMO_SIZE
    assert (str, 0) not in memo._MEMO and (str, 49) not in memo._MEMO  # oldest evicted first
    assert (str, 50) in memo._MEMO
    assert memo.memo(str, memo.MEMO_SIZE + 49) == str(memo.MEMO_SIZE + 49)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    return demo_copy(tmp_path_factory.mktemp("shared") / "demo.duckdb")


def test_pages_leave_what_they_share_unchanged(monkeypatch, demo_db):
    monkeypatch.setenv("MALBILDE_DB", str(demo_db))
    memo.clear_memo()
    for _ in range(2):
        for unit in UNITS:
            for page in PAGES:
                at = AppTest.from_file(APP, default_timeout=60)
                at.query_params["enhet"] = unit
                at.switch_page(f"app_pages/{page}.py").run()
                assert not at.exception, [e.value for e in at.exception]
    assert len(memo._MEMO) > 50  # charts and tables of every page
    changed = [
        getattr(fn, "__qualname__", fn)
        for fn, args, kwargs, result in list(memo._MEMO.values())
        if not same(result, fn(*args, **kwargs))
    ]
    assert not changed, f"shared results changed after the pages used them: {changed}"

    # the cached read model of each unit equals one computed afresh from the database
    con = ui.connection()
    plain = lambda name, **params: store.query(con, name, params)  # noqa: E731
    event = store.data_version(con)
    for unit in UNITS:
        pin = resolve(plain, unit, event, None, None)
        cached, fresh = ui._cached_view(str(demo_db), pin), model_view(plain, pin)
        for part, frames in (
            ("status", ("measures", "by_area", "by_goal")),
            ("budget", ("lines", "steps")),
            ("targets", ("table", "ordered")),
        ):
            a, b = getattr(cached, part), getattr(fresh, part)
            assert (a is None) == (b is None), (unit, part)
            for name in frames if a is not None else ():
                assert same(getattr(a, name), getattr(b, name)), (unit, part, name)
        assert cached.cards == fresh.cards, unit


def _both_chart_paths() -> None:
    """A page that sends one figure by st.plotly_chart and by st_chart.plotly_chart."""
    import plotly.graph_objects as go
    import streamlit as st

    from dashboard import st_chart

    fig = go.Figure(go.Bar(x=["Lønn", "Drift"], y=[1200.5, -45.0], name="Avvik"))
    fig.update_layout(title="Avvik <b>per linje</b>", height=420)
    kwargs = {"config": {"displayModeBar": False}, "theme": None, "alt": "Avvik per linje"}
    for width, height in (("stretch", "content"), ("content", "stretch")):
        st.plotly_chart(fig, key=f"own-{width}", width=width, height=height, **kwargs)
        with st.container():
            st_chart.plotly_chart(fig, key=f"fast-{width}", width=width, height=height, **kwargs)
    st.session_state["fast"] = st_chart.FAST


def test_a_chart_sent_from_its_json_once_is_the_chart_streamlit_sends():
    """st_chart builds Streamlit's own chart message (private parts of the locked Streamlit):
    the same figure, config, theme, alt text and size as st.plotly_chart, only faster."""
    at = AppTest.from_function(_both_chart_paths).run(timeout=60)
    assert not at.exception
    assert at.session_state["fast"], "Streamlit's internals moved: st_chart falls back"
    charts = at.get("plotly_chart")
    assert len(charts) == 4
    for own, fast in ((charts[0], charts[1]), (charts[2], charts[3])):
        a, b = own.proto, fast.proto
        assert (a.spec, a.config, a.theme, a.alt, a.form_id) == (
            b.spec,
            b.config,
            b.theme,
            b.alt,
            b.form_id,
        )
        assert a.id and b.id and a.id != b.id  # each key its own element
