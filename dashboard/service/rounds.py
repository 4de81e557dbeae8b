"""Reporting rounds, the write side: open a round from the previous one, add or end measures,
make every unit's workbook, take the returned workbooks back (checked, matched to their unit
and round by their own content, previewed, stored one import per file), close the round.
The «Rapporteringsrunder» page and the command line call these."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import logging
import re
import secrets
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from dashboard import auth, store, vocab
from dashboard.auth import User
from dashboard.config import Settings
from dashboard.errors import UserError
from dashboard.ingest import reader
from dashboard.ingest.layouts import round_return
from dashboard.ingest.layouts import status as status_layout
from dashboard.ingest.pipeline import sha256_of
from dashboard.ingest.safety import check_file
from dashboard.present import round_workbook
from dashboard.present.round_workbook import RoundInfo
from dashboard.safe_text import shown_name
from dashboard.store.server_key import server_key
from dashboard.store.sql import run
from dashboard.store.writes import in_event
from dashboard.text import normalise

MAX_BATCH_FILES = 500
log = logging.getLogger(__name__)


class RoundRefused(UserError):
    """A round cannot be opened, changed or closed as asked."""


# ---- reading the rounds
def _one(con: duckdb.DuckDBPyConnection, round_id: int) -> pd.Series:
    rounds = store.query(con, "rounds", {"unit": None, "event": None})
    row = rounds[rounds["round_id"] == int(round_id)]
    if row.empty:
        raise RoundRefused(f"Rapporteringsrunde nr. {round_id} finnes ikke.")
    return row.iloc[0]


def _allowed(r: pd.Series, user: User | str | None, what: str) -> str:
    """The acting user's label, refused (NotAllowed) unless «økonomi» for the round's unit."""
    who = auth.acting(user)
    auth.require(who, "økonomi", str(r["unit"]), f"{what} «{r['label']}» for {r['unit']}")
    return who.label


def progress(con: duckdb.DuckDBPyConnection, round_id: int) -> pd.DataFrame:
    return store.query(con, "round_progress", {"round_id": int(round_id), "event": None})


def _unit_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    names = store.query(con, "unit_names")
    return dict(zip(names["code"], names["name"], strict=True))


# ---- opening, changing and closing a round
def open_round(
    con: duckdb.DuckDBPyConnection,
    unit: str,
    plan: str,
    label: str,
    due: dt.date | None,
    user: User | str | None,
) -> int:
    """Open a round of `plan` for `unit` and the units below it with the same plan, asking for
    the measures of each unit's newest round; returns its id («økonomi» for `unit`)."""
    who = auth.acting(user)
    auth.require(who, "økonomi", unit, f"åpne en rapporteringsrunde for {unit}")
    user = who.label
    label = re.sub(r"\s+", " ", label or "").strip()
    if not label:
        raise RoundRefused("Gi runden et navn, for eksempel «Status juni 2025».")
    source = store.query(con, "round_source", {"unit": unit, "plan": plan, "event": None})
    if source.empty:
        raise RoundRefused(
            f"{unit} har ingen statusrapport for «{plan}» å starte fra. Importer planen med "
            "en statusrapport først (Last opp)."
        )
    rounds = store.query(con, "rounds", {"unit": None, "event": None})
    mine = rounds[(rounds["plan"] == plan) & (rounds["unit"] == unit)]
    if not mine[~mine["closed"]].empty:
        open_one = mine[~mine["closed"]].iloc[0]
        raise RoundRefused(
            f"Runden «{open_one['label']}» for {unit} · {plan} er åpen. Lukk den før du åpner en ny."
        )
    reports = store.query(con, "plan_rounds", {"unit": unit, "plan": plan, "event": None})
    if ((mine["label"].str.lower()) == label.lower()).any() or (
        reports["round"].str.lower() == label.lower()
    ).any():
        raise RoundRefused(f"{plan} har allerede en rapport «{label}». Velg et annet navn.")
    scored = source["prev_score"].notna().any()
    opened: list[int] = []

    def work(cur, event: int) -> None:
        round_id = run(
            cur,
            "round_insert",
            {
                "unit": unit,
                "plan": plan,
                "label": label,
                "kind": "scores" if scored else "text",
                "plan_year": _int(source["plan_year"].dropna().max()),
                "due": due,
                "token": secrets.token_hex(6),
                "event": event,
                "user": user,
            },
        ).fetchone()[0]
        rows = source.drop(columns=["plan_year"])
        rows["round_id"] = round_id
        rows["key"] = _keys(rows)
        rows["added_event"] = event
        cur.register("_round_rows", rows)
        run(cur, "round_measures_insert")
        cur.unregister("_round_rows")
        opened.append(int(round_id))

    in_event(con, "runde åpnet", user, f"{unit} · {plan} · {label}", work)
    return opened[0]


