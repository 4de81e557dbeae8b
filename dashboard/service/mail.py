"""Reminder mails of a reporting round: the SMTP settings, one plain-text mail per unit still
missing answers (before the due date, on it, after it) with the measures left and a link to
«Mine tiltak», sending with smtplib, and the log of what went to whom (table `mail_log`).
Nothing is sent unless SMTP is configured. The «Rapporteringsrunder» page calls these."""

from __future__ import annotations

import datetime as dt
import os
import re
import smtplib
import ssl
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path
from urllib.parse import urlencode

import duckdb
import pandas as pd

from dashboard import auth, store
from dashboard.auth import Roles, User
from dashboard.config import ROOT
from dashboard.errors import UserError
from dashboard.model.rounds import RoundFigures
from dashboard.numbers import fmt_date, fmt_list
from dashboard.store.sql import run
from dashboard.store.writes import in_transaction
from dashboard.unit_contacts import is_address, unit_addresses

SENDER_NAME = "Målbilde"
TIMEOUT_S = 30
BEFORE, ON, AFTER = "før fristen", "på fristen", "etter fristen"
SENT, FAILED = "sendt", "feilet"
NO_ADDRESS = "(ingen adresse)"
# Headers are kept on one line (a subject is at most 200 characters): Python's folding of an
# encoded word doubles the space before it.
POLICY = SMTP_POLICY.clone(max_line_length=998)


class MailError(UserError):
    """Reminders cannot be sent as asked (not configured, a bad setting, a closed round)."""


# ---- settings
@dataclass(frozen=True)
class SmtpSettings:
    """The mail server and the app's public address (for the links), with the units' extra
    contact addresses."""

    host: str = ""
    port: int = 25
    user: str = ""
    password: str = field(default="", repr=False)
    sender: str = ""
    starttls: bool = False
    base_url: str = ""
    contacts: Mapping[str, object] = field(default_factory=dict)

    @property
    def missing(self) -> list[tuple[str, str]]:
        """The settings still needed before a mail can go out, each as (what, where to set it);
        empty: configured."""
        out = []
        if not self.host:
            out.append(("e-postserver", "MALBILDE_SMTP_HOST (eller host under [smtp])"))
        if not is_address(self.sender):
            out.append(
                (
                    "avsenderadresse",
                    "MALBILDE_SMTP_FROM (eller from under [smtp]): én e-postadresse",
                )
            )
        if not self.base_url.startswith(("http://", "https://")):
            out.append(
                (
                    "appens nettadresse (for lenkene)",
                    "MALBILDE_BASE_URL (eller base_url under [smtp]): appens adresse, https://…",
                )
            )
        return out

    @property
    def configured(self) -> bool:
        """Whether everything sending needs is set."""
        return not self.missing


def secrets_path() -> Path:
    """The secrets file: $MALBILDE_SECRETS, else .streamlit/secrets.toml."""
    return Path(os.environ.get("MALBILDE_SECRETS", ROOT / ".streamlit" / "secrets.toml"))


def _secrets(path: Path) -> dict:
    if not path.exists():
        return {}
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise MailError(f"{path}: ikke gyldig TOML ({exc})") from None


def _flag(value: object) -> bool:
    return str(value).strip().lower() in {"1", "true", "ja", "yes", "on"}


def smtp_settings(path: Path | None = None, env: Mapping[str, str] | None = None) -> SmtpSettings:
    """`[smtp]` and `[contacts]` of .streamlit/secrets.toml (or MALBILDE_SECRETS), each
    setting overridden by its MALBILDE_SMTP_* variable (MALBILDE_BASE_URL for the address)."""
    env = os.environ if env is None else env
    path = path or secrets_path()
    raw = _secrets(path)
    smtp = raw.get("smtp", {}) if isinstance(raw.get("smtp"), dict) else {}

    def pick(name: str, var: str, default: object = "") -> str:
        value = env.get(var)
        return str(value if value not in (None, "") else smtp.get(name, default)).strip()

    port_text = pick("port", "MALBILDE_SMTP_PORT", 0)
    if not port_text.isdigit():
        raise MailError(
            f"SMTP-porten «{port_text}» er ikke et tall ({path} eller MALBILDE_SMTP_PORT)."
        )
    starttls_text = pick("starttls", "MALBILDE_SMTP_STARTTLS", "")
    port = int(port_text) or (587 if _flag(starttls_text) else 25)
    contacts = raw.get("contacts", {})
    return SmtpSettings(
        host=pick("host", "MALBILDE_SMTP_HOST"),
        port=port,
        user=pick("user", "MALBILDE_SMTP_USER"),
        password=pick("password", "MALBILDE_SMTP_PASSWORD"),
        sender=pick("from", "MALBILDE_SMTP_FROM"),
        starttls=_flag(starttls_text) if starttls_text else port == 587,
        base_url=pick("base_url", "MALBILDE_BASE_URL").rstrip("/"),
        contacts=contacts if isinstance(contacts, dict) else {},
    )


