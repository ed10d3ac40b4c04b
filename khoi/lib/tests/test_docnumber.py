from __future__ import annotations

import io
import json
from dataclasses import replace

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from khoi.lib import docnumber
from khoi.lib.docnumber import MAX_YEAR, MIN_YEAR, DocumentNumber, NotationError, parse
from khoi.lib.docnumber_cli import run
from khoi.lib.doctypes import PARTY_TYPES, STATE_TYPES, ascii_key, lookup_type, type_name

# text → (system, number, year, type, issuer)
ACCEPTED = [
    # the examples of the issue
    ("30/2020/NĐ-CP", ("state", 30, 2020, "NĐ", "CP")),
    (
        "403/2017/NQLT-UBTVQH14-CP-ĐCTUBTWMTTQVN",
        ("state", 403, 2017, "NQLT", "UBTVQH14-CP-ĐCTUBTWMTTQVN"),
    ),
    ("15/KH-UBND", ("state", 15, None, "KH", "UBND")),
    ("125/MTTQ-BTT", ("state", 125, None, None, "MTTQ-BTT")),
    ("25/2018/QH14", ("state", 25, 2018, None, "QH14")),
    ("217-QĐ/TW", ("party", 217, None, "QĐ", "TW")),
    ("11-NQ/TU", ("party", 11, None, "NQ", "TU")),
    ("08-QĐi/TW", ("party", 8, None, "QĐi", "TW")),
    ("08-QĐ/TW", ("party", 8, None, "QĐ", "TW")),
    ("05-CTr/TU", ("party", 5, None, "CTr", "TU")),
    # prefixes
    ("Số: 12/BC-MTTQ", ("state", 12, None, "BC", "MTTQ")),
    ("Số 12-BC/TU", ("party", 12, None, "BC", "TU")),
    ("số 15/KH-UBND", ("state", 15, None, "KH", "UBND")),
    ("Số:15/KH-UBND", ("state", 15, None, "KH", "UBND")),
    ("SỐ: 15/KH-UBND", ("state", 15, None, "KH", "UBND")),
    ("Quyết định số 217-QĐ/TW", ("party", 217, None, "QĐ", "TW")),
    ("Nghị quyết số 11-NQ/TU", ("party", 11, None, "NQ", "TU")),
    ("Nghị quyết 57-NQ/TW", ("party", 57, None, "NQ", "TW")),
    ("Công văn số 125/MTTQ-BTT", ("state", 125, None, None, "MTTQ-BTT")),
    ("Nghị định số 30/2020/NĐ-CP", ("state", 30, 2020, "NĐ", "CP")),
    ("Luật số 25/2018/QH14", ("state", 25, 2018, None, "QH14")),
    ("Quy định số 08-QĐi/TW", ("party", 8, None, "QĐi", "TW")),
    ("Số, ký hiệu: 15/KH-UBND", ("state", 15, None, "KH", "UBND")),
    ("Số ký hiệu văn bản: 217-QĐ/TW", ("party", 217, None, "QĐ", "TW")),
    ("Số hiệu: 04-NQ/TW", ("party", 4, None, "NQ", "TW")),
    ("Ký hiệu: 218-QĐ/TW", ("party", 218, None, "QĐ", "TW")),
    ("So 15/KH-UBND", ("state", 15, None, "KH", "UBND")),
    ("Hướng dẫn 36-HD/VPTW", ("party", 36, None, "HD", "VPTW")),
    ("Kết luận số 12-KL/TW", ("party", 12, None, "KL", "TW")),
    ("Thông tư liên tịch số 01/2014/TTLT-BNV-BTC", ("state", 1, 2014, "TTLT", "BNV-BTC")),
    ("Kế hoạch số: 05/KH-MTTQ-BTT", ("state", 5, None, "KH", "MTTQ-BTT")),
    ("QUYẾT ĐỊNH SỐ 24/2021/QĐ-TTg", ("state", 24, 2021, "QĐ", "TTG")),
    # spaces around separators, white space around the text
    ("  217 - QĐ / TW  ", ("party", 217, None, "QĐ", "TW")),
    ("Số: 15 / KH - UBND", ("state", 15, None, "KH", "UBND")),
    ("30 / 2020 / NĐ - CP", ("state", 30, 2020, "NĐ", "CP")),
    ("Số:\u00a012/BC-MTTQ", ("state", 12, None, "BC", "MTTQ")),
    # letter case
    ("30/2020/nđ-cp", ("state", 30, 2020, "NĐ", "CP")),
    ("08-qđi/tw", ("party", 8, None, "QĐi", "TW")),
    ("08-QĐI/TW", ("party", 8, None, "QĐi", "TW")),
    ("05-ctr/tu", ("party", 5, None, "CTr", "TU")),
    ("12/ttr-ubnd", ("state", 12, None, "TTr", "UBND")),
    ("12/QYĐ-UBND", ("state", 12, None, "QyĐ", "UBND")),
    ("7/ttlt-btc-bnv", ("state", 7, None, "TTLT", "BTC-BNV")),
    (
        "403/2017/nqlt-ubtvqh14-cp-đctubtwmttqvn",
        ("state", 403, 2017, "NQLT", "UBTVQH14-CP-ĐCTUBTWMTTQVN"),
    ),
    # the look-alike "Ð" (U+00D0) and typographic dashes
    ("30/2020/N\u00d0-CP", ("state", 30, 2020, "NĐ", "CP")),
    ("217-Q\u00d0/TW", ("party", 217, None, "QĐ", "TW")),
    ("08-Q\u00d0i/TW", ("party", 8, None, "QĐi", "TW")),
    ("12/H\u00d0ND-VP", ("state", 12, None, None, "HĐND-VP")),
    ("217\u2013QĐ/TW", ("party", 217, None, "QĐ", "TW")),
    # decomposed Vietnamese (NFD) is composed first
    ("So\u0302\u0301: 30/2020/N\u0110-CP", ("state", 30, 2020, "NĐ", "CP")),
    (
        "Quye\u0302\u0301t \u0111i\u0323nh so\u0302\u0301 217-Q\u0110/TW",
        ("party", 217, None, "QĐ", "TW"),
    ),
    # leading zeros, types that are issuers in the other system
    ("005/GM-MTTQ", ("state", 5, None, "GM", "MTTQ")),
    ("12/KL-TW", ("state", 12, None, None, "KL-TW")),  # KL is a Party code only
    ("12/QĐi-UBND", ("state", 12, None, None, "QĐI-UBND")),
    ("45-KL/TW", ("party", 45, None, "KL", "TW")),
    ("03-TT/TW", ("party", 3, None, "TT", "TW")),
    ("12/TT-BNV", ("state", 12, None, "TT", "BNV")),
    ("1/2013/TT-TTCP", ("state", 1, 2013, "TT", "TTCP")),
    ("02/2011/QH13", ("state", 2, 2011, None, "QH13")),
    ("01/2025/NQ-HĐND", ("state", 1, 2025, "NQ", "HĐND")),
    ("09/SY-UBND", ("state", 9, None, "SY", "UBND")),
    ("09/TrS-UBND", ("state", 9, None, "TrS", "UBND")),
    ("1945/1945/QĐ-CP", ("state", 1945, 1945, "QĐ", "CP")),
    ("3/2100/BC-UBND", ("state", 3, 2100, "BC", "UBND")),
]

