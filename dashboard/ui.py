"""Streamlit glue shared by the pages: the cached connection and queries, the shared filters
(bound to the URL), the data line, empty states, and charts with a «Vis tallene» table."""

from __future__ import annotations

import contextlib
import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st

from dashboard import st_chart, store, vocab
from dashboard.config import Settings
from dashboard.errors import StoreUnwritable
from dashboard.memo import clear_memo, memo
from dashboard.model import versions
from dashboard.model.pin import Pin, resolve
from dashboard.model.pin import from_params as _pin_from_params
from dashboard.model.view import Card, View
from dashboard.model.view import view as model_view
from dashboard.present import tables
from dashboard.store import backup, shared

ALL_AREAS = "Alle områder"
PLOTLY_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "malbilde"},
    "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
    "locale": "no",
}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]#+!|<>~$])")  # «(» is harmless once «[» is escaped
_AUTOLINK = re.compile(r"(?i)(https?:|ftp:|\bwww|[\w.+-])(//|(?<=www)\.|@)(?=[\w/])")
WORD_JOINER = "\u2060"
NB_JS = (Path(__file__).resolve().parent / "nb.js").read_text(encoding="utf-8")
# Streamlit loads its chart code (plotly.js, ~4.7 MB) only when a page first shows a chart;
# the tab loads it while idle on a page without charts, so the next page does not wait for it.
_CHART_CHUNK = next(
    (
        p.name
        for p in (Path(st.__file__).parent / "static" / "static" / "js").glob("PlotlyChart.*.js")
    ),
    None,
)
PRELOAD_JS = (
    """(() => {
  if (window.__malbildeCharts) return;
  window.__malbildeCharts = true;
  const index = document.querySelector('script[src*="/static/js/index."]');
  if (!index) return;
  const url = new URL(CHUNK, index.src).href;
  const load = () => import(url).catch(() => {});
  if (window.requestIdleCallback) requestIdleCallback(load, { timeout: 4000 });
  else setTimeout(load, 1000);
})();""".replace("CHUNK", repr(_CHART_CHUNK))
    if _CHART_CHUNK
    else ""
)


@dataclass(frozen=True)
class Filters:
    """The sidebar's choices: unit (code and name), plan, report and area."""

    unit: str | None
    unit_name: str | None
    plan: str | None
    round: str | None
    area: str | None


def settings() -> Settings:
    """The app's settings, from the environment."""
    return Settings.from_env()


@st.cache_resource(show_spinner=False)
def _store(db_path: str, shared_store: bool) -> tuple[Any, StoreUnwritable | None]:
    """The process's store and, when it can only be read, why (a read-only folder or file, a
    full disk). A locked database raises StoreBusy (not cached: the next run tries again)."""
    if shared_store:  # several processes: read the newest snapshot, write the master under a lock
        return shared.Reader(Path(db_path)), None
    con, why = store.open_for_reading(db_path)
    if why is None:
        backup.serve_requests(con, Path(db_path))  # `python -m dashboard backup` while we serve
    return con, why


def _connection(db_path: str):
    held = _store(db_path, settings().shared_store)[0]
    return held.connection() if isinstance(held, shared.Reader) else held


def connection():
    """The app's DuckDB connection (one per server process; with a shared store, the newest
    snapshot's, read-only); queries use their own cursor."""
    return _connection(str(settings().db_path))


def unwritable() -> StoreUnwritable | None:
    """Why the database can only be read (every page says so; nothing can be saved), or None."""
    s = settings()
    return _store(str(s.db_path), s.shared_store)[1]


@contextlib.contextmanager
def write_connection() -> Iterator[Any]:
    """The connection a save, undo or roll back writes through: the app's own, or with a shared
    store the master under the lock across processes (published when the write is done).
    Raises StoreUnwritable (a sentence) when the database cannot be written."""
    s = settings()
    why = unwritable()
    if why is not None:
        raise StoreUnwritable(f"Ikke lagret. {why.message}")
    with store.guarded(s.db_path):
        if not s.shared_store:
            yield connection()
            return
        with shared.writing(s.db_path) as con:
            yield con
    held = _store(str(s.db_path), True)[0]
    held.connection(fresh=True)  # this session sees its own save at once


def data_version() -> int:
    """The newest import event: changes with every stored import, undo and roll back."""
    return store.data_version(connection())


@st.cache_resource(show_spinner=False, max_entries=1024)
def _cached_query(db_path: str, name: str, params: tuple, version: int) -> pd.DataFrame:
    """Shared by every session, not copied (as st.cache_data would, per call): the read model
    never changes a frame it is given."""
    return store.query(_connection(db_path), name, dict(params))


