from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from khoi.audit.models import AuditEntry
from khoi.audit.services import verify_chain
from khoi.testing.factories import World


def _sql(statement: str, params: list[str | int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_an_intact_log_verifies(world: World, capsys) -> None:
    assert AuditEntry.objects.count() > 10
    assert verify_chain() is None
    call_command("audit_verify")
    assert "toàn vẹn" in capsys.readouterr().out


def test_an_edited_entry_is_named(world: World) -> None:
    victim = AuditEntry.objects.order_by("seq")[5]
    _sql(
        f"UPDATE {AuditEntry._meta.db_table} SET object_repr = %s WHERE id = %s", ["sửa", victim.pk]
    )
    problem = verify_chain()
    assert problem is not None and (problem.seq, problem.reason) == (victim.seq, "altered")
    with pytest.raises(CommandError, match=f"#{victim.seq}"):
        call_command("audit_verify")


def test_edited_changes_are_detected(world: World) -> None:
    victim = AuditEntry.objects.filter(action="person.create").order_by("seq").first()
    assert victim is not None
    _sql(
        f"UPDATE {AuditEntry._meta.db_table} SET changes = %s WHERE id = %s",
        ['{"x": [1, 2]}', victim.pk],
    )
    problem = verify_chain()
    assert problem is not None and problem.seq == victim.seq


def test_a_deleted_entry_in_the_middle_is_named(world: World) -> None:
    victim = AuditEntry.objects.order_by("seq")[3]
    _sql(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [victim.pk])
    problem = verify_chain()
    assert problem is not None and (problem.seq, problem.reason) == (victim.seq, "missing")
    with pytest.raises(CommandError, match=f"#{victim.seq}"):
        call_command("audit_verify")


def test_a_deleted_last_entry_is_detected(world: World) -> None:
    last = AuditEntry.objects.order_by("-seq").first()
    assert last is not None
    _sql(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [last.pk])
    problem = verify_chain()
    assert problem is not None and problem.seq == last.seq


def test_reordered_entries_are_detected(world: World) -> None:
    a, b = AuditEntry.objects.order_by("seq")[2:4]
    table = AuditEntry._meta.db_table
    _sql(f"UPDATE {table} SET seq = %s WHERE id = %s", [-1, a.pk])
    _sql(f"UPDATE {table} SET seq = %s WHERE id = %s", [a.seq, b.pk])
    _sql(f"UPDATE {table} SET seq = %s WHERE id = %s", [b.seq, a.pk])
    problem = verify_chain()
    assert problem is not None and problem.seq == a.seq


def test_the_application_cannot_change_or_delete_entries(world: World) -> None:
    entry = AuditEntry.objects.first()
    assert entry is not None
    entry.object_repr = "x"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


def test_the_admin_site_offers_no_edit_or_delete(world: World, as_user) -> None:
    entry = AuditEntry.objects.first()
    assert entry is not None
    client = as_user("admin")
    response = client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_office_log_filters_by_action_and_shows_only_the_heads_office(
    world: World, as_user
) -> None:
    client = as_user("office_head")
    body = client.get("/audit/", {"action": "person.create"}).content.decode()
    assert "Lê Đức Trà" in body
    assert "Trần Văn Khải" not in body  # a person of the other office
    expected = AuditEntry.objects.filter(
        action="person.create", office_id_ref=world.office.pk
    ).count()
    assert body.split("<tbody>", 1)[1].count("<tr>") == expected
