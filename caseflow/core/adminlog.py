"""The admin audit log: who was given or lost a role or an identity grant, who logged in, was locked out or
unlocked. One HMAC chain over the whole log (the construction of the case events: the key lives outside the
database), append-only in the database, recomputed by `caseflow audit verify`."""
from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any

from flask import current_app, has_request_context, request
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from caseflow.core.models import AdminEvent
from caseflow.core.models.base import utcnow

GENESIS = "0" * 64
ACTIONS = ("login", "login_failed", "lockout", "unlock", "totp_enrolled", "recovery_code_used", "role_grant",
           "role_withdraw", "identity_grant", "identity_revoke", "user_created", "user_disabled", "user_enabled",
           "password_reset")


def digest(key: bytes, seq: int, created_dt: datetime, actor_id: int | None, action: str,
           subject_user_id: int | None, address: str | None, payload: dict, prev_hash: str) -> str:
    body = json.dumps([seq, created_dt.isoformat(timespec="microseconds"), actor_id, action, subject_user_id,
                       address, payload, prev_hash], ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=str)
    return hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()


def _key() -> bytes:
    return current_app.config["AUDIT_HMAC_KEY"].encode()


def record(session: Session, action: str, *, actor_id: int | None = None, subject_user_id: int | None = None,
           payload: dict[str, Any] | None = None) -> None:
    """Append one entry in the caller's transaction (it commits). The last entry is read under the unique
    seq: two writers racing for the same place make one of them fail its commit, never fork the chain."""
    if action not in ACTIONS:
        raise ValueError(f"unknown admin action {action!r}")
    last = session.execute(select(AdminEvent.seq, AdminEvent.hash).order_by(AdminEvent.seq.desc()).limit(1)).first()
    seq, prev = (last.seq + 1, last.hash) if last else (1, GENESIS)
    now = utcnow()
    address = request.remote_addr if has_request_context() else None
    payload = payload or {}
    row = {"seq": seq, "created_dt": now, "actor_id": actor_id, "action": action,
           "subject_user_id": subject_user_id, "address": address, "payload": payload, "prev_hash": prev,
           "hash": digest(_key(), seq, now, actor_id, action, subject_user_id, address, payload, prev)}
    session.connection().execute(insert(AdminEvent.__table__), row)


def verify(session: Session, key: bytes) -> tuple[int, list[str]]:
    """Recompute the chain: (entries checked, problems)."""
    problems, prev, expected, n = [], GENESIS, 1, 0
    for ev in session.scalars(select(AdminEvent).order_by(AdminEvent.seq)):
        n += 1
        if ev.seq != expected:
            problems.append(f"admin log #{ev.seq}: sequence gap: expected {expected}")
        if ev.prev_hash != prev:
            problems.append(f"admin log #{ev.seq}: previous hash does not match")
        if not hmac.compare_digest(digest(key, ev.seq, ev.created_dt, ev.actor_id, ev.action, ev.subject_user_id,
                                          ev.address, ev.payload, ev.prev_hash), ev.hash):
            problems.append(f"admin log #{ev.seq}: entry altered (HMAC mismatch)")
        prev, expected = ev.hash, ev.seq + 1
    return n, problems


def head(session: Session) -> dict:
    last = session.execute(select(AdminEvent.seq, AdminEvent.hash).order_by(AdminEvent.seq.desc()).limit(1)).first()
    return {"seq": last.seq, "head": last.hash} if last else {"seq": 0, "head": GENESIS}
