"""Deadline sweep benchmark (issue 3).

(a) idle: a sweep with nothing due over 10,000 and over 100,000 open deadlines; the cost must follow what is
    due, not the table size (target: 100k sweep <= 2x the 10k one);
(b) breach: a sweep that breaches 5,000 deadlines and writes their notifications and audit events, against
    the bare set-based UPDATE and INSERTs of the same rows through the driver (target <= 5x).
Runs on SQLite, and on PostgreSQL too when CASEFLOW_DATABASE_URL is set. Data is seeded with the project's
code: cases through engine.open_case, deadlines through caseflow.deadlines.generate.bulk_open.
Last line: {"idle_scaling": ..., "breach_ratio": ...} (the worst over the backends run).
Usage: .venv/bin/python bench/deadlines.py [--quick] [--profile]; --quick divides every size by 10."""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, func, select, text

from caseflow import create_app
from caseflow.config import normalise_database_url
from caseflow.core import clock, engine
from caseflow.core.models.org import PASSWORD_METHOD
from caseflow.deadlines.generate import bulk_open
from caseflow.deadlines.models import Deadline
from caseflow.deadlines.rules import parse_rules
from caseflow.deadlines.service import load_calendar
from caseflow.deadlines.sweep import sweep
from caseflow.demo import build_tree, create_users
from caseflow.extensions import db

#: cases, open deadlines of the small and the large idle sweep, deadlines breached (on every case, 5 each)
FULL = {"cases": 1000, "idle_small": 10_000, "idle_large": 100_000, "breaches": 5000, "repeat": 15}
QUICK = {"cases": 100, "idle_small": 1000, "idle_large": 10_000, "breaches": 500, "repeat": 5}
TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
KEY = b"bench-audit-key"
RULE = parse_rules({"resolution": {"ref": "denunciation.resolution", "start_on": ["open"],
                                   "extendable": {"on": "extend"}}}, "bench", None,
                   None)["resolution"]


