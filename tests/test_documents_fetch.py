"""Nothing in a document can make the server fetch: hostile text in the data renders as literal text, and even
markup that reached WeasyPrint unescaped is refused by the URL fetcher (only the PDF fonts and the app's static
files are served). A listener on loopback records every connection attempt: there must be none."""
import logging
import socket
import subprocess
import threading

import pytest

from caseflow.documents import FetchRefused, get_type, render_pdf, sample_data
from caseflow.documents.fetcher import STATIC_DIR, SafeFetcher
from caseflow.documents.fonts import FONT_PREFIX, font_files
from caseflow.documents.render import html_to_pdf
from tests.conftest import require_tool


class Listener:
    """A TCP listener on 127.0.0.1 counting the connections it is offered."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(0.5)
                try:
                    self.hits.append(conn.recv(1024) or b"(connected)")
                except OSError:
                    self.hits.append(b"(connected)")

    def close(self):
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def hostile(port: int) -> list[str]:
    return [f"<img src=http://127.0.0.1:{port}/x>", "file:///etc/passwd", f"@import url(http://127.0.0.1:{port}/y);",
            f'<link rel=stylesheet href="http://127.0.0.1:{port}/z.css">',
            f'<div style="background:url(http://127.0.0.1:{port}/w)">w</div>']


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run([require_tool("pdftotext", "poppler-utils"), str(path), "-"], check=True, capture_output=True, text=True).stdout


@pytest.mark.parametrize("key", ["ket_luan_noi_dung_to_cao", "quyet_dinh_cong_nhan_bch", "cong_van"])
def test_hostile_data_renders_as_text_and_fetches_nothing(listener, tmp_path, key):
    data = sample_data(key)
    texts = hostile(listener.port)
    data["summary"] = texts[0]
    data["issuer"] = texts[3]
    data["recipients"] = texts
    for spec in get_type(key).fields:
        if spec.kind == "textarea":
            data["fields"][spec.name] = texts
        elif spec.kind == "list" and spec.columns:
            data["fields"][spec.name] = [{c: t for c, _ in spec.columns} for t in texts]
    text = " ".join(pdf_text(render_pdf(key, data), tmp_path).split())
    assert f"<img src=http://127.0.0.1:{listener.port}/x>" in text
    assert "file:///etc/passwd" in text and "root:x:0:0" not in text
    assert f"@import url(http://127.0.0.1:{listener.port}/y);" in text
    assert listener.hits == []


def test_markup_that_reached_weasyprint_is_still_refused(listener, tmp_path, caplog):
    """Defence in depth: real tags and CSS pointing at the network or the disk, as if escaping had failed."""
    port = listener.port
    html = f"""<!DOCTYPE html><html><head>
      <link rel="stylesheet" href="http://127.0.0.1:{port}/a.css">
      <style>@import url(http://127.0.0.1:{port}/b.css); @import url(file:///etc/passwd);
        body {{ background: url(http://127.0.0.1:{port}/c.png); }}
        @font-face {{ font-family: X; src: url(http://127.0.0.1:{port}/d.ttf); }}</style></head>
      <body><p>Kiểm tra</p><img src="http://127.0.0.1:{port}/e.png"><img src="file:///etc/passwd">
      <img src="https://example.invalid/f.png"><object data="http://127.0.0.1:{port}/g"></object>
      <iframe src="http://127.0.0.1:{port}/h"></iframe><img src="data:image/svg+xml,<svg/>"></body></html>"""
    with caplog.at_level(logging.WARNING, logger="caseflow.documents.fetcher"):
        pdf = html_to_pdf(html)
    assert "Kiểm tra" in pdf_text(pdf, tmp_path)
    assert listener.hits == []
    refused = [r.getMessage() for r in caplog.records if r.name == "caseflow.documents.fetcher"]
    assert any(f"127.0.0.1:{port}" in m for m in refused) and any("file:///etc/passwd" in m for m in refused)


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "file:///usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "http://127.0.0.1:9/x", "https://example.com/x.css", "ftp://127.0.0.1/x", "data:text/css,body{}",
    "caseflow:static/../../../etc/passwd", "caseflow:static/../__init__.py", "caseflow:font/../fonts.py",
    "caseflow:font/DejaVuSans.ttf", "caseflow:font/", "//127.0.0.1/x", "caseflow:static/caseflow.css?x=1",
])
def test_fetcher_refuses_everything_outside_the_allow_list(url):
    with pytest.raises(FetchRefused):
        SafeFetcher()(url)


def test_fetcher_serves_the_fonts_and_static_files():
    fetcher = SafeFetcher()
    name = "LiberationSerif-Regular.ttf"
    assert fetcher(FONT_PREFIX + name).read() == font_files()[name].read_bytes()
    css = fetcher("caseflow:static/caseflow.css")
    assert css.read() == (STATIC_DIR / "caseflow.css").read_bytes()


def test_fetcher_opens_no_url_through_urllib():
    """The urllib opener behind WeasyPrint's default fetcher has no handler left to open anything with."""
    fetcher = SafeFetcher()
    assert fetcher.handlers == [] and fetcher.handle_open == {}
    with pytest.raises(FetchRefused):
        fetcher.open("http://127.0.0.1:9/x")
