from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from khoi.org.templatetags.khoi import phone, vnd


def test_phone_numbers_are_grouped_the_vietnamese_way() -> None:
    assert phone("0912345678") == "0912 345 678"
    assert phone("02033870000") == "0203 387 0000"
    assert phone("") == ""
    assert phone("113") == "113"


@given(st.integers(min_value=0, max_value=10**15))
def test_money_is_written_with_dots_between_thousands_and_reads_back(amount: int) -> None:
    text = vnd(amount)
    assert int(text.replace(".", "")) == amount
    assert all(len(group) == 3 for group in text.split(".")[1:])
    assert "," not in text
