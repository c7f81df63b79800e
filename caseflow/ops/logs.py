"""One log line per request (and per job: `log_line`), as `key=value` text or as a JSON object per line
(`CASEFLOW_LOG_JSON=1`). A line carries ids, never personal data: the user's id (not the name), the endpoint
and the URL rule with its numeric ids only (a path's free text or a query string may hold a name or an ID
number typed by someone, Luật Tố cáo 2018 Art. 47(2)), the status and the duration."""
from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid

from flask import Flask, g, request

#: the request log (gunicorn's own access log is off: its request line carries the query string)
REQUEST_LOG = logging.getLogger("caseflow.request")
#: an incoming X-Request-ID kept as is only when it looks like an id (a proxy's), else a new one is made
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_HANDLER_MARK = "caseflow_ops_handler"


class LineFormatter(logging.Formatter):
    """The record's fields as one JSON object, or as `time level logger key=value ...`."""

    def __init__(self, json_lines: bool):
        super().__init__()
        self.json_lines = json_lines

    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "fields", None)
        when = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z"
        if self.json_lines:
            line = {"time": when, "level": record.levelname.lower(), "logger": record.name}
            line.update(fields if fields is not None else {"message": record.getMessage()})
            return json.dumps(line, ensure_ascii=False, default=str)
        return f"{when} {record.levelname} {record.name} {record.getMessage()}"


class StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (a test's capture, a daemon's redirected stream)."""

    def __init__(self):
        super().__init__()
        setattr(self, _HANDLER_MARK, True)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


def text_line(fields: dict) -> str:
    return " ".join(f"{k}={v}" for k, v in fields.items())


def log_line(logger: logging.Logger, fields: dict, level: int = logging.INFO) -> None:
    """Log one event as its fields (the JSON formatter writes them as an object; text shows key=value)."""
    logger.log(level, "%s", text_line(fields), extra={"fields": fields})


def configure(json_lines: bool) -> None:
    """Send caseflow's logs to stderr, one line each, once per process (a second app of the process, as in
    the tests, changes only the format). Propagation stays on, so pytest's caplog reads the lines too."""
    from flask.logging import default_handler

    root = logging.getLogger("caseflow")  # also the app's own logger (app.logger)
    root.setLevel(logging.INFO)
    root.removeHandler(default_handler)  # Flask's: the same lines twice otherwise
    handler = next((h for h in root.handlers if getattr(h, _HANDLER_MARK, False)), None)
    if handler is None:
        handler = StderrHandler()
        root.addHandler(handler)
    handler.setFormatter(LineFormatter(json_lines))


def _route() -> str:
    """The URL rule with numeric arguments filled in (`/cases/12/fire/<trigger>`); "-" when nothing matched
    (the path of a 404 is whatever someone typed)."""
    rule = request.url_rule
    if rule is None:
        return "-"
    path = rule.rule
    for name, value in (request.view_args or {}).items():
        if isinstance(value, int):
            path = re.sub(rf"<(?:int:)?{name}>", str(value), path)
    return path


def _user_id() -> int | None:
    from flask_login import current_user
    from sqlalchemy.exc import SQLAlchemyError

    try:
        return current_user.id if current_user.is_authenticated else None
    except SQLAlchemyError:  # the user could not be loaded (a database error): the line is still written
        return None


def install(app: Flask) -> None:
    configure(bool(app.config.get("LOG_JSON")))

    def start_clock():
        g.request_started = time.perf_counter()
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex

    # first of all: a hook that answers early (a refused NUL character) must not skip the clock
    app.before_request_funcs.setdefault(None, []).insert(0, start_clock)

    @app.after_request
    def log_request(response):
        started = g.get("request_started")
        fields = {"request_id": g.get("request_id", "-"), "method": request.method, "endpoint": request.endpoint,
                  "path": _route(), "status": response.status_code, "user_id": _user_id(),
                  "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None}
        response.headers["X-Request-ID"] = fields["request_id"]
        log_line(REQUEST_LOG, fields, logging.WARNING if response.status_code >= 500 else logging.INFO)
        return response
