"""`caseflow deadlines sweep`: breaches, lead-time warnings and escalation, set-based in SQL.

Safe to run from cron on several hosts at once: the breach UPDATE claims each row once (a concurrent
sweep's UPDATE re-checks `status = 'open'` after the row lock), the audit chain of a case is extended under
its row lock, and notifications are unique per (deadline, user, kind) with INSERT ... ON CONFLICT DO NOTHING,
so running it twice sends nothing twice. The cost follows what is due (index on status, due_date), not the
size of the table."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Table, and_, bindparam, func, literal, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from caseflow.core.engine.audit import Entry, append_events
from caseflow.core.engine.fire import atomic
from caseflow.core.models import Case, CaseEvent, RoleAssignment, Unit
from caseflow.deadlines.calendar import WorkingCalendar
from caseflow.deadlines.models import Deadline, Notification

BREACH_TRIGGER = "deadline_breached"
#: default lead times, in working days before the due date (config DEADLINE_LEAD_DAYS)
DEFAULT_LEADS = (3, 1)
_CHUNK = 2000
#: Core tables (the sweep works set-based, without ORM objects)
DEADLINES: Table = Deadline.__table__  # type: ignore[assignment]
CASES: Table = Case.__table__  # type: ignore[assignment]
EVENTS: Table = CaseEvent.__table__  # type: ignore[assignment]
NOTIFICATIONS: Table = Notification.__table__  # type: ignore[assignment]
ROLE_ASSIGNMENTS: Table = RoleAssignment.__table__  # type: ignore[assignment]
UNITS: Table = Unit.__table__  # type: ignore[assignment]


@dataclass
class SweepResult:
    breached: int = 0
    events: int = 0
    notified: int = 0
    #: ids of notifications this run inserted (collected only for the optional e-mail copies)
    notification_ids: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.breached} breached, {self.events} audit events, {self.notified} notifications"


def _insert(session: Session):
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def lead_windows(calendar: WorkingCalendar, today: date, leads: Sequence[int]) -> list[tuple[str, date, date]]:
    """(kind, first due date, last due date) per lead time: a deadline with at most n working days left
    gets the `due_in_<n>` notice of the smallest lead it has reached, once."""
    windows, previous_end = [], None
    for n in sorted({int(x) for x in leads if int(x) >= 0}):
        end = calendar.add_working_days(today, n)
        start = today if previous_end is None else date.fromordinal(previous_end.toordinal() + 1)
        if start <= end:
            windows.append((f"due_in_{n}", start, end))
        previous_end = end
    return windows


def _nearest_led_unit(case_unit):
    """The case's own unit if someone leads it there, else the nearest unit above it that has a leader: a
    breach at a grassroots union with no leader in caseflow still reaches the leadership responsible for it."""
    unit, ra = UNITS.alias("led_unit"), ROLE_ASSIGNMENTS.alias("unit_leader")
    return (select(unit.c.id).select_from(unit.join(ra, and_(ra.c.unit_id == unit.c.id, ra.c.role == "leader")))
            .where(case_unit.c.path.like(unit.c.path + "%"))  # materialised paths: an ancestor is a prefix
            .order_by(func.length(unit.c.path).desc()).limit(1).correlate(case_unit).scalar_subquery())


def _notify(session: Session, deadline_filter, kind: str, now: datetime, *, leaders: bool,
            collect: bool) -> tuple[int, list[int]]:
    """INSERT ... SELECT one notification per matching deadline for its case's assignee (and the leaders
    of the nearest led unit at or above the case's), skipping any already sent; returns how many were inserted (and their ids if
    `collect`, for the e-mail copies). RETURNING counts them: psycopg reports no rowcount for
    INSERT ... SELECT ... ON CONFLICT."""
    ins = _insert(session)
    d, c = DEADLINES, CASES
    base = select(c.c.assignee_id, d.c.case_id, d.c.id, literal(kind), literal(now, Notification.created_dt.type)) \
        .select_from(d.join(c, c.c.id == d.c.case_id)).where(deadline_filter, c.c.assignee_id.is_not(None))
    selects = [base]
    if leaders:
        ra = ROLE_ASSIGNMENTS
        case_unit = UNITS.alias("case_unit")
        selects.append(
            select(ra.c.user_id, d.c.case_id, d.c.id, literal(kind), literal(now, Notification.created_dt.type))
            .select_from(d.join(c, c.c.id == d.c.case_id).join(case_unit, case_unit.c.id == c.c.unit_id)
                         .join(ra, and_(ra.c.unit_id == _nearest_led_unit(case_unit), ra.c.role == "leader")))
            .where(deadline_filter))
    cols = ["user_id", "case_id", "deadline_id", "kind", "created_dt"]
    ids: list[int] = []
    count = 0
    for sel in selects:
        stmt = ins(NOTIFICATIONS).from_select(cols, sel).on_conflict_do_nothing(
            index_elements=["deadline_id", "user_id", "kind"])
        found = session.execute(stmt.returning(NOTIFICATIONS.c.id)).scalars().all()
        count += len(found)
        if collect:
            ids += found
    return count, ids


def _audit_breaches(session: Session, key: bytes, claimed: Sequence, now: datetime) -> int:
    """One hash-chained audit event per case whose deadlines were breached, under the case's row lock."""
    by_case: dict[int, list] = defaultdict(list)
    for row in claimed:
        by_case[row.case_id].append(row)
    c = CASES
    entries: list[Entry] = []
    case_ids = sorted(by_case)
    for i in range(0, len(case_ids), _CHUNK):
        chunk = case_ids[i:i + _CHUNK]
        query = select(c.c.id, c.c.state, c.c.audit_seq, c.c.audit_head).where(c.c.id.in_(chunk)).order_by(c.c.id)
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update()
        for case_id, state, seq, head in session.execute(query):
            payload = {"deadlines": [{"rule": r.rule_key, "change": "breached", "due": r.due_date.isoformat(),
                                      "status": "breached"} for r in by_case[case_id]]}
            entries.append(Entry(case_id, seq, head, None, BREACH_TRIGGER, state, state, "", payload))
    events = append_events(session, key, entries, now=now)
    heads = [{"b_id": e["case_id"], "b_seq": e["seq"], "b_head": e["hash"]} for e in events]
    if events:
        # bumping the version makes a concurrent fire on the same case a Conflict, never a broken chain
        session.execute(update(c).where(c.c.id == bindparam("b_id"))
                        .values(audit_seq=bindparam("b_seq"), audit_head=bindparam("b_head"), version=c.c.version + 1),
                        heads, execution_options={"synchronize_session": False})
    return len(events)


