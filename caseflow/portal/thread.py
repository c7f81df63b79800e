"""The message thread between a sender and the handlers: every message is an audit event on its case
(the sender's as a hash and length: they may write what identifies them; a handler's answer in full, it
is what the union told the person). A new message from the sender lands in the handlers' work queue
(an in-app notification) and, when mail is configured, in their mailbox, without its content."""
from __future__ import annotations

import hashlib
from collections.abc import Mapping

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from caseflow.core.engine import audit_key, get_registry
from caseflow.core.engine.audit import append_event
from caseflow.core.engine.errors import InvalidInput, NotPermitted
from caseflow.core.engine.fire import atomic
from caseflow.core.engine.write import write_case
from caseflow.core.i18n import _
from caseflow.core.models import Case, RoleAssignment, Unit, User, utcnow
from caseflow.core.policy import can_see, roles_on
from caseflow.core.text import nfc
from caseflow.portal.files import CheckedFile
from caseflow.portal.models import PortalMessage, PortalSubmission

#: audit triggers of the thread (labelled on the case page's timeline)
INCOMING = "portal_message"
ANSWER = "portal_answer"
#: the notification kind in the work queue (caseflow/deadlines/notify.py describes it)
NOTICE_KIND = "portal_message"
MAX_BODY = 5000


def current_case(session: Session, submission: PortalSubmission) -> Case:
    """Where the matter is handled now: a letter accepted as a complaint or denunciation goes on in the
    case opened from it (the first one, when the letter was split into several)."""
    case = submission.case
    if case.kind == "letter":
        from caseflow.inspection.models import LetterDetail

        letter = session.get(LetterDetail, case.id)
        for linked_id in (letter.linked_case_ids if letter else None) or []:
            linked = session.get(Case, linked_id)
            if linked is not None:
                return linked
    return case


def submission_of(session: Session, case: Case) -> PortalSubmission | None:
    """The portal matter a case belongs to: opened by it, or opened from its letter."""
    row = session.scalar(select(PortalSubmission).where(PortalSubmission.case_id == case.id))
    if row is None and case.kind in ("complaint", "denunciation"):
        from caseflow.inspection.views import DETAIL

        letter_id = getattr(session.get(DETAIL[case.kind], case.id), "letter_case_id", None)
        if letter_id:
            row = session.scalar(select(PortalSubmission).where(PortalSubmission.case_id == letter_id))
    return row


def _audit(session: Session, case: Case, actor: User, trigger: str, payload: dict, comment: str = "") -> None:
    """One audit event on the case's chain, the case's version checked and bumped (the one audit writer)."""
    version = case.version
    case.updated_dt = now = utcnow()
    append_event(session, audit_key(), case, actor_id=actor.id, trigger=trigger, from_state=case.state,
                 to_state=case.state, comment=comment, payload=payload, now=now)
    write_case(session, case, version)


def _digest(body: str) -> dict:
    return {"sha256": hashlib.sha256(body.encode()).hexdigest(), "length": len(body)}


def clean_body(body: str | None) -> str:
    body = nfc(body or "").strip()
    if len(body) > MAX_BODY:
        raise InvalidInput(_("Some fields are not valid."), {"body": _("At most %(n)d characters.", n=MAX_BODY)})
    return body


def add_file_message(session: Session, submission: PortalSubmission, case: Case, stored_id: int,
                     checked: CheckedFile, actor: User) -> PortalMessage:
    """A file the sender sent, as a line of the thread (a letter's file name is not kept here: it may name
    the sender, and it stays with the protected scan)."""
    message = PortalMessage(submission_id=submission.id, case_id=case.id, incoming=True, body="",
                            file_name=checked.name if case.kind == "legal_aid" else None,
                            attachment_id=stored_id, created_dt=utcnow())
    session.add(message)
    return message


