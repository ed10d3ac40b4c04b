"""The read-replica router's decisions (the real streaming replica is exercised by
deploy/check/replica_check.py in `make prod-check`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.test.utils import override_settings

from khoi.accounts.models import User
from khoi.ops import replica


@pytest.fixture
def configured(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    yield


def test_without_a_replica_everything_reads_the_primary() -> None:
    router = replica.ReplicaRouter()
    with replica.lag_tolerant():
        assert router.db_for_read(User) == "default"


def test_lag_tolerant_reads_go_to_the_replica_until_a_write(configured: None) -> None:
    router = replica.ReplicaRouter()
    assert router.db_for_read(User) == "default"
    with replica.lag_tolerant():
        assert router.db_for_read(User) == "replica"
        assert router.db_for_read(Session) == "default"  # sessions stay on the primary
        assert router.db_for_write(Session) == "default"
        assert router.db_for_read(User) == "replica"  # a session save is no data write
        assert router.db_for_write(User) == "default"
        assert router.db_for_read(User) == "default"  # read-after-write
    assert router.db_for_read(User) == "default"
    assert router.allow_migrate("replica", "accounts") is False
    with replica.reads_from("other"):
        assert router.db_for_read(User) == "other"
    assert router.allow_migrate("default", "accounts") is True


def _run(request: HttpRequest, view: Any) -> HttpResponse:
    middleware = replica.ReplicaMiddleware(view)
    return middleware(request)


@override_settings(KHOI_REPLICA_PATHS=["/petitions/statistics/"], KHOI_REPLICA_PIN_SECONDS=9)
def test_the_middleware_chooses_by_path_method_and_recent_writes(configured: None) -> None:
    router = replica.ReplicaRouter()
    seen: list[str | None] = []

    def reader(request: HttpRequest) -> HttpResponse:
        seen.append(router.db_for_read(User))
        return HttpResponse()

    def writer(request: HttpRequest) -> HttpResponse:
        router.db_for_write(User)
        seen.append(router.db_for_read(User))
        return HttpResponse()

    rf = RequestFactory()
    _run(rf.get("/petitions/statistics/"), reader)
    _run(rf.get("/petitions/"), reader)
    _run(rf.post("/petitions/statistics/"), reader)
    response = _run(rf.post("/petitions/new/"), writer)
    assert seen == ["replica", "default", "default", "default"]
    assert response.cookies[replica.PIN_COOKIE]["max-age"] == 9
    pinned = rf.get("/petitions/statistics/")
    pinned.COOKIES[replica.PIN_COOKIE] = "1"
    _run(pinned, reader)
    assert seen[-1] == "default"  # the person who just wrote reads the primary


def test_the_cache_table_and_the_rate_counters_stay_on_the_primary(configured: None) -> None:
    """Finding 15: Django's database cache (app label ``django_cache``) is written by every
    request; read from a replica it would be stale (a lock seen free, a count behind)."""
    from django.core.cache.backends.db import DatabaseCache

    cache_model = DatabaseCache("khoi_cache", {}).cache_model_class
    assert cache_model._meta.app_label in replica.PRIMARY_ONLY_APPS
    router = replica.ReplicaRouter()
    with replica.lag_tolerant():
        assert router.db_for_read(cache_model) == "default"
        assert router.db_for_write(cache_model) == "default"
        assert router.db_for_read(User) == "replica"  # a cache write is no data write
