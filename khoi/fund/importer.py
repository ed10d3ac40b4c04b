"""Import of a donation list (.xlsx) into a fund: template, checks, nothing written here.

The sheet has one donation per row: date, donor kind (cá nhân / tổ chức / ẩn danh), donor's
name, amount, channel (tiền mặt / chuyển khoản), campaign (by name), note. Every row is
checked as the receipt form checks it (``services.receipt_errors``); each error names the
row as Excel numbers it and the column. ``services.do_import_receipts`` posts all or none.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from khoi.fund import services
from khoi.fund.models import Entry, Fund
from khoi.lib.vndwords import AmountError, parse_amount
from khoi.lib.vntext import fold
from khoi.work.importer import (
    CellError,
    RowError,
    cell_text,
    column_letter,
    header_key,
    parse_date,
    read_rows,
)

COLUMNS_NAME = [  # the sheet's headers (data)
    ("date", "Ngày nộp (dd/mm/yyyy)", True),
    ("donor_kind", "Loại người ủng hộ", True),
    ("donor_name", "Tên người ủng hộ", False),
    ("amount", "Số tiền (đồng)", True),
    ("channel", "Hình thức nộp", False),
    ("campaign", "Đợt vận động", False),
    ("note", "Ghi chú", False),
]
DONOR_KINDS = {"ca nhan": "person", "to chuc": "organization", "an danh": "anonymous"}
CHANNELS = {"tien mat": "cash", "chuyen khoan": "transfer", "": "cash"}
FIELD_COLUMN = {"amount": "amount", "donor_kind": "donor_kind", "donor_name": "donor_name",
                "channel": "channel", "campaign": "campaign"}  # fmt: skip


@dataclass
class ImportResult:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(r["amount"] for r in self.rows)


def parse_amount_cell(value: Any) -> int:
    if isinstance(value, bool):
        raise CellError("bad_amount", _("The amount is not valid."))
    if isinstance(value, int):
        amount = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise CellError("decimal", _("The amount must be a whole number of dong."))
        amount = int(value)
    else:
        try:
            amount = parse_amount(cell_text(value))
        except AmountError as exc:
            raise CellError(exc.code, exc.message) from None
    if amount <= 0:
        raise CellError("not_positive", _("The amount must be greater than 0."))
    return amount


def parse_workbook(data: bytes, fund: Fund) -> ImportResult:
    rows, problem = read_rows(data)
    if problem is not None:
        return ImportResult(errors=[problem])
    if not rows:
        return ImportResult(errors=[RowError(0, "", "", "empty_file", _("The file is empty."))])
    wanted = {header_key(h): key for key, h, _r in COLUMNS_NAME}
    cols: dict[str, int] = {}
    for i, cell in enumerate(rows[0]):
        key = wanted.get(header_key(cell_text(cell)))
        if key and key not in cols:
            cols[key] = i
    missing = [h for key, h, req in COLUMNS_NAME if req and key not in cols]
    if missing:
        return ImportResult(
            errors=[
                RowError(
                    1,
                    "",
                    "",
                    "missing_column",
                    _("Missing column: %(columns)s.") % {"columns": ", ".join(missing)},
                )
            ]
        )
    headers = {key: h for key, h, _r in COLUMNS_NAME}
    campaigns = {fold(c.name): c for c in fund.campaigns.all()}
    result = ImportResult()
    for n, raw in enumerate(rows[1:], start=2):
        if not raw or not any(cell_text(c) for c in raw):
            continue

        def cell(key: str, raw: tuple[Any, ...] = raw) -> Any:
            i = cols.get(key)
            return raw[i] if i is not None and i < len(raw) else None

        def err(key: str, code: str, message: str, n: int = n) -> None:
            letter = column_letter(cols[key]) if key in cols else ""
            result.errors.append(RowError(n, letter, headers.get(key, ""), code, message))

        row: dict[str, Any] = {"row": n}
        try:
            row["date"] = parse_date(cell("date"))
            if row["date"] is None:
                err("date", "required", _("Enter the date of the donation."))
            elif message := services.date_error(row["date"], _("The date of the donation")):
                err("date", "future", message)
        except CellError as exc:
            err("date", exc.code, exc.message)
        try:
            row["amount"] = parse_amount_cell(cell("amount"))
        except CellError as exc:
            err("amount", exc.code, exc.message)
        kind = DONOR_KINDS.get(fold(cell_text(cell("donor_kind"))))
        if kind is None:
            err("donor_kind", "bad_kind", _("Write one of: cá nhân, tổ chức, ẩn danh."))
        channel = CHANNELS.get(fold(cell_text(cell("channel"))))
        if channel is None:
            err("channel", "bad_channel", _("Write one of: tiền mặt, chuyển khoản."))
        campaign = None
        campaign_text = cell_text(cell("campaign"))
        if campaign_text:
            campaign = campaigns.get(fold(campaign_text))
            if campaign is None:
                err(
                    "campaign",
                    "unknown_campaign",
                    _("The fund has no campaign «%(name)s».") % {"name": campaign_text},
                )
        row.update(
            donor_kind=kind or "",
            donor_name=cell_text(cell("donor_name")),
            channel=channel or "",
            campaign=campaign,
            note=cell_text(cell("note")),
        )
        if "amount" in row and kind and channel is not None:
            for fname, message in services.receipt_errors(
                fund, row["amount"], kind, row["donor_name"], row["channel"], campaign
            ).items():
                err(FIELD_COLUMN.get(fname, fname), fname, message)
        if not any(e.row == n for e in result.errors):
            result.rows.append(row)
    if not result.rows and not result.errors:
        result.errors.append(RowError(0, "", "", "no_rows", _("The file has no row to import.")))
    return result


def build_template(fund: Fund) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Donations")
    ws.append([h + (" *" if req else "") for _k, h, req in COLUMNS_NAME])
    guide = wb.create_sheet(_("Guide"))
    guide.append([_("Donor kind: cá nhân, tổ chức, ẩn danh.")])
    guide.append([_("Channel: tiền mặt (the default), chuyển khoản.")])
    guide.append([_("Amount: a whole number of dong, may be written 1.250.000.")])
    guide.append([_("The fund's campaigns:")])
    for c in fund.campaigns.all():
        cell = guide.cell(row=guide.max_row + 1, column=1, value=c.name)
        cell.data_type = "s"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def kind_label(code: str) -> str:
    return str(Entry.DonorKind(code).label) if code in Entry.DonorKind.values else code
