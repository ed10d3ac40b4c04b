"""Re-key the existing chain with the HMAC (issue #9): entries whose plain SHA-256 chain is
intact get their keyed hash; from the first broken entry on, nothing is changed, so
``audit_verify`` still names it."""

import hashlib
import json

from django.db import migrations

GENESIS = "0" * 64


def _payload(e):
    return {
        "seq": e.seq,
        "created_at": e.created_at.isoformat(),
        "actor": e.actor_id,
        "actor_label": e.actor_label,
        "action": e.action,
        "object_type": e.object_type,
        "object_id": e.object_id,
        "object_repr": e.object_repr,
        "changes": e.changes,
        "office": e.office_id_ref,
    }


def rekey(apps, schema_editor):
    from khoi.audit.models import chain_hash, chain_key

    Entry = apps.get_model("audit", "AuditEntry")
    Head = apps.get_model("audit", "AuditHead")
    key = chain_key()
    old_prev, new_prev, expected_seq = GENESIS, GENESIS, 1
    last = 0
    while True:
        batch = list(Entry.objects.filter(seq__gt=last).order_by("seq")[:1000])
        if not batch:
            break
        for e in batch:
            body = json.dumps(_payload(e), sort_keys=True, ensure_ascii=False, default=str)
            plain = hashlib.sha256((old_prev + body).encode()).hexdigest()
            if e.seq != expected_seq or e.prev_hash != old_prev or e.hash != plain:
                return  # a broken chain stays as it is: audit_verify names the entry
            new_hash = chain_hash(new_prev, _payload(e), key)
            Entry.objects.filter(pk=e.pk).update(prev_hash=new_prev, hash=new_hash)
            old_prev, new_prev, expected_seq = plain, new_hash, expected_seq + 1
        last = batch[-1].seq
    head = Head.objects.filter(pk=1).first()
    if head is not None and head.last_hash == old_prev:
        Head.objects.filter(pk=1).update(last_hash=new_prev)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(rekey, migrations.RunPython.noop)]
