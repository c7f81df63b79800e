"""Hash-chained audit events: appended by the engine, verified by `caseflow audit verify`."""
from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, inspect, select
from sqlalchemy.orm import Session, make_transient_to_detached

from caseflow.core.models import Case, CaseEvent

GENESIS = "0" * 64
_INSERT_EVENT = insert(CaseEvent.__table__)


def event_digest(key: bytes, case_id: int, seq: int, created_dt: datetime, actor_id: int | None, trigger: str,
                 from_state: str | None, to_state: str, comment: str, payload: dict, prev_hash: str) -> str:
    body = json.dumps(
        [case_id, seq, created_dt.isoformat(timespec="microseconds"), actor_id, trigger, from_state, to_state,
         comment, payload, prev_hash],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str,
    )
    return hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Entry:
    """One event to append, at the chain position its case is at now (`seq`, `head`: the case row's)."""

    case_id: int
    seq: int
    head: str | None
    actor_id: int | None
    trigger: str
    from_state: str | None
    to_state: str
    comment: str = ""
    payload: dict[str, Any] | None = None


def append_events(session: Session, key: bytes, entries: Sequence[Entry], *, now: datetime,
                  before_insert: Callable[[list[dict[str, Any]]], None] | None = None) -> list[dict[str, Any]]:
    """The only writer of the audit table: chain each entry onto its case's head (HMAC over the whole event)
    and insert the rows in one statement. Returns the rows written; the caller moves each case's head
    (`audit_seq`, `audit_head`) in the same transaction, under the case's version check or row lock.
    `before_insert(rows)`: called with the chained rows before they are inserted (append_case_events writes
    the new case rows there, with their heads)."""
    rows = []
    for e in entries:
        seq, prev, payload = e.seq + 1, e.head or GENESIS, e.payload or {}
        digest = event_digest(key, e.case_id, seq, now, e.actor_id, e.trigger, e.from_state, e.to_state,
                              e.comment, payload, prev)
        rows.append({"case_id": e.case_id, "seq": seq, "created_dt": now, "actor_id": e.actor_id,
                     "trigger": e.trigger, "from_state": e.from_state, "to_state": e.to_state,
                     "comment": e.comment, "payload": payload, "prev_hash": prev, "hash": digest})
    if before_insert is not None:
        before_insert(rows)
    if len(rows) == 1:
        rows[0]["id"] = session.connection().execute(_INSERT_EVENT, rows[0]).inserted_primary_key[0]
    elif rows:
        session.connection().execute(_INSERT_EVENT, rows)
    return rows


def append_case_events(session: Session, key: bytes, items: Sequence[tuple[Case, dict[str, Any]]], *,
                       now: datetime) -> list[dict[str, Any]]:
    """The batch form of append_event, for many cases at once (an import): one event onto each case's chain
    (`items`: the case and the event's actor_id, trigger, from_state, to_state, comment, payload), written by
    append_events in one statement, each case's head moved.

    A case not written yet (its id reserved, its row pending) goes in with its head already on it: the
    session's pending rows are flushed first, once, then the events (they refer to the case rows). A case
    already written gets its head by the caller's next flush, after its event exists (the database refuses
    a head that moves onto no event)."""
    written: list[tuple[Case, dict[str, Any]]] = []  # cases whose row is already in the database

    def write_new_cases(rows: list[dict[str, Any]]) -> None:
        for (case, _event), row in zip(items, rows, strict=True):
            if inspect(case).pending:
                case.audit_seq, case.audit_head = row["seq"], row["hash"]
            else:
                written.append((case, row))
        session.flush()

    entries = [Entry(case.id, case.audit_seq or 0, case.audit_head, event["actor_id"], event["trigger"],
                     event.get("from_state"), event["to_state"], event.get("comment", ""), event.get("payload"))
               for case, event in items]
    rows = append_events(session, key, entries, now=now, before_insert=write_new_cases)
    for case, row in written:
        case.audit_seq, case.audit_head = row["seq"], row["hash"]
    return rows


def append_event(session: Session, key: bytes, case: Case, *, actor_id: int | None, trigger: str,
                 from_state: str | None, to_state: str, comment: str, payload: dict[str, Any],
                 now: datetime) -> CaseEvent:
    """Append one event to a loaded case's chain and move the head kept on the case row (written by the
    caller's flush or version-checked UPDATE). The event joins the session as the persistent row it is."""
    row, = append_events(session, key, [Entry(case.id, case.audit_seq, case.audit_head, actor_id, trigger,
                                              from_state, to_state, comment, payload)], now=now)
    case.audit_seq, case.audit_head = row["seq"], row["hash"]
    event = CaseEvent(**row)
    make_transient_to_detached(event)
    session.add(event)
    return event