def how_to_configure(cfg: SmtpSettings) -> str:
    """The sentence the page shows while mail is not configured: what is missing, in words."""
    return (
        "E-post er ikke satt opp, så ingen påminnelser sendes. Det mangler "
        + fmt_list([what for what, _ in cfg.missing])
        + "; administratoren legger det inn under [smtp] i .streamlit/secrets.toml (README, "
        "«Configuration»)."
    )


def setup_hint(cfg: SmtpSettings) -> str:
    """The same for the command line and the log: the settings by name."""
    return (
        "E-post er ikke satt opp, så ingen påminnelser sendes. Sett "
        + "; ".join(where for _, where in cfg.missing)
        + ", under [smtp] i .streamlit/secrets.toml eller som miljøvariabler (se README "
        "«Configuration»)."
    )


# ---- building the mails
def stage(due: dt.date | None, today: dt.date) -> str:
    """Which reminder the day calls for: before the due date, on it, or after it."""
    if due is None or today < due:
        return BEFORE
    return ON if today == due else AFTER


def one_line(text: object, limit: int = 200) -> str:
    """Text safe for a header or a list line: control, format and line-separator characters
    (CR, LF, bidi marks …) become spaces, runs of space one, at most `limit` characters."""
    chars = (
        " " if unicodedata.category(c)[0] == "C" or unicodedata.category(c) in {"Zl", "Zp"} else c
        for c in str(text)
    )
    flat = re.sub(r"\s+", " ", "".join(chars)).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@dataclass(frozen=True)
class Reminder:
    """One unit's reminder as it will be sent."""

    round_id: int
    unit: str
    name: str
    stage: str
    recipients: tuple[str, ...]
    subject: str
    body: str
    link: str


def answer_link(base_url: str, round_id: int, unit: str) -> str:
    """The link a unit answers a round by (page «Mine tiltak»)."""
    base = base_url or "<adressen til Målbilde>"
    return f"{base}/mine-tiltak?{urlencode({'runde': round_id, 'enhet': unit})}"


def _subject(r: RoundFigures, which: str) -> str:
    if which == ON:
        return one_line(f"Frist i dag: statusrapport for {r.title}")
    if which == AFTER:
        return one_line(f"Fristen er passert: statusrapport for {r.title}")
    due = f" innen {fmt_date(r.due)}" if r.due else ""
    return one_line(f"Påminnelse: statusrapport for {r.title}{due}")


def _due_sentence(r: RoundFigures, which: str) -> str:
    if r.due is None:
        return "Runden har ingen frist."
    if which == ON:
        return f"Fristen er i dag, {fmt_date(r.due)}."
    if which == AFTER:
        return f"Fristen var {fmt_date(r.due)} og er passert."
    return f"Fristen er {fmt_date(r.due)}."


def left(r: RoundFigures, unit: str) -> pd.DataFrame:
    """The unit's measures in the round not answered yet."""
    a = r.asked
    return a[(a["unit"] == unit) & ~a["answered"].astype(bool)]


def _body(r: RoundFigures, unit: str, which: str, link: str) -> str:
    own = r.asked[r.asked["unit"] == unit]
    todo = left(r, unit)
    lines = [
        "Hei,",
        "",
        f"dette er en påminnelse om statusrapporten for {one_line(r.title)} fra "
        f"{unit} – {one_line(r.names.get(unit, unit))}. {_due_sentence(r, which)}",
        "",
        f"Det mangler fortsatt svar for {len(todo)} av {len(own)} tiltak:",
    ]
    lines += [
        f"- {one_line(k, 40)} {one_line(t, 300)}"
        for k, t in zip(todo["key"], todo["title"], strict=True)
    ]
    lines += [
        "",
        "Svar i nettleseren under «Mine tiltak»:",
        link,
        "",
        "Dere kan også fylle ut arbeidsboka dere fikk og sende den tilbake.",
        "",
        "Hilsen",
        SENDER_NAME,
    ]
    return "\n".join(lines) + "\n"


def build_reminders(
    r: RoundFigures, cfg: SmtpSettings, roles: Roles, today: dt.date | None = None
) -> list[Reminder]:
    """One reminder per unit still missing answers in an open round (none when it is closed),
    the stage chosen by the round's due date and `today`."""
    if not r.is_open:
        return []
    which = stage(r.due, today or r.today)
    out = []
    for unit in r.not_done:
        link = answer_link(cfg.base_url, r.round_id, unit)
        out.append(
            Reminder(
                round_id=r.round_id,
                unit=unit,
                name=one_line(r.names.get(unit, unit)),
                stage=which,
                recipients=tuple(unit_addresses(roles, unit, cfg.contacts)),
                subject=_subject(r, which),
                body=_body(r, unit, which, link),
                link=link,
            )
        )
    return out


def message(rem: Reminder, cfg: SmtpSettings) -> EmailMessage:
    """The mail of a reminder: plain text (UTF-8), to its valid addresses."""
    msg = EmailMessage(policy=POLICY)
    msg["From"] = formataddr((SENDER_NAME, cfg.sender))
    msg["To"] = ", ".join(a for a in rem.recipients if is_address(a))
    msg["Subject"] = one_line(rem.subject)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=cfg.sender.rsplit("@", 1)[-1])
    msg.set_content(rem.body)
    return msg


