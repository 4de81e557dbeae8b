#!/usr/bin/env bash
# Set up (Python packages and, where missing, Debian's Chromium for the browser tests) and run all tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "warning: could not install chromium; browser tests will fail" >&2
fi
.venv/bin/python -m ruff check dashboard data tests && .venv/bin/python -m ruff format --check dashboard data tests
exec .venv/bin/python -m pytest "$@"
