"""Fixed-window rate limits counted atomically where every app server counts together: in
Redis (``INCR``) when Redis is the cache, else in the database (``RateCounter``, one
``INSERT … ON CONFLICT DO UPDATE … RETURNING``). Windows follow the wall clock
(``real_now``)."""

from __future__ import annotations

import datetime
import hashlib
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, OperationalError, connections
from django.http import HttpRequest

from khoi.clock import real_now
from khoi.lib import clientaddr
from khoi.ops.models import RateCounter

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rule:
    name: str
    limit: int
    window_seconds: int


def client_address(request: HttpRequest) -> str:
    """The caller's address: ``X-Real-IP`` (set by our nginx, which overwrites what the
    client sent) only when the request comes from a proxy in ``KHOI_FORWARDED_ALLOW_IPS``;
    see ``khoi.lib.clientaddr``."""
    return clientaddr.client_address(request.META, settings.KHOI_FORWARDED_ALLOW_IPS)


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
    try:
        count = count_hit(key, rule.window_seconds + 5)
    except DatabaseError:
        # the database is restarting: the request goes on and meets the same fault there
        # (an answer 503 from FaultMiddleware), rather than a crash page here
        logger.warning("rate-limit counter unavailable")
        return True
    return count <= rule.limit


def count_hit(key: str, timeout: int) -> int:
    """Adds one to the counter ``key`` (created with a lifetime of ``timeout`` seconds) and
    returns the new count, atomically across processes and servers: Redis ``INCR`` when
    Redis is the cache, else one SQL statement on the primary (``RateCounter``)."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        return _redis_count(backend, key, timeout)
    return _sql_count(key, timeout)


def _redis_count(backend: RedisCache, key: str, timeout: int) -> int:
    redis_key = backend.make_and_validate_key(key)
    client = backend._cache.get_client(redis_key, write=True)
    pipe = client.pipeline(transaction=True)  # MULTI: the expiry and the count together
    pipe.set(redis_key, 0, ex=timeout, nx=True)
    pipe.incr(redis_key)
    return int(pipe.execute()[1])


def _sql_count(key: str, timeout: int) -> int:
    if len(key) > 120:
        key = "khoi:rl:" + hashlib.sha256(key.encode()).hexdigest()
    connection = connections[DEFAULT_DB_ALIAS]  # counters live on the primary
    ops = connection.ops
    table = ops.quote_name(RateCounter._meta.db_table)
    now = real_now()
    expires = ops.adapt_datetimefield_value(now + datetime.timedelta(seconds=timeout))
    with connection.cursor() as cursor:
        for attempt in range(1, 9):
            try:
                cursor.execute(
                    f'INSERT INTO {table} ("key", hits, expires_at) VALUES (%s, 1, %s) '  # noqa: S608
                    f'ON CONFLICT ("key") DO UPDATE SET hits = {table}.hits + 1 RETURNING hits',
                    [key, expires],
                )
                break
            except OperationalError as exc:  # SQLite: another writer holds the table
                if "locked" not in str(exc) or attempt == 8:
                    raise
                time.sleep(0.01 * attempt)
        count = int(cursor.fetchone()[0])
        if count == 1:  # a new window: forget the windows that have passed
            cursor.execute(
                f"DELETE FROM {table} WHERE expires_at < %s",  # noqa: S608
                [ops.adapt_datetimefield_value(now)],
            )
    return count
