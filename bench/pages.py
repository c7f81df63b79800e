"""Pages at scale under real HTTP load (issue 12): caseflow under gunicorn against a bare Flask hello world.

For SQLite (a temporary file) and PostgreSQL (a fresh database on 127.0.0.1:5432, dropped afterwards), in one
run: seeds `--cases` rows with the project's bulk generator (bench/bulkgen.py: legal aid, complaints,
denunciations, letters), then a few dozen legal-aid cases walked through the engine up to conciliation (they
carry audit chains, document drafts and deadlines, and take the fires), an open deadline on every open bulk
legal-aid case and a handler on it (as the engine's first step would); serves caseflow with `caseflow serve`'s
gunicorn settings (caseflow.ops.serve: 2 sync workers, --preload) and a bare Flask "hello world" under the same
settings; signs in over HTTP (password, then the demo user's TOTP code); drives each page with wrk (16
connections, bounded in time) and reads its figures from the Lua `done()` hook as JSON.

Pages: the case list (plain, filtered, searched without diacritics), a case detail, the document register, the
KPI dashboard, the deadlines work queue, the home page, and a fire (POST /api/cases/<id>/fire, `record_hearing`
on the conciliation cases in turn: a real engine transition, one audit event each, version read back from each
answer). cold_ratio: after gunicorn restarts its workers (HUP), each worker's first request of the home page
against its later ones.

Last line: {"list_ratio", "detail_ratio", "register_ratio", "dashboard_ratio", "queue_ratio", "fire_ratio",
"cold_ratio", ..., "pg": {same keys}} (requests/s against hello world's; the top level is SQLite's).
Usage: .venv/bin/python bench/pages.py [--cases N] [--duration S] [--quick] [--no-pg] [--profile PAGE]
(--quick: 3,000 cases, 1 s a page; --profile PAGE: pyinstrument over that page in-process, no load run)."""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import date, timedelta
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
AUDIT_KEY = "bench-pages-audit-key"
SECRET_KEY = "bench-pages-secret-key"
PASSWORD = "caseflow2026"
#: the user of the page loads (a legal officer of the province: lists, registers, reports, the queue, fires)
USER = "tuvan1"
#: the conciliation path up to a forum where hearings can be recorded again and again (bench/engine.py's)
OPENING = [("start_consultation", "tuvan1"), ("propose_representation", "tuvan1"),
           ("approve_representation", "lanhdao"), ("sign_authorisation", "tuvan1"),
           ("start_conciliation", "tuvan1")]
RATIO_KEYS = {"list": "list_ratio", "detail": "detail_ratio", "register": "register_ratio",
              "dashboard": "dashboard_ratio", "queue": "queue_ratio", "fire": "fire_ratio"}

DONE_LUA = r"""
local threads = {}
bad = 0
function setup(thread) thread:set("tid", #threads); table.insert(threads, thread) end
function response(status, headers, body) if status ~= 200 then bad = bad + 1 end end
function done(summary, latency, requests)
  local nbad = 0
  for _, t in ipairs(threads) do nbad = nbad + (t:get("bad") or 0) end
  local e = summary.errors
  io.write(string.format('WRK_JSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p95_us":%d,"p99_us":%d,' ..
    '"max_us":%d,"non_200":%d,"socket_errors":%d}\n', summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, nbad,
    e.connect + e.read + e.write + e.timeout))
end
"""

FIRE_LUA = r"""
-- every request is one fire on the next conciliation case of this thread (cases are split by thread so that
-- no two requests in flight meet the same case); each answer gives the case's new version
cases = {%(cases)s}
versions = {%(versions)s}
nthreads = %(threads)d
cookie = "%(cookie)s"
function init(args)
  mine = {}
  for i, id in ipairs(cases) do if (i - 1) %% nthreads == tid then table.insert(mine, id) end end
  n = 0
end
function request()
  n = n %% #mine + 1
  local id = mine[n]
  local body = string.format('{"trigger":"record_hearing","data":{"hearing_date":"%(today)s",' ..
    '"hearing_result":"held"},"comment":"Ghi nhận phiên hòa giải.","expected_version":%%d}', versions[id])
  return wrk.format("POST", "/api/cases/" .. id .. "/fire",
                    {["Content-Type"] = "application/json", ["Cookie"] = cookie}, body)
end
function response(status, headers, body)
  if status == 200 then
    local c = body:match('"case":%%s*(%%b{})')
    if c then versions[tonumber(c:match('"id":%%s*(%%d+)'))] = tonumber(c:match('"version":%%s*(%%d+)')) end
  else
    bad = bad + 1
  end
end
"""


