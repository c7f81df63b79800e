"""The legal-aid centre's other figures for a period: received and closed per month, advice only vs
represented, outcomes, money recovered, average time per stage (from the audit events), on-time rate."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from caseflow.core.engine.fire import IMPORTED
from caseflow.core.models import Case, CaseEvent
from caseflow.deadlines.models import Deadline
from caseflow.reports.kpi import D

#: stages at which a union representative took part before a forum (the rest is advice only)
FORUM_STAGES = ("conciliation", "arbitration", "court_first_instance", "court_appeal")


@dataclass
class CentreFigures:
    date_from: date
    date_to: date
    received_by_month: dict[str, int] = field(default_factory=dict)
    closed_by_month: dict[str, int] = field(default_factory=dict)
    #: advice_only | represented | none -> count of matters closed in the period
    help_given: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)
    money_recovered_vnd: int = 0
    cases_with_money: int = 0
    #: state -> (average days spent in it, number of stays measured)
    stage_days: dict[str, tuple[float, int]] = field(default_factory=dict)
    deadlines_met: int = 0
    deadlines_breached: int = 0
    #: portal | desk | phone | imported -> matters received in the period (does the portal raise the share?)
    received_by_channel: dict[str, int] = field(default_factory=dict)

    @property
    def on_time_pct(self) -> float | None:
        done = self.deadlines_met + self.deadlines_breached
        return 100.0 * self.deadlines_met / done if done else None


def _scoped(query, column, scope):
    return query if scope is None else query.where(column.in_(scope or [-1]))


def _by_month(session: Session, day_column, query) -> dict[str, int]:
    months: dict[str, int] = defaultdict(int)
    for day, n in session.execute(query.add_columns(func.count()).group_by(day_column)):
        months[f"{day.year}-{day.month:02d}"] += n
    return dict(sorted(months.items()))


def centre_figures(session: Session, date_from: date, date_to: date, scope: list[int] | None = None) -> CentreFigures:
    figures = CentreFigures(date_from, date_to)
    received = _scoped(select(Case.received_date).where(
        Case.kind == "legal_aid", Case.received_date.between(date_from, date_to)), Case.unit_id, scope)
    figures.received_by_month = _by_month(session, Case.received_date, received)
    figures.received_by_channel = received_by_channel(session, date_from, date_to, scope)
    closed_where = [D.closed_date.between(date_from, date_to)]
    figures.closed_by_month = _by_month(session, D.closed_date,
                                        _scoped(select(D.closed_date).where(*closed_where), D.unit_id, scope))
    query = _scoped(select(D.union_rep_took_part, D.rep_stage, func.count()).where(
        *closed_where, D.end_state == "closed", D.need.in_(("consultation", "litigation"))), D.unit_id, scope)
    for took_part, stage, n in session.execute(query.group_by(D.union_rep_took_part, D.rep_stage)):
        kind = "none" if not took_part else ("represented" if stage in FORUM_STAGES else "advice_only")
        figures.help_given[kind] = figures.help_given.get(kind, 0) + n
    query = _scoped(select(D.outcome, func.count(), func.sum(D.amount_recovered_vnd),
                           func.count(D.amount_recovered_vnd)).where(*closed_where), D.unit_id, scope)
    for outcome, n, money, with_money in session.execute(query.group_by(D.outcome)):
        figures.outcomes[outcome or "none"] = n
        figures.money_recovered_vnd += int(money or 0)
        figures.cases_with_money += int(with_money or 0)
    figures.stage_days = _stage_days(session, closed_where, scope)
    statuses = _scoped(select(Deadline.status, func.count()).join(D, D.case_id == Deadline.case_id).where(
        *closed_where, Deadline.status.in_(("met", "breached"))), D.unit_id, scope).group_by(Deadline.status)
    for status, n in session.execute(statuses):
        if status == "met":
            figures.deadlines_met = n
        else:
            figures.deadlines_breached = n
    return figures


#: the channels the figures show; an intake channel of the workflow (legal_aid.yaml) -> its group
CHANNELS = ("portal", "desk", "phone", "imported")
CHANNEL_GROUP = {"portal": "portal", "hotline": "phone", "walk_in": "desk", "letter": "desk", "referral": "desk"}


def received_by_channel(session: Session, date_from: date, date_to: date,
                        scope: list[int] | None = None) -> dict[str, int]:
    """Legal-aid matters received in the period by the way they came: the online portal, the desk (in person,
    by letter, referred), the hotline, or imported from the centre's earlier register (their first audit
    event is the import, whatever channel the register named)."""
    from caseflow.legal_aid.models import LegalAidDetail

    first = CaseEvent.__table__.alias("first_event")
    imported = case((first.c.trigger == IMPORTED, True), else_=False)
    query = _scoped(select(LegalAidDetail.channel, imported, func.count())
                    .join(Case, Case.id == LegalAidDetail.case_id)
                    .join(first, and_(first.c.case_id == Case.id, first.c.seq == 1))
                    .where(Case.kind == "legal_aid", Case.received_date.between(date_from, date_to)),
                    Case.unit_id, scope).group_by(LegalAidDetail.channel, imported)
    counts = dict.fromkeys(CHANNELS, 0)
    for channel, was_imported, n in session.execute(query):
        group = "imported" if was_imported else CHANNEL_GROUP.get(channel, "desk")
        counts[group] += n
    return counts


def _stage_days(session: Session, closed_where, scope, limit: int = 50_000) -> dict[str, tuple[float, int]]:
    """Time between entering a state and leaving it, from the audit events of the matters closed in the
    period (imported cases are skipped: their events carry the import time, not the history)."""
    cases = _scoped(select(D.case_id).where(*closed_where), D.unit_id, scope).limit(limit)
    events = session.execute(select(CaseEvent.case_id, CaseEvent.created_dt, CaseEvent.from_state,
                                    CaseEvent.to_state, CaseEvent.trigger)
                             .where(CaseEvent.case_id.in_(cases.scalar_subquery()))
                             .order_by(CaseEvent.case_id, CaseEvent.seq))
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
    current: tuple[int, str, object] | None = None
    skip_case = None
    for case_id, at, from_state, to_state, trigger in events:
        if trigger == IMPORTED:
            skip_case = case_id
        if case_id == skip_case or from_state == to_state:
            continue
        if current is not None and current[0] == case_id and from_state == current[1]:
            acc = totals[current[1]]
            acc[0] += (at - current[2]).total_seconds() / 86400
            acc[1] += 1
        current = (case_id, to_state, at)
    return {state: (round(s / n, 1), n) for state, (s, n) in totals.items() if n}


