"""JSON Lines contract of the overlap command (khoi.lib.overlap_cli.run)."""

from __future__ import annotations

import io
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from khoi.lib.overlap_cli import parse_line, run

PARENTS = {"X1": "H1", "X2": "H1"}


def line(**over: Any) -> str:
    rec: dict[str, Any] = {
        "id": "a",
        "org": "HPN",
        "kind": "propaganda",
        "title": "Tuyên truyền phòng, chống dịch sốt xuất huyết",
        "description": "",
        "units": ["X1"],
        "start": "2024-05-06",
        "end": "2024-05-07",
    }
    rec.update(over)
    return json.dumps(rec, ensure_ascii=False)


GOOD = [
    line(),
    line(id="b", org="DTN", kind="training", title="Tap huan phong chong SXH", units=["H1"]),
    line(id="c", org="CCB", title="Tuyên truyền bảo hiểm y tế hộ gia đình", units=["X2"]),
    line(id="d", org="HND", title="Tuyen truyen BHYT ho gia dinh", units=["X2"]),
]


def call(lines: list[str], parents: dict[str, str] | None = PARENTS) -> tuple[int, list[Any], str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(lines, out, err, parents)
    return code, [json.loads(x) for x in out.getvalue().splitlines()], err.getvalue()


def test_good_input_gives_one_json_group_per_line_and_exit_code_zero():
    code, groups, err = call(GOOD)
    assert code == 0 and err == ""
    assert sorted(sorted(g["ids"]) for g in groups) == [["a", "b"], ["c", "d"]]
    for g in groups:
        assert set(g) == {"ids", "score", "reasons"}
        assert 0.0 <= g["score"] <= 1.0
        assert g["reasons"][0]["matched_words"]
    assert [g["score"] for g in groups] == sorted((g["score"] for g in groups), reverse=True)


def test_parent_units_come_from_the_given_map():
    _, groups, _ = call(GOOD[:2], parents=None)
    assert groups == []
    _, groups, _ = call(GOOD[:2])
    assert groups[0]["reasons"][0]["contained_units"] == [["H1", "X1"]]


def test_ids_are_written_back_as_given():
    _, groups, _ = call([line(id=7), line(id="007", org="DTN")])
    assert groups[0]["ids"] == [7, "007"]  # input order, types kept


def test_bad_lines_are_reported_with_their_number_and_skipped():
    lines = [
        GOOD[0],
        "{not json",
        line(id="x", kind="party"),
        json.dumps({"id": "y", "org": "A"}),
        line(id="z", start="2024-05-10", end="2024-05-01"),
        GOOD[1],
    ]
    code, groups, err = call(lines)
    assert code == 1
    assert [sorted(g["ids"]) for g in groups] == [["a", "b"]]
    msgs = err.splitlines()
    assert len(msgs) == 4
    assert msgs[0].startswith("Dòng 2: JSON không hợp lệ")
    assert msgs[1].startswith("Dòng 3: loại hoạt động không hợp lệ 'party'")
    assert msgs[2].startswith("Dòng 4: thiếu trường 'kind'")
    assert msgs[3].startswith("Dòng 5: ngày kết thúc 2024-05-01 trước ngày bắt đầu 2024-05-10")


def test_other_malformed_values_are_bad_lines_too():
    for bad in [
        line(start="06/05/2024"),
        line(units="X1"),
        line(title=None),
        line(id=None),
        "[1, 2]",
    ]:
        code, _, err = call([bad])
        assert code == 1 and err.startswith("Dòng 1: ")


def test_a_repeated_id_is_a_bad_line():
    code, _, err = call([GOOD[0], GOOD[0]])
    assert code == 1 and "Dòng 2: mã 'a' đã dùng ở dòng 1" in err


def test_blank_lines_and_extra_keys_are_accepted():
    code, groups, err = call(["", json.dumps({**json.loads(GOOD[0]), "note": 1}), "  ", GOOD[1]])
    assert code == 0 and err == "" and len(groups) == 1


def test_null_description_is_an_empty_text():
    assert parse_line(line(description=None)).description == ""


def test_the_window_can_be_changed():
    far = line(id="b", org="DTN", start="2024-05-30", end="2024-05-30")
    out, err = io.StringIO(), io.StringIO()
    assert run([GOOD[0], far], out, err, PARENTS, window_days=30) == 0
    assert out.getvalue()
    out = io.StringIO()
    run([GOOD[0], far], out, err, PARENTS)
    assert out.getvalue() == ""


@settings(max_examples=30, deadline=None)
@given(st.lists(st.text(max_size=30), max_size=5))
def test_any_garbage_is_reported_never_raised(junk):
    out, err = io.StringIO(), io.StringIO()
    code = run([*junk, *GOOD], out, err, PARENTS)
    bad = [x for x in junk if x.strip()]
    assert code == (1 if bad else 0)
    assert len(err.getvalue().splitlines()) == len(bad)


@settings(max_examples=15, deadline=None)
@given(st.permutations(GOOD))
def test_output_is_the_same_whatever_the_line_order(lines):
    _, ref, _ = call(GOOD)
    _, got, _ = call(list(lines))
    norm = lambda gs: [(sorted(g["ids"]), g["score"]) for g in gs]  # noqa: E731
    assert norm(got) == norm(ref)