def _int(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _keys(rows: pd.DataFrame) -> list[str]:
    """«MH-INB-03»: the unit and the measure's place in it, stable through the round."""
    counter: dict[str, int] = {}
    keys = []
    for unit in rows["unit"]:
        counter[unit] = counter.get(unit, 0) + 1
        keys.append(f"{unit}-{counter[unit]:02d}")
    return keys


def _open(con: duckdb.DuckDBPyConnection, round_id: int) -> pd.Series:
    r = _one(con, round_id)
    if r["closed"]:
        raise RoundRefused(f"Runden «{r['label']}» er lukket og kan ikke endres.")
    return r


def add_measure(
    con: duckdb.DuckDBPyConnection,
    round_id: int,
    unit: str,
    title: str,
    area: str | None,
    goal_no: int | None,
    user: User | str | None,
) -> str:
    """Add a new measure to an open round for one of its units; returns its key."""
    r = _open(con, round_id)
    user = _allowed(r, user, "endre runden")
    title = (title or "").strip()
    if not title:
        raise RoundRefused("Skriv hva tiltaket er.")
    rows = progress(con, round_id)
    if unit not in set(rows["unit"]):
        raise RoundRefused(f"{unit} er ikke med i runden «{r['label']}».")
    measure_key = normalise(title)
    if (rows[rows["unit"] == unit]["measure_key"] == measure_key).any():
        raise RoundRefused(f"{unit} har allerede tiltaket «{title}» i runden.")
    own = rows[rows["unit"] == unit]
    number = max(int(k.rsplit("-", 1)[-1]) for k in own["key"]) + 1
    key = f"{unit}-{number:02d}"
    seq = int(own["seq"].max() or 0) + 1
    in_event(
        con,
        "runde endret",
        user,
        f"nytt tiltak {key}: {title}",
        lambda cur, event: run(
            cur,
            "round_measure_add",
            {
                "round_id": int(round_id),
                "unit": unit,
                "key": key,
                "measure_key": measure_key,
                "seq": seq,
                "area": area or None,
                "goal_no": goal_no,
                "title": title,
                "event": event,
            },
        ),
    )
    return key


def end_measure(
    con: duckdb.DuckDBPyConnection, round_id: int, key: str, reason: str, user: User | str | None
) -> None:
    """Mark a measure as ended in an open round (not asked for any more), keeping the reason."""
    user = _allowed(_open(con, round_id), user, "endre runden")
    if not (reason or "").strip():
        raise RoundRefused("Skriv hvorfor tiltaket avsluttes.")
    rows = progress(con, round_id)
    hit = rows[(rows["key"] == key) & ~rows["ended"]]
    if hit.empty:
        raise RoundRefused(f"Tiltak {key} er ikke med i runden (eller er allerede avsluttet).")
    in_event(
        con,
        "runde endret",
        user,
        f"tiltak {key} avsluttet: {reason}",
        lambda cur, event: run(
            cur,
            "round_measure_end",
            {"round_id": int(round_id), "key": key, "reason": reason.strip(), "event": event},
        ),
    )


def unapproved(con: duckdb.DuckDBPyConnection, round_id: int) -> list[str]:
    """The units of a round whose answers are in but not approved (sendt inn, sendt tilbake)."""
    table = store.query(con, "round_approval", {"round_id": int(round_id), "event": None})
    return sorted(table.loc[table["state"].isin(["sendt inn", "sendt tilbake"]), "unit"])


def close_round(
    con: duckdb.DuckDBPyConnection,
    round_id: int,
    user: User | str | None,
    leave_out_unapproved: bool | list[str] = False,
) -> list[str]:
    """Close an open round: its approved answers stand as the plan's «Status …»; no more
    returns or reviews. Answers not approved are refused unless `leave_out_unapproved` (True,
    or the units the user was shown and confirmed): then they stay stored but never count in
    the figures, and the event names their units. Returns the units left out."""
    r = _open(con, round_id)
    user = _allowed(r, user, "lukke runden")
    left_out = unapproved(con, round_id)
    confirmed = left_out if leave_out_unapproved is True else list(leave_out_unapproved or [])
    if set(left_out) - set(confirmed):
        raise RoundRefused(
            f"Svarene fra {', '.join(left_out)} er ikke godkjent. Godkjenn dem først, eller "
            "bekreft at runden skal lukkes uten dem (de telles da ikke med i tallene)."
        )
    note = f"{r['unit']} · {r['label']}" + (
        f"; ikke godkjent og ikke med i tallene: {', '.join(left_out)}" if left_out else ""
    )
    in_event(
        con,
        "runde lukket",
        user,
        note,
        lambda cur, event: run(
            cur, "round_close", {"round_id": int(round_id), "user": user, "event": event}
        ),
    )
    return left_out


# ---- sending out
def info(con: duckdb.DuckDBPyConnection, round_id: int, unit: str) -> RoundInfo:
    r = _one(con, round_id)
    return _info(r, unit, _unit_names(con), control_code(server_key(con), r, unit))


def _info(r: pd.Series, unit: str, names: dict[str, str], code: str = "") -> RoundInfo:
    due = None if pd.isna(r["due"]) else pd.Timestamp(r["due"]).date()
    return RoundInfo(
        int(r["round_id"]),
        unit,
        names.get(unit, unit),
        r["plan"],
        r["label"],
        r["kind"],
        due,
        code,
    )


# ---- the codes that tie a returned workbook to its unit, round and rows
def _mac(key: bytes, length: int, *parts: object) -> str:
    """A keyed hash (HMAC-SHA256) of the parts, as `length` letters and digits (base32)."""
    message = "\x1f".join(str(p) for p in parts).encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:length]


