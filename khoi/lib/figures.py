"""Reading and checking one figure typed by a commune reporter (pure, no Django: the
messages are English msgids passed through the translator the app installs with
:func:`use_translation`; the campaigns app installs Django's gettext, Vietnamese in
``locale/vi``).

Numbers are read the Vietnamese way ("1.234,5": "." groups thousands, "," marks the
decimals) and also the way a number field sends them ("1234.5"). Each check raises
:class:`FigureRefused` with a translated message that names the bound it broke.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Final

_translate: Callable[[str], str] = str


def use_translation(translate: Callable[[str], str]) -> None:
    """Install the function that translates this module's messages (default: unchanged)."""
    global _translate
    _translate = translate


def _(message: str) -> str:
    return _translate(message)


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
        raise FigureRefused(_("“%(text)s” is not a number.") % {"text": text.strip()}) from None
    if not value.is_finite() or abs(value) >= MAX_ABS:
        raise FigureRefused(_("“%(text)s” is not a valid number.") % {"text": text.strip()})
    if value != value.quantize(Decimal("0.01")):
        raise FigureRefused(_("Enter at most two decimal places."))
    return value.quantize(Decimal("0.01"))


def parse_flag(text: str) -> bool | None:
    raw = text.strip().lower()
    if not raw:
        return None
    if raw in YES:
        return True
    if raw in NO:
        return False
    raise FigureRefused(_("“%(text)s”: enter only “Có” or “Không”.") % {"text": text.strip()})


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
        raise FigureRefused(
            _("%(what)s %(value)s is below the lowest allowed (%(low)s).")
            % {"what": what, "value": fmt(value), "low": fmt(low)}
        )
    if high is not None and value > high:
        raise FigureRefused(
            _("%(what)s %(value)s is above the highest allowed (%(high)s).")
            % {"what": what, "value": fmt(value), "high": fmt(high)}
        )


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
            check_range(number, low, high, _("Value"))
        return Figure(number=number)
    if kind == "percent":
        num, den = parse_number(numerator), parse_number(denominator)
        if num is None and den is None:
            return Figure()
        if num is None or den is None:
            raise FigureRefused(_("A percentage needs both the numerator and the denominator."))
        if num < 0 or den < 0:
            raise FigureRefused(_("The numerator and the denominator cannot be negative."))
        if den == 0:
            raise FigureRefused(_("The denominator must be greater than 0."))
        if num > den:
            raise FigureRefused(
                _("The numerator (%(num)s) is greater than the denominator (%(den)s).")
                % {"num": fmt(num), "den": fmt(den)}
            )
        percent = (num * 100 / den).quantize(Decimal("0.01"))
        check_range(percent, low, high, _("Percentage"))
        return Figure(numerator=num, denominator=den)
    if kind == "yesno":
        return Figure(flag=parse_flag(value))
    text = value.strip()
    if len(text) > 2000:
        raise FigureRefused(_("The text is longer than 2,000 characters."))
    return Figure(text=text)


def percent(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return (numerator * 100 / denominator).quantize(Decimal("0.01"))
