"""Import of a commune's or an organization's household list (.xlsx) into the register.

One household per row: head of household, birth year, ID number (CMND/CCCD), phone,
address, residential area, members, poverty status of the list's year, and the support the
organization gave that year (kind, amount). Every row is checked as the household form
checks it; each error names the row as Excel numbers it and the column. Nothing is written
here: ``do_import_households`` writes all rows or none.

Every row is also compared (``khoi.lib.households.compare``, the register's matcher) with
the households already registered in the commune and in the communes it merged from or into
on 1 July 2025, and with the rows above it in the same file: the preview shows "this
household already received … from … in …" with the matcher's reasons, and the office marks
each proposed match "same household" or "different households". The decisions are kept
(``MatchDecision``) and audited when the import is confirmed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from khoi.audit import services as audit
from khoi.fund import services
from khoi.fund.importer import parse_amount_cell
from khoi.fund.models import Household
from khoi.lib.vntext import fold
from khoi.org.models import AdminUnit
from khoi.work.importer import CellError, RowError, cell_text, column_letter, header_key, read_rows

# The sheet's columns (data: the template's Vietnamese headers), key → header, required.
COLUMNS_NAME = [
    ("head_name", "Họ tên chủ hộ", True),
    ("head_birth_year", "Năm sinh chủ hộ", False),
    ("id_number", "Số CMND/CCCD", False),
    ("phone", "Số điện thoại", False),
    ("address", "Địa chỉ", False),
    ("area_name", "Khu dân cư (thôn, tổ)", False),
    ("members", "Thành viên (họ tên, năm sinh; …)", False),
    ("status", "Tình trạng (nghèo, cận nghèo, thoát nghèo)", False),
    ("support_kind", "Loại hỗ trợ", False),
    ("support_amount", "Số tiền hỗ trợ (đồng)", False),
    ("note", "Ghi chú", False),
]
STATUS_NAME = {"ngheo": "poor", "ho ngheo": "poor", "can ngheo": "near_poor",
               "ho can ngheo": "near_poor", "thoat ngheo": "escaped"}  # fmt: skip
SUPPORT_KIND_NAME = {
    "xay moi": "housing_new", "xay moi nha": "housing_new", "nha moi": "housing_new",
    "nha dai doan ket": "housing_new", "sua chua": "housing_repair",
    "sua chua nha": "housing_repair", "sua nha": "housing_repair", "sinh ke": "livelihood",
    "ho tro sinh ke": "livelihood", "hoc tap": "schooling", "hoc bong": "schooling",
    "y te": "health", "bao hiem y te": "health", "kham chua benh": "health",
    "dot xuat": "hardship", "kho khan dot xuat": "hardship",
}  # fmt: skip
MAX_CANDIDATES = 5000  # households of one commune (and its merged communes) compared


@dataclass
class Candidate:
    """A household already registered (or a row above) that the matcher judged the same."""

    household_id: int | None  # None for a row of the same file
    row: int | None
    name: str
    source: str
    unit_name: str
    score: float
    reasons: list[str]
    supports: list[dict[str, Any]]
    decision: str = ""  # "same"/"different" already decided for this pair


@dataclass
class HouseholdRow:
    row: int
    data: dict[str, Any]  # the keyword arguments of services.do_create_household
    status: str = ""
    support_kind: str = ""
    support_amount: int | None = None
    note: str = ""
    candidates: list[Candidate] = field(default_factory=list)


@dataclass
class HouseholdImport:
    rows: list[HouseholdRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _members(text: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for part in text.replace("\n", ";").split(";"):
        bits = [b.strip() for b in part.split(",")]
        if not bits or not bits[0]:
            continue
        year = int(bits[1]) if len(bits) > 1 and bits[1].isdigit() else None
        out.append({"name": bits[0], "birth_year": year})
    return out


def _birth_year(value: Any, year: int) -> int | None:
    text = cell_text(value)
    if not text:
        return None
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if not text.isdigit() or not 1900 <= int(text) <= year:
        raise CellError("bad_year", _("The birth year is not valid."))
    return int(text)


def parse_households(
    data: bytes, *, unit: AdminUnit, organization: str, year: int
) -> HouseholdImport:
    """Read and check the sheet; match every good row. Nothing is written."""
    from khoi.lib.households import norm_id, norm_phone

    rows, problem = read_rows(data)
    if problem is not None:
        return HouseholdImport(errors=[problem])
    if not rows:
        return HouseholdImport(errors=[RowError(0, "", "", "empty_file", _("The file is empty."))])
    wanted = {header_key(h): key for key, h, _r in COLUMNS_NAME}
    cols: dict[str, int] = {}
    for i, cell in enumerate(rows[0]):
        key = wanted.get(header_key(cell_text(cell)))
        if key and key not in cols:
            cols[key] = i
    missing = [h for key, h, req in COLUMNS_NAME if req and key not in cols]
    if missing:
        message = _("Missing column: %(columns)s.") % {"columns": ", ".join(missing)}
        return HouseholdImport(errors=[RowError(1, "", "", "missing_column", message)])
    headers = {key: h for key, h, _r in COLUMNS_NAME}
    has_standard = services.standard_for_year(year) is not None
    result = HouseholdImport()
    for n, raw in enumerate(rows[1:], start=2):
        if not raw or not any(cell_text(c) for c in raw):
            continue

        def cell(key: str, raw: tuple[Any, ...] = raw) -> Any:
            i = cols.get(key)
            return raw[i] if i is not None and i < len(raw) else None

        def err(key: str, code: str, message: str, n: int = n) -> None:
            letter = column_letter(cols[key]) if key in cols else ""
            result.errors.append(RowError(n, letter, headers.get(key, ""), code, message))

        head = cell_text(cell("head_name"))
        if not head:
            err("head_name", "required", _("Enter the full name of the head of household."))
        birth = None
        try:
            birth = _birth_year(cell("head_birth_year"), year)
        except CellError as exc:
            err("head_birth_year", exc.code, exc.message)
        id_text = cell_text(cell("id_number"))
        if isinstance(cell("id_number"), int | float) and not isinstance(cell("id_number"), bool):
            id_text = str(int(cell("id_number")))
        if id_text and not norm_id(id_text)[0]:
            err(
                "id_number",
                "bad_id",
                _("An old ID card (CMND) number has 9 digits, a citizen ID (CCCD) 12."),
            )
        phone_text = cell_text(cell("phone"))
        if isinstance(cell("phone"), int | float) and not isinstance(cell("phone"), bool):
            phone_text = "0" + str(int(cell("phone")))  # Excel dropped the leading zero
        if phone_text and not norm_phone(phone_text):
            err("phone", "bad_phone", _("The phone number is not valid."))
        status = ""
        status_text = fold(cell_text(cell("status")))
        if status_text:
            status = STATUS_NAME.get(status_text, "")
            if not status:
                err("status", "bad_status", _("Write one of: nghèo, cận nghèo, thoát nghèo."))
            elif not has_standard:
                err(
                    "status",
                    "no_standard",
                    _("No poverty standard is in force for %(year)d.") % {"year": year},
                )
        kind_text = fold(cell_text(cell("support_kind")))
        kind = ""
        if kind_text:
            kind = SUPPORT_KIND_NAME.get(kind_text, "")
            if not kind:
                err(
                    "support_kind",
                    "bad_kind",
                    _("Write one of: xây mới, sửa chữa, sinh kế, học tập, y tế, đột xuất."),
                )
        amount = None
        if cell_text(cell("support_amount")):
            try:
                amount = parse_amount_cell(cell("support_amount"))
            except CellError as exc:
                err("support_amount", exc.code, exc.message)
            if not kind_text:
                err("support_kind", "required", _("Give the kind of the support paid."))
        if any(e.row == n for e in result.errors):
            continue
        result.rows.append(HouseholdRow(
            row=n,
            data={"unit": unit, "head_name": head, "head_birth_year": birth,
                  "address": cell_text(cell("address")), "area_name": cell_text(cell("area_name")),
                  "members": _members(cell_text(cell("members"))), "id_number": id_text,
                  "phone": phone_text, "source": f"{organization} ({year})"},
            status=status, support_kind=kind, support_amount=amount,
            note=cell_text(cell("note")),
        ))  # fmt: skip
    if not result.rows and not result.errors:
        result.errors.append(RowError(0, "", "", "no_rows", _("The file has no row to import.")))
    if not result.errors:
        match_rows(result.rows, unit, organization, year)
    return result


def _place_tree(unit_id: int) -> tuple[set[int], Any]:
    """The unit, the communes it merged from or into on 1 July 2025, and the matcher's tree."""
    from khoi.lib.households import UnitTree
    from khoi.org.models import UnitSuccession

    links = list(
        UnitSuccession.objects.filter(Q(former=unit_id) | Q(current=unit_id)).values_list(
            "former_id", "current_id"
        )
    )
    units = {unit_id} | {a for a, _b in links} | {b for _a, b in links}
    links += list(
        UnitSuccession.objects.filter(current__in=units).values_list("former_id", "current_id")
    )
    units |= {a for a, _b in links} | {b for _a, b in links}
    successors: dict[str, list[str]] = {}
    for a, b in links:
        successors.setdefault(str(a), []).append(str(b))
    return units, UnitTree(successors=successors)


