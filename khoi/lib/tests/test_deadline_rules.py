"""Statutory clocks: the rule table, deadlines worked by hand, extensions, the command."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khoi.lib.deadline_cli import run
from khoi.lib.workdays import (
    RULE_TABLE,
    RULES,
    DeadlineError,
    Override,
    Rule,
    WorkCalendar,
    compute_deadline,
)

D = dt.date
CAL = WorkCalendar()


def due(rule: str, start: dt.date, extensions: int = 0, cal: WorkCalendar | None = None) -> dt.date:
    return compute_deadline(rule, start, extensions, cal).due


# --- The rule table -------------------------------------------------------------------

ISSUE_TABLE = {
    "complaint-accept": (10, "working", "Điều 27"),
    "complaint-resolve-1": (30, "calendar", "Điều 28"),
    "complaint-resolve-1-complex": (45, "calendar", "Điều 28"),
    "complaint-resolve-1-remote": (45, "calendar", "Điều 28"),
    "complaint-resolve-1-remote-complex": (60, "calendar", "Điều 28"),
    "complaint-resolve-2": (45, "calendar", "Điều 37"),
    "complaint-resolve-2-complex": (60, "calendar", "Điều 37"),
    "complaint-resolve-2-remote": (60, "calendar", "Điều 37"),
    "complaint-resolve-2-remote-complex": (70, "calendar", "Điều 37"),
    "complaint-limitation": (90, "calendar", "Điều 9"),
    "denunciation-process": (7, "working", "Điều 24"),
    "denunciation-process-multi": (10, "working", "Điều 24"),
    "denunciation-forward": (5, "working", "Điều 24"),
    "denunciation-resolve": (30, "calendar", "Điều 30"),
    "denunciation-resolve-complex": (30, "calendar", "Điều 30"),
    "complaint-second": (30, "calendar", "Điều 33"),
    "complaint-second-remote": (45, "calendar", "Điều 33"),
    "reception-reply": (10, "working", "Điều 28"),
}


def test_the_rule_table_matches_the_issue() -> None:
    """The versions in force today."""
    assert set(RULES) == set(ISSUE_TABLE)
    for rule_id, (period, unit, article) in ISSUE_TABLE.items():
        rule = RULES[rule_id].current
        assert (rule.period, rule.unit) == (period, unit)
        assert article in rule.source
        assert rule.max_extensions == (2 if rule_id.startswith("denunciation-resolve") else 0)
        assert rule.valid_to is None


def test_every_source_names_the_law_and_its_year() -> None:
    laws = (
        "Luật Khiếu nại 2011",
        "Luật Tố cáo 2011",
        "Luật Tố cáo 2018",
        "Luật Tiếp công dân 2013",
    )
    for rule in RULE_TABLE:
        for version in rule.versions:
            assert version.source.startswith(laws), version.source
    assert "Thông tư 07/2013/TT-TTCP" in RULES["complaint-accept"].current.source


# Every rule from Monday 02/06/2025, worked by hand. 31/08/2025 is a Sunday and 1–2/9 are
# the National Day holidays, so the 90-day limitation ends on Wednesday 03/09.
FROM_2_JUNE_2025 = {
    "complaint-accept": D(2025, 6, 16),
    "complaint-resolve-1": D(2025, 7, 2),
    "complaint-resolve-1-complex": D(2025, 7, 17),
    "complaint-resolve-1-remote": D(2025, 7, 17),
    "complaint-resolve-1-remote-complex": D(2025, 8, 1),
    "complaint-resolve-2": D(2025, 7, 17),
    "complaint-resolve-2-complex": D(2025, 8, 1),
    "complaint-resolve-2-remote": D(2025, 8, 1),
    "complaint-resolve-2-remote-complex": D(2025, 8, 11),
    "complaint-limitation": D(2025, 9, 3),
    "denunciation-process": D(2025, 6, 11),
    "denunciation-process-multi": D(2025, 6, 16),
    "denunciation-forward": D(2025, 6, 9),
    "denunciation-resolve": D(2025, 7, 2),
    "denunciation-resolve-complex": D(2025, 7, 2),
    "complaint-second": D(2025, 7, 2),
    "complaint-second-remote": D(2025, 7, 17),
    "reception-reply": D(2025, 6, 16),
}


@pytest.mark.parametrize(("rule_id", "expected"), sorted(FROM_2_JUNE_2025.items()))
def test_each_rule_from_2_june_2025_falls_due_on_the_hand_worked_date(
    rule_id: str, expected: dt.date
) -> None:
    assert due(rule_id, D(2025, 6, 2)) == expected


# --- Known dates worked by hand ---------------------------------------------------------


def test_ten_working_days_from_friday_3_january_2025_end_on_friday_17() -> None:
    deadline = compute_deadline("complaint-accept", D(2025, 1, 3))
    assert deadline.due == D(2025, 1, 17)
    assert deadline.counted == "working"
    assert not deadline.moved


def test_a_working_day_period_spanning_tet_2025_skips_the_nine_days_off() -> None:
    # Off: 25/01 (Sat) – 02/02 (Sun). Working days 03/02 … 14/02.
    assert due("complaint-accept", D(2025, 1, 24)) == D(2025, 2, 14)


def test_a_working_day_period_spanning_tet_2026_skips_the_nine_days_off() -> None:
    # Off: 14/02 (Sat) – 22/02 (Sun). 12, 13/02 then 23/02 … 04/03.
    assert due("reception-reply", D(2026, 2, 11)) == D(2026, 3, 4)
    assert due("denunciation-process", D(2026, 2, 13)) == D(2026, 3, 3)
    assert due("denunciation-process-multi", D(2026, 2, 13)) == D(2026, 3, 6)


def test_a_calendar_period_ending_in_tet_2026_moves_to_monday_23_february() -> None:
    deadline = compute_deadline("complaint-resolve-1", D(2026, 1, 17))
    assert deadline.period_end == D(2026, 2, 16)
    assert deadline.due == D(2026, 2, 23)
    assert deadline.moved


def test_a_period_ending_on_a_saturday_moves_to_monday() -> None:
    deadline = compute_deadline("complaint-resolve-1", D(2025, 2, 13))
    assert deadline.period_end == D(2025, 3, 15)
    assert deadline.due == D(2025, 3, 17)


def test_a_period_ending_on_30_april_2025_moves_past_1_and_2_may_and_the_weekend() -> None:
    assert due("complaint-resolve-1", D(2025, 3, 31)) == D(2025, 5, 5)


def test_a_period_ending_on_national_day_2025_moves_to_3_september() -> None:
    assert due("complaint-resolve-1", D(2025, 8, 3)) == D(2025, 9, 3)
    # Fri 29/08 is day 1, then 30/08–02/09 are off: 03, 04, 05, 08/09.
    assert due("denunciation-forward", D(2025, 8, 28)) == D(2025, 9, 8)


def test_culture_day_24_november_2026_is_skipped() -> None:
    assert due("complaint-resolve-1", D(2026, 10, 25)) == D(2026, 11, 25)
    assert due("denunciation-forward", D(2026, 11, 17)) == D(2026, 11, 25)


def test_24_november_2025_is_still_a_working_day() -> None:
    assert due("denunciation-forward", D(2025, 11, 17)) == D(2025, 11, 24)
    assert due("complaint-resolve-1", D(2025, 10, 25)) == D(2025, 11, 24)


def test_a_limitation_ending_on_the_observed_hung_kings_day_2026_moves_to_tuesday() -> None:
    deadline = compute_deadline("complaint-limitation", D(2026, 1, 27))
    assert deadline.period_end == D(2026, 4, 27)
    assert deadline.due == D(2026, 4, 28)


def test_other_calendar_periods_count_the_days_after_the_start() -> None:
    assert due("complaint-resolve-1-complex", D(2025, 1, 3)) == D(2025, 2, 17)
    assert due("complaint-resolve-2-remote-complex", D(2025, 1, 3)) == D(2025, 3, 14)


# --- Extensions -----------------------------------------------------------------------


def test_denunciation_resolve_without_extension_moves_off_sunday_2_february() -> None:
    assert due("denunciation-resolve", D(2025, 1, 3)) == D(2025, 2, 3)


def test_one_extension_adds_30_days_to_the_unmoved_end() -> None:
    # 02/02 + 30 = 04/03 (not 03/02 + 30 = 05/03: only the final date is moved).
    deadline = compute_deadline("denunciation-resolve", D(2025, 1, 3), extensions=1)
    assert deadline.due == D(2025, 3, 4)
    assert deadline.total == 60
    assert "gia hạn 1 lần" in deadline.explanation


def test_two_extensions_add_60_days() -> None:
    assert due("denunciation-resolve", D(2025, 1, 3), 2) == D(2025, 4, 3)


def test_a_third_extension_is_refused() -> None:
    with pytest.raises(DeadlineError) as exc:
        compute_deadline("denunciation-resolve", D(2025, 1, 3), extensions=3)
    assert exc.value.code == "too-many-extensions"
    assert "tối đa 2 lần" in exc.value.message


@pytest.mark.parametrize("rule_id", [r.id for r in RULE_TABLE if r.current.max_extensions == 0])
def test_extensions_are_refused_on_rules_that_have_none(rule_id: str) -> None:
    with pytest.raises(DeadlineError) as exc:
        compute_deadline(rule_id, D(2025, 1, 3), extensions=1)
    assert exc.value.code == "extensions-not-allowed"
    assert compute_deadline(rule_id, D(2025, 1, 3), extensions=0).extensions == 0


def test_negative_extensions_are_refused() -> None:
    with pytest.raises(DeadlineError) as exc:
        compute_deadline("denunciation-resolve", D(2025, 1, 3), extensions=-1)
    assert exc.value.code == "negative"


def test_an_unknown_rule_is_refused_with_a_vietnamese_message() -> None:
    with pytest.raises(DeadlineError) as exc:
        compute_deadline("complaint-accepted", D(2025, 1, 3))
    assert exc.value.code == "unknown-rule"
    assert "Không có quy tắc" in exc.value.message


def test_a_start_outside_the_holiday_tables_is_refused() -> None:
    with pytest.raises(DeadlineError) as exc:
        compute_deadline("complaint-resolve-1", D(2100, 12, 20))
    assert exc.value.code == "out-of-range"


# --- Overrides ------------------------------------------------------------------------


def test_a_swapped_working_saturday_counts_as_a_working_day() -> None:
    cal = WorkCalendar([Override(D(2025, 4, 26), True, "Làm bù cho 02/05/2025")])
    assert due("denunciation-forward", D(2025, 4, 24)) == D(2025, 5, 6)
    assert due("denunciation-forward", D(2025, 4, 24), cal=cal) == D(2025, 5, 5)


def test_a_calendar_period_may_end_on_a_swapped_working_saturday() -> None:
    cal = WorkCalendar([Override(D(2025, 4, 26), True)])
    assert due("complaint-resolve-1", D(2025, 3, 27)) == D(2025, 4, 28)
    assert due("complaint-resolve-1", D(2025, 3, 27), cal=cal) == D(2025, 4, 26)


def test_an_extra_announced_day_off_pushes_a_working_day_period() -> None:
    cal = WorkCalendar([Override(D(2026, 2, 13), False, "Nghỉ thêm trước Tết")])
    assert due("reception-reply", D(2026, 2, 11), cal=cal) == D(2026, 3, 5)


def test_an_extra_day_off_on_the_last_day_moves_a_calendar_period() -> None:
    cal = WorkCalendar([Override(D(2025, 7, 2), False, "Nghỉ đột xuất")])
    deadline = compute_deadline("complaint-resolve-1", D(2025, 6, 2), calendar=cal)
    assert deadline.due == D(2025, 7, 3)
    assert "Nghỉ đột xuất" in deadline.explanation


# --- Explanations -----------------------------------------------------------------------


def test_the_explanation_names_the_rule_the_start_and_article_147() -> None:
    text = compute_deadline("complaint-accept", D(2025, 1, 3)).explanation
    assert text.startswith("10 ngày làm việc kể từ ngày tiếp nhận 03/01/2025")
    assert "không tính ngày bắt đầu" in text
    assert "Bộ luật Dân sự 2015, Điều 147" in text
    assert "Luật Khiếu nại 2011, Điều 27; Thông tư 07/2013/TT-TTCP" in text
    assert "17/01/2025" in text
    assert "Điều 148" not in text


def test_a_moved_deadline_explains_the_move_with_article_148() -> None:
    text = compute_deadline("complaint-resolve-1", D(2025, 2, 13)).explanation
    assert "15/03/2025 là Thứ Bảy" in text
    assert "chuyển sang ngày làm việc tiếp theo — Bộ luật Dân sự 2015, Điều 148" in text
    assert text.endswith("Hạn: Thứ Hai 17/03/2025.")


def test_a_deadline_moved_by_a_holiday_names_the_holiday() -> None:
    text = compute_deadline("complaint-limitation", D(2026, 1, 27)).explanation
    assert "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)" in text


# --- Properties -----------------------------------------------------------------------


@st.composite
def requests(draw: st.DrawFn) -> tuple[Rule, dt.date, int]:
    rule = draw(st.sampled_from(RULE_TABLE))
    start = draw(st.dates(min_value=rule.versions[0].valid_from, max_value=D(2095, 12, 31)))
    version = rule.version_on(start)
    extensions = draw(st.integers(min_value=0, max_value=version.max_extensions))
    return rule, start, extensions


@settings(max_examples=300, deadline=None)
@given(requests())
def test_the_due_date_is_a_working_day_after_the_start(req: tuple[Rule, dt.date, int]) -> None:
    rule, start, extensions = req
    deadline = compute_deadline(rule.id, start, extensions)
    assert deadline.due > start
    assert CAL.is_working_day(deadline.due)
    assert deadline.rule == rule.id
    assert deadline.source == rule.version_on(start).source


@settings(max_examples=300, deadline=None)
@given(requests(), st.integers(min_value=0, max_value=400))
def test_the_due_date_never_goes_back_when_the_start_moves_forward(
    req: tuple[Rule, dt.date, int], shift: int
) -> None:
    rule, start, extensions = req
    later = start + dt.timedelta(days=shift)
    if rule.version_on(later) is not rule.version_on(start):
        return  # a new law may shorten the period: monotone within one version only
    assert due(rule.id, start, extensions) <= due(rule.id, later, extensions)


@settings(max_examples=300, deadline=None)
@given(requests())
def test_working_day_rules_count_exactly_their_period_in_working_days(
    req: tuple[Rule, dt.date, int],
) -> None:
    rule, start, _ = req
    if rule.version_on(start).unit != "working":
        rule = RULES["complaint-accept"]
    d = due(rule.id, start)
    assert CAL.working_days_between(start, d) == rule.version_on(start).period


@settings(max_examples=300, deadline=None)
@given(requests())
def test_calendar_rules_end_on_the_first_working_day_on_or_after_start_plus_period(
    req: tuple[Rule, dt.date, int],
) -> None:
    rule, start, extensions = req
    if rule.version_on(start).unit != "calendar":
        rule = RULES["denunciation-resolve"]
    version = rule.version_on(start)
    extensions = min(extensions, version.max_extensions)
    end = start + dt.timedelta(days=version.period + version.extension_days * extensions)
    d = due(rule.id, start, extensions)
    assert d >= end
    assert all(not CAL.is_working_day(end + dt.timedelta(days=i)) for i in range((d - end).days))


# --- The command ----------------------------------------------------------------------


def call(*argv: str, cal: WorkCalendar | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err, cal)
    return code, out.getvalue(), err.getvalue()


def test_the_command_prints_one_json_object_and_exits_0() -> None:
    code, out, err = call("--rule", "complaint-accept", "--start", "2025-01-03")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["rule"] == "complaint-accept"
    assert data["start"] == "2025-01-03"
    assert data["due"] == "2025-01-17"
    assert data["counted"] == "working"
    assert data["source"] == "Luật Khiếu nại 2011, Điều 27; Thông tư 07/2013/TT-TTCP"
    assert data["period"] == 10
    assert data["extensions"] == 0
    assert data["unit"] == "ngày làm việc"
    assert "Điều 147" in data["explanation"]
    assert "Luật Khiếu nại" in out  # ensure_ascii=False
    assert out.count("\n") == 1


def test_the_command_accepts_extensions_and_equals_signs() -> None:
    code, out, _ = call("--rule=denunciation-resolve", "--start=2025-01-03", "--extensions=2")
    assert code == 0
    data = json.loads(out)
    assert (data["due"], data["counted"], data["extensions"]) == ("2025-04-03", "calendar", 2)


def test_the_command_uses_the_calendar_it_is_given() -> None:
    cal = WorkCalendar([Override(D(2025, 4, 26), True)])
    _, out, _ = call("--rule", "complaint-resolve-1", "--start", "2025-03-27", cal=cal)
    assert json.loads(out)["due"] == "2025-04-26"


@pytest.mark.parametrize(
    ("argv", "reason"),
    [
        (["--rule", "nope", "--start", "2025-01-03"], "Không có quy tắc"),
        (["--rule", "complaint-accept", "--start", "2025-02-30"], "không tồn tại"),
        (["--rule", "complaint-accept", "--start", "2025-02-29"], "không tồn tại"),
        (["--rule", "complaint-accept", "--start", "03/01/2025"], "sai định dạng"),
        (["--rule", "complaint-accept", "--start", "2025-1-3"], "sai định dạng"),
        (["--rule", "complaint-accept", "--start", "20250103"], "sai định dạng"),
        (["--rule", "complaint-accept", "--start", "２０２５-01-03"], "sai định dạng"),
        (["--rule", "complaint-accept", "--start", "2025-01-03", "--extensions", "1"],
         "không được gia hạn"),
        (["--rule", "denunciation-resolve", "--start", "2025-01-03", "--extensions", "3"],
         "tối đa 2 lần"),
        (["--rule", "denunciation-resolve", "--start", "2025-01-03", "--extensions", "-1"],
         "không được âm"),
        (["--rule", "denunciation-resolve", "--start", "2025-01-03", "--extensions", "x"],
         "số nguyên"),
        (["--rule", "complaint-accept"], "thiếu --start"),
        (["--start", "2025-01-03"], "thiếu --rule"),
        (["--rule"], "cần một giá trị"),
        (["--rule", "complaint-accept", "--start", "2025-01-03", "--bogus"], "không hợp lệ"),
        ([], "thiếu --rule"),
        (["--list-rules", "--rule", "complaint-accept"], "--list-rules"),
    ],
)  # fmt: skip
def test_bad_input_gives_a_vietnamese_reason_on_stderr_and_exit_2(
    argv: list[str], reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = call(*argv)
    assert code == 2
    assert out == ""
    assert err.startswith("Lỗi: ")
    assert reason in err
    assert err.endswith("\n")
    assert capsys.readouterr() == ("", "")  # nothing leaked to the real stdout/stderr


def test_list_rules_prints_every_rule_with_its_period_and_source() -> None:
    code, out, err = call("--list-rules")
    assert (code, err) == (0, "")
    for rule in RULE_TABLE:
        assert f"{rule.title} (mã {rule.id})" in out
        for version in rule.versions:
            assert version.source in out
            assert version.in_force_label in out
    assert "30 ngày, gia hạn tối đa 2 lần, mỗi lần không quá 30 ngày" in out
    assert "60 ngày, gia hạn 1 lần, không quá 30 ngày" in out


def test_help_goes_to_out_and_exits_0() -> None:
    code, out, err = call("--help")
    assert (code, err) == (0, "")
    assert "--list-rules" in out


# --- Laws in force: the version on the start date applies --------------------------------


def test_a_2017_denunciation_is_resolved_under_the_2011_law() -> None:
    d = compute_deadline("denunciation-resolve", D(2017, 10, 13))
    assert (d.period, d.counted, d.total) == (60, "calendar", 60)
    assert d.due == D(2017, 12, 12)  # 13/10 + 60 days = Tuesday 12/12/2017
    assert d.source.startswith("Luật Tố cáo 2011, Điều 21")
    assert "Điều 67" in d.source  # the transitional provision of the 2018 law
    assert d.in_force == "từ 01/07/2012 đến 31/12/2018"
    complex_ = compute_deadline("denunciation-resolve-complex", D(2017, 10, 13), 1)
    assert (complex_.period, complex_.total) == (90, 150)  # one extension of at most 60 days
    with pytest.raises(DeadlineError) as exc:
        compute_deadline("denunciation-resolve", D(2017, 10, 13), 2)
    assert exc.value.code == "too-many-extensions"
    assert "Luật Tố cáo 2011" in exc.value.message


def test_acceptance_on_31_december_2018_keeps_the_old_law_and_1_january_2019_the_new() -> None:
    old = compute_deadline("denunciation-resolve", D(2018, 12, 31))
    new = compute_deadline("denunciation-resolve", D(2019, 1, 1))
    assert (old.period, old.law) == (60, "Luật Tố cáo 2011")
    assert (new.period, new.law, new.article) == (30, "Luật Tố cáo 2018", "Điều 30")
    # extending the old case later still counts under the old law (its start is unchanged)
    assert compute_deadline("denunciation-resolve", D(2018, 12, 31), 1).total == 90


def test_2017_processing_of_a_denunciation_is_10_or_15_calendar_days() -> None:
    d = compute_deadline("denunciation-process", D(2017, 10, 13))
    assert (d.period, d.counted, d.article) == (10, "calendar", "Điều 20")
    assert d.due == D(2017, 10, 23)  # 13/10 + 10 = Monday 23/10
    multi = compute_deadline("denunciation-process-multi", D(2017, 10, 13))
    assert (multi.period, multi.due) == (15, D(2017, 10, 30))  # Saturday 28/10 → Monday 30/10


def test_a_date_before_any_version_is_refused() -> None:
    with pytest.raises(DeadlineError) as exc:
        compute_deadline("reception-reply", D(2014, 6, 30))
    assert exc.value.code == "not-in-force"
    assert "01/07/2014" in exc.value.message
    assert compute_deadline("reception-reply", D(2014, 7, 1)).law == "Luật Tiếp công dân 2013"


def test_the_command_follows_the_law_in_force() -> None:
    code, out, err = call("--rule", "denunciation-resolve", "--start", "2017-10-13")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert (data["period"], data["total"], data["due"]) == (60, 60, "2017-12-12")
    assert data["law"] == "Luật Tố cáo 2011" and data["article"] == "Điều 21"
    code, out, err = call(
        "--rule", "denunciation-resolve", "--start", "2017-10-13", "--extensions", "2"
    )
    assert (code, out) == (2, "")
    assert "tối đa 1 lần" in err and "Giải quyết tố cáo" in err
    assert "denunciation-resolve" not in err  # people read the rule's name, not its id
