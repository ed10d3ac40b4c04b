"""The Vietnamese working-day calendar: holidays, compensatory days, overrides, counting."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khoi.lib.workdays import (
    PACKAGE_SWAP_MAKEUP_DAYS,
    DeadlineError,
    Override,
    WorkCalendar,
    public_holidays,
)

D = dt.date
CAL = WorkCalendar()


def off_days(cal: WorkCalendar, first: dt.date, last: dt.date) -> list[dt.date]:
    days = []
    d = first
    while d <= last:
        if not cal.is_working_day(d):
            days.append(d)
        d += dt.timedelta(days=1)
    return days


# --- Holidays as the package gives them -------------------------------------------


def test_tet_2025_is_monday_27_january_to_sunday_2_february() -> None:
    assert off_days(CAL, D(2025, 1, 24), D(2025, 2, 3)) == [
        D(2025, 1, 25) + dt.timedelta(days=i) for i in range(9)
    ]
    assert CAL.is_working_day(D(2025, 1, 24))
    assert CAL.is_working_day(D(2025, 2, 3))


def test_tet_2026_is_saturday_14_to_sunday_22_february() -> None:
    assert off_days(CAL, D(2026, 2, 13), D(2026, 2, 23)) == [
        D(2026, 2, 14) + dt.timedelta(days=i) for i in range(9)
    ]


def test_lunar_new_year_follows_the_vietnamese_not_the_chinese_calendar() -> None:
    # 1985: Vietnam celebrated Tết on 21/01, China on 20/02 (the calendars disagreed).
    names = public_holidays(1985)
    assert names.get(D(1985, 1, 21)) == "Tết Nguyên Đán"
    assert D(1985, 2, 20) not in names


def test_reunification_and_labour_days_are_off() -> None:
    for d in (D(2025, 4, 30), D(2025, 5, 1), D(2026, 4, 30), D(2026, 5, 1)):
        assert not CAL.is_working_day(d)
    assert CAL.is_working_day(D(2026, 5, 4))


def test_the_package_gives_2_may_2025_off_as_a_swapped_day() -> None:
    assert not CAL.is_working_day(D(2025, 5, 2))
    assert "26/04/2025" in (CAL.day_off_reason(D(2025, 5, 2)) or "")


def test_national_day_has_two_days_off_since_2021() -> None:
    assert off_days(CAL, D(2025, 8, 29), D(2025, 9, 3)) == [
        D(2025, 8, 30),
        D(2025, 8, 31),
        D(2025, 9, 1),
        D(2025, 9, 2),
    ]
    assert not CAL.is_working_day(D(2026, 9, 1))
    assert not CAL.is_working_day(D(2026, 9, 2))
    assert CAL.is_working_day(D(2020, 9, 1))  # one day only before 2021


def test_culture_day_24_november_is_a_holiday_from_2026_only() -> None:
    assert not CAL.is_working_day(D(2026, 11, 24))
    assert CAL.day_off_reason(D(2026, 11, 24)) == "Ngày Văn hóa Việt Nam"
    assert CAL.is_working_day(D(2025, 11, 24))  # a Monday, not yet a holiday
    assert not CAL.is_working_day(D(2027, 11, 24))


def test_hung_kings_day_on_sunday_26_april_2026_is_observed_on_monday_27() -> None:
    assert not CAL.is_working_day(D(2026, 4, 27))
    assert CAL.day_off_reason(D(2026, 4, 27)) == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"
    assert CAL.is_working_day(D(2026, 4, 28))


def test_a_holiday_on_saturday_is_observed_on_the_next_monday() -> None:
    # 1/5/2027 is a Saturday (Labour Code 2019 art. 112(3)).
    assert not CAL.is_working_day(D(2027, 5, 3))
    assert CAL.is_working_day(D(2027, 5, 4))


def test_ordinary_weekdays_work_and_weekends_do_not() -> None:
    assert CAL.is_working_day(D(2025, 3, 14))  # Friday
    assert not CAL.is_working_day(D(2025, 3, 15))  # Saturday
    assert not CAL.is_working_day(D(2025, 3, 16))  # Sunday
    assert CAL.day_off_reason(D(2025, 3, 15)) == "Thứ Bảy"
    assert CAL.day_off_reason(D(2025, 3, 14)) is None


def test_dates_outside_the_package_range_are_refused() -> None:
    with pytest.raises(DeadlineError) as exc:
        CAL.is_working_day(D(2101, 1, 3))
    assert exc.value.code == "out-of-range"


def test_days_off_lists_weekday_holidays_and_overrides_of_a_year() -> None:
    cal = WorkCalendar([Override(D(2025, 5, 2), True, "đi làm"), Override(D(2025, 6, 2), False)])
    days = dict(cal.days_off(2025))
    assert D(2025, 5, 2) not in days
    assert D(2025, 6, 2) in days
    assert days[D(2025, 9, 2)] == "Quốc khánh"
    assert D(2025, 2, 1) not in days  # a Saturday


# --- Overrides ------------------------------------------------------------------------


def test_a_swapped_saturday_can_be_a_working_day() -> None:
    cal = WorkCalendar([Override(D(2025, 4, 26), True, "Làm bù cho 02/05/2025")])
    assert cal.is_working_day(D(2025, 4, 26))
    assert not CAL.is_working_day(D(2025, 4, 26))
    assert cal.next_working_day(D(2025, 4, 26)) == D(2025, 4, 26)


def test_an_announced_extra_day_off_is_not_a_working_day() -> None:
    cal = WorkCalendar([Override(D(2026, 2, 13), False, "Nghỉ thêm trước Tết")])
    assert not cal.is_working_day(D(2026, 2, 13))
    assert cal.day_off_reason(D(2026, 2, 13)) == "Nghỉ thêm trước Tết"
    assert CAL.is_working_day(D(2026, 2, 13))


def test_an_override_wins_over_a_holiday() -> None:
    cal = WorkCalendar([Override(D(2025, 5, 2), True)])
    assert cal.is_working_day(D(2025, 5, 2))


def test_conflicting_overrides_of_one_date_are_refused() -> None:
    with pytest.raises(DeadlineError) as exc:
        WorkCalendar([Override(D(2025, 5, 2), True), Override(D(2025, 5, 2), False)])
    assert exc.value.code == "override-conflict"
    same = WorkCalendar([Override(D(2025, 5, 2), True), Override(D(2025, 5, 2), True, "x")])
    assert len(same.overrides) == 1


def test_package_swap_makeup_days_are_the_saturdays_the_package_swapped_away() -> None:
    for item in PACKAGE_SWAP_MAKEUP_DAYS:
        assert item.date.weekday() == 5
        assert item.is_working_day
        m = re.search(r"(\d\d)/(\d\d)/(\d{4})", item.note)
        assert m is not None
        off = D(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        name = public_holidays(off.year).get(off, "")
        worked = item.date.strftime("%d/%m/%Y")
        assert worked in name, (off, name)


# --- Counting -------------------------------------------------------------------------


def test_next_working_day_is_the_day_itself_when_it_works() -> None:
    assert CAL.next_working_day(D(2025, 3, 14)) == D(2025, 3, 14)
    assert CAL.next_working_day(D(2025, 3, 15)) == D(2025, 3, 17)
    assert CAL.next_working_day(D(2026, 2, 14)) == D(2026, 2, 23)


def test_adding_working_days_does_not_count_the_start_day() -> None:
    assert CAL.add_working_days(D(2025, 1, 3), 1) == D(2025, 1, 6)
    assert CAL.add_working_days(D(2025, 1, 3), 10) == D(2025, 1, 17)
    assert CAL.add_working_days(D(2025, 1, 3), 0) == D(2025, 1, 3)


def test_adding_working_days_skips_tet_2026() -> None:
    assert CAL.add_working_days(D(2026, 2, 11), 10) == D(2026, 3, 4)


def test_adding_negative_working_days_is_refused() -> None:
    with pytest.raises(DeadlineError) as exc:
        CAL.add_working_days(D(2025, 1, 3), -1)
    assert exc.value.code == "negative"


def test_working_days_between_counts_after_start_up_to_end() -> None:
    assert CAL.working_days_between(D(2025, 1, 3), D(2025, 1, 17)) == 10
    assert CAL.working_days_between(D(2025, 1, 24), D(2025, 2, 3)) == 1
    assert CAL.working_days_between(D(2025, 1, 3), D(2025, 1, 3)) == 0


# --- Properties -----------------------------------------------------------------------

dates = st.dates(min_value=D(1995, 1, 1), max_value=D(2095, 12, 31))
overrides = st.dictionaries(
    st.dates(min_value=D(2024, 1, 1), max_value=D(2027, 12, 31)), st.booleans(), max_size=40
).map(lambda table: WorkCalendar([Override(d, w) for d, w in table.items()]))
calendars = st.one_of(st.just(CAL), overrides)


@settings(max_examples=200, deadline=None)
@given(dates, st.integers(min_value=0, max_value=40), calendars)
def test_adding_working_days_lands_on_a_working_day_n_working_days_later(
    start: dt.date, n: int, cal: WorkCalendar
) -> None:
    due = cal.add_working_days(start, n)
    assert cal.working_days_between(start, due) == n
    if n:
        assert due > start
        assert cal.is_working_day(due)


@settings(max_examples=200, deadline=None)
@given(dates, calendars)
def test_next_working_day_is_the_first_working_day_on_or_after(
    d: dt.date, cal: WorkCalendar
) -> None:
    nxt = cal.next_working_day(d)
    assert nxt >= d
    assert cal.is_working_day(nxt)
    assert cal.working_days_between(d - dt.timedelta(days=1), nxt) == 1


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1995, max_value=2095))
def test_every_year_has_between_245_and_255_working_days(year: int) -> None:
    n = CAL.working_days_between(D(year - 1, 12, 31), D(year, 12, 31))
    assert 245 <= n <= 255
