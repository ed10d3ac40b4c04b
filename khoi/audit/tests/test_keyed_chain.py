"""Issue #9 (low): the audit chain is keyed and holds the identity-view log.

The attack: someone with write access to the database edits an entry and recomputes every
later hash (the formula is public), or deletes every identity-view row. Both now fail
``audit_verify``: the hash is an HMAC whose key comes from the environment, and each
identity view is also an entry of the chain.
"""

from __future__ import annotations

import hashlib
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import override_settings

from khoi.audit.models import AuditEntry, AuditHead, SensitiveAccess
from khoi.audit.services import log_sensitive, verify_chain, verify_sensitive
from khoi.testing.factories import World


def _forge_from(seq: int, hasher: object) -> None:
    """Edit entry ``seq`` and recompute it and every later hash like an attacker would."""
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET object_repr = %s WHERE seq = %s", ["giả mạo", seq])
    prev = AuditEntry.objects.get(seq=seq - 1).hash if seq > 1 else "0" * 64
    for entry in AuditEntry.objects.filter(seq__gte=seq).order_by("seq"):
        entry.prev_hash = prev
        new = hasher(entry)  # type: ignore[operator]
        AuditEntry.objects.filter(pk=entry.pk).update(prev_hash=prev, hash=new)
        prev = new
    AuditHead.objects.filter(pk=1).update(last_hash=prev)


def _plain_sha256(entry: AuditEntry) -> str:
    body = json.dumps(entry.payload(), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256((entry.prev_hash + body).encode()).hexdigest()


def test_recomputing_the_chain_without_the_key_is_detected(world: World) -> None:
    assert verify_chain() is None
    victim = AuditEntry.objects.order_by("seq")[4]
    _forge_from(victim.seq, _plain_sha256)
    problem = verify_chain()
    assert problem is not None and problem.seq == victim.seq
    with pytest.raises(CommandError):
        call_command("audit_verify")


def test_recomputing_with_a_guessed_key_is_detected(world: World) -> None:
    victim = AuditEntry.objects.order_by("seq")[4]
    _forge_from(victim.seq, lambda e: e.compute_hash(b"guessed-key"))
    assert verify_chain() is not None


def test_the_key_comes_from_the_environment(world: World) -> None:
    assert verify_chain() is None
    with override_settings(KHOI_AUDIT_KEY="another-deployment-key"):
        assert verify_chain() is not None


def test_deleting_identity_view_rows_is_detected(world: World) -> None:
    log_sensitive(world.users["office_head"], "petitions.petition", 1, "petition page")
    log_sensitive(world.users["office_head"], "petitions.petition", 2, "petition page")
    assert verify_chain() is None and verify_sensitive() is None
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {SensitiveAccess._meta.db_table}")
    problem = verify_sensitive()
    assert problem is not None and problem.reason == "access-deleted"
    with pytest.raises(CommandError, match="danh tính"):
        call_command("audit_verify")


def test_the_migration_rekeys_an_intact_plain_chain_and_leaves_a_broken_one(world: World) -> None:
    import importlib

    from django.apps import apps

    rekey = importlib.import_module("khoi.audit.migrations.0002_keyed_chain").rekey
    _forge_from(1, _plain_sha256)  # the whole chain as stored before the key (entry 1 edited)
    assert verify_chain() is not None
    rekey(apps, None)
    assert verify_chain() is None  # an intact plain chain becomes a keyed one
    victim = AuditEntry.objects.order_by("seq")[6]
    _forge_from(1, _plain_sha256)
    with connection.cursor() as cursor:  # tampered before the upgrade
        cursor.execute(
            f"UPDATE {AuditEntry._meta.db_table} SET object_repr = %s WHERE seq = %s",
            ["sửa trước khi nâng cấp", victim.seq],
        )
    rekey(apps, None)
    problem = verify_chain()
    assert problem is not None and problem.seq == victim.seq
