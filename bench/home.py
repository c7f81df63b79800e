"""Home page benchmark (issue 18): "Việc của tôi" at 200,000 cases.

Seeds a SQLite database (a temporary file) with the demo organisation and users and `--cases` rows from the
project's bulk generator (bench/bulkgen.py: mostly legal aid, 15 % of them open, some letters, complaints and
denunciations), then measures, in the same process through the Flask test client, a signed-in user's GET of
the home page (the cases waiting for their step, counted per procedure with each one's oldest; deadlines;
notices; documents) against the same user's GET of the case list's first page, interleaved, for each of a
legal officer and a leader of the province (whose scope covers every unit). Target: home within 3x the list.
The last line is {"home_ms": ..., "list_ms": ..., "home_ratio": ..., "cases": ..., "waiting": ...} (the
slower user's medians).
Usage: .venv/bin/python bench/home.py [--cases N] [--runs N] [--quick] (--quick: 20,000 cases, 8 runs)"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text

from bench.bulkgen import generate_indexed
from bench.signin import sign_in
from caseflow import create_app
from caseflow.core.models.org import PASSWORD_METHOD
from caseflow.extensions import db

USERS = ("tuvan1", "lanhdao")


def build(tmp: Path, cases: int):
    from flask_migrate import upgrade

    from caseflow.demo import build_tree, create_users

    PASSWORD_METHOD["method"] = "pbkdf2:sha256:1000"
    app = create_app({"INSTANCE_PATH": str(tmp / "instance"), "DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
                      "AUDIT_HMAC_KEY": "bench", "STORAGE_DIR": str(tmp / "storage"), "WTF_CSRF_ENABLED": False})
    with app.app_context():
        upgrade()
        units = build_tree(db.session)
        create_users(db.session, units)
        generate_indexed(db.session, cases, [u.id for u in units.values()])
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    return app


def timed(client, url: str) -> tuple[float, str]:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, response.get_data(as_text=True)


def measure(app, username: str, runs: int) -> dict:
    client = app.test_client()
    sign_in(client, username)
    _ms, html = timed(client, "/")
    timed(client, "/cases/")
    waiting = sum(int(n) for n in re.findall(r'<span class="badge text-bg-secondary">(\d+)</span>', html))
    home, listed = [], []
    for _ in range(runs):
        home.append(timed(client, "/")[0])
        listed.append(timed(client, "/cases/")[0])
    return {"home_ms": round(statistics.median(home), 1), "list_ms": round(statistics.median(listed), 1),
            "waiting": waiting}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="20,000 cases, 8 runs (a smoke run)")
    args = parser.parse_args()
    if args.quick:
        args.cases, args.runs = 20_000, 8
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        app = build(Path(tmp), args.cases)
        print(f"seeded {args.cases:,} cases in {time.perf_counter() - start:.1f} s")
        results = {}
        for username in USERS:
            results[username] = measure(app, username, args.runs)
            r = results[username]
            print(f"{username}: home {r['home_ms']} ms, list {r['list_ms']} ms, {r['waiting']:,} cases waiting")
    worst = max(results.values(), key=lambda r: r["home_ms"] / r["list_ms"])
    print(json.dumps({"home_ms": worst["home_ms"], "list_ms": worst["list_ms"],
                      "home_ratio": round(worst["home_ms"] / worst["list_ms"], 2), "cases": args.cases,
                      "waiting": worst["waiting"]}))


if __name__ == "__main__":
    main()
