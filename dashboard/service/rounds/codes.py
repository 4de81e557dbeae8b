"""The codes that tie a returned workbook to its unit, round and rows (keyed with the server's key)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

import pandas as pd


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


def same_code(given: object, wanted: str) -> bool:
    """The code in a cell is the one wanted (case, spaces and dashes aside)."""
    return hmac.compare_digest(_plain_code(given).encode(), _plain_code(wanted).encode())


def with_checks(key: bytes, r: pd.Series, own: pd.DataFrame) -> pd.DataFrame:
    """The unit's measures with each row's check code added (a copy)."""
    own = own.copy()
    own["check"] = [
        row_check(key, r, u, k, m)
        for u, k, m in zip(own["unit"], own["key"], own["measure_key"], strict=True)
    ]
    return own
