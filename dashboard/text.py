"""Text compared as words: case, spaces and punctuation ignored.

Used by ingest (header names, cell values), the unit and institution registries, the read model
and the rounds, so it lives below them all and imports none of them.
"""

from __future__ import annotations

import re
import unicodedata

from dashboard.numbers import is_blank


def normalise(text: object) -> str:
    """Lower case, NFC, every run of other characters than letters, digits and «%» one space.

    «Status 0= ikke igangsatt» and a line break «1=…» → «status 0 ikke igangsatt 1 …»;
    «HP nr.» → «hp nr»; a blank cell → «».
    """
    if is_blank(text):
        return ""
    value = unicodedata.normalize("NFC", str(text)).lower()
    value = re.sub(r"[^\wæøå%]+", " ", value)
    return re.sub(r"\s+", " ", value).strip()
