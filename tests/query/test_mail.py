"""Reminder mails of a reporting round, sent to a real SMTP server on loopback (aiosmtpd): who
gets them, what they say, the log, refusals, the due-date stages, nothing without settings."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from dashboard import auth, store
from dashboard.auth import Grant, User, load_roles
from dashboard.model.pin import resolve
from dashboard.model.rounds import RoundFigures, round_figures
from dashboard.service import mail
from tests.rounds_helpers import demo_with_answers
from tests.smtp_server import smtp_server

BASE = "https://malbilde.example.ntnu.no"
ROLES = """
[users]
"ikom.rapportor@ntnu.no" = {role = "rapportør", unit = "MH-IKOM"}
"ism.leder@ntnu.no" = [{role = "leder", unit = "MH-ISM"}, {role = "leser", unit = "MH-ISB"}]
"avvist@ntnu.no" = {role = "rapportør", unit = "MH-ISB"}
"okonomi@ntnu.no" = {role = "økonomi", unit = "MH"}
"mh.leder@ntnu.no" = {role = "leder", unit = "MH"}
"inb.leder@ntnu.no" = {role = "leder", unit = "MH-INB"}
"""
COORDINATOR = User("okonomi@ntnu.no", "Ola", (Grant("økonomi", "MH"),))


@pytest.fixture(scope="module")
def round_db(tmp_path_factory) -> tuple[Path, int]:
    db = tmp_path_factory.mktemp("mail") / "demo.duckdb"
    return db, demo_with_answers(db)


@pytest.fixture
def roles(tmp_path):
    path = tmp_path / "roles.toml"
    path.write_text(ROLES, encoding="utf-8")
    return load_roles(path)


@pytest.fixture
def con(round_db):
    connection = store.connect(round_db[0])
    connection.execute("delete from mail_log")
    yield connection
    connection.close()


def figures(con, round_id: int) -> RoundFigures:
    q = lambda name, **p: store.query(con, name, p)  # noqa: E731
    return round_figures(q, resolve(q, "MH", store.data_version(con)), round_id)


def settings(port: int, host: str = "127.0.0.1") -> mail.SmtpSettings:
    env = {
        "MALBILDE_SMTP_HOST": host,
        "MALBILDE_SMTP_PORT": str(port),
        "MALBILDE_SMTP_FROM": "malbilde@ntnu.no",
        "MALBILDE_BASE_URL": BASE + "/",
    }
    return mail.smtp_settings(Path("/nonexistent/secrets.toml"), env)


def test_reminders_reach_each_unit_with_its_measures_left_and_a_link(con, round_db, roles):
    r = figures(con, round_db[1])
    with smtp_server(refuse={"avvist@ntnu.no"}) as inbox:
        cfg = settings(inbox.port)
        cfg = dataclasses.replace(cfg, contacts={"MH-ISB": ["isb@ntnu.no"]})
        reminders = mail.build_reminders(r, cfg, roles)
        assert [x.unit for x in reminders] == ["MH-IKOM", "MH-ISB", "MH-ISM"]
        outcomes = mail.send_reminders(con, r, reminders, cfg, COORDINATOR)
        by_unit = {m.recipients[0]: m for m in inbox.mails}
    assert sorted(m.recipients[0] for m in inbox.mails) == [
        "ikom.rapportor@ntnu.no",
        "isb@ntnu.no",
        "ism.leder@ntnu.no",
    ]
    assert all(len(m.recipients) == 1 for m in inbox.mails)  # the leser and MH's leder not
    for unit, address in (("MH-IKOM", "ikom.rapportor@ntnu.no"), ("MH-ISM", "ism.leder@ntnu.no")):
        got = by_unit[address]
        assert got.subject == f"Fristen er passert: statusrapport for {r.title}"
        assert f"{BASE}/mine-tiltak?runde={r.round_id}&enhet={unit}" in got.body
        own = r.asked[r.asked["unit"] == unit]
        for key, title, answered in zip(own["key"], own["title"], own["answered"], strict=True):
            line = f"- {key} {' '.join(title.split())}"
            assert (line in got.body) is (not answered), (unit, key)
        assert f"for {int((~own['answered']).sum())} av {len(own)} tiltak" in got.body
    assert by_unit["ism.leder@ntnu.no"].message.get_content_type() == "text/plain"
    log = mail.sent_log(con, r.round_id)
    refused = log[log["recipient"] == "avvist@ntnu.no"].iloc[0]
    assert refused["outcome"] == mail.FAILED and "550" in refused["reason"]
    assert "Mottakeren finnes ikke" in refused["reason"]
    sent = log[log["outcome"] == mail.SENT]
    assert sorted(sent["recipient"]) == sorted(by_unit)
    assert set(log["sent_by"]) == {"okonomi@ntnu.no"} and set(log["stage"]) == {mail.AFTER}
    assert len(outcomes) == len(log) == 4


def test_nothing_is_sent_unless_smtp_is_configured(con, round_db, roles):
    r = figures(con, round_db[1])
    with smtp_server() as inbox:
        cfg = mail.smtp_settings(Path("/nonexistent/secrets.toml"), {})
        assert not cfg.configured and "MALBILDE_SMTP_HOST" in mail.setup_hint(cfg)
        assert "e-postserver" in mail.how_to_configure(cfg)
        with pytest.raises(mail.MailError, match="E-post er ikke satt opp"):
            mail.send_reminders(con, r, mail.build_reminders(r, cfg, roles), cfg, COORDINATOR)
        half = mail.SmtpSettings(host=inbox.host, port=inbox.port, sender="malbilde@ntnu.no")
        with pytest.raises(mail.MailError, match="MALBILDE_BASE_URL"):
            mail.send_reminders(con, r, mail.build_reminders(r, half, roles), half, COORDINATOR)
        assert inbox.mails == []
    assert mail.sent_log(con, r.round_id).empty


def test_only_the_rounds_coordinator_may_send(con, round_db, roles):
    r = figures(con, round_db[1])
    leader = User("inb.leder@ntnu.no", None, (Grant("leder", "MH-INB"), Grant("økonomi", "NV")))
    with smtp_server() as inbox:
        cfg = settings(inbox.port)
        with pytest.raises(auth.NotAllowed, match="økonomi"):
            mail.send_reminders(con, r, mail.build_reminders(r, cfg, roles), cfg, leader)
        assert inbox.mails == []
    assert mail.sent_log(con, r.round_id).empty


@pytest.mark.parametrize(
    ("today", "stage", "subject", "sentence"),
    [
        (
            dt.date(2020, 6, 1),
            mail.BEFORE,
            "Påminnelse: statusrapport for {} innen 15.06.2020",
            "Fristen er 15.06.2020.",
        ),
        (
            dt.date(2020, 6, 15),
            mail.ON,
            "Frist i dag: statusrapport for {}",
            "Fristen er i dag, 15.06.2020.",
        ),
        (
            dt.date(2020, 6, 16),
            mail.AFTER,
            "Fristen er passert: statusrapport for {}",
            "Fristen var 15.06.2020 og er passert.",
        ),
    ],
)
def test_the_stage_follows_the_rounds_due_date(
    con, round_db, roles, today, stage, subject, sentence
):
    r = figures(con, round_db[1])
    assert r.due == dt.date(2020, 6, 15)
    (first, *_) = mail.build_reminders(r, settings(25), roles, today=today)
    assert first.stage == stage == mail.stage(r.due, today)
    assert first.subject == subject.format(r.title)
    assert sentence in first.body


def test_headers_are_safe_from_names_and_titles_with_line_breaks(con, round_db, roles):
    r = figures(con, round_db[1])
    r.__dict__["title"] = "Plan\r\nBcc: spion@example.com\nX"
    r.names["MH-IKOM"] = "IKOM\r\nBcc: spion@example.com"
    with smtp_server() as inbox:
        cfg = settings(inbox.port)
        reminders = mail.build_reminders(r, cfg, roles)[:1]
        mail.send_reminders(con, r, reminders, cfg, COORDINATOR)
        (got,) = inbox.mails
    assert got.recipients == ["ikom.rapportor@ntnu.no"]
    assert got.message["Bcc"] is None and "\n" not in got.subject
    assert got.subject == "Fristen er passert: statusrapport for Plan Bcc: spion@example.com X"
    assert "IKOM Bcc: spion@example.com." in got.body


def test_an_unreachable_server_is_the_reason_logged_for_every_recipient(con, round_db, roles):
    r = figures(con, round_db[1])
    from tests.browser import free_port

    cfg = settings(free_port())  # nothing listens there
    outcomes = mail.send_reminders(con, r, mail.build_reminders(r, cfg, roles), cfg, COORDINATOR)
    assert outcomes and all(o.outcome == mail.FAILED for o in outcomes)
    log = mail.sent_log(con, r.round_id)
    assert len(log) == len(outcomes) and log["reason"].str.contains("svarte ikke").all()


def test_settings_come_from_secrets_and_env_overrides_them(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        '[smtp]\nhost = "smtp.ntnu.no"\nport = 587\nfrom = "malbilde@ntnu.no"\n'
        'user = "u"\npassword = "hemmelig-passord"\nbase_url = "https://m.ntnu.no/"\n'
        '[contacts]\n"MH-INB" = "inb@ntnu.no"\n',
        encoding="utf-8",
    )
    cfg = mail.smtp_settings(secrets, {})
    assert (cfg.host, cfg.port, cfg.starttls, cfg.base_url) == (
        "smtp.ntnu.no",
        587,
        True,
        "https://m.ntnu.no",
    )
    assert cfg.configured and "hemmelig" not in repr(cfg)
    cfg = mail.smtp_settings(secrets, {"MALBILDE_SMTP_HOST": "x", "MALBILDE_SMTP_STARTTLS": "0"})
    assert (cfg.host, cfg.starttls, cfg.contacts) == ("x", False, {"MH-INB": "inb@ntnu.no"})
    secrets.write_text("[smtp\n", encoding="utf-8")
    with pytest.raises(mail.MailError, match="ikke gyldig TOML"):
        mail.smtp_settings(secrets, {})


def test_the_round_page_previews_sends_and_logs(round_db, tmp_path, monkeypatch):
    from tests.helpers.app import Pages

    db, rid = round_db
    (tmp_path / "roles.toml").write_text(ROLES, encoding="utf-8")
    monkeypatch.setenv("MALBILDE_ROLES", str(tmp_path / "roles.toml"))
    monkeypatch.setenv("MALBILDE_SECRETS", str(tmp_path / "none.toml"))
    page = Pages(db, monkeypatch).run("runder", enhet="MH")
    assert any("E-post er ikke satt opp" in i.value for i in page.info)
    assert page.button(key="runde-send-paaminnelser").disabled
    with smtp_server() as inbox:
        for var, value in settings(inbox.port).__dict__.items():
            env = {"host": "HOST", "port": "PORT", "sender": "FROM"}.get(var)
            if env:
                monkeypatch.setenv(f"MALBILDE_SMTP_{env}", str(value))
        monkeypatch.setenv("MALBILDE_BASE_URL", BASE)
        page = Pages(db, monkeypatch).run("runder", enhet="MH")
        assert any("enhet=MH-IKOM" in t.value for t in page.text)
        page.button(key="runde-send-paaminnelser").click().run()
        assert sorted(a for m in inbox.mails for a in m.recipients) == [
            "avvist@ntnu.no",
            "ikom.rapportor@ntnu.no",
            "ism.leder@ntnu.no",
        ]
    assert any("e-poster er sendt" in s.value for s in page.success)