def control_code(key: bytes, r: pd.Series, unit: str) -> str:
    """The unit's «Kontrollkode» in round `r`: «ABCD-EFGH-IJKL-MNOP», made with the server's
    key, so it cannot be made for another unit or round from a workbook."""
    code = _mac(key, 16, "round", int(r["round_id"]), r["token"], unit)
    return "-".join(code[i : i + 4] for i in range(0, 16, 4))


def row_check(key: bytes, r: pd.Series, unit: str, row_key: str, measure_key: str) -> str:
    """The check value of one measure's row in a unit's workbook (the hidden column
    «Kontroll»): a keyed hash of the round, the unit, the row's key and its measure."""
    return _mac(key, 12, "row", int(r["round_id"]), r["token"], unit, row_key, measure_key)


def _plain_code(text: object) -> str:
    return re.sub(r"[\s\-]+", "", str(text or "")).upper()


def _same_code(given: object, wanted: str) -> bool:
    """The code in a cell is the one wanted (case, spaces and dashes aside)."""
    return hmac.compare_digest(_plain_code(given).encode(), _plain_code(wanted).encode())


def _with_checks(key: bytes, r: pd.Series, own: pd.DataFrame) -> pd.DataFrame:
    own = own.copy()
    own["check"] = [
        row_check(key, r, u, k, m)
        for u, k, m in zip(own["unit"], own["key"], own["measure_key"], strict=True)
    ]
    return own


def workbooks(
    con: duckdb.DuckDBPyConnection, round_id: int, user: User | str | None = None
) -> dict[str, bytes]:
    """Every responsible unit's workbook of a round: {file name: .xlsx bytes} (with their
    control codes: «økonomi» for the round's unit)."""
    r, names = _one(con, round_id), _unit_names(con)  # read once, not per unit
    _allowed(r, user, "laste ned arbeidsbøkene i runden")
    rows = progress(con, round_id)
    rows = rows[~rows["ended"]]
    key = server_key(con)
    out = {}
    for unit, own in rows.groupby("unit", sort=False):
        meta = _info(r, str(unit), names, control_code(key, r, str(unit)))
        out[round_workbook.file_name(meta)] = round_workbook.build(meta, _with_checks(key, r, own))
    return out


def unit_workbook(
    con: duckdb.DuckDBPyConnection, round_id: int, unit: str, user: User | str | None = None
) -> bytes:
    """One unit's workbook of a round («økonomi» for the round's unit)."""
    r = _one(con, round_id)
    _allowed(r, user, "laste ned arbeidsbøkene i runden")
    rows = progress(con, round_id)
    own = rows[(rows["unit"] == unit) & ~rows["ended"]]
    if own.empty:
        raise RoundRefused(f"{unit} er ikke med i runden.")
    key = server_key(con)
    meta = _info(r, unit, _unit_names(con), control_code(key, r, unit))
    return round_workbook.build(meta, _with_checks(key, r, own))


def unit_file_name(row: pd.Series, unit: str, names: dict[str, str]) -> str:
    """The file name of a unit's workbook, from the round as the read model has it (no query:
    the round page asks for it on every run)."""
    return round_workbook.file_name(_info(row, unit, names))


def zip_workbooks(
    con: duckdb.DuckDBPyConnection, round_id: int, user: User | str | None = None
) -> bytes:
    """Every unit's workbook of a round in one zip."""
    return round_workbook.zip_all(workbooks(con, round_id, user))


# ---- taking back
@dataclass
class Returned:
    """One returned file: refused (`error`), or what it holds and what saving it would do."""

    name: str
    error: str | None = None
    unit: str | None = None
    sha256: str = ""
    answers: list[dict] | None = None  # the status rows to store (earlier answers kept)
    new: int = 0  # measures answered or changed in this file
    asked: int = 0
    answered: int = 0  # measures with a status after saving
    changed_status: int = 0  # of those, a status other than last round's
    warnings: list[str] = field(default_factory=list)
    replaces: int | None = None  # the unit's earlier return in this round
    changes: list[dict] = field(default_factory=list)  # what the file says new, per measure
    nothing_new: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None and not self.nothing_new

    @property
    def summary(self) -> str:
        if self.error:
            return self.error
        if self.nothing_new:
            return "Ingen nye svar i fila: ingenting blir endret."
        text = (
            f"{self.unit}: {self.new} tiltak med nye svar; etter lagring har {self.answered} av "
            f"{self.asked} tiltak status, {self.changed_status} av dem en annen enn i forrige runde."
        )
        if self.replaces:
            text += f" Erstatter innlevering nr. {self.replaces} (svarene der beholdes der denne fila er tom)."
        return text


