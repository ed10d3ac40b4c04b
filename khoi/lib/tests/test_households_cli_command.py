"""``manage.py household_duplicates`` run for real (subprocess) on the bad files a checker
may bring: bad lines skipped with their number, exit 0 once the output is written, exit 2
with a Vietnamese reason when the input, the unit tree or the output cannot be used."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from khoi.lib.households_cli import MAX_MEMBERS, MAX_TEXT, decode_lines, run

ROOT = Path(__file__).resolve().parents[3]

A = {
    "id": "a", "org": "MTTQ", "year": 2024, "head_name": "Nguyễn Văn Hùng", "birth_year": 1958,
    "phone": "0912345678", "address": "Thôn 3", "unit": "X1", "members": ["Trần Thị Lan"],
}  # fmt: skip
B = {**A, "id": "b", "org": "HPN", "head_name": "Nguyen Van Hung", "phone": "+84 912 345 678"}


def _line(rec: Any) -> bytes:
    return json.dumps(rec, ensure_ascii=False).encode()


def _command(
    tmp: Path, data: bytes | None, *extra: str, output: Path | None = None, real: bool = False
) -> Any:
    """Run the command: in this process (call_command), or ``real``: a manage.py process."""
    src = tmp / "in.jsonl"
    if data is not None:
        src.write_bytes(data)
    out = output or tmp / "out.jsonl"
    args = ["--input", str(src), "--output", str(out), *extra]
    if real:
        result = subprocess.run(
            [sys.executable, "manage.py", "household_duplicates", *args],
            cwd=ROOT, capture_output=True, check=False,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        )  # fmt: skip
        code, err_text = result.returncode, result.stderr.decode("utf-8")
    else:
        err = io.StringIO()
        code = 0
        with contextlib.redirect_stderr(err):
            try:
                call_command("household_duplicates", *args)
            except SystemExit as exc:
                code = int(exc.code or 0)
        err_text = err.getvalue()
    groups = [json.loads(x) for x in out.read_text("utf-8").splitlines()] if out.is_file() else None
    return code, groups, err_text.splitlines()


def _numbers(errors: list[str]) -> list[int]:
    assert all(e.startswith("Dòng ") and e.endswith("Bỏ qua dòng này.") for e in errors), errors
    return [int(e.split(":")[0].removeprefix("Dòng ")) for e in errors]


def test_every_kind_of_bad_line_is_reported_by_number_and_skipped(tmp_path: Path) -> None:
    lines = [
        _line(A),  # 1
        b"not json",  # 2
        b"[1, 2, 3]",  # 3 a JSON array
        b"42",  # 4 a number
        b'{"head_name": "Nguyen Van Hung"}',  # 5 no id
        _line({**A, "id": "a"}),  # 6 id used twice
        b'{"id": 7, "head_name": "X"}',  # 7
        b'{"id": "7", "head_name": "X"}',  # 8 the same id as a string
        _line(dict.fromkeys(A, None)),  # 9 nulls everywhere, id null
        _line({**A, "id": "h", "head_name": "Nguyễn " * 100_000}),  # 10 a 700,000-char name
        _line({**A, "id": "m", "members": ["Lan"] * (MAX_MEMBERS + 1)}),  # 11
        _line({**A, "id": "y", "year": "²⁰²⁴"}),  # 12 digits int() cannot read
        b"\xff\xfe broken",  # 13 not UTF-8
        b"",  # 14 blank
        _line(B),  # 15
    ]
    data = b"\xef\xbb\xbf" + b"\r\n".join(lines) + b"\r\n"
    code, groups, errors = _command(tmp_path, data, real=True)
    assert code == 0
    assert _numbers(errors) == [2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14]
    assert [g["ids"] for g in groups] == [["a", "b"]]


def test_nulls_spaces_and_extra_keys_are_accepted(tmp_path: Path) -> None:
    empty = {**dict.fromkeys(A, None), "id": "n1", "extra": {"x": [1]}}
    spaces = {**dict.fromkeys(A, "   "), "id": "n2", "members": None}
    code, groups, errors = _command(tmp_path, _line(empty) + b"\n" + _line(spaces) + b"\n")
    assert (code, groups, errors) == (0, [], [])


def test_a_huge_line_is_skipped_quickly_not_matched_for_minutes(tmp_path: Path) -> None:
    # Before the limit, this pair kept the matcher busy for more than five minutes.
    big = "Nguyễn Văn " * 70_000
    data = _line({**A, "address": big}) + b"\n" + _line({**B, "head_name": big}) + b"\n"
    code, groups, errors = _command(tmp_path, data)
    assert code == 0 and groups == []
    assert _numbers(errors) == [1, 2]
    assert str(MAX_TEXT["address"]) in errors[0] and str(MAX_TEXT["head_name"]) in errors[1]


def test_an_empty_file_gives_an_empty_output_and_exit_0(tmp_path: Path) -> None:
    assert _command(tmp_path, b"") == (0, [], [])
    assert _command(tmp_path, b"\xef\xbb\xbf") == (0, [], [])


def test_successor_chains_and_absent_unit_codes(tmp_path: Path) -> None:
    units = tmp_path / "units.json"
    units.write_text(
        json.dumps({"units": {"X0": {"successors": ["X1"]}, "X1": {"successors": []}}}),
        encoding="utf-8",
    )
    a, b = {**A, "unit": "X0"}, {**B, "unit": "NOT_IN_THE_TREE"}
    code, groups, errors = _command(tmp_path, _line(a) + b"\n" + _line(b), "--units", str(units))
    assert code == 0 and errors == [] and groups is not None

    units.write_text(
        json.dumps({"units": {"X0": {"successors": ["X1"]}, "X1": {"successors": ["X0"]}}}),
        encoding="utf-8",
    )
    code, groups, errors = _command(tmp_path, _line(a), "--units", str(units))
    assert code == 2 and "quay vòng" in "\n".join(errors)


@pytest.mark.parametrize(
    ("units_text", "needle"),
    [
        ("{not json", "--units"),
        ('{"units": {"X": {"successors": "X1"}}}', "'X'"),
        ("[]", "--units"),
    ],
)
def test_a_malformed_units_file_exits_2_with_the_reason(
    tmp_path: Path, units_text: str, needle: str
) -> None:
    units = tmp_path / "units.json"
    units.write_text(units_text, encoding="utf-8")
    code, _groups, errors = _command(tmp_path, _line(A), "--units", str(units))
    assert code == 2
    text = "\n".join(errors)
    assert "Không đọc được tệp --units" in text and needle in text


def test_files_that_cannot_be_used_exit_2_with_a_vietnamese_reason(tmp_path: Path) -> None:
    code, groups, errors = _command(tmp_path, None, real=True)  # no input file
    assert (code, groups) == (2, None) and "Không đọc được tệp đầu vào" in errors[0]
    code, _g, errors = _command(tmp_path, _line(A), "--units", str(tmp_path / "none.json"))
    assert code == 2 and "không có tệp" in errors[0]
    (tmp_path / "in.jsonl").unlink()
    (tmp_path / "in.jsonl").mkdir()  # a folder as input
    code, _g, errors = _command(tmp_path, None)
    assert code == 2 and "thư mục" in errors[0]
    (tmp_path / "in.jsonl").rmdir()
    code, groups, errors = _command(tmp_path, _line(A), output=tmp_path / "missing" / "o.jsonl")
    assert code == 2 and groups is None and "Không ghi được tệp đầu ra" in errors[0]
    code, groups, errors = _command(tmp_path, _line(A), output=tmp_path)  # a folder as output
    assert code == 2 and groups is None


def test_an_unreadable_input_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(_line(A))
    src.chmod(0)
    # root (CI) reads a file whatever its mode: the refusal the system gives everyone else
    # is raised for this one path, so the test runs (and can fail) under every user
    read_bytes = Path.read_bytes

    def refused(self: Path) -> bytes:
        if self == src:
            raise PermissionError(13, "Permission denied", str(self))
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", refused)
    code, groups, errors = _command(tmp_path, None)
    assert code == 2 and groups is None
    assert len(errors) == 1 and "quyền" in errors[0] and str(src) in errors[0]


def test_the_library_reads_7_and_string_7_as_one_id() -> None:
    out, err = io.StringIO(), io.StringIO()
    data = b'{"id": 7}\n{"id": " 7"}\n{"id": "8"}\n'
    assert run(decode_lines(data), out, err) == 0
    assert err.getvalue() == "Dòng 2: mã ' 7' đã dùng ở dòng 1. Bỏ qua dòng này.\n"
