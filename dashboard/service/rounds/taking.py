"""Taking back a batch of returned workbooks: unpacked, checked, read in one parsing child, checked and previewed (nothing stored)."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import duckdb
import pandas as pd

from dashboard.auth import User
from dashboard.config import Settings
from dashboard.errors import UserError
from dashboard.ingest import reader
from dashboard.ingest.layouts import round_return
from dashboard.ingest.layouts import status as status_layout
from dashboard.ingest.pipeline import sha256_of
from dashboard.ingest.safety import check_file
from dashboard.service.rounds.checks import Sent, check_own, check_round, cross_check
from dashboard.service.rounds.common import allowed, asked_by_unit, get_round, progress
from dashboard.service.rounds.preview import carry, prepare
from dashboard.service.rounds.returned import Batch, Returned
from dashboard.service.rounds.unpack import expand
from dashboard.store.server_key import server_key

log = logging.getLogger(__name__)


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
    r = get_round(con, round_id)
    allowed(r, user, "ta imot svar i runden")
    rows = progress(con, round_id)
    asked = asked_by_unit(rows)
    sent = Sent(r, server_key(con), asked, rows[rows["ended"]].to_dict("records"))
    rules = status_layout.load_rules(settings.status_rules)
    with tempfile.TemporaryDirectory() as tmp:
        files, refused = expand(paths, Path(tmp), settings)
        read = _read_all(files, r, rules, settings)
    for result, content in read:
        if result.error is None and content is not None:
            _one_file(result, check_own, result, content, sent)
    read = [(result, content if result.error is None else None) for result, content in read]
    cross_check(read, asked)
    out = list(refused)
    for result, content in read:
        if result.error is None and content is not None:
            _one_file(result, prepare, result, content, asked, r)
            if result.ok:  # a later file of the same unit in this batch keeps these answers
                carry(asked[result.unit], result.answers)
        out.append(result)
    return Batch(int(round_id), r["label"], out)


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
    check_round(*round_return.identify(sheets, name), r, name)
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
