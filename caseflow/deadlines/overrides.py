"""Calendar overrides entered by an admin: validated, previewed (which open deadlines move) and saved
with every affected deadline recomputed and the change recorded in each case's audit trail."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.core.engine.audit import append_event
from caseflow.core.engine.fire import atomic
from caseflow.core.models import Case
from caseflow.deadlines import service
from caseflow.deadlines.calendar import OVERRIDE_KINDS, Override, WorkingCalendar
from caseflow.deadlines.errors import DeadlineInputError
from caseflow.deadlines.models import ACTIVE_STATUSES, CalendarOverride, Deadline

RECOMPUTE_TRIGGER = "deadline_recomputed"
CLOSED_STATUSES = ("met", "met_late", "breached", "cancelled")


#: a refused override; `field` names the item (day_date, kind, notice)
OverrideError = DeadlineInputError


@dataclass
class Move:
    deadline: Deadline
    case_code: str
    old_due: date
    new_due: date


def check(session: Session, calendar: WorkingCalendar, override: Override, today: date) -> None:
    if override.kind not in OVERRIDE_KINDS:
        raise OverrideError("kind", f"phải là day_off hoặc working_day, không phải “{override.kind}”")
    if not override.notice.strip():
        raise OverrideError("notice", "ghi số, ký hiệu văn bản quyết định việc nghỉ / làm bù")
    if session.scalar(select(CalendarOverride.id).where(CalendarOverride.day_date == override.day)):
        raise OverrideError("day_date", f"ngày {override.day:%d/%m/%Y} đã có điều chỉnh")
    if calendar.is_working_day(override.day) == (override.kind == "working_day"):
        raise OverrideError("day_date", f"ngày {override.day:%d/%m/%Y} đã là "
                            f"{'ngày làm việc' if override.kind == 'working_day' else 'ngày nghỉ'}")
    if override.day < today:
        closed = session.execute(
            select(Case.code, Deadline.label).join(Case, Case.id == Deadline.case_id)
            .where(Deadline.status.in_(CLOSED_STATUSES), Deadline.start_date < override.day,
                   Deadline.due_date >= override.day).order_by(Case.code).limit(3)).all()
        if closed:
            names = "; ".join(f"{code}: {label}" for code, label in closed)
            raise OverrideError("day_date", f"ngày {override.day:%d/%m/%Y} đã qua và đã được dùng để tính thời hạn "
                                f"của hồ sơ đã kết thúc ({names}); không sửa lịch của quá khứ")


def preview(session: Session, calendar: WorkingCalendar, override: Override, today: date) -> list[Move]:
    """The active deadlines whose due date the override would move, with old and new due dates."""
    changed = calendar.with_override(override)
    moves = []
    rows = session.execute(select(Deadline, Case.code).join(Case, Case.id == Deadline.case_id)
                           .where(Deadline.status.in_(ACTIVE_STATUSES + ("breached",)),
                                  Deadline.start_date < override.day, Deadline.due_date >= override.day)
                           .order_by(Deadline.due_date, Deadline.id)).all()
    for row, code in rows:
        pending = today if row.status == "paused" else None
        new_due = service.compute_due(changed, row, pending)
        if new_due != row.due_date:
            moves.append(Move(row, code, row.due_date, new_due))
    return moves


def save(session: Session, override: Override, *, actor_id: int | None, audit_key: bytes, now: datetime,
         today: date) -> list[Move]:
    """Store the override, recompute the deadlines it moves (a breached one that is no longer late reopens),
    and append one audit event per affected case; one transaction."""
    with atomic(session):
        calendar = service.load_calendar(session)
        check(session, calendar, override, today)
        moves = preview(session, calendar, override, today)
        session.add(CalendarOverride(day_date=override.day, kind=override.kind, notice=override.notice.strip(),
                                     created_by_id=actor_id, created_dt=now))
        by_case: dict[int, list[Move]] = {}
        for move in moves:
            move.deadline.due_date = move.new_due
            if move.deadline.status == "breached" and move.new_due >= today:
                move.deadline.status, move.deadline.breached_dt = "open", None
            by_case.setdefault(move.deadline.case_id, []).append(move)
        for case_id, case_moves in by_case.items():
            case = session.get(Case, case_id)
            assert case is not None  # a deadline's case is never deleted while it has deadlines
            payload = {"deadlines": [{"rule": m.deadline.rule_key, "change": "recomputed", "from": m.old_due.isoformat(),
                                      "due": m.new_due.isoformat(), "status": m.deadline.status} for m in case_moves],
                       "calendar_override": {"day": override.day.isoformat(), "kind": override.kind,
                                             "notice": override.notice.strip()}}
            append_event(session, audit_key, case, actor_id=actor_id, trigger=RECOMPUTE_TRIGGER, from_state=case.state,
                         to_state=case.state, comment="", payload=payload, now=now)
        session.commit()
        return moves
