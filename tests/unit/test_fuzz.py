"""Fuzzing the import: a few hundred workbooks made from the examples by seeded random damage
(bytes flipped, parts cut short or dropped, cell values replaced by hostile ones, rows repeated).
Each import through the command line answers 0 (stored) or 2 (refused with a sentence), never
an internal error or a traceback, within the time limit, and a refusal leaves the database as
it was."""

from __future__ import annotations

import random
import re
import time
import zipfile
from pathlib import Path

import duckdb
import pytest

from dashboard import cli
from tests.conftest import EXAMPLES

SEED = 20261202
PER_EXAMPLE = 40
HOSTILE_VALUES = [
    "inf", "-inf", "nan", "NaN", "1e309", "9" * 400, "-", "", "<", "&amp;", "ÆØÅ😀", "0x1F",
    "1,2,3", "45 785-", "=SUM(A1:A9)", "#REF!", "2023-13-45", "-1e308", " ", "1" * 30,
]  # fmt: skip

pytestmark = pytest.mark.skipif(not EXAMPLES.exists(), reason="shared/examples not found")


def _mutate(data: dict[str, bytes], rng: random.Random) -> dict[str, bytes]:
    parts = dict(data)
    xml = [n for n in parts if n.endswith(".xml")]
    name = rng.choice([n for n in xml if "worksheets/" in n] or xml)
    body = parts[name]
    kind = rng.randrange(6)
    if kind == 0:  # a part cut short
        parts[name] = body[: rng.randrange(len(body) + 1)]
    elif kind == 1:  # a part dropped
        parts.pop(rng.choice(list(parts)))
    elif kind == 2:  # cell values replaced by hostile ones
        values = list(re.finditer(rb"<v>[^<]*</v>|<t>[^<]*</t>", body))
        for match in rng.sample(values, min(len(values), rng.randint(1, 5))):
            tag = match.group()[:3]
            new = tag + rng.choice(HOSTILE_VALUES).encode() + b"</" + tag[1:]
            body = body.replace(match.group(), new, 1)
        parts[name] = body
    elif kind == 3:  # a row repeated many times
        rows = re.findall(rb"<row [^>]*>.*?</row>", body, flags=re.S)
        if rows:
            row = rng.choice(rows)
            parts[name] = body.replace(row, row * rng.randint(2, 50), 1)
    elif kind == 4:  # random bytes inside a part
        raw = bytearray(body)
        for _ in range(rng.randint(1, 20)):
            if raw:
                raw[rng.randrange(len(raw))] = rng.randrange(256)
        parts[name] = bytes(raw)
    else:  # a tag broken
        parts[name] = body.replace(b"</", b"<", rng.randint(1, 3))
    return parts


def _write(parts: dict[str, bytes], path: Path, rng: random.Random) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    if rng.random() < 0.15:  # and sometimes the zip itself damaged
        raw = bytearray(path.read_bytes())
        for _ in range(rng.randint(1, 8)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        path.write_bytes(bytes(raw))
    return path


def _counts(db: Path) -> tuple:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return tuple(
            con.execute(f"select count(*) from {t}").fetchone()[0]
            for t in ("imports", "budget_figures", "measures", "status_reports", "indicator_values")
        )
    finally:
        con.close()


def test_damaged_workbooks_are_stored_or_refused_clearly(tmp_path, capsys):
    rng = random.Random(SEED)
    db = tmp_path / "fuzz.duckdb"
    assert cli.main(["summary", "--db", str(db)]) == 2  # nothing there yet; nothing created
    outcomes = {0: 0, 2: 0}
    slowest = 0.0
    for example in sorted(EXAMPLES.glob("*.xlsx")):
        with zipfile.ZipFile(example) as z:
            original = {i.filename: z.read(i.filename) for i in z.infolist()}
        for n in range(PER_EXAMPLE):
            path = _write(_mutate(original, rng), tmp_path / f"{example.stem}_{n}.xlsx", rng)
            before = _counts(db) if db.exists() else None
            start = time.monotonic()
            code = cli.main(["import", str(path), "--db", str(db), "--user", "fuzz"])
            slowest = max(slowest, time.monotonic() - start)
            out = capsys.readouterr()
            said = out.out + out.err
            assert code in (0, 2), (path.name, said)
            assert "intern feil" not in said and "Traceback" not in said, (path.name, said)
            if code == 2:
                assert said.strip(), path.name
                if before is not None:
                    assert _counts(db) == before, (path.name, said)
            outcomes[code] += 1
            path.unlink()
    assert outcomes[0] and outcomes[2], outcomes  # the damage both spared and broke files
    assert slowest < 30, slowest