def sweep(session: Session, calendar: WorkingCalendar, audit_key: bytes, *, today: date, now: datetime,
          leads: Sequence[int] = DEFAULT_LEADS, collect_ids: bool = False, retries: int = 3,
          before_commit: Callable[[Session, SweepResult], None] | None = None) -> SweepResult:
    """Mark breaches (with their audit events and the assignee's and unit leader's notices) and send the
    lead-time notices, in one transaction. Retries when the database picks it as a deadlock victim.
    `before_commit` adds to that transaction (the e-mail copies' outbox rows: sent only if it commits)."""
    for attempt in range(retries):
        try:
            with atomic(session):
                result = _sweep_once(session, calendar, audit_key, today=today, now=now, leads=leads,
                                     collect=collect_ids)
                if before_commit is not None:
                    before_commit(session, result)
                session.commit()
            return result
        except OperationalError:
            session.rollback()
            if attempt == retries - 1:
                raise
    raise AssertionError("unreachable")


def _sweep_once(session: Session, calendar: WorkingCalendar, audit_key: bytes, *, today: date, now: datetime,
                leads: Sequence[int], collect: bool) -> SweepResult:
    result = SweepResult()
    d = DEADLINES
    if session.get_bind().dialect.name == "postgresql":
        # psycopg prepares repeated statements; a generic plan of "due_date < $1" may scan the whole table,
        # a custom plan uses the index: keep the cost following what is due (measured in bench/deadlines.py)
        session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    claimed = session.execute(
        update(d).where(d.c.status == "open", d.c.due_date < today)
        .values(status="breached", breached_dt=now)
        .returning(d.c.id, d.c.case_id, d.c.rule_key, d.c.due_date),
        execution_options={"synchronize_session": False}).all()
    result.breached = len(claimed)
    if claimed:
        result.events = _audit_breaches(session, audit_key, claimed, now)
        # the rows this run claimed carry its stamp (indexed): one statement, whatever the history's size
        n, ids = _notify(session, d.c.breached_dt == now, "breached", now,
                         leaders=True, collect=collect)
        result.notified += n
        result.notification_ids += ids
    for kind, first, last in lead_windows(calendar, today, leads):
        n, ids = _notify(session, and_(d.c.status == "open", d.c.due_date >= first, d.c.due_date <= last), kind,
                         now, leaders=False, collect=collect)
        result.notified += n
        result.notification_ids += ids
    return result