REJECTED = [
    ("", "empty"),
    ("   ", "empty"),
    ("Số:", "no_number"),
    ("Quyết định số", "no_number"),
    ("/KH-UBND", "no_number"),
    ("…/BC-MTTQ", "no_number"),
    ("Số: .../BC-MTTQ", "no_number"),
    ("KH-UBND", "no_number"),
    ("0/KH-UBND", "number_not_positive"),
    ("000-QĐ/TW", "number_not_positive"),
    ("-5/KH-UBND", "number_not_positive"),
    ("1234567890/KH-UBND", "number_too_large"),
    ("30/1900/NĐ-CP", "year_out_of_range"),
    ("30/2101/NĐ-CP", "year_out_of_range"),
    ("30/1944/NĐ-CP", "year_out_of_range"),
    ("30/20/NĐ-CP", "bad_year"),
    ("30/20200/NĐ-CP", "bad_year"),
    ("30/ab/NĐ-CP", "bad_year"),
    ("15/KH", "missing_issuer"),
    ("15/KH-", "missing_issuer"),
    ("30/2020/NĐ", "missing_issuer"),
    ("12/2020", "missing_issuer"),
    ("15", "missing_issuer"),
    ("217-QĐ/", "missing_issuer"),
    ("15/KH-UBND-", "invalid_issuer"),
    ("15/KH--UBND", "invalid_issuer"),
    ("15/KH-UB.ND", "invalid_issuer"),
    ("217-QĐ/T_W", "invalid_issuer"),
    ("217-XYZ/TW", "unknown_party_type"),
    ("217-QyĐ/TW", "unknown_party_type"),  # QyĐ is a state code
    ("30-NĐ/TW", "unknown_party_type"),  # NĐ is a state code
    ("217-QX/TW", "unknown_party_type"),
    ("217-/TW", "unknown_party_type"),
    ("hello", "unknown_shape"),
    ("217-QĐ-TW", "unknown_shape"),
    ("217-QĐ/TW/2020", "unknown_shape"),
    ("1/2/3/QĐ-CP", "unknown_shape"),
    ("15 KH-UBND", "unknown_shape"),
    ("217-QĐ/TW ngày 01-10-1997", "unknown_shape"),
    ("15a/KH-UBND", "unknown_shape"),
    ("١٥/KH-UBND", "no_number"),  # Arabic-Indic digits are not a document number
]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED)
def test_typed_notations_are_parsed_into_canonical_parts(
    text: str, expected: tuple[str, int, int | None, str | None, str]
) -> None:
    doc = parse(text)
    assert (doc.system, doc.number, doc.year, doc.type, doc.issuer) == expected


