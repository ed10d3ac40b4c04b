"""The log shows sums and file sizes grouped with dots and a file's type by its name, not
"25000000" or "application/vnd.openxmlformats-…" (found reading the demo's log)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from khoi.audit.readable import readable_changes


@pytest.mark.django_db
def test_amounts_sizes_and_file_types_read_as_people_write_them() -> None:
    entry = SimpleNamespace(
        object_type="",
        seq=1,
        changes={
            "amount": [None, 25_000_000],
            "size": 39187,
            "content_type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "budget": 8_000_000,
            "year": 2017,
        },
    )
    values = [a for _label, _before, a in readable_changes(entry)]
    assert "8.000.000" in values
    assert "25.000.000" in values and "39.187" in values and "Word (.docx)" in values
    assert "2017" in values  # a year is not a sum
