"""Representation-share targets per year (seed, section II.2), kept as editable data; years between two
targets follow the straight line between them (the path shown on the chart)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.reports.models import RepresentationTarget


@dataclass(frozen=True)
class TargetPoint:
    year: int
    pct: float
    #: True for a year the programme names, False for one read off the path between two of them
    set_by_programme: bool


#: the seed's targets (section II.2), also written by migration 0700_legal_aid_kpi
DEFAULT_TARGETS = {2023: 65.0, 2025: 68.0, 2030: 75.0, 2045: 99.0}
BASIS = ("Chương trình hành động thực hiện Nghị quyết 02-NQ/TW của LĐLĐ tỉnh, mục II.2: “ít nhất ...% số vụ việc "
         "của đoàn viên, tổ chức công đoàn có nhu cầu tư vấn, tranh tụng sẽ có đại diện công đoàn tham gia”")


def ensure_default_targets(session: Session) -> None:
    """Write the seed's targets into an empty table (a database emptied by hand or by tests)."""
    if session.scalar(select(RepresentationTarget.year).limit(1)) is None:
        session.add_all(RepresentationTarget(year=y, target_pct=p, basis=BASIS) for y, p in DEFAULT_TARGETS.items())
        session.commit()


def load_targets(session: Session) -> dict[int, float]:
    return {t.year: float(t.target_pct) for t in session.scalars(select(RepresentationTarget))}


def target_for(year: int, targets: dict[int, float]) -> TargetPoint | None:
    """The target of `year`: given, or linearly interpolated; none before the first; after the last, the last."""
    if not targets:
        return None
    if year in targets:
        return TargetPoint(year, targets[year], True)
    years = sorted(targets)
    if year < years[0]:
        return None
    if year > years[-1]:
        return TargetPoint(year, targets[years[-1]], False)
    lo = max(y for y in years if y < year)
    hi = min(y for y in years if y > year)
    pct = targets[lo] + (targets[hi] - targets[lo]) * (year - lo) / (hi - lo)
    return TargetPoint(year, round(pct, 2), False)


def target_path(years: list[int], targets: dict[int, float]) -> list[TargetPoint]:
    return [p for y in years if (p := target_for(y, targets)) is not None]
