"""Amounts in Vietnamese words (khoi.lib.vndwords) and the vnd_words command's contract."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khoi.lib.vndwords import AmountError, parse_amount, words, words_plain
from khoi.lib.vndwords_cli import run

ROOT = Path(__file__).resolve().parents[3]

DIGIT = {
    "không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "lăm": 5,
    "sáu": 6, "bảy": 7, "tám": 8, "chín": 9,
}  # fmt: skip


def _read_back(text: str) -> int:
    """An independent reader of the words: the inverse the writer must satisfy."""
    toks = text.lower().removesuffix(" đồng").split()
    total, billions, current, group = 0, 0, 0, 0
    for i, tok in enumerate(toks):
        if tok in DIGIT:
            group += DIGIT[tok]
        elif tok == "trăm":
            group = (group % 10) * 100 + (group - group % 10)
        elif tok == "mươi":
            group = group - group % 10 + (group % 10) * 10
        elif tok == "mười":
            group += 10
        elif tok == "linh":
            assert toks[i - 1] == "trăm"
        elif tok in ("nghìn", "triệu"):
            current += group * (1000 if tok == "nghìn" else 1_000_000)
            group = 0
        elif tok == "tỷ":
            billions = (billions + current + group) * 1_000_000_000
            current, group = 0, 0
        else:
            raise AssertionError(tok)
    total = billions + current + group
    return total


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (0, "Không đồng"),
        (5, "Năm đồng"),
        (10, "Mười đồng"),
        (11, "Mười một đồng"),
        (15, "Mười lăm đồng"),
        (21, "Hai mươi mốt đồng"),
        (25, "Hai mươi lăm đồng"),
        (55, "Năm mươi lăm đồng"),
        (101, "Một trăm linh một đồng"),
        (105, "Một trăm linh năm đồng"),
        (110, "Một trăm mười đồng"),
        (2015, "Hai nghìn không trăm mười lăm đồng"),
        (21_000, "Hai mươi mốt nghìn đồng"),
        (1_250_000, "Một triệu hai trăm năm mươi nghìn đồng"),
        (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
        (1_000_005, "Một triệu không trăm linh năm đồng"),
        (60_000_000, "Sáu mươi triệu đồng"),
        (1_000_000_000, "Một tỷ đồng"),
        (1_001_000_000_000, "Một nghìn không trăm linh một tỷ đồng"),
        (2_000_050_000, "Hai tỷ không trăm năm mươi nghìn đồng"),
    ],
)
def test_amounts_read_as_on_receipts(amount: int, expected: str) -> None:
    assert words(amount) == expected


@given(st.integers(min_value=0, max_value=10**21))
def test_every_amount_reads_back_to_itself(amount: int) -> None:
    text = words(amount)
    assert text[0].isupper() and text.endswith(" đồng")
    assert _read_back(text) == amount


@given(st.integers(min_value=1, max_value=10**15))
def test_mot_lam_linh_only_where_vietnamese_puts_them(amount: int) -> None:
    toks = words_plain(amount).split()
    for i, tok in enumerate(toks):
        if tok == "mốt":
            assert toks[i - 1] == "mươi"
        if tok == "lăm":
            assert toks[i - 1] in ("mươi", "mười")
        if tok == "linh":
            assert toks[i - 1] == "trăm" and toks[i + 1] in DIGIT and toks[i + 1] != "lăm"
        if tok == "một" and i:
            assert toks[i - 1] != "mươi"
        if tok == "năm" and i:
            assert toks[i - 1] not in ("mươi", "mười")


@given(st.integers(min_value=0, max_value=10**18))
def test_dot_grouped_and_plain_digits_parse_to_the_same_amount(amount: int) -> None:
    grouped = f"{amount:,}".replace(",", ".")
    assert parse_amount(grouped) == amount == parse_amount(str(amount))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("-5", "negative"),
        ("-1.000", "negative"),
        ("1,5", "decimal"),
        ("12.5", "decimal"),
        ("1.2345.000", "bad_groups"),
        ("100.000.0", "bad_groups"),
        (".100", "bad_groups"),
        ("1..000", "bad_groups"),
        ("1000.", "bad_groups"),
        ("abc", "not_digits"),
        ("1 000", "not_digits"),
        ("١٢", "not_digits"),
        ("12đ", "not_digits"),
    ],
)
def test_malformed_amounts_are_refused_with_a_reason(text: str, code: str) -> None:
    with pytest.raises(AmountError) as exc:
        parse_amount(text)
    assert exc.value.code == code
    assert exc.value.message


def test_words_refuse_negative_and_non_integer_values() -> None:
    with pytest.raises(AmountError):
        words(-1)
    with pytest.raises(AmountError):
        words(True)


def test_run_prints_json_and_exits_0_or_2() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run(["1.250.000"], out, err) == 0
    assert json.loads(out.getvalue()) == {
        "amount": 1250000,
        "words": "Một triệu hai trăm năm mươi nghìn đồng",
    }
    out, err = io.StringIO(), io.StringIO()
    assert run(["1.5"], out, err) == 2
    assert out.getvalue() == "" and "thập phân" in err.getvalue()
    assert run([], io.StringIO(), err) == 2


@pytest.mark.parametrize(
    ("arg", "rc"), [("1.250.000", 0), ("1250000", 0), ("-5", 2), ("1,5", 2), ("x", 2), ("", 2)]
)
def test_the_manage_py_command(arg: str, rc: int) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "vnd_words", arg],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == rc, result.stderr
    if rc == 0:
        assert json.loads(result.stdout)["amount"] == 1250000
    else:
        assert result.stdout == "" and result.stderr.strip()
