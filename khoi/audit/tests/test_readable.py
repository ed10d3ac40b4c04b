from __future__ import annotations

from django.urls import reverse

from khoi.audit.models import AuditEntry
from khoi.testing.factories import World


def test_the_history_shows_labels_names_and_vietnamese_dates(world: World, as_user) -> None:
    target = world.people["commune_citizen"]
    as_user("office_head").post(
        reverse("org:person_edit", args=[target.pk]),
        {"full_name": target.full_name, "unit": world.commune.pk, "gender": "m", "is_active": "on"},
    )
    assert AuditEntry.objects.filter(action="person.update").exists()
    body = (
        as_user("office_head")
        .get(reverse("audit:history", args=["org.person", target.pk]))
        .content.decode()
    )
    assert "Phường Hà An" in body  # the unit by name, not by id
    assert "Giới tính" in body and "nam" in body  # field label and choice label
    assert '"unit"' not in body and "[None" not in body
