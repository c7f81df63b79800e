"""Two hosts in one test, as deployed: two `caseflow serve` processes (gunicorn) on their own ports and two
`caseflow worker` processes, each with its own instance folder, on one PostgreSQL database and one Redis
queue, sharing only the secrets an operator gives every host. A legal officer signs in over HTTP and the
intakes and transitions are spread over both servers (CSRF tokens read off the pages, as a browser does);
both workers' schedulers are due in the same minute -> the sweep runs once per slot, each notice is
e-mailed once, no job is lost, `caseflow audit verify` passes."""
from __future__ import annotations

import http.cookiejar
import re
import secrets
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from caseflow.core.clock import local_today
from caseflow.core.models import Case, CaseEvent, User
from caseflow.deadlines.models import Notification
from caseflow.extensions import db
from caseflow.jobs.models import JobRun, OutboxMessage
from tests.conftest import private_redis_queue
from tests.smtp_sink import running_sink
from tests.test_ops_serve import caseflow, caseflow_env, free_port
from tests.test_web_cases import hidden_fields

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
REDIS_URL = "redis://127.0.0.1:6379/14"
CASES = 4
#: the legal officer (no second factor) who takes the requests, and the leader told of breaches too
OFFICER, LEADER = "tuvan1", "lanhdao"
EMAILS = {OFFICER: "tuvan1@ldld.test", LEADER: "lanhdao@ldld.test"}
INTAKE = {"channel": "walk_in", "party_status": "member", "need": "litigation", "dispute_type": "wages",
          "employer_name": "Công ty CP Gỗ Thành Đạt", "facts": "Công ty nợ lương 2 tháng.",
          "worker_phone": "0905 123 456", "worker_is_member": "y"}
#: how long each wait may take: generous for a loaded machine, bounded so that a hang fails
BOOT_SECONDS, WORK_SECONDS = 60, 45


@pytest.fixture
def sink():
    with running_sink() as s:
        yield s


@pytest.fixture
def redis_queue(backend):
    if backend != "postgresql":
        pytest.skip("two hosts share a PostgreSQL database (CASEFLOW_TEST_POSTGRES_URL)")
    with private_redis_queue(REDIS_URL, "caseflow-two-hosts") as name:
        yield name


class Browser:
    """A cookie jar and no automatic redirects: each answer is checked as it comes. Cookies do not depend on
    the port, so one signed session cookie serves both hosts (they share SECRET_KEY, as deployed)."""

    def __init__(self):
        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  NoRedirect)

    def request(self, url: str, data: dict | None = None) -> tuple[int, dict, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(urllib.request.Request(url, data=body), timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as exc:  # a 3xx (redirects are not followed) or 4xx/5xx
            return exc.code, dict(exc.headers), exc.read().decode(errors="replace")

    def hidden_inputs(self, url: str, action: str) -> dict:
        """GET the page and read the hidden inputs (CSRF token, expected version) of the form posting to `action`."""
        status, _h, page = self.request(url)
        assert status == 200, (url, status, page[:500])
        # a form without an action posts to its own page
        pattern = r'<form(?![^>]*action=)[^>]*method="post"' if action == urllib.parse.urlsplit(url).path \
            else r'<form[^>]*action="' + re.escape(action) + '"'
        form = re.search(pattern + r".*?</form>", page, re.DOTALL)
        assert form, f"no form posting to {action} on {url}"
        return hidden_fields(form.group(0))

    def post_form(self, base: str, page: str, action: str, data: dict) -> tuple[int, dict, str]:
        return self.request(base + action, {**self.hidden_inputs(base + page, action), **data})


class Hosts:
    """The started processes and their logs: always stopped, and their logs shown when something fails."""

    def __init__(self, tmp: Path):
        self.tmp, self.procs = tmp, []

    def start(self, name: str, args: list[str], env: dict) -> subprocess.Popen:
        log = self.tmp / f"{name}.log"
        proc = subprocess.Popen(caseflow(*args), env=env, cwd=str(self.tmp), stdout=log.open("ab"),
                                stderr=subprocess.STDOUT)
        self.procs.append((name, proc, log))
        return proc

    def logs(self) -> str:
        return "\n".join(f"----- {name} (exit {proc.poll()}) -----\n{log.read_text(errors='replace')[-4000:]}"
                         for name, proc, log in self.procs)

    def log_of(self, name: str) -> str:
        return next(log for n, _p, log in self.procs if n == name).read_text(errors="replace")

    def stop(self) -> None:
        for _name, proc, _log in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for _name, proc, _log in self.procs:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)

    def wait(self, predicate, seconds: float, what: str) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for name, proc, _log in self.procs:
                if proc.poll() is not None:
                    raise AssertionError(f"{name} exited with {proc.returncode} while waiting for {what}")
            if predicate():
                return
            time.sleep(0.2)
        raise AssertionError(f"timed out after {seconds} s waiting for {what}")


def ready(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/readyz", timeout=3) as response:
            return response.status == 200
    except OSError:  # not listening yet, or 503 while a check fails
        return False


def counts(app) -> dict:
    with app.app_context():
        s = db.session
        result = {
            "sweeps_done": s.scalar(select(func.count()).select_from(JobRun).where(
                JobRun.job == "deadline_sweep", JobRun.status == "done")),
            "outbox": s.scalar(select(func.count()).select_from(OutboxMessage)),
            "sent": s.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "sent")),
        }
        s.remove()
    return result


