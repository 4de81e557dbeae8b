"""Figures that count what they say: «Utsatt» is not started, a roll-up over plans of two scales
shows each scale's counts side by side (title, bars and goal count agree), «står stille» is two
equal reports in a row of a measure not done, shares are rounded half up, and Last opp shows
what was saved in place of the preview once «Lagre» is pressed."""

from __future__ import annotations

import base64
import json
import shutil
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from dashboard import store, vocab
from dashboard.config import ROOT, Settings
from dashboard.ingest.layouts.common import Overrides
from dashboard.model import rounds as round_model
from dashboard.model.pin import resolve
from dashboard.model.summary import summarise
from dashboard.model.view import view
from dashboard.numbers import fmt_num, fmt_pct, fmt_signed
from dashboard.present import deck
from dashboard.present.charts import status as status_charts
from dashboard.service.imports import import_file
from tests.helpers.app import MIME, Pages, prognosis_bytes, upload_page
from tests.helpers.demo import demo_copy

APP = str(ROOT / "dashboard" / "app.py")
VM_SCORES = [0, 1, 2, 3, 3, 4, 5, 2, 2, 0, 1, 3, 4]  # 9 started (≥ 2), 3 done (4–5)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    return demo_copy(tmp_path_factory.mktemp("words") / "demo.duckdb")


@pytest.fixture(scope="module")
def mixed_db(demo_db, tmp_path_factory) -> Path:
    """The demo with a 0–5 status report for VM (13 measures, 12 with a goal number): NTNU then
    rolls up MH's text-status Årsplan 2023 and VM's 0–5 plan."""
    folder = tmp_path_factory.mktemp("mixed")
    db = folder / "mixed.duckdb"
    shutil.copy(demo_db, db)
    wb = Workbook()
    ws = wb.active
    ws.title = "Status VM"
    ws.append(["Handlingsplan VM 2024, status 2024"])
    ws.append(["Enhet", "Område", "HP nr.", "Tiltak", "Status (0-5)", "Kommentar"])
    for i, score in enumerate(VM_SCORES):
        goal = f"HP {i % 11 + 1}" if i < 12 else None
        area = "Forskning" if i % 2 else "Utdanning"
        ws.append(["VM", area, goal, f"Tiltak {i + 1} ved VM", str(score), "Eksempel"])
    wb.save(folder / "vm.xlsx")
    con = store.connect(db)
    try:
        import_file(
            con,
            folder / "vm.xlsx",
            Settings.from_env(db),
            Overrides(year=2024, label="Status 2024"),
        )
    finally:
        con.close()
    return db


@contextmanager
def current(db: Path, unit: str):
    """The connection and the unit's read model at the newest data (closed afterwards)."""
    con = store.connect(db)
    q = lambda name, **p: store.query(con, name, p)  # noqa: E731
    try:
        yield con, view(q, resolve(q, unit, None))
    finally:
        con.close()


def page(monkeypatch, db: Path, name: str, unit: str, **params: str) -> AppTest:
    return Pages(db, monkeypatch).run(name, enhet=unit, **params)


