"""Amounts of money in Vietnamese words, as written on receipts and decisions.

``words(1_250_000)`` → ``"Một triệu hai trăm năm mươi nghìn đồng"``. Pure, no Django.

The reading follows the usual rules of Vietnamese accounting documents:

- groups of three digits with the scales *nghìn*, *triệu*, *tỷ* (beyond a thousand
  *tỷ* the scales repeat: *nghìn tỷ*, *triệu tỷ*, *tỷ tỷ*);
- a group that follows a non-zero higher group is read in full: *không trăm* when its
  hundreds digit is 0, *linh* when its tens digit is 0 and its units digit is not
  (1.005.000 → "một triệu không trăm linh năm nghìn"); zero groups are silent;
- *mười* for ten, *mươi* for the other tens; units digit 1 after *mươi* is *mốt*
  ("hai mươi mốt"), after *mười* or *linh* it is *một* ("mười một", "một trăm linh một");
  units digit 5 after *mười*/*mươi* is *lăm* ("mười lăm", "hai mươi lăm"), after *linh* it
  stays *năm* ("một trăm linh năm");
- units digit 4 is always *bốn* ("hai mươi bốn"): *tư* ("hai mươi tư") is also heard and
  seen on receipts, but *bốn* is the reading of every position, never ambiguous, and the one
  the reference tests hold the code to;
- the first letter upper case, "đồng" at the end; 0 is "Không đồng".

``parse_amount(text)`` reads an amount as typed by a person: digits, optionally grouped
by dots the Vietnamese way (``1.250.000``); anything else raises ``AmountError`` with
a Vietnamese reason and a stable ``code``. Leading zeros of an ungrouped amount are
accepted and dropped ("007" → 7: digits, and only one reading); a dot-grouped amount's first
group has none ("0.100", "01.000" look like decimals). The comma is refused both ways: "1,5"
as a decimal (``decimal``), "1,250,000" as the English grouping (``comma_groups``).
"""

from __future__ import annotations

import re

__all__ = ["AmountError", "parse_amount", "words", "words_plain"]

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
BILLION = 1_000_000_000

# The largest amount read: Python refuses to convert longer digit strings to int (and
# back, for the JSON output) by default; no real amount comes near it.
MAX_DIGITS = 4300

_LIMIT = 10**MAX_DIGITS

_PLAIN_RE = re.compile(r"[0-9]+")
# The first group of a dot-grouped amount has no leading zero: "0.100" or "01.000" is not
# how an amount is written (and "0.100" reads as a decimal to many).
_GROUPED_RE = re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+")


class AmountError(ValueError):
    """An amount that is not a whole, non-negative number of đồng."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _triple(n: int, full: bool) -> list[str]:
    """Words of 1 ≤ n ≤ 999; ``full`` when a higher non-zero group was already read."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    out: list[str] = []
    if hundreds or full:
        out += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if hundreds or full:
                out.append("linh")
            out.append(DIGITS[units])
    elif tens == 1:
        out.append("mười")
        if units == 5:
            out.append("lăm")
        elif units:
            out.append(DIGITS[units])
    else:
        out += [DIGITS[tens], "mươi"]
        if units == 1:
            out.append("mốt")
        elif units == 5:
            out.append("lăm")
        elif units:
            out.append(DIGITS[units])
    return out


def _below_billion(n: int, started: bool) -> list[str]:
    out: list[str] = []
    for scale, div in (("triệu", 1_000_000), ("nghìn", 1_000), ("", 1)):
        group = (n // div) % 1000
        if group:
            out += _triple(group, started)
            if scale:
                out.append(scale)
            started = True
    return out


def _read(n: int, started: bool) -> list[str]:
    if n >= BILLION:
        high, low = divmod(n, BILLION)
        out = [*_read(high, started), "tỷ"]
        if low:
            out += _below_billion(low, True)
        return out
    return _below_billion(n, started)


def words_plain(amount: int) -> str:
    """The number alone, lower case, without "đồng" (``125`` → "một trăm hai mươi lăm")."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise AmountError("not_integer", "Số tiền phải là số nguyên.")
    if amount < 0:
        raise AmountError("negative", "Số tiền không được âm.")
    if amount == 0:
        return "không"
    if amount >= _LIMIT:
        raise AmountError("too_large", f"Số tiền quá lớn (tối đa {MAX_DIGITS} chữ số).")
    return " ".join(_read(amount, False))


def words(amount: int) -> str:
    """The amount as written on a receipt: "Một triệu hai trăm năm mươi nghìn đồng"."""
    text = words_plain(amount) + " đồng"
    return text[0].upper() + text[1:]


def parse_amount(text: str) -> int:
    """``"1.250.000"`` or ``"1250000"`` → 1250000; anything else → AmountError."""
    if not isinstance(text, str):
        raise AmountError("not_text", "Số tiền phải được nhập dưới dạng chữ số.")
    value = text.strip()
    if not value:
        raise AmountError("empty", "Chưa nhập số tiền.")
    if value[0] in "-\u2212" and re.fullmatch(r"[0-9][0-9.,]*", value[1:].strip()):
        raise AmountError("negative", f"Số tiền không được âm: {text!r}.")
    if _PLAIN_RE.fullmatch(value) or _GROUPED_RE.fullmatch(value):
        digits = value.replace(".", "")
        if len(digits.lstrip("0")) > MAX_DIGITS:
            raise AmountError(
                "too_large", f"Số tiền quá lớn (tối đa {MAX_DIGITS} chữ số): {len(digits)} chữ số."
            )
        return int(digits.lstrip("0") or "0")
    if re.fullmatch(r"[1-9][0-9]{0,2}(?:,[0-9]{3}){2,}", value):
        # "1,250,000" is the English grouping (two commas cannot be a decimal comma)
        raise AmountError(
            "comma_groups",
            f"Số tiền phân nhóm bằng dấu phẩy: {text!r}; người Việt phân nhóm bằng dấu chấm "
            "(1.250.000) hoặc không phân nhóm (1250000).",
        )
    if "," in value or re.fullmatch(r"[0-9]+\.[0-9]{1,2}", value):
        raise AmountError(
            "decimal",
            f"Số tiền phải là số nguyên đồng, không có phần thập phân: {text!r}.",
        )
    if re.fullmatch(r"[0-9.]+", value):
        raise AmountError(
            "bad_groups",
            f"Nhóm chữ số không đúng: {text!r} (viết 1250000 hoặc 1.250.000, mỗi nhóm sau "
            "dấu chấm đủ 3 chữ số).",
        )
    raise AmountError("not_digits", f"Số tiền chỉ được gồm chữ số và dấu chấm phân nhóm: {text!r}.")
