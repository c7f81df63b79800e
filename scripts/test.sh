#!/usr/bin/env bash
# Install what the tests need and run the whole suite: on SQLite, then on PostgreSQL (a fresh
# database on the server at 127.0.0.1:5432, user postgres). With CI=true, PostgreSQL is required.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test

PG_HOST=${PG_HOST:-127.0.0.1}; PG_PORT=${PG_PORT:-5432}; PG_USER=${PG_USER:-postgres}
pg_up() { .venv/bin/python -c "import psycopg; psycopg.connect(host='$PG_HOST', port=$PG_PORT, user='$PG_USER', dbname='postgres', connect_timeout=3).close()" 2>/dev/null; }
if ! pg_up && command -v pg_ctlcluster >/dev/null 2>&1; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start 2>/dev/null || true
  sleep 2
fi

WORKERS=${WORKERS:-2}
status=0
echo "== tests on SQLite =="
.venv/bin/python -m pytest -n "$WORKERS" "$@" || status=$?

if pg_up; then
  export CASEFLOW_TEST_POSTGRES_URL="postgresql://$PG_USER@$PG_HOST:$PG_PORT/caseflow_ci_$(date +%s)_$$"
  echo "== tests on PostgreSQL (fresh databases on $PG_HOST:$PG_PORT) =="
  # browser tests ran above; they exercise the UI, not the database
  .venv/bin/python -m pytest -n "$WORKERS" -m "not browser" "$@" || status=$?
elif [ "${CI:-}" = "true" ]; then
  echo "error: PostgreSQL is not reachable at $PG_HOST:$PG_PORT and CI requires it" >&2
  status=1
else
  echo "warning: PostgreSQL not reachable at $PG_HOST:$PG_PORT: the PostgreSQL run was skipped" >&2
fi

# a plain wheel in a fresh venv serves the app (the data folders shipped as package data)
bash scripts/check-wheel.sh || status=$?

# every bench once at small sizes: a crash fails the run, the figures never do
bash scripts/bench-quick.sh || status=$?
exit $status
