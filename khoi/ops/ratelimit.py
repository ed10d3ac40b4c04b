"""Fixed-window rate limits kept in Django's cache (Redis or the database in production, so
that every app server counts together). Windows follow the wall clock (``real_now``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from khoi.clock import real_now


@dataclass(frozen=True)
class Rule:
    name: str
    limit: int
    window_seconds: int


def client_address(request: HttpRequest) -> str:
    """The caller's address. Behind our nginx, ``X-Real-IP`` is set by nginx itself (it
    overwrites what the client sent); ``KHOI_TRUST_X_REAL_IP`` says we sit behind it."""
    if settings.KHOI_TRUST_X_REAL_IP:
        real = request.META.get("HTTP_X_REAL_IP", "").strip()
        if real:
            return real
    return str(request.META.get("REMOTE_ADDR", ""))


def rule_for(request: HttpRequest) -> Rule | None:
    limits = settings.KHOI_RATE_LIMITS
    path = request.path
    if request.method == "POST" and path.startswith(("/accounts/login/", "/admin/login/")):
        return Rule("login", limits["login"], 60)
    if request.method == "POST" and path.startswith("/accounts/2fa/"):
        return Rule("login", limits["login"], 60)
    if request.method == "POST" and path.startswith("/accounts/password/reset/"):
        return Rule("reset", limits["password_reset"], 3600)
    if path.startswith("/api/") and request.headers.get("Authorization", "").startswith("Bearer "):
        return Rule("api", limits["api"], 60)
    return None


def _subject(rule: Rule, request: HttpRequest) -> str:
    if rule.name == "api":
        token = request.headers.get("Authorization", "")[7:].strip()
        return "t:" + hashlib.sha256(token.encode()).hexdigest()[:32]
    return "a:" + client_address(request)


def hit(rule: Rule, request: HttpRequest) -> bool:
    """Counts one request; False when the limit is exceeded in the current window."""
    if rule.limit <= 0:
        return True
    window = int(real_now().timestamp()) // rule.window_seconds
    key = f"khoi:rl:{rule.name}:{_subject(rule, request)}:{window}"
    if cache.add(key, 1, timeout=rule.window_seconds + 5):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=rule.window_seconds + 5)
        return True
    return count <= rule.limit
