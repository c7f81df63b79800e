#!/usr/bin/env bash
# Install caseflow, create the SQLite database with Bình Định demo data, and serve it through gunicorn
# (`caseflow serve`, as in production; `caseflow run` is Flask's development server), with the background
# worker beside it (killed when the server stops).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export CASEFLOW_INSTANCE_PATH=${CASEFLOW_INSTANCE_PATH:-$PWD/instance}
.venv/bin/caseflow init
.venv/bin/caseflow seed-demo
HOST=${HOST:-127.0.0.1}; PORT=${PORT:-5000}

# Processes started beside the server; each is stopped with the demo.
pids=()
stop() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap stop EXIT
# the background-job worker: the e-mail outbox, the deadline sweep every few minutes, org sync, the nightly backup
.venv/bin/caseflow worker --workers 2 & pids+=($!)

echo
echo "caseflow is running at http://$HOST:$PORT/ with its worker (stop with Ctrl+C)"
.venv/bin/caseflow serve --host "$HOST" --port "$PORT" --workers "${WORKERS:-2}"
