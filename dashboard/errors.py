"""Named exceptions for problems the user can fix. Messages are Norwegian and say what to do."""

from __future__ import annotations

import errno


def cell_ref(row: int, col: int) -> str:
    """Zero-based (row, col) to an A1 reference: (13, 3) -> 'D14'."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


class UserError(Exception):
    """Base for everything shown to the user as a plain message (never a traceback)."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        sheet: str | None = None,
        cell: str | None = None,
        cli: str | None = None,
    ) -> None:
        self.message = message
        self.cli = cli  # the command line's way to the same fix, told only there
        self.file = file
        self.sheet = sheet
        self.cell = cell
        super().__init__(self.render())

    def where(self) -> str:
        """«fil.xlsx, Ark!C7» or «fil.xlsx, arket «Ark»»: where the error is, as far as known."""
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet and self.cell:
            parts.append(f"{self.sheet}!{self.cell}")
        elif self.sheet:
            parts.append(f"arket «{self.sheet}»")
        return ", ".join(parts)

    def render(self, *, cli: bool = False) -> str:
        """The message with where it is; on the command line also its option (`cli`)."""
        where = self.where()
        message = self.message
        if cli and self.cli:
            message = message.rstrip(".") + f" (på kommandolinjen: {self.cli})."
        return f"{where}: {message}" if where else message


class FileRefused(UserError):
    """The file itself cannot be read safely (type, size, zip, encryption, XML tricks)."""


class LayoutUnknown(UserError):
    """No accepted table layout was found in the workbook."""


class CellError(UserError):
    """A value in a recognised table is wrong (unreadable number, score outside 0–5, …)."""


class MissingContext(UserError):
    """Unit, year or version label is neither in the workbook nor given."""


class AlreadyImported(UserError):
    """The exact same file (same SHA-256) was imported before."""


class StoreUnwritable(UserError):
    """The database cannot be written: a read-only folder or file, or a full disk. Reading may
    still work (the app and `summary` then open it read-only)."""


class StoreBusy(StoreUnwritable):
    """The database file is locked by another program (it can neither be written nor read)."""


class BadDate(UserError):
    """A date given on the command line is not a date."""


_OS_WORDS = {
    errno.EACCES: "ingen tilgang (mappen eller fila er skrivebeskyttet)",
    errno.EPERM: "ingen tilgang (mappen eller fila er skrivebeskyttet)",
    errno.EROFS: "filsystemet er skrivebeskyttet",
    errno.ENOSPC: "disken er full",
    errno.EDQUOT: "diskkvoten er brukt opp",
    errno.ENOENT: "finnes ikke",
    errno.EISDIR: "er en mappe, ikke en fil",
    errno.ENOTDIR: "en del av stien er ikke en mappe",
}


def os_problem(exc: OSError) -> str:
    """An operating-system error as a Norwegian sentence naming the path."""
    words = _OS_WORDS.get(exc.errno or -1, "kan ikke leses eller skrives")
    where = exc.filename or ""
    return f"{where}: {words}." if where else f"{words[0].upper()}{words[1:]}."
