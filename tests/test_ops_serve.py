"""`caseflow serve`: gunicorn in front of the app (preloaded workers), answering pages with one log line per
request that carries the request id it was given."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from caseflow.ops.serve import default_workers, options
from tests.conftest import AUDIT_KEY

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def caseflow_env(instance: Path, database_url: str, **extra) -> dict:
    env = {**os.environ, "CASEFLOW_INSTANCE_PATH": str(instance), "CASEFLOW_DATABASE_URL": database_url,
           "CASEFLOW_AUDIT_KEY": AUDIT_KEY, "PYTHONPATH": str(ROOT), **extra}
    return {k: v for k, v in env.items() if not k.startswith("CASEFLOW_TEST_")}


def caseflow(*args: str) -> list[str]:
    return [sys.executable, "-c", "from caseflow.cli import main; main()", *args]


def wait_for(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited with {proc.returncode}: {proc.stderr.read()[-3000:]}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer in {seconds}s")


def test_defaults_are_sensible():
    opts = options("0.0.0.0", 8000, default_workers())
    assert opts["preload_app"] and opts["timeout"] >= 30 and 3 <= opts["workers"] <= 8
    assert opts["bind"] == "0.0.0.0:8000"


def test_requests_do_not_share_the_commands_app_context(app, monkeypatch):
    """`caseflow serve` runs inside the CLI's app context: gunicorn must run (and fork) without it, or every
    request of a worker would reuse it, and `g` (the logged-in user Flask-Login caches) with it."""
    from flask import has_app_context

    from caseflow.ops import serve as serve_module

    seen = []
    monkeypatch.setattr(serve_module.CaseflowServer, "run", lambda self: seen.append(has_app_context()))
    with app.app_context():
        serve_module.serve(app, "127.0.0.1", free_port(), 1)
        assert has_app_context()  # given back to the command afterwards
    assert seen == [False]


@pytest.mark.slow
def test_serve_answers_a_page_through_gunicorn(database_url, tmp_path):
    port = free_port()
    env = caseflow_env(tmp_path / "instance", database_url, CASEFLOW_LOG_JSON="1")
    proc = subprocess.Popen(caseflow("serve", "--port", str(port), "--workers", "2"), env=env, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/healthz", proc)
        request = urllib.request.Request(base + "/login?next=%2Fcases%2F", headers={"X-Request-ID": "probe-42"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200 and response.headers["Server"].startswith("gunicorn")
            assert response.headers["X-Request-ID"] == "probe-42"
            assert "Đăng nhập" in response.read().decode()
        with urllib.request.urlopen(base + "/readyz", timeout=10) as response:
            assert response.status == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=30)
    assert "Booting worker" in err and err.count("Booting worker") == 2
    line = next(x for x in err.splitlines() if "probe-42" in x)
    assert '"endpoint": "auth.login"' in line and '"status": 200' in line and "next=" not in line
