"""`/healthz` (the process answers) and `/readyz` (the app can serve: every check of ops.health), JSON for
load balancers and monitors; no sign-in, no rate limit, nothing personal in the answer."""
from flask import Blueprint, current_app, jsonify

from caseflow.ops.health import run_checks

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.route("/readyz")
def readyz():
    results = run_checks(current_app)
    failing = [r.name for r in results if not r.ok]
    body = {"status": "failing" if failing else "ok", "failing": failing,
            "checks": {r.name: {"ok": r.ok, "detail": r.detail} for r in results}}
    return jsonify(body), 503 if failing else 200
