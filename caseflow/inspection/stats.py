"""Statistics of the UBKT: letters by type and outcome, complaint/denunciation outcomes, on-time rate per period.

Counts only what the viewer may see (caseflow.core.policy.visible_cases); nothing here touches identities."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.core.models import Case, User
from caseflow.core.policy import visible_cases
from caseflow.deadlines.models import Deadline
from caseflow.inspection.models import ComplaintDetail, DenunciationDetail, LetterDetail

INSPECTION_KINDS = ("letter", "complaint", "denunciation")


def period_of(day: date, granularity: str) -> str:
    if granularity == "month":
        return f"{day.year}-{day.month:02d}"
    if granularity == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


@dataclass
class Stats:
    periods: list[str]
    #: period -> content type -> count
    letters_by_type: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    #: period -> final state -> count
    letters_by_outcome: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    complaints_by_state: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    denunciations_by_state: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    #: period -> [on time, late]
    on_time: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    #: "deadlines" when the deadline machinery's rows were used, else "details" (dates on the detail tables)
    on_time_source: str = "details"

    def rate(self, period: str) -> float | None:
        ok, late = self.on_time.get(period, [0, 0])
        return None if ok + late == 0 else ok / (ok + late)


def compute(session: Session, user: User, year: int, granularity: str = "quarter") -> Stats:
    start, end = date(year, 1, 1), date(year, 12, 31)
    base = visible_cases(session, user, select(Case.id)).where(Case.kind.in_(INSPECTION_KINDS),
                                                                Case.received_date.between(start, end))
    ids = select(base.subquery().c.id)
    stats = Stats(periods=sorted({period_of(start + timedelta(days=i), granularity) for i in range(0, 366, 28)
                                  if start + timedelta(days=i) <= end}))
    for received, content_type, state in session.execute(
            select(Case.received_date, LetterDetail.content_type, Case.state)
            .join(LetterDetail, LetterDetail.case_id == Case.id).where(Case.id.in_(ids))):
        p = period_of(received, granularity)
        stats.letters_by_type[p][content_type or "unclassified"] += 1
        stats.letters_by_outcome[p][state] += 1
    for kind, target in (("complaint", stats.complaints_by_state), ("denunciation", stats.denunciations_by_state)):
        for received, state in session.execute(select(Case.received_date, Case.state)
                                               .where(Case.id.in_(ids), Case.kind == kind)):
            target[period_of(received, granularity)][state] += 1
    deadlines = session.execute(select(Deadline.due_date, Deadline.status, Deadline.closed_dt)
                                .where(Deadline.case_id.in_(ids), Deadline.status.in_(("met", "breached")))).all()
    if deadlines:
        stats.on_time_source = "deadlines"
        for due, status, closed in deadlines:
            late = status == "breached" or (closed is not None and closed.date() > due)
            stats.on_time[period_of(due, granularity)][1 if late else 0] += 1
        return stats
    # Until the deadline machinery records them: the statutory periods measured on the detail tables
    # (Luật Khiếu nại 2011, Arts. 27, 28; Luật Tố cáo 2018, Art. 30; suspensions not deducted).
    for received, accepted, decided, complex_, remote in session.execute(
            select(Case.received_date, ComplaintDetail.accepted_date, ComplaintDetail.first_decision_date,
                   ComplaintDetail.complex, ComplaintDetail.remote_area)
            .join(ComplaintDetail, ComplaintDetail.case_id == Case.id).where(Case.id.in_(ids))):
        if accepted:
            stats.on_time[period_of(accepted, granularity)][0 if (accepted - received).days <= 10 else 1] += 1
        if accepted and decided:
            limit = 60 if complex_ and remote else 45 if complex_ or remote else 30
            stats.on_time[period_of(decided, granularity)][0 if (decided - accepted).days <= limit else 1] += 1
    for accepted, concluded, extra in session.execute(
            select(DenunciationDetail.accepted_date, DenunciationDetail.concluded_date,
                   DenunciationDetail.extension_days_total)
            .where(DenunciationDetail.case_id.in_(ids))):
        if accepted and concluded:
            ok = (concluded - accepted).days <= 30 + (extra or 0)
            stats.on_time[period_of(concluded, granularity)][0 if ok else 1] += 1
    return stats
