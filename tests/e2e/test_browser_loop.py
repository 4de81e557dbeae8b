"""The whole reporting loop in headless Chromium with three users signed in for real (OIDC on
loopback, tests/oidc.py) and the reminder mails read from an SMTP server on loopback: the
coordinator opens a round and sends reminders; MH-INB's reporter answers in the browser and
MH-ISB's by Excel; MH-INB is sent back, corrects and submits again; both are approved; the round
is closed — and Oversikt, Måloppnåelse, the deck and `summary --json` show the approved figures
(and, before approval, not yet)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.config import ROOT
from tests.browser import need_chromium, run_id, wait_for_app
from tests.oidc import sign_in, signed_in_app
from tests.rounds_helpers import PLAN, fill
from tests.smtp_server import smtp_server

pytestmark = pytest.mark.browser
need_chromium()

ROLES = """\
default = "leser"

[users]
"koord@ntnu.no" = {role = "økonomi", unit = "MH"}
"inb@ntnu.no" = {role = "rapportør", unit = "MH-INB"}
"isb@ntnu.no" = {role = "rapportør", unit = "MH-ISB"}
"""
LABEL = "Status desember 2026"
DONE = "4 – Gjennomført"
WORKING = "3 – Under gjennomføring"
MEASURES = 11  # MH-INB's measures in the demo's Handlingsplan 2019
SENT_BACK = "Kommentar mangler på MH-INB-03"
ARTIFACTS = ROOT / "artifacts" / "screenshots"


def main_text(page) -> str:
    return page.inner_text('[data-testid="stMain"]').replace("\u2060", "")


def visit(page, url: str) -> str:
    page.goto(url)
    wait_for_app(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    return main_text(page)


def click_and_wait(page, locator) -> None:
    """Click, then wait for the script run it starts to finish."""
    before = run_id(page)
    locator.click()
    wait_for_app(page, previous=before)


def said(page, text: str | re.Pattern) -> None:
    """Wait for `text` on the page; when it does not come, fail with what the page says."""
    try:
        page.get_by_text(text).first.wait_for(timeout=60000)
    except Exception:
        alerts = page.locator('[data-testid="stAlert"],[data-testid="stException"]')
        raise AssertionError(
            f"«{text}» not shown; the page says {alerts.all_inner_texts()}"
        ) from None


def choose(page, combobox, option: str | re.Pattern) -> None:
    """Pick `option` in a selectbox: its list opens on a click once the field has the focus
    (a click that only moves the focus from a text field opens nothing, so click again)."""
    listbox = page.get_by_role("listbox")
    for _ in range(5):
        combobox.click()
        try:
            listbox.wait_for(timeout=3000)
            break
        except Exception:  # the click only took the focus
            continue
    exact = None if isinstance(option, re.Pattern) else True
    listbox.get_by_role("option", name=option, exact=exact).click()
    listbox.wait_for(state="hidden")


def answer_in_browser(page, link: str, status: str, comment: str) -> str:
    """MH-INB's reporter: open the mail's link, give every measure `status` and a comment, send
    in; returns the page's text after."""
    visit(page, link)
    from playwright.sync_api import expect

    boxes = page.get_by_role("combobox", name="Ny status", exact=True)
    expect(boxes).to_have_count(MEASURES, timeout=60000)  # the form drawn, every measure in it
    wait_for_app(page)
    for i in range(boxes.count()):
        choose(page, boxes.nth(i), status)
        page.get_by_label("Kommentar", exact=True).nth(i).fill(f"{comment} {i + 1}")
    click_and_wait(page, page.get_by_role("button", name="Send inn"))
    said(page, "Svarene er sendt inn")
    return main_text(page)


def review(page, url: str, unit: str, approve: bool, comment: str = "") -> None:
    """The coordinator approves `unit`'s answers or sends them back with `comment`."""
    visit(page, f"{url}/runder?enhet=MH")
    form = page.locator('[data-testid="stForm"]').filter(has_text="Kommentar til enheten")
    choose(page, form.get_by_role("combobox", name="Enhet", exact=True), re.compile(f"^{unit} "))
    if comment:
        form.get_by_label("Kommentar til enheten").fill(comment)
    word = "Godkjenn" if approve else "Send tilbake"
    form.get_by_role("button", name=word, exact=True).click()
    said(page, f"Svarene fra {unit} er {'godkjent' if approve else 'sendt tilbake'}")


def tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def open_round(page, url: str) -> None:
    visit(page, f"{url}/runder?enhet=MH")
    page.get_by_text("Åpne en ny runde").click()
    assert page.get_by_role("combobox", name="Plan", exact=True).input_value() == PLAN
    page.get_by_label("Navn på runden").fill(LABEL)
    page.get_by_role("button", name="Åpne runden").click()
    said(page, f"Runden «{LABEL}» er åpnet")


def excel_answer(page, folder: Path) -> None:
    """MH-ISB answers by Excel: the coordinator downloads its workbook, it comes back filled in
    and is taken back on «Ta imot svar»."""
    tab(page, "Send ut")
    choose(
        page,
        page.get_by_role("combobox", name="Eller én enhets arbeidsbok", exact=True),
        re.compile(r"^MH-ISB"),
    )
    with page.expect_download() as got:
        page.get_by_role("button", name="Last ned for MH-ISB").click()
    sent = folder / got.value.suggested_filename
    got.value.save_as(sent)
    keys = [row[0].value for row in _status_rows(sent)]
    answers = {k: {"Ny status": WORKING, "Ny kommentar": f"Excel-svar {k}"} for k in keys}
    returned = fill(sent, answers, folder / "inn" / sent.name)
    tab(page, "Ta imot svar")
    before = run_id(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(returned))
    wait_for_app(page, previous=before)
    page.get_by_text("1 av 1 filer kan lagres").wait_for(timeout=60000)
    page.get_by_role("button", name="Lagre svarene").click()
    page.get_by_text("1 filer er lagret").wait_for(timeout=60000)


def _status_rows(path: Path):
    import openpyxl

    from tests.rounds_helpers import HEADER_ROW, STATUS_SHEET

    ws = openpyxl.load_workbook(path)[STATUS_SHEET]
    return [row for row in ws.iter_rows(min_row=HEADER_ROW + 1) if row[0].value]


def summary(db: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "dashboard", "summary", "--db", str(db), "--json"],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout)


def plan_of(data: dict, unit: str) -> dict:
    return next(p for p in data["plans"] if p["unit"] == unit and p["plan"] == PLAN)


def slides(page, url: str) -> str:
    """Every slide of the deck's text, «Neste →» after «Neste →»."""
    texts = [visit(page, url)]
    total = int(re.search(r"Lysbilde 1 av (\d+)", texts[0]).group(1))
    for n in range(2, total + 1):
        page.get_by_role("button", name="Neste →").click()
        said(page, f"Lysbilde {n} av {total}")
        wait_for_app(page)
        texts.append(main_text(page))
    return "\n".join(texts)


def cards(page) -> dict[str, str]:
    """Oversikt's headline cards as shown: {label: value}."""
    page.locator('[data-testid="stMetricValue"]').first.wait_for(timeout=60000)
    wait_for_app(page)
    out = {}
    for metric in page.locator('[data-testid="stMetric"]').all():
        label = metric.locator('[data-testid="stMetricLabel"]').inner_text().strip()
        out[label] = metric.locator('[data-testid="stMetricValue"]').inner_text().strip()
    return out


