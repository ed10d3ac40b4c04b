"""Importing activities from an .xlsx workbook (no views here).

Three parts:

- ``build_template(office, user)``: the workbook users fill in (sheet "Hoạt động" with the
  Vietnamese header row, sheet "Hướng dẫn" listing the kinds, the office's organizations,
  its communes and residential areas).
- Cell parsers (``parse_date``, ``parse_money``, ``parse_count``): pure, raise ``CellError``
  with a stable code.
- ``parse_workbook(data, office, user)``: every row checked against the office (kinds,
  organizations the user may write, units inside the office's area, dates, numbers);
  returns the valid rows and the errors, each error naming the row as Excel numbers it and
  the column (letter and header). Nothing is written here.
"""

from __future__ import annotations

import datetime
import io
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from khoi.lib.vntext import fold, nfc
from khoi.org.models import AdminUnit, JointOffice, Organization, ResidentialArea
from khoi.work import access
from khoi.work.models import Activity, Kind

MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # a 5 MB .xlsx of text unpacks to ~50 MB at most
SHEET_NAME = "Hoạt động"
GUIDE_SHEET_NAME = "Hướng dẫn"
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIN_YEAR, MAX_YEAR = 1990, 2100
MAX_BUDGET = 10**15
MAX_COUNT = 10**7

# --- Data tables -----------------------------------------------------------------------------

# (key, header written in the template, required). Columns are found by their folded header
# (without "*" and without a parenthesis), so users may reorder them or add columns.
COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("title", "Tên hoạt động*", True),
    ("kind", "Loại*", True),
    ("description", "Mô tả", False),
    ("origin", "Nguồn nhiệm vụ (địa phương / ngành dọc)", False),
    ("organization", "Tổ chức chủ trì*", True),
    ("participants", "Tổ chức phối hợp", False),
    ("targets", "Địa bàn", False),
    ("start_on", "Từ ngày*", True),
    ("end_on", "Đến ngày*", True),
    ("expected_participants", "Số người dự kiến", False),
    ("budget", "Kinh phí (VND)", False),
)
HEADERS = {key: header for key, header, _required in COLUMNS}
COLUMN_WIDTHS = (40, 18, 40, 20, 26, 30, 36, 13, 13, 12, 16)

# Vietnamese names of the kinds of activity (the first one is written in the template),
# then other words users write for them.
KIND_NAMES: dict[str, tuple[str, ...]] = {
    Kind.PROPAGANDA: ("Tuyên truyền", "tuyên truyền, phổ biến", "phổ biến"),
    Kind.MOBILISATION: ("Vận động", "vận động quần chúng", "dân vận"),
    Kind.TRAINING: ("Tập huấn / hội nghị", "tập huấn", "hội nghị", "hội thảo", "bồi dưỡng"),
    Kind.INSPECTION: ("Kiểm tra",),
    Kind.SUPERVISION: ("Giám sát",),
    Kind.SURVEY: ("Khảo sát",),
    Kind.EMULATION: ("Thi đua", "phong trào thi đua"),
    Kind.SUPPORT: ("Hỗ trợ", "giúp đỡ", "trợ giúp"),
    Kind.OTHER: ("Khác",),
}

# Short and long names of the member organizations, by Organization.Kind.
ORG_ALIASES: dict[str, tuple[str, ...]] = {
    Organization.Kind.FRONT: (
        "MTTQ", "UBMTTQ", "Ủy ban MTTQ", "Uỷ ban MTTQ", "Mặt trận", "Mặt trận Tổ quốc",
        "Ủy ban Mặt trận Tổ quốc", "Uỷ ban Mặt trận Tổ quốc", "MTTQVN",
    ),
    Organization.Kind.WOMEN: (
        "Hội LHPN", "LHPN", "HLHPN", "Hội Phụ nữ", "Phụ nữ", "Hội Liên hiệp Phụ nữ", "HPN",
    ),
    Organization.Kind.YOUTH: (
        "Đoàn TN", "ĐTN", "Đoàn Thanh niên", "Thanh niên", "Đoàn TNCS", "Đoàn TNCS Hồ Chí Minh",
        "Đoàn thanh niên cộng sản Hồ Chí Minh",
    ),
    Organization.Kind.FARMERS: ("Hội ND", "HND", "Hội Nông dân", "Nông dân"),
    Organization.Kind.VETERANS: ("Hội CCB", "CCB", "Hội Cựu chiến binh", "Cựu chiến binh"),
    Organization.Kind.LABOUR: ("Công đoàn", "LĐLĐ", "Liên đoàn Lao động", "CĐ"),
}  # fmt: skip

