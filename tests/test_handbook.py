"""The procedures published from their definitions (caseflow/handbook/): every workflow drawn as SVG and PDF
with its Vietnamese labels, the version diff of a fixture, a case's path on the map, the procedure pages, and
the handbook decision issued through the document workflow and read back with pdftotext."""
from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from flask import current_app

from caseflow.core import engine
from caseflow.core.engine import current_engine, get_registry
from caseflow.core.engine.registry import Registry
from caseflow.core.i18n import label
from caseflow.deadlines.service import rules_of
from caseflow.documents.demo import seed_powers
from caseflow.documents.models import DocumentDetail
from caseflow.extensions import db
from caseflow.handbook.diagram import diagram_cache, draw
from caseflow.handbook.diff import Change, diff
from caseflow.handbook.procedure import procedure_of
from tests.conftest import csrf_token, login, require_tool
from tests.factories import open_legal_aid, user, users_by_name
from tests.test_documents_register import units_by_key

SVG = "{http://www.w3.org/2000/svg}"
FIXTURES = Path(__file__).parent / "fixtures" / "handbook"


def squash(text: str) -> str:
    """Whitespace as one space, NFC: a label wrapped over several lines reads as one."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def unbroken(text: str) -> str:
    """As pdftotext reads a justified page back: a line broken after a hyphen, a dash or a slash joined again,
    hyphens dropped (pdftotext joins "HD-" at a line's end and "TLĐ" into "HDTLĐ"); applied to both sides."""
    return re.sub(r"-", "", re.sub(r"(?<=[–/-])\s+", "", squash(text)))


def group_texts(svg: bytes, kind: str) -> dict[str, str]:
    """id -> the text of each SVG group of class `kind` (node or edge), its lines joined."""
    root = ET.fromstring(svg)
    found = {}
    for g in root.iter(f"{SVG}g"):
        if kind in (g.get("class") or "").split():
            found[g.get("id")] = squash(" ".join(t.text or "" for t in g.iter(f"{SVG}text")))
    return found


def all_definitions():
    return [get_registry().get(name) for name in sorted(get_registry().latest)]


def test_every_workflow_renders_as_svg_and_pdf_with_every_vietnamese_label(ctx):
    pdftotext = require_tool("pdftotext", "poppler-utils")
    assert len(all_definitions()) >= 10
    for definition in all_definitions():
        proc = procedure_of(definition, "vi")
        svg = draw(proc, "svg")
        nodes, edges = group_texts(svg, "node"), group_texts(svg, "edge")
        for name, state in definition.states.items():
            assert squash(state.label["vi"]) in nodes[f"st_{name}"], (definition.name, name)
        everything = " | ".join(list(nodes.values()) + list(edges.values()))
        for t in definition.transitions:
            assert squash(t.label["vi"]) in everything, (definition.name, t.trigger)
            if not t.internal:  # a step that moves the case is an edge from each of its sources
                for source in t.sources:
                    assert squash(t.label["vi"]) in edges[f"tr_{t.trigger}__{source}"]
        finals = {n for n, s in definition.states.items() if s.final}
        root = ET.fromstring(svg)
        marked = {g.get("id")[3:] for g in root.iter(f"{SVG}g") if "final" in (g.get("class") or "").split()}
        assert marked == finals, definition.name
        pdf = draw(proc, "pdf")
        assert pdf.startswith(b"%PDF")
        text = squash(subprocess.run([pdftotext, "-", "-"], input=pdf, capture_output=True, check=True).stdout
                      .decode("utf-8"))
        for state in definition.states.values():
            for word in state.label["vi"].split():
                assert word in text, (definition.name, word)
        assert draw(proc, "png").startswith(b"\x89PNG")


def test_deadlines_are_drawn_on_the_states_where_their_clock_runs(ctx):
    definition = get_registry().get("denunciation")
    nodes = group_texts(draw(procedure_of(definition, "vi"), "svg"), "node")
    # Luật Tố cáo 2018, Art. 30: the 30-day resolution runs from the acceptance
    assert "Giải quyết tố cáo: 30 ngày" in nodes["st_accepted"]
    assert "Giải quyết tố cáo" not in nodes["st_received"]
    assert "Xử lý ban đầu thông tin tố cáo: 7 ngày làm việc" in nodes["st_received"]


def test_diagrams_are_drawn_once_per_workflow_version_language_and_format(ctx):
    proc = procedure_of(get_registry().get("discipline"), "vi")
    cache = diagram_cache()
    first = cache.get(proc, "svg")
    assert cache.get(proc, "svg") is first  # the same bytes: not drawn again
    assert cache.get(procedure_of(get_registry().get("discipline"), "en"), "svg") is not first
    with pytest.raises(ValueError):
        draw(proc, "gif")


def fixture_registry(tmp_path) -> Registry:
    folder = tmp_path / "workflows"
    folder.mkdir()
    for name in ("leave_v1.yaml", "leave_v2.yaml"):
        shutil.copy(FIXTURES / name, folder / name)
    return Registry.from_directory(folder, current_engine().hooks)


def test_the_diff_of_the_v2_fixture_lists_exactly_its_changes(ctx, tmp_path):
    registry = fixture_registry(tmp_path)
    v1, v2 = registry.get("leave_request", 1), registry.get("leave_request", 2)
    changes = diff(v1, v2)
    # the changes made in leave_v2.yaml, each once (see the comments in that file)
    assert {(c.kind, c.op, c.key) for c in changes} == {
        ("state", "added", "on_hold"),
        ("state", "removed", "withdrawn"),
        ("state", "changed", "approved"),
        ("transition", "added", "hold"),
        ("transition", "added", "resume"),
        ("transition", "removed", "withdraw"),
        ("transition", "changed", "approve"),
        ("role", "added", "approve:clerk"),
        ("role", "removed", "refuse:clerk"),
        ("role", "added", "open:inspector"),
        ("deadline", "added", "resumption"),
        ("deadline", "removed", "filing"),
        ("deadline", "changed", "decision"),
    }
    assert len(changes) == 13
    by_key = {(c.kind, c.key): c for c in changes}
    assert by_key[("deadline", "decision")].detail == "days: 10 → 15; basis: Quy chế mẫu, Điều 3 → Quy chế mẫu, Điều 4"
    assert "Đã duyệt → Đã phê duyệt" in by_key[("state", "approved")].detail
    assert diff(v1, v1) == [] and diff(v2, v2) == []
    assert isinstance(changes[0], Change) and changes[0].kind == "state"


def test_the_procedure_page_shows_steps_deadlines_basis_diagram_and_settings(app, org, client):
    login(client, "tuvan1")
    html = client.get("/procedures/standards/denunciation").get_data(as_text=True)
    definition = get_app_definition(app, "denunciation")
    assert "Luật Tố cáo 2018; Nghị định 31/2019/NĐ-CP" in html  # the procedure's basis
    for t in definition.transitions:
        assert f'data-step="{t.trigger}"' in html
    assert "Luật Tố cáo 2018, Điều 30" in html and '<svg class="cf-diagram"' in html
    page = client.get("/procedures/standards/cdcs_founding").get_data(as_text=True)
    assert 'data-setting="min_members"' in page and "Văn bản đề nghị công nhận CĐCS" in page  # a dossier item
    assert "Đủ các thành phần hồ sơ bắt buộc" in page  # the guard in plain words
    assert client.get("/procedures/standards/nope").status_code == 404
    assert client.get("/procedures/standards/discipline?version=7").status_code == 404
    assert client.get("/procedures/standards/discipline?version=x").status_code == 404
    assert client.get("/procedures/standards/discipline/diagram?format=gif").status_code == 404
    pdf = client.get("/procedures/standards/discipline/diagram?format=pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert client.get("/procedures/standards/discipline/diagram?format=svg").mimetype == "image/svg+xml"


def get_app_definition(app, name):
    with app.app_context():
        return get_registry().get(name)


def test_procedure_pages_need_a_sign_in_and_count_only_visible_cases(app, org, client):
    assert client.get("/procedures/standards/").status_code == 302
    with app.app_context():
        open_legal_aid(org)
        open_legal_aid(org, unit_key="LĐLĐ-QN", by="quynhon")
    login(client, "quynhon")  # Quy Nhơn's legal officer sees only the case of Quy Nhơn
    html = client.get("/procedures/standards/legal_aid").get_data(as_text=True)
    assert re.search(r'data-version="1"><td>.*?</td><td class="text-end">1</td>', html)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/cases/")})
    login(client, "tuvan1")
    html = client.get("/procedures/standards/legal_aid").get_data(as_text=True)
    assert re.search(r'data-version="1"><td>.*?</td><td class="text-end">2</td>', html)


def test_the_case_page_highlights_exactly_the_states_its_events_passed_through(app, org, client):
    with app.app_context():
        case = open_legal_aid(org)
        engine.fire(case, "start_consultation", user(org, "tuvan1"))
        engine.fire(case, "give_advice", user(org, "tuvan1"), {"rep_role": "legal_officer"}, comment="Đã tư vấn trực tiếp.")
        case_id, state = case.id, case.state
        definition = get_registry().get("legal_aid")
    login(client, "tuvan1")
    html = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert 'id="case-map"' in html and "/procedures/standards/legal_aid" in html
    svg = html[html.index('<svg class="cf-diagram"'):html.index("</svg>", html.index('<svg class="cf-diagram"')) + 6]
    root = ET.fromstring(svg)
    classes = {g.get("id")[3:]: set((g.get("class") or "").split()) for g in root.iter(f"{SVG}g")
               if (g.get("id") or "").startswith("st_")}
    passed = {name for name, c in classes.items() if "passed" in c}
    assert passed == {"received", "consulting", state} and state == "advised"
    assert {name for name, c in classes.items() if "current" in c} == {state}
    assert set(classes) == set(definition.states)
    taken = {g.get("id") for g in root.iter(f"{SVG}g") if "taken" in (g.get("class") or "").split()}
    assert taken == {"tr_start_consultation__received", "tr_give_advice__consulting"}
    next_steps = re.findall(r'<li data-step="([a-z_]+)">', html[html.index('id="next-steps"'):])
    assert set(next_steps) == {t.trigger for t in definition.transitions_from(state)}


@pytest.mark.slow
def test_the_handbook_is_drafted_issued_as_a_decision_and_reads_back(app, org, client):
    pdftotext = require_tool("pdftotext", "poppler-utils")
    pdffonts = require_tool("pdffonts", "poppler-utils")
    with app.app_context():
        seed_powers(db.session, units_by_key(org), users_by_name(org), date(2020, 1, 1))
        db.session.commit()
    login(client, "vanthu")
    assert client.post("/procedures/standards/handbook", data={"csrf_token": csrf_token(client, "/cases/"),
                                                               "unit_id": "999999"}).status_code == 302
    response = client.post("/procedures/standards/handbook", data={
        "csrf_token": csrf_token(client, "/procedures/standards/"), "unit_id": str(org["units"]["province"])})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    case_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    assert f"/cases/{case_id}" in client.get("/procedures/standards/").get_data(as_text=True)
    with app.app_context():
        from caseflow.core.models import Case

        case = db.session.get(Case, case_id)
        assert case.workflow == "document_issuance" and case.state == "drafting"
        engine.fire(case, "approve_draft", user(org, "lanhdao"))
        engine.fire(case, "check", user(org, "vanthu"), {"content_checked": True, "format_checked": True})
        engine.fire(case, "sign", user(org, "lanhdao"))
        engine.fire(case, "register", user(org, "vanthu"))
        detail = db.session.get(DocumentDetail, case_id)
        pdf_path = Path(current_app.config["STORAGE_DIR"]) / detail.pdf_path
        symbol = detail.symbol
        definitions = all_definitions()
        bases = {r.basis for d in definitions for r in rules_of(d).values()} | {d.extra["basis"] for d in definitions}
        names = [label(d.label, "vi") for d in definitions]
        steps = [label(t.label, "vi") for d in definitions for t in d.transitions]
    raw = subprocess.run([pdftotext, str(pdf_path), "-"], capture_output=True, check=True).stdout.decode()
    assert unicodedata.is_normalized("NFC", raw)
    text = unbroken(raw)
    assert unbroken(symbol) in text and "QUYẾT ĐỊNH" in text and "Về việc ban hành Bộ quy trình nội bộ" in text
    assert "DỰ THẢO" not in text and "Phụ lục X" in text
    for name in names:
        assert unbroken(f"Quy trình {name}").upper() in text.upper(), name
    for step in steps:
        assert unbroken(step) in text, step
    for basis in bases:
        assert unbroken(basis) in text, basis
    fonts = subprocess.run([pdffonts, str(pdf_path)], capture_output=True, check=True).stdout.decode().splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # every font embedded


ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("file, old, new, expected", [
    ("legal_aid/legal_aid.yaml", 'purpose: {vi: "Tư vấn pháp luật', 'purpose: {en: "Tư vấn pháp luật',
     "legal_aid.yaml: purpose: no Vietnamese description of the procedure"),
    ("legal_aid/legal_aid.yaml", '    label: {vi: "Phân công người xử lý", en: "Assign"}',
     '    label: {vi: "assign", en: "Assign"}', "legal_aid.yaml: transitions (assign): no Vietnamese description"),
    ("inspection/denunciation.yaml", '    basis: "Luật Tố cáo 2018, Điều 24(1)"', '    basis: " "',
     # refused by the deadline rules' own validator when the definitions load
     "denunciation.yaml: deadlines.initial_processing.basis: a rule must cite its legal basis"),
    ("legal_aid/legal_aid.yaml", "    roles: [leader]\n    label: {vi: \"Phân công",
     "    roles: [treasurer]\n    label: {vi: \"Phân công",
     "legal_aid.yaml: transitions (assign): role 'treasurer' is held by no demo user"),
])
def test_workflows_check_fails_on_a_procedure_that_cannot_be_published(runner, tmp_path, file, old, new, expected):
    folder = tmp_path / "workflows"
    shutil.copytree(ROOT / "workflows", folder)
    path = folder / file
    source = path.read_text(encoding="utf-8")
    assert old in source
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    result = runner.invoke(args=["workflows", "check", "--dir", str(folder)])
    assert result.exit_code == 1, result.output
    assert f"error: {expected}" in result.output
    assert "ok  " not in result.output
    assert runner.invoke(args=["workflows", "check"]).exit_code == 0  # the shipped ones pass


def test_workflows_diagram_command(runner, tmp_path):
    out = tmp_path / "discipline.pdf"
    result = runner.invoke(args=["workflows", "diagram", "discipline", "--format", "pdf", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF") and "discipline: pdf diagram written" in result.output
    svg = runner.invoke(args=["workflows", "diagram", "discipline"])
    assert svg.exit_code == 0 and svg.output.lstrip().startswith("<?xml") and "Quyết định kỷ luật" in svg.output
    unknown = runner.invoke(args=["workflows", "diagram", "nope"])
    assert unknown.exit_code == 2 and "error: unknown workflow 'nope'" in unknown.output
    assert runner.invoke(args=["workflows", "diagram", "discipline", "--version", "9"]).exit_code == 2
