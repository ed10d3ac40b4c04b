"""Security headers, the Content-Security-Policy, and templates the policy does not break."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

TEMPLATE_DIRS = [
    settings.BASE_DIR / "templates",
    *sorted((settings.BASE_DIR / "khoi").glob("*/templates")),
]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def _templates() -> list[Path]:
    return [p for d in TEMPLATE_DIRS if d.is_dir() for p in sorted(d.rglob("*.html"))]


def test_there_are_templates_to_check() -> None:
    assert len(_templates()) > 20


@pytest.mark.parametrize("pattern", [INLINE_SCRIPT, EVENT_HANDLER, INLINE_STYLE, JS_URL])
def test_no_template_needs_what_the_policy_forbids(pattern: re.Pattern[str]) -> None:
    found = [
        f"{path.relative_to(settings.BASE_DIR)}: {m.group(0)!r}"
        for path in _templates()
        for m in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_checks_catch_what_they_look_for() -> None:
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/x.js" defer></script>')
    assert EVENT_HANDLER.search('<form onsubmit="return confirm(1)">')
    assert not EVENT_HANDLER.search('<form data-confirm="x">')
    assert INLINE_STYLE.search('<p style="color:red">')
    assert JS_URL.search('<a href="javascript:void(0)">')


@pytest.mark.django_db
def test_pages_carry_the_policy_and_headers(as_user: Any) -> None:
    response = as_user("staff").get("/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_the_page_loads_its_confirmations_from_a_static_file(client: Client) -> None:
    body = client.get("/accounts/login/").content.decode()
    assert "js/khoi.js" in body
    assert (settings.BASE_DIR / "static" / "js" / "khoi.js").read_text().count("data-confirm")


@pytest.mark.django_db
def test_health_answers_without_signing_in(client: Client) -> None:
    response = client.get("/ops/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert client.get("/ops/bare").content == b"ok"
