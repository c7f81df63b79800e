"""Context builders: a document produced by a step of another procedure starts pre-filled from its case.

One small function per workflow kind, fn(session, case, type_key, step_data) -> {field name: value}, plain
data only; fields it cannot fill are left for the clerk. Builders of denunciations never read the protected
identity tables (caseflow/inspection/identity.py): a denouncer's identity never enters a document
(Luật Tố cáo 2018, Arts. 9(1)(b), 47(2))."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from caseflow.models import Case

Builder = Callable[[Session, Case, str, dict], dict[str, Any]]
#: workflow kind -> builder (the union's procedures register theirs from caseflow/union/documents.py)
BUILDERS: dict[str, Builder] = {}


def context_builder(kind: str):
    def register(fn: Builder) -> Builder:
        BUILDERS[kind] = fn
        return fn
    return register


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
    builder = BUILDERS.get(case.kind)
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
    out: dict[str, Any] = {"worker_name": worker, "client_name": worker, "person_name": worker,
                           "content": case.title}
    if detail is not None:
        out.update(employer_name=detail.employer_name, employer=detail.employer_name, facts=detail.facts,
                   question=detail.facts, forum=detail.forum, opposing_party=detail.opposing_party)
    out.update({k: v for k, v in step_data.items() if isinstance(v, (str, int, date)) and not isinstance(v, bool)})
    return out


@context_builder("letter")
def letter_context(session: Session, case: Case, type_key: str, step_data: dict) -> dict[str, Any]:
    from caseflow.models import LetterDetail

    detail = session.get(LetterDetail, case.id)
    out: dict[str, Any] = {"letter_subject": case.title, "content_summary": case.title}
    if detail is not None:
        for name in ("letter_date", "channel", "transferred_to", "guidance"):
            if hasattr(detail, name):
                out[name] = getattr(detail, name)
    out.update({k: v for k, v in step_data.items() if isinstance(v, (str, date)) and not isinstance(v, bool)})
    return out


@context_builder("complaint")
def complaint_context(session: Session, case: Case, type_key: str, step_data: dict) -> dict[str, Any]:
    from caseflow.models import ComplaintDetail

    detail = session.get(ComplaintDetail, case.id)
    complainant = (_public_parties(case, "complainant") or _public_parties(case) or [""])[0]
    out: dict[str, Any] = {"complainant": complainant, "complainant_name": complainant}
    if detail is not None:
        out.update(act_complained=detail.act_complained, request=detail.request, accepted_date=detail.accepted_date,
                   dialogue_date=detail.dialogue_date, refusal_ground=detail.refusal_ground)
    out.update({k: v for k, v in step_data.items() if isinstance(v, (str, date)) and not isinstance(v, bool)})
    return out


@context_builder("denunciation")
def denunciation_context(session: Session, case: Case, type_key: str, step_data: dict) -> dict[str, Any]:
    """Only the case file: the accused and the content; never the denouncer (ProtectedIdentity)."""
    from caseflow.models import DenunciationDetail

    detail = session.get(DenunciationDetail, case.id)
    out: dict[str, Any] = {}
    if detail is not None:
        out.update(accused=detail.accused, accused_name=detail.accused, violation=detail.violation,
                   content=detail.violation, accepted_date=detail.accepted_date,
                   transferred_to=detail.transferred_to)
    # step data of a denunciation may carry free text typed by the handler: only dates and choice codes
    out.update({k: v for k, v in step_data.items() if isinstance(v, date)})
    return out