def test_the_whole_loop_with_three_users(browser, tmp_path):
    from tests.helpers.demo import demo_copy

    db = demo_copy(tmp_path / "demo.duckdb")
    before = summary(db)
    with smtp_server() as inbox:
        mail_env = {
            "MALBILDE_SMTP_HOST": inbox.host,
            "MALBILDE_SMTP_PORT": str(inbox.port),
            "MALBILDE_SMTP_FROM": "malbilde@ntnu.no",
        }
        with signed_in_app(db, ROLES, mail_env) as app:
            url = app.url
            koord = sign_in(browser.new_context(), url, "koord@ntnu.no", "Kari Koordinator")
            inb = sign_in(browser.new_context(), url, "inb@ntnu.no", "Ida Rapportør")

            # 1. the coordinator opens the round and sends the reminders
            open_round(koord, url)
            visit(koord, f"{url}/runder?enhet=MH")
            sent = koord.get_by_role("button", name=re.compile(r"^Send påminnelser til \d+"))
            sent.click()
            said(koord, re.compile(r"\d+ av \d+ e-poster er sendt"))
            to_inb, to_isb = inbox.to("inb@ntnu.no"), inbox.to("isb@ntnu.no")
            assert len(to_inb) == 1 and len(to_isb) == 1, [m.recipients for m in inbox.mails]
            assert LABEL in to_inb[0].subject or LABEL in to_inb[0].body
            link = re.search(rf"{re.escape(url)}/mine-tiltak\?\S+", to_inb[0].body)
            assert link and "enhet=MH-INB" in link.group(0), to_inb[0].body
            assert "enhet=MH-ISB" in to_isb[0].body and "MH-INB" not in to_isb[0].body

            # 2. MH-INB answers in the browser, MH-ISB by Excel
            answer_in_browser(inb, link.group(0), DONE, "Ferdig")
            visit(koord, f"{url}/runder?enhet=MH")
            excel_answer(koord, tmp_path)
            rounds_page = visit(koord, f"{url}/runder?enhet=MH")
            # the coordinator's own take-back is approved as it is stored; MH-INB's waits
            assert "Svarene fra MH-ISB er godkjent" in rounds_page, rounds_page[:1500]
            assert "MH-INB venter på godkjenning" in rounds_page

            # submitted, not approved: the figures are still the last approved ones
            waiting = visit(koord, f"{url}/maloppnaelse?enhet=MH-INB")
            assert plan_of(before, "MH-INB")["headline"] in waiting.replace("\u00a0", " ")

            # 3. MH-INB is sent back, sees why, corrects and submits again
            review(koord, url, "MH-INB", approve=False, comment=SENT_BACK)
            back = visit(inb, link.group(0))
            assert f"Sendt tilbake av koordinatoren: {SENT_BACK}" in back
            after = answer_in_browser(inb, link.group(0), DONE, "Rettet")
            assert "Siste svar mot det forrige" in after

            # 4. both approved, the round closed
            review(koord, url, "MH-INB", approve=True)
            visit(koord, f"{url}/runder?enhet=MH")
            tab(koord, "Lukk runden")
            koord.get_by_text("Ja, lukk runden nå", exact=True).click()
            koord.get_by_role("button", name="Lukk runden", exact=True).click()
            said(koord, f"Runden «{LABEL}» er lukket")

            # 5. the pages show the approved figures
            shown = {}
            for unit in ("MH-INB", "MH-ISB"):
                visit(koord, f"{url}/maloppnaelse?enhet={unit}")
                koord.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for()
                wait_for_app(koord)
                shown[unit, "mal"] = main_text(koord)
                shown[unit, "oversikt"] = visit(koord, f"{url}/?enhet={unit}")
                shown[unit, "cards"] = cards(koord)
                shown[unit, "deck"] = slides(koord, f"{url}/presentasjon?enhet={unit}")
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            koord.screenshot(path=str(ARTIFACTS / "loop-presentasjon-isb.png"))

    final = summary(db)
    inb_plan, isb_plan = plan_of(final, "MH-INB"), plan_of(final, "MH-ISB")
    assert inb_plan["round"] == isb_plan["round"] == LABEL
    assert inb_plan["done"] == inb_plan["measures"] == 11  # every measure «4 – Gjennomført»
    assert isb_plan["started"] == 11 and isb_plan["done"] == 0  # «3 – Under gjennomføring»
    for unit, plan in (("MH-INB", inb_plan), ("MH-ISB", isb_plan)):
        for where in ("mal", "deck"):  # the status chart's title is its headline
            text = shown[unit, where].replace("\u00a0", " ")
            assert plan["headline"] in text, (unit, where, plan["headline"], text[:800])
        units = next(u for u in final["units"] if u["unit"] == unit)
        assert shown[unit, "cards"] == units["cards"]
    closed = next(r for r in final["rounds"] if r["label"] == LABEL)
    assert not closed["open"] and closed["approved"] == ["MH-INB", "MH-ISB"]
    assert (
        closed["counted"] == 22 and closed["approval"] == "Svarene fra MH-INB og MH-ISB er godkjent"
    )
    assert plan_of(before, "MH-INB")["headline"] != inb_plan["headline"]  # the figures moved
