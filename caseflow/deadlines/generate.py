"""Bulk deadline rows for benchmarks and large test fixtures, built by the same function the engine's
listener uses (service.new_deadline), then inserted set-based."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import insert
from sqlalchemy.orm import Session

from caseflow.deadlines.calendar import WorkingCalendar
from caseflow.deadlines.models import Deadline
from caseflow.deadlines.rules import Rule
from caseflow.deadlines.service import new_deadline

_COLUMNS = ("case_id", "rule_key", "label", "basis", "day_unit", "days", "start_date", "due_date", "status",
            "rule", "kind", "variant", "extensions", "extension_days", "pauses", "opened_dt")


def bulk_open(session: Session, calendar: WorkingCalendar, rule: Rule, items: Iterable[tuple[int, date]], *,
              workflow: str, version: int, now: datetime, batch: int = 5000) -> int:
    """Open `rule` for each (case id, start date); returns the number of rows inserted."""
    template: dict[date, dict] = {}  # one computed row per start date: the due date depends on nothing else
    rows, count = [], 0
    for case_id, start in items:
        proto = template.get(start)
        if proto is None:
            d = new_deadline(calendar, 0, rule, start, workflow=workflow, version=version, now=now)
            proto = template[start] = {c: getattr(d, c) for c in _COLUMNS}
        rows.append({**proto, "case_id": case_id})
        if len(rows) >= batch:
            session.execute(insert(Deadline), rows)
            count, rows = count + len(rows), []
    if rows:
        session.execute(insert(Deadline), rows)
        count += len(rows)
    session.commit()
    return count
