"""Links between documents and the objects of other capabilities (plans, activities,
meetings…), through :class:`~khoi.documents.models.DocumentLink` and the kinds registered
in :data:`khoi.registry.LINK_KINDS`. This module never imports those capabilities."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse

from khoi.documents.models import Document, DocumentLink
from khoi.registry import LINK_KINDS, LinkKind, RelatedItem, link_kind


def content_type(kind: LinkKind) -> ContentType:
    app_label, model = kind.model.split(".")
    return ContentType.objects.get_by_natural_key(app_label, model)


def kind_of(obj: Any) -> LinkKind | None:
    label = obj._meta.label_lower
    return next((k for k in LINK_KINDS if k.model == label), None)


def linked_ids(document: Document) -> dict[str, list[int]]:
    """Per link kind key, the sorted ids of the linked objects (one query)."""
    by_ct: dict[int, list[int]] = defaultdict(list)
    for ct_id, object_id in document.links.values_list("content_type_id", "object_id"):
        by_ct[ct_id].append(object_id)
    return {kind.key: sorted(by_ct.get(content_type(kind).pk, [])) for kind in LINK_KINDS}


def linked_objects(document: Document) -> dict[str, list[Any]]:
    """Per link kind key, the linked objects (one query per kind that has links)."""
    out: dict[str, list[Any]] = {}
    for key, ids in linked_ids(document).items():
        kind = link_kind(key)
        if kind is None or not ids:
            out[key] = []
            continue
        out[key] = list(kind.choices(document.office).filter(pk__in=ids))
    return out


def linked_rows(document: Document) -> list[tuple[LinkKind, Any, str]]:
    """(kind, object, url) of every linked object, for the document's page."""
    rows = []
    for key, objs in linked_objects(document).items():
        kind = link_kind(key)
        assert kind is not None
        for obj in objs:
            rows.append((kind, obj, _url(kind, obj.pk)))
    return rows


def _url(kind: LinkKind, pk: int) -> str:
    try:
        return reverse(kind.url_name, args=[pk])
    except NoReverseMatch:
        return ""


def set_links(document: Document, links: Mapping[str, Sequence[Any]],
              *, initial: bool = False) -> dict[str, list[Any]]:  # fmt: skip
    """Replace the links of the kinds given; the changes as {key: [before ids, after ids]}."""
    before = {} if initial else linked_ids(document)
    changes: dict[str, list[Any]] = {}
    for key, objs in links.items():
        kind = link_kind(key)
        if kind is None:
            continue
        ct = content_type(kind)
        old = before.get(key, [])
        new = sorted({o.pk for o in objs})
        if old == new:
            continue
        DocumentLink.objects.filter(document=document, content_type=ct).exclude(
            object_id__in=new
        ).delete()
        added = [pk for pk in new if pk not in old]
        DocumentLink.objects.bulk_create(
            [DocumentLink(document=document, content_type=ct, object_id=pk) for pk in added],
            ignore_conflicts=True,
        )
        changes[key] = [old, new]
    return changes


def documents_linked_to(user: Any, obj: Any) -> list[RelatedItem]:
    """The documents linked to ``obj`` that ``user`` may read (the registry's related items;
    two queries)."""
    from khoi.documents.access import documents_for_user

    kind = kind_of(obj)
    if kind is None:
        return []
    ids = DocumentLink.objects.filter(content_type=content_type(kind), object_id=obj.pk).values(
        "document_id"
    )
    documents = documents_for_user(user).filter(pk__in=ids).order_by("issued_on", "id")
    return [
        RelatedItem(
            title=d.notation, detail=d.summary, url=reverse("documents:detail", args=[d.pk])
        )
        for d in documents
    ]
