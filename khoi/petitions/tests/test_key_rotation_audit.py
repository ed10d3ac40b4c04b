"""Key rotation is audited (counts and the new key's fingerprint, never a key or identity),
and the split services keep one entry point."""

from __future__ import annotations

import hashlib
import json

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from khoi.audit.models import AuditEntry
from khoi.audit.services import verify_chain
from khoi.petitions import clocks, handling, keys, receptions, services
from khoi.petitions.models import Petitioner
from khoi.petitions.tests.conftest import SECRET_ADDRESS, SECRET_NAME, Case


def test_rotation_writes_one_audit_entry_per_batch_without_secrets(
    case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    new = Fernet.generate_key()
    monkeypatch.setenv(
        "KHOI_FIELD_KEYS", f"{new.decode()},{keys.crypto._derived_dev_key().decode()}"
    )
    total = Petitioner.objects.count()
    assert total >= 2
    assert keys.rotate_keys(batch=1) == total
    entries = AuditEntry.objects.filter(action="petition.rotate_keys").order_by("seq")
    assert entries.count() == total
    fingerprint = hashlib.sha256(new).hexdigest()[:12]
    assert {e.changes["key"][1] for e in entries} == {fingerprint}
    dump = json.dumps([e.changes for e in entries], ensure_ascii=False)
    assert SECRET_NAME not in dump and SECRET_ADDRESS not in dump and new.decode() not in dump
    assert verify_chain() is None
    call_command("rotate_petition_keys")
    assert AuditEntry.objects.filter(action="petition.rotate_keys").count() == total + 1


def test_services_stay_the_one_entry_point_after_the_split() -> None:
    assert services.do_action is handling.do_action
    assert services.do_extend_deadline is clocks.do_extend_deadline
    assert services.do_create_reception is receptions.do_create_reception
    assert services.rotate_keys is keys.rotate_keys