def figures_of(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def title_of(fig: dict) -> str:
    text = fig["layout"]["title"]["text"].split("<br>")
    return " ".join(x.replace("<b>", "").replace("</b>", "") for x in text if "<b>" in x)


def values(data) -> list:
    """A trace's values, also when Plotly wrote them as a typed array (dtype and base64)."""
    if isinstance(data, dict) and "bdata" in data:
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    return list(data)


def bar_totals(fig: dict) -> dict[str, float]:
    """Measures per bar (area or unit) summed over the traces of a stacked bar chart."""
    out: dict[str, float] = {}
    for trace in fig["data"]:
        for y, x in zip(values(trace["y"]), values(trace["x"]), strict=True):
            out[y] = out.get(y, 0) + x
    return out


# ---- «Utsatt» is not started


def test_postponed_is_neither_started_nor_not_started_counted_as_going():
    assert not vocab.is_started(None, vocab.Category.POSTPONED)
    assert not vocab.is_started(None, vocab.Category.NOT_STARTED)
    assert not vocab.is_started(None, None) and not vocab.is_started(None, pd.NA)
    for going in (vocab.Category.DELAYED, vocab.Category.IN_PROGRESS, vocab.Category.DONE):
        assert vocab.is_started(None, going)


def test_mh_arsplan_counts_twelve_of_fourteen_started_everywhere(demo_db):
    with current(demo_db, "NTNU") as (con, v):  # NTNU rolls up MH's newest plan
        s = v.status
        assert s.rolled_up == [("MH", "Årsplan 2023", "Status 2023")]
        assert (s.n, s.started, s.done) == (14, 12, 2)
        postponed = s.measures[s.measures["category"] == vocab.Category.POSTPONED]
        assert len(postponed) == 2  # the two «Utsatt» are the two not counted
        card = next(c for c in v.cards if c.label == "I gang eller gjennomført")
        assert card.value == "12 av 14" and "utsatte og ikke igangsatte" in card.help
        big = dict(next(x for x in deck.build(v) if x.big).big)
        assert big["12 av 14"] == "tiltak er i gang eller gjennomført"
        data = summarise(con, store.data_version(con))
        plan = next(p for p in data["plans"] if p["plan"] == "Årsplan 2023")
        plans = store.query(con, "plan_summary", {"unit": "MH", "event": None})
        sql = plans.loc[plans["plan"] == "Årsplan 2023", "started"]
        assert plan["started"] == 12 and sql.tolist() == [12]  # the SQL macro agrees
        ntnu = next(u for u in data["units"] if u["unit"] == "NTNU")
        assert ntnu["status"]["started"] == 12


# ---- a roll-up over plans of two scales


def test_a_rollup_over_two_scales_counts_each_scale_on_its_own(mixed_db):
    with current(mixed_db, "NTNU") as (con, v):
        s = v.status
        assert [u for u, _, _ in s.rolled_up] == ["MH", "VM"]
        assert [p.scored for p in s.parts] == [True, False]
        vm, mh = s.parts
        assert (vm.n, vm.started, vm.done) == (13, 9, 3)
        assert (mh.n, mh.started, mh.done) == (14, 12, 2)
        assert s.started is None and s.done is None and s.share_done is None  # never summed
        assert s.started_text == "9 av 13 · 12 av 14" and s.done_text == "3 av 13 · 2 av 14"
        assert s.headline == (
            "Status 0–5 (VM): 9 av 13 tiltak er igangsatt; "
            "tekststatus (MH): 2 av 14 tiltak er gjennomført"
        )
        cards = {c.label: c.value for c in v.cards}
        assert cards[s.started_label] == "9 av 13 · 12 av 14"
        assert cards[s.done_label] == "3 av 13 · 2 av 14"
        big = [n for n, _ in next(x for x in deck.build(v) if x.big).big]
        assert big[:2] == ["9 av 13 · 12 av 14", "3 av 13 · 2 av 14"]
        # the goal chart: VM's 12 measures with a goal number, 11 goals; MH's plan has none
        assert s.goal_title == "12 tiltak følger opp 11 mål i strategien"
        assert int(s.by_goal["measures"].sum()) == 12 and s.by_goal["goal_no"].nunique() == 11
        ntnu = next(
            u for u in summarise(con, store.data_version(con))["units"] if u["unit"] == "NTNU"
        )
        said = ntnu["status"]
        assert said["started"] is None and said["headline"] == s.headline
        assert [(x["scale"], x["units"], x["started"], x["measures"]) for x in said["scales"]] == [
            ("0–5", ["VM"], 9, 13),
            ("tekst", ["MH"], 12, 14),
        ]
        assert said["by_goal"] == {"measures": 12, "goals": 11, "headline": s.goal_title}


def test_every_bar_of_a_mixed_rollup_holds_all_its_measures(mixed_db):
    with current(mixed_db, "NTNU") as (con, v):
        s = v.status
        per_area = bar_totals(status_charts.status_by_area(s.by_area, s.headline).to_dict())
        assert per_area == dict(s.measures.groupby("area").size())
        assert per_area["Annet"] == 1  # MH's area, drawn by category beside VM's scores
        per_unit = bar_totals(status_charts.status_by_area(s.by_unit, "x").to_dict())
        assert per_unit == {"MH": 14, "VM": 13}


def test_the_pages_of_a_mixed_rollup_agree(monkeypatch, mixed_db):
    with current(mixed_db, "NTNU") as (con, v):
        cards = {c.label: c.value for c in v.cards}
        headline, goal_title = v.status.headline, v.status.goal_title
    at = page(monkeypatch, mixed_db, "oversikt", "NTNU")
    assert {m.label: m.value for m in at.metric} == cards
    at = page(monkeypatch, mixed_db, "maloppnaelse", "NTNU")
    figs = {title_of(f): f for f in figures_of(at)}
    assert headline in figs and goal_title in figs
    assert sum(bar_totals(figs[headline]).values()) == 27
    side = next(f for t, f in figs.items() if t.endswith("side om side"))
    assert bar_totals(side) == {"MH": 14, "VM": 13}
    at = page(
        monkeypatch, mixed_db, "presentasjon", "NTNU", lysbilde="2"
    )  # the overview: one scale a line
    shown = [m.value for m in at.markdown if m.value.startswith('<div class="big-number">')]
    assert '<div class="big-number">9 av 13 ·<br>12 av 14</div>' in shown[0]


# ---- «står stille»


def reports(*statuses: tuple) -> pd.DataFrame:
    return pd.DataFrame(statuses, columns=["score", "category"])


def test_standing_still_is_two_equal_reports_in_a_row_not_done():
    same = round_model._same_in_a_row
    assert same(reports((0, "Ikke igangsatt"), (0, "Ikke igangsatt"))) == 2
    assert same(reports((1, "Under arbeid"), (3, "Under arbeid"), (3, "Under arbeid"))) == 2
    assert same(reports(*[(2, "Under arbeid")] * 3)) == 3
    assert same(reports((2, "Under arbeid"), (3, "Under arbeid"))) == 1
    assert same(reports((5, "Gjennomført"), (5, "Gjennomført"))) == 0  # finished
    assert same(reports((4, "Gjennomført"), (4, "Gjennomført"))) == 0
    assert same(reports((None, "Gjennomført"), (None, "Gjennomført"))) == 0
    assert same(reports((None, "Utsatt"), (None, "Utsatt"))) == 2
    assert same(reports((2, "Under arbeid"), (None, None))) == 1  # a blank is no report
    assert vocab.STALE_ROUNDS == 2


# ---- shares rounded half up


def test_shown_numbers_are_rounded_half_up():
    assert fmt_pct(1 / 8, 0) == "13\u00a0%" and fmt_pct(1 / 8) == "12,5\u00a0%"
    assert fmt_pct(0.145, 0) == "15\u00a0%"  # 14.499999999999998 as a float product
    assert fmt_pct(3 / 8, 0) == "38\u00a0%" and fmt_pct(0.0625) == "6,3\u00a0%"
    assert fmt_num(2.5, 0) == "3" and fmt_num(-2.5, 0) == "\u22123" and fmt_num(0.125, 2) == "0,13"
    assert fmt_signed(0.5) == "+1" and fmt_num(-0.04, 1) == "0,0"


def test_the_heatmap_writes_one_of_eight_as_thirteen_percent():
    rows = pd.DataFrame(
        {
            "unit": ["MH-INB", "MH-ISB"],
            "area": ["Utdanning", "Utdanning"],
            "measures": [8, 4],
            "done": [1, 2],
            "share_done": [1 / 8, 2 / 4],
        }
    )
    trace = status_charts.unit_heatmap(rows, "x").to_dict()["data"][0]
    assert trace["text"][0][0] == "13\u00a0%<br>(8)" and trace["customdata"][0][0] == "13\u00a0%"


# ---- Last opp after «Lagre»


def test_after_saving_the_preview_gives_way_to_what_was_saved(monkeypatch, tmp_path):
    db = tmp_path / "up.duckdb"
    store.connect(db).close()
    at = upload_page(monkeypatch, db).run()
    at.file_uploader(key="opplasting").upload(
        "okt.xlsx", prognosis_bytes(tmp_path, "okt.xlsx", "oktober", -180), MIME
    ).run()
    lagre = [b for b in at.button if b.key and b.key.startswith("lagre-")]
    assert len(lagre) == 1 and any(
        "Endringer mot det som er lagret" in m.value for m in at.markdown
    )
    lagre[0].click().run()
    assert not at.exception
    assert [s.value for s in at.success if "Lagret som import" in s.value] == [
        "Lagret som import nr. 1. Alle sider viser de nye tallene."
    ]
    assert not [b for b in at.button if b.key and b.key.startswith("lagre-")]
    assert not any("Endringer mot det som er lagret" in m.value for m in at.markdown)
    at.run()  # and it stays so on the next run of the page
    assert any("Lagret som import nr. 1" in s.value for s in at.success)
    assert not [b for b in at.button if b.key and b.key.startswith("lagre-")]
    # another file chosen: a fresh preview against what is stored now, with its own «Lagre»
    at.file_uploader(key="opplasting").upload(
        "nov.xlsx", prognosis_bytes(tmp_path, "nov.xlsx", "november", -200), MIME
    ).run()
    text = "\n".join(m.value for m in at.markdown)
    assert "sammenlignet med lagret «prognose oktober 2023»" in text
    assert len([b for b in at.button if b.key and b.key.startswith("lagre-")]) == 1