@pytest.mark.parametrize(("text", "code"), REJECTED)
def test_malformed_notations_are_rejected_with_a_code_and_a_vietnamese_reason(
    text: str, code: str
) -> None:
    with pytest.raises(NotationError) as info:
        parse(text)
    assert info.value.code == code
    assert info.value.message.startswith(docnumber.MESSAGES[code])
    assert str(info.value) == info.value.message


def test_every_rejection_code_has_a_vietnamese_message() -> None:
    assert {code for _, code in REJECTED} == set(docnumber.MESSAGES)
    for message in docnumber.MESSAGES.values():
        assert any(ch in message for ch in "ăâđêôơưĐ")  # Vietnamese, not English


def test_qdi_qd_and_qyd_are_three_different_types() -> None:
    assert parse("08-QĐi/TW").type == "QĐi"
    assert parse("08-QĐ/TW").type == "QĐ"
    assert parse("08/QyĐ-UBND").type == "QyĐ"
    assert parse("08-QĐi/TW") != parse("08-QĐ/TW")


def test_format_renders_the_canonical_notation() -> None:
    assert docnumber.format(parse("Số: 30 / 2020 / nđ - cp")) == "30/2020/NĐ-CP"
    assert docnumber.format(parse("217 - qđ / tw")) == "217-QĐ/TW"
    assert docnumber.format(parse("Số 8-qđi/tw")) == "08-QĐi/TW"
    assert docnumber.format(parse("125/mttq-btt")) == "125/MTTQ-BTT"
    assert docnumber.format(parse("25/2018/qh14")) == "25/2018/QH14"
    assert str(parse("15/kh-ubnd")) == "15/KH-UBND"


