"""Benchmark of the representation-share KPI at 1,000,000 cases (issue 7).

Seeds the database with the project's bulk generator (bench/bulkgen.py: rows the legal-aid workflow
produces, mostly legal aid, some other kinds), then measures, in the same process and on the same table,
the dashboard's KPI query against the bare grouped count
    SELECT closed_year, count(*) FROM legal_aid_details WHERE closed_year IS NOT NULL GROUP BY closed_year
(target <= 3x), and the full dashboard page's server time (target < 300 ms on PostgreSQL): as served (past
years' figures kept per app until an import changes them, the current year counted live: "dashboard_ms")
and cold (every year counted again, as after a start or such an import).
Runs on SQLite (a temporary file) and, given CASEFLOW_DATABASE_URL (PostgreSQL), there too; the last line
is {"sqlite_kpi_ratio": ..., "postgresql_kpi_ratio": ..., "dashboard_ms": ...}.
Usage: .venv/bin/python bench/kpi.py [--cases N] [--quick] (--quick: 100,000 cases)"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bulkgen import generate_indexed
from bench.signin import sign_in
from caseflow import create_app
from caseflow.extensions import db
from caseflow.legal_aid.models import LegalAidDetail
from caseflow.reports import kpi


def timed(fn, repeat: int = 7) -> float:
    fn()  # warm the caches
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def run(url: str, cases: int, instance: Path) -> dict:
    from flask_migrate import upgrade

    from caseflow.demo import build_tree, create_users

    app = create_app({"INSTANCE_PATH": str(instance), "DATABASE_URL": url, "AUDIT_HMAC_KEY": "bench",
                      "WTF_CSRF_ENABLED": False})
    figures = {}
    with app.app_context():
        upgrade()
        units = build_tree(db.session)
        create_users(db.session, units)
        start = time.perf_counter()
        generate_indexed(db.session, cases, [u.id for u in units.values()],
                         progress=lambda done, total: print(f"  seeded {done:,}/{total:,}", end="\r", flush=True))
        figures["seed_s"] = round(time.perf_counter() - start, 1)
        print(f"\n  seeded {cases:,} cases in {figures['seed_s']} s")
        db.session.commit()
    if url.startswith("postgresql"):
        with create_engine(url.replace("postgresql://", "postgresql+psycopg://"),
                           isolation_level="AUTOCOMMIT").connect() as conn:
            conn.execute(text("VACUUM ANALYZE legal_aid_details"))
            conn.execute(text("VACUUM ANALYZE cases"))
    else:
        with app.app_context():
            db.session.execute(text("ANALYZE"))
            db.session.commit()
    with app.app_context():
        session = db.session
        D = LegalAidDetail
        bare = select(D.closed_year, func.count()).where(D.closed_year.is_not(None)).group_by(D.closed_year)
        kpi_query = kpi.share_by_year_query(None)
        figures["bare_ms"] = timed(lambda: session.execute(bare).all())
        figures["kpi_ms"] = timed(lambda: session.execute(kpi_query).all())
        figures["kpi_ratio"] = round(figures["kpi_ms"] / figures["bare_ms"], 2)
        cases_bare = text("SELECT received_date, count(*) FROM cases WHERE kind = 'legal_aid' GROUP BY received_date")
        figures["bare_cases_table_ms"] = timed(lambda: session.execute(cases_bare).all(), repeat=3)
    client = app.test_client()
    sign_in(client, "lanhdao")
    assert client.get("/reports/legal-aid").status_code == 200
    figures["dashboard_ms"] = timed(lambda: client.get("/reports/legal-aid"), repeat=5)

    def cold():  # as after a start or an import into a past year: past years counted again too
        app.extensions.pop("kpi_past_years", None)
        client.get("/reports/legal-aid")
    figures["dashboard_cold_ms"] = timed(cold, repeat=3)
    with app.app_context():
        db.engine.dispose()
    return figures


def report(name: str, f: dict) -> None:
    print(f"{name}: bare grouped count {f['bare_ms']:.1f} ms; KPI query {f['kpi_ms']:.1f} ms "
          f"(ratio {f['kpi_ratio']:.2f}x, target <= 3x); dashboard page {f['dashboard_ms']:.1f} ms "
          f"({f['dashboard_ms'] / f['bare_ms']:.1f}x the bare count; past years kept, current year live), "
          f"{f['dashboard_cold_ms']:.1f} ms cold ({f['dashboard_cold_ms'] / f['bare_ms']:.1f}x: every year counted); "
          f"for reference, a grouped count over "
          f"the cases table: {f['bare_cases_table_ms']:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, help="cases to seed (1,000,000; --quick: 100,000)")
    parser.add_argument("--quick", action="store_true", help="fewer cases (a smoke run: figures are rough)")
    parser.add_argument("--databases", default="sqlite,postgresql", help="which to run (PostgreSQL needs "
                        "CASEFLOW_DATABASE_URL); a figure not measured prints as null")
    args = parser.parse_args()
    args.cases = args.cases or (100_000 if args.quick else 1_000_000)
    from caseflow.core.models.org import PASSWORD_METHOD

    PASSWORD_METHOD["method"] = "pbkdf2:sha256:1000"
    result = {"sqlite_kpi_ratio": None, "postgresql_kpi_ratio": None, "dashboard_ms": None}
    with tempfile.TemporaryDirectory() as tmp:
        if "sqlite" in args.databases:
            print(f"SQLite, {args.cases:,} cases")
            sqlite = run(f"sqlite:///{tmp}/bench.db", args.cases, Path(tmp) / "i1")
            report("SQLite", sqlite)
            result["sqlite_kpi_ratio"] = sqlite["kpi_ratio"]
            result["dashboard_ms"] = round(sqlite["dashboard_ms"], 1)
        pg_url = os.environ.get("CASEFLOW_DATABASE_URL")
        if pg_url and "postgres" in pg_url and "postgresql" in args.databases:
            name = f"caseflow_bench_{uuid.uuid4().hex[:8]}"
            admin_url = pg_url.replace("postgresql://", "postgresql+psycopg://").rsplit("/", 1)[0] + "/postgres"
            admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            try:
                print(f"PostgreSQL, {args.cases:,} cases")
                pg = run(pg_url.rsplit("/", 1)[0] + "/" + name, args.cases, Path(tmp) / "i2")
                report("PostgreSQL", pg)
                result["postgresql_kpi_ratio"] = pg["kpi_ratio"]
                result["dashboard_ms"] = round(pg["dashboard_ms"], 1)
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
