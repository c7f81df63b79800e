"""The action programme's targets (seed: CTr 17/CTr-LĐLĐ, 2021) beside what the procedures achieved:
grassroots unions founded and members admitted per year and superior union, and enterprises with 25+
workers still lacking a grassroots union."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import extract, func, select
from sqlalchemy.orm import Session

from caseflow.core.models import Case, Unit
from caseflow.union.models import CdcsFoundingDetail, Enterprise, Member, MembershipTarget, UnitFounding

DEFAULT_MIN_WORKERS = 25


@dataclass
class YearRow:
    year: int
    #: superior unit id -> (CĐCS founded, members admitted)
    by_unit: dict[int, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    #: members admitted into an existing CĐCS by the admission procedure (decision year)
    admissions: int = 0

    @property
    def founded(self) -> int:
        return sum(v[0] for v in self.by_unit.values())

    @property
    def members(self) -> int:
        """New members: those admitted when their CĐCS was founded, and those admitted one by one."""
        return sum(v[1] for v in self.by_unit.values()) + self.admissions


def achievements(session: Session) -> list[YearRow]:
    """Per year and superior union: CĐCS recognised (decision year) and members admitted (admission year)."""
    rows: dict[int, YearRow] = {}
    year = extract("year", UnitFounding.decision_date)
    for y, unit_id, n in session.execute(select(year, UnitFounding.superior_unit_id, func.count(UnitFounding.id))
                                         .group_by(year, UnitFounding.superior_unit_id)):
        rows.setdefault(int(y), YearRow(int(y))).by_unit[unit_id][0] += n
    year = extract("year", CdcsFoundingDetail.admission_date)
    for y, unit_id, n in session.execute(
            select(year, Case.unit_id, func.sum(CdcsFoundingDetail.members_admitted))
            .join(Case, Case.id == CdcsFoundingDetail.case_id)
            .where(CdcsFoundingDetail.admission_date.is_not(None))
            .group_by(year, Case.unit_id)):
        rows.setdefault(int(y), YearRow(int(y))).by_unit[unit_id][1] += int(n or 0)
    # an admission case admitted its member on the decision's date (members.admit); a member imported from an
    # earlier list is not an admission made through caseflow
    year = extract("year", Member.admitted_date)
    for y, n in session.execute(select(year, func.count(Member.id)).where(Member.admission_case_id.is_not(None))
                                .group_by(year)):
        rows.setdefault(int(y), YearRow(int(y))).admissions += n
    return [rows[y] for y in sorted(rows)]


def targets(session: Session) -> list[MembershipTarget]:
    return list(session.scalars(select(MembershipTarget).order_by(MembershipTarget.to_year, MembershipTarget.metric)))


def admissions_against_targets(session: Session) -> list[tuple[MembershipTarget, int]]:
    """The programme's new-member targets (e.g. 19,000 in 2021-2023, seed CTr 17/CTr-LĐLĐ II.2) with the members
    admitted in their period."""
    years = achievements(session)
    return [(t, progress(t, years) or 0) for t in targets(session) if t.metric == "new_members"]


def min_workers(session: Session) -> int:
    row = session.scalar(select(MembershipTarget).where(MembershipTarget.metric == "min_workers")
                         .order_by(MembershipTarget.to_year.desc()))
    return row.value if row is not None else DEFAULT_MIN_WORKERS


def progress(target: MembershipTarget, years: list[YearRow]) -> int | None:
    """What the workflows achieved towards a target over its period (None: not measured here)."""
    in_period = [y for y in years if target.from_year <= y.year <= target.to_year]
    if target.metric == "new_members":
        return sum(y.members for y in in_period)
    if target.metric == "new_members_per_year":
        return round(sum(y.members for y in in_period) / max(1, target.to_year - target.from_year + 1))
    return None


@dataclass
class Coverage:
    threshold: int
    total: int
    with_union: int
    lacking: list[Enterprise]

    @property
    def pct(self) -> float:
        return 100.0 * self.with_union / self.total if self.total else 0.0


def coverage(session: Session, limit: int = 500) -> Coverage:
    threshold = min_workers(session)
    big = select(Enterprise).where(Enterprise.workers_count >= threshold)
    total = session.scalar(select(func.count()).select_from(big.subquery())) or 0
    lacking_q = big.where(Enterprise.cdcs_unit_id.is_(None)).order_by(Enterprise.workers_count.desc(),
                                                                      Enterprise.name)
    lacking = list(session.scalars(lacking_q.limit(limit)))
    lacking_total = session.scalar(select(func.count()).select_from(lacking_q.subquery())) or 0
    return Coverage(threshold, total, total - lacking_total, lacking)


def unit_names(session: Session, ids) -> dict[int, str]:
    ids = [i for i in ids if i is not None]
    return {i: n for i, n in session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(ids)))} if ids else {}
