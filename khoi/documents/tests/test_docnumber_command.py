from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command


def test_the_command_prints_the_canonical_parts_as_json() -> None:
    out = StringIO()
    call_command("docnumber", "Số: 08-qđi/tw", stdout=out, stderr=StringIO())
    assert json.loads(out.getvalue()) == {
        "system": "party", "number": 8, "year": None, "type": "QĐi", "issuer": "TW",
    }  # fmt: skip


def test_state_notations_keep_their_year() -> None:
    out = StringIO()
    call_command("docnumber", "30/2020/ÐÐ-CP".replace("ÐÐ", "NĐ"), stdout=out, stderr=StringIO())
    assert json.loads(out.getvalue())["year"] == 2020


def test_a_rejected_notation_exits_2_with_the_reason_on_stderr() -> None:
    err = StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("docnumber", "12-XYZ/TW", stdout=StringIO(), stderr=err)
    assert exc.value.code == 2
    assert "unknown_party_type" in err.getvalue()


def test_the_command_runs_from_the_shell() -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", "docnumber", "15/KH-UBND"],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["type"] == "KH"
    bad = subprocess.run(
        [sys.executable, "manage.py", "docnumber", "không phải số"],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert bad.returncode == 2 and bad.stderr.strip() and not bad.stdout
