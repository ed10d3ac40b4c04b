"""The .xlsx template of one commune's grid, and reading it back (no writes here).

The sheet ``SHEET_NAME`` ("Số liệu") has one row per unit (the commune first, then its
residential areas) and one column per indicator (two for a percentage: numerator and
denominator). Columns are found by the indicator code at the start of their header, rows
by the unit's name. Every problem names its row and column as Excel shows them; the values
are then saved by ``services.do_save_figures`` (all or nothing).
"""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from khoi.campaigns import periods as P
from khoi.campaigns import services
from khoi.campaigns.models import Campaign, Indicator, Value
from khoi.lib import figures
from khoi.lib.vntext import fold
from khoi.org.models import AdminUnit, ResidentialArea

# Names in the workbook: data of the exchange format (the import finds them again), not
# messages; they stay Vietnamese whatever the language of the session.
SHEET_NAME = "Số liệu"
GUIDE_NAME = "Hướng dẫn"
UNIT_NAME = "Đơn vị"
YES_NAME, NO_NAME = "Có", "Không"
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
NUMERATOR_NAME, DENOMINATOR_NAME = "tử số", "mẫu số"


def _columns(indicators: list[Indicator]) -> list[tuple[Indicator, str, str]]:
    """(indicator, part, header) where part is value / numerator / denominator."""
    out = []
    for ind in indicators:
        unit = f" ({ind.unit_of_measure})" if ind.unit_of_measure else ""
        if ind.kind == Indicator.Kind.PERCENT:
            out.append((ind, "numerator", f"{ind.code} - {NUMERATOR_NAME}: {ind.name}"))
            out.append((ind, "denominator", f"{ind.code} - {DENOMINATOR_NAME}: {ind.name}"))
        else:
            out.append((ind, "value", f"{ind.code}: {ind.name}{unit}"))
    return out


