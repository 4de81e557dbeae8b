"""Every real-world workbook in shared/corpus is imported or refused clearly, each within 5 s."""

from __future__ import annotations

import os
import time

import pytest

from dashboard.errors import UserError
from dashboard.service.imports import import_file
from tests.conftest import CORPUS

FILES = (
    sorted(p for p in CORPUS.glob("*/*") if p.suffix.lower() in {".xlsx", ".xlsm", ".xls", ".xlsb"})
    if CORPUS.exists()
    else []
)


@pytest.mark.skipif(not FILES, reason="shared/corpus not found")
@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_corpus_file_is_imported_or_refused_clearly(path, con, settings):
    start = time.perf_counter()
    try:
        result = import_file(con, path, settings)
    except UserError as exc:
        message = exc.render()
        assert path.name in message
        assert "Traceback" not in message and len(message) > 30
    else:
        assert result.import_id is not None and result.parsed.rows > 0
    assert time.perf_counter() - start < 5
    assert os.getpid()  # still here: no parser ever runs in this process
    assert con.execute("select count(*) from imports where outcome = 'pending'").fetchone()[0] == 0


def test_expected_refusals():
    """The known traps are refused for the right reason."""
    from dashboard.config import Settings
    from dashboard.ingest.pipeline import parse_file

    settings = Settings.from_env(":memory:")
    expectations = {"pass_protected.xlsx": "passord", "issue252.xlsx": "skadet"}
    for name, words in expectations.items():
        path = next((p for p in FILES if p.name == name), None)
        if path is None:
            continue
        with pytest.raises(UserError, match=words):
            parse_file(path, settings)