# ---------------------------------------------------------------------------------------------- servers

def hello_app():
    from flask import Flask

    app = Flask("hello")

    @app.route("/")
    def hello():
        return "Hello, World!"
    return app


def serve_main(which: str, port: int, workers: int) -> None:
    """The server process: caseflow exactly as `caseflow serve` runs it, or hello world under the same options."""
    from caseflow.ops.serve import CaseflowServer, options, serve

    if which == "hello":
        CaseflowServer(hello_app(), options("127.0.0.1", port, workers)).run()
    else:
        from caseflow import create_app

        serve(create_app(), "127.0.0.1", port, workers)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A gunicorn master in a child process (its own process group), stopped on exit."""

    def __init__(self, which: str, env: dict, log: Path, workers: int = 2):
        self.port, self.log = free_port(), log
        with open(log, "wb") as errors:  # the child keeps its own copy of the descriptor
            self.proc = subprocess.Popen([sys.executable, __file__, "--serve", which, "--port", str(self.port),
                                          "--workers", str(workers)], env={**os.environ, **env},
                                         stdout=subprocess.DEVNULL, stderr=errors, start_new_session=True)
        self.workers = workers
        self.wait_ready()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> set[int]:
        try:
            out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.proc.pid)], capture_output=True,
                                 text=True, check=False).stdout
        except OSError:
            return set()
        return {int(p) for p in out.split()}

    def wait_ready(self, old: set[int] = frozenset(), timeout: float = 120) -> None:
        """The workers are forked and the port accepts (a TCP connect only: no request reaches a worker)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited ({self.proc.returncode}):\n{self.log.read_text()[-3000:]}")
            pids = self.worker_pids() - set(old)
            if len(pids) >= self.workers and not (self.worker_pids() & set(old)):
                with socket.socket() as s:
                    if s.connect_ex(("127.0.0.1", self.port)) == 0:
                        time.sleep(0.5)  # the workers' post_fork and first accept()
                        return
            time.sleep(0.1)
        raise SystemExit(f"server not ready after {timeout} s:\n{self.log.read_text()[-3000:]}")

    def restart_workers(self) -> None:
        old = self.worker_pids()
        os.kill(self.proc.pid, signal.SIGHUP)  # new workers forked from the preloaded master, old ones stopped
        self.wait_ready(old)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


# ---------------------------------------------------------------------------------------------- HTTP client

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert match, "no CSRF token on the form"
    return match.group(1)


def sign_in(base: str, username: str) -> str:
    """Log in over HTTP as a browser would (the form's CSRF token, the password, the TOTP code when the role
    needs one); returns the Cookie header that carries the session."""
    import pyotp

    from caseflow.demo import demo_totp_secret

    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)

    def call(path: str, form: dict | None = None):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with opener.open(base + path, data=data, timeout=60) as r:
                return r.status, r.headers, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read().decode(errors="replace")

    status, _h, html = call("/login")
    assert status == 200, f"GET /login: {status}"
    status, headers, _body = call("/login", {"username": username, "password": PASSWORD, "csrf_token": _csrf(html)})
    assert status == 302, f"login of {username}: {status}"
    if "/login/two-factor" in headers.get("Location", ""):
        status, _h, html = call("/login/two-factor")
        code = pyotp.TOTP(demo_totp_secret(username)).now()
        status, headers, _body = call("/login/two-factor", {"code": code, "csrf_token": _csrf(html)})
        assert status == 302, f"second factor of {username}: {status}"
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def get(url: str, cookie: str = "") -> tuple[int, float]:
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    start = time.perf_counter()
    try:
        with opener.open(request, timeout=120) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        status = e.code
    return status, (time.perf_counter() - start) * 1000


