"""The fund's services and importers carry no Vietnamese literal: English msgids through
gettext, Vietnamese in the catalogue (the sheets' column headers are data: *_NAME)."""

from __future__ import annotations

from pathlib import Path

from khoi.accounts.tests.test_messages_translatable import _literals

ROOT = Path(__file__).resolve().parent.parent
FILES = ["services.py", "importer.py", "household_import.py", "keys.py", "views_manage.py",
         "views_households.py", "views.py", "housing.py", "documents.py", "receipts.py",
         "providers.py"]  # fmt: skip


def test_no_vietnamese_literal_in_the_fund_messages() -> None:
    found = [line for name in FILES for line in _literals(ROOT / name)]
    assert not found, found
