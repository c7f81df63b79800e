"""The working-day calendar on real dates (holidays VN + overrides), and its properties."""
from datetime import date, timedelta

import holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from caseflow.deadlines.calendar import Override, WorkingCalendar

CAL = WorkingCalendar()


def test_holidays_package_knows_the_2025_and_2026_swaps():
    # Checked against holidays 0.109: both swaps are in the package, so no override is needed for them.
    # (Had one been missing, an override row with its notice would add it: see test_override_* below.)
    vn = holidays.country_holidays("VN", years=[2025, 2026])
    assert date(2025, 4, 26) in vn.weekend_workdays and date(2026, 8, 22) in vn.weekend_workdays


def test_tet_2025():
    # Tết Ất Tỵ: 27/01 to 31/01/2025 off (29 Tết to mùng 3), then the weekend
    assert [CAL.is_working_day(date(2025, 1, d)) for d in range(24, 32)] == \
        [True, False, False, False, False, False, False, False]
    assert CAL.add_working_days(date(2025, 1, 24), 1) == date(2025, 2, 3)
    assert CAL.working_days_between(date(2025, 1, 24), date(2025, 2, 3)) == 1


def test_tet_2026_began_on_17_february():
    assert "Tết Nguyên Đán" == CAL.reason(date(2026, 2, 17))
    assert not any(CAL.is_working_day(date(2026, 2, d)) for d in range(14, 23))
    explanation = CAL.explain_period(date(2026, 2, 13), 5, "working")
    assert explanation.due == date(2026, 2, 27)
    skipped = [str(n) for n in explanation.skipped]
    assert "17/02/2026 – Tết Nguyên Đán" in skipped
    assert len(skipped) == 9  # 14/02 to 22/02


def test_gio_to_2026_on_a_sunday_is_observed_on_monday_27_april():
    assert not CAL.is_working_day(date(2026, 4, 26)) and not CAL.is_working_day(date(2026, 4, 27))
    assert "nghỉ bù" in CAL.reason(date(2026, 4, 27))
    assert CAL.add_working_days(date(2026, 4, 24), 1) == date(2026, 4, 28)


def test_swap_2025_second_of_may_off_saturday_26_april_worked():
    assert CAL.is_working_day(date(2025, 4, 26))
    assert not CAL.is_working_day(date(2025, 5, 2))
    explanation = CAL.explain_period(date(2025, 4, 25), 2, "working")
    assert explanation.due == date(2025, 4, 28)  # Saturday 26/04 counted
    assert [str(n) for n in explanation.notes if not n.skipped] == ["26/04/2025 – làm bù"]
    assert CAL.add_working_days(date(2025, 4, 29), 1) == date(2025, 5, 5)  # 30/04, 01/05, 02/05 off


def test_swap_2026_31_august_off_saturday_22_august_worked():
    assert CAL.is_working_day(date(2026, 8, 22))
    assert not CAL.is_working_day(date(2026, 8, 31))
    explanation = CAL.explain_period(date(2026, 8, 20), 5, "working")
    assert explanation.due == date(2026, 8, 26)
    assert "22/08/2026 – làm bù" in [str(n) for n in explanation.notes]
    assert CAL.add_working_days(date(2026, 8, 28), 1) == date(2026, 9, 3)  # 31/08, 01/09, 02/09 off


def test_thirty_calendar_days_ending_on_a_sunday_move_to_monday():
    start = date(2026, 10, 2)
    assert (start + timedelta(days=30)).weekday() == 6  # 01/11/2026 is a Sunday
    explanation = CAL.explain_period(start, 30, "calendar")
    assert explanation.nominal_end == date(2026, 11, 1)
    assert explanation.due == date(2026, 11, 2)
    assert [str(n) for n in explanation.skipped] == ["01/11/2026 – Chủ nhật"]


def test_calendar_period_ending_in_a_holiday_run():
    # 30 days from 27/03/2026 end on Sunday 26/04 (Giỗ Tổ), observed Monday 27/04 -> Tuesday 28/04
    explanation = CAL.explain_period(date(2026, 3, 27), 30, "calendar")
    assert explanation.due == date(2026, 4, 28)
    assert [n.day for n in explanation.skipped] == [date(2026, 4, 26), date(2026, 4, 27)]


def test_month_periods_end_on_the_same_day_or_the_months_last_day():
    assert CAL.add_months(date(2025, 8, 31), 6) == date(2026, 3, 2)  # 28/02/2026 is a Saturday -> Monday
    assert CAL.add_months(date(2026, 1, 15), 12) == date(2027, 1, 15)


def test_override_adds_a_day_off_and_a_working_saturday_with_the_notice():
    cal = WorkingCalendar([Override(date(2027, 3, 5), "day_off", "Thông báo 1/TB-BLĐTBXH"),
                           Override(date(2027, 3, 13), "working_day", "Thông báo 1/TB-BLĐTBXH")])
    assert not cal.is_working_day(date(2027, 3, 5)) and cal.is_working_day(date(2027, 3, 13))
    assert cal.reason(date(2027, 3, 5)) == "Nghỉ theo Thông báo 1/TB-BLĐTBXH"
    assert cal.reason(date(2027, 3, 13)) == "làm bù theo Thông báo 1/TB-BLĐTBXH"
    assert CAL.is_working_day(date(2027, 3, 5))  # the shared calendar is untouched


days = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 1))


@settings(max_examples=150, deadline=None)
@given(start=days, n=st.integers(min_value=0, max_value=60))
def test_adding_n_working_days_then_counting_back_gives_n(start, n):
    assert CAL.working_days_between(start, CAL.add_working_days(start, n)) == n


@settings(max_examples=150, deadline=None)
@given(start=days, n=st.integers(min_value=1, max_value=120), unit=st.sampled_from(["working", "calendar"]))
def test_the_due_date_is_never_a_day_off(start, n, unit):
    assert CAL.is_working_day(CAL.explain_period(start, n, unit).due)


@settings(max_examples=100, deadline=None)
@given(start=days, n=st.integers(min_value=1, max_value=60), unit=st.sampled_from(["working", "calendar"]),
       pause_at=st.integers(min_value=0, max_value=30), pause_len=st.integers(min_value=1, max_value=40))
def test_a_pause_delays_the_due_date_by_at_least_nothing_and_never_lands_on_a_day_off(start, n, unit, pause_at,
                                                                                        pause_len):
    p = start + timedelta(days=pause_at)
    plain = CAL.explain_period(start, n, unit).due
    paused = CAL.explain_period(start, n, unit, [(p, p + timedelta(days=pause_len))]).due
    assert paused >= plain and CAL.is_working_day(paused)


@settings(max_examples=40, deadline=None)
@given(starts=st.lists(st.tuples(st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 1)),
                                 st.integers(min_value=1, max_value=40), st.sampled_from(["working", "calendar"])),
                       min_size=1, max_size=8),
       day=st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 2, 28)))
def test_an_override_moves_exactly_the_deadlines_whose_window_contains_it(starts, day):
    from caseflow.deadlines.models import Deadline
    from caseflow.deadlines.service import window_contains

    kind = "working_day" if not CAL.is_working_day(day) else "day_off"  # an override that changes the day
    changed = CAL.with_override(Override(day, kind, "Thông báo thử"))
    for start, n, unit in starts:
        row = Deadline(start_date=start, days=n, day_unit=unit, extension_days=0, pauses=[], status="open")
        row.due_date = CAL.due(start, n, unit)
        moved = changed.due(start, n, unit) != row.due_date
        assert moved == window_contains(row, CAL, day), (start, n, unit, day, kind)