def fire_once(base: str, cookie: str, case_id: int, version: int, today: date) -> int:
    """One fire as the Lua script sends it, checked (200, the new version): returns the case's new version."""
    body = json.dumps({"trigger": "record_hearing", "data": {"hearing_date": today.isoformat(),
                                                             "hearing_result": "held"},
                       "comment": "Ghi nhận phiên hòa giải.", "expected_version": version}).encode()
    request = urllib.request.Request(f"{base}/api/cases/{case_id}/fire", data=body, method="POST",
                                     headers={"Cookie": cookie, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=120) as r:
            answer = json.loads(r.read())
    except urllib.error.HTTPError as e:
        raise SystemExit(f"fire refused: {e.code} {e.read()[:500]!r}") from None
    return answer["case"]["version"]


# ---------------------------------------------------------------------------------------------- wrk

def wrk(url: str, duration: int, connections: int, threads: int, script: str, cookie: str = "",
        tmp: Path | None = None) -> dict:
    path = Path(tempfile.mkstemp(suffix=".lua", dir=tmp)[1])
    path.write_text(script)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, duration)}s", "--timeout", "30s",
               "-s", str(path)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("WRK_JSON "))
    raw = json.loads(line[len("WRK_JSON "):])
    seconds = raw["duration_us"] / 1e6
    return {"rps": round(raw["requests"] / seconds, 1), "p50_ms": round(raw["p50_us"] / 1000, 1),
            "p95_ms": round(raw["p95_us"] / 1000, 1), "p99_ms": round(raw["p99_us"] / 1000, 1),
            "requests": raw["requests"], "non_200": raw["non_200"], "socket_errors": raw["socket_errors"]}


def fire_script(cases: dict[int, int], threads: int, cookie: str, today: date) -> str:
    body = FIRE_LUA % {"cases": ", ".join(str(c) for c in cases),
                       "versions": ", ".join(f"[{c}] = {v}" for c, v in cases.items()),
                       "threads": threads, "cookie": cookie, "today": today.isoformat()}
    return DONE_LUA + body  # FIRE_LUA's response() replaces DONE_LUA's


# ---------------------------------------------------------------------------------------------- data

