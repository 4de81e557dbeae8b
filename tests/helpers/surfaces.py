"""The texts every surface shows of a unit, and whether the read model wrote them (issue 27).

A surface's text is a headline (a chart's title, a slide's title, a header carrying a figure, a
metric's label and value, a headline in `summary --json`): it must be, word for word, a string
the unit's `View` holds. A caption, subtitle or export title carrying a figure may put words of
its own around the view's strings, but every figure in it must come from one of them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

import pandas as pd
from openpyxl import load_workbook

TAGS = re.compile(r"<[^>]+>")
ESCAPE = re.compile(r"\\([\\`*_{}\[\]#+!|<>~$])")
DIGIT = re.compile(r"\d")
# not figures: dates (the deck's «Laget 07.12.2026»), the amounts' unit «1000 kr», the status
# scale's «4–5» and «0–5»
NOT_FIGURES = re.compile(r"\d\d\.\d\d\.\d{4}|\(?1 ?000 kr\)?|\b[04]–5\b")
WORD_JOINER = "\u2060"
# methods of the View that take a choice: the pages' default choice (None) is what they show
CHOICES = ("status_in", "peers_in", "resources_in", "heatmap_in")


@dataclass(frozen=True)
class Text:
    """One text a surface showed: where, of what kind («headline» or «caption»), and the words."""

    surface: str
    kind: str
    text: str


def clean(text: str) -> str:
    """The words as a reader sees them: no markup, Markdown escapes or word joiners."""
    text = ESCAPE.sub(r"\1", TAGS.sub("", text.replace("<br>", " "))).replace(WORD_JOINER, "")
    return re.sub(r"\s+", " ", text.replace("**", "")).strip()


# ---------------------------------------------------------------- what the read model wrote
def _members(obj: object) -> Iterator[object]:
    """An object's fields and its (cached) properties, each read once; failures skipped."""
    kind = type(obj)
    names = [f.name for f in dataclasses.fields(obj)] if dataclasses.is_dataclass(obj) else []
    for name in dir(kind):
        if isinstance(getattr(kind, name, None), property | cached_property):
            names.append(name)
    for name in CHOICES:
        if callable(getattr(obj, name, None)):
            try:
                yield getattr(obj, name)(None)
            except Exception:  # noqa: BLE001 — a choice the unit has no data for
                continue
    for name in dict.fromkeys(names):
        if name.startswith("_"):
            continue
        try:
            yield getattr(obj, name)
        except Exception:  # noqa: BLE001 — a property with nothing to say for this unit
            continue


def _picks(v) -> list[str]:
    """What the view words for a choice on a page: Indikatorer's detail of each indicator, the
    names of the measures Måloppnåelse's history can pick (text from the file), and the line
    under Måloppnåelse's measure table as its filters start (every measure kept, today)."""
    t, s = getattr(v, "targets", None), getattr(v, "status", None)
    out = [] if s is None else [str(x) for x in s.measures["title"]]
    if s is not None:  # the page ran a moment ago: yesterday, if midnight came in between
        today = dt.date.today()
        out += [s.shown_text(s.n, d) for d in (today, today - dt.timedelta(days=1))]
    if t is None:
        return out
    names = t.ordered["indicator"].tolist()
    return out + [x for n in names for x in (t.detail_title(n), t.detail_subtitle(n, v.pin.unit))]


def view_strings(v: object) -> set[str]:
    """Every string reachable from a view: its properties, the figure objects they hold (and
    theirs), lists, tuples and dicts of them; frames are data, not words, and are skipped."""
    out: set[str] = set()
    seen: set[int] = set()
    stack = [v, *_picks(v)]
    while stack:
        obj = stack.pop()
        if isinstance(obj, str):
            out.add(clean(obj))
            continue
        if obj is None or isinstance(obj, pd.DataFrame | pd.Series) or id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, bool | int | float):
            continue
        if isinstance(obj, dict):
            stack += [*obj.keys(), *obj.values()]
        elif isinstance(obj, list | tuple | set | frozenset):
            stack += list(obj)
        elif type(obj).__module__.startswith("dashboard.model"):
            stack += list(_members(obj))
    out.discard("")
    return out


# ---------------------------------------------------------------- what the surfaces showed
def carries_figure(text: str) -> bool:
    return bool(DIGIT.search(NOT_FIGURES.sub("", text)))


def figure_titles(surface: str, spec: dict) -> list[Text]:
    """A Plotly figure's title (its bold lines; the rest is its subtitle). Its annotations
    (a median's value, a capacity line) label the drawing and are not headlines."""
    layout = spec.get("layout", {})
    title = layout.get("title", {})
    title = title.get("text", "") if isinstance(title, dict) else str(title or "")
    lines = title.split("<br>")
    bold = [x for x in lines if x.startswith("<b>")] or lines[:1]
    out = [Text(surface, "headline", clean(" ".join(bold)))]
    rest = clean(" ".join(x for x in lines if x not in bold))
    out.append(Text(surface, "caption", rest))
    return [t for t in out if t.text]


