"""The national overlap scan as one task per province on the task queue (khoi/ops/tasks.py).

A ``ScanRun`` is one scan of a period; each province's task writes its ``ScanResult`` in one
transaction, replacing what a previous try of the same task wrote: a worker killed mid-task
leaves nothing, and running the task again gives the same row.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScanRun(models.Model):
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("until"))
    created_at = models.DateTimeField(_("created at"))
    provinces = models.PositiveIntegerField(_("provinces"), default=0)

    class Meta:
        verbose_name = _("overlap scan")
        verbose_name_plural = _("overlap scans")

    def __str__(self) -> str:
        return f"{self.start_on:%d/%m/%Y}–{self.end_on:%d/%m/%Y}"


class ScanResult(models.Model):
    run = models.ForeignKey(ScanRun, on_delete=models.CASCADE, related_name="results")
    province = models.ForeignKey("org.AdminUnit", on_delete=models.CASCADE, related_name="+")
    activities = models.PositiveIntegerField(default=0)
    groups = models.JSONField(default=list)
    seconds = models.FloatField(default=0)
    finished_at = models.DateTimeField()

    class Meta:
        verbose_name = _("overlap scan result")
        verbose_name_plural = _("overlap scan results")
        constraints = [
            models.UniqueConstraint(fields=["run", "province"], name="ops_scanresult_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.run} · {self.province_id}"
