"""Portal test helpers: fill and send the public forms as a person would (CSRF token from the page)."""
from __future__ import annotations

import re

LEGAL_HELP = {"full_name": "Nguyễn Thị Lan", "member": "member", "grassroots_union": "CĐCS Công ty May Quy Nhơn",
              "employer_name": "Công ty TNHH May mặc Quy Nhơn", "dispute_type": "wages", "need": "consultation",
              "facts": "Công ty nợ lương ba tháng nay, không trả đúng hạn.", "wish": "Được trả đủ tiền lương.",
              "contact": "phone", "phone": "0905 111 222", "consent": "y"}
DENUNCIATION = {"letter_type": "denunciation", "full_name": "Trần Văn Bảo", "address": "Số 5 Lê Lợi, Quy Nhơn",
                "phone": "0914555666", "subject": "Thu đoàn phí sai quy định",
                "content": "Chủ tịch CĐCS Công ty X thu đoàn phí cao hơn quy định từ tháng 3/2026.",
                "declaration": "y", "consent": "y"}


def token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or \
        re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token"
    return match.group(1)


def first_unit(html: str) -> str:
    return re.search(r'<select[^>]*name="unit_id"[^>]*>\s*<option[^>]*value="(\d+)"', html).group(1)


def send(client, path: str, values: dict, files=None):
    """GET the form, then POST it with `values` (and files as {"files": [(stream, name)]})."""
    html = client.get(path).get_data(as_text=True)
    data = {"csrf_token": token(html), "unit_id": first_unit(html), **values}
    if files:
        data.update(files)
    return client.post(path, data=data, content_type="multipart/form-data")


def receipt_code(client) -> str:
    html = client.get("/cong-khai/bien-nhan").get_data(as_text=True)
    return re.search(r'id="tracking-code">([^<]+)<', html).group(1)


def submit(client, kind: str = "legal_help", files=None, **changes) -> str:
    """Send a valid request or letter; returns its tracking code, as shown once."""
    path, values = ("/cong-khai/yeu-cau-tu-van", LEGAL_HELP) if kind == "legal_help" else ("/cong-khai/gui-don",
                                                                                           DENUNCIATION)
    response = send(client, path, {**values, **changes}, files)
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    return receipt_code(client)


def open_matter(client, code: str):
    html = client.get("/cong-khai/tra-cuu").get_data(as_text=True)
    return client.post("/cong-khai/tra-cuu", data={"csrf_token": token(html), "code": code})
