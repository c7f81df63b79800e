"""Texts of deadline notifications, and their optional e-mail copies (only when SMTP is configured)."""
from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from caseflow.core.models import Case, User
from caseflow.deadlines.models import Notification

log = logging.getLogger(__name__)


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


@contextmanager
def smtp_connection(config: Mapping) -> Iterator[smtplib.SMTP]:
    """An open, authenticated SMTP connection to MAIL_SERVER (OSError when it cannot be reached)."""
    with smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT", 25)), timeout=30) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
        yield smtp


def plain_email(config: Mapping, to: str, text: str) -> EmailMessage:
    """A short notice: the subject is the text, prefixed, and so is the body."""
    msg = EmailMessage()
    msg["Subject"] = f"[caseflow] {text}"
    msg["From"] = config.get("MAIL_FROM", "caseflow@localhost")
    msg["To"] = to
    msg.set_content(text)
    return msg


def send_emails(session: Session, config: Mapping, notification_ids: Iterable[int]) -> int:
    """E-mail copies of the given (just inserted) notifications; nothing unless MAIL_SERVER is set.
    Each notification is e-mailed by the sweep that inserted it, so a second run sends nothing again."""
    ids = list(notification_ids)
    server = config.get("MAIL_SERVER")
    if not server or not ids:
        return 0
    rows = session.scalars(select(Notification).where(Notification.id.in_(ids))
                           .options(selectinload(Notification.deadline))).all()
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_({r.user_id for r in rows})))}
    cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_({r.case_id for r in rows})))}
    sent = 0
    try:
        with smtp_connection(config) as smtp:
            for n in rows:
                user = users.get(n.user_id)
                if user is None or not user.email or n.deadline is None or n.case_id is None:
                    continue
                text = describe(n.kind, cases[n.case_id].code, n.deadline.label, n.deadline.due_date)
                try:
                    smtp.send_message(plain_email(config, user.email, text))
                except smtplib.SMTPException as exc:
                    log.error("deadline e-mail to %s failed: %s", user.email, exc)
                    continue
                n.emailed_dt = n.created_dt
                sent += 1
    except OSError as exc:
        log.error("deadline e-mails not sent: SMTP %s unreachable: %s", server, exc)
        return 0
    session.commit()
    return sent
