"""Issue #9 (low): one boolean parser for every setting.

The attack: ``KHOI_DEBUG=false`` turned debug off but skipped the ``KHOI_FIELD_KEYS``
requirement, which compared the raw text with "0".
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khoi.settings import FALSE_WORDS, TRUE_WORDS, env_bool

ROOT = Path(__file__).resolve().parents[3]
SECRET = "x" * 30 + "-production-secret-for-the-check-" + "y" * 20


@pytest.mark.parametrize("word", ["0", "false", "FALSE", "off", "no", " No "])
def test_every_way_of_saying_no_requires_the_field_keys(word: str, tmp_path: Path) -> None:
    env = {**os.environ, "KHOI_DEBUG": word, "KHOI_SECRET_KEY": SECRET,
           "KHOI_VAR_DIR": str(tmp_path)}  # fmt: skip
    env.pop("KHOI_FIELD_KEYS", None)
    code = "from khoi.petitions import crypto; crypto.keys()"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "khoi.settings"}, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert "KHOI_FIELD_KEYS" in result.stderr


@given(st.sampled_from(sorted(TRUE_WORDS | FALSE_WORDS)), st.sampled_from([str.upper, str.title]))
def test_the_parser_reads_the_known_words_in_any_case(word: str, case: object) -> None:
    os.environ["KHOI_TEST_FLAG"] = case(word)  # type: ignore[operator]
    try:
        assert env_bool("KHOI_TEST_FLAG", word in FALSE_WORDS) is (word in TRUE_WORDS)
    finally:
        del os.environ["KHOI_TEST_FLAG"]


@pytest.mark.parametrize("value", ["nope", "2", "disabled", "tru"])
def test_an_unknown_word_stops_the_start_up(value: str) -> None:
    os.environ["KHOI_TEST_FLAG"] = value
    try:
        with pytest.raises(RuntimeError, match="KHOI_TEST_FLAG"):
            env_bool("KHOI_TEST_FLAG", True)
    finally:
        del os.environ["KHOI_TEST_FLAG"]
