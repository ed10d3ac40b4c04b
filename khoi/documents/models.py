from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khoi.lib.vntext import fold
from khoi.org.models import JointOffice


class Document(models.Model):
    """An incoming or outgoing document of the office's register (sổ văn bản đến / đi).

    ``notation_raw`` is what was typed; ``notation`` the canonical form from
    :mod:`khoi.lib.docnumber`, whose parts are kept in ``system``, ``number``,
    ``year``, ``doc_type`` and ``issuer_code``. Outgoing documents numbered by the office
    carry a ``numbering_key`` (see :mod:`khoi.documents.numbering`). An incoming notation
    the parser does not know (a joint notation such as ``01/QCPH/UBND-UBMTTQ``) is kept as
    typed with ``system`` "other". Incoming documents get the register's serial number
    (``incoming_number``, "số đến", Decree 30/2020/NĐ-CP art. 22), one series per office
    and year of reception (``incoming_year``).
    """

    class Direction(models.TextChoices):
        IN = "in", _("incoming")
        OUT = "out", _("outgoing")

    class System(models.TextChoices):
        STATE = "state", _("state (Decree 30/2020/NĐ-CP)")
        PARTY = "party", _("Party (Guidance 36-HD/VPTW)")
        OTHER = "other", _("notation not recognised")

    office = models.ForeignKey(JointOffice, on_delete=models.PROTECT, related_name="documents")
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    notation_raw = models.CharField(_("number and notation as written"), max_length=120)
    notation = models.CharField(_("number and notation"), max_length=120, db_index=True)
    system = models.CharField(_("system"), max_length=5, choices=System.choices)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year in the notation"), null=True, blank=True)
    doc_type = models.CharField(_("type"), max_length=10, blank=True)
    issuer_code = models.CharField(_("issuer in the notation"), max_length=80)
    numbering_key = models.CharField(max_length=120, blank=True, editable=False)
    incoming_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    incoming_number = models.PositiveIntegerField(
        _("incoming number"), null=True, blank=True, editable=False
    )
    issued_on = models.DateField(_("date"))
    received_on = models.DateField(_("received on"), null=True, blank=True)
    issuing_body = models.CharField(_("issuing body"), max_length=250)
    summary = models.TextField(_("summary"))
    summary_folded = models.TextField(editable=False, blank=True)
    recipients = models.TextField(_("recipients"), blank=True)
    signer = models.CharField(_("signer"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "direction", "notation", "issued_on"],
                name="documents_register_once",
            ),
            models.UniqueConstraint(
                fields=["office", "numbering_key", "number"],
                condition=~Q(numbering_key=""),
                name="documents_number_once",
            ),
            models.UniqueConstraint(
                fields=["office", "incoming_year", "incoming_number"],
                condition=Q(incoming_number__isnull=False),
                name="documents_incoming_number_once",
            ),
        ]
        indexes = [
            models.Index(fields=["office", "direction", "issued_on"], name="documents_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.notation}: {self.summary[:80]}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.summary_folded = fold(self.summary)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "summary" in update_fields:  # type: ignore[operator]
            kwargs["update_fields"] = {*update_fields, "summary_folded"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def incoming_label(self) -> str:
        """The serial number in the incoming register, "12/2017" style, or ""."""
        if self.incoming_number is None:
            return ""
        return f"{self.incoming_number:02d}/{self.incoming_year}"

    @property
    def notation_recognised(self) -> bool:
        return self.system != self.System.OTHER


class DocumentLink(models.Model):
    """A document carried out by (or discussed at) an object of another capability: a plan,
    an activity, a meeting… The kinds that may be linked are offered through
    :func:`khoi.registry.register_link_kind`; this app never imports them."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="links")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()

    class Meta:
        verbose_name = _("document link")
        verbose_name_plural = _("document links")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "content_type", "object_id"], name="documents_link_once"
            ),
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="documents_link_target_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.content_type_id}:{self.object_id}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"documents/{instance.document_id}/{filename}"


class Attachment(models.Model):
    """A file of a document; its type was checked from its first bytes, not its name."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class NumberCounter(models.Model):
    """The last number issued in one numbering series, locked while a number is taken."""

    office = models.ForeignKey(JointOffice, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=120)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("number counter")
        verbose_name_plural = _("number counters")
        constraints = [
            models.UniqueConstraint(fields=["office", "key"], name="documents_counter_once"),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.last_number}"


class PeriodicReport(models.Model):
    """A periodic report of an office (month, quarter, six or nine months, year).

    ``narrative`` maps a section key to the paragraphs the staff edited; sections whose
    key is missing use the provider's default text. When the report is issued, its
    sections (figures, tables, text) are frozen in ``snapshot`` and shown from there for
    ever after. A correction is a new ``version`` of the same period, replacing the one it
    ``corrects`` for the ``correction_reason``, issued with its own number.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ISSUED = "issued", _("issued")
        CORRECTED = "corrected", _("replaced by a correction")

    office = models.ForeignKey(JointOffice, on_delete=models.PROTECT, related_name="reports")
    period = models.CharField(_("period"), max_length=10)
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("until"))
    title = models.CharField(_("title"), max_length=300)
    narrative = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    corrects = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="correction",
        verbose_name=_("corrects"),
    )  # fmt: skip
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    snapshot = models.JSONField(null=True, blank=True, editable=False, encoder=DjangoJSONEncoder)
    document = models.OneToOneField(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="report"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("periodic report")
        verbose_name_plural = _("periodic reports")
        ordering = ["-start_on", "-version", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "period", "version"], name="documents_report_version_once"
            ),
        ]

    def __str__(self) -> str:
        return self.title
