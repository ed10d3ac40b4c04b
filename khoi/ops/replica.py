"""Read replica: a database router that sends lag-tolerant reads to ``replica``.

Only requests that may read slightly old data use the replica: GET requests to the paths in
``KHOI_REPLICA_PATHS`` (reports, statistics, scans) and code inside ``lag_tolerant()`` (batch
jobs). Everything else, every write, and every read after a write reads the primary:

- within one request or job, the first write switches the rest of it to the primary;
- across requests, a browser that wrote something gets a short-lived cookie
  (``KHOI_REPLICA_PIN_SECONDS``) and reads the primary until it expires, so a person always
  sees what they have just saved.

Sessions, the cache table and the task queue always live on the primary.
Without ``KHOI_REPLICA_URL`` there is no ``replica`` database and the router does nothing.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PIN_COOKIE = "khoi_primary"
# Django's database cache (its table model's app label is ``django_cache``) and the task
# queue are written by every request or worker: a replica would serve them stale.
PRIMARY_ONLY_APPS = {"sessions", "django_tasks_db", "contenttypes", "django_cache"}

_use_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("khoi_replica", default=False)
_wrote: contextvars.ContextVar[bool] = contextvars.ContextVar("khoi_wrote", default=False)
_read_alias: contextvars.ContextVar[str | None] = contextvars.ContextVar("khoi_read", default=None)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def lag_tolerant() -> Iterator[None]:
    """Reads inside this block may go to the replica (until the block writes)."""
    token = _use_replica.set(True)
    wrote = _wrote.set(False)
    try:
        yield
    finally:
        _use_replica.reset(token)
        _wrote.reset(wrote)


@contextmanager
def reads_from(alias: str) -> Iterator[None]:
    """Every read inside this block uses database ``alias`` (checks of a copied database)."""
    token = _read_alias.set(alias)
    try:
        yield
    finally:
        _read_alias.reset(token)


class ReplicaRouter:
    def db_for_read(self, model: type[models.Model], **hints: Any) -> str | None:
        forced = _read_alias.get()
        if forced is not None:
            return forced
        if (
            _use_replica.get()
            and not _wrote.get()
            and model._meta.app_label not in PRIMARY_ONLY_APPS
            and replica_configured()
        ):
            return REPLICA
        return "default"

    def db_for_write(self, model: type[models.Model], **hints: Any) -> str | None:
        if model._meta.app_label not in PRIMARY_ONLY_APPS:
            _wrote.set(True)
        return "default"

    def allow_relation(self, obj1: models.Model, obj2: models.Model, **hints: Any) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA


class ReplicaMiddleware:
    """Lag-tolerant GET requests read the replica, unless this browser wrote recently."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        use = (
            replica_configured()
            and request.method in ("GET", "HEAD")
            and PIN_COOKIE not in request.COOKIES
            and request.path.startswith(tuple(settings.KHOI_REPLICA_PATHS))
        )
        token = _use_replica.set(use)
        wrote_token = _wrote.set(False)
        try:
            response = self.get_response(request)
            if _wrote.get() and replica_configured():
                response.set_cookie(
                    PIN_COOKIE,
                    "1",
                    max_age=settings.KHOI_REPLICA_PIN_SECONDS,
                    httponly=True,
                    secure=settings.SESSION_COOKIE_SECURE,
                    samesite="Lax",
                )
            return response
        finally:
            _use_replica.reset(token)
            _wrote.reset(wrote_token)
