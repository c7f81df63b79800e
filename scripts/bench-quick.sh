#!/usr/bin/env bash
# Every bench script (bench/*.py with a __main__) in quick mode, as a smoke test: a crash, or a last stdout line that is not one JSON
# object, fails this script; the figures themselves never do (they are printed, for the record).
set -uo pipefail
cd "$(dirname "$0")/.."

status=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for bench in bench/*.py; do
  # a bench is a script; helper modules beside them (bench/bulkgen.py, the generator) are not run
  grep -q '^if __name__ == "__main__":' "$bench" || continue
  echo "== $bench --quick =="
  if ! .venv/bin/python "$bench" --quick | tee "$out"; then
    echo "error: $bench --quick failed" >&2
    status=1
  elif ! tail -n 1 "$out" | .venv/bin/python -c 'import json, sys; assert isinstance(json.loads(sys.stdin.read()), dict)' 2>/dev/null; then
    echo "error: $bench --quick: its last stdout line is not a JSON object" >&2
    status=1
  fi
done
exit $status
