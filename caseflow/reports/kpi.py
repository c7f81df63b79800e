"""The representation-share KPI (DOMAIN.md section 1), computed in SQL from typed columns only.

Denominator: legal-aid matters CLOSED in the period whose party is a union member or a union organisation
and whose need is consultation or litigation. Numerator: those in which a union representative took part.
General questions are not matters; non-members' matters are reported beside the share, never inside.
Everything is read from `legal_aid_details` (the engine copies unit and closing year there) through the
covering index `ix_legal_aid_kpi`."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

from caseflow.core.models import Case, Unit, User
from caseflow.core.policy import reading_paths
from caseflow.legal_aid.models import LegalAidDetail

#: whose matters are inside the share
MEMBER_STATUSES = ("member", "union_org")
#: needs that make a request a matter (a general legal question is not one)
MATTER_NEEDS = ("consultation", "litigation")
#: the end state that counts as "closed" (referred and declined requests were not handled by the centre)
COUNTED_END_STATES = ("closed",)

#: the definition shown beside every figure
DEFINITION = {
    "vi": ("Tỷ lệ = số vụ việc có đại diện công đoàn tham gia (cán bộ pháp luật, luật sư tư vấn; người đại diện "
           "theo ủy quyền; đương sự trong vụ án tập thể; người bảo vệ quyền lợi) / số vụ việc đã kết thúc trong kỳ "
           "của đoàn viên hoặc tổ chức công đoàn có nhu cầu tư vấn vụ việc cụ thể hoặc tranh tụng (hòa giải, trọng "
           "tài, tòa án). Không tính hỏi đáp pháp luật chung, vụ việc chuyển nơi khác hoặc từ chối; vụ việc của "
           "người lao động chưa là đoàn viên được báo cáo riêng bên cạnh. Năm = năm kết thúc vụ việc."),
    "en": ("Share = matters in which a union representative took part (union legal officer or lawyer advising; "
           "authorised representative; party in a collective suit; defender of the worker's rights) / matters "
           "closed in the period of union members or union organisations that needed consultation on a concrete "
           "matter or litigation (conciliation, arbitration, court). General legal questions, referred and "
           "declined requests are not counted; non-members' matters are reported beside it. Year = year closed."),
}

D = LegalAidDetail
#: breakdown dimensions: name -> column
DIMENSIONS = {"unit": D.unit_id, "forum": D.forum, "need": D.need, "dispute_type": D.dispute_type,
              "collective": D.is_collective}
#: drill-down sets behind each figure
SETS = ("matters", "represented", "unrepresented", "non_member", "non_member_represented")


@dataclass
class ShareRow:
    key: object
    matters: int
    represented: int
    non_member_matters: int
    non_member_represented: int

    @property
    def share(self) -> float | None:
        return 100.0 * self.represented / self.matters if self.matters else None

    @property
    def unrepresented(self) -> int:
        return self.matters - self.represented

    @property
    def non_member_share(self) -> float | None:
        return 100.0 * self.non_member_represented / self.non_member_matters if self.non_member_matters else None


def scope_unit_ids(session: Session, user: User) -> list[int] | None:
    """The unit ids a user's figures cover: where the user needs to know legal-aid files (core.policy);
    None when they cover every unit (no filter needed)."""
    paths = sorted(reading_paths(session, user).get("legal_aid", set()))
    if not paths or not user.active:
        return []
    all_units = session.execute(select(Unit.id, Unit.path)).all()
    ids = [i for i, path in all_units if any(path.startswith(p) for p in paths)]
    return None if len(ids) == len(all_units) else ids


def _closed_matters(scope: list[int] | None) -> list:
    where = [D.closed_year.is_not(None), D.end_state.in_(COUNTED_END_STATES), D.need.in_(MATTER_NEEDS)]
    if scope is not None:
        where.append(D.unit_id.in_(scope or [-1]))
    return where


#: the index's column order: grouping by a prefix of it lets the database aggregate while it walks the index
_KPI_KEYS = (D.end_state, D.need, D.party_status, D.union_rep_took_part)


#: a counter bumped whenever a matter's closing lands in a year already over (an import): until it moves,
#: past years' figures cannot change, so the dashboard may keep them (caseflow/reports/views.py)
PAST_YEARS_COUNTER = "kpi:past-years-changed"


def share_by_year_query(scope: list[int] | None = None, since: int | None = None,
                        before: int | None = None) -> Select:
    """The dashboard's KPI query: plain counts per (year, party status, representative took part), grouped in
    the covering index's own order, so the database streams it; `_roll_up` adds the few groups together."""
    where = _closed_matters(scope)
    if since is not None:
        where.append(D.closed_year >= since)
    if before is not None:
        where.append(D.closed_year < before)
    return (select(D.closed_year, *_KPI_KEYS, func.count()).where(*where)
            .group_by(D.closed_year, *_KPI_KEYS).order_by(D.closed_year, *_KPI_KEYS))


def _roll_up(groups) -> list[ShareRow]:
    rows: dict = {}
    for key, party_status, took_part, n in groups:
        row = rows.setdefault(key, ShareRow(key, 0, 0, 0, 0))
        if party_status in MEMBER_STATUSES:
            row.matters += n
            row.represented += n if took_part else 0
        elif party_status == "non_member":
            row.non_member_matters += n
            row.non_member_represented += n if took_part else 0
    return list(rows.values())


