"""Document types and formats: types.yaml validated (errors name file and item), one type per document a workflow
produces, identity-free denunciation documents, Vietnamese date / number / money formats (NĐ 30/2020, Phụ lục I),
and the HTML: NFC, autoescaped, sandboxed, nothing outside the app referenced. No PDF here (see test_documents_pdf)."""
import re
import unicodedata
from datetime import date
from pathlib import Path

import pytest
import yaml

from caseflow.documents import (
    DocumentTypeError,
    UnknownDocumentType,
    document_types,
    get_type,
    missing_fields,
    number_line,
    render_html,
    sample_data,
    vi_place_date,
)
from caseflow.documents.render import header_lines, sentence_name, signature_lines
from caseflow.documents.types import FIELD_KINDS, TEMPLATE_DIR, load_types
from caseflow.documents.vi_format import money, vi_date_words

ROOT = Path(__file__).resolve().parent.parent
GENERIC = {"quyet_dinh", "thong_bao", "cong_van", "bao_cao", "ke_hoach", "to_trinh"}
#: types a feature drafts itself, not a workflow step: the handbook's decision (caseflow/handbook/appendix.py)
FEATURE_TYPES = {"quyet_dinh_ban_hanh_quy_trinh"}
#: documents of a denunciation meant for the accused or the public: no field may carry the denouncer's identity
DENUNCIATION_DISTRIBUTED = {"quyet_dinh_thu_ly_to_cao", "thong_bao_thu_ly_to_cao", "quyet_dinh_thanh_lap_to_xac_minh",
                            "quyet_dinh_gia_han", "ket_luan_noi_dung_to_cao", "thong_bao_ket_qua"}
IDENTITY_WORDS = ("denouncer", "sender", "complainant", "nguoi_to_cao", "address", "id_number", "phone")


def workflow_document_keys() -> set[str]:
    keys = set()
    for path in (ROOT / "workflows").rglob("*.yaml"):  # flat or one folder per feature
        for t in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("transitions") or ():
            keys.update(t.get("documents") or ())
    return keys


def test_one_type_per_document_the_workflows_produce_plus_generic_ones():
    declared = set(document_types())
    assert workflow_document_keys() <= declared, workflow_document_keys() - declared
    assert GENERIC <= declared
    assert declared == workflow_document_keys() | GENERIC | FEATURE_TYPES


@pytest.mark.parametrize("key", sorted(document_types()))
def test_type_is_complete(key):
    t = get_type(key)
    assert t.key == key and (TEMPLATE_DIR / t.template).is_file()
    assert t.label["vi"] and t.label["en"] and t.basis
    assert all(f.kind in FIELD_KINDS and f.label["vi"] and f.label["en"] for f in t.fields)
    assert t.title == t.title.upper()
    # a letter (công văn) has neither a type code nor a printed type name (NĐ 30, Phụ lục III)
    assert (t.code is None) if t.is_letter else True
    assert not missing_fields(key, sample_data(key)), "the sample fills every required field"


def test_type_codes_follow_phu_luc_iii():
    codes = {k: get_type(k).code for k in document_types()}
    assert {codes[k] for k in codes if k.startswith("quyet_dinh")} == {"QĐ"}
    assert {codes[k] for k in codes if k.startswith("thong_bao")} == {"TB"}
    assert codes["bien_ban_doi_thoai"] == "BB" and codes["giay_uy_quyen"] == "GUQ"
    assert codes["phieu_chuyen_don"] == "PC" and codes["to_trinh_khen_thuong"] == "TTr"
    assert codes["bao_cao"] == "BC" and codes["ke_hoach"] == "KH" and codes["cong_van"] is None


@pytest.mark.parametrize("key", sorted(DENUNCIATION_DISTRIBUTED))
def test_denunciation_documents_for_distribution_have_no_identity_field(key):
    t = get_type(key)
    assert t.distribution in {"public", "party"}
    names = [f.name for f in t.fields]
    assert not [n for n in names if any(w in n for w in IDENTITY_WORDS)], names
    template = (TEMPLATE_DIR / t.template).read_text(encoding="utf-8")
    assert not re.search(r"f\.(denouncer|sender|complainant)", template)


