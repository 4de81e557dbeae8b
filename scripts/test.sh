#!/usr/bin/env bash
# Set up (Python packages and, where missing, Debian's Chromium and nginx for the browser and
# service tests) and run all tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
# Debian's Chromium (browser tests), nginx (the service tests: scripts/serve.py) and LibreOffice
# Calc (the round-trip test of reporting rounds), where missing
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$missing nginx-light"
if [ -n "$missing" ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null) \
    || echo "warning: could not install$missing; browser or service tests will fail" >&2
fi
if ! command -v soffice >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends libreoffice-calc >/dev/null) \
    || echo "warning: could not install libreoffice-calc; the LibreOffice round trip is skipped" >&2
fi
.venv/bin/python -m ruff check dashboard data tests && .venv/bin/python -m ruff format --check dashboard data tests
# two workers (pytest-xdist): each test module on one worker, every e2e test on the same one
# (tests/conftest.py groups them); the suite's time is in the README
exec .venv/bin/python -m pytest -n 2 --dist loadgroup "$@"
