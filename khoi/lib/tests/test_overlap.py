"""Overlap engine: the four conditions, text variants, containment, index, order."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khoi.lib.overlap import (
    KIND_FAMILY,
    Activity,
    OverlapError,
    OverlapIndex,
    UnitTree,
    date_relation,
    find_groups,
    unit_relation,
)

PARENTS = {"X1": "H1", "X2": "H1", "X1.T1": "X1", "X1.T2": "X1", "H1": "P1"}
D = date(2024, 5, 6)

# Background activities give the word weights a realistic spread.
BACKGROUND = [
    Activity(f"bg{i}", f"BG{i}", kind, title, "", ("Z9",), date(2020, 1, 1), date(2020, 1, 2))
    for i, (kind, title) in enumerate(
        [
            ("propaganda", "Tuyên truyền phòng chống ma túy"),
            ("inspection", "Kiểm tra an toàn thực phẩm"),
            ("support", "Hỗ trợ xây nhà đại đoàn kết"),
            ("training", "Tập huấn chuyển đổi số"),
            ("propaganda", "Tuyên truyền bầu cử đại biểu Quốc hội"),
            ("survey", "Khảo sát bảo hiểm y tế hộ gia đình"),
            ("emulation", "Thi đua xây dựng nông thôn mới"),
            ("other", "Hội nghị sơ kết quỹ Vì người nghèo"),
        ]
    )
]


def act(
    ident: str,
    org: str,
    title: str,
    *,
    kind: str = "propaganda",
    units: tuple[str, ...] = ("X1",),
    start: date = D,
    days: int = 1,
    description: str = "",
) -> Activity:
    return Activity(
        ident, org, kind, title, description, units, start, start + timedelta(days=days - 1)
    )


BASE = act("a", "HPN", "Tuyên truyền phòng, chống dịch sốt xuất huyết tại KDC")
MATCH = act("b", "DTN", "Tập huấn phòng chống SXH cho ĐVTN", kind="training")


def pair_ids(records: list[Activity], **kw: object) -> set[frozenset[str]]:
    out = set()
    for g in find_groups([*BACKGROUND, *records], PARENTS, **kw):  # type: ignore[arg-type]
        for r in g.reasons:
            out.add(frozenset(r.ids))
    return out


def overlaps(a: Activity, b: Activity, **kw: object) -> bool:
    return frozenset({a.id, b.id}) in pair_ids([a, b], **kw)


def test_two_organizations_on_the_same_topic_place_and_time_overlap():
    assert overlaps(BASE, MATCH)


# -- condition 1: different organizations -------------------------------------------------


def test_the_same_organization_never_overlaps_itself():
    assert not overlaps(BASE, replace(MATCH, org="HPN"))


# -- condition 2: units --------------------------------------------------------------------


def test_a_unit_that_contains_the_other_target_counts_as_shared():
    assert overlaps(BASE, replace(MATCH, units=("H1",)))
    assert overlaps(replace(BASE, units=("X1.T1",)), replace(MATCH, units=("P1",)))


def test_sibling_units_do_not_overlap():
    assert not overlaps(BASE, replace(MATCH, units=("X2",)))
    assert not overlaps(replace(BASE, units=("X1.T1",)), replace(MATCH, units=("X1.T2",)))


def test_without_a_unit_tree_only_identical_units_count():
    groups = find_groups([BASE, replace(MATCH, units=("H1",))], None)
    assert groups == []


# -- condition 3: dates --------------------------------------------------------------------


def test_dates_fourteen_days_apart_still_overlap():
    assert overlaps(BASE, replace(MATCH, start=D + timedelta(days=14), end=D + timedelta(days=14)))


def test_dates_fifteen_days_apart_do_not_overlap():
    later = D + timedelta(days=15)
    assert not overlaps(BASE, replace(MATCH, start=later, end=later))
    earlier = D - timedelta(days=15)
    assert not overlaps(BASE, replace(MATCH, start=earlier, end=earlier))


def test_the_date_window_is_configurable():
    later = D + timedelta(days=20)
    assert overlaps(BASE, replace(MATCH, start=later, end=later), window_days=30)
    assert not overlaps(
        BASE, replace(MATCH, start=D + timedelta(days=3), end=D + timedelta(days=3)), window_days=2
    )


def test_a_long_activity_overlaps_a_short_one_inside_it():
    long = replace(BASE, start=D - timedelta(days=120), end=D + timedelta(days=120))
    assert overlaps(long, MATCH)


# -- condition 4: same purpose -------------------------------------------------------------


def test_kinds_of_another_family_do_not_overlap():
    assert not overlaps(BASE, replace(MATCH, kind="inspection"))
    assert not overlaps(BASE, replace(MATCH, kind="support"))


def test_kinds_of_the_same_family_overlap():
    for kind in ("propaganda", "mobilisation", "training"):
        assert overlaps(BASE, replace(MATCH, kind=kind))
    check = replace(BASE, kind="inspection", title="Kiểm tra phòng chống sốt xuất huyết")
    assert overlaps(check, replace(MATCH, kind="supervision", title="Giám sát phòng, chống SXH"))


def test_a_different_topic_with_shared_boilerplate_does_not_overlap():
    other = replace(MATCH, title="Tuyên truyền phòng, chống ma túy tại KDC")
    assert not overlaps(BASE, other)


def test_topics_sharing_only_a_common_modifier_do_not_overlap():
    # Without any other activity to learn word frequencies from.
    for t1, t2 in [
        ("Tuyên truyền an toàn giao thông", "Tuyên truyền an toàn thực phẩm"),
        ("Tuyên truyền bảo hiểm y tế", "Tuyên truyền bảo hiểm xã hội tự nguyện"),
        ("Vệ sinh môi trường", "Vệ sinh an toàn thực phẩm"),
        ("Tuyên truyền phòng chống ma túy", "Tuyên truyền phòng chống tác hại thuốc lá"),
    ]:
        a, b = act("a", "O1", t1), act("b", "O2", t2)
        assert find_groups([a, b], {}) == [], (t1, t2)


def test_every_kind_has_a_family():
    assert set(KIND_FAMILY) == {
        "propaganda", "mobilisation", "training", "inspection", "supervision", "survey",
        "emulation", "support", "other",
    }  # fmt: skip


# -- how people write ----------------------------------------------------------------------


def test_missing_diacritics_and_old_tones_still_match():
    a = act(
        "a", "MTTQ", "Vận động nhân dân tham gia bảo hiểm y tế hộ gia đình", kind="mobilisation"
    )
    b = act("b", "HND", "Van dong tham gia BHYT ho gia dinh", kind="mobilisation")
    assert overlaps(a, b)
    c = act("c", "MTTQ", "Tuyên truyền hoà giải ở cơ sở, thuỷ lợi")
    d = act("d", "HND", "Tuyen truyen hòa giải ở cơ sở, thủy lợi")
    assert overlaps(c, d)


def test_abbreviations_match_their_expansion():
    a = act("a", "MTTQ", "Tuyên truyền giải phóng mặt bằng dự án đường vành đai")
    b = act("b", "CCB", "Tuyên truyền GPMB dự án vành đai")
    assert overlaps(a, b)
    c = act("c", "MTTQ", "Tuyên truyền xây dựng nông thôn mới nâng cao")
    e = act("e", "HPN", "TUYEN TRUYEN XAY DUNG NTM NANG CAO")
    assert overlaps(c, e)


def test_word_order_and_boilerplate_do_not_matter():
    a = act(
        "a",
        "MTTQ",
        "Kế hoạch số 12/KH-MTTQ về việc tổ chức tuyên truyền an toàn giao thông năm 2024",
    )
    b = act("b", "DTN", "Triển khai giao thông an toàn: tuyên truyền", kind="propaganda")
    assert overlaps(a, b)


def test_reasons_name_units_dates_family_and_matched_words():
    a = replace(BASE, units=("X1.T1",))
    b = replace(MATCH, units=("X1",), start=D + timedelta(days=3), end=D + timedelta(days=3))
    (group,) = find_groups([*BACKGROUND, a, b], PARENTS)
    (reason,) = group.reasons
    assert reason.shared_units == ()
    assert reason.contained_units == (("X1", "X1.T1"),)
    assert reason.gap_days == 3 and reason.overlap_days == 0
    assert reason.family == "outreach"
    assert "sốt xuất huyết" in " ".join(reason.matched_words)
    assert 0.0 < reason.score <= 1.0 and 0.0 < group.score <= 1.0
    d = reason.to_dict()
    assert d["contained_units"] == [["X1", "X1.T1"]]
    assert "X1.T1 thuộc X1" in reason.describe()


# -- helpers -------------------------------------------------------------------------------


def test_unit_containment_follows_the_parent_chain():
    tree = UnitTree(PARENTS)
    assert tree.ancestors("X1.T1") == ("X1", "H1", "P1")
    assert tree.contains("P1", "X1.T1")
    assert not tree.contains("X2", "X1.T1")
    assert unit_relation(["X1.T1", "X2"], ["X2", "H1"], tree) == (
        ("X2",),
        (("H1", "X1.T1"), ("H1", "X2")),
    )


def test_a_cycle_in_the_unit_map_does_not_hang():
    assert UnitTree({"a": "b", "b": "a"}).ancestors("a") == ("b",)


def test_date_relation_counts_overlap_and_gap_days():
    assert date_relation(
        date(2024, 1, 1), date(2024, 1, 10), date(2024, 1, 5), date(2024, 1, 20)
    ) == (6, 0)
    assert date_relation(
        date(2024, 1, 1), date(2024, 1, 1), date(2024, 1, 15), date(2024, 1, 15)
    ) == (0, 14)


def test_invalid_activities_are_refused_with_a_code():
    with pytest.raises(OverlapError) as exc:
        act("x", "o", "t", kind="party")
    assert exc.value.code == "unknown_kind"
    with pytest.raises(OverlapError) as exc:
        Activity("x", "o", "other", "t", "", ("X1",), D, D - timedelta(days=1))
    assert exc.value.code == "end_before_start"


# -- groups, order, index ------------------------------------------------------------------


def test_connected_pairs_form_one_group_most_certain_first():
    c = act("c", "CCB", "Vận động phòng chống sốt xuất huyết", kind="mobilisation", units=("H1",))
    weak = act("w1", "HND", "Tuyên truyền bảo hiểm y tế hộ gia đình", units=("X2",))
    weak2 = act("w2", "NCT", "Tuyen truyen BHYT", units=("X2",))
    groups = find_groups([*BACKGROUND, BASE, MATCH, c, weak, weak2], PARENTS)
    assert [set(g.ids) for g in groups] == [{"a", "b", "c"}, {"w1", "w2"}] or [
        set(g.ids) for g in groups
    ] == [{"w1", "w2"}, {"a", "b", "c"}]
    assert groups[0].score >= groups[1].score
    assert len(groups[0 if "a" in groups[0].ids else 1].reasons) == 3


@settings(max_examples=25, deadline=None)
@given(st.permutations(list(range(6))))
def test_output_does_not_depend_on_input_order(order):
    recs = [
        BASE,
        MATCH,
        act("c", "CCB", "Vận động phòng chống sốt xuất huyết", kind="mobilisation", units=("H1",)),
        act("w1", "HND", "Tuyên truyền bảo hiểm y tế hộ gia đình", units=("X2",)),
        act("w2", "NCT", "Tuyen truyen BHYT", units=("X2",)),
        act("n", "LDLD", "Tuyên truyền phòng chống ma túy", units=("X2",)),
    ]
    shuffled = [recs[i] for i in order]
    ref = find_groups([*BACKGROUND, *recs], PARENTS)
    got = find_groups([*BACKGROUND, *shuffled], PARENTS)
    assert [(set(g.ids), g.score) for g in got] == [(set(g.ids), g.score) for g in ref]


def test_same_input_gives_identical_output():
    recs = [*BACKGROUND, BASE, MATCH, replace(MATCH, id="c", org="CCB", units=("H1",))]
    assert find_groups(recs, PARENTS) == find_groups(list(recs), PARENTS)


def test_the_index_suggests_overlaps_for_a_draft_and_forgets_removed_ones():
    index = OverlapIndex(PARENTS)
    index.add_all(BACKGROUND)
    index.add(BASE)
    index.add(act("far", "HND", "Tuyên truyền phòng chống sốt xuất huyết", units=("X2",)))
    draft = replace(MATCH, id="draft")
    (hit,) = index.suggest(draft)
    assert hit.ids == ("draft", "a")
    # A draft targeting the parent unit sees activities in the units below it.
    wide = replace(MATCH, id="wide", units=("P1",))
    assert {r.ids[1] for r in index.suggest(wide)} == {"a", "far"}
    assert index.remove("a") and not index.remove("a")
    assert index.suggest(draft) == []


def test_the_index_ignores_the_activity_being_edited_and_its_own_organization():
    index = OverlapIndex(PARENTS)
    index.add_all([*BACKGROUND, BASE, MATCH])
    assert [r.ids[1] for r in index.suggest(BASE)] == ["b"]
    # "b" belongs to the draft's own organization.
    assert [r.ids[1] for r in index.suggest(replace(MATCH, id="new"))] == ["a"]


def test_big_indexes_use_prefix_keys_and_still_find_the_pair():
    recs = [*BACKGROUND, BASE, MATCH]
    groups = find_groups(recs, PARENTS, full_index_limit=0)
    assert [set(g.ids) for g in groups] == [{"a", "b"}]


def test_a_duplicate_id_is_refused():
    index = OverlapIndex()
    index.add(BASE)
    with pytest.raises(OverlapError) as exc:
        index.add(BASE)
    assert exc.value.code == "duplicate_id"


def test_many_activities_are_not_compared_all_pairs():
    # 3000 activities in 300 units: a pairwise engine would make 4.5 million checks.
    recs = [
        act(f"r{i}", f"O{i % 7}", f"Tuyên truyền chủ đề {i % 50} phòng chống dịch bệnh",
            units=(f"U{i % 300}",), start=D + timedelta(days=i % 365))
        for i in range(3000)
    ]  # fmt: skip
    index = OverlapIndex()
    index.add_all(recs)
    calls = 0
    original = index._check

    def counting(*args: Any) -> Any:
        nonlocal calls
        calls += 1
        return original(*args)

    index._check = counting  # type: ignore[method-assign,assignment]
    index.pairs()
    assert calls < 30_000


def test_crowded_units_are_searched_by_word_and_still_find_the_pair():
    # 300 unrelated activities in the same unit and month make the block "big".
    topics = ["ma túy", "bảo hiểm y tế", "chuyển đổi số", "nông thôn mới", "hiến máu"]
    crowd = [
        act(
            f"c{i}",
            f"O{i}",
            f"Tuyên truyền {topics[i % 5]} số {i}",
            start=D + timedelta(days=i % 20),
        )
        for i in range(300)
    ]
    index = OverlapIndex(PARENTS)
    index.add_all([*crowd, BASE, MATCH])
    assert index._big
    pairs = {frozenset((index._ids[a], index._ids[b])) for a, b, _ in index.pairs()}
    assert frozenset({"a", "b"}) in pairs
    assert not any("a" in p and p != frozenset({"a", "b"}) for p in pairs)
    draft = replace(MATCH, id="draft", org="NEW")
    assert {r.ids[1] for r in index.suggest(draft)} == {"a", "b"}
    index.remove("a")
    assert {r.ids[1] for r in index.suggest(draft)} == {"b"}


def test_the_parallel_split_by_top_level_unit_gives_the_same_groups():
    parents = {f"C{i}": f"D{i % 4}" for i in range(40)} | {f"D{d}": f"P{d % 2}" for d in range(4)}
    titles = [
        "Tuyên truyền phòng chống sốt xuất huyết",
        "Tap huan phong chong SXH",
        "Vận động tham gia bảo hiểm y tế",
        "Tuyên truyền BHYT hộ gia đình",
        "Tuyên truyền an toàn giao thông",
        "Tập huấn ATGT cho học sinh",
    ]
    recs = [
        act(
            f"r{i}",
            f"O{i % 5}",
            titles[i % 6],
            kind=("propaganda", "training", "mobilisation")[i % 3],
            units=(f"C{i % 40}",) if i % 7 else (f"D{i % 4}",),
            start=D + timedelta(days=(i * 3) % 60),
        )
        for i in range(400)
    ]
    recs.append(act("multi", "OX", titles[0], units=("C1", "C2")))  # under both provinces
    one = find_groups(recs, parents, parallel=False)
    two = find_groups(recs, parents, parallel=True)
    assert one and [(g.ids, g.score) for g in one] == [(g.ids, g.score) for g in two]
    assert [[r.ids for r in g.reasons] for g in one] == [[r.ids for r in g.reasons] for g in two]


def test_tokenising_in_worker_processes_gives_the_same_index():
    recs = [*BACKGROUND, BASE, MATCH, replace(MATCH, id="c", org="CCB", units=("H1",))]
    one, two = OverlapIndex(PARENTS), OverlapIndex(PARENTS)
    one.add_all(recs, parallel=False)
    two.add_all(recs, parallel=True)
    assert [(a, b, r) for a, b, r in one.pairs()] == [(a, b, r) for a, b, r in two.pairs()]
    assert one.pairs()
