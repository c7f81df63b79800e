"""`caseflow serve`: the app under gunicorn, loaded once in the master before forking (`preload`) so that every
worker starts warm (workflow machines compiled, catalogues merged) and a broken configuration stops the
start, not the first request."""
from __future__ import annotations

import multiprocessing

from flask import Flask
from gunicorn.app.base import BaseApplication

#: a generous request timeout: a batch of PDFs rendered in the request (until it runs as a job) takes seconds
TIMEOUT_SECONDS = 120


def default_workers() -> int:
    """gunicorn's rule of thumb, 2 x cores + 1, at most 8 (each worker holds a full app and its pool)."""
    return min(2 * multiprocessing.cpu_count() + 1, 8)


class CaseflowServer(BaseApplication):
    def __init__(self, app: Flask, options: dict):
        self.application, self.options = app, options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            if key in self.cfg.settings:  # settings of a newer gunicorn than the one installed are skipped
                self.cfg.set(key, value)

    def load(self):
        return self.application


def _post_fork(app: Flask):
    def post_fork(_server, _worker):
        # connections opened in the master (at preload) must not be shared by the forked workers
        from caseflow.extensions import db

        with app.app_context():
            db.engine.dispose(close=False)
    return post_fork


def options(host: str, port: int, workers: int, timeout: int = TIMEOUT_SECONDS) -> dict:
    return {
        "bind": f"{host}:{port}", "workers": workers, "preload_app": True, "timeout": timeout,
        "graceful_timeout": 30, "keepalive": 5,
        # the access log is caseflow's request log (ops.logs): gunicorn's line would carry query strings
        "accesslog": None, "errorlog": "-", "loglevel": "info",
        "forwarded_allow_ips": "127.0.0.1",
        # gunicorn 23+'s control socket sits at one path per user: two servers on a host would share it
        "control_socket_disable": True,
    }


def warm(app: Flask) -> None:
    """What a worker's first request would otherwise do itself, done once in the master before forking, so
    that every worker inherits it: the pages' templates compiled, the mappers configured, the Vietnamese
    catalogue loaded, and the working calendar built (importing `holidays` and expanding its tables took
    ~190 ms of a worker's first home page, bench/pages.py's cold_ratio). Nothing here is needed for
    correctness; a failure only leaves the work to the first request."""
    from sqlalchemy.orm import configure_mappers

    configure_mappers()
    env = app.jinja_env
    for name in env.list_templates(extensions=("html",)):
        if name.startswith("documents/"):  # PDF templates: rendered by their own sandboxed environment
            continue
        try:
            env.get_template(name)
        except Exception:  # a template that fails to compile fails at its own request
            app.logger.debug("template %s not precompiled", name, exc_info=True)
    with app.test_request_context("/"):
        from flask_babel import get_translations

        from caseflow.deadlines.service import load_calendar
        from caseflow.extensions import db

        get_translations()
        try:
            load_calendar(db.session)  # kept per process while the overrides do not change
        except Exception:  # e.g. a database not migrated yet: the first request will say so
            app.logger.debug("calendar not preloaded", exc_info=True)
        finally:
            db.session.remove()


def serve(app: Flask, host: str, port: int, workers: int, timeout: int = TIMEOUT_SECONDS) -> None:
    warm(app)
    opts = options(host, port, workers, timeout)
    opts["post_fork"] = _post_fork(app)
    # the CLI command runs in an app context; forked into the workers, it would stay pushed, and Flask
    # reuses a pushed context of the same app for every request: `g` (Flask-Login's cached user) and the
    # scoped database session would then carry over from one request to the next. Serve without it.
    from flask.globals import _cv_app

    ctx = _cv_app.get(None)
    if ctx is not None:
        ctx.pop()
    try:
        CaseflowServer(app, opts).run()
    finally:
        if ctx is not None:
            ctx.push()