def seed(url: str, instance: Path, cases: int, n_fire: int) -> dict:
    """Bulk cases, then engine cases up to conciliation, deadlines and handlers on the open bulk cases."""
    import random

    from flask_migrate import upgrade
    from sqlalchemy import select, text, update

    from bench.bulkgen import generate_indexed
    from caseflow import create_app
    from caseflow.core import clock, engine
    from caseflow.core.clock import local_today
    from caseflow.core.engine import get_registry
    from caseflow.core.models import Case
    from caseflow.core.models.org import PASSWORD_METHOD
    from caseflow.deadlines.generate import bulk_open
    from caseflow.deadlines.models import Deadline
    from caseflow.deadlines.service import load_calendar, rules_of
    from caseflow.demo import build_tree, create_users, step_data
    from caseflow.extensions import db
    from caseflow.legal_aid.models import LegalAidDetail

    PASSWORD_METHOD["method"] = "pbkdf2:sha256:1000"
    app = create_app({"INSTANCE_PATH": str(instance), "DATABASE_URL": url, "AUDIT_HMAC_KEY": AUDIT_KEY,
                      "SECRET_KEY": SECRET_KEY})
    rng = random.Random(12)
    with app.app_context():
        with contextlib.redirect_stderr(io.StringIO()):  # alembic's INFO lines (errors still raise)
            upgrade()
        units = build_tree(db.session)
        users = create_users(db.session, units)
        generate_indexed(db.session, cases, [u.id for u in units.values()])
        db.session.commit()
        # the open bulk legal-aid cases: a handler (as the first step's assign_actor_if_unassigned sets) and
        # the limitation deadline the intake opens (started 0-200 days ago: some due soon, some overdue),
        # through the deadlines' own bulk function
        officers = [users["tuvan1"].id, users["tuvan2"].id]
        open_ids = db.session.execute(select(Case.id, LegalAidDetail.breach_known_date).join(
            LegalAidDetail, LegalAidDetail.case_id == Case.id).where(Case.closed_dt.is_(None))).all()
        for k, officer in enumerate(officers):
            db.session.execute(update(Case).where(Case.id.in_([i for n, (i, _d) in enumerate(open_ids)
                                                                if n % len(officers) == k]))
                               .values(assignee_id=officer), execution_options={"synchronize_session": False})
        db.session.commit()
        definition = get_registry().get("legal_aid")
        rule = rules_of(definition)["limitation_conciliation"]
        today = local_today()
        bulk_open(db.session, load_calendar(db.session), rule,
                  [(i, today - timedelta(days=rng.randint(0, 200))) for i, _d in open_ids],
                  workflow="legal_aid", version=definition.version, now=clock.now())
        # engine cases: the fires' targets (and one more for the detail page), newest of all
        intake = {"channel": "walk_in", "party_status": "member", "need": "litigation", "dispute_type": "wages",
                  "is_collective": False, "employer_name": "Công ty TNHH May mặc Quy Nhơn",
                  "facts": "Công ty nợ lương 3 tháng, người lao động đề nghị công đoàn đại diện."}
        received = today - timedelta(days=20)
        walked = []
        for i in range(n_fire + 1):
            case = engine.open_case(db.session, "legal_aid", units["province"], users["vanthu"], intake,
                                    title=f"Nguyễn Văn Ánh {i} – Tiền lương", received_date=received,
                                    parties=[{"role": "worker", "full_name": f"Nguyễn Văn Ánh {i}",
                                              "confidential": False}])
            for trigger, who in OPENING:
                data, comment = step_data(trigger, rng, received, today)
                engine.fire(case, trigger, users[who], data, comment=comment or "Ghi nhận.")
            walked.append(case.id)
        versions = dict(db.session.execute(select(Case.id, Case.version).where(Case.id.in_(walked))).all())
        counts = {"cases": db.session.scalar(select(db.func.count()).select_from(Case)),
                  "deadlines": db.session.scalar(select(db.func.count()).select_from(Deadline))}
        db.session.commit()
        if url.startswith("sqlite"):
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        db.session.remove()
        db.engine.dispose()
    if url.startswith("postgresql"):
        from sqlalchemy import create_engine

        from caseflow.config import normalise_database_url

        eng = create_engine(normalise_database_url(url), isolation_level="AUTOCOMMIT")
        with eng.connect() as conn:
            conn.execute(text("VACUUM ANALYZE"))
        eng.dispose()
    detail_id = walked[-1]
    return {"app": app, "fire_cases": {c: versions[c] for c in walked[:-1]}, "detail_id": detail_id,
            "today": today, **counts}


def pages(detail_id: int) -> dict[str, str]:
    return {"list": "/cases/", "list_filtered": "/cases/?kind=legal_aid&state=consulting",
            "list_searched": "/cases/?q=nguyen+van+duc", "detail": f"/cases/{detail_id}",
            "register": "/documents/register", "dashboard": "/reports/legal-aid", "queue": "/deadlines/",
            "home": "/"}


# ---------------------------------------------------------------------------------------------- a backend

