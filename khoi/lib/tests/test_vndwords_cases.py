"""vnd_words on the amounts a checker types by hand (#10's rule, written out one by one),
and the texts it must refuse, each with its reason's code."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khoi.lib.vndwords import parse_amount, words
from khoi.lib.vndwords_cli import run


def _cli(text: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run([text], out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", "Không đồng"),
        ("1", "Một đồng"),
        ("5", "Năm đồng"),
        ("10", "Mười đồng"),
        ("11", "Mười một đồng"),
        ("14", "Mười bốn đồng"),
        ("15", "Mười lăm đồng"),
        ("21", "Hai mươi mốt đồng"),
        ("24", "Hai mươi bốn đồng"),
        ("25", "Hai mươi lăm đồng"),
        ("101", "Một trăm linh một đồng"),
        ("105", "Một trăm linh năm đồng"),
        ("110", "Một trăm mười đồng"),
        ("115", "Một trăm mười lăm đồng"),
        ("1.000", "Một nghìn đồng"),
        ("1.001", "Một nghìn không trăm linh một đồng"),
        ("1.010", "Một nghìn không trăm mười đồng"),
        ("1.015", "Một nghìn không trăm mười lăm đồng"),
        ("10.005", "Mười nghìn không trăm linh năm đồng"),
        ("100.000.001", "Một trăm triệu không trăm linh một đồng"),
        ("1.000.000.000", "Một tỷ đồng"),
        ("1.000.000.000.000", "Một nghìn tỷ đồng"),
        ("1.000.000.000.005", "Một nghìn tỷ không trăm linh năm đồng"),
        ("1.000.000.000.000.000", "Một triệu tỷ đồng"),
        ("2.000.000.001.000.000", "Hai triệu tỷ không trăm linh một triệu đồng"),
        ("1.250.000", "Một triệu hai trăm năm mươi nghìn đồng"),
        ("1250000", "Một triệu hai trăm năm mươi nghìn đồng"),
        ("1.005.000", "Một triệu không trăm linh năm nghìn đồng"),
        ("60.000.000", "Sáu mươi triệu đồng"),
        ("30.000.000", "Ba mươi triệu đồng"),
        ("321", "Ba trăm hai mươi mốt đồng"),
        ("1.000.000.000.000.000.000", "Một tỷ tỷ đồng"),
        # leading zeros of an ungrouped amount: digits with one reading, dropped
        ("007", "Bảy đồng"),
        ("000", "Không đồng"),
    ],
)
def test_hand_written_amounts(text: str, expected: str) -> None:
    code, out, err = _cli(text)
    assert (code, err) == (0, "")
    amount = int(text.replace(".", ""))
    assert json.loads(out) == {"amount": amount, "words": expected}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        (" 5", "whitespace"),
        ("5 ", "whitespace"),
        ("\t1.000", "whitespace"),
        ("１２", "not_digits"),  # full-width
        ("٣٠٠", "not_digits"),  # Arabic-Indic
        ("۳", "not_digits"),  # extended Arabic-Indic
        ("1,250,000", "comma_groups"),
        ("12,345,678,901", "comma_groups"),
        ("1,5", "decimal"),
        ("1,250", "decimal"),  # 1,25 in Vietnamese: a decimal comma
        ("1.25.000", "bad_groups"),
        ("1..000", "bad_groups"),
        (".100", "bad_groups"),
        ("100.", "bad_groups"),
        ("0.100", "bad_groups"),
        ("007.000", "bad_groups"),
        ("+5", "not_digits"),
        ("-5", "negative"),
        ("−5", "negative"),
        ("5e3", "not_digits"),
        ("1_000", "not_digits"),
        ("1 250 000", "not_digits"),
        ("12đ", "not_digits"),
        ("1" * 4301, "too_large"),
    ],
)
def test_refused_with_the_reason_on_stderr(text: str, code: str) -> None:
    rc, out, err = _cli(text)
    assert (rc, out) == (2, "")
    assert err.endswith(f"(mã: {code})\n") and err.split("(mã:")[0].strip()


_UNITS = {"một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "lăm": 5, "sáu": 6}
_UNITS |= {"bảy": 7, "tám": 8, "chín": 9, "không": 0}


def _parse_words(text: str) -> int:
    """Words → number, written again from scratch (a second, stack-based reader): each
    scale word multiplies what was said since the last larger scale."""
    scales = {"nghìn": 10**3, "triệu": 10**6, "tỷ": 10**9}
    stack: list[tuple[int, int]] = []  # (value, scale) of finished parts, scales decreasing
    small = 0
    for tok in text.lower().removesuffix(" đồng").split():
        if tok in _UNITS:
            small = small + _UNITS[tok]
        elif tok == "linh":
            assert small % 100 == 0
        elif tok == "mười":
            small += 10
        elif tok == "mươi":
            small = small - small % 10 + (small % 10) * 10
        elif tok == "trăm":
            small = small - small % 10 + (small % 10) * 100
        else:
            scale = scales[tok]
            value = small
            while stack and stack[-1][1] < scale:
                value += stack.pop()[0]
            stack.append((value * scale, scale))
            small = 0
    return sum(v for v, _ in stack) + small


@given(st.integers(min_value=0, max_value=10**15))
@settings(max_examples=1000)
def test_words_parse_back_to_the_amount(amount: int) -> None:
    text = words(amount)
    assert _parse_words(text) == amount
    grouped = f"{amount:,}".replace(",", ".")
    assert parse_amount(grouped) == amount
