"""The app's pages driven in-process by Streamlit's AppTest: a session per page, the upload page,
sign-in secrets, and the chart titles a page drew."""

from __future__ import annotations

import json
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.config import ROOT
from tests.conftest import make_workbook

APP = str(ROOT / "dashboard" / "app.py")
TAGS = re.compile(r"<[^>]+>")
MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROG = ["Bevilgningsramme BFV", "Budsjett i år", "Prognose i år", "Prognostisert budsjettavvik"]
# st.login's settings: enough for the app to run signed in (AppTest sets the user itself)
AUTH_SECRETS = {
    "auth": {
        "redirect_uri": "http://localhost/oauth2callback",
        "cookie_secret": "x",
        "client_id": "x",
        "client_secret": "x",
        "server_metadata_url": "https://example.org/.well-known/openid-configuration",
    }
}


class Pages:
    """The app's pages for one database, driven as a browser session would (AppTest)."""

    def __init__(self, db: Path, monkeypatch):
        monkeypatch.setenv("MALBILDE_DB", str(db))

    def run(self, page: str, **params: str) -> AppTest:
        """Open the app with `params` in the URL, go to `page`; no exception allowed."""
        at = AppTest.from_file(APP, default_timeout=120)
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at


def chart_titles(at: AppTest) -> list[str]:
    """Each chart's title: its first line, without markup."""
    out = []
    for chart in at.get("plotly_chart"):
        title = json.loads(chart.proto.spec)["layout"].get("title", {}).get("text", "")
        out.append(TAGS.sub("", title.split("<br>")[0]))
    return out


def plain_titles(at: AppTest) -> list[str]:
    """Chart titles whole (their lines joined), without the subtitle."""
    out = []
    for chart in at.get("plotly_chart"):
        title = json.loads(chart.proto.spec)["layout"].get("title", {}).get("text", "")
        lines = [x for x in title.split("<br>") if x.startswith("<b>")]
        out.append(" ".join(TAGS.sub("", x) for x in lines))
    return out


def prognosis_bytes(tmp_path: Path, name: str, month: str, result: int) -> bytes:
    """A one-row prognosis workbook of MH for `month` 2023 with `result`, as uploaded bytes."""
    path = make_workbook(
        tmp_path / name,
        {
            "P": [
                [f"Prognose pr. {month} 2023"],
                ["Fakultet for medisin og helsevitenskap (MH)"],
                PROG,
                ["Resultat", -100, result, -100 - result],
            ]
        },
    )
    return path.read_bytes()


def upload_page(monkeypatch, db, user: dict | None = None, secrets: dict | None = None) -> AppTest:
    """The upload page on `db` (not run yet), as `user` with `secrets` when given."""
    monkeypatch.setenv("MALBILDE_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=90)
    if user is not None:
        at.user = user
    if secrets is not None:
        at.secrets = secrets
    at.switch_page("app_pages/last_opp.py")
    return at