def _timed(fn, repeat: int = 15) -> float:
    """The best of `repeat` runs: the machine's noise only ever adds time."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def _seed_cases(session, n: int) -> list[int]:
    PASSWORD_METHOD["method"] = "pbkdf2:sha256:1000"
    units = build_tree(session)
    users = create_users(session, units)
    rng = random.Random(3)
    clerk, officers = users["vanthu"], [users["tuvan1"], users["tuvan2"]]
    ids = []
    for i in range(n):
        case = engine.open_case(session, "legal_aid", units["province"], clerk,
                                {"channel": "walk_in", "party_status": "member", "need": "litigation",
                                 "dispute_type": "wages", "facts": "Công ty nợ lương."},
                                title=f"Vụ việc {i}", received_date=TODAY - timedelta(days=rng.randint(0, 60)),
                                assignee=rng.choice(officers), commit=False)
        ids.append(case.id)
    session.commit()
    return ids


def _far_starts(case_ids, n, rng):
    # due 30 calendar days after a start 10-300 days ahead: nothing due within the lead windows
    return [(rng.choice(case_ids), TODAY + timedelta(days=rng.randint(10, 300))) for _ in range(n)]


def _run_sweep(session, calendar):
    return sweep(session, calendar, KEY, today=TODAY, now=NOW)


def _bare_breach(session, n_events: int) -> float:
    """The same writes, set-based through the driver, without hashing or chain, committed: UPDATE the
    deadlines, INSERT the notifications (assignee + unit leaders), INSERT one event row per case (into a copy
    of case_events with its unique index: the real one refuses DELETE on PostgreSQL). Then undone, untimed."""
    session.rollback()
    conn = session.connection().connection.driver_connection
    pg = session.get_bind().dialect.name == "postgresql"
    p = "%s" if pg else "?"
    ts = NOW if pg else NOW.replace(tzinfo=None).isoformat(sep=" ")
    day = TODAY if pg else TODAY.isoformat()
    cur = conn.cursor()
    if pg:
        cur.execute("CREATE TABLE IF NOT EXISTS bench_events (LIKE case_events INCLUDING DEFAULTS INCLUDING INDEXES)")
    else:
        cur.execute("CREATE TABLE IF NOT EXISTS bench_events AS SELECT * FROM case_events WHERE 0")
        cur.execute("CREATE UNIQUE INDEX IF NOT EXISTS ux_bench_events ON bench_events (case_id, seq)")
    cur.execute(f"SELECT id, audit_seq FROM cases ORDER BY id LIMIT {int(n_events)}")
    heads = cur.fetchall()
    conn.commit()
    t0 = time.perf_counter()
    cur.execute(f"UPDATE deadlines SET status='breached', breached_dt={p} WHERE status='open' AND due_date < {p}",
                (ts, day))
    cur.execute(f"INSERT INTO notifications (user_id, case_id, deadline_id, kind, created_dt) "
                f"SELECT c.assignee_id, d.case_id, d.id, 'breached', {p} FROM deadlines d JOIN cases c "
                f"ON c.id = d.case_id WHERE d.breached_dt = {p} AND c.assignee_id IS NOT NULL", (ts, ts))
    cur.execute(f"INSERT INTO notifications (user_id, case_id, deadline_id, kind, created_dt) "
                f"SELECT r.user_id, d.case_id, d.id, 'breached', {p} FROM deadlines d JOIN cases c "
                f"ON c.id = d.case_id JOIN role_assignments r ON r.unit_id = c.unit_id AND r.role = 'leader' "
                f"WHERE d.breached_dt = {p}", (ts, ts))
    rows = [(i + 1, cid, seq + 1, ts, "deadline_breached", "received", "received", "", "{}", "0" * 64, "f" * 64)
            for i, (cid, seq) in enumerate(heads)]
    cur.executemany(f"INSERT INTO bench_events (id, case_id, seq, created_dt, trigger, from_state, to_state, "
                    f"comment, payload, prev_hash, hash) VALUES ({', '.join([p] * 11)})", rows)
    conn.commit()
    elapsed = time.perf_counter() - t0
    cur.execute("UPDATE deadlines SET status='open', breached_dt=NULL WHERE status='breached'")
    cur.execute("DELETE FROM notifications")
    cur.execute("DELETE FROM bench_events")
    conn.commit()
    session.rollback()
    return elapsed


def _analyze(session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ANALYZE"))
        session.commit()


def run(url: str, label: str, sizes: dict, profile: bool = False) -> dict:
    instance = tempfile.mkdtemp(prefix="bench-deadlines-")
    app = create_app({"INSTANCE_PATH": instance, "DATABASE_URL": url, "AUDIT_HMAC_KEY": KEY.decode()})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        session = db.session
        clock.set_source(lambda: NOW)
        rng = random.Random(2026)
        t0 = time.perf_counter()
        n_cases, small, large, breaches = sizes["cases"], sizes["idle_small"], sizes["idle_large"], sizes["breaches"]
        case_ids = _seed_cases(session, n_cases)
        calendar = load_calendar(session)
        bulk_open(session, calendar, RULE, _far_starts(case_ids, small, rng), workflow="bench", version=1, now=NOW)
        _analyze(session)
        print(f"[{label}] seeded {n_cases:,} cases + {small:,} deadlines in {time.perf_counter() - t0:.1f}s")
        _run_sweep(session, calendar)  # warm-up
        idle_small = _timed(lambda: _run_sweep(session, calendar), sizes["repeat"])
        bulk_open(session, calendar, RULE, _far_starts(case_ids, large - small, rng), workflow="bench", version=1,
                  now=NOW)
        _analyze(session)
        total = session.scalar(select(func.count(Deadline.id)))
        _run_sweep(session, calendar)
        idle_large = _timed(lambda: _run_sweep(session, calendar), sizes["repeat"])
        idle_scaling = idle_large / idle_small
        print(f"[{label}] idle sweep over {small:,} open deadlines: {idle_small * 1000:.2f} ms (baseline)")
        print(f"[{label}] idle sweep over {total:,} open deadlines: {idle_large * 1000:.2f} ms "
              f"= {idle_scaling:.2f}x the {small:,} one (target <= 2x)")

        # (b) overdue deadlines on every case (5 each): started ~60 days ago, 30-day period
        overdue = [(case_ids[i % n_cases], TODAY - timedelta(days=60 + i % 7)) for i in range(breaches)]
        bulk_open(session, calendar, RULE, overdue, workflow="bench", version=1, now=NOW)
        _analyze(session)
        bare = min(_bare_breach(session, n_cases) for _ in range(3))
        profiler = None
        if profile:
            from pyinstrument import Profiler

            profiler = Profiler()
            profiler.start()
        t0 = time.perf_counter()
        result = _run_sweep(session, calendar)
        breach = time.perf_counter() - t0
        if profiler is not None:
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False))
        assert result.breached == breaches and result.events == n_cases, result
        breach_ratio = breach / bare
        print(f"[{label}] bare UPDATE + INSERTs of the same rows through the driver: {bare * 1000:.1f} ms (baseline)")
        print(f"[{label}] sweep breaching {breaches:,} deadlines ({result}): {breach * 1000:.1f} ms "
              f"= {breach_ratio:.2f}x the bare writes (target <= 5x)")
        print(f"[{label}] second run: {_run_sweep(session, calendar)}")
        db.session.remove()
        db.engine.dispose()
    return {"idle_scaling": round(idle_scaling, 2), "breach_ratio": round(breach_ratio, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="every size / 10 (a smoke run: figures are rough)")
    parser.add_argument("--profile", action="store_true", help="pyinstrument profile of the breaching sweep")
    args = parser.parse_args()
    sizes, profile = QUICK if args.quick else FULL, args.profile
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(run(f"sqlite:///{tmp}/bench.db", "sqlite", sizes, profile))
    pg = os.environ.get("CASEFLOW_DATABASE_URL")
    if pg:
        name = f"caseflow_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(normalise_database_url(pg), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            results.append(run(pg.rsplit("/", 1)[0] + "/" + name, "postgresql", sizes, profile))
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    print(json.dumps({"idle_scaling": max(r["idle_scaling"] for r in results),
                      "breach_ratio": max(r["breach_ratio"] for r in results)}))


if __name__ == "__main__":
    main()
