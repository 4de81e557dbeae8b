"""`summary --json` reads each query once for all units (`model/reads.py`) and computes the
prognosis versions of every unit at once: the figures must be exactly those of one view per
unit read with one query per unit, as the pages read them."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from dashboard import store
from dashboard.model import reads
from dashboard.model import summary as S
from dashboard.model.budget import BudgetFigures, version_lines
from dashboard.model.pin import resolve
from dashboard.model.view import view
from tests.helpers.demo import large_copy
from tests.rounds_helpers import demo_with_answers


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    """The demo with an open reporting round that some units have answered."""
    db: Path = tmp_path_factory.mktemp("reads") / "demo.duckdb"
    demo_with_answers(db)
    con = store.open_for_reading(db)[0]
    yield con
    con.close()


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    db: Path = large_copy(tmp_path_factory.mktemp("reads") / "large.duckdb")
    con = store.open_for_reading(db)[0]
    yield con
    con.close()


def as_json(data) -> str:
    """As `summary --json` prints it (NaN equal to NaN)."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def plain(con):
    return lambda name, **p: store.query(con, name, p)


def test_each_query_cut_per_unit_is_the_query_of_that_unit(con):
    q, event = plain(con), store.data_version(con)
    shared = reads.shared(q)
    units = list(q("units_with_data", event=event)["code"]) + ["ZZ"]  # ZZ: a unit without data
    asked = 0
    for unit in units:
        for plan in q("plan_summary", unit=unit, event=event).itertuples():
            params = {"unit": unit, "plan": plan.plan, "round": plan.round, "event": event}
            pd.testing.assert_frame_equal(
                shared("measure_status", **params), q("measure_status", **params)
            )
            asked += 1
        labels = [None, *q("prognosis_versions", unit=unit, event=event)["label"]]
        for label in labels:
            for name in ("prognosis_lines", "multiyear_plan"):
                params = {"unit": unit, "label": label, "event": event}
                pd.testing.assert_frame_equal(shared(name, **params), q(name, **params))
                asked += 1
        for name in ("prognosis_versions", "indicator_series", "plan_summary"):
            params = {"unit": unit, "event": event}
            pd.testing.assert_frame_equal(shared(name, **params), q(name, **params))
        params = {"unit": unit, "plan": None, "round": None, "event": event}
        pd.testing.assert_frame_equal(
            shared("measure_status", **params), q("measure_status", **params)
        )
    assert asked > 50


@pytest.mark.parametrize("db", ["con", "large"])
def test_each_query_read_for_every_unit_cut_per_unit_is_the_query_of_that_unit(db, request):
    con = request.getfixturevalue(db)
    q, event = plain(con), store.data_version(con)
    shared = reads.shared(q)
    units = list(q("units_with_data", event=event)["code"]) + ["ZZ"]  # ZZ: a unit without data
    folded = [n for n in reads.PER_UNIT if n.startswith(("economy_", "resource_"))]
    found: dict[str, int] = dict.fromkeys([*folded, *reads.CUT_BY], 0)
    for unit in units:
        for name in found:
            params = {"unit": unit, "event": event}
            mine = q(name, **params)
            pd.testing.assert_frame_equal(shared(name, **params), mine)
            found[name] += len(mine)
    params = {"unit": None, "event": event}
    pd.testing.assert_frame_equal(shared("rounds", **params), q("rounds", **params))
    assert all(found.values()) or db == "large", found  # the demo has rows of each
    assert {"peer_values", "rounds", "economy_fte", "resource_plans"} <= set(found)


@pytest.mark.parametrize("db", ["con", "large"])
def test_whole_summary_equals_the_summary_read_query_by_query(db, request, monkeypatch):
    """Byte for byte what `summary --json` prints, with each query run as the pages run it."""
    con = request.getfixturevalue(db)
    shared = as_json(S.summarise(con))
    monkeypatch.setattr(reads, "shared", lambda q: q)
    assert shared == as_json(S.summarise(con))
    assert len(shared) > 10_000


def test_summary_equals_one_view_per_unit_read_unit_by_unit(con):
    q, event = plain(con), store.data_version(con)
    units = q("units_with_data", event=event)
    views = [view(q, resolve(q, code, event), units) for code in units["code"]]
    data = S.summarise(con)
    assert as_json(data["units"]) == as_json([S.unit_data(v) for v in views])
    assert as_json(data["peers"]) == as_json(S._peers(views))
    assert as_json(data["indicators"]) == as_json(S._indicators(views))
    assert any(p["main"] for p in data["peers"])  # the demo compares NTNU with its peers
    assert any(u["budget"] for u in data["units"]) and any(u["status"] for u in data["units"])


def test_every_prognosis_version_as_one_version_alone(con):
    q, event = plain(con), store.data_version(con)
    rows = q("prognosis_lines", unit=None, label=None, event=event)
    versions = q("prognosis_versions", unit=None, event=event)
    expected = []
    for v in versions.itertuples():
        lines = version_lines(rows[(rows["unit"] == v.unit) & (rows["label"] == v.label)])
        b = BudgetFigures(v.label, int(v.year), lines, v.import_id)
        expected.append((v.unit, v.label, b.result_effect, S._records(lines[S.PROGNOSIS_COLUMNS])))
    got = [
        (p["unit"], p["label"], p["result_against_budget"], p["lines"])
        for p in S.summarise(con)["prognoses"]
    ]
    assert as_json(got) == as_json(expected) and len(got) > 3