ORIGIN_WORDS: dict[str, tuple[str, ...]] = {
    Activity.Origin.LOCAL: ("địa phương", "nhiệm vụ chính trị", "nhiệm vụ chính trị địa phương"),
    Activity.Origin.VERTICAL: ("ngành dọc", "cấp trên", "nhiệm vụ ngành dọc", "ngành"),
}

# What users write for "the whole area of the office" in the Địa bàn column.
WHOLE_AREA_WORDS = (
    "toàn địa bàn", "toàn bộ", "tất cả", "toàn thị xã", "toàn huyện", "toàn tỉnh", "toàn xã",
    "toàn phường", "toàn thành phố", "toàn đặc khu",
)  # fmt: skip
UNIT_PREFIXES = ("xã", "phường", "thị trấn", "đặc khu", "thị xã", "huyện", "quận", "thành phố")
LIST_SPLIT_RE = re.compile(r"[;,\n]+")


# --- Errors ------------------------------------------------------------------------------------


class CellError(ValueError):
    """A cell that cannot be read: a stable ``code`` and a message for the user."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class RowError:
    """One problem: the row as Excel numbers it (0 for the whole file), the column."""

    row: int
    column: str  # letter, "" for the whole file or row
    header: str
    code: str
    message: str


@dataclass
class ParsedRow:
    row: int
    title: str
    kind: str
    description: str
    origin: str
    organization: Organization
    participants: list[Organization]
    target_units: list[AdminUnit]
    target_areas: list[ResidentialArea]
    start_on: datetime.date
    end_on: datetime.date
    expected_participants: int | None
    budget: int | None

    def service_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for services.do_create_activity (plan added by the caller)."""
        return {
            "organization": self.organization,
            "kind": self.kind,
            "title": self.title,
            "description": self.description,
            "origin": self.origin,
            "start_on": self.start_on,
            "end_on": self.end_on,
            "expected_participants": self.expected_participants,
            "budget": self.budget,
            "target_units": self.target_units,
            "target_areas": self.target_areas,
            "participants": self.participants,
        }

    @property
    def kind_label(self) -> str:
        return KIND_NAMES[self.kind][0]


@dataclass
class ImportResult:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    total: int = 0  # non-empty data rows read

    @property
    def error_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors if e.row})

    @property
    def file_error(self) -> bool:
        """True when the file itself was refused (nothing could be read)."""
        return any(not e.row for e in self.errors)

    @property
    def skipped(self) -> int:
        return len(self.error_rows)


# --- Cell parsers (pure) ---------------------------------------------------------------------

_DMY_RE = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_YMD_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_EXCEL_EPOCH = datetime.date(1899, 12, 30)


def _bad_date(text: str) -> CellError:
    return CellError(
        "bad_date", _("“%(value)s” is not a date: write it as dd/mm/yyyy.") % {"value": text}
    )


def _checked_year(day: datetime.date) -> datetime.date:
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise CellError(
            "date_out_of_range",
            _("The year %(year)d is not plausible.") % {"year": day.year},
        )
    return day


