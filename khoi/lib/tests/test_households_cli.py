"""household_duplicates' input contract (#10) on files nobody wrote by hand: encodings,
line ends, blank and bad lines, wrong types, empty fields, malformed unit trees."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khoi.lib.households_cli import FIELDS, InputError, decode_lines, load_units, run

ROOT = Path(__file__).resolve().parents[3]

UNITS = {
    "version": 2,  # other keys are ignored
    "units": {
        "OLD1": {"name": "Xã Cẩm La", "parent": "D1", "successors": ["NEW1"], "note": "x"},
        "NEW1": {"name": "Phường Phong Cốc", "parent": None, "successors": []},
        "D1": {"name": "Thị xã Quảng Yên"},
    },
}

A = {
    "id": "a", "org": "MTTQ", "year": 2024, "head_name": "Nguyễn Văn Hùng", "birth_year": 1958,
    "id_number": None, "phone": "0912345678", "address": "Thôn 3", "unit": "OLD1",
    "members": ["Trần Thị Lan"], "support": {"kind": "nhà", "amount": 60000000},
}  # fmt: skip
B = {
    "id": 2, "org": "HND", "year": 2025, "head_name": "Nguyen Van Hung", "birth_year": 1958,
    "phone": "84 912 345 678", "address": "T.3", "unit": "NEW1", "members": [],
    "extra": {"ignored": [1, 2]},
}  # fmt: skip


def line(rec: dict[str, Any]) -> str:
    return json.dumps(rec, ensure_ascii=False)


def run_bytes(data: bytes, units: Any = None) -> tuple[int, list[dict[str, Any]], list[str]]:
    out, err = io.StringIO(), io.StringIO()
    tree = load_units(units) if units else None
    code = run(decode_lines(data), out, err, tree)
    return code, [json.loads(x) for x in out.getvalue().splitlines()], err.getvalue().splitlines()


def numbers(messages: list[str]) -> list[int]:
    assert all(m.startswith("Dòng ") for m in messages), messages
    return [int(m.split(":")[0].removeprefix("Dòng ")) for m in messages]


def test_a_bom_and_crlf_line_ends_are_read_like_plain_utf8() -> None:
    data = ("\ufeff" + line(A) + "\r\n" + line(B) + "\r\n").encode()
    code, groups, errors = run_bytes(data, UNITS)
    assert code == 0 and errors == []
    assert [g["ids"] for g in groups] == [["a", 2]]
    assert set(groups[0]) == {"ids", "score", "reasons"} and groups[0]["reasons"]


def test_utf16_with_its_mark_is_read() -> None:
    code, groups, errors = run_bytes((line(A) + "\n" + line(B)).encode("utf-16"), UNITS)
    assert (code, errors, [g["ids"] for g in groups]) == (0, [], [["a", 2]])


def test_a_line_separator_inside_a_string_does_not_end_the_line() -> None:
    b = {**B, "address": "T.3\u2028Cẩm La\x85"}
    code, groups, errors = run_bytes((line(A) + "\n" + line(b) + "\n").encode(), UNITS)
    assert (code, errors, [g["ids"] for g in groups]) == (0, [], [["a", 2]])


def test_bad_lines_are_reported_by_number_and_the_rest_is_matched() -> None:
    bad = [
        b"",  # 2 blank
        b"   \t",  # 3 blank
        b'{"id": "x", "head_name": "Nguy\xe9n"}',  # 4 not UTF-8
        b"{not json",  # 5
        b"[1, 2]",  # 6 not an object
        b"42",  # 7
        b"null",  # 8
        b'"a string"',  # 9
        b'{"id": "n", "head_name": 123}',  # 10 a number for a name
        b'{"id": "m", "members": [1, 2]}',  # 11
        b'{"id": "k", "members": "Lan"}',  # 12
        b'{"id": "y", "birth_year": "1958a"}',  # 13
        b'{"id": "z", "year": 2024.5}',  # 14
        b'{"id": "p", "phone": [84912345678]}',  # 15
        b'{"id": true}',  # 16
        b'{"id": null, "head_name": "Nguyen Van Hung"}',  # 17
        b'{"id": 1.5}',  # 18
        b'{"id": "a"}',  # 19 id used twice
        b'{"id": ' + b"1" * 5000 + b"}",  # 20 a number too long to read
        b"[" * 50_000 + b"]" * 50_000,  # 21 nested too deep
        b'{"id": "u", "unit": {"code": "OLD1"}}',  # 22
    ]
    data = b"\n".join([line(A).encode(), *bad, line(B).encode()]) + b"\n"
    code, groups, errors = run_bytes(data, UNITS)
    assert code == 0
    assert numbers(errors) == list(range(2, 23))
    assert [g["ids"] for g in groups] == [["a", 2]]


@pytest.mark.parametrize("empty", [None, "", [], {}, "missing"])
def test_every_field_but_id_may_be_null_empty_or_missing(empty: Any) -> None:
    recs = []
    for ident in ("e1", "e2"):
        rec: dict[str, Any] = {"id": ident}
        if empty != "missing":
            rec.update(dict.fromkeys(FIELDS[1:], empty))
        recs.append(line(rec))
    code, groups, errors = run_bytes(("\n".join(recs) + "\n").encode())
    assert (code, groups, errors) == (0, [], [])


def test_numbers_exported_by_a_spreadsheet_are_accepted() -> None:
    b = {**B, "birth_year": 1958.0, "year": "2025", "phone": 84912345678.0, "unit": "NEW1"}
    code, groups, errors = run_bytes((line(A) + "\n" + line(b)).encode(), UNITS)
    assert (code, errors, [g["ids"] for g in groups]) == (0, [], [["a", 2]])


def test_a_file_that_is_not_text_cannot_be_read() -> None:
    with pytest.raises(InputError):
        decode_lines(b"PK\x03\x04\x00\x00" + b"x" * 20)


@pytest.mark.parametrize(
    "units",
    [
        [],
        {"unit": {}},
        {"units": []},
        {"units": {"X": "Xã A"}},
        {"units": {"X": {"name": 5}}},
        {"units": {"X": {"parent": ["D"]}}},
        {"units": {"X": {"successors": "Y"}}},
        {"units": {"X": {"successors": [None]}}},
        {"units": {"X": {"successors": ["Y"]}, "Y": {"successors": ["X"]}}},
    ],
)
def test_a_malformed_unit_tree_is_refused_with_the_reason(units: Any) -> None:
    with pytest.raises(ValueError, match=r"\S"):
        load_units(units)


def test_a_unit_that_succeeds_itself_keeps_its_place() -> None:
    units = {"units": {"A": {"successors": ["A"]}, "B": {"successors": ["A"]}}}
    tree = load_units(units)
    assert tree.current("A") == tree.current("B") == frozenset({"A"})
    a, b = {**A, "unit": "B"}, {**B, "unit": "A"}
    code, groups, errors = run_bytes((line(a) + "\n" + line(b)).encode(), units)
    assert (code, errors, [g["ids"] for g in groups]) == (0, [], [["a", 2]])


def test_unknown_codes_and_extra_keys_in_the_unit_tree_are_accepted() -> None:
    tree = load_units({"units": {"X": {"successors": ["NOT_LISTED"], "kind": "xã"}}, "v": 1})
    assert tree.current("X") == frozenset({"NOT_LISTED"})
    a, b = {**A, "unit": "X"}, {**B, "unit": "NOT_LISTED"}
    code, _groups, errors = run_bytes((line(a) + "\n" + line(b)).encode(), {"units": {}})
    assert (code, errors) == (0, [])


_values = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**6), 10**13), st.floats(allow_nan=True),
    st.text(max_size=12), st.lists(st.text(max_size=6), max_size=3),
    st.dictionaries(st.sampled_from(["name", "birth_year", "x"]), st.text(max_size=5), max_size=2),
)  # fmt: skip
_records = st.fixed_dictionaries({}, optional=dict.fromkeys((*FIELDS, "other"), _values)).map(
    lambda r: json.dumps(r, ensure_ascii=False)
)
_lines = st.lists(st.one_of(_records, st.text(max_size=20)), max_size=12)


@given(_lines, st.sampled_from(["\n", "\r\n"]), st.booleans())
@settings(max_examples=300, deadline=None)
def test_any_input_gives_exit_0_numbered_reports_and_valid_groups(
    lines: list[str], end: str, bom: bool
) -> None:
    lines = [x.replace("\x00", "") for x in lines]
    data = (("\ufeff" if bom else "") + end.join(lines) + end).encode("utf-8", "surrogatepass")
    try:
        decoded = decode_lines(data)
    except InputError:
        return
    out, err = io.StringIO(), io.StringIO()
    assert run(decoded, out, err) == 0
    reported = numbers(err.getvalue().splitlines())
    assert reported == sorted(set(reported)) and all(1 <= n <= len(decoded) for n in reported)
    seen: list[Any] = []
    for text in out.getvalue().splitlines():
        group = json.loads(text)
        assert set(group) == {"ids", "score", "reasons"} and len(group["ids"]) >= 2
        seen += group["ids"]
    assert len(seen) == len({json.dumps(i) for i in seen})


def _command(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "manage.py", "household_duplicates", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        check=False,
    )


def test_the_command_on_files(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(("\ufeff" + line(A) + "\r\n\r\noops\r\n" + line(B) + "\r\n").encode())
    units = tmp_path / "units.json"
    units.write_bytes(("\ufeff" + json.dumps(UNITS, ensure_ascii=False)).encode())
    out = tmp_path / "out.jsonl"
    result = _command("--input", str(src), "--output", str(out), "--units", str(units))
    assert result.returncode == 0, result.stderr
    assert numbers(result.stderr.decode().splitlines()) == [2, 3]
    assert [json.loads(x)["ids"] for x in out.read_text("utf-8").splitlines()] == [["a", 2]]

    for bad_input in (tmp_path / "none.jsonl", tmp_path):
        result = _command("--input", str(bad_input), "--output", str(out))
        assert result.returncode == 2 and result.stderr.strip(), bad_input
    binary = tmp_path / "list.xlsx"
    binary.write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00")
    assert _command("--input", str(binary), "--output", str(out)).returncode == 2

    units.write_text('{"units": {"X": "Xã A"}}', encoding="utf-8")
    result = _command("--input", str(src), "--output", str(out), "--units", str(units))
    assert result.returncode == 2 and "'X'" in result.stderr.decode()


def test_the_command_reads_stdin_and_writes_stdout() -> None:
    a, b = {**A, "unit": None}, {**B, "unit": None}
    result = _command("--input", "-", "--output", "-", stdin=(line(a) + "\n" + line(b)).encode())
    assert result.returncode == 0 and result.stderr == b""
    assert [json.loads(x)["ids"] for x in result.stdout.decode().splitlines()] == [["a", 2]]
