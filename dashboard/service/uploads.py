"""Files uploaded through a page, below the pages (no Streamlit): a key for what was uploaded,
and the bytes written to a private temporary folder under names of our own."""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path, PurePosixPath, PureWindowsPath

# a suffix kept from the browser's name: a dot and up to eight letters or digits
_SUFFIX = re.compile(r"\.[a-z0-9]{1,8}")


def content_key(name: str, data: bytes) -> str:
    """One upload's key (hex SHA-256 of its name and its bytes' SHA-256): the same file under
    the same name gives the same key; another name or other bytes another."""
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass") + b"\0")
    digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def batch_key(files: Iterable[tuple[str, bytes]]) -> str:
    """The key of several uploads in their order (name, bytes each)."""
    digest = hashlib.sha256()
    for name, data in files:
        digest.update(bytes.fromhex(content_key(name, data)))
    return digest.hexdigest()


def safe_suffix(name: str) -> str:
    """The file type of a browser-supplied name (`.xlsx`), lowercased, or "" when it has none
    that is letters and digits; any folder in the name (after a slash or a backslash) is dropped."""
    last = PureWindowsPath(PurePosixPath(name).name).name
    suffix = PurePosixPath(last).suffix.lower()
    return suffix if _SUFFIX.fullmatch(suffix) else ""


@contextmanager
def written(files: Sequence[tuple[str, bytes]]) -> Iterator[list[tuple[Path, str]]]:
    """The uploads written to a new temporary folder only this user can open, as (path, name
    as uploaded): the path is ours (`fil0.xlsx`, …), the browser's name is never used as one.
    The folder and its files are removed on leaving, also when an exception leaves it."""
    with tempfile.TemporaryDirectory(prefix="malbilde-opplasting-") as tmp:
        out = []
        for i, (name, data) in enumerate(files):
            path = Path(tmp) / f"fil{i}{safe_suffix(name)}"
            path.write_bytes(data)
            out.append((path, name))
        yield out
