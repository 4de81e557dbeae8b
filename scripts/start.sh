#!/usr/bin/env bash
# Set up, load the demo data (first time only) and start the app on http://localhost:8501
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  # optional: Chromium prints the board pack as PDF (the rest of the app works without it)
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "note: chromium not installed; «Lag PDF» will say so" >&2
fi
.venv/bin/python -m dashboard demo
exec .venv/bin/streamlit run dashboard/app.py "$@"
