"""Helpers shared by test modules (no test module imports another one: tests/unit/test_suite_rules.py)."""