@dataclass
class ChainProblem:
    case_code: str
    seq: int
    problem: str

    def __str__(self) -> str:
        return f"{self.case_code} #{self.seq}: {self.problem}"


def verify_case(session: Session, key: bytes, case: Case) -> list[ChainProblem]:
    events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.seq)).all()
    return list(_verify_events(key, case, events))


def _verify_events(key: bytes, case: Case, events) -> Iterator[ChainProblem]:
    prev, expected_seq, last = GENESIS, 1, None
    for ev in events:
        if ev.seq != expected_seq:
            yield ChainProblem(case.code, ev.seq, f"sequence gap: expected {expected_seq}")
        if ev.prev_hash != prev:
            yield ChainProblem(case.code, ev.seq, "previous hash does not match")
        digest = event_digest(key, ev.case_id, ev.seq, ev.created_dt, ev.actor_id, ev.trigger, ev.from_state,
                              ev.to_state, ev.comment, ev.payload, ev.prev_hash)
        if not hmac.compare_digest(digest, ev.hash):
            yield ChainProblem(case.code, ev.seq, "event altered (HMAC mismatch)")
        prev, expected_seq, last = ev.hash, ev.seq + 1, ev
    if case.audit_seq != expected_seq - 1 or (case.audit_head or GENESIS) != prev:
        yield ChainProblem(case.code, case.audit_seq, "chain head on the case does not match its last event "
                                                      "(events deleted or added)")
    yield from _verify_case_row(case, last)


def _verify_case_row(case: Case, last) -> Iterator[ChainProblem]:
    """The case row against its last event: a case is opened by an event, its state is where the last event
    took it, and every event came with a write of the row that bumped its optimistic-lock version."""
    if last is None:
        yield ChainProblem(case.code, 0, "case without any audit event (its chain was deleted)")
        return
    if case.state != last.to_state:
        yield ChainProblem(case.code, last.seq, f"state “{case.state}” is not the last event's “{last.to_state}” "
                                                "(changed without an event)")
    if case.version < last.seq:
        yield ChainProblem(case.code, last.seq, f"version {case.version} lower than the events written "
                                                f"({last.seq}): the row was rewound")


def verify_all(session: Session, key: bytes, batch: int = 500) -> tuple[int, list[ChainProblem]]:
    """Recompute every case's chain, streaming events in case order. Returns (cases checked, problems)."""
    problems: list[ChainProblem] = []
    checked = 0
    last_id = 0
    while True:
        cases = session.scalars(select(Case).where(Case.id > last_id).order_by(Case.id).limit(batch)).all()
        if not cases:
            return checked, problems
        by_case: dict[int, list[CaseEvent]] = {c.id: [] for c in cases}
        rows = session.scalars(select(CaseEvent).where(CaseEvent.case_id.in_(list(by_case)))
                               .order_by(CaseEvent.case_id, CaseEvent.seq))
        for ev in rows:
            by_case[ev.case_id].append(ev)
        for case in cases:
            problems.extend(_verify_events(key, case, by_case[case.id]))
            checked += 1
        last_id = cases[-1].id
        session.expunge_all()


def chain_heads(session: Session) -> dict[str, dict]:
    """Export of every case's head (and the state and version it left the row in), kept elsewhere, so that
    deleting the newest rows and rewinding the case row to match is detected too."""
    return {code: {"seq": seq, "head": head, "state": state, "version": version}
            for code, seq, head, state, version in session.execute(
                select(Case.code, Case.audit_seq, Case.audit_head, Case.state, Case.version))}


def compare_heads(saved: dict[str, dict], current: dict[str, dict]) -> list[str]:
    """What an export of the heads says that the database no longer does. A chain only grows, and a row's
    version only rises: a shorter chain, a different event at the exported place, or a lower version is a
    rewrite. (An export made before this check existed carries no version: only its seq and head count.)"""
    problems = []
    for code, head in saved.items():
        now = current.get(code)
        if now is None:
            problems.append(f"{code}: case missing")
        elif now["seq"] < head["seq"]:
            problems.append(f"{code}: chain shorter than the exported head ({now['seq']} < {head['seq']})")
        elif now["seq"] == head["seq"] and now["head"] != head["head"]:
            problems.append(f"{code}: the event at the exported head #{head['seq']} was replaced")
        elif "version" in head and now["version"] < head["version"]:
            problems.append(f"{code}: version rewound ({now['version']} < {head['version']})")
    return problems
