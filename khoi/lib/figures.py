"""Reading and checking one figure typed by a commune reporter (pure, no Django).

Numbers are read the Vietnamese way ("1.234,5": "." groups thousands, "," marks the
decimals) and also the way a number field sends them ("1234.5"). Each check raises
:class:`FigureRefused` with a Vietnamese message that names the bound it broke.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Final

MAX_ABS: Final = Decimal("1e15")
_GROUPED = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
YES: Final = frozenset({"có", "co", "x", "yes", "1", "true", "đạt", "dat"})
NO: Final = frozenset({"không", "khong", "0", "no", "false", "chưa", "chua"})


class FigureRefused(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def fmt(value: Decimal | int | float | None) -> str:
    """1234567.5 → "1.234.567,5" (no trailing zeros)."""
    if value is None:
        return ""
    d = Decimal(str(value)).quantize(Decimal("0.01"))
    sign = "-" if d < 0 else ""
    whole, _, frac = f"{abs(d):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    frac = frac.rstrip("0")
    return f"{sign}{grouped},{frac}" if frac else f"{sign}{grouped}"


def parse_number(text: str) -> Decimal | None:
    """The number in ``text`` (None when blank); :class:`FigureRefused` when unreadable."""
    raw = text.strip().replace(" ", "").replace("\u00a0", "")
    if not raw:
        return None
    if "," in raw:
        raw = raw.replace(".", "").replace(",", ".")
    elif _GROUPED.match(raw):
        raw = raw.replace(".", "")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise FigureRefused(f"“{text.strip()}” không phải là số.") from None
    if not value.is_finite() or abs(value) >= MAX_ABS:
        raise FigureRefused(f"“{text.strip()}” không phải là số hợp lệ.")
    if value != value.quantize(Decimal("0.01")):
        raise FigureRefused("Chỉ nhập tối đa hai chữ số thập phân.")
    return value.quantize(Decimal("0.01"))


def parse_flag(text: str) -> bool | None:
    raw = text.strip().lower()
    if not raw:
        return None
    if raw in YES:
        return True
    if raw in NO:
        return False
    raise FigureRefused(f"“{text.strip()}”: chỉ nhập “Có” hoặc “Không”.")


@dataclass(frozen=True)
class Figure:
    number: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    flag: bool | None = None
    text: str = ""

    @property
    def empty(self) -> bool:
        return (
            self.number is None
            and self.numerator is None
            and self.denominator is None
            and self.flag is None
            and not self.text
        )


def check_range(value: Decimal, low: Decimal | None, high: Decimal | None, what: str) -> None:
    if low is not None and value < low:
        raise FigureRefused(f"{what} {fmt(value)} nhỏ hơn mức thấp nhất cho phép ({fmt(low)}).")
    if high is not None and value > high:
        raise FigureRefused(f"{what} {fmt(value)} lớn hơn mức cao nhất cho phép ({fmt(high)}).")


def read_figure(
    kind: str,
    *,
    value: str = "",
    numerator: str = "",
    denominator: str = "",
    low: Decimal | None = None,
    high: Decimal | None = None,
) -> Figure:
    """Check one cell of an indicator of ``kind`` (number, percent, yesno, text)."""
    if kind == "number":
        number = parse_number(value)
        if number is not None:
            check_range(number, low, high, "Giá trị")
        return Figure(number=number)
    if kind == "percent":
        num, den = parse_number(numerator), parse_number(denominator)
        if num is None and den is None:
            return Figure()
        if num is None or den is None:
            raise FigureRefused("Tỷ lệ cần cả tử số và mẫu số.")
        if num < 0 or den < 0:
            raise FigureRefused("Tử số và mẫu số không được âm.")
        if den == 0:
            raise FigureRefused("Mẫu số phải lớn hơn 0.")
        if num > den:
            raise FigureRefused(f"Tử số ({fmt(num)}) lớn hơn mẫu số ({fmt(den)}).")
        percent = (num * 100 / den).quantize(Decimal("0.01"))
        check_range(percent, low, high, "Tỷ lệ %")
        return Figure(numerator=num, denominator=den)
    if kind == "yesno":
        return Figure(flag=parse_flag(value))
    text = value.strip()
    if len(text) > 2000:
        raise FigureRefused("Nội dung dài quá 2.000 ký tự.")
    return Figure(text=text)


def percent(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return (numerator * 100 / denominator).quantize(Decimal("0.01"))