def match_rows(rows: list[HouseholdRow], unit: AdminUnit, organization: str, year: int) -> None:
    """Fill each row's candidates: registered households, then the rows above it."""
    from khoi.lib.households import REASONS, block_keys, compare, prepare
    from khoi.petitions import crypto

    units, tree = _place_tree(unit.pk)
    registered = list(
        Household.objects.filter(unit_id__in=units)
        .select_related("unit")
        .prefetch_related("supports")
        .order_by("pk")[:MAX_CANDIDATES]
    )
    index: dict[str, list[int]] = {}
    prepared: list[Any] = []
    owners: list[Household | HouseholdRow] = []
    for h in registered:
        identity = crypto.decrypt(h.identity_token) if h.identity_token else {}
        rec = prepare(services._record(h, identity), tree, len(prepared))
        owners.append(h)
        prepared.append(rec)
        for key in block_keys(rec):
            index.setdefault(key, []).append(len(prepared) - 1)
    for row in rows:
        d = row.data
        raw = {"id": f"row{row.row}", "org": organization, "year": year,
               "head_name": d["head_name"], "birth_year": d["head_birth_year"],
               "id_number": d["id_number"], "phone": d["phone"],
               "address": ", ".join(x for x in (d["address"], d["area_name"]) if x),
               "unit": str(unit.pk), "members": d["members"]}  # fmt: skip
        me = prepare(raw, tree, len(prepared))
        seen: set[int] = set()
        for key in block_keys(me):
            for i in index.get(key, ()):
                if i in seen:
                    continue
                seen.add(i)
                result = compare(me, prepared[i], tree, None)
                if result is None:
                    continue
                row.candidates.append(_candidate(owners[i], result, REASONS))
        row.candidates.sort(key=lambda c: -c.score)
        owners.append(row)
        prepared.append(me)
        for key in block_keys(me):
            index.setdefault(key, []).append(len(prepared) - 1)


