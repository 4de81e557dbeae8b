#!/usr/bin/env bash
# Set up, load the demo data (first time only) and start the app on http://localhost:8501
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m dashboard demo
exec .venv/bin/streamlit run dashboard/app.py "$@"