# ---- sending and the log
@dataclass(frozen=True)
class Outcome:
    """What happened to one recipient of one unit's reminder."""

    unit: str
    stage: str
    recipient: str
    subject: str
    outcome: str
    reason: str | None = None


def _reason(code: int, text: bytes | str) -> str:
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return one_line(f"tjeneren svarte {code} {text}", 300)


def _failed(rem: Reminder, reason: str, only: list[str] | None = None) -> list[Outcome]:
    return [
        Outcome(rem.unit, rem.stage, a, rem.subject, FAILED, reason)
        for a in (rem.recipients if only is None else only)
    ]


def _send_one(smtp: smtplib.SMTP, rem: Reminder, cfg: SmtpSettings) -> list[Outcome]:
    """Send one unit's reminder; every recipient's outcome (a refused one with its reason)."""
    if not rem.recipients:
        return [
            Outcome(
                rem.unit,
                rem.stage,
                NO_ADDRESS,
                rem.subject,
                FAILED,
                "enheten har ingen adresse: ingen rapportør eller leder for den i rollefila og "
                "ingen under [contacts]",
            )
        ]
    bad = [a for a in rem.recipients if not is_address(a)]
    good = [a for a in rem.recipients if is_address(a)]
    out = _failed(rem, "ikke en gyldig e-postadresse", bad)
    if not good:
        return out
    try:
        refused = smtp.send_message(message(rem, cfg), cfg.sender, good)
    except smtplib.SMTPRecipientsRefused as exc:
        refused = exc.recipients
    except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
        return out + _failed(rem, _reason(exc.smtp_code, exc.smtp_error), good)
    for a in good:
        if a in refused:
            out += _failed(rem, _reason(*refused[a]), [a])
        else:
            out.append(Outcome(rem.unit, rem.stage, a, rem.subject, SENT))
    return out


def _connect(cfg: SmtpSettings) -> smtplib.SMTP:
    smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=TIMEOUT_S)
    try:
        if cfg.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if cfg.user:
            smtp.login(cfg.user, cfg.password)
    except BaseException:
        smtp.close()
        raise
    return smtp


def _deliver(reminders: list[Reminder], cfg: SmtpSettings) -> list[Outcome]:
    """Send every reminder over one connection; a connection that fails or breaks is the
    reason for every recipient not reached."""
    out: list[Outcome] = []
    done = 0
    try:
        smtp = _connect(cfg)
    except (OSError, smtplib.SMTPException) as exc:
        reason = one_line(f"SMTP-tjeneren {cfg.host}:{cfg.port} svarte ikke som ventet: {exc}", 300)
        return [o for rem in reminders for o in _none_reached(rem, reason)]
    try:
        for rem in reminders:
            out += _send_one(smtp, rem, cfg)
            done += 1
    except (OSError, smtplib.SMTPException) as exc:
        reason = one_line(f"forbindelsen til SMTP-tjeneren brøt: {exc}", 300)
        out += [o for rem in reminders[done:] for o in _none_reached(rem, reason)]
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
    return out


def _none_reached(rem: Reminder, reason: str) -> list[Outcome]:
    if rem.recipients:
        return _failed(rem, reason)
    return [Outcome(rem.unit, rem.stage, NO_ADDRESS, rem.subject, FAILED, reason)]


def send_reminders(
    con: duckdb.DuckDBPyConnection,
    r: RoundFigures,
    reminders: list[Reminder],
    cfg: SmtpSettings,
    user: User | None,
) -> list[Outcome]:
    """Send the reminders of an open round (the coordinator: `økonomi` for its unit) and log
    every recipient's outcome; nothing is sent while SMTP is not configured."""
    auth.require(user, "økonomi", r.unit, f"sende påminnelser i runden «{r.label}»")
    if not cfg.configured:
        raise MailError(setup_hint(cfg))
    if not r.is_open:
        raise MailError(f"Runden «{r.label}» er lukket; påminnelser sendes bare i en åpen runde.")
    outcomes = _deliver(reminders, cfg)
    log(con, r.round_id, outcomes, user.label if user else None)
    return outcomes


def log(
    con: duckdb.DuckDBPyConnection, round_id: int, outcomes: list[Outcome], by: str | None
) -> None:
    """Store the outcomes in the mail log, in one transaction."""
    now = dt.datetime.now()
    rows = [
        {
            "round_id": round_id,
            "unit": o.unit,
            "stage": o.stage,
            "recipient": o.recipient,
            "subject": o.subject,
            "sent_at": now,
            "sent_by": by,
            "outcome": o.outcome,
            "reason": o.reason,
        }
        for o in outcomes
    ]
    if rows:
        in_transaction(con, lambda cur: [run(cur, "mail_log_insert", r) for r in rows])


def sent_log(con: duckdb.DuckDBPyConnection, round_id: int) -> pd.DataFrame:
    """The round's mail log, newest first."""
    return store.query(con, "mail_log", {"round_id": int(round_id)})