def share_by_year(session: Session, scope: list[int] | None = None, since: int | None = None,
                  before: int | None = None) -> list[ShareRow]:
    return _roll_up((year, status, took, n) for year, _end, _need, status, took, n
                    in session.execute(share_by_year_query(scope, since, before)))


def breakdowns(session: Session, year: int, scope: list[int] | None = None) -> dict[str, list[ShareRow]]:
    """The share in `year` by each dimension (unit, forum, need, dispute type, collective), from ONE pass
    over that year's slice of the covering index."""
    dims = list(DIMENSIONS.values())
    query = (select(*_KPI_KEYS, *dims, func.count()).where(*_closed_matters(scope), D.closed_year == year)
             .group_by(*_KPI_KEYS, *dims))
    sums: dict[str, dict] = {name: {} for name in DIMENSIONS}
    names = list(DIMENSIONS)
    for _end, _need, status, took, *values, n in session.execute(query):
        member = status in MEMBER_STATUSES
        if not member and status != "non_member":
            continue
        slot = 0 if member else 2
        for name, value in zip(names, values):
            acc = sums[name].get(value)
            if acc is None:
                acc = sums[name][value] = [0, 0, 0, 0]
            acc[slot] += n
            if took:
                acc[slot + 1] += n
    return {name: [ShareRow(key, *acc) for key, acc in sorted(by_value.items(),
                                                              key=lambda kv: (kv[0] is None, kv[0]))]
            for name, by_value in sums.items()}


def share_by(session: Session, dimension: str, year: int, scope: list[int] | None = None) -> list[ShareRow]:
    """The share in `year` broken down by one dimension (unit, forum, need, dispute_type, collective)."""
    return breakdowns(session, year, scope)[dimension]


def roll_up_units(rows: list[ShareRow], successors: dict[int, int]) -> list[ShareRow]:
    """The unit breakdown with each merged-away unit's figures added into the unit carrying its work today
    (the 2025 merger); the figures by the unit as it was stay the default view."""
    merged: dict = {}
    for row in rows:
        key = successors.get(row.key, row.key)
        acc = merged.setdefault(key, ShareRow(key, 0, 0, 0, 0))
        acc.matters += row.matters
        acc.represented += row.represented
        acc.non_member_matters += row.non_member_matters
        acc.non_member_represented += row.non_member_represented
    return sorted(merged.values(), key=lambda r: (r.key is None, r.key))


def units_rolled_into(unit_id: int, successors: dict[int, int]) -> list[int]:
    """The unit and every unit merged (directly or not) into it: the cases behind a rolled-up figure."""
    return [unit_id, *sorted(u for u, s in successors.items() if s == unit_id)]


def total(rows: list[ShareRow]) -> ShareRow:
    return ShareRow(None, sum(r.matters for r in rows), sum(r.represented for r in rows),
                    sum(r.non_member_matters for r in rows), sum(r.non_member_represented for r in rows))


def drilldown_query(which: str, *, year: int | None = None, scope: list[int] | None = None,
                    filters: dict | None = None) -> Select:
    """The cases behind a figure: `which` is one of SETS; filters are dimension -> value ("" = none)."""
    if which not in SETS:
        raise ValueError(which)
    where = _closed_matters(scope)
    if year is not None:
        where.append(D.closed_year == year)
    for name, value in (filters or {}).items():
        column = DIMENSIONS[name]
        if value in (None, "", "none"):
            where.append(column.is_(None))
        elif name == "collective":
            where.append(column.is_(str(value).lower() in ("1", "true", "yes")))
        elif name == "unit" and isinstance(value, list | tuple):  # a rolled-up figure: the unit and its predecessors
            where.append(column.in_([int(v) for v in value]))
        elif name == "unit":
            where.append(column == int(value))
        else:
            where.append(column == value)
    member = D.party_status.in_(MEMBER_STATUSES)
    took_part = D.union_rep_took_part.is_(True)
    where.append({"matters": member, "represented": and_(member, took_part),
                  "unrepresented": and_(member, D.union_rep_took_part.is_(False)),
                  "non_member": D.party_status == "non_member",
                  "non_member_represented": and_(D.party_status == "non_member", took_part)}[which])
    return (select(Case, D).join(D, D.case_id == Case.id).where(*where)
            .order_by(D.closed_date.desc(), Case.code))


def verified_by_year(session: Session, scope: list[int] | None = None, since: int | None = None,
                     before: int | None = None) -> dict[int, int]:
    """Per closing year, the matters inside the share whose membership was verified against the member register
    at intake (legal_aid_details.member_id set by verify_membership), rather than only typed."""
    where = [*_closed_matters(scope), D.party_status.in_(MEMBER_STATUSES), D.member_id.is_not(None)]
    if since is not None:
        where.append(D.closed_year >= since)
    if before is not None:
        where.append(D.closed_year < before)
    return {int(y): n for y, n in session.execute(select(D.closed_year, func.count()).where(*where)
                                                  .group_by(D.closed_year))}