@dataclass
class Batch:
    round_id: int
    label: str
    files: list[Returned]

    @property
    def ready(self) -> list[Returned]:
        return [f for f in self.files if f.ok]

    @property
    def refused(self) -> list[Returned]:
        return [f for f in self.files if f.error]


def expand(
    paths: list[tuple[Path, str]], folder: Path, settings: Settings
) -> tuple[list[tuple[Path, str]], list[Returned]]:
    """Unpack zips among the uploads into `folder`: every .xlsx inside becomes a file of its
    own. Every name is made safe to show (`safe_text.shown_name`). A member not taken (a zip,
    .xlsm, .xls or other file, one too large or damaged) is refused by name with why; a zip that
    cannot be opened or holds too many workbooks is refused by its name; the other files go on."""
    out: list[tuple[Path, str]] = []
    refused: list[Returned] = []
    for n, (path, raw_name) in enumerate(paths):
        name = shown_name(raw_name)
        try:
            if not _is_plain_zip(path, name):
                out.append((path, name))
                continue
            with zipfile.ZipFile(path) as zf:
                _unzip(zf, name, folder / f"zip{n}", settings, out, refused)
        except UserError as exc:
            refused.append(Returned(name, exc.render()))
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError):
            refused.append(Returned(name, f"{name}: Zip-fila er skadet og kan ikke pakkes ut."))
    return out, refused


def _is_plain_zip(path: Path, name: str) -> bool:
    """A zip of files to unpack: a zip not named as a workbook and not one inside (a workbook
    is a zip too). A file named .zip that is no readable zip raises BadZipFile; named otherwise
    it is left to the workbook checks, which refuse it as a damaged workbook."""
    named_zip = name.lower().endswith(".zip")
    if Path(name).suffix.lower() in (".xlsx", ".xlsm"):
        return False
    if not zipfile.is_zipfile(path):
        if named_zip:
            raise zipfile.BadZipFile(name)
        return False
    try:
        with zipfile.ZipFile(path) as zf:
            return "[Content_Types].xml" not in zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        if named_zip:
            raise
        return False


# A member's name (lower case) -> why it is not taken
_NOT_TAKEN = (
    (".zip", "en zip-fil inne i zip-fila pakkes ikke ut; legg arbeidsbøkene rett i zip-fila"),
    (".xlsm", "arbeidsbøker med makroer (.xlsm) tas ikke imot; lagre som Excel-arbeidsbok (.xlsx)"),
    (".xls", "gammel Excel-fil (.xls); åpne den i Excel og lagre som .xlsx"),
)
_UNPACK_CHUNK = 1 << 20


def _unzip(zf, name: str, folder: Path, settings: Settings, out: list, refused: list) -> None:
    """Every workbook of an open zip to `folder`, counted while it is unpacked: a member is
    stopped at the upload limit and the zip at the unpacked limit, whatever sizes it declares."""
    members = [i for i in zf.infolist() if not i.is_dir() and not _mac_metadata(i.filename)]
    books = [i for i in members if i.filename.lower().endswith(".xlsx")]
    if not books:
        raise UserError("Zip-fila har ingen arbeidsbøker (.xlsx).", file=name)
    if len(books) > MAX_BATCH_FILES:
        raise UserError(
            f"Zip-fila har {len(books)} arbeidsbøker; høyst {MAX_BATCH_FILES} tas imot.", file=name
        )
    folder.mkdir(parents=True, exist_ok=True)
    left = settings.max_unpacked_mb * 1024 * 1024
    full = f"zip-fila pakker ut til over {settings.max_unpacked_mb} MB; resten er ikke pakket ut"
    for n, member in enumerate(members):
        shown = f"{name}/{shown_name(_base_name(member.filename))}"
        why = _why_not_taken(member.filename.lower()) or (full if left <= 0 else None)
        if why is None:
            target = folder / f"{n}.xlsx"
            size, why = _unpack(zf, member, target, settings.max_upload_mb, left)
            left, why = (0, full) if size is None else (left - size, why)
        if why:
            refused.append(Returned(shown, f"{shown}: Ble ikke tatt imot: {why}."))
        else:
            out.append((target, shown))


def _base_name(filename: str) -> str:
    return re.split(r"[/\\]", filename)[-1]


def _mac_metadata(filename: str) -> bool:
    """What macOS adds to a zip it makes (resource forks in «__MACOSX/», «._fil.xlsx»)."""
    parts = filename.replace("\\", "/").split("/")
    return parts[0] == "__MACOSX" or parts[-1].startswith("._")


def _why_not_taken(lower: str) -> str | None:
    if lower.endswith(".xlsx"):
        return None
    for suffix, why in _NOT_TAKEN:
        if lower.endswith(suffix):
            return why
    return "ikke en arbeidsbok (.xlsx)"