def parse_date(value: Any) -> datetime.date | None:
    """A date cell: an Excel date, a serial number, or text dd/mm/yyyy, d/m/yyyy, yyyy-mm-dd."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return _checked_year(value.date())
    if isinstance(value, datetime.date):
        return _checked_year(value)
    if isinstance(value, bool):
        raise _bad_date(str(value))
    if isinstance(value, int | float):
        if not math.isfinite(value) or value < 1:
            raise _bad_date(str(value))
        try:
            day = _EXCEL_EPOCH + datetime.timedelta(days=int(value))
        except OverflowError:
            raise _bad_date(str(value)) from None
        return _checked_year(day)
    text = nfc(str(value))
    if not text:
        return None
    m = _DMY_RE.fullmatch(text)
    if m:
        d, mo, y = (int(g) for g in m.groups())
    else:
        m = _YMD_RE.fullmatch(text)
        if not m:
            raise _bad_date(text)
        y, mo, d = (int(g) for g in m.groups())
    try:
        day = datetime.date(y, mo, d)
    except ValueError:
        raise CellError(
            "bad_date", _("%(value)s is not a day of the calendar.") % {"value": text}
        ) from None
    return _checked_year(day)


_MULTIPLIERS = {"nghin": 10**3, "ngan": 10**3, "k": 10**3, "trieu": 10**6, "tr": 10**6,
                "ty": 10**9, "ti": 10**9}  # fmt: skip
_CURRENCY_RE = re.compile(r"(?:vnd|vnđ|dong|d|₫)$")
_GROUPED = {".": re.compile(r"\d{1,3}(?:\.\d{3})+"), ",": re.compile(r"\d{1,3}(?:,\d{3})+")}


def _number_text(text: str) -> Decimal:
    """Digits with "." or "," as thousands separators; a decimal part only when unambiguous."""
    if re.fullmatch(r"\d+", text):
        return Decimal(text)
    for sep, pattern in _GROUPED.items():
        if pattern.fullmatch(text):
            return Decimal(text.replace(sep, ""))
    # 1.500.000,50 / 1,500,000.50 / 15,5 / 15.5: the last separator is the decimal point
    m = re.fullmatch(r"(\d{1,3}(?:([.,])\d{3})*|\d+)([.,])(\d{1,2}|\d{4,})", text)
    if m and m.group(2) != m.group(3):
        whole = m.group(1).replace(m.group(2) or "_", "")
        return Decimal(f"{whole}.{m.group(4)}")
    raise InvalidOperation(text)


def _parse_amount(
    value: Any, *, code: str, message: str, negative: str, maximum: int
) -> int | None:
    def bad() -> CellError:
        return CellError(code, message % {"value": value})

    if value is None:
        return None
    if isinstance(value, bool):
        raise bad()
    if isinstance(value, int | float | Decimal):
        if isinstance(value, float) and not math.isfinite(value):
            raise bad()
        number = Decimal(value)
    else:
        text = fold(str(value)).replace("\u00a0", " ")
        if not text:
            return None
        if text.startswith("-"):
            raise CellError("negative", negative)
        text = _CURRENCY_RE.sub("", text).strip()
        multiplier = 1
        words = text.rsplit(" ", 1)
        if len(words) == 2 and words[1] in _MULTIPLIERS:
            multiplier, text = _MULTIPLIERS[words[1]], words[0]
        else:
            m = re.fullmatch(r"([\d.,]+)\s*(k|tr)", text)
            if m:
                multiplier, text = _MULTIPLIERS[m.group(2)], m.group(1)
        text = text.replace(" ", "")
        try:
            number = _number_text(text) * multiplier
        except InvalidOperation:
            raise bad() from None
    if isinstance(number, Decimal) and not number.is_finite():
        raise bad()
    if number < 0:
        raise CellError("negative", negative)
    if number != number.to_integral_value():
        raise bad()
    if number > maximum:
        raise CellError("too_large", _("The number is too large."))
    return int(number)


def parse_money(value: Any) -> int | None:
    """An amount in đồng: 15000000, "15.000.000", "15,000,000 đ", "15 triệu"."""
    return _parse_amount(
        value,
        code="bad_money",
        message=_("“%(value)s” is not an amount in đồng: write e.g. 15.000.000."),
        negative=_("The amount cannot be negative."),
        maximum=MAX_BUDGET,
    )


def parse_count(value: Any) -> int | None:
    """A number of people: a whole number, thousands separators allowed."""
    return _parse_amount(
        value,
        code="bad_number",
        message=_("“%(value)s” is not a whole number."),
        negative=_("The number cannot be negative."),
        maximum=MAX_COUNT,
    )


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return nfc(str(value))


def split_list(text: str) -> list[str]:
    return [p for p in (nfc(x) for x in LIST_SPLIT_RE.split(text)) if p]


def header_key(text: str) -> str:
    """Folded header without "*" and without a trailing parenthesis."""
    text = re.sub(r"\(.*?\)", " ", str(text or "")).replace("*", " ")
    return fold(text)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# --- Look-ups in the office -----------------------------------------------------------------


def _strip_unit_prefix(key: str) -> str:
    for prefix in sorted((fold(p) for p in UNIT_PREFIXES), key=len, reverse=True):
        if key.startswith(prefix + " "):
            return key[len(prefix) + 1 :]
    return key


class OfficeIndex:
    """Names of the office's kinds, organizations, units and residential areas, folded."""

    def __init__(self, office: JointOffice, user: Any) -> None:
        self.office = office
        self.organizations = list(office.organizations.order_by("kind", "name"))
        self.writable_ids = set(
            access.writable_organizations(user, office).values_list("pk", flat=True)
        )
        self.kinds: dict[str, str] = {}
        for value, label in Kind.choices:
            for name in (value, str(label), *KIND_NAMES[value]):
                self.kinds[fold(name)] = value
        self.orgs: dict[str, set[int]] = {}
        self.org_aliases: list[tuple[str, int]] = []
        by_kind: dict[str, list[Organization]] = {}
        for org in self.organizations:
            by_kind.setdefault(org.kind, []).append(org)
            for name in (org.name, org.short_name):
                if name:
                    self.orgs.setdefault(fold(name), set()).add(org.pk)
        for kind, orgs in by_kind.items():
            if len(orgs) == 1:  # "Hội LHPN" is unambiguous only with one Women's Union
                for alias in (kind, *ORG_ALIASES.get(kind, ())):
                    self.org_aliases.append((fold(alias), orgs[0].pk))
        self.org_aliases.sort(key=lambda a: len(a[0]), reverse=True)
        self.org_by_id = {o.pk: o for o in self.organizations}

        inside = AdminUnit.objects.subtree(office.unit)
        self.units = [u for u in inside.order_by("name_folded") if u.pk != office.unit_id]
        self.unit_keys: dict[str, set[int]] = {}
        for u in self.units:
            for key in (fold(u.name), _strip_unit_prefix(fold(u.name))):
                self.unit_keys.setdefault(key, set()).add(u.pk)
        self.unit_by_id = {u.pk: u for u in self.units}
        self.whole = {fold(w) for w in WHOLE_AREA_WORDS}
        self.whole |= {fold(office.unit.name), _strip_unit_prefix(fold(office.unit.name))}
        commune_ids = [u.pk for u in self.units] + [office.unit_id]
        self.areas = list(
            ResidentialArea.objects.filter(commune_id__in=commune_ids)
            .select_related("commune")
            .order_by("commune__name_folded", "name_folded")
        )
        self.area_keys: dict[str, list[ResidentialArea]] = {}
        for a in self.areas:
            self.area_keys.setdefault(a.name_folded, []).append(a)
        self.origins = {fold(w): v for v, words in ORIGIN_WORDS.items() for w in words}
        self.origins.update({v: v for v in Activity.Origin.values})
        self.origins.update({fold(str(label)): v for v, label in Activity.Origin.choices})

    def kind(self, text: str) -> str:
        value = self.kinds.get(fold(text))
        if value is None:
            raise CellError(
                "unknown_kind",
                _("Unknown kind “%(value)s”: choose one listed in the sheet “%(sheet)s”.")
                % {"value": text, "sheet": GUIDE_SHEET_NAME},
            )
        return value

    def organization(self, text: str) -> Organization:
        key = fold(text)
        ids = self.orgs.get(key)
        if ids is None:
            ids = {pk for alias, pk in self.org_aliases if key == alias}
        if not ids:
            ids = {pk for alias, pk in self.org_aliases if key.startswith(alias + " ")}
        if len(ids) > 1:
            raise CellError(
                "ambiguous_organization",
                _("“%(value)s” may be several organizations: write its full name.")
                % {"value": text},
            )
        if not ids:
            raise CellError(
                "unknown_organization",
                _("“%(value)s” is not a member organization of the office.") % {"value": text},
            )
        return self.org_by_id[next(iter(ids))]

    def origin(self, text: str) -> str:
        if not text:
            return Activity.Origin.LOCAL
        value = self.origins.get(fold(text))
        if value is None:
            raise CellError(
                "unknown_origin",
                _("Write “địa phương” or “ngành dọc”, not “%(value)s”.") % {"value": text},
            )
        return value

    def _unit(self, text: str) -> AdminUnit | None:
        key = fold(text)
        ids = self.unit_keys.get(key) or self.unit_keys.get(_strip_unit_prefix(key))
        if ids and len(ids) == 1:
            return self.unit_by_id[next(iter(ids))]
        if ids:
            raise CellError(
                "ambiguous_unit",
                _("Several units are named “%(value)s”: write the full name, e.g. “Xã …”.")
                % {"value": text},
            )
        return None

    def targets(self, text: str) -> tuple[list[AdminUnit], list[ResidentialArea]]:
        """Communes/wards and residential areas; nothing means the whole area."""
        units: list[AdminUnit] = []
        areas: list[ResidentialArea] = []
        for part in split_list(text):
            key = fold(part)
            if key in self.whole:
                continue
            unit = self._unit(part)
            if unit is not None:
                if unit not in units:
                    units.append(unit)
                continue
            area = self._area(part)
            if area not in areas:
                areas.append(area)
        return units, areas

    def _area(self, part: str) -> ResidentialArea:
        m = re.fullmatch(r"(.+?)\s*\((.+)\)", part)
        name, commune_text = (m.group(1), m.group(2)) if m else (part, "")
        candidates = self.area_keys.get(fold(name), [])
        if commune_text:
            commune = self._unit(commune_text)
            if commune is None and fold(commune_text) in self.whole:
                commune = self.office.unit
            candidates = [a for a in candidates if commune and a.commune_id == commune.pk]
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            examples = ", ".join(f"{a.name} ({a.commune.name})" for a in candidates[:3])
            raise CellError(
                "ambiguous_area",
                _("Several residential areas are named “%(value)s”: write e.g. %(examples)s.")
                % {"value": part, "examples": examples},
            )
        raise CellError(
            "unit_outside",
            _("“%(value)s” is not a commune, ward or residential area of the office's area.")
            % {"value": part},
        )


