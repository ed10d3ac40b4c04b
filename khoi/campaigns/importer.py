"""The .xlsx template of one commune's grid, and reading it back (no writes here).

The sheet "Số liệu" has one row per unit (the commune first, then its residential areas)
and one column per indicator (two for a percentage: numerator and denominator). Columns
are found by the indicator code at the start of their header, rows by the unit's name.
Every problem names its row and column as Excel shows them; the values are then saved by
``services.do_save_figures`` (all or nothing).
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from khoi.campaigns import periods as P
from khoi.campaigns import services
from khoi.campaigns.models import Campaign, Indicator, Value
from khoi.lib import figures
from khoi.lib.vntext import fold
from khoi.org.models import AdminUnit, ResidentialArea

SHEET = "Số liệu"
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
NUM, DEN = "tử số", "mẫu số"


def _columns(indicators: list[Indicator]) -> list[tuple[Indicator, str, str]]:
    """(indicator, part, header) where part is value / numerator / denominator."""
    out = []
    for ind in indicators:
        unit = f" ({ind.unit_of_measure})" if ind.unit_of_measure else ""
        if ind.kind == Indicator.Kind.PERCENT:
            out.append((ind, "numerator", f"{ind.code} - {NUM}: {ind.name}"))
            out.append((ind, "denominator", f"{ind.code} - {DEN}: {ind.name}"))
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
        return "Có" if value else "Không"
    return str(value).strip()


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
    ws.title = SHEET
    columns = _columns(indicators)
    ws.append(["Đơn vị", *[h for _, _, h in columns]])
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
                row.append("" if v.flag is None else ("Có" if v.flag else "Không"))
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
    guide = wb.create_sheet("Hướng dẫn")
    guide.append([f"{campaign.title} — {commune.name} — {period.label()}"])
    guide.append(["Ô “—”: chỉ tiêu không báo cáo ở cấp này, để nguyên."])
    guide.append(["Có/Không: nhập “Có” hoặc “Không”. Tỷ lệ: nhập tử số và mẫu số."])
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
        return [], ["Tệp lớn hơn 5 MB."]
    if not data.startswith(b"PK\x03\x04"):
        return [], ["Tệp không phải là bảng tính Excel .xlsx."]
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return [], ["Không đọc được tệp .xlsx."]
    if SHEET not in wb.sheetnames:
        return [], [f"Không có trang “{SHEET}” (hãy dùng tệp mẫu)."]
    ws = wb[SHEET]
    rows = list(ws.iter_rows(values_only=True, max_row=MAX_ROWS + 1))
    if not rows:
        return [], ["Trang số liệu trống."]
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
                f"Cột {get_column_letter(n)} (“{text[:40]}”): không có chỉ tiêu mã “{code}” trong kỳ này."  # noqa: E501
            )
            continue
        part = "value"
        if ind.kind == Indicator.Kind.PERCENT:
            part = "denominator" if fold(DEN) in fold(text) else "numerator"
        colmap[n] = (ind, part)
    cells: dict[tuple[int, int | None], services.CellInput] = {}
    seen_units: set[str] = set()
    for r, row in enumerate(rows[1:], start=2):
        name = _text(row[0] if row else None)
        if not name and not any(_text(v) for v in row[1:]):
            continue
        key = fold(name)
        if key not in units:
            problems.append(f"Dòng {r}, cột A: “{name}” không phải là đơn vị của xã/phường này.")
            continue
        if key in seen_units:
            problems.append(f"Dòng {r}, cột A: đơn vị “{name}” xuất hiện hai lần.")
            continue
        seen_units.add(key)
        area: ResidentialArea | None = units[key]
        for n, (ind, part) in colmap.items():
            raw = _text(row[n - 1] if n - 1 < len(row) else None)
            wrong_level = (ind.level == Indicator.Level.AREA) != (area is not None)
            if wrong_level:
                if raw not in ("", "—", "-"):
                    problems.append(
                        f"Dòng {r}, cột {get_column_letter(n)}: chỉ tiêu {ind.code} không báo cáo ở cấp này."  # noqa: E501
                    )
                continue
            if raw.startswith("="):
                problems.append(
                    f"Dòng {r}, cột {get_column_letter(n)}: nhập giá trị, không nhập công thức."
                )
                continue
            k = (ind.pk, area.pk if area else None)
            cell = cells.setdefault(k, services.CellInput(indicator_id=ind.pk, area_id=k[1]))
            setattr(cell, part, raw)
            try:
                if part == "value" and ind.kind == Indicator.Kind.NUMBER:
                    v = figures.parse_number(raw)
                    if v is not None:
                        figures.check_range(v, ind.min_value, ind.max_value, "Giá trị")
                elif part == "value" and ind.kind == Indicator.Kind.YESNO:
                    figures.parse_flag(raw)
                elif part != "value":
                    figures.parse_number(raw)
            except figures.FigureRefused as exc:
                problems.append(f"Dòng {r}, cột {get_column_letter(n)} ({ind.code}): {exc.message}")
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
                problems.append(f"{where}, chỉ tiêu {ind.code}: {exc.message}")
    return list(cells.values()), problems