def _unpack(zf, member, target: Path, own_mb: int, left: int) -> tuple[int | None, str]:
    """Write one member to `target` in chunks, counting what it really unpacks to. Returns
    (bytes written, ""); (0, why) when it is damaged, encrypted or over `own_mb`; (None, "")
    when the zip's `left` bytes ran out first. Nothing is kept of a member not taken."""
    limit = min(own_mb * 1024 * 1024, left)
    written = 0
    try:
        with zf.open(member) as src, target.open("wb") as dst:
            while written <= limit and (chunk := src.read(_UNPACK_CHUNK)):
                written += len(chunk)
                dst.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
        target.unlink(missing_ok=True)
        return 0, "den er skadet i zip-fila og kan ikke pakkes ut"
    except RuntimeError:  # «File … is encrypted, password required for extraction»
        target.unlink(missing_ok=True)
        return 0, "den er passordbeskyttet i zip-fila; pakk den uten passord"
    if written <= limit:
        return written, ""
    target.unlink()
    if limit < left:
        return 0, f"den pakker ut til over {own_mb} MB"
    return None, ""


def take_back(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    round_id: int,
    paths: list[tuple[Path, str]],
    user: User | str | None = None,
) -> Batch:
    """Read and check a batch of returned workbooks for a round (nothing is stored): each file
    on its own first (its unit's control code, its keys, each row's check value and measure),
    then the files against each other. «økonomi» for the round's unit."""
    r = _one(con, round_id)
    _allowed(r, user, "ta imot svar i runden")
    rows = progress(con, round_id)
    asked = _asked(rows)
    sent = Sent(r, server_key(con), asked, rows[rows["ended"]].to_dict("records"))
    rules = status_layout.load_rules(settings.status_rules)
    with tempfile.TemporaryDirectory() as tmp:
        files, refused = expand(paths, Path(tmp), settings)
        read = _read_all(files, r, rules, settings)
    for result, content in read:
        if result.error is None and content is not None:
            _one_file(result, _check_own, result, content, sent)
    read = [(result, content if result.error is None else None) for result, content in read]
    _cross_check(read, asked)
    out = list(refused)
    for result, content in read:
        if result.error is None and content is not None:
            _one_file(result, _prepare, result, content, asked, r)
            if result.ok:  # a later file of the same unit in this batch keeps these answers
                _carry(asked[result.unit], result.answers)
        out.append(result)
    return Batch(int(round_id), r["label"], out)


@dataclass
class Sent:
    """What the round sent out, as a returned file is checked against it."""

    round: pd.Series
    key: bytes  # the server's key of the control codes
    asked: dict[str, list[dict]]  # the measures asked, per unit
    ended: list[dict]  # the measures ended in the round

    def owner(self, row_key: str) -> str | None:
        """The unit a key belongs to in the round (asked or ended), if any."""
        for row in (*(x for rows in self.asked.values() for x in rows), *self.ended):
            if row["key"] == row_key:
                return row["unit"]
        return None


RENEW = "Last ned arbeidsboka på nytt fra runden og fyll den ut der."


def _check_own(result: Returned, content: round_return.ReturnContent, sent: Sent) -> None:
    """The file's own checks, before any check against the other files of the batch: the
    control code is the one of the unit it names, every key is one of that unit's, and every
    row carries its check value and the measure sent out with its key. An ended measure's row
    is passed over with a note. The first fault found is the file's error."""
    try:
        _check_code(content, sent)
        _check_keys(content, sent)
        _check_rows(content, sent)
    except UserError as exc:
        result.error = exc.render()
        return
    for row in sent.ended:
        if row["unit"] == content.unit and row["key"] in content.rows:
            del content.rows[row["key"]]
            reason = f" ({_short(row['ended_reason'])})" if _given(row["ended_reason"]) else ""
            result.warnings.append(
                f"Tiltak {row['key']} «{_short(row['title'])}» er avsluttet i runden{reason}; "
                f"raden ({content.key_cells[row['key']]}) er hoppet over."
            )


def _short(text: object, limit: int = 60) -> str:
    shown = re.sub(r"\s+", " ", str(text)).strip()
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _check_code(content: round_return.ReturnContent, sent: Sent) -> None:
    r, cells = sent.round, content.about_cells
    where = cells.get("Kontrollkode", round_workbook.ABOUT_SHEET)
    if _same_code(content.token, r["token"]):
        raise UserError(
            "Arbeidsboka ble sendt ut før hver enhet fikk sin egen kontrollkode, og kan ikke tas "
            f"imot. {RENEW}",
            file=f"{content.file}, {where}",
        )
    if not _same_code(content.token, control_code(sent.key, r, content.unit)):
        raise UserError(
            f"Kontrollkoden «{_short(content.token, 30)}» hører ikke til enheten "
            f"«{_short(content.unit, 30)}» ({cells.get('Enhet', 'Enhet')}) i runden "
            f"«{r['label']}». «Enhet» og kontrollkoden må ikke endres; en enhet kan bare svare "
            f"i sin egen arbeidsbok. {RENEW}",
            file=f"{content.file}, {where}",
        )
    if content.unit not in sent.asked and not any(x["unit"] == content.unit for x in sent.ended):
        raise UserError(
            f"Arbeidsboka er for {content.unit}, som ikke er med i runden «{r['label']}».",
            file=content.file,
        )


