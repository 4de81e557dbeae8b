"""The pages and the present layer only format the read model (issue 27): no module of
`dashboard/app_pages/` or `dashboard/present/` imports the store or the ingest layer, or runs a
query itself (`View._q(…)`, `ui.q(…)`). Read from the source; nothing is imported.

A module that another change still has to fix is listed in PENDING, a strict xfail: it fails the
moment the module is clean, and the entry is removed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "dashboard"
CHECKED = ("app_pages", "present")
BANNED = ("dashboard.store", "dashboard.ingest")
PENDING: dict[str, str] = {}  # path under dashboard/ → the change that cleans it


def _banned(module: str) -> bool:
    return any(module == b or module.startswith(b + ".") for b in BANNED)


def violations(source: str, name: str = "<snippet>") -> list[str]:
    """What in `source` breaks the rule: «line N: imports …» / «line N: calls …»."""
    found = []
    for node in ast.walk(ast.parse(source, name)):
        if isinstance(node, ast.Import):
            found += [
                f"line {node.lineno}: imports {a.name}" for a in node.names if _banned(a.name)
            ]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            base = node.module or ""
            names = [base] + [f"{base}.{a.name}" for a in node.names]
            if any(_banned(n) for n in names):
                found.append(f"line {node.lineno}: imports from {base}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            f = node.func
            if f.attr == "_q":
                found.append(f"line {node.lineno}: calls ._q(")
            elif f.attr == "q" and isinstance(f.value, ast.Name) and f.value.id == "ui":
                found.append(f"line {node.lineno}: calls ui.q(")
    return found


def checked_modules() -> list[str]:
    """Every module of the checked folders, as a path under dashboard/."""
    return sorted(
        str(p.relative_to(PACKAGE)) for folder in CHECKED for p in (PACKAGE / folder).rglob("*.py")
    )


def test_the_folders_are_read():
    mods = checked_modules()
    assert "app_pages/oversikt.py" in mods
    assert "present/deck.py" in mods
    assert "present/charts/budget.py" in mods


@pytest.mark.parametrize(
    "snippet",
    [
        "from dashboard import store",
        "from dashboard import ingest",
        "import dashboard.store",
        "import dashboard.ingest.reader as r",
        "from dashboard.store import shared",
        "from dashboard.ingest.layouts import round_return",
        "def f():\n    from dashboard.store import query\n",
        "def f(v):\n    return v._q('goal_summary', unit='MH')\n",
        "from dashboard import ui\nrows = ui.q('units_with_data', event=1)\n",
    ],
)
def test_the_checker_finds_a_breach(snippet):
    assert violations(snippet), snippet


@pytest.mark.parametrize(
    "snippet",
    [
        "from dashboard import ui, vocab",
        "from dashboard.model.view import View",
        "from dashboard.service import rounds",
        "import dashboard.storefront",  # a name that only starts like one
        "x = v.status.q\nui.query_params()\n",
    ],
)
def test_the_checker_passes_clean_code(snippet):
    assert not violations(snippet), snippet


@pytest.mark.parametrize(
    "module",
    [
        pytest.param(m, marks=pytest.mark.xfail(strict=True, reason=PENDING[m]))
        if m in PENDING
        else m
        for m in checked_modules()
    ],
)
def test_module_only_formats_the_read_model(module):
    path = PACKAGE / module
    found = violations(path.read_text(encoding="utf-8"), str(path))
    assert not found, f"dashboard/{module}: " + "; ".join(found)