def parallel_gets(server: Server, path: str, cookie: str) -> list[float]:
    """One GET per worker at once (a sync worker takes one request at a time, so each goes to its own worker),
    each checked (200); their times in ms."""
    results = [0.0] * server.workers

    def one(k):
        status, ms = get(server.base + path, cookie)
        assert status == 200, (path, status)
        results[k] = ms
    threads = [threading.Thread(target=one, args=(k,)) for k in range(server.workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def cold(server: Server, cookie: str, path: str, rounds: int) -> dict:
    """Each worker's first request after a restart (HUP: new workers forked from the preloaded master)
    against its later ones, a request per worker at once in each round."""
    server.restart_workers()
    first = parallel_gets(server, path, cookie)
    later = [ms for _ in range(rounds) for ms in parallel_gets(server, path, cookie)]
    return {"first_ms": round(max(first), 1), "later_ms": round(statistics.median(later), 1),
            "cold_ratio": round(max(first) / statistics.median(later), 2)}


def run_backend(name: str, url: str, tmp: Path, args) -> dict:
    print(f"== {name}: seeding {args.cases:,} bulk cases and {args.fire_cases} engine cases", flush=True)
    start = time.perf_counter()
    data = seed(url, tmp / "instance", args.cases, args.fire_cases)
    print(f"   seeded in {time.perf_counter() - start:.1f} s: {data['cases']:,} cases, {data['deadlines']:,} "
          f"deadlines", flush=True)
    env = {"CASEFLOW_INSTANCE_PATH": str(tmp / "instance"), "CASEFLOW_DATABASE_URL": url,
           "CASEFLOW_AUDIT_KEY": AUDIT_KEY, "CASEFLOW_SECRET_KEY": SECRET_KEY, "PYTHONPATH": str(ROOT)}
    hello = Server("hello", env, tmp / f"hello-{name}.log")
    app = None
    try:
        app = Server("caseflow", env, tmp / f"caseflow-{name}.log")
        common = {"duration": args.duration, "connections": args.connections, "threads": args.threads, "tmp": tmp}
        results = {"hello": wrk(hello.base + "/", script=DONE_LUA, **common)}
        hello.stop()
        base = results["hello"]
        print(f"   {'hello world':<14} {base['rps']:>8.1f} req/s  p50 {base['p50_ms']:>7.1f} ms  "
              f"p95 {base['p95_ms']:>7.1f} ms", flush=True)
        cookie = sign_in(app.base, USER)
        for page, path in pages(data["detail_id"]).items():
            parallel_gets(app, path, cookie)  # checked (200) and warm on both workers: wrk measures steady state
            results[page] = wrk(app.base + path, script=DONE_LUA, cookie=cookie, **common)
        # one fire checked by hand on each worker's way (its first fire imports what firing needs)
        for case_id in list(data["fire_cases"])[:4]:
            data["fire_cases"][case_id] = fire_once(app.base, cookie, case_id, data["fire_cases"][case_id],
                                                    data["today"])
        results["fire"] = wrk(app.base + "/", script=fire_script(data["fire_cases"], args.threads, cookie,
                                                                 data["today"]), **common)
        for page, r in results.items():
            r["ratio"] = round(r["rps"] / base["rps"], 4)
            r["p95_vs_hello"] = round(r["p95_ms"] / base["p95_ms"], 1) if base["p95_ms"] else None
            if page != "hello":
                flag = "" if not (r["non_200"] or r["socket_errors"]) else \
                    f"  ({r['non_200']} non-200, {r['socket_errors']} socket errors)"
                print(f"   {page:<14} {r['rps']:>8.1f} req/s  p50 {r['p50_ms']:>7.1f} ms  p95 {r['p95_ms']:>7.1f} ms"
                      f"  {r['ratio']:.3f}x hello, p95 {r['p95_vs_hello']}x{flag}", flush=True)
        fired = _events_written(url, data["fire_cases"])
        c = cold(app, cookie, "/", args.cold_rounds)
        print(f"   cold: first request {c['first_ms']} ms, later {c['later_ms']} ms -> {c['cold_ratio']}x; "
              f"fires committed {fired:,} (4 checked by hand, wrk counted {results['fire']['requests'] - results['fire']['non_200']:,}"
              f" answered 200; a fire in flight when wrk stops is committed, not counted)", flush=True)
    finally:
        hello.stop()
        if app is not None:
            app.stop()
    summary = {key: results[page]["ratio"] for page, key in RATIO_KEYS.items()}
    summary.update({"cold_ratio": c["cold_ratio"], "home_ratio": results["home"]["ratio"],
                    "list_filtered_ratio": results["list_filtered"]["ratio"],
                    "list_searched_ratio": results["list_searched"]["ratio"],
                    "worst_p95_vs_hello": max(r["p95_vs_hello"] or 0 for p, r in results.items() if p != "hello"),
                    "hello_rps": base["rps"], "cases": data["cases"], "fires_committed": fired,
                    "pages": {p: {k: r[k] for k in ("rps", "p50_ms", "p95_ms", "non_200")} for p, r in results.items()},
                    "cold": c})
    return summary


def _events_written(url: str, fire_cases: dict[int, int]) -> int:
    """The fires the database holds (events of record_hearing on the fire cases): what wrk's 200s claim."""
    from sqlalchemy import create_engine, text

    from caseflow.config import normalise_database_url

    eng = create_engine(normalise_database_url(url))
    with eng.connect() as conn:
        n = conn.execute(text("SELECT count(*) FROM case_events WHERE trigger = 'record_hearing'")).scalar()
    eng.dispose()
    return n


# ---------------------------------------------------------------------------------------------- profile

def profile(page: str, tmp: Path, args) -> None:
    """pyinstrument over `--runs` test-client requests of one page, on SQLite (or --pg), after the seeding."""
    from pyinstrument import Profiler

    url = _pg_create(args) if args.pg_profile else f"sqlite:///{tmp / 'bench.db'}"
    try:
        data = seed(url, tmp / "instance", args.cases, args.fire_cases)
        app = data["app"]
        app.config["WTF_CSRF_ENABLED"] = False  # the test client signs in without the form's token
        client = app.test_client()
        from bench.signin import sign_in as client_sign_in

        client_sign_in(client, USER)
        path = pages(data["detail_id"])[page]
        assert client.get(path).status_code == 200
        times = []
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(args.runs):
            t0 = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - t0) * 1000)
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        print(json.dumps({"page": page, "median_ms": round(statistics.median(times), 1)}))
    finally:
        if args.pg_profile:
            _pg_drop(url)


