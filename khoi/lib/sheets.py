"""Spreadsheets written safely: every cell a user's text reaches is text, never a formula.

openpyxl turns any string that starts with "=" into a formula (``<f>`` in the sheet's
XML), so a task titled ``=HYPERLINK("http://…")`` or ``=cmd|' /C calc'!A0`` would run in
the reader's spreadsheet. Every ``.xlsx`` the product writes goes through ``to_bytes``,
which stores such cells as plain strings; the product itself writes no formulas (list
validations reference ranges through ``<formula1>``, which is not a cell). ``formulas``
lists the formula cells of a saved file, for tests.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def as_text(workbook: Any) -> Any:
    """Make every formula cell of ``workbook`` a plain string cell (in place)."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    return workbook


def to_bytes(workbook: Any) -> bytes:
    """The ``.xlsx`` file of ``workbook``, with no formula cell."""
    buffer = io.BytesIO()
    as_text(workbook).save(buffer)
    return buffer.getvalue()


def formulas(data: bytes) -> list[str]:
    """The names of the sheet parts of an ``.xlsx`` that contain a formula cell."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            is_sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
            if is_sheet and _FORMULA_TAG.search(archive.read(name)):
                found.append(name)
    return found