def _check_keys(content: round_return.ReturnContent, sent: Sent) -> None:
    unit = content.unit
    keys = [row["key"] for row in sent.asked.get(unit, [])]
    for key in content.rows:
        owner = sent.owner(key)
        if owner == unit:
            continue
        why = (
            f"tilhører {owner}, ikke {unit}"
            if owner
            else f"finnes ikke i runden (nøklene for {unit} er {keys[0]} … {keys[-1]})"
            if keys
            else "finnes ikke i runden"
        )
        raise UserError(
            f"Nøkkelen «{_short(key, 30)}» {why}. Nøkler må ikke endres.",
            file=f"{content.file}, {content.key_cells[key]}",
        )


def _check_rows(content: round_return.ReturnContent, sent: Sent) -> None:
    """Each row has the check value of its key and the measure sent out with that key."""
    if content.rows and not content.has_checks:
        raise UserError(
            f"Arket «{round_workbook.STATUS_SHEET}» mangler kolonnen "
            f"«{round_workbook.CHECK_HEADER}» (skjult, etter «Planlagt slutt»), som forteller "
            f"hvilket tiltak hver rad er. {RENEW}",
            file=content.file,
        )
    measures = {row["key"]: row for row in (*sent.asked.get(content.unit, []), *sent.ended)}
    for key, answer in content.rows.items():
        measure = measures[key]
        wanted = row_check(sent.key, sent.round, content.unit, key, measure["measure_key"])
        if not _same_code(answer.check, wanted):
            raise UserError(
                f"Kontrollverdien på raden passer ikke til nøkkelen «{key}» "
                f"({content.key_cells[key]}): nøkler og kontrollverdier må ikke endres eller "
                f"flyttes mellom rader. {RENEW}",
                file=f"{content.file}, {answer.check_cell}",
            )
        if normalise(answer.title) != normalise(measure["title"]):
            raise UserError(
                f"Tiltaket på raden («{_short(answer.title or '')}») er ikke det som ble sendt ut "
                f"med nøkkelen «{key}» («{_short(measure['title'])}»). Nøkler og tiltakstekster "
                f"må ikke endres. {RENEW}",
                file=f"{content.file}, {answer.title_cell}",
            )


PENDING = -1  # the import id of an answer from a file earlier in the same batch


def _carry(own: list[dict], answers: list[dict]) -> None:
    """Make a file's answers the unit's stored ones for the next file of the batch."""
    by_key = {a["measure_key"]: a for a in answers}
    for row in own:
        answer = by_key.get(row["measure_key"])
        if answer is None:
            continue
        for column in ("score", "status_text", "category", "comment", "owner", "planned_end"):
            row[column] = answer[column]
        row["import_id"] = PENDING


def _read_all(
    files, r, rules, settings
) -> list[tuple[Returned, round_return.ReturnContent | None]]:
    """Check every file, read them all in one parsing child, and read each as a returned
    workbook of round `r`; a refused file carries its message, and one file's failure of any
    kind refuses that file only."""
    results = [Returned(name) for _, name in files]
    checked = []
    for (path, name), result in zip(files, results, strict=True):
        pre = _one_file(result, _checked, path, name, settings, result)
        if pre is not None:
            checked.append((path, pre, name, result))
    sheets_of = _one_batch(
        [c[3] for c in checked],
        lambda: reader.read_workbooks([(p, pre, n) for p, pre, n, _ in checked], settings),
    )
    contents: dict[int, round_return.ReturnContent] = {}
    for (_, _, name, result), sheets in zip(checked, sheets_of, strict=True):
        content = _one_file(result, _content_of, sheets, name, r, rules)
        if content is not None:
            result.unit = content.unit
            contents[id(result)] = content
    return [(result, contents.get(id(result))) for result in results]


def _checked(path: Path, name: str, settings: Settings, result: Returned):
    result.sha256 = sha256_of(path)
    return check_file(path, settings, name)


def _content_of(sheets, name: str, r: pd.Series, rules) -> round_return.ReturnContent:
    if isinstance(sheets, UserError):
        raise sheets
    _check_round(*round_return.identify(sheets, name), r, name)
    return round_return.read(sheets, name, r["kind"], rules)


def _one_file(result: Returned, work, *args):
    """`work(*args)` for one file of a batch; a refusal or any other failure becomes the file's
    message (an unexpected one is logged: it is a bug) and None is returned."""
    try:
        return work(*args)
    except UserError as exc:
        text = exc.render()
    except Exception as exc:  # noqa: BLE001 — one file must never stop the batch
        log.exception("unexpected error reading the returned workbook %s", result.name)
        text = (
            f"Arbeidsboka kunne ikke leses (intern feil: {type(exc).__name__}). Feilen er "
            "logget; kontakt en administrator."
        )
    result.error = text if text.startswith(result.name) else f"{result.name}: {text}"
    return None


