#!/usr/bin/env bash
# Create .venv and install Målbilde (with test tools when called with --test). Idempotent.
# Dependencies come from the lock file, pinned with hashes (scripts/lock.sh writes it): a fresh
# machine gets exactly the versions the tests passed with, and pip refuses any other file.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
lock="requirements.lock"
stamp=".venv/.installed"
if [ "${1:-}" = "--test" ]; then
  lock="requirements-test.lock"
  stamp=".venv/.installed-test"
fi
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ "$lock" -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --require-hashes -r "$lock"
  .venv/bin/python -m pip install --quiet --no-deps -e .
  touch "$stamp"
fi