def _text(value: Any) -> str:
    """A cell as text; a formula is written back as text, never evaluated or kept."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return YES_NAME if value else NO_NAME
    return str(value).strip()


def _cell_text(value: Any) -> str:
    """A data cell as the text the grid reads. A numeric cell (int, float, Decimal) is taken
    as the number it holds and written with a decimal comma, so that 1.234 stays one point
    two three four (and is then refused for its third decimal) instead of being read as the
    Vietnamese "1.234" = one thousand two hundred thirty-four; only text cells are parsed
    the Vietnamese way."""
    if isinstance(value, bool):
        return YES_NAME if value else NO_NAME
    if isinstance(value, (int, float, Decimal)):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        if not number.is_finite():
            return str(value)
        text = format(number.normalize(), "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text.replace(".", ",")
    return _text(value)


def build_template(campaign: Campaign, commune: AdminUnit, period: P.Period) -> bytes:
    indicators = services.grid_indicators(campaign, period)
    areas = list(ResidentialArea.objects.filter(commune=commune).order_by("name"))
    values = {
        (v.indicator_id, v.area_id): v
        for v in Value.objects.filter(indicator__in=indicators, commune=commune, period=period.code)
    }
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_NAME
    columns = _columns(indicators)
    ws.append([UNIT_NAME, *[h for _, _, h in columns]])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for area in [None, *areas]:
        row: list[Any] = [area.name if area else commune.name]
        for ind, part, _h in columns:
            if (ind.level == Indicator.Level.AREA) != (area is not None):
                row.append("—")
                continue
            v = values.get((ind.pk, area.pk if area else None))
            if v is None:
                row.append(None)
            elif part == "numerator":
                row.append(float(v.numerator) if v.numerator is not None else None)
            elif part == "denominator":
                row.append(float(v.denominator) if v.denominator is not None else None)
            elif ind.kind == Indicator.Kind.YESNO:
                row.append("" if v.flag is None else (YES_NAME if v.flag else NO_NAME))
            elif ind.kind == Indicator.Kind.TEXT:
                row.append(v.text)
            else:
                row.append(float(v.number) if v.number is not None else None)
        ws.append(row)
    for cell in ws["A"][1:]:
        cell.data_type = "s"
    ws.column_dimensions["A"].width = 28
    for n in range(2, len(columns) + 2):
        ws.column_dimensions[get_column_letter(n)].width = 18
    guide = wb.create_sheet(GUIDE_NAME)
    guide.append([f"{campaign.title} — {commune.name} — {period.label()}"])
    guide.append([_("Cells “—”: the indicator is not reported at this level, leave them.")])
    guide.append(
        [_("Yes/no: enter “Có” or “Không”. Percentage: enter the numerator and the denominator.")]
    )
    for ind in indicators:
        bounds = ""
        if ind.min_value is not None or ind.max_value is not None:
            bounds = f" [{ind.min_value if ind.min_value is not None else ''} … {ind.max_value if ind.max_value is not None else ''}]"  # noqa: E501
        guide.append([f"{ind.code}: {ind.name} — {ind.get_kind_display()}{bounds}"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def parse_workbook(
    data: bytes, campaign: Campaign, commune: AdminUnit, period: P.Period
) -> tuple[list[services.CellInput], list[str]]:
    """The cells of the workbook and the problems found (row and column named)."""
    if len(data) > MAX_BYTES:
        return [], [_("The file is larger than 5 MB.")]
    if not data.startswith(b"PK\x03\x04"):
        return [], [_("The file is not an Excel .xlsx workbook.")]
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return [], [_("The .xlsx file could not be read.")]
    if SHEET_NAME not in wb.sheetnames:
        return [], [_("There is no sheet “%(s)s” (use the template).") % {"s": SHEET_NAME}]
    ws = wb[SHEET_NAME]
    rows = list(ws.iter_rows(values_only=True, max_row=MAX_ROWS + 1))
    if not rows:
        return [], [_("The figures sheet is empty.")]
    indicators = {i.code.lower(): i for i in services.grid_indicators(campaign, period)}
    units: dict[str, ResidentialArea | None] = {fold(commune.name): None}
    for known in ResidentialArea.objects.filter(commune=commune):
        units[fold(known.name)] = known
    problems: list[str] = []
    colmap: dict[int, tuple[Indicator, str]] = {}
    for n, header in enumerate(rows[0][1:], start=2):
        text = _text(header)
        if not text:
            continue
        code = text.split(":", 1)[0].split(" - ", 1)[0].strip().lower()
        ind = indicators.get(code)
        if ind is None:
            problems.append(
                _(
                    "Column %(col)s (“%(text)s”): no indicator with the code “%(code)s”"
                    " in this period."
                )
                % {"col": get_column_letter(n), "text": text[:40], "code": code}
            )
            continue
        part = "value"
        if ind.kind == Indicator.Kind.PERCENT:
            part = "denominator" if fold(DENOMINATOR_NAME) in fold(text) else "numerator"
        colmap[n] = (ind, part)
    cells: dict[tuple[int, int | None], services.CellInput] = {}
    row_of: dict[int | None, int] = {}
    col_of = {(ind.pk, part): get_column_letter(n) for n, (ind, part) in colmap.items()}
    seen_units: set[str] = set()
    for r, row in enumerate(rows[1:], start=2):
        name = _text(row[0] if row else None)
        if not name and not any(_text(v) for v in row[1:]):
            continue
        key = fold(name)
        if key not in units:
            problems.append(
                _("Row %(r)s, column A: “%(name)s” is not a unit of this commune.")
                % {"r": r, "name": name}
            )
            continue
        if key in seen_units:
            problems.append(
                _("Row %(r)s, column A: the unit “%(name)s” appears twice.")
                % {"r": r, "name": name}
            )
            continue
        seen_units.add(key)
        area: ResidentialArea | None = units[key]
        row_of[area.pk if area else None] = r
        for n, (ind, part) in colmap.items():
            raw = _cell_text(row[n - 1] if n - 1 < len(row) else None)
            wrong_level = (ind.level == Indicator.Level.AREA) != (area is not None)
            if wrong_level:
                if raw not in ("", "—", "-"):
                    problems.append(
                        _(
                            "Row %(r)s, column %(col)s: indicator %(code)s is not reported"
                            " at this level."
                        )
                        % {"r": r, "col": get_column_letter(n), "code": ind.code}
                    )
                continue
            if raw.startswith("="):
                problems.append(
                    _("Row %(r)s, column %(col)s: enter a value, not a formula.")
                    % {"r": r, "col": get_column_letter(n)}
                )
                continue
            k = (ind.pk, area.pk if area else None)
            cell = cells.setdefault(k, services.CellInput(indicator_id=ind.pk, area_id=k[1]))
            setattr(cell, part, raw)
            try:
                if part == "value" and ind.kind == Indicator.Kind.NUMBER:
                    v = figures.parse_number(raw)
                    if v is not None:
                        figures.check_range(v, ind.min_value, ind.max_value, _("Value"))
                elif part == "value" and ind.kind == Indicator.Kind.YESNO:
                    figures.parse_flag(raw)
                elif part != "value":
                    figures.parse_number(raw)
            except figures.FigureRefused as exc:
                problems.append(
                    _("Row %(r)s, column %(col)s (%(code)s): %(message)s")
                    % {
                        "r": r,
                        "col": get_column_letter(n),
                        "code": ind.code,
                        "message": exc.message,
                    }
                )
    for (ind_id, area_id), cell in cells.items():
        ind = next(i for i in indicators.values() if i.pk == ind_id)
        if ind.kind == Indicator.Kind.PERCENT:
            try:
                figures.read_figure(
                    "percent",
                    numerator=cell.numerator,
                    denominator=cell.denominator,
                    low=ind.min_value,
                    high=ind.max_value,
                )
            except figures.FigureRefused as exc:
                where = next(
                    (a.name for a in units.values() if a and a.pk == area_id), commune.name
                )
                cols = "–".join(
                    c
                    for c in (
                        col_of.get((ind.pk, "numerator")),
                        col_of.get((ind.pk, "denominator")),
                    )
                    if c
                )
                problems.append(
                    _("Row %(r)s, columns %(cols)s (%(where)s, indicator %(code)s): %(message)s")
                    % {
                        "r": row_of.get(area_id, "?"),
                        "cols": cols,
                        "where": where,
                        "code": ind.code,
                        "message": exc.message,
                    }
                )
    return list(cells.values()), problems
