"""Vietnamese text helpers: tone placement, abbreviations, boilerplate, tokens."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from khoi.lib import vntext
from khoi.lib.vntext import (
    ABBREVIATIONS,
    analyze,
    fold,
    shingles,
    strip_tones_and_marks,
    tokens,
    unify_tones,
)

VIET_LETTERS = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
)
viet_text = st.text(alphabet=VIET_LETTERS + VIET_LETTERS.upper() + " ,.-/0123456789", max_size=60)


def test_old_tone_placement_becomes_the_traditional_one():
    assert unify_tones("hoà") == "hòa"
    assert unify_tones("thuỷ") == "thủy"
    assert unify_tones("khoẻ") == "khỏe"
    assert unify_tones("Hoà Bình, Thuỵ Khuê") == "Hòa Bình, Thụy Khuê"


def test_tone_placement_keeps_syllables_that_are_already_right():
    for word in ["hòa", "thủy", "hoàng", "toán", "người", "tuổi", "thuở", "khuỷu", "xoáy", "mía"]:
        assert unify_tones(word) == word


def test_qu_and_gi_clusters_are_consonants():
    assert unify_tones("qúy") == "quý"
    assert unify_tones("quý") == "quý"
    assert unify_tones("quốc") == "quốc"
    assert unify_tones("gịa") == "giạ"
    assert unify_tones("giữ") == "giữ"
    assert unify_tones("gìn") == "gìn"


def test_tone_placement_keeps_case_and_leaves_foreign_words_alone():
    assert unify_tones("HOÀ") == "HÒA"
    assert unify_tones("Covid-19") == "Covid-19"


def test_decomposed_input_gives_the_same_tones_as_composed_input():
    assert unify_tones(unicodedata.normalize("NFD", "thuỷ lợi")) == "thủy lợi"


@given(viet_text)
def test_unifying_tones_never_changes_the_letters_without_tones(text):
    assert fold(unify_tones(text)) == fold(text)


@given(viet_text)
def test_unifying_tones_is_idempotent(text):
    once = unify_tones(text)
    assert unify_tones(once) == once


def test_abbreviations_are_expanded_whatever_the_case_or_accents():
    full = tokens("Mặt trận Tổ quốc")
    assert tokens("MTTQ") == full
    assert tokens("mttq") == full
    assert tokens("HĐND") == tokens("HDND") == tokens("hội đồng nhân dân")
    assert tokens("GPMB") == tokens("giải phóng mặt bằng")
    assert tokens("ĐVTN") == tokens("đoàn viên thanh niên")


def test_cb_cc_is_read_as_cadres_and_civil_servants():
    assert tokens("CB,CC") == tokens("cán bộ, công chức") == ["can", "bo", "cong", "chuc"]


def test_every_listed_abbreviation_expands_to_its_phrase():
    for short, full in ABBREVIATIONS.items():
        expected = [vntext._fold_word(w) for w in fold(full).replace(",", " ").split()]
        assert [k for k, _ in vntext._ABBR[fold(short)]] == expected


def test_no_abbreviation_is_an_ordinary_syllable():
    # "an", "tư"… would swallow real words.
    for short in ABBREVIATIONS:
        key = fold(short)
        assert not (len(key) <= 3 and any(c in "aeiouy" for c in key)), short


def test_missing_diacritics_give_the_same_tokens():
    assert tokens("Phòng chống dịch sốt xuất huyết") == tokens("Phong chong dich sot xuat huyet")


def test_both_tone_styles_give_the_same_tokens_and_readable_form():
    assert tokens("hoà giải") == tokens("hòa giải")
    assert [p for _, p in analyze("hoà giải")] == ["hòa", "giải"]


def test_i_and_y_spellings_are_joined():
    assert tokens("kỹ thuật") == tokens("kĩ thuật")
    assert tokens("lý luận") == tokens("lí luận")
    assert tokens("quy hoạch") == ["quy", "hoach"]


def test_boilerplate_numbers_and_document_references_are_removed():
    text = "Kế hoạch số 12/KH-MTTQ về việc Tổ chức triển khai thực hiện tuyên truyền năm 2017"
    assert tokens(text) == ["tuyen", "truyen"]
    assert tokens("ngày 15/3/2024 trên địa bàn") == []


def test_function_words_are_dropped_but_ambiguous_plain_words_kept():
    assert "cac" not in tokens("các hội viên")
    assert tokens("an toàn thực phẩm tại chợ") == ["an", "toan", "thuc", "pham", "cho"]
    assert "tai" in tokens("tai dinh cu")


def test_extra_stop_phrases_are_removed_too():
    assert tokens("tuyên truyền phòng chống ma túy", ("tuyên truyền",)) == [
        "phong",
        "chong",
        "ma",
        "tuy",
    ]


def test_shingles_are_words_then_unordered_neighbour_pairs():
    assert shingles(["an", "toan", "giao", "thong"]) == [
        "an",
        "toan",
        "giao",
        "thong",
        "an toan",
        "giao toan",
        "giao thong",
    ]
    assert set(shingles(["giao", "thong", "an", "toan"])) >= {"giao thong", "an toan"}


def test_word_order_changes_only_the_junction_pair():
    a = set(shingles(tokens("sốt xuất huyết, phòng chống")))
    b = set(shingles(tokens("phòng chống sốt xuất huyết")))
    assert len(a ^ b) == 2


@given(viet_text)
def test_fast_tokens_equal_the_keys_of_analyze(text):
    assert tokens(text) == [k for k, _ in analyze(text)]


@given(viet_text)
def test_tokens_are_plain_lower_case_ascii(text):
    for tok in tokens(text):
        assert tok == strip_tones_and_marks(tok).lower()
        assert tok.isascii() and " " not in tok


def test_readable_form_prefers_the_accented_spelling():
    tokens("sot xuat huyet")
    tokens("sốt xuất huyết")
    assert vntext.readable("huyet") == "huyết"


def test_existing_helpers_keep_their_behaviour():
    assert fold("  Đoàn   Thanh niên ") == "doan thanh nien"
    assert vntext.nfc("a  b") == "a b"
    assert vntext.fold_words("Hòa, Bình!") == ["hòa", "bình"]
    assert vntext.collation_key("hoà") == vntext.collation_key("hòa")
