"""Vietnamese first: every UI string has a Vietnamese translation, pages speak Vietnamese by default and
English on request, and text is stored in NFC."""
import re
import unicodedata
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from sqlalchemy import select

from caseflow.core.i18n import load_catalogue
from caseflow.core.models import Case, CaseEvent, Party
from caseflow.extensions import db
from tests.conftest import csrf_token, login

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")
#: msgids whose Vietnamese may legitimately equal the English
SAME_IN_BOTH = {"caseflow"}


def extracted_msgids() -> dict[str, str]:
    """msgid -> "file:line" of its first use, from caseflow/ (Python) and templates/ (Jinja), per babel.cfg."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def test_extraction_sees_python_and_templates():
    where = extracted_msgids().values()
    assert any(w.startswith("caseflow/") for w in where)
    assert any(w.startswith("templates/") for w in where)


def test_every_msgid_has_a_vietnamese_translation():
    catalogue = load_catalogue("vi")
    missing = [f"{where}: {msgid!r}" for msgid, where in sorted(extracted_msgids().items(), key=lambda x: x[1])
               if msgid not in catalogue or not catalogue[msgid].string]
    assert not missing, ("msgids without a Vietnamese translation (add them to your feature's "
                         "caseflow/<feature>/translations/vi/<feature>.po):\n" + "\n".join(missing))


def test_no_msgid_is_translated_two_ways_across_feature_catalogues():
    from babel.messages.pofile import read_po

    from caseflow.core.i18n import catalogue_sources

    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for po in catalogue_sources("vi"):
        with po.open("rb") as fh:
            for message in read_po(fh, locale="vi"):
                if not message.id or not message.string:
                    continue
                if message.id in seen and seen[message.id][1] != message.string:
                    clashes.append(f"{message.id!r}: {seen[message.id][0]} vs {po.name}")
                seen.setdefault(message.id, (po.name, message.string))
    assert not clashes, "one msgid, two translations (the merge keeps only one):\n" + "\n".join(clashes)


def test_catalogues_recompile_when_a_source_changes(tmp_path, monkeypatch):
    from caseflow.core import i18n

    source = tmp_path / "src"
    (source / "vi").mkdir(parents=True)
    po = source / "vi" / "x.po"
    po.write_text('msgid "Cases"\nmsgstr "Hồ sơ"\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "SOURCE_DIR", source)
    out = tmp_path / "out"
    mo = out / "vi" / "LC_MESSAGES" / "messages.mo"
    i18n.compile_catalogues(out)
    first = mo.read_bytes()
    stat = po.stat()
    po.write_text('msgid "Cases"\nmsgstr "Vụ việc"\n', encoding="utf-8")
    import os
    os.utime(po, ns=(stat.st_atime_ns, stat.st_mtime_ns - 10**9))  # older than the compiled file
    i18n.compile_catalogues(out)
    assert mo.read_bytes() != first and "Vụ việc".encode() in mo.read_bytes()


def test_translations_keep_placeholders_and_are_nfc_vietnamese():
    catalogue = load_catalogue("vi")
    problems = []
    for message in catalogue:
        if not message.id or not message.string:
            continue
        text = message.string if isinstance(message.string, str) else message.string[0]
        if set(PLACEHOLDER.findall(message.id)) != set(PLACEHOLDER.findall(text)):
            problems.append(f"placeholders differ: {message.id!r}")
        if unicodedata.normalize("NFC", text) != text:
            problems.append(f"not NFC: {message.id!r}")
        if text == message.id and message.id not in SAME_IN_BOTH:
            problems.append(f"left in English: {message.id!r}")
    assert not problems, "\n".join(problems)


def test_pages_are_vietnamese_by_default_and_english_on_request(client, org):
    page = client.get("/login").get_data(as_text=True)
    assert "Đăng nhập" in page and 'lang="vi"' in page
    login(client, "tuvan1")
    page = client.get("/cases/").get_data(as_text=True)
    assert "Vụ việc" in page and "Đăng xuất" in page and "Log out" not in page

    token = csrf_token(client, "/cases/")
    response = client.post("/lang/en", data={"csrf_token": token, "next": "/cases/"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/cases/")
    page = client.get("/cases/").get_data(as_text=True)
    assert 'lang="en"' in page and "Log out" in page and "Đăng xuất" not in page and "Tiếng Việt" in page

    client.post("/lang/vi", data={"csrf_token": csrf_token(client, "/cases/"), "next": "/cases/"})
    assert "Đăng xuất" in client.get("/cases/").get_data(as_text=True)


def test_workflow_labels_follow_the_language(client, org):
    login(client, "vanthu")
    page = client.get("/legal-aid/new").get_data(as_text=True)
    assert "Kênh tiếp nhận" in page and "Tiền lương" in page
    page = client.get("/legal-aid/new?lang=en").get_data(as_text=True)
    assert "Channel" in page and "Wages" in page


def test_unknown_language_falls_back_to_vietnamese(client, org):
    login(client, "tuvan1")
    token = csrf_token(client, "/cases/")
    client.post("/lang/fr", data={"csrf_token": token, "next": "/cases/"})
    assert "Đăng xuất" in client.get("/cases/?lang=fr").get_data(as_text=True)


@pytest.mark.parametrize("form", ["NFD"])
def test_text_typed_decomposed_is_stored_nfc_and_found_without_diacritics(client, org, app, form):
    name = unicodedata.normalize(form, "Nguyễn Thị Ánh Tuyết")
    facts = unicodedata.normalize(form, "Công ty nợ lương, bảo hiểm xã hội")
    assert name != unicodedata.normalize("NFC", name)
    login(client, "tuvan2")  # a legal officer: the desk clerk is sent back to the form (need to know)
    token = csrf_token(client, "/legal-aid/new")
    response = client.post("/legal-aid/new", data={
        "csrf_token": token, "unit_id": str(org["units"]["province"]), "received_date": "2026-11-02",
        "worker_name": name, "channel": "walk_in", "party_status": "member", "need": "consultation",
        "dispute_type": "wages", "employer_name": unicodedata.normalize(form, "Công ty Gỗ Thành Đạt"),
        "facts": facts})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    case_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        case = db.session.get(Case, case_id)
        party = db.session.scalar(select(Party).where(Party.case_id == case_id))
        for stored in (case.title, party.full_name, case.legal_aid.facts, case.legal_aid.employer_name):
            assert stored == unicodedata.normalize("NFC", stored), stored
        assert party.full_name == "Nguyễn Thị Ánh Tuyết"
        assert "nguyen thi anh tuyet" in case.search_text
        db.session.remove()

    client.post("/logout", data={"csrf_token": csrf_token(client, "/cases/")})
    login(client, "tuvan1")
    page = client.get("/cases/?q=nguyen+tuyet").get_data(as_text=True)
    assert f"/cases/{case_id}" in page

    token = csrf_token(client, f"/cases/{case_id}")
    response = client.post(f"/cases/{case_id}/fire/refer", data={
        "csrf_token": token, "refer-csrf_token": token, "refer-referred_to": unicodedata.normalize(form, "Sở Tư pháp"),
        "refer-comment": unicodedata.normalize(form, "Ngoài phạm vi hỗ trợ"), "refer-expected_version": ""})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        event = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id)
                                   .order_by(CaseEvent.seq.desc())).first()
        assert event.comment == "Ngoài phạm vi hỗ trợ"
        assert db.session.get(Case, case_id).legal_aid.referred_to == "Sở Tư pháp"
        db.session.remove()
