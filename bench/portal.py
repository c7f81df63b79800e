"""Benchmark of the public portal under gunicorn on loopback (issue 13, "Performance"): legal-help submissions/s
and tracking-code look-ups/s (p95 latency at the shipped scrypt cost) against a bare Flask page served the same
way in the same run.

    .venv/bin/python bench/portal.py [--quick] [--workers 2] [--clients 2]

Two gunicorn servers on 127.0.0.1:8130 (bare page) and 8131 (caseflow over a fresh migrated SQLite database),
both with the same workers; clients are threads keeping one HTTP connection each. The last line is one JSON
object: {"submit_ratio", "lookup_p95_ms", "submits_per_s", "lookups_per_s", "bare_per_s", "hash_ms"}."""
from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import Flask

#: the baseline: the cheapest page Flask can serve, under the same gunicorn
bare_app = Flask("bare")


@bare_app.route("/")
def bare_page():
    return "<!doctype html><title>bare</title><p>ok</p>"


BARE_PORT, APP_PORT = 8130, 8131
LEGAL_HELP = {"full_name": "Nguyễn Thị Lan", "member": "member", "employer_name": "Công ty TNHH May mặc Quy Nhơn",
              "dispute_type": "wages", "need": "consultation", "facts": "Công ty nợ lương ba tháng nay.",
              "wish": "Được trả đủ tiền lương.", "contact": "portal", "consent": "y"}


class Client:
    """One keep-alive connection with its own cookies (one person at the portal)."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _eq, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, text


def token_and_unit(html: str) -> tuple[str, str]:
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    unit = re.search(r'<select[^>]*name="unit_id"[^>]*>\s*<option[^>]*value="(\d+)"', html).group(1)
    return token, unit


def wait_for(port: int, deadline: float = 60) -> None:
    end = time.time() + deadline
    while time.time() < end:
        try:
            Client(port).request("GET", "/")
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn on port {port} did not answer")


def run_clients(clients: int, work) -> tuple[float, list[float]]:
    """Run work(client_index, latencies) in `clients` threads; (wall seconds, every latency)."""
    latencies: list[float] = []
    lock = threading.Lock()

    def runner(i):
        mine: list[float] = []
        work(i, mine)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start, latencies


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values)


def prepare(instance: Path) -> dict:
    """A migrated database with the demo organisation; the environment both servers need."""
    env = {**os.environ, "CASEFLOW_INSTANCE_PATH": str(instance),
           "CASEFLOW_DATABASE_URL": f"sqlite:///{instance / 'caseflow.db'}",
           "CASEFLOW_SECRET_KEY": "bench-secret", "CASEFLOW_AUDIT_KEY": "bench-audit",
           "CASEFLOW_PORTAL_SUBMIT_LIMIT": "1000000 per hour", "CASEFLOW_PORTAL_LOOKUP_LIMIT": "1000000 per hour",
           "PYTHONPATH": str(ROOT)}
    code = ("from flask_migrate import upgrade\nfrom caseflow import create_app\nfrom caseflow.extensions import db\n"
            "from caseflow.demo import build_tree, create_users\napp = create_app()\nwith app.app_context():\n"
            "    upgrade()\n    create_users(db.session, build_tree(db.session))\n")
    subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)
    return env


def gunicorn(target: str, port: int, workers: int, env: dict, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", "1",
                             "--bind", f"127.0.0.1:{port}", "--log-level", "warning", target],
                            env=env, cwd=str(cwd), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few requests only (CI smoke run, < 30 s)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=2)
    args = parser.parse_args()
    n_bare, n_submit, n_lookup = (200, 12, 20) if args.quick else (2000, 100, 200)

    from caseflow.portal import codes

    start = time.perf_counter()
    codes.hash_secret("0123456789", "pepper")
    hash_ms = (time.perf_counter() - start) * 1000

    instance = Path(tempfile.mkdtemp(prefix="cf13-bench-"))
    servers = []
    try:
        env = prepare(instance)
        servers.append(gunicorn("portal:bare_app", BARE_PORT, args.workers, env, ROOT / "bench"))
        servers.append(gunicorn("caseflow:create_app()", APP_PORT, args.workers, env, ROOT))
        wait_for(BARE_PORT)
        wait_for(APP_PORT)

        def bare(i, lat):
            c = Client(BARE_PORT)
            for _ in range(n_bare // args.clients):
                t = time.perf_counter()
                status, _body = c.request("GET", "/")
                assert status == 200
                lat.append(time.perf_counter() - t)

        bare_wall, _lat = run_clients(args.clients, bare)
        bare_per_s = n_bare / bare_wall

        codes_seen: list[str] = []

        def submit(i, lat):
            c = Client(APP_PORT)
            token, unit = token_and_unit(c.request("GET", "/cong-khai/yeu-cau-tu-van")[1])
            for _ in range(n_submit // args.clients):
                t = time.perf_counter()
                status, _body = c.request("POST", "/cong-khai/yeu-cau-tu-van",
                                          {**LEGAL_HELP, "csrf_token": token, "unit_id": unit})
                lat.append(time.perf_counter() - t)
                assert status == 302, status
                shown = c.request("GET", "/cong-khai/bien-nhan")[1]  # not timed: the code, shown once
                codes_seen.append(re.search(r'id="tracking-code">([^<]+)<', shown).group(1))

        submit_wall, _lat = run_clients(args.clients, submit)
        submits_per_s = n_submit / submit_wall

        def lookup(i, lat):
            c = Client(APP_PORT)
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                              c.request("GET", "/cong-khai/tra-cuu")[1]).group(1)
            for k in range(n_lookup // args.clients):
                code = codes_seen[(i + k * args.clients) % len(codes_seen)]
                t = time.perf_counter()
                status, _body = c.request("POST", "/cong-khai/tra-cuu", {"csrf_token": token, "code": code})
                lat.append(time.perf_counter() - t)
                assert status == 302, status

        lookup_wall, lookup_lat = run_clients(args.clients, lookup)
        lookups_per_s = n_lookup / lookup_wall
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(instance, ignore_errors=True)

    result = {"submit_ratio": round(submits_per_s / bare_per_s, 4), "lookup_p95_ms": round(p95(lookup_lat) * 1000, 1),
              "submits_per_s": round(submits_per_s, 1), "lookups_per_s": round(lookups_per_s, 1),
              "bare_per_s": round(bare_per_s, 1), "hash_ms": round(hash_ms, 1)}
    print(f"bare Flask page: {bare_per_s:.0f} req/s ({args.workers} gunicorn workers, {args.clients} clients)")
    print(f"legal-help submissions: {submits_per_s:.1f}/s = {result['submit_ratio']:.3f} x the bare page")
    print(f"code look-ups: {lookups_per_s:.1f}/s, p95 {result['lookup_p95_ms']} ms (one scrypt hash here: "
          f"{hash_ms:.0f} ms, {codes.DEFAULT_METHOD})")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