def post_from_sender(session: Session, submission: PortalSubmission, body: str, checked: CheckedFile | None,
                     storage_dir: str, config: Mapping) -> PortalMessage:
    """The sender's message (and file), audited, notified; one transaction."""
    from caseflow.portal.files import store
    from caseflow.portal.intake import portal_actor

    body = clean_body(body)
    if not body and checked is None:
        raise InvalidInput(_("Some fields are not valid."), {"body": _("Write a message or add a file.")})
    case = current_case(session, submission)
    actor = portal_actor(session, case.unit)
    with atomic(session):
        message = PortalMessage(submission_id=submission.id, case_id=case.id, incoming=True, body=body,
                                created_dt=utcnow())
        session.add(message)
        if checked is not None:
            message.attachment_id = store(session, storage_dir, case, checked, actor)
            message.file_name = checked.name if case.kind == "legal_aid" else None
        session.flush()
        _audit(session, case, actor, INCOMING, {"portal_message": message.id, **_digest(body),
                                                "file": checked is not None})
        recipients = handlers_of(session, case)
        _notify(session, case, recipients)
        _email(session, config, case, recipients)
        session.commit()
    return message


def may_answer(session: Session, user: User, case: Case) -> bool:
    """Who acts on the case may answer: a role of its workflow's steps on the case's unit."""
    if not can_see(session, user, case):
        return False
    definition = get_registry().get(case.workflow, case.workflow_version)
    roles = set(definition.intake_roles) | {r for t in definition.transitions for r in t.roles}
    return bool(roles & roles_on(session, user, case.unit))


def answer(session: Session, case: Case, user: User, body: str, expected_version: int | None = None) -> PortalMessage:
    """A handler's answer to the sender: audited with its text."""
    from caseflow.core.engine.errors import Conflict

    submission = submission_of(session, case)
    if submission is None or not may_answer(session, user, case):
        raise NotPermitted(_("You may not answer on this case."))
    body = clean_body(body)
    if not body:
        raise InvalidInput(_("Some fields are not valid."), {"body": _("This field is required.")})
    if expected_version is not None and expected_version != case.version:
        raise Conflict(_("The case was changed by someone else meanwhile. Reload it and try again."))
    with atomic(session):
        message = PortalMessage(submission_id=submission.id, case_id=case.id, incoming=False, body=body,
                                author_id=user.id, created_dt=utcnow())
        session.add(message)
        session.flush()
        _audit(session, case, user, ANSWER, {"portal_message": message.id}, comment=body)
        mark_read(session, submission)
        session.commit()
    return message


def mark_read(session: Session, submission: PortalSubmission) -> None:
    session.execute(update(PortalMessage).where(PortalMessage.submission_id == submission.id,
                                                PortalMessage.incoming.is_(True), PortalMessage.read_dt.is_(None))
                    .values(read_dt=utcnow()))


def handlers_of(session: Session, case: Case) -> list[User]:
    """Whom a new message concerns: the case's assignee; without one, whoever holds an intake role of its
    workflow on the case's unit or above (its queue), the portal's own account left out."""
    from caseflow.portal.intake import PORTAL_USERNAME

    if case.assignee is not None and case.assignee.active:
        return [case.assignee]
    definition = get_registry().get(case.workflow, case.workflow_version)
    ids = [int(x) for x in case.unit.path.strip("/").split("/") if x]
    users = session.scalars(select(User).join(RoleAssignment, RoleAssignment.user_id == User.id)
                            .join(Unit, Unit.id == RoleAssignment.unit_id)
                            .where(Unit.id.in_(ids), RoleAssignment.role.in_(list(definition.intake_roles)),
                                   User.active.is_(True), User.username != PORTAL_USERNAME).distinct()).all()
    return [u for u in users if can_see(session, u, case)]


def _notify(session: Session, case: Case, users: list[User]) -> None:
    from caseflow.deadlines.models import Notification

    for user in users:
        session.add(Notification(user_id=user.id, case_id=case.id, kind=NOTICE_KIND, created_dt=utcnow()))


def _email(session: Session, config: Mapping, case: Case, users: list[User]) -> None:
    """A short e-mail naming the case code only (never the message, never the sender), queued in the outbox
    in the message's transaction; nothing without SMTP."""
    from caseflow.deadlines.notify import describe
    from caseflow.jobs.outbox import queue_message

    if not config.get("MAIL_SERVER"):
        return
    text = describe(NOTICE_KIND, case.code, "", None)
    for address in sorted({u.email for u in users if u.email}):
        queue_message(session, address, f"[caseflow] {text}", text, kind=NOTICE_KIND)
