"""The comment thread per measure: post, list, rights per unit, text kept as written."""

from __future__ import annotations

import pytest

from dashboard import auth, store
from dashboard.auth import Grant, User
from dashboard.service import comments

LEADER = User("inb.leder@ntnu.no", "Ingrid", (Grant("leder", "MH-INB"),))
OTHER = User("isb@ntnu.no", "Per", (Grant("rapportør", "MH-ISB"),))
HOSTILE = "**fet** <b>html</b> [lenke](http://x.no)\n# Overskrift"


def test_post_and_list_keep_the_text_as_written_and_pinned_views_see_the_past(con):
    before = store.data_version(con)
    first = comments.post(con, LEADER, "MH-INB", "Plan", "T1", "Tiltak 1", "Hvorfor står den?")
    second = comments.post(con, LEADER, "MH-INB", "Plan", "T1", "Tiltak 1", HOSTILE)
    now = comments.thread(con, "MH-INB", "Plan", "T1", None)
    assert list(now["body"]) == ["Hvorfor står den?", HOSTILE]
    assert set(now["author"]) == {"inb.leder@ntnu.no"} and first < second
    assert list(comments.thread(con, "MH-INB", "Plan", "T1", first)["body"]) == [
        "Hvorfor står den?"
    ]
    assert comments.thread(con, "MH-INB", "Plan", "T1", before).empty
    assert comments.thread(con, "MH-INB", "Plan", "T2", None).empty


def test_another_units_reporter_is_refused_and_nothing_is_stored(con):
    with pytest.raises(auth.NotAllowed, match="rapportør"):
        comments.post(con, OTHER, "MH-INB", "Plan", "T1", "Tiltak 1", "Hei")
    with pytest.raises(auth.NotAllowed):
        comments.post(con, None, "MH-INB", "Plan", "T1", "Tiltak 1", "Hei")
    with pytest.raises(comments.CommentRefused):
        comments.post(con, LEADER, "MH-INB", "Plan", "T1", "Tiltak 1", "   ")
    assert comments.thread(con, "MH-INB", "Plan", "T1", None).empty


def test_the_thread_on_maloppnaelse_posts_and_shows_text_as_text(tmp_path, monkeypatch):
    from tests.helpers.app import Pages
    from tests.helpers.demo import demo_copy

    db = demo_copy(tmp_path / "demo.duckdb")
    page = Pages(db, monkeypatch).run("maloppnaelse", enhet="MH-INB")
    assert "Ingen kommentarer ennå." in [c.value for c in page.caption]
    page.text_area(key="kommentar-tekst").input(HOSTILE)
    form_button = next(b for b in page.button if b.label == "Legg inn kommentar")
    form_button.click().run()
    assert not page.exception
    assert HOSTILE in [t.value for t in page.text]
    assert [m.value for m in page.markdown if "<b>html" in m.value or "**fet**" in m.value] == []
