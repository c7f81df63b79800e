"""The handbook "Bộ quy trình nội bộ": the appendices of the Standing Committee's decision adopting the
procedures, one per workflow, computed from the definitions whenever the decision's PDF is rendered (a draft
shows the procedures as they run now; the issued PDF keeps them as adopted), and the draft itself, opened in
the document-issuance workflow like any decision."""
from __future__ import annotations

import json

from sqlalchemy.orm import Session

from caseflow.core import engine
from caseflow.core.engine import get_registry
from caseflow.core.models import Case, Unit, User
from caseflow.handbook.diagram import diagram_cache
from caseflow.handbook.procedure import Procedure, procedure_of

TYPE_KEY = "quyet_dinh_ban_hanh_quy_trinh"
TITLE = "Bộ quy trình nội bộ"
SUMMARY = "Về việc ban hành Bộ quy trình nội bộ"
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI",
         "XVII", "XVIII", "XIX", "XX"]


def roman(n: int) -> str:
    return ROMAN[n - 1] if n <= len(ROMAN) else str(n)


def procedures() -> list[Procedure]:
    """The latest version of every workflow, in Vietnamese, in the order of the workflows folder."""
    registry = get_registry()
    return [procedure_of(registry.get(name), "vi") for name in registry.latest]


def _deadline_words(clock) -> str:
    return f"{clock.label}: {clock.days} {clock.unit} ({clock.basis})"


def appendix(proc: Procedure, number: int) -> dict:
    """One procedure as plain data for the document template."""
    initial = proc.state(proc.initial).label
    steps = [{"label": "Tiếp nhận, mở hồ sơ", "path": f"→ {initial}", "who": ", ".join(proc.intake_roles),
              "required": [], "documents": "",
              "deadlines": [f"bắt đầu: {_deadline_words(c)}" for c in proc.clocks if "open" in c.starts]}]
    for s in proc.steps:
        steps.append({
            "label": s.label, "who": ", ".join(s.roles), "required": list(s.required),
            "path": f"{' / '.join(s.source_labels)} → {s.dest_label or 'giữ nguyên bước'}",
            "deadlines": [f"trong {c.days} {c.unit}: {c.label} ({c.basis})" for c in s.due]
                         + [f"bắt đầu: {_deadline_words(c)}" for c in s.starts],
            "documents": "; ".join(s.documents)})
    return {"roman": roman(number), "name": proc.name, "label": proc.label, "version": proc.version,
            "purpose": proc.purpose, "basis": proc.basis, "steps": steps,
            "clocks": [_deadline_words(c) for c in proc.clocks],
            # ids made unique per appendix: the diagrams share state names (closed, decided ...)
            "svg": diagram_cache().inline(proc).replace(' id="', f' id="{proc.name}-')}


def appendices(_session: Session | None = None, _case: Case | None = None, _detail=None) -> dict:
    """The data the decision's template adds to its fields (documents' render extra for TYPE_KEY)."""
    return {"appendices": [appendix(p, i) for i, p in enumerate(procedures(), start=1)]}


def decision_fields(unit: Unit) -> dict[str, str]:
    """The cover decision as the clerk starts from it: bases and articles naming every appendix."""
    procs = procedures()
    listed = "; ".join(f"Phụ lục {roman(i)}: Quy trình {p.label[:1].lower()}{p.label[1:]}"
                       for i, p in enumerate(procs, start=1))
    bases = ("Căn cứ Luật Công đoàn số 50/2024/QH15;\n"
             "Căn cứ Điều lệ Công đoàn Việt Nam khóa XIII (2023) và Hướng dẫn 38/HD-TLĐ (2024);\n"
             "Căn cứ Nghị định 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;\n"
             "Xét đề nghị của Văn phòng,")
    articles = "\n".join([
        f"Ban hành kèm theo Quyết định này {TITLE} gồm {len(procs)} quy trình: {listed}.",
        ("Các quy trình được thực hiện trên hệ thống quản lý hồ sơ caseflow đúng như các phụ lục; khi quy định "
         "của pháp luật hoặc của Tổng Liên đoàn thay đổi, quy trình được sửa đổi và ban hành lại theo trình tự này."),
        ("Quyết định có hiệu lực kể từ ngày ký. Văn phòng, các ban, Ủy ban Kiểm tra, Trung tâm Tư vấn pháp luật "
         f"Công đoàn và các công đoàn cấp trên trực tiếp cơ sở thuộc {unit.name} chịu trách nhiệm thi hành "
         "Quyết định này")])
    return {"bases": bases, "articles": articles}


def open_handbook_draft(session: Session, unit: Unit, actor: User) -> Case:
    """The cover decision as a draft of the document-issuance workflow, filled by its own audited step;
    both in one transaction. It is then approved, checked, signed and numbered like any decision."""
    case = engine.open_case(session, "document_issuance", unit, actor, {"type_key": TYPE_KEY, "summary": SUMMARY},
                            title=SUMMARY, commit=False)
    draft = {"summary": SUMMARY, "fields": decision_fields(unit)}
    engine.fire(case, "edit_draft", actor, {"draft": json.dumps(draft, ensure_ascii=False)}, session=session)
    return case
