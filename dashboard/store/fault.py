"""Fault injection for the tests of saving, kept out of the writes themselves: a pause inside
a save (so a test can kill the server mid-save, or make two saves overlap) and a failure after
a given table (so a test sees the rollback). Both are inert unless a test asks for them:
`MALBILDE_TEST_PAUSE_IN_SAVE` (seconds) with `MALBILDE_TEST_PAUSE_MARK` (a file the import id
is written to once the save is under way), and the `fail_after` argument of a write."""

from __future__ import annotations

import os
import time


def pause_in_save(import_id: int) -> None:
    """Wait the seconds MALBILDE_TEST_PAUSE_IN_SAVE names, inside the save's transaction."""
    pause = os.environ.get("MALBILDE_TEST_PAUSE_IN_SAVE")
    if not pause:
        return
    mark = os.environ.get("MALBILDE_TEST_PAUSE_MARK")
    if mark:
        with open(mark, "a", encoding="utf-8") as fh:
            fh.write(f"{import_id}\n")
    time.sleep(float(pause))


def fail_here(fail_after: str | None, table: str) -> None:
    """Fail the save after `table` is written when a test asked for it (`fail_after`)."""
    if fail_after == table:
        raise RuntimeError(f"test failure after {table}")
