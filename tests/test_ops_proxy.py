"""CASEFLOW_PROXY_FIX: behind a reverse proxy the client's address and scheme come from X-Forwarded-*; without
it the same headers are ignored (anyone could send them)."""
import pytest
from flask import request

HEADERS = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "caseflow.example.vn"}


def seen_by_the_app(app, client) -> dict:
    seen = {}

    def look():
        seen.update(addr=request.remote_addr, scheme=request.scheme, host=request.host)

    app.before_request(look)
    client.get("/healthz", headers=HEADERS, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    return seen


@pytest.fixture
def app_config(request):
    return getattr(request, "param", {})


@pytest.mark.parametrize("app_config", [{"PROXY_FIX": 1}, {"PROXY_FIX": {"x_for": 1, "x_proto": 1, "x_host": 1}}],
                         indirect=True)
def test_behind_a_proxy_the_forwarded_client_is_seen(app, client):
    assert seen_by_the_app(app, client) == {"addr": "203.0.113.9", "scheme": "https", "host": "caseflow.example.vn"}


def test_without_the_setting_forwarded_headers_are_ignored(app, client):
    assert seen_by_the_app(app, client) == {"addr": "127.0.0.1", "scheme": "http", "host": "localhost"}
