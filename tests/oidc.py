"""A real OIDC provider on loopback (oidc-provider-mock) and the app signed in through it with
Streamlit's own redirect flow (`st.login`): for browser tests of sign-in and rights per unit.

    with signed_in_app(db) as app:                  # provider + app with [auth] and roles.toml
        page = sign_in(browser.new_context(), app.url, "inb@ntnu.no", "Ida Rapportør")
        ...
        sign_out(page, app.url)

The provider accepts any client id and secret; `sign_in` gives it the user's claims (email,
name, groups) and fills its authorize form, so a test can sign in as anyone it names.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx
import werkzeug.serving

from tests.browser import free_port, serve, wait_for_app

# Rights per unit for the sign-in tests (one user per kind of grant), and a restricted unit.
ROLES_TOML = """\
default = "leser"
restricted = ["MH-ISB"]

[users]
"okonomi@ntnu.no" = {role = "økonomi", unit = "MH"}
"inb@ntnu.no" = {role = "rapportør", unit = "MH-INB"}
"inb-okonomi@ntnu.no" = {role = "økonomi", unit = "MH-INB"}
"isb@ntnu.no" = {role = "rapportør", unit = "MH-ISB"}
"leser@ntnu.no" = {role = "leser", unit = "MH"}
"sjef@ntnu.no" = {role = "admin", unit = "NTNU"}

[groups]
"fak-mh-ledere" = {role = "leder", unit = "MH"}
"""


class _Quiet(werkzeug.serving.WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # no line per request in the test output
        pass


@contextlib.contextmanager
def provider() -> Iterator[str]:
    """oidc-provider-mock on 127.0.0.1 on a free port, in a thread; yields its issuer URL."""
    import oidc_provider_mock

    server = werkzeug.serving.make_server(
        "127.0.0.1", 0, oidc_provider_mock.app(), threaded=True, request_handler=_Quiet
    )
    thread = threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


@dataclass(frozen=True)
class SignInApp:
    """The app served with sign-in: its URL, the provider's, and the cookie secret (for tests
    that sign a cookie themselves)."""

    url: str
    provider: str
    cookie_secret: str
    roles: Path


def secrets_toml(app_url: str, provider_url: str, cookie_secret: str) -> str:
    """`[auth]` for Streamlit's st.login against `provider_url` (what production has for Feide
    or Entra ID, with their metadata URL, client id and secret)."""
    auth = {
        "redirect_uri": f"{app_url}/oauth2callback",
        "cookie_secret": cookie_secret,
        "client_id": "malbilde-test",
        "client_secret": "test-secret",
        "server_metadata_url": f"{provider_url}/.well-known/openid-configuration",
    }
    return "[auth]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in auth.items())


@contextlib.contextmanager
def signed_in_app(
    db_path: Path, roles: str = ROLES_TOML, extra_env: dict[str, str] | None = None
) -> Iterator[SignInApp]:
    """The provider, and the app on `db_path` with `[auth]` pointing at it and `roles` as its
    roles file (both written beside the database)."""
    port = free_port()
    app_url = f"http://127.0.0.1:{port}"
    cookie_secret = secrets.token_hex(32)
    folder = db_path.parent
    roles_file = folder / "roles.toml"
    roles_file.write_text(roles, encoding="utf-8")
    with provider() as idp:
        secrets_file = folder / "secrets.toml"
        secrets_file.write_text(secrets_toml(app_url, idp, cookie_secret), encoding="utf-8")
        env = {
            "STREAMLIT_SECRETS_FILES": str(secrets_file),
            "MALBILDE_ROLES": str(roles_file),
            "MALBILDE_WARM_PARSER": "0",
            "MALBILDE_BASE_URL": app_url,  # the links in reminder mails
            **(extra_env or {}),
        }
        with serve(db_path, env, port=port) as url:
            assert url == app_url, (url, app_url)
            yield SignInApp(url, idp, cookie_secret, roles_file)


def _origin(url: str) -> str:
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{rest.split('/', 1)[0]}"


def _back(url: str, base_url: str) -> bool:
    """Back in the app, past its callback (which answers with a redirect)."""
    return url.startswith(base_url) and "/oauth2callback" not in url


def sign_in(context_or_page, base_url: str, email: str, name: str, groups: Iterable[str] = ()):
    """Sign in as `email` through the real flow: «Logg inn» in the app, the provider's authorize
    form (given the user's claims first), back to the app's callback and the app signed in.
    Takes a Playwright BrowserContext (opens a page in it) or a Page; returns the page."""
    page = context_or_page.new_page() if hasattr(context_or_page, "new_page") else context_or_page
    page.goto(base_url)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(lambda u: not u.startswith(base_url), timeout=60000)
    idp = _origin(page.url)
    claims = {"email": email, "email_verified": True, "name": name, "groups": list(groups)}
    response = httpx.put(f"{idp}/users/{quote(email, safe='')}", json=claims, timeout=30)
    response.raise_for_status()
    page.get_by_placeholder("sub").fill(email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(lambda u: _back(u, base_url), timeout=60000)
    wait_for_app(page)
    page.wait_for_function(SIGNED_IN, arg=email, timeout=60000, polling=100)
    return page


# The sidebar says who is signed in, «Innlogget som Navn (adresse)» (an address is shown
# with an invisible word joiner, ui.plain).
SIGNED_IN = """(email) => {
  const bar = document.querySelector('[data-testid="stSidebar"]');
  const text = bar ? bar.innerText.replaceAll('\u2060', '') : '';
  return text.includes('Innlogget som ') && text.includes(email);
}"""


def sidebar_text(page) -> str:
    """The sidebar's text as read (without the invisible word joiners)."""
    return page.inner_text('[data-testid="stSidebar"]').replace("\u2060", "")


def sign_out(page, base_url: str) -> None:
    """«Logg ut»: the app clears its cookie and sends the browser to the provider's end-session
    page, which sends it back; the app then asks to sign in again."""
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url(lambda u: not u.startswith(base_url), timeout=60000)
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(lambda u: _back(u, base_url), timeout=60000)
    page.get_by_role("button", name="Logg inn").wait_for(timeout=60000)


def user_cookie(context) -> dict | None:
    """The browser's `_streamlit_user` cookie (Streamlit's signed session), or None."""
    return next((c for c in context.cookies() if c["name"] == "_streamlit_user"), None)
