"""What the sender sees of their matter: a public stage (never the internal state), the time limits the law
gives the union to answer them, the documents addressed to them, and the thread. Plain data for templates."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.core.engine import get_registry
from caseflow.core.i18n import _l
from caseflow.core.models import Case
from caseflow.portal.models import PortalMessage, PortalSubmission
from caseflow.portal.thread import current_case

#: the public stages, in the order a matter goes through them
STAGES = {
    "received": _l("Received: waiting to be looked at"),
    "examined": _l("Being examined: is it for us, and is everything there?"),
    "accepted": _l("Accepted: being handled"),
    "verifying": _l("Facts being verified"),
    "helping": _l("The union is helping you"),
    "representing": _l("The union represents you"),
    "paused": _l("Paused (the time limit does not run)"),
    "decided": _l("Decided: the answer has been sent"),
    "transferred": _l("Sent on to the body that can handle it"),
    "closed": _l("Closed"),
    "not_accepted": _l("Not accepted (the reasons were sent to you)"),
}
#: internal state -> public stage, per workflow; a state not listed shows as "examined" (open) or "closed"
PUBLIC_STAGE = {
    "legal_aid": {"received": "received", "consulting": "helping", "advised": "helping",
                  "representation_proposed": "helping", "awaiting_authorisation": "helping",
                  "authorised": "representing", "in_conciliation": "representing",
                  "in_arbitration": "representing", "in_court": "representing", "in_appeal": "representing",
                  "outcome_recorded": "decided", "referred": "transferred", "declined": "not_accepted"},
    "letter_intake": {"received": "received", "classified": "examined", "assessed": "examined",
                      "proposed": "accepted", "transferred": "transferred", "guided": "decided",
                      "archived": "closed", "split": "accepted"},
    "complaint": {"received": "examined", "accepted": "accepted", "verifying": "verifying", "decided": "decided",
                  "decision_sent": "decided", "second_received": "examined", "second_accepted": "accepted",
                  "second_verifying": "verifying", "second_decided": "decided", "refused": "not_accepted",
                  "in_court": "closed"},
    "denunciation": {"received": "examined", "accepted": "accepted", "verifying": "verifying",
                     "suspended": "paused", "concluded": "decided", "published": "decided",
                     "re_denounced": "examined", "transferred": "transferred", "not_processed": "not_accepted",
                     "referred_to_police": "transferred"},
}
#: documents addressed to the sender (their recipients list names them: types.yaml), shown once issued
ADDRESSED_TYPES = ("thong_bao_thu_ly_to_cao", "thong_bao_ket_qua", "thong_bao_thu_ly_khieu_nai",
                   "thong_bao_khong_thu_ly_khieu_nai", "quyet_dinh_giai_quyet_khieu_nai", "van_ban_huong_dan",
                   "phieu_tu_van", "phieu_chuyen_don")


@dataclass(frozen=True)
class PublicDeadline:
    label: str
    due: date
    basis: str
    #: True: a time the union owes the person; False: a period the person must keep (limitation)
    owed: bool
    late: bool


@dataclass(frozen=True)
class PublicDocument:
    id: int
    title: str
    symbol: str
    issued: date | None


@dataclass(frozen=True)
class PublicMessage:
    incoming: bool
    body: str
    when: object
    file_name: str | None
    has_file: bool


@dataclass(frozen=True)
class PublicStatus:
    kind: str
    letter_type: str | None
    anonymous: bool
    received: date
    stage: str
    stage_label: str
    stages: list[tuple[str, str, bool]]
    deadlines: list[PublicDeadline]
    documents: list[PublicDocument]
    messages: list[PublicMessage]


def stage_of(case: Case) -> str:
    definition = get_registry().get(case.workflow, case.workflow_version)
    default = "closed" if definition.is_final(case.state) else "examined"
    return PUBLIC_STAGE.get(case.workflow, {}).get(case.state, default)


def chain(session: Session, submission: PortalSubmission) -> list[Case]:
    """The submission's case and the one the matter went on in (if any)."""
    first, now = submission.case, current_case(session, submission)
    return [first] if first.id == now.id else [first, now]


def status(session: Session, submission: PortalSubmission, today: date) -> PublicStatus:
    from caseflow.deadlines.models import Deadline
    from caseflow.documents.models import DocumentDetail

    cases = chain(session, submission)
    ids = [c.id for c in cases]
    stage = stage_of(cases[-1])
    path = ["received", "examined", "accepted", "decided"] if submission.kind == "letter" else \
        ["received", "helping", "decided"]
    reached = path.index(stage) if stage in path else len(path)
    stages = [(key, str(STAGES[key]), i <= reached) for i, key in enumerate(path)]
    deadlines = [PublicDeadline(d.label, d.due_date, d.basis, d.kind != "warning", d.due_date < today)
                 for d in session.scalars(select(Deadline).where(Deadline.case_id.in_(ids),
                                                                 Deadline.status.in_(("open", "paused", "breached")))
                                          .order_by(Deadline.due_date))]
    docs = session.execute(select(DocumentDetail, Case).join(Case, Case.id == DocumentDetail.case_id)
                           .where(DocumentDetail.source_case_id.in_(ids), DocumentDetail.pdf_sha256.is_not(None),
                                  DocumentDetail.type_key.in_(ADDRESSED_TYPES), DocumentDetail.secret.is_(False))
                           .order_by(DocumentDetail.issued_dt)).all()
    documents = [PublicDocument(d.case_id, _document_title(d), d.symbol or "", d.issued_date) for d, _c in docs]
    messages = [PublicMessage(m.incoming, m.body, m.created_dt, m.file_name, m.attachment_id is not None)
                for m in session.scalars(select(PortalMessage).where(PortalMessage.submission_id == submission.id)
                                         .order_by(PortalMessage.id))]
    return PublicStatus(submission.kind, submission.letter_type, submission.anonymous, cases[0].received_date, stage,
                        str(STAGES[stage]), stages, deadlines, documents, messages)


def _document_title(detail) -> str:
    from caseflow.core.i18n import label
    from caseflow.documents.types import get_type

    return label(get_type(detail.type_key).label)


def addressed_document(session: Session, submission: PortalSubmission, document_id: int):
    """The issued document `document_id` if it is addressed to this submission's sender, else None."""
    from caseflow.documents.models import DocumentDetail

    detail = session.get(DocumentDetail, document_id)
    ids = {c.id for c in chain(session, submission)}
    if detail is None or detail.source_case_id not in ids or not detail.issued or detail.secret or \
            detail.type_key not in ADDRESSED_TYPES:
        return None
    return detail