def test_to_dict_matches_the_json_contract() -> None:
    assert parse("15/KH-UBND").to_dict() == {
        "system": "state",
        "number": 15,
        "year": None,
        "type": "KH",
        "issuer": "UBND",
    }


def test_document_number_is_frozen() -> None:
    doc = parse("217-QĐ/TW")
    with pytest.raises(AttributeError):
        doc.number = 5  # type: ignore[misc]


def test_type_lists_are_looked_up_per_system() -> None:
    assert lookup_type("party", "qđi") == "QĐi"
    assert lookup_type("state", "qđi") is None
    assert lookup_type("state", "qyđ") == "QyĐ"
    assert lookup_type("party", "qyđ") is None
    assert type_name("party", "TT") == "Thông tri"
    assert type_name("state", "TT") == "Thông tư"
    assert type_name("state", "NĐ") == "Nghị định"


# --- properties --------------------------------------------------------------------------
_LETTERS = "ABCDEGHKLMNPQRSTUVXYĐ"
_segment = st.text(alphabet=_LETTERS + "0123456789", min_size=1, max_size=8)
_first_segment = st.builds(
    lambda head, tail: head + tail,
    st.sampled_from(_LETTERS),
    st.text(alphabet=_LETTERS + "0123456789", max_size=7),
)
_issuer = st.builds(
    lambda first, rest: "-".join([first, *rest]),
    _first_segment,
    st.lists(_segment, max_size=3),
)
_numbers = st.integers(min_value=1, max_value=999_999)


@st.composite
def _state_numbers(draw: st.DrawFn) -> DocumentNumber:
    doc_type = draw(st.none() | st.sampled_from(sorted(STATE_TYPES)))
    issuer = draw(_issuer)
    if doc_type is None and lookup_type("state", issuer.split("-")[0]) is not None:
        issuer = "X" + issuer  # otherwise its first segment would read as a type
    year = draw(st.none() | st.integers(MIN_YEAR, MAX_YEAR))
    return DocumentNumber("state", draw(_numbers), year, doc_type, issuer)


_party_numbers = st.builds(
    lambda number, doc_type, issuer: DocumentNumber("party", number, None, doc_type, issuer),
    _numbers,
    st.sampled_from(sorted(PARTY_TYPES)),
    _issuer,
)
_valid = _state_numbers() | _party_numbers


@given(_valid)
def test_parse_of_format_gives_back_the_same_document_number(doc: DocumentNumber) -> None:
    assert parse(docnumber.format(doc)) == doc


@given(
    _valid,
    st.sampled_from(["", "Số: ", "Số ", "số:", "Quyết định số ", "Công văn số: ", "SỐ "]),
    st.sampled_from([str.lower, str.upper, str.title, str.swapcase]),
    st.sampled_from(["", " ", "  "]),
    st.booleans(),
)
def test_notations_typed_loosely_parse_to_the_same_parts(
    doc: DocumentNumber,
    prefix: str,
    case: object,
    space: str,
    eth: bool,
) -> None:
    assert callable(case)
    text = case(docnumber.format(doc))
    text = text.replace("/", f"{space}/{space}").replace("-", f"{space}-{space}")
    if eth:
        text = text.replace("Đ", "\u00d0").replace("đ", "\u00f0")
    assert parse(prefix + text) == doc


_NOTATION_CHARS = "0123456789/-–  :.ĐÐđðQĐiyCTrKHUBNDWMsốSốoaQHâ…\u0301\u0323"


@given(st.text() | st.text(alphabet=_NOTATION_CHARS, max_size=25))
def test_arbitrary_text_raises_only_notation_error(text: str) -> None:
    try:
        doc = parse(text)
    except NotationError as exc:
        assert exc.code in docnumber.MESSAGES
    else:  # whatever is accepted is canonical and stable
        assert parse(docnumber.format(doc)) == doc
        assert doc.number > 0
        assert doc.issuer == doc.issuer.upper()


