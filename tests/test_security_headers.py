"""Security headers (issue 17, item 6): a self-only Content-Security-Policy with no inline script or style left
in the templates, no framing, nosniff, a Referrer-Policy, HSTS only behind HTTPS, Secure cookies there; an
upload is served with a type from the server's allow-list, as an attachment (an SVG or HTML file never as
such); a search's query kept out of the access log."""
from __future__ import annotations

import io
import logging
import re

import pytest

from caseflow import PROJECT_ROOT, create_app
from caseflow.web.accesslog import RedactQuery
from caseflow.web.headers import CSP, served_type
from tests.conftest import AUDIT_KEY, csrf_token, login

INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=\"|\son[a-z]+=\"", re.IGNORECASE)
#: PDF templates go to WeasyPrint, never to a browser under the policy
NOT_SERVED = ("documents/pdf/", "portal/receipt_pdf.html")


def test_no_template_served_to_a_browser_has_inline_script_or_style():
    found = []
    for path in sorted((PROJECT_ROOT / "templates").rglob("*.html")):
        rel = path.relative_to(PROJECT_ROOT / "templates").as_posix()
        if rel.startswith(NOT_SERVED):
            continue
        found += [f"{rel}: {m.group(0)}" for m in INLINE.finditer(path.read_text(encoding="utf-8"))]
    assert not found


@pytest.mark.parametrize("path", ["/login", "/cases/", "/cong-khai/", "/procedures/standards/"])
def test_every_page_carries_the_headers(client, org, path):
    login(client, "tuvan1")
    response = client.get(path)
    assert response.headers["Content-Security-Policy"] == CSP and "frame-ancestors 'none'" in CSP
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("same-origin", "no-referrer")  # the portal's is stricter
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP here


def test_behind_https_hsts_and_secure_cookies(database_url, tmp_path, translations_dir, shipped_registry):
    app = create_app({"INSTANCE_PATH": str(tmp_path / "i"), "DATABASE_URL": database_url, "TESTING": True,
                      "AUDIT_HMAC_KEY": AUDIT_KEY, "TRANSLATIONS_DIR": str(translations_dir),
                      "WORKFLOW_REGISTRY": shipped_registry, "PREFERRED_URL_SCHEME": "https"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    response = app.test_client().get("/login", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Secure" in response.headers.get("Set-Cookie", "") or response.headers.get("Set-Cookie") is None
    assert app.permanent_session_lifetime.total_seconds() == 8 * 3600


@pytest.mark.parametrize("name, served", [("scan.pdf", "application/pdf"), ("a.PNG", "image/png"),
                                          ("x.svg", "application/octet-stream"),
                                          ("x.html", "application/octet-stream"), ("x", "application/octet-stream")])
def test_served_type_comes_from_the_allow_list(name, served):
    assert served_type(name) == served


def test_an_uploaded_svg_is_served_as_an_octet_stream_attachment(app, org):
    from tests.test_procedures_web import TODAY, Clients, open_via_web

    users = Clients(app)
    case_id = open_via_web(users("tochuc"), org, "cdcs_founding", "recognised", TODAY)
    token = csrf_token(users("tochuc"), f"/cases/{case_id}")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    users("tochuc").post(f"/procedures/cases/{case_id}/dossier", content_type="multipart/form-data",
                         data={"csrf_token": token, "item": "request_letter",
                               "file": (io.BytesIO(svg), "request_letter.svg"), "content_type": "image/svg+xml"})
    page = users("tochuc").get(f"/cases/{case_id}").get_data(as_text=True)
    links = re.findall(r'href="(/procedures/attachments/\d+)"', page)
    if not links:
        pytest.fail("the dossier refused the SVG: use a type the dossier accepts")
    response = users("tochuc").get(links[0])
    assert response.status_code == 200
    assert response.mimetype == "application/octet-stream"
    assert response.headers["Content-Disposition"].startswith("attachment")


def test_the_access_log_line_of_a_search_has_no_query():
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, '%s - - "%s" %s %s', (
        "127.0.0.1", "GET /cases/?q=nguyen+van+anh HTTP/1.1", "200", "-"), None)
    record.args = ('"GET /cases/?q=nguyen+van+anh HTTP/1.1" 200 -',)
    record.msg = "%s"
    assert RedactQuery().filter(record) and "nguyen" not in record.getMessage()
    assert "GET /cases/?… HTTP/1.1" in record.getMessage()
    from caseflow.ops.serve import options

    assert options("127.0.0.1", 8000, 1)["accesslog"] is None  # gunicorn's own line would carry the query
