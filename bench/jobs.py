"""Benchmark of the background jobs (issue 11, "Performance"): a no-op job's enqueue-to-done latency (p50,
p95) and throughput on Huey's SQLite storage and on Redis, against the same no-op called directly in the same
run; and the e-mail outbox drained into a local SMTP sink (messages/s).

    .venv/bin/python bench/jobs.py [--quick] [--redis redis://127.0.0.1:6379/15] [--outbox-threads 4]

Each queue is consumed in this process by Huey's consumer (2 threads, the settings of `caseflow worker`);
latency: one job at a time, from enqueue to the consumer's "complete" signal; throughput: a burst of jobs,
enqueue of the first to completion of the last. Redis uses its own db number and a queue name of this run,
flushed at the end. The last line is one JSON object:
{"sqlite_jobs_per_s", "redis_jobs_per_s", "redis_p95_ms", "outbox_per_s"} (goals: Redis p95 < 50 ms,
outbox >= 100 messages/s)."""
from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from huey.signals import SIGNAL_COMPLETE

from caseflow import create_app
from caseflow.extensions import db


def make_app(instance: Path, db_url: str, **config):
    return create_app({"INSTANCE_PATH": str(instance), "DATABASE_URL": db_url, "AUDIT_HMAC_KEY": "bench",
                       "JOBS_IMMEDIATE": False, **config})


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def measure_queue(app, latency_jobs: int, burst_jobs: int) -> dict:
    from caseflow.jobs.queue import huey_of
    from caseflow.jobs.tasks import tasks_of

    huey, noop = huey_of(app), tasks_of(app).noop
    huey.flush()
    done: dict[str, float] = {}
    finished = threading.Condition()

    @huey.signal(SIGNAL_COMPLETE)
    def _complete(signal, task, *args):
        with finished:
            done[task.id] = time.perf_counter()
            finished.notify_all()

    consumer = huey.create_consumer(workers=2, worker_type="thread", periodic=False, initial_delay=0.05,
                                    backoff=1.5, max_delay=1.0)
    consumer.start()
    try:
        time.sleep(0.3)
        latencies = []
        for _ in range(latency_jobs):
            task = noop.s()
            start = time.perf_counter()
            huey.enqueue(task)
            with finished:
                finished.wait_for(lambda t=task: t.id in done, timeout=30)
            latencies.append((done[task.id] - start) * 1000)
        tasks = [noop.s() for _ in range(burst_jobs)]
        start = time.perf_counter()
        for task in tasks:
            huey.enqueue(task)
        with finished:
            finished.wait_for(lambda: all(t.id in done for t in tasks), timeout=120)
        elapsed = max(done[t.id] for t in tasks) - start
    finally:
        consumer.stop(graceful=True)
        huey.flush()
    return {"p50_ms": statistics.median(latencies), "p95_ms": pct(latencies, 95), "jobs_per_s": burst_jobs / elapsed}


def measure_direct(app, n: int) -> float:
    from caseflow.jobs.tasks import tasks_of

    noop = tasks_of(app).noop
    start = time.perf_counter()
    for _ in range(n):
        noop.call_local()
    return n / (time.perf_counter() - start)


def measure_outbox(app, n: int, threads: int) -> tuple[float, float]:
    """n messages queued, then drained by `threads` drainers at once (the worker's threads: claims keep them
    apart) into an SMTP sink running in its own process."""
    import subprocess

    from sqlalchemy import func, select

    from caseflow.jobs.models import OutboxMessage
    from caseflow.jobs.outbox import deliver_due, queue_message
    from tests.smtp_sink import free_port

    port = free_port()
    sink = subprocess.Popen([sys.executable, "-c", f"from tests.smtp_sink import serve_until_stdin_closes as s; s({port})"],
                            cwd=str(ROOT), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert sink.stdout.readline().strip() == "ready"
        # the baseline: the same messages straight to the same sink over one connection, no outbox
        import smtplib
        from email.message import EmailMessage

        start = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            for i in range(n):
                msg = EmailMessage()
                msg["Subject"], msg["From"], msg["To"] = f"[caseflow] thông báo {i}", "caseflow@bench.test", "x@y.z"
                msg.set_content("nội dung")
                smtp.send_message(msg)
        direct = n / (time.perf_counter() - start)
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_FROM="caseflow@bench.test")
        with app.app_context():
            for i in range(n):
                queue_message(db.session, f"can-bo{i}@bench.test", f"[caseflow] thông báo {i}", "nội dung",
                              kind="bench")
            db.session.commit()  # the kick lands in a queue nobody consumes here: the drainers below send it
            db.session.remove()

        def drain():
            with app.app_context():
                deliver_due(db.session, app.config, limit=20)
                db.session.remove()

        workers = [threading.Thread(target=drain) for _ in range(threads)]
        start = time.perf_counter()
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        elapsed = time.perf_counter() - start
        with app.app_context():
            sent = db.session.scalar(select(func.count()).where(OutboxMessage.status == "sent"))
            db.session.remove()
        accepted = int(sink.communicate("", timeout=30)[0].strip())
        assert sent == n and accepted == 2 * n, (sent, n, accepted)
    finally:
        if sink.poll() is None:
            sink.kill()
    return n / elapsed, direct


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (CI)")
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15"))
    parser.add_argument("--outbox-threads", type=int, default=2, help="drainers at once (caseflow worker -w N)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    latency_jobs, burst, mails = (50, 200, 200) if args.quick else (300, 2000, 1000)
    work = Path(tempfile.mkdtemp(prefix="caseflow-bench-jobs-"))
    db_url = f"sqlite:///{work / 'caseflow.db'}"
    sqlite_app = make_app(work / "instance", db_url)
    with sqlite_app.app_context():
        from flask_migrate import upgrade

        upgrade()
    direct = measure_direct(sqlite_app, 10000)
    print(f"direct no-op: {direct:,.0f} calls/s")
    sq = measure_queue(sqlite_app, latency_jobs, burst)
    print(f"SQLite queue: p50 {sq['p50_ms']:.1f} ms, p95 {sq['p95_ms']:.1f} ms, {sq['jobs_per_s']:,.0f} jobs/s")
    redis_app = make_app(work / "instance-redis", db_url, REDIS_URL=args.redis,
                         JOBS_QUEUE_NAME=f"caseflow-bench-{os.getpid()}")
    rd = measure_queue(redis_app, latency_jobs, burst)
    print(f"Redis queue:  p50 {rd['p50_ms']:.1f} ms, p95 {rd['p95_ms']:.1f} ms, {rd['jobs_per_s']:,.0f} jobs/s")
    from caseflow.jobs.queue import huey_of

    huey_of(redis_app).storage.flush_all()
    outbox, smtp_direct = measure_outbox(sqlite_app, mails, args.outbox_threads)
    print(f"outbox into a local SMTP sink: {outbox:,.0f} messages/s ({mails} messages, {args.outbox_threads} "
          f"drainers); the same sink fed directly by smtplib: {smtp_direct:,.0f} messages/s")
    print(json.dumps({"sqlite_jobs_per_s": round(sq["jobs_per_s"], 1), "redis_jobs_per_s": round(rd["jobs_per_s"], 1),
                      "redis_p95_ms": round(rd["p95_ms"], 2), "outbox_per_s": round(outbox, 1),
                      "smtp_direct_per_s": round(smtp_direct, 1),
                      "direct_calls_per_s": round(direct), "sqlite_p95_ms": round(sq["p95_ms"], 2),
                      "redis_p50_ms": round(rd["p50_ms"], 2)}))


if __name__ == "__main__":
    main()