# --- "D" typed for "Đ" (a keyboard without Vietnamese input) ----------------------------


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("217-QD/TW", "217-QĐ/TW"),
        ("Quyết định số 217-qd/TW", "217-QĐ/TW"),
        ("So 01-QDi/TU", "01-QĐi/TU"),
        ("05-DA/TU", "05-ĐA/TU"),  # a Party "DA" can only be Đề án
        ("30/2020/ND-CP", "30/2020/NĐ-CP"),
        ("15/QD-UBND", "15/QĐ-UBND"),
        ("15/QyD-UBND", "15/QyĐ-UBND"),
        ("15/CD-UBND", "15/CĐ-UBND"),
        ("15/HD-UBND", "15/HD-UBND"),  # Hướng dẫn, not Hợp đồng (HĐ)
        ("15/DA-UBND", "15/DA-UBND"),  # state: Dự án, not Đề án (ĐA)
        ("07-HD/BTGTW", "07-HD/BTGTW"),
    ],
)
def test_d_typed_for_dj_is_read_where_unambiguous(text: str, canonical: str) -> None:
    assert docnumber.format(parse(text)) == canonical


@given(st.sampled_from(["state", "party"]), st.data())
def test_ascii_spelling_of_a_code_never_reads_as_an_unrelated_code(
    system: str, data: st.DataObject
) -> None:
    codes = STATE_TYPES if system == "state" else PARTY_TYPES
    code = data.draw(st.sampled_from(sorted(codes)))
    typed = data.draw(st.sampled_from([str.upper, str.lower, str.title]))(ascii_key(code))
    same_spelling = [c for c in codes if ascii_key(c) == ascii_key(code)]
    found = lookup_type(system, typed)  # type: ignore[arg-type]
    if len(same_spelling) == 1:
        assert found == code
    else:  # ambiguous: the code spelled without "Đ" wins, the others are not guessed
        assert found in same_spelling
        assert found is not None and "Đ" not in found


@given(_valid, st.sampled_from([str.lower, str.upper]))
def test_a_type_typed_without_dj_parses_to_the_same_document_number(
    doc: DocumentNumber, case: object
) -> None:
    assert callable(case)
    codes = STATE_TYPES if doc.system == "state" else PARTY_TYPES
    assume(doc.type is not None)
    assert doc.type is not None
    assume(sum(ascii_key(c) == ascii_key(doc.type) for c in codes) == 1)
    typed = replace(doc, type=case(ascii_key(doc.type)))
    assert parse(docnumber.format(typed)) == doc


# --- the command -------------------------------------------------------------------------
def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_command_prints_one_json_object_and_exits_0() -> None:
    code, out, err = _run("Số: 30/2020/NÐ-CP")
    assert code == 0
    assert err == ""
    assert out.endswith("\n")
    assert out.count("\n") == 1
    assert "NĐ" in out  # not escaped as \\u0110
    assert json.loads(out) == {
        "system": "state",
        "number": 30,
        "year": 2020,
        "type": "NĐ",
        "issuer": "CP",
    }


def test_command_reports_party_notations_with_null_year() -> None:
    code, out, _ = _run("08-qđi/tw")
    assert code == 0
    assert json.loads(out) == {
        "system": "party",
        "number": 8,
        "year": None,
        "type": "QĐi",
        "issuer": "TW",
    }


def test_command_joins_unquoted_words() -> None:
    code, out, _ = _run("Số:", "125/MTTQ-BTT")
    assert code == 0
    assert json.loads(out)["type"] is None


def test_command_prints_the_reason_on_stderr_and_exits_2() -> None:
    code, out, err = _run("217-XYZ/TW")
    assert code == 2
    assert out == ""
    assert "unknown_party_type" in err
    assert docnumber.MESSAGES["unknown_party_type"] in err


def test_command_without_argument_exits_2() -> None:
    code, out, err = _run()
    assert code == 2
    assert out == ""
    assert err
