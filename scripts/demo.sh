#!/usr/bin/env bash
# Install caseflow, create the SQLite database with Bình Định demo data, and serve it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export CASEFLOW_INSTANCE_PATH=${CASEFLOW_INSTANCE_PATH:-$PWD/instance}
.venv/bin/caseflow init
.venv/bin/caseflow seed-demo
HOST=${HOST:-127.0.0.1}; PORT=${PORT:-5000}
echo
echo "caseflow is running at http://$HOST:$PORT/  (stop with Ctrl+C)"
exec .venv/bin/caseflow run --host "$HOST" --port "$PORT"
