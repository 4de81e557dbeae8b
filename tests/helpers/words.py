"""The words a page shows, read in Chromium, and what a reader must not meet in them."""

from __future__ import annotations

import re
import time

ENGLISH = [
    "Upload", "Download", "Browse", "Drag and drop", "Limit", "per file", "Running", "Stop",
    "Search", "Fullscreen", "Choose an option", "Help for", "Sidebar", "Collapse", "Expand",
    "Show/hide", "Add row", "Delete", "Zoom", "Reset axes", "Main menu", "Skip to", "App pages",
    "Increment", "Decrement", "file upload", "Link to heading", "No results", "Clear", "Open",
    "Close",
]  # fmt: skip
BAD = [
    (re.compile(r"\b(?:None|nan|NaN|<NA>|NaT)\b"), "a missing value written out"),
    (re.compile(r"\b(?:19|20)\d\d\.0\b"), "a year with a decimal"),
    (re.compile(r"(?<![\w./-])[a-z]+(?:_[a-z]+)+(?![\w.])"), "a snake_case identifier"),
    (re.compile(r"python -m|--[a-z]{3,}"), "a command line"),
    # signs drawn only by an emoji font (⏳ ⏸ ✅ ⚠ 📅 …); ✓ and → are in every text font
    (
        re.compile(
            "[\u231a\u231b\u23e9-\u23fa\u2614\u2615\u26a0-\u26ff\u2705\u274c\u2753-\u2757\U0001f300-\U0001faff]"
        ),
        "an emoji",
    ),
]
TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest('script,style,[aria-hidden=true],[data-testid=stIconMaterial]')) continue;
    if (n.nodeValue.trim()) out.push(n.nodeValue.trim());
  }
  for (const el of document.querySelectorAll('[aria-label],[title],[placeholder],[data-title]'))
    for (const a of ['aria-label', 'title', 'placeholder', 'data-title'])
      if (el.getAttribute(a)) out.push(el.getAttribute(a));
  return out;
}"""


def problems(texts: list[str]) -> list[str]:
    """What is wrong with these words: English widget words, missing values, identifiers."""
    found = []
    for text in texts:
        for word in ENGLISH:
            if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text):
                found.append(f"English «{word}» in «{text[:80]}»")
        for pattern, what in BAD:
            if pattern.search(text):
                found.append(f"{what} in «{text[:80]}»")
    return found


def settled(page, timeout_s: float = 15.0) -> list[str]:
    """The page's words once nb.js has translated what was just drawn: it runs on the next
    animation frame, which a loaded machine can delay, so wait (up to `timeout_s`) until the
    words have no problem; what is still there then is real."""
    deadline = time.monotonic() + timeout_s
    texts = page.evaluate(TEXT)
    while problems(texts) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
        texts = page.evaluate(TEXT)
    return texts
