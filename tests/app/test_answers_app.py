"""«Mine tiltak» and the «Godkjenning» section with AppTest, as signed-in users (the way
tests/app/test_upload.py fakes one): a reporter of MH-INB saves a draft, sees it restored, sends
in; the coordinator sends it back with a comment, which the reporter then sees."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import store
from dashboard.config import ROOT
from tests.helpers.app import AUTH_SECRETS
from tests.helpers.demo import demo_copy
from tests.rounds_helpers import open_demo_round

APP = str(ROOT / "dashboard" / "app.py")
ROLES = '[users]\n"rapp@ntnu.no" = {role = "rapportør", unit = "MH-INB"}\n' + (
    '"leder@ntnu.no" = {role = "leder", unit = "MH"}\n'
)


@pytest.fixture
def setup(tmp_path_factory, tmp_path, monkeypatch):
    db = tmp_path / "demo.duckdb"
    demo_copy(db)
    rid = open_demo_round(db)
    roles = tmp_path / "roles.toml"
    roles.write_text(ROLES, encoding="utf-8")
    monkeypatch.setenv("MALBILDE_ROLES", str(roles))
    monkeypatch.setenv("MALBILDE_DB", str(db))
    return db, rid


def page(email: str, path: str, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.user = {"email": email, "is_logged_in": True}
    at.secrets = AUTH_SECRETS
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(path).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_mine_tiltak_draft_submit_and_send_back(setup):
    db, rid = setup
    at = page("rapp@ntnu.no", "app_pages/mine_tiltak.py", runde=str(rid), enhet="MH-INB")
    assert at.selectbox(key=f"mine-enhet-{rid}").options == ["MH-INB"]
    base = f"mt-{rid}-MH-INB-MH-INB-01"
    at.selectbox(key=f"{base}-status").select("3 – Under gjennomføring")
    at.text_area(key=f"{base}-comment").input("Godt i gang")
    next(b for b in at.button if b.label == "Lagre utkast").click().run()
    assert at.success[0].value == "Utkastet for MH-INB er lagret."
    again = page("rapp@ntnu.no", "app_pages/mine_tiltak.py", runde=str(rid), enhet="MH-INB")
    assert again.selectbox(key=f"{base}-status").value == "3 – Under gjennomføring"
    assert again.text_area(key=f"{base}-comment").value == "Godt i gang"
    next(b for b in again.button if b.label == "Send inn").click().run()
    assert not again.exception and "Svarene er sendt inn" in again.success[0].value
    con = store.connect(db)
    try:
        assert con.execute("select count(*) from round_reviews").fetchone()[0] == 0
    finally:
        con.close()
    runder = page("leder@ntnu.no", "app_pages/runder.py", enhet="MH")
    assert any(h.value == "Godkjenning" for h in runder.header)
    form = next(t for t in runder.text_input if t.label.startswith("Kommentar til enheten"))
    form.input("Mangler ansvarlig")
    next(b for b in runder.button if b.label == "Send tilbake").click().run()
    assert not runder.exception
    back = page("rapp@ntnu.no", "app_pages/mine_tiltak.py", runde=str(rid), enhet="MH-INB")
    assert any("Mangler ansvarlig" in w.value for w in back.warning)
    # corrected and sent in again: the later answer shown against the earlier one
    back.text_input(key=f"{base}-owner").input("Kari Nordmann")
    next(b for b in back.button if b.label == "Send inn").click().run()
    assert not back.exception and "Svarene er sendt inn" in back.success[0].value
    assert any(s.value == "Siste svar mot det forrige" for s in back.subheader)
    changed = back.dataframe[0].value
    assert changed.loc[changed["Felt"] == "Ansvarlig", "Nå"].tolist() == ["Kari Nordmann"]
    oversikt = page("leder@ntnu.no", "app_pages/oversikt.py", enhet="MH")
    said = " ".join(c.value for c in oversikt.caption).replace("\\", "")
    assert "venter: MH-INB" in said
    runder = page("leder@ntnu.no", "app_pages/runder.py", enhet="MH")
    next(b for b in runder.button if b.label == "Godkjenn").click().run()
    assert not runder.exception
    oversikt = page("leder@ntnu.no", "app_pages/oversikt.py", enhet="MH")
    said = " ".join(c.value for c in oversikt.caption).replace("\\", "")
    assert "godkjent: MH-INB" in said and "venter: MH-INB" not in said


def test_an_inb_reporter_asking_for_isb_sees_only_inb(setup):
    """`?runde=ID&enhet=MH-ISB` as a reporter of MH-INB: told so, shown MH-INB only — no field,
    draft or answer of MH-ISB on the page — and no approval or round action on the round page."""
    from dashboard import auth
    from dashboard.config import Settings
    from dashboard.service import answers

    db, rid = setup
    con = store.connect(db)
    try:
        own = answers.load(con, auth.LOCAL_USER, rid, "MH-ISB").rows["key"]
        settings = Settings.from_env(db)
        answers.submit(con, settings, auth.LOCAL_USER, rid, "MH-ISB", {own[0]: {"status": "2"}})
        answers.save_draft(
            con, settings, auth.LOCAL_USER, rid, "MH-ISB", {own[0]: {"comment": "Hemmelig utkast"}}
        )
    finally:
        con.close()
    at = page("rapp@ntnu.no", "app_pages/mine_tiltak.py", runde=str(rid), enhet="MH-ISB")
    assert at.selectbox(key=f"mine-enhet-{rid}").options == ["MH-INB"]
    assert any("Du kan ikke se utkastene til MH-ISB" in i.value for i in at.info)
    widgets = [w for w in (*at.selectbox, *at.text_area, *at.text_input) if w.key]
    assert widgets and not any("MH-ISB" in w.key for w in widgets)
    shown = [str(w.value) for w in (*at.text_area, *at.text_input, *at.markdown, *at.caption)]
    assert not any("Hemmelig utkast" in text for text in shown)
    runder = page("rapp@ntnu.no", "app_pages/runder.py", enhet="MH")
    labels = {b.label for b in runder.button}
    assert not labels & {"Godkjenn", "Send tilbake", "Lukk runden", "Legg til"}
    assert not runder.tabs