def page_texts(page: str, at) -> list[Text]:
    """What an AppTest run of a page showed: chart titles, headers and metrics carrying a
    figure, captions carrying one, and the title rows of its Excel exports."""
    s = f"side {page}"
    out: list[Text] = []
    for chart in at.get("plotly_chart"):
        out += figure_titles(s, json.loads(chart.proto.spec))
    for element in [*at.title, *at.header, *at.subheader]:
        out.append(Text(s, "headline", clean(element.value)))
    for m in at.metric:
        out += [Text(s, "headline", clean(m.label)), Text(s, "headline", clean(m.value))]
    for c in at.caption:  # not the data line: it names the files the figures come from
        if not c.value.startswith("**Data:**"):
            out.append(Text(s, "caption", clean(c.value)))
    for key, build in (
        at.session_state["_exports"] if "_exports" in at.session_state else {}
    ).items():
        out += export_texts(f"{s}, Excel «{key}»", build())
    return [t for t in out if t.text and carries_figure(t.text)]


def export_texts(surface: str, data: bytes) -> list[Text]:
    """An Excel export's title row (the line under it is the page's data line)."""
    ws = load_workbook(io.BytesIO(data), read_only=True).active
    rows = list(ws.iter_rows(min_row=1, max_row=1, values_only=True))
    out = [Text(surface, "caption", clean(str(r[0]))) for r in rows if r and r[0]]
    return [t for t in out if carries_figure(t.text)]


def deck_texts(slides: list) -> list[Text]:
    """The deck's slides: titles, lines under them, big numbers and labels, bullets, and the
    titles of their figures."""
    out: list[Text] = []
    for i, slide in enumerate(slides, start=1):
        s = f"lysbilde {i}"
        out.append(Text(s, "headline", clean(slide.title)))
        out.append(Text(s, "caption", clean(slide.subtitle)))
        for number, label in slide.big:
            out += [Text(s, "headline", clean(number)), Text(s, "headline", clean(label))]
        out += [Text(s, "caption", clean(b)) for b in slide.bullets]
        if slide.figure is not None:
            out += figure_titles(s, slide.figure.to_plotly_json())
    return [t for t in out if t.text and carries_figure(t.text)]


def summary_texts(unit: dict) -> list[Text]:
    """A unit's part of `summary --json`: every headline and title, and the cards."""
    out: list[Text] = []

    def walk(obj: object, path: str) -> None:
        if isinstance(obj, dict):
            for k, x in obj.items():
                walk(x, f"{path}.{k}")
        elif isinstance(obj, list):
            for x in obj:
                walk(x, path)
        elif isinstance(obj, str) and re.search(r"(headline|title)", path.lower()):
            out.append(Text(f"summary --json {path}", "headline", clean(obj)))

    walk({k: x for k, x in unit.items() if k != "cards"}, "")
    for label, value in unit.get("cards", {}).items():
        out += [Text("summary --json cards", "headline", clean(x)) for x in (label, value)]
    return [t for t in out if t.text and carries_figure(t.text)]


# ---------------------------------------------------------------- the comparison
def uncovered(text: str, strings: Iterable[str]) -> str:
    """The text with every view string it contains taken out, longest first: what is left of
    it is the surface's own words (and figures, if any)."""
    rest = text
    for s in sorted((x for x in strings if carries_figure(x)), key=len, reverse=True):
        if s in rest:
            rest = rest.replace(s, "\x00")
    return rest


def offences(texts: Iterable[Text], strings: set[str]) -> list[Text]:
    """The texts the read model did not write: a headline not word for word a view string, a
    caption with a figure that none of the view strings in it carries (a caption that is a part
    of a view string, as an export's title is of a two-line chart title, is the model's)."""
    bad = []
    for t in texts:
        if t.kind == "headline" and t.text not in strings:
            bad.append(t)
        elif t.kind == "caption" and carries_figure(uncovered(t.text, strings)):
            if not any(t.text.rstrip(",:; ") in x for x in strings):
                bad.append(t)
    return bad


def skeleton(text: str) -> tuple[str, tuple[str, ...]]:
    """A headline's words without its numbers, and its numbers."""
    numbers = tuple(re.findall(r"\d[\d\s\u00a0.,]*\d|\d", text))
    return re.sub(r"\d[\d\s\u00a0.,]*\d|\d", "#", text), numbers


def disagreements(texts: Iterable[Text]) -> list[tuple[Text, Text]]:
    """Pairs of headlines on two surfaces saying the same words with other numbers."""
    first: dict[str, Text] = {}
    out = []
    for t in texts:
        if t.kind != "headline":
            continue
        words, numbers = skeleton(t.text)
        if len(words.replace("#", "").strip()) < 12 or not numbers:
            continue  # too short a frame of words to call it the same headline
        seen = first.setdefault(words, t)
        if seen.text != t.text and seen.surface.split()[0] != t.surface.split()[0]:
            out.append((seen, t))
    return out
