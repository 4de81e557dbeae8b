"""Unpacking zips of returned workbooks, counted as they unpack, each member taken or refused by name."""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from dashboard.config import Settings
from dashboard.errors import UserError
from dashboard.safe_text import shown_name
from dashboard.service.rounds.returned import Returned

MAX_BATCH_FILES = 500


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
