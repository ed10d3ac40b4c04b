from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


def chain_key() -> bytes:
    """The key of the chain's HMAC: ``KHOI_AUDIT_KEY`` from the environment; never stored in
    the database, so someone who can only write the database cannot recompute a valid
    chain. Required with ``KHOI_DEBUG=0`` (khoi/ops/checks.py); development, the demo and
    the tests derive it from ``SECRET_KEY``."""
    raw = (getattr(settings, "KHOI_AUDIT_KEY", "") or "").strip()
    if raw.startswith(HEX_PREFIX):
        return bytes.fromhex(raw[len(HEX_PREFIX) :])
    if raw:
        return raw.encode()
    if getattr(settings, "KHOI_AUDIT_KEY_REQUIRED", False):
        raise ImproperlyConfigured("KHOI_AUDIT_KEY must be set when KHOI_DEBUG=0")
    return _derived_key(settings.SECRET_KEY)


# ``KHOI_AUDIT_KEY=hex:…`` gives the key as bytes: how a deployment that ran without
# KHOI_AUDIT_KEY keeps its chain (``legacy_chain_key`` prints the key derived from its
# SECRET_KEY; after that, SECRET_KEY can be rotated without breaking the chain).
HEX_PREFIX = "hex:"


def _derived_key(secret_key: str) -> bytes:
    return hashlib.sha256(b"khoi-audit-chain:" + secret_key.encode()).digest()


def legacy_chain_key() -> str:
    """The ``KHOI_AUDIT_KEY`` value that verifies a chain written without one."""
    return HEX_PREFIX + _derived_key(settings.SECRET_KEY).hex()


def chain_hash(prev_hash: str, payload: dict[str, Any], key: bytes | None = None) -> str:
    """HMAC-SHA256 of the previous hash and the entry's content."""
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hmac.new(key or chain_key(), (prev_hash + body).encode(), hashlib.sha256).hexdigest()


class AuditEntry(models.Model):
    """One change, hash-chained to the one before it.

    ``hash`` is a keyed hash (HMAC-SHA256, key from the environment: ``chain_key``) of the
    entry's own content and ``prev_hash``; ``audit_verify`` recomputes the chain and names
    the first entry that was edited, deleted or reordered. Entries are never updated or
    deleted by the application.
    """

    seq = models.BigIntegerField(unique=True)
    created_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    changes = models.JSONField(default=dict)
    office_id_ref = models.BigIntegerField(null=True, blank=True, db_index=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "seq"], name="audit_object_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("Audit entries cannot be deleted.")

    def payload(self) -> dict[str, Any]:
        """What the hash covers."""
        return {
            "seq": self.seq,
            "created_at": self.created_at.isoformat(),
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "changes": self.changes,
            "office": self.office_id_ref,
        }

    def compute_hash(self, key: bytes | None = None) -> str:
        return chain_hash(self.prev_hash, self.payload(), key)


class AuditHead(models.Model):
    """The end of the chain (a single row, locked while an entry is appended).

    Keeping the last sequence number and hash here also detects a deleted last entry.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.last_seq}:{self.last_hash[:8]}"


class SensitiveAccess(models.Model):
    """Every view of confidential data (e.g. a denouncer's identity)."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64)
    purpose = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("confidential data access")
        verbose_name_plural = _("confidential data accesses")

    def __str__(self) -> str:
        return f"{self.user_id} {self.object_type}:{self.object_id}"