# --- Reading a workbook ----------------------------------------------------------------------


def _file_error(code: str, message: str) -> ImportResult:
    return ImportResult(errors=[RowError(0, "", "", code, message)])


def check_file_head(data: bytes) -> RowError | None:
    """Size and signature checks done before opening the workbook."""
    if len(data) > MAX_BYTES:
        return RowError(
            0, "", "", "too_big",
            _("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // (1024 * 1024)},
        )  # fmt: skip
    if not data:
        return RowError(0, "", "", "empty_file", _("The file is empty."))
    if data[:4] == OLE_MAGIC:
        return RowError(
            0, "", "", "old_xls",
            _("This is an old .xls file: open it in Excel and save it as .xlsx."),
        )  # fmt: skip
    if data[:4] != XLSX_MAGIC:
        return RowError(0, "", "", "not_xlsx", _("This is not an .xlsx spreadsheet."))
    return None


def _iter_sheet_rows(data: bytes) -> Iterator[tuple[Any, ...]]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        names = {fold(n): n for n in wb.sheetnames}
        sheet = wb[names[fold(SHEET_NAME)]] if fold(SHEET_NAME) in names else wb.worksheets[0]
        yield from sheet.iter_rows(values_only=True)
    finally:
        wb.close()


def read_rows(data: bytes) -> tuple[list[tuple[Any, ...]], RowError | None]:
    """The rows of the activity sheet (header included), or a file-level error."""
    problem = check_file_head(data)
    if problem is not None:
        return [], problem
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        unpacked = 0  # openpyxl below reports the file as unreadable
    if unpacked > MAX_UNPACKED_BYTES:  # a "zip bomb" would fill the memory
        return [], RowError(
            0, "", "", "too_big", _("The spreadsheet is too large once unpacked: split it.")
        )
    rows: list[tuple[Any, ...]] = []
    non_empty = 0
    try:
        for row in _iter_sheet_rows(data):
            if rows and not any(cell_text(c) for c in row):
                rows.append(())
                continue
            rows.append(tuple(row))
            if len(rows) > 1:
                non_empty += 1
            if non_empty > MAX_ROWS:
                return [], RowError(
                    0, "", "", "too_many_rows",
                    _(
                        "The file has more than %(max)d data rows: split it into several "
                        "files of at most %(max)d rows."
                    ) % {"max": MAX_ROWS},
                )  # fmt: skip
    except Exception:  # a broken or disguised file: openpyxl raises many kinds of errors
        return [], RowError(
            0, "", "", "unreadable", _("The file cannot be read as an .xlsx spreadsheet.")
        )
    return rows, None


def _map_columns(header: Sequence[Any]) -> tuple[dict[str, int], list[str]]:
    wanted = {header_key(h): key for key, h, _req in COLUMNS}
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = wanted.get(header_key(cell_text(cell)))
        if key is not None and key not in found:
            found[key] = index
    missing = [h for key, h, required in COLUMNS if required and key not in found]
    return found, missing


def parse_workbook(data: bytes, office: JointOffice, user: Any) -> ImportResult:
    rows, problem = read_rows(data)
    if problem is not None:
        return ImportResult(errors=[problem])
    if not rows:
        return _file_error("no_rows", _("The sheet is empty."))
    columns, missing = _map_columns(rows[0])
    if missing:
        return _file_error(
            "bad_header",
            _(
                "The first row must hold the column names of the template; missing: "
                "%(columns)s. Download the template and copy your rows into it."
            )
            % {"columns": ", ".join(missing)},
        )
    result = parse_rows(rows[1:], columns, OfficeIndex(office, user), first_row=2)
    if not result.total:
        return _file_error("no_rows", _("There is no activity below the header row."))
    return result


class _RowReader:
    """The cells of one row, and the errors found in it."""

    def __init__(self, number: int, row: Sequence[Any], columns: dict[str, int]) -> None:
        self.number = number
        self.row = row
        self.columns = columns
        self.errors: list[RowError] = []

    def raw(self, key: str) -> Any:
        i = self.columns.get(key)
        return self.row[i] if i is not None and i < len(self.row) else None

    def text(self, key: str) -> str:
        return cell_text(self.raw(key))

    def error(self, key: str, code: str, message: str) -> None:
        i = self.columns.get(key)
        letter = column_letter(i) if i is not None else ""
        self.errors.append(RowError(self.number, letter, HEADERS[key], code, message))

    def attempt(self, key: str, fn: Callable[[Any], Any]) -> Any:
        try:
            return fn(self.raw(key))
        except CellError as exc:
            self.error(key, exc.code, exc.message)
            return None

    def has_error(self, key: str) -> bool:
        return any(e.header == HEADERS[key] for e in self.errors)


def parse_rows(
    rows: Iterable[Sequence[Any]],
    columns: dict[str, int],
    index: OfficeIndex,
    *,
    first_row: int = 2,
) -> ImportResult:
    result = ImportResult()
    seen: dict[tuple[int, str, datetime.date], int] = {}
    candidates: list[ParsedRow] = []
    for number, row in enumerate(rows, start=first_row):
        if not any(cell_text(c) for c in row):
            continue
        result.total += 1
        parsed = _parse_row(_RowReader(number, row, columns), index, seen)
        if isinstance(parsed, ParsedRow):
            candidates.append(parsed)
        else:
            result.errors.extend(parsed)
    _flag_existing(candidates, index, result, column_letter(columns["title"]))
    return result


def _parse_row(
    r: _RowReader, index: OfficeIndex, seen: dict[tuple[int, str, datetime.date], int]
) -> ParsedRow | list[RowError]:
    title = r.text("title")
    if not title:
        r.error("title", "required", _("Enter the title of the activity."))
    elif len(title) > 300:
        r.error("title", "too_long", _("The title is longer than 300 characters."))
    kind = None
    if not r.text("kind"):
        r.error("kind", "required", _("Choose the kind of activity."))
    else:
        kind = r.attempt("kind", lambda v: index.kind(cell_text(v)))
    origin = r.attempt("origin", lambda v: index.origin(cell_text(v)))
    org: Organization | None = None
    if not r.text("organization"):
        r.error("organization", "required", _("Enter the lead organization."))
    else:
        org = r.attempt("organization", lambda v: index.organization(cell_text(v)))
        if org is not None and org.pk not in index.writable_ids:
            r.error(
                "organization",
                "not_writable",
                _("You cannot add activities of “%(org)s”.") % {"org": org.name},
            )
            org = None
    participants: list[Organization] = []
    for part in split_list(r.text("participants")):
        try:
            p = index.organization(part)
        except CellError as exc:
            r.error("participants", exc.code, exc.message)
            continue
        if p not in participants and (org is None or p.pk != org.pk):
            participants.append(p)
    targets = r.attempt("targets", lambda v: index.targets(cell_text(v)))
    start_on = r.attempt("start_on", parse_date)
    end_on = r.attempt("end_on", parse_date)
    if start_on is None and not r.has_error("start_on"):
        r.error("start_on", "required", _("Enter the start date (dd/mm/yyyy)."))
    if end_on is None and not r.has_error("end_on"):
        r.error("end_on", "required", _("Enter the end date (dd/mm/yyyy)."))
    if start_on and end_on and end_on < start_on:
        r.error("end_on", "end_before_start", _("The end date cannot be before the start date."))
    expected = r.attempt("expected_participants", parse_count)
    budget = r.attempt("budget", parse_money)
    if org is not None and title and start_on is not None:
        key = (org.pk, fold(title), start_on)
        if key in seen:
            r.error(
                "title",
                "repeated",
                _("The same activity is already in row %(row)d.") % {"row": seen[key]},
            )
        else:
            seen[key] = r.number
    if r.errors or org is None or kind is None or start_on is None or end_on is None:
        return r.errors
    return ParsedRow(
        row=r.number, title=title, kind=kind, description=_description(r.raw("description")),
        origin=origin or Activity.Origin.LOCAL, organization=org, participants=participants,
        target_units=targets[0], target_areas=targets[1], start_on=start_on, end_on=end_on,
        expected_participants=expected, budget=budget,
    )  # fmt: skip


def _description(value: Any) -> str:
    """Free text: line breaks kept, unlike the other cells."""
    return str(value).strip() if isinstance(value, str) else cell_text(value)


def _flag_existing(
    candidates: list[ParsedRow], index: OfficeIndex, result: ImportResult, letter: str
) -> None:
    """Rows already recorded in the office (same organization, title and start): an error."""
    days = {r.start_on for r in candidates}
    existing = set(
        Activity.objects.filter(office=index.office, start_on__in=days).values_list(
            "organization_id", "title_folded", "start_on"
        )
        if days
        else ()
    )
    message = _("This activity is already recorded (same organization, title and date).")
    for r in candidates:
        if (r.organization.pk, fold(r.title)[:300], r.start_on) in existing:
            result.errors.append(RowError(r.row, letter, HEADERS["title"], "exists", message))
        else:
            result.rows.append(r)
    result.errors.sort(key=lambda e: e.row)


# --- The template --------------------------------------------------------------------------------


def build_template(office: JointOffice, user: Any) -> bytes:
    """The .xlsx users fill in, with the office's names listed in the second sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    index = OfficeIndex(office, user)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_NAME
    ws.append([h for _key, h, _req in COLUMNS])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="FFF2CC")
    for i, (_key, _h, required) in enumerate(COLUMNS):
        cell = ws.cell(row=1, column=i + 1)
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if required:
            cell.fill = fill
        ws.column_dimensions[column_letter(i)].width = COLUMN_WIDTHS[i]
    ws.freeze_panes = "A2"
    letters = {key: column_letter(i) for i, (key, _h, _r) in enumerate(COLUMNS)}
    last = MAX_ROWS + 1
    for row in range(2, 202):  # formats for the first rows; Excel carries them down
        ws[f"{letters['start_on']}{row}"].number_format = "DD/MM/YYYY"
        ws[f"{letters['end_on']}{row}"].number_format = "DD/MM/YYYY"
        ws[f"{letters['budget']}{row}"].number_format = "#,##0"

    guide = wb.create_sheet(GUIDE_SHEET_NAME)
    guide.column_dimensions["A"].width = 44
    guide.column_dimensions["B"].width = 60
    lines: list[tuple[str, str]] = [
        ("Nhập mỗi hoạt động trên một dòng của trang “Hoạt động”.", ""),
        ("Cột có dấu * là bắt buộc.", ""),
        ("Ngày viết theo dạng dd/mm/yyyy, ví dụ 05/03/2025.", ""),
        ("Kinh phí viết bằng số đồng, ví dụ 15.000.000.", ""),
        ("Nguồn nhiệm vụ: “địa phương” hoặc “ngành dọc” (để trống: địa phương).", ""),
        ("Tổ chức phối hợp, Địa bàn: nhiều giá trị cách nhau bởi dấu phẩy hoặc chấm phẩy.", ""),
        (
            "Địa bàn để trống hoặc ghi “toàn địa bàn” khi hoạt động diễn ra trên toàn địa bàn;"
            " khu dân cư trùng tên ghi kèm xã/phường, ví dụ “Thôn 1 (Hà An)”.",
            "",
        ),
        (f"Tối đa {MAX_ROWS} dòng, tệp không quá {MAX_BYTES // (1024 * 1024)} MB.", ""),
        ("", ""),
    ]
    for line in lines:
        guide.append(list(line))
    guide.append(["Loại hoạt động", "Mã"])
    guide.cell(row=guide.max_row, column=1).font = bold
    kind_first = guide.max_row + 1
    for value, _label in Kind.choices:
        guide.append([KIND_NAMES[value][0], value])
    kind_last = guide.max_row
    guide.append(["", ""])
    guide.append(["Tổ chức thành viên", "Tên viết tắt"])
    guide.cell(row=guide.max_row, column=1).font = bold
    org_first = guide.max_row + 1
    writable = [o for o in index.organizations if o.pk in index.writable_ids]
    others = [o for o in index.organizations if o.pk not in index.writable_ids]
    for o in writable:
        guide.append([o.name, o.short_name or ", ".join(ORG_ALIASES.get(o.kind, ())[:1])])
    org_last = guide.max_row
    for o in others:
        guide.append([o.name, (o.short_name or "") + " (chỉ làm tổ chức phối hợp)"])
    guide.append(["", ""])
    guide.append(["Xã, phường", "Khu dân cư"])
    guide.cell(row=guide.max_row, column=1).font = bold
    by_commune: dict[int, list[str]] = {}
    for a in index.areas:
        by_commune.setdefault(a.commune_id, []).append(a.name)
    communes = [office.unit, *index.units] if by_commune.get(office.unit_id) else index.units
    for u in communes:
        guide.append([u.name, ", ".join(by_commune.get(u.pk, []))])

    kinds_dv = DataValidation(
        type="list",
        formula1=f"'{GUIDE_SHEET_NAME}'!$A${kind_first}:$A${kind_last}",
        allow_blank=True,
        showErrorMessage=False,
    )
    kinds_dv.add(f"{letters['kind']}2:{letters['kind']}{last}")
    ws.add_data_validation(kinds_dv)
    if org_last >= org_first:
        orgs_dv = DataValidation(
            type="list",
            formula1=f"'{GUIDE_SHEET_NAME}'!$A${org_first}:$A${org_last}",
            allow_blank=True,
            showErrorMessage=False,
        )
        orgs_dv.add(f"{letters['organization']}2:{letters['organization']}{last}")
        ws.add_data_validation(orgs_dv)
    origin_dv = DataValidation(
        type="list", formula1='"địa phương,ngành dọc"', allow_blank=True, showErrorMessage=False
    )
    origin_dv.add(f"{letters['origin']}2:{letters['origin']}{last}")
    ws.add_data_validation(origin_dv)
    from khoi.lib.sheets import to_bytes

    return to_bytes(wb)
