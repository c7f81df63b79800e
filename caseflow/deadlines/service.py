"""Deadline rows through a case's life: opened, met, paused, resumed, extended, cancelled, recomputed.

Called by the engine's after-fire listener (caseflow/deadlines/hooks.py) inside the firing transaction,
and by the calendar-override admin; never by a view directly."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseflow.core.clock import local_today
from caseflow.deadlines.calendar import Explanation, Override, WorkingCalendar
from caseflow.deadlines.models import CalendarOverride, Deadline, DeadlineSetting
from caseflow.deadlines.rules import Rule, parse_rules, snapshot

_lock = threading.Lock()
_cache: dict[str, Any] = {"stamp": None, "calendar": None}
_rules_cache: dict[tuple[str, int], dict[str, Rule]] = {}


def rules_of(definition) -> dict[str, Rule]:
    """The parsed rules of a (validated) definition, once per (workflow, version)."""
    key = (definition.name, definition.version)
    rules = _rules_cache.get(key)
    if rules is None:
        rules = parse_rules(definition.extra.get("deadlines"), definition.source_file, definition.triggers,
                            definition.states)
        _rules_cache[key] = rules
    return rules


def forget_rules() -> None:
    _rules_cache.clear()


def load_calendar(session: Session) -> WorkingCalendar:
    """The calendar with the overrides in the database; rebuilt only when they change (checked by one
    tiny query, so every host sees a new override at once)."""
    stamp = tuple(session.execute(select(func.count(CalendarOverride.id), func.max(CalendarOverride.id),
                                         func.max(CalendarOverride.created_dt))).one())
    with _lock:
        if _cache["stamp"] != stamp or _cache["calendar"] is None:
            rows = session.scalars(select(CalendarOverride)).all()
            _cache["calendar"] = WorkingCalendar(Override(r.day_date, r.kind, r.notice) for r in rows)
            _cache["stamp"] = stamp
        return _cache["calendar"]


def setting_in_force(session: Session, key: str, received: date) -> tuple[int, str, date] | None:
    """The admin-set value of `key` in force on the day the case was received (DOMAIN.md section 0:
    a case keeps the rule version in force when it was received)."""
    row = session.execute(
        select(DeadlineSetting.days, DeadlineSetting.basis, DeadlineSetting.effective_from_date)
        .where(DeadlineSetting.key == key, DeadlineSetting.effective_from_date <= received)
        .order_by(DeadlineSetting.effective_from_date.desc()).limit(1)).first()
    return (row[0], row[1], row[2]) if row else None


def pauses_of(deadline: Deadline) -> list[tuple[date, date | None]]:
    return [(date.fromisoformat(p), date.fromisoformat(r) if r else None) for p, r in deadline.pauses or []]


def total_days(deadline: Deadline) -> int:
    return deadline.days + (deadline.extension_days or 0)


def explain(calendar: WorkingCalendar, deadline: Deadline, today: date | None = None) -> Explanation:
    """How the deadline's due date follows from its start, unit, extensions and pauses."""
    return calendar.explain_period(deadline.start_date, total_days(deadline), deadline.day_unit,
                                   pauses_of(deadline), today)


def compute_due(calendar: WorkingCalendar, deadline: Deadline, today: date | None = None) -> date:
    due = explain(calendar, deadline, today).due
    assert due is not None
    return due


def new_deadline(calendar: WorkingCalendar, case_id: int, rule: Rule, start: date, *, workflow: str, version: int,
                 variant: str | None = None, setting: tuple[int, str, date] | None = None,
                 now: datetime | None = None) -> Deadline:
    """One deadline row from a rule (the project's single way to build one: the engine's listener and the
    bench's bulk generator both use it)."""
    snap = snapshot(rule, workflow, version, variant, setting)
    row = Deadline(case_id=case_id, rule_key=rule.key, label=snap["label"].get("vi", rule.key)[:255],
                   basis=snap["basis"], day_unit=snap["unit"], days=snap["days"], start_date=start,
                   status="open", rule=snap, kind=rule.kind, variant=variant, extensions=0, extension_days=0,
                   pauses=[])
    if now is not None:
        row.opened_dt = now
    row.due_date = compute_due(calendar, row)
    return row


