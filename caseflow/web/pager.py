"""A list page whose count stops at a cap: exact up to COUNT_CAP rows, "1.000+" beyond.

An exact `count(*)` of a list at 200,000 cases reads every row the user may see, on every page view, and
the need-to-know clause is evaluated on each of them: it cost more than the page itself (issue 12). Nobody
pages through more than a few dozen pages; beyond that one searches or filters. So the list counts at most
`cap + 1` matching rows (`SELECT count(*) FROM (... LIMIT cap + 1)`), a cost bounded by the cap and not by
the table, exact where the number is read (a filter, a search, a small unit) and "more than" where it is
not. Why not an estimate from PostgreSQL's statistics: it knows the table, not the user's scope nor the
filters, and SQLite has none; why not a cached count: it is per user scope and per filter, and stale after
each fire. The figures that must be exact are the reports' (caseflow/reports), which count on purpose.
A page after the last counted one is still reachable: the page reads `per_page + 1` rows to know whether
a next one exists."""
from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

#: lists count exactly up to this many rows
COUNT_CAP = 1000


@dataclass
class CappedPage:
    items: list
    page: int
    per_page: int
    #: the rows counted, at most cap (exact when not `more`)
    total: int
    #: more rows match than were counted
    more: bool
    has_next: bool

    @property
    def total_label(self) -> str:
        shown = f"{self.total:,}".replace(",", ".")
        return shown + "+" if self.more else shown

    @property
    def pages(self) -> int:
        counted = max(1, ceil(self.total / self.per_page))
        return max(counted, self.page + 1 if self.has_next else self.page)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    def iter_pages(self, *, left_edge: int = 2, left_current: int = 2, right_current: int = 4,
                   right_edge: int = 2):
        """As Flask-SQLAlchemy's Pagination.iter_pages (None marks a gap); no last page when the count is capped."""
        pages = self.pages
        right_edge = 0 if self.more else right_edge
        last = 0
        for number in range(1, pages + 1):
            if (number <= left_edge or self.page - left_current <= number <= self.page + right_current
                    or number > pages - right_edge):
                if last + 1 != number:
                    yield None
                yield number
                last = number
        if self.more and last == pages:
            yield None


def capped_page(session: Session, query: Select, page: int, per_page: int, cap: int = COUNT_CAP,
                count_query: Select | None = None) -> CappedPage:
    """One page of `query` (ordered) and its count up to `cap`: two statements whatever the table's size, one
    when the page is the last. `count_query`: the same rows, as the count should read them (a caller's hint)."""
    page = max(1, page)
    rows = list(session.scalars(query.limit(per_page + 1).offset((page - 1) * per_page)).unique())
    if len(rows) <= per_page and (rows or page == 1):
        # the last page: the rows before it and on it are the count, no second statement
        total = (page - 1) * per_page + len(rows)
        return CappedPage(items=rows, page=page, per_page=per_page, total=min(total, cap), more=total > cap,
                          has_next=False)
    # the count keeps the page's order: both planners then read the rows as the page does (an index in the
    # list's order, stopping at cap + 1), where without it PostgreSQL would build bitmaps of every row of a
    # common filter value (kind = legal_aid: 95 % of the table) before the LIMIT
    counting = count_query if count_query is not None else query
    first_column = counting.selected_columns[:1]  # the id: the count reads no other column
    counted = session.scalar(select(func.count()).select_from(
        counting.with_only_columns(*first_column).limit(cap + 1).subquery())) or 0
    return CappedPage(items=rows[:per_page], page=page, per_page=per_page, total=min(counted, cap),
                      more=counted > cap, has_next=len(rows) > per_page)
