"""Rate-limit counters are atomic across processes and servers (issue #14, finding 15).

The database cache's ``incr`` is a read then a write: two servers reading the same count
both write count + 1 and a hit is lost. The counters now use one atomic statement (SQL:
``INSERT … ON CONFLICT DO UPDATE … RETURNING``; Redis: ``INCR``); N hits at the same time,
each on its own database connection, count exactly N.
"""

from __future__ import annotations

import datetime
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import connection, connections
from django.test.utils import override_settings

from khoi.ops import ratelimit
from khoi.ops.models import RateCounter

N = 24


def hammer(count: Callable[[], int]) -> list[int]:
    """N threads released together, each counting one hit on its own connection."""
    barrier = threading.Barrier(N)
    results: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def one() -> None:
        try:
            barrier.wait(timeout=60)
            value = count()
            with lock:
                results.append(value)
        except BaseException as exc:  # reported below, with the thread's own error
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one) for _ in range(N)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors[0]
    return sorted(results)


@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_on_the_database_all_count() -> None:
    results = hammer(lambda: ratelimit.count_hit("khoi:rl:test:a:10.0.0.1:1", 65))
    assert results == list(range(1, N + 1))  # every hit saw its own count: none lost
    assert RateCounter.objects.get(key="khoi:rl:test:a:10.0.0.1:1").hits == N


@pytest.mark.django_db(transaction=True)
def test_two_connections_interleaved_count_together() -> None:
    """Two app servers = two connections, each in its own transaction, counting in turn."""
    from django.db import connections as handler

    other = handler.create_connection("default")
    try:
        seen = []
        for turn in range(6):
            db = connection if turn % 2 == 0 else other
            with db.cursor() as cursor:
                table = db.ops.quote_name(RateCounter._meta.db_table)
                cursor.execute(
                    f'INSERT INTO {table} ("key", hits, expires_at) VALUES (%s, 1, %s) '
                    f'ON CONFLICT ("key") DO UPDATE SET hits = {table}.hits + 1 RETURNING hits',
                    ["k", db.ops.adapt_datetimefield_value(ratelimit.real_now())],
                )
                seen.append(cursor.fetchone()[0])
        assert seen == [1, 2, 3, 4, 5, 6]
    finally:
        other.close()


@pytest.mark.django_db
def test_passed_windows_are_forgotten() -> None:
    passed = ratelimit.real_now() - datetime.timedelta(seconds=10)
    RateCounter.objects.create(key="khoi:rl:test:old", hits=7, expires_at=passed)
    assert ratelimit.count_hit("khoi:rl:test:new", 65) == 1  # a new window sweeps
    assert not RateCounter.objects.filter(key="khoi:rl:test:old").exists()
    assert ratelimit.count_hit("khoi:rl:test:new", 65) == 2


@pytest.mark.django_db
def test_a_long_key_is_hashed() -> None:
    key = "khoi:rl:api:" + "x" * 300
    assert ratelimit.count_hit(key, 65) == 1
    assert ratelimit.count_hit(key, 65) == 2
    assert all(len(k) <= 120 for k in RateCounter.objects.values_list("key", flat=True))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    server = shutil.which("redis-server")
    assert server, "redis-server is needed (apt-get install redis-server; .ci/run installs it)"
    port = _free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_concurrent_hits_on_redis_all_count(redis_url: str) -> None:
    redis_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "khoi",
        }
    }
    with override_settings(CACHES=redis_cache):  # Django's signal swaps the cache handler
        try:
            results = hammer(lambda: ratelimit.count_hit("khoi:rl:test:r", 65))
            assert results == list(range(1, N + 1))
            backend = caches["default"]
            assert backend.get("khoi:rl:test:r") == N
            client = backend._cache.get_client(write=False)  # type: ignore[attr-defined]
            assert 0 < client.ttl(backend.make_and_validate_key("khoi:rl:test:r")) <= 65
        finally:
            caches["default"].close()
