"""Procedure page benchmark (issue 14).

A signed-in officer's GET of a procedure page (/procedures/standards/<workflow>: step table, inline diagram,
settings, versions with their running cases) against the same officer's GET of a case detail page
(/cases/<id>, which now carries the case map too), through the Flask test client in the same process, on a
SQLite database with the demo organisation and `--cases` legal-aid cases. Both are warmed first: the diagram is
drawn once per (workflow, version, language, format), so the page only reads it from the cache. Runs are
interleaved; the median of each is compared. Target: procedure_ratio <= 2 (a procedure page within 2x a case
detail page). Also printed: the first (cold) drawing of the diagram, which no request after it pays again.
The last line is {"procedure_ratio": ..., "procedure_page_ms": ..., "case_page_ms": ..., "first_draw_ms": ...}.
Usage: .venv/bin/python bench/procedures.py [--runs N] [--cases N] [--workflow NAME] [--quick]"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from caseflow import create_app
from caseflow.core.engine import get_registry
from caseflow.core.models.org import PASSWORD_METHOD
from caseflow.demo import PATHS, build_tree, create_users, generate_legal_aid_cases
from caseflow.extensions import db
from caseflow.handbook.diagram import diagram_cache
from caseflow.handbook.procedure import procedure_of


def build(tmp: Path, n_cases: int):
    from flask_migrate import upgrade

    PASSWORD_METHOD["method"] = "pbkdf2:sha256:1000"
    app = create_app({"INSTANCE_PATH": str(tmp / "instance"), "DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
                      "AUDIT_HMAC_KEY": "bench", "STORAGE_DIR": str(tmp / "storage"), "WTF_CSRF_ENABLED": False})
    with app.app_context():
        upgrade()
        units = build_tree(db.session)
        users = create_users(db.session, units)
        actors = {"legal_officer": [users["tuvan1"], users["tuvan2"]], "leader": [users["lanhdao"]],
                  "clerk": [users["vanthu"]]}
        cases = generate_legal_aid_cases(db.session, n_cases, [units["province"]], actors, random.Random(14),
                                         path_names=list(PATHS), today=date(2026, 11, 20))
        case_id = max(cases, key=lambda c: c.audit_seq).id  # the case with the longest path: the costliest map
        db.session.commit()
    return app, case_id


def timed(client, url: str) -> float:
    t0 = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - t0
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--workflow", default="legal_aid")
    parser.add_argument("--quick", action="store_true", help="20 runs over 40 cases (a smoke run)")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.cases = 20, 40
    with tempfile.TemporaryDirectory() as tmp:
        app, case_id = build(Path(tmp), args.cases)
        with app.app_context():
            proc = procedure_of(get_registry().get(args.workflow), "vi")
            t0 = time.perf_counter()
            diagram_cache().get(proc, "svg")
            first_draw = time.perf_counter() - t0
        client = app.test_client()
        response = client.post("/login", data={"username": "tuvan1", "password": "caseflow2026"})
        assert response.status_code == 302, "login failed"
        procedure_url, case_url = f"/procedures/standards/{args.workflow}", f"/cases/{case_id}"
        for url in (procedure_url, case_url):  # warm: templates compiled, diagrams drawn
            timed(client, url)
            timed(client, url)
        page, case = [], []
        for _ in range(args.runs):
            page.append(timed(client, procedure_url))
            case.append(timed(client, case_url))
    page_ms, case_ms = statistics.median(page) * 1000, statistics.median(case) * 1000
    ratio = page_ms / case_ms
    print(f"procedure page {procedure_url}: median {page_ms:.1f} ms over {args.runs} runs")
    print(f"case detail page {case_url}: median {case_ms:.1f} ms (baseline, same process, interleaved)")
    print(f"first drawing of the {args.workflow} diagram: {first_draw * 1000:.0f} ms (cached after)")
    print(f"procedure_ratio {ratio:.2f} (target <= 2)")
    print(json.dumps({"procedure_ratio": round(ratio, 3), "procedure_page_ms": round(page_ms, 2),
                      "case_page_ms": round(case_ms, 2), "first_draw_ms": round(first_draw * 1000, 1)}))


if __name__ == "__main__":
    main()
