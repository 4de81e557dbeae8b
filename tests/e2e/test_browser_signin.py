"""Sign-in for real: the app with `[auth]` pointing at an OIDC provider on loopback
(oidc-provider-mock, tests/oidc.py), driven in headless Chromium through Streamlit's own redirect
flow (`st.login` → the provider's authorize form → /oauth2callback → the app). The role and units
shown, signing out, two users in two browser contexts, a user not in the roles file, and a
tampered, forged or expired session cookie (signed out, never an error page)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.browser import SIZES, need_chromium, wait_for_app
from tests.oidc import sidebar_text, sign_in, sign_out, signed_in_app, user_cookie
from tests.rounds_helpers import open_demo_round

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
USER_COOKIE = "_streamlit_user"

need_chromium()


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from tests.helpers.demo import demo_copy

    db = demo_copy(tmp_path_factory.mktemp("signin") / "demo.duckdb")
    open_demo_round(db)  # an open round of MH: «Mine tiltak» has something to answer
    with signed_in_app(db) as served:
        yield served


def no_error(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "Authentication error" not in page.inner_text("body")


UPLOADER = '[data-testid="stFileUploaderDropzoneInput"]'


def upload_refused(page) -> None:
    """«Last opp» says upload needs «økonomi» (instead of the uploader, in the same run) and
    shows no uploader and no undo."""
    page.get_by_text("Opplasting krever rollen «økonomi»").wait_for(timeout=60000)
    wait_for_app(page)
    assert page.locator(UPLOADER).count() == 0
    assert page.get_by_role("button", name="Angre importen").count() == 0


def signed_out(page) -> None:
    """The app's sign-in page: «Logg inn», nothing of the data, no error."""
    page.get_by_role("button", name="Logg inn").wait_for(timeout=60000)
    no_error(page)
    assert page.get_by_role("button", name="Logg ut").count() == 0
    assert "Innlogget som" not in page.inner_text("body")


@pytest.mark.parametrize("size", list(SIZES))
def test_sign_in_shows_role_and_units_then_sign_out(app, browser, size):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = sign_in(context, app.url, "okonomi@ntnu.no", "Ola Økonomi")
    text = sidebar_text(page)
    assert "Innlogget som Ola Økonomi (okonomi@ntnu.no)" in text
    assert "Rolle: økonomi for MH og enhetene under (kan laste opp og styre" in text
    assert "Logg ut" in text
    assert "Ingen roller" not in text
    no_error(page)
    page.get_by_text("Igangsatt").first.wait_for(timeout=60000)  # the cards drawn (screenshot)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"innlogget-{size}.png"))
    assert user_cookie(context) is not None
    sign_out(page, app.url)
    signed_out(page)
    assert user_cookie(context) is None
    page.goto(app.url)  # and it stays signed out
    signed_out(page)
    context.close()


def test_two_users_in_two_contexts_see_their_own_rights(app, browser):
    first_context, second_context = browser.new_context(), browser.new_context()
    first = sign_in(first_context, app.url, "okonomi@ntnu.no", "Ola Økonomi")
    second = sign_in(second_context, app.url, "inb@ntnu.no", "Ida Rapportør")
    assert "Rolle: rapportør for MH-INB og enhetene under" in sidebar_text(second)
    assert "okonomi@ntnu.no" not in sidebar_text(second)
    first.reload()
    wait_for_app(first)
    assert "Innlogget som Ola Økonomi (okonomi@ntnu.no)" in sidebar_text(first)
    # the reporter answers for MH-INB in «Mine tiltak»; the økonomi user may upload
    # (widgets load their code after the run's last element: wait for each one judged)
    second.goto(f"{app.url}/mine-tiltak")
    second.get_by_role("button", name="Send inn").wait_for(timeout=60000)
    first.goto(f"{app.url}/last_opp")
    first.locator(UPLOADER).wait_for(state="attached", timeout=60000)
    second.goto(f"{app.url}/last_opp")
    upload_refused(second)
    first_context.close()
    second_context.close()


def test_a_group_from_the_id_token_gives_its_role(app, browser):
    context = browser.new_context()
    page = sign_in(context, app.url, "dekan@ntnu.no", "Dekan", groups=["fak-mh-ledere"])
    assert "Rolle: leder for MH og enhetene under (kan godkjenne svar)." in sidebar_text(page)
    context.close()


