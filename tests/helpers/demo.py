"""The demo database (and the 100× one), built once per test session and copied for each
test that uses it.

Building it (`data.generate_demo.build_demo`: 25 workbooks written and imported) takes many
seconds; a copy of the file takes milliseconds. Every user gets its own copy, because the app
and the store write beside and into their database (snapshots, backup requests, the rule
table, the migration check on connect), so no test sees another's writes. Under pytest-xdist
the workers share one build: the first builds it under a file lock, the others wait for it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb

_folder: Path | None = None


def use_folder(folder: Path) -> None:
    """Where the session's template is built (tests/conftest.py sets it once per session)."""
    global _folder
    _folder = folder


@contextlib.contextmanager
def workbooks_lock() -> Iterator[None]:
    """Hold the lock on the demo's workbooks (data/demo_workbooks, which a build rewrites)."""
    if _folder is None:
        raise RuntimeError("tests.helpers.demo.use_folder was not called (tests/conftest.py)")
    _folder.mkdir(parents=True, exist_ok=True)
    with open(_folder / "demo.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@contextlib.contextmanager
def _plain_environment() -> Iterator[None]:
    """No MALBILDE_* setting a test may have set: the template is the same whoever builds it."""
    saved = {k: v for k, v in os.environ.items() if k.startswith("MALBILDE_")}
    for key in saved:
        del os.environ[key]
    try:
        yield
    finally:
        os.environ.update(saved)


def _built(name: str, build) -> Path:
    """The session's database `name`, built by `build(path)` on first use and checkpointed into
    its one file. Never open it for writing: copy it."""
    if _folder is None:
        raise RuntimeError("tests.helpers.demo.use_folder was not called (tests/conftest.py)")
    with workbooks_lock():
        path = _folder / f"{name}.duckdb"
        done = _folder / f"{name}.built"
        if not done.exists():
            path.unlink(missing_ok=True)
            with _plain_environment():
                build(path)
            con = duckdb.connect(str(path))
            con.execute("checkpoint")  # all in the one file: a copy needs no .wal beside it
            con.close()
            assert not path.with_name(path.name + ".wal").exists()
            done.touch()
        return path


def template() -> Path:
    """The session's demo database (built on first use). Never open it for writing: copy it."""
    from data.generate_demo import build_demo

    return _built("demo", build_demo)


def large_copy(target: Path) -> Path:
    """A private copy of the 100× database (data/generate_large.py, built once per session:
    about 18 s) at `target`."""
    from data.generate_large import build_large

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_built("large", build_large), target)
    return target


def demo_copy(target: Path) -> Path:
    """A private copy of the demo database at `target` (left as it is if it exists, as
    `build_demo` does)."""
    target = Path(target)
    if not target.exists():
        source = template()
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return target
