"""Overlap signals: acronyms learned from the corpus, near-synonyms, false-pair refusal."""

from __future__ import annotations

from datetime import date, timedelta

from khoi.lib.overlap import (
    NEAR_SYNONYMS,
    Activity,
    Analyzer,
    OverlapIndex,
    find_groups,
    learn_acronyms,
)

D = date(2017, 10, 9)

BACKGROUND = [
    Activity(f"bg{i}", f"BG{i}", kind, title, "", ("Z9",), date(2016, 1, 1), date(2016, 1, 2))
    for i, (kind, title) in enumerate(
        [
            ("propaganda", "Tuyên truyền bầu cử đại biểu Quốc hội"),
            ("training", "Tập huấn chuyển đổi số"),
            ("support", "Hỗ trợ xây nhà đại đoàn kết"),
            ("emulation", "Thi đua xây dựng nông thôn mới"),
            ("other", "Hội nghị sơ kết quỹ Vì người nghèo"),
            ("survey", "Khảo sát nhu cầu học nghề"),
        ]
    )
]


def act(ident: str, org: str, title: str, kind: str = "propaganda", desc: str = "") -> Activity:
    return Activity(ident, org, kind, title, desc, ("X1",), D, D + timedelta(days=1))


def pair_found(a: Activity, b: Activity, **kw: object) -> bool:
    groups = find_groups([*BACKGROUND, a, b], {}, **kw)  # type: ignore[arg-type]
    return any({a.id, b.id} <= set(g.ids) for g in groups)


# -- acronyms learned from the corpus ----------------------------------------------------


def test_an_unknown_acronym_is_learned_from_a_frequent_word_sequence():
    texts = [
        "Tuyên truyền chăm sóc sức khỏe người cao tuổi",
        "Nói chuyện về chăm sóc sức khoẻ người cao tuổi ở khu dân cư",
        "Truyền thông CSSKNCT cho hội viên",
        "Khám chăm sóc sức khỏe người cao tuổi",
    ]
    assert learn_acronyms(texts) == {"CSSKNCT": "chăm sóc sức khỏe người cao tuổi"}


def test_d_with_stroke_is_kept_but_a_typed_d_matches_it():
    texts = ["Tư vấn GTVLNN cho thanh niên"] + ["giới thiệu việc làm nước ngoài"] * 2
    assert learn_acronyms(texts) == {"GTVLNN": "giới thiệu việc làm nước ngoài"}
    # "Đ" only matches a word starting with "đ"; "D" matches both.
    assert learn_acronyms(["Hội nghị ĐTPT", "đào tạo phát triển", "đào tạo phát triển"]) == {
        "ĐTPT": "đào tạo phát triển"
    }
    assert learn_acronyms(["Hội nghị ĐTPT", "dạy tốt phát triển", "dạy tốt phát triển"]) == {}
    assert learn_acronyms(["Hội nghị DTPT", "đào tạo phát triển", "đào tạo phát triển"]) == {
        "DTPT": "đào tạo phát triển"
    }


def test_rare_or_ambiguous_sequences_are_not_learned():
    assert learn_acronyms(["Truyền thông CSSKNCT", "chăm sóc sức khỏe người cao tuổi"]) == {}
    tie = ["Hội nghị TVPL", "tư vấn pháp luật", "tư vấn pháp luật"] + ["tuyên văn phổ lập"] * 2
    assert learn_acronyms(tie) == {}
    # Known abbreviations and words written in capitals are not candidates.
    assert learn_acronyms(["MTTQ", "mặt trận tổ quốc", "mặt trận tổ quốc"]) == {}
    assert learn_acronyms(["TUYÊN TRUYỀN AN TOÀN", "an toàn", "an toàn"]) == {}


def test_learned_acronym_makes_a_pair_and_is_shown_with_its_expansion():
    a = act("a", "DTN", "Tập huấn ATCĐN cho đoàn viên")
    b = act("b", "PN", "Tuyên truyền an toàn cho đường nội bộ", kind="propaganda")
    c = act("c", "ND", "Tuyên truyền an toàn cho đường nội bộ khu ruộng", kind="training")
    index = OverlapIndex({})
    index.add_all([*BACKGROUND, a, b, c])
    assert index.acronyms == {"ATCĐN": "an toàn cho đường nội"}
    draft = act("d", "MT", "Hướng dẫn ATCĐN")
    words = [w for r in index.suggest(draft) for w in r.matched_words]
    assert words, "the learned expansion links the draft to b and c"
    off = OverlapIndex({}, signals={"learned_acronyms": False})
    off.add_all([*BACKGROUND, a, b, c])
    assert off.acronyms == {}


def test_curated_acronym_expansion_is_shown_in_the_reasons():
    a = act("a", "PN", "Tuyên truyền VSATTP dịp Tết Nguyên đán")
    b = act("b", "MT", "Tuyên truyền vệ sinh an toàn thực phẩm dịp Tết")
    groups = find_groups([*BACKGROUND, a, b], {})
    (reason,) = [r for g in groups for r in g.reasons]
    assert any("VSATTP (vệ sinh an toàn thực phẩm)" in w for w in reason.matched_words)


# -- near-synonyms -----------------------------------------------------------------------


