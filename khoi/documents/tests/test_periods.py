from __future__ import annotations

import datetime
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khoi.documents.periods import Period, PeriodError, parse_period

D = datetime.date


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2017-10", D(2017, 9, 15), D(2017, 10, 14), "tháng 10 năm 2017"),
        ("2017-Q3", D(2017, 6, 15), D(2017, 9, 14), "quý III năm 2017"),
        ("2017-H1", D(2016, 12, 15), D(2017, 6, 14), "6 tháng đầu năm 2017"),
        ("2017-h2", D(2017, 6, 15), D(2017, 12, 14), "6 tháng cuối năm 2017"),
        ("2017-9M", D(2016, 12, 15), D(2017, 9, 14), "9 tháng năm 2017"),
        ("2017", D(2016, 12, 15), D(2017, 12, 14), "năm 2017"),
        ("2017-01", D(2016, 12, 15), D(2017, 1, 14), "tháng 1 năm 2017"),
    ],
)
def test_periods_run_from_the_15th_before_to_the_14th_of_the_last_month(
    text: str, start: datetime.date, end: datetime.date, label: str
) -> None:
    period = parse_period(text)
    assert period.bounds() == (start, end)
    assert period.label == label


def test_a_cut_off_of_1_gives_calendar_months() -> None:
    assert parse_period("2017-Q4").bounds(1) == (D(2017, 10, 1), D(2017, 12, 31))
    assert parse_period("2016-02").bounds(1) == (D(2016, 2, 1), D(2016, 2, 29))
    assert parse_period("2017-10").bounds(20) == (D(2017, 9, 20), D(2017, 10, 19))


@pytest.mark.parametrize(
    ("text", "code"),
    [("", "bad_period"), ("2017-13", "bad_month"), ("2017-Q5", "bad_period"),
     ("2017-00", "bad_month"), ("17-10", "bad_period"), ("1890", "bad_year"),
     ("2017-H3", "bad_period"), ("tháng 10", "bad_period"), ("2017-8M", "bad_period")],
)  # fmt: skip
def test_periods_that_mean_nothing_are_refused_with_a_reason(text: str, code: str) -> None:
    with pytest.raises(PeriodError) as exc:
        parse_period(text)
    assert exc.value.code == code and exc.value.message


def test_a_cut_off_beyond_28_is_refused() -> None:
    with pytest.raises(PeriodError):
        parse_period("2017").bounds(29)


PERIODS = st.one_of(
    st.builds(lambda y, m: f"{y}-{m:02d}", st.integers(1990, 2100), st.integers(1, 12)),
    st.builds(lambda y, q: f"{y}-Q{q}", st.integers(1990, 2100), st.integers(1, 4)),
    st.builds(lambda y, h: f"{y}-H{h}", st.integers(1990, 2100), st.integers(1, 2)),
    st.builds(lambda y: f"{y}-9M", st.integers(1990, 2100)),
    st.builds(str, st.integers(1990, 2100)),
)


@given(PERIODS, st.integers(1, 28))
def test_every_period_round_trips_and_its_months_tile_it(text: str, cutoff: int) -> None:
    period = parse_period(text)
    assert parse_period(period.code) == period
    start, end = period.bounds(cutoff)
    months = [Period("month", period.year, m, m).bounds(cutoff) for m in
              range(period.first_month, period.last_month + 1)]  # fmt: skip
    assert months[0][0] == start and months[-1][1] == end
    for (_, a_end), (b_start, _) in itertools.pairwise(months):
        assert b_start - a_end == datetime.timedelta(days=1)


@given(st.text(max_size=12))
def test_the_parser_never_crashes(text: str) -> None:
    try:
        parse_period(text)
    except PeriodError as exc:
        assert exc.code in {"bad_period", "bad_month", "bad_year"}
