"""Rules of the test suite itself: no test module imports another test module (shared helpers
live in tests/helpers/, tests/conftest.py and the other non-test modules of tests/)."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]  # tests/, this file being in tests/unit/


def imported_modules(path: Path) -> list[str]:
    """Every module a file imports, as written (relative imports with their dots)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            found.append(base)  # and each name, which may be a module: «from tests import test_x»
            found += [
                f"{base.rstrip('.')}.{alias.name}" if node.module else base + alias.name
                for alias in node.names
            ]
    return found


def test_no_test_module_imports_another_test_module():
    offending = [
        f"{path.relative_to(TESTS)} imports {name}"
        for path in sorted(TESTS.rglob("*.py"))
        for name in imported_modules(path)
        if name.rsplit(".", 1)[-1].startswith("test_")
    ]
    assert not offending, offending


def test_the_rule_sees_an_import_of_a_test_module(tmp_path):
    sample = tmp_path / "test_sample.py"
    sample.write_text(
        "from tests.test_cli import run\nimport tests.unit.test_store\nfrom . import test_x\n"
        "from tests import test_rounds\nfrom tests.helpers.cli import run\n",
        encoding="utf-8",
    )
    names = imported_modules(sample)
    assert [n for n in names if n.rsplit(".", 1)[-1].startswith("test_")] == [
        "tests.test_cli",
        "tests.unit.test_store",
        ".test_x",
        "tests.test_rounds",
    ]


def test_every_test_module_lives_in_a_layer_folder():
    layers = {"unit", "query", "app", "e2e"}
    misplaced = [
        str(path.relative_to(TESTS))
        for path in sorted(TESTS.rglob("test_*.py"))
        if path.parent.name not in layers or path.parent.parent != TESTS
    ]
    assert not misplaced, f"put each in one of tests/{sorted(layers)}: {misplaced}"
