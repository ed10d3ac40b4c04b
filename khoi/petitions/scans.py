"""Scans of petitions: stored sealed when the petition is protected, opened with a log.

- ``store(attachment, upload, redacted)``: the original of a protected petition is
  encrypted at rest (``crypto.seal_bytes``); the redacted copy, made to be shown, is not.
- ``download(user, attachment)``: the bytes this user may have — the original for the case
  handler and the office head (and the office staff when the petition is not protected),
  else the redacted copy, else nothing (404). Opening the original of a protected
  petition is an identity view: it writes ``SensitiveAccess`` like the identity page.
- ``seal_existing()``: encrypts (or re-encrypts with the current key) the originals of
  protected petitions; run by ``rotate_petition_keys``.
"""

from __future__ import annotations

import posixpath
from typing import Any

from django.core.files.base import ContentFile

from khoi.accounts.access import not_found
from khoi.audit.services import log_sensitive
from khoi.petitions import access, crypto
from khoi.petitions.models import PetitionAttachment

PURPOSE = "scan original"


def store(attachment: PetitionAttachment, upload: Any, redacted: Any = None) -> None:
    """Save the files of a new attachment (not the row)."""
    if attachment.petition.confidential:
        upload.seek(0)
        sealed = ContentFile(crypto.seal_bytes(upload.read()), name=upload.name)
        attachment.file.save(upload.name, sealed, save=False)
    else:
        attachment.file.save(upload.name, upload, save=False)
    if redacted is not None:
        attachment.redacted.save(f"redacted-{redacted.name}", redacted, save=False)


def download(user: Any, attachment: PetitionAttachment) -> tuple[bytes, str]:
    """The content and file name this user may download (404 for nothing)."""
    petition = attachment.petition
    f = access.attachment_for_user(user, attachment)
    if not f:
        raise not_found()
    is_original = f.name == attachment.file.name
    if is_original and petition.confidential:
        log_sensitive(user, "petitions.petition", petition.pk, f"{PURPOSE} {attachment.pk}")
    with f.open("rb") as handle:
        data = handle.read()
    return crypto.open_bytes(data), posixpath.basename(f.name)


def seal_existing(batch: int = 200) -> int:
    """Seal with the current key the originals of protected petitions; returns how many."""
    done = 0
    qs = PetitionAttachment.objects.filter(petition__confidential=True).exclude(file="")
    for attachment in qs.order_by("pk").iterator(chunk_size=batch):
        storage, name = attachment.file.storage, attachment.file.name or ""
        with storage.open(name, "rb") as handle:
            data = handle.read()
        storage.delete(name)
        storage.save(name, ContentFile(crypto.reseal_bytes(data)))
        done += 1
    return done
