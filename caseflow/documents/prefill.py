"""Pre-filled drafts: a document produced by a step of another procedure starts filled from its case.

The builders live in the registry of caseflow/documents/builders.py (keyed by workflow name, or kind): the
union's procedures register theirs (caseflow/union/documents.py); the inspection and legal-aid ones are here.
A builder is fn(session, case, type_key, step_data) -> {field name: value}, plain data; fields it cannot fill
are left for the clerk. Builders of denunciations never read the protected identity tables
(caseflow/inspection/identity.py): a denouncer's identity never enters a document (Luật Tố cáo 2018,
Arts. 9(1)(b), 47(2))."""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from caseflow.core.models import Case
from caseflow.documents.builders import context_builder, get_context_builder


def plain(value: Any) -> Any:
    """JSON-storable: dates as ISO strings, recursively."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def build(session: Session, case: Case, type_key: str, step_data: dict, field_names: list[str]) -> dict[str, Any]:
    """The type's fields the builder of the case's kind could fill (others left out)."""
    builder = get_context_builder(case.workflow) or get_context_builder(case.kind)
    built = builder(session, case, type_key, step_data) if builder else {}
    common = {"case_code": case.code, "received_date": case.received_date}
    return {name: plain(value) for name, value in {**common, **(built or {})}.items()
            if name in field_names and value not in (None, "", [], {})}


def _public_parties(case: Case, role: str | None = None) -> list[str]:
    return [p.full_name for p in case.parties if not p.confidential and (role is None or p.role == role)]


@context_builder("legal_aid")
def legal_aid_context(session: Session, case: Case, type_key: str, step_data: dict) -> dict[str, Any]:
    detail = case.legal_aid
    worker = (_public_parties(case) or [""])[0]
    out: dict[str, Any] = {"client_name": worker, "worker_name": worker, "principal_name": worker}
    if detail is not None:
        out.update(client_employer=detail.employer_name, worker_employer=detail.employer_name,
                   principal_employer=detail.employer_name, question=detail.facts, matter=detail.facts,
                   member="có" if detail.party_status == "member" else "không")
    return out


@context_builder("letter")
def letter_context(session: Session, case: Case, type_key: str, step_data: dict) -> dict[str, Any]:
    """The sender is never filled in: a denunciation's sender is protected, and the clerk types the others."""
    from caseflow.core.engine import get_registry
    from caseflow.core.i18n import label
    from caseflow.inspection.models import LetterDetail

    detail = session.get(LetterDetail, case.id)
    out: dict[str, Any] = {}
    if detail is not None:
        definition = get_registry().get(case.workflow, case.workflow_version)
        kinds = {v: label(lab, "vi") for f in [f for t in definition.transitions for f in t.fields]
                 if f.name == "content_type" for v, lab in f.choices.items()}
        out.update(letter_kind=kinds.get(detail.content_type or "", ""), letter_date=detail.letter_date,
                   transferred_to=detail.transferred_to or step_data.get("transferred_to"),
                   guidance=detail.guidance or step_data.get("guidance"))
    return out


@context_builder("complaint")
def complaint_context(session: Session, case: Case, type_key: str, step_data: dict) -> dict[str, Any]:
    from caseflow.inspection.models import ComplaintDetail

    detail = session.get(ComplaintDetail, case.id)
    complainant = (_public_parties(case, "complainant") or [""])[0]
    out: dict[str, Any] = {"complainant_name": complainant}
    if detail is not None:
        content = "\n".join(x for x in (detail.act_complained, detail.request) if x)
        out.update(act_complained=detail.act_complained, complaint_content=content,
                   acceptance_date=detail.accepted_date, dialogue_date=detail.dialogue_date,
                   round="lần hai" if (detail.round or 1) > 1 else "lần đầu")
    return out


@context_builder("denunciation")
def denunciation_context(session: Session, case: Case, type_key: str, step_data: dict) -> dict[str, Any]:
    """Only the case file: the accused and the content; never the denouncer (ProtectedIdentity), never the
    step's free text."""
    from caseflow.inspection.models import DenunciationDetail

    detail = session.get(DenunciationDetail, case.id)
    out: dict[str, Any] = {}
    if detail is not None:
        out.update(accused_name=detail.accused, content=detail.violation, acceptance_date=detail.accepted_date,
                   transferred_to=detail.transferred_to)
    return out