def test_unknown_type_is_a_clear_error():
    with pytest.raises(UnknownDocumentType, match="nonexistent"):
        get_type("nonexistent")
    with pytest.raises(KeyError):  # still a KeyError for callers that expect one
        render_html("nonexistent", {})


@pytest.mark.parametrize("spec, message", [
    ({"x": {"label": {"vi": "X"}, "fields": [{"name": "a", "kind": "blob", "label": {"vi": "A"}}]}},
     "x.fields[0].a: unknown field kind 'blob'"),
    ({"x": {"label": {"vi": "X"}, "template": "missing.html"}}, "x: missing template missing.html"),
    ({"x": {"label": {"en": "X"}}}, "x: missing vi label"),
    ({"x": {"label": {"vi": "X"}, "fields": [{"name": "a", "kind": "text"}]}}, "x.fields[0].a: missing vi label"),
    ({"x": {"label": {"vi": "X"}, "defaults": {"signature": {"authority": "THAY."}}}}, "unknown signing authority"),
    ({"x": {"label": {"vi": "X"}, "colour": "red"}}, "x: unknown keys ['colour']"),
])
def test_invalid_types_file_names_file_and_item(tmp_path, spec, message):
    (tmp_path / "x.html").write_text("{% extends '_layout.html' %}", encoding="utf-8")
    path = tmp_path / "types.yaml"
    path.write_text(yaml.safe_dump({"types": spec}, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DocumentTypeError) as err:
        load_types(path)
    assert str(err.value).startswith("types.yaml: ") and message in str(err.value)


# --- formats (Nghị định 30/2020/NĐ-CP, Phụ lục I) ---------------------------------------------------------------
@pytest.mark.parametrize("day, expected", [
    (date(2026, 2, 5), "Bình Định, ngày 05 tháng 02 năm 2026"),
    (date(2026, 3, 15), "Bình Định, ngày 15 tháng 3 năm 2026"),
    (date(2026, 1, 9), "Bình Định, ngày 09 tháng 01 năm 2026"),
    (date(2026, 12, 31), "Bình Định, ngày 31 tháng 12 năm 2026"),
    ("2026-10-01", "Bình Định, ngày 01 tháng 10 năm 2026"),
    (None, "Bình Định, ngày ... tháng ... năm ..."),
])
def test_place_and_date(day, expected):
    assert vi_place_date("Bình Định", day) == expected


def test_date_words_accepts_datetimes():
    from datetime import datetime
    assert vi_date_words(datetime(2026, 2, 17, 9, 30)) == "ngày 17 tháng 02 năm 2026"


@pytest.mark.parametrize("args, expected", [
    ((5, "QĐ", "LĐLĐ"), "Số: 05/QĐ-LĐLĐ"),
    ((12, "TB", "UBKT"), "Số: 12/TB-UBKT"),
    ((105, "QĐ", "LĐLĐ"), "Số: 105/QĐ-LĐLĐ"),
    ((7, None, "LĐLĐ"), "Số: 07/LĐLĐ"),
    ((None, "QĐ", "LĐLĐ"), "Số: " + "\u00a0" * 6 + "/QĐ-LĐLĐ"),
])
def test_number_line(args, expected):
    assert number_line(*args) == expected


def test_letter_symbol_names_issuer_and_drafting_unit():
    assert number_line(3, None, "LĐLĐ", "UBKT") == "Số: 03/LĐLĐ-UBKT"
    assert number_line(3, "QĐ", "LĐLĐ", "UBKT") == "Số: 03/QĐ-LĐLĐ"


def test_money():
    assert money(12500000) == "12.500.000 đồng"
    assert money(0) == "0 đồng" and money(None) == ""


@pytest.mark.parametrize("sig, lines", [
    ({"authority": "TM.", "on_behalf_of": "BAN THƯỜNG VỤ", "title": "CHỦ TỊCH"}, ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH"]),
    ({"authority": "KT.", "on_behalf_of": "CHỦ TỊCH", "title": "PHÓ CHỦ TỊCH"}, ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
    ({"authority": "Q.", "on_behalf_of": "", "title": "CHỦ TỊCH"}, ["Q. CHỦ TỊCH"]),
    ({"authority": "TL.", "on_behalf_of": "BAN THƯỜNG VỤ", "title": "CHÁNH VĂN PHÒNG"},
     ["TL. BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG"]),
    ({"authority": "", "on_behalf_of": "", "title": "CHỦ TỊCH"}, ["CHỦ TỊCH"]),
])
def test_signature_lines(sig, lines):
    assert signature_lines(sig) == lines


def test_header_lines_break_before_the_place():
    assert header_lines("LIÊN ĐOÀN LAO ĐỘNG TỈNH BÌNH ĐỊNH") == ["LIÊN ĐOÀN LAO ĐỘNG", "TỈNH BÌNH ĐỊNH"]
    assert header_lines("ỦY BAN KIỂM TRA") == ["ỦY BAN KIỂM TRA"]
    assert header_lines("LIÊN ĐOÀN LAO ĐỘNG\nTỈNH GIA LAI") == ["LIÊN ĐOÀN LAO ĐỘNG", "TỈNH GIA LAI"]
    assert sentence_name("LIÊN ĐOÀN LAO ĐỘNG TỈNH BÌNH ĐỊNH") == "Liên đoàn Lao động tỉnh Bình Định"


# --- HTML ------------------------------------------------------------------------------------------------------
def nfd(value):
    if isinstance(value, str):
        return unicodedata.normalize("NFD", value)
    if isinstance(value, dict):
        return {k: nfd(v) for k, v in value.items()}
    if isinstance(value, list):
        return [nfd(v) for v in value]
    return value


@pytest.mark.parametrize("key", sorted(document_types()))
def test_nfd_input_renders_as_nfc(key):
    data = sample_data(key)
    html = render_html(key, nfd(data))
    assert html == unicodedata.normalize("NFC", html)
    assert html == render_html(key, data)


HOSTILE = ['<img src=http://127.0.0.1:9/x>', "file:///etc/passwd", "@import url(http://127.0.0.1:9/y);",
           '<link rel=stylesheet href="http://127.0.0.1:9/z.css">', "</style><script>alert(1)</script>",
           "{{ 7*7 }} {% for x in range(3) %}x{% endfor %}", "{{ ''.__class__.__mro__ }}"]


@pytest.mark.parametrize("key", sorted(document_types()))
def test_hostile_text_is_escaped_and_never_evaluated(key):
    data = sample_data(key)
    hostile = " ".join(HOSTILE)
    data["summary"] = hostile
    data["signature"]["name"] = hostile
    data["recipients"] = [hostile]
    for spec in get_type(key).fields:
        if spec.kind in {"text", "textarea"}:
            data["fields"][spec.name] = hostile
        elif spec.kind == "list":
            data["fields"][spec.name] = [{c: hostile for c, _ in spec.columns}] if spec.columns else [hostile]
    html = render_html(key, data)
    assert "<img" not in html and "<link" not in html and "<script" not in html
    assert "&lt;img src=http://127.0.0.1:9/x&gt;" in html
    assert "{{ 7*7 }}" in html and "49" not in html.replace("2049", "")
    assert "__mro__" in html and "<class" not in html


def test_html_references_nothing_outside_the_app():
    for key in document_types():
        html = render_html(key, sample_data(key))
        assert not re.search(r"(src|href)\s*=", html, re.IGNORECASE), key
        assert not re.search(r"url\(|@import|https?:|file:", html, re.IGNORECASE), key


def test_draft_is_marked_and_has_no_number_or_date():
    data = sample_data("quyet_dinh_ky_luat") | {"draft": True, "number": None, "date": None}
    html = render_html("quyet_dinh_ky_luat", data)
    assert html.count("DỰ THẢO") >= 2
    assert "Số: " + "\u00a0" * 6 + "/QĐ-LĐLĐ" in html and "ngày ... tháng ... năm ..." in html


def test_missing_keys_do_not_crash_and_required_fields_show_a_gap():
    html = render_html("quyet_dinh_thu_ly_to_cao", {})
    assert "QUYẾT ĐỊNH" in html and "…………" in html
    assert missing_fields("quyet_dinh_thu_ly_to_cao", {}) == ["received_date", "accused_name", "content"]
    assert "…………" in render_html("quyet_dinh_cong_nhan_bch", {"fields": {"union_name": "CĐCS X", "term": "2025"}})


def test_defaults_fill_signature_recipients_and_archive():
    data = sample_data("quyet_dinh_cong_nhan_cdcs")
    for key in ("recipients", "archive"):
        data.pop(key)
    data["signature"] = {"name": "Võ Minh Tâm"}
    html = render_html("quyet_dinh_cong_nhan_cdcs", data)
    assert "TM. BAN THƯỜNG VỤ" in html and "Võ Minh Tâm" in html
    assert "- Như Điều 3;" in html and "- Lưu: VT, TC." in html


def test_union_context_builders_are_registered():
    import caseflow.union.hooks  # noqa: F401 - registers the union's builders at import
    from caseflow.documents import get_context_builder

    assert get_context_builder("discipline") is not None and get_context_builder("cdcs_founding") is not None


def test_templates_run_in_an_immutable_sandbox():
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from caseflow.documents.render import environment

    env = environment()
    assert isinstance(env, ImmutableSandboxedEnvironment) and env.autoescape
    with pytest.raises(SecurityError):
        env.from_string("{{ d.__class__.__mro__[1].__subclasses__() }}").render(d={})
    with pytest.raises(SecurityError):
        env.from_string("{% set x = f.append(1) %}").render(f=[])
    assert env.from_string("{{ v }}").render(v="<b>") == "&lt;b&gt;"


def test_missing_fonts_fail_with_a_clear_message(monkeypatch, tmp_path):
    from caseflow.documents import FontsMissing, fonts

    monkeypatch.setattr(fonts, "FAMILIES", (("Liberation Serif", "LiberationSerif", (str(tmp_path),)),))
    monkeypatch.setattr(fonts, "_fc_match", lambda pattern: None)
    fonts.font_files.cache_clear()
    try:
        with pytest.raises(FontsMissing, match="fonts-liberation2"):
            fonts.font_files()
        # a file by that name without Vietnamese glyphs (as Liberation 1.x) is refused too
        arabic = Path("/usr/share/fonts/truetype/noto/NotoKufiArabic-Regular.ttf")
        if arabic.is_file():
            (tmp_path / "LiberationSerif-Regular.ttf").symlink_to(arabic)
            fonts.font_files.cache_clear()
            with pytest.raises(FontsMissing, match="Vietnamese"):
                fonts.font_files()
    finally:
        fonts.font_files.cache_clear()


def test_field_values_as_forms_send_them():
    """Dates typed dd/mm/yyyy, money with dots, a list typed one item per line: printed, never a crash."""
    from caseflow.documents.vi_format import vi_short_date

    assert vi_short_date("05/02/2026") == "05/02/2026" and vi_short_date("2026-02-05") == "05/02/2026"
    assert vi_short_date("đầu tháng 3") == "đầu tháng 3"
    assert money("12.500.000") == "12.500.000 đồng" and money("khoảng 2 triệu") == "khoảng 2 triệu"
    data = sample_data("van_ban_de_nghi")
    data["fields"] |= {"addressees": "Giám đốc Công ty A\nChủ tịch Công đoàn cơ sở", "amount": "3.000.000"}
    html = render_html("van_ban_de_nghi", data)
    assert "- Giám đốc Công ty A" in html and "- Chủ tịch Công đoàn cơ sở" in html and "3.000.000 đồng" in html


def test_person_mapping_fills_the_flat_fields():
    data = sample_data("quyet_dinh_ky_luat")
    for name in ("person_name", "person_position", "person_unit"):
        data["fields"].pop(name)
    data["fields"]["person"] = {"full_name": "Lý Văn Tường", "position": "Ủy viên BCH", "unit": ""}
    assert missing_fields("quyet_dinh_ky_luat", data) == []
    assert "ông (bà) Lý Văn Tường, Ủy viên BCH." in render_html("quyet_dinh_ky_luat", data)