def test_a_user_not_in_the_roles_file_is_told_and_may_not_write(app, browser):
    context = browser.new_context()
    page = sign_in(context, app.url, "ukjent@uio.no", "Ukjent")
    text = sidebar_text(page)
    assert "Du står ikke i rollefila til Målbilde" in text
    assert "du kan lese, men ikke endre noe" in text
    assert "Rolle:" not in text  # the default grant is no role of theirs
    page.goto(f"{app.url}/last_opp")
    upload_refused(page)
    no_error(page)
    page.goto(f"{app.url}/runder?enhet=MH")
    wait_for_app(page)
    no_error(page)
    main = page.inner_text('[data-testid="stMain"]')
    assert "Status juni 2020" in main  # reads the round
    for action in ("Åpne en ny runde", "Gjennomføre runden", "Lukk runden"):
        assert action not in main, action
    page.goto(f"{app.url}/mine-tiltak")
    wait_for_app(page)
    assert page.get_by_role("button", name="Send inn").count() == 0
    assert "Ingen åpen rapporteringsrunde spør etter tiltak" in page.inner_text("body")
    context.close()


def test_a_restricted_unit_is_not_shown_without_a_grant(app, browser):
    """MH-ISB is restricted in the roles file: its reporter sees it; a reporter of MH-INB does
    not find it in the unit picker, and its address says «ingen tilgang»."""
    outsider_context, own_context = browser.new_context(), browser.new_context()
    outsider = sign_in(outsider_context, app.url, "inb@ntnu.no", "Ida Rapportør")
    picker = outsider.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="Enhet")
    picker.click()
    picker.fill("MH-I")  # the picker filters its options as one types
    outsider.get_by_role("option", name="MH-INB").first.wait_for(timeout=30000)
    options = outsider.get_by_role("option").all_inner_texts()
    assert not any("MH-ISB" in o for o in options), options
    outsider.keyboard.press("Escape")
    outsider.goto(f"{app.url}/?enhet=MH-ISB")
    wait_for_app(outsider)
    main = outsider.inner_text('[data-testid="stMain"]')
    assert "ingen tilgang" in main.lower() and "MH-ISB" in main
    assert "Oversikt – MH-ISB" not in main
    own = sign_in(own_context, app.url, "isb@ntnu.no", "Isak Rapportør")
    own.goto(f"{app.url}/?enhet=MH-ISB")
    wait_for_app(own)
    assert "ingen tilgang" not in own.inner_text('[data-testid="stMain"]').lower()
    outsider_context.close()
    own_context.close()


def _resigned(secret: str, cookie_value: str, age_seconds: int = 0, claims: dict = {}) -> str:  # noqa: B006
    """The cookie's payload (with `claims` changed) signed again with `secret`, as if signed
    `age_seconds` ago. The payload is read without checking the signature (the test's own)."""
    from itsdangerous import TimestampSigner, URLSafeTimedSerializer

    payload = URLSafeTimedSerializer("", salt=USER_COOKIE).loads_unsafe(cookie_value)[1]
    if claims:
        payload = json.dumps({**json.loads(payload), **claims})

    class Then(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - age_seconds

    return URLSafeTimedSerializer(secret, salt=USER_COOKIE, signer=Then).dumps(payload)


def _with_cookie(context, page, url: str, value: str) -> None:
    cookie = user_cookie(context)
    context.add_cookies([{**cookie, "value": value}])
    page.goto(url)


def test_a_tampered_forged_or_expired_cookie_signs_out(app, browser):
    context = browser.new_context()
    page = sign_in(context, app.url, "inb@ntnu.no", "Ida Rapportør")
    original = user_cookie(context)["value"]
    # the same payload signed again now with the app's secret: still signed in (so the
    # re-signing below is right, and only what differs decides)
    _with_cookie(context, page, app.url, _resigned(app.cookie_secret, original))
    wait_for_app(page)
    assert "Innlogget som Ida Rapportør (inb@ntnu.no)" in sidebar_text(page)
    # tampered: the payload edited (another user, admin of NTNU), the old signature kept
    _, stamp, signature = original.rsplit(".", 2)  # a compressed payload starts with «.»
    forged = _resigned("any", original, claims={"email": "sjef@ntnu.no"}).rsplit(".", 2)[0]
    _with_cookie(context, page, app.url, f"{forged}.{stamp}.{signature}")
    signed_out(page)
    # forged: signed with another secret
    _with_cookie(context, page, app.url, _resigned("not-the-secret", original))
    signed_out(page)
    # expired: signed with the right secret 40 days ago (the session lasts 30)
    _with_cookie(context, page, app.url, _resigned(app.cookie_secret, original, 40 * 86400))
    signed_out(page)
    # one character of the signature changed: its first, whose six bits all count (the last
    # base64 character carries padding bits, so changing it may decode to the same signature)
    other = "A" if signature[0] != "A" else "B"
    _with_cookie(context, page, app.url, f"{original[: -len(signature)]}{other}{signature[1:]}")
    signed_out(page)
    context.close()