def _candidate(owner: Household | HouseholdRow, result: Any, reasons: dict[str, str]) -> Candidate:
    why = [reasons.get(c, c) for c in result.reasons]
    if isinstance(owner, HouseholdRow):
        return Candidate(None, owner.row, owner.data["head_name"], "", "", result.score, why, [])
    supports = [
        {"kind": s.get_kind_display(), "organization": s.organization, "year": s.year,
         "amount": s.amount}
        for s in owner.supports.all()
    ]  # fmt: skip
    return Candidate(owner.pk, None, owner.head_name, owner.source, owner.unit.name,
                     result.score, why, supports)  # fmt: skip


def do_import_households(
    actor: Any,
    rows: list[HouseholdRow],
    *,
    organization: str,
    year: int,
    decisions: dict[tuple[int, int], str],
) -> list[Household]:
    """Register every row (status, support), all or nothing; keep the office's decisions.

    ``decisions`` maps (sheet row, registered household id) to "same" or "different";
    pairs not in it stay undecided (the household's page proposes them again).
    """
    created: list[Household] = []
    kept = 0
    with transaction.atomic():
        for row in rows:
            try:
                household = services.do_create_household(actor, **row.data)
                if row.status:
                    services.do_set_poverty_status(actor, household, year=year, status=row.status)
                if row.support_kind:
                    services.do_add_support(actor, household, year=year, organization=organization,
                                            kind=row.support_kind, amount=row.support_amount or 0,
                                            note=row.note)  # fmt: skip
                for c in row.candidates:
                    decision = decisions.get((row.row, c.household_id or 0), "")
                    if c.household_id is None or not decision:
                        continue
                    other = Household.objects.get(pk=c.household_id)
                    services.do_decide_match(actor, household, other, decision, c.reasons)
                    kept += 1
            except ValidationError as exc:
                messages = "; ".join(exc.messages)
                raise ValidationError(
                    _("Row %(row)s: %(messages)s") % {"row": row.row, "messages": messages}
                ) from None
            created.append(household)
        if rows:
            audit.record(actor, "fund.household.import", rows[0].data["unit"],
                         {"rows": len(created), "organization": organization, "year": year,
                          "match_decisions": kept})  # fmt: skip
    return created


def build_template() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Households")
    ws.append([h + (" *" if req else "") for _k, h, req in COLUMNS_NAME])
    guide = wb.create_sheet(_("Guide"))
    for line in (
        _("One household per row; the commune, organization and year are chosen on the page."),
        _("ID number: CMND 9 digits or CCCD 12 digits. Phone: as written (0912 345 678, +84…)."),
        _("Members: full name, birth year; separated by semicolons."),
        _("Status: nghèo, cận nghèo, thoát nghèo (the standard in force that year)."),
        _("Support kind: xây mới, sửa chữa, sinh kế, học tập, y tế, đột xuất; amount in dong."),
    ):
        guide.append([line])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