def _one_batch(results: list[Returned], work) -> list:
    """`work()` for the files of a batch together; when it fails as a whole every file is
    refused with why (each an exception in the list returned)."""
    try:
        return work()
    except UserError as exc:
        return [exc] * len(results)
    except Exception as exc:  # noqa: BLE001
        log.exception("unexpected error reading a batch of returned workbooks")
        return [
            UserError(f"Arbeidsbøkene kunne ikke leses (intern feil: {type(exc).__name__}).")
        ] * len(results)


def _check_round(round_id: int, _unit: str, _code: str, r: pd.Series, name: str) -> None:
    """The workbook is of this round, and the round is open (its unit's control code is
    checked with the file's other checks, `_check_own`)."""
    if round_id != int(r["round_id"]):
        raise UserError(
            f"Arbeidsboka er for en annen rapporteringsrunde (runde-ID {round_id}), ikke "
            f"for «{r['plan']} · {r['label']}» (runde-ID {r['round_id']}).",
            file=name,
        )
    if r["closed"]:
        raise UserError(
            f"Runden «{r['label']}» er lukket; svar kan ikke tas imot lenger.", file=name
        )


def _cross_check(
    read: list[tuple[Returned, round_return.ReturnContent | None]], asked: dict[str, list[dict]]
) -> None:
    """The same measure answered differently in two files of the batch: both are refused. A
    cell that still says what was sent out (the owner, the planned end, the stored answer) is
    no answer: two halves of one unit's measures in two files are both taken."""
    sent = {row["key"]: row for rows in asked.values() for row in rows}
    seen: dict[str, tuple[Returned, round_return.Answer]] = {}
    for result, content in read:
        if content is None:
            continue
        for key, answer in content.rows.items():
            if not (_differs(answer, sent[key]) if key in sent else _has_answer(answer)):
                continue
            if key in seen:
                other, earlier = seen[key]
                if _content(earlier) != _content(answer) and other is not result:
                    message = (
                        f"Tiltak {key} er besvart både i {other.name} ({earlier.cell}) og i "
                        f"{result.name} ({answer.cell}), med ulike svar. Send én av filene."
                    )
                    for r in (other, result):
                        if r.error is None:
                            r.error = f"{r.name}: {message}"
            else:
                seen[key] = (result, answer)


def _has_answer(a: round_return.Answer) -> bool:
    return any(v is not None for v in (a.score, a.category, a.comment, a.owner, a.planned_end))


def _content(a: round_return.Answer) -> tuple:
    return (a.score, a.category, a.status_text, a.comment, a.owner, a.planned_end)


def _asked(rows: pd.DataFrame) -> dict[str, list[dict]]:
    """The measures a round asks for, per unit, as plain records (read once per batch)."""
    out: dict[str, list[dict]] = {}
    for row in rows[~rows["ended"]].to_dict("records"):
        out.setdefault(row["unit"], []).append(row)
    return out


def _prepare(
    result: Returned,
    content: round_return.ReturnContent,
    asked: dict[str, list[dict]],
    r: pd.Series,
) -> None:
    """Build what saving the file would store (its keys and rows checked by `_check_own`)."""
    own = asked.get(content.unit, [])
    keys = [row["key"] for row in own]
    missing = [k for k in keys if k not in content.rows]
    if missing:
        result.warnings.append(
            f"{len(missing)} tiltak mangler i fila ({', '.join(missing[:5])}"
            + (" …" if len(missing) > 5 else "")
            + "): de regnes som ikke besvart."
        )
    records, new = [], 0
    plan, label = r["plan"], r["label"]
    for row in own:
        answer = content.rows.get(row["key"])
        record = _record(plan, label, row, answer)
        if answer is not None and _differs(answer, row):
            new += 1
            result.changes.append(_change(row, record))
        if record is not None:
            records.append(record)
    result.asked = len(own)
    result.new = new
    earlier = [row["import_id"] for row in own if _given(row["import_id"]) and row["import_id"] > 0]
    result.replaces = int(max(earlier)) if earlier else None
    if new == 0:
        result.nothing_new = True
        return
    result.answers = records
    prev = {row["measure_key"]: row for row in own}
    answered = changed = 0
    for rec in records:
        if rec["score"] is None and rec["category"] is None:
            continue
        answered += 1
        p = prev[rec["measure_key"]]
        if vocab.level(rec["score"], rec["category"]) != vocab.level(
            p["prev_score"], p["prev_category"]
        ):
            changed += 1
    result.answered, result.changed_status = answered, changed


def _change(row: dict, record: dict | None) -> dict:
    """One line of the preview: the measure, last round's status and the new answer."""
    record = record or {}
    return {
        "Nøkkel": row["key"],
        "Tiltak": row["title"],
        "Forrige status": vocab.status_word(row["prev_score"], row["prev_category"], empty=""),
        "Ny status": vocab.status_word(record.get("score"), record.get("category"), empty=""),
        "Ny kommentar": record.get("comment") or "",
        "Ansvarlig": record.get("owner") or "",
    }


def _given(value: object) -> bool:
    return value is not None and not (not isinstance(value, str) and pd.isna(value))


