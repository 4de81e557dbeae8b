#!/usr/bin/env bash
# Write requirements.lock (the app) and requirements-test.lock (app + test tools): the versions
# installed in .venv — the ones the tests passed with — pinned with their SHA-256 hashes for
# every platform's files. Run after changing dependencies in pyproject.toml and testing them.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m pip install --quiet uv
tested=$(mktemp)
trap 'rm -f "$tested"' EXIT
.venv/bin/python -m pip freeze --exclude-editable | grep -v -E '^(uv|py-spy)==' > "$tested"
for target in requirements.lock requirements-test.lock; do
  extra=()
  [ "$target" = requirements-test.lock ] && extra=(--extra test)
  .venv/bin/uv pip compile pyproject.toml "${extra[@]}" -c "$tested" --generate-hashes \
    --python-version 3.11 --no-header --quiet -o "$target"
  sed -i "/^    #   -c /d" "$target"
  sed -i "1i # Pinned with hashes by scripts/lock.sh from the versions tested; installed by scripts/setup.sh." "$target"
done