def begin_run() -> None:
    """Read the data version once per script run (current views are pinned to it)."""
    st.session_state["_data_version"] = data_version()


def version() -> int:
    """The data version of this script run (read once by `begin_run`)."""
    return st.session_state.get("_data_version") or data_version()


def q(name: str, **params: Any) -> pd.DataFrame:
    """Run queries/<name>.sql with bound parameters; cached. A query pinned to an event never
    changes; any other is keyed on the data version."""
    key = 0 if "event" in params else version()
    return _cached_query(str(settings().db_path), name, tuple(sorted(params.items())), key)


@st.cache_resource(show_spinner=False, max_entries=64)
def _cached_view(db_path: str, pin: Pin) -> View:
    return model_view(q, pin)


def view(pin: Pin | None = None) -> View:
    """The read model of a pin (the run's pin by default), shared by every session."""
    return _cached_view(str(settings().db_path), pin or st.session_state["_pin"])


def pin_from(unit: str, params: dict[str, Any]) -> Pin | None:
    """The pin a link's parameters carry for `unit` (None: the link carries none); raises
    PinRefused for one that does not fit the unit or the data."""
    return _pin_from_params(q, unit, params, version())


def import_history() -> versions.ImportHistory:
    """The import log with each import's standing now (page «Last opp»)."""
    return versions.import_history(q)


@st.cache_resource(show_spinner=False, max_entries=32)
def _cached_slides(db_path: str, pin: Pin) -> list:
    from dashboard.present import deck

    return deck.build(view(pin))


def slides(pin: Pin | None = None) -> list:
    """The deck of a pin (the run's by default): built once, shared by the deck page and «Lag
    PDF». Callers draw copies of its figures, never change them."""
    return _cached_slides(str(settings().db_path), pin or st.session_state["_pin"])


def clear_caches() -> None:
    """Not needed for correctness (every cache is keyed on the data version); frees memory."""
    _cached_query.clear()
    _cached_view.clear()
    _cached_slides.clear()
    clear_memo()


def plain(text: object) -> str:
    """Text from a file shown as text inside Markdown: no links, images or formatting. GFM also
    turns bare addresses («http://…», «www.…», e-mail) into links after escapes are resolved, so
    an invisible word joiner (U+2060) breaks them: they read the same and link nothing."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
    return _AUTOLINK.sub(lambda m: m.group(1) + WORD_JOINER + m.group(2), escaped)


def _labels(units: pd.DataFrame) -> dict[str, str]:
    return {
        code: code if name == code else f"{code} – {name}"
        for code, name in zip(units["code"], units["name"], strict=True)
    }


def unit_label(code: str, units: pd.DataFrame) -> str:
    """«MH – Fakultet for medisin og helsevitenskap» (the code alone when it has no name)."""
    return memo(_labels, units).get(code, code)


def _codes(units: pd.DataFrame) -> list[str]:
    return list(units["code"])


def _plan_options(plans: pd.DataFrame) -> list[str]:
    return [f"{p} · {r}" for p, r in zip(plans["plan"], plans["round"], strict=True)]


def _areas(measures: pd.DataFrame) -> list[str]:
    return measures["area"].dropna().unique().tolist()


def readable(codes: list[str]) -> list[str]:
    """The units the signed-in user may read (`Roles.may_read`: a unit marked restricted in the
    roles file, and those below it, need a grant for it or a unit above it)."""
    user = current_user()
    if user is not None and user.local:
        return codes
    known = roles()
    return [c for c in codes if known.may_read(user, c)]


def sidebar_filters() -> Filters:
    """Unit, plan/report and area in the sidebar, bound to the URL (?enhet=MH&plan=…&omrade=…).
    Only the units the user may read are offered; an address naming another one says so
    (`NotAllowed`: the page is not shown)."""
    from dashboard.auth import NotAllowed

    event = version()
    units = q("units_with_data", event=event)
    every = memo(_codes, units) if not units.empty else []
    codes = readable(every)
    asked = st.query_params.get("enhet")
    refused = asked if asked in every and asked not in codes else None
    if not codes:
        return Filters(None, None, None, None, None)
    default_unit = "MH" if "MH" in codes else codes[0]
    with st.sidebar:
        st.markdown("### Utvalg")
        unit = st.selectbox(
            "Enhet",
            codes,
            index=codes.index(default_unit),
            key="enhet",
            bind="query-params",
            help="NTNU → fakultet → institutt. Lenken i adresselinjen gjenåpner samme utvalg.",
        )
        st.caption(plain(unit_label(unit, units)))
        plans = q("plan_summary", unit=unit, event=event)
        plan = round_ = area = None
        if not plans.empty:
            options = memo(_plan_options, plans)
            choice = st.selectbox(
                "Plan og rapport",
                options,
                index=0,
                key="plan",
                bind="query-params",
                help="Handlingsplan/årsplan og rapporteringsrunde (nyeste først).",
            )
            plan, round_ = choice.split(" · ", 1)
            areas = memo(
                _areas, q("measure_status", unit=unit, plan=plan, round=round_, event=event)
            )
            area = st.selectbox(
                "Område", [ALL_AREAS, *areas], index=0, key="omrade", bind="query-params"
            )
            area = None if area == ALL_AREAS else area
    if refused:
        raise NotAllowed(
            f"Du har ingen tilgang til {refused}: enheten er skjermet, og du har ingen rolle for "
            "den eller en enhet over den. Velg en annen enhet i menyen til venstre."
        )
    name = unit_label(unit, units)
    st.session_state["_pin"] = resolve(q, unit, event, plan, round_)
    return Filters(unit, name, plan, round_, area)


def filters() -> Filters:
    """The sidebar's choices of this run (none before the sidebar is drawn)."""
    return st.session_state.get("_filters") or Filters(None, None, None, None, None)


