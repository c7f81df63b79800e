"""One log line per request: request id (kept from X-Request-ID when it looks like one), user id, endpoint,
the route with numeric ids only, status, duration; JSON lines with CASEFLOW_LOG_JSON=1; never a query string
or free text from the path."""
from __future__ import annotations

import json
import logging

import pytest

from caseflow.ops.logs import LineFormatter, log_line
from tests.conftest import login


def request_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "caseflow.request"]


def test_one_line_per_request_with_its_fields(app, client, org, caplog):
    caplog.set_level(logging.INFO)
    login(client, "tuvan1")
    caplog.clear()
    response = client.get("/cases/?q=Nguy%E1%BB%85n+V%C4%83n+A&kind=legal_aid", headers={"X-Request-ID": "req-7"})
    assert response.status_code == 200 and response.headers["X-Request-ID"] == "req-7"
    [line] = request_lines(caplog)
    fields = line.fields
    assert fields["request_id"] == "req-7" and fields["user_id"] == org["users"]["tuvan1"]
    assert fields["endpoint"] == "cases.list_cases" and fields["status"] == 200 and fields["method"] == "GET"
    assert fields["path"] == "/cases/" and fields["duration_ms"] >= 0
    assert "Nguy" not in line.getMessage() and "q=" not in line.getMessage()


def test_numeric_ids_kept_free_text_dropped(client, org, caplog):
    caplog.set_level(logging.INFO)
    login(client, "tuvan1")
    caplog.clear()
    client.get("/cases/12345")
    client.get("/no-such-page/Trịnh Thị Xuyến")
    client.post("/lang/vi")  # a string argument stays a placeholder
    paths = [r.fields["path"] for r in request_lines(caplog)]
    assert paths == ["/cases/12345", "-", "/lang/<code>"]
    assert [r.fields["status"] for r in request_lines(caplog)][:2] == [404, 404]


@pytest.mark.parametrize("incoming", ["", "x" * 65, "a b", "<script>", "id\nforged=1"])
def test_an_unlikely_request_id_is_replaced(client, caplog, incoming):
    caplog.set_level(logging.INFO)
    response = client.get("/healthz", headers={"X-Request-ID": incoming} if "\n" not in incoming else {})
    made = response.headers["X-Request-ID"]
    assert made != incoming and len(made) == 32
    assert request_lines(caplog)[-1].fields["request_id"] == made


def test_a_request_refused_early_is_logged_too(client, caplog):
    caplog.set_level(logging.INFO)
    response = client.get("/login?next=%00")  # refused before the view (NUL character)
    assert response.status_code == 400
    line = request_lines(caplog)[-1]
    assert line.fields["status"] == 400 and line.fields["duration_ms"] is not None


def test_json_lines_and_text_lines():
    record = logging.LogRecord("caseflow.request", logging.INFO, __file__, 1, "%s", ("x",), None)
    logger = logging.getLogger("caseflow.test-lines")
    captured = []
    handler = logging.Handler()
    handler.emit = captured.append
    logger.addHandler(handler)
    try:
        log_line(logger, {"request_id": "r1", "status": 200, "user_id": None})
    finally:
        logger.removeHandler(handler)
    [record] = captured
    line = json.loads(LineFormatter(json_lines=True).format(record))
    assert line["request_id"] == "r1" and line["status"] == 200 and line["user_id"] is None
    assert line["logger"] == "caseflow.test-lines" and line["time"].endswith("Z") and line["level"] == "info"
    text = LineFormatter(json_lines=False).format(record)
    assert "request_id=r1 status=200 user_id=None" in text and "\n" not in text


@pytest.fixture
def app_config():
    return {"LOG_JSON": 1}


def test_the_handler_writes_json_when_configured(app, client, capfd):
    client.get("/healthz", headers={"X-Request-ID": "json-1"})
    err = capfd.readouterr().err
    line = next(x for x in err.splitlines() if "json-1" in x)
    assert json.loads(line)["endpoint"] == "health.healthz"