def _differs(answer: round_return.Answer, before: dict) -> bool:
    """The file says something new of the measure: a status or comment other than the stored
    answer's, or an owner or planned end other than the one sent out."""

    def same(new: object, old: object) -> bool:
        if new is None:
            return True  # a blank cell keeps what is stored
        if not _given(old):
            return False
        if isinstance(new, dt.date):
            return pd.Timestamp(old).date() == new
        return str(new) == str(int(old) if isinstance(old, float) else old)

    return not all(
        same(new, old)
        for new, old in (
            (answer.score, before["score"]),
            (answer.category, before["category"]),
            (answer.comment, before["comment"]),
            (answer.owner, before["owner"]),
            (answer.planned_end, before["planned_end"]),
        )
    )


def _record(plan: str, label: str, row: dict, answer) -> dict | None:
    """The status row to store for one measure: this file's cells, else the unit's earlier
    answer in the round; None when there is neither."""

    def pick(new, old):
        return new if new is not None else (old if _given(old) else None)

    a = answer or round_return.Answer(row["key"], "", None, None, None, None, None, None)
    status_new = a.score is not None or a.category is not None
    record = {
        "unit": row["unit"],
        "plan": plan,
        "round": label,
        "measure_key": row["measure_key"],
        "score": a.score if status_new else _opt_int(row["score"]),
        "status_text": a.status_text if status_new else _opt(row["status_text"]),
        "category": a.category if status_new else _opt(row["category"]),
        "comment": pick(a.comment, row["comment"]),
        "continuation": None,
        "owner": pick(a.owner, row["owner"]),
        "planned_end": pick(a.planned_end, _opt_date(row["planned_end"])),
    }
    anything = any(
        record[k] is not None for k in ("score", "category", "comment")
    ) or _owner_or_end_changed(a, row)
    return record if anything or _given(row["import_id"]) else None


def _owner_or_end_changed(a, before) -> bool:
    return (a.owner is not None and a.owner != _opt(before["owner"])) or (
        a.planned_end is not None and a.planned_end != _opt_date(before["planned_end"])
    )


def _opt(value):
    return value if _given(value) else None


def _opt_int(value):
    return int(value) if _given(value) else None


def _opt_date(value):
    return pd.Timestamp(value).date() if _given(value) else None


def save(
    con: duckdb.DuckDBPyConnection, batch: Batch, user: User | str | None
) -> list[tuple[Returned, int | None, str | None]]:
    """Store every ready file of a batch, each as an import of its own (its unit's answers in
    the round, undone on its own), all in one transaction: all are stored or none. A file
    stored before is reported and skipped. «økonomi» for the round's unit."""
    r = _open(con, batch.round_id)
    user = _allowed(r, user, "lagre svar i runden")
    asked = _asked(progress(con, batch.round_id))
    items = [
        (_meta(r, result, user), _tables(r, asked[result.unit], result)) for result in batch.ready
    ]
    stored = store.write_imports(con, items, _approved_on_taking(r, user))
    return [
        (result, out if isinstance(out, int) else None, out if isinstance(out, str) else None)
        for result, out in zip(batch.ready, stored, strict=True)
    ]


def _approved_on_taking(r: pd.Series, user: str | None):
    """A workbook the coordinator takes back is approved by them at the event that stores it
    (taking back needs `økonomi` for the round's unit, above the approver's `leder`)."""

    def approve(cur, meta: dict, event: int) -> None:
        cur.execute(
            "insert into round_reviews (round_id, unit, state, comment, event_id, user_name) "
            "values (?, ?, 'godkjent', null, ?, ?)",
            [int(r["round_id"]), meta["unit"], event, user],
        )

    return approve


def _meta(r: pd.Series, result: Returned, user: str | None) -> dict:
    return {
        "file_name": result.name,
        "sha256": result.sha256,
        "layout": str(vocab.Layout.ROUND_RETURN),
        "sheets": round_workbook.STATUS_SHEET,
        "unit": result.unit,
        "year": _int(r["plan_year"]),
        "label": r["label"],
        "n_rows": len(result.answers),
        "warnings": result.warnings,
        "user_name": user,
    }


def _tables(r: pd.Series, own: list[dict], result: Returned) -> dict[str, list[dict]]:
    """The plan, the unit's measures in the round and its answers, as a status import."""
    year = _int(r["plan_year"])
    plan = r["plan"]
    return {
        "plans": [
            {
                "unit": result.unit,
                "plan": r["plan"],
                "kind": str(r["plan"]).split(" ")[0],
                "year": year,
                "round": r["label"],
            }
        ],
        "measures": [
            {
                "unit": m["unit"],
                "plan": plan,
                "year": year,
                "seq": int(m["seq"]),
                "measure_key": m["measure_key"],
                "area": None if m["area"] == vocab.NO_AREA else m["area"],
                "goal_no": _opt_int(m["goal_no"]),
                "goal_ref": _opt(m["goal_ref"]),
                "title": m["title"],
                "period_start": _opt_date(m["period_start"]),
                "period_end": _opt_date(m["period_end"]),
                "source_cell": f"{round_workbook.STATUS_SHEET}!{m['key']}",
            }
            for m in own
        ],
        "status_reports": result.answers,
    }
