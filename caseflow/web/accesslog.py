"""Access logs without query strings: a search for a person's name (`/cases/?q=...`, the register's and the
reports' filters) must not put the name into the server's log (issue 17; Luật Tố cáo 2018, Điều 47(2) for a
denouncer's identity, Nghị định 13/2023/NĐ-CP on personal data). The development server's (`caseflow run`)
lines are redacted here; under `caseflow serve` gunicorn writes no access log of its own, the request log
(caseflow/ops/logs.py) names the route without the query."""
from __future__ import annotations

import logging
import re

_QUERY = re.compile(r"\?[^ \"]*")


def redact(line: str) -> str:
    return _QUERY.sub("?…", line)


class RedactQuery(logging.Filter):
    """werkzeug's `"GET /cases/?q=nguyen HTTP/1.1" 200 -`: the query string replaced by `?…`."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args and isinstance(record.args[0], str):
            record.args = (redact(record.args[0]), *record.args[1:])
        elif isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def install() -> None:
    logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, RedactQuery) for f in logger.filters):
        logger.addFilter(RedactQuery())
