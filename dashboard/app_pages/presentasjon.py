"""Presentasjon: the current filters as a deck of slides for the faculty board, pinned to the
data versions it was made from (the link carries them), with «Forrige / Neste» and arrow keys."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import ui
from dashboard.model.pin import Pin, PinRefused
from dashboard.present import deck, deck_pdf

SLIDE_CSS = """<style>
    [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
    [data-testid="stToolbar"], [data-testid="stDecoration"], .malbilde-banner { display: none !important; }
    [data-testid="stMainBlockContainer"] { padding: 2.5vh 5vw 0 5vw !important; max-width: 100% !important; }
    [data-testid="stMain"], [data-testid="stAppViewContainer"] > section { padding-top: 0 !important; margin-top: 0 !important; }
    [data-testid="stAppViewBlockContainer"] { padding-top: 2.5vh !important; }
    [data-testid="stMain"] h1 { font-size: clamp(40px, 4.2vh, 56px) !important; line-height: 1.15; padding: 0 0 .3rem 0;
        color: #1A1A1A; }
    [data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] td, [data-testid="stMain"] th,
    [data-testid="stMain"] button p { font-size: clamp(24px, 2.4vh, 30px) !important; }
    [data-testid="stMain"] .st-key-slide-sub p { font-size: 24px !important; color: #4D4D4D; }
    .st-key-slide-big { margin: 12vh 0 10vh 0; }
    .big-number { font-size: clamp(56px, 9vh, 112px); font-weight: 700; color: #00509E; line-height: 1.1; }
    .big-label { font-size: clamp(24px, 2.6vh, 32px); color: #1A1A1A; margin-bottom: 2vh; }
    [data-testid="stTable"] table { font-size: 24px; }
    [data-testid="stTable"] td > div, [data-testid="stTable"] th > div { max-width: none !important; }
    [data-testid="stTable"] td p { white-space: nowrap; }
    [data-testid="stElementContainer"]:has(style), [data-testid="stElementContainer"]:has(script),
    [data-testid="stElementContainer"]:has(.malbilde-banner) { display: none !important; }
    </style>"""
COVER_CSS = """<style>
    [data-testid="stMainBlockContainer"] { padding-top: 24vh !important; }
    [data-testid="stMain"] h1 { font-size: clamp(48px, 6vh, 72px) !important; }
    </style>"""
KEYS = """<script>
if (!window.malbildeKeys) {
  window.malbildeKeys = true;
  document.addEventListener('keydown', (e) => {
    const name = e.key === 'ArrowRight' || e.key === 'PageDown' ? 'Neste'
      : e.key === 'ArrowLeft' || e.key === 'PageUp' ? 'Forrige' : null;
    if (!name) return;
    const b = [...document.querySelectorAll('button')].find(x => x.innerText.includes(name));
    if (b && !b.disabled) { b.click(); e.preventDefault(); }
  });
}
</script>"""


def resolve_pin(f: ui.Filters) -> Pin | None:
    """The pin the link carries (checked against the unit), else the current view — written
    into the link, so it shows these numbers after later uploads."""
    params = st.query_params.to_dict()
    try:
        pin = ui.pin_from(f.unit, params)
    except PinRefused as exc:
        st.title("Presentasjon")
        st.error(ui.plain(exc.render()), icon=":material/error:")
        st.page_link("app_pages/presentasjon.py", label="Åpne presentasjonen med dagens data")
        return None
    if pin is None:
        pin = ui.view().pin
        for key, value in pin.to_params().items():
            st.query_params[key] = value  # the link now pins these versions
        st.query_params.pop("data", None)
    return pin


def _table_text(table: pd.DataFrame) -> pd.DataFrame:
    """The slide's table shortened, its text shown as text (st.table draws cells as Markdown)."""
    shown = table.head(deck.MAX_ROWS).map(deck.short)
    shown = shown.map(lambda v: ui.plain(v) if isinstance(v, str) else v)
    return shown.rename(columns=lambda c: ui.plain(c) if isinstance(c, str) else c)


def _room(title: str = "", subtitle: str = "", bullets: int = 0) -> int:
    """Pixels the slide needs above and below its chart (title, subtitle, bullets under the
    chart, controls): more when the title or subtitle wraps at 1280×720."""
    return 250 + (60 if len(title) > 60 else 0) + (35 if len(subtitle) > 120 else 0) + 70 * bullets


def _on_screen(figure: go.Figure) -> go.Figure:
    """The slide's chart without a fixed height (it fills the screen below the title, at any
    size). A copy, as the cached slide is shared by every session."""
    fig = go.Figure(figure)
    fig.update_layout(height=None, title=None, margin={"t": 40})
    return fig


def show_slide(slide: deck.Slide, index: int) -> None:
    """One slide: title, subtitle, big numbers, a chart or a table, bullets (text as text)."""
    if slide.figure is None and slide.table is None and not slide.big:
        st.markdown(COVER_CSS, unsafe_allow_html=True)  # a text slide sits in the screen's middle
    st.title(ui.plain(slide.title), anchor=False)
    if slide.subtitle:
        with st.container(key="slide-sub"):  # styled by its key; the text is shown as text
            st.markdown(ui.plain(slide.subtitle))
    if slide.big:
        big = st.container(key="slide-big")  # spaced down the screen (SLIDE_CSS)
        for col, (number, label) in zip(big.columns(len(slide.big)), slide.big, strict=True):
            col.markdown(
                f'<div class="big-number">{deck_pdf.big_html(number)}</div>'
                f'<div class="big-label">{html.escape(label)}</div>',
                unsafe_allow_html=True,
            )
    if slide.figure is not None:
        fig = ui.memo(_on_screen, slide.figure)
        room = _room(slide.title, slide.subtitle, len(slide.bullets))
        st.markdown(  # the chart takes the screen's height less the room the text needs
            f"<style>.st-key-slide-chart {{ flex: none !important; height: max(320px, calc(100vh - {room}px)) !important; }}</style>",
            unsafe_allow_html=True,
        )
        with st.container(key="slide-chart"):
            ui.plotly_chart(
                fig,
                width="stretch",
                height="stretch",
                theme=None,
                key=f"slide-{index}",
                config={"displayModeBar": False},
                alt=slide.title,
            )
    if slide.table is not None and not slide.table.empty:
        st.table(ui.memo(_table_text, slide.table), hide_index=True)
        more = slide.more_text(deck.MAX_ROWS)
        if more:
            st.markdown(ui.plain(more))
    for bullet in slide.bullets:
        st.markdown(ui.plain(bullet))


def controls(index: int, n: int) -> None:
    """«Forrige / Neste», the slide counter, and arrow keys (PageUp/PageDown) that press them."""

    def go(step: int) -> None:
        st.query_params["lysbilde"] = str(min(max(index + 1 + step, 1), n))

    left, middle, right = st.columns([1, 3, 1])
    left.button(
        "← Forrige", on_click=go, args=(-1,), disabled=index == 0, key="forrige", width="stretch"
    )
    middle.markdown(
        f"<p style='text-align:center'>Lysbilde {index + 1} av {n}</p>", unsafe_allow_html=True
    )
    right.button(
        "Neste →", on_click=go, args=(1,), disabled=index == n - 1, key="neste", width="stretch"
    )
    st.html(KEYS, unsafe_allow_javascript=True)


def render() -> None:
    """The slide the link names, of the pinned deck, with its controls."""
    st.markdown(SLIDE_CSS, unsafe_allow_html=True)
    f = ui.filters()
    if not f.unit:
        st.title("Presentasjon")
        ui.empty_state("Det finnes ingen data å presentere.")
        return
    pin = resolve_pin(f)
    if pin is None:
        return
    slides = ui.slides(pin)
    try:
        index = min(max(int(st.query_params.get("lysbilde", "1")), 1), len(slides)) - 1
    except ValueError:
        index = 0
    show_slide(slides[index], index)
    controls(index, len(slides))


render()