def data_line(*parts: str) -> None:
    """The page's statement of what it shows: «Data: … · Enhet: … · Utvalg: …» (as text)."""
    text = " · ".join(p for p in parts if p)
    st.session_state["_data_text"] = f"Data: {text}"
    st.caption(f"**Data:** {plain(text)}" if text else "**Data:** ingen")


def empty_state(what: str) -> None:
    """Tell what to do when there is nothing to show."""
    st.info(
        f"{what} Last opp arbeidsbøker på siden «Last opp», eller velg en annen enhet i menyen "
        "til venstre.",
        icon=":material/info:",
    )


def figure(builder: Callable[..., go.Figure], *args: Any, **kwargs: Any) -> go.Figure:
    """A chart from a builder of dashboard.present.charts, built once per set of inputs (memo)."""
    return memo(builder, *args, **kwargs)


def _renamed(frame: pd.DataFrame, columns: tuple[tuple[str, str], ...]) -> pd.DataFrame:
    return frame.rename(columns=dict(columns))


def renamed(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """The frame with Norwegian column names, once per frame (memo)."""
    return memo(_renamed, frame, tuple(columns.items()))


def _arrow(frame: pd.DataFrame) -> pa.Table | pd.DataFrame:
    """The frame as Arrow, as st.dataframe would convert it on every run."""
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowException, TypeError, ValueError):  # mixed types: let Streamlit convert them
        return frame


def dataframe(frame: pd.DataFrame, **kwargs: Any) -> None:
    """st.dataframe of a shared frame, converted to Arrow once (memo) instead of every run."""
    st.dataframe(memo(_arrow, frame), hide_index=True, width="stretch", **kwargs)


def chart(
    fig: go.Figure,
    table: pd.DataFrame | None = None,
    key: str | None = None,
    formats: dict[str, str] | None = None,
    display: pd.DataFrame | None = None,
) -> None:
    """A chart with its numbers one click away (WCAG: a text alternative for every chart), and
    those numbers as an Excel file. `table` holds real numbers; `formats` names a column's kind
    of number where it is not an amount (dashboard.present.tables: «pct», «signed» …);
    `display`, when given, is the table as the page writes it."""
    plotly_chart(fig, width="stretch", config=PLOTLY_CONFIG, key=key, theme=None)
    if table is not None and not table.empty:
        with st.expander("Vis tallene"):
            kinds = tuple((formats or {}).items())
            dataframe(display if display is not None else memo(tables.shown, table, kinds))
            title = fig.layout.title.text or ""
            plain = title.split("<br>")[0].replace("<b>", "").replace("</b>", "")
            excel_button(
                table, plain, st.session_state.get("_data_text", ""), key or "tabell", kinds
            )


def metric(col, card: Card) -> None:
    """A headline figure with its change since the previous report, coloured by whether the
    change is better or worse (our numbers use the typographic minus, so the sign is explicit)."""
    label, tip = plain(card.label), plain(card.help) if card.help else None  # may name plans
    if card.change is None or card.change_text is None:
        col.metric(label, card.value, help=tip, border=True)
        return
    if abs(card.change) < 1e-9:
        colour, arrow = "gray", "off"
    else:
        better = (card.change > 0) == card.higher_is_better
        colour, arrow = ("green" if better else "red"), ("up" if card.change > 0 else "down")
    col.metric(
        label,
        card.value,
        card.change_text,
        delta_color=colour,
        delta_arrow=arrow,
        help=tip,
        border=True,
    )


