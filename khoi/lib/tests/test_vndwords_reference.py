"""vnd_words against a reference written separately from the rules of issue #10.

The reference reads the digit string (not the integer) nine digits at a time, with a
table of 0–99 built from the rules; the parser oracle splits on dots instead of using a
regular expression. Hypothesis compares both with ``khoi.lib.vndwords`` and the
command's ``run`` on amounts and texts nobody wrote down by hand.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khoi.lib.vndwords import MAX_DIGITS, AmountError, parse_amount, words
from khoi.lib.vndwords_cli import run

ROOT = Path(__file__).resolve().parents[3]

UNITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def _below_hundred() -> dict[int, list[str]]:
    """0–99 from the rules: mười, mươi, mốt after mươi, lăm after mười/mươi."""
    table: dict[int, list[str]] = {0: []}
    for u in range(1, 10):
        table[u] = [UNITS[u]]
    for t in range(1, 10):
        head = ["mười"] if t == 1 else [UNITS[t], "mươi"]
        table[10 * t] = head
        for u in range(1, 10):
            last = {1: "một" if t == 1 else "mốt", 5: "lăm"}.get(u, UNITS[u])
            table[10 * t + u] = [*head, last]
    return table


BELOW_HUNDRED = _below_hundred()


def _group(digits: str, spoken_before: bool) -> list[str]:
    """Three digits; after a spoken higher group, hundreds and 'linh' are always said."""
    h, rest = int(digits[0]), int(digits[1:])
    if h == 0 and rest == 0:
        return []
    out: list[str] = []
    if h or spoken_before:
        out += [UNITS[h], "trăm"]
        if 0 < rest < 10:
            out.append("linh")
    return out + BELOW_HUNDRED[rest]


def _nine(digits: str, spoken_before: bool) -> list[str]:
    digits = digits.rjust(9, "0")
    out: list[str] = []
    for part, scale in zip(
        (digits[:3], digits[3:6], digits[6:]), ("triệu", "nghìn", ""), strict=True
    ):
        said = _group(part, spoken_before)
        if said:
            out += said + ([scale] if scale else [])
            spoken_before = True
    return out


def _ref_plain(digits: str, spoken_before: bool = False) -> list[str]:
    """Beyond nine digits: (the higher digits, read alone) "tỷ", then the last nine."""
    if len(digits) <= 9:
        return _nine(digits, spoken_before)
    head, tail = digits[:-9], digits[-9:]
    return [*_ref_plain(head, spoken_before), "tỷ", *_nine(tail, True)]


def reference_words(amount: int) -> str:
    said = _ref_plain(str(amount)) or ["không"]
    text = " ".join([*said, "đồng"])
    return text[0].upper() + text[1:]


def reference_parse(text: str) -> int | None:
    """The amount the contract accepts, or None: ASCII digits, or dot groups 1–3 / 3 / 3…"""
    parts = text.split(".")
    if any(not p or not all("0" <= c <= "9" for c in p) for p in parts):
        return None
    if len(parts) > 1 and (len(parts[0]) > 3 or parts[0][0] == "0"):
        return None
    if any(len(p) != 3 for p in parts[1:]):
        return None
    return int("".join(parts))


# Amounts rich in zeros, ones, fives and tens: where the readings change.
_digit_strings = st.text(alphabet="0000011155", min_size=1, max_size=30).map(int)
amounts = st.one_of(st.integers(0, 10**6), st.integers(0, 10**27), _digit_strings)


@given(amounts)
@settings(max_examples=500)
def test_words_agree_with_the_reference(amount: int) -> None:
    assert words(amount) == reference_words(amount)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", "Không đồng"),
        ("11", "Mười một đồng"),
        ("14", "Mười bốn đồng"),
        ("15", "Mười lăm đồng"),
        ("21", "Hai mươi mốt đồng"),
        ("25", "Hai mươi lăm đồng"),
        ("31", "Ba mươi mốt đồng"),
        ("105", "Một trăm linh năm đồng"),
        ("111", "Một trăm mười một đồng"),
        ("115", "Một trăm mười lăm đồng"),
        ("1.001", "Một nghìn không trăm linh một đồng"),
        ("1.010", "Một nghìn không trăm mười đồng"),
        ("10.000", "Mười nghìn đồng"),
        ("1.005.000", "Một triệu không trăm linh năm nghìn đồng"),
        ("1.250.000", "Một triệu hai trăm năm mươi nghìn đồng"),
        ("30.000.000", "Ba mươi triệu đồng"),
        ("1.000.000.001", "Một tỷ không trăm linh một đồng"),
        ("1.000.000.000.000", "Một nghìn tỷ đồng"),
        ("1.000.000.000.000.000", "Một triệu tỷ đồng"),
        ("1.000.000.000.000.000.000", "Một tỷ tỷ đồng"),
        ("5.000.000.000.000.000.000.000", "Năm nghìn tỷ tỷ đồng"),
    ],
)
def test_the_command_reads_the_disputed_cases_as_receipts_do(text: str, expected: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run([text], out, err) == 0, err.getvalue()
    amount = int(text.replace(".", ""))
    assert (
        out.getvalue()
        == json.dumps({"amount": amount, "words": expected}, ensure_ascii=False) + "\n"
    )
    assert reference_words(amount) == expected


texts = st.one_of(
    st.text(alphabet="0123456789.", max_size=16),
    st.text(alphabet="0123456789.,- x\u00a0\u2212\u0661\uff11", max_size=12),
    st.text(max_size=8),
    st.integers(0, 10**18).map(lambda n: f"{n:,}".replace(",", ".")),
)


@given(texts)
@settings(max_examples=700)
def test_the_command_accepts_exactly_what_the_contract_accepts(text: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = run([text], out, err)
    expected = reference_parse(text)
    if expected is None:
        assert code == 2, out.getvalue()
        assert out.getvalue() == ""
        assert err.getvalue().strip()
    else:
        assert code == 0, err.getvalue()
        assert json.loads(out.getvalue()) == {"amount": expected, "words": words(expected)}
        assert err.getvalue() == ""


@pytest.mark.parametrize(
    "text",
    [
        "", " ", " 100", "100 ", "1 000", "1.25.000", "1..000", ".100", "100.", "1.2345",
        "1234.567", "0.100", "01.000", "1,250,000", "1.5", "12,5", "-5", "-0", "+5", "−1.000",
        "1e3", "0x10", "12đ", "abc", "١٢٣", "１２３", "5\n", "--", "-", "-abc",
    ],
)  # fmt: skip
def test_malformed_amounts_exit_2_with_a_reason(text: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run([text], out, err) == 2
    assert out.getvalue() == "" and "(mã: " in err.getvalue()


def test_an_amount_too_long_to_read_is_refused_not_crashed() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run(["1" * (MAX_DIGITS + 1)], out, err) == 2
    assert "too_large" in err.getvalue()
    assert run(["1" * MAX_DIGITS], io.StringIO(), io.StringIO()) == 0
    with pytest.raises(AmountError):
        words(10 ** (MAX_DIGITS + 5))
    with pytest.raises(AmountError):
        parse_amount("1" * (MAX_DIGITS + 1))


@pytest.mark.parametrize("arg", ["-abc", "-1x", "--foo"])
def test_dash_arguments_reach_the_amount_check_through_manage_py(arg: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "vnd_words", arg],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == "" and "(mã: not_digits)" in result.stderr


def test_manage_py_prints_exactly_one_json_line() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "vnd_words", "1.005.000"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.decode() == (
        '{"amount": 1005000, "words": "Một triệu không trăm linh năm nghìn đồng"}\n'
    )
