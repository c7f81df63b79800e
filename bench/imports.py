"""Register import benchmark (issue 12): rows/s of the legal-aid register import, dry run and commit, for a
10,000-row register (target: commit >= 550 rows/s, 5x the ~110 rows/s measured before).

The register is a CSV file built like the centre's (every row clean, closed with a union representative, as
tests/test_kpi_import_export.py's good rows), read by the same reader, mapped by the same guesser, checked
and committed by caseflow.reports.imports.legal_aid.Importer into a freshly migrated SQLite database (and a
PostgreSQL one too when CASEFLOW_DATABASE_URL is set). The commit is one transaction with one audit event
per row; the bench checks both after it.
Last line: {"import_rows_per_s": ..., "dry_run_rows_per_s": ..., "rows": ...[, "postgresql": {...}]}.
Usage: .venv/bin/python bench/imports.py [--quick] [--rows N] [--profile]"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, func, select, text

from caseflow import create_app
from caseflow.config import normalise_database_url
from caseflow.core.models import Case, CaseEvent, User
from caseflow.core.models.org import PASSWORD_METHOD
from caseflow.demo import build_tree, create_users
from caseflow.extensions import db
from caseflow.reports.imports.legal_aid import Importer, guess_mapping
from caseflow.reports.imports.reader import read_table

HEADERS = ["Mã vụ việc", "Ngày tiếp nhận", "Đơn vị (mã)", "Họ tên người yêu cầu", "Người yêu cầu là", "Nhu cầu",
           "Loại tranh chấp", "Nội dung sự việc", "Trạng thái", "Ngày kết thúc", "Có đại diện công đoàn tham gia",
           "Tư cách tham gia", "Giai đoạn tham gia", "Cơ quan giải quyết", "Ngày ký giấy ủy quyền", "Kết quả",
           "Lý do không có đại diện công đoàn"]
UNITS = ["LĐLĐ-QN", "LĐLĐ-AN", "CĐCS-MMQN"]


def register(rows: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for i in range(1, rows + 1):
        writer.writerow([f"TV-2024-{i:05d}", "15/03/2024", UNITS[i % len(UNITS)], f"Nguyễn Văn Số {i}",
                         "Đoàn viên công đoàn", "Tranh tụng (hòa giải, trọng tài, tòa án)", "Tiền lương",
                         "Công ty nợ lương.", "Đã kết thúc", "20/09/2024", "có", "Người đại diện theo ủy quyền",
                         "Hòa giải", "Hòa giải viên lao động", "20/03/2024", "Thắng", ""])
    return buffer.getvalue().encode("utf-8")


def run(label: str, url: str, instance: Path, content: bytes, rows: int, profile: bool) -> dict:
    from flask_migrate import upgrade

    PASSWORD_METHOD["method"] = "pbkdf2:sha256:1000"
    app = create_app({"INSTANCE_PATH": str(instance), "DATABASE_URL": url, "AUDIT_HMAC_KEY": "bench-audit-key",
                      "TRANSLATIONS_DIR": str(instance / "translations")})
    with app.app_context():
        upgrade()
        units = build_tree(db.session)
        create_users(db.session, units)
        actor = db.session.scalars(select(User).where(User.username == "lanhdao")).one()
        table = read_table("so-theo-doi.csv", content)
        importer = Importer(db.session, actor, table, guess_mapping(table.headers), source="so-theo-doi.csv")
        started = time.perf_counter()
        checked = importer.check()
        dry = time.perf_counter() - started
        assert checked.ok and len(checked.prepared) == rows, checked.errors[:3]
        profiler = None
        if profile:
            from pyinstrument import Profiler

            profiler = Profiler()
            profiler.start()
        started = time.perf_counter()
        result = importer.commit()
        elapsed = time.perf_counter() - started
        if profiler:
            profiler.stop()
            print(profiler.output_text(color=False), file=sys.stderr)
        assert result.ok and result.imported == rows
        assert db.session.scalar(select(func.count(Case.id))) == rows
        assert db.session.scalar(select(func.count(CaseEvent.id))) == rows  # one audit event per row
        db.session.remove()
        db.engine.dispose()
    print(f"[{label}] {rows:,} rows: dry run {dry:.2f} s = {rows / dry:,.0f} rows/s; commit (dry run again, "
          f"then every row in one transaction) {elapsed:.2f} s = {rows / elapsed:,.0f} rows/s (target >= 550)")
    return {"import_rows_per_s": round(rows / elapsed, 1), "dry_run_rows_per_s": round(rows / dry, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 rows (a smoke run: figures are rough)")
    parser.add_argument("--rows", type=int, help="register rows (10,000; --quick: 1,000)")
    parser.add_argument("--profile", action="store_true", help="pyinstrument profile of the commit, on stderr")
    args = parser.parse_args()
    rows = args.rows or (1_000 if args.quick else 10_000)
    content = register(rows)
    pg_url = os.environ.pop("CASEFLOW_DATABASE_URL", None)
    workdir = Path(tempfile.mkdtemp(prefix="caseflow-bench-import-"))
    try:
        summary = run("sqlite", f"sqlite:///{workdir / 'bench.db'}", workdir / "instance", content, rows,
                      args.profile)
        summary["rows"] = rows
        if pg_url:
            base = normalise_database_url(pg_url)
            name = f"cf_bench_import_{uuid.uuid4().hex[:8]}"
            admin = create_engine(base, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            try:
                url = base.rsplit("/", 1)[0] + "/" + name
                summary["postgresql"] = run("postgresql", url, workdir / "instance-pg", content, rows, args.profile)
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
