"""The import graph of `dashboard/`, read from the source (no module is imported).

The layers follow the path of a workbook (README, «Code layout»): `ingest` reads and checks,
`store` keeps versions, `model` computes figures, `present` draws, `app_pages` show, `service`
writes. A lower layer never imports a higher one, and no two modules import each other, directly
or round a loop. Every import counts, also one inside a function: it ties the modules together
all the same.
No rule has an exception.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "dashboard"

# (the layer whose modules are checked, the modules and packages they must not import)
RULES: dict[str, tuple[str, ...]] = {
    "dashboard.ingest": (
        "dashboard.present",
        "dashboard.service",
        "dashboard.app_pages",
        "dashboard.store",
        "streamlit",
    ),
    "dashboard.model": (
        "dashboard.ingest",
        "dashboard.present",
        "dashboard.service",
        "dashboard.app_pages",
        "streamlit",
    ),
    "dashboard.store": (
        "dashboard.model",
        "dashboard.ingest",
        "dashboard.present",
        "dashboard.service",
        "dashboard.app_pages",
    ),
    # text normalising lies below every layer that uses it
    "dashboard.text": (
        "dashboard.ingest",
        "dashboard.store",
        "dashboard.model",
        "dashboard.present",
        "dashboard.service",
        "dashboard.app_pages",
        "streamlit",
    ),
    "dashboard.units": ("dashboard.ingest",),
    "dashboard.entities": ("dashboard.ingest",),
}


@cache
def modules() -> dict[str, Path]:
    """Every module of the package by its dotted name (a package by its own name)."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imported(node: ast.AST, package: str, known: dict[str, Path]) -> list[str]:
    """The modules one import statement names: `from a import b` is the module a.b when that
    is a module of ours, else a."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = node.module or ""
    if node.level:  # relative: from the package, up level − 1
        parts = package.split(".")[: len(package.split(".")) - node.level + 1]
        base = ".".join([*parts, base] if base else parts)
    return [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]


@cache
def imports() -> dict[str, frozenset[str]]:
    """Each module's imports (dotted names, ours and others'), wherever in the module they are."""
    known = modules()
    out = {}
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            found.update(_imported(node, package, known))
        out[name] = frozenset(found)
    return out


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def breaches(layer: str) -> list[tuple[str, str]]:
    """(importer, imported) for each import a module of `layer` makes that its rule forbids."""
    return sorted(
        (module, target)
        for module, targets in imports().items()
        if _within(module, layer)
        for target in targets
        if any(_within(target, banned) for banned in RULES[layer])
    )


def cycles() -> list[frozenset[str]]:
    """The strongly connected groups of two or more modules of ours (Tarjan, iterative)."""
    graph = {m: sorted(t for t in ts if t in imports()) for m, ts in imports().items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(graph[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        found.append(frozenset(group))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(graph[child])))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def _cycle_text(group: frozenset[str]) -> str:
    edges = [f"{a} imports {b}" for a in sorted(group) for b in sorted(imports()[a] & group)]
    return "; ".join(edges)


def test_the_graph_is_read():
    """The reading itself: known imports are found, relative and inside functions too."""
    graph = imports()
    assert "dashboard.ingest.detect" in graph
    assert "dashboard.ingest.synonyms" in graph["dashboard.ingest.detect"]
    assert "dashboard.text" in graph["dashboard.units"]
    assert "dashboard.ingest.reader" in graph["dashboard.cli"]  # imported inside cmd_import
    assert "streamlit" in graph["dashboard.ui"]


@pytest.mark.parametrize("layer", sorted(RULES))
def test_layer_imports_nothing_above_it(layer):
    found = breaches(layer)
    assert not found, f"{layer} must not import {', '.join(RULES[layer])}: " + "; ".join(
        f"{a} imports {b}" for a, b in found
    )


def test_no_import_cycles():
    found = cycles()
    assert not found, "import cycles: " + " | ".join(_cycle_text(g) for g in found)


def test_a_cycle_and_a_breach_are_named(monkeypatch):
    """The checks find what they look for: two modules importing each other, a model module
    importing ingest."""
    graph = dict(imports())
    graph["dashboard.text"] = graph["dashboard.text"] | {"dashboard.units"}
    graph["dashboard.model.pin"] = graph["dashboard.model.pin"] | {"dashboard.ingest.detect"}
    monkeypatch.setitem(globals(), "imports", lambda: graph)
    assert frozenset({"dashboard.text", "dashboard.units"}) in cycles()
    assert ("dashboard.model.pin", "dashboard.ingest.detect") in breaches("dashboard.model")
