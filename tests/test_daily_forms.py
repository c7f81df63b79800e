"""Nothing typed is lost: an over-size upload comes back as the same form with every field kept and the limit
stated; a required note left empty is refused at the field, and the page says where it belongs."""
import io
import re

from caseflow.core.clock import local_today
from caseflow.inspection import demo
from tests.conftest import csrf_token, login
from tests.factories import open_legal_aid
from tests.test_web_cases import _consulting, fire_via_web

SENDER = demo.DEMO_SENDERS[1]
MB = 1024 * 1024


def _desk_form(client, org) -> dict:
    return {"csrf_token": csrf_token(client, "/inspection/desk"), "subject": "Đơn phản ánh chậm trả lương tháng 10",
            "received_date": local_today().strftime("%d/%m/%Y"), "channel": "post",
            "letter_date": local_today().strftime("%d/%m/%Y"), "signed": "y", "foreign_language": "y",
            "unit_id": str(org["units"]["province"]), "sender_name": SENDER["full_name"],
            "sender_address": SENDER["address"], "sender_phone": SENDER["phone"], "sender_id_number": "052090001234",
            "sender_email": "nguoigui@example.vn", "other_signatories": "Trần Thị Bé, Lê Văn Cường",
            "content": "Công ty chậm trả lương tháng 10 cho 120 công nhân, đề nghị UBKT xem xét."}


def test_a_20_mb_scan_comes_back_as_the_form_with_every_field_kept(client, org):
    login(client, "vanthu")
    form = _desk_form(client, org)
    data = {**form, "scan": (io.BytesIO(b"%PDF-1.4\n" + b"0" * (20 * MB)), "don.pdf")}
    response = client.post("/inspection/desk", data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert 'id="register-letter"' in page
    for name, value in form.items():
        if name in ("csrf_token", "signed", "foreign_language", "unit_id", "channel"):
            continue
        assert value in page, (name, value)
    assert re.search(r'name="signed"[^>]*checked|checked[^>]*name="signed"', page)
    assert re.search(r'<option selected value="post">|<option value="post" selected', page)
    # the file field's own message, with the limit, and the limit printed beside the field before any error
    error = page[page.index('id="scan"'):]
    assert "Tệp quá lớn: tối đa 10 MB mỗi tệp." in error[:3000]
    assert "Tối đa 10 MB mỗi tệp." in client.get("/inspection/desk").get_data(as_text=True)


def test_a_scan_within_the_limit_is_kept(client, org):
    login(client, "vanthu")
    data = {**_desk_form(client, org), "scan": (io.BytesIO(b"%PDF-1.4\n" + b"0" * MB), "don.pdf")}
    response = client.post("/inspection/desk", data=data, content_type="multipart/form-data")
    assert response.status_code == 302


def test_file_fields_speak_vietnamese_and_carry_their_limit_to_the_local_script(client, org):
    login(client, "vanthu")
    page = client.get("/inspection/desk").get_data(as_text=True)
    field = page[page.index('id="scan"') - 200:page.index('id="scan"') + 1200]
    assert "Chọn tệp" in field and "Chưa chọn tệp nào" in field
    assert f'data-max-bytes="{10 * MB}"' in field and 'data-too-large="Tệp quá lớn' in field
    assert '/static/forms.js' in page and "<script>" not in page  # no inline script: a CSP may forbid it
    script = client.get("/static/forms.js")
    assert script.status_code == 200 and b"data-max-bytes" in script.data


def test_a_required_note_left_empty_is_refused_at_the_field(app, client, org):
    with app.app_context():
        case_id = open_legal_aid(org).id
    login(client, "tuvan1")
    _consulting(lambda _name: client, case_id)
    response = fire_via_web(client, case_id, "give_advice", {"rep_role": "lawyer"}, "")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    form = page[page.index('id="form-give_advice"'):]
    form = form[:form.index("</form>")]
    assert "Vui lòng ghi rõ lý do." in form and "is-invalid" in form
    # the page re-rendered at the POST's address asks the script to show the case's own address instead
    assert f'data-replace-url="/cases/{case_id}#form-give_advice"' in page
