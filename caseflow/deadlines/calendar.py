"""The Vietnamese working-day calendar: the `holidays` package (country VN, Vietnamese names) plus the
admin's overrides (an official notice entered before a library release knows it).

`holidays` already knows the lunar holidays (Tết, Giỗ Tổ), compensatory days off (Bộ luật Lao động 2019,
Art. 111(3)) and the government's yearly swaps (a weekday off, a Saturday worked: `weekend_workdays`);
overrides are applied onto one `holidays` object, so its own counting functions do the work."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

OVERRIDE_KINDS = ("day_off", "working_day")
WEEKDAY_NAMES = {5: "Thứ Bảy", 6: "Chủ nhật"}
#: Vietnamese words of the explanation, as staff write them
WORKED_SATURDAY = "làm bù"
PAUSED = "tạm dừng tính thời hạn"


@dataclass(frozen=True)
class Override:
    day: date
    kind: str  # day_off | working_day
    notice: str


@dataclass(frozen=True)
class DayNote:
    """One day the explanation mentions: skipped (not counted) or counted although unusual (làm bù)."""
    day: date
    reason: str
    skipped: bool = True

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} – {self.reason}"


@dataclass(frozen=True)
class PauseNote(DayNote):
    """A clock stop: from the day it stopped (days after it are not counted) to the day it restarted, or
    still running (`until` None). Never shows an end before its start."""
    until: date | None = None

    def __str__(self) -> str:
        if self.until is None:
            return f"{PAUSED} từ {self.day:%d/%m/%Y} (đang tạm dừng)"
        return f"{PAUSED} từ {self.day:%d/%m/%Y} đến {self.until:%d/%m/%Y}"


@dataclass(frozen=True)
class Explanation:
    start: date
    due: date | None
    #: the day the period ends before moving off a day off (calendar and month periods)
    nominal_end: date | None
    notes: tuple[DayNote, ...] = field(default_factory=tuple)

    @property
    def skipped(self) -> list[DayNote]:
        return [n for n in self.notes if n.skipped]


class WorkingCalendar:
    """Working days of the Vietnamese public sector: Monday to Friday, minus holidays, plus worked Saturdays."""

    def __init__(self, overrides: Iterable[Override] = ()) -> None:
        self.overrides = {o.day: o for o in overrides}
        # years populated up front: `holidays` fills weekend_workdays only for years it has expanded
        import holidays  # its country tables are imported when a calendar is first built, not at start-up

        self._days = holidays.country_holidays("VN", language="vi", years=range(2015, date.today().year + 6))
        for o in self.overrides.values():
            self._apply(o)

    def _apply(self, o: Override) -> None:
        _ = o.day in self._days  # populate the year first, so a later expansion cannot undo the override
        if o.kind == "day_off":
            self._days.weekend_workdays.discard(o.day)
            self._days[o.day] = f"Nghỉ theo {o.notice}"
        else:
            if o.day in self._days:
                self._days.pop(o.day)
            if self._days._is_weekend(o.day):
                self._days.weekend_workdays.add(o.day)

    def with_override(self, override: Override) -> WorkingCalendar:
        """A copy with one more override (the admin page's preview)."""
        return WorkingCalendar([*self.overrides.values(), override])

    # -- days -------------------------------------------------------------------------------------------
    def is_working_day(self, day: date) -> bool:
        return self._days.is_working_day(day)

    def reason(self, day: date) -> str | None:
        """Why `day` is off, or why a weekend day is worked; None for an ordinary working day."""
        o = self.overrides.get(day)
        if o is not None:
            return f"Nghỉ theo {o.notice}" if o.kind == "day_off" else f"{WORKED_SATURDAY} theo {o.notice}"
        name = self._days.get(day)
        if name:
            return name
        if day.weekday() in WEEKDAY_NAMES:
            return WORKED_SATURDAY if self.is_working_day(day) else WEEKDAY_NAMES[day.weekday()]
        return None

    # -- periods ------------------------------------------------------------------------------------------
    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (the day of the event is not counted)."""
        return self._days.get_nth_working_day(start, n) if n else start

    def next_working_day(self, day: date) -> date:
        """`day` itself if it is a working day, else the next one (n=0 in `holidays`)."""
        return self._days.get_nth_working_day(day, 0)

    def add_calendar_days(self, start: date, n: int) -> date:
        """n calendar days after `start`; a period ending on a day off ends on the next working day
        (Bộ luật Dân sự 2015, Arts. 147–148; DOMAIN.md section 0, [U])."""
        return self.next_working_day(start + timedelta(days=n))

    def add_months(self, start: date, n: int) -> date:
        """A period in months ends on the same day of the last month, or the month's last day
        (Bộ luật Dân sự 2015, Art. 148(3)), moved off a day off like a calendar period."""
        return self.next_working_day(shift_months(start, n))

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: how many a period from `start` has used by `end`; negative if end < start."""
        if end == start:
            return 0
        if end > start:
            return self._days.get_working_days_count(start + timedelta(days=1), end)
        return -self._days.get_working_days_count(end + timedelta(days=1), start)

    # -- explanation ----------------------------------------------------------------------------------------
    def due(self, start: date, days: int, unit: str, pauses: Iterable[tuple[date, date | None]] = (),
            today: date | None = None) -> date:
        explanation = self.explain_period(start, days, unit, pauses, today)
        assert explanation.due is not None
        return explanation.due

    def explain_period(self, start: date, days: int, unit: str,
                       pauses: Iterable[tuple[date, date | None]] = (), today: date | None = None) -> Explanation:
        """The due date of `days` <unit> from `start`, not counting days in paused intervals (from, to];
        an open pause runs to `today` (the due date is then provisional). Every skipped day is noted."""
        stops = sorted(pauses, key=lambda stop: stop[0])
        intervals = [(p, max(r or today or p, p)) for p, r in stops]
        if unit == "months":  # a month period is shifted by the paused calendar days
            end = shift_months(start, days) + timedelta(days=sum(max((r - p).days, 0) for p, r in intervals))
            return self._finish(start, end, [], intervals, calendar_roll=True)
        cursor, remaining, notes = start, days, []
        for (p, r), (_stopped, restarted) in zip(intervals, stops, strict=True):
            if r < cursor or (r == cursor and restarted is not None):
                continue
            p = max(p, cursor)
            available = (self.working_days_between(cursor, p) if unit == "working" else (p - cursor).days)
            if remaining <= available:
                break
            remaining -= available
            if restarted is None or r > p:  # a stop lifted the same day it began paused nothing
                notes.append(PauseNote(p, PAUSED, until=r if restarted is not None else None))
            cursor = r
        if unit == "working":
            end = self.add_working_days(cursor, remaining)
            return self._finish(start, end, notes, intervals, calendar_roll=False)
        return self._finish(start, cursor + timedelta(days=remaining), notes, intervals, calendar_roll=True)

    def _finish(self, start: date, end: date, notes: list[DayNote], intervals, *, calendar_roll: bool) -> Explanation:
        def paused(d: date) -> bool:
            return any(p < d <= r for p, r in intervals)

        if calendar_roll:
            due = self.next_working_day(end)
            span = [end + timedelta(days=i) for i in range((due - end).days)]
            notes += [DayNote(d, self.reason(d) or "") for d in span]
            return Explanation(start, due, end, tuple(sorted(notes, key=lambda n: n.day)))
        for i in range(1, (end - start).days + 1):
            d = start + timedelta(days=i)
            if paused(d):
                continue
            working = self.is_working_day(d)
            why = self.reason(d)
            if not working:
                notes.append(DayNote(d, why or ""))
            elif why:  # a worked Saturday or a working-day override counts, and is worth saying
                notes.append(DayNote(d, why, skipped=False))
        return Explanation(start, end, None, tuple(sorted(notes, key=lambda n: n.day)))


def shift_months(day: date, n: int) -> date:
    month = day.month - 1 + n
    year, month = day.year + month // 12, month % 12 + 1
    for d in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, d))
        except ValueError:
            continue
    raise ValueError(day)
