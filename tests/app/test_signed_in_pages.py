"""Pages as a signed-in user sees them (AppTest with `st.user` and `[auth]`, the roles file of the
sign-in browser tests): each page shows only the actions the user's role for the unit allows,
and a restricted unit is left out of the unit picker and refused by address («ingen tilgang»)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.config import ROOT
from tests.helpers.app import AUTH_SECRETS as AUTH
from tests.helpers.demo import demo_copy
from tests.oidc import ROLES_TOML
from tests.rounds_helpers import open_demo_round

LESER, REPORTER, ECONOMY = "leser@ntnu.no", "inb@ntnu.no", "okonomi@ntnu.no"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    db = demo_copy(tmp_path_factory.mktemp("pages") / "demo.duckdb")
    open_demo_round(db)  # an open round of MH, which MH-INB answers in
    return db


@pytest.fixture
def signed_in(template, tmp_path, monkeypatch):
    """`signed_in(email, page, enhet)`: the app run once as `email` on `page` (None: the
    default page), or as the local user (no sign-in) when `email` is None."""
    db = tmp_path / "demo.duckdb"
    shutil.copy(template, db)
    roles = tmp_path / "roles.toml"
    roles.write_text(ROLES_TOML, encoding="utf-8")
    monkeypatch.setenv("MALBILDE_ROLES", str(roles))
    monkeypatch.setenv("MALBILDE_DB", str(db))
    monkeypatch.setenv("MALBILDE_WARM_PARSER", "0")

    def run(
        email: str | None, page: str | None = None, enhet: str = "MH", claim: str = "email"
    ) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120)
        if email is not None:
            at.user = {claim: email, "name": email.split("@")[0], "is_logged_in": True}
            at.secrets = AUTH
        at.query_params["enhet"] = enhet
        at.run()
        if page:  # the page's own address: ?enhet= again (a refused one is taken out)
            at.query_params["enhet"] = enhet
            at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, [e.stack_trace for e in at.exception]
        return at

    return run


def buttons(at: AppTest) -> set[str]:
    return {b.label for b in at.button}


@pytest.mark.parametrize("email, may", [(LESER, False), (REPORTER, False), (ECONOMY, True)])
def test_upload_page_offers_upload_and_undo_only_to_okonomi(signed_in, email, may):
    at = signed_in(email, "last_opp")
    assert "Last opp data" in {t.value for t in at.title}
    assert bool(at.get("file_uploader")) is may
    assert ("Angre importen" in buttons(at)) is may
    notices = " ".join(i.value for i in at.info)
    assert ("Opplasting krever rollen «økonomi» for enheten" in notices) is not may


def test_undo_is_offered_only_for_imports_of_the_users_units(signed_in):
    """«økonomi» of MH-INB may upload for MH-INB, but MH's imports are not theirs to undo."""
    at = signed_in("inb-okonomi@ntnu.no", "last_opp")
    assert bool(at.get("file_uploader"))
    assert "Angre importen" not in buttons(at)
    assert "Ingen gjeldende importer du kan angre." in {c.value for c in at.caption}
    assert "Angre importen" in buttons(signed_in(ECONOMY, "last_opp"))


@pytest.mark.parametrize("email, may", [(LESER, False), (REPORTER, False), (ECONOMY, True)])
def test_rounds_page_offers_round_actions_only_to_okonomi_of_the_unit(signed_in, email, may):
    at = signed_in(email, "runder")
    assert any(t.value.startswith("Rapporteringsrunder") for t in at.title)
    keys = {b.key for b in at.button}
    assert ("runde-lukk" in keys) is may
    shown = [e.value for kind in (at.markdown, at.caption, at.header, at.title) for e in kind]
    shown += [str(o) for box in at.selectbox for o in box.options]
    assert any("Status juni 2020" in v for v in shown), shown  # every role reads the round
    assert "Godkjenning" in {h.value for h in at.header}


@pytest.mark.parametrize("email, may", [(LESER, False), (REPORTER, True), (ECONOMY, True)])
def test_mine_tiltak_offers_answers_only_to_a_reporter_of_a_unit_in_the_round(
    signed_in, email, may
):
    """«økonomi» of MH ranks above «rapportør», so it may answer for MH's units too."""
    at = signed_in(email, "mine_tiltak")
    assert "Mine tiltak" in {t.value for t in at.title}
    assert ("Send inn" in buttons(at)) is may
    none_open = "Ingen åpen rapporteringsrunde" in " ".join(i.value for i in at.info)
    assert none_open is not may


def unit_options(at: AppTest) -> list[str]:
    return list(at.sidebar.selectbox(key="enhet").options)


def test_a_restricted_unit_is_only_offered_to_those_with_a_grant(signed_in):
    assert "MH-ISB" not in unit_options(signed_in(REPORTER))  # rapportør of MH-INB
    assert "MH-ISB" not in unit_options(signed_in("ukjent@uio.no"))  # only the default
    assert "MH-ISB" in unit_options(signed_in("isb@ntnu.no"))  # its own reporter
    assert "MH-ISB" in unit_options(signed_in(ECONOMY))  # økonomi of MH, above it
    assert "MH-ISB" in unit_options(signed_in(None))  # local mode: one person, every right
    assert "MH-INB" in unit_options(signed_in(REPORTER))


def test_a_restricted_unit_by_address_says_no_access(signed_in):
    at = signed_in(REPORTER, enhet="MH-ISB")
    errors = " ".join(e.value for e in at.error)
    assert "Du har ingen tilgang til MH-ISB" in errors
    assert not any("MH-ISB" in t.value for t in at.title)  # the page itself is not shown
    at = signed_in(REPORTER, "maloppnaelse", enhet="MH-ISB")
    assert "Du har ingen tilgang til MH-ISB" in " ".join(e.value for e in at.error)
    own = signed_in("isb@ntnu.no", enhet="MH-ISB")
    assert not own.error
    assert any("MH-ISB" in t.value for t in own.title)


def test_an_entra_account_without_email_is_known_by_its_user_name(signed_in):
    at = signed_in(ECONOMY, "last_opp", claim="preferred_username")
    assert bool(at.get("file_uploader"))
    assert any("økonomi for MH" in c.value for c in at.sidebar.caption)