# ---------------------------------------------------------------------------------------------- PostgreSQL

def _pg_admin():
    import psycopg

    return psycopg.connect(conninfo=PG_SERVER + "/postgres", autocommit=True, connect_timeout=5)


def _pg_create(args) -> str:
    name = f"cf_bench_pages_{int(time.time())}_{uuid.uuid4().hex[:6]}"
    with _pg_admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{PG_SERVER}/{name}"


def _pg_drop(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with _pg_admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# ---------------------------------------------------------------------------------------------- main

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--fire-cases", type=int, default=64, help="engine cases the fires go round")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--cold-rounds", type=int, default=10)
    parser.add_argument("--quick", action="store_true", help="3,000 cases, 1 s a page (a smoke run for CI)")
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    parser.add_argument("--profile", choices=sorted(pages(0)), help="profile one page in-process, no load run")
    parser.add_argument("--pg-profile", action="store_true", help="with --profile: on PostgreSQL")
    parser.add_argument("--runs", type=int, default=30, help="with --profile: requests profiled")
    parser.add_argument("--serve", choices=("hello", "caseflow"), help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve_main(args.serve, args.port, args.workers)
        return
    if args.quick:
        args.cases, args.duration, args.fire_cases, args.cold_rounds = 3_000, 1, 32, 5
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp_name:
        tmp = Path(tmp_name)
        if args.profile:
            profile(args.profile, tmp, args)
            return
        (tmp / "sqlite").mkdir()
        result = run_backend("sqlite", f"sqlite:///{tmp / 'sqlite' / 'bench.db'}", tmp / "sqlite", args)
        if not args.no_pg:
            try:
                url = _pg_create(args)
            except Exception as exc:  # noqa: BLE001 - no server here: said, and the SQLite figures still count
                print(f"warning: PostgreSQL at {PG_SERVER} not reachable ({exc}): its part skipped", file=sys.stderr)
                result["pg"] = {"skipped": "PostgreSQL not reachable"}
                url = None
        if not args.no_pg and url is not None:
            try:
                (tmp / "pg").mkdir()
                result["pg"] = run_backend("postgresql", url, tmp / "pg", args)
            finally:
                _pg_drop(url)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
