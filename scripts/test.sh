#!/usr/bin/env bash
# Install everything the tests need (system libraries, Python packages) and run the whole suite
# headless. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
[ -d .venv ] || python3 -m venv .venv
. .venv/bin/activate
python -m pip install -q --upgrade pip
python -m pip install -q -e ".[test]"
export QT_QPA_PLATFORM=offscreen
echo "== import contracts (Qt only in desktop/ui, db independent of desktop)"
lint-imports
echo "== tests"
python -m pytest -q "$@"
