"""Names from outside (an uploaded file's name, a member of a zip) made safe to print and store.

A file name can carry characters that change how the text around it reads: a newline starts a
line of its own in a log or the command line's output, U+202E (right-to-left override) shows
«fil‮xslx.exe» as «filexe.xlsx», a zero-width character makes two names look the same, a lone
surrogate (a Linux file name that is not UTF-8) cannot even be printed. `shown_name` replaces
each such character with «�» and shortens a name too long to read, so that what is shown is
what the name is. Markdown and HTML are a matter of how text is shown (`ui.plain`), not of this.
"""

from __future__ import annotations

import unicodedata

REPLACEMENT = "\ufffd"
MAX_NAME_CHARS = 160  # longer names are cut in the middle, keeping the end (the extension)
# Unicode categories replaced: controls (newline, tab, ESC), format characters (the bidi
# overrides and isolates, zero-width joiners, the byte-order mark, soft hyphen), line and
# paragraph separators, surrogates, private use and unassigned code points
_UNSAFE = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def shown_name(text: str) -> str:
    """`text` with every control, format (bidi, zero-width), separator and surrogate character
    replaced by «�», and cut to 160 characters around «…» when longer."""
    safe = "".join(REPLACEMENT if unicodedata.category(ch) in _UNSAFE else ch for ch in text)
    if len(safe) > MAX_NAME_CHARS:
        tail = MAX_NAME_CHARS // 4
        safe = safe[: MAX_NAME_CHARS - tail - 1] + "…" + safe[-tail:]
    return safe
