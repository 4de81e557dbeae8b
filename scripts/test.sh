#!/usr/bin/env bash
# Set up (Python packages and, where missing, Debian's Chromium and nginx for the browser and
# service tests) and run all tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
# Debian's Chromium (browser tests) and nginx (the service tests: scripts/serve.py), where missing
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$missing nginx-light"
if [ -n "$missing" ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null) \
    || echo "warning: could not install$missing; browser or service tests will fail" >&2
fi
.venv/bin/python -m ruff check dashboard data tests && .venv/bin/python -m ruff format --check dashboard data tests
exec .venv/bin/python -m pytest "$@"