@dataclass
class Change:
    """One change of one deadline, as recorded in the audit event's payload."""
    deadline: Deadline
    change: str
    extra: dict

    def as_payload(self) -> dict:
        d = self.deadline
        return {"rule": d.rule_key, "change": self.change, "due": d.due_date.isoformat(), "status": d.status,
                **self.extra}


def meet(deadline: Deadline, today: date, now: datetime) -> str:
    deadline.status = "met_late" if deadline.status == "breached" or today > deadline.due_date else "met"
    deadline.met_date = today
    deadline.closed_dt = now
    return deadline.status


def cancel(deadline: Deadline, now: datetime) -> None:
    deadline.status = "cancelled"
    deadline.closed_dt = now


def pause(deadline: Deadline, today: date) -> None:
    deadline.pauses = [*(deadline.pauses or []), [today.isoformat(), None]]
    deadline.status = "paused"


def resume(calendar: WorkingCalendar, deadline: Deadline, today: date) -> None:
    pauses = [list(p) for p in deadline.pauses or []]
    if pauses and pauses[-1][1] is None:
        pauses[-1][1] = today.isoformat()
    deadline.pauses = pauses
    deadline.status = "open"
    deadline.due_date = compute_due(calendar, deadline)


def variant_snapshot(deadline: Deadline, rule: Rule, variant: str, setting: tuple[int, str, date] | None) -> dict:
    """The rule the deadline would follow under `variant` (same workflow version as its own snapshot)."""
    old = deadline.rule or {}
    return snapshot(rule, old.get("workflow", ""), old.get("version", 0), variant, setting)


def revariant(calendar: WorkingCalendar, deadline: Deadline, rule: Rule, variant: str,
              setting: tuple[int, str, date] | None, today: date) -> None:
    """Apply a variant found after opening (its period, basis and extension limits); extensions already
    granted and pauses are kept."""
    snap = variant_snapshot(deadline, rule, variant, setting)
    deadline.rule, deadline.variant = snap, variant
    deadline.days, deadline.day_unit, deadline.basis = snap["days"], snap["unit"], snap["basis"]
    deadline.due_date = compute_due(calendar, deadline, today if deadline.status == "paused" else None)


def extension_refusal(deadline: Deadline, snap: dict | None = None) -> str | None:
    """Why the deadline cannot be extended again (the law's limit on extensions), or None; `snap`: the rule
    the deadline is about to follow (a variant found by the same step), else its own."""
    ext = ((snap if snap is not None else deadline.rule) or {}).get("extendable") or {}
    times = int(ext.get("times") or 0)
    if deadline.extensions >= times:
        return (f"{deadline.label}: đã gia hạn {deadline.extensions} lần, pháp luật cho phép tối đa {times} lần "
                f"({deadline.basis}).")
    return None


def extend(calendar: WorkingCalendar, deadline: Deadline, today: date) -> int:
    ext = (deadline.rule or {}).get("extendable") or {}
    deadline.extensions += 1
    deadline.extension_days = (deadline.extension_days or 0) + int(ext.get("days") or 0)
    deadline.due_date = compute_due(calendar, deadline, today if deadline.status == "paused" else None)
    return int(ext.get("days") or 0)


def window_contains(deadline: Deadline, calendar: WorkingCalendar, day: date) -> bool:
    """Whether `day` lies in the span of days the due date depends on: (start, due] for working-day periods,
    [nominal end, due] for calendar and month periods (only the move off a day off depends on the calendar)."""
    exp = explain(calendar, deadline, local_today() if deadline.status == "paused" else None)
    if deadline.day_unit == "working":
        return deadline.start_date < day <= (exp.due or day)
    return (exp.nominal_end or day) <= day <= (exp.due or day)

