"""The command line in a child process."""

from __future__ import annotations

import subprocess
import sys

from dashboard.config import ROOT


def run(*args: str) -> subprocess.CompletedProcess:
    """`python -m dashboard ARGS` from the project root, 120 s at most; output as text."""
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
