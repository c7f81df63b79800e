#!/usr/bin/env bash
# Install what caseflow needs on a fresh Debian machine: system packages (fonts for the PDFs, Graphviz for the
# procedure diagrams, pg_dump/pg_restore for `caseflow backup` on PostgreSQL, Chromium for browser tests, poppler for
# reading PDFs back, wrk for bench/pages.py's HTTP load) and a virtualenv with the package.
# Usage: scripts/setup.sh [test]   ("test" adds the test extras)
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(fonts-liberation2 fonts-noto-core poppler-utils graphviz postgresql-client wrk)
if [ "${1:-}" = "test" ]; then APT_PACKAGES+=(chromium); fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "${1:-}" = "test" ]; then
  .venv/bin/python -m pip install -q -e '.[test]'
else
  .venv/bin/python -m pip install -q -e .
fi
