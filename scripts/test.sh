#!/usr/bin/env bash
# Install everything the tests need (system libraries, Python packages) and run the whole suite
# headless. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
# The storage tests start their own PostgreSQL server (initdb/pg_ctl from Debian's package).
if command -v dpkg-query >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "== installing PostgreSQL for the storage tests"
  export DEBIAN_FRONTEND=noninteractive
  # the package's own cluster is not needed: the tests make theirs in a temporary folder
  $sudo apt-get update -qq || true
  $sudo apt-get install -y -qq --no-install-recommends postgresql \
    || echo "PostgreSQL could not be installed: its tests will be skipped"
fi
# LibreOffice is used for real by the tests: Writer converts the Word documents to PDF (the PDF
# export, the directive reader's PDFs), Calc computes the workbooks' formulas; poppler's pdftotext
# reads the PDFs back. The -nogui flavours: the GUI ones conflict with them and need X.
office_pkgs=(libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils)
if command -v dpkg-query >/dev/null 2>&1; then
  missing=()
  for p in "${office_pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "== installing ${missing[*]} for the document tests"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq || true
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
fi
[ -d .venv ] || python3 -m venv .venv
. .venv/bin/activate
python -m pip install -q --upgrade pip
python -m pip install -q -e ".[test,build]"
export QT_QPA_PLATFORM=offscreen
echo "== import contracts (Qt only in desktop/ui, db independent of desktop)"
lint-imports
echo "== ruff (unused and undefined names, import order)"
ruff check .
if [ $# -gt 0 ]; then
  exec python -m pytest -q "$@"
fi
# The fast tests first, so a failure shows within minutes; the slow ones (the PyInstaller bundle
# built and self-tested) in their own step after them.
echo "== tests"
# on the cores this job may use (pytest-xdist; nproc honours the CPU affinity a container sets, at
# most 4 workers): each worker has its own databases, PostgreSQL server and folders
workers=$(nproc 2>/dev/null || echo 2)
if [ "$workers" -gt 4 ]; then workers=4; fi
python -m pytest -q -m "not slow" -n "$workers"
echo "== slow tests (bundle build and self-test)"
python -m pytest -q -m slow