def test_near_synonyms_share_one_key():
    an = Analyzer()
    assert an.keys("trẻ em").split() == an.keys("thiếu nhi").split() == ["=treem"]
    assert an.keys("người có công với cách mạng").split() == ["=nguoicocong"]
    assert an.keys("gia đình chính sách").split() == ["=nguoicocong"]
    assert an.keys("xuất khẩu lao động").split() == an.keys("XKLĐ").split()
    # Gift and review verbs say how, not what: left out.
    assert an.keys("tặng quà").split() == an.keys("trao quà").split() == []
    assert an.keys("rà soát").split() == an.keys("khảo sát").split() == []


def test_one_syllable_synonyms_never_swallow_other_words():
    an = Analyzer()
    # "bão" folds to "bao" like "bảo"; "bò" like "bộ"; "đông" like "động".
    assert "=thientai" not in an.keys("bảo hiểm y tế")
    assert "=congiong" not in an.keys("cán bộ")
    assert "=muadong" not in an.keys("vận động")
    for key, phrases in NEAR_SYNONYMS.items():
        assert key == "" or key.startswith("="), key
        assert phrases


def test_paraphrases_with_near_synonyms_overlap():
    a = act("a", "CCB", "Thăm hỏi, trao quà người có công với cách mạng", kind="support")
    b = act("b", "MT", "Thăm, tặng quà gia đình chính sách", kind="support")
    assert pair_found(a, b)
    c = act("c", "PN", "Trao áo rét cho thiếu nhi", kind="support")
    d = act("d", "DTN", "Tặng chăn ấm cho các cháu", kind="support")
    assert pair_found(c, d)
    assert not pair_found(c, d, signals={"synonyms": False})


# -- refusal of the three false-pair kinds -----------------------------------------------


def test_phong_chong_about_different_dangers_is_refused():
    a = act("a", "DTN", "Tuyên truyền phòng, chống ma túy cho thanh thiếu niên dịp hè")
    b = act("b", "PN", "Tuyên truyền phòng chống đuối nước cho thanh thiếu niên dịp hè")
    assert not pair_found(a, b)
    assert pair_found(a, b, signals={"refusal": False}, threshold=0.05)
    # The same danger in other words is still a pair.
    c = act("c", "MT", "Tuyên truyền phòng ngừa tệ nạn ma túy cho thanh thiếu niên dịp hè")
    assert pair_found(a, c)


def test_internal_emulation_reviews_of_two_organizations_are_refused():
    a = act("a", "ND", "Bình xét chi hội vững mạnh năm 2017", kind="emulation")
    b = act("b", "PN", "Xét công nhận chi hội vững mạnh năm 2017", kind="emulation")
    assert not pair_found(a, b)
    assert pair_found(a, b, signals={"refusal": False}, threshold=0.05)
    # A review of the community (cultured families) is not internal.
    c = act("c", "MT", "Bình xét gia đình văn hóa năm 2017", kind="emulation")
    d = act("d", "CCB", "Hội viên tham gia bình xét gia đình văn hoá", kind="emulation")
    assert pair_found(c, d)


def test_sharing_only_a_place_name_and_an_audience_is_not_an_overlap():
    a = act("a", "ND", "Tập huấn kỹ thuật nuôi ngao cho hội viên tại nhà văn hóa thôn Trại")
    b = act("b", "PN", "Sinh hoạt chuyên đề pháp luật cho hội viên tại nhà văn hóa thôn Trại")
    assert not pair_found(a, b, threshold=0.05)


def test_suggestion_shows_the_other_activitys_own_words():
    other = act("o", "MT", "Tuyên truyền về dân quân tự vệ")
    index = OverlapIndex({})
    index.add_all([*BACKGROUND, other])
    (reason,) = index.suggest(act("d", "DTN", "tuyen truyen dan quan tu ve"))
    assert "dân quân tự vệ" in reason.matched_words


def test_one_province_is_scanned_on_its_own():
    from khoi.lib.overlap import find_groups_under, records_under

    parents = {"X1": "P1", "X2": "P1", "Y1": "P2"}
    recs = [
        Activity("a", "A", "propaganda", "Tuyên truyền phòng chống sốt xuất huyết", "", ("X1",), D, D),
        Activity("b", "B", "propaganda", "Tuyên truyền phòng chống SXH", "", ("P1",), D, D),
        Activity("c", "C", "propaganda", "Tuyên truyền phòng chống sốt xuất huyết", "", ("Y1",), D, D),
        Activity("d", "D", "propaganda", "Tuyên truyền phòng chống SXH", "", ("Y1",), D, D),
    ]  # fmt: skip
    assert [r.id for r in records_under(recs, parents, "P1")] == ["a", "b"]
    assert [g.ids for g in find_groups_under(recs, parents, "P1")] == [("a", "b")]
    assert [g.ids for g in find_groups_under(recs, parents, "P2")] == [("c", "d")]


def test_place_names_go_but_title_case_words_stay():
    from khoi.lib.vntext import drop_place_names

    assert drop_place_names("Tập huấn tại nhà văn hóa thôn Cao Xanh") == (
        "Tập huấn tại nhà văn hóa thôn"
    )
    assert drop_place_names("Tuyên Truyền Phòng Chống Tệ Nạn Xã Hội") == (
        "Tuyên Truyền Phòng Chống Tệ Nạn Xã Hội"
    )
    an = Analyzer()
    assert an.keys("Tuyên Truyền Phòng Chống Tệ Nạn Xã Hội").split()[-1] == "=tnxh"


def test_storms_are_a_natural_disaster_not_insurance():
    an = Analyzer()
    assert "=thientai" in an.keys("Tuyên truyền phòng chống bão")
    assert "=thientai" not in an.keys("Vận động mua bảo hiểm y tế")
