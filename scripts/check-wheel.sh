#!/usr/bin/env bash
# Prove that a plain wheel (not an editable install) serves the app: build it, install it in a fresh venv, then
# `caseflow init`, `caseflow doctor` and one page through `caseflow serve`, from a folder outside the checkout.
# Offline and fast: the wheel is installed with --no-deps, and the dependencies are read from the project's venv
# (its site-packages added to the fresh venv's path, without its editable caseflow).
# Usage: scripts/check-wheel.sh   (VENV=path/to/venv to use another venv than .venv)
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-$PWD/.venv}
WORK=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

echo "== building the wheel =="
"$VENV/bin/python" -m pip wheel -q --no-deps --no-build-isolation -w "$WORK/dist" . >/dev/null
wheel=$(ls "$WORK"/dist/caseflow-*.whl)
"$VENV/bin/python" - "$wheel" <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
for folder in ("templates", "workflows", "migrations"):
    assert any(n.startswith(f"caseflow/_shipped/{folder}/") for n in names), f"error: {folder}/ is not in the wheel"
PY

echo "== installing $(basename "$wheel") in a fresh venv =="
"$VENV/bin/python" -m venv --without-pip "$WORK/venv"
"$VENV/bin/python" -m pip --python "$WORK/venv/bin/python" install -q --no-deps --no-index "$wheel"
deps=$("$VENV/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
fresh=$("$WORK/venv/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
echo "$deps" > "$fresh/project-venv-dependencies.pth"   # a path line: its .pth files (the editable install) are not run

cd "$WORK"
export CASEFLOW_INSTANCE_PATH="$WORK/instance"
unset CASEFLOW_DATABASE_URL CASEFLOW_STORAGE_DIR CASEFLOW_WORKFLOWS_DIR PYTHONPATH
where=$("$WORK/venv/bin/python" -c "import caseflow; print(caseflow.__file__)")
case "$where" in "$WORK/venv/"*) ;; *) echo "error: caseflow imported from $where, not the wheel" >&2; exit 1;; esac
"$WORK/venv/bin/caseflow" init 2>"$WORK/init.log" || { cat "$WORK/init.log" >&2; exit 1; }
"$WORK/venv/bin/caseflow" doctor

echo "== one page through caseflow serve =="
port=$("$WORK/venv/bin/python" -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
"$WORK/venv/bin/caseflow" serve --port "$port" --workers 1 2>"$WORK/serve.log" &
server=$!
"$WORK/venv/bin/python" - "$port" <<'PY' || { cat "$WORK/serve.log" >&2; exit 1; }
import sys, time, urllib.request
base = f"http://127.0.0.1:{sys.argv[1]}"
for _ in range(120):
    try:
        urllib.request.urlopen(base + "/healthz", timeout=2)
        break
    except OSError:
        time.sleep(0.5)
page = urllib.request.urlopen(base + "/login", timeout=10).read().decode()
assert "csrf_token" in page, page[:500]
ready = urllib.request.urlopen(base + "/readyz", timeout=10)
assert ready.status == 200
print("served /login and /readyz from the wheel")
PY
echo "wheel ok"
