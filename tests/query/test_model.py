"""The read model, tested directly (no Streamlit): the printed deviation wins, result targets
count their derived indicators, the data version moves with every import, undo and roll back,
a pinned view keeps its numbers, a parent unit rolls its units up, and the vocabulary's SQL
macros say what its Python says."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from dashboard import store, vocab
from dashboard.model.pin import PinRefused, from_params, resolve
from dashboard.model.rollup import frontier
from dashboard.model.view import view
from dashboard.service.imports import Overrides, import_file, roll_back, undo
from tests.helpers.demo import demo_copy

PROG = ["Bevilgningsramme BFV", "Budsjett i år", "Prognose i år", "Prognostisert budsjettavvik"]


def query(con):
    return lambda name, **p: store.query(con, name, p)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    db = demo_copy(tmp_path_factory.mktemp("model") / "demo.duckdb")
    con = store.connect(db)
    yield con
    con.close()


def current(con, unit: str, **kwargs):
    q = query(con)
    return view(q, resolve(q, unit, store.data_version(con), **kwargs))


def test_the_printed_deviation_wins(demo):
    b = current(demo, "MH").budget
    result = b.lines.set_index("line").loc["Resultat"]
    assert (result["budget"], result["prognosis"]) == (-45785, -52290)
    assert result["deviation"] == 6504 and result["deviation_computed"] == 6505
    assert result["effect"] == -6504 and not result["mismatch"]  # within rounding
    assert b.result_effect == -6504
    ub = b.lines.set_index("line").loc["UB", "effect"]
    assert ub == b.result_effect  # one number for one deviation


def test_a_printed_deviation_far_from_the_sum_is_flagged(tmp_path, con, settings, workbook):
    path = workbook(
        "mh_prognose_2024_10.xlsx",
        {
            "P": [
                ["Prognose pr. oktober 2024"],
                ["Fakultet for medisin og helsevitenskap (MH)"],
                PROG,
                ["Resultat", -100, -150, 20],
                ["Inntekt", 100, 100, 0],
                ["Bevilgning", 100, 100, 0],
                ["Kostnad", -200, -250, 50],
                ["Lønn", -200, -250, 50],
            ]
        },
    )
    import_file(con, path, settings)
    b = current(con, "MH").budget
    flagged = b.mismatches.set_index("line")
    assert list(flagged.index) == ["Resultat"]
    assert flagged.loc["Resultat", "deviation"] == 20
    assert flagged.loc["Resultat", "deviation_computed"] == 50
    assert b.result_effect == -20 and b.headline.startswith("Prognosen svekker")


def test_result_targets_count_the_derived_indicators(demo):
    v = current(demo, "IØT")
    t = v.targets
    names = set(t.judged["indicator"])
    assert any(n.lower().startswith("lønnsandel") for n in names)
    assert any("primærsøkere" in n.lower() for n in names)
    assert t.count_text == "5 av 10"
    card = next(c for c in v.cards if c.label == "Resultatmål i rute")
    assert card.value == t.count_text and t.headline.startswith(t.count_text)


def test_status_headline_figures(demo):
    s = current(demo, "MH", plan="Handlingsplan 2019", round_="Status 2019").status
    assert (s.n, s.started, s.done) == (32, 19, 4)
    assert s.headline == "19 av 32 tiltak er igangsatt"
    assert s.previous_round == "Status juni 2019" and s.changes is not None
    text = current(demo, "MH", plan="Årsplan 2023").status
    assert (text.n, text.done, text.late) == (14, 2, 6)
    assert text.headline == "2 av 14 tiltak er gjennomført"


def test_the_pages_words_come_from_the_model(demo):
    """Oversikt's comparison headings, its four change lists and the roll-up note are worded
    from the figures in the read model (issue 27); a plan with one report says why it shows no
    changes."""
    v = current(demo, "MH", plan="Handlingsplan 2019", round_="Status 2019")
    s, b = v.status, v.budget
    assert s.comparison_title == "Tiltak: Status juni 2019 → Status 2019"
    assert s.single_report_text is None and not v.nothing_to_compare
    assert b.comparison_title == f"Prognose: {b.previous_label} → {b.label}"
    groups = s.changes.groups
    assert [g[0] for g in groups] == [
        "↑ Status steg",
        "↓ Status falt",
        "+ Nye tiltak",
        "− Tatt ut av planen",
    ]
    assert groups[0][1] == f"↑ Status steg: {len(s.changes.rose)}"
    assert v.status_data_text.startswith(s.source) and v.status_data_text in v.versions_text
    one = current(demo, "MH", plan="Årsplan 2023").status
    assert one.single_report_text == (
        "Årsplan 2023 har bare én rapport (Status 2023); endringer vises når neste rapport er "
        "lastet opp."
    )
    assert one.comparison_title is None
    rolled = current(demo, "NTNU").status
    assert rolled.rolled_up_text.endswith("MH: " + ", ".join(rolled.rolled_up[0][1:]))
    assert rolled.single_report_text is None and rolled.units_title == "1 enhet side om side"


def test_department_reports_in_one_import_are_not_mixed(demo):
    s = current(demo, "MH-ISB").status
    assert s.n == 11 and set(s.measures["unit"]) == {"MH-ISB"}


def test_a_parent_without_reports_rolls_up_its_units(demo):
    v = current(demo, "NTNU")
    assert [u for u, _, _ in v.status.rolled_up] == ["MH"]
    b = v.budget
    assert [u for u, _ in b.rolled_up] == ["IØT", "MH"]
    mh, iot = current(demo, "MH").budget, current(demo, "IØT").budget
    assert b.result_effect == pytest.approx(mh.result_effect + iot.result_effect)
    assert "sum av" in b.source and "MH (prognose oktober 2023)" in b.source
    assert current(demo, "ØK").budget.rolled_up == [("IØT", iot.label)]


def test_frontier_takes_the_nearest_units_with_data():
    units = pd.DataFrame(
        {
            "code": ["NTNU", "MH", "MH-INB", "ØK", "IØT"],
            "parent": [None, "NTNU", "MH", "NTNU", "ØK"],
            "status_rows": [0, 5, 3, 0, 2],
        }
    )
    assert frontier(units, "NTNU", "status_rows") == ["IØT", "MH"]  # MH stands for MH-INB
    assert frontier(units, "MH", "status_rows") == ["MH-INB"]
    assert frontier(units, "MH-INB", "status_rows") == []


def _prognosis(workbook, name: str, month: str, prognosis: int):
    return workbook(
        name,
        {
            "P": [
                [f"Prognose pr. {month} 2023"],
                ["Fakultet for medisin og helsevitenskap (MH)"],
                PROG,
                ["Resultat", -10, prognosis, -10 - prognosis],
            ]
        },
    )


def test_the_data_version_moves_with_every_change_and_pins_hold(con, settings, workbook):
    versions = [store.data_version(con)]
    first = import_file(
        con,
        _prognosis(workbook, "a.xlsx", "mai", -2),
        settings,
        Overrides(label="prognose mai 2023"),
    )
    versions.append(store.data_version(con))
    second = import_file(
        con,
        _prognosis(workbook, "b.xlsx", "mai", -5),
        settings,
        Overrides(label="prognose mai 2023"),
    )
    versions.append(store.data_version(con))
    pinned = current(con, "MH").pin
    undo(con, second.import_id, "t")
    versions.append(store.data_version(con))
    assert current(con, "MH").budget.prognosis_result == -2  # the first version again
    roll_back(con, second.import_id, "t")
    versions.append(store.data_version(con))
    undo(con, second.import_id, "t")
    versions.append(store.data_version(con))
    assert versions == sorted(set(versions)), "every change is a new data version"
    q = query(con)
    assert view(q, pinned).budget.prognosis_result == -5  # the pinned view keeps its numbers
    assert view(q, resolve(q, "MH", versions[1])).budget.prognosis_result == -2
    assert first.import_id < second.import_id


def test_a_link_cannot_mix_units(demo):
    q = query(demo)
    event = store.data_version(demo)
    mh = resolve(q, "MH", event)
    with pytest.raises(PinRefused, match="IØT ikke har"):
        from_params(q, "IØT", mh.to_params(), event)
    with pytest.raises(PinRefused):
        from_params(q, "MH", {"per": str(event + 5)}, event)
    assert from_params(q, "MH", mh.to_params(), event) == mh
    assert from_params(q, "MH", {}, event) is None


def test_vocabulary_sql_macros_agree_with_python(con):
    scores = [None, 0, 1, 2, 3, 4, 5]
    categories = [None, *vocab.CATEGORY_ORDER]
    for score, category in itertools.product(scores, categories):
        row = con.execute(
            "select is_done($s::tinyint, $c), is_started($s::tinyint, $c)",
            {"s": score, "c": category},
        ).fetchone()
        assert row == (vocab.is_done(score, category), vocab.is_started(score, category)), (
            score,
            category,
        )
