"""Representation-share targets per year (seed, section II.2), kept as editable data; years between two
targets follow the straight line between them (the path shown on the chart)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.models import RepresentationTarget


@dataclass(frozen=True)
class TargetPoint:
    year: int
    pct: float
    #: True for a year the programme names, False for one read off the path between two of them
    set_by_programme: bool


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