def run_finished(page: str) -> None:
    """An invisible mark that the script run is over (browser tests wait for it, not a pause):
    the run number changes with every run of the session."""
    st.session_state["_run"] = st.session_state.get("_run", 0) + 1
    charts = st.session_state.pop("_charts", 0)
    st.html(
        f'<span id="malbilde-klar" data-run="{st.session_state["_run"]}" '
        f'data-charts="{charts}" data-page="{html.escape(page)}"></span>'
    )


def plotly_chart(fig: go.Figure, **kwargs: Any) -> None:
    """st.plotly_chart, counted (the run's mark tells how many charts the browser must draw)."""
    st.session_state["_charts"] = st.session_state.get("_charts", 0) + 1
    st_chart.plotly_chart(fig, **kwargs)


def page_css() -> None:
    """Readable on a projector: larger base text, NTNU blue headings, visible focus."""
    st.markdown(
        """<style>
        html { font-size: 17px; }
        h1, h2, h3 { color: #00509E; }
        [data-testid="stMetricValue"] { font-size: 2.1rem; }
        @media (max-width: 1500px) { [data-testid="stMetricValue"] { font-size: 1.55rem; } }
        [data-testid="stMetricLabel"] p { font-size: 1rem; }
        :focus-visible { outline: 3px solid #00509E !important; outline-offset: 2px; }
        [data-testid="stElementContainer"]:has(#malbilde-klar) { display: none; }
        .malbilde-banner { background:#FFF4E5; border-left:6px solid #E07B00; padding:.5rem .9rem; margin-bottom:.6rem; }
        .malbilde-banner.malbilde-open { background:#FDECEC; border-left-color:#B00020; }
        </style>""",
        unsafe_allow_html=True,
    )
    # The page language (WCAG 3.1.1): Streamlit serves lang="en" and its widgets speak English;
    # dashboard/nb.js sets lang="nb" and puts Streamlit's and Plotly's own words in bokmål.
    st.html(f"<script>{NB_JS}{PRELOAD_JS}</script>", unsafe_allow_javascript=True)


def change_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Measures that changed, with status in words before and now."""
    out = pd.DataFrame({"Tiltak": frame["title"], "Område": frame["area"]})
    if "score_før" in frame:
        out["Før"] = [
            vocab.status_word(s, c)
            for s, c in zip(frame["score_før"], frame["category_før"], strict=True)
        ]
    out["Nå" if "score_før" in frame else "Status"] = [
        vocab.status_word(s, c) for s, c in zip(frame["score"], frame["category"], strict=True)
    ]
    return out


# ------------------------------------------------------------------ sign-in and roles


def auth_configured() -> bool:
    """True when `[auth]` is configured in .streamlit/secrets.toml (sign-in with st.login)."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 — no secrets file at all: local mode
        return False


@st.cache_resource(show_spinner=False, max_entries=4)
def _roles(path: str, changed: int):
    from dashboard.auth import load_roles

    return load_roles(Path(path))


def roles():
    """The roles file as read, once per version of the file (not on every rerun of every
    session): edited, it is read again on the next run."""
    from dashboard.auth import Roles, roles_path

    path = roles_path()
    try:
        changed = path.stat().st_mtime_ns
    except OSError:
        return Roles()
    return _roles(str(path), changed)


def current_user():
    """The signed-in user with their grants per unit, or the local user (all rights) without
    [auth]; None when sign-in is configured and nobody is signed in."""
    from dashboard.auth import LOCAL_USER

    if not auth_configured():
        return LOCAL_USER
    info = st.user
    email = info.get("email") or info.get("preferred_username")  # Entra ID without a mailbox
    if not email or info.get("is_logged_in") is False:
        return None
    groups = info.get("groups") or ()
    if isinstance(groups, str):
        groups = (groups,)
    return roles().user(email, info.get("name"), groups)


def excel_button(
    frame: pd.DataFrame, title: str, subtitle: str, key: str, formats: tables.Formats = ()
) -> None:
    """«Last ned som Excel»: the rows with real numbers, with a title row saying what and which
    data."""
    from dashboard.present.export import to_excel

    def build() -> bytes:
        return to_excel(frame, title, subtitle, formats=formats)

    st.session_state.setdefault("_exports", {})[key] = build  # every export of the run (tests)
    st.download_button(
        "Last ned som Excel",
        build,  # built only when clicked
        file_name=f"{key}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"xlsx-{key}",
        icon=":material/download:",
        on_click="ignore",
    )


def table(
    frame: pd.DataFrame, title: str, key: str, formats: dict[str, str] | None = None, **kwargs: Any
) -> None:
    """A table written the Norwegian way, with «Last ned som Excel» (real numbers) under it."""
    kinds = tuple((formats or {}).items())
    dataframe(memo(tables.shown, frame, kinds), **kwargs)
    excel_button(frame, title, st.session_state.get("_data_text", ""), key=key, formats=kinds)