def test_two_servers_two_workers_one_database_one_queue(app, org, sink, tmp_path, redis_queue):
    with app.app_context():  # the only set-up outside HTTP: the staff's e-mail addresses
        for username, address in EMAILS.items():
            db.session.scalar(select(User).where(User.username == username)).email = address
        db.session.commit()
        db.session.remove()
    shared = {"CASEFLOW_SECRET_KEY": secrets.token_hex(16), "CASEFLOW_JOBS_REDIS_URL": REDIS_URL,
              "CASEFLOW_JOBS_QUEUE_NAME": redis_queue, "CASEFLOW_JOBS_IMMEDIATE": "false",
              "CASEFLOW_MAIL_SERVER": "127.0.0.1", "CASEFLOW_MAIL_PORT": str(sink.port),
              "CASEFLOW_TRANSLATIONS_DIR": app.config["TRANSLATIONS_DIR"], "CASEFLOW_DEADLINE_SWEEP_MINUTES": "1",
              "CASEFLOW_LOG_JSON": "1"}
    url = app.config["SQLALCHEMY_DATABASE_URI"]

    def env(name: str) -> dict:
        return {k: v for k, v in caseflow_env(tmp_path / name, url, **shared).items()
                if k not in ("CASEFLOW_REDIS_URL", "CASEFLOW_STORAGE_DIR")}

    hosts = Hosts(tmp_path)
    try:
        bases = []
        for name in ("web1", "web2"):
            port = free_port()
            hosts.start(name, ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"], env(name))
            bases.append(f"http://127.0.0.1:{port}")
        hosts.wait(lambda: all(ready(b) for b in bases), BOOT_SECONDS, "both servers' /readyz")

        browser = Browser()
        status, headers, body = browser.post_form(bases[0], "/login", "/login",
                                                  {"username": OFFICER, "password": "caseflow2026"})
        # every gunicorn worker of both hosts knows the session (none reuses another request's user)
        assert [browser.request(b + "/cases/")[0] for b in bases for _i in range(4)] == [200] * 8
        assert status == 302 and "two-factor" not in headers["Location"], (status, body[:500])
        breach_known = (local_today() - timedelta(days=200)).isoformat()  # past the 6-month limitation
        case_ids = []
        for i in range(CASES):  # each request taken on one host, consulted on the other
            opened_on, fired_on = bases[i % 2], bases[(i + 1) % 2]
            status, headers, body = browser.post_form(opened_on, "/legal-aid/new", "/legal-aid/new", {
                **INTAKE, "unit_id": str(org["units"]["province"]), "received_date": local_today().isoformat(),
                "worker_name": f"Nguyễn Văn Ánh {i}", "breach_known_date": breach_known})
            assert status == 302 and "/cases/" in headers["Location"], (status, body[:2000])
            case_id = int(headers["Location"].rstrip("/").rsplit("/", 1)[1])
            case_ids.append(case_id)
            status, headers, body = browser.post_form(fired_on, f"/cases/{case_id}",
                                                      f"/cases/{case_id}/fire/start_consultation",
                                                      {"start_consultation-comment": "Tiếp nhận tư vấn."})
            assert status == 302, (status, body[:2000])
        status, _h, body = browser.request(bases[1] + f"/cases/{case_ids[0]}")
        assert status == 200 and "Nguyễn Văn Ánh 0" in body  # the session signed on web1 reads on web2

        # both schedulers due in the same minute: a worker enqueues the periodic jobs when it starts, so
        # start both early in a minute (a boot takes seconds), never straddling its end
        if datetime.now(UTC).second > 30:
            time.sleep(61 - datetime.now(UTC).second)
        for name in ("worker1", "worker2"):
            hosts.start(name, ["worker", "--workers", "2"], env(name))
        expected_mail = CASES * len(EMAILS)  # one breach per case, told to its officer and to the leader
        hosts.wait(lambda: (c := counts(app))["sweeps_done"] >= 1 and c["sent"] == c["outbox"] == expected_mail,
                   WORK_SECONDS, f"a sweep and {expected_mail} notices e-mailed")
        # both schedulers enqueued that slot's sweep: the copy that came second found the slot taken
        hosts.wait(lambda: any("already ran on another worker" in hosts.log_of(w) for w in ("worker1", "worker2")),
                   10, "the second scheduler's sweep to skip")

        from huey import RedisHuey

        queue = RedisHuey(redis_queue, url=REDIS_URL)
        hosts.wait(lambda: queue.pending_count() == 0, 10, "the queue to empty")  # no job left behind
        with app.app_context():
            s = db.session
            sweeps = s.execute(select(JobRun.slot_dt, JobRun.status, JobRun.worker).where(
                JobRun.job == "deadline_sweep")).all()
            assert len(sweeps) == len({r.slot_dt for r in sweeps}) and {r.status for r in sweeps} == {"done"}
            cases = s.execute(select(Case.state, Case.assignee_id).where(Case.id.in_(case_ids))).all()
            assert cases == [("consulting", org["users"][OFFICER])] * CASES
            triggers = s.scalars(select(CaseEvent.trigger).where(CaseEvent.case_id.in_(case_ids))).all()
            assert sorted(triggers) == sorted(["open", "start_consultation", "deadline_breached"] * CASES)
            notices = s.execute(select(Notification.user_id, Notification.case_id).where(
                Notification.kind == "breached")).all()
            assert sorted(notices) == sorted((org["users"][u], c) for u in EMAILS for c in case_ids)
            assert s.scalar(select(func.count()).select_from(OutboxMessage)) == expected_mail
            s.remove()
        assert len(sink.accepted) == expected_mail and len({m for m, _t, _s in sink.accepted}) == expected_mail
        assert sorted(t for _m, t, _s in sink.accepted) == sorted(list(EMAILS.values()) * CASES)
        verify = subprocess.run(caseflow("audit", "verify"), check=False, env=env("auditor"), cwd=str(tmp_path),
                                capture_output=True, text=True, timeout=60)
        assert verify.returncode == 0, verify.stdout + verify.stderr
        for name in ("web1", "web2"):  # each server took its share of the intakes and of the transitions
            log = hosts.log_of(name)
            assert '"endpoint": "legal_aid.new_case"' in log and '"endpoint": "cases.fire_trigger"' in log
    except BaseException:
        print(hosts.logs())
        raise
    finally:
        hosts.stop()
