"""Texts of deadline notifications, and their optional e-mail copies (queued in the outbox, only when SMTP is
configured)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from caseflow.core.models import Case, User
from caseflow.deadlines.models import Notification


def describe(kind: str, case_code: str, label: str, due) -> str:
    """The notice in Vietnamese (the staff's language; the in-app list renders it too)."""
    due_text = due.strftime("%d/%m/%Y") if due else ""
    if kind == "breached":
        return f"{case_code}: đã quá hạn “{label}” (hạn {due_text})."
    if kind.startswith("due_in_"):
        n = kind.rsplit("_", 1)[-1]
        return f"{case_code}: còn {n} ngày làm việc đến hạn “{label}” (hạn {due_text})."
    if kind == "portal_message":  # caseflow/portal/thread.py: never the message itself
        return f"{case_code}: có tin nhắn mới của người gửi qua cổng trực tuyến."
    return f"{case_code}: {label}"


def queue_emails(session: Session, config: Mapping, notification_ids: Iterable[int]) -> int:
    """E-mail copies of the given (just inserted) notifications, queued in the outbox in the caller's
    transaction; nothing unless MAIL_SERVER is set. Each notification is queued by the sweep that inserted
    it, so a second run queues nothing again."""
    from caseflow.jobs.outbox import queue_message

    ids = list(notification_ids)
    if not config.get("MAIL_SERVER") or not ids:
        return 0
    rows = session.scalars(select(Notification).where(Notification.id.in_(ids))
                           .options(selectinload(Notification.deadline))).all()
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_({r.user_id for r in rows})))}
    cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_({r.case_id for r in rows})))}
    queued = 0
    for n in rows:
        user = users.get(n.user_id)
        if user is None or not user.email or n.deadline is None or n.case_id is None:
            continue
        text = describe(n.kind, cases[n.case_id].code, n.deadline.label, n.deadline.due_date)
        queue_message(session, user.email, f"[caseflow] {text}", text, kind="deadline_notice")
        # queued, in the same transaction: the outbox delivers it (caseflow/jobs/outbox.py)
        n.emailed_dt = n.created_dt
        queued += 1
    session.flush()
    return queued
